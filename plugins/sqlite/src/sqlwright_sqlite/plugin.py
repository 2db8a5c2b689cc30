"""Hook implementations: the SQLite plugin's whole contract with the registry."""

from __future__ import annotations

from sqlwright.dialects.hookspecs import hookimpl


@hookimpl
def sqlwright_dialects() -> list[type]:
    """The SQLite dialect classes, one per driver."""
    from sqlwright_sqlite.drivers.pysqlite import SQLiteDialect_pysqlite

    return [SQLiteDialect_pysqlite]
