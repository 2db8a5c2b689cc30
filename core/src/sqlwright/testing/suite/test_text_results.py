"""Suite: text() statements with bound parameters and executemany, the Result API on real rows,
and rowcount of UPDATE and DELETE."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sqlwright import bindparam, exc, text

_ROWS = [{"id": 1, "name": "ada", "score": 30}, {"id": 2, "name": "bob", "score": 20},
         {"id": 3, "name": "cy", "score": 20}, {"id": 4, "name": "dee", "score": 10}]


@pytest.fixture
def scores(engine: Any, text_table: Callable[[str], str]) -> str:
    """A table of four (id, name, score) rows."""
    table = text_table("id INTEGER PRIMARY KEY, name VARCHAR(50), score INTEGER")
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO {table} (id, name, score) VALUES (:id, :name, :score)"),
                     _ROWS)
    return table


def _select(table: str, where: str = "") -> Any:
    return text(f"SELECT id, name, score FROM {table} {where} ORDER BY id")


# -- binds and executemany ----------------------------------------------------------------------
def test_named_binds(connection: Any, scores: str) -> None:
    stmt = text(f"SELECT name FROM {scores} WHERE score = :score AND id > :low ORDER BY id")
    assert connection.execute(stmt, {"score": 20, "low": 0}).scalars().all() == ["bob", "cy"]
    assert connection.execute(stmt, {"score": 20, "low": 2}).scalars().all() == ["cy"]


def test_bindparams_fixes_values(connection: Any, scores: str) -> None:
    stmt = text(f"SELECT name FROM {scores} WHERE id = :id").bindparams(id=4)
    assert connection.execute(stmt).scalar() == "dee"


def test_expanding_bind(connection: Any, scores: str) -> None:
    stmt = text(f"SELECT name FROM {scores} WHERE id IN :ids ORDER BY id").bindparams(
        bindparam("ids", expanding=True))
    assert connection.execute(stmt, {"ids": [1, 3, 4]}).scalars().all() == ["ada", "cy", "dee"]


def test_bind_values_are_never_sql(connection: Any, scores: str) -> None:
    hostile = "x'; DELETE FROM " + scores + "; --"
    stmt = text(f"SELECT count(*) FROM {scores} WHERE name = :name")
    assert connection.execute(stmt, {"name": hostile}).scalar() == 0
    assert connection.execute(text(f"SELECT count(*) FROM {scores}")).scalar() == 4


def test_percent_and_colon_in_literals(connection: Any, scores: str) -> None:
    connection.execute(text(f"UPDATE {scores} SET name = '50%' WHERE id = :id"), {"id": 1})
    connection.execute(text(f"UPDATE {scores} SET name = '12:30' WHERE id = 3"))
    rows = connection.execute(
        text(f"SELECT name FROM {scores} WHERE name LIKE '%!%%' ESCAPE '!' OR id = :id "
             "OR name = '12:30'"), {"id": 2}).scalars().all()
    assert sorted(rows) == ["12:30", "50%", "bob"]


def test_executemany_inserts_every_row(engine: Any, scores: str) -> None:
    with engine.begin() as conn:
        result = conn.execute(
            text(f"INSERT INTO {scores} (id, name, score) VALUES (:id, :name, :score)"),
            [{"id": n, "name": f"n{n}", "score": n} for n in range(10, 20)])
        if conn.dialect.features.supports_sane_multi_rowcount:
            assert result.rowcount == 10
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {scores}")).scalar() == 14


# -- Result methods -----------------------------------------------------------------------------
def test_all_and_row_access(connection: Any, scores: str) -> None:
    rows = connection.execute(_select(scores)).all()
    assert [tuple(row) for row in rows] == [(r["id"], r["name"], r["score"]) for r in _ROWS]
    first = rows[0]
    assert first.name == "ada" and first[1] == "ada" and first._mapping["name"] == "ada"
    assert first._asdict() == {"id": 1, "name": "ada", "score": 30}
    id_, name, score = first
    assert (id_, name, score) == (1, "ada", 30)


def test_keys_and_iteration(connection: Any, scores: str) -> None:
    result = connection.execute(_select(scores))
    assert list(result.keys()) == ["id", "name", "score"]
    assert [row.id for row in result] == [1, 2, 3, 4]


def test_first_one_and_one_or_none(connection: Any, scores: str) -> None:
    assert connection.execute(_select(scores)).first().name == "ada"
    assert connection.execute(_select(scores, "WHERE id = 2")).one().name == "bob"
    assert connection.execute(_select(scores, "WHERE id = 99")).one_or_none() is None
    assert connection.execute(_select(scores, "WHERE id = 99")).first() is None
    with pytest.raises(exc.NoResultFound):
        connection.execute(_select(scores, "WHERE id = 99")).one()
    with pytest.raises(exc.MultipleResultsFound):
        connection.execute(_select(scores)).one()
    with pytest.raises(exc.MultipleResultsFound):
        connection.execute(_select(scores)).one_or_none()


def test_scalar_forms(connection: Any, scores: str) -> None:
    assert connection.execute(text(f"SELECT count(*) FROM {scores}")).scalar() == 4
    assert connection.scalar(text(f"SELECT name FROM {scores} WHERE id = 3")) == "cy"
    assert connection.execute(_select(scores, "WHERE id = 4")).scalar_one() == 4
    assert connection.execute(_select(scores, "WHERE id = 9")).scalar_one_or_none() is None
    assert connection.scalars(_select(scores)).all() == [1, 2, 3, 4]
    assert connection.execute(_select(scores)).scalars("name").all() == [
        "ada", "bob", "cy", "dee"]


def test_mappings(connection: Any, scores: str) -> None:
    mappings = connection.execute(_select(scores, "WHERE id <= 2")).mappings().all()
    assert [dict(m) for m in mappings] == _ROWS[:2]


def test_fetch_methods(connection: Any, scores: str) -> None:
    result = connection.execute(_select(scores))
    assert result.fetchone().id == 1
    assert [row.id for row in result.fetchmany(2)] == [2, 3]
    assert [row.id for row in result.fetchall()] == [4]
    assert result.fetchone() is None


def test_partitions_columns_and_unique(connection: Any, scores: str) -> None:
    parts = list(connection.execute(_select(scores)).partitions(3))
    assert [[row.id for row in part] for part in parts] == [[1, 2, 3], [4]]
    picked = connection.execute(_select(scores)).columns("score", "id").all()
    assert [tuple(row) for row in picked] == [(30, 1), (20, 2), (20, 3), (10, 4)]
    distinct = connection.execute(_select(scores)).scalars("score").unique().all()
    assert distinct == [30, 20, 10]


def test_result_of_no_rows(connection: Any, scores: str) -> None:
    result = connection.execute(_select(scores, "WHERE id < 0"))
    assert list(result.keys()) == ["id", "name", "score"]
    assert result.all() == []


# -- rowcount ------------------------------------------------------------------------------------
@pytest.mark.requires("supports_sane_rowcount")
def test_update_rowcount(connection: Any, scores: str) -> None:
    result = connection.execute(text(f"UPDATE {scores} SET name = 'x' WHERE score = :s"),
                                {"s": 20})
    assert result.rowcount == 2
    none = connection.execute(text(f"UPDATE {scores} SET name = 'x' WHERE id = 99"))
    assert none.rowcount == 0


@pytest.mark.requires("supports_sane_rowcount", "rowcount_counts_matched_rows")
def test_update_rowcount_counts_matched_rows(connection: Any, scores: str) -> None:
    # bob already has score 20: the row matches but does not change
    result = connection.execute(text(f"UPDATE {scores} SET score = 20 WHERE id IN (2, 4)"))
    assert result.rowcount == 2


@pytest.mark.requires("supports_sane_rowcount")
def test_delete_rowcount(connection: Any, scores: str) -> None:
    result = connection.execute(text(f"DELETE FROM {scores} WHERE score < :s"), {"s": 25})
    assert result.rowcount == 3
    assert connection.execute(text(f"SELECT id FROM {scores}")).scalars().all() == [1]
