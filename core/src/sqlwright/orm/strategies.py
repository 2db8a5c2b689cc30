"""Relationship loader strategies other than the default lazy ``"select"`` one.

Each strategy is a class built with the RelationshipProperty (``cls(prop)``) and registered by
name with :func:`sqlwright.orm.relationships.register_strategy`. On attribute access of an
unloaded relationship the relationship calls ``strategy.lazy_load(state)``; eager strategies
fall back to the lazy SELECT there (the object was loaded without the eager option).
Post-load strategies (``selectin``, ``subquery``, ``immediate``) also implement
``load_for_states(session, states, node, parent_statement, populate_existing)``, called by
the ORM select once the rows of a result are turned into objects. ``joined`` and
``contains_eager`` are planned into the statement by :mod:`sqlwright.orm.context`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.orm import nplusone
from sqlwright.orm.relationships import LazyLoader
from sqlwright.sql.elements import ClauseElement
from sqlwright.sql.selectable import select

if TYPE_CHECKING:
    from sqlwright.orm.session import Session

__all__ = [
    "EAGER_STRATEGIES",
    "IN_BATCH_SIZE",
    "POST_LOAD_STRATEGIES",
    "SelectLoader",
    "adapt_columns",
    "lazy_load_nodes",
    "load_for_states",
    "strategy_class",
]

#: How many parents one ``selectinload`` query covers; larger results use several queries.
IN_BATCH_SIZE = 500

#: Strategies that fill the attribute while the query runs.
EAGER_STRATEGIES = frozenset({"joined", "selectin", "subquery", "immediate", "contains_eager"})
#: Strategies that run after the rows of a result became objects.
POST_LOAD_STRATEGIES = frozenset({"selectin", "subquery", "immediate"})


def _registry() -> Any:
    from sqlwright.orm import relationships

    return relationships


def _instance_state(obj: Any) -> Any:
    from sqlwright.orm.base import instance_state

    return instance_state(obj)


def _describe(prop: Any) -> str:
    return f"{prop.parent.class_.__name__}.{prop.key}"


# -- adapting expressions to aliases ------------------------------------------------------------
def adapt_columns(element: Any, replace: Callable[[Any], Any]) -> Any:
    """A copy of ``element`` in which every node for which ``replace(node)`` returns something
    is replaced by that; untouched branches are shared."""
    found = replace(element)
    if found is not None:
        return found
    if not isinstance(element, ClauseElement):
        return element
    new: Any = None
    for attr, kind in element._traverse_internals:
        value = getattr(element, attr, None)
        if value is None:
            continue
        if kind == "clause" and isinstance(value, ClauseElement):
            changed = adapt_columns(value, replace)
            if changed is not value:
                new = new if new is not None else element._clone()
                setattr(new, attr, changed)
        elif kind == "clauses" and isinstance(value, (list, tuple)):
            items = [adapt_columns(v, replace) for v in value]
            if any(a is not b for a, b in zip(items, value)):
                new = new if new is not None else element._clone()
                setattr(new, attr, type(value)(items))
    return new if new is not None else element


def column_replacer(pairs: dict[int, Any]) -> Callable[[Any], Any]:
    """A ``replace`` function for :func:`adapt_columns` mapping columns by identity (annotated
    ORM columns count as their table column)."""
    def replace(node: Any) -> Any:
        found = pairs.get(id(node))
        if found is None and hasattr(node, "_deannotate") and getattr(node, "table", None) \
                is not None:
            found = pairs.get(id(node._deannotate()))
        return found
    return replace


def table_to_alias(table: Any, alias: Any, only: Iterable[Any] | None = None) -> dict[int, Any]:
    """``{id(table column): alias column}`` for every column of ``table`` (or ``only``)."""
    columns = list(only) if only is not None else list(table.c)
    out = {}
    for column in columns:
        match = alias.corresponding_column(column)
        if match is not None:
            out[id(column)] = match
    return out


# -- strategies ---------------------------------------------------------------------------------
class _Strategy:
    """Base: one instance per relationship and strategy name."""

    name = ""

    def __init__(self, prop: Any) -> None:
        self.prop = prop

    def lazy_load(self, state: Any) -> Any:
        """The value on first access of the unloaded attribute (stored on the object)."""
        raise NotImplementedError

    def _lazy_select(self, state: Any) -> Any:
        lazy_cls = _registry().strategy_registry["select"]
        return lazy_cls(self.prop).lazy_load(state)


#: Options to apply when a relationship of an object is lazy loaded later: state -> {key:
#: LoadNode} (``defaultload(User.posts).joinedload(Post.comments)``).
lazy_load_nodes: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


class SelectLoader(LazyLoader):
    """The default ``lazy="select"`` loader, extended with two things: loader options given
    for the attribute's path by the query that loaded the object apply to the lazy load, and
    the N+1 detection hears of each lazy load that emits SQL."""

    def lazy_load(self, state: Any) -> Any:
        prop = self.prop
        if nplusone._batches and state in nplusone._batches \
                and _from_identity_map(prop, state) is _MISSING:
            nplusone.lazy_load_fired(state, prop)
        nodes = lazy_load_nodes.get(state)
        node = nodes.get(prop.key) if nodes else None
        session = state.session
        if node is None or session is None:
            return super().lazy_load(state)
        found = _from_identity_map(prop, state)
        if found is not _MISSING:
            return found
        criterion, params = prop._lazy_criteria(state)
        stmt = _ordered(prop, select(prop.entity).where(criterion).params(**params))
        session._autoflush()
        related = [row[0] for row in _run(session, stmt, node, False)]
        if prop.uselist:
            return related
        return related[0] if related else None


class _EagerFallback(_Strategy):
    """An eager strategy: the query fills the attribute; when an object was loaded some other
    way (``session.get``, a query without the option) the first access loads it lazily."""

    def lazy_load(self, state: Any) -> Any:
        return self._lazy_select(state)


class JoinedLoader(_EagerFallback):
    """``lazy="joined"``: LEFT OUTER JOIN in the parent's SELECT (planned by the context)."""

    name = "joined"


