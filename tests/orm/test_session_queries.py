"""ORM statements in a Session: select() of entities and columns, from_statement(), autoflush,
populate_existing, streaming, and ORM-enabled insert / update / delete."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import (
    ForeignKey,
    String,
    delete,
    event,
    exc,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "q_users"
        id: Mapped[int] = mapped_column(primary_key=True)
        username: Mapped[str] = mapped_column(String(50))
        is_active: Mapped[bool] = mapped_column(default=True)
        logins: Mapped[int] = mapped_column(default=0)

    class Post(Base):
        __tablename__ = "q_posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        user_id: Mapped[int] = mapped_column(ForeignKey("q_users.id"))
        title: Mapped[str] = mapped_column(String(100))

    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([
            User(id=1, username="alice"), User(id=2, username="bob"),
            User(id=3, username="carol", is_active=False),
        ])
        session.flush()
        session.add_all([Post(id=1, user_id=1, title="a1"), Post(id=2, user_id=1, title="a2"),
                         Post(id=3, user_id=2, title="b1")])
        session.commit()
    yield SimpleNamespace(Base=Base, User=User, Post=Post, engine=engine)
    Base.metadata.drop_all(engine)


def test_select_entity_scalars(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        users = session.scalars(select(m.User).order_by(m.User.id)).all()
        assert [u.username for u in users] == ["alice", "bob", "carol"]
        assert all(isinstance(u, m.User) for u in users)
        again = session.scalars(select(m.User).where(m.User.id == 1)).one()
        assert again is users[0]
        assert session.scalar(select(m.User).where(m.User.username == "bob")) is users[1]
        assert session.scalars(select(m.User).where(m.User.id > 5)).one_or_none() is None
        assert session.scalars(select(m.User).order_by(m.User.id.desc())).first() is users[2]
        with pytest.raises(exc.MultipleResultsFound):
            session.scalars(select(m.User)).one()


def test_select_where_order_limit(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        stmt = (select(m.User).where(m.User.is_active == True)  # noqa: E712
                .where(or_(m.User.username.like("a%"), m.User.username == "bob"))
                .order_by(m.User.username.desc()).limit(1).offset(1))
        assert [u.username for u in session.scalars(stmt)] == ["alice"]


def test_select_columns_gives_rows(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        rows = session.execute(select(m.User.username, m.User.id).order_by(m.User.id)).all()
        assert [(r.username, r.id) for r in rows] == [("alice", 1), ("bob", 2), ("carol", 3)]
        for username, user_id in rows[:1]:
            assert (username, user_id) == ("alice", 1)


def test_select_two_entities_and_mixed(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        stmt = (select(m.User, m.Post).join(m.Post, m.User.id == m.Post.user_id)
                .order_by(m.Post.id))
        pairs = session.execute(stmt).all()
        assert [(u.username, p.title) for u, p in pairs] == \
            [("alice", "a1"), ("alice", "a2"), ("bob", "b1")]
        assert pairs[0][0] is pairs[1][0]
        row = pairs[0]
        assert row.User is row[0] and row.Post is row[1]
        counted = session.execute(
            select(m.User, func.count(m.Post.id).label("posts"))
            .outerjoin(m.Post, m.User.id == m.Post.user_id)
            .group_by(m.User.id).order_by(m.User.id)).all()
        assert [(u.username, n) for u, n in counted] == [("alice", 2), ("bob", 1), ("carol", 0)]


def test_aggregates_and_exists(m: SimpleNamespace) -> None:
    from sqlwright import exists

    with Session(m.engine) as session:
        assert session.scalar(select(func.count()).select_from(m.User)) == 3
        assert session.scalar(select(exists().where(m.User.username == "alice"))) in (True, 1)


def test_autoflush_before_query(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        session.add(m.User(id=10, username="pending"))
        found = session.scalars(select(m.User).where(m.User.username == "pending")).one()
        assert found.id == 10
    with Session(m.engine, autoflush=False) as session:
        session.add(m.User(id=11, username="not flushed"))
        assert session.scalars(select(m.User).where(m.User.id == 11)).all() == []
        with session.no_autoflush:
            assert session.scalar(select(func.count()).select_from(m.User)) == 3


def test_unflushed_changes_win_unless_populate_existing(m: SimpleNamespace) -> None:
    with Session(m.engine, autoflush=False) as session:
        user = session.get(m.User, 1)
        assert user is not None
        user.username = "local"
        reloaded = session.scalars(select(m.User).where(m.User.id == 1)).one()
        assert reloaded is user and user.username == "local"
        session.scalars(select(m.User).where(m.User.id == 1)
                        .execution_options(populate_existing=True)).one()
        assert user.username == "alice"
        user.username = "local again"
        session.get(m.User, 1, populate_existing=True)
        assert user.username == "alice"


def test_from_statement_text(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        stmt = text("SELECT * FROM q_users WHERE username LIKE :pattern ORDER BY id")
        users = session.scalars(select(m.User).from_statement(stmt), {"pattern": "%o%"}).all()
        assert [u.username for u in users] == ["bob", "carol"]
        assert session.get(m.User, 2) is users[0]


def test_raw_text_and_params(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        result = session.execute(text("SELECT username FROM q_users WHERE id = :id"), {"id": 2})
        assert result.scalar() == "bob"
        session.execute(text("INSERT INTO q_users (id, username, is_active, logins) "
                             "VALUES (:id, :u, :a, 0)"),
                        [{"id": 20, "u": "t1", "a": True}, {"id": 21, "u": "t2", "a": True}])
        session.commit()
        assert session.scalar(select(func.count()).select_from(m.User)) == 5


def test_yield_per_streams_and_partitions(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        session.add_all([m.User(id=100 + i, username=f"s{i}") for i in range(50)])
        session.commit()
        fetches: list[int] = []

        @event.listens_for(engine, "before_cursor_execute")
        def count(*args: Any) -> None:
            fetches.append(1)

        result = session.scalars(select(m.User).order_by(m.User.id)).yield_per(10)
        first = next(iter(result))
        assert first.id == 1
        assert len(session.identity_map) < 53   # not everything loaded yet
        total = 1 + sum(1 for _ in result)
        assert total == 53
        event.remove(engine, "before_cursor_execute", count)
        sizes = [len(p) for p in session.execute(select(m.User)).partitions(20)]
        assert sizes == [20, 20, 13]
        gc.collect()


def test_orm_update_synchronize_evaluate(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        users = session.scalars(select(m.User).order_by(m.User.id)).all()
        result = session.execute(update(m.User).where(m.User.is_active == False)  # noqa: E712
                                 .values(is_active=True))
        assert result.rowcount == 1
        assert users[2].is_active is True
        session.execute(update(m.User).where(m.User.id == 1)
                        .values(logins=m.User.logins + 1),
                        execution_options={"synchronize_session": "evaluate"})
        assert users[0].logins == 1
        session.commit()
        assert session.scalars(select(m.User.is_active)).all() == [True, True, True]


def test_orm_update_synchronize_fetch_and_false(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        users = session.scalars(select(m.User).order_by(m.User.id)).all()
        session.execute(update(m.User).where(m.User.username.like("a%"))
                        .values(username="ALICE"),
                        execution_options={"synchronize_session": "fetch"})
        assert users[0].username == "ALICE"
        session.execute(update(m.User).where(m.User.id == 2).values(username="BOB"),
                        execution_options={"synchronize_session": False})
        assert users[1].username == "bob"   # left alone, as asked
        session.refresh(users[1])
        assert users[1].username == "BOB"
        with pytest.raises(exc.ArgumentError, match="synchronize_session"):
            session.execute(update(m.User).values(logins=0),
                            execution_options={"synchronize_session": "nope"})


def test_orm_delete_synchronizes(m: SimpleNamespace) -> None:
    from sqlwright import inspect

    with Session(m.engine) as session:
        users = session.scalars(select(m.User).order_by(m.User.id)).all()
        session.execute(delete(m.Post))
        result = session.execute(delete(m.User).where(m.User.is_active == False))  # noqa: E712
        assert result.rowcount == 1
        assert inspect(users[2]).deleted
        assert session.get(m.User, 3) is None
        session.commit()
        assert inspect(users[2]).detached
        assert session.scalar(select(func.count()).select_from(m.User)) == 2


def test_orm_insert_with_list_of_dicts(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        session.execute(insert(m.User), [{"id": 30, "username": "i1"},
                                         {"id": 31, "username": "i2"}])
        session.commit()
        names = session.scalars(select(m.User.username).where(m.User.id >= 30)
                                .order_by(m.User.id)).all()
        assert names == ["i1", "i2"]
