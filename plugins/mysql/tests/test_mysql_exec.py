"""The compiler's MySQL rules, executed on the server: results, not SQL text."""

from __future__ import annotations

from typing import Any

import pytest

import sqlwright_mysql as mysql
from sqlwright import (
    JSON,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    cast,
    delete,
    exc,
    extract,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlwright.types import Date, Float


@pytest.fixture
def people(engine: Any, metadata: MetaData) -> Table:
    table = Table("people", metadata,
                  Column("id", Integer, primary_key=True),
                  Column("name", String(30)),
                  Column("doc", JSON),
                  Column("active", Boolean),
                  Column("born", Date))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), [
            {"id": 1, "name": "Alice", "doc": {"tags": ["a", "b"], "n": 3, "ok": True},
             "active": True},
            {"id": 2, "name": "bob", "doc": {"tags": [], "n": 5, "ok": False},
             "active": False},
            {"id": 3, "name": None, "doc": {"n": None}, "active": None},
        ])
    return table


def _ids(conn: Any, stmt: Any) -> list[int]:
    return sorted(conn.execute(stmt).scalars().all())


def test_limit_and_offset(engine: Any, people: Table) -> None:
    c = people.c
    with engine.connect() as conn:
        assert conn.execute(select(c.id).order_by(c.id).limit(1).offset(1)).scalars().all() \
            == [2]
        assert conn.execute(select(c.id).order_by(c.id).offset(1)).scalars().all() == [2, 3]


def test_ilike_is_case_insensitive(engine: Any, people: Table) -> None:
    c = people.c
    with engine.connect() as conn:
        assert _ids(conn, select(c.id).where(c.name.ilike("ALI%"))) == [1]
        assert _ids(conn, select(c.id).where(c.name.not_ilike("ALI%"))) == [2]


def test_is_distinct_from_treats_null_as_a_value(engine: Any, people: Table) -> None:
    c = people.c
    with engine.connect() as conn:
        assert _ids(conn, select(c.id).where(c.name.is_distinct_from(None))) == [1, 2]
        assert _ids(conn, select(c.id).where(c.name.is_not_distinct_from(None))) == [3]
        assert _ids(conn, select(c.id).where(c.name.is_distinct_from("bob"))) == [1, 3]


def test_concatenation_and_percent_signs(engine: Any, people: Table) -> None:
    c = people.c
    with engine.connect() as conn:
        got = conn.execute(select(c.name + "%" + literal("!")).where(c.id == 1)).scalar()
        assert got == "Alice%!"
        assert _ids(conn, select(c.id).where(c.name.contains("li"))) == [1]
        assert _ids(conn, select(c.id).where(c.name.startswith("b"))) == [2]


def test_regexp_match_with_and_without_flags(engine: Any, people: Table) -> None:
    c = people.c
    with engine.connect() as conn:
        assert _ids(conn, select(c.id).where(c.name.regexp_match("^[ab]"))) == [1, 2]
        assert _ids(conn, select(c.id).where(c.name.regexp_match("^A", flags="i"))) == [1]
        assert _ids(conn, select(c.id).where(~c.name.regexp_match("o"))) == [1]


def test_booleans(engine: Any, people: Table) -> None:
    c = people.c
    with engine.connect() as conn:
        assert _ids(conn, select(c.id).where(c.active)) == [1]
        assert _ids(conn, select(c.id).where(c.active.is_(False))) == [2]
        assert conn.execute(select(c.active).where(c.id == 2)).scalar() is False


def test_empty_in_and_expanding_in(engine: Any, people: Table) -> None:
    c = people.c
    with engine.connect() as conn:
        assert _ids(conn, select(c.id).where(c.id.in_([]))) == []
        assert _ids(conn, select(c.id).where(c.id.not_in([]))) == [1, 2, 3]
        stmt = select(c.id).where(c.id.in_(bindparam("ids", expanding=True)))
        assert _ids(conn, stmt.params(ids=[1, 3])) == [1, 3]
        assert _ids(conn, stmt.params(ids=[])) == []
        negated = select(c.id).where(c.id.not_in(bindparam("ids", expanding=True)))
        assert _ids(conn, negated.params(ids=[])) == [1, 2, 3]


