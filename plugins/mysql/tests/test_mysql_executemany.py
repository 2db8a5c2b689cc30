"""executemany: rows travel in multi-row INSERT batches, and on MariaDB (INSERT ... RETURNING)
the generated keys come back from the same few statements."""

from __future__ import annotations

from typing import Any

import pytest

from sqlwright import Column, Integer, MetaData, String, Table, insert, select
from sqlwright.dialects import load
from sqlwright_mysql.dialect import parse_server_version

ROWS = 1200


def _insert_statements(conn: Any) -> int:
    """How many INSERT statements this session has run (the server's own counter)."""
    return int(conn.exec_driver_sql("SHOW SESSION STATUS LIKE 'Com_insert'").one()[1])


def _table(metadata: MetaData) -> Table:
    return Table("many", metadata, Column("id", Integer, primary_key=True),
                 Column("name", String(40)), Column("n", Integer, default=7))


def test_explicit_keys_are_sent_in_multi_row_batches(engine: Any, metadata: MetaData) -> None:
    table = _table(metadata)
    metadata.create_all(engine)
    rows = [{"id": i, "name": f"row {i} 100%"} for i in range(1, ROWS + 1)]
    with engine.begin() as conn:
        before = _insert_statements(conn)
        result = conn.execute(insert(table), rows)
        sent = _insert_statements(conn) - before
        assert result.rowcount == ROWS
        assert [r[0] for r in result.inserted_primary_key_rows] == list(range(1, ROWS + 1))
        assert conn.execute(select(table.c.name).where(table.c.id == 5)).scalar() == \
            "row 5 100%"
        assert conn.execute(select(table.c.n).where(table.c.id == 5)).scalar() == 7
    assert sent <= 2  # one statement per ~1 MB of rows, not one per row


@pytest.mark.requires("supports_insert_returning", "supports_multirow_insert_returning")
def test_generated_keys_come_back_in_few_round_trips(engine: Any, metadata: MetaData) -> None:
    table = _table(metadata)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table).values(name="first"))
        before = _insert_statements(conn)
        result = conn.execute(insert(table), [{"name": f"n{i}"} for i in range(ROWS)])
        sent = _insert_statements(conn) - before
        keys = [r.id for r in result.inserted_primary_key_rows]
        stored = conn.execute(select(table.c.id, table.c.name).where(table.c.id > 1)
                              .order_by(table.c.id)).all()
        assert result.rowcount == ROWS
    assert sent <= 2
    assert keys == [r.id for r in stored]
    assert [r.name for r in stored] == [f"n{i}" for i in range(ROWS)]


def test_without_returning_the_plan_is_absent() -> None:
    dialect: Any = load("mysql")()
    dialect.server_version_string = "8.0.36"
    dialect.server_version_info = parse_server_version("8.0.36")[0]
    table = _table(MetaData())
    on_mysql: Any = insert(table).compile(dialect=dialect, column_keys=["name"],
                                          for_executemany=True)
    assert on_mysql.returning_batch is None
    dialect.server_version_string = "10.11.6-MariaDB"
    dialect.server_version_info = (10, 11, 6)
    compiled: Any = insert(table).compile(dialect=dialect, column_keys=["name"],
                                          for_executemany=True)
    assert compiled.returning_batch is table.c.id
    assert compiled.string == "INSERT INTO many (name, n) VALUES (%(name)s, %(n)s)"
