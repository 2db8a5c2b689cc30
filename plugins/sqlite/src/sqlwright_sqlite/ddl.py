"""SQLite DDL rules."""

from __future__ import annotations

from sqlwright.sql.ddl_compiler import DDLCompiler


class SQLiteDDLCompiler(DDLCompiler):
    """DDL compiler for SQLite."""
