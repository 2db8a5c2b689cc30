"""MySQL's SQL compiler: only the rules that differ from core's ANSI compiler.

``||`` is logical OR on MySQL, so concatenation is ``CONCAT()``; ``IS DISTINCT FROM`` is
spelled with the null-safe ``<=>``; JSON indexing is ``JSON_EXTRACT``; CAST takes MySQL's own
target names (SIGNED, CHAR, DECIMAL ...). Rules that differ between MySQL and MariaDB ask the
dialect's ``is_mariadb`` and server version (this plugin's own attributes).
"""

from __future__ import annotations

from typing import Any

from sqlwright.sql import operators as ops
from sqlwright.sql.compiler import SQLCompiler
from sqlwright.types import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Time,
)

#: LIMIT without a limit: the largest value MySQL accepts (it has no OFFSET-only form)
NO_LIMIT = "18446744073709551615"

#: EXTRACT fields MySQL lacks, as the function that gives the same number
_EXTRACT_FUNCTIONS = {
    "dow": "(DAYOFWEEK({}) - 1)", "doy": "DAYOFYEAR({})", "epoch": "UNIX_TIMESTAMP({})",
    "isodow": "WEEKDAY({}) + 1",
}


def _paren(*values: Any) -> str:
    given = [str(v) for v in values if v is not None]
    return f"({', '.join(given)})" if given else ""


