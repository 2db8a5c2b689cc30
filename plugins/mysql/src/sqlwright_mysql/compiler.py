"""MySQL's SQL compiler: only the rules that differ from core's ANSI compiler."""

from __future__ import annotations

from sqlwright.sql.compiler import SQLCompiler


class MySQLCompiler(SQLCompiler):
    """SQL compiler for MySQL and MariaDB."""
