"""Hook implementations: the Oracle plugin's whole contract with the registry."""

from __future__ import annotations

from sqlwright.dialects.hookspecs import hookimpl


@hookimpl
def sqlwright_dialects() -> list[type]:
    """The Oracle dialect classes, one per driver."""
    from sqlwright_oracle.drivers.oracledb import OracleDialect_oracledb

    return [OracleDialect_oracledb]
