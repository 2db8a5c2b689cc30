"""Create and drop the databases and schemas the test suites run in, on SQL Server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlwright.testing.provision import Bind, autocommit_connection, url_of

if TYPE_CHECKING:
    from sqlwright.engine.base import Engine
    from sqlwright.engine.url import URL

__all__ = [
    "TEST_SCHEMA",
    "create_database",
    "create_database_sql",
    "create_schema_sql",
    "create_test_database",
    "create_test_schema",
    "database_url",
    "drop_database",
    "drop_database_sql",
    "drop_schema_sql",
    "drop_test_database",
    "drop_test_schema",
    "kill_connection",
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


# -- the conformance suite's provisioning contract (sqlwright.testing.provision) -------------
TEST_SCHEMA = "test_schema"


def create_test_database(bind: Bind, name: str) -> URL:
    """Create database ``name`` on the bind's server unless it exists; return its URL."""
    literal = name.replace("'", "''")
    with autocommit_connection(bind) as conn:
        for sql in create_database_sql(name):
            if sql.startswith("CREATE DATABASE"):
                sql = f"IF DB_ID(N'{literal}') IS NULL {sql}"
            conn.exec_driver_sql(sql)
    return database_url(url_of(bind), name)


def drop_test_database(bind: Bind, name: str) -> None:
    """Drop database ``name`` (its other sessions are rolled back and disconnected)."""
    with autocommit_connection(url_of(bind).set(database="master")) as conn:
        for sql in drop_database_sql(name):
            conn.exec_driver_sql(sql)


def create_test_schema(bind: Bind, name: str = TEST_SCHEMA) -> None:
    """Create schema ``name`` in the bind's database unless it exists."""
    literal = name.replace("'", "''")
    with autocommit_connection(bind) as conn:
        conn.exec_driver_sql(
            f"IF SCHEMA_ID(N'{literal}') IS NULL EXEC('CREATE SCHEMA {_quote(name)}')")


def drop_test_schema(bind: Bind, name: str = TEST_SCHEMA) -> None:
    """Drop schema ``name`` if it exists (its tables must be gone)."""
    with autocommit_connection(bind) as conn:
        for sql in drop_schema_sql(name):
            conn.exec_driver_sql(sql)


def kill_connection(engine: Engine, dbapi_connection: Any) -> None:
    """End ``dbapi_connection``'s session from another connection (``KILL <spid>``)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SELECT @@SPID")
        spid = int(cursor.fetchone()[0])
    finally:
        cursor.close()
    with autocommit_connection(engine) as conn:
        conn.exec_driver_sql(f"KILL {spid}")
