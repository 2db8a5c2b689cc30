"""Hook implementations: the PostgreSQL plugin's whole contract with the registry."""

from __future__ import annotations

from sqlwright.dialects.hookspecs import hookimpl


@hookimpl
def sqlwright_dialects() -> list[type]:
    """The PostgreSQL dialect classes, one per driver."""
    from sqlwright_postgresql.drivers.psycopg2 import PGDialect_psycopg2

    return [PGDialect_psycopg2]
