"""Suite: Core select() on real rows: filtering and operators, ordering and paging, joins,
aggregates, subqueries, set operations, CTEs and window functions."""

from __future__ import annotations

from typing import Any

import pytest

from sqlwright import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    except_,
    exists,
    func,
    insert,
    intersect,
    literal,
    or_,
    select,
    union,
    union_all,
)

_USERS = [(1, "ada", 36), (2, "bob", 25), (3, "cy", None), (4, "dee", 25)]
_POSTS = [(1, 1, "hello"), (2, 1, "again"), (3, 2, "first"), (4, 4, "note")]


@pytest.fixture
def blog(engine: Any, metadata: MetaData) -> tuple[Table, Table]:
    """users(id, name, age) with four rows and posts(id, user_id, title) with four."""
    users = Table("sw_users", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("name", String(50), nullable=False),
                  Column("age", Integer))
    posts = Table("sw_posts", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("user_id", Integer, ForeignKey("sw_users.id"), nullable=False),
                  Column("title", String(50)))
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(users), [dict(zip(("id", "name", "age"), r)) for r in _USERS])
        conn.execute(insert(posts), [dict(zip(("id", "user_id", "title"), r)) for r in _POSTS])
    return users, posts


def _names(conn: Any, stmt: Any) -> list[str]:
    return list(conn.execute(stmt).scalars())


