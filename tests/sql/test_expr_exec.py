"""Column expressions, operators and functions run on a real database, checking the rows."""

from __future__ import annotations

from typing import Any

import pytest

from sqlwright import (
    Boolean,
    Column,
    Integer,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal,
    not_,
    null,
    nulls_first,
    nulls_last,
    or_,
    true,
    tuple_,
    type_coerce,
)
from sqlwright.sql.dml import insert
from sqlwright.sql.selectable import select

ROWS = [
    {"id": 1, "name": "apple", "qty": 3, "kind": "fruit", "ok": True},
    {"id": 2, "name": "Banana", "qty": None, "kind": "fruit", "ok": False},
    {"id": 3, "name": "50%_off", "qty": 10, "kind": "deal", "ok": True},
    {"id": 4, "name": "carrot", "qty": 7, "kind": "veg", "ok": False},
]


@pytest.fixture
def items(metadata: Any, engine: Any) -> Table:
    table = Table(
        "items", metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(30)),
        Column("qty", Integer),
        Column("kind", String(10)),
        Column("ok", Boolean),
    )
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), ROWS)
    return table


def ids(connection: Any, items: Table, *criteria: Any) -> list[int]:
    stmt = select(items.c.id).where(*criteria).order_by(items.c.id)
    return [row[0] for row in connection.execute(stmt)]


def scalar(connection: Any, expr: Any) -> Any:
    return connection.execute(select(expr)).scalar()


def test_comparisons_and_boolean_composition(items: Table, connection: Any) -> None:
    c = items.c
    assert ids(connection, items, c.qty > 3) == [3, 4]
    assert ids(connection, items, c.qty >= 3, c.qty <= 7) == [1, 4]
    assert ids(connection, items, c.qty != 3) == [3, 4]
    assert ids(connection, items, or_(c.name == "apple", c.qty == 10)) == [1, 3]
    assert ids(connection, items, and_(c.kind == "fruit", or_(c.qty > 1, c.qty.is_(None)))) \
        == [1, 2]
    assert ids(connection, items, (c.kind == "fruit") & ~(c.qty > 1)) == []
    assert ids(connection, items, not_(c.kind == "fruit")) == [3, 4]
    assert ids(connection, items, c.ok == True) == [1, 3]  # noqa: E712
    assert ids(connection, items, not_(c.ok)) == [2, 4]
    assert ids(connection, items, and_(true(), c.id < 3)) == [1, 2]
    assert ids(connection, items, or_(false(), c.id > 3)) == [4]


def test_null_checks(items: Table, connection: Any) -> None:
    c = items.c
    assert ids(connection, items, c.qty == None) == [2]  # noqa: E711
    assert ids(connection, items, c.qty.is_not(None)) == [1, 3, 4]
    assert ids(connection, items, c.qty.is_distinct_from(3)) == [2, 3, 4]
    assert ids(connection, items, c.qty.is_not_distinct_from(None)) == [2]
    assert ids(connection, items, c.qty == null()) == [2]


def test_in_variants(items: Table, connection: Any) -> None:
    c = items.c
    assert ids(connection, items, c.name.in_(["apple", "carrot", "nope"])) == [1, 4]
    assert ids(connection, items, c.name.not_in(["apple"])) == [2, 3, 4]
    assert ids(connection, items, c.id.in_([])) == []
    assert ids(connection, items, c.id.not_in([])) == [1, 2, 3, 4]
    assert ids(connection, items, c.id.in_([c.qty, 2])) == [2]
    sub = select(items.c.id).where(items.c.kind == "fruit")
    assert ids(connection, items, c.id.in_(sub)) == [1, 2]
    stmt = select(c.id).where(c.id.in_(bindparam("wanted", expanding=True))).order_by(c.id)
    assert connection.execute(stmt, {"wanted": [4, 1]}).scalars().all() == [1, 4]
    assert connection.execute(stmt, {"wanted": [3]}).scalars().all() == [3]


@pytest.mark.requires("supports_tuple_in")
def test_tuple_in(items: Table, connection: Any) -> None:
    c = items.c
    pairs = [(1, "apple"), (2, "wrong"), (4, "carrot")]
    assert ids(connection, items, tuple_(c.id, c.name).in_(pairs)) == [1, 4]


def test_like_family(items: Table, connection: Any) -> None:
    c = items.c
    assert ids(connection, items, c.name.like("%a%")) == [1, 2, 4]
    assert ids(connection, items, c.name.not_like("%a%")) == [3]
    assert ids(connection, items, c.name.ilike("b%")) == [2]
    assert ids(connection, items, c.name.not_ilike("B%")) == [1, 3, 4]
    assert ids(connection, items, c.name.startswith("car")) == [4]
    assert ids(connection, items, c.name.endswith("na")) == [2]
    assert ids(connection, items, c.name.contains("%")) == [1, 2, 3, 4]  # % is a wildcard
    assert ids(connection, items, c.name.contains("%_", autoescape=True)) == [3]
    assert ids(connection, items, c.name.like("50!%%", escape="!")) == [3]
    assert ids(connection, items, c.qty.between(3, 7)) == [1, 4]
    assert ids(connection, items, ~c.qty.between(3, 7)) == [3]