class ContainsEagerLoader(_EagerFallback):
    """``contains_eager()``: columns of a JOIN the statement already has."""

    name = "contains_eager"


class SelectInLoader(_EagerFallback):
    """``lazy="selectin"``: one SELECT ... WHERE key IN (...) per 500 parents."""

    name = "selectin"

    def load_for_states(self, session: Session, states: Sequence[Any], node: Any,
                        parent_statement: Any, populate_existing: bool) -> None:
        """Load the attribute of every state in ``states`` (one query per batch)."""
        if not _simple_join(self.prop):
            for state in states:
                _populate_one(self.prop, state, _lazy_value(self.prop, state))
            return
        keyed = _keys_of(self.prop, states)
        wanted = sorted({k for _s, k in keyed if k is not None}, key=_sort_key)
        found: dict[tuple[Any, ...], list[Any]] = {}
        for start in range(0, len(wanted), IN_BATCH_SIZE):
            batch = wanted[start:start + IN_BATCH_SIZE]
            stmt, width = _selectin_statement(self.prop, batch)
            _collect(found, _run(session, stmt, node, populate_existing), width)
        _populate_all(self.prop, keyed, found)


class SubqueryLoader(_EagerFallback):
    """``lazy="subquery"``: one SELECT joined to the parent query, run as a subquery."""

    name = "subquery"

    def load_for_states(self, session: Session, states: Sequence[Any], node: Any,
                        parent_statement: Any, populate_existing: bool) -> None:
        """Load the attribute of every state in ``states`` with one query."""
        if parent_statement is None or not _simple_join(self.prop) \
                or not hasattr(parent_statement, "with_only_columns"):
            SelectInLoader(self.prop).load_for_states(session, states, node, None,
                                                      populate_existing)
            return
        keyed = _keys_of(self.prop, states)
        stmt, width = _subquery_statement(self.prop, parent_statement)
        found: dict[tuple[Any, ...], list[Any]] = {}
        _collect(found, _run(session, stmt, node, populate_existing), width)
        _populate_all(self.prop, keyed, found)


class ImmediateLoader(_EagerFallback):
    """``lazy="immediate"``: a lazy SELECT per object, right after the query."""

    name = "immediate"

    def load_for_states(self, session: Session, states: Sequence[Any], node: Any,
                        parent_statement: Any, populate_existing: bool) -> None:
        """Load the attribute of each state with its own SELECT."""
        for state in states:
            _populate_one(self.prop, state, _lazy_value(self.prop, state))


