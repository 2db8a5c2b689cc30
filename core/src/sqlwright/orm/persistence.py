"""Emitting the INSERT, UPDATE and DELETE statements of a flush, and the bulk methods.

Inserts are batched per table: rows whose primary key is known go in one executemany; rows
that need a generated key (or server-generated values) use RETURNING where the dialect has it,
several rows per statement when it can, else one INSERT per row reading ``lastrowid``. Updates
write only the changed columns, grouped into executemany batches of the same shape, and check
the matched row count (``StaleDataError``), with the version counter in the WHERE clause when
the mapper has ``version_id_col``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any

from sqlwright.orm.unitofwork import changed_column_keys, sort_rows_self_referential
from sqlwright.sql.elements import bindparam

if TYPE_CHECKING:
    from sqlwright.engine.base import Connection
    from sqlwright.orm.session import Session
    from sqlwright.orm.unitofwork import UOWTransaction

__all__ = [
    "bulk_insert",
    "bulk_save_objects",
    "bulk_update",
    "delete_obj",
    "save_obj",
]

# Rows per multi-row INSERT ... RETURNING, bounded by bind parameters per statement.


def _stale_error(message: str) -> Exception:
    from sqlwright.orm import exc as orm_exc

    return orm_exc.StaleDataError(message)


# -- mapper / table helpers --------------------------------------------------------------------
def _tables(mapper: Any) -> list[Any]:
    tables = getattr(mapper, "tables", None)
    return list(tables) if tables else [mapper.local_table]


def table_columns(mapper: Any, table: Any) -> list[tuple[str, Any]]:
    """(attribute key, Column) for the columns of ``table`` that ``mapper`` maps."""
    out = []
    to_prop = mapper._columntoproperty
    for column in table.c:
        prop = to_prop.get(column)
        if prop is not None:
            out.append((prop.key, column))
    return out


def _server_generated(column: Any) -> bool:
    default = getattr(column, "default", None)
    return bool(
        getattr(column, "server_default", None) is not None
        or getattr(column, "computed", None) is not None
        or getattr(column, "identity", None) is not None
        or (default is not None and (getattr(default, "is_clause_element", False)
                                     or getattr(default, "is_sequence", False))))


def _python_default(column: Any) -> bool:
    default = getattr(column, "default", None)
    return default is not None and not _server_generated(column)


def _server_onupdate(column: Any) -> bool:
    onupdate = getattr(column, "onupdate", None)
    return bool(getattr(column, "server_onupdate", None) is not None
                or (onupdate is not None and getattr(onupdate, "is_clause_element", False)))


def _version_column(mapper: Any, table: Any) -> Any:
    column = getattr(mapper, "version_id_col", None)
    if column is not None and column.table is table:
        return column
    return None


def _next_version(mapper: Any, current: Any) -> Any:
    generator = getattr(mapper, "version_id_generator", None)
    if generator is False:
        return current
    if generator is None:
        return (current or 0) + 1
    return generator(current)


def _committed_value(state: Any, key: str) -> Any:
    """The value ``key`` had when loaded (before unflushed changes); for an unloaded primary
    key attribute, the value from the identity key."""
    from sqlwright.orm.unitofwork import _no_value

    committed = getattr(state, "committed_state", None) or {}
    if key in committed and not _no_value(committed[key]):
        return committed[key]
    if state.key is not None and (key in committed or key not in state.dict):
        mapper = state.mapper
        for index, column in enumerate(mapper.primary_key):
            if mapper._columntoproperty[column].key == key:
                return state.key[1][index]
    return state.dict.get(key)


def _dispatch(mapper: Any, event: str) -> Any:
    dispatch = getattr(mapper, "dispatch", None)
    listeners = getattr(dispatch, event, None) if dispatch is not None else None
    return listeners or None


def _fire(mapper: Any, event: str, connection: Connection, states: Iterable[Any]) -> None:
    listeners = _dispatch(mapper, event)
    if listeners:
        for state in states:
            obj = state.obj()
            if obj is not None:
                listeners(mapper, connection, obj)


def _expire_later(uow: UOWTransaction, state: Any, keys: list[str]) -> None:
    if keys:
        uow.attributes.setdefault("expire_after_flush", []).append((state, keys))


def _chunks(items: list[Any], width: int, limit: int) -> Iterable[list[Any]]:
    """``items`` in runs that keep a statement under ``limit`` bound parameters."""
    size = max(1, limit // max(width, 1))
    for start in range(0, len(items), size):
        yield items[start:start + size]


# -- INSERT ------------------------------------------------------------------------------------
def save_obj(uow: UOWTransaction, mapper: Any, connection: Connection,
             inserts: list[Any], updates: list[Any]) -> None:
    """INSERT the pending ``inserts`` and UPDATE the changed ``updates`` of one mapper."""
    _fire(mapper, "before_insert", connection, inserts)
    _fire(mapper, "before_update", connection, updates)
    snapshots = uow.transaction._new
    for state in inserts:
        snapshots[state] = state._snapshot() if hasattr(state, "_snapshot") else None
    for table in _tables(mapper):
        if inserts:
            _insert_table(uow, mapper, table, connection, inserts)
        if updates:
            _update_table(uow, mapper, table, connection, updates)
    for state in inserts:
        _assign_identity(mapper, state)
    _fire(mapper, "after_insert", connection, inserts)
    _fire(mapper, "after_update", connection, updates)


def _assign_identity(mapper: Any, state: Any) -> None:
    to_prop = mapper._columntoproperty
    pk = tuple(state.dict.get(to_prop[col].key) for col in mapper.primary_key)
    if any(value is None for value in pk):
        from sqlwright.orm import exc as orm_exc

        names = ", ".join(to_prop[c].key for c in mapper.primary_key)
        raise orm_exc.FlushError(
            f"Instance of {mapper.class_.__name__} has a NULL identity key after INSERT: "
            f"the database generated no value for ({names}). Give the primary key a value, "
            "or make it an autoincrementing integer / give it a server default")
    state.key = mapper.identity_key_from_primary_key(pk)


def _insert_params(mapper: Any, table: Any, state: Any,
                   columns: list[tuple[str, Any]]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    values = state.dict
    for key, column in columns:
        value = values.get(key)
        if value is not None:
            params[column.key] = value
    version = _version_column(mapper, table)
    if version is not None and params.get(version.key) is None:
        params[version.key] = _next_version(mapper, None)
        key = mapper._columntoproperty[version].key
        values[key] = params[version.key]
    return params


def _insert_table(uow: UOWTransaction, mapper: Any, table: Any, connection: Connection,
                  states: list[Any]) -> None:
    columns = table_columns(mapper, table)
    _copy_inherited_keys(mapper, table, states)
    rows = [(state, _insert_params(mapper, table, state, columns)) for state in states]
    rows = sort_rows_self_referential(table, rows)
    for _shape, run in groupby(rows, key=lambda row: tuple(row[1])):
        _insert_run(uow, mapper, table, connection, columns, list(run))


def _copy_inherited_keys(mapper: Any, table: Any, states: list[Any]) -> None:
    """A joined-inheritance table's key columns take the value the base table generated."""
    if table is mapper.local_table and len(_tables(mapper)) == 1:
        return
    for column in table.primary_key.columns:
        for fk in getattr(column, "foreign_keys", ()) or ():
            try:
                target = fk.column
            except Exception:
                continue
            prop = mapper._columntoproperty.get(target)
            mine = mapper._columntoproperty.get(column)
            if prop is None or mine is None or prop.key == mine.key:
                continue
            for state in states:
                if state.dict.get(mine.key) is None:
                    state.dict[mine.key] = state.dict.get(prop.key)


