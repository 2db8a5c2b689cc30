"""Oracle's SQL compiler: only the rules that differ from core's ANSI compiler.

Oracle differences handled here: ``FROM DUAL`` for a SELECT without tables, no ``AS`` before a
table alias, ``OFFSET ... FETCH FIRST`` from 12c and ROWNUM wrapping before, ``seq.NEXTVAL``,
``RETURNING ... INTO`` out-binds, ``MINUS`` before 21c, no ``RECURSIVE`` keyword in WITH, and
conditions in place of bare NUMBER(1) booleans before 23ai (``WHERE flag = 1``).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from sqlwright.sql.compiler import SQLCompiler
from sqlwright.sql.selectable import table

__all__ = ["OracleCompiler"]

_DUAL = table("dual")
class OracleCompiler(SQLCompiler):
    """SQL compiler for Oracle Database.

    After compiling a statement with RETURNING, :attr:`returning_out_binds` lists the names of
    the out-bind parameters of its ``RETURNING ... INTO`` clause, one per returned column.
    """

    returning_out_binds: list[str]

    def __init__(self, *args: Any, **kw: Any) -> None:
        self.returning_out_binds = []
        #: bind name -> the name the SQL uses, for names Oracle does not accept as binds
        self.escaped_bind_names: dict[str, str] = {}
        super().__init__(*args, **kw)

    def bindparam_string(self, name: str, **kw: Any) -> str:
        """``:name``; a reserved word or a name not starting with a letter is renamed
        (``:select`` -> ``:select_``), and the dialect renames the parameter to match."""
        safe = self.escaped_bind_names.get(name)
        if safe is None:
            safe = name
            if not safe[:1].isalpha():
                safe = "p" + safe
            if safe.lower() in self.preparer.reserved_words:
                safe += "_"
            if safe != name:
                self.escaped_bind_names[name] = safe
        return super().bindparam_string(safe, **kw)

    # -- version-dependent switches ----------------------------------------------------------
    def _version_at_least(self, *version: int) -> bool:
        features = self.dialect.features
        info = features.server_version_info or getattr(features, "assumed_server_version", ())
        return tuple(info or ()) >= version


    # -- functions and operators -------------------------------------------------------------
    def visit_char_length_func(self, fn: Any, **kw: Any) -> str:
        return f"LENGTH({self.process(fn.clauses, **kw)})"

    def visit_mod_binary(self, binary: Any, **kw: Any) -> str:
        return f"MOD({self.process(binary.left, **kw)}, {self.process(binary.right, **kw)})"

    def visit_regexp_match_op_binary(self, binary: Any, **kw: Any) -> str:
        return f"REGEXP_LIKE({self.process(binary.left, **kw)}, {self.process(binary.right, **kw)})"

    def visit_not_regexp_match_op_binary(self, binary: Any, **kw: Any) -> str:
        return "NOT " + self.visit_regexp_match_op_binary(binary, **kw)

    def visit_next_value(self, element: Any, **kw: Any) -> str:
        sequence = element.sequence
        name = self.preparer.format_table_name(sequence.name, getattr(sequence, "schema", None))
        return f"{name}.nextval"

    # -- SELECT ------------------------------------------------------------------------------
    def format_alias(self, rendered: str, name: str) -> str:
        """Oracle rejects ``AS`` before a table alias: ``users u``."""
        return f"{rendered} {name}"

    def visit_select(self, select: Any, **kw: Any) -> str:  # type: ignore[override]
        if not select.get_final_froms():
            select = select.select_from(_DUAL)
        if not self._version_at_least(12) and (
                select.limit_expression is not None or select.offset_expression is not None):
            return self._rownum_select(select, **kw)
        return _drop_recursive(super().visit_select(select, **kw))

    def visit_compound_select(self, compound: Any, **kw: Any) -> str:  # type: ignore[override]
        if compound.keyword.startswith("EXCEPT") and not self._version_at_least(21):
            compound = copy.copy(compound)
            compound.keyword = compound.keyword.replace("EXCEPT", "MINUS", 1)
        return _drop_recursive(super().visit_compound_select(compound, **kw))

    def visit_table(self, table: Any, **kw: Any) -> str:
        if table is _DUAL:
            return "DUAL"
        return super().visit_table(table, **kw)

    def limit_clause(self, select: Any, **kw: Any) -> str:
        """`` OFFSET n ROWS`` and `` FETCH FIRST m ROWS ONLY`` (Oracle 12c and later)."""
        text = ""
        if select.offset_expression is not None:
            text += f" OFFSET {self.process(select.offset_expression, **kw)} ROWS"
        if select.limit_expression is not None:
            text += f" FETCH FIRST {self.process(select.limit_expression, **kw)} ROWS ONLY"
        return text

    def _rownum_select(self, select: Any, **kw: Any) -> str:
        """LIMIT/OFFSET before 12c: filter on ROWNUM around the unlimited query."""
        limit, offset = select.limit_expression, select.offset_expression
        before = len(self.result_columns)
        inner = super().visit_select(select.limit(None).offset(None), **kw)
        names = [self.preparer.quote(rc.name) for rc in self.result_columns[before:]]
        if offset is None:
            return f"SELECT * FROM ({inner}) WHERE ROWNUM <= {self.process(limit, **kw)}"
        off = self.process(offset, **kw)
        bound = f" WHERE ROWNUM <= {self.process(limit, **kw)} + {off}" if limit is not None \
            else ""
        columns = ", ".join(names) if names else "*"
        return (f"SELECT {columns} FROM (SELECT ora_inner.*, ROWNUM AS ora_rn FROM ({inner}) "
                f"ora_inner{bound}) WHERE ora_rn > {off}")

    def for_update_keyword(self, arg: Any) -> str:
        """Oracle has no FOR SHARE: every lock is ``FOR UPDATE``."""
        return " FOR UPDATE"

    def for_update_of(self, arg: Any, **kw: Any) -> str:
        """Oracle's ``OF`` names columns."""
        if not arg.of:
            return ""
        return " OF " + ", ".join(self.process(c, **kw) for c in arg.of)

    # -- DML ---------------------------------------------------------------------------------
    def returning_clause(self, rendered: Sequence[str]) -> str:
        """`` RETURNING a, b INTO :ret_0, :ret_1``: the driver binds one output variable per
        column (see ``OracleDialect.do_execute``)."""
        names = [f"ret_{i}" for i in range(len(rendered))]
        self.returning_out_binds = names
        values = [_strip_label(r) for r in rendered]
        binds = ", ".join(self.bindtemplate % {"name": n} for n in names)
        return f" RETURNING {', '.join(values)} INTO {binds}"


def _strip_label(rendered: str) -> str:
    """RETURNING ... INTO takes expressions, not ``expr AS name``."""
    head, sep, tail = rendered.rpartition(" AS ")
    if sep and tail and " " not in tail and ")" not in tail:
        return head
    return rendered


def _drop_recursive(text: str) -> str:
    """Oracle writes a recursive WITH without ``RECURSIVE``."""
    if text.startswith("WITH RECURSIVE "):
        return "WITH " + text[len("WITH RECURSIVE "):]
    return text
