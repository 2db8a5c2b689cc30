"""relationship(): links between mapped classes, their join conditions and the lazy loader.

A :class:`RelationshipProperty` is declared with a target that may not exist yet (a class
name, a lambda). It is *set up* lazily, the first time any relationship is used (attribute
access, a query, a flush): targets, ``secondary`` tables, join conditions, the direction
(one-to-many, many-to-one, many-to-many) and backrefs are resolved then, for every pending
relationship at once (:func:`configure_mappers`).

Loader strategies are looked up by name in :data:`strategy_registry`; this module registers
the default one, ``"select"`` (:class:`LazyLoader`: one SELECT on first access).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlwright import exc
from sqlwright.orm import exc as orm_exc
from sqlwright.orm.base import _mapper_or_none, instance_state, state_str
from sqlwright.orm.properties import NO_ARG, MapperProperty, _DataclassArgs, _DeclarativeMapped
from sqlwright.orm.relationship_joins import (
    MANYTOMANY,
    MANYTOONE,
    ONETOMANY,
    _adapt,
    _as_list,
    _is_column,
    _replace,
    _resolve_value,
    _selectable_of,
    _to_column,
    determine_joins,
    foreign,
    remote,
)

if TYPE_CHECKING:
    from sqlwright.orm.mapper import Mapper
    from sqlwright.orm.state import InstanceState

__all__ = [
    "CascadeOptions",
    "LazyLoader",
    "Relationship",
    "RelationshipProperty",
    "backref",
    "configure_mappers",
    "foreign",
    "lazy_load_hooks",
    "register_strategy",
    "relationship",
    "remote",
    "strategy_registry",
    "with_parent",
]

_T = TypeVar("_T")


_CASCADE_NAMES = ("save-update", "merge", "delete", "delete-orphan", "expunge",
                  "refresh-expire")
_ALL = ("save-update", "merge", "refresh-expire", "expunge", "delete")


class CascadeOptions(frozenset[str]):
    """The cascades of a relationship: ``"delete" in prop.cascade``, ``prop.cascade.delete``.

    Built from a comma separated string: ``"all, delete-orphan"``; ``"all"`` is save-update,
    merge, refresh-expire, expunge and delete; ``"none"`` is nothing.
    """

    def __new__(cls, spec: str | Iterable[str] = "save-update, merge") -> CascadeOptions:
        names = [n.strip() for n in spec.split(",")] if isinstance(spec, str) else list(spec)
        values: set[str] = set()
        for name in names:
            if not name or name == "none":
                continue
            if name == "all":
                values.update(_ALL)
            elif name in _CASCADE_NAMES:
                values.add(name)
            else:
                raise exc.ArgumentError(
                    f"Unknown cascade {name!r}; use a comma separated list of: all, "
                    f"{', '.join(_CASCADE_NAMES)}, none")
        return super().__new__(cls, values)

    save_update = property(lambda self: "save-update" in self)
    merge = property(lambda self: "merge" in self)
    delete = property(lambda self: "delete" in self)
    delete_orphan = property(lambda self: "delete-orphan" in self)
    expunge = property(lambda self: "expunge" in self)
    refresh_expire = property(lambda self: "refresh-expire" in self)

    def __repr__(self) -> str:
        return f"CascadeOptions({', '.join(sorted(self))!r})"


# -- loader strategies ---------------------------------------------------------------------------
class LoaderStrategy:
    """Base of relationship loader strategies; one instance per (relationship, name)."""

    def __init__(self, prop: RelationshipProperty[Any]) -> None:
        self.prop = prop

    def lazy_load(self, state: InstanceState) -> Any:
        """The value of the relationship for ``state`` when it is read and not loaded."""
        raise NotImplementedError


#: ``hook(state, prop)`` callables run just before a lazy load emits its SELECT (N+1
#: detection listens here); not run when the identity map answers without SQL.
lazy_load_hooks: list[Callable[[Any, Any], None]] = []

#: strategy name -> class (``lazy="select"`` ...); LOAD registers the eager ones.
strategy_registry: dict[str, type[LoaderStrategy]] = {}


_EAGER = ("joined", "selectin", "subquery", "immediate")


def _import_strategies() -> None:
    try:
        import sqlwright.orm.strategies  # noqa: F401 - LOAD registers its strategies there
    except ImportError:  # pragma: no cover - only while LOAD's module is missing
        pass


def register_strategy(name: str, cls: type[LoaderStrategy]) -> None:
    """Make ``lazy=name`` (and the matching loader option) use ``cls``."""
    strategy_registry[name] = cls


class LazyLoader(LoaderStrategy):
    """``lazy="select"``: one SELECT for the related rows on first access.

    A many-to-one whose target is already in the identity map costs no SQL.
    """

    def lazy_load(self, state: InstanceState) -> Any:
        prop = self.prop
        session = state.session
        if session is None:
            raise orm_exc.DetachedInstanceError(
                f"Parent instance {state_str(state)} is not bound to a Session; lazy load "
                f"of attribute {prop.parent.class_.__name__}.{prop.key} cannot proceed. "
                f"Eager-load it in the query (options(selectinload({prop.parent.class_.__name__}"
                f".{prop.key}))), read it while the Session is open, or attach the object "
                "again with session.add(obj)")
        return prop._load_with_select(session, state)


register_strategy("select", LazyLoader)


def _register_flush_hook() -> None:
    from sqlwright.orm import dependency, unitofwork

    if dependency.flush_hook not in unitofwork.flush_hooks:
        unitofwork.flush_hooks.append(dependency.flush_hook)


_register_flush_hook()


# -- the property --------------------------------------------------------------------------------
class RelationshipProperty(MapperProperty, Generic[_T]):
    """A link from objects of ``parent`` to objects of ``mapper`` (see module docstring)."""

    _is_relationship = True
    _expirable = True
    parent: Mapper
    mapper: Mapper
    entity: type
    target: Any
    secondary: Any
    direction: str
    primaryjoin: Any
    secondaryjoin: Any
    local_remote_pairs: list[tuple[Any, Any]]
    synchronize_pairs: list[tuple[Any, Any]]
    secondary_synchronize_pairs: list[tuple[Any, Any]]
    remote_side: set[Any]
    order_by: Any
    _parent_tables: list[Any]
    _target_tables: list[Any]
    _self_referential: bool
    _foreign_ids: set[int] | None
    _remote_arg_ids: set[int]
    _remote_ids: set[int]
    _custom_join: bool = False

    def __init__(self, argument: Any = None, secondary: Any = None, *,
                 uselist: bool | None = None, collection_class: Any = None,
                 primaryjoin: Any = None, secondaryjoin: Any = None,
                 back_populates: str | None = None, backref: Any = None,
                 foreign_keys: Any = None, remote_side: Any = None,
                 order_by: Any = False, cascade: str = "save-update, merge",
                 lazy: str | bool | None = "select", viewonly: bool = False,
                 passive_deletes: bool | str = False, passive_updates: bool = True,
                 post_update: bool = False, single_parent: bool = False,
                 innerjoin: bool = False, join_depth: int | None = None,
                 overlaps: str | None = None, sync_backref: bool | None = None,
                 active_history: bool = False, enable_typechecks: bool = True,
                 omit_join: Any = None, distinct_target_key: Any = None,
                 info: dict[str, Any] | None = None, doc: str | None = None) -> None:
        super().__init__(info=info, doc=doc)
        self.argument = argument
        self._secondary_arg = secondary
        self._uselist_arg = uselist
        self.uselist: bool = bool(uselist) if uselist is not None else True
        self.collection_class = collection_class
        self._primaryjoin_arg = primaryjoin
        self._secondaryjoin_arg = secondaryjoin
        if back_populates is not None and backref is not None:
            raise exc.ArgumentError(
                "relationship() takes back_populates or backref, not both: back_populates "
                "names an existing relationship on the other class, backref creates it")
        self.back_populates = back_populates
        self.backref = backref
        self._foreign_keys_arg = foreign_keys
        self._remote_side_arg = remote_side
        self._order_by_arg = order_by
        self.cascade = CascadeOptions(cascade)
        if viewonly:
            self.cascade = CascadeOptions(c for c in self.cascade
                                          if c in ("merge", "expunge", "refresh-expire"))
        if lazy is True:
            lazy = "select"
        elif lazy is False:
            lazy = "joined"
        elif lazy is None:
            lazy = "noload"
        self.lazy: str = lazy
        self.viewonly = viewonly
        self.passive_deletes = passive_deletes
        self.passive_updates = passive_updates
        self.post_update = post_update
        self.single_parent = single_parent
        self.innerjoin = innerjoin
        self.join_depth = join_depth
        self.overlaps = overlaps
        self.sync_backref = sync_backref
        self.active_history = active_history
        self.enable_typechecks = enable_typechecks
        self._is_set_up = False
        self._setup_error: BaseException | None = None
        self._strategies: dict[str, LoaderStrategy] = {}
        self._annotation_target: Any = None
        self._reverse: RelationshipProperty[Any] | None = None

    # -- declarative hooks -----------------------------------------------------------------------
    def declarative_scan(self, registry: Any, cls: type, key: str, annotation: Any) -> None:
        """Take the target class and the collection type from ``Mapped[...]``."""
        if annotation is None:
            return
        from sqlwright.orm.decl_scan import _mapped_inner

        is_mapped, inner = _mapped_inner(annotation)
        if not is_mapped:
            return
        target, container = _target_from_annotation(inner)
        origin = typing.get_origin(annotation) or annotation
        if getattr(origin, "__name__", "") in ("WriteOnlyMapped", "DynamicMapped"):
            container = container or list
            if self.lazy == "select":
                self.lazy = "write_only" if origin.__name__ == "WriteOnlyMapped" \
                    else "dynamic"

        if self.argument is None and target is not None:
            self.argument = target
        if container is None:
            if self._uselist_arg is None and self.collection_class is None:
                self.uselist = False
                self._uselist_arg = False
        elif self.collection_class is None and container in (set, list):
            self.collection_class = container

    def instrument_class(self, mapper: Mapper) -> Any:
        from sqlwright.orm.collections import RelationshipAttribute

        attribute: RelationshipAttribute[Any] = RelationshipAttribute(
            mapper.class_, self.key, self, mapper)
        parent = mapper.inherits
        if parent is not None and self.key in parent.class_manager.attributes:
            parent.class_manager.attributes[self.key]._adopt(attribute)
        mapper.class_manager.instrument(self.key, attribute)
        _pending.append(self)
        _install_configure_hook()
        return attribute

    def do_init(self) -> None:
        self._ensure()

    def _check_writable(self, attribute: Any) -> None:
        if self.viewonly:
            raise exc.InvalidRequestError(
                f"{self} is viewonly=True; change the relationship it mirrors (or the foreign "
                "key columns) instead of assigning it")

    def _clause_for(self, mapper: Mapper) -> Any:
        self._ensure()
        return self.join_condition()

    def _history(self, state: InstanceState) -> Any:
        from sqlwright.orm.collections import relationship_history

        return relationship_history(self, state)

    # -- setup -----------------------------------------------------------------------------------
    def _ensure(self) -> None:
        if self._is_set_up:
            return
        configure_mappers()
        if self._setup_error is not None:
            raise self._setup_error
        if not self._is_set_up:
            self._setup()

    def _setup(self) -> None:
        if self._is_set_up:
            return
        self._resolve_target()
        self._resolve_secondary()
        determine_joins(self)
        self._resolve_order_by()
        if self._uselist_arg is None:
            self.uselist = self.direction != MANYTOONE
        if self.uselist and self.collection_class is None:
            self.collection_class = list
        if "delete-orphan" in self.cascade and self.direction == MANYTOONE \
                and not self.single_parent:
            raise exc.ArgumentError(
                f"{self}: delete-orphan cascade on a many-to-one needs single_parent=True "
                "(each target object belongs to one parent); or put the cascade on the "
                "one-to-many side")
        self._is_set_up = True
        self._setup_backref()

    def _resolve_target(self) -> None:
        arg = self.argument
        if arg is None:
            raise exc.ArgumentError(
                f"{self} names no target class: write relationship(\"Post\") or annotate it "
                "Mapped[List[\"Post\"]] / Mapped[\"Post\"]")
        if isinstance(arg, str):
            arg = _lookup_class(self, arg)
        elif callable(arg) and not isinstance(arg, type) and _mapper_or_none(arg) is None \
                and not hasattr(arg, "class_"):
            arg = arg()
            if isinstance(arg, str):
                arg = _lookup_class(self, arg)
        mapper = arg if hasattr(arg, "_columntoproperty") else _mapper_or_none(arg)
        if mapper is None:
            raise exc.ArgumentError(
                f"{self}: target {arg!r} is not a mapped class; relationship() needs a "
                "mapped class, its name, or a lambda returning it")
        self.mapper = mapper
        self.entity = mapper.class_
        self.target = mapper.local_table

    def _resolve_secondary(self) -> None:
        value = self._secondary_arg
        if isinstance(value, str):
            metadata = getattr(self.parent.local_table, "metadata", None)
            tables = getattr(metadata, "tables", {}) if metadata is not None else {}
            value = tables[value] if value in tables else _resolve_value(
                self, value, "secondary")
        elif callable(value) and not hasattr(value, "c"):
            value = value()
        self.secondary = value

    def _resolve_order_by(self) -> None:
        value = self._order_by_arg
        if isinstance(value, str):
            value = _resolve_value(self, value, "order_by")
        elif callable(value) and getattr(value, "__name__", "") == "<lambda>":
            value = value()
        items = _as_list(value)
        self.order_by = [_to_column(v) for v in items] if items else False

    def _setup_backref(self) -> None:
        if self.backref is not None:
            name, kw = (self.backref, {}) if isinstance(self.backref, str) else self.backref
            if name in self.mapper.attrs:
                raise exc.ArgumentError(
                    f"{self}: backref {name!r} clashes with an existing attribute of "
                    f"{self.mapper.class_.__name__}; choose another name or use "
                    "back_populates with a relationship declared on both classes")
            kw = dict(kw)
            kw.setdefault("uselist", self.direction == MANYTOONE or (
                self.direction == MANYTOMANY))
            if self.secondary is not None:
                kw.setdefault("secondary", self.secondary)
                kw.setdefault("primaryjoin", self.secondaryjoin)
                kw.setdefault("secondaryjoin", self.primaryjoin)
            elif self._primaryjoin_arg is not None:
                kw.setdefault("primaryjoin", self.primaryjoin)
            if self._foreign_keys_arg is not None:
                kw.setdefault("foreign_keys", self._foreign_keys_arg)
            if self.direction == ONETOMANY and self.parent is self.mapper:
                kw.setdefault("remote_side", [loc for loc, _r in self.local_remote_pairs])
            other: RelationshipProperty[Any] = RelationshipProperty(
                self.parent.class_, back_populates=self.key, **kw)
            self.mapper.add_property(name, other)
            self.back_populates = name
            other._ensure_self()
        self._link_reverse()

    def _ensure_self(self) -> None:
        _pending[:] = [p for p in _pending if p is not self]
        self._setup()

    def _link_reverse(self) -> None:
        name = self.back_populates
        if name is None:
            return
        other = self.mapper.attrs.get(name)
        if other is None or not getattr(other, "_is_relationship", False):
            raise exc.InvalidRequestError(
                f"{self}: back_populates={name!r} but {self.mapper.class_.__name__} has no "
                f"relationship named {name!r}; declare it there with "
                f"relationship(back_populates={self.key!r})")
        self._reverse = other
        if other.back_populates is None:
            other.back_populates = self.key

    @property
    def reverse_property(self) -> RelationshipProperty[Any] | None:
        """The relationship on the other class kept in step with this one, if any."""
        self._ensure()
        return self._reverse

    # -- strategies ------------------------------------------------------------------------------
    def strategy_for(self, name: str) -> LoaderStrategy:
        """The strategy object for ``name`` ("select", "joined", "selectin", ...)."""
        strategy = self._strategies.get(name)
        if strategy is None:
            _import_strategies()
            cls = strategy_registry.get(name)
            if cls is None:
                raise exc.ArgumentError(
                    f"{self}: unknown loader strategy lazy={name!r}; choose one of "
                    f"{', '.join(sorted(strategy_registry))}")
            strategy = self._strategies[name] = cls(self)
        return strategy

    def strategy_for_state(self, state: InstanceState) -> LoaderStrategy:
        """The strategy to use for a lazy load of this attribute on ``state`` (per-object
        option from ``state.load_options``, else ``lazy``)."""
        name = self.lazy
        for option in state.load_options or ():
            if isinstance(option, tuple) and len(option) == 2 and option[0] == self.key:
                name = option[1]
        if name not in strategy_registry:
            _import_strategies()
            if name not in strategy_registry and name in _EAGER:
                name = "select"
        return self.strategy_for(name)

    # -- loading ---------------------------------------------------------------------------------
    def _local_value(self, state: InstanceState, column: Any) -> Any:
        key = _column_key(self.parent, column)
        if key not in state.dict:
            obj = state.obj()
            return getattr(obj, key)
        return state.dict[key]

    def _lazy_criteria(self, state: InstanceState) -> tuple[Any, dict[str, Any]]:
        """(criterion over the target table, and ``secondary``, with bind parameters;
        their values) selecting the rows related to ``state``."""
        from sqlwright.sql.elements import bindparam

        self._ensure()
        params: dict[str, Any] = {}
        names: dict[int, Any] = {}
        for index, (local, _remote) in enumerate(self.local_remote_pairs):
            if id(local) in names:
                continue
            name = f"{self.key}_param_{index}"
            params[name] = self._local_value(state, local)
            names[id(local)] = bindparam(name, type_=getattr(local, "type", None))
        return self._criterion_with(names), params

    def _criterion_with(self, binds: dict[int, Any]) -> Any:
        """The lazy-load criterion with the parent's columns replaced by ``binds``."""
        from sqlwright.sql.expression import and_

        def swap(node: Any) -> Any:
            if _is_column(node) and self._column_side(node) == "source":
                return binds.get(id(node))
            return None

        criterion = _replace(self.primaryjoin, swap)
        if self.secondary is not None:
            criterion = and_(criterion, self.secondaryjoin)
        return criterion

    def _column_side(self, column: Any, secondary_side: bool = False) -> str | None:
        """"source" (parent), "dest" (target) or None (the secondary table) for a column of
        the join condition."""
        table = getattr(column, "table", None)
        if self.secondary is not None:
            if table is self.secondary:
                return None
            return "dest" if secondary_side else "source"
        if id(column) in self._remote_ids:
            return "dest"
        if table in self._parent_tables and not self._self_referential:
            return "source"
        if table in self._target_tables and not self._self_referential:
            return "dest"
        return "source"

    def _load_with_select(self, session: Any, state: InstanceState) -> Any:
        from sqlwright.sql.selectable import select

        values = [self._local_value(state, local) for local, _r in self.local_remote_pairs]
        if any(v is None for v in values):
            return [] if self.uselist else None
        if self.direction == MANYTOONE and self._remote_is_target_pk():
            found = self._from_identity_map(session, values)
            if found is not None:
                return found
        for hook in lazy_load_hooks:
            hook(state, self)
        criterion, params = self._lazy_criteria(state)
        stmt = select(self.entity).where(criterion)
        if self.order_by:
            stmt = stmt.order_by(*self.order_by)
        with session.no_autoflush if session._flushing else _null_context():
            rows = session.scalars(stmt.params(**params)).all()
        if self.uselist:
            return list(rows)
        if len(rows) > 1:
            warn_multiple(self)
        return rows[0] if rows else None

    def _remote_is_target_pk(self) -> bool:
        remotes = [r for _l, r in self.local_remote_pairs]
        return self.secondary is None and not getattr(self, "_custom_join", False) and \
            {id(c) for c in remotes} == {id(c) for c in self.mapper.primary_key}

    def _from_identity_map(self, session: Any, values: list[Any]) -> Any:
        by_col = {id(r): v for (_l, r), v in zip(self.local_remote_pairs, values)}
        pk = tuple(by_col[id(c)] for c in self.mapper.primary_key)
        key = self.mapper.identity_key_from_primary_key(pk)
        state = session.identity_map._state_for(key)
        if state is None or state.expired_attributes or state in session._deleted:
            return None
        obj = state.obj()
        if obj is not None and not isinstance(obj, self.entity):
            return None
        return obj

    def _populate(self, state: InstanceState, value: Any) -> None:
        """Store a loaded value (list of objects, or object/None) with no history."""
        from sqlwright.orm.collections import set_loaded_value

        set_loaded_value(self, state, value)

    def _is_loaded(self, state: InstanceState) -> bool:
        """True when the attribute's value is in the object (no load needed)."""
        return self.key in state.dict

    # -- SQL -------------------------------------------------------------------------------------
    def join_condition(self, source_selectable: Any = None, dest_selectable: Any = None) -> Any:
        """The ON clause from the parent to the target (for many-to-many, the primaryjoin and
        the secondaryjoin ANDed: join the ``secondary`` table too), with the parent's columns
        taken from ``source_selectable`` and the target's from ``dest_selectable`` when given
        (aliases, subqueries)."""
        from sqlwright.sql.expression import and_

        self._ensure()
        primary = _adapt(self, self.primaryjoin, source_selectable, dest_selectable)
        if self.secondary is None:
            return primary
        secondary = _adapt(self, self.secondaryjoin, source_selectable, dest_selectable,
                           secondary_side=True)
        return and_(primary, secondary)

    @property
    def local_columns(self) -> set[Any]:
        """Columns of the parent's table(s) taking part in the join."""
        self._ensure()
        return {loc for loc, _r in self.local_remote_pairs}

    def __repr__(self) -> str:
        owner = self.parent.class_.__name__ if self.parent is not None else "?"
        return f"relationship {owner}.{self.key}"

    __str__ = __repr__


