"""Create and drop the schemas the test suites run in, on Oracle.

An Oracle schema is a user, so a test "database" is a user with a quota and the privileges
the suite needs; the suite connects as that user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlwright.testing.provision import Bind, autocommit_connection, url_of

if TYPE_CHECKING:
    from sqlwright.engine.base import Engine
    from sqlwright.engine.url import URL

__all__ = [
    "TEST_PASSWORD",
    "create_schema",
    "create_schema_sql",
    "create_test_database",
    "drop_schema",
    "drop_schema_sql",
    "drop_test_database",
    "kill_connection",
    "schema_url",
]

_PRIVILEGES = ("CREATE SESSION, CREATE TABLE, CREATE VIEW, CREATE SEQUENCE, CREATE PROCEDURE, "
               "CREATE TRIGGER, CREATE SYNONYM, CREATE TYPE")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_schema_sql(name: str, password: str, tablespace: str = "USERS") -> list[str]:
    """Statements creating user (schema) ``name`` that may log in and create objects.

    ``name`` is used as written: pass upper case for a name that reads case-insensitively.
    """
    user = _quote(name)
    return [
        f"CREATE USER {user} IDENTIFIED BY {_quote(password)} "
        f"DEFAULT TABLESPACE {_quote(tablespace)} QUOTA UNLIMITED ON {_quote(tablespace)}",
        f"GRANT {_PRIVILEGES} TO {user}",
    ]


def drop_schema_sql(name: str) -> list[str]:
    """Statements dropping user (schema) ``name`` and everything it owns."""
    return [f"DROP USER {_quote(name)} CASCADE"]


def schema_url(url: URL, name: str, password: str) -> URL:
    """``url`` logging in as the test user ``name``."""
    return url.set(username=name, password=password)


def _run(engine: Engine, statements: list[str]) -> None:
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        for sql in statements:
            conn.exec_driver_sql(sql)


def create_schema(engine: Engine, name: str, password: str, tablespace: str = "USERS") -> None:
    """Create test user ``name`` through ``engine`` (which needs CREATE USER and GRANT ANY
    PRIVILEGE, e.g. SYSTEM)."""
    _run(engine, create_schema_sql(name, password, tablespace))


def drop_schema(engine: Engine, name: str) -> None:
    """Drop test user ``name`` and its objects (its sessions must have ended)."""
    _run(engine, drop_schema_sql(name))


# -- the conformance suite's provisioning contract (sqlwright.testing.provision) -------------
#: The password of the users the suite creates (Oracle's schemas are users).
TEST_PASSWORD = "Sqlwright_Test_1"


def create_test_database(bind: Bind, name: str) -> URL:
    """Create test user (schema) ``name`` unless it exists; return a URL logging in as it.

    Oracle has no databases inside a PDB: a user with its own schema stands in for one.
    """
    user = name.upper()
    literal = user.replace("'", "''")
    with autocommit_connection(bind) as conn:
        exists = conn.exec_driver_sql(
            f"SELECT COUNT(*) FROM all_users WHERE username = '{literal}'").scalar()
        if not exists:
            for sql in create_schema_sql(user, TEST_PASSWORD):
                conn.exec_driver_sql(sql)
    return schema_url(url_of(bind), user, TEST_PASSWORD)


def drop_test_database(bind: Bind, name: str) -> None:
    """Drop test user ``name`` and everything it owns, ending its sessions first."""
    user = name.upper().replace("'", "''")
    with autocommit_connection(bind) as conn:
        sessions = conn.exec_driver_sql(
            f"SELECT sid, serial# FROM v$session WHERE username = '{user}'").all()
        for sid, serial in sessions:
            conn.exec_driver_sql(f"ALTER SYSTEM KILL SESSION '{sid},{serial}' IMMEDIATE")
        exists = conn.exec_driver_sql(
            f"SELECT COUNT(*) FROM all_users WHERE username = '{user}'").scalar()
        if exists:
            for sql in drop_schema_sql(name.upper()):
                conn.exec_driver_sql(sql)


def kill_connection(engine: Engine, dbapi_connection: Any) -> None:
    """End ``dbapi_connection``'s session from another connection (ALTER SYSTEM KILL
    SESSION; needs that privilege)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SELECT sid, serial# FROM v$session "
                       "WHERE sid = SYS_CONTEXT('USERENV', 'SID')")
        sid, serial = cursor.fetchone()
    finally:
        cursor.close()
    with autocommit_connection(engine) as conn:
        conn.exec_driver_sql(f"ALTER SYSTEM KILL SESSION '{sid},{serial}' IMMEDIATE")
