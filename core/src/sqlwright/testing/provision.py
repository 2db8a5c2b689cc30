"""The provisioning contract between the conformance suite and a dialect plugin.

A plugin's ``provision`` module (``sqlwright_<name>/provision.py``, next to its dialect) may
define any of these functions; the suite calls what exists and falls back to the behaviour
described here for what does not:

``create_test_database(bind, name) -> URL``
    Create database ``name`` on the server of ``bind`` (an Engine, URL or URL string) and
    return a URL for it. Absent: the suite runs in the database the URL names.
``drop_test_database(bind, name) -> None``
    Drop it again, disconnecting sessions still using it.
``create_test_schema(bind, name) -> None`` / ``drop_test_schema(bind, name) -> None``
    Create and drop the schema cross-schema tests use (only asked for when the dialect's
    ``supports_schemas`` flag is true). Absent: those tests are skipped.
``kill_connection(engine, dbapi_connection) -> None``
    End a DBAPI connection's server session from *another* connection, the way a server
    restart or an administrator would, and return once the server has dropped it. Absent:
    the DBAPI connection is closed on the client side.

All functions must be idempotent where the description allows it ("unless it exists").
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.engine.base import Engine
    from sqlwright.engine.url import URL

__all__ = [
    "Bind",
    "autocommit_connection",
    "create_test_database",
    "create_test_schema",
    "drop_test_database",
    "drop_test_schema",
    "kill_connection",
    "provision_module",
    "url_of",
]

#: What a plugin's provision functions accept: an Engine, a URL or a URL string.
Bind = Union["Engine", "URL", str]


def url_of(bind: Bind) -> URL:
    """The URL of an Engine, or a URL parsed from a string."""
    from sqlwright.engine.url import make_url

    url = getattr(bind, "url", None)
    return url if url is not None else make_url(bind)  # type: ignore[arg-type]


@contextmanager
def autocommit_connection(bind: Bind) -> Iterator[Any]:
    """A Connection in AUTOCOMMIT on its own unpooled engine (for CREATE/DROP DATABASE and
    other statements that cannot run in a transaction); disposed afterwards."""
    from sqlwright import create_engine
    from sqlwright.pool import NullPool

    engine = create_engine(url_of(bind), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def provision_module(dialect_cls: type[Dialect]) -> ModuleType | None:
    """The ``provision`` module of the package that defines ``dialect_cls``, or None."""
    package = dialect_cls.__module__.partition(".")[0]
    name = f"{package}.provision"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name in (name, package):
            return None
        raise


def _hook(dialect_cls: type[Dialect], name: str) -> Any:
    module = provision_module(dialect_cls)
    return None if module is None else getattr(module, name, None)


def create_test_database(dialect_cls: type[Dialect], url: URL, name: str) -> URL | None:
    """Create database ``name`` through the plugin; its URL, or None if the plugin cannot."""
    create = _hook(dialect_cls, "create_test_database")
    if create is None or _hook(dialect_cls, "drop_test_database") is None:
        return None
    result: URL = create(url, name)
    return result


def drop_test_database(dialect_cls: type[Dialect], url: URL, name: str) -> None:
    """Drop database ``name`` through the plugin (nothing when it has no such function)."""
    drop = _hook(dialect_cls, "drop_test_database")
    if drop is not None:
        drop(url, name)


def create_test_schema(dialect_cls: type[Dialect], url: URL, name: str) -> bool:
    """Create schema ``name`` through the plugin; False when the plugin cannot."""
    create = _hook(dialect_cls, "create_test_schema")
    if create is None or _hook(dialect_cls, "drop_test_schema") is None:
        return False
    create(url, name)
    return True


def drop_test_schema(dialect_cls: type[Dialect], url: URL, name: str) -> None:
    """Drop schema ``name`` through the plugin (nothing when it has no such function)."""
    drop = _hook(dialect_cls, "drop_test_schema")
    if drop is not None:
        drop(url, name)


def kill_connection(engine: Engine, dbapi_connection: Any) -> None:
    """Make ``dbapi_connection`` dead, as a server restart would, through the plugin's
    ``kill_connection``; without one, close the DBAPI connection on the client side."""
    kill = _hook(type(engine.dialect), "kill_connection")
    if kill is not None:
        kill(engine, dbapi_connection)
    else:
        dbapi_connection.close()
