"""MySQL DDL rules."""

from __future__ import annotations

from sqlwright.sql.ddl_compiler import DDLCompiler


class MySQLDDLCompiler(DDLCompiler):
    """DDL compiler for MySQL and MariaDB."""
