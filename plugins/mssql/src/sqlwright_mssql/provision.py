"""Create and drop the databases and schemas the test suites run in, on SQL Server."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlwright.engine.base import Engine
    from sqlwright.engine.url import URL

__all__ = [
    "create_database", "create_database_sql", "create_schema_sql", "database_url",
    "drop_database", "drop_database_sql", "drop_schema_sql",
]


def _quote(name: str) -> str:
    return "[" + name.replace("]", "]]") + "]"


def create_database_sql(name: str) -> list[str]:
    """Statements creating database ``name`` with snapshot isolation allowed."""
    db = _quote(name)
    return [f"CREATE DATABASE {db}", f"ALTER DATABASE {db} SET ALLOW_SNAPSHOT_ISOLATION ON"]


def drop_database_sql(name: str) -> list[str]:
    """Statements dropping database ``name`` even while sessions still use it."""
    db = _quote(name)
    literal = name.replace("'", "''")
    return [
        f"IF DB_ID(N'{literal}') IS NOT NULL ALTER DATABASE {db} SET SINGLE_USER WITH "
        "ROLLBACK IMMEDIATE",
        f"DROP DATABASE IF EXISTS {db}",
    ]


def create_schema_sql(name: str) -> list[str]:
    """Statements creating schema ``name`` in the current database."""
    return [f"CREATE SCHEMA {_quote(name)}"]


def drop_schema_sql(name: str) -> list[str]:
    """Statements dropping (empty) schema ``name``."""
    return [f"DROP SCHEMA IF EXISTS {_quote(name)}"]


def database_url(url: URL, name: str) -> URL:
    """``url`` pointing at database ``name``."""
    return url.set(database=name)


def _run(engine: Engine, statements: list[str]) -> None:
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        for sql in statements:
            conn.exec_driver_sql(sql)


def create_database(engine: Engine, name: str) -> None:
    """Create database ``name`` through ``engine`` (CREATE DATABASE cannot run in a
    transaction, so this uses an AUTOCOMMIT connection)."""
    _run(engine, create_database_sql(name))


def drop_database(engine: Engine, name: str) -> None:
    """Drop database ``name`` through ``engine``, disconnecting its other sessions."""
    _run(engine, drop_database_sql(name))
