"""Relationship loader strategies and options: results and exact statement counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional

import pytest

from sqlwright import Column, ForeignKey, String, Table, exc, insert, select
from sqlwright.orm import (
    DeclarativeBase,
    Load,
    Mapped,
    Session,
    contains_eager,
    defaultload,
    defer,
    joinedload,
    lazyload,
    load_only,
    mapped_column,
    noload,
    raiseload,
    selectinload,
    subqueryload,
    undefer,
)
from sqlwright.orm.relationships import relationship
from sqlwright.testing.assertions import assert_sql_count, record_sql


class Base(DeclarativeBase):
    pass


user_groups = Table(
    "ld_user_groups", Base.metadata,
    Column("user_id", ForeignKey("ld_users.id"), primary_key=True),
    Column("group_id", ForeignKey("ld_groups.id"), primary_key=True),
)


class User(Base):
    __tablename__ = "ld_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    bio: Mapped[Optional[str]] = mapped_column(String(200), deferred=True)
    posts: Mapped[list[Post]] = relationship(back_populates="author", order_by="Post.id")
    groups: Mapped[list[Group]] = relationship(secondary=user_groups, order_by="Group.id")


class Post(Base):
    __tablename__ = "ld_posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50))
    body: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("ld_users.id"))
    author: Mapped[User] = relationship(back_populates="posts")
    comments: Mapped[list[Comment]] = relationship(order_by="Comment.id")


class Comment(Base):
    __tablename__ = "ld_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(50))
    post_id: Mapped[int] = mapped_column(ForeignKey("ld_posts.id"))
    post: Mapped[Post] = relationship(lazy="joined", viewonly=True)


class Group(Base):
    __tablename__ = "ld_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    members: Mapped[list[User]] = relationship(secondary=user_groups, lazy="raise",
                                               viewonly=True)


class Node(Base):
    __tablename__ = "ld_nodes"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ld_nodes.id"))
    children: Mapped[list[Node]] = relationship(lazy="selectin", order_by="Node.id")


#: user name -> [(post title, [comment texts])]
EXPECTED = {
    "ann": [("a1", ["a1-x", "a1-y"]), ("a2", [])],
    "bob": [("b1", ["b1-x"])],
    "cid": [],
}


@pytest.fixture
def db(engine: Any) -> Iterator[Any]:
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(User.__table__), [
            {"id": 1, "name": "ann", "bio": "ann's bio"}, {"id": 2, "name": "bob", "bio": None},
            {"id": 3, "name": "cid", "bio": None}])
        conn.execute(insert(Post.__table__), [
            {"id": 1, "title": "a1", "user_id": 1, "body": ""},
            {"id": 2, "title": "a2", "user_id": 1, "body": ""},
            {"id": 3, "title": "b1", "user_id": 2, "body": ""}])
        conn.execute(insert(Comment.__table__), [
            {"id": 1, "text": "a1-x", "post_id": 1}, {"id": 2, "text": "a1-y", "post_id": 1},
            {"id": 3, "text": "b1-x", "post_id": 3}])
        conn.execute(insert(Group.__table__), [{"id": 1, "name": "admins"},
                                               {"id": 2, "name": "staff"}])
        conn.execute(insert(user_groups), [{"user_id": 1, "group_id": 1},
                                           {"user_id": 1, "group_id": 2},
                                           {"user_id": 2, "group_id": 2}])
        conn.execute(insert(Node.__table__), [
            {"id": 1, "parent_id": None}, {"id": 2, "parent_id": 1}, {"id": 3, "parent_id": 1},
            {"id": 4, "parent_id": 2}, {"id": 5, "parent_id": 4}])
    yield engine
    Base.metadata.drop_all(engine)


def _graph(users: list[User]) -> dict[str, list[tuple[str, list[str]]]]:
    return {u.name: [(p.title, [c.text for c in p.comments]) for p in u.posts] for u in users}


def _users(session: Session, *options: Any, unique: bool = False) -> list[User]:
    result = session.scalars(select(User).options(*options).order_by(User.id))
    return list(result.unique().all() if unique else result.all())


# -- statement counts per strategy ------------------------------------------------------------------
def test_lazy_loading_is_one_select_per_parent(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 1 + 3 + 3):
        assert _graph(_users(session)) == EXPECTED


def test_joinedload_chain_is_one_statement(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 1) as rec:
        users = _users(session, joinedload(User.posts).joinedload(Post.comments), unique=True)
        assert _graph(users) == EXPECTED
    assert "LEFT OUTER JOIN" in rec.sql[0]


def test_selectinload_is_one_statement_per_level(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 3) as rec:
        users = _users(session, selectinload(User.posts).selectinload(Post.comments))
        assert _graph(users) == EXPECTED
    assert " IN (" in rec.sql[1]


def test_subqueryload_is_one_statement_per_level(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 3):
        users = _users(session, subqueryload(User.posts).subqueryload(Post.comments))
        assert _graph(users) == EXPECTED


def test_mixed_strategies_along_a_path(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 2):
        users = _users(session, joinedload(User.posts).selectinload(Post.comments),
                       unique=True)
        assert _graph(users) == EXPECTED


def test_many_to_many_eager_loads(db: Any) -> None:
    expected = {"ann": ["admins", "staff"], "bob": ["staff"], "cid": []}
    for option, count in ((selectinload(User.groups), 2), (joinedload(User.groups), 1),
                          (subqueryload(User.groups), 2)):
        with Session(db) as session, assert_sql_count(db, count):
            users = _users(session, option, unique=True)
            assert {u.name: [g.name for g in u.groups] for u in users} == expected


def test_many_to_one_eager_loads(db: Any) -> None:
    for option, count in ((joinedload(Post.author), 1), (selectinload(Post.author), 2)):
        with Session(db) as session, assert_sql_count(db, count):
            posts = session.scalars(select(Post).options(option).order_by(Post.id)).all()
            assert [(p.title, p.author.name) for p in posts] == [
                ("a1", "ann"), ("a2", "ann"), ("b1", "bob")]


def test_multiple_relationships_each_their_own_query(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 3):
        users = _users(session, selectinload(User.posts), selectinload(User.groups))
        assert [len(u.posts) for u in users] == [2, 1, 0]
        assert [len(u.groups) for u in users] == [2, 1, 0]


def test_configured_selectin_recurses_until_the_tree_is_complete(db: Any) -> None:
    # levels: 1 -> {2, 3} -> {4} -> {5} -> {}: one query per level
    with Session(db) as session, assert_sql_count(db, 5):
        root = session.scalars(select(Node).where(Node.parent_id.is_(None))).one()
        assert [c.id for c in root.children] == [2, 3]
        assert [c.id for c in root.children[0].children] == [4]
        assert [c.id for c in root.children[0].children[0].children] == [5]
        assert root.children[1].children == []


def test_lazyload_option_overrides_configured_eager(db: Any) -> None:
    with Session(db) as session:
        with assert_sql_count(db, 1):
            root = session.scalars(select(Node).where(Node.id == 1)
                                   .options(lazyload(Node.children))).one()
        with assert_sql_count(db, 4):  # the lazy load, then the configured selectin levels
            assert [c.id for c in root.children] == [2, 3]


def test_selectinload_batches_large_parent_sets(db: Any) -> None:
    with db.begin() as conn:
        conn.execute(insert(User.__table__),
                     [{"id": i, "name": f"u{i}", "bio": None} for i in range(100, 701)])
    with Session(db) as session, assert_sql_count(db, 3) as rec:  # 604 users: 500 + 104
        users = _users(session, selectinload(User.posts))
        assert len(users) == 604
        assert sum(len(u.posts) for u in users) == 3
    assert len(rec.statements[1].parameters) == 500
    assert len(rec.statements[2].parameters) == 104


def test_yield_per_loads_each_batch(db: Any) -> None:
    with Session(db) as session, record_sql(db) as rec:
        stmt = select(User).options(selectinload(User.posts)).order_by(User.id)
        result = session.scalars(stmt.execution_options(yield_per=2))
        assert [(u.name, len(u.posts)) for u in result] == [("ann", 2), ("bob", 1), ("cid", 0)]
    assert rec.count == 3  # users, posts for the first two, posts for the third


# -- joinedload details -------------------------------------------------------------------------------
def test_joined_collection_requires_unique(db: Any) -> None:
    with Session(db) as session:
        with pytest.raises(exc.InvalidRequestError, match=r"User\.posts.*\.unique\(\)"):
            session.scalars(select(User).options(joinedload(User.posts))).all()
        with pytest.raises(exc.InvalidRequestError, match="unique"):
            session.execute(select(User).options(joinedload(User.posts))).first()
        rows = session.execute(select(User).options(joinedload(User.posts))
                               .order_by(User.id)).unique().all()
        assert [len(row[0].posts) for row in rows] == [2, 1, 0]


def test_joined_many_to_one_needs_no_unique(db: Any) -> None:
    with Session(db) as session:
        posts = session.scalars(select(Post).options(joinedload(Post.author))).all()
        assert len(posts) == 3


def test_innerjoin_drops_parents_without_children(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 1) as rec:
        users = _users(session, joinedload(User.posts, innerjoin=True), unique=True)
        assert [u.name for u in users] == ["ann", "bob"]
    assert "LEFT OUTER" not in rec.sql[0]


def test_joinedload_combines_with_filters_and_user_joins(db: Any) -> None:
    with Session(db) as session:
        stmt = (select(User).join(Post, User.id == Post.user_id).where(Post.title == "b1")
                .options(joinedload(User.posts)))
        users = session.scalars(stmt).unique().all()
        assert [(u.name, [p.title for p in u.posts]) for u in users] == [("bob", ["b1"])]


def test_contains_eager_uses_the_statement_join(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 1):
        stmt = (select(User).join(Post, User.id == Post.user_id).where(Post.title != "a2")
                .options(contains_eager(User.posts)).order_by(User.id, Post.id))
        users = session.scalars(stmt).unique().all()
        assert [(u.name, [p.title for p in u.posts]) for u in users] == [
            ("ann", ["a1"]), ("bob", ["b1"])]


def test_bound_load_and_nested_options(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 2):
        option = Load(User).selectinload(User.posts).options(
            joinedload(Post.comments), load_only(Post.title))
        users = _users(session, option)
        assert _graph(users) == EXPECTED


def test_defaultload_reaches_deeper_levels(db: Any) -> None:
    with Session(db) as session:
        with assert_sql_count(db, 1):
            users = _users(session, defaultload(User.posts).raiseload(Post.comments))
        with assert_sql_count(db, 1):
            posts = users[0].posts
        with pytest.raises(exc.InvalidRequestError, match=r"Post\.comments"):
            posts[0].comments  # noqa: B018


# -- raise / noload -------------------------------------------------------------------------------------
def test_raiseload_names_the_attribute_and_the_fix(db: Any) -> None:
    with Session(db) as session:
        users = _users(session, raiseload(User.posts))
        with pytest.raises(exc.InvalidRequestError,
                           match=r"User\.posts.*selectinload\(User\.posts\)"):
            users[0].posts  # noqa: B018
        with assert_sql_count(db, 1):
            assert [g.name for g in users[0].groups] == ["admins", "staff"]


def test_raiseload_wildcard_covers_every_relationship(db: Any) -> None:
    with Session(db) as session:
        users = _users(session, raiseload("*"))
        for attribute in ("posts", "groups"):
            with pytest.raises(exc.InvalidRequestError, match=f"User.{attribute}"):
                getattr(users[0], attribute)


def test_raiseload_sql_only_allows_identity_map_hits(db: Any) -> None:
    with Session(db) as session:
        ann = session.get(User, 1)
        posts = session.scalars(select(Post).options(raiseload(Post.author, sql_only=True))
                                .order_by(Post.id)).all()
        with assert_sql_count(db, 0):
            assert posts[0].author is ann
        with pytest.raises(exc.InvalidRequestError, match=r"Post\.author"):
            posts[2].author  # noqa: B018 - bob is not in the identity map


def test_noload_reads_empty_without_sql(db: Any) -> None:
    with Session(db) as session:
        users = _users(session, noload(User.posts))
        with assert_sql_count(db, 0):
            assert users[0].posts == []


# -- columns -------------------------------------------------------------------------------------------
def test_defer_and_undefer(db: Any) -> None:
    with Session(db) as session:
        with record_sql(db) as rec:
            ann = session.scalars(select(User).where(User.id == 1)
                                  .options(defer(User.name))).one()
        assert "name" not in rec.sql[0].split("FROM")[0]
        with assert_sql_count(db, 1):
            assert ann.name == "ann"
    with Session(db) as session, assert_sql_count(db, 1):
        ann = session.scalars(select(User).where(User.id == 1).options(undefer(User.bio))).one()
        assert ann.bio == "ann's bio"


def test_load_only(db: Any) -> None:
    with Session(db) as session:
        with record_sql(db) as rec:
            posts = session.scalars(select(Post).options(load_only(Post.title))
                                    .order_by(Post.id)).all()
        selected = rec.sql[0].split("FROM")[0]
        assert "title" in selected and "body" not in selected and "user_id" not in selected
        assert [p.title for p in posts] == ["a1", "a2", "b1"]
        with assert_sql_count(db, 1):
            assert posts[0].user_id == 1


# -- errors ---------------------------------------------------------------------------------------------
def test_option_errors_explain_the_fix(db: Any) -> None:
    with Session(db) as session:
        with pytest.raises(exc.ArgumentError, match="is a column, not a relationship"):
            session.scalars(select(User).options(joinedload(User.name))).all()
        with pytest.raises(exc.ArgumentError, match="does not select"):
            session.scalars(select(User).options(selectinload(Post.comments))).all()
        with pytest.raises(exc.ArgumentError, match="does not link from Post"):
            session.scalars(select(User).options(
                selectinload(User.posts).selectinload(User.groups))).all()
        with pytest.raises(exc.ArgumentError, match="is a relationship"):
            session.scalars(select(User).options(defer(User.posts))).all()
        with pytest.raises(exc.ArgumentError, match="class attributes"):
            joinedload("posts")


def test_yield_per_with_joined_collection_is_refused(db: Any) -> None:
    with Session(db) as session:
        stmt = select(User).options(joinedload(User.posts)).execution_options(yield_per=10)
        with pytest.raises(exc.InvalidRequestError, match="selectinload"):
            session.scalars(stmt)


def test_limit_with_joined_collection_limits_parents(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 1):
        stmt = (select(User).options(joinedload(User.posts)).order_by(User.id.desc())
                .limit(2).offset(1))
        users = session.scalars(stmt).unique().all()
        assert [(u.name, [p.title for p in u.posts]) for u in users] == [
            ("bob", ["b1"]), ("ann", ["a1", "a2"])]


def test_get_applies_configured_eager_loads(db: Any) -> None:
    with Session(db) as session:
        with assert_sql_count(db, 1 + 3):  # the node, then one selectin query per level
            node = session.get(Node, 2)
            assert node is not None
        with assert_sql_count(db, 0):
            assert [c.id for c in node.children] == [4]
            assert [c.id for c in node.children[0].children] == [5]


def test_eager_loads_from_aliased_entities(db: Any) -> None:
    from sqlwright.orm import aliased

    author = aliased(User)
    with Session(db) as session, assert_sql_count(db, 1):
        stmt = select(author).options(joinedload(author.posts)).order_by(author.id)
        users = session.scalars(stmt).unique().all()
        assert [len(u.posts) for u in users] == [2, 1, 0]
    for make_option in (lambda a: contains_eager(User.posts.of_type(a)),
                        lambda a: contains_eager(User.posts, alias=a)):
        post = aliased(Post)
        with Session(db) as session, assert_sql_count(db, 1):
            stmt = (select(User).join(post, User.id == post.user_id).where(post.title == "a2")
                    .options(make_option(post)))
            users = session.scalars(stmt).unique().all()
            assert [(u.name, [p.title for p in u.posts]) for u in users] == [("ann", ["a2"])]


def test_configured_joined_many_to_one_and_cycles(db: Any) -> None:
    with Session(db) as session, assert_sql_count(db, 1) as rec:
        comments = session.scalars(select(Comment).order_by(Comment.id)).all()
        assert [c.post.title for c in comments] == ["a1", "a1", "b1"]
    assert "JOIN" in rec.sql[0]
    with Session(db) as session, assert_sql_count(db, 1) as rec:
        # Post.comments -> Comment.post (joined) -> Post: the cycle stops at Post
        posts = session.scalars(select(Post).options(joinedload(Post.comments))).unique().all()
        assert sorted(len(p.comments) for p in posts) == [0, 1, 2]
    assert rec.sql[0].count("JOIN") == 1


def test_configured_raise_and_immediateload(db: Any) -> None:
    from sqlwright.orm import immediateload

    with Session(db) as session:
        groups = session.scalars(select(Group).order_by(Group.id)).all()
        with pytest.raises(exc.InvalidRequestError, match=r"Group\.members.*lazy='raise'"):
            groups[0].members  # noqa: B018
        with assert_sql_count(db, 1):
            groups = session.scalars(select(Group).options(lazyload(Group.members))
                                     .execution_options(populate_existing=True)).all()
            assert len(groups) == 2
    with Session(db) as session, assert_sql_count(db, 1 + 3):
        users = _users(session, immediateload(User.posts))
    with assert_sql_count(db, 0):
        assert [len(u.posts) for u in users] == [2, 1, 0]


def test_column_raiseload(db: Any) -> None:
    with Session(db) as session:
        ann = session.scalars(select(User).where(User.id == 1)
                              .options(defer(User.name, raiseload=True))).one()
        with pytest.raises(exc.InvalidRequestError, match=r"User\.name .*undefer\(User\.name\)"):
            ann.name  # noqa: B018
        post = session.scalars(select(Post).where(Post.id == 1)
                               .options(load_only(Post.title, raiseload=True))).one()
        assert post.title == "a1"
        with pytest.raises(exc.InvalidRequestError, match=r"Post\.body"):
            post.body  # noqa: B018
        session.commit()  # expiry reloads everything, raiseload or not
        assert (ann.name, post.body) == ("ann", "")
