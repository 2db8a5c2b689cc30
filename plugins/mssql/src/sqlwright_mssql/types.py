"""SQL Server's type names and type mappings."""

from __future__ import annotations

from sqlwright.sql.type_compiler import TypeCompiler


class MSTypeCompiler(TypeCompiler):
    """DDL type names for SQL Server."""
