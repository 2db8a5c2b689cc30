"""SQLite's SQL compiler: only the rules that differ from core's ANSI compiler."""

from __future__ import annotations

from sqlwright.sql.compiler import SQLCompiler


class SQLiteCompiler(SQLCompiler):
    """SQL compiler for SQLite."""