class _null_context:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: Any) -> None:
        return None


def _column_key(mapper: Mapper, column: Any) -> str:
    current: Any = mapper
    while current is not None:
        prop = current._columntoproperty.get(column)
        if prop is not None:
            return str(prop.key)
        current = current.inherits
    for sub in _all_mappers_with(mapper):
        prop = sub._columntoproperty.get(column)
        if prop is not None:
            return str(prop.key)
    raise exc.InvalidRequestError(
        f"Column {column} used by a relationship is not mapped by "
        f"{mapper.class_.__name__}; map it (a mapped_column) or fix the join condition")


def _all_mappers_with(mapper: Mapper) -> list[Any]:
    registry = mapper.registry
    return list(registry.mappers) if registry is not None else []


def _lookup_class(prop: RelationshipProperty[Any], name: str) -> Any:
    registry = prop.parent.registry
    classes = registry._class_registry if registry is not None else {}
    text = name.strip()
    if text in classes and isinstance(text, str):
        if text in classes.get("_sw_ambiguous", ()):
            raise exc.InvalidRequestError(
                f"{prop}: the class name {text!r} is mapped more than once in this registry; "
                "pass the class itself (or a lambda returning it)")
        return classes[text]
    if "." in text or "[" in text or "(" in text:
        return _resolve_value(prop, text, "argument")
    known = ", ".join(sorted(k for k in classes if not k.startswith("_sw_"))) or "none"
    raise exc.InvalidRequestError(
        f"{prop}: no mapped class named {text!r} in the registry (known: {known}). Check the "
        "spelling, and define the class before first use (or import its module)")


