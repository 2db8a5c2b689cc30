"""SELECT constructs run on a real database and return the expected rows."""

from __future__ import annotations

from typing import Any

import pytest

from sqlwright import (
    bindparam,
    except_,
    exists,
    func,
    insert,
    intersect,
    literal,
    select,
    text,
    union,
    union_all,
)
from sqlwright.schema import Column, ForeignKey, MetaData, Table
from sqlwright.types import Integer, String


@pytest.fixture
def db(engine: Any, metadata: MetaData) -> Any:
    """users(3) / addresses(3) / nodes(tree of 4) loaded; returns a namespace of tables."""
    users = Table("users", metadata, Column("id", Integer, primary_key=True),
                  Column("name", String(30)))
    addresses = Table("addresses", metadata, Column("id", Integer, primary_key=True),
                      Column("user_id", Integer, ForeignKey("users.id")),
                      Column("email", String(50)))
    nodes = Table("nodes", metadata, Column("id", Integer, primary_key=True),
                  Column("parent_id", Integer, ForeignKey("nodes.id")))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(users), [{"id": 1, "name": "alice"}, {"id": 2, "name": "bob"},
                                     {"id": 3, "name": "carol"}])
        conn.execute(insert(addresses), [
            {"id": 1, "user_id": 1, "email": "a1@x.org"},
            {"id": 2, "user_id": 1, "email": "a2@x.org"},
            {"id": 3, "user_id": 2, "email": "b@x.org"}])
        conn.execute(insert(nodes), [{"id": 1, "parent_id": None}, {"id": 2, "parent_id": 1},
                                     {"id": 3, "parent_id": 2}, {"id": 4, "parent_id": None}])

    class Tables:
        pass

    ns = Tables()
    ns.users, ns.addresses, ns.nodes = users, addresses, nodes  # type: ignore[attr-defined]
    return ns


def rows(connection: Any, stmt: Any, params: Any = None) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in connection.execute(stmt, params).all()]


def test_where_order_limit_offset(db: Any, connection: Any) -> None:
    u = db.users
    stmt = select(u.c.name).where(u.c.id > 0).order_by(u.c.id.desc()).limit(2).offset(1)
    assert rows(connection, stmt) == [("bob",), ("alice",)]
    assert rows(connection, select(u.c.name).order_by(u.c.id).offset(2)) == [("carol",)]
    assert rows(connection, select(u.c.id).order_by(u.c.id).slice(1, 2)) == [(2,)]


def test_limit_values_are_parameters_of_one_compiled_form(db: Any, engine: Any) -> None:
    u = db.users
    cache = engine.compiled_cache
    with engine.connect() as conn:
        assert rows(conn, select(u.c.id).order_by(u.c.id).limit(1)) == [(1,)]
        before = cache.stats()
        assert rows(conn, select(u.c.id).order_by(u.c.id).limit(2)) == [(1,), (2,)]
        after = cache.stats()
    assert after["hits"] == before["hits"] + 1
    assert after["misses"] == before["misses"]


def test_distinct_and_filter_by(db: Any, connection: Any) -> None:
    a = db.addresses
    assert rows(connection, select(a.c.user_id).distinct().order_by(a.c.user_id)) == [(1,), (2,)]
    assert rows(connection, select(db.users.c.id).filter_by(name="bob")) == [(2,)]


def test_join_inferred_and_outer(db: Any, connection: Any) -> None:
    u, a = db.users, db.addresses
    inner = select(u.c.name, a.c.email).join(a).order_by(a.c.id)
    assert rows(connection, inner) == [("alice", "a1@x.org"), ("alice", "a2@x.org"),
                                       ("bob", "b@x.org")]
    outer = select(u.c.name, a.c.email).outerjoin(a).where(a.c.id.is_(None))
    assert rows(connection, outer) == [("carol", None)]


def test_full_outer_join_when_supported(db: Any, connection: Any) -> None:
    if not connection.dialect.features.supports_full_outer_join:
        pytest.skip("FULL OUTER JOIN not supported (Features.supports_full_outer_join)")
    u, a = db.users, db.addresses
    stmt = select(u.c.id, a.c.id).join(a, u.c.id == a.c.user_id, full=True).order_by(
        u.c.id, a.c.id)
    assert rows(connection, stmt) == [(1, 1), (1, 2), (2, 3), (3, None)]


def test_group_by_having_and_label_ordering(db: Any, connection: Any) -> None:
    u, a = db.users, db.addresses
    n = func.count(a.c.id).label("n")
    stmt = select(u.c.name, n).outerjoin(a).group_by(u.c.name).order_by(n.desc(), "name")
    assert rows(connection, stmt) == [("alice", 2), ("bob", 1), ("carol", 0)]
    having = select(u.c.name).join(a).group_by(u.c.name).having(func.count(a.c.id) > 1)
    assert rows(connection, having) == [("alice",)]


def test_duplicate_column_names_are_told_apart(db: Any, connection: Any) -> None:
    u, a = db.users, db.addresses
    result = connection.execute(select(u.c.id, a.c.id).join(a).order_by(a.c.id))
    assert list(result.keys()) == ["id", "id_1"]
    row = result.first()
    assert row._mapping[u.c.id] == 1 and row._mapping[a.c.id] == 1 and row.id_1 == 1


def test_self_join_with_alias(db: Any, connection: Any) -> None:
    u = db.users
    other = u.alias("other")
    stmt = select(u.c.name, other.c.name).join(other, u.c.id < other.c.id).order_by(
        u.c.id, other.c.id)
    result = connection.execute(stmt)
    assert [tuple(r) for r in result] == [("alice", "bob"), ("alice", "carol"),
                                          ("bob", "carol")]


