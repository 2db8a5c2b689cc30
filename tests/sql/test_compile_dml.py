"""INSERT / UPDATE / DELETE compile to the expected SQL on the default and SQLite dialects."""

from __future__ import annotations

from typing import Any

import pytest

import sqlwright
from sqlwright import exc
from sqlwright.dialects.base import DefaultDialect
from sqlwright.dialects.features import Features
from sqlwright.schema import Column, ForeignKey, MetaData, Sequence, Table
from sqlwright.sql.dml import delete, insert, update
from sqlwright.sql.elements import bindparam, text
from sqlwright.sql.functions import func
from sqlwright.sql.selectable import select
from sqlwright.types import Integer, String

md = MetaData()
users = Table(
    "users", md,
    Column("id", Integer, primary_key=True),
    Column("name", String(50)),
    Column("logins", Integer, default=0),
)
stamped = Table(
    "stamped", md,
    Column("id", Integer, primary_key=True),
    Column("name", String(50)),
    Column("version", Integer, default=lambda: 1, onupdate=lambda: 2),
    Column("weight", Integer, default=text("7")),
)
quoted = Table(
    "order", md,
    Column("id", Integer, primary_key=True),
    Column("select", String(10)),
    Column("Mixed Case", String(10)),
)
only_pk = Table("only_pk", md, Column("id", Integer, primary_key=True))
seqd = Table("seqd", md, Column("id", Integer, Sequence("seqd_id"), primary_key=True),
             Column("x", Integer))
scoped = Table("scoped", md, Column("id", Integer, primary_key=True), schema="app")
posts = Table("posts", md, Column("id", Integer, primary_key=True),
              Column("user_id", Integer, ForeignKey("users.id")))
post_count = (select(func.count(posts.c.id)).where(posts.c.user_id == users.c.id)
              .scalar_subquery())

CompileError = exc.CompileError

