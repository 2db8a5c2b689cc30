"""Shared fixtures for core tests: every test that asks for a database runs on each backend.

``engine``, ``connection`` and ``metadata`` are parametrized over the backends (test ids
``[sqlite]``, ``[postgresql]``, ``[mysql]``):

- sqlite: a fresh file database per test (``db_path``);
- postgresql, mysql: the run's fresh database on the local server, the same one the plugins'
  conformance suite uses (``sqlwright.testing.plugin.suite_target``: ``--dburi``, else
  ``SQLWRIGHT_TEST_PG_URL`` / ``SQLWRIGHT_TEST_MYSQL_URL``, else the local default). Tables a
  test leaves behind are dropped after it. An unreachable server fails the test: a skipped
  backend is not a pass.

Pick a subset with ``--backend sqlite --backend postgresql`` (or ``--backend sqlite,mysql``) or
``SQLWRIGHT_TEST_BACKENDS=sqlite,mysql``; the default is all three. A test that only makes sense
on some backends says so with ``@pytest.mark.backends("sqlite")``; a SQLite-specific test (file
paths, PRAGMA, sqlite3 objects) uses ``sqlite_engine`` instead of ``engine``. A known library
bug on some backends is ``@pytest.mark.xfail_on("mysql", reason="...")`` (strict).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sqlwright
from sqlwright.testing.plugin import suite_target

#: The local servers' default URLs (the same as the plugins' conftest.py declare).
SERVER_URLS = {
    "postgresql": "postgresql+psycopg2://postgres@127.0.0.1:5432/test",
    "mysql": "mysql+pymysql://root@127.0.0.1:3306/test",
}
BACKENDS = ("sqlite", *SERVER_URLS)
BACKENDS_ENV = "SQLWRIGHT_TEST_BACKENDS"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend", action="append", default=[], metavar="NAME",
        help=f"run the core tests' engine fixtures on this backend only (repeatable or "
             f"comma-separated; one of {', '.join(BACKENDS)}; default: ${BACKENDS_ENV} or all)")


def pytest_configure(config: pytest.Config) -> None:
    selected_backends(config)  # a misspelt --backend is a usage error before collection


def selected_backends(config: pytest.Config) -> list[str]:
    """The backends chosen by --backend, else $SQLWRIGHT_TEST_BACKENDS, else all."""
    raw = ",".join(config.getoption("backend")) or os.environ.get(BACKENDS_ENV, "")
    names = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in names if name not in BACKENDS]
    if unknown:
        raise pytest.UsageError(f"Unknown backend(s) {', '.join(unknown)} in --backend or "
                                f"${BACKENDS_ENV}; choose from {', '.join(BACKENDS)}")
    return [name for name in BACKENDS if name in names] if names else list(BACKENDS)


def backends_for(config: pytest.Config, allowed: tuple[str, ...] | None) -> list[str]:
    """The selected backends a test runs on, given what its ``backends`` marker allows."""
    if allowed is not None:
        unknown = [name for name in allowed if name not in BACKENDS]
        if unknown:
            raise pytest.UsageError(f"@pytest.mark.backends names unknown backend(s) "
                                    f"{', '.join(unknown)}; choose from {', '.join(BACKENDS)}")
    return [name for name in selected_backends(config) if allowed is None or name in allowed]


def _allowed(metafunc: pytest.Metafunc) -> tuple[str, ...] | None:
    markers = list(metafunc.definition.iter_markers("backends"))
    if not markers:
        return None
    allowed = set(markers[0].args)
    for marker in markers[1:]:
        allowed &= set(marker.args)
    return tuple(allowed)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    names = backends_for(metafunc.config, _allowed(metafunc))
    xfails: dict[str, str] = {}
    for marker in metafunc.definition.iter_markers("xfail_on"):
        reason = marker.kwargs.get("reason")
        if not reason:
            raise pytest.UsageError(f"{metafunc.definition.nodeid}: @pytest.mark.xfail_on needs "
                                    "reason=... (the library bug, and where it is tracked)")
        xfails.update(dict.fromkeys(marker.args, reason))
    params = [pytest.param(name, id=name, marks=pytest.mark.xfail(strict=True, reason=xfails[name]))
              if name in xfails else pytest.param(name, id=name) for name in names]
    metafunc.parametrize("backend", params, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The name of the backend this test runs on (sqlite, postgresql or mysql)."""
    name: str = request.param
    return name


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a throwaway SQLite database file."""
    return tmp_path / "test.db"


@pytest.fixture
def sqlite_engine(db_path: Path) -> Iterator[Any]:
    """A SQLite engine on a fresh file database, for SQLite-specific tests; disposed after."""
    eng = sqlwright.create_engine(f"sqlite:///{db_path}")
    yield eng
    eng.dispose()


def server_url(config: pytest.Config, name: str) -> Any:
    """The URL of this run's provisioned test database on server backend ``name``; fails the
    test (never skips) when the server cannot be reached."""
    target = suite_target(config, name, SERVER_URLS[name])
    target.prepare()
    if target.error is not None:
        pytest.fail(target.error, pytrace=False)
    return target.test_url


def drop_leftover_tables(url: Any) -> None:
    """Drop every view and table in the database at ``url`` (what a test left behind)."""
    from sqlwright.pool import NullPool
    from sqlwright.schema import MetaData

    eng = sqlwright.create_engine(url, poolclass=NullPool)
    try:
        insp = sqlwright.inspect(eng)
        views = insp.get_view_names()
        if views:
            quote = eng.dialect.identifier_preparer.quote
            with eng.begin() as conn:
                for view in views:
                    conn.exec_driver_sql(f"DROP VIEW {quote(view)}")
        if insp.get_table_names():
            leftovers = MetaData()
            leftovers.reflect(eng)
            leftovers.drop_all(eng)
    finally:
        eng.dispose()


@pytest.fixture
def backend_url(request: pytest.FixtureRequest, backend: str, db_path: Path) -> Iterator[Any]:
    """The URL of the test's database on ``backend``: a fresh SQLite file, or the run's
    database on the server, left without tables after the test."""
    if backend == "sqlite":
        yield sqlwright.make_url(f"sqlite:///{db_path}")
        return
    url = server_url(request.config, backend)
    yield url
    drop_leftover_tables(url)


#: engine -> every DBAPI connection its pool opened
_OPENED: weakref.WeakKeyDictionary[Any, list[Any]] = weakref.WeakKeyDictionary()


def close_every_connection(engine: Any) -> None:
    """Dispose of ``engine`` and close every DBAPI connection it ever opened, also those a
    test still holds (a failed test's traceback keeps its Connection, and on a server its open
    transaction would block the DROP TABLE of the teardown)."""
    engine.dispose()
    for dbapi_connection in _OPENED.get(engine, ()):
        try:
            dbapi_connection.close()
        except Exception:
            pass  # already closed


def track_connections(engine: Any) -> Any:
    """Remember every DBAPI connection ``engine`` opens, for :func:`close_every_connection`;
    returns ``engine``."""
    opened = _OPENED.setdefault(engine, [])
    sqlwright.event.listen(engine, "connect", lambda dbapi_conn, _record: opened.append(dbapi_conn))
    return engine


@pytest.fixture
def engine(backend_url: Any) -> Iterator[Any]:
    """An engine on the test's database (see the module docstring), disposed after the test."""
    eng = track_connections(sqlwright.create_engine(backend_url))
    yield eng
    close_every_connection(eng)


@pytest.fixture
def metadata(engine: Any) -> Iterator[Any]:
    """A fresh MetaData whose tables are dropped after the test."""
    from sqlwright.schema import MetaData

    md = MetaData()
    yield md
    close_every_connection(engine)
    md.drop_all(engine)


@pytest.fixture
def connection(engine: Any, metadata: Any) -> Iterator[Any]:
    """A connection of ``engine``; its transaction is rolled back after the test.

    It depends on ``metadata`` so that it is closed before the tables are dropped.
    """
    with engine.connect() as conn:
        yield conn
