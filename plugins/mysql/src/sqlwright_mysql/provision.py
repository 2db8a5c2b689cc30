"""Create and drop MySQL / MariaDB test databases and schemas (used by tests and the
conformance suite). Every function is idempotent and accepts an Engine, a URL or a URL string.

On MySQL a schema is a database on the same server, so the test schema is the database
``test_schema``.
"""

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

#: The schema (database) the conformance suite uses for cross-schema tests.
TEST_SCHEMA = "test_schema"

def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def create_test_database(bind: Bind, name: str) -> URL:
    """Create database ``name`` (utf8mb4) unless it exists; return its URL."""
    url = url_of(bind)
    with autocommit_connection(url) as conn:
        conn.exec_driver_sql(
            f"CREATE DATABASE IF NOT EXISTS {_quote(conn, name)} CHARACTER SET utf8mb4")
    return url.set(database=name)


def drop_test_database(bind: Bind, name: str) -> None:
    """Drop database ``name`` and its tables, if it exists."""
    url = url_of(bind)
    if isinstance(bind, Engine) and url.database == name:
        bind.dispose()
        url = url.set(database=None)
    with autocommit_connection(url) as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {_quote(conn, name)}")


def create_test_schema(bind: Bind, name: str = TEST_SCHEMA) -> None:
    """Create the test schema, which on MySQL is the database ``name``."""
    create_test_database(bind, name)


def drop_test_schema(bind: Bind, name: str = TEST_SCHEMA) -> None:
    """Drop the test schema (the database ``name``) and its tables."""
    drop_test_database(bind, name)


def kill_connection(engine: Engine, dbapi_connection: Any, timeout: float = 10.0) -> None:
    """End the server session of a PyMySQL connection from another connection (as a server
    restart would) and wait until the server has dropped it; raise TimeoutError if it stays."""
    thread_id = int(dbapi_connection.thread_id())
    with autocommit_connection(engine.url) as conn:
        conn.exec_driver_sql(f"KILL {thread_id}")
        deadline = time.monotonic() + timeout
        while conn.exec_driver_sql(
                "SELECT count(*) FROM information_schema.processlist WHERE id = %(id)s",
                {"id": thread_id}).scalar():
            if time.monotonic() > deadline:
                raise TimeoutError(f"MySQL session {thread_id} is still alive after KILL; "
                                   "check the server's log")
            time.sleep(0.02)
