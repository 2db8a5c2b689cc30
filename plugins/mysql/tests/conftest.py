"""Fixtures for the MySQL plugin's tests: a real server (the conformance suite's database)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

import sqlwright
from sqlwright.engine.url import URL

DEFAULT_URL = "mysql+pymysql://root@127.0.0.1:3306/test"


# The suite plugin (sqlwright.testing.plugin) gives this folder's tests the fixtures dburi,
# engine, make_engine, dialect, connection and metadata on this database: --dburi mysql://...,
# else $SQLWRIGHT_TEST_MYSQL_URL, else DEFAULT_URL; it creates a fresh database there for the run
# and drops it afterwards.
sqlwright_dialect = "mysql"
sqlwright_dburi = DEFAULT_URL


@pytest.fixture
def mysql_url(dburi: URL) -> URL:
    """This run's test database on the server; fails (never skips) when the server cannot be
    reached (start the local services with `bash scripts/ensure-services`)."""
    return dburi


@pytest.fixture
def table_name(mysql_url: URL) -> Iterator[str]:
    """A table name unique to this test; the table (if created) is dropped afterwards."""
    name = f"sw_{uuid.uuid4().hex[:12]}"
    yield name
    cleanup = sqlwright.create_engine(mysql_url, isolation_level="AUTOCOMMIT")
    try:
        with cleanup.connect() as conn:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}_child, {name}")
    finally:
        cleanup.dispose()