def test_arithmetic_and_concatenation(items: Table, connection: Any) -> None:
    c = items.c
    stmt = select((c.qty + 1) * 2, -c.qty, c.qty % 3, 10 - c.qty, c.name + "!",
                  c.name.concat(c.kind)).where(c.id == 4)
    assert connection.execute(stmt).one() == (16, -7, 1, 3, "carrot!", "carrotveg")
    assert scalar(connection, literal(2) + 3) == 5


def test_case_cast_and_type_coerce(items: Table, connection: Any) -> None:
    c = items.c
    size = case((c.qty > 5, "big"), (c.qty > 0, "small"), else_="unknown")
    stmt = select(c.id, size).order_by(c.id)
    assert connection.execute(stmt).all() == [(1, "small"), (2, "unknown"), (3, "big"),
                                               (4, "big")]
    by_value = case({"fruit": 1, "veg": 2}, value=c.kind, else_=0)
    assert connection.execute(select(by_value).order_by(c.id)).scalars().all() == [1, 1, 0, 2]
    assert scalar(connection, cast(literal("42"), Integer)) == 42
    as_text = select(cast(c.qty, String(10))).where(c.id == 1)
    assert connection.execute(as_text).scalar() == "3"
    flag = select(type_coerce(c.qty > 5, Boolean)).where(c.id == 3)
    assert connection.execute(flag).scalar() is True
    assert scalar(connection, select(c.ok).where(c.id == 2).scalar_subquery()) is False


def test_aggregates_and_functions(items: Table, connection: Any) -> None:
    c = items.c
    stmt = select(func.count(), func.count(c.qty), func.sum(c.qty), func.min(c.qty),
                  func.max(c.name), func.count(c.kind.distinct()))
    assert connection.execute(stmt).one() == (4, 3, 20, 3, "carrot", 3)
    # avg() is a float on SQLite, a Decimal on PostgreSQL and MySQL (with 4 decimals)
    assert float(scalar(connection, func.avg(c.qty))) == pytest.approx(20 / 3, abs=1e-4)
    assert scalar(connection, func.count(func.distinct(c.kind))) == 3
    stmt = select(func.coalesce(c.qty, -1), func.upper(c.name), func.lower(c.name),
                  func.length(c.name), func.abs(-c.qty)).where(c.id == 2)
    assert connection.execute(stmt).one() == (-1, "BANANA", "banana", 6, None)
    total = func.sum(c.qty).label("total")
    stmt = (select(c.kind, total).group_by(c.kind).having(func.count() > 1)
            .order_by(total.desc()))
    assert connection.execute(stmt).all() == [("fruit", 3)]


def test_aggregate_filter(items: Table, connection: Any) -> None:
    c = items.c
    stmt = select(func.count().filter(c.qty > 3), func.sum(c.qty).filter(c.kind == "fruit"))
    assert connection.execute(stmt).one() == (2, 3)


def test_aggregate_filter_emulated(engine: Any, items: Table) -> None:
    engine.dialect.features.supports_aggregate_filter = False
    c = items.c
    stmt = select(func.count().filter(c.qty > 3), func.sum(c.qty).filter(c.kind == "fruit"))
    assert "FILTER" not in str(stmt.compile(engine))
    with engine.connect() as conn:
        assert conn.execute(stmt).one() == (2, 3)


@pytest.mark.requires("supports_window_functions")
def test_window_functions(items: Table, connection: Any) -> None:
    c = items.c
    rank = func.row_number().over(partition_by=c.kind, order_by=c.id.desc())
    running = func.sum(c.id).over(order_by=c.id, rows=(None, 0))
    stmt = select(c.id, rank, running).order_by(c.id)
    assert connection.execute(stmt).all() == [(1, 2, 1), (2, 1, 3), (3, 1, 6), (4, 1, 10)]


def test_nulls_ordering(items: Table, connection: Any) -> None:
    c = items.c
    first = select(c.id).order_by(nulls_first(c.qty.desc()))
    last = select(c.id).order_by(nulls_last(c.qty.asc()))
    assert connection.execute(first).scalars().all() == [2, 3, 4, 1]
    assert connection.execute(last).scalars().all() == [1, 4, 3, 2]


def test_nulls_ordering_emulated(engine: Any, items: Table) -> None:
    engine.dialect.features.supports_nulls_ordering = False
    c = items.c
    stmt = select(c.id).order_by(nulls_first(c.qty.desc()))
    assert "NULLS" not in str(stmt.compile(engine))
    with engine.connect() as conn:
        assert conn.execute(stmt).scalars().all() == [2, 3, 4, 1]


def test_new_values_in_a_cached_statement_shape(items: Table, connection: Any) -> None:
    c = items.c
    # same shape, new values: the compiled form is reused and must take the new values
    assert ids(connection, items, c.qty > 5, c.name.like("c%")) == [4]
    assert ids(connection, items, c.qty > 1, c.name.like("a%")) == [1]
    assert ids(connection, items, c.id.in_([1, 2])) == [1, 2]
    assert ids(connection, items, c.id.in_([3])) == [3]
    assert scalar(connection, literal(1) + 1) == 2
    assert scalar(connection, literal(5) + 1) == 6
