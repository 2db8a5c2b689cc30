"""Suite: sqlwright.testing's statement recorder counts real round trips on every database
(the ORM's tests count statements with it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sqlwright import exc, text
from sqlwright.testing import assert_sql_count, record_sql


@pytest.fixture
def counted(text_table: Callable[[str], str]) -> str:
    """An empty (id) table."""
    return text_table("id INTEGER PRIMARY KEY")


def test_recorder_counts_statements_not_transaction_control(engine: Any, counted: str) -> None:
    with record_sql(engine) as recorder, engine.connect() as conn:
        with conn.begin():
            conn.execute(text(f"INSERT INTO {counted} (id) VALUES (:id)"), [{"id": 1},
                                                                             {"id": 2}])
        conn.execute(text(f"SELECT count(*) FROM {counted}")).scalar()
        conn.rollback()
    assert recorder.count == 2
    insert_, select_ = recorder.statements
    assert insert_.executemany and insert_.sql.startswith(f"INSERT INTO {counted}")
    assert not select_.executemany and "count(*)" in select_.sql


def test_recorder_counts_failed_statements_and_stops(engine: Any, counted: str) -> None:
    with record_sql(engine) as recorder, engine.connect() as conn, \
            pytest.raises(exc.DBAPIError):
        conn.execute(text("SELECT id FROM sw_no_such_table"))
    assert recorder.count == 1
    with engine.connect() as conn:
        conn.execute(text(f"SELECT count(*) FROM {counted}")).scalar()
    assert recorder.count == 1  # stopped when the block ended


def test_assert_sql_count(engine: Any, counted: str) -> None:
    with assert_sql_count(engine, 1), engine.connect() as conn:
        conn.execute(text(f"SELECT count(*) FROM {counted}")).scalar()
    with pytest.raises(AssertionError, match=r"expected 2 statement\(s\), 1 ran"), \
            assert_sql_count(engine, 2), engine.connect() as conn:
        conn.execute(text(f"SELECT count(*) FROM {counted}")).scalar()