_STRING_TARGET = re.compile(r"^\s*(?:(?P<outer>[\w.]+)\s*\[)?(?P<body>.*?)\]?\s*$")


def _target_from_annotation(inner: Any) -> tuple[Any, Any]:
    """(target class or name, container type or None) from the type inside ``Mapped[...]``."""
    from sqlwright.orm.decl_scan import _split_optional, _Unresolved

    if isinstance(inner, _Unresolved):
        return _parse_text_annotation(inner.text)
    inner, _optional = _split_optional(inner)
    origin = typing.get_origin(inner)
    if (origin is not None and origin in (list, set, frozenset, dict, tuple)) or \
            origin in (Sequence, Iterable, typing.Collection) if origin is not None else False:
        args = typing.get_args(inner)
        element = args[-1] if args else None
        container = {frozenset: set, tuple: list}.get(origin, origin)
        if container not in (list, set, dict):
            container = list
        return _name_of(element), container
    return _name_of(inner), None


def _name_of(value: Any) -> Any:
    if isinstance(value, typing.ForwardRef):
        return value.__forward_arg__
    if isinstance(value, str):
        return value.strip().strip("'\"")
    from sqlwright.orm.decl_scan import _Unresolved

    if isinstance(value, _Unresolved):
        return value.text.strip().strip("'\"")
    return value


