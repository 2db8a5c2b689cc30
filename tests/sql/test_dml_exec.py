"""INSERT / UPDATE / DELETE executed on a real database through the engine."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from sqlwright import exc
from sqlwright.schema import Column, ForeignKey, MetaData, Table
from sqlwright.sql.dml import delete, insert, update
from sqlwright.sql.elements import bindparam, text
from sqlwright.sql.functions import func
from sqlwright.sql.selectable import select
from sqlwright.types import Integer, String


@pytest.fixture
def users(metadata: MetaData, engine: Any) -> Table:
    table = Table(
        "users", metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(50), nullable=False),
        Column("logins", Integer, default=0),
    )
    metadata.create_all(engine)
    return table


def _rows(connection: Any, table: Table) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in connection.execute(select(table).order_by(table.c.id))]


def _require(connection: Any, flag: str) -> None:
    if not getattr(connection.dialect.features, flag):
        pytest.skip(f"dialect lacks {flag}")


def test_insert_one_row(users: Table, connection: Any) -> None:
    result = connection.execute(insert(users).values(name="ann"))
    assert result.rowcount == 1
    assert result.inserted_primary_key == (1,)
    assert result.inserted_primary_key.id == 1
    assert _rows(connection, users) == [(1, "ann", 0)]


def test_insert_explicit_primary_key(users: Table, connection: Any) -> None:
    result = connection.execute(insert(users).values(id=40, name="x", logins=3))
    assert result.inserted_primary_key == (40,)
    assert _rows(connection, users) == [(40, "x", 3)]


def test_insert_parameters_at_execution(users: Table, connection: Any) -> None:
    result = connection.execute(insert(users), {"name": "bo"})
    assert result.inserted_primary_key == (1,)
    assert _rows(connection, users) == [(1, "bo", 0)]


def test_executemany(users: Table, connection: Any) -> None:
    result = connection.execute(insert(users), [{"name": "a"}, {"name": "b", "logins": 5},
                                                {"name": "c"}])
    assert result.rowcount == 3
    assert _rows(connection, users) == [(1, "a", 0), (2, "b", 5), (3, "c", 0)]


def test_executemany_keys_from_first_row(users: Table, connection: Any) -> None:
    with pytest.raises(exc.InvalidRequestError, match="logins"):
        connection.execute(insert(users), [{"name": "a", "logins": 1}, {"name": "b"}])


def test_multi_row_values(users: Table, connection: Any) -> None:
    _require(connection, "supports_multivalues_insert")
    stmt = insert(users).values([{"id": 1, "name": "a"}, {"id": 2, "name": "b", "logins": 9}])
    result = connection.execute(stmt)
    assert result.rowcount == 2
    assert [tuple(r) for r in result.inserted_primary_key_rows] == [(1,), (2,)]
    with pytest.raises(exc.InvalidRequestError, match="inserted_primary_key_rows"):
        result.inserted_primary_key  # noqa: B018 - the property raises
    assert _rows(connection, users) == [(1, "a", 0), (2, "b", 9)]


def test_same_statement_new_values(users: Table, connection: Any) -> None:
    for name in ("a", "b", "c"):
        connection.execute(insert(users).values(name=name))
    assert [r[1] for r in _rows(connection, users)] == ["a", "b", "c"]


def test_python_defaults_per_row(metadata: MetaData, engine: Any, connection: Any) -> None:
    counter = itertools.count(10)
    table = Table(
        "events", metadata,
        Column("id", Integer, primary_key=True),
        Column("seq", Integer, default=lambda: next(counter)),
        Column("label", String(20), default=lambda ctx: ctx.get_current_parameters()["kind"]
               + "!"),
        Column("kind", String(20)),
    )
    metadata.create_all(engine)
    connection.execute(insert(table), [{"kind": "a"}, {"kind": "b"}])
    connection.execute(insert(table).values([{"kind": "c"}, {"kind": "d"}]))
    rows = [tuple(r) for r in connection.execute(
        select(table.c.seq, table.c.label).order_by(table.c.id))]
    assert rows == [(10, "a!"), (11, "b!"), (12, "c!"), (13, "d!")]


def test_sql_expression_default(metadata: MetaData, engine: Any, connection: Any) -> None:
    table = Table(
        "t", metadata,
        Column("id", Integer, primary_key=True),
        Column("n", Integer, default=func.abs(-4) + 1),
    )
    metadata.create_all(engine)
    connection.execute(insert(table).values(id=1))
    assert _rows(connection, table) == [(1, 5)]


def test_onupdate(metadata: MetaData, engine: Any, connection: Any) -> None:
    table = Table(
        "docs", metadata,
        Column("id", Integer, primary_key=True),
        Column("body", String(20)),
        Column("version", Integer, default=1, onupdate=lambda ctx:
               ctx.get_current_parameters()["body"].count("x")),
        Column("touched", Integer, default=0, onupdate=99),
    )
    metadata.create_all(engine)
    connection.execute(insert(table).values(id=1, body="a"))
    assert _rows(connection, table) == [(1, "a", 1, 0)]
    connection.execute(update(table).where(table.c.id == 1).values(body="xxx"))
    assert _rows(connection, table) == [(1, "xxx", 3, 99)]
    connection.execute(update(table).values(body="y", version=7, touched=1))
    assert _rows(connection, table) == [(1, "y", 7, 1)]


def test_update_where(users: Table, connection: Any) -> None:
    connection.execute(insert(users), [{"name": "a"}, {"name": "b"}, {"name": "c"}])
    result = connection.execute(update(users).where(users.c.id >= 2).values(logins=4))
    assert result.rowcount == 2
    assert _rows(connection, users) == [(1, "a", 0), (2, "b", 4), (3, "c", 4)]


def test_update_with_expression(users: Table, connection: Any) -> None:
    connection.execute(insert(users).values(id=1, name="a", logins=2))
    connection.execute(update(users).where(users.c.id == 1)
                       .values(logins=users.c.logins + 1, name=users.c.name + "z"))
    assert _rows(connection, users) == [(1, "az", 3)]


def test_update_correlated_subquery(metadata: MetaData, engine: Any, connection: Any) -> None:
    owners = Table("owners", metadata, Column("id", Integer, primary_key=True),
                   Column("total", Integer))
    items = Table("items", metadata, Column("id", Integer, primary_key=True),
                  Column("owner_id", Integer, ForeignKey("owners.id")),
                  Column("price", Integer))
    metadata.create_all(engine)
    connection.execute(insert(owners), [{"id": 1}, {"id": 2}])
    connection.execute(insert(items), [{"owner_id": 1, "price": 3},
                                       {"owner_id": 1, "price": 4},
                                       {"owner_id": 2, "price": 10}])
    total = (select(func.sum(items.c.price)).where(items.c.owner_id == owners.c.id)
             .scalar_subquery())
    connection.execute(update(owners).values(total=total))
    assert _rows(connection, owners) == [(1, 7), (2, 10)]


def test_executemany_update_with_bindparams(users: Table, connection: Any) -> None:
    connection.execute(insert(users), [{"name": "a"}, {"name": "b"}])
    stmt = update(users).where(users.c.id == bindparam("uid")).values(name=bindparam("new"))
    result = connection.execute(stmt, [{"uid": 1, "new": "A"}, {"uid": 2, "new": "B"}])
    assert result.rowcount == 2
    assert [r[1] for r in _rows(connection, users)] == ["A", "B"]


def test_update_parameters_at_execution(users: Table, connection: Any) -> None:
    connection.execute(insert(users).values(name="a"))
    connection.execute(update(users).where(users.c.id == bindparam("uid")),
                       {"uid": 1, "logins": 8})
    assert _rows(connection, users) == [(1, "a", 8)]


def test_delete(users: Table, connection: Any) -> None:
    connection.execute(insert(users), [{"name": n} for n in "abcd"])
    result = connection.execute(delete(users).where(users.c.name.in_(["b", "c"])))
    assert result.rowcount == 2
    assert [r[1] for r in _rows(connection, users)] == ["a", "d"]
    assert connection.execute(delete(users)).rowcount == 2
    assert _rows(connection, users) == []


def test_insert_from_select(users: Table, metadata: MetaData, engine: Any, connection: Any) -> None:
    archive = Table("archive", metadata, Column("id", Integer, primary_key=True),
                    Column("name", String(50)), Column("source", String(10), default="users"))
    metadata.create_all(engine)
    connection.execute(insert(users), [{"name": "a"}, {"name": "b", "logins": 3}])
    stmt = insert(archive).from_select(
        ["id", "name"], select(users.c.id, users.c.name).where(users.c.logins == 0))
    assert connection.execute(stmt).rowcount == 1
    assert _rows(connection, archive) == [(1, "a", "users")]


def test_insert_returning(users: Table, connection: Any) -> None:
    _require(connection, "supports_insert_returning")
    result = connection.execute(insert(users).values(name="r").returning(users.c.id, users))
    row = result.one()
    assert row.id == 1
    assert row._mapping[users.c.name] == "r"
    assert tuple(row) == (1, 1, "r", 0)


def test_update_and_delete_returning(users: Table, connection: Any) -> None:
    _require(connection, "supports_update_returning")
    _require(connection, "supports_delete_returning")
    connection.execute(insert(users), [{"name": "a"}, {"name": "b"}])
    result = connection.execute(update(users).where(users.c.id == 2)
                                .values(logins=users.c.logins + 5)
                                .returning(users.c.name, users.c.logins))
    assert [tuple(r) for r in result] == [("b", 5)]
    result = connection.execute(delete(users).where(users.c.id == 1)
                                .returning(users.c.name))
    assert result.scalars().all() == ["a"]


def test_return_defaults(metadata: MetaData, engine: Any, connection: Any) -> None:
    table = Table("rd", metadata, Column("id", Integer, primary_key=True),
                  Column("made", String(10), server_default="srv"), Column("note", String(10)))
    metadata.create_all(engine)
    result = connection.execute(insert(table).values(note="x").return_defaults())
    if connection.dialect.features.supports_insert_returning:
        assert result.returned_defaults is not None
        assert result.returned_defaults._mapping[table.c.made] == "srv"
    assert result.inserted_primary_key == (1,)


def test_composite_primary_key(metadata: MetaData, engine: Any, connection: Any) -> None:
    table = Table("pair", metadata, Column("a", Integer, primary_key=True),
                  Column("b", String(5), primary_key=True), Column("v", Integer))
    metadata.create_all(engine)
    result = connection.execute(insert(table).values(a=1, b="x", v=0))
    assert result.inserted_primary_key == (1, "x")
    assert result.inserted_primary_key._mapping["b"] == "x"


def test_inserted_primary_key_only_for_insert(users: Table, connection: Any) -> None:
    result = connection.execute(delete(users))
    with pytest.raises(exc.InvalidRequestError, match="only available after an insert"):
        result.inserted_primary_key  # noqa: B018 - the property raises


def test_integrity_error(users: Table, connection: Any) -> None:
    connection.execute(insert(users).values(id=1, name="a"))
    with pytest.raises(exc.IntegrityError):
        connection.execute(insert(users).values(id=1, name="b"))


def test_text_insert(users: Table, connection: Any) -> None:
    connection.execute(text("INSERT INTO users (name, logins) VALUES (:n, 0)"), {"n": "t"})
    assert _rows(connection, users) == [(1, "t", 0)]


# PostgreSQL runs an executemany INSERT as multi-row VALUES batches, where RETURNING works
# (see plugins/postgresql/tests)
@pytest.mark.backends("sqlite", "mysql")
def test_returning_with_executemany_is_an_error(users: Table, connection: Any) -> None:
    _require(connection, "supports_insert_returning")
    with pytest.raises(exc.CompileError, match="executemany"):
        connection.execute(insert(users).returning(users.c.id), [{"name": "a"}, {"name": "b"}])


def test_primary_key_by_returning_without_lastrowid(users: Table, engine: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the cursor has no lastrowid, the new key comes back through RETURNING."""
    dialect = engine.dialect
    if not dialect.features.supports_insert_returning:
        pytest.skip("dialect lacks supports_insert_returning")

    class NoLastrowid(type(dialect.features)):  # type: ignore[misc]
        postfetch_lastrowid = False

    monkeypatch.setattr(dialect, "features", NoLastrowid(dialect))
    stmt = insert(users).values(name="p")
    assert str(stmt.compile(engine)).endswith(" RETURNING users.id")
    with engine.begin() as connection:
        connection.execute(insert(users).values(name="first"))
        result = connection.execute(stmt)
        assert result.inserted_primary_key == (2,)
        assert not result.returns_rows


