"""PostgreSQL operators, upsert, row locks and batched executemany, run on the server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import sqlwright
import sqlwright_postgresql as pg
from sqlwright import (
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    exc,
    insert,
    literal,
    select,
    true,
)
from sqlwright.engine.url import URL
from sqlwright.types import JSON
from sqlwright_postgresql.provision import create_test_schema, drop_test_schema


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


@pytest.fixture
def things(scratch: Any) -> Table:
    md = MetaData()
    table = Table("things", md, Column("id", Integer, primary_key=True),
                  Column("name", String(30), unique=True), Column("score", Integer),
                  Column("ok", Boolean), Column("tags", pg.ARRAY(String)),
                  Column("doc", pg.JSONB), Column("js", JSON))
    md.create_all(scratch)
    with scratch.begin() as conn:
        conn.execute(insert(table), [
            {"name": "Apple", "score": 3, "ok": True, "tags": ["red", "fruit"],
             "doc": {"a": 1, "b": {"c": [10, 20]}}, "js": {"k": "v", "n": 5}},
            {"name": "banana", "score": None, "ok": False, "tags": ["yellow", "fruit"],
             "doc": {"b": 2}, "js": {"k": "w", "n": 7}},
            {"name": "cherry", "score": 9, "ok": None, "tags": [], "doc": {},
             "js": {"k": None}},
        ])
    return table


def names(conn: Any, stmt: Any) -> list[str]:
    return list(conn.execute(stmt).scalars().all())


def test_string_operators(things: Table, scratch: Any) -> None:
    c = things.c
    base = select(c.name).order_by(c.name)
    with scratch.connect() as conn:
        assert names(conn, base.where(c.name.ilike("a%"))) == ["Apple"]
        assert names(conn, base.where(c.name.not_ilike("%A%"))) == ["cherry"]
        assert names(conn, base.where(c.name.regexp_match("^[a-b]"))) == ["banana"]
        assert names(conn, base.where(c.name.regexp_match("^[A-B]", flags="i"))) == \
            ["Apple", "banana"]
        assert names(conn, base.where(~c.name.regexp_match("an"))) == ["Apple", "cherry"]
        assert conn.scalar(select(c.name + "!" + literal("%")).where(c.id == 1)) == "Apple!%"


def test_null_and_boolean_comparisons(things: Table, scratch: Any) -> None:
    c = things.c
    base = select(c.name).order_by(c.name)
    with scratch.connect() as conn:
        assert names(conn, base.where(c.score.is_distinct_from(3))) == ["banana", "cherry"]
        assert names(conn, base.where(c.score.is_not_distinct_from(None))) == ["banana"]
        assert names(conn, base.where(c.ok == true())) == ["Apple"]
        assert names(conn, base.where(c.ok.is_(False))) == ["banana"]
        assert names(conn, base.where(c.id.in_([]))) == []
        assert names(conn, base.where(c.id.not_in([]))) == ["Apple", "banana", "cherry"]
        expanding = base.where(c.id.not_in(bindparam("ids", expanding=True)))
        assert conn.execute(expanding, {"ids": []}).scalars().all() == \
            ["Apple", "banana", "cherry"]


def test_distinct_on_limit_offset(things: Table, scratch: Any) -> None:
    c = things.c
    with scratch.connect() as conn:
        first = select(c.ok, c.name).distinct(c.ok).order_by(c.ok, c.name.desc())
        assert conn.execute(first).all() == [(False, "banana"), (True, "Apple"),
                                             (None, "cherry")]
        page = select(c.name).order_by(c.name).limit(1).offset(1)
        assert names(conn, page) == ["banana"]
        assert names(conn, select(c.name).order_by(c.name).offset(2)) == ["cherry"]


def test_json_operators(things: Table, scratch: Any) -> None:
    c = things.c
    with scratch.connect() as conn:
        row = conn.execute(select(c.js["k"], c.js["k"].as_string(), c.js["n"].as_integer(),
                                  c.doc[("b", "c", 1)], c.doc[("b", "c")].as_string())
                           .where(c.id == 1)).one()
        assert row == ("v", "v", 5, 20, "[10, 20]")
        assert names(conn, select(c.name).where(c.js["n"].as_integer() > 6)) == ["banana"]
        assert names(conn, select(c.name).where(c.doc.has_key("a"))) == ["Apple"]
        assert names(conn, select(c.name).where(c.doc.contains({"b": 2}))) == ["banana"]
        assert names(conn, select(c.name).where(c.doc.has_any(["a", "b"]))
                     .order_by(c.name)) == ["Apple", "banana"]


def test_array_operators(things: Table, scratch: Any) -> None:
    c = things.c
    base = select(c.name).order_by(c.name)
    with scratch.connect() as conn:
        assert conn.execute(select(c.tags[1], c.tags[2:2]).where(c.id == 1)).one() == \
            ("red", ["fruit"])
        assert names(conn, base.where(c.tags.any("fruit"))) == ["Apple", "banana"]
        assert names(conn, base.where(c.tags.contains(["fruit", "red"]))) == ["Apple"]
        assert names(conn, base.where(c.tags.contained_by(["red", "fruit", "x"]))) == \
            ["Apple", "cherry"]
        assert names(conn, base.where(c.tags.overlap(["yellow", "blue"]))) == ["banana"]
        assert names(conn, base.where(literal("fruit") == pg.all_(c.tags))) == ["cherry"]


def test_upsert_do_nothing_and_do_update(things: Table, scratch: Any) -> None:
    c = things.c
    with scratch.begin() as conn:
        skipped = conn.execute(pg.insert(things).values(name="Apple", score=100)
                               .on_conflict_do_nothing(index_elements=["name"]))
        assert skipped.rowcount == 0
        stmt = pg.insert(things).values([{"name": "Apple", "score": 1},
                                         {"name": "durian", "score": 4}])
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.name], set_={"score": c.score + stmt.excluded.score},
            where=c.name != "banana").returning(c.name, c.score)
        assert sorted(conn.execute(stmt).all()) == [("Apple", 4), ("durian", 4)]
        by_constraint = pg.insert(things).values(name="durian", score=0)
        conn.execute(by_constraint.on_conflict_do_update(
            constraint="things_name_key", set_={"score": by_constraint.excluded.score}))
        assert conn.scalar(select(c.score).where(c.name == "durian")) == 0
        with pytest.raises(exc.IntegrityError):
            conn.execute(pg.insert(things).values(id=1, name="other")
                         .on_conflict_do_nothing(index_elements=["name"]))


def test_for_update_variants_lock_rows(things: Table, scratch: Any, make_engine: Any) -> None:
    c = things.c
    row = select(c.id).where(c.id == 1)
    waiter_engine = make_engine(scratch.url)
    with scratch.connect() as locker, waiter_engine.connect() as waiter:
        assert locker.execute(row.with_for_update()).all() == [(1,)]
        with pytest.raises(exc.OperationalError) as err:
            waiter.execute(row.with_for_update(nowait=True)).all()
        assert err.value.code == "55P03"
        waiter.rollback()
        unlocked = select(c.id).order_by(c.id).with_for_update(skip_locked=True, of=things)
        assert waiter.execute(unlocked).scalars().all() == [2, 3]
        waiter.rollback()
        row2 = select(c.id).where(c.id == 2)
        assert locker.execute(row2.with_for_update(key_share=True)).all() == [(2,)]
        # FOR KEY SHARE does not wait for FOR NO KEY UPDATE, but does for FOR UPDATE
        shared = row2.with_for_update(read=True, key_share=True, nowait=True)
        assert waiter.execute(shared).all() == [(2,)]
        with pytest.raises(exc.OperationalError):
            waiter.execute(row.with_for_update(read=True, key_share=True, nowait=True)).all()


def test_executemany_batches_and_returns_keys(scratch: Any) -> None:
    md = MetaData()
    table = Table("many", md, Column("id", Integer, primary_key=True),
                  Column("label", String(10)))
    md.create_all(scratch)
    batched = sqlwright.create_engine(scratch.url, executemany_batch_size=7)
    sent: list[str] = []  # what psycopg2 sent last for each execute()/executemany()
    sqlwright.event.listen(batched, "after_cursor_execute",
                           lambda conn, cur, *a: sent.append(cur.query.decode()))
    try:
        rows = [{"label": f"r{i}"} for i in range(20)]
        with batched.begin() as conn:
            result = conn.execute(insert(table), rows)
            keys = [r[0] for r in result.inserted_primary_key_rows]
            assert result.rowcount in (6, 20)  # the last batch, or all of them
            returned = conn.execute(insert(table).returning(table.c.id, table.c.label),
                                    [{"label": "x"}, {"label": "y"}]).all()
            stored = dict(conn.execute(select(table.c.label, table.c.id)).all())
    finally:
        batched.dispose()
    assert keys == list(range(1, 21))
    assert [stored[f"r{i}"] for i in range(20)] == keys
    assert [label for _, label in returned] == ["x", "y"]
    assert [i for i, _ in returned] == [21, 22]
    inserts = [s for s in sent if s.startswith("INSERT")]
    assert inserts[0].count("'r") == 6  # 20 rows went as 7 + 7 + 6: this is the last batch
    assert inserts[0].count(" RETURNING ") == 1
    assert inserts[1].count("'x'), ('y')") == 1  # RETURNING rows: one statement



def test_batched_executemany_rowcount_counts_every_batch(dburi: str) -> None:
    from sqlwright import Column, Integer, MetaData, String, Table, create_engine, insert

    engine = create_engine(dburi, executemany_batch_size=7)
    table = Table("rowcount_batches", MetaData(), Column("id", Integer, primary_key=True),
                  Column("name", String(20)))
    table.metadata.create_all(engine)
    try:
        with engine.begin() as conn:
            result = conn.execute(insert(table), [{"name": f"n{i}"} for i in range(30)])
            assert result.rowcount == 30
            assert len(result.inserted_primary_key_rows) == 30
    finally:
        table.metadata.drop_all(engine)
        engine.dispose()


def test_batched_upsert_executemany_does_not_misreport_keys(dburi: str) -> None:
    from sqlwright import Column, Integer, MetaData, String, Table, create_engine
    from sqlwright_postgresql import insert as pg_insert

    engine = create_engine(dburi)
    table = Table("upsert_keys", MetaData(), Column("id", Integer, primary_key=True),
                  Column("name", String(20), unique=True))
    table.metadata.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.execute(pg_insert(table).values(name="b"))
            result = conn.execute(pg_insert(table).on_conflict_do_nothing(),
                                  [{"name": "a"}, {"name": "b"}, {"name": "c"}])
            by_name = {r.name: r.id for r in conn.execute(table.select())}
            reported = [tuple(r) for r in result.inserted_primary_key_rows]
            # never another row's key: each reported key is None or the row's own
            for params, key in zip(["a", "b", "c"], reported):
                assert key[0] is None or key[0] == by_name[params]
    finally:
        table.metadata.drop_all(engine)
        engine.dispose()