class MySQLCompiler(SQLCompiler):
    """SQL compiler for MySQL and MariaDB."""

    # -- server facts ---------------------------------------------------------------------
    @property
    def _is_mariadb(self) -> bool:
        return bool(getattr(self.dialect, "is_mariadb", False))

    def _mysql_at_least(self, *version: int) -> bool:
        """True on MySQL (not MariaDB) of at least ``version``, or of an unknown version."""
        info = self.dialect.server_version_info
        return not self._is_mariadb and (info is None or tuple(info) >= version)

    def render_bool_literal(self, value: bool) -> str:
        """``true`` / ``false``: MySQL's names for 1 and 0, valid after IS as well."""
        return "true" if value else "false"

    # -- LIMIT / OFFSET -------------------------------------------------------------------
    def limit_clause(self, select: Any, **kw: Any) -> str:
        """``LIMIT n OFFSET m``; an OFFSET alone needs MySQL's largest LIMIT in front."""
        offset = select.offset_expression
        if offset is not None and select.limit_expression is None:
            return f" LIMIT {NO_LIMIT} OFFSET " + self.process(offset, **kw)
        return super().limit_clause(select, **kw)

    # -- operators ------------------------------------------------------------------------
    def _concat_operands(self, element: Any) -> list[Any]:
        if getattr(element, "operator", None) is ops.concat_op and hasattr(element, "left"):
            return self._concat_operands(element.left) + self._concat_operands(element.right)
        inner = getattr(element, "element", None)
        if type(element).__name__ == "Grouping" and \
                getattr(inner, "operator", None) is ops.concat_op:
            return self._concat_operands(inner)
        return [element]

    def visit_concat_op_binary(self, binary: Any, **kw: Any) -> str:
        """``a || b || c`` is ``CONCAT(a, b, c)`` (``||`` means OR on MySQL)."""
        parts = self._concat_operands(binary)
        return "CONCAT(" + ", ".join(self.process(p, **kw) for p in parts) + ")"

    def visit_is_distinct_from_binary(self, binary: Any, **kw: Any) -> str:
        """``NOT (a <=> b)``: ``<=>`` is MySQL's null-safe equality."""
        return f"NOT ({self.render_binary(binary, ' <=> ', **kw)})"

    def visit_is_not_distinct_from_binary(self, binary: Any, **kw: Any) -> str:
        return self.render_binary(binary, " <=> ", **kw)

    def visit_floordiv_binary(self, binary: Any, **kw: Any) -> str:
        """``DIV`` for integers (``/`` always gives a decimal on MySQL), else FLOOR(a / b)."""
        integer = all(getattr(getattr(side, "type", None), "python_type_hint", None) is int
                      for side in (binary.left, binary.right))
        if integer:
            return self.render_binary(binary, " DIV ", **kw)
        return f"FLOOR({self.render_binary(binary, ' / ', **kw)})"

    def _render_regexp(self, binary: Any, negated: bool, **kw: Any) -> str:
        flags = binary.modifiers.get("flags")
        left = self.process(binary.left, **kw)
        pattern = self.process(binary.right, **kw)
        if not flags:
            return f"{left} {'NOT REGEXP' if negated else 'REGEXP'} {pattern}"
        if self._is_mariadb:
            # MariaDB's PCRE takes the flags inline: (?i)pattern
            prefix = self.render_string_literal(f"(?{flags})")
            text = f"{left} REGEXP CONCAT({prefix}, {pattern})"
        else:
            text = f"REGEXP_LIKE({left}, {pattern}, {self.render_string_literal(flags)})"
        return f"NOT ({text})" if negated else text

    def visit_regexp_match_op_binary(self, binary: Any, **kw: Any) -> str:
        """``a REGEXP b``; with ``flags``: ``REGEXP_LIKE(a, b, flags)`` (MySQL) or an inline
        ``(?flags)`` prefix (MariaDB)."""
        return self._render_regexp(binary, False, **kw)

    def visit_not_regexp_match_op_binary(self, binary: Any, **kw: Any) -> str:
        return self._render_regexp(binary, True, **kw)

    # -- JSON -----------------------------------------------------------------------------
    def visit_json_getitem_op_binary(self, binary: Any, **kw: Any) -> str:
        """``JSON_EXTRACT(doc, path)`` for JSON results; ``as_string()`` and the other
        ``as_*()`` methods read the scalar with ``JSON_VALUE`` (JSON null is SQL NULL) and
        CAST it."""
        doc, path = self.process(binary.left, **kw), self.process(binary.right, **kw)
        type_ = binary.type
        if isinstance(type_, JSON):
            return f"JSON_EXTRACT({doc}, {path})"
        if self._is_mariadb or self._mysql_at_least(8, 0, 21):
            scalar = f"JSON_VALUE({doc}, {path})"
        else:
            scalar = f"JSON_UNQUOTE(JSON_EXTRACT({doc}, {path}))"
        if isinstance(type_, Boolean):
            # MariaDB's JSON_VALUE gives 1 / 0 for true / false, MySQL's 'true' / 'false'
            return (f"CASE WHEN {scalar} IN ('true', '1') THEN 1 "
                    f"WHEN {scalar} IN ('false', '0') THEN 0 END")
        if isinstance(type_, (Integer, Numeric)):
            return f"CAST({scalar} AS {self.cast_target(type_)})"
        return scalar

    visit_json_path_getitem_op_binary = visit_json_getitem_op_binary

    # -- CAST and EXTRACT -----------------------------------------------------------------
    def cast_target(self, type_: Any) -> str | None:
        """MySQL's CAST target for ``type_`` (SIGNED, DECIMAL(10, 2), CHAR ...), or None
        when MySQL has no CAST to that type (the value is then used as it is)."""
        if isinstance(type_, Integer):
            return "UNSIGNED" if getattr(type_, "unsigned", False) else "SIGNED"
        if isinstance(type_, Float):
            return "DOUBLE"
        if isinstance(type_, Numeric):
            return "DECIMAL" + _paren(type_.precision, type_.scale)
        if isinstance(type_, String):
            return "CHAR" + _paren(type_.length)
        if isinstance(type_, DateTime):
            return "DATETIME" + _paren(getattr(type_, "fsp", None))
        if isinstance(type_, Date):
            return "DATE"
        if isinstance(type_, Time):
            return "TIME" + _paren(getattr(type_, "fsp", None))
        if isinstance(type_, LargeBinary):
            return "BINARY" + _paren(type_.length)
        if isinstance(type_, JSON) and not self._is_mariadb:
            return "JSON"
        return None

    def visit_cast(self, cast: Any, **kw: Any) -> str:
        """``CAST(x AS <MySQL target>)``; a type MySQL can't CAST to (Boolean, Uuid, JSON on
        MariaDB) leaves the expression as it is, still typed for results."""
        target = self.cast_target(cast.type)
        inner = self.process(cast.clause, **kw)
        if target is None:
            return inner
        return f"CAST({inner} AS {target})"

    def visit_extract(self, extract: Any, **kw: Any) -> str:
        """EXTRACT, with dow / doy / epoch / isodow through MySQL's date functions."""
        field = extract.field.lower()
        inner = self.process(extract.expr, **kw)
        template = _EXTRACT_FUNCTIONS.get(field)
        if template is not None:
            return template.format(inner)
        return f"EXTRACT({field.upper()} FROM {inner})"

    # -- IN with an empty list ------------------------------------------------------------
    def render_empty_in(self, bind: Any) -> str:
        """A subquery with no rows: ``x IN (SELECT NULL FROM DUAL WHERE 1 != 1)``."""
        element_types = getattr(bind.type, "types", None) or [bind.type]
        nulls = ", ".join("NULL" for _ in element_types)
        return f"SELECT {nulls} FROM DUAL WHERE 1 != 1"

    # -- FOR UPDATE -----------------------------------------------------------------------
    def for_update_keyword(self, arg: Any) -> str:
        """``FOR SHARE`` is ``LOCK IN SHARE MODE`` on MariaDB and MySQL 5."""
        if arg.read and not self._mysql_at_least(8):
            return " LOCK IN SHARE MODE"
        return super().for_update_keyword(arg)

    def for_update_of(self, arg: Any, **kw: Any) -> str:
        """``OF`` only on MySQL 8: MariaDB has none and locks the rows of every table read."""
        return super().for_update_of(arg, **kw) if self._mysql_at_least(8) else ""

    # -- INSERT: upsert and batched RETURNING ---------------------------------------------
    def visit_insert(self, stmt: Any, dml_all_columns: bool = False, **kw: Any) -> str:
        """Core's INSERT plus ``ON DUPLICATE KEY UPDATE`` for :func:`sqlwright_mysql.insert`,
        and the plan that lets executemany fetch generated keys (see ``returning_batch``)."""
        upsert = getattr(stmt, "_on_duplicate", None)
        toplevel = self.statement is stmt
        pending = self.__dict__.setdefault("_pending_upserts", [])
        entry = [stmt, upsert, kw, False]
        pending.append(entry)
        try:
            text = super().visit_insert(stmt, dml_all_columns=dml_all_columns, **kw)
        finally:
            pending.pop()
        if upsert is not None and not entry[3]:
            text += self._upsert_sql(stmt, upsert, **kw)
        if toplevel and upsert is None:
            self._plan_returning_batch(stmt)
        return text

    def returning_clause(self, rendered: Any) -> str:
        """RETURNING; an upsert's ON DUPLICATE KEY UPDATE goes before it (MariaDB's order)."""
        pending = self.__dict__.get("_pending_upserts") or []
        prefix = ""
        if pending and pending[-1][1] is not None:
            entry = pending[-1]
            prefix = self._upsert_sql(entry[0], entry[1], **entry[2])
            entry[3] = True
        return prefix + super().returning_clause(rendered)

    def _upsert_sql(self, stmt: Any, upsert: Any, **kw: Any) -> str:
        row_alias = self._uses_row_alias(stmt)
        sets = []
        for key, value in upsert.pairs:
            column = stmt.table.c[key]
            sql = self.process(value.self_group(), _inserted_alias=row_alias, **kw)
            sets.append(f"{self.preparer.quote(column.name)} = {sql}")
        alias = f" AS {self.preparer.quote(upsert.row_alias)}" if row_alias else ""
        return f"{alias} ON DUPLICATE KEY UPDATE {', '.join(sets)}"

    def _uses_row_alias(self, stmt: Any) -> bool:
        """MySQL 8.0.20 names the new row with an alias (``VALUES()`` is deprecated there);
        MariaDB, older MySQL and INSERT ... SELECT use ``VALUES(col)``."""
        return stmt.select is None and self._mysql_at_least(8, 0, 20) and \
            self.dialect.server_version_info is not None

    def visit_mysql_inserted_column(self, element: Any, _inserted_alias: bool = False,
                                    **kw: Any) -> str:
        """``stmt.inserted.col``: the value the INSERT tried to write into ``col``."""
        name = self.preparer.quote(element.column.name)
        if _inserted_alias:
            return f"{self.preparer.quote(element.row_alias)}.{name}"
        return f"VALUES({name})"

    def _plan_returning_batch(self, stmt: Any) -> None:
        """For executemany of a plain INSERT on a server with INSERT ... RETURNING, note the
        autoincrement column whose generated values the dialect fetches in batches.

        ``returning_batch`` is ``(column, parameter name)``; the dialect stores each row's
        key under that name in the row's parameters, where core reads inserted primary keys.
        """
        #: the autoincrement column do_executemany reads back from RETURNING batches
        self.returning_batch: Any = None
        if not (self.for_executemany and self.isinsert) or stmt.select is not None \
                or stmt._multi_values or stmt._returning or stmt._inline:
            return
        features = self.dialect.features
        if not (features.supports_insert_returning
                and features.supports_multirow_insert_returning):
            return
        column = stmt.table._autoincrement_column
        if column is None or column in self.pk_param_names:
            return
        self.returning_batch = column
