"""Planning eager loads into an ORM select and turning its rows into object graphs.

:func:`plan_entity` decides, for one entity of a select, which columns it loads (``defer`` /
``load_only`` options), which relationships are joined into the same SELECT (``joinedload``,
``contains_eager``, ``lazy="joined"``), which are loaded after the rows (``selectinload``,
``subqueryload``) and which objects get per-query lazy-loading overrides (``raiseload``,
``noload``, ``lazyload``). :class:`RowLoader` builds the objects of one result and fills the
eagerly loaded attributes once all rows (or a ``yield_per`` batch) are processed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.orm import loading, nplusone, strategies
from sqlwright.orm.base import STATE_ATTR

if TYPE_CHECKING:
    from sqlwright.orm.session import Session
    from sqlwright.orm.strategy_options import LoadNode

__all__ = ["EntityPlan", "PlanBuilder", "RowLoader"]


class EntityPlan:
    """How one entity (at one path) of an ORM select becomes objects.

    ``positions`` index the row for the attribute ``keys``; ``joined`` lists
    ``(relationship, EntityPlan)`` filled from the same row; ``post`` lists
    ``(relationship, strategy name, LoadNode)`` run after the rows; ``overrides`` are the
    ``(key, strategy)`` pairs stored as the objects' ``load_options``.
    """

    def __init__(self, mapper: Any, keys: list[str], positions: list[int],
                 node: LoadNode | None, is_root: bool) -> None:
        self.mapper = mapper
        self.keys = keys
        self.positions = positions
        self.node = node
        self.is_root = is_root
        self.joined: list[tuple[Any, EntityPlan]] = []
        self.post: list[tuple[Any, str, LoadNode | None]] = []
        self.overrides: tuple[tuple[str, str], ...] = ()
        self.lazy_nodes: dict[str, LoadNode] = {}
        self.raise_columns = node.raise_columns(keys) if node is not None else frozenset()

    def joined_collections(self) -> list[Any]:
        """Relationships loaded as joined collections anywhere below this plan."""
        found = []
        for prop, child in self.joined:
            if prop.uselist:
                found.append(prop)
            found.extend(child.joined_collections())
        return found

    def needs_buffer(self) -> bool:
        """True when objects are complete only after all rows were seen."""
        return bool(self.joined or self.post)

    def remap(self, moved: dict[int, int]) -> None:
        """Apply new row positions (see :meth:`PlanBuilder.eager_last`)."""
        self.positions = [moved[i] for i in self.positions]
        for _prop, child in self.joined:
            child.remap(moved)


class PlanBuilder:
    """Collects the columns, joins and ORDER BY additions of one ORM select."""

    def __init__(self) -> None:
        self.columns: list[Any] = []
        self.eager: list[bool] = []
        self.joins: list[tuple[Any, Any, Any, bool]] = []
        self.order_by: list[Any] = []

    def add_columns(self, exprs: Sequence[Any], eager: bool = False) -> list[int]:
        """Append columns (``eager``: of an eagerly loaded relationship); returns their
        positions in the row."""
        start = len(self.columns)
        self.columns.extend(exprs)
        self.eager.extend([eager] * len(exprs))
        return list(range(start, start + len(exprs)))

    def base_columns(self) -> list[Any]:
        """The columns of the statement's own entities and values."""
        return [c for c, eager in zip(self.columns, self.eager) if not eager]

    def eager_last(self) -> dict[int, int]:
        """Reorder the columns so eager ones come last; returns old -> new positions."""
        order = [i for i, e in enumerate(self.eager) if not e] + \
            [i for i, e in enumerate(self.eager) if e]
        self.columns = [self.columns[i] for i in order]
        self.eager = [self.eager[i] for i in order]
        return {old: new for new, old in enumerate(order)}


def _entity_columns(mapper: Any, node: LoadNode | None, selectable: Any
                    ) -> list[tuple[str, Any]]:
    keys = node.column_keys() if node is not None else None
    if keys is not None:
        poly = getattr(mapper, "_polymorphic_key", None)
        if poly is not None and poly not in keys:
            keys.append(poly)
    loadable = loading.loadable_columns(mapper, keys)
    if selectable is None:
        return loadable
    out = []
    for key, expr in loadable:
        adapted = selectable.corresponding_column(expr)
        if adapted is not None:
            out.append((key, adapted))
    return out


