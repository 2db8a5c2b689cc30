"""Hook implementations: the SQL Server plugin's whole contract with the registry."""

from __future__ import annotations

from sqlwright.dialects.hookspecs import hookimpl


@hookimpl
def sqlwright_dialects() -> list[type]:
    """The SQL Server dialect classes, one per driver."""
    from sqlwright_mssql.drivers.pyodbc import MSDialect_pyodbc

    return [MSDialect_pyodbc]
