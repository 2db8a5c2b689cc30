"""Executing statements in a Session: ORM selects, ``from_statement()`` and ORM-enabled DML.

A ``select()`` whose columns include a mapped entity (``select(User)``, ``select(User, Post)``)
is run as Core SQL; each row is then turned into a tuple in which every entity's columns became
one object (through the identity map) and plain columns stay values. Entities are recognised
by the ``parententity`` annotation their clause elements carry, never by class checks. Loader
options (issue 7) plug in through :data:`entity_loader_hooks`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.engine.result import (
    IteratorResult,
    MappingResult,
    ResultMetaData,
    ScalarResult,
)
from sqlwright.orm import eagerloading, loading
from sqlwright.sql.elements import ClauseElement

if TYPE_CHECKING:
    from sqlwright.engine.result import Result
    from sqlwright.orm.session import Session

__all__ = ["FromStatement", "ORMResultPlan", "entity_loader_hooks", "execute"]

#: ``hook(plan, statement)`` callables run when an ORM select is planned; loader options and
#: strategies (relationships) adjust the plan or the statement here and return the statement.
entity_loader_hooks: list[Callable[[ORMResultPlan, Any], Any]] = []

_SYNC_CHOICES = ("auto", "evaluate", "fetch", False, None)


def _entity_mapper(element: Any) -> Any:
    annotations = getattr(element, "_annotations", None)
    if not annotations:
        return None
    return annotations.get("parententity")


def _is_entity(element: Any) -> bool:
    return _entity_mapper(element) is not None and hasattr(element, "c") \
        and not hasattr(element, "type")


class _Item:
    """One output column of an ORM result: an entity (-> object) or a plain column."""

    def __init__(self, name: str, width: int, mapper: Any = None,
                 keys: Sequence[str] = (), extra: Sequence[Any] = (),
                 entity_plan: Any = None, index: int = -1) -> None:
        self.name = name
        self.width = width
        self.mapper = mapper
        self.keys = list(keys)
        self.extra = list(extra)
        self.entity_plan = entity_plan
        self.index = index


class ORMResultPlan:
    """How the columns of an executed statement become entities and values."""

    def __init__(self, items: list[_Item], columns: list[Any], rewrite: bool,
                 builder: eagerloading.PlanBuilder | None = None) -> None:
        self.items = items
        self.columns = columns
        self.rewrite = rewrite
        self.builder = builder
        #: the Core statement before eager columns and joins (what subqueryload re-runs)
        self.base_statement: Any = None

    def entity_plans(self) -> list[eagerloading.EntityPlan]:
        """The plans of the selected entities."""
        return [i.entity_plan for i in self.items if i.entity_plan is not None]

    def joined_collections(self) -> list[Any]:
        """Relationships loaded as joined collections (the result then needs unique())."""
        return [p for plan in self.entity_plans() for p in plan.joined_collections()]

    def needs_buffer(self) -> bool:
        """True when objects are complete only after all rows were processed."""
        return any(plan.needs_buffer() for plan in self.entity_plans())

    def builders(self, rows: eagerloading.RowLoader) -> list[Callable[[Sequence[Any]], Any]]:
        """One callable per output column turning a row into that column's value."""
        out: list[Callable[[Sequence[Any]], Any]] = []
        for item in self.items:
            if item.entity_plan is not None:
                out.append(_entity_builder(rows, item.entity_plan))
            else:
                out.append(_value_builder(item.index))
        return out

    def metadata(self) -> ResultMetaData:
        return ResultMetaData([item.name for item in self.items],
                              extra_keys=[item.extra for item in self.items])


def _entity_builder(rows: eagerloading.RowLoader, plan: eagerloading.EntityPlan
                    ) -> Callable[[Sequence[Any]], Any]:
    return rows.builder(plan)


def _column_name(element: Any, position: int) -> str:
    for attr in ("key", "name"):
        value = getattr(element, attr, None)
        if isinstance(value, str):
            return value
    return f"column_{position}"


def _entity_selectable(raw: Any, mapper: Any) -> Any:
    """The FROM object an entity's columns come from, when it is not the mapper's table (an
    alias of the entity); None otherwise."""
    original = raw._deannotate() if hasattr(raw, "_deannotate") else raw
    if original is mapper.local_table or original is getattr(mapper, "persist_selectable", None):
        return None
    return original


