"""Suite: values of the portable types survive a round trip through the database and read back
with the same Python type; comparing a column with a literal converts the literal the same way.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import pytest

from sqlwright import Column, Integer, MetaData, Table, insert, select, types

_UTC_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))

# (id, type, value written, value read back, Features flags needed)
_ROUND_TRIPS: list[tuple[str, Any, Any, Any, tuple[str, ...]]] = [
    ("integer", types.Integer(), 42, 42, ()),
    ("integer-negative", types.Integer(), -2**31, -2**31, ()),
    ("bigint", types.BigInteger(), 2**62, 2**62, ()),
    ("smallint", types.SmallInteger(), -7, -7, ()),
    ("float", types.Float(), 2.5, 2.5, ()),
    ("numeric", types.Numeric(10, 2), decimal.Decimal("12345678.91"),
     decimal.Decimal("12345678.91"), ()),
    ("numeric-from-int", types.Numeric(10, 2), 3, decimal.Decimal("3.00"), ()),
    ("numeric-as-float", types.Numeric(10, 2, asdecimal=False), decimal.Decimal("1.5"), 1.5, ()),
    ("string", types.String(50), "héllo 'world' \"q\" \\ %s :x", "héllo 'world' \"q\" \\ %s :x",
     ()),
    ("string-empty", types.String(10), "", "", ()),
    ("text", types.Text(), "x" * 20_000, "x" * 20_000, ()),
    ("unicode", types.Unicode(20), "日本語 ñ €", "日本語 ñ €", ()),
    ("boolean-true", types.Boolean(), True, True, ()),
    ("boolean-false", types.Boolean(), False, False, ()),
    ("date", types.Date(), datetime.date(2024, 2, 29), datetime.date(2024, 2, 29), ()),
    ("datetime", types.DateTime(), datetime.datetime(2024, 1, 2, 3, 4, 5),
     datetime.datetime(2024, 1, 2, 3, 4, 5), ()),
    ("datetime-microseconds", types.DateTime(), datetime.datetime(2024, 1, 2, 3, 4, 5, 678901),
     datetime.datetime(2024, 1, 2, 3, 4, 5, 678901), ("supports_datetime_microseconds",)),
    ("datetime-timezone", types.DateTime(timezone=True),
     datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=_UTC_PLUS_2),
     datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=_UTC_PLUS_2), ("supports_timezone",)),
    ("time", types.Time(), datetime.time(23, 59, 58), datetime.time(23, 59, 58), ()),
    ("interval", types.Interval(), datetime.timedelta(days=3, seconds=7),
     datetime.timedelta(days=3, seconds=7), ()),
    ("large-binary", types.LargeBinary(), b"\x00\xff\x10\x80", b"\x00\xff\x10\x80", ()),
    ("json-dict", types.JSON(), {"a": [1, 2, {"b": None}], "c": "d"},
     {"a": [1, 2, {"b": None}], "c": "d"}, ("supports_json",)),
    ("json-list", types.JSON(), [1, "two", 3.5, True], [1, "two", 3.5, True],
     ("supports_json",)),
    ("uuid", types.Uuid(), uuid.UUID("12345678-1234-5678-1234-567812345678"),
     uuid.UUID("12345678-1234-5678-1234-567812345678"), ()),
    ("uuid-as-string", types.Uuid(as_uuid=False), uuid.UUID(int=1),
     "00000000-0000-0000-0000-000000000001", ()),
    ("enum", types.Enum("draft", "published", name="sw_status"), "published", "published", ()),
    ("null", types.String(10), None, None, ()),
]


def _params() -> list[Any]:
    return [pytest.param(type_, value, expected, id=name,
                         marks=[pytest.mark.requires(*flags)] if flags else [])
            for name, type_, value, expected, flags in _ROUND_TRIPS]


@pytest.mark.parametrize(("type_", "value", "expected"), _params())
def test_round_trip(engine: Any, metadata: MetaData, type_: Any, value: Any,
                    expected: Any) -> None:
    table = Table("sw_round_trip", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("v", type_))
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, v=value))
        got = conn.execute(select(table.c.v)).scalar_one()
        comparable = value is not None and not isinstance(type_, (types.JSON, types.Text,
                                                                   types.Float))
        if comparable:
            assert conn.execute(select(table.c.id).where(table.c.v == value)).scalar() == 1
    assert got == expected
    assert type(got) is type(expected)


def test_typed_values_in_executemany(engine: Any, metadata: MetaData) -> None:
    table = Table("sw_typed_many", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("day", types.Date()), Column("amount", types.Numeric(8, 2)),
                  Column("flag", types.Boolean()))
    metadata.create_all(engine, checkfirst=False)
    rows = [{"id": n, "day": datetime.date(2024, 1, n), "amount": decimal.Decimal(f"{n}.25"),
             "flag": n % 2 == 0} for n in range(1, 6)]
    with engine.begin() as conn:
        conn.execute(insert(table), rows)
        got = [dict(row._mapping) for row in conn.execute(select(table).order_by(table.c.id))]
    assert got == rows


def test_dates_sort_and_compare_in_time_order(engine: Any, metadata: MetaData) -> None:
    table = Table("sw_times", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("at", types.DateTime()))
    metadata.create_all(engine, checkfirst=False)
    moments = [datetime.datetime(2024, 5, 1, 10), datetime.datetime(2023, 12, 31, 23, 59),
               datetime.datetime(2024, 5, 1, 9, 30)]
    with engine.begin() as conn:
        conn.execute(insert(table), [{"id": n, "at": at} for n, at in enumerate(moments)])
        ordered = list(conn.execute(select(table.c.at).order_by(table.c.at)).scalars())
        later = list(conn.execute(select(table.c.id).where(
            table.c.at > datetime.datetime(2024, 1, 1)).order_by(table.c.id)).scalars())
    assert ordered == sorted(moments)
    assert later == [0, 2]
