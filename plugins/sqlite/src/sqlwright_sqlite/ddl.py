"""SQLite DDL rules: the rowid primary key, AUTOINCREMENT, parenthesised defaults, and
foreign keys that may name tables created later."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlwright.sql.ddl_compiler import DDLCompiler

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect


class SQLiteDDLCompiler(DDLCompiler):
    """DDL compiler for SQLite."""

    @classmethod
    def before_dropping_cycle(cls, dialect: Dialect) -> list[str]:
        """Check foreign keys at commit, so tables of a cycle can be dropped with rows in."""
        return ["PRAGMA defer_foreign_keys = ON"]

    def _uses_autoincrement_keyword(self, table: Any) -> bool:
        opts = table.dialect_options.get("sqlite", {})
        return bool(opts.get("autoincrement")) and table._autoincrement_column is not None

    def column_type(self, column: Any) -> str:
        """The autoincrement column is always INTEGER so it becomes SQLite's rowid alias."""
        table = column.table
        if table is not None and column is table._autoincrement_column:
            return "INTEGER"
        return super().column_type(column)

    def get_column_specification(self, column: Any) -> str:
        spec = super().get_column_specification(column)
        table = column.table
        if table is not None and self._uses_autoincrement_keyword(table) and \
                column is table._autoincrement_column:
            spec += " PRIMARY KEY AUTOINCREMENT"
        return spec

    def render_primary_key(self, table: Any) -> str:
        if self._uses_autoincrement_keyword(table):
            return ""
        return super().render_primary_key(table)

    def get_column_default_string(self, column: Any) -> str | None:
        """SQLite needs parentheses around a default that is an expression."""
        text = super().get_column_default_string(column)
        default = column.server_default
        if text is None or isinstance(default.arg, str) or getattr(default.arg, "is_text", False):
            return text
        return f"({text})"

    def format_index_name(self, index: Any) -> str:
        """SQLite puts the schema on the index name, not on the table."""
        name = super().format_index_name(index)
        schema = index.table.schema if index.table is not None else None
        return f"{self.preparer.quote_schema(schema)}.{name}" if schema else name

    def visit_create_index(self, create: Any, **kw: Any) -> str:
        text = super().visit_create_index(create, **kw)
        table = create.element.table
        if table.schema:
            qualified = f" ON {self.format_table(table)} ("
            text = text.replace(qualified, f" ON {self.preparer.quote(table.name)} (", 1)
        return text
