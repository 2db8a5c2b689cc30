"""Hook implementations: the MySQL plugin's whole contract with the registry."""

from __future__ import annotations

from sqlwright.dialects.hookspecs import hookimpl


@hookimpl
def sqlwright_dialects() -> list[type]:
    """The MySQL / MariaDB dialect classes, one per driver."""
    from sqlwright_mysql.drivers.pymysql import MySQLDialect_pymysql

    return [MySQLDialect_pymysql]