def _insert_run(uow: UOWTransaction, mapper: Any, table: Any, connection: Connection,
                columns: list[tuple[str, Any]], run: list[tuple[Any, dict[str, Any]]]) -> None:
    from sqlwright.sql.dml import insert

    features = connection.dialect.features
    given = set(run[0][1])
    mapped = {id(col): key for key, col in columns}
    missing_pk = [c for c in table.primary_key.columns if c.key not in given]
    server = [c for _k, c in columns if c.key not in given and _server_generated(c)
              and c not in missing_pk]
    python = [c for _k, c in columns if c.key not in given and _python_default(c)]
    if (missing_pk or server) and features.supports_insert_returning:
        returned = [*missing_pk, *server, *python]
        returned = [c for c in returned if id(c) in mapped] or list(table.primary_key.columns)
        pk_columns = list(table.primary_key.columns)
        autoinc = table._autoincrement_column
        # RETURNING rows come back in no guaranteed order: pair them with the objects by the
        # primary key when it is known, or by the order of a single autoincrementing key
        by_key = not missing_pk
        by_autoinc = missing_pk == [autoinc] and autoinc is not None
        if by_key:
            returned = [*returned, *(c for c in pk_columns if c not in returned)]
        if len(run) > 1 and given and features.supports_multirow_insert_returning and \
                (by_key or by_autoinc):
            for chunk in _chunks(run, len(given), features.max_bind_parameters):
                result = connection.execute(
                    insert(table).values([params for _s, params in chunk]).returning(*returned))
                for state, row in _pair_returned(chunk, result.all(), returned, pk_columns,
                                                 autoinc if by_autoinc else None):
                    _apply_row(state, mapped, returned, row)
        else:
            stmt = insert(table).returning(*returned)
            for state, params in run:
                row = connection.execute(stmt, params).one()
                _apply_row(state, mapped, returned, row)
        return
    stmt = insert(table)
    if missing_pk:
        for state, params in run:
            result = connection.execute(stmt, params)
            key_row = result.inserted_primary_key
            for column, value in zip(table.primary_key.columns, key_row):
                if id(column) in mapped and value is not None:
                    state.dict[mapped[id(column)]] = value
            _apply_prefetched(state, mapped, python, result.context.compiled_parameters[0])
            _expire_later(uow, state, [mapped[id(c)] for c in server])
        return
    result = connection.execute(stmt, [params for _s, params in run] if len(run) > 1
                                else run[0][1])
    compiled_params = result.context.compiled_parameters
    for index, (state, _params) in enumerate(run):
        if index < len(compiled_params):
            _apply_prefetched(state, mapped, python, compiled_params[index])
        _expire_later(uow, state, [mapped[id(c)] for c in server])


