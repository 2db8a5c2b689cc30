"""SELECT, joins, subqueries, CTEs and set operations compile to the expected SQL."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from sqlwright import (
    bindparam,
    column,
    exc,
    except_,
    exists,
    func,
    intersect,
    lateral,
    literal,
    outerjoin,
    select,
    table,
    text,
    union,
    union_all,
)
from sqlwright.dialects import load
from sqlwright.dialects.base import DefaultDialect
from sqlwright.dialects.features import Features
from sqlwright.schema import Column, ForeignKey, MetaData, Table
from sqlwright.types import Integer, String

md = MetaData()
users = Table("users", md, Column("id", Integer, primary_key=True), Column("name", String(30)))
addresses = Table(
    "addresses", md,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("email", String(50)),
)
posts = Table(
    "posts", md,
    Column("id", Integer, primary_key=True),
    Column("author_id", Integer, ForeignKey("users.id")),
    Column("editor_id", Integer, ForeignKey("users.id")),
)
profiles = Table("profiles", md, Column("id", Integer, primary_key=True),
                 Column("user_id", Integer, ForeignKey("users.id")))
weird = Table("order", md, Column("select", Integer), Column("Mixed", Integer), schema="app")
nodes = table("nodes", column("id"), column("parent_id"))

u = users.alias("u")
counts = select(addresses.c.user_id, func.count().label("cnt")).group_by(
    addresses.c.user_id).subquery("counts")
n_label = func.count(addresses.c.id).label("n")
tree = select(nodes.c.id).where(nodes.c.id == 1).cte("tree", recursive=True)
tree = tree.union_all(select(nodes.c.id).join(tree, nodes.c.parent_id == tree.c.id))
active = select(users.c.id).where(users.c.name != "x").cte("active")
first = select(users.c.id).where(users.c.id > 5).cte("first")
second = select(first.c.id).where(first.c.id < 9).cte("second")

# (id, statement, SQL on the default dialect, SQL on SQLite)
CASES: list[tuple[str, Any, str, str]] = [
    ("table", select(users),
     "SELECT users.id, users.name FROM users",
     "SELECT users.id, users.name FROM users"),
    ("columns_where", select(users.c.name).where(users.c.id == 5),
     "SELECT users.name FROM users WHERE users.id = :id_1",
     "SELECT users.name FROM users WHERE users.id = ?"),
    ("chained_where", select(users.c.id).where(users.c.id > 1).where(users.c.name == "a"),
     "SELECT users.id FROM users WHERE users.id > :id_1 AND users.name = :name_1",
     "SELECT users.id FROM users WHERE users.id > ? AND users.name = ?"),
    ("where_many", select(users.c.id).filter(users.c.id > 1, users.c.id < 3),
     "SELECT users.id FROM users WHERE users.id > :id_1 AND users.id < :id_2",
     "SELECT users.id FROM users WHERE users.id > ? AND users.id < ?"),
    ("filter_by", select(users).filter_by(name="a"),
     "SELECT users.id, users.name FROM users WHERE users.name = :name_1",
     "SELECT users.id, users.name FROM users WHERE users.name = ?"),
    ("order_limit_offset", select(users.c.id).order_by(users.c.name.desc(), users.c.id)
     .limit(10).offset(20),
     "SELECT users.id FROM users ORDER BY users.name DESC, users.id "
     "LIMIT :param_1 OFFSET :param_2",
     "SELECT users.id FROM users ORDER BY users.name DESC, users.id LIMIT ? OFFSET ?"),
    ("offset_only", select(users.c.id).offset(3),
     "SELECT users.id FROM users OFFSET :param_1",
     "SELECT users.id FROM users LIMIT -1 OFFSET ?"),
    ("order_by_reset", select(users.c.id).order_by(users.c.id).order_by(None),
     "SELECT users.id FROM users", "SELECT users.id FROM users"),
    ("nulls_last", select(users.c.id).order_by(users.c.name.asc().nulls_last()),
     "SELECT users.id FROM users ORDER BY users.name ASC NULLS LAST",
     "SELECT users.id FROM users ORDER BY users.name ASC NULLS LAST"),
    ("distinct", select(users.c.name).distinct(),
     "SELECT DISTINCT users.name FROM users", "SELECT DISTINCT users.name FROM users"),
    ("group_having_label", select(users.c.name, n_label).join(addresses)
     .group_by(users.c.name).having(func.count(addresses.c.id) > 1).order_by(n_label.desc()),
     "SELECT users.name, count(addresses.id) AS n FROM users JOIN addresses ON users.id = "
     "addresses.user_id GROUP BY users.name HAVING count(addresses.id) > :count_1 "
     "ORDER BY n DESC",
     "SELECT users.name, count(addresses.id) AS n FROM users JOIN addresses ON users.id = "
     "addresses.user_id GROUP BY users.name HAVING count(addresses.id) > ? ORDER BY n DESC"),
    ("order_by_label_name", select(users.c.name.label("nm")).order_by("nm").group_by("nm"),
     "SELECT users.name AS nm FROM users GROUP BY nm ORDER BY nm",
     "SELECT users.name AS nm FROM users GROUP BY nm ORDER BY nm"),
    ("count_star", select(func.count()).select_from(users),
     "SELECT count(*) AS count_1 FROM users", "SELECT count(*) AS count_1 FROM users"),
    ("anon_expression", select(users.c.id + 1, literal(5)),
     "SELECT users.id + :id_1 AS anon_1, :param_1 AS anon_2 FROM users",
     "SELECT users.id + ? AS anon_1, ? AS anon_2 FROM users"),
    ("duplicate_names", select(users.c.id, addresses.c.id),
     "SELECT users.id, addresses.id AS id_1 FROM users, addresses",
     "SELECT users.id, addresses.id AS id_1 FROM users, addresses"),
    ("quoting", select(weird),
     'SELECT app."order"."select", app."order"."Mixed" FROM app."order"',
     'SELECT app."order"."select", app."order"."Mixed" FROM app."order"'),
    ("join_fk", select(users.c.name, addresses.c.email).join(addresses),
     "SELECT users.name, addresses.email FROM users JOIN addresses ON users.id = "
     "addresses.user_id",
     "SELECT users.name, addresses.email FROM users JOIN addresses ON users.id = "
     "addresses.user_id"),
    ("join_onclause", select(users.c.id).join(posts, posts.c.editor_id == users.c.id),
     "SELECT users.id FROM users JOIN posts ON posts.editor_id = users.id",
     "SELECT users.id FROM users JOIN posts ON posts.editor_id = users.id"),
    ("outerjoin", select(users.c.id).outerjoin(addresses),
     "SELECT users.id FROM users LEFT OUTER JOIN addresses ON users.id = addresses.user_id",
     "SELECT users.id FROM users LEFT OUTER JOIN addresses ON users.id = addresses.user_id"),
    ("full_outer", select(users.c.id).join(addresses, full=True),
     "SELECT users.id FROM users FULL OUTER JOIN addresses ON users.id = addresses.user_id",
     "SELECT users.id FROM users FULL OUTER JOIN addresses ON users.id = addresses.user_id"),
    ("join_from", select(addresses.c.email).join_from(users, addresses)
     .where(users.c.name == "a"),
     "SELECT addresses.email FROM users JOIN addresses ON users.id = addresses.user_id "
     "WHERE users.name = :name_1",
     "SELECT addresses.email FROM users JOIN addresses ON users.id = addresses.user_id "
     "WHERE users.name = ?"),
    ("select_from_join", select(users.c.id).select_from(outerjoin(users, addresses)),
     "SELECT users.id FROM users LEFT OUTER JOIN addresses ON users.id = addresses.user_id",
     "SELECT users.id FROM users LEFT OUTER JOIN addresses ON users.id = addresses.user_id"),
    ("alias_self_join", select(users.c.name, u.c.name).join(u, users.c.id < u.c.id),
     "SELECT users.name, u.name AS name_1 FROM users JOIN users AS u ON users.id < u.id",
     "SELECT users.name, u.name AS name_1 FROM users JOIN users AS u ON users.id < u.id"),
    ("alias_fk_join", select(u.c.name).join(addresses),
     "SELECT u.name FROM users AS u JOIN addresses ON u.id = addresses.user_id",
     "SELECT u.name FROM users AS u JOIN addresses ON u.id = addresses.user_id"),
    ("subquery_join", select(users.c.name, counts.c.cnt).join(counts,
                                                              users.c.id == counts.c.user_id),
     "SELECT users.name, counts.cnt FROM users JOIN (SELECT addresses.user_id, count(*) AS cnt "
     "FROM addresses GROUP BY addresses.user_id) AS counts ON users.id = counts.user_id",
     "SELECT users.name, counts.cnt FROM users JOIN (SELECT addresses.user_id, count(*) AS cnt "
     "FROM addresses GROUP BY addresses.user_id) AS counts ON users.id = counts.user_id"),
    ("anon_subquery", select(select(users.c.id).subquery()),
     "SELECT anon_1.id FROM (SELECT users.id FROM users) AS anon_1",
     "SELECT anon_1.id FROM (SELECT users.id FROM users) AS anon_1"),
    ("scalar_subquery_correlated", select(
        users.c.name,
        select(func.count(addresses.c.id)).where(addresses.c.user_id == users.c.id)
        .scalar_subquery().label("c")),
     "SELECT users.name, (SELECT count(addresses.id) AS count_1 FROM addresses WHERE "
     "addresses.user_id = users.id) AS c FROM users",
     "SELECT users.name, (SELECT count(addresses.id) AS count_1 FROM addresses WHERE "
     "addresses.user_id = users.id) AS c FROM users"),
    ("scalar_subquery_single_from", select(users.c.id).where(
        users.c.id == select(func.max(users.c.id)).scalar_subquery()),
     "SELECT users.id FROM users WHERE users.id = (SELECT max(users.id) AS max_1 FROM users)",
     "SELECT users.id FROM users WHERE users.id = (SELECT max(users.id) AS max_1 FROM users)"),
    ("correlate_none", select(users.c.id).where(exists().where(
        addresses.c.user_id == users.c.id).correlate(None)),
     "SELECT users.id FROM users WHERE EXISTS (SELECT * FROM addresses, users WHERE "
     "addresses.user_id = users.id)",
     "SELECT users.id FROM users WHERE EXISTS (SELECT * FROM addresses, users WHERE "
     "addresses.user_id = users.id)"),
    ("correlate_explicit", select(users.c.id).where(users.c.id == select(users.c.id)
                                                    .correlate(users).scalar_subquery()),
     "SELECT users.id FROM users WHERE users.id = (SELECT users.id)",
     "SELECT users.id FROM users WHERE users.id = (SELECT users.id)"),
    ("correlate_except", select(users.c.id).where(exists().where(
        addresses.c.user_id == users.c.id).correlate_except(addresses)),
     "SELECT users.id FROM users WHERE EXISTS (SELECT * FROM addresses WHERE "
     "addresses.user_id = users.id)",
     "SELECT users.id FROM users WHERE EXISTS (SELECT * FROM addresses WHERE "
     "addresses.user_id = users.id)"),
    ("subquery_in_from_not_correlated", select(users.c.id, select(addresses.c.id).where(
        addresses.c.user_id == users.c.id).subquery("s").c.id),
     "SELECT users.id, s.id AS id_1 FROM users, (SELECT addresses.id FROM addresses, users "
     "WHERE addresses.user_id = users.id) AS s",
     "SELECT users.id, s.id AS id_1 FROM users, (SELECT addresses.id FROM addresses, users "
     "WHERE addresses.user_id = users.id) AS s"),
    ("union_with_text", union(select(users.c.id), text("SELECT 7").columns(column("x"))),
     "SELECT users.id FROM users UNION SELECT 7", "SELECT users.id FROM users UNION SELECT 7"),
    ("exists_where", select(users.c.name).where(exists().where(
        addresses.c.user_id == users.c.id)),
     "SELECT users.name FROM users WHERE EXISTS (SELECT * FROM addresses WHERE "
     "addresses.user_id = users.id)",
     "SELECT users.name FROM users WHERE EXISTS (SELECT * FROM addresses WHERE "
     "addresses.user_id = users.id)"),
    ("not_exists", select(users.c.name).where(~select(addresses.c.id).where(
        addresses.c.user_id == users.c.id).exists()),
     "SELECT users.name FROM users WHERE NOT EXISTS (SELECT addresses.id FROM addresses "
     "WHERE addresses.user_id = users.id)",
     "SELECT users.name FROM users WHERE NOT EXISTS (SELECT addresses.id FROM addresses "
     "WHERE addresses.user_id = users.id)"),
    ("select_exists", select(exists().where(users.c.name == "a")),
     "SELECT EXISTS (SELECT * FROM users WHERE users.name = :name_1) AS anon_1",
     "SELECT EXISTS (SELECT * FROM users WHERE users.name = ?) AS anon_1"),
    ("in_subquery", select(users.c.id).where(users.c.id.in_(select(addresses.c.user_id))),
     "SELECT users.id FROM users WHERE users.id IN (SELECT addresses.user_id FROM addresses)",
     "SELECT users.id FROM users WHERE users.id IN (SELECT addresses.user_id FROM addresses)"),
    ("union", union(select(users.c.id), select(addresses.c.user_id)).order_by("id"),
     "SELECT users.id FROM users UNION SELECT addresses.user_id FROM addresses ORDER BY id",
     "SELECT users.id FROM users UNION SELECT addresses.user_id FROM addresses ORDER BY id"),
    ("union_all_limit", union_all(select(users.c.id).where(users.c.id > 2),
                                  select(addresses.c.user_id)).limit(2),
     "SELECT users.id FROM users WHERE users.id > :id_1 UNION ALL SELECT addresses.user_id "
     "FROM addresses LIMIT :param_1",
     "SELECT users.id FROM users WHERE users.id > ? UNION ALL SELECT addresses.user_id "
     "FROM addresses LIMIT ?"),
    ("intersect_except", intersect(select(users.c.id), select(addresses.c.user_id))
     .except_(select(posts.c.author_id)),
     "(SELECT users.id FROM users INTERSECT SELECT addresses.user_id FROM addresses) EXCEPT "
     "SELECT posts.author_id FROM posts",
     "(SELECT users.id FROM users INTERSECT SELECT addresses.user_id FROM addresses) EXCEPT "
     "SELECT posts.author_id FROM posts"),
    ("except_method", except_(select(users.c.id), select(addresses.c.user_id)),
     "SELECT users.id FROM users EXCEPT SELECT addresses.user_id FROM addresses",
     "SELECT users.id FROM users EXCEPT SELECT addresses.user_id FROM addresses"),
    ("union_subquery", select(union(select(users.c.id), select(posts.c.id)).subquery("x")),
     "SELECT x.id FROM (SELECT users.id FROM users UNION SELECT posts.id FROM posts) AS x",
     "SELECT x.id FROM (SELECT users.id FROM users UNION SELECT posts.id FROM posts) AS x"),
    ("cte", select(addresses.c.email).where(addresses.c.user_id.in_(select(active.c.id))),
     "WITH active AS (SELECT users.id FROM users WHERE users.name != :name_1) SELECT "
     "addresses.email FROM addresses WHERE addresses.user_id IN (SELECT active.id FROM active)",
     "WITH active AS (SELECT users.id FROM users WHERE users.name != ?) SELECT "
     "addresses.email FROM addresses WHERE addresses.user_id IN (SELECT active.id FROM active)"),
    ("cte_of_cte", select(second.c.id).where(second.c.id != 7),
     "WITH first AS (SELECT users.id FROM users WHERE users.id > :id_1), second AS (SELECT "
     "first.id FROM first WHERE first.id < :id_2) SELECT second.id FROM second WHERE "
     "second.id != :id_3",
     "WITH first AS (SELECT users.id FROM users WHERE users.id > ?), second AS (SELECT "
     "first.id FROM first WHERE first.id < ?) SELECT second.id FROM second WHERE "
     "second.id != ?"),
    ("recursive_cte", select(tree.c.id),
     "WITH RECURSIVE tree(id) AS (SELECT nodes.id FROM nodes WHERE nodes.id = :id_1 UNION ALL "
     "SELECT nodes.id FROM nodes JOIN tree ON nodes.parent_id = tree.id) SELECT tree.id "
     "FROM tree",
     "WITH RECURSIVE tree(id) AS (SELECT nodes.id FROM nodes WHERE nodes.id = ? UNION ALL "
     "SELECT nodes.id FROM nodes JOIN tree ON nodes.parent_id = tree.id) SELECT tree.id "
     "FROM tree"),
    ("cte_alias", select(active.alias("a2").c.id),
     "WITH active AS (SELECT users.id FROM users WHERE users.name != :name_1) SELECT a2.id "
     "FROM active AS a2",
     "WITH active AS (SELECT users.id FROM users WHERE users.name != ?) SELECT a2.id "
     "FROM active AS a2"),
    ("textual_select", text("SELECT id, name FROM users").columns(users.c.id, users.c.name)
     .subquery("t").select(),
     "SELECT t.id, t.name FROM (SELECT id, name FROM users) AS t",
     "SELECT t.id, t.name FROM (SELECT id, name FROM users) AS t"),
    ("for_update_only_where_supported", select(users.c.id).with_for_update(),
     "SELECT users.id FROM users FOR UPDATE", "SELECT users.id FROM users"),
    ("window", select(users.c.id, func.row_number().over(order_by=users.c.name).label("rn")),
     "SELECT users.id, row_number() OVER (ORDER BY users.name) AS rn FROM users",
     "SELECT users.id, row_number() OVER (ORDER BY users.name) AS rn FROM users"),
    ("lightweight_table", select(nodes).where(nodes.c.parent_id.is_(None)),
     "SELECT nodes.id, nodes.parent_id FROM nodes WHERE nodes.parent_id IS NULL",
     "SELECT nodes.id, nodes.parent_id FROM nodes WHERE nodes.parent_id IS NULL"),
]

DEFAULT = DefaultDialect()
SQLITE = load("sqlite")()


@pytest.mark.parametrize(("stmt", "default_sql", "sqlite_sql"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_compile(stmt: Any, default_sql: str, sqlite_sql: str) -> None:
    assert stmt.compile(dialect=DEFAULT).string == default_sql
    assert stmt.compile(dialect=SQLITE).string == sqlite_sql


class _LockingFeatures(Features):
    supports_lateral = True
    supports_for_update = True
    supports_for_update_nowait = True
    supports_distinct_on = True


class _LocksWithoutNowaitFeatures(Features):
    supports_for_update = True


class LocksWithoutNowaitDialect(DefaultDialect):
    name = "locks_without_nowait"
    features_class: ClassVar[type[Features]] = _LocksWithoutNowaitFeatures


def test_nowait_where_unsupported_is_an_error_naming_the_flag() -> None:
    stmt = select(users.c.id).with_for_update(skip_locked=True)
    with pytest.raises(exc.CompileError, match="supports_for_update_nowait"):
        stmt.compile(dialect=LocksWithoutNowaitDialect())
    plain = select(users.c.id).with_for_update()
    assert plain.compile(dialect=LocksWithoutNowaitDialect()).string == (
        "SELECT users.id FROM users FOR UPDATE")


class LockingDialect(DefaultDialect):
    """A dialect with row locks, LATERAL and DISTINCT ON (as PostgreSQL has)."""

    name = "locking"
    features_class: ClassVar[type[Features]] = _LockingFeatures


LOCKING = LockingDialect()
lat = select(addresses.c.email).where(addresses.c.user_id == users.c.id).limit(1).lateral("l")

CAPABLE_CASES: list[tuple[str, Any, str]] = [
    ("for_update", select(users.c.id).with_for_update(),
     "SELECT users.id FROM users FOR UPDATE"),
    ("for_share_nowait_of", select(users.c.id).with_for_update(read=True, nowait=True,
                                                                of=users),
     "SELECT users.id FROM users FOR SHARE OF users NOWAIT"),
    ("skip_locked", select(users.c.id).with_for_update(skip_locked=True),
     "SELECT users.id FROM users FOR UPDATE SKIP LOCKED"),
    ("lateral", select(users.c.name, lat.c.email).select_from(users).join(lat, literal(True)),
     "SELECT users.name, l.email FROM users JOIN LATERAL (SELECT addresses.email FROM "
     "addresses WHERE addresses.user_id = users.id LIMIT :param_1) AS l ON :param_2"),
    ("lateral_function", select(lateral(select(users.c.id)).c.id),
     "SELECT anon_1.id FROM LATERAL (SELECT users.id FROM users) AS anon_1"),
    ("distinct_on", select(users.c.id, users.c.name).distinct(users.c.name),
     "SELECT DISTINCT ON (users.name) users.id, users.name FROM users"),
]


@pytest.mark.parametrize(("stmt", "expected"), [c[1:] for c in CAPABLE_CASES],
                         ids=[c[0] for c in CAPABLE_CASES])
def test_compile_where_supported(stmt: Any, expected: str) -> None:
    assert stmt.compile(dialect=LOCKING).string == expected


ERRORS: list[tuple[str, Any, type[Exception], str]] = [
    ("list_form", lambda: select([users.c.id]), exc.ArgumentError, "positional"),
    ("select_as_from", lambda: select(users.c.id).select_from(select(users.c.id)),
     exc.ArgumentError, "subquery()"),
    ("no_fk", lambda: users.join(table("other", column("x"))), exc.ArgumentError,
     "ON clause"),
    ("ambiguous_fk", lambda: users.join(posts), exc.ArgumentError, "more than one"),
    ("filter_by_unknown", lambda: select(users).filter_by(nmae="x"),
     exc.InvalidRequestError, "'nmae'"),
    ("bad_limit", lambda: select(users).limit("10"), exc.ArgumentError, "integer"),
    ("union_width", lambda: union(select(users.c.id), select(users)), exc.ArgumentError,
     "same number of columns"),
    ("unknown_column", lambda: users.c.nope, AttributeError, "columns are: id, name"),
    ("join_nothing", lambda: str(select(func.count()).join(addresses)),
     exc.InvalidRequestError, "select_from"),
    ("join_ambiguous_left", lambda: str(select(addresses.c.id, profiles.c.id).join(users)),
     exc.InvalidRequestError, "Several FROM objects"),
    ("label_reference", lambda: str(select(users.c.id).order_by("nope")),
     exc.CompileError, "nope"),
    ("no_columns", lambda: str(select()), exc.CompileError, "no columns"),
    ("lateral_unsupported", lambda: select(lat.c.email).compile(dialect=SQLITE),
     exc.CompileError, "supports_lateral"),
    ("distinct_on_unsupported", lambda: str(select(users.c.id).distinct(users.c.name)),
     exc.CompileError, "supports_distinct_on"),
    ("all_correlated", lambda: str(select(users.c.id, addresses.c.id).where(
        exists(select(users.c.id, addresses.c.id)))),
     exc.InvalidRequestError, "correlate"),
]


@pytest.mark.parametrize(("build", "error", "fragment"), [c[1:] for c in ERRORS],
                         ids=[c[0] for c in ERRORS])
def test_errors(build: Any, error: type[Exception], fragment: str) -> None:
    with pytest.raises(error) as info:
        build()
    assert fragment in str(info.value)


def test_cte_parameters_follow_sql_order_on_positional_dialect() -> None:
    stmt = select(second.c.id).where(second.c.id != 7)
    compiled: Any = stmt.compile(dialect=SQLITE)
    params = compiled.construct_params()
    assert [params[name] for name in compiled.positiontup] == [5, 9, 7]


def test_bound_values_and_limit_parameters() -> None:
    stmt = select(users.c.id).where(users.c.name == bindparam("nm")).limit(5).offset(2)
    compiled: Any = stmt.compile(dialect=SQLITE)
    assert compiled.construct_params({"nm": "a"}) == {"nm": "a", "param_1": 5, "param_2": 2}
    inline = stmt.params(nm="o'k").compile(dialect=DEFAULT,
                                           compile_kwargs={"literal_binds": True})
    assert inline.string == \
        "SELECT users.id FROM users WHERE users.name = 'o''k' LIMIT 5 OFFSET 2"


def test_same_shape_shares_cache_key_and_different_shape_does_not() -> None:
    def build(limit: int, name: str) -> Any:
        return select(users.c.id).where(users.c.name == name).order_by(users.c.id).limit(limit)

    a, b = build(1, "x")._generate_cache_key(), build(7, "y")._generate_cache_key()
    assert a is not None and b is not None
    assert a == b
    assert [p.value for p in b.bindparams] == ["y", 7]
    different = select(users.c.id).where(users.c.name == "x").limit(1)._generate_cache_key()
    assert different != a
    joined = select(users.c.id).join(addresses)._generate_cache_key()
    outer = select(users.c.id).outerjoin(addresses)._generate_cache_key()
    assert joined != outer


def test_anonymous_aliases_never_share_a_cache_key() -> None:
    first_alias, second_alias = users.alias(), users.alias()
    same = select(first_alias.c.id, first_alias.c.name)._generate_cache_key()
    mixed = select(first_alias.c.id, second_alias.c.name)._generate_cache_key()
    assert same != mixed


def test_result_columns_name_and_objects() -> None:
    stmt = select(users.c.id, addresses.c.id, n_label)
    compiled: Any = stmt.compile(dialect=SQLITE)
    assert [(c.key, c.name) for c in compiled.result_columns] == [
        ("id", "id"), ("id_1", "id_1"), ("n", "n")]
    assert compiled.result_columns[1].objects[0] is addresses.c.id
    assert compiled.result_columns[2].objects[0] is n_label


def test_column_collections_and_proxies() -> None:
    sub = select(users.c.id, users.c.name.label("who")).subquery("s")
    assert sub.c.keys() == ["id", "who"]
    assert "who" in sub.c and sub.c.id in sub.c and users.c.id not in sub.c
    assert sub.corresponding_column(users.c.id) is sub.c.id
    assert u.corresponding_column(users.c.name) is u.c.name
    assert list(u.primary_key) == [u.c.id]
    join_cols = users.join(addresses).c
    assert join_cols.keys() == ["users_id", "users_name", "addresses_id", "addresses_user_id",
                                "addresses_email"]
    assert join_cols.addresses_email is addresses.c.email
    selected = select(users.c.id, addresses.c.id).selected_columns
    assert selected.keys() == ["id", "id_1"]


def test_generative_methods_leave_the_original_unchanged() -> None:
    base = select(users.c.id)
    base.where(users.c.id == 1).order_by(users.c.id).limit(2)
    assert str(base) == "SELECT users.id FROM users"


def test_params_replaces_values_in_a_copy() -> None:
    stmt = select(users.c.id).where(users.c.name == bindparam("nm", "a"))
    changed: Any = stmt.params(nm="b").compile()
    original: Any = stmt.compile()
    assert changed.params == {"nm": "b"}
    assert original.params == {"nm": "a"}
