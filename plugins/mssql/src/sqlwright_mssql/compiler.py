"""SQL Server's SQL compiler: only the rules that differ from core's ANSI compiler.

T-SQL differences handled here: ``TOP n`` and ``OFFSET ... FETCH`` (which needs an ORDER BY),
``OUTPUT inserted.*`` / ``deleted.*`` in place of RETURNING (placed where T-SQL wants it, not at
the end), row locks as table hints, ``+`` for string concatenation, ``LEN()``, ``N''`` string
literals, conditions in place of bare BIT values (``WHERE flag = 1``), no ``RECURSIVE`` keyword
in WITH, and ``SET IDENTITY_INSERT`` for explicit values in an IDENTITY column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlwright.sql.compiler import SQLCompiler

__all__ = ["MSSQLCompiler", "split_top_level"]

_OUTPUT_MARK = "\x00OUTPUT\x00"
def split_top_level(sql: str, word: str) -> int:
    """The index of the first `` word `` in ``sql`` outside parentheses, quotes and brackets.

    Returns -1 when there is none. Used to place clauses that T-SQL wants before WHERE.
    """
    depth = 0
    quote: str | None = None
    i = 0
    target = f" {word} "
    while i < len(sql):
        char = sql[i]
        if quote is not None:
            if char == quote:
                if i + 1 < len(sql) and sql[i + 1] == quote:
                    i += 1
                else:
                    quote = None
        elif char in "'\"":
            quote = char
        elif char == "[":
            quote = "]"
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and sql.startswith(target, i):
            return i
        i += 1
    return -1


def _closing_paren(sql: str, start: int) -> int:
    """The index of the parenthesis closing the one at ``start`` (brackets/quotes skipped)."""
    depth = 0
    quote: str | None = None
    for i in range(start, len(sql)):
        char = sql[i]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "[":
            quote = "]"
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


class MSSQLCompiler(SQLCompiler):
    """SQL compiler for SQL Server (T-SQL).

    After compiling an INSERT, :attr:`identity_insert_table` is the quoted name of the target
    table when the statement gives explicit values to its IDENTITY column (the dialect then
    wraps the execution in ``SET IDENTITY_INSERT ... ON/OFF``), else None.
    """

    identity_insert_table: str | None = None

    # -- per-compile state -------------------------------------------------------------------
    def _ms_state(self) -> dict[str, Any]:
        state = self.__dict__.get("_ms_state_obj")
        if state is None:
            state = {"locks": [], "output": []}
            self.__dict__["_ms_state_obj"] = state
        return state

    # -- strings, functions, operators -------------------------------------------------------
    def render_string_literal(self, value: str) -> str:
        """``N'...'``: a Unicode literal, so no character is lost to the code page."""
        return "N" + super().render_string_literal(value)

    def visit_concat_op_binary(self, binary: Any, **kw: Any) -> str:
        return self.render_binary(binary, " + ", **kw)

    def visit_length_func(self, fn: Any, **kw: Any) -> str:
        return f"LEN({self.process(fn.clauses, **kw)})"

    visit_char_length_func = visit_length_func

    def visit_now_func(self, fn: Any, **kw: Any) -> str:
        return "GETDATE()"

    def visit_current_timestamp_func(self, fn: Any, **kw: Any) -> str:
        return "SYSDATETIME()"

    def visit_current_date_func(self, fn: Any, **kw: Any) -> str:
        return "CAST(GETDATE() AS DATE)"

    def visit_extract(self, extract: Any, **kw: Any) -> str:
        return f"DATEPART({extract.field}, {self.process(extract.expr, **kw)})"

    def visit_mod_binary(self, binary: Any, **kw: Any) -> str:
        return self.render_binary(binary, " % ", **kw)

    # -- SELECT ------------------------------------------------------------------------------
    def visit_select(self, select: Any, **kw: Any) -> str:  # type: ignore[override]
        state = self._ms_state()
        arg = select.for_update_arg
        state["locks"].append(self._lock_hint(arg) if arg is not None else None)
        try:
            text = super().visit_select(select, **kw)
        finally:
            state["locks"].pop()
        return _drop_recursive(text)

    def visit_compound_select(self, compound: Any, **kw: Any) -> str:  # type: ignore[override]
        return _drop_recursive(super().visit_compound_select(compound, **kw))

    @staticmethod
    def _lock_hint(arg: Any) -> str:
        hints = ["HOLDLOCK" if arg.read else "UPDLOCK", "ROWLOCK"]
        if arg.nowait:
            hints.append("NOWAIT")
        if arg.skip_locked:
            hints.append("READPAST")
        return f" WITH ({', '.join(hints)})"

    def _current_lock(self) -> str | None:
        locks = self._ms_state()["locks"]
        return locks[-1] if locks else None

    def visit_table(self, table: Any, asfrom: bool = False, **kw: Any) -> str:
        text = super().visit_table(table, **kw)
        hint = self._current_lock() if asfrom else None
        return text + hint if hint else text

    def visit_alias(self, alias: Any, asfrom: bool = False, **kw: Any) -> str:
        hint = self._current_lock()
        if not (asfrom and hint and getattr(alias.element, "__visit_name__", "") == "table"):
            return super().visit_alias(alias, asfrom=asfrom, **kw)
        locks = self._ms_state()["locks"]
        locks.append(None)  # the hint follows the alias name, not the table name
        try:
            return super().visit_alias(alias, asfrom=asfrom, **kw) + hint
        finally:
            locks.pop()

    def for_update_clause(self, select: Any, **kw: Any) -> str:
        """Nothing: SQL Server locks rows with table hints, rendered after each table."""
        return ""

    def get_select_precolumns(self, select: Any, **kw: Any) -> str:
        text = super().get_select_precolumns(select, **kw)
        if select.limit_expression is not None and select.offset_expression is None:
            text += f"TOP ({self.process(select.limit_expression, **kw)}) "
        return text

    def limit_clause(self, select: Any, **kw: Any) -> str:
        """``OFFSET n ROWS [FETCH NEXT m ROWS ONLY]``; a set operation's LIMIT also takes this
        form, and an ORDER BY is added when the statement has none (T-SQL requires one)."""
        limit, offset = select.limit_expression, select.offset_expression
        compound = select.__visit_name__ == "compound_select"
        if offset is None and (limit is None or not compound):
            return ""
        text = ""
        if not select.order_by_clauses:
            text += " ORDER BY 1" if compound else " ORDER BY (SELECT NULL)"
        start = self.process(offset, **kw) if offset is not None else "0"
        text += f" OFFSET {start} ROWS"
        if limit is not None:
            text += f" FETCH NEXT {self.process(limit, **kw)} ROWS ONLY"
        return text

    # -- DML: OUTPUT and IDENTITY_INSERT -----------------------------------------------------
    def returning_clause(self, rendered: Sequence[str]) -> str:
        """Remember ``OUTPUT <columns>``; the DML rules move it where T-SQL wants it."""
        self._ms_state()["output"].append(" OUTPUT " + ", ".join(rendered))
        return _OUTPUT_MARK

    def _render_dml(self, kind: str, stmt: Any, prefix: str, **kw: Any) -> str:
        state = self._ms_state()
        mark = len(state["output"])
        text = getattr(super(), f"visit_{kind}")(stmt, **kw)
        if _OUTPUT_MARK not in text:
            return text
        table_sql = self.dml_table_sql(stmt.table)
        # RETURNING columns are qualified by the table; OUTPUT names the row image instead
        output = state["output"][mark].replace(f"{table_sql}.", f"{prefix}.")
        del state["output"][mark:]
        text = text.replace(_OUTPUT_MARK, "")
        return _place_output(text, kind, table_sql, output)

    def visit_insert(self, stmt: Any, **kw: Any) -> str:  # type: ignore[override]
        text = self._render_dml("insert", stmt, "inserted", **kw)
        if self.statement is stmt:
            self.identity_insert_table = self._identity_insert(stmt, text)
        return text

    def visit_update(self, stmt: Any, **kw: Any) -> str:  # type: ignore[override]
        return self._render_dml("update", stmt, "inserted", **kw)

    def visit_delete(self, stmt: Any, **kw: Any) -> str:  # type: ignore[override]
        return self._render_dml("delete", stmt, "deleted", **kw)

    def _identity_insert(self, stmt: Any, text: str) -> str | None:
        """The quoted table name when the INSERT's column list names its IDENTITY column."""
        column = identity_column(stmt.table)
        if column is None:
            return None
        table_sql = self.dml_table_sql(stmt.table)
        head = text.find(f"INSERT INTO {table_sql} (")
        if head < 0:
            return None
        start = head + len(f"INSERT INTO {table_sql} ")
        end = _closing_paren(text, start)
        names = text[start + 1:end].split(", ")
        return table_sql if self.preparer.quote(column.name) in names else None


