"""Create and drop the schemas the test suites run in, on Oracle.

An Oracle schema is a user, so a test "database" is a user with a quota and the privileges
the suite needs; the suite connects as that user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlwright.engine.base import Engine
    from sqlwright.engine.url import URL

__all__ = ["create_schema", "create_schema_sql", "drop_schema", "drop_schema_sql", "schema_url"]

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
