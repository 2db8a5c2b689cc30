"""sqlwright.engine.result: Result, ScalarResult, MappingResult, IteratorResult, CursorResult.

CursorResult cases run on real sqlite3 cursors; IteratorResult cases on plain iterators.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from sqlwright.engine.result import (
    DEFAULT_PARTITION_SIZE,
    CursorResult,
    IteratorResult,
    MappingResult,
    Result,
    ResultMetaData,
    RMKeyView,
    ScalarResult,
)
from sqlwright.engine.row import Row, RowMapping
from sqlwright.exc import (
    ArgumentError,
    InvalidRequestError,
    MultipleResultsFound,
    NoResultFound,
    NoSuchColumnError,
    ResourceClosedError,
)


class FakeColumn:
    """Stands in for a schema Column: overloads == the way SQL expression objects do."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> object:  # type: ignore[override]
        return ("expression", self.name, other)

    def __hash__(self) -> int:
        return 0


class CountingCursor:
    """A real sqlite3 cursor that records which fetch calls the result made."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor
        self.calls: list[tuple[str, int | None]] = []
        self.closed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def fetchone(self) -> Any:
        self.calls.append(("fetchone", None))
        return self._cursor.fetchone()

    def fetchmany(self, size: int) -> list[Any]:
        self.calls.append(("fetchmany", size))
        return self._cursor.fetchmany(size)

    def fetchall(self) -> list[Any]:
        self.calls.append(("fetchall", None))
        return self._cursor.fetchall()

    def close(self) -> None:
        self.closed = True
        self._cursor.close()


@pytest.fixture
def con() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    connection.execute("create table nums (n integer, label text)")
    connection.executemany("insert into nums values (?, ?)",
                           [(i, f"n{i}") for i in range(1, 101)])
    yield connection
    connection.close()


def cursor_result(con: sqlite3.Connection, sql: str, params: tuple = (),
                  **metadata_kw: Any) -> CursorResult:
    cursor = con.execute(sql, params)
    return CursorResult(cursor, ResultMetaData([d[0] for d in cursor.description], **metadata_kw))


def counting_result(con: sqlite3.Connection, sql: str) -> tuple[CursorResult, CountingCursor]:
    cursor = CountingCursor(con.execute(sql))
    keys = [d[0] for d in cursor.description]
    return CursorResult(cursor, ResultMetaData(keys)), cursor


ABC = "select 1 as a, 'x' as b union all select 2, 'y' union all select 3, 'z'"


def iterator_result(rows: list[tuple], keys: tuple[str, ...] = ("a", "b")) -> IteratorResult:
    return IteratorResult(ResultMetaData(keys), iter(rows))


# -- basic fetching -----------------------------------------------------------------------------


def test_iteration_yields_rows(con: sqlite3.Connection) -> None:
    result = cursor_result(con, ABC)
    rows = list(result)
    assert rows == [(1, "x"), (2, "y"), (3, "z")]
    assert all(isinstance(r, Row) for r in rows)
    assert [r.b for r in rows] == ["x", "y", "z"]


def test_all_and_fetchall(con: sqlite3.Connection) -> None:
    assert cursor_result(con, ABC).all() == [(1, "x"), (2, "y"), (3, "z")]
    result = cursor_result(con, ABC)
    assert result.fetchall() == [(1, "x"), (2, "y"), (3, "z")]
    assert result.fetchall() == []  # exhausted, not closed
    assert result.fetchone() is None
    assert not result.closed


def test_fetchone_then_fetchmany_then_fetchall(con: sqlite3.Connection) -> None:
    result = cursor_result(con, "select n from nums order by n")
    assert result.fetchone() == (1,)
    assert result.fetchmany(3) == [(2,), (3,), (4,)]
    assert len(result.fetchall()) == 96
    assert result.fetchmany(3) == []


def test_fetchmany_default_size_is_arraysize_or_yield_per(con: sqlite3.Connection) -> None:
    cursor = con.execute("select n from nums order by n")
    cursor.arraysize = 7
    result = CursorResult(cursor, ResultMetaData(["n"]))
    assert len(result.fetchmany()) == 7
    result.yield_per(11)
    assert len(result.fetchmany()) == 11
    assert iterator_result([(1,), (2,)], ("a",)).fetchmany() == [(1,)]
    with pytest.raises(ArgumentError, match="positive integer"):
        result.fetchmany(0)


def test_next_on_result(con: sqlite3.Connection) -> None:
    result = cursor_result(con, ABC)
    assert next(result) == (1, "x")
    assert list(result) == [(2, "y"), (3, "z")]
    with pytest.raises(StopIteration):
        next(result)


def test_mixing_iteration_and_fetch_calls_loses_no_rows(con: sqlite3.Connection) -> None:
    result = cursor_result(con, "select n from nums order by n")
    iterator = iter(result)
    assert next(iterator) == (1,)  # iteration has buffered a batch
    assert result.fetchone() == (2,)
    assert result.fetchmany(2) == [(3,), (4,)]
    assert next(iterator) == (5,)
    assert result.scalars().first() == 6


# -- single-row methods -------------------------------------------------------------------------


def test_first_returns_first_row_and_closes(con: sqlite3.Connection) -> None:
    result, cursor = counting_result(con, ABC)
    assert result.first() == (1, "x")
    assert result.closed
    assert cursor.closed
    with pytest.raises(ResourceClosedError, match="closed"):
        result.fetchone()
    assert cursor_result(con, "select n from nums where n > 1000").first() is None


def test_one(con: sqlite3.Connection) -> None:
    result = cursor_result(con, "select n, label from nums where n = 5")
    assert result.one() == (5, "n5")
    assert result.closed
    with pytest.raises(NoResultFound, match=r"Result\.one\(\) found no row.*one_or_none"):
        cursor_result(con, "select n from nums where n > 1000").one()
    many = cursor_result(con, "select n from nums")
    with pytest.raises(MultipleResultsFound, match=r"Result\.one\(\) found more than one row"):
        many.one()
    assert many.closed


def test_one_or_none(con: sqlite3.Connection) -> None:
    assert cursor_result(con, "select n from nums where n = 5").one_or_none() == (5,)
    assert cursor_result(con, "select n from nums where n > 1000").one_or_none() is None
    with pytest.raises(MultipleResultsFound, match=r"Result\.one_or_none\(\)"):
        cursor_result(con, "select n from nums").one_or_none()


def test_scalar_family(con: sqlite3.Connection) -> None:
    assert cursor_result(con, "select count(*), 'x' from nums").scalar() == 100
    assert cursor_result(con, "select n from nums where n > 1000").scalar() is None
    assert cursor_result(con, "select n from nums where n = 7").scalar_one() == 7
    assert cursor_result(con, "select n from nums where n = 7").scalar_one_or_none() == 7
    assert cursor_result(con, "select n from nums where n > 1000").scalar_one_or_none() is None
    with pytest.raises(NoResultFound, match=r"Result\.scalar_one\(\).*scalar_one_or_none"):
        cursor_result(con, "select n from nums where n > 1000").scalar_one()
    with pytest.raises(MultipleResultsFound, match=r"Result\.scalar_one\(\)"):
        cursor_result(con, "select n from nums").scalar_one()
    with pytest.raises(MultipleResultsFound, match=r"Result\.scalar_one_or_none\(\)"):
        cursor_result(con, "select n from nums").scalar_one_or_none()
    result = cursor_result(con, "select n from nums")
    result.scalar()
    assert result.closed


# -- scalars and mappings -----------------------------------------------------------------------


def test_scalars(con: sqlite3.Connection) -> None:
    scalars = cursor_result(con, ABC).scalars()
    assert isinstance(scalars, ScalarResult)
    assert scalars.all() == [1, 2, 3]
    assert cursor_result(con, ABC).scalars(1).all() == ["x", "y", "z"]
    assert cursor_result(con, ABC).scalars("b").all() == ["x", "y", "z"]
    assert list(cursor_result(con, ABC).scalars("b")) == ["x", "y", "z"]
    assert cursor_result(con, ABC).scalars().first() == 1
    assert cursor_result(con, "select n from nums where n = 3").scalars().one() == 3
    assert cursor_result(con, "select n from nums where n = 0").scalars().one_or_none() is None
    assert cursor_result(con, ABC).scalars().fetchmany(2) == [1, 2]
    assert cursor_result(con, ABC).scalars().fetchall() == [1, 2, 3]
    with pytest.raises(NoResultFound, match=r"ScalarResult\.one\(\)"):
        cursor_result(con, "select n from nums where n = 0").scalars().one()
    with pytest.raises(MultipleResultsFound, match=r"ScalarResult\.one_or_none\(\)"):
        cursor_result(con, ABC).scalars().one_or_none()
    with pytest.raises(NoSuchColumnError):
        cursor_result(con, ABC).scalars("c")
    with pytest.raises(NoSuchColumnError, match="out of range"):
        cursor_result(con, ABC).scalars(2)


def test_scalars_by_column_object(con: sqlite3.Connection) -> None:
    b_col = FakeColumn("b")
    result = cursor_result(con, ABC, extra_keys=[[], [b_col]])
    assert result.scalars(b_col).all() == ["x", "y", "z"]


def test_mappings(con: sqlite3.Connection) -> None:
    mappings = cursor_result(con, ABC).mappings()
    assert isinstance(mappings, MappingResult)
    assert mappings.keys() == ["a", "b"]
    first = mappings.fetchone()
    assert isinstance(first, RowMapping)
    assert first == {"a": 1, "b": "x"}
    assert list(mappings) == [{"a": 2, "b": "y"}, {"a": 3, "b": "z"}]
    assert mappings.fetchone() is None
    assert cursor_result(con, ABC).mappings().all()[2]["b"] == "z"
    assert cursor_result(con, ABC).mappings().first() == {"a": 1, "b": "x"}
    assert cursor_result(con, "select 1 as a").mappings().one() == {"a": 1}
    assert cursor_result(con, "select 1 as a where 0").mappings().one_or_none() is None
    assert cursor_result(con, ABC).mappings().fetchmany(2)[1] == {"a": 2, "b": "y"}
    assert cursor_result(con, ABC).mappings().fetchall()[0]["a"] == 1
    assert cursor_result(con, ABC).mappings().columns("b").all() == [
        {"b": "x"}, {"b": "y"}, {"b": "z"}]
    with pytest.raises(MultipleResultsFound, match=r"MappingResult\.one\(\)"):
        cursor_result(con, ABC).mappings().one()


# -- keys and columns ---------------------------------------------------------------------------


def test_keys(con: sqlite3.Connection) -> None:
    a_col = FakeColumn("a")
    result = cursor_result(con, ABC, extra_keys=[[a_col], []])
    keys = result.keys()
    assert isinstance(keys, RMKeyView)
    assert keys == ["a", "b"] and keys == ("a", "b")
    assert list(keys) == ["a", "b"] and len(keys) == 2 and keys[1] == "b"
    assert "a" in keys and a_col in keys and "c" not in keys
    result.close()
    assert result.keys() == ["a", "b"]  # still known after closing


def test_columns_selects_and_reorders(con: sqlite3.Connection) -> None:
    b_col = FakeColumn("b")
    result = cursor_result(con, ABC, extra_keys=[[], [b_col]])
    assert result.columns(b_col, "a") is result
    rows = result.all()
    assert rows == [("x", 1), ("y", 2), ("z", 3)]
    assert rows[0]._fields == ("b", "a")
    assert rows[0]._mapping[b_col] == "x"
    assert result.keys() == ["b", "a"]
    assert cursor_result(con, ABC).columns(1).scalars().all() == ["x", "y", "z"]
    assert cursor_result(con, ABC).columns(-1, 0).first() == ("x", 1)


def test_columns_after_rows_were_buffered(con: sqlite3.Connection) -> None:
    result = cursor_result(con, ABC)
    iterator = iter(result)
    assert next(iterator) == (1, "x")
    result.columns("b")
    assert result.all() == [("y",), ("z",)]


def test_columns_errors(con: sqlite3.Connection) -> None:
    with pytest.raises(NoSuchColumnError, match=r"'c'.*\['a', 'b'\]"):
        cursor_result(con, ABC).columns("c")
    with pytest.raises(ArgumentError, match="at least one"):
        cursor_result(con, ABC).columns()


def test_tuples_returns_the_result(con: sqlite3.Connection) -> None:
    result = cursor_result(con, ABC)
    assert result.tuples() is result
    assert result.t is result


# -- unique -------------------------------------------------------------------------------------


DUPS = [(1, "x"), (1, "x"), (2, "y"), (1, "x"), (3, "z"), (2, "y")]


def test_unique_rows() -> None:
    assert iterator_result(DUPS).unique().all() == [(1, "x"), (2, "y"), (3, "z")]
    assert list(iterator_result(DUPS).unique()) == [(1, "x"), (2, "y"), (3, "z")]
    assert iterator_result(DUPS).unique().fetchmany(2) == [(1, "x"), (2, "y")]
    result = iterator_result(DUPS).unique()
    assert result.fetchone() == (1, "x")
    assert result.fetchone() == (2, "y")
    assert result.fetchall() == [(3, "z")]


def test_unique_with_strategy() -> None:
    rows = [(1, "x"), (2, "X"), (3, "y")]
    result = iterator_result(rows).unique(lambda row: row.b.lower())
    assert result.all() == [(1, "x"), (3, "y")]


def test_unique_one_ignores_duplicates_of_the_one_row() -> None:
    assert iterator_result([(1, "x"), (1, "x")]).unique().one() == (1, "x")
    with pytest.raises(MultipleResultsFound):
        iterator_result([(1, "x"), (1, "x")]).one()


def test_unique_scalars_and_mappings() -> None:
    assert iterator_result(DUPS).scalars().unique().all() == [1, 2, 3]
    assert iterator_result(DUPS).unique().scalars(1).all() == ["x", "y", "z"]
    assert list(iterator_result(DUPS).scalars().unique()) == [1, 2, 3]
    assert iterator_result(DUPS).mappings().unique().all() == [
        {"a": 1, "b": "x"}, {"a": 2, "b": "y"}, {"a": 3, "b": "z"}]
    by_parity = iterator_result(DUPS).scalars().unique(lambda n: n % 2)
    assert by_parity.all() == [1, 2]


def test_unique_on_unhashable_values_explains_strategy() -> None:
    result = iterator_result([([1], "x"), ([1], "x")]).unique()
    with pytest.raises(InvalidRequestError, match=r"unique\(strategy=\.\.\.\)"):
        result.all()
    result = iterator_result([([1], "x"), ([2], "x")]).unique()
    with pytest.raises(InvalidRequestError, match="hashable"):
        list(result)
    keyed = iterator_result([([1], "x"), ([1], "y")]).unique(lambda row: tuple(row.a))
    assert keyed.all() == [([1], "x")]


# -- partitions and yield_per -------------------------------------------------------------------


def test_partitions_with_size(con: sqlite3.Connection) -> None:
    parts = list(cursor_result(con, "select n from nums order by n").partitions(30))
    assert [len(p) for p in parts] == [30, 30, 30, 10]
    assert parts[3][-1] == (100,)
    assert all(isinstance(r, Row) for p in parts for r in p)


def test_partitions_use_yield_per_and_cursor_fetchmany(con: sqlite3.Connection) -> None:
    result, cursor = counting_result(con, "select n from nums order by n")
    assert result.yield_per(40) is result
    parts = list(result.partitions())
    assert [len(p) for p in parts] == [40, 40, 20]
    assert cursor.calls == [("fetchmany", 40)] * 4  # the last call finds the end
    assert cursor.closed


def test_partitions_default_size(con: sqlite3.Connection) -> None:
    rows = [(i,) for i in range(DEFAULT_PARTITION_SIZE + 5)]
    parts = list(iterator_result(rows, ("n",)).partitions())
    assert [len(p) for p in parts] == [DEFAULT_PARTITION_SIZE, 5]


def test_partitions_of_scalars_mappings_and_unique() -> None:
    rows = [(i % 4, "x") for i in range(10)]
    assert list(iterator_result(rows).scalars().partitions(3)) == [[0, 1, 2], [3, 0, 1],
                                                                   [2, 3, 0], [1]]
    assert list(iterator_result(rows).scalars().unique().partitions(3)) == [[0, 1, 2], [3]]
    parts = list(iterator_result(rows).mappings().partitions(4))
    assert [len(p) for p in parts] == [4, 4, 2]
    assert parts[0][1] == {"a": 1, "b": "x"}
    with pytest.raises(ArgumentError, match="positive integer"):
        iterator_result(rows).partitions(0)


def test_yield_per_sets_iteration_batch(con: sqlite3.Connection) -> None:
    result, cursor = counting_result(con, "select n from nums order by n")
    assert [r.n for r in result.yield_per(25)] == list(range(1, 101))
    assert cursor.calls == [("fetchmany", 25)] * 5
    assert cursor.closed
    with pytest.raises(ArgumentError, match="positive integer"):
        cursor_result(con, ABC).yield_per(0)


def test_scalar_result_yield_per(con: sqlite3.Connection) -> None:
    result, cursor = counting_result(con, "select n from nums order by n")
    scalars = result.scalars()
    assert scalars.yield_per(50) is scalars
    assert sum(scalars) == 5050
    assert cursor.calls == [("fetchmany", 50)] * 3


def test_iteration_without_yield_per_fetches_in_growing_batches(
    con: sqlite3.Connection,
) -> None:
    result, cursor = counting_result(con, "select n from nums order by n")
    assert len(list(result)) == 100
    sizes = [size or 0 for _, size in cursor.calls]
    assert all(name == "fetchmany" for name, _ in cursor.calls)
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]


def test_all_uses_fetchall(con: sqlite3.Connection) -> None:
    result, cursor = counting_result(con, "select n from nums")
    assert len(result.all()) == 100
    assert cursor.calls == [("fetchall", None)]
    assert cursor.closed


def test_rows_are_fetched_lazily(con: sqlite3.Connection) -> None:
    result, cursor = counting_result(con, "select n from nums order by n")
    assert cursor.calls == []
    assert result.fetchone() == (1,)
    assert cursor.calls == [("fetchone", None)]
    assert not cursor.closed


# -- processors ---------------------------------------------------------------------------------


def test_processors_convert_only_their_columns(con: sqlite3.Connection) -> None:
    seen: list[Any] = []

    def to_decimal(value: Any) -> Any:
        seen.append(value)
        return None if value is None else Decimal(str(value))

    result = cursor_result(
        con, "select n, label, n * 1.5 as price from nums where n <= 2 "
             "union all select 3, 'n3', null order by n",
        processors=[None, str.upper, to_decimal],
    )
    rows = result.all()
    assert rows == [(1, "N1", Decimal("1.5")), (2, "N2", Decimal("3.0")), (3, "N3", None)]
    assert seen == [1.5, 3.0, None]  # every raw value, None included
    assert isinstance(rows[0], Row) and rows[0].price == Decimal("1.5")


def test_processors_apply_on_every_fetch_path(con: sqlite3.Connection) -> None:
    def make() -> CursorResult:
        return cursor_result(con, "select n from nums where n <= 3 order by n",
                             processors=[lambda v: v * 10])

    assert make().all() == [(10,), (20,), (30,)]
    assert list(make()) == [(10,), (20,), (30,)]
    assert make().fetchone() == (10,)
    assert make().fetchmany(2) == [(10,), (20,)]
    assert make().scalars().all() == [10, 20, 30]
    assert make().scalar() == 10
    assert list(make().partitions(2)) == [[(10,), (20,)], [(30,)]]
    assert make().columns("n").all() == [(10,), (20,), (30,)]


def test_metadata_rejects_mismatched_lengths() -> None:
    with pytest.raises(ArgumentError, match="one entry per column"):
        ResultMetaData(["a", "b"], processors=[None])
    with pytest.raises(ArgumentError, match="one entry per column"):
        ResultMetaData(["a"], extra_keys=[[], []])


def test_ambiguous_name_in_metadata(con: sqlite3.Connection) -> None:
    result = cursor_result(con, "select 1 as a, 2 as a, 3 as b")
    with pytest.raises(InvalidRequestError, match="Ambiguous column name 'a'"):
        result.scalars("a")
    assert cursor_result(con, "select 1 as a, 2 as a, 3 as b").scalars(1).one() == 2


# -- closing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", [
    lambda r: r.fetchone(), lambda r: r.fetchmany(2), lambda r: r.fetchall(), lambda r: r.all(),
    lambda r: r.first(), lambda r: r.one(), lambda r: r.one_or_none(), lambda r: r.scalar(),
    lambda r: r.scalar_one(), lambda r: r.scalar_one_or_none(), lambda r: list(r),
    lambda r: r.partitions(2), lambda r: r.scalars(), lambda r: r.mappings().all(),
    lambda r: next(r),
])
def test_closed_result_raises(con: sqlite3.Connection, method: Callable[[Result], Any]) -> None:
    result, cursor = counting_result(con, ABC)
    result.close()
    assert result.closed
    assert cursor.closed
    with pytest.raises(ResourceClosedError, match="closed"):
        method(result)
    result.close()  # closing twice is harmless


def test_close_releases_the_cursor_mid_stream(con: sqlite3.Connection) -> None:
    result, cursor = counting_result(con, "select n from nums")
    scalars = result.scalars()
    assert scalars.fetchmany(5) == [1, 2, 3, 4, 5]
    scalars.close()
    assert cursor.closed and result.closed and scalars.closed
    with pytest.raises(ResourceClosedError):
        scalars.all()


def test_context_manager_closes(con: sqlite3.Connection) -> None:
    with cursor_result(con, ABC) as result:
        assert result.fetchone() == (1, "x")
    assert result.closed


def test_exhausted_cursor_is_closed_but_result_is_not(con: sqlite3.Connection) -> None:
    result, cursor = counting_result(con, ABC)
    assert len(list(result)) == 3
    assert cursor.closed
    assert not result.closed
    assert result.all() == []


# -- CursorResult specifics ---------------------------------------------------------------------


def test_cursor_result_without_rows(con: sqlite3.Connection) -> None:
    cursor = CountingCursor(con.execute("update nums set label = 'x' where n <= 3"))
    result = CursorResult(cursor, None)
    assert result.returns_rows is False
    assert result.rowcount == 3
    assert result.closed
    assert cursor.closed
    assert result.keys() == []
    for method in (result.fetchone, result.all, result.first, result.scalar):
        with pytest.raises(ResourceClosedError, match="does not return rows"):
            method()
    with pytest.raises(ResourceClosedError, match="does not return rows"):
        result.scalars()
    result.close()


def test_cursor_result_rowcount_and_lastrowid(con: sqlite3.Connection) -> None:
    cursor = con.execute("insert into nums values (500, 'n500')")
    result = CursorResult(cursor, None)
    assert result.rowcount == 1
    assert result.lastrowid == 101
    assert result.context is None
    other = CursorResult(con.execute("delete from nums where n > 90"), None, rowcount=42)
    assert other.rowcount == 42  # the argument wins over cursor.rowcount
    select = cursor_result(con, "select n from nums")
    assert select.returns_rows is True
    assert select.rowcount == -1  # sqlite3 reports -1 for SELECT


def test_cursor_result_is_a_result(con: sqlite3.Connection) -> None:
    result = cursor_result(con, ABC)
    assert isinstance(result, Result)
    result.context = "set by the engine"
    assert result.context == "set by the engine"


# -- IteratorResult -----------------------------------------------------------------------------


def test_iterator_result_over_generator_closes_it() -> None:
    finished: list[str] = []

    def produce() -> Iterator[tuple[int, str]]:
        try:
            for i in range(1, 1000):
                yield (i, f"r{i}")
        finally:
            finished.append("closed")

    result = IteratorResult(ResultMetaData(["id", "name"]), produce())
    assert result.fetchmany(2) == [(1, "r1"), (2, "r2")]
    assert finished == []
    result.close()
    assert finished == ["closed"]


def test_iterator_result_holds_arbitrary_objects() -> None:
    class Obj:
        pass

    objs = [Obj(), Obj()]
    result = IteratorResult(ResultMetaData(["Obj"]), ((o,) for o in objs))
    assert result.scalars().all() == objs


def test_iterator_result_full_family() -> None:
    rows = [(1, "x"), (2, "y")]
    assert iterator_result(rows).all() == rows
    assert iterator_result(rows).first() == (1, "x")
    assert iterator_result([]).first() is None
    assert iterator_result(rows[:1]).one().b == "x"
    assert iterator_result(rows).scalars(1).all() == ["x", "y"]
    assert iterator_result(rows).mappings().all() == [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]
    assert iterator_result(rows).keys() == ["a", "b"]
