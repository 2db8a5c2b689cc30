"""Values of every type survive a round trip through a real database, and read back typed."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Any

import pytest

from sqlwright import types
from sqlwright.schema import Column, MetaData, Table
from sqlwright.sql.dml import insert
from sqlwright.sql.elements import bindparam, text
from sqlwright.sql.selectable import select


class Suit(enum.Enum):
    HEARTS = "h"
    SPADES = "s"


UTC_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))

# (type, value written, value expected back)
ROUND_TRIPS: list[tuple[str, types.TypeEngine, Any, Any]] = [
    ("integer", types.Integer(), 42, 42),
    ("bigint", types.BigInteger(), 2**62, 2**62),
    ("smallint", types.SmallInteger(), -7, -7),
    ("float", types.Float(), 2.5, 2.5),
    ("double", types.Double(), 1e300, 1e300),
    ("numeric", types.Numeric(10, 2), decimal.Decimal("12345678.91"),
     decimal.Decimal("12345678.91")),
    ("numeric-int-input", types.Numeric(10, 2), 3, decimal.Decimal("3.00")),
    ("numeric-as-float", types.Numeric(10, 2, asdecimal=False), decimal.Decimal("1.5"), 1.5),
    ("float-asdecimal", types.Float(asdecimal=True, decimal_return_scale=3), 0.125,
     decimal.Decimal("0.125")),
    ("string", types.String(50), "héllo 'world'", "héllo 'world'"),
    ("text", types.Text(), "x" * 10_000, "x" * 10_000),
    ("unicode", types.Unicode(10), "日本語", "日本語"),
    ("boolean-true", types.Boolean(), True, True),
    ("boolean-false", types.Boolean(), False, False),
    ("date", types.Date(), datetime.date(2024, 2, 29), datetime.date(2024, 2, 29)),
    ("datetime", types.DateTime(), datetime.datetime(2024, 1, 2, 3, 4, 5, 678901),
     datetime.datetime(2024, 1, 2, 3, 4, 5, 678901), "supports_datetime_microseconds"),
    ("datetime-no-micro", types.DateTime(), datetime.datetime(2024, 1, 2, 3, 4, 5),
     datetime.datetime(2024, 1, 2, 3, 4, 5)),
    ("datetime-tz", types.DateTime(timezone=True),
     datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC_PLUS_2),
     datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC_PLUS_2), "supports_timezone"),
    ("time", types.Time(), datetime.time(23, 59, 58, 1000), datetime.time(23, 59, 58, 1000),
     "supports_datetime_microseconds"),
    ("interval", types.Interval(), datetime.timedelta(days=3, seconds=7, microseconds=5),
     datetime.timedelta(days=3, seconds=7, microseconds=5)),
    ("large-binary", types.LargeBinary(), b"\x00\xff\x10", b"\x00\xff\x10"),
    ("large-binary-bytearray", types.LargeBinary(), bytearray(b"ab"), b"ab"),
    ("json-dict", types.JSON(), {"a": [1, 2, {"b": None}], "c": "d"},
     {"a": [1, 2, {"b": None}], "c": "d"}),
    ("json-list", types.JSON(), [1, "two", 3.5, True], [1, "two", 3.5, True]),
    ("json-string", types.JSON(), "plain", "plain"),
    ("json-none-as-json-null", types.JSON(), None, None),
    ("uuid", types.Uuid(), uuid.UUID("12345678-1234-5678-1234-567812345678"),
     uuid.UUID("12345678-1234-5678-1234-567812345678")),
    ("uuid-from-string", types.Uuid(), "12345678-1234-5678-1234-567812345678",
     uuid.UUID("12345678-1234-5678-1234-567812345678")),
    ("uuid-as-string", types.Uuid(as_uuid=False), uuid.UUID(int=1),
     "00000000-0000-0000-0000-000000000001"),
    ("enum-class", types.Enum(Suit), Suit.SPADES, Suit.SPADES),
    ("enum-class-by-name", types.Enum(Suit), "HEARTS", Suit.HEARTS),
    ("enum-strings", types.Enum("draft", "published", name="rt_state"), "published",
     "published"),
    ("null", types.String(10), None, None),
    ("timestamp", types.TIMESTAMP(), datetime.datetime(2000, 1, 1),
     datetime.datetime(2000, 1, 1)),
]

def _case(name: str, type_: Any, value: Any, expected: Any, *flags: str) -> Any:
    """A round trip that needs the Features ``flags`` (it would lose data without them)."""
    marks = [pytest.mark.requires(*flags)] if flags else []
    return pytest.param(type_, value, expected, id=name, marks=marks)


@pytest.mark.parametrize(("type_", "value", "expected"), [_case(*c) for c in ROUND_TRIPS])
def test_round_trip(engine: Any, metadata: MetaData, type_: types.TypeEngine, value: Any,
                    expected: Any) -> None:
    table = Table("rt", metadata, Column("id", types.Integer(), primary_key=True),
                  Column("v", type_))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, v=value))
        got = conn.execute(select(table.c.v)).scalar_one()
        # a literal compared with the column goes through the same conversion
        if value is not None and not isinstance(type_, types.JSON):
            found = conn.execute(select(table.c.id).where(table.c.v == value)).scalar()
            assert found == 1
    assert got == expected
    assert type(got) is type(expected)


def test_json_none_as_null_stores_sql_null(engine: Any, metadata: MetaData) -> None:
    table = Table("docs", metadata, Column("id", types.Integer(), primary_key=True),
                  Column("a", types.JSON()), Column("b", types.JSON(none_as_null=True)))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, a=None, b=None))
        conn.execute(insert(table).values(id=2, a=types.JSON.NULL, b=types.JSON.NULL))
        sql_null_b = conn.execute(select(table.c.id).where(table.c.b.is_(None))).scalars().all()
        sql_null_a = conn.execute(select(table.c.id).where(table.c.a.is_(None))).scalars().all()
        values = conn.execute(select(table.c.a, table.c.b).order_by(table.c.id)).all()
    assert sql_null_b == [1]
    assert sql_null_a == []  # None and JSON.NULL are both stored as JSON 'null'
    assert [tuple(v) for v in values] == [(None, None), (None, None)]


def test_boolean_reads_back_as_bool_and_rejects_other_values(engine: Any,
                                                             metadata: MetaData) -> None:
    table = Table("flags", metadata, Column("id", types.Integer(), primary_key=True),
                  Column("on", types.Boolean()))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), [{"id": 1, "on": True}, {"id": 2, "on": 0}])
        assert conn.execute(select(table.c.on).order_by(table.c.id)).scalars().all() == [
            True, False]
        assert conn.execute(select(table.c.id).where(table.c.on == True)  # noqa: E712
                            ).scalars().all() == [1]
    with engine.begin() as conn, pytest.raises(Exception, match="Not a boolean value"):
        conn.execute(insert(table).values(id=3, on="yes"))


def test_enum_rejects_unknown_values(engine: Any, metadata: MetaData) -> None:
    table = Table("cards", metadata, Column("id", types.Integer(), primary_key=True),
                  Column("suit", types.Enum(Suit, validate_strings=True, native_enum=False)))
    metadata.create_all(engine)  # a VARCHAR without CHECK: the database takes any string
    with engine.begin() as conn, pytest.raises(Exception, match="CLUBS"):
        conn.execute(insert(table).values(id=1, suit="CLUBS"))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO cards (id, suit) VALUES (2, 'JOKER')"))
        with pytest.raises(LookupError, match="JOKER"):
            conn.execute(select(table.c.suit)).all()


# MySQL types the selected parameter as text and PyMySQL returns a string, which the DATETIME
# result processor (expecting the driver's datetime) passes through
@pytest.mark.backends("sqlite", "postgresql")
def test_typed_bind_and_typed_column_in_text(engine: Any) -> None:
    when = datetime.datetime(2024, 5, 6, 7, 8, 9)
    stmt = text("SELECT :when AS w").bindparams(
        bindparam("when", type_=types.DateTime())).columns(w=types.DateTime())
    with engine.connect() as conn:
        assert conn.execute(stmt, {"when": when}).scalar() == when


def test_datetimes_sort_in_time_order(engine: Any, metadata: MetaData, dialect: Any) -> None:
    table = Table("events", metadata, Column("id", types.Integer(), primary_key=True),
                  Column("at", types.DateTime()))
    metadata.create_all(engine)
    # the smallest step the database keeps: a microsecond, else a second
    step = 5 if dialect.features.supports_datetime_microseconds else 1_000_000
    stamps = [datetime.datetime(2024, 1, 1, 10) + datetime.timedelta(microseconds=step),
              datetime.datetime(2024, 1, 1, 9),
              datetime.datetime(2024, 1, 1, 10)]
    with engine.begin() as conn:
        conn.execute(insert(table), [{"id": i, "at": s} for i, s in enumerate(stamps, 1)])
        ordered = conn.execute(select(table.c.at).order_by(table.c.at)).scalars().all()
        later = conn.execute(select(table.c.id).where(
            table.c.at > datetime.datetime(2024, 1, 1, 10))).scalars().all()
    assert ordered == sorted(stamps)
    assert later == [1]


def test_date_compared_with_a_datetime_column(engine: Any, metadata: MetaData) -> None:
    table = Table("days", metadata, Column("id", types.Integer(), primary_key=True),
                  Column("at", types.DateTime()))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), [{"id": 1, "at": datetime.datetime(2024, 1, 1)},
                                     {"id": 2, "at": datetime.datetime(2024, 1, 2, 8)}])
        same = conn.execute(select(table.c.id).where(
            table.c.at == datetime.date(2024, 1, 1))).scalars().all()
        after = conn.execute(select(table.c.id).where(
            table.c.at > datetime.date(2024, 1, 2))).scalars().all()
    assert same == [1]
    assert after == [2]