def plan_entity(builder: PlanBuilder, mapper: Any, node: LoadNode | None, *,
                selectable: Any = None, loadable: list[tuple[str, Any]] | None = None,
                path: tuple[Any, ...] = (), outer: bool = False, is_root: bool = True
                ) -> EntityPlan:
    """Plan one entity: its columns (from ``selectable`` when it is an alias; ``loadable``
    when the caller already chose them) and its relationships' strategies."""
    if loadable is None:
        loadable = _entity_columns(mapper, node, selectable)
    positions = builder.add_columns([expr for _k, expr in loadable], eager=not is_root)
    plan = EntityPlan(mapper, [k for k, _e in loadable], positions, node, is_root)
    parent_from = selectable if selectable is not None else mapper.local_table
    overrides = []
    path = (*path, mapper)
    for prop in _relationships(mapper):
        given = node.strategy_for(prop) if node is not None else None
        name, opts = given if given is not None else (prop.lazy, {})
        child_node = node.children.get(prop.key) if node is not None else None
        if name == "joined":
            if given is None and not _may_join_again(prop, path):
                continue
            _plan_joined(builder, plan, prop, parent_from, child_node, opts, path, outer)
        elif name == "contains_eager":
            target = _contains_eager_from(prop, opts)
            child = plan_entity(builder, prop.mapper, child_node, selectable=target,
                                path=path, outer=outer, is_root=False)
            plan.joined.append((prop, child))
        elif name in strategies.POST_LOAD_STRATEGIES:
            plan.post.append((prop, name, child_node))
        else:
            if given is not None and name in ("select", "raise", "raise_on_sql", "noload"):
                overrides.append((prop.key, name))
            if child_node is not None:
                plan.lazy_nodes[prop.key] = child_node
    plan.overrides = tuple(overrides)
    return plan


def _relationships(mapper: Any) -> list[Any]:
    rels = getattr(mapper, "relationships", None)
    if not rels:
        return []
    try:
        from sqlwright.orm.relationships import configure_mappers
    except ImportError:  # pragma: no cover - relationships ship with the ORM
        return []
    configure_mappers()
    return list(rels.values())


def _may_join_again(prop: Any, path: tuple[Any, ...]) -> bool:
    """Configured joined loads stop at a cycle unless ``join_depth`` allows more levels."""
    depth = getattr(prop, "join_depth", None)
    seen = sum(1 for m in path if m is prop.mapper)
    if depth:
        return seen <= depth
    return seen == 0


def _contains_eager_from(prop: Any, opts: Any) -> Any:
    alias = opts.get("alias")
    if alias is None:
        return None
    element = alias.__clause_element__() if hasattr(alias, "__clause_element__") else alias
    original = getattr(element, "_deannotate", None)
    selectable = original() if original is not None else element
    return None if selectable is prop.mapper.local_table else selectable


def _plan_joined(builder: PlanBuilder, plan: EntityPlan, prop: Any, parent_from: Any,
                 node: LoadNode | None, opts: Any, path: tuple[Any, ...], outer: bool) -> None:
    innerjoin = opts.get("innerjoin", getattr(prop, "innerjoin", False))
    isouter = outer or not innerjoin
    target = prop.mapper.local_table
    alias = target.alias()
    parent_table = prop.parent.local_table
    parent_map: dict[int, Any] = {}
    if parent_from is not parent_table:
        only = prop.local_columns if target is parent_table else None
        parent_map = strategies.table_to_alias(parent_table, parent_from, only)
    if prop.secondary is not None:
        secondary = prop.secondary.alias()
        sec_map = strategies.table_to_alias(prop.secondary, secondary)
        first = strategies.adapt_columns(prop.primaryjoin,
                                         strategies.column_replacer({**parent_map, **sec_map}))
        target_map = {**sec_map, **strategies.table_to_alias(target, alias)}
        second = strategies.adapt_columns(prop.secondaryjoin,
                                          strategies.column_replacer(target_map))
        builder.joins.append((parent_from, secondary, first, isouter))
        builder.joins.append((secondary, alias, second, isouter))
    else:
        only = prop.remote_side if target is parent_table else None
        target_map = strategies.table_to_alias(target, alias, only)
        onclause = strategies.adapt_columns(
            prop.primaryjoin, strategies.column_replacer({**parent_map, **target_map}))
        builder.joins.append((parent_from, alias, onclause, isouter))
    if prop.uselist and prop.order_by:
        replace = strategies.column_replacer(strategies.table_to_alias(target, alias))
        builder.order_by.extend(strategies.adapt_columns(o, replace) for o in prop.order_by)
    child = plan_entity(builder, prop.mapper, node, selectable=alias, path=path,
                        outer=isouter, is_root=False)
    plan.joined.append((prop, child))


def apply_joins(builder: PlanBuilder, core: Any) -> Any:
    """``core`` with the planned eager joins and ORDER BY additions."""
    for left, right, onclause, isouter in builder.joins:
        core = core.join_from(left, right, onclause, isouter=isouter)
    if builder.order_by:
        core = core.order_by(*builder.order_by)
    return core


