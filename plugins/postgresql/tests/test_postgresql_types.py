"""Every portable type and PostgreSQL's own types round-trip through the server."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import sqlwright
import sqlwright_postgresql as pg
from sqlwright import Column, Integer, MetaData, Table, insert, select
from sqlwright import types as t
from sqlwright.engine.url import URL
from sqlwright_postgresql.provision import create_test_schema, drop_test_schema


class Color(enum.Enum):
    red = 1
    green = 2


@pytest.fixture
def scratch(pg_url: URL) -> Iterator[Any]:
    """An engine whose search_path is a fresh schema, dropped (with its objects) afterwards."""
    schema = f"sw_{uuid.uuid4().hex[:10]}"
    create_test_schema(pg_url, schema)
    eng = sqlwright.create_engine(
        pg_url.update_query_dict({"options": f"-csearch_path={schema}"}))
    yield eng
    eng.dispose()
    drop_test_schema(pg_url, schema)


AWARE = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456,
                          tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
ROUND_TRIPS: list[tuple[str, Any, Any]] = [
    ("integer", t.Integer(), 2**31 - 1),
    ("small_integer", t.SmallInteger(), -32768),
    ("big_integer", t.BigInteger(), 2**62),
    ("float", t.Float(), 1.5),
    ("double", t.Double(), 1e300),
    ("numeric", t.Numeric(12, 4), decimal.Decimal("12345678.1234")),
    ("numeric_float", t.Numeric(10, 2, asdecimal=False), 3.25),
    ("string", t.String(20), "héllo 'quoted' %s"),
    ("text", t.Text(), "x" * 10_000),
    ("unicode", t.Unicode(10), "ünï☃"),
    ("unicode_text", t.UnicodeText(), "日本語"),
    ("boolean", t.Boolean(), False),
    ("date", t.Date(), datetime.date(2024, 2, 29)),
    ("datetime", t.DateTime(), datetime.datetime(2024, 1, 2, 3, 4, 5, 678901)),
    ("datetime_tz", t.DateTime(timezone=True), AWARE),
    ("time", t.Time(), datetime.time(23, 59, 58, 999)),
    ("interval", t.Interval(), datetime.timedelta(days=3, seconds=7, microseconds=5)),
    ("large_binary", t.LargeBinary(), b"\x00\xff binary"),
    ("json", t.JSON(), {"a": [1, 2.5, None, "x"], "b": {"c": True}}),
    ("json_string", t.JSON(), "just a string"),
    ("enum_strings", t.Enum("draft", "published", name="status"), "published"),
    ("enum_class", t.Enum(Color), Color.green),
    ("uuid", t.Uuid(), uuid.UUID("12345678-1234-5678-1234-567812345678")),
    ("uuid_str", t.Uuid(as_uuid=False), "12345678-1234-5678-1234-567812345678"),
    ("pg_jsonb", pg.JSONB(), {"k": [1, {"n": None}]}),
    ("pg_array_int", pg.ARRAY(t.Integer()), [1, None, 3]),
    ("pg_array_2d", pg.ARRAY(t.Integer(), dimensions=2), [[1, 2], [3, 4]]),
    ("pg_array_text", pg.ARRAY(t.Text()), ['a "quoted", {x}', "", "NULL"]),
    ("pg_array_tuple", pg.ARRAY(t.String(), as_tuple=True), ("a", "b")),
    ("pg_array_enum", pg.ARRAY(pg.ENUM("x", "y z", name="xy")), ["y z", "x"]),
    ("pg_array_uuid", pg.ARRAY(t.Uuid()), [uuid.UUID(int=7)]),
    ("pg_inet", pg.INET(), "192.168.0.1/24"),
    ("pg_cidr", pg.CIDR(), "10.0.0.0/8"),
    ("pg_interval", pg.INTERVAL(fields="day to second"), datetime.timedelta(days=1, hours=2)),
    ("pg_timestamp_tz", pg.TIMESTAMP(timezone=True), AWARE),
    ("pg_bytea", pg.BYTEA(), bytes(range(256))),
]


@pytest.mark.parametrize(("name", "type_", "value"), ROUND_TRIPS,
                         ids=[r[0] for r in ROUND_TRIPS])
def test_round_trip(scratch: Any, name: str, type_: Any, value: Any) -> None:
    md = MetaData()
    table = Table(f"rt_{name}", md, Column("id", Integer, primary_key=True),
                  Column("v", type_))
    md.create_all(scratch)
    with scratch.begin() as conn:
        conn.execute(insert(table).values(id=1, v=value))
        conn.execute(insert(table).values(id=2, v=None))
        got = conn.execute(select(table.c.v).order_by(table.c.id)).scalars().all()
        matched = conn.execute(select(table.c.id).where(table.c.v == value)).scalars().all() \
            if name.startswith(("integer", "string", "date", "uuid", "enum", "pg_inet")) \
            else [1]
    assert got[0] == value
    assert type(got[0]) is type(value)
    assert got[1] is None or name.startswith("json")
    assert matched == [1]


def test_enum_types_follow_create_all_and_drop_all(scratch: Any) -> None:
    md = MetaData()
    mood = t.Enum("sad", "ok", "happy", name="mood")
    Table("a", md, Column("id", Integer, primary_key=True), Column("m", mood))
    Table("b", md, Column("id", Integer, primary_key=True), Column("m", mood),
          Column("ms", pg.ARRAY(mood)))
    Table("c", md, Column("id", Integer, primary_key=True),
          Column("m", pg.ENUM("sad", name="premade", create_type=False)))

    def enum_labels(name: str) -> list[str]:
        with scratch.connect() as conn:
            return list(conn.exec_driver_sql(
                "SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
                "WHERE t.typname = %(n)s AND t.typnamespace = "
                "(SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
                "ORDER BY enumsortorder", {"n": name}).scalars().all())

    with scratch.begin() as conn:
        conn.exec_driver_sql("CREATE TYPE premade AS ENUM ('sad')")
    md.create_all(scratch)
    assert enum_labels("mood") == ["sad", "ok", "happy"]
    md.tables["a"].drop(scratch)
    assert enum_labels("mood") == ["sad", "ok", "happy"]  # table b still uses it
    md.drop_all(scratch)
    assert enum_labels("mood") == []
    assert enum_labels("premade") == ["sad"]  # create_type=False: left alone


def test_json_none_and_null(scratch: Any) -> None:
    md = MetaData()
    table = Table("jn", md, Column("id", Integer, primary_key=True),
                  Column("plain", t.JSON()), Column("nullable", t.JSON(none_as_null=True)))
    md.create_all(scratch)
    with scratch.begin() as conn:
        conn.execute(insert(table).values(id=1, plain=None, nullable=None))
        is_sql_null = conn.execute(select(table.c.plain.is_(None),
                                          table.c.nullable.is_(None))).one()
    assert tuple(is_sql_null) == (False, True)
