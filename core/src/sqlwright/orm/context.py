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
from sqlwright.engine.result import IteratorResult, ResultMetaData
from sqlwright.orm import loading
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
                 keys: Sequence[str] = (), extra: Sequence[Any] = ()) -> None:
        self.name = name
        self.width = width
        self.mapper = mapper
        self.keys = list(keys)
        self.extra = list(extra)


class ORMResultPlan:
    """How the columns of an executed statement become entities and values."""

    def __init__(self, items: list[_Item], columns: list[Any], rewrite: bool) -> None:
        self.items = items
        self.columns = columns
        self.rewrite = rewrite

    def builders(self, session: Session, populate_existing: bool
                 ) -> list[Callable[[Sequence[Any]], Any]]:
        out: list[Callable[[Sequence[Any]], Any]] = []
        start = 0
        for item in self.items:
            out.append(_builder(session, item, start, populate_existing))
            start += item.width
        return out

    def metadata(self) -> ResultMetaData:
        return ResultMetaData([item.name for item in self.items],
                              extra_keys=[item.extra for item in self.items])


def _builder(session: Session, item: _Item, start: int, populate_existing: bool
             ) -> Callable[[Sequence[Any]], Any]:
    if item.mapper is None:
        return lambda row: row[start]
    loader = loading.EntityLoader(session, item.mapper, item.keys,
                                  populate_existing=populate_existing)
    end = start + item.width
    return lambda row: loader.instance(tuple(row[start:end]))


def _column_name(element: Any, position: int) -> str:
    for attr in ("key", "name"):
        value = getattr(element, attr, None)
        if isinstance(value, str):
            return value
    return f"column_{position}"


def plan_select(statement: Any) -> tuple[ORMResultPlan, Any] | None:
    """The plan for a Select with entities, and the Core statement to run; None when the
    statement selects no entity (it then runs as plain Core)."""
    raw_columns = getattr(statement, "_raw_columns", None)
    if raw_columns is None or not any(_is_entity(raw) for raw in raw_columns):
        return None
    items: list[_Item] = []
    columns: list[Any] = []
    rewrite = False
    for position, raw in enumerate(raw_columns):
        if _is_entity(raw):
            mapper = _entity_mapper(raw)
            loadable = loading.loadable_columns(mapper)
            exprs = [expr for _k, expr in loadable]
            if [id(c) for c in exprs] != [id(c) for c in raw.c]:
                rewrite = True
            items.append(_Item(mapper.class_.__name__, len(exprs), mapper,
                               [k for k, _e in loadable], (mapper.class_, mapper)))
            columns.extend(exprs)
        else:
            items.append(_Item(_column_name(raw, position), 1, extra=(raw,)))
            columns.append(raw)
    plan = ORMResultPlan(items, columns, rewrite)
    core = statement
    if rewrite:
        core = statement.with_only_columns(*columns, maintain_column_froms=True)
    for hook in list(entity_loader_hooks):
        core = hook(plan, core)
    return plan, core


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
    def build(row: Sequence[Any]) -> Any:
        return loader.instance(tuple(row[i] for i in indexes))
    return build


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
        return connection.execute(statement, params, execution_options=execution_options)
    plan, core = planned
    result = connection.execute(core, params, execution_options=execution_options)
    return _orm_result(plan.metadata(), result, plan.builders(session, populate_existing),
                       execution_options)


def _orm_result(metadata: ResultMetaData, result: Any,
                builders: list[Callable[[Sequence[Any]], Any]],
                execution_options: Mapping[str, Any]) -> Result[Any]:
    yield_per = execution_options.get("yield_per") or getattr(
        getattr(result, "context", None), "execution_options", {}).get("yield_per")
    if yield_per:
        result.yield_per(yield_per)
    orm_result = IteratorResult(metadata, loading.iterate_rows(result, builders))
    if yield_per:
        orm_result.yield_per(yield_per)
    return orm_result


def check_synchronize_session(value: Any) -> Any:
    """Validate an execution option ``synchronize_session``."""
    if value not in _SYNC_CHOICES:
        raise exc.ArgumentError(
            f"synchronize_session must be one of 'auto', 'evaluate', 'fetch' or False; "
            f"got {value!r}")
    return value