def _eager_columns_last(builder: eagerloading.PlanBuilder, items: list[_Item]) -> None:
    """Move the eager loads' columns after the statement's own (so the statement can be
    rewritten without them first) and update every position."""
    moved = builder.eager_last()
    for item in items:
        if item.entity_plan is not None:
            item.entity_plan.remap(moved)
        else:
            item.index = moved[item.index]


def plan_select(statement: Any, nodes: Sequence[Any] | None = None
                ) -> tuple[ORMResultPlan, Any] | None:
    """The plan for a Select with entities, and the Core statement to run; None when the
    statement selects no entity (it then runs as plain Core). ``nodes`` (one LoadNode or None
    per selected entity) replace the statement's loader options."""
    from sqlwright.orm import strategy_options

    raw_columns = getattr(statement, "_raw_columns", None)
    if raw_columns is None or not any(_is_entity(raw) for raw in raw_columns):
        return None
    options = tuple(getattr(statement, "_with_options", ()))
    mappers = [_entity_mapper(raw) for raw in raw_columns if _is_entity(raw)]
    if options and nodes is None:
        strategy_options.check_roots(mappers, options)
    builder = eagerloading.PlanBuilder()
    items: list[_Item] = []
    entity_number = 0
    for position, raw in enumerate(raw_columns):
        if not _is_entity(raw):
            index = builder.add_columns([raw])[0]
            items.append(_Item(_column_name(raw, position), 1, extra=(raw,), index=index))
            continue
        mapper = _entity_mapper(raw)
        if nodes is not None:
            node = nodes[entity_number] if entity_number < len(nodes) else None
        else:
            node = strategy_options.build_tree(mapper, options) if options else None
        entity_number += 1
        columns_for = raw._annotations.get("sw_entity_columns")  # INHERIT: aliases
        loadable = columns_for() if columns_for is not None else None
        entity_plan = eagerloading.plan_entity(
            builder, mapper, node, selectable=_entity_selectable(raw, mapper),
            loadable=loadable)
        items.append(_Item(mapper.class_.__name__, len(entity_plan.keys), mapper,
                           entity_plan.keys, (mapper.class_, mapper), entity_plan=entity_plan))
    _eager_columns_last(builder, items)
    columns = builder.base_columns()
    expanded = [c for raw in raw_columns for c in (raw.c if _is_entity(raw) else [raw])]
    rewrite = [id(c) for c in columns] != [id(c) for c in expanded]
    plan = ORMResultPlan(items, columns, rewrite, builder)
    core = statement
    if rewrite:
        core = statement.with_only_columns(*columns, maintain_column_froms=True)
    for hook in list(entity_loader_hooks):
        core = hook(plan, core)
    plan.base_statement = core
    eager_columns = builder.columns[len(columns):]
    if builder.joins and _limited(core) and plan.joined_collections():
        core = _limit_parents_first(core, plan, builder)
    elif eager_columns:
        core = core.add_columns(*eager_columns)
    core = eagerloading.apply_joins(builder, core)
    if getattr(core, "_with_options", None):
        core = core._clone()
        core._with_options = ()
    return plan, core


def _limited(statement: Any) -> bool:
    return getattr(statement, "_limit_clause", None) is not None or \
        getattr(statement, "_offset_clause", None) is not None


def _limit_parents_first(core: Any, plan: ORMResultPlan, builder: Any) -> Any:
    """LIMIT / OFFSET with a joined collection: limit the parents in a subquery of their
    primary keys, then join the collection to the limited parents (so LIMIT counts parents,
    not parent-and-child rows)."""
    from sqlwright.sql.expression import and_
    from sqlwright.sql.selectable import select

    entities = plan.entity_plans()
    mapper = entities[0].mapper if len(entities) == 1 else None
    table = getattr(mapper, "local_table", None)
    order_ok = all(
        all(f is table for f in getattr(item, "_from_objects", ()))
        for item in getattr(core, "_order_by", ()))
    if mapper is None or len(plan.items) != 1 or not order_ok or \
            any(left is not table for left, _r, _o, _i in builder.joins[:1]):
        names = ", ".join(f"{p.parent.class_.__name__}.{p.key}"
                          for p in plan.joined_collections())
        raise exc.InvalidRequestError(
            f"LIMIT/OFFSET with joinedload() of the collection(s) {names} is supported for a "
            "select() of one entity ordered by its own columns; load the collection with "
            "selectinload() instead")
    pk = list(mapper.primary_key)
    inner = core.with_only_columns(*pk, maintain_column_froms=True).subquery()
    outer = select(*builder.columns).select_from(table).join(
        inner, and_(*[c == inner.c[c.key] for c in pk]))
    order_by = getattr(core, "_order_by", ())
    return outer.order_by(*order_by) if order_by else outer


