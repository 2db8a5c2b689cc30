"""Joins in ORM selects: along relationships (chains, many-to-many, outer, of_type, aliased
parents), explicit ON clauses, aliases of tables, subqueries and CTEs, self-joins."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import Column, ForeignKey, String, Table, exc, func, inspect, select
from sqlwright.orm import (
    AliasedClass,
    DeclarativeBase,
    Mapped,
    Session,
    aliased,
    join,
    mapped_column,
    outerjoin,
    relationship,
)
from sqlwright.testing.assertions import assert_sql_count


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    post_tags = Table("ihx_post_tags", Base.metadata,
                 Column("post_id", ForeignKey("ihx_posts.id"), primary_key=True),
                 Column("tag_id", ForeignKey("ihx_tags.id"), primary_key=True))

    class User(Base):
        __tablename__ = "ihx_users"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        boss_id: Mapped[int | None] = mapped_column(ForeignKey("ihx_users.id"))
        boss: Mapped[User | None] = relationship(remote_side="User.id", back_populates="reports")
        reports: Mapped[list[User]] = relationship(back_populates="boss")
        posts: Mapped[list[Post]] = relationship(back_populates="author")

    class Post(Base):
        __tablename__ = "ihx_posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        user_id: Mapped[int] = mapped_column(ForeignKey("ihx_users.id"))
        title: Mapped[str] = mapped_column(String(50))
        author: Mapped[User] = relationship(back_populates="posts")
        comments: Mapped[list[Comment]] = relationship()
        tags: Mapped[list[Tag]] = relationship(secondary=post_tags)

    class Comment(Base):
        __tablename__ = "ihx_comments"
        id: Mapped[int] = mapped_column(primary_key=True)
        post_id: Mapped[int] = mapped_column(ForeignKey("ihx_posts.id"))
        body: Mapped[str] = mapped_column(String(50))

    class Tag(Base):
        __tablename__ = "ihx_tags"
        id: Mapped[int] = mapped_column(primary_key=True)
        label: Mapped[str] = mapped_column(String(20))

    Base.metadata.create_all(engine)
    with Session(engine) as session:
        py, db = Tag(label="python"), Tag(label="db")
        ann = User(name="ann")
        session.add_all([
            ann,
            User(name="ben", boss=ann, posts=[
                Post(title="sql tips", tags=[db], comments=[Comment(body="nice")]),
                Post(title="py tips", tags=[py, db]),
            ]),
            User(name="cat", boss=ann, posts=[Post(title="py news", tags=[py])]),
        ])
        session.commit()
    yield SimpleNamespace(User=User, Post=Post, Comment=Comment, Tag=Tag)
    Base.metadata.drop_all(engine)


def _names(session: Session, stmt: Any) -> list[Any]:
    return sorted(session.scalars(stmt).all())


def test_join_along_a_relationship(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        stmt = select(m.User.name).join(m.User.posts).where(m.Post.title.like("py%"))
        assert _names(session, stmt) == ["ben", "cat"]
        # many-to-one, from the other side
        stmt = select(m.Post.title).join(m.Post.author).where(m.User.name == "cat")
        assert _names(session, stmt) == ["py news"]
        with assert_sql_count(engine, 1):
            users = session.scalars(select(m.User).join(m.User.posts).where(
                m.Post.title == "sql tips")).all()
        assert [u.name for u in users] == ["ben"]


def test_chained_and_many_to_many_joins(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        stmt = (select(m.User.name).join(m.User.posts).join(m.Post.comments)
                .where(m.Comment.body == "nice"))
        assert _names(session, stmt) == ["ben"]
        stmt = (select(m.User.name).join(m.User.posts).join(m.Post.tags)
                .where(m.Tag.label == "python").distinct())
        assert _names(session, stmt) == ["ben", "cat"]
        stmt = select(m.Post.title).join(m.Post.tags).where(m.Tag.label == "db")
        assert _names(session, stmt) == ["py tips", "sql tips"]


def test_outerjoin_along_a_relationship(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        stmt = (select(m.User.name, func.count(m.Post.id)).outerjoin(m.User.posts)
                .group_by(m.User.name).order_by(m.User.name))
        assert [tuple(r) for r in session.execute(stmt)] == [("ann", 0), ("ben", 2),
                                                             ("cat", 1)]


def test_join_with_explicit_onclause_and_alias(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        p = aliased(m.Post, name="p")
        stmt = select(m.User).join(p, m.User.id == p.user_id).where(p.title == "py news")
        assert "JOIN ihx_posts AS p ON" in str(stmt)
        assert [u.name for u in session.scalars(stmt)] == ["cat"]
        assert isinstance(p, AliasedClass)
        assert inspect(p).mapper is m.Post.__mapper__


def test_of_type_and_and_criteria(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        first, second = aliased(m.Post), aliased(m.Post)
        stmt = (select(m.User.name)
                .join(m.User.posts.of_type(first)).join(m.User.posts.of_type(second))
                .where(first.title == "sql tips", second.title == "py tips"))
        assert session.scalars(stmt).all() == ["ben"]
        stmt = select(m.User.name).join(m.User.posts.and_(m.Post.title.like("%news")))
        assert session.scalars(stmt).all() == ["cat"]


def test_self_join_with_alias_and_relationship_from_alias(
        m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        boss = aliased(m.User)
        stmt = (select(m.User, boss).outerjoin(boss, m.User.boss_id == boss.id)
                .order_by(m.User.name))
        rows = [(u.name, b.name if b else None) for u, b in session.execute(stmt)]
        assert rows == [("ann", None), ("ben", "ann"), ("cat", "ann")]
        assert rows and all(isinstance(u, m.User) for u, _b in session.execute(stmt))
        stmt = select(boss.name).join(boss.reports).distinct()
        assert session.scalars(stmt).all() == ["ann"]
        stmt = select(m.User.name).join(m.User.boss.of_type(boss)).where(boss.name == "ann")
        assert _names(session, stmt) == ["ben", "cat"]


def test_alias_objects_share_the_identity_map(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = session.scalars(select(m.User).where(m.User.name == "ann")).one()
        u = aliased(m.User)
        assert session.scalars(select(u).where(u.name == "ann")).one() is ann


def test_aliased_subquery_and_cte(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        sub = select(m.Post).where(m.Post.title.like("py%")).subquery()
        py_post = aliased(m.Post, sub)
        stmt = (select(m.User.name, py_post.title).join(py_post, m.User.id == py_post.user_id)
                .order_by(py_post.title))
        assert [tuple(r) for r in session.execute(stmt)] == [("cat", "py news"),
                                                             ("ben", "py tips")]
        posts = session.scalars(select(py_post).order_by(py_post.title)).all()
        assert [type(p) for p in posts] == [m.Post, m.Post]
        counts = select(m.Post.user_id, func.count().label("n")).group_by(
            m.Post.user_id).cte("post_counts")
        stmt = select(m.User.name, counts.c.n).join(counts, m.User.id == counts.c.user_id)
        assert sorted(tuple(r) for r in session.execute(stmt)) == [("ben", 2), ("cat", 1)]
        busy = aliased(m.User, select(m.User).where(m.User.boss_id.is_not(None)).cte("busy"))
        assert _names(session, select(busy.name)) == ["ben", "cat"]


def test_orm_join_function(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        stmt = select(m.Tag.label).select_from(join(m.Post, m.Tag, m.Post.tags)).where(
            m.Post.title == "sql tips")
        assert session.scalars(stmt).all() == ["db"]
        stmt = select(m.User.name).select_from(outerjoin(m.User, m.Post, m.User.posts)).where(
            m.Post.id.is_(None))
        assert session.scalars(stmt).all() == ["ann"]


def test_errors_name_the_fix(m: SimpleNamespace) -> None:
    with pytest.raises(exc.ArgumentError, match="mapped class"):
        aliased(object)
    with pytest.raises(AttributeError, match="mapped attributes are"):
        aliased(m.User).nonexistent  # noqa: B018
    with pytest.raises(exc.ArgumentError, match="of_type"):
        select(m.User).join(m.User.posts.of_type(m.Tag))
