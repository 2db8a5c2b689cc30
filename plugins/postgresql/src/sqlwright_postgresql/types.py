"""PostgreSQL's type names and type mappings."""

from __future__ import annotations

from sqlwright.sql.type_compiler import TypeCompiler


class PGTypeCompiler(TypeCompiler):
    """DDL type names for PostgreSQL."""
