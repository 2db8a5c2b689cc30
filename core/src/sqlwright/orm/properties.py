"""Mapped properties: what a Mapper maps each attribute to.

:class:`MapperProperty` is the base (issue 7's relationships subclass it);
:class:`ColumnProperty` maps a table column or, for :func:`column_property`, a read-only SQL
expression. :func:`mapped_column` is the declarative way to write a Column with ORM options.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlwright import exc
from sqlwright.orm.base import Mapped
from sqlwright.schema import Column
from sqlwright.sql.operators import ColumnOperators

if TYPE_CHECKING:
    from sqlwright.orm.attributes import InstrumentedAttribute
    from sqlwright.orm.mapper import Mapper

__all__ = [
    "ColumnProperty",
    "MappedColumn",
    "MappedSQLExpression",
    "MapperProperty",
    "column_property",
    "deferred",
    "mapped_column",
]

_T = TypeVar("_T")


class _NoArgType:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_ARG"

    def __bool__(self) -> bool:
        return False


#: "not given" for arguments where None is a meaningful value.
NO_ARG: Any = _NoArgType()

_creation_counter = [0]


def _next_order() -> int:
    _creation_counter[0] += 1
    return _creation_counter[0]


class MapperProperty:
    """An attribute a Mapper manages. Subclasses decide what the attribute holds and loads.

    Contract for subclasses: ``_clause_for(mapper)`` (the SQL expression for queries),
    ``instrument_class(mapper)`` (install the descriptor), ``_check_writable(attribute)``,
    ``do_init()`` (called once every mapper of the registry exists; relationships resolve
    their targets there) and ``declarative_scan(...)`` (called by the declarative scan with the
    attribute's annotation before mapping).
    """

    key: str = ""
    parent: Mapper | None = None
    deferred: bool = False
    group: str | None = None
    #: Whether expiring "all attributes" drops this one.
    _expirable: bool = True
    _is_column = False
    _is_relationship = False

    def __init__(self, *, info: dict[str, Any] | None = None, doc: str | None = None) -> None:
        self.info: dict[str, Any] = dict(info or {})
        self.doc = doc
        self._creation_order = _next_order()

    def set_parent(self, mapper: Mapper, key: str) -> None:
        """Attach to ``mapper`` under attribute name ``key``."""
        self.parent = mapper
        self.key = key

    def instrument_class(self, mapper: Mapper) -> InstrumentedAttribute[Any]:
        """Install the attribute's descriptor on the mapped class and return it."""
        from sqlwright.orm.attributes import InstrumentedAttribute

        attribute: InstrumentedAttribute[Any] = InstrumentedAttribute(
            mapper.class_, self.key, self, mapper)
        parent = mapper.inherits
        if parent is not None and self.key in parent.class_manager.attributes:
            parent.class_manager.attributes[self.key]._adopt(attribute)
        mapper.class_manager.instrument(self.key, attribute)
        return attribute

    def declarative_scan(self, registry: Any, cls: type, key: str, annotation: Any) -> None:
        """Hook: look at the ``Mapped[...]`` annotation (None when absent) before mapping."""

    def do_init(self) -> None:
        """Hook: finish setting up once all mappers of the registry exist."""

    def _clause_for(self, mapper: Mapper) -> Any:
        raise exc.InvalidRequestError(
            f"{type(self).__name__} {self.key!r} has no SQL expression")

    def _check_writable(self, attribute: Any) -> None:
        """Raise when the attribute cannot be assigned."""

    def _group_keys(self) -> Sequence[str]:
        return ()

    @property
    def class_attribute(self) -> Any:
        """The descriptor on the mapped class (``User.name``)."""
        assert self.parent is not None
        return getattr(self.parent.class_, self.key)

    def __repr__(self) -> str:
        owner = self.parent.class_.__name__ if self.parent is not None else "?"
        return f"<{type(self).__name__} {owner}.{self.key}>"


class _DeclarativeMapped(Mapped[_T]):
    """A ``Mapped`` that is also a declarative directive (mapped_column(), column_property())."""

    __slots__ = ()


class _DataclassArgs:
    """Options a MappedAsDataclass field takes: init, repr, default, default_factory ..."""

    def __init__(self, init: Any = NO_ARG, repr: Any = NO_ARG,  # noqa: A002
                 default: Any = NO_ARG, default_factory: Any = NO_ARG, compare: Any = NO_ARG,
                 kw_only: Any = NO_ARG, hash: Any = NO_ARG) -> None:  # noqa: A002
        self.init = init
        self.repr = repr
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.kw_only = kw_only
        self.hash = hash

    def field_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``dataclasses.field()`` (only those given)."""
        names = ("init", "repr", "default", "default_factory", "compare", "kw_only", "hash")
        out = {n: getattr(self, n) for n in names if getattr(self, n) is not NO_ARG}
        return out


class ColumnProperty(MapperProperty, Generic[_T]):
    """Maps an attribute to a table column, or to a SQL expression (read-only).

    ``columns[0]`` is the column or expression; ``deferred=True`` leaves it out of the
    object's SELECT until first accessed (loading all of ``group`` together).
    """

    _is_column = True

    def __init__(self, column: Any, *additional_columns: Any, group: str | None = None,
                 deferred: bool = False, raiseload: bool = False, active_history: bool = False,
                 expire_on_flush: bool = True, info: dict[str, Any] | None = None,
                 doc: str | None = None) -> None:
        super().__init__(info=info, doc=doc)
        from sqlwright.sql.coercions import expect

        columns = [expect("expression", c) for c in (column, *additional_columns)]
        self.columns: list[Any] = columns
        self.group = group
        self.deferred = deferred
        self.raiseload = raiseload
        self.active_history = active_history
        self.expire_on_flush = expire_on_flush

    @property
    def expression(self) -> Any:
        """The mapped column or SQL expression."""
        return self.columns[0]

    @property
    def is_expression(self) -> bool:
        """True for column_property(<SQL expression>): computed by the database, read-only."""
        return not isinstance(self.columns[0], Column)

    def _clause_for(self, mapper: Mapper) -> Any:
        from sqlwright.orm.attributes import annotate

        element = self.columns[0]
        if self.is_expression:
            element = element.label(self.key)
        return annotate(element, {"parententity": mapper, "parentmapper": mapper,
                                  "entity_namespace": mapper, "proxy_key": self.key})

    def _check_writable(self, attribute: Any) -> None:
        if self.is_expression:
            raise AttributeError(
                f"{attribute.class_.__name__}.{self.key} is a column_property() computed by the "
                "database and cannot be assigned; change the columns it is computed from")

    def _group_keys(self) -> Sequence[str]:
        if self.group is None or self.parent is None:
            return ()
        return [p.key for p in self.parent.column_attrs.values() if p.group == self.group]


class MappedSQLExpression(ColumnProperty[_T], _DeclarativeMapped[_T]):
    """What :func:`column_property` and :func:`deferred` return (a Mapped for type checkers)."""

    def __init__(self, column: Any, *additional_columns: Any,
                 dataclass_args: _DataclassArgs | None = None, **kw: Any) -> None:
        super().__init__(column, *additional_columns, **kw)
        self.dataclass_args = dataclass_args or _DataclassArgs()


class MappedColumn(ColumnOperators, _DeclarativeMapped[_T]):
    """What :func:`mapped_column` returns: a Column plus ORM options, read by the declarative
    scan (which completes the type and nullability from the ``Mapped[...]`` annotation).

    In the class body it stands for its Column, so ``column_property(func.upper(last))`` or
    ``__mapper_args__ = {"version_id_col": version}`` may refer to it.
    """

    __hash__ = object.__hash__

    def __clause_element__(self) -> Column:
        return self.column

    def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
        return op(self.column, *other, **kw)

    def reverse_operate(self, op: Any, other: Any, **kw: Any) -> Any:
        return op(other, self.column, **kw)

    def __init__(self, column: Column, *, deferred: bool = False,
                 deferred_group: str | None = None, deferred_raiseload: bool = False,
                 active_history: bool = False, sort_order: int = 0,
                 use_existing_column: bool = False, dataclass_args: _DataclassArgs,
                 explicit_nullable: bool = False, info: dict[str, Any] | None = None) -> None:
        self.column = column
        self.deferred = deferred or deferred_group is not None
        self.deferred_group = deferred_group
        self.deferred_raiseload = deferred_raiseload
        self.active_history = active_history
        self.sort_order = sort_order
        self.use_existing_column = use_existing_column
        self.dataclass_args = dataclass_args
        self.explicit_nullable = explicit_nullable
        self.info = info
        self._creation_order = _next_order()

    def _copy(self) -> MappedColumn[_T]:
        """A copy with a fresh Column (mixins give each mapped class its own columns)."""
        return MappedColumn(self.column._copy(), deferred=self.deferred,
                            deferred_group=self.deferred_group,
                            deferred_raiseload=self.deferred_raiseload,
                            active_history=self.active_history, sort_order=self.sort_order,
                            use_existing_column=self.use_existing_column,
                            dataclass_args=self.dataclass_args,
                            explicit_nullable=self.explicit_nullable, info=self.info)

    def to_property(self) -> ColumnProperty[_T]:
        """The ColumnProperty mapping this column."""
        return ColumnProperty(self.column, deferred=self.deferred, group=self.deferred_group,
                              raiseload=self.deferred_raiseload,
                              active_history=self.active_history,
                              doc=getattr(self.column, "doc", None))

    def __repr__(self) -> str:
        return f"<MappedColumn {self.column!r}>"


def mapped_column(
    __name_pos: Any = None,
    __type_pos: Any = None,
    *args: Any,
    init: Any = NO_ARG,
    repr: Any = NO_ARG,  # noqa: A002 - the dataclass field option is named repr
    default: Any = NO_ARG,
    default_factory: Any = NO_ARG,
    compare: Any = NO_ARG,
    kw_only: Any = NO_ARG,
    hash: Any = NO_ARG,  # noqa: A002
    nullable: bool | None = None,
    primary_key: bool = False,
    deferred: bool = False,
    deferred_group: str | None = None,
    deferred_raiseload: bool = False,
    use_existing_column: bool = False,
    name: str | None = None,
    type_: Any = None,
    autoincrement: bool | str = "auto",
    doc: str | None = None,
    key: str | None = None,
    index: bool | None = None,
    unique: bool | None = None,
    info: dict[str, Any] | None = None,
    onupdate: Any = None,
    insert_default: Any = NO_ARG,
    server_default: Any = None,
    server_onupdate: Any = None,
    active_history: bool = False,
    quote: bool | None = None,
    system: bool = False,
    comment: str | None = None,
    sort_order: int = 0,
    **dialect_kwargs: Any,
) -> MappedColumn[Any]:
    """A column for a declarative class: ``name: Mapped[str] = mapped_column(String(50))``.

    Takes a name and a type positionally (both optional; the type is otherwise taken from the
    ``Mapped[...]`` annotation), SchemaItems such as ``ForeignKey("users.id")``, and every
    Column option. ``default`` is the Python-side INSERT default (and, with MappedAsDataclass,
    the field's default); ``insert_default`` sets only the INSERT default. ``nullable`` is
    taken from the annotation (``Mapped[X | None]``) unless given. ``deferred=True`` loads the
    column on first access instead of with the object.
    """
    positional = [a for a in (__name_pos, __type_pos) if a is not None] + list(args)
    if positional and isinstance(positional[0], str):
        if name is not None:
            raise exc.ArgumentError(
                f"mapped_column() got the column name twice ({positional[0]!r} and "
                f"name={name!r}); pass it once")
        name = positional.pop(0)
    column_default = insert_default if insert_default is not NO_ARG else default
    if column_default is NO_ARG:
        column_default = None
    column_kw: dict[str, Any] = {
        "key": key, "primary_key": primary_key, "nullable": nullable, "default": column_default,
        "server_default": server_default, "onupdate": onupdate,
        "server_onupdate": server_onupdate, "unique": unique, "index": index,
        "autoincrement": autoincrement, "comment": comment, "info": info, "quote": quote,
        "doc": doc, "system": system}
    if type_ is not None:
        positional.insert(0, type_)
    column = Column(*positional, name=name, **column_kw, **dialect_kwargs)
    dataclass_args = _DataclassArgs(init=init, repr=repr, default=default,
                                    default_factory=default_factory, compare=compare,
                                    kw_only=kw_only, hash=hash)
    return MappedColumn(column, deferred=deferred, deferred_group=deferred_group,
                        deferred_raiseload=deferred_raiseload, active_history=active_history,
                        sort_order=sort_order, use_existing_column=use_existing_column,
                        dataclass_args=dataclass_args, explicit_nullable=nullable is not None)


def column_property(
    column: Any,
    *additional_columns: Any,
    group: str | None = None,
    deferred: bool = False,
    raiseload: bool = False,
    active_history: bool = False,
    expire_on_flush: bool = True,
    info: dict[str, Any] | None = None,
    doc: str | None = None,
    init: Any = NO_ARG,
    repr: Any = NO_ARG,  # noqa: A002
    default: Any = NO_ARG,
    default_factory: Any = NO_ARG,
    compare: Any = NO_ARG,
    kw_only: Any = NO_ARG,
) -> MappedSQLExpression[Any]:
    """Map an attribute to a SQL expression, computed by the database when the object loads:
    ``full_name = column_property(first + " " + last)``. The attribute is read-only."""
    dataclass_args = _DataclassArgs(init=init, repr=repr, default=default,
                                    default_factory=default_factory, compare=compare,
                                    kw_only=kw_only)
    return MappedSQLExpression(column, *additional_columns, group=group, deferred=deferred,
                               raiseload=raiseload, active_history=active_history,
                               expire_on_flush=expire_on_flush, info=info, doc=doc,
                               dataclass_args=dataclass_args)


def deferred(column: Any, *additional_columns: Any, group: str | None = None,
             raiseload: bool = False, active_history: bool = False,
             info: dict[str, Any] | None = None, doc: str | None = None
             ) -> MappedSQLExpression[Any]:
    """A column loaded on first access rather than with its object:
    ``photo = deferred(Column(LargeBinary))``; ``group`` loads several together."""
    return MappedSQLExpression(column, *additional_columns, group=group, deferred=True,
                               raiseload=raiseload, active_history=active_history, info=info,
                               doc=doc)
