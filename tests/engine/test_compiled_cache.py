"""The engine's compiled-statement cache: one compile per statement shape, observable, optional.

Compiler invocations are counted by a compiler subclass installed on the engine's dialect.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import sqlwright
from sqlwright.schema import Column, MetaData, Table
from sqlwright.sql.dml import delete, insert, update
from sqlwright.sql.elements import text
from sqlwright.sql.selectable import select
from sqlwright.types import Integer, String


@pytest.fixture
def compiles(engine: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every statement the engine's dialect compiles, in order."""
    seen: list[Any] = []
    base = type(engine.dialect).statement_compiler

    class CountingCompiler(base):  # type: ignore[misc, valid-type]
        def __init__(self, dialect: Any, statement: Any, **kw: Any) -> None:
            seen.append(statement)
            super().__init__(dialect, statement, **kw)

    monkeypatch.setattr(engine.dialect, "statement_compiler", CountingCompiler)
    return seen


@pytest.fixture
def items(metadata: MetaData, engine: Any) -> Table:
    table = Table("items", metadata, Column("id", Integer, primary_key=True),
                  Column("name", String(20)), Column("qty", Integer, default=0))
    metadata.create_all(engine)
    return table


@pytest.fixture
def conn(items: Table, engine: Any) -> Iterator[Any]:
    with engine.connect() as connection:
        yield connection


def test_same_insert_shape_compiles_once(items: Table, conn: Any, compiles: list[Any]) -> None:
    for i in range(5):
        conn.execute(insert(items).values(name=f"n{i}", qty=i))
    assert len(compiles) == 1
    rows = conn.execute(text("SELECT name, qty FROM items ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(f"n{i}", i) for i in range(5)]


def test_same_select_shape_compiles_once(items: Table, conn: Any, compiles: list[Any]) -> None:
    conn.execute(insert(items), [{"name": "a", "qty": 1}, {"name": "b", "qty": 2}])
    compiles.clear()
    found = [conn.execute(select(items.c.name).where(items.c.qty == q)).scalar() for q in (1, 2)]
    assert found == ["a", "b"]
    assert len(compiles) == 1


def test_update_and_delete_reuse(items: Table, conn: Any, compiles: list[Any]) -> None:
    conn.execute(insert(items), [{"name": "a"}, {"name": "b"}])
    for ident, name in ((1, "x"), (2, "y")):
        conn.execute(update(items).where(items.c.id == ident).values(name=name))
    for ident in (1, 2):
        conn.execute(delete(items).where(items.c.id == ident).where(items.c.name != "z"))
    assert len(compiles) == 1 + 1 + 1
    assert conn.execute(text("SELECT count(*) FROM items")).scalar() == 0


def test_text_reuses_with_new_values(conn: Any, compiles: list[Any]) -> None:
    values = [conn.execute(text("SELECT :x").bindparams(x=v)).scalar() for v in (1, 2, 3)]
    assert values == [1, 2, 3]
    assert len(compiles) == 1


def test_different_shapes_compile_separately(items: Table, conn: Any,
                                             compiles: list[Any]) -> None:
    conn.execute(insert(items).values(name="a"))
    conn.execute(insert(items).values(name="b", qty=1))
    conn.execute(insert(items), {"name": "c"})
    conn.execute(insert(items), [{"name": "d"}, {"name": "e"}])
    assert len(compiles) == 4
    assert conn.execute(text("SELECT count(*) FROM items")).scalar() == 5


def test_stats_are_observable(engine: Any, items: Table, conn: Any) -> None:
    cache = engine.compiled_cache
    cache.clear()
    for name in ("a", "b", "c"):
        conn.execute(insert(items).values(name=name))
    assert cache.stats() == {"hits": 2, "misses": 1, "size": 1, "capacity": cache.capacity}
    assert len(cache) == 1


def test_execution_option_turns_cache_off(engine: Any, items: Table, conn: Any,
                                          compiles: list[Any]) -> None:
    engine.compiled_cache.clear()
    stmt = insert(items).values(name="a").execution_options(compiled_cache=None)
    conn.execute(stmt)
    conn.execute(stmt)
    conn.execute(insert(items).values(name="b"), execution_options={"compiled_cache": None})
    assert len(compiles) == 3
    assert engine.compiled_cache.stats()["size"] == 0


def test_connection_option_turns_cache_off(engine: Any, items: Table,
                                           compiles: list[Any]) -> None:
    with engine.connect() as connection:
        connection = connection.execution_options(compiled_cache=None)
        for _ in range(2):
            connection.execute(select(items))
    assert len(compiles) == 2


def test_engine_without_cache(db_path: Any) -> None:
    engine = sqlwright.create_engine(f"sqlite:///{db_path}", query_cache_size=0)
    try:
        assert engine.compiled_cache is None
        with engine.connect() as connection:
            assert [connection.execute(text("SELECT :v").bindparams(v=v)).scalar()
                    for v in (1, 2)] == [1, 2]
    finally:
        engine.dispose()


def test_least_recently_used_is_evicted(db_path: Any) -> None:
    engine = sqlwright.create_engine(f"sqlite:///{db_path}", query_cache_size=2)
    try:
        with engine.connect() as connection:
            for sql in ("SELECT 1", "SELECT 2", "SELECT 1", "SELECT 3"):
                connection.execute(text(sql))
        cache = engine.compiled_cache
        assert cache is not None
        assert len(cache) == 2
        assert cache.stats()["hits"] == 1
        with engine.connect() as connection:
            connection.execute(text("SELECT 2"))  # evicted by SELECT 3: a miss
        assert cache.stats()["misses"] == 4
    finally:
        engine.dispose()
