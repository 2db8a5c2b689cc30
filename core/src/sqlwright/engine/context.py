"""The execution context: one statement's trip from compiled form to DBAPI cursor to Result.

For INSERT and UPDATE it also computes Python-side column defaults before execution (the
compiler lists them in ``insert_prefetch`` / ``update_prefetch``) and, after execution, the new
row's primary key (``inserted_primary_key``) and fetched defaults (``returned_defaults``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.engine.result import CursorResult, ResultMetaData
from sqlwright.engine.row import Row

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.engine.base import Connection
    from sqlwright.sql.compiler import SQLCompiler

__all__ = ["CursorResult", "ExecutionContext"]


class ExecutionContext:
    """Prepares parameters for the driver, runs nothing itself, and builds the Result.

    Dialects may subclass it (``Dialect.execution_ctx_cls``) to fetch generated keys their own
    way. While a Python column default runs, ``current_parameters`` holds the parameters of
    the row being written (see :meth:`get_current_parameters`).
    """

    compiled: SQLCompiler | None = None
    #: A dialect's do_execute may set this to a cursor-like object (see
    #: :class:`sqlwright.engine.cursor.BufferedRowsCursor`) whose rows become the Result.
    result_cursor: Any = None
    #: Primary key values a dialect fetched itself during an executemany INSERT, by
    #: parameter set (see :meth:`record_generated_keys`).
    generated_keys: dict[int, dict[Any, Any]] | None = None
    isinsert = isupdate = isdelete = False
    executemany = False

    def __init__(self, dialect: Dialect, connection: Connection, statement: str,
                 parameters: Any, *, compiled: SQLCompiler | None = None,
                 compiled_params: list[dict[str, Any]] | None = None,
                 extracted: Sequence[Any] | None = None,
                 execution_options: Mapping[str, Any] | None = None) -> None:
        self.dialect = dialect
        self.connection = connection
        self.root_connection = connection
        self.statement = statement
        self.parameters = parameters
        self.compiled = compiled
        self.compiled_parameters = compiled_params or []
        self.extracted = extracted
        self.execution_options = execution_options or {}
        self.cursor: Any = None
        self.lastrowid: Any = None
        self._inserted_pk_rows: list[tuple[Any, ...]] | None = None
        #: (fetched rows) while the inserted primary keys wait to be worked out on first use
        self._pk_pending: tuple[list[Any] | None] | None = None
        self.returned_default_rows: list[Any] | None = None
        self.current_parameters: dict[str, Any] | None = None
        self._current_row: int | None = None
        #: the statement's row count when a dialect ran it in several driver calls (batched
        #: executemany): the total it sets here wins over ``cursor.rowcount``
        self.rowcount: int | None = None
        if compiled is not None:
            self.isinsert = compiled.isinsert
            self.isupdate = compiled.isupdate
            self.isdelete = compiled.isdelete

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def for_compiled(cls, dialect: Dialect, connection: Connection, compiled: SQLCompiler,
                     param_sets: list[Mapping[str, Any]], extracted: Sequence[Any] | None,
                     execution_options: Mapping[str, Any]) -> ExecutionContext:
        """Build the driver parameters of a compiled statement for one or many parameter sets."""
        renames = _param_renames(compiled)
        if renames:
            param_sets = [{renames.get(k, k): v for k, v in p.items()} for p in param_sets]
        sets: list[Mapping[str, Any] | None] = list(param_sets) if param_sets else [None]
        compiled_params = compiled.construct_params_many(sets, extracted)
        self = cls(dialect, connection, compiled.string, None, compiled=compiled,
                   compiled_params=compiled_params, extracted=extracted,
                   execution_options=execution_options)
        self.executemany = len(compiled_params) > 1
        self.pre_exec()
        self.parameters = self._driver_parameters()
        return self

    def pre_exec(self) -> None:
        """Fill Python-side column defaults into each parameter set (INSERT/UPDATE)."""
        compiled = self.compiled
        if compiled is None:
            return
        prefetch = compiled.insert_prefetch if self.isinsert else compiled.update_prefetch
        if not prefetch:
            return
        row_of = _row_of_bind(compiled)
        for params in self.compiled_parameters:
            self.current_parameters = params
            for column, name in prefetch:
                self._current_row = row_of.get(name)
                params[name] = self._column_default(column, params)
        self.current_parameters = None
        self._current_row = None

    def _column_default(self, column: Any, params: dict[str, Any]) -> Any:
        default = column.onupdate if self.isupdate else column.default
        return default.execute_python(self, params)

    def get_current_parameters(self, isolate_multiinsert_groups: bool = True
                               ) -> dict[str, Any]:
        """The parameters of the row being written, by column key; for Python defaults.

        For a multi-row ``values([...])`` only the current row's values are returned, keyed
        by column key, unless ``isolate_multiinsert_groups`` is False.
        """
        params = self.current_parameters
        if params is None:
            raise exc.InvalidRequestError(
                "get_current_parameters() is only available while a Python column default "
                "is being computed")
        compiled = self.compiled
        row = self._current_row
        if not isolate_multiinsert_groups or row is None or compiled is None:
            return params
        names = getattr(compiled, "insert_row_params", [])[row]
        return {key: params.get(name) for key, name in names.items()}

    def _driver_parameters(self) -> Any:
        compiled = self.compiled
        assert compiled is not None
        processors = compiled.bind_processors()
        if compiled.has_expanding:
            return self._expanded_driver_parameters(processors)
        if compiled.driver_plan is None:
            compiled.driver_plan = (list(processors.items()), _tuple_getter(
                compiled.positiontup) if compiled.positional else None)
        proc_items, pick = compiled.driver_plan
        out: list[Any] = []
        for params in self.compiled_parameters:
            if proc_items:
                params = dict(params)  # keep compiled_parameters as the Python values
                for name, proc in proc_items:
                    if name in params:
                        params[name] = proc(params[name])
            out.append(pick(params) if pick is not None else params)
        return out if self.executemany else out[0]

    def _expanded_driver_parameters(self, processors: dict[str, Any]) -> Any:
        compiled = self.compiled
        assert compiled is not None
        if self.executemany:
            raise exc.InvalidRequestError(
                "An expanding IN parameter cannot be used with executemany")
        statement, params, positions, origin = compiled.expand(self.compiled_parameters[0])
        for name, (base, index) in origin.items():
            proc = processors.get(base) if index is None else \
                _element_processor(compiled, base, index)
            if proc is not None:
                params[name] = proc(params[name])
        for name, proc in processors.items():
            if name in params:
                params[name] = proc(params[name])
        self.statement = statement
        if compiled.positional:
            return tuple(params[name] for name in positions)
        return params

    # -- after execution --------------------------------------------------------------------
    def result_metadata(self, cursor: Any) -> ResultMetaData | None:
        """Metadata for the cursor's rows, cached on the compiled statement when it can be."""
        description = cursor.description
        if description is None:
            return None
        compiled = self.compiled
        names = tuple(d[0] for d in description)
        if compiled is not None:
            cached = getattr(compiled, "_cached_metadata", None)
            if cached is not None and cached[0] == names:
                return cached[1]
        metadata = self._build_metadata(description, names)
        if compiled is not None:
            compiled._cached_metadata = (names, metadata)  # type: ignore[attr-defined]
        return metadata

    def _build_metadata(self, description: Sequence[Any], names: tuple[str, ...]
                        ) -> ResultMetaData:
        compiled = self.compiled
        columns = compiled.result_columns if compiled is not None else []
        dialect = self.dialect
        if columns and len(columns) == len(names):
            keys = [c.key for c in columns]
            extra = [c.objects for c in columns]
            processors = [_result_processor(c.type, dialect, d[1])
                          for c, d in zip(columns, description)]
            return ResultMetaData(keys, extra_keys=extra, processors=processors)
        normalize = getattr(dialect, "normalize_name", None)
        keys = [normalize(n) if normalize else n for n in names]
        return ResultMetaData(keys)

    def make_result(self, cursor: Any) -> CursorResult:
        """Build the Result for the executed cursor and record generated keys."""
        metadata = self.result_metadata(cursor)
        self.lastrowid = getattr(cursor, "lastrowid", None)
        compiled = self.compiled
        fetched: list[Any] | None = None
        if compiled is not None and metadata is not None and \
                getattr(compiled, "implicit_returning", None):
            fetched = [metadata._row_class(r)
                       for r in metadata._processed(cursor.fetchall())]
            metadata = None
        result = CursorResult(cursor, metadata, rowcount=self.rowcount)
        result.context = self
        if fetched is not None:
            self.returned_default_rows = fetched
        if self.isinsert and compiled is not None:
            # worked out when first read: an executemany of many rows rarely needs them
            self._pk_pending = (fetched,)
            if fetched is None and getattr(compiled.statement, "_return_defaults", False) and \
                    self.inserted_primary_key_rows is not None:
                # no RETURNING here: the primary key is what can be recovered
                self.returned_default_rows = [self.primary_key_row(values)
                                              for values in self.inserted_primary_key_rows]
        return result

    @property
    def inserted_primary_key_rows(self) -> list[tuple[Any, ...]] | None:
        """The primary key values of the inserted rows (None when not recorded)."""
        if self._pk_pending is not None:
            fetched = self._pk_pending[0]
            self._pk_pending = None
            self._set_inserted_primary_key(fetched)
        return self._inserted_pk_rows

    @inserted_primary_key_rows.setter
    def inserted_primary_key_rows(self, rows: list[tuple[Any, ...]] | None) -> None:
        self._pk_pending = None
        self._inserted_pk_rows = rows

    def record_generated_keys(self, start: int, columns: Sequence[Any],
                              rows: Sequence[Sequence[Any]]) -> None:
        """For dialects that fetch generated keys during an executemany INSERT (a batch with
        RETURNING): ``rows[i]`` holds the values of ``columns`` for parameter set
        ``start + i``. ``inserted_primary_key_rows`` then reports them."""
        if self.generated_keys is None:
            self.generated_keys = {}
        for offset, values in enumerate(rows):
            self.generated_keys[start + offset] = dict(zip(columns, values))

    def _set_inserted_primary_key(self, fetched: list[Any] | None) -> None:
        compiled = self.compiled
        assert compiled is not None
        table = compiled.dml_table
        if table is None or getattr(table, "primary_key", None) is None:
            return
        stmt = compiled.statement
        if stmt is not None and (getattr(stmt, "select", None) is not None
                                 or bool(getattr(stmt, "_returning", None))):
            return
        key_names: dict[Any, str] = getattr(compiled, "pk_param_names", {})
        row_names: list[dict[str, str]] = getattr(compiled, "insert_row_params", [])
        pk_columns = list(table.primary_key.columns)
        rows: list[tuple[Any, ...]] = []
        if row_names:
            params = self.compiled_parameters[0]
            for names in row_names:
                rows.append(tuple(params.get(names.get(c.key, "")) for c in pk_columns))
        else:
            generated = self.generated_keys or {}
            for number, params in enumerate(self.compiled_parameters):
                known = generated.get(number, {})
                rows.append(tuple(
                    params.get(key_names[c]) if c in key_names else known.get(c)
                    for c in pk_columns))
        if len(rows) == 1:
            rows[0] = self._fill_generated_key(rows[0], pk_columns, table, fetched)
        self.inserted_primary_key_rows = rows

    def _fill_generated_key(self, row: tuple[Any, ...], pk_columns: list[Any], table: Any,
                            fetched: list[Any] | None) -> tuple[Any, ...]:
        values = list(row)
        returned = fetched[0]._mapping if fetched else None
        for i, column in enumerate(pk_columns):
            if values[i] is not None:
                continue
            if returned is not None and column in returned:
                values[i] = returned[column]
            elif column is table._autoincrement_column and \
                    self.dialect.features.postfetch_lastrowid and not self.executemany:
                values[i] = self.lastrowid
        return tuple(values)

    def primary_key_row(self, values: Sequence[Any]) -> Row[Any]:
        """A Row of primary key ``values`` keyed by the target table's key column names."""
        compiled = self.compiled
        assert compiled is not None
        metadata = getattr(compiled, "_pk_row_metadata", None)
        if metadata is None:
            columns = list(compiled.dml_table.primary_key.columns)
            metadata = ResultMetaData([c.key for c in columns],
                                      extra_keys=[(c,) for c in columns])
            compiled._pk_row_metadata = metadata  # type: ignore[attr-defined]
        return metadata._row_class(values)


