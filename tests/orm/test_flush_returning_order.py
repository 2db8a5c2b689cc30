"""Multi-row INSERT ... RETURNING rows are paired with objects by key, not by arrival order
(databases do not promise RETURNING order)."""

from __future__ import annotations

from sqlwright import Column, Integer, MetaData, String, Table
from sqlwright.orm.persistence import _pair_returned

table = Table("pairs", MetaData(), Column("id", Integer, primary_key=True),
              Column("name", String(10)), Column("stamp", Integer))


def test_rows_paired_by_known_primary_key_in_any_order() -> None:
    chunk = [("state-a", {"id": 1, "name": "a"}), ("state-b", {"id": 2, "name": "b"})]
    returned = [table.c.stamp, table.c.id]
    rows = [(200, 2), (100, 1)]  # arrived reversed
    assert _pair_returned(chunk, rows, returned, [table.c.id], None) == [
        ("state-a", (100, 1)), ("state-b", (200, 2))]


def test_rows_paired_by_ascending_autoincrement_key() -> None:
    chunk = [("first", {"name": "a"}), ("second", {"name": "b"}), ("third", {"name": "c"})]
    returned = [table.c.id]
    rows = [(12,), (10,), (11,)]
    assert _pair_returned(chunk, rows, returned, [table.c.id], table.c.id) == [
        ("first", (10,)), ("second", (11,)), ("third", (12,))]


def test_batches_stay_under_the_dialects_bind_parameter_limit() -> None:
    from sqlwright.orm.persistence import _chunks

    rows = list(range(10))
    assert [len(c) for c in _chunks(rows, 3, 9)] == [3, 3, 3, 1]  # 3 rows x 3 params <= 9
    assert [len(c) for c in _chunks(rows, 4, 3)] == [1] * 10      # wider than the limit: 1


def test_every_dialect_declares_its_limit() -> None:
    from sqlwright.dialects import load

    limits = {name: load(name)().features.max_bind_parameters
              for name in ("sqlite", "postgresql", "mysql", "mssql", "oracle")}
    assert limits["mssql"] < 2100 and limits["postgresql"] == 65535
    assert all(limit >= 999 for limit in limits.values())
