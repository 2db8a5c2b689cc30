"""Suite: column expressions, operators and SQL functions evaluated by the database, expanding
IN parameters (the empty list included), sequences, and JSON element access."""

from __future__ import annotations

from typing import Any

import pytest

from sqlwright import (
    Boolean,
    Column,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    bindparam,
    false,
    func,
    insert,
    not_,
    nulls_first,
    nulls_last,
    select,
    true,
    tuple_,
    types,
)

_ITEMS = [
    {"id": 1, "name": "apple", "qty": 3, "kind": "fruit", "ok": True},
    {"id": 2, "name": "Banana", "qty": None, "kind": "fruit", "ok": False},
    {"id": 3, "name": "50%_off", "qty": 10, "kind": "deal", "ok": True},
    {"id": 4, "name": "carrot", "qty": 7, "kind": "veg", "ok": False},
]


@pytest.fixture
def stock(engine: Any, metadata: MetaData) -> Table:
    """Four items (id, name, qty, kind, ok), one with a NULL qty."""
    table = Table("sw_stock_items", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("name", String(30)), Column("qty", Integer),
                  Column("kind", String(10)), Column("ok", Boolean))
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(table), _ITEMS)
    return table


def _ids(conn: Any, table: Table, *criteria: Any) -> list[int]:
    stmt = select(table.c.id).where(*criteria).order_by(table.c.id)
    return list(conn.execute(stmt).scalars())


def test_boolean_composition(connection: Any, stock: Table) -> None:
    c = stock.c
    assert _ids(connection, stock, (c.kind == "fruit") & ~(c.qty > 1)) == []
    assert _ids(connection, stock, not_(c.kind == "fruit")) == [3, 4]
    assert _ids(connection, stock, c.ok == True) == [1, 3]  # noqa: E712
    assert _ids(connection, stock, not_(c.ok)) == [2, 4]
    assert _ids(connection, stock, true(), c.id < 3) == [1, 2]
    assert _ids(connection, stock, false() | (c.id > 3)) == [4]


def test_is_distinct_from(connection: Any, stock: Table) -> None:
    c = stock.c
    assert _ids(connection, stock, c.qty.is_distinct_from(3)) == [2, 3, 4]
    assert _ids(connection, stock, c.qty.is_not_distinct_from(None)) == [2]


@pytest.mark.requires("supports_tuple_in")
def test_tuple_in(connection: Any, stock: Table) -> None:
    c = stock.c
    assert _ids(connection, stock, tuple_(c.id, c.name).in_(
        [(1, "apple"), (2, "wrong"), (4, "carrot")])) == [1, 4]


def test_like_family_and_escapes(connection: Any, stock: Table) -> None:
    c = stock.c
    assert _ids(connection, stock, c.name.ilike("b%")) == [2]
    assert _ids(connection, stock, c.name.not_ilike("B%")) == [1, 3, 4]
    assert _ids(connection, stock, c.name.endswith("na")) == [2]
    assert _ids(connection, stock, c.name.contains("%_", autoescape=True)) == [3]
    assert _ids(connection, stock, c.name.like("50!%%", escape="!")) == [3]


def test_arithmetic_and_concatenation(connection: Any, stock: Table) -> None:
    c = stock.c
    stmt = select((c.qty + 1) * 2, -c.qty, c.qty % 3, 10 - c.qty, c.name + "!",
                  c.name.concat(c.kind)).where(c.id == 4)
    assert tuple(connection.execute(stmt).one()) == (16, -7, 1, 3, "carrot!", "carrotveg")


def test_string_and_null_functions(connection: Any, stock: Table) -> None:
    c = stock.c
    stmt = select(func.coalesce(c.qty, -1), func.upper(c.name), func.lower(c.name),
                  func.length(c.name), func.abs(-c.qty)).where(c.id == 2)
    assert tuple(connection.execute(stmt).one()) == (-1, "BANANA", "banana", 6, None)


def test_nulls_first_and_last(connection: Any, stock: Table) -> None:
    c = stock.c
    first = select(c.id).order_by(nulls_first(c.qty.desc()))
    last = select(c.id).order_by(nulls_last(c.qty.asc()))
    assert list(connection.execute(first).scalars()) == [2, 3, 4, 1]
    assert list(connection.execute(last).scalars()) == [1, 4, 3, 2]