class RaiseLoader(_Strategy):
    """``lazy="raise"`` / ``raiseload()``: reading the unloaded attribute raises."""

    name = "raise"
    sql_only = False

    def lazy_load(self, state: Any) -> Any:
        if self.sql_only:
            found = _from_identity_map(self.prop, state)
            if found is not _MISSING:
                _populate_one(self.prop, state, found)
                return state.dict.get(self.prop.key)
        target = self.prop.mapper.class_.__name__
        how = "raiseload(sql_only=True) / lazy='raise_on_sql'" if self.sql_only else \
            "raiseload() / lazy='raise'"
        raise exc.InvalidRequestError(
            f"'{_describe(self.prop)}' is not available due to {how}: it was not loaded and "
            f"lazy loading is disabled for it. Load it with the query: "
            f".options(selectinload({_describe(self.prop)})) or "
            f"joinedload({_describe(self.prop)}) (related class {target})")


class RaiseOnSQLLoader(RaiseLoader):
    """``lazy="raise_on_sql"``: many-to-one hits of the identity map are fine, SQL raises."""

    name = "raise_on_sql"
    sql_only = True


class NoLoader(_Strategy):
    """``lazy="noload"`` / ``noload()``: the attribute reads as empty (or None), no SQL."""

    name = "noload"

    def lazy_load(self, state: Any) -> Any:
        _populate_one(self.prop, state, [] if self.prop.uselist else None)
        return state.dict.get(self.prop.key)


class WriteOnlyLoader(_Strategy):
    """``lazy="write_only"``: the attribute is a :class:`WriteOnlyCollection`."""

    name = "write_only"

    def lazy_load(self, state: Any) -> Any:
        from sqlwright.orm.writeonly import WriteOnlyCollection

        return WriteOnlyCollection(self.prop, state)


class DynamicLoader(_Strategy):
    """``lazy="dynamic"``: the attribute is an :class:`AppenderQuery`."""

    name = "dynamic"

    def lazy_load(self, state: Any) -> Any:
        from sqlwright.orm.writeonly import AppenderQuery

        return AppenderQuery(self.prop, state)


_STRATEGIES: dict[str, type[_Strategy]] = {
    cls.name: cls for cls in (JoinedLoader, ContainsEagerLoader, SelectInLoader,
                              SubqueryLoader, ImmediateLoader, RaiseLoader, RaiseOnSQLLoader,
                              NoLoader, WriteOnlyLoader, DynamicLoader)
}


def strategy_class(name: str) -> type[Any]:
    """The strategy class registered as ``name`` (``"select"`` is the relationship's own)."""
    if name in _STRATEGIES:
        return _STRATEGIES[name]
    registry = _registry().strategy_registry
    if name not in registry:
        known = ", ".join(sorted({*_STRATEGIES, *registry}))
        raise exc.ArgumentError(f"Unknown loader strategy {name!r}; the strategies are: {known}")
    return registry[name]


def load_for_states(session: Session, prop: Any, name: str, states: Sequence[Any], node: Any,
                    parent_statement: Any, populate_existing: bool) -> None:
    """Run post-load strategy ``name`` of ``prop`` for ``states`` (those not loaded yet).
    For ``"selectin_polymorphic"``, ``prop`` is the :class:`PolymorphicSelectInLoader`."""
    todo = [s for s in states if populate_existing or prop.key not in s.dict]
    if not todo:
        return
    loader: Any = prop if name == PolymorphicSelectInLoader.name else _STRATEGIES[name](prop)
    loader.load_for_states(session, todo, node, parent_statement, populate_existing)


# -- inheritance: subclass columns of a query of a base class -------------------------------------
class PolymorphicSelectInLoader:
    """Loads, after a query of ``mapper`` (a base class), the columns of the subclass
    objects it returned that the query did not select: one ``SELECT ... WHERE pk IN (...)``
    per subclass (``selectin_polymorphic()`` / ``polymorphic_load="selectin"``).

    It stands in a plan's post-load list where a relationship would; ``key`` is never an
    attribute name, so no object counts as already loaded."""

    name = "selectin_polymorphic"
    key = "<selectin_polymorphic>"

    def __init__(self, mapper: Any, loaded: Sequence[str], enabled: Iterable[Any]) -> None:
        self.mapper = mapper
        self.loaded = frozenset(loaded)
        self.enabled = frozenset(enabled)

    def _applies(self, mapper: Any) -> bool:
        current = mapper
        while current is not None and current is not self.mapper:
            if current in self.enabled:
                return True
            current = current.inherits
        return False

    def load_for_states(self, session: Session, states: Sequence[Any], node: Any,
                        parent_statement: Any, populate_existing: bool) -> None:
        """Load the missing subclass columns of ``states``, one query per subclass."""
        by_mapper: dict[Any, list[Any]] = {}
        for state in states:
            if state.key is not None and state.mapper is not self.mapper \
                    and self._applies(state.mapper):
                by_mapper.setdefault(state.mapper, []).append(state)
        for mapper, group in by_mapper.items():
            _load_subclass_columns(session, mapper, group, self.loaded, populate_existing)