# (statement, SQL on the default dialect, SQL on SQLite); an exception class means compiling
# must raise it.
CASES: list[tuple[str, Any, Any, Any]] = [
    ("insert_one_row", insert(users).values(name="a"),
     "INSERT INTO users (name, logins) VALUES (:name, :logins)",
     "INSERT INTO users (name, logins) VALUES (?, ?)"),
    ("insert_all_given", insert(users).values(id=1, name="a", logins=3),
     "INSERT INTO users (id, name, logins) VALUES (:id, :name, :logins)",
     "INSERT INTO users (id, name, logins) VALUES (?, ?, ?)"),
    ("insert_column_keys", insert(users).values({users.c.name: "a", users.c.id: 2}),
     "INSERT INTO users (id, name, logins) VALUES (:id, :name, :logins)",
     "INSERT INTO users (id, name, logins) VALUES (?, ?, ?)"),
    ("insert_positional", insert(users).values((5, "e", 1)),
     "INSERT INTO users (id, name, logins) VALUES (:id, :name, :logins)",
     "INSERT INTO users (id, name, logins) VALUES (?, ?, ?)"),
    ("insert_many_rows", insert(users).values([{"name": "a"}, {"name": "b", "logins": 4}]),
     "INSERT INTO users (name, logins) VALUES (:name_m0, :logins_m0), (:name_m1, :logins_m1)",
     "INSERT INTO users (name, logins) VALUES (?, ?), (?, ?)"),
    ("insert_python_and_sql_defaults", insert(stamped).values(name="s"),
     "INSERT INTO stamped (name, version, weight) VALUES (:name, :version, 7)",
     "INSERT INTO stamped (name, version, weight) VALUES (?, ?, 7)"),
    ("insert_template", insert(users),
     "INSERT INTO users (id, name, logins) VALUES (:id, :name, :logins)",
     "INSERT INTO users (id, name, logins) VALUES (?, ?, ?)"),
    ("update_template", update(users).where(users.c.id == 5),
     "UPDATE users SET id=:id, name=:name, logins=:logins WHERE users.id = :id_1",
     "UPDATE users SET id=?, name=?, logins=? WHERE users.id = ?"),
    ("insert_sequence_only_where_supported", insert(seqd).values(x=1),
     "INSERT INTO seqd (id, x) VALUES (NEXT VALUE FOR seqd_id, :x)",
     "INSERT INTO seqd (x) VALUES (?)"),
    ("insert_quoted_names", insert(quoted).values({"select": "s", "Mixed Case": "m"}),
     'INSERT INTO "order" ("select", "Mixed Case") VALUES (:select, :Mixed_Case)',
     'INSERT INTO "order" ("select", "Mixed Case") VALUES (?, ?)'),
    ("insert_schema", insert(scoped).values(id=1),
     "INSERT INTO app.scoped (id) VALUES (:id)",
     "INSERT INTO app.scoped (id) VALUES (?)"),
    ("insert_returning", insert(users).values(name="a").returning(users.c.id),
     'INSERT INTO users (name, logins) VALUES (:name, :logins) RETURNING users.id',
     "INSERT INTO users (name, logins) VALUES (?, ?) RETURNING users.id"),
    ("update_values_where", update(users).where(users.c.id == 5).values(name="x"),
     "UPDATE users SET name=:name WHERE users.id = :id_1",
     "UPDATE users SET name=? WHERE users.id = ?"),
    ("update_table_column_order", update(users).values(logins=1, name="x"),
     "UPDATE users SET name=:name, logins=:logins",
     "UPDATE users SET name=?, logins=?"),
    ("update_ordered_values", update(users).ordered_values(("logins", 1), (users.c.name, "x")),
     "UPDATE users SET logins=:logins, name=:name",
     "UPDATE users SET logins=?, name=?"),
    ("update_onupdate_default", update(stamped).values(name="n"),
     "UPDATE stamped SET name=:name, version=:version",
     "UPDATE stamped SET name=?, version=?"),
    ("update_onupdate_overridden", update(stamped).values(version=9),
     "UPDATE stamped SET version=:version",
     "UPDATE stamped SET version=?"),
    ("update_two_criteria",
     update(users).where(users.c.id > 1).where(users.c.name == "a").values(logins=0),
     "UPDATE users SET logins=:logins WHERE users.id > :id_1 AND users.name = :name_1",
     "UPDATE users SET logins=? WHERE users.id > ? AND users.name = ?"),
    ("update_filter_by", update(users).filter_by(name="a").values(logins=0),
     "UPDATE users SET logins=:logins WHERE users.name = :name_1",
     "UPDATE users SET logins=? WHERE users.name = ?"),
    ("update_bindparams",
     update(users).where(users.c.id == bindparam("b_id")).values(name=bindparam("b_name")),
     "UPDATE users SET name=:b_name WHERE users.id = :b_id",
     "UPDATE users SET name=? WHERE users.id = ?"),
    ("update_returning", update(users).values(name="x").returning(users.c.id, users.c.name),
     'UPDATE users SET name=:name RETURNING users.id, users.name',
     "UPDATE users SET name=? RETURNING users.id, users.name"),
    ("update_correlated_subquery", update(users).values(logins=post_count),
     "UPDATE users SET logins=(SELECT count(posts.id) AS count_1 FROM posts "
     "WHERE posts.user_id = users.id)",
     "UPDATE users SET logins=(SELECT count(posts.id) AS count_1 FROM posts "
     "WHERE posts.user_id = users.id)"),
    ("insert_select_as_value", insert(users).values(name="n", logins=select(func.max(posts.c.id))),
     "INSERT INTO users (name, logins) VALUES (:name, (SELECT max(posts.id) AS max_1 FROM posts))",
     "INSERT INTO users (name, logins) VALUES (?, (SELECT max(posts.id) AS max_1 FROM posts))"),
    ("insert_from_select_with_default",
     insert(users).from_select(["id", "name"], select(posts.c.id, posts.c.user_id)),
     "INSERT INTO users (id, name, logins) SELECT posts.id, posts.user_id, :logins AS logins_1 "
     "FROM posts",
     "INSERT INTO users (id, name, logins) SELECT posts.id, posts.user_id, ? AS logins_1 "
     "FROM posts"),
    ("update_returning_expressions",
     update(users).values(logins=0).returning((users.c.logins + 1).label("next"), users.c.id),
     'UPDATE users SET logins=:logins RETURNING users.logins + :logins_1 AS next, users.id',
     "UPDATE users SET logins=? RETURNING users.logins + ? AS next, users.id"),
    ("delete_where", delete(users).where(users.c.id == 3),
     "DELETE FROM users WHERE users.id = :id_1",
     "DELETE FROM users WHERE users.id = ?"),
    ("delete_all", delete(users), "DELETE FROM users", "DELETE FROM users"),
    ("delete_quoted", delete(quoted).where(quoted.c.select == "x"),
     'DELETE FROM "order" WHERE "order"."select" = :select_1',
     'DELETE FROM "order" WHERE "order"."select" = ?'),
    ("delete_returning", delete(users).where(users.c.id == 3).returning(users.c.name),
     'DELETE FROM users WHERE users.id = :id_1 RETURNING users.name',
     "DELETE FROM users WHERE users.id = ? RETURNING users.name"),
]