class FromStatement(ClauseElement):
    """``select(User).from_statement(text("SELECT ..."))``: rows of another statement mapped
    to the entities and columns of a select, matching columns by name."""

    __visit_name__ = "orm_from_statement"
    _cacheable = False
    is_executable = True

    def __init__(self, raw_columns: Sequence[Any], element: Any) -> None:
        self._raw_columns = tuple(raw_columns)
        self.element = element

    def _execute_on_connection(self, connection: Any, parameters: Any,
                               execution_options: Mapping[str, Any]) -> Any:
        return connection.execute(self.element, parameters, execution_options=execution_options)

    def __repr__(self) -> str:
        return f"<FromStatement {self.element!r}>"


def _picking_builder(loader: loading.EntityLoader, indexes: list[int]
                     ) -> Callable[[Sequence[Any]], Any]:
    return loader.row_processor(indexes)


def _value_builder(index: int) -> Callable[[Sequence[Any]], Any]:
    def build(row: Sequence[Any]) -> Any:
        return row[index]
    return build


def _from_statement_builders(session: Session, statement: FromStatement, keys: Sequence[str],
                             populate_existing: bool
                             ) -> tuple[list[_Item], list[Callable[[Sequence[Any]], Any]]]:
    positions = {name: i for i, name in enumerate(keys)}
    lowered = {name.lower(): i for i, name in enumerate(keys)}
    items: list[_Item] = []
    builders: list[Callable[[Sequence[Any]], Any]] = []
    for position, raw in enumerate(statement._raw_columns):
        if _is_entity(raw):
            mapper = _entity_mapper(raw)
            found = []
            for key, expr in loading.loadable_columns(mapper):
                name = getattr(expr, "name", key)
                index = positions.get(name, lowered.get(str(name).lower()))
                if index is not None:
                    found.append((key, index))
            loader = loading.EntityLoader(session, mapper, [k for k, _i in found],
                                          populate_existing=populate_existing)
            builders.append(_picking_builder(loader, [i for _k, i in found]))
            items.append(_Item(mapper.class_.__name__, 1, mapper, extra=(mapper.class_,)))
        else:
            name = _column_name(raw, position)
            index = positions.get(name, position)
            builders.append(_value_builder(index))
            items.append(_Item(name, 1, extra=(raw,)))
    return items, builders


# -- execution ---------------------------------------------------------------------------------
def execute(session: Session, statement: Any, params: Any,
            execution_options: dict[str, Any]) -> Result[Any]:
    """Session.execute(): run ``statement`` in the session's transaction."""
    populate_existing = bool(execution_options.pop("populate_existing", False)
                             or getattr(statement, "_execution_options", {}).get(
                                 "populate_existing", False))
    if not isinstance(statement, ClauseElement) and hasattr(statement, "__clause_element__"):
        statement = statement.__clause_element__()
    if getattr(statement, "is_dml", False):
        mapper = _entity_mapper(getattr(statement, "table", None))
        if mapper is not None:
            from sqlwright.orm import persistence

            return persistence.execute_orm_dml(session, mapper, statement, params,
                                            execution_options)
    session._autoflush()
    connection = session.connection()
    if isinstance(statement, FromStatement):
        result = connection.execute(statement, params, execution_options=execution_options)
        items, builders = _from_statement_builders(session, statement, list(result.keys()),
                                                   populate_existing)
        metadata = ResultMetaData([i.name for i in items], extra_keys=[i.extra for i in items])
        return _orm_result(metadata, result, builders, execution_options)
    planned = plan_select(statement)
    if planned is None:
        from sqlwright.orm.util import orm_column_select_hook  # INHERIT: joins, subclasses

        statement = orm_column_select_hook(statement)
        return connection.execute(statement, params, execution_options=execution_options)
    plan, core = planned
    result = connection.execute(core, params, execution_options=execution_options)
    rows = eagerloading.RowLoader(session, populate_existing, plan.base_statement)
    yield_per = _yield_per(result, execution_options)
    collections = plan.joined_collections()
    if yield_per and collections:
        result.close()
        raise exc.InvalidRequestError(
            "yield_per cannot be combined with joinedload() of a collection ("
            + ", ".join(f"{p.parent.class_.__name__}.{p.key}" for p in collections)
            + "): a parent's rows may span batches. Use selectinload() for the collection")
    finish = rows.finish if plan.needs_buffer() else None
    metadata = plan.metadata()
    iterator = loading.iterate_rows(result, plan.builders(rows), finish=finish,
                                    batch=yield_per, row_class=metadata._row_class)
    orm_result = _ORMResult(metadata, iterator,
                            eagerloading.unique_error(collections) if collections else None,
                            result)
    if yield_per:
        result.yield_per(yield_per)
        orm_result.yield_per(yield_per)
    return orm_result