def _apply_row(state: Any, mapped: dict[int, str], columns: list[Any], row: Any) -> None:
    for column, value in zip(columns, row):
        key = mapped.get(id(column))
        if key is not None:
            state.dict[key] = value



def _pair_returned(chunk: list[tuple[Any, dict[str, Any]]], rows: list[Any],
                   returned: list[Any], pk_columns: list[Any],
                   autoinc: Any) -> list[tuple[Any, Any]]:
    """(object state, its RETURNING row) pairs, whatever order the database returned."""
    if autoinc is not None:  # keys generated in VALUES order: ascending
        position = returned.index(autoinc)
        return list(zip((state for state, _p in chunk), sorted(rows, key=lambda r: r[position])))
    positions = [returned.index(c) for c in pk_columns]
    by_key = {tuple(row[i] for i in positions): row for row in rows}
    pairs = []
    for state, params in chunk:
        key = tuple(params.get(c.key) for c in pk_columns)
        pairs.append((state, by_key[key]))
    return pairs

def _apply_prefetched(state: Any, mapped: dict[int, str], columns: list[Any],
                      params: Mapping[str, Any]) -> None:
    from sqlwright.sql.dml import bind_name_for

    for column in columns:
        name = bind_name_for(column.key)
        if name in params:
            state.dict[mapped[id(column)]] = params[name]


# -- UPDATE ------------------------------------------------------------------------------------
def _update_table(uow: UOWTransaction, mapper: Any, table: Any, connection: Connection,
                  states: list[Any]) -> None:
    columns = table_columns(mapper, table)
    version = _version_column(mapper, table)
    pk_keys = [(mapper._columntoproperty[c].key, c) for c in table.primary_key.columns]
    plans = []
    for state in sorted(states, key=_pk_sort_key(pk_keys)):
        changed = set(changed_column_keys(state))
        values = {col: state.dict[key] for key, col in columns if key in changed}
        if not values:
            continue
        where = {col: _committed_value(state, key) for key, col in pk_keys}
        if version is not None:
            vkey = mapper._columntoproperty[version].key
            current = _committed_value(state, vkey)
            where[version] = current
            values[version] = state.dict[vkey] = _next_version(mapper, current)
        plans.append((state, values, where))
    for _shape, run in groupby(plans, key=lambda plan: tuple(c.key for c in plan[1])):
        _update_run(uow, mapper, table, connection, columns, list(run), version)


def _pk_sort_key(pk_keys: list[tuple[str, Any]]) -> Any:
    """Order updates by primary key (a stable lock order); None and mixed types sort safely."""
    def key(state: Any) -> tuple[tuple[str, Any], ...]:
        values = (state.dict.get(k) for k, _c in pk_keys)
        return tuple((type(v).__name__, v) if v is not None else ("", 0) for v in values)
    return key