_CONTAINERS = {"list": list, "List": list, "set": set, "Set": set, "dict": dict, "Dict": dict,
               "Sequence": list, "typing.List": list, "typing.Set": set,
               "typing.Dict": dict, "frozenset": set, "FrozenSet": set,
               "Collection": list}


def _parse_text_annotation(text: str) -> tuple[Any, Any]:
    text = text.strip().strip("'\"").strip()
    match = re.fullmatch(r"(?:typing\.)?Optional\[(.*)\]", text)
    if match:
        text = match.group(1).strip()
    text = re.sub(r"\s*\|\s*None$", "", text).strip().strip("'\"")
    match = re.fullmatch(r"([\w.]+)\[(.*)\]", text)
    if match and match.group(1) in _CONTAINERS:
        element = match.group(2).split(",")[-1].strip().strip("'\"")
        return element, _CONTAINERS[match.group(1)]
    return text, None


# -- configuration -------------------------------------------------------------------------------
_pending: list[RelationshipProperty[Any]] = []


def configure_mappers() -> None:
    """Set up every relationship declared so far (targets, join conditions, backrefs).

    Runs by itself on first use; a relationship that cannot be set up raises when it is
    used, naming what is wrong."""
    while _pending:
        prop = _pending.pop(0)
        if prop._is_set_up:
            continue
        try:
            prop._setup()
        except Exception as err:  # reported when this relationship is used
            prop._setup_error = err
    _remove_configure_hook()


