"""MySQL's type names and type mappings."""

from __future__ import annotations

from sqlwright.sql.type_compiler import TypeCompiler


class MySQLTypeCompiler(TypeCompiler):
    """DDL type names for MySQL and MariaDB."""
