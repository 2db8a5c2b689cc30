"""PostgreSQL DDL rules."""

from __future__ import annotations

from sqlwright.sql.ddl_compiler import DDLCompiler


class PGDDLCompiler(DDLCompiler):
    """DDL compiler for PostgreSQL."""