def _update_run(uow: UOWTransaction, mapper: Any, table: Any, connection: Connection,
                columns: list[tuple[str, Any]], run: list[Any], version: Any) -> None:
    from sqlwright.sql.dml import bind_name_for, update
    from sqlwright.sql.expression import and_

    _state, first_values, first_where = run[0]
    criteria = [col == bindparam(f"w_{bind_name_for(col.key)}", type_=col.type)
                for col in first_where]
    stmt = update(table).where(and_(*criteria)).values(
        {col: bindparam(f"v_{bind_name_for(col.key)}", type_=col.type) for col in first_values})
    params = []
    for _state, values, where in run:
        row = {f"v_{bind_name_for(c.key)}": v for c, v in values.items()}
        row.update({f"w_{bind_name_for(c.key)}": v for c, v in where.items()})
        params.append(row)
    result = connection.execute(stmt, params if len(params) > 1 else params[0])
    _check_rowcount(connection, result, len(run), table, "UPDATE", "update")
    mapped = {id(col): key for key, col in columns}
    prefetch = [(col, name) for col, name in
                getattr(result.context.compiled, "update_prefetch", ()) or () if id(col) in mapped]
    compiled_params = result.context.compiled_parameters
    server = [key for key, c in columns if _server_onupdate(c)]
    for index, (state, values, _where) in enumerate(run):
        if index < len(compiled_params):
            for col, name in prefetch:
                if name in compiled_params[index]:
                    state.dict[mapped[id(col)]] = compiled_params[index][name]
        written = {mapped.get(id(c)) for c in values}
        _expire_later(uow, state, [k for k in server if k not in written])


def _check_rowcount(connection: Connection, result: Any, expected: int, table: Any,
                    verb: str, action: str) -> None:
    features = connection.dialect.features
    sane = features.supports_sane_rowcount if expected == 1 \
        else features.supports_sane_multi_rowcount
    if not sane or result.rowcount < 0:
        return
    if result.rowcount != expected:
        raise _stale_error(
            f"{verb} statement on table {table.name!r} expected to {action} {expected} row(s); "
            f"{result.rowcount} were matched. Another transaction changed or deleted the row "
            "(or its version counter) since it was loaded: roll back, reload the object and "
            "apply the change again")


# -- DELETE ------------------------------------------------------------------------------------
def delete_obj(uow: UOWTransaction, mapper: Any, connection: Connection,
               states: list[Any]) -> None:
    """DELETE the rows of ``states`` (child tables first for multi-table mappers)."""
    from sqlwright.sql.dml import bind_name_for, delete
    from sqlwright.sql.expression import and_

    _load_expired_for_delete(mapper, connection, states)
    _fire(mapper, "before_delete", connection, states)
    for table in reversed(_tables(mapper)):
        pk_keys = [(mapper._columntoproperty[c].key, c) for c in table.primary_key.columns]
        version = _version_column(mapper, table)
        wheres = [(c, key) for key, c in pk_keys]
        if version is not None:
            wheres.append((version, mapper._columntoproperty[version].key))
        criteria = [col == bindparam(f"w_{bind_name_for(col.key)}", type_=col.type)
                    for col, _key in wheres]
        stmt = delete(table).where(and_(*criteria))
        rows = [(state, {col.key: _committed_value(state, key) for col, key in wheres})
                for state in states]
        rows = list(reversed(sort_rows_self_referential(table, rows)))
        params = [{f"w_{bind_name_for(k)}": v for k, v in values.items()}
                  for _state, values in rows]
        if version is not None or len(params) == 1:
            for row in params:
                result = connection.execute(stmt, row)
                if version is not None:
                    _check_rowcount(connection, result, 1, table, "DELETE", "delete")
        else:
            connection.execute(stmt, params)
    _fire(mapper, "after_delete", connection, states)


def _load_expired_for_delete(mapper: Any, connection: Connection, states: list[Any]) -> None:
    """Load the expired attributes of objects about to be deleted (expired by the previous
    commit, typically), so the version counter in the WHERE clause and the delete listeners
    see their values: one SELECT per batch of primary keys (per object for a composite key).
    A row already gone stays unloaded; the DELETE then matches nothing."""
    from sqlwright.orm.loading import loadable_columns
    from sqlwright.sql.expression import and_
    from sqlwright.sql.selectable import select

    expired = [s for s in states if s.key is not None and s.expired_attributes]
    if not expired:
        return
    pk = list(mapper.primary_key)
    wanted = sorted(set().union(*(s.expired_attributes for s in expired))
                    | {mapper._columntoproperty[c].key for c in pk})
    columns = loadable_columns(mapper, wanted, include_deferred=True)
    base = select(*[expr for _k, expr in columns])
    if len(_tables(mapper)) > 1:
        base = base.select_from(mapper.persist_selectable)
    by_identity = {s.key[1]: s for s in expired}
    if len(pk) == 1:
        idents = list(by_identity)
        batches = [pk[0].in_([i[0] for i in idents[n:n + 500]])
                   for n in range(0, len(idents), 500)]
    else:
        batches = [and_(*[c == v for c, v in zip(pk, ident)]) for ident in by_identity]
    pk_positions = [[k for k, _e in columns].index(mapper._columntoproperty[c].key)
                    for c in pk]
    for criteria in batches:
        for row in connection.execute(base.where(criteria)):
            state = by_identity.get(tuple(row[i] for i in pk_positions))
            if state is None:
                continue
            state._set_loaded({k: v for (k, _e), v in zip(columns, row)
                               if k in state.expired_attributes
                               and k not in state.committed_state})