@pytest.mark.requires("postfetch_lastrowid")  # else nothing but RETURNING gives the key
def test_return_defaults_without_returning(metadata: MetaData, engine: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Without RETURNING, return_defaults() still recovers the primary key."""
    table = Table("rd2", metadata, Column("id", Integer, primary_key=True),
                  Column("made", String(10), server_default="srv"))
    metadata.create_all(engine)
    dialect = engine.dialect

    class NoReturning(type(dialect.features)):  # type: ignore[misc]
        supports_insert_returning = False

    monkeypatch.setattr(dialect, "features", NoReturning(dialect))
    with engine.begin() as connection:
        result = connection.execute(insert(table).return_defaults())
        assert result.returned_defaults == (1,)
        assert result.returned_defaults.id == 1
        with pytest.raises(exc.CompileError, match="supports_insert_returning"):
            connection.execute(insert(table).returning(table.c.id))


def test_insert_default_values(metadata: MetaData, engine: Any, connection: Any) -> None:
    table = Table("bare", metadata, Column("id", Integer, primary_key=True))
    metadata.create_all(engine)
    assert connection.execute(insert(table)).inserted_primary_key == (1,)
    assert connection.execute(insert(table)).inserted_primary_key == (2,)
    assert _rows(connection, table) == [(1,), (2,)]