def _sqlite_dialect() -> Any:
    return sqlwright.dialects.load("sqlite")()


@pytest.mark.parametrize(("stmt", "default_sql", "sqlite_sql"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_compile(stmt: Any, default_sql: Any, sqlite_sql: Any) -> None:
    for dialect, expected in ((DefaultDialect(), default_sql), (_sqlite_dialect(), sqlite_sql)):
        if isinstance(expected, type):
            with pytest.raises(expected):
                stmt.compile(dialect=dialect)
        else:
            assert stmt.compile(dialect=dialect).string == expected


def test_str_uses_default_dialect() -> None:
    assert str(delete(users)) == "DELETE FROM users"


class _NoReturningDialect(DefaultDialect):
    features_class = Features


def test_returning_error_names_the_flag() -> None:
    stmt = insert(users).values(name="a").returning(users.c.id)
    with pytest.raises(CompileError, match="supports_insert_returning"):
        stmt.compile(dialect=_NoReturningDialect())


def test_column_keys_pick_insert_columns() -> None:
    compiled = insert(users).compile(dialect=DefaultDialect(), column_keys=["name"])
    assert compiled.string == "INSERT INTO users (name, logins) VALUES (:name, :logins)"


def test_column_keys_pick_update_set() -> None:
    stmt = update(users).where(users.c.id == bindparam("uid"))
    compiled = stmt.compile(dialect=DefaultDialect(), column_keys=["name", "uid"])
    assert compiled.string == "UPDATE users SET name=:name WHERE users.id = :uid"


def test_unknown_parameter_key_is_an_error() -> None:
    with pytest.raises(CompileError, match="Unconsumed column names: nmae"):
        insert(users).compile(dialect=DefaultDialect(), column_keys=["nmae"])


def test_literal_binds() -> None:
    stmt = insert(users).values(name="O'Hara")
    sql = stmt.compile(compile_kwargs={"literal_binds": True}).string
    assert sql == "INSERT INTO users (name, logins) VALUES ('O''Hara', 0)"


def test_prefetch_lists_python_defaults() -> None:
    ins = insert(stamped).values(name="s").compile()
    assert [(c.key, name) for c, name in ins.insert_prefetch] == [("version", "version")]
    upd = update(stamped).values(name="s").compile()
    assert [(c.key, name) for c, name in upd.update_prefetch] == [("version", "version")]


def test_values_with_unknown_column_is_an_error() -> None:
    with pytest.raises(exc.ArgumentError, match="has no column 'nope'"):
        insert(users).values(nope=1)


def test_values_with_other_tables_column_is_an_error() -> None:
    with pytest.raises(exc.ArgumentError, match="is not a column of 'users'"):
        insert(users).values({stamped.c.name: "x"})


def test_update_without_values_is_an_error() -> None:
    stmt = update(users).where(users.c.id == 1)
    with pytest.raises(CompileError, match="sets no column"):
        stmt.compile(column_keys=[])


def test_insert_without_values_at_execution() -> None:
    """Executed with no parameters, an INSERT writes defaults only (here: none at all)."""
    assert insert(only_pk).compile(column_keys=[]).string == "INSERT INTO only_pk DEFAULT VALUES"


def test_multi_row_update_is_an_error() -> None:
    with pytest.raises(exc.ArgumentError, match="a list of rows is for insert"):
        update(users).values([{"name": "a"}])


def test_multi_row_missing_key_without_default() -> None:
    stmt = insert(users).values([{"id": 1, "name": "a"}, {"name": "b"}])
    with pytest.raises(CompileError, match="Row 1 .* no value for column 'id'"):
        str(stmt)


def test_multi_row_missing_key_uses_default() -> None:
    stmt = insert(users).values([{"name": "a", "logins": 2}, {"name": "b"}])
    assert str(stmt) == ("INSERT INTO users (name, logins) VALUES (:name_m0, :logins_m0), "
                         "(:name_m1, :logins_m1)")


def test_values_and_from_select_conflict() -> None:
    with pytest.raises(exc.InvalidRequestError, match="from_select"):
        insert(users).values(name="a").from_select(["name"], users.select())


def test_returning_and_return_defaults_conflict() -> None:
    with pytest.raises(exc.InvalidRequestError, match="cannot be combined"):
        insert(users).returning(users.c.id).return_defaults()


def test_statements_are_generative() -> None:
    base = update(users)
    with_values = base.values(name="a")
    assert base._values == ()
    assert with_values._values != ()


def test_cache_key_ignores_values() -> None:
    key_a = insert(users).values(name="a")._generate_cache_key()
    key_b = insert(users).values(name="b")._generate_cache_key()
    assert key_a is not None and key_a == key_b
    assert [b.value for b in key_b.bindparams] == ["b"]  # values travel with the key


@pytest.mark.parametrize(("first", "second"), [
    (insert(users).values(name="a"), insert(users).values(logins=1)),
    (insert(users).values([{"name": "a"}]), insert(users).values([{"name": "a"}, {"name": "b"}])),
    (update(users).values(name="a"), update(users).values(name="a").where(users.c.id == 1)),
    (update(users).values(name="a"), update(stamped).values(name="a")),
    (delete(users).where(users.c.id == 1), delete(users).where(users.c.id > 1)),
    (delete(users), delete(users).returning(users.c.id)),
], ids=["columns", "row_count", "where", "table", "operator", "returning"])
def test_cache_key_differs_by_shape(first: Any, second: Any) -> None:
    assert first._generate_cache_key() != second._generate_cache_key()


@pytest.mark.parametrize(("build", "message"), [
    (lambda: insert(5), "take a Table"),
    (lambda: delete(users).where("id = 1"), "wrap SQL text in text"),
    (lambda: insert(users).values(1, 2), "single dict"),
    (lambda: insert(users).values(name="a").values([{"name": "b"}]), "must be the only"),
    (lambda: insert(users).values((1, "a", 0, "extra")), "4 positional values"),
    (lambda: insert(users).values([]), "got no rows"),
    (lambda: update(users).ordered_values(("name", "a")).values(logins=1), "ordered_values"),
], ids=["not_a_table", "string_criterion", "two_args", "single_then_multi",
        "too_many_positional", "empty_rows", "ordered_then_values"])
def test_construction_errors(build: Any, message: str) -> None:
    with pytest.raises((exc.ArgumentError, exc.InvalidRequestError), match=message):
        build()