# -- bulk methods ------------------------------------------------------------------------------
def _mapper_of(entity: Any) -> Any:
    if hasattr(entity, "_columntoproperty"):
        return entity
    from sqlwright.orm.base import class_mapper

    return class_mapper(entity)


def _row_params(mapper: Any, table: Any, mapping: Mapping[str, Any],
                render_nulls: bool) -> dict[str, Any]:
    params = {}
    for key, column in table_columns(mapper, table):
        if key in mapping:
            value = mapping[key]
            if value is not None or render_nulls:
                params[column.key] = value
    return params


def _row_shape(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(row)


def bulk_insert(session: Session, entity: Any, mappings: Sequence[Mapping[str, Any]], *,
                render_nulls: bool = False) -> None:
    """INSERT dicts keyed by attribute name, executemany per table and row shape."""
    from sqlwright.sql.dml import insert

    mapper = _mapper_of(entity)
    if not mappings:
        return
    connection = session.connection()
    for table in _tables(mapper):
        rows = [_row_params(mapper, table, m, render_nulls) for m in mappings]
        version = _version_column(mapper, table)
        if version is not None:
            for row in rows:
                row.setdefault(version.key, _next_version(mapper, None))
        for _shape, run in groupby(rows, key=_row_shape):
            batch = list(run)
            connection.execute(insert(table), batch if len(batch) > 1 else batch[0])


def bulk_update(session: Session, entity: Any, mappings: Sequence[Mapping[str, Any]]) -> None:
    """UPDATE rows from dicts keyed by attribute name, each including the primary key."""
    from sqlwright import exc
    from sqlwright.sql.dml import bind_name_for, update
    from sqlwright.sql.expression import and_

    mapper = _mapper_of(entity)
    if not mappings:
        return
    connection = session.connection()
    for table in _tables(mapper):
        pk_keys = [(mapper._columntoproperty[c].key, c) for c in table.primary_key.columns]
        columns = [(k, c) for k, c in table_columns(mapper, table) if not c.primary_key]
        plans = []
        for mapping in mappings:
            missing = [k for k, _c in pk_keys if mapping.get(k) is None]
            if missing:
                raise exc.InvalidRequestError(
                    f"bulk_update_mappings() needs the primary key in every dict; missing "
                    f"{', '.join(missing)} in {dict(mapping)!r}")
            values = {c: mapping[k] for k, c in columns if k in mapping}
            if values:
                plans.append((values, {c: mapping[k] for k, c in pk_keys}))
        for _shape, run in groupby(plans, key=lambda p: tuple(c.key for c in p[0])):
            batch = list(run)
            values0, where0 = batch[0]
            stmt = update(table).where(and_(*[
                c == bindparam(f"w_{bind_name_for(c.key)}", type_=c.type) for c in where0
            ])).values({c: bindparam(f"v_{bind_name_for(c.key)}", type_=c.type)
                        for c in values0})
            params = [{**{f"v_{bind_name_for(c.key)}": v for c, v in values.items()},
                       **{f"w_{bind_name_for(c.key)}": v for c, v in where.items()}}
                      for values, where in batch]
            connection.execute(stmt, params if len(params) > 1 else params[0])


def bulk_save_objects(session: Session, objects: list[Any], *, return_defaults: bool = False,
                      update_changed_only: bool = True) -> None:
    """INSERT transient objects and UPDATE persistent ones without attaching them."""
    from sqlwright.orm.session import _instance_state

    by_mapper: dict[Any, tuple[list[Any], list[Any]]] = {}
    for obj in objects:
        state = _instance_state(obj)
        inserts, updates = by_mapper.setdefault(state.mapper, ([], []))
        (inserts if state.key is None else updates).append(state)
    for mapper, (inserts, updates) in by_mapper.items():
        if inserts and return_defaults:
            _insert_returning_defaults(session, mapper, inserts)
        elif inserts:
            bulk_insert(session, mapper.class_, [dict(s.dict) for s in inserts])
        if updates:
            rows = []
            for state in updates:
                keys = set(changed_column_keys(state)) if update_changed_only else None
                row = {k: v for k, v in state.dict.items()
                       if not k.startswith("_") and (keys is None or k in keys)}
                for col in mapper.primary_key:
                    pk_key = mapper._columntoproperty[col].key
                    row[pk_key] = _committed_value(state, pk_key)
                rows.append(row)
            bulk_update(session, mapper.class_, rows)
            for state in updates:
                state._commit_all()


def _insert_returning_defaults(session: Session, mapper: Any, states: list[Any]) -> None:
    """Bulk insert that also sets the generated keys on the objects (they stay detached)."""
    from sqlwright.orm.unitofwork import UOWTransaction

    trans = session._autobegin_t()
    uow = UOWTransaction(session, trans)
    connection = session.connection()
    for table in _tables(mapper):
        _insert_table(uow, mapper, table, connection, states)
    for state in states:
        _assign_identity(mapper, state)
        state._commit_all()


# -- ORM-enabled UPDATE / DELETE ---------------------------------------------------------------
class _Unevaluable(Exception):
    """The criteria use something the Python evaluator does not know."""


def _evaluator(clause: Any, mapper: Any) -> Any:
    """A function ``fn(state_dict) -> value`` computing ``clause`` for a loaded object."""
    from sqlwright.sql import operators as ops

    if clause is None:
        return lambda values: True
    visit = getattr(clause, "__visit_name__", None)
    if visit == "grouping":
        return _evaluator(clause.element, mapper)
    if visit == "bindparam":
        return lambda values, c=clause: c.effective_value()
    if visit in ("null", "true", "false"):
        constant = {"null": None, "true": True, "false": False}[visit]
        return lambda values: constant
    if visit == "column" or (hasattr(clause, "table") and hasattr(clause, "key") \
            and visit not in ("binary", "unary", "label")):
        return _column_evaluator(clause, mapper)
    if visit == "boolean_clause_list" or (hasattr(clause, "clauses") and
                                          getattr(clause, "operator", None) in (ops.and_,
                                                                                ops.or_)):
        parts = [_evaluator(c, mapper) for c in clause.clauses]
        if clause.operator is ops.and_:
            return lambda values: all(p(values) for p in parts)
        return lambda values: any(p(values) for p in parts)
    if visit == "unary" and clause.operator is ops.inv:
        inner = _evaluator(clause.element, mapper)
        return lambda values: not inner(values)
    if visit == "binary":
        return _binary_evaluator(clause, mapper)
    raise _Unevaluable(type(clause).__name__)


def _column_evaluator(column: Any, mapper: Any) -> Any:
    base = column
    while getattr(base, "_proxies", None) and getattr(base, "table", None) is not None \
            and mapper._columntoproperty.get(base) is None:
        base = base._proxies[0]
    prop = mapper._columntoproperty.get(base)
    if prop is None:
        deannotate = getattr(column, "_deannotate", None)
        prop = mapper._columntoproperty.get(deannotate()) if deannotate else None
    if prop is None:
        raise _Unevaluable(f"column {getattr(column, 'key', column)!r}")
    key = prop.key

    def value_of(values: dict[str, Any]) -> Any:
        if key not in values:
            raise _Unevaluable(key)
        return values[key]
    return value_of


def _binary_evaluator(clause: Any, mapper: Any) -> Any:
    import operator as py

    from sqlwright.sql import operators as ops

    left = _evaluator(clause.left, mapper)
    op = clause.operator
    if op in (ops.in_op, ops.not_in_op):
        right_bind = clause.right
        while getattr(right_bind, "__visit_name__", None) == "grouping":
            right_bind = right_bind.element
        if getattr(right_bind, "__visit_name__", None) != "bindparam":
            raise _Unevaluable("IN with a subquery")
        negate = op is ops.not_in_op

        def in_test(values: dict[str, Any]) -> Any:
            value = left(values)
            if value is None:
                return None
            return (value in list(right_bind.effective_value() or ())) != negate
        return in_test
    right = _evaluator(clause.right, mapper)
    simple = {ops.eq: py.eq, ops.ne: py.ne, ops.lt: py.lt, ops.le: py.le, ops.gt: py.gt,
              ops.ge: py.ge, ops.add: py.add, ops.sub: py.sub, ops.mul: py.mul,
              ops.truediv: py.truediv, ops.mod: py.mod}
    if op in simple:
        fn = simple[op]

        def compare(values: dict[str, Any]) -> Any:
            a, b = left(values), right(values)
            # SQL: an operation with NULL is unknown, which matches nothing
            return None if a is None or b is None else fn(a, b)
        return compare
    if op in (ops.is_, ops.is_not_distinct_from):
        return lambda values: left(values) == right(values)
    if op in (ops.is_not, ops.is_distinct_from):
        return lambda values: left(values) != right(values)
    raise _Unevaluable(getattr(op, "__name__", repr(op)))


def _target_states(session: Session, mapper: Any) -> list[Any]:
    return [s for s in session.identity_map.all_states()
            if s.mapper is mapper or getattr(s.mapper, "inherits", None) is mapper]


def _evaluate_matches(session: Session, mapper: Any, criteria: Any) -> list[Any] | None:
    """States of loaded objects matching ``criteria``; None when it cannot be evaluated."""
    try:
        test = _evaluator(criteria, mapper)
    except _Unevaluable:
        return None
    matched = []
    for state in _target_states(session, mapper):
        try:
            if test(state.dict):
                matched.append(state)
        except _Unevaluable:
            return None
    return matched


def _fetch_matches(session: Session, mapper: Any, table: Any, criteria: Any) -> list[Any]:
    from sqlwright.sql.selectable import select

    deannotate = getattr(table, "_deannotate", None)
    stmt = select(*mapper.primary_key).select_from(deannotate() if deannotate else table)
    if criteria is not None:
        stmt = stmt.where(criteria)
    rows = session.connection().execute(stmt).all()
    found = []
    for row in rows:
        state = session.identity_map._state_for(mapper.identity_key_from_primary_key(tuple(row)))
        if state is not None:
            found.append(state)
    return found


def execute_orm_dml(session: Session, mapper: Any, statement: Any, params: Any,
                    execution_options: dict[str, Any]) -> Any:
    """Run an ``insert()`` / ``update()`` / ``delete()`` of a mapped class and keep the
    session's loaded objects in step (``synchronize_session``: "auto", "evaluate", "fetch" or
    False)."""
    from sqlwright.orm.context import check_synchronize_session

    sync = check_synchronize_session(execution_options.pop("synchronize_session", "auto"))
    session._autoflush()
    connection = session.connection()
    verb = type(statement).__name__.lower()
    returning = _ReturningPlan.for_statement(session, statement)
    if returning is not None:
        statement = returning.core
    if verb == "insert":
        if isinstance(params, list):
            params = [_column_keyed(mapper, p) for p in params]
        elif isinstance(params, Mapping):
            params = _column_keyed(mapper, params)
        result = connection.execute(statement, params, execution_options=execution_options)
        return returning.result(result) if returning is not None else result
    criteria = statement.whereclause if hasattr(statement, "whereclause") else _where_of(
        statement)
    matched: list[Any] | None = None
    if sync in ("auto", "evaluate"):
        matched = _evaluate_matches(session, mapper, criteria)
        if matched is None and sync == "evaluate":
            from sqlwright import exc

            raise exc.InvalidRequestError(
                f"synchronize_session='evaluate' could not evaluate the criteria of this "
                f"{verb.upper()} in Python; use synchronize_session='fetch' (or False to "
                "leave loaded objects as they are)")
    if matched is None and sync in ("auto", "fetch"):
        matched = _fetch_matches(session, mapper, statement.table, criteria)
        sync = "fetch"
    result = connection.execute(statement, params, execution_options=execution_options)
    orm_result = None
    if returning is not None and verb == "delete":
        # the returned rows are objects too; build them first, then mark them deleted
        orm_result = returning.result(result)
        matched = _unique_states([*(matched or ()), *returning.states])
    if matched:
        if verb == "delete":
            _apply_bulk_delete(session, matched)
        else:
            _apply_bulk_update(session, mapper, statement, matched, evaluate=sync != "fetch")
    if returning is not None and orm_result is None:
        # after synchronizing: the returned rows hold the database's values, and they win
        orm_result = returning.result(result)
    event = "after_bulk_delete" if verb == "delete" else "after_bulk_update"
    listeners = getattr(session.dispatch, event)
    if listeners:
        listeners(_BulkContext(session, mapper, statement, result))
    return orm_result if orm_result is not None else result


def _unique_states(states: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(states))


class _ReturningPlan:
    """``returning(User)`` in an ORM-enabled INSERT / UPDATE / DELETE: the entity becomes the
    columns of the target table that the mapper maps, and each returned row becomes an object
    through the identity map (its values replacing the loaded ones)."""

    def __init__(self, session: Session, statement: Any,
                 entries: list[tuple[Any, list[tuple[str, Any]]] | Any]) -> None:
        from sqlwright.orm.loading import EntityLoader

        self.states: list[Any] = []
        self._names: list[str] = []
        self._extras: list[tuple[Any, ...]] = []
        self._pickers: list[tuple[Any, list[int]]] = []
        columns: list[Any] = []
        for entry in entries:
            if isinstance(entry, tuple):
                mapper, keyed = entry
                first = len(columns)
                columns.extend(column for _key, column in keyed)
                loader = EntityLoader(session, mapper, [key for key, _c in keyed],
                                      populate_existing=True)
                self._pickers.append((loader, list(range(first, len(columns)))))
                self._names.append(mapper.class_.__name__)
                self._extras.append((mapper.class_, mapper))
            else:
                self._pickers.append((None, [len(columns)]))
                columns.append(entry)
                name = getattr(entry, "key", None) or getattr(entry, "name", None)
                self._names.append(name if isinstance(name, str) else f"column_{len(columns)}")
                self._extras.append((entry,))
        self.core = statement._generate()
        self.core._returning = tuple(columns)

    @classmethod
    def for_statement(cls, session: Session, statement: Any) -> _ReturningPlan | None:
        """The plan when ``statement.returning()`` names an entity; None otherwise."""
        from sqlwright.orm.context import _entity_mapper, _is_entity

        raw = tuple(getattr(statement, "_returning", ()))
        if not any(_is_entity(element) for element in raw):
            return None
        target = statement.table
        target = target._deannotate() if hasattr(target, "_deannotate") else target
        entries: list[tuple[Any, list[tuple[str, Any]]] | Any] = []
        for element in raw:
            if _is_entity(element):
                mapper = _entity_mapper(element)
                entries.append((mapper, _returned_columns(mapper, target)))
            else:
                entries.append(element)
        return cls(session, statement, entries)

    def result(self, cursor_result: Any) -> Any:
        """Fetch every returned row now and map it (objects join the identity map)."""
        from sqlwright.engine.result import IteratorResult, ResultMetaData

        rows = []
        for row in cursor_result.all():
            built = []
            for loader, indexes in self._pickers:
                if loader is None:
                    built.append(row[indexes[0]])
                    continue
                obj = loader.instance(tuple(row[i] for i in indexes))
                if obj is not None:
                    self.states.append(_instance_state_of(obj))
                built.append(obj)
            rows.append(tuple(built))
        metadata = ResultMetaData(self._names, extra_keys=self._extras)
        mapped = IteratorResult(metadata, rows)
        mapped.rowcount = cursor_result.rowcount  # type: ignore[attr-defined]
        return mapped


def _returned_columns(mapper: Any, table: Any) -> list[tuple[str, Any]]:
    """(attribute key, column of ``table``) for every column attribute of ``mapper`` stored
    in ``table`` (the DML's target); other tables' attributes load on access."""
    from sqlwright.orm.loading import loadable_columns

    out = []
    for key, _expr in loadable_columns(mapper):
        prop = mapper._props.get(key) if hasattr(mapper, "_props") else None
        for column in getattr(prop, "columns", None) or ():
            if getattr(column, "table", None) is table:
                out.append((key, column))
                break
    return out


def _instance_state_of(obj: Any) -> Any:
    from sqlwright.orm.base import instance_state

    return instance_state(obj)


def _where_of(statement: Any) -> Any:
    criteria = getattr(statement, "_where_criteria", ())
    if not criteria:
        return None
    from sqlwright.sql.expression import and_

    return and_(*criteria)


def _column_keyed(mapper: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """Translate attribute keys to column keys for ``insert(User)`` parameters."""
    by_attr = {prop_key: col.key for prop_key, col in
               ((mapper._columntoproperty[c].key, c) for c in mapper.local_table.c
                if c in mapper._columntoproperty)}
    return {by_attr.get(k, k): v for k, v in values.items()}


def _apply_bulk_delete(session: Session, states: list[Any]) -> None:
    trans = session._autobegin_t()
    for state in states:
        obj = state.obj()
        session.identity_map._discard(state)
        session._deleted.pop(state, None)
        state._deleted = True
        trans._deleted[state] = obj


def _apply_bulk_update(session: Session, mapper: Any, statement: Any, states: list[Any],
                       evaluate: bool) -> None:
    table = statement.table
    trans = session._autobegin_t()
    for state in states:
        trans._dirty[state] = state.obj()  # a savepoint rollback must expire them again
    updates: list[tuple[str, Any]] = []
    for column_key, value in getattr(statement, "_values", ()):
        column = table.c.get(column_key)
        prop = mapper._columntoproperty.get(column) if column is not None else None
        if prop is None:
            continue
        try:
            updates.append((prop.key, _evaluator(value, mapper) if evaluate else None))
        except _Unevaluable:
            updates.append((prop.key, None))
    for state in states:
        to_expire = []
        new_values = {}
        for key, fn in updates:
            if fn is None:
                to_expire.append(key)
                continue
            try:
                new_values[key] = fn(state.dict)
            except _Unevaluable:
                to_expire.append(key)
        if new_values:
            state._set_loaded(new_values)
        if to_expire:
            state._expire(to_expire)


class _BulkContext:
    """What after_bulk_update / after_bulk_delete listeners receive."""

    def __init__(self, session: Session, mapper: Any, statement: Any, result: Any) -> None:
        self.session = session
        self.mapper = mapper
        self.statement = statement
        self.result = result