def _result_processor(type_: Any, dialect: Dialect, coltype: Any
                      ) -> Callable[[Any], Any] | None:
    cached = getattr(type_, "_cached_result_processor", None)
    if cached is not None:
        return cached(dialect, coltype)
    return type_.dialect_impl(dialect).result_processor(dialect, coltype)


def _param_renames(compiled: SQLCompiler) -> dict[str, str]:
    """Execution parameter keys that are column keys with characters a bind name can't have."""
    renames = getattr(compiled, "_param_renames", None)
    if renames is None:
        from sqlwright.sql.dml import bind_name_for

        renames = {k: bind_name_for(k) for k in compiled.column_keys
                   if bind_name_for(k) != k}
        compiled._param_renames = renames  # type: ignore[attr-defined]
    return renames


def _row_of_bind(compiled: SQLCompiler) -> dict[str, int]:
    """For a multi-row INSERT: bind name -> index of the row it belongs to."""
    found = getattr(compiled, "_row_of_bind", None)
    if found is None:
        found = {name: index
                 for index, names in enumerate(getattr(compiled, "insert_row_params", []))
                 for name in names.values()}
        compiled._row_of_bind = found  # type: ignore[attr-defined]
    return found


def _tuple_getter(names: Sequence[str]) -> Any:
    """A function returning the values of ``names`` from a dict, as a tuple."""
    if not names:
        return lambda params: ()
    if len(names) == 1:
        name = names[0]
        return lambda params: (params[name],)
    return itemgetter(*names)


def _element_processor(compiled: Any, name: str, index: int) -> Any:
    """The bind processor for element ``index`` of a tuple IN parameter, if its type has one."""
    types = getattr(compiled.binds[name].type, "types", None)
    if not types or index >= len(types):
        return None
    return types[index]._cached_bind_processor(compiled.dialect)