def test_subquery_joined_and_selected_from(db: Any, connection: Any) -> None:
    u, a = db.users, db.addresses
    counts = select(a.c.user_id, func.count().label("cnt")).group_by(a.c.user_id).subquery()
    stmt = select(u.c.name, counts.c.cnt).join(counts, u.c.id == counts.c.user_id).order_by(
        u.c.id)
    result = connection.execute(stmt)
    assert [tuple(r) for r in result] == [("alice", 2), ("bob", 1)]
    top = select(counts.c.user_id).where(counts.c.cnt == select(func.max(counts.c.cnt))
                                         .scalar_subquery())
    assert rows(connection, top) == [(1,)]


def test_correlated_scalar_subquery_and_exists(db: Any, connection: Any) -> None:
    u, a = db.users, db.addresses
    count = select(func.count(a.c.id)).where(a.c.user_id == u.c.id).scalar_subquery()
    assert rows(connection, select(u.c.name, count.label("c")).order_by(u.c.id)) == [
        ("alice", 2), ("bob", 1), ("carol", 0)]
    has = exists().where(a.c.user_id == u.c.id)
    assert rows(connection, select(u.c.name).where(has).order_by(u.c.id)) == [
        ("alice",), ("bob",)]
    assert rows(connection, select(u.c.name).where(~has)) == [("carol",)]
    assert connection.scalar(select(exists().where(u.c.name == "alice"))) in (True, 1)
    assert connection.scalar(select(exists().where(u.c.name == "zed"))) in (False, 0)


def test_in_subquery(db: Any, connection: Any) -> None:
    u, a = db.users, db.addresses
    stmt = select(u.c.name).where(u.c.id.in_(select(a.c.user_id))).order_by(u.c.id)
    assert rows(connection, stmt) == [("alice",), ("bob",)]


def test_set_operations(db: Any, connection: Any) -> None:
    u, a = db.users, db.addresses
    assert rows(connection, union(select(u.c.id), select(a.c.user_id)).order_by("id")) == [
        (1,), (2,), (3,)]
    assert rows(connection, union_all(select(u.c.id), select(a.c.user_id)).order_by("id")) == [
        (1,), (1,), (1,), (2,), (2,), (3,)]
    assert rows(connection, intersect(select(u.c.id), select(a.c.user_id)).order_by("id")) == [
        (1,), (2,)]
    assert rows(connection, except_(select(u.c.id), select(a.c.user_id))) == [(3,)]
    sub = union(select(u.c.id).where(u.c.id == 1), select(u.c.id).where(u.c.id == 3)).subquery()
    assert rows(connection, select(func.sum(sub.c.id))) == [(4,)]


def test_cte_and_cte_of_cte(db: Any, connection: Any) -> None:
    u, a = db.users, db.addresses
    wanted = select(u.c.id).where(u.c.name != "bob").cte("wanted")
    stmt = select(a.c.email).where(a.c.user_id.in_(select(wanted.c.id))).order_by(a.c.id)
    assert rows(connection, stmt) == [("a1@x.org",), ("a2@x.org",)]
    big = select(u.c.id).where(u.c.id > 1).cte("big")
    bigger = select(big.c.id).where(big.c.id < 3).cte("bigger")
    assert rows(connection, select(bigger.c.id).where(bigger.c.id != 7)) == [(2,)]


def test_recursive_cte_walks_a_tree(db: Any, connection: Any) -> None:
    n = db.nodes
    ancestors = select(n.c.id, n.c.parent_id).where(n.c.id == 3).cte("anc", recursive=True)
    ancestors = ancestors.union_all(
        select(n.c.id, n.c.parent_id).join(ancestors, n.c.id == ancestors.c.parent_id))
    assert rows(connection, select(ancestors.c.id).order_by(ancestors.c.id)) == [
        (1,), (2,), (3,)]


def test_bound_parameters_and_textual_select(db: Any, connection: Any) -> None:
    u = db.users
    stmt = select(u.c.name).where(u.c.id == bindparam("wanted"))
    assert rows(connection, stmt, {"wanted": 3}) == [("carol",)]
    textual = text("SELECT id, name FROM users WHERE id < :top").columns(u.c.id, u.c.name)
    result = connection.execute(textual, {"top": 3})
    assert [r._mapping[u.c.name] for r in result] == ["alice", "bob"]
    sub = textual.subquery("t")
    assert rows(connection, select(sub.c.name).where(sub.c.id == 2), {"top": 3}) == [("bob",)]


def test_window_function_and_literal_column(db: Any, connection: Any) -> None:
    u = db.users
    if not connection.dialect.features.supports_window_functions:
        pytest.skip("window functions not supported")
    rn = func.row_number().over(order_by=u.c.name.desc()).label("rn")
    stmt = select(u.c.name, rn, literal(7).label("seven")).order_by(u.c.id)
    assert rows(connection, stmt) == [("alice", 3, 7), ("bob", 2, 7), ("carol", 1, 7)]


def test_with_for_update_runs(db: Any, connection: Any) -> None:
    u = db.users
    assert rows(connection, select(u.c.id).where(u.c.id == 1).with_for_update()) == [(1,)]


def test_select_whole_table_keys(db: Any, connection: Any) -> None:
    result = connection.execute(select(db.users).order_by(db.users.c.id))
    assert list(result.keys()) == ["id", "name"]
    assert result.first().name == "alice"


def test_labelled_column_found_by_label_and_by_column(db: Any, connection: Any) -> None:
    u = db.users
    who = u.c.name.label("who")
    row = connection.execute(select(u.c.id, who).where(u.c.id == 2)).one()
    assert row.who == row._mapping[who] == row._mapping[u.c.name] == "bob"
