"""PostgreSQL's SQL compiler: only the rules that differ from core's ANSI compiler."""

from __future__ import annotations

from sqlwright.sql.compiler import SQLCompiler


class PGCompiler(SQLCompiler):
    """SQL compiler for PostgreSQL."""
