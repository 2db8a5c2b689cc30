"""The execution context: one statement's trip from compiled form to DBAPI cursor to Result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.engine.result import CursorResult, ResultMetaData

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.engine.base import Connection
    from sqlwright.sql.compiler import SQLCompiler

__all__ = ["ExecutionContext"]


class ExecutionContext:
    """Prepares parameters for the driver, runs nothing itself, and builds the Result.

    Dialects may subclass it (``Dialect.execution_ctx_cls``) to fetch generated keys their own way.
    """

    compiled: SQLCompiler | None = None
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
        self.inserted_primary_key_rows: list[tuple[Any, ...]] | None = None
        self.returned_default_rows: list[Any] | None = None
        self._rowcount: int | None = None
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
        compiled_params = [compiled.construct_params(p or None, extracted) for p in param_sets]
        if not compiled_params:
            compiled_params = [compiled.construct_params(None, extracted)]
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
        for params in self.compiled_parameters:
            for column, name in prefetch:
                params[name] = self._column_default(column, params)

    def _column_default(self, column: Any, params: dict[str, Any]) -> Any:
        default = column.onupdate if self.isupdate else column.default
        return default.execute_python(self, params)

    def _driver_parameters(self) -> Any:
        compiled = self.compiled
        assert compiled is not None
        processors = compiled.bind_processors()
        out: list[Any] = []
        statement = self.statement
        for params in self.compiled_parameters:
            positions = compiled.positiontup
            if compiled.has_expanding:
                if self.executemany:
                    raise exc.InvalidRequestError(
                        "An expanding IN parameter cannot be used with executemany")
                statement, params, positions, origin = compiled.expand(params)
                for name, base in origin.items():
                    proc = processors.get(base)
                    if proc is not None:
                        params[name] = proc(params[name])
            for name, proc in processors.items():
                if name in params:
                    params[name] = proc(params[name])
            if compiled.positional:
                out.append(tuple(params[name] for name in positions))
            else:
                out.append(params)
        self.statement = statement
        return out if self.executemany else out[0]

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
            processors = [
                c.type.dialect_impl(dialect).result_processor(dialect, d[1])
                for c, d in zip(columns, description)
            ]
            return ResultMetaData(keys, extra_keys=extra, processors=processors)
        normalize = getattr(dialect, "normalize_name", None)
        keys = [normalize(n) if normalize else n for n in names]
        return ResultMetaData(keys)

    def make_result(self, cursor: Any) -> CursorResult:
        """Build the Result for the executed cursor and record generated keys."""
        metadata = self.result_metadata(cursor)
        self.lastrowid = getattr(cursor, "lastrowid", None)
        result = CursorResult(cursor, metadata, rowcount=self._rowcount)
        result.context = self
        if self.isinsert and self.compiled is not None and not self.executemany:
            self._set_inserted_primary_key(cursor, result)
        return result

    def _set_inserted_primary_key(self, cursor: Any, result: CursorResult) -> None:
        compiled = self.compiled
        assert compiled is not None
        table = compiled.dml_table
        if table is None:
            return
        params = self.compiled_parameters[0]
        key_names = getattr(compiled, "pk_param_names", {})
        row = []
        lastrowid = self.lastrowid
        for column in table.primary_key.columns:
            name = key_names.get(column)
            value = params.get(name) if name is not None else None
            if value is None and column is table._autoincrement_column and \
                    self.dialect.features.postfetch_lastrowid:
                value = lastrowid
            row.append(value)
        self.inserted_primary_key_rows = [tuple(row)]
