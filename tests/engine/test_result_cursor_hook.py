"""A dialect can hand the engine its own rows (context.result_cursor), as Oracle's RETURNING
INTO out-binds do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sqlwright import create_engine, dialects, text
from sqlwright.engine.cursor import BufferedRowsCursor
from sqlwright_sqlite.drivers.pysqlite import SQLiteDialect_pysqlite


class _OutBindDialect(SQLiteDialect_pysqlite):
    name = "outbindlite"

    def do_execute(self, cursor: Any, statement: str, parameters: Any,
                   context: Any = None) -> None:
        super().do_execute(cursor, statement, parameters, context)
        if "RETURNING_OUT" in statement:
            context.result_cursor = BufferedRowsCursor(
                [(7, "seven"), (8, "eight")], BufferedRowsCursor.describe(["id", "name"]))


@pytest.fixture
def engine() -> Iterator[Any]:
    dialects.register(_OutBindDialect)
    eng = create_engine("outbindlite://")
    yield eng
    eng.dispose()
    dialects.registry.unregister("outbindlite", "pysqlite")


def test_rows_come_from_the_dialect(engine: Any) -> None:
    with engine.connect() as conn:
        result = conn.execute(text("SELECT 1 /* RETURNING_OUT */"))
        rows = result.all()
    assert [tuple(r) for r in rows] == [(7, "seven"), (8, "eight")]
    assert rows[0].name == "seven"


def test_other_statements_use_the_driver_cursor(engine: Any) -> None:
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT 41 + 1")) == 42


def test_buffered_cursor_fetch_methods() -> None:
    cur = BufferedRowsCursor([(1,), (2,), (3,)], BufferedRowsCursor.describe(["x"]))
    assert cur.rowcount == 3
    assert cur.fetchone() == (1,)
    assert cur.fetchmany(1) == [(2,)]
    assert cur.fetchall() == [(3,)]
    assert cur.fetchone() is None
