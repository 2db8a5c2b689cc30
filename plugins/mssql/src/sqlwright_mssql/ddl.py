"""SQL Server DDL rules."""

from __future__ import annotations

from sqlwright.sql.ddl_compiler import DDLCompiler


class MSDDLCompiler(DDLCompiler):
    """DDL compiler for SQL Server."""
