"""PostgreSQL's SQL compiler: only the rules that differ from core's ANSI compiler.

Core already renders what PostgreSQL shares with the standard (``LIMIT`` / ``OFFSET``,
``RETURNING``, ``ILIKE``, ``IS DISTINCT FROM``, ``||``, ``DISTINCT ON``, ``FOR UPDATE`` options,
``true`` / ``false``) by asking the Features flags; the rules here are PostgreSQL's own:
regular expression operators, JSON and array operators, ``nextval()``, row lock strengths and
``INSERT ... ON CONFLICT``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlwright import exc
from sqlwright.sql.compiler import SQLCompiler
from sqlwright.types import JSON, String

__all__ = ["PGCompiler"]

_REGEXP_OPS = {(False, False): " ~ ", (False, True): " ~* ",
               (True, False): " !~ ", (True, True): " !~* "}


class PGCompiler(SQLCompiler):
    """SQL compiler for PostgreSQL."""

    def __init__(self, dialect: Any, statement: Any, *, for_executemany: bool = False,
                 **kw: Any) -> None:
        #: True when an executemany INSERT was compiled to run as multi-row VALUES batches
        #: (the dialect's do_executemany), which allows RETURNING
        self.batched_executemany = bool(for_executemany and _batchable(dialect, statement))
        self._pending_conflicts: list[list[Any]] = []
        super().__init__(dialect, statement,
                         for_executemany=for_executemany and not self.batched_executemany,
                         **kw)
        #: for a batched executemany INSERT with an implicit RETURNING of generated keys: the
        #: columns do_executemany reads back from each batch (context.record_generated_keys)
        self.returned_key_columns: list[Any] = []
        # ON CONFLICT skips rows, so returned keys could not be paired with parameter sets
        skips_rows = getattr(statement, "_on_conflict", None) is not None
        if self.batched_executemany and getattr(self, "implicit_returning", None) and \
                not skips_rows:
            self.returned_key_columns = list(self.implicit_returning)

    # -- operators --------------------------------------------------------------------------
    def _render_regexp(self, binary: Any, negated: bool, **kw: Any) -> str:
        flags = binary.modifiers.get("flags")
        left = self.process(binary.left, **kw)
        right = self.process(binary.right, **kw)
        if not flags:
            return left + _REGEXP_OPS[(negated, False)] + right
        if flags == "i":
            return left + _REGEXP_OPS[(negated, True)] + right
        if not flags.isalpha():
            raise exc.CompileError(
                f"regexp_match() flags {flags!r} are not letters; pass PostgreSQL's ARE "
                "flags such as 'i', 'x', 'n'")
        return f"{left}{_REGEXP_OPS[(negated, False)]}CONCAT('(?{flags})', {right})"

    def visit_regexp_match_op_binary(self, binary: Any, **kw: Any) -> str:
        return self._render_regexp(binary, False, **kw)

    def visit_not_regexp_match_op_binary(self, binary: Any, **kw: Any) -> str:
        return self._render_regexp(binary, True, **kw)

    def _render_json(self, binary: Any, as_json: str, as_text: str, **kw: Any) -> str:
        left = self.process(binary.left, **kw)
        right = self.process(binary.right, **kw)
        if isinstance(binary.type, JSON):
            return f"{left} {as_json} {right}"
        text = f"{left} {as_text} {right}"
        if isinstance(binary.type, String):
            return text
        type_sql = self.dialect.type_compiler_instance.process(binary.type)
        return f"CAST(({text}) AS {type_sql})"

    def visit_json_getitem_op_binary(self, binary: Any, **kw: Any) -> str:
        """``doc -> key`` (JSON), ``doc ->> key`` (text, cast for as_integer() & co.)."""
        return self._render_json(binary, "->", "->>", **kw)

    def visit_json_path_getitem_op_binary(self, binary: Any, **kw: Any) -> str:
        """``doc #> path`` / ``doc #>> path`` with the path a text array."""
        return self._render_json(binary, "#>", "#>>", **kw)

    def visit_getitem_binary(self, binary: Any, **kw: Any) -> str:
        """Array indexing and slicing: ``col[1]``, ``col[2:3]``, ``(expr)[1]``."""
        left = self.process(binary.left, **kw)
        if getattr(binary.left, "__visit_name__", "") != "column":
            left = f"({left})"
        return f"{left}[{self.process(binary.right, **kw)}]"

    def visit_pg_array_slice(self, element: Any, **kw: Any) -> str:
        return f"{self.process(element.start, **kw)}:{self.process(element.stop, **kw)}"

    def visit_pg_any_all(self, element: Any, **kw: Any) -> str:
        return f"{element.keyword} ({self.process(element.element, **kw)})"

    # -- binds ------------------------------------------------------------------------------
    def visit_bindparam(self, bind: Any, literal_binds: bool = False, **kw: Any) -> str:
        """Array parameters carry a cast: psycopg2 sends a list as ``ARRAY[...]`` of the
        elements' own type (text for strings), which an enum or uuid array won't accept."""
        text = super().visit_bindparam(bind, literal_binds=literal_binds, **kw)
        if getattr(bind.type, "__visit_name__", None) == "ARRAY" and not (
                literal_binds or self.literal_binds or bind.literal_execute):
            text += "::" + self.dialect.type_compiler_instance.process(bind.type)
        return text

    def render_bool_literal(self, value: bool) -> str:
        return "true" if value else "false"

    # -- sequences and locks ----------------------------------------------------------------
    def visit_next_value(self, element: Any, **kw: Any) -> str:
        """``nextval('schema.name')``."""
        sequence = element.sequence
        name = self.preparer.format_table_name(sequence.name, getattr(sequence, "schema", None))
        return f"nextval({self.render_string_literal(name)})"

    def for_update_keyword(self, arg: Any) -> str:
        """``FOR UPDATE`` / ``FOR SHARE``; with ``key_share=True`` the weaker ``FOR NO KEY
        UPDATE`` / ``FOR KEY SHARE``."""
        if getattr(arg, "key_share", False):
            return " FOR KEY SHARE" if arg.read else " FOR NO KEY UPDATE"
        return super().for_update_keyword(arg)

    # -- INSERT ... ON CONFLICT ---------------------------------------------------------------
    def visit_insert(self, stmt: Any, dml_all_columns: bool = False, **kw: Any) -> str:
        """Core's INSERT plus ``ON CONFLICT ...`` before any RETURNING."""
        conflict = getattr(stmt, "_on_conflict", None)
        if conflict is None:
            return super().visit_insert(stmt, dml_all_columns=dml_all_columns, **kw)
        pending = [conflict, kw, False]
        self._pending_conflicts.append(pending)
        try:
            text = super().visit_insert(stmt, dml_all_columns=dml_all_columns, **kw)
        finally:
            self._pending_conflicts.pop()
        if not pending[2]:
            text += self.on_conflict_clause(conflict, **kw)
        return text

    def returning_clause(self, rendered: Sequence[str]) -> str:
        text = ""
        if self._pending_conflicts and not self._pending_conflicts[-1][2]:
            pending = self._pending_conflicts[-1]
            pending[2] = True
            text = self.on_conflict_clause(pending[0], **pending[1])
        return text + super().returning_clause(rendered)

    def on_conflict_clause(self, conflict: Any, **kw: Any) -> str:
        """`` ON CONFLICT [target] DO NOTHING | DO UPDATE SET ... [WHERE ...]``."""
        text = " ON CONFLICT"
        if conflict.constraint_name is not None:
            text += " ON CONSTRAINT " + self.preparer.quote(conflict.constraint_name)
        elif conflict.index_elements:
            cols = ", ".join(self.process(e, include_table=False, **kw)
                             for e in conflict.index_elements)
            text += f" ({cols})"
            if conflict.index_where is not None:
                text += " WHERE " + self.process(conflict.index_where, include_table=False, **kw)
        if conflict.action == "nothing":
            return text + " DO NOTHING"
        sets = [f"{self.preparer.quote(name)} = {self.process(value.self_group(), **kw)}"
                for name, value in conflict.set_pairs]
        text += " DO UPDATE SET " + ", ".join(sets)
        if conflict.where is not None:
            text += " WHERE " + self.process(conflict.where, **kw)
        return text


def _batchable(dialect: Any, statement: Any) -> bool:
    """Whether an executemany of ``statement`` can run as multi-row VALUES batches: a plain
    single-row INSERT ... VALUES, on a dialect whose paramstyle names its parameters."""
    return bool(
        getattr(statement, "is_insert", False)
        and getattr(dialect, "paramstyle", "") == "pyformat"
        and dialect.features.supports_multirow_insert_returning
        and getattr(statement, "select", None) is None
        and not getattr(statement, "_multi_values", ())
    )