def identity_column(table: Any) -> Any:
    """The column SQL Server makes IDENTITY: one with ``Identity()``, else the table's
    autoincrement integer primary key column (None when there is neither)."""
    for column in getattr(table, "c", ()):
        if getattr(column, "identity", None) is not None:
            return column
    column = getattr(table, "_autoincrement_column", None)
    if column is not None and getattr(column, "default", None) is None:
        return column
    return None


def _place_output(text: str, kind: str, table_sql: str, output: str) -> str:
    """Put ``OUTPUT ...`` where T-SQL expects it in an INSERT, UPDATE or DELETE."""
    verb = {"insert": "INSERT INTO ", "update": "UPDATE ", "delete": "DELETE FROM "}[kind]
    head = text.find(verb + table_sql)
    start = head + len(verb + table_sql) if head >= 0 else 0
    if kind == "insert":
        if text.startswith(" (", start):
            end = _closing_paren(text, start + 1)
            if end > 0:
                start = end + 1
        return text[:start] + output + text[start:]
    where = split_top_level(text[start:], "WHERE")
    at = start + where if where >= 0 else len(text)
    return text[:at] + output + text[at:]


def _drop_recursive(text: str) -> str:
    """T-SQL writes a recursive CTE with a plain ``WITH``."""
    if text.startswith("WITH RECURSIVE "):
        return "WITH " + text[len("WITH RECURSIVE "):]
    return text
