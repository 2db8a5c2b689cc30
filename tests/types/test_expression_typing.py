"""The type of an expression follows from its operands: one table of ``expression -> type``."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from sqlwright import exc, types
from sqlwright.sql import operators
from sqlwright.sql.elements import bindparam
from sqlwright.sql.expression import column, literal


class Suit(enum.Enum):
    HEARTS = 1
    SPADES = 2


i = column("i", types.Integer())
big = column("big", types.BigInteger())
n = column("n", types.Numeric(10, 2))
f = column("f", types.Float())
s = column("s", types.String(20))
dt = column("dt", types.DateTime())
d = column("d", types.Date())
tm = column("tm", types.Time())
iv = column("iv", types.Interval())
e = column("e", types.Enum(Suit))
j = column("j", types.JSON())

# (expression builder, expected result type)
CASES: list[tuple[str, Callable[[], Any], types.TypeEngine]] = [
    ("int + int literal", lambda: i + 1, types.Integer()),
    ("int literal - int", lambda: 5 - i, types.Integer()),
    ("int * bigint", lambda: i * big, types.Integer()),
    ("int + float literal", lambda: i + 1.5, types.Float()),
    ("int + numeric", lambda: i + n, types.Numeric(10, 2)),
    ("numeric * int", lambda: n * i, types.Numeric(10, 2)),
    ("numeric + float", lambda: n + f, types.Float()),
    ("numeric + Decimal", lambda: n + decimal.Decimal("1.5"), types.Numeric(10, 2)),
    ("comparison", lambda: i == 1, types.Boolean()),
    ("string comparison", lambda: s < "m", types.Boolean()),
    ("string + string", lambda: s + "x", types.String(20)),
    ("concat()", lambda: s.concat("x"), types.String(20)),
    ("datetime - datetime", lambda: dt - dt, types.Interval()),
    ("datetime + interval", lambda: dt + iv, types.DateTime()),
    ("datetime - timedelta", lambda: dt - datetime.timedelta(days=1), types.DateTime()),
    ("date - date", lambda: d - d, types.Integer()),
    ("date + int", lambda: d + 1, types.Date()),
    ("date + interval", lambda: d + iv, types.DateTime()),
    ("time - time", lambda: tm - tm, types.Interval()),
    ("interval * int", lambda: iv * 2, types.Interval()),
    ("interval + datetime", lambda: iv + dt, types.DateTime()),
    ("json index", lambda: j["key"], types.JSON()),
    ("json path", lambda: j[("a", 0)], types.JSON()),
    ("json as_string", lambda: j["key"].as_string(), types.String()),
    ("json as_integer", lambda: j[("a", 0)].as_integer(), types.Integer()),
    ("json as_float", lambda: j["x"].as_float(), types.Float()),
    ("json as_boolean", lambda: j["x"].as_boolean(), types.Boolean()),
    ("json as_numeric", lambda: j["x"].as_numeric(8, 3), types.Numeric(8, 3)),
]


@pytest.mark.parametrize(("build", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_result_type(build: Callable[[], Any], expected: types.TypeEngine) -> None:
    assert build().type == expected


def test_string_plus_renders_as_concatenation_operator() -> None:
    assert (s + "x").operator is operators.concat_op
    assert (i + 1).operator is operators.add


def test_enum_concatenation_is_a_plain_string() -> None:
    assert (e + "!").type == types.String()


# (Python value, the type a bare literal of it gets)
LITERALS: list[tuple[Any, types.TypeEngine]] = [
    (1, types.Integer()),
    (True, types.Boolean()),
    (1.5, types.Float()),
    (decimal.Decimal("2.5"), types.Numeric()),
    ("text", types.String()),
    (b"\x00", types.LargeBinary()),
    (datetime.datetime(2024, 1, 1), types.DateTime()),
    (datetime.date(2024, 1, 1), types.Date()),
    (datetime.time(12, 0), types.Time()),
    (datetime.timedelta(seconds=1), types.Interval()),
    (uuid.UUID(int=1), types.Uuid()),
    (Suit.HEARTS, types.Enum(Suit)),
    (None, types.NullType()),
]


@pytest.mark.parametrize(("value", "expected"), LITERALS, ids=[repr(v) for v, _ in LITERALS])
def test_literal_type(value: Any, expected: types.TypeEngine) -> None:
    assert literal(value).type == expected
    assert bindparam("p", value).type == expected


def test_value_compared_with_a_column_takes_the_column_type() -> None:
    assert (e == Suit.HEARTS).right.type == types.Enum(Suit)
    assert (e == "HEARTS").right.type == types.Enum(Suit)
    assert (s == "abc").right.type == types.String(20)
    assert (i == 1.5).right.type == types.Float()
    assert (j["k"] == 5).right.type == types.JSON()


def test_type_decorator_keeps_itself_for_compared_values() -> None:
    class Cents(types.TypeDecorator):
        impl = types.Integer
        cache_ok = True

    c = column("c", Cents())
    assert (c == 5).right.type is c.type
    assert (c + 1).type is c.type
    assert (c > 5).type == types.Boolean()


def test_indexing_a_non_json_column_explains_itself() -> None:
    with pytest.raises(exc.ArgumentError, match="JSON"):
        s[0]


def test_json_as_string_needs_an_index() -> None:
    with pytest.raises(exc.ArgumentError, match=r"col\['key'\]"):
        j.as_string()


def test_json_index_of_wrong_kind_is_rejected() -> None:
    with pytest.raises(exc.ArgumentError, match="str key, an int position or a tuple"):
        j[1.5]
    with pytest.raises(exc.ArgumentError, match="path step"):
        j[("a", 1.5)]