class RowLoader:
    """Builds the objects of one result, then fills eagerly loaded attributes
    (:meth:`finish`, after all rows or after each ``yield_per`` batch)."""

    def __init__(self, session: Session, populate_existing: bool,
                 parent_statement: Any = None) -> None:
        self.session = session
        self.populate_existing = populate_existing
        self.parent_statement = parent_statement
        self._loaders: dict[int, loading.EntityLoader] = {}
        self._processors: dict[int, Callable[[Sequence[Any]], tuple[Any, bool]]] = {}
        self._collected: dict[tuple[int, str], list[Any]] = {}
        self._post: dict[int, tuple[EntityPlan, list[Any], set[int]]] = {}
        self._batches: dict[int, Any] | None = {} if nplusone.is_active(session) else None

    def _loader(self, plan: EntityPlan) -> loading.EntityLoader:
        loader = self._loaders.get(id(plan))
        if loader is None:
            loader = loading.EntityLoader(self.session, plan.mapper, plan.keys,
                                          populate_existing=self.populate_existing)
            self._loaders[id(plan)] = loader
        return loader

    def _processor(self, plan: EntityPlan) -> Callable[[Sequence[Any]], tuple[Any, bool]]:
        processor = self._processors.get(id(plan))
        if processor is None:
            processor = self._loader(plan).row_processor(plan.positions, flagged=True)
            self._processors[id(plan)] = processor
        return processor

    def builder(self, plan: EntityPlan) -> Callable[[Sequence[Any]], Any]:
        """The function of one row returning the object of ``plan`` (see :meth:`make`),
        chosen once per result: a plan with nothing beyond its columns gets the entity
        loader's row processor itself."""
        if self._batches is None and not (plan.joined or plan.post or plan.overrides
                                          or plan.lazy_nodes or plan.raise_columns):
            return self._loader(plan).row_processor(plan.positions)
        make = self.make
        return lambda row: make(plan, row)

    def make(self, plan: EntityPlan, row: Sequence[Any]) -> Any:
        """The object of ``plan`` in ``row`` (None for an all-NULL primary key)."""
        obj, fresh = self._processor(plan)(row)
        if obj is None:
            return None
        if self._batches is not None and plan.is_root:
            batch = self._batches.get(id(plan))
            if batch is None:
                batch = self._batches[id(plan)] = nplusone.new_batch()
            nplusone.tag(loading._instance_state(obj), batch)
        if not (plan.joined or plan.post or plan.overrides or plan.lazy_nodes
                or plan.raise_columns):
            return obj
        state = obj.__dict__.get(STATE_ATTR) or loading._instance_state(obj)
        if fresh and plan.overrides:
            state.load_options = plan.overrides
        if fresh and plan.lazy_nodes:
            strategies.lazy_load_nodes[state] = plan.lazy_nodes
        if fresh and plan.raise_columns:
            loading.raise_on_load[state] = plan.raise_columns
        for prop, child in plan.joined:
            self._add_related(state, prop, self.make(child, row))
        if plan.post:
            entry = self._post.get(id(plan))
            if entry is None:
                entry = self._post[id(plan)] = (plan, [], set())
            if id(state) not in entry[2]:
                entry[2].add(id(state))
                entry[1].append(state)
        return obj

    def _add_related(self, state: Any, prop: Any, target: Any) -> None:
        key = (id(state), prop.key)
        entry = self._collected.get(key)
        if entry is None:
            wanted = self.populate_existing or prop.key not in state.dict
            entry = self._collected[key] = [state, prop, [] if wanted else None, set()]
        items = entry[2]
        if items is not None and target is not None and id(target) not in entry[3]:
            entry[3].add(id(target))
            items.append(target)

    def finish(self) -> None:
        """Fill the joined attributes and run the post-load strategies; then start afresh."""
        collected, self._collected = self._collected, {}
        post, self._post = self._post, {}
        for state, prop, items, _ids in collected.values():
            if items is None:
                continue
            prop._populate(state, items if prop.uselist else (items[0] if items else None))
        for plan, states, _ids in post.values():
            parent_statement = self.parent_statement if plan.is_root else None
            for prop, name, node in plan.post:
                strategies.load_for_states(self.session, prop, name, states, node,
                                           parent_statement, self.populate_existing)


def unique_error(props: list[Any]) -> exc.InvalidRequestError:
    """The error raised when a result with joined collections is fetched without unique()."""
    names = ", ".join(f"{p.parent.class_.__name__}.{p.key}" for p in props)
    return exc.InvalidRequestError(
        f"This result joins the collection(s) {names} into its rows (joinedload), so each "
        "parent comes back once per related row. Call .unique() on the result, e.g. "
        "session.scalars(stmt).unique().all(), or load the collection with selectinload() "
        "instead")
