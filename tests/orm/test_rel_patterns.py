"""relationship() patterns: one-to-many, many-to-one, one-to-one, many-to-many (Table or
name), association objects, self-referential trees, backref, foreign_keys, custom joins,
order_by, viewonly, collection classes and annotation forms."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any, Optional

import pytest

from sqlwright import Column, ForeignKey, Integer, String, Table, and_, exc, select
from sqlwright.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    attribute_keyed_dict,
    backref,
    mapped_column,
    relationship,
)
from sqlwright.orm.collections import InstrumentedList, InstrumentedSet


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    tags = Table("rp_post_tags", Base.metadata,
                 Column("post_id", ForeignKey("rp_posts.id"), primary_key=True),
                 Column("tag_id", ForeignKey("rp_tags.id"), primary_key=True))

    class User(Base):
        __tablename__ = "rp_users"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        posts: Mapped[list[Post]] = relationship(
            back_populates="author", foreign_keys="Post.author_id", order_by="Post.title")
        edited: Mapped[list[Post]] = relationship(foreign_keys="[Post.editor_id]",
                                                    viewonly=True)
        profile: Mapped[Optional[Profile]] = relationship(back_populates="user")
        long_titles: Mapped[list[Post]] = relationship(
            primaryjoin="and_(User.id == Post.author_id, Post.title.like('long%'))",
            viewonly=True)

    class Profile(Base):
        __tablename__ = "rp_profiles"
        id: Mapped[int] = mapped_column(primary_key=True)
        user_id: Mapped[int] = mapped_column(ForeignKey("rp_users.id"), unique=True)
        bio: Mapped[str] = mapped_column(String(50))
        user: Mapped[User] = relationship(back_populates="profile")

    class Post(Base):
        __tablename__ = "rp_posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str] = mapped_column(String(50))
        author_id: Mapped[int] = mapped_column(ForeignKey("rp_users.id"))
        editor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("rp_users.id"))
        author: Mapped[User] = relationship(back_populates="posts", foreign_keys=[author_id])
        editor: Mapped[Optional[User]] = relationship(foreign_keys=[editor_id])
        tags: Mapped[set[Tag]] = relationship(secondary="rp_post_tags",
                                                back_populates="posts")

    class Tag(Base):
        __tablename__ = "rp_tags"
        id: Mapped[int] = mapped_column(primary_key=True)
        label: Mapped[str] = mapped_column(String(20))
        posts: Mapped[list[Post]] = relationship(secondary=tags, back_populates="tags")

    class Node(Base):
        __tablename__ = "rp_nodes"
        id: Mapped[int] = mapped_column(primary_key=True)
        parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("rp_nodes.id"))
        name: Mapped[str] = mapped_column(String(20))
        children = relationship("Node", backref=backref("parent", remote_side=[id]),  # noqa: A003
                                order_by="Node.name")

    class Doc(Base):
        __tablename__ = "rp_docs"
        id: Mapped[int] = mapped_column(primary_key=True)
        notes: Mapped[dict[str, Note]] = relationship(
            collection_class=attribute_keyed_dict("keyword"), cascade="all, delete-orphan")

    class Note(Base):
        __tablename__ = "rp_notes"
        id: Mapped[int] = mapped_column(primary_key=True)
        doc_id: Mapped[int] = mapped_column(ForeignKey("rp_docs.id"))
        keyword: Mapped[str] = mapped_column(String(20))

    Base.metadata.create_all(engine)
    yield SimpleNamespace(User=User, Profile=Profile, Post=Post, Tag=Tag, Node=Node, Doc=Doc,
                          Note=Note, tags=tags)
    Base.metadata.drop_all(engine)


def test_directions_and_join_conditions(m: SimpleNamespace) -> None:
    posts = m.User.posts.prop
    assert posts.direction == "ONETOMANY" and posts.uselist
    assert posts.mapper.class_ is m.Post
    assert [(a.name, b.name) for a, b in posts.local_remote_pairs] == [("id", "author_id")]
    author = m.Post.author.prop
    assert author.direction == "MANYTOONE" and not author.uselist
    assert author.reverse_property is posts
    tags = m.Post.tags.prop
    assert tags.direction == "MANYTOMANY" and tags.secondary is m.tags
    assert m.User.profile.prop.direction == "ONETOMANY" and not m.User.profile.prop.uselist
    assert m.Node.parent.prop.direction == "MANYTOONE"
    assert m.Node.children.prop.direction == "ONETOMANY"


def test_one_to_many_and_many_to_one_round_trip(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = m.User(name="ann")
        ann.posts.append(m.Post(title="b"))
        m.Post(title="a", author=ann)
        session.add(ann)
        session.commit()
        user_id = ann.id
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        assert isinstance(ann.posts, InstrumentedList)
        assert [p.title for p in ann.posts] == ["a", "b"]  # order_by title
        assert all(p.author is ann for p in ann.posts)
        assert all(p.author_id == user_id for p in ann.posts)


def test_one_to_one(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = m.User(name="ann", profile=m.Profile(bio="hi"))
        session.add(ann)
        session.commit()
        assert ann.profile.user is ann
    with Session(engine) as session:
        profile = session.scalars(select(m.Profile)).one()
        assert profile.user.name == "ann"
        assert profile.user.profile is profile


def test_many_to_many_with_secondary_name_and_set(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = m.User(name="ann")
        red, blue = m.Tag(label="red"), m.Tag(label="blue")
        p1 = m.Post(title="p1", author=ann, tags={red, blue})
        p2 = m.Post(title="p2", author=ann)
        p2.tags.add(red)
        assert isinstance(p1.tags, InstrumentedSet)
        assert {p.title for p in red.posts} == {"p1", "p2"}  # the other side, in Python
        session.add(ann)
        session.commit()
        p1.tags.discard(blue)
        session.commit()
    with Session(engine) as session, engine.connect() as conn:
        rows = conn.execute(select(m.tags.c.post_id, m.tags.c.tag_id)
                            .order_by(m.tags.c.post_id, m.tags.c.tag_id)).all()
        assert len(rows) == 2
        red = session.scalars(select(m.Tag).where(m.Tag.label == "red")).one()
        assert sorted(p.title for p in red.posts) == ["p1", "p2"]
        blue = session.scalars(select(m.Tag).where(m.Tag.label == "blue")).one()
        assert blue.posts == []


def test_self_referential_tree_inserts_parents_first(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        root = m.Node(name="root")
        a = m.Node(name="a", parent=root)
        m.Node(name="a1", parent=a)
        m.Node(name="b", parent=root)
        session.add(root)
        session.commit()
    with Session(engine) as session:
        root = session.scalars(select(m.Node).where(m.Node.parent_id.is_(None))).one()
        assert [c.name for c in root.children] == ["a", "b"]
        assert [c.name for c in root.children[0].children] == ["a1"]
        a1 = session.scalars(select(m.Node).where(m.Node.name == "a1")).one()
        assert a1.parent.parent is root


def test_two_foreign_keys_to_the_same_table(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann, bob = m.User(name="ann"), m.User(name="bob")
        session.add(m.Post(title="x", author=ann, editor=bob))
        session.commit()
        assert [p.title for p in bob.edited] == ["x"]
        assert bob.posts == [] and [p.title for p in ann.posts] == ["x"]


def test_custom_primaryjoin_viewonly(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = m.User(name="ann", posts=[m.Post(title="long one"), m.Post(title="short")])
        session.add(ann)
        session.commit()
        assert [p.title for p in ann.long_titles] == ["long one"]
        with pytest.raises(exc.InvalidRequestError, match="viewonly"):
            ann.long_titles = []


def test_keyed_dict_collection(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        doc = m.Doc()
        doc.notes["a"] = m.Note(keyword="a")
        doc.notes["b"] = m.Note(keyword="b")
        session.add(doc)
        session.commit()
        del doc.notes["a"]
        session.commit()
        doc_id = doc.id
    with Session(engine) as session:
        doc = session.get(m.Doc, doc_id)
        assert list(doc.notes) == ["b"] and doc.notes["b"].keyword == "b"
        assert session.scalars(select(m.Note.keyword)).all() == ["b"]


def test_wrong_type_in_collection_is_refused(m: SimpleNamespace) -> None:
    with pytest.raises(exc.ArgumentError, match="holds Post objects; got Tag"):
        m.User(name="x").posts.append(m.Tag(label="t"))


def test_ambiguous_foreign_keys_error_names_the_fix(engine: Any) -> None:
    class Base(DeclarativeBase):
        pass

    class A(Base):
        __tablename__ = "rp_amb_a"
        id: Mapped[int] = mapped_column(primary_key=True)
        bs: Mapped[list[B]] = relationship()

    class B(Base):
        __tablename__ = "rp_amb_b"
        id: Mapped[int] = mapped_column(primary_key=True)
        a1: Mapped[int] = mapped_column(ForeignKey("rp_amb_a.id"))
        a2: Mapped[int] = mapped_column(ForeignKey("rp_amb_a.id"))

    with pytest.raises(exc.ArgumentError, match="foreign_keys"):
        A(bs=[])


def test_unknown_target_name_error(engine: Any) -> None:
    class Base(DeclarativeBase):
        pass

    class A(Base):
        __tablename__ = "rp_unknown_a"
        id: Mapped[int] = mapped_column(primary_key=True)
        bs: Mapped[list[Bee]] = relationship()  # noqa: F821 - names no class on purpose

    with pytest.raises(exc.InvalidRequestError, match="no mapped class named 'Bee'"):
        _ = A.bs


def test_imperative_properties_and_lambda_target(engine: Any) -> None:
    class Base(DeclarativeBase):
        pass

    class Parent(Base):
        __tablename__ = "rp_imp_parent"
        id: Mapped[int] = mapped_column(primary_key=True)
        kids = relationship(lambda: Kid, uselist=True, order_by=lambda: Kid.id)

    class Kid(Base):
        __tablename__ = "rp_imp_kid"
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        parent_id = mapped_column(ForeignKey("rp_imp_parent.id"), nullable=True)

    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            session.add(Parent(kids=[Kid(), Kid()]))
            session.commit()
            parent = session.scalars(select(Parent)).one()
            assert len(parent.kids) == 2
            assert session.scalar(select(Kid.parent_id).where(and_(Kid.id == 1))) == parent.id
    finally:
        Base.metadata.drop_all(engine)


def test_self_referential_many_to_many(engine: Any) -> None:
    class Base(DeclarativeBase):
        pass

    friend_links = Table("rp_friends", Base.metadata,
                    Column("a_id", ForeignKey("rp_people.id"), primary_key=True),
                    Column("b_id", ForeignKey("rp_people.id"), primary_key=True))

    class Person(Base):
        __tablename__ = "rp_people"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(20))
        friends: Mapped[list[Person]] = relationship(
            secondary=friend_links, primaryjoin=id == friend_links.c.a_id,  # noqa: A003
            secondaryjoin=id == friend_links.c.b_id)  # noqa: A003

    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            a, b, c = Person(name="a"), Person(name="b"), Person(name="c")
            a.friends = [b, c]
            b.friends.append(a)
            session.add_all([a, b, c])
            session.commit()
            assert sorted(f.name for f in a.friends) == ["b", "c"]
            assert [f.name for f in b.friends] == ["a"] and c.friends == []
            found = session.scalars(select(Person.name).where(
                Person.friends.any(Person.name == "c"))).all()
            assert found == ["a"]
    finally:
        Base.metadata.drop_all(engine)


def test_self_referential_many_to_many_needs_both_joins(engine: Any) -> None:
    class Base(DeclarativeBase):
        pass

    links = Table("rp_links", Base.metadata,
                  Column("a_id", ForeignKey("rp_items.id"), primary_key=True),
                  Column("b_id", ForeignKey("rp_items.id"), primary_key=True))

    class Item(Base):
        __tablename__ = "rp_items"
        id: Mapped[int] = mapped_column(primary_key=True)
        related: Mapped[list[Item]] = relationship(secondary=links)

    with pytest.raises(exc.ArgumentError, match="primaryjoin and secondaryjoin"):
        _ = Item.related