@pytest.mark.parametrize(("values", "in_ids", "not_in_ids"), [
    ([], [], [1, 2, 3, 4]), ([2], [2], [1, 3, 4]), ([1, 3, 99], [1, 3], [2, 4])],
    ids=["empty", "one", "several"])
def test_expanding_in(connection: Any, stock: Table, values: list[int], in_ids: list[int],
                      not_in_ids: list[int]) -> None:
    wanted = bindparam("wanted", expanding=True)
    in_stmt = select(stock.c.id).where(stock.c.id.in_(wanted)).order_by(stock.c.id)
    not_in_stmt = select(stock.c.id).where(stock.c.id.not_in(wanted)).order_by(stock.c.id)
    assert list(connection.execute(in_stmt, {"wanted": values}).scalars()) == in_ids
    assert list(connection.execute(not_in_stmt, {"wanted": values}).scalars()) == not_in_ids


def test_cached_shape_takes_new_values(connection: Any, stock: Table) -> None:
    c = stock.c
    assert _ids(connection, stock, c.qty > 5, c.name.like("c%")) == [4]
    assert _ids(connection, stock, c.qty > 1, c.name.like("a%")) == [1]
    assert _ids(connection, stock, c.id.in_([1, 2])) == [1, 2]
    assert _ids(connection, stock, c.id.in_([3])) == [3]


@pytest.mark.requires("supports_sequences")
def test_sequence_next_value(engine: Any, metadata: MetaData) -> None:
    seq = Sequence("sw_counter_seq", start=10, metadata=metadata)
    table = Table("sw_counted", metadata,
                  Column("id", Integer, seq, primary_key=True), Column("label", String(10)))
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        first = conn.execute(insert(table).values(label="a")).inserted_primary_key[0]
        explicit = conn.execute(select(seq.next_value())).scalar()
        conn.execute(insert(table).values(label="b"))
        ids = list(conn.execute(select(table.c.id).order_by(table.c.id)).scalars())
    assert first == 10 and explicit == 11 and ids == [10, 12]


# -- JSON ----------------------------------------------------------------------------------------
_DOCS = [
    {"name": "ada", "age": 36, "tags": ["math", "engines"], "meta": {"admin": True}},
    {"name": "bob", "age": 41, "tags": [], "meta": {"admin": False, "note": "it's"}},
    {"name": "cy", "age": None, "tags": ["x"], "meta": {}},
]


@pytest.fixture
def documents(engine: Any, metadata: MetaData) -> Table:
    """Three JSON documents."""
    table = Table("sw_documents", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("doc", types.JSON()))
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(table), [{"id": n, "doc": d} for n, d in enumerate(_DOCS, 1)])
    return table


@pytest.mark.requires("supports_json")
def test_json_element_access(connection: Any, documents: Table) -> None:
    doc = documents.c.doc
    ordered = documents.c.id
    assert list(connection.execute(select(doc["tags"]).order_by(ordered)).scalars()) == [
        ["math", "engines"], [], ["x"]]
    assert connection.execute(select(doc[("tags", 0)]).where(ordered == 1)).scalar() == "math"
    note = select(doc[("meta", "note")].as_string()).where(ordered == 2)
    assert connection.execute(note).scalar() == "it's"


@pytest.mark.requires("supports_json")
def test_json_typed_filters(connection: Any, documents: Table) -> None:
    doc = documents.c.doc
    age = doc["age"].as_integer()
    assert list(connection.execute(select(doc["name"].as_string()).where(age > 38))
                .scalars()) == ["bob"]
    stmt = select(documents.c.id).where(age.is_not(None)).order_by(age.desc())
    assert list(connection.execute(stmt).scalars()) == [2, 1]
    admin = doc[("meta", "admin")].as_boolean()
    stmt = select(admin).where(documents.c.id.in_([1, 2])).order_by(documents.c.id)
    assert list(connection.execute(stmt).scalars()) == [True, False]
