"""Relationship comparisons in queries (==, !=, any, has, contains, with_parent), the default
lazy loader's exact statement counts, and association_proxy."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any, Optional

import pytest

from sqlwright import Column, ForeignKey, String, Table, exc, select
from sqlwright.ext.associationproxy import association_proxy
from sqlwright.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    with_parent,
)
from sqlwright.testing.assertions import assert_sql_count


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    members = Table("rq_members", Base.metadata,
                    Column("user_id", ForeignKey("rq_users.id"), primary_key=True),
                    Column("group_id", ForeignKey("rq_groups.id"), primary_key=True))

    class User(Base):
        __tablename__ = "rq_users"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        posts: Mapped[list[Post]] = relationship(back_populates="author",
                                                   order_by="Post.id")
        groups: Mapped[list[Group]] = relationship(secondary=members,
                                                     back_populates="users")
        group_names = association_proxy("groups", "name")

    class Post(Base):
        __tablename__ = "rq_posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str] = mapped_column(String(50))
        user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("rq_users.id"))
        author: Mapped[Optional[User]] = relationship(back_populates="posts")

    class Group(Base):
        __tablename__ = "rq_groups"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        users: Mapped[list[User]] = relationship(secondary=members, back_populates="groups")

    class Node(Base):
        __tablename__ = "rq_nodes"
        id: Mapped[int] = mapped_column(primary_key=True)
        parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("rq_nodes.id"))
        name: Mapped[str] = mapped_column(String(20))
        children: Mapped[list[Node]] = relationship(back_populates="parent")
        parent: Mapped[Optional[Node]] = relationship(back_populates="children",
                                                        remote_side=[id])  # noqa: A003

    Base.metadata.create_all(engine)
    with Session(engine) as session:
        admins, staff = Group(name="admins"), Group(name="staff")
        session.add_all([
            User(name="ann", posts=[Post(title="a1"), Post(title="a2")],
                 groups=[admins, staff]),
            User(name="bob", posts=[Post(title="b1")], groups=[staff]),
            User(name="cat"),
            Post(title="orphan"),
            Node(name="root", children=[Node(name="kid", children=[Node(name="grandkid")])]),
        ])
        session.commit()
    yield SimpleNamespace(User=User, Post=Post, Group=Group, Node=Node)
    Base.metadata.drop_all(engine)


def _names(session: Session, stmt: Any) -> list[str]:
    return list(session.scalars(stmt).all())


def _user(session: Session, m: SimpleNamespace, name: str) -> Any:
    return session.scalars(select(m.User).where(m.User.name == name)).one()


def test_many_to_one_equality(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = _user(session, m, "ann")
        assert _names(session, select(m.Post.title).where(m.Post.author == ann)
                      .order_by(m.Post.title)) == ["a1", "a2"]
        assert _names(session, select(m.Post.title).where(m.Post.author != ann)
                      .order_by(m.Post.title)) == ["b1", "orphan"]
        assert _names(session, select(m.Post.title).where(m.Post.author == None)  # noqa: E711
                      ) == ["orphan"]
        assert _names(session, select(m.Post.title).where(m.Post.author.is_not(None))
                      .order_by(m.Post.title)) == ["a1", "a2", "b1"]


def test_any_and_has(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        U, P = m.User, m.Post
        assert _names(session, select(U.name).where(U.posts.any()).order_by(U.name)) == [
            "ann", "bob"]
        assert _names(session, select(U.name).where(U.posts.any(P.title == "b1"))) == ["bob"]
        assert _names(session, select(U.name).where(~U.posts.any()).order_by(U.name)) == [
            "cat"]
        assert _names(session, select(P.title).where(P.author.has(name="bob"))) == ["b1"]
        assert _names(session, select(U.name).where(U.groups.any(m.Group.name == "admins"))
                      ) == ["ann"]
        with pytest.raises(exc.InvalidRequestError, match="use .has"):
            P.author.any()


def test_contains_and_collection_comparison_errors(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        b1 = session.scalars(select(m.Post).where(m.Post.title == "b1")).one()
        assert _names(session, select(m.User.name).where(m.User.posts.contains(b1))) == ["bob"]
        staff = session.scalars(select(m.Group).where(m.Group.name == "staff")).one()
        assert _names(session, select(m.User.name).where(m.User.groups.contains(staff))
                      .order_by(m.User.name)) == ["ann", "bob"]
        with pytest.raises(exc.ArgumentError, match="contains"):
            m.User.posts == b1  # noqa: B015


def test_self_referential_any(m: SimpleNamespace, engine: Any) -> None:
    N = m.Node
    with Session(engine) as session:
        assert _names(session, select(N.name).where(N.children.any(N.name == "kid"))) == [
            "root"]
        assert _names(session, select(N.name).where(N.parent.has(N.name == "root"))) == [
            "kid"]


def test_with_parent(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = _user(session, m, "ann")
        stmt = select(m.Post.title).where(with_parent(ann, m.User.posts)).order_by(m.Post.id)
        assert _names(session, stmt) == ["a1", "a2"]
        groups = select(m.Group.name).where(with_parent(ann, m.User.groups)).order_by(
            m.Group.name)
        assert _names(session, groups) == ["admins", "staff"]


# -- the lazy loader: exact statement counts ------------------------------------------------------
def test_lazy_loading_costs_one_statement_per_parent(m: SimpleNamespace,
                                                      engine: Any) -> None:
    with Session(engine) as session:
        users = session.scalars(select(m.User).order_by(m.User.id)).all()
        with assert_sql_count(engine, 3):
            counts = [len(u.posts) for u in users]
        assert counts == [2, 1, 0]
        with assert_sql_count(engine, 0):
            assert [len(u.posts) for u in users] == [2, 1, 0]


def test_many_to_one_in_identity_map_costs_nothing(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        users = session.scalars(select(m.User)).all()  # held: the identity map is weak
        posts = session.scalars(select(m.Post).order_by(m.Post.id)).all()
        with assert_sql_count(engine, 0):
            authors = [p.author.name if p.author else None for p in posts]
        assert authors == ["ann", "ann", "bob", None]
        assert len(users) == 3


def test_many_to_one_not_in_identity_map_costs_one(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        post = session.scalars(select(m.Post).where(m.Post.title == "b1")).one()
        with assert_sql_count(engine, 1):
            assert post.author.name == "bob"


def test_many_to_many_lazy_load(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = _user(session, m, "ann")
        with assert_sql_count(engine, 1):
            assert sorted(g.name for g in ann.groups) == ["admins", "staff"]


def test_new_objects_never_query(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        user = m.User(name="new")
        session.add(user)
        with assert_sql_count(engine, 0):
            assert user.posts == [] and user.groups == []
            assert m.Post(title="t").author is None


# -- association_proxy ----------------------------------------------------------------------------
def test_association_proxy_reads_writes_and_queries(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = _user(session, m, "ann")
        assert sorted(ann.group_names) == ["admins", "staff"]
        cat = _user(session, m, "cat")
        cat.group_names.append("cats")
        session.commit()
        assert _names(session, select(m.Group.name).order_by(m.Group.name)) == [
            "admins", "cats", "staff"]
        assert _names(session, select(m.User.name).where(m.User.group_names.contains("cats"))
                      ) == ["cat"]
        assert _names(session, select(m.User.name).where(
            m.User.group_names.any(m.Group.name == "admins"))) == ["ann"]
