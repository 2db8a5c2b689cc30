"""Values rendered inline (``literal_binds``): one table, ``(value, type) -> SQL per dialect``."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Any

import pytest

from sqlwright import types
from sqlwright.dialects import load
from sqlwright.dialects.base import DefaultDialect
from sqlwright.sql.expression import literal


class Suit(enum.Enum):
    HEARTS = 1


class Upper(types.TypeDecorator):
    impl = types.String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return value.upper()


class PyformatDialect(DefaultDialect):
    paramstyle = "pyformat"


DEFAULT = DefaultDialect()
SQLITE = load("sqlite")()

# (value, type or None, default dialect SQL, sqlite SQL)
CASES: list[tuple[Any, Any, str, str]] = [
    (5, None, "5", "5"),
    (True, types.Boolean(), "1", "1"),
    (decimal.Decimal("1.50"), types.Numeric(5, 2), "1.50", "1.50"),
    (2.5, types.Float(), "2.5", "2.5"),
    ("it's", types.String(), "'it''s'", "'it''s'"),
    (b"\x01\xff", types.LargeBinary(), "X'01ff'", "X'01ff'"),
    (datetime.date(2024, 1, 2), types.Date(), "'2024-01-02'", "'2024-01-02'"),
    (datetime.datetime(2024, 1, 2, 3, 4, 5), types.DateTime(), "'2024-01-02 03:04:05'",
     "'2024-01-02 03:04:05.000000'"),
    (datetime.time(3, 4, 5), types.Time(), "'03:04:05'", "'03:04:05.000000'"),
    (Suit.HEARTS, types.Enum(Suit), "'HEARTS'", "'HEARTS'"),
    ({"a": "it's"}, types.JSON(), """'{"a": "it''s"}'""", """'{"a": "it''s"}'"""),
    (uuid.UUID(int=255), types.Uuid(), "'000000000000000000000000000000ff'",
     "'000000000000000000000000000000ff'"),
    ("abc", Upper(), "'ABC'", "'ABC'"),
]


def _render(value: Any, type_: Any, dialect: Any) -> str:
    return literal(value, type_).compile(dialect=dialect,
                                         compile_kwargs={"literal_binds": True}).string


@pytest.mark.parametrize(("value", "type_", "default_sql", "sqlite_sql"), CASES,
                         ids=[repr(c[0]) for c in CASES])
def test_literal_rendering(value: Any, type_: Any, default_sql: str, sqlite_sql: str) -> None:
    assert _render(value, type_, DEFAULT) == default_sql
    assert _render(value, type_, SQLITE) == sqlite_sql


def test_percent_is_doubled_for_format_paramstyles() -> None:
    assert _render({"p": "100%"}, types.JSON(), PyformatDialect()) == """'{"p": "100%%"}'"""
    assert _render({"p": "100%"}, types.JSON(), DEFAULT) == """'{"p": "100%"}'"""