def _before_instance() -> None:
    if _pending:
        configure_mappers()


def _install_configure_hook() -> None:
    from sqlwright.orm import mapper as mapper_mod

    hooks = getattr(mapper_mod, "before_instance_hooks", None)
    if hooks is not None and _before_instance not in hooks:
        hooks.append(_before_instance)


def _remove_configure_hook() -> None:
    from sqlwright.orm import mapper as mapper_mod

    hooks = getattr(mapper_mod, "before_instance_hooks", None)
    if hooks is not None and _before_instance in hooks:
        hooks.remove(_before_instance)


# -- the declarative form --------------------------------------------------------------------------
class Relationship(RelationshipProperty[_T], _DeclarativeMapped[_T]):
    """What :func:`relationship` returns: a RelationshipProperty that is also ``Mapped``."""

    def __init__(self, *args: Any, dataclass_args: _DataclassArgs | None = None,
                 **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.dataclass_args = dataclass_args or _DataclassArgs()


def relationship(
    argument: Any = None,
    secondary: Any = None,
    *,
    uselist: bool | None = None,
    collection_class: Any = None,
    primaryjoin: Any = None,
    secondaryjoin: Any = None,
    back_populates: str | None = None,
    backref: Any = None,
    foreign_keys: Any = None,
    remote_side: Any = None,
    order_by: Any = False,
    cascade: str = "save-update, merge",
    lazy: str | bool | None = "select",
    viewonly: bool = False,
    passive_deletes: bool | str = False,
    passive_updates: bool = True,
    post_update: bool = False,
    single_parent: bool = False,
    innerjoin: bool = False,
    join_depth: int | None = None,
    overlaps: str | None = None,
    sync_backref: bool | None = None,
    active_history: bool = False,
    enable_typechecks: bool = True,
    omit_join: Any = None,
    distinct_target_key: Any = None,
    info: dict[str, Any] | None = None,
    doc: str | None = None,
    init: Any = NO_ARG,
    repr: Any = NO_ARG,  # noqa: A002 - the dataclass field option is named repr
    default: Any = NO_ARG,
    default_factory: Any = NO_ARG,
    compare: Any = NO_ARG,
    kw_only: Any = NO_ARG,
) -> Relationship[Any]:
    """A link to another mapped class: ``posts: Mapped[List["Post"]] = relationship(
    back_populates="author")``.

    ``argument`` is the target (class, class name, or lambda; taken from the annotation when
    omitted); ``secondary`` a many-to-many association Table (or its name). ``uselist`` is
    False for a scalar (also inferred from a non-collection annotation); ``back_populates``
    names the reverse relationship, ``backref`` creates it. ``foreign_keys``,
    ``primaryjoin``, ``secondaryjoin`` and ``remote_side`` settle ambiguous joins and
    self-referential ones. ``cascade`` lists what session operations follow the link;
    ``lazy`` picks the loader strategy.
    """
    dataclass_args = _DataclassArgs(init=init, repr=repr, default=default,
                                    default_factory=default_factory, compare=compare,
                                    kw_only=kw_only)
    return Relationship(
        argument, secondary, uselist=uselist, collection_class=collection_class,
        primaryjoin=primaryjoin, secondaryjoin=secondaryjoin, back_populates=back_populates,
        backref=backref, foreign_keys=foreign_keys, remote_side=remote_side,
        order_by=order_by, cascade=cascade, lazy=lazy, viewonly=viewonly,
        passive_deletes=passive_deletes, passive_updates=passive_updates,
        post_update=post_update, single_parent=single_parent, innerjoin=innerjoin,
        join_depth=join_depth, overlaps=overlaps, sync_backref=sync_backref,
        active_history=active_history, enable_typechecks=enable_typechecks,
        omit_join=omit_join, distinct_target_key=distinct_target_key, info=info, doc=doc,
        dataclass_args=dataclass_args)


def backref(name: str, **kwargs: Any) -> tuple[str, dict[str, Any]]:
    """``relationship("User", backref=backref("posts", lazy="selectin"))``: the reverse
    relationship's name and options."""
    return (name, kwargs)


def with_parent(instance: object, prop: Any, from_entity: Any = None) -> Any:
    """Criterion for the objects related to ``instance`` through ``prop``:
    ``select(Post).where(with_parent(user, User.posts))``."""
    from sqlwright.sql.elements import bindparam

    rel: Any = instance_state(instance).mapper.get_property(prop) if isinstance(
        prop, str) else getattr(prop, "prop", prop)
    if not getattr(rel, "_is_relationship", False):
        raise exc.ArgumentError(
            f"with_parent() needs a relationship attribute such as User.posts, not {prop!r}")
    rel._ensure()
    state = instance_state(instance)
    binds: dict[int, Any] = {}
    for local, _remote in rel.local_remote_pairs:
        binds[id(local)] = bindparam(None, unique=True, type_=getattr(local, "type", None),
                                     callable_=_value_getter(rel, state, local))
    criterion = rel._criterion_with(binds)
    if from_entity is not None:
        criterion = _adapt(rel, criterion, None, _selectable_of(from_entity))
    return criterion


def _value_getter(prop: RelationshipProperty[Any], state: InstanceState,
                  column: Any) -> Callable[[], Any]:
    def value() -> Any:
        return prop._local_value(state, column)
    return value


def warn_multiple(prop: RelationshipProperty[Any]) -> None:
    """A scalar relationship matched several rows: keep the first, warn."""
    import warnings

    warnings.warn(f"{prop} is scalar (uselist=False) but matched several rows; using the "
                  "first. Add uselist=True or a unique constraint", stacklevel=3)
