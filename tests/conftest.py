"""Shared fixtures for core tests.

``engine`` is a real SQLite database in a temporary file; ``metadata`` drops what a test created.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sqlwright


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a throwaway SQLite database file."""
    return tmp_path / "test.db"


@pytest.fixture
def engine(db_path: Path) -> Iterator[Any]:
    """A SQLite engine on a fresh file database, disposed after the test."""
    eng = sqlwright.create_engine(f"sqlite:///{db_path}")
    yield eng
    eng.dispose()


@pytest.fixture
def metadata(engine: Any) -> Iterator[Any]:
    """A fresh MetaData whose tables are dropped after the test."""
    from sqlwright.schema import MetaData

    md = MetaData()
    yield md
    md.drop_all(engine)


@pytest.fixture
def connection(engine: Any, metadata: Any) -> Iterator[Any]:
    """A connection of ``engine``; its transaction is rolled back after the test.

    It depends on ``metadata`` so that it is closed before the tables are dropped.
    """
    with engine.connect() as conn:
        yield conn