def run_orm_select(session: Session, statement: Any, *, nodes: Sequence[Any] | None = None,
                   populate_existing: bool = False) -> list[tuple[Any, ...]]:
    """Run an ORM select for a loader (no autoflush) and return all its rows as tuples;
    ``nodes`` give the loader options of each entity (see :func:`plan_select`)."""
    planned = plan_select(statement, nodes)
    if planned is None:
        return [tuple(row) for row in session.connection().execute(statement)]
    plan, core = planned
    result = session.connection().execute(core)
    rows = eagerloading.RowLoader(session, populate_existing, plan.base_statement)
    return list(loading.iterate_rows(result, plan.builders(rows), finish=rows.finish))


def _yield_per(result: Any, execution_options: Mapping[str, Any]) -> int | None:
    value = execution_options.get("yield_per") or getattr(
        getattr(result, "context", None), "execution_options", {}).get("yield_per")
    return int(value) if value else None


def _orm_result(metadata: ResultMetaData, result: Any,
                builders: list[Callable[[Sequence[Any]], Any]],
                execution_options: Mapping[str, Any]) -> Result[Any]:
    yield_per = _yield_per(result, execution_options)
    if yield_per:
        result.yield_per(yield_per)
    orm_result = IteratorResult(metadata, loading.iterate_rows(result, builders))
    if yield_per:
        orm_result.yield_per(yield_per)
    return orm_result


class _ORMResult(IteratorResult):
    """The Result of an ORM select; with joined eager loads of collections every fetch
    requires ``unique()`` (on the result or on its scalars()/mappings() view)."""

    def __init__(self, metadata: ResultMetaData, iterator: Any,
                 unique_error: Exception | None, source: Any) -> None:
        super().__init__(metadata, iterator)
        self._unique_error = unique_error
        self._views: list[Any] = []
        self._source = source

    def _soft_close(self) -> None:
        self._source.close()
        super()._soft_close()

    def scalars(self, index: int | str | object = 0) -> ScalarResult[Any]:
        view = super().scalars(index)
        self._views.append(view)
        return view

    def mappings(self) -> MappingResult:
        view = super().mappings()
        self._views.append(view)
        return view

    def _check_unique(self) -> None:
        if self._unique_error is None or self._unique_key is not None:
            return
        if any(view._unique_key is not None for view in self._views):
            return
        self.close()
        raise self._unique_error

    def _make_rows(self, raws: list[Any]) -> list[Any]:
        # the loader built rows of this result's own Row class: no second copy of each
        if self._column_getter is None and raws and \
                type(raws[0]) is self._metadata._row_class:
            return raws
        return super()._make_rows(raws)

    def _fetchone_impl(self) -> Sequence[Any] | None:
        self._check_unique()
        return super()._fetchone_impl()

    def _fetchmany_impl(self, size: int) -> list[Any]:
        self._check_unique()
        return super()._fetchmany_impl(size)

    def _fetchall_impl(self) -> list[Any]:
        self._check_unique()
        return super()._fetchall_impl()


def check_synchronize_session(value: Any) -> Any:
    """Validate an execution option ``synchronize_session``."""
    if value not in _SYNC_CHOICES:
        raise exc.ArgumentError(
            f"synchronize_session must be one of 'auto', 'evaluate', 'fetch' or False; "
            f"got {value!r}")
    return value