def _load_subclass_columns(session: Session, mapper: Any, states: list[Any],
                           loaded: frozenset[str], populate_existing: bool) -> None:
    from sqlwright.orm.loading import loadable_columns

    wanted = [k for k, _e in loadable_columns(mapper) if k not in loaded]
    if not wanted:
        return
    todo = {s.key[1]: s for s in states
            if populate_existing or s.expired_attributes.intersection(wanted)}
    if not todo:
        return
    pk = list(mapper.primary_key)
    pk_keys = [mapper._columntoproperty[c].key for c in pk]
    columns = loadable_columns(mapper, [*pk_keys, *wanted])
    keys = [k for k, _e in columns]
    pk_positions = [keys.index(k) for k in pk_keys]
    base = select(*[expr for _k, expr in columns]).select_from(mapper.persist_selectable)
    idents = sorted(todo, key=_sort_key)
    connection = session.connection()
    for start in range(0, len(idents), IN_BATCH_SIZE):
        batch = idents[start:start + IN_BATCH_SIZE]
        for row in connection.execute(base.where(_in_criterion(pk, batch))):
            state = todo.get(tuple(row[i] for i in pk_positions))
            if state is None:
                continue
            refresh = populate_existing
            state._set_loaded({
                k: v for k, v in zip(keys, row)
                if k in wanted and k not in state.committed_state
                and (refresh or k in state.expired_attributes)})


def _subclasses(mapper: Any) -> list[Any]:
    return [m for m in mapper.self_and_descendants if m is not mapper and not m.concrete]


def _with_polymorphic_mappers(mapper: Any) -> list[Any]:
    """The subclasses named by the mapper-level ``with_polymorphic`` argument."""
    from sqlwright.orm.base import class_mapper

    given = getattr(mapper, "with_polymorphic", None)
    if not given:
        return []
    if isinstance(given, tuple) and len(given) == 2 and not _is_mapped(given[1]):
        if given[1] is not None:
            raise exc.ArgumentError(
                f"with_polymorphic=({given[0]!r}, <selectable>) in the mapper arguments of "
                f"{mapper.class_.__name__} is not supported; use with_polymorphic=\"*\" (or a "
                "list of subclasses), or with_polymorphic(Base, [...], selectable) in the query")
        given = given[0]
    if given == "*":
        return _subclasses(mapper)
    found = []
    for entry in given if isinstance(given, (list, tuple)) else [given]:
        if not (_is_mapped(entry) or getattr(entry, "is_mapper", False)):
            raise exc.ArgumentError(
                f"with_polymorphic of {mapper.class_.__name__}: {entry!r} is not a mapped "
                "class; give \"*\" (every subclass) or a list of mapped subclasses")
        found.append(entry if getattr(entry, "is_mapper", False) else class_mapper(entry))
    for sub in found:
        if sub is mapper or not sub.isa(mapper):
            raise exc.ArgumentError(
                f"with_polymorphic of {mapper.class_.__name__} names "
                f"{sub.class_.__name__}, which is not one of its subclasses; give \"*\" or a "
                "list of subclasses")
    wanted = set(found)
    return [m for m in _subclasses(mapper) if m in wanted]


def _is_mapped(value: Any) -> bool:
    return isinstance(value, type) and hasattr(value, "__mapper__")