# -- filtering and operators ---------------------------------------------------------------------
def test_where_and_or(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    stmt = select(users.c.name).where(or_(users.c.age > 30, and_(users.c.age == 25,
                                                                  users.c.name != "bob")))
    assert _names(connection, stmt.order_by(users.c.id)) == ["ada", "dee"]


def test_null_comparisons(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    assert _names(connection, select(users.c.name).where(users.c.age.is_(None))) == ["cy"]
    assert _names(connection, select(users.c.name).where(users.c.age == None)) == [  # noqa: E711
        "cy"]
    assert len(_names(connection, select(users.c.name).where(users.c.age.is_not(None)))) == 3


def test_in_between_like(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    ordered = select(users.c.name).order_by(users.c.id)
    assert _names(connection, ordered.where(users.c.id.in_([1, 3]))) == ["ada", "cy"]
    assert _names(connection, ordered.where(users.c.id.not_in([1, 3]))) == ["bob", "dee"]
    assert _names(connection, ordered.where(users.c.id.in_([]))) == []
    assert _names(connection, ordered.where(users.c.age.between(20, 30))) == ["bob", "dee"]
    assert _names(connection, ordered.where(users.c.name.like("%d%"))) == ["ada", "dee"]
    assert _names(connection, ordered.where(users.c.name.startswith("b"))) == ["bob"]
    assert _names(connection, ordered.where(users.c.name.contains("e"))) == ["dee"]


def test_case_cast_and_literal(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    bracket = case((users.c.age >= 30, "senior"), (users.c.age < 30, "junior"), else_="unknown")
    stmt = select(users.c.name, bracket.label("bracket"), cast(users.c.id, String(10)),
                  literal("x").label("x")).order_by(users.c.id)
    rows = [tuple(row) for row in connection.execute(stmt)]
    assert rows == [("ada", "senior", "1", "x"), ("bob", "junior", "2", "x"),
                    ("cy", "unknown", "3", "x"), ("dee", "junior", "4", "x")]


# -- ordering and paging -------------------------------------------------------------------------
def test_order_by_limit_offset(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    stmt = select(users.c.name).order_by(users.c.name.desc()).limit(2).offset(1)
    assert _names(connection, stmt) == ["cy", "bob"]
    assert _names(connection, select(users.c.name).order_by(users.c.id).limit(1)) == ["ada"]


def test_distinct(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    stmt = select(users.c.age).where(users.c.age.is_not(None)).distinct().order_by(users.c.age)
    assert list(connection.execute(stmt).scalars()) == [25, 36]


# -- joins ---------------------------------------------------------------------------------------
def test_inner_join_inferred_from_foreign_key(connection: Any, blog: tuple[Table, Table]) -> None:
    users, posts = blog
    stmt = (select(users.c.name, posts.c.title).join_from(users, posts)
            .order_by(posts.c.id))
    assert [tuple(row) for row in connection.execute(stmt)] == [
        ("ada", "hello"), ("ada", "again"), ("bob", "first"), ("dee", "note")]


def test_outer_join(connection: Any, blog: tuple[Table, Table]) -> None:
    users, posts = blog
    stmt = (select(users.c.name, func.count(posts.c.id).label("n"))
            .select_from(users.outerjoin(posts)).group_by(users.c.id, users.c.name)
            .order_by(users.c.id))
    assert [tuple(row) for row in connection.execute(stmt)] == [
        ("ada", 2), ("bob", 1), ("cy", 0), ("dee", 1)]


def test_self_join_through_alias(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    other = users.alias("other")
    stmt = (select(users.c.name, other.c.name)
            .join(other, and_(users.c.age == other.c.age, users.c.id < other.c.id)))
    assert [tuple(row) for row in connection.execute(stmt)] == [("bob", "dee")]


# -- aggregates ----------------------------------------------------------------------------------
def test_aggregates(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    row = connection.execute(select(func.count(), func.count(users.c.age), func.min(users.c.age),
                                    func.max(users.c.age))).one()
    assert tuple(row) == (4, 3, 25, 36)
    assert connection.execute(select(func.sum(users.c.age))).scalar() == 86


def test_group_by_having(connection: Any, blog: tuple[Table, Table]) -> None:
    _, posts = blog
    stmt = (select(posts.c.user_id, func.count().label("n")).group_by(posts.c.user_id)
            .having(func.count() > 1))
    assert [tuple(row) for row in connection.execute(stmt)] == [(1, 2)]


# -- subqueries ----------------------------------------------------------------------------------
def test_scalar_subquery(connection: Any, blog: tuple[Table, Table]) -> None:
    users, posts = blog
    post_count = (select(func.count(posts.c.id)).where(posts.c.user_id == users.c.id)
                  .scalar_subquery())
    stmt = select(users.c.name, post_count.label("posts")).order_by(users.c.id)
    assert [tuple(row) for row in connection.execute(stmt)] == [
        ("ada", 2), ("bob", 1), ("cy", 0), ("dee", 1)]


def test_exists_and_in_subquery(connection: Any, blog: tuple[Table, Table]) -> None:
    users, posts = blog
    has_posts = exists().where(posts.c.user_id == users.c.id)
    ordered = select(users.c.name).order_by(users.c.id)
    assert _names(connection, ordered.where(~has_posts)) == ["cy"]
    authors = select(posts.c.user_id)
    assert _names(connection, ordered.where(users.c.id.in_(authors))) == ["ada", "bob", "dee"]


def test_subquery_in_from(connection: Any, blog: tuple[Table, Table]) -> None:
    _, posts = blog
    counts = (select(posts.c.user_id, func.count().label("n")).group_by(posts.c.user_id)
              .subquery())
    stmt = select(func.max(counts.c.n))
    assert connection.execute(stmt).scalar() == 2


# -- set operations ------------------------------------------------------------------------------
def test_union_and_union_all(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    young = select(users.c.name).where(users.c.age < 30)
    named_d = select(users.c.name).where(users.c.name.like("d%"))
    assert sorted(connection.execute(union(young, named_d)).scalars()) == ["bob", "dee"]
    assert sorted(connection.execute(union_all(young, named_d)).scalars()) == [
        "bob", "dee", "dee"]


@pytest.mark.requires("supports_intersect", "supports_except")
def test_intersect_and_except(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    young = select(users.c.name).where(users.c.age < 30)
    named_d = select(users.c.name).where(users.c.name.like("d%"))
    assert list(connection.execute(intersect(young, named_d)).scalars()) == ["dee"]
    assert list(connection.execute(except_(young, named_d)).scalars()) == ["bob"]


# -- CTEs and windows ----------------------------------------------------------------------------
@pytest.mark.requires("supports_cte")
def test_cte(connection: Any, blog: tuple[Table, Table]) -> None:
    users, posts = blog
    prolific = (select(posts.c.user_id).group_by(posts.c.user_id)
                .having(func.count() > 1).cte("prolific"))
    stmt = select(users.c.name).join(prolific, users.c.id == prolific.c.user_id)
    assert _names(connection, stmt) == ["ada"]


@pytest.mark.requires("supports_recursive_cte")
def test_recursive_cte(connection: Any, blog: tuple[Table, Table]) -> None:
    users, _ = blog
    start = select(users.c.id.label("n")).where(users.c.id == 1).cte("counter", recursive=True)
    step = select((start.c.n + 1).label("n")).where(start.c.n < 5)
    counter = start.union_all(step)
    assert list(connection.execute(select(counter.c.n).order_by(counter.c.n)).scalars()) == [
        1, 2, 3, 4, 5]


@pytest.mark.requires("supports_window_functions")
def test_window_function(connection: Any, blog: tuple[Table, Table]) -> None:
    _, posts = blog
    numbered = func.row_number().over(partition_by=posts.c.user_id, order_by=posts.c.id)
    stmt = select(posts.c.id, numbered.label("n")).order_by(posts.c.id)
    assert [tuple(row) for row in connection.execute(stmt)] == [(1, 1), (2, 2), (3, 1), (4, 1)]
