"""Every portable type and the MySQL types round-trip through the server."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Any

import pytest

import sqlwright_mysql as mysql
from sqlwright import Column, Integer, MetaData, Table, cast, exc, insert, literal, select
from sqlwright import types as t


class Mood(enum.Enum):
    happy = 1
    sad = 2


#: (id, column type, value written, value expected back)
ROUND_TRIPS: list[tuple[str, Any, Any, Any]] = [
    ("integer", t.Integer(), -5, -5),
    ("small_integer", t.SmallInteger(), 32000, 32000),
    ("big_integer", t.BigInteger(), 2**62, 2**62),
    ("float", t.Float(), 1.5, 1.5),
    ("double", t.Double(), 1.0 / 3, 1.0 / 3),
    ("numeric", t.Numeric(10, 2), decimal.Decimal("12.34"), decimal.Decimal("12.34")),
    ("numeric_float", t.Numeric(10, 2, asdecimal=False), decimal.Decimal("1.25"), 1.25),
    ("string", t.String(20), "héllo ☃", "héllo ☃"),
    ("text", t.Text(), "x" * 5000, "x" * 5000),
    ("unicode", t.Unicode(10), "日本語", "日本語"),
    ("unicode_text", t.UnicodeText(), "emoji 🎉", "emoji 🎉"),
    ("boolean_true", t.Boolean(), True, True),
    ("boolean_false", t.Boolean(), False, False),
    ("date", t.Date(), datetime.date(2024, 2, 29), datetime.date(2024, 2, 29)),
    ("datetime", t.DateTime(), datetime.datetime(2024, 1, 2, 3, 4, 5),
     datetime.datetime(2024, 1, 2, 3, 4, 5)),
    ("time", t.Time(), datetime.time(23, 59, 58), datetime.time(23, 59, 58)),
    ("interval", t.Interval(), datetime.timedelta(days=3, seconds=7, microseconds=8),
     datetime.timedelta(days=3, seconds=7, microseconds=8)),
    ("large_binary", t.LargeBinary(), b"\x00\xff\x10", b"\x00\xff\x10"),
    ("json", t.JSON(), {"a": [1, None, "x"]}, {"a": [1, None, "x"]}),
    ("json_scalar", t.JSON(), "text", "text"),
    ("enum_strings", t.Enum("red", "green"), "green", "green"),
    ("enum_class", t.Enum(Mood), Mood.sad, Mood.sad),
    ("uuid", t.Uuid(), uuid.UUID(int=12345), uuid.UUID(int=12345)),
    ("uuid_as_string", t.Uuid(as_uuid=False), str(uuid.UUID(int=7)), str(uuid.UUID(int=7))),
    ("null", t.String(5), None, None),
    # MySQL's own types
    ("tinyint", mysql.TINYINT(), -100, -100),
    ("tinyint_unsigned", mysql.TINYINT(unsigned=True), 250, 250),
    ("mediumint", mysql.MEDIUMINT(), 8_000_000, 8_000_000),
    ("integer_unsigned", mysql.INTEGER(unsigned=True), 4_000_000_000, 4_000_000_000),
    ("bigint_unsigned", mysql.BIGINT(unsigned=True), 2**64 - 1, 2**64 - 1),
    ("decimal_unsigned", mysql.DECIMAL(8, 3, unsigned=True), decimal.Decimal("1.500"),
     decimal.Decimal("1.500")),
    ("datetime_fsp", mysql.DATETIME(fsp=6), datetime.datetime(2024, 5, 6, 7, 8, 9, 123456),
     datetime.datetime(2024, 5, 6, 7, 8, 9, 123456)),
    ("timestamp_fsp", mysql.TIMESTAMP(fsp=3), datetime.datetime(2024, 5, 6, 7, 8, 9, 123000),
     datetime.datetime(2024, 5, 6, 7, 8, 9, 123000)),
    ("time_fsp", mysql.TIME(fsp=6), datetime.time(1, 2, 3, 456789),
     datetime.time(1, 2, 3, 456789)),
    ("year", mysql.YEAR(), 2024, 2024),
    ("bit", mysql.BIT(8), 0b1010_0101, 0b1010_0101),
    ("enum_native", mysql.ENUM("a", "b c"), "b c", "b c"),
    ("set", mysql.SET("read", "write", "admin"), {"admin", "read"}, {"admin", "read"}),
    ("set_empty", mysql.SET("read", "write"), set(), set()),
    ("char_charset", mysql.CHAR(3, charset="latin1"), "abc", "abc"),
    ("longtext", mysql.LONGTEXT(), "y" * 70000, "y" * 70000),
    ("mediumblob", mysql.MEDIUMBLOB(), bytes(range(256)) * 300, bytes(range(256)) * 300),
    ("varbinary", mysql.VARBINARY(4), b"ab\x00", b"ab\x00"),
    ("json_mysql", mysql.JSON(), [1, {"k": True}], [1, {"k": True}]),
]


@pytest.mark.parametrize(("type_", "value", "expected"),
                         [pytest.param(ty, v, e, id=i) for i, ty, v, e in ROUND_TRIPS])
def test_round_trip(engine: Any, metadata: MetaData, type_: Any, value: Any,
                    expected: Any) -> None:
    table = Table("round_trip", metadata, Column("id", Integer, primary_key=True),
                  Column("value", type_))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, value=value))
        got = conn.execute(select(table.c.value)).scalar()
        assert got == expected
        assert type(got) is type(expected)
        # the value also works as a bound parameter in WHERE
        if value is not None and not isinstance(type_, (t.JSON, t.Float)):
            found = conn.execute(select(table.c.id).where(table.c.value == value)).all()
            assert len(found) == 1


def test_tinyint1_is_boolean_and_reads_back_as_bool(engine: Any, metadata: MetaData) -> None:
    table = Table("flags", metadata, Column("id", Integer, primary_key=True),
                  Column("on", t.Boolean()))
    metadata.create_all(engine)
    with engine.begin() as conn:
        declared = conn.exec_driver_sql(
            "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
            " AND TABLE_NAME = 'flags' AND COLUMN_NAME = 'on'").scalar()
        assert declared == "tinyint(1)"
        conn.execute(insert(table), [{"id": 1, "on": True}, {"id": 2, "on": False}])
        assert conn.execute(select(table.c.on).order_by(table.c.id)).scalars().all() == [
            True, False]


def test_datetime_without_fsp_drops_microseconds(engine: Any, metadata: MetaData) -> None:
    """features.supports_datetime_microseconds is False: DATETIME keeps whole seconds."""
    assert engine.dialect.features.supports_datetime_microseconds is False
    table = Table("stamps", metadata, Column("id", Integer, primary_key=True),
                  Column("at", t.DateTime()))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, at=datetime.datetime(2024, 1, 1, 0, 0, 1, 600)))
        assert conn.execute(select(table.c.at)).scalar() == datetime.datetime(2024, 1, 1, 0, 0, 1)


def test_enum_and_set_reject_unknown_values(engine: Any, metadata: MetaData) -> None:
    table = Table("choices", metadata, Column("id", Integer, primary_key=True),
                  Column("perms", mysql.SET("r", "w")),
                  Column("mood", t.Enum(Mood)))
    metadata.create_all(engine)
    with engine.begin() as conn, pytest.raises(exc.StatementError,
                                               match="not among the SET's values"):
        conn.execute(insert(table).values(id=1, perms={"x"}))
    with engine.begin() as conn, pytest.raises(exc.StatementError,
                                               match="not among the values"):
        conn.execute(insert(table).values(id=2, mood=Mood))
    # a plain string passes through; the server refuses it
    with engine.begin() as conn, pytest.raises(exc.DataError):
        conn.execute(insert(table).values(id=3, mood="angry"))


def test_unsigned_column_refuses_negative_values(engine: Any, metadata: MetaData) -> None:
    table = Table("counts", metadata, Column("id", Integer, primary_key=True),
                  Column("n", mysql.INTEGER(unsigned=True)))
    metadata.create_all(engine)
    with engine.begin() as conn, pytest.raises(exc.DataError):
        conn.execute(insert(table).values(id=1, n=-1))


def test_time_outside_a_day_is_an_error_naming_interval(engine: Any) -> None:
    with engine.connect() as conn, pytest.raises(ValueError, match="Interval"):
        conn.execute(select(cast(literal("30:00:00"), t.Time()))).scalar()


def test_dialect_type_options_validate() -> None:
    with pytest.raises(exc.ArgumentError, match="fsp"):
        mysql.DATETIME(fsp=7)
    with pytest.raises(exc.ArgumentError, match="without commas"):
        mysql.SET("a,b")
