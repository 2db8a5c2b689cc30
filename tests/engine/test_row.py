"""sqlwright.engine.row: Row and RowMapping, built from real sqlite3 cursors."""

from __future__ import annotations

import copy
import pickle
import sqlite3
from collections.abc import Iterator, Mapping

import pytest

from sqlwright.engine.result import CursorResult, ResultMetaData
from sqlwright.engine.row import Row, RowMapping
from sqlwright.exc import InvalidRequestError, NoSuchColumnError


class FakeColumn:
    """Stands in for a schema Column: overloads == the way SQL expression objects do."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> object:  # type: ignore[override]
        return ("expression", self.name, other)

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"FakeColumn({self.name!r})"


@pytest.fixture
def con() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    connection.execute("create table users (id integer primary key, name text, count integer)")
    connection.executemany("insert into users values (?, ?, ?)",
                           [(1, "alice", 10), (2, "bob", 20)])
    yield connection
    connection.close()


def rows_of(con: sqlite3.Connection, sql: str, **metadata_kw: object) -> list[Row]:
    cursor = con.execute(sql)
    keys = [d[0] for d in cursor.description]
    return CursorResult(cursor, ResultMetaData(keys, **metadata_kw)).all()  # type: ignore[arg-type]


def test_row_behaves_like_the_tuple_of_its_values(con: sqlite3.Connection) -> None:
    row = rows_of(con, "select id, name from users order by id")[0]
    assert isinstance(row, Row)
    assert isinstance(row, tuple)
    assert row == (1, "alice")
    assert (1, "alice") == row  # noqa: SIM300 - the reflected comparison is the point
    assert row[0] == 1 and row[-1] == "alice"
    assert row[0:1] == (1,)
    assert len(row) == 2
    assert list(row) == [1, "alice"]
    ident, name = row
    assert (ident, name) == (1, "alice")
    assert hash(row) == hash((1, "alice"))
    assert row < (2, "") and row > (0, "zzz")
    assert repr(row) == "(1, 'alice')"
    assert str(row) == "(1, 'alice')"
    with pytest.raises(TypeError):
        row[0] = 5  # type: ignore[index]


def test_rows_sort_and_dedupe_like_tuples(con: sqlite3.Connection) -> None:
    rows = rows_of(con, "select name from users union all select name from users")
    assert sorted(rows) == [("alice",), ("alice",), ("bob",), ("bob",)]
    assert set(rows) == {("alice",), ("bob",)}


def test_attribute_access_by_column_name(con: sqlite3.Connection) -> None:
    row = rows_of(con, "select id, name, count, 5 as \"index\" from users order by id")[0]
    assert row.id == 1
    assert row.name == "alice"
    # column names win over the tuple methods of the same name
    assert row.count == 10
    assert row.index == 5


def test_unknown_attribute_lists_columns(con: sqlite3.Connection) -> None:
    row = rows_of(con, "select id, name from users")[0]
    with pytest.raises(AttributeError) as info:
        row.nmae  # noqa: B018
    assert "'nmae'" in str(info.value)
    assert "['id', 'name']" in str(info.value)
    assert not hasattr(row, "email")


def test_fields_asdict_tuple(con: sqlite3.Connection) -> None:
    row = rows_of(con, "select id, name from users order by id")[1]
    assert row._fields == ("id", "name")
    assert row._asdict() == {"id": 2, "name": "bob"}
    assert row._tuple() == (2, "bob")
    assert type(row._tuple()) is tuple
    assert row._t == (2, "bob") and type(row._t) is tuple


def test_mapping_by_name_and_column_object(con: sqlite3.Connection) -> None:
    id_col, name_col = FakeColumn("id"), FakeColumn("name")
    row = rows_of(con, "select id, name from users order by id",
                  extra_keys=[[id_col], [name_col, "users_name"]])[0]
    mapping = row._mapping
    assert isinstance(mapping, RowMapping)
    assert isinstance(mapping, Mapping)
    assert mapping["name"] == "alice"
    assert mapping[name_col] == "alice"
    assert mapping[id_col] == 1
    assert mapping["users_name"] == "alice"  # a string alias from extra_keys
    assert row.users_name == "alice"
    assert list(mapping) == ["id", "name"]
    assert len(mapping) == 2
    assert dict(mapping) == {"id": 1, "name": "alice"}
    assert mapping == {"id": 1, "name": "alice"}
    assert "name" in mapping and name_col in mapping
    assert "email" not in mapping and FakeColumn("name") not in mapping
    assert list(mapping.items()) == [("id", 1), ("name", "alice")]
    assert repr(mapping) == "{'id': 1, 'name': 'alice'}"


def test_mapping_missing_key(con: sqlite3.Connection) -> None:
    row = rows_of(con, "select id, name from users")[0]
    with pytest.raises(NoSuchColumnError) as info:
        row._mapping["email"]
    assert isinstance(info.value, KeyError)
    assert "['id', 'name']" in str(info.value)
    with pytest.raises(KeyError):
        row._mapping[FakeColumn("id")]  # an equal-looking but different object
    with pytest.raises(NoSuchColumnError, match=r"use row\[0\]"):
        row._mapping[0]
    assert row._mapping.get("email", "none") == "none"


def test_mapping_is_read_only(con: sqlite3.Connection) -> None:
    mapping = rows_of(con, "select id from users")[0]._mapping
    with pytest.raises(TypeError):
        mapping["id"] = 5  # type: ignore[index]


def test_duplicate_names_are_ambiguous(con: sqlite3.Connection) -> None:
    a, b = FakeColumn("users.id"), FakeColumn("other.id")
    row = rows_of(con, "select u.id, v.id, u.name from users u join users v on v.id = u.id "
                       "order by u.id", extra_keys=[[a], [b], []])[0]
    assert tuple(row) == (1, 1, "alice")
    with pytest.raises(InvalidRequestError, match="Ambiguous column name 'id'"):
        row.id  # noqa: B018
    with pytest.raises(InvalidRequestError, match="Ambiguous column name 'id'"):
        row._mapping["id"]
    assert row._mapping[a] == 1 and row._mapping[b] == 1
    assert row.name == "alice"
    assert "id" in row._mapping
    assert row._fields == ("id", "id", "name")


def test_column_named_like_row_api_is_reachable_through_mapping(con: sqlite3.Connection) -> None:
    row = rows_of(con, "select 1 as _fields, 2 as _mapping, 3 as keys")[0]
    assert row._fields == ("_fields", "_mapping", "keys")
    assert row._mapping["_mapping"] == 2
    assert row.keys == 3


def test_pickle_and_copy(con: sqlite3.Connection) -> None:
    rows = rows_of(con, "select id, name from users order by id",
                   extra_keys=[[FakeColumn("id")], []])
    restored = pickle.loads(pickle.dumps(rows))
    assert restored == rows
    assert restored[1].name == "bob"
    assert restored[0]._mapping["id"] == 1
    assert isinstance(restored[0], Row)
    assert copy.copy(rows[0]) == rows[0]
    assert copy.deepcopy(rows[0]).name == "alice"


def test_rows_of_one_result_share_one_class(con: sqlite3.Connection) -> None:
    rows = rows_of(con, "select id, name from users")
    assert type(rows[0]) is type(rows[1])
    assert type(rows[0]).__name__ == "Row"
