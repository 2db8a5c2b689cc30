"""SQLite's SQL compiler: only the rules that differ from core's ANSI compiler."""

from __future__ import annotations

from typing import Any

from sqlwright import exc
from sqlwright.sql.compiler import SQLCompiler

#: EXTRACT fields and the STRFTIME format that yields each one
_EXTRACT_FORMATS = {
    "year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "minute": "%M", "second": "%S",
    "doy": "%j", "dow": "%w", "week": "%W", "epoch": "%s",
}


class SQLiteCompiler(SQLCompiler):
    """SQL compiler for SQLite."""

    def limit_clause(self, select: Any, **kw: Any) -> str:
        """SQLite accepts OFFSET only after a LIMIT; ``LIMIT -1`` means no limit."""
        offset = select.offset_expression
        if offset is not None and select.limit_expression is None:
            return " LIMIT -1 OFFSET " + self.process(offset, **kw)
        return super().limit_clause(select, **kw)

    def visit_extract(self, extract: Any, **kw: Any) -> str:
        """SQLite has no EXTRACT: read the field with STRFTIME and cast it to an integer."""
        try:
            fmt = _EXTRACT_FORMATS[extract.field.lower()]
        except KeyError:
            raise exc.CompileError(
                f"SQLite cannot extract {extract.field!r}; use one of "
                f"{', '.join(_EXTRACT_FORMATS)}") from None
        return f"CAST(STRFTIME('{fmt}', {self.process(extract.expr, **kw)}) AS INTEGER)"

    def visit_char_length_func(self, fn: Any, **kw: Any) -> str:
        """SQLite's length() counts characters; it has no char_length()."""
        return f"length({self.process(fn.clauses, **kw)})"

    def visit_json_getitem_op_binary(self, binary: Any, **kw: Any) -> str:
        """``JSON_EXTRACT(doc, path)``; quoted back to JSON text when the result is JSON
        (``as_string()`` / ``as_integer()`` ... want the SQL scalar instead)."""
        from sqlwright.types import JSON

        left = self.process(binary.left, **kw)
        right = self.process(binary.right, **kw)
        extracted = f"JSON_EXTRACT({left}, {right})"
        if isinstance(binary.type, JSON):
            return f"JSON_QUOTE({extracted})"
        return extracted

    visit_json_path_getitem_op_binary = visit_json_getitem_op_binary
