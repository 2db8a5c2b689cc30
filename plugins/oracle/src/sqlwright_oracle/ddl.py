"""Oracle DDL rules."""

from __future__ import annotations

from sqlwright.sql.ddl_compiler import DDLCompiler


class OracleDDLCompiler(DDLCompiler):
    """DDL compiler for Oracle."""
