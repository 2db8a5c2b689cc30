"""SQLite's type implementations: text formats of dates and times, declared-name mapping."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import pytest

from sqlwright import types
from sqlwright.dialects import load
from sqlwright_sqlite import types as sqlite_types

UTC = datetime.timezone.utc

# (text SQLite may hold, datetime read back)
DATETIME_TEXTS: list[tuple[str, datetime.datetime]] = [
    ("2024-01-02 03:04:05.678901", datetime.datetime(2024, 1, 2, 3, 4, 5, 678901)),
    ("2024-01-02 03:04:05", datetime.datetime(2024, 1, 2, 3, 4, 5)),  # CURRENT_TIMESTAMP
    ("2024-01-02T03:04:05.5", datetime.datetime(2024, 1, 2, 3, 4, 5, 500000)),
    ("2024-01-02 03:04", datetime.datetime(2024, 1, 2, 3, 4)),
    ("2024-01-02", datetime.datetime(2024, 1, 2)),
    ("2024-01-02 03:04:05+02:00",
     datetime.datetime(2024, 1, 2, 3, 4, 5,
                       tzinfo=datetime.timezone(datetime.timedelta(hours=2)))),
    ("2024-01-02 03:04:05Z", datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("2024-01-02 03:04:05.1234567", datetime.datetime(2024, 1, 2, 3, 4, 5, 123456)),
]


@pytest.mark.parametrize(("text", "expected"), DATETIME_TEXTS, ids=[t for t, _ in DATETIME_TEXTS])
def test_parse_datetime(text: str, expected: datetime.datetime) -> None:
    assert sqlite_types.parse_datetime(text) == expected


def test_unreadable_datetime_says_what_format_is_expected() -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        sqlite_types.parse_datetime("yesterday")


def test_datetime_text_always_has_microseconds_so_it_sorts() -> None:
    assert sqlite_types.format_datetime(datetime.datetime(2024, 1, 2)) == (
        "2024-01-02 00:00:00.000000")


def test_parse_time_with_and_without_fraction() -> None:
    assert sqlite_types.parse_time("10:11:12.000300") == datetime.time(10, 11, 12, 300)
    assert sqlite_types.parse_time("10:11") == datetime.time(10, 11)


def test_wrong_python_type_for_datetime_is_a_type_error() -> None:
    process = sqlite_types.SQLiteDateTime().bind_processor(load("sqlite")())
    assert process is not None
    with pytest.raises(TypeError, match="datetime.datetime"):
        process(12)


def test_numeric_is_sent_as_text_and_read_with_its_scale() -> None:
    dialect = load("sqlite")()
    impl = sqlite_types.SQLiteNumeric(10, 2)
    bind = impl.bind_processor(dialect)
    result = impl.result_processor(dialect, None)
    assert bind is not None and result is not None
    assert bind(decimal.Decimal("1.10")) == "1.10"
    assert result(1.1) == decimal.Decimal("1.10")
    assert result(None) is None


# (declared type in CREATE TABLE, portable type it reflects as)
DECLARED: list[tuple[str, Any]] = [
    ("INTEGER", types.Integer()),
    ("int", types.Integer()),
    ("BIGINT", types.BigInteger()),
    ("VARCHAR(30)", types.String(30)),
    ("NVARCHAR(5)", types.String(5)),
    ("TEXT", types.Text()),
    ("NUMERIC(10, 2)", types.Numeric(10, 2)),
    ("DECIMAL", types.Numeric()),
    ("REAL", types.Float()),
    ("DOUBLE PRECISION", types.Double()),
    ("BOOLEAN", types.Boolean()),
    ("DATETIME", types.DateTime()),
    ("TIMESTAMP", types.DateTime()),
    ("DATE", types.Date()),
    ("TIME", types.Time()),
    ("BLOB", types.LargeBinary()),
    ("JSON", types.JSON()),
    ("", types.LargeBinary()),
    ("UNSIGNED BIG INT", types.Integer()),
    ("CHARACTER(20)", types.Text()),
    ("FLOATING POINT", types.Integer()),  # SQLite: a name containing INT is INTEGER
    ("MONEY", types.Numeric()),
]


@pytest.mark.parametrize(("declared", "expected"), DECLARED, ids=[d or "<none>" for d, _ in
                                                                  DECLARED])
def test_type_for_declared_name(declared: str, expected: Any) -> None:
    assert sqlite_types.type_for_declared_name(declared) == expected