def _join_subclass_tables(builder: Any, plan: Any, subs: list[Any]) -> None:
    """Mapper-level ``with_polymorphic``: outer-join the subclass tables to the query and
    select their columns into the entity's row slice. An attribute name that several
    subclasses map to columns of their own tables is read as COALESCE of those columns (a
    row has at most one of the sibling tables joined)."""
    from sqlwright.orm.loading import loadable_columns
    from sqlwright.sql.functions import func

    mapper = plan.mapper
    present = set(mapper.tables)
    joins = []
    for sub in subs:
        for chain in reversed(sub.iterate_to_root):
            table = chain.local_table
            if table not in present and not chain.single:
                present.add(table)
                joins.append((chain.inherit_condition, table))
    taken = set(plan.keys)
    offered: dict[str, list[Any]] = {}
    for sub in subs:
        for key, expr in loadable_columns(sub):
            if key not in taken and getattr(expr, "table", None) in present:
                offered.setdefault(key, [])
                if not any(e is expr for e in offered[key]):
                    offered[key].append(expr)
    extra = [(k, exprs[0] if len(exprs) == 1 else func.coalesce(*exprs).label(k))
             for k, exprs in offered.items()]
    left = mapper.persist_selectable
    for onclause, table in joins:
        builder.joins.append((left, table, onclause, True))
    positions = builder.add_columns([e for _k, e in extra], eager=True)
    plan.keys = [*plan.keys, *(k for k, _e in extra)]
    plan.positions = [*plan.positions, *positions]


def _selectin_mappers(mapper: Any, node: Any) -> list[Any]:
    named = set(getattr(node, "selectin_polymorphic", ()) or ())
    return [m for m in _subclasses(mapper)
            if m in named or getattr(m, "polymorphic_load", None) == "selectin"]


def _plan_polymorphic(builder: Any, plan: Any) -> None:
    mapper = plan.mapper
    if getattr(mapper, "_polymorphic_key", None) in plan.keys and _subclasses(mapper) \
            and getattr(mapper, "_concrete_union", None) is None:  # a union has every column
        tables = [getattr(builder.columns[i], "table", None) for i in plan.positions]
        own_table = all(t is None or t in mapper.tables for t in tables)
        subs = _with_polymorphic_mappers(mapper)
        if subs and plan.is_root and own_table:
            _join_subclass_tables(builder, plan, subs)
        enabled = _selectin_mappers(mapper, plan.node)
        if enabled:
            loader = PolymorphicSelectInLoader(mapper, plan.keys, enabled)
            plan.post.append((loader, loader.name, None))
    for _prop, child in plan.joined:
        _plan_polymorphic(builder, child)


def polymorphic_loading_hook(plan: Any, statement: Any) -> Any:
    """The ``context.entity_loader_hooks`` entry for inheritance loading: mapper-level
    ``with_polymorphic`` joins, and ``selectin_polymorphic`` / ``polymorphic_load="selectin"``
    post-loads of subclass columns."""
    builder = getattr(plan, "builder", None)
    if builder is None:
        return statement
    for entity_plan in plan.entity_plans():
        _plan_polymorphic(builder, entity_plan)
    return statement


# -- helpers of the IN / subquery loaders ---------------------------------------------------------
_MISSING: Any = object()


def _sort_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((v is None, str(type(v)), v) for v in key)


def _simple_join(prop: Any) -> bool:
    """True when the relationship joins on its column pairs only (no extra criteria), so a
    batch can be loaded with ``remote IN (local values)``."""
    from sqlwright.sql.expression import BinaryExpression, BooleanClauseList

    pairs = list(getattr(prop, "local_remote_pairs", None) or [])
    if not pairs:
        return False
    join = prop.primaryjoin
    comparisons = list(join.clauses) if isinstance(join, BooleanClauseList) else [join]
    return len(comparisons) == len(pairs) and all(
        isinstance(c, BinaryExpression) for c in comparisons)


def _local_keys(prop: Any) -> list[str]:
    mapper = prop.parent
    keys = []
    for local, _remote in prop.local_remote_pairs:
        keys.append(mapper.get_property_by_column(local).key)
    return keys


def _keys_of(prop: Any, states: Sequence[Any]) -> list[tuple[Any, tuple[Any, ...] | None]]:
    """``(state, local key values)`` for each state (None when a value is NULL)."""
    keys = _local_keys(prop)
    out: list[tuple[Any, tuple[Any, ...] | None]] = []
    for state in states:
        values = []
        for key in keys:
            if key in state.dict:
                values.append(state.dict[key])
            else:
                obj = state.obj()
                values.append(getattr(obj, key) if obj is not None else None)
        out.append((state, None if any(v is None for v in values) else tuple(values)))
    return out


