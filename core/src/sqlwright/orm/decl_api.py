"""The declarative API: DeclarativeBase, declarative_base(), registry, MappedAsDataclass,
declared_attr.

Subclassing a declarative base maps the subclass as its class statement finishes (see
:mod:`sqlwright.orm.decl_scan`); ``__abstract__ = True`` classes and mixins only share
attributes with the classes that inherit them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from typing_extensions import dataclass_transform

from sqlwright import exc
from sqlwright.orm.base import STATE_ATTR, _mapper_or_none
from sqlwright.orm.decl_scan import map_declaratively
from sqlwright.orm.mapper import Mapper
from sqlwright.orm.properties import (
    MappedColumn,
    MappedSQLExpression,
    column_property,
    mapped_column,
)
from sqlwright.schema import MetaData

if TYPE_CHECKING:
    from sqlwright.sql.selectable import FromClause

__all__ = [
    "DeclarativeBase",
    "DeclarativeBaseNoMeta",
    "DeclarativeMeta",
    "MappedAsDataclass",
    "as_declarative",
    "declarative_base",
    "declared_attr",
    "has_inherited_table",
    "registry",
]

_T = TypeVar("_T")
_C = TypeVar("_C", bound=type)

_REPR_VALUE_LIMIT = 40


def _declarative_constructor(self: Any, **kwargs: Any) -> None:
    """Set each keyword argument as an attribute; only mapped attributes (or other attributes
    of the class) are accepted."""
    cls = type(self)
    for key, value in kwargs.items():
        if not hasattr(cls, key):
            raise TypeError(
                f"{key!r} is an invalid keyword argument for {cls.__name__}; its mapped "
                f"attributes are: {', '.join(_attribute_names(cls))}")
        setattr(self, key, value)


_declarative_constructor.__name__ = "__init__"


def _attribute_names(cls: type) -> list[str]:
    mapper = _mapper_or_none(cls)
    return list(mapper.attrs.keys()) if mapper is not None else []


def _default_repr(self: Any) -> str:
    """``User(id=1, name='alice')``: the loaded column attributes (never loads anything)."""
    mapper = _mapper_or_none(type(self))
    if mapper is None:
        return object.__repr__(self)
    values = self.__dict__
    parts = []
    for key, prop in mapper.attrs.items():
        if not prop._is_column or key not in values:
            continue
        shown = repr(values[key])
        if len(shown) > _REPR_VALUE_LIMIT:
            shown = shown[:_REPR_VALUE_LIMIT - 3] + "..."
        parts.append(f"{key}={shown}")
    return f"{type(self).__name__}({', '.join(parts)})"


def _getstate(self: Any) -> dict[str, Any]:
    """Pickle support: the attribute values plus identity and pending changes (no session)."""
    values = dict(self.__dict__)
    state = values.pop(STATE_ATTR, None)
    if state is not None:
        values["_sw_pickled"] = (state.key, dict(state.committed_state),
                                 set(state.expired_attributes), state.modified)
    return values


def _setstate(self: Any, values: dict[str, Any]) -> None:
    """Restore a pickled mapped object; it comes back detached (or transient)."""
    saved = values.pop("_sw_pickled", None)
    self.__dict__.update(values)
    mapper = _mapper_or_none(type(self))
    if mapper is None or saved is None:
        return
    state = mapper.class_manager._new_state(self)
    state.key, committed, expired, state.modified = saved
    state.committed_state.update(committed)
    state.expired_attributes.update(expired)


class declared_attr(Generic[_T]):
    """A class-body attribute computed per mapped class: ``fn(cls)``.

    On a mixin, ``@declared_attr def created_by(cls) -> Mapped[int]: return
    mapped_column(ForeignKey("users.id"))`` gives every mapped subclass its own column;
    ``@declared_attr.directive def __tablename__(cls) -> str`` computes a directive
    (``__tablename__``, ``__table_args__``, ``__mapper_args__``).
    """

    def __init__(self, fn: Callable[..., _T] | classmethod[Any, Any, _T],
                 cascading: bool = False, _directive: bool = False) -> None:
        if isinstance(fn, classmethod):
            fn = fn.__func__
        self.fget: Callable[..., _T] = fn
        self._cascading = cascading
        self._is_directive = _directive or fn.__name__ in (
            "__tablename__", "__table_args__", "__mapper_args__")
        self.__doc__ = fn.__doc__

    def __get__(self, instance: Any, owner: Any) -> _T:
        return self.fget(owner)

    @classmethod
    def directive(cls, fn: Callable[..., _T] | classmethod[Any, Any, _T]) -> declared_attr[_T]:
        """Mark a declared_attr computing a directive such as ``__tablename__``."""
        return cls(fn, _directive=True)

    @classmethod
    def cascading(cls, fn: Callable[..., _T] | classmethod[Any, Any, _T]
                  ) -> declared_attr[_T]:
        """A declared_attr evaluated for every mapped subclass (the default here)."""
        return cls(fn, cascading=True)


class registry:
    """A set of mapped classes sharing a MetaData and a type annotation map.

    ``registry.mapped`` maps a plain class with a decorator, ``map_imperatively(cls, table)``
    maps without declarative, ``generate_base()`` makes a legacy declarative base class.
    """

    def __init__(self, *, metadata: MetaData | None = None,
                 class_registry: dict[str, Any] | None = None,
                 type_annotation_map: Mapping[Any, Any] | None = None,
                 constructor: Callable[..., None] = _declarative_constructor) -> None:
        self.metadata = metadata if metadata is not None else MetaData()
        self.type_annotation_map: dict[Any, Any] = dict(type_annotation_map or {})
        self._class_registry: dict[str, Any] = class_registry if class_registry is not None \
            else {}
        self._mappers: list[Mapper] = []
        self.constructor = constructor

    @property
    def mappers(self) -> frozenset[Mapper]:
        """Every Mapper of this registry."""
        return frozenset(self._mappers)

    def update_type_annotation_map(self, type_annotation_map: Mapping[Any, Any]) -> None:
        """Add Python type -> SQL type entries used for ``Mapped[...]`` annotations."""
        self.type_annotation_map.update(type_annotation_map)

    def _register(self, mapper: Mapper) -> Mapper:
        self._mappers.append(mapper)
        name = mapper.class_.__name__
        existing = self._class_registry.get(name)
        if existing is not None and existing is not mapper.class_:
            self._class_registry.setdefault("_sw_ambiguous", set()).add(name)
        self._class_registry[name] = mapper.class_
        dispatch = mapper.dispatch
        if dispatch.mapper_configured:
            dispatch.mapper_configured(mapper, mapper.class_)
        return mapper

    def map_declaratively(self, cls: type) -> Mapper:
        """Map ``cls`` from its class body; returns the Mapper."""
        mapper = map_declaratively(self, cls)
        if mapper is None:
            raise exc.InvalidRequestError(
                f"{cls.__qualname__} is __abstract__ and cannot be mapped")
        return self._register(mapper)

    def map_imperatively(self, class_: type, local_table: Any = None, **kw: Any) -> Mapper:
        """Map a plain class to ``local_table``; ``kw`` are Mapper options (properties=...)."""
        self._give_constructor(class_)
        return self._register(Mapper(class_, local_table, registry=self, **kw))

    def _give_constructor(self, cls: type) -> None:
        if cls.__init__ is object.__init__:  # type: ignore[misc]
            type.__setattr__(cls, "__init__", self.constructor)
        if cls.__repr__ is object.__repr__:
            type.__setattr__(cls, "__repr__", _default_repr)

    def mapped(self, cls: _C) -> _C:
        """Class decorator mapping a plain class declaratively."""
        self._give_constructor(cls)
        self.map_declaratively(cls)
        return cls

    def mapped_as_dataclass(self, cls: _C | None = None, **dataclass_options: Any) -> Any:
        """Class decorator mapping a plain class as a dataclass (options as for dataclass())."""

        def decorate(klass: _C) -> _C:
            type.__setattr__(klass, "_sw_dataclass_options", dataclass_options)
            self.map_declaratively(klass)
            return klass

        return decorate(cls) if cls is not None else decorate

    def generate_base(self, mapper: Any = None, cls: type = object, name: str = "Base",
                      metaclass: type = type) -> Any:
        """A declarative base class for this registry (what ``declarative_base()`` returns)."""
        if metaclass is type:
            metaclass = DeclarativeMeta
        namespace: dict[str, Any] = {
            "registry": self, "metadata": self.metadata, "_sw_is_declarative_base": True,
            "__doc__": getattr(cls, "__doc__", None),
        }
        if cls is object or "__init__" not in vars(cls):
            namespace["__init__"] = self.constructor
        if cls is object or "__repr__" not in vars(cls):
            namespace["__repr__"] = _default_repr
        namespace.setdefault("__getstate__", _getstate)
        namespace.setdefault("__setstate__", _setstate)
        bases = (cls,) if cls is not object else ()
        return metaclass(name, bases, namespace)

    def as_declarative_base(self, **kw: Any) -> Callable[[type], Any]:
        """Class decorator: the decorated class becomes a declarative base of this registry."""

        def decorate(cls: type) -> Any:
            return self.generate_base(cls=cls, name=cls.__name__, **kw)

        return decorate

    def configure(self, cascade: bool = False) -> None:
        """Finish every mapper (relationships resolve their targets here)."""
        for mapper in list(self._mappers):
            if mapper.configured:
                continue
            for prop in list(mapper.attrs.values()):
                prop.do_init()
            mapper.configured = True

    def dispose(self, cascade: bool = False) -> None:
        """Forget the mappers (the classes stay mapped); for tests."""
        self._mappers.clear()
        self._class_registry.clear()

    def __repr__(self) -> str:
        return f"<registry with {len(self._mappers)} mapper(s)>"


class DeclarativeMeta(type):
    """Metaclass of bases made by :func:`declarative_base`: maps each subclass."""

    def __init__(cls, classname: str, bases: tuple[type, ...], dict_: dict[str, Any],
                 **kw: Any) -> None:
        if not dict_.get("_sw_is_declarative_base"):
            reg = getattr(cls, "registry", None)
            if not isinstance(reg, registry):
                raise exc.InvalidRequestError(
                    f"{classname} has no registry; subclass a declarative_base() class")
            mapper = map_declaratively(reg, cls)
            if mapper is not None:
                reg._register(mapper)
        super().__init__(classname, bases, dict_, **kw)


def _setup_base(cls: type) -> None:
    reg = cls.__dict__.get("registry")
    type_map = cls.__dict__.get("type_annotation_map")
    if not isinstance(reg, registry):
        metadata = cls.__dict__.get("metadata")
        reg = registry(metadata=metadata, type_annotation_map=type_map)
    elif type_map:
        reg.update_type_annotation_map(type_map)
    type.__setattr__(cls, "registry", reg)
    type.__setattr__(cls, "metadata", reg.metadata)
    type.__setattr__(cls, "_sw_is_declarative_base", True)
    if "__init__" not in cls.__dict__:
        type.__setattr__(cls, "__init__", reg.constructor)


def _map_subclass(cls: type) -> None:
    reg = getattr(cls, "registry", None)
    if not isinstance(reg, registry):
        raise exc.InvalidRequestError(
            f"{cls.__qualname__} has no registry; subclass your DeclarativeBase subclass, "
            "not DeclarativeBase itself")
    mapper = map_declaratively(reg, cls)
    if mapper is not None:
        reg._register(mapper)


class DeclarativeBase:
    """Subclass this once to make your base: ``class Base(DeclarativeBase): pass``.

    Subclasses of the base with a ``__tablename__`` are mapped: ``Mapped[...]`` annotations
    and ``mapped_column()`` / ``Column()`` attributes become columns of ``Base.metadata``.
    On the base, ``metadata``, ``registry`` and ``type_annotation_map`` may be set.
    """

    if TYPE_CHECKING:
        registry: ClassVar[registry]
        metadata: ClassVar[MetaData]
        type_annotation_map: ClassVar[dict[Any, Any]]
        __mapper__: ClassVar[Mapper]
        __table__: ClassVar[FromClause]
        __tablename__: Any
        __mapper_args__: Any
        __table_args__: Any

        def __init__(self, **kw: Any) -> None: ...

    def __init_subclass__(cls, **kw: Any) -> None:
        if DeclarativeBase in cls.__bases__:
            _setup_base(cls)
        else:
            _map_subclass(cls)
        super().__init_subclass__(**kw)

    def __repr__(self) -> str:
        return _default_repr(self)

    def __getstate__(self) -> dict[str, Any]:
        return _getstate(self)

    def __setstate__(self, values: dict[str, Any]) -> None:
        _setstate(self, values)


class DeclarativeBaseNoMeta(DeclarativeBase):
    """Same as :class:`DeclarativeBase` (kept for API compatibility; there is no metaclass)."""

    def __init_subclass__(cls, **kw: Any) -> None:
        if DeclarativeBaseNoMeta in cls.__bases__:
            _setup_base(cls)
        else:
            _map_subclass(cls)
        super(DeclarativeBase, cls).__init_subclass__(**kw)


@dataclass_transform(field_specifiers=(MappedColumn, MappedSQLExpression, mapped_column,
                                       column_property))
class MappedAsDataclass:
    """Mix into the base to make every mapped class a dataclass:
    ``class Base(MappedAsDataclass, DeclarativeBase)``. Field options (``init``, ``default``,
    ``default_factory``, ``repr``, ``kw_only`` ...) go to ``mapped_column()``; class options
    (``init``, ``repr``, ``eq``, ``order``, ``kw_only`` ...) to the class statement."""

    def __init_subclass__(cls, init: Any = None, repr: Any = None,  # noqa: A002
                          eq: Any = None, order: Any = None, unsafe_hash: Any = None,
                          match_args: Any = None, kw_only: Any = None, **kw: Any) -> None:
        given = {"init": init, "repr": repr, "eq": eq, "order": order,
                 "unsafe_hash": unsafe_hash, "match_args": match_args, "kw_only": kw_only}
        options = {k: v for k, v in given.items() if v is not None}
        type.__setattr__(cls, "_sw_dataclass_options", options)
        super().__init_subclass__(**kw)


def declarative_base(*, metadata: MetaData | None = None, mapper: Any = None,
                     cls: type = object, name: str = "Base",
                     class_registry: dict[str, Any] | None = None,
                     type_annotation_map: Mapping[Any, Any] | None = None,
                     constructor: Callable[..., None] = _declarative_constructor,
                     metaclass: type = DeclarativeMeta) -> Any:
    """A declarative base class (the classic form): ``Base = declarative_base()``."""
    reg = registry(metadata=metadata, class_registry=class_registry,
                   type_annotation_map=type_annotation_map, constructor=constructor)
    return reg.generate_base(mapper=mapper, cls=cls, name=name, metaclass=metaclass)


@overload
def as_declarative(cls: type) -> Any: ...


@overload
def as_declarative(**kw: Any) -> Callable[[type], Any]: ...


def as_declarative(cls: type | None = None, **kw: Any) -> Any:
    """Class decorator making the class a declarative base (legacy form)."""
    options = {k: kw.pop(k) for k in ("metadata", "class_registry", "type_annotation_map")
               if k in kw}
    decorate = registry(**options).as_declarative_base(**kw)
    return decorate(cls) if cls is not None else decorate


def has_inherited_table(cls: type) -> bool:
    """True when a base class of ``cls`` is mapped to a table (for declared_attr logic)."""
    return any(_mapper_or_none(klass) is not None for klass in cls.__mro__[1:])
