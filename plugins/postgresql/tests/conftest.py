"""Fixtures for the PostgreSQL plugin's tests: a real server, from SQLWRIGHT_TEST_PG_URL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import sqlwright
from sqlwright.engine.url import URL, make_url

DEFAULT_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def pg_url() -> URL:
    """The test server's URL; fails (never skips) when the server cannot be reached."""
    url = make_url(os.environ.get("SQLWRIGHT_TEST_PG_URL", DEFAULT_URL))
    failure: BaseException | None = None
    probe = sqlwright.create_engine(url)
    try:
        with probe.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as probe_error:
        failure = probe_error
    finally:
        probe.dispose()
    if failure is not None:
        pytest.fail(f"PostgreSQL is not reachable at {url!r} ({failure}). Start the local "
                    "services with `bash scripts/ensure-services`, or set "
                    "SQLWRIGHT_TEST_PG_URL to a reachable server.", pytrace=False)
    return url


@pytest.fixture
def engine(pg_url: URL) -> Iterator[Any]:
    """An engine on the test server, disposed after the test."""
    eng = sqlwright.create_engine(pg_url)
    yield eng
    eng.dispose()


@pytest.fixture
def make_engine(pg_url: URL) -> Iterator[Callable[..., Any]]:
    """``make_engine(**create_engine_kwargs)``: engines on the test server, disposed after."""
    made: list[Any] = []

    def factory(url: URL | str | None = None, **kwargs: Any) -> Any:
        eng = sqlwright.create_engine(url or pg_url, **kwargs)
        made.append(eng)
        return eng

    yield factory
    for eng in made:
        eng.dispose()


@pytest.fixture
def table_name(pg_url: URL) -> Iterator[str]:
    """A table name unique to this test; the table (if created) is dropped afterwards."""
    name = f"sw_{uuid.uuid4().hex[:12]}"
    yield name
    cleanup = sqlwright.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with cleanup.connect() as conn:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}_child, {name} CASCADE")
    finally:
        cleanup.dispose()