def _in_criterion(columns: list[Any], keys: list[tuple[Any, ...]]) -> Any:
    from sqlwright.sql.expression import tuple_

    if len(columns) == 1:
        return columns[0].in_([k[0] for k in keys])
    return tuple_(*columns).in_(keys)


def _selectin_statement(prop: Any, keys: list[tuple[Any, ...]]) -> tuple[Any, int]:
    remote = [r for _l, r in prop.local_remote_pairs]
    stmt = select(prop.mapper.class_, *remote)
    if prop.secondary is not None:
        stmt = stmt.join_from(prop.mapper.local_table, prop.secondary, prop.secondaryjoin)
    stmt = stmt.where(_in_criterion(remote, keys))
    return _ordered(prop, stmt), len(remote)


def _subquery_statement(prop: Any, parent_statement: Any) -> tuple[Any, int]:
    from sqlwright.sql.expression import and_

    local = [loc for loc, _r in prop.local_remote_pairs]
    remote = [r for _l, r in prop.local_remote_pairs]
    inner = parent_statement.with_only_columns(*local, maintain_column_froms=True)
    if inner._limit_clause is None and inner._offset_clause is None:
        inner = inner.order_by(None)
    if getattr(inner, "_with_options", None):
        inner._with_options = ()
    sub = inner.subquery()
    sub_cols = list(sub.c)
    stmt = select(prop.mapper.class_, *sub_cols)
    target: Any = prop.mapper.local_table
    if prop.secondary is not None:
        stmt = stmt.join_from(target, prop.secondary, prop.secondaryjoin)
        target = prop.secondary
    stmt = stmt.join_from(target, sub, and_(*[r == s for r, s in zip(remote, sub_cols)]))
    return _ordered(prop, stmt), len(sub_cols)


def _ordered(prop: Any, stmt: Any) -> Any:
    order_by = getattr(prop, "order_by", None)
    if order_by:
        stmt = stmt.order_by(*order_by)
    return stmt


def _run(session: Session, stmt: Any, node: Any, populate_existing: bool) -> list[Any]:
    from sqlwright.orm import context

    return context.run_orm_select(session, stmt, nodes=[node],
                                  populate_existing=populate_existing)


def _collect(found: dict[tuple[Any, ...], list[Any]], rows: list[Any], width: int) -> None:
    for row in rows:
        obj = row[0]
        key = tuple(row[1:1 + width])
        bucket = found.setdefault(key, [])
        if not any(existing is obj for existing in bucket):
            bucket.append(obj)


def _populate_all(prop: Any, keyed: list[tuple[Any, tuple[Any, ...] | None]],
                  found: dict[tuple[Any, ...], list[Any]]) -> None:
    for state, key in keyed:
        related = found.get(key, []) if key is not None else []
        if prop.uselist:
            _populate_one(prop, state, list(related))
        else:
            _populate_one(prop, state, related[0] if related else None)


def _populate_one(prop: Any, state: Any, value: Any) -> None:
    prop._populate(state, value)


def _lazy_value(prop: Any, state: Any) -> Any:
    lazy_cls = _registry().strategy_registry["select"]
    value = lazy_cls(prop).lazy_load(state)
    if prop.key in state.dict:
        value = state.dict[prop.key]
    if prop.uselist:
        return list(value) if value is not None else []
    return value


def _from_identity_map(prop: Any, state: Any) -> Any:
    """The many-to-one target of ``state`` when the identity map has it, else _MISSING."""
    if prop.direction != "MANYTOONE" or prop.secondary is not None:
        return _MISSING
    session = state.session
    if session is None:
        return _MISSING
    values = []
    for key in _local_keys(prop):
        if key not in state.dict:
            return _MISSING
        values.append(state.dict[key])
    if any(v is None for v in values):
        return None
    remote_keys = [prop.mapper.get_property_by_column(r).key for _l, r in prop.local_remote_pairs]
    pk_keys = prop.mapper._pk_attr_keys()
    if sorted(remote_keys) != sorted(pk_keys):
        return _MISSING
    by_key = dict(zip(remote_keys, values))
    ident = prop.mapper.identity_key_from_primary_key(tuple(by_key[k] for k in pk_keys))
    found = session.identity_map._state_for(ident)
    if found is None:
        return _MISSING
    return found.obj()


def _register() -> None:
    registry = _registry()
    for name, cls in _STRATEGIES.items():
        registry.register_strategy(name, cls)
    registry.register_strategy("select", SelectLoader)


_register()
