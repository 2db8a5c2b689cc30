"""MySQL DDL rules: AUTO_INCREMENT, inline comments, table options, MySQL's index options
(``mysql_length``, ``mysql_prefix``, ``mysql_using``) and its ALTER TABLE ... DROP forms."""

from __future__ import annotations

import re
from typing import Any

from sqlwright import exc
from sqlwright.sql.ddl_compiler import DDLCompiler
from sqlwright.types import JSON, LargeBinary, Text

#: table options with a spelling of their own; any other ``mysql_<option>`` renders as
#: ``<OPTION>=value`` (``mysql_row_format="DYNAMIC"`` -> ``ROW_FORMAT=DYNAMIC``)
_TABLE_OPTIONS = {"engine": "ENGINE", "charset": "DEFAULT CHARSET",
                  "default_charset": "DEFAULT CHARSET", "collate": "COLLATE"}
_OPTION_VALUE = re.compile(r"^[A-Za-z0-9_]+$")


class MySQLDDLCompiler(DDLCompiler):
    """DDL compiler for MySQL and MariaDB."""

    @property
    def _is_mariadb(self) -> bool:
        return bool(getattr(self.dialect, "is_mariadb", False))

    # -- columns --------------------------------------------------------------------------
    def get_column_specification(self, column: Any) -> str:
        """Core's column definition plus ``AUTO_INCREMENT`` and ``COMMENT '...'``."""
        spec = super().get_column_specification(column)
        table = column.table
        if self._type_name(column) == "TIMESTAMP" and column.nullable:
            spec += " NULL"  # without it, older servers make a TIMESTAMP NOT NULL
        if table is not None and (column is table._autoincrement_column
                                  or column.identity is not None):
            spec += " AUTO_INCREMENT"
        if column.comment is not None:
            spec += " COMMENT " + self.sql_compiler.render_string_literal(column.comment)
        return spec

    def _type_name(self, column: Any) -> str:
        return self.column_type(column).split("(")[0]

    def get_column_default_string(self, column: Any) -> str | None:
        """MySQL 8 accepts a default on TEXT, BLOB and JSON columns only as an expression in
        parentheses; MariaDB takes the plain literal."""
        text = super().get_column_default_string(column)
        if text is None or self._is_mariadb:
            return text
        if isinstance(column.type, (Text, LargeBinary, JSON)) and not text.startswith("("):
            return f"({text})"
        return text

    # -- tables ---------------------------------------------------------------------------
    def post_create_table(self, table: Any) -> str:
        """Table options: ``mysql_engine`` -> ENGINE=..., ``mysql_charset`` -> DEFAULT
        CHARSET=..., ``mysql_collate``, any other ``mysql_<name>``, and COMMENT."""
        options = []
        for key, value in table.dialect_options.get("mysql", {}).items():
            name = _TABLE_OPTIONS.get(key.lower(), key.upper())
            if isinstance(value, str) and not _OPTION_VALUE.match(value):
                value = self.sql_compiler.render_string_literal(value)
            options.append(f"{name}={value}")
        if table.comment is not None:
            options.append("COMMENT=" + self.sql_compiler.render_string_literal(table.comment))
        return " " + " ".join(options) if options else ""

    def visit_set_table_comment(self, element: Any, **kw: Any) -> str:
        table = element.element
        comment = self.sql_compiler.render_string_literal(table.comment or "")
        return f"ALTER TABLE {self.format_table(table)} COMMENT {comment}"

    def visit_set_column_comment(self, element: Any, **kw: Any) -> str:
        """MySQL sets a column comment by redefining the column (MODIFY)."""
        column = element.element
        return (f"ALTER TABLE {self.format_table(column.table)} MODIFY "
                f"{self.get_column_specification(column)}")

    # -- constraints ----------------------------------------------------------------------
    def visit_drop_constraint(self, drop: Any, **kw: Any) -> str:
        """``DROP FOREIGN KEY`` / ``DROP PRIMARY KEY`` / ``DROP INDEX`` (unique) /
        ``DROP CHECK`` (MySQL) or ``DROP CONSTRAINT`` (MariaDB)."""
        constraint = drop.element
        table = self.format_table(constraint.table)
        kind = constraint.__visit_name__
        if kind == "primary_key_constraint":
            return f"ALTER TABLE {table} DROP PRIMARY KEY"
        if not constraint.name:
            raise exc.CompileError(
                f"Can't drop an unnamed {type(constraint).__name__}; give it a name= "
                "(or set a naming convention on the MetaData)")
        name = self.format_name(constraint.name)
        if kind == "foreign_key_constraint":
            return f"ALTER TABLE {table} DROP FOREIGN KEY {name}"
        if kind == "unique_constraint":
            return f"ALTER TABLE {table} DROP INDEX {name}"
        if kind == "check_constraint" and not self._is_mariadb:
            return f"ALTER TABLE {table} DROP CHECK {name}"
        return f"ALTER TABLE {table} DROP CONSTRAINT {name}"

    # -- indexes --------------------------------------------------------------------------
    def visit_create_index(self, create: Any, **kw: Any) -> str:
        """CREATE [UNIQUE | FULLTEXT | SPATIAL] INDEX with ``mysql_length`` (an int, or a dict
        by column name) for prefix lengths and ``mysql_using`` (BTREE / HASH)."""
        index = create.element
        if not index.name:
            raise exc.CompileError(
                "CREATE INDEX needs a name; give the Index one (or set an 'ix' naming "
                "convention on the MetaData)")
        options = index.dialect_options.get("mysql", {})
        parts = ", ".join(self._key_part(e, options.get("length")) for e in index.expressions)
        kind = "UNIQUE " if index.unique else ""
        prefix = options.get("prefix")
        if prefix:
            kind = f"{str(prefix).upper()} "
        exists = "IF NOT EXISTS " if create.if_not_exists else ""
        text = (f"CREATE {kind}INDEX {exists}"
                f"{self.format_index_name(index)} ON {self.format_table(index.table)} ({parts})")
        using = options.get("using")
        if using:
            text += f" USING {str(using).upper()}"
        return text

    def _key_part(self, expr: Any, length: Any) -> str:
        from sqlwright.schema import Column

        if not isinstance(expr, Column):
            if not self.features.supports_expression_indexes:
                raise exc.CompileError(
                    "This MySQL/MariaDB server can't index an expression "
                    "(features.supports_expression_indexes: MySQL 8.0.13); index a generated "
                    "column instead")
            return f"({self.render_expression(expr)})"
        text = self.format_column(expr)
        if isinstance(length, dict):
            length = length.get(expr.name, length.get(expr.key))
        if length is not None:
            text += f"({int(length)})"
        return text

    def visit_drop_index(self, drop: Any, **kw: Any) -> str:
        index = drop.element
        if not index.name:
            raise exc.CompileError("DROP INDEX needs the index's name; give the Index one")
        exists = "IF EXISTS " if drop.if_exists else ""
        return (f"DROP INDEX {exists}{self.format_index_name(index)} ON "
                f"{self.format_table(index.table)}")