def test_json_indexing(engine: Any, people: Table) -> None:
    c = people.c
    with engine.connect() as conn:
        row = conn.execute(select(c.doc["tags"], c.doc[("tags", 1)].as_string(),
                                  c.doc["n"].as_integer(), c.doc["n"].as_float(),
                                  c.doc["ok"].as_boolean()).where(c.id == 1)).one()
        assert tuple(row) == (["a", "b"], "b", 3, 3.0, True)
        assert _ids(conn, select(c.id).where(c.doc["n"].as_integer() > 4)) == [2]
        assert _ids(conn, select(c.id).where(c.doc["ok"].as_boolean().is_(False))) == [2]
        # JSON null and a missing key are SQL NULL, not 0
        assert _ids(conn, select(c.id).where(c.doc["n"].as_integer().is_(None))) == [3]
        assert _ids(conn, select(c.id).where(c.doc["gone"].as_integer().is_(None))) == [
            1, 2, 3]


def test_cast_floordiv_and_extract(engine: Any, people: Table) -> None:
    with engine.connect() as conn:
        row = conn.execute(select(cast(literal("42"), Integer), cast(literal(7), String(5)),
                                  cast(literal("1.5"), Float()), literal(7) // 2,
                                  extract("year", cast(literal("2024-03-01"), Date())),
                                  extract("dow", cast(literal("2024-03-03"), Date())))).one()
        assert tuple(row) == (42, "7", 1.5, 3, 2024, 0)


@pytest.mark.requires("supports_insert_returning", "supports_delete_returning")
def test_returning_on_mariadb(engine: Any, people: Table) -> None:
    c = people.c
    with engine.begin() as conn:
        got = conn.execute(insert(people).values(id=9, name="Zed").returning(
            c.id, c.name)).all()
        assert [tuple(r) for r in got] == [(9, "Zed")]
        gone = conn.execute(delete(people).where(c.id >= 3).returning(c.id)).scalars().all()
        assert sorted(gone) == [3, 9]
        with pytest.raises(exc.CompileError, match="supports_update_returning"):
            conn.execute(update(people).values(name="x").returning(c.id))


def test_for_update_variants_lock_rows(engine: Any, people: Table) -> None:
    c = people.c
    with engine.connect() as holder, engine.connect() as other:
        holder.execute(select(c.id).where(c.id == 1).with_for_update())
        other.exec_driver_sql("SET SESSION innodb_lock_wait_timeout = 1")
        if engine.dialect.features.supports_for_update_nowait:
            with pytest.raises(exc.OperationalError):
                other.execute(select(c.id).where(c.id == 1).with_for_update(nowait=True))
            other.rollback()
            free = other.execute(select(c.id).order_by(c.id).with_for_update(
                skip_locked=True)).scalars().all()
            assert free == [2, 3]
            other.rollback()
        shared = other.execute(select(c.id).where(c.id == 2).with_for_update(
            read=True, of=people)).scalars().all()
        assert shared == [2]
        holder.rollback()


def test_upsert_inserts_then_updates(engine: Any, people: Table) -> None:
    c = people.c
    with engine.begin() as conn:
        stmt = mysql.insert(people).values(id=1, name="Alicia", active=False)
        stmt = stmt.on_duplicate_key_update(name=stmt.inserted.name, active=True)
        conn.execute(stmt)
        fresh = mysql.insert(people).values(id=7, name="Gus")
        conn.execute(fresh.on_duplicate_key_update(name="never"))
        rows = conn.execute(select(c.id, c.name, c.active).where(c.id.in_([1, 7]))
                            .order_by(c.id)).all()
        assert [tuple(r) for r in rows] == [(1, "Alicia", True), (7, "Gus", None)]


def test_upsert_executemany_uses_each_rows_values(engine: Any, people: Table) -> None:
    c = people.c
    stmt = mysql.insert(people)
    stmt = stmt.on_duplicate_key_update(name=func.concat(c.name, "+", stmt.inserted.name))
    with engine.begin() as conn:
        conn.execute(stmt, [{"id": 1, "name": "A"}, {"id": 2, "name": "B"},
                            {"id": 8, "name": "H"}])
        rows = conn.execute(select(c.id, c.name).order_by(c.id)).all()
    assert [tuple(r) for r in rows] == [(1, "Alice+A"), (2, "bob+B"), (3, None), (8, "H")]


@pytest.mark.requires("supports_insert_returning")
def test_upsert_with_returning_on_mariadb(engine: Any, people: Table) -> None:
    with engine.begin() as conn:
        stmt = mysql.insert(people).values(id=2, name="Bobby")
        stmt = stmt.on_duplicate_key_update(name=stmt.inserted.name).returning(people.c.id)
        assert conn.execute(stmt).scalars().all() == [2]
        assert conn.execute(select(people.c.name).where(people.c.id == 2)).scalar() == "Bobby"
