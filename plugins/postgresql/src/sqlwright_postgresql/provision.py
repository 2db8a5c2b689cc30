"""Create and drop PostgreSQL test databases and schemas (used by tests and the conformance
suite). Every function is idempotent and accepts an Engine, a URL or a URL string."""

from __future__ import annotations

import time
from typing import Any

from sqlwright.engine.base import Connection, Engine
from sqlwright.engine.url import URL
from sqlwright.testing.provision import Bind, autocommit_connection, url_of

__all__ = [
    "TEST_SCHEMA",
    "create_test_database",
    "create_test_schema",
    "drop_test_database",
    "drop_test_schema",
    "kill_connection",
]

#: The schema the conformance suite uses for cross-schema tests.
TEST_SCHEMA = "test_schema"

#: Where CREATE / DROP DATABASE run: a database that always exists.
MAINTENANCE_DATABASE = "postgres"

def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def create_test_schema(bind: Bind, name: str = TEST_SCHEMA) -> None:
    """Create schema ``name`` in the bind's database unless it exists."""
    with autocommit_connection(bind) as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {_quote(conn, name)}")


def drop_test_schema(bind: Bind, name: str = TEST_SCHEMA) -> None:
    """Drop schema ``name`` and everything in it, if it exists."""
    with autocommit_connection(bind) as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {_quote(conn, name)} CASCADE")


def create_test_database(bind: Bind, name: str) -> URL:
    """Create database ``name`` on the bind's server unless it exists; return its URL."""
    url = url_of(bind)
    with autocommit_connection(url.set(database=MAINTENANCE_DATABASE)) as conn:
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}).scalar()
        if not exists:
            conn.exec_driver_sql(f"CREATE DATABASE {_quote(conn, name)}")
    return url.set(database=name)


def drop_test_database(bind: Bind, name: str) -> None:
    """Drop database ``name`` if it exists, disconnecting its other sessions first."""
    url = url_of(bind)
    if isinstance(bind, Engine) and url.database == name:
        bind.dispose()
    with autocommit_connection(url.set(database=MAINTENANCE_DATABASE)) as conn:
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %(name)s AND pid <> pg_backend_pid()", {"name": name})
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {_quote(conn, name)}")


def kill_connection(engine: Engine, dbapi_connection: Any, timeout: float = 10.0) -> None:
    """End the server session of a psycopg2 connection from another connection (as a server
    restart would) and wait until the server has dropped it; raise TimeoutError if it stays."""
    pid = dbapi_connection.get_backend_pid()
    with autocommit_connection(engine.url) as conn:
        conn.exec_driver_sql("SELECT pg_terminate_backend(%(pid)s)", {"pid": pid})
        deadline = time.monotonic() + timeout
        while conn.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %(pid)s", {"pid": pid}
        ).scalar():
            if time.monotonic() > deadline:
                raise TimeoutError(f"PostgreSQL backend {pid} is still alive after "
                                   f"pg_terminate_backend; check the server's log")
            time.sleep(0.02)
