"""Both sides in step before flush, cascades (save-update, merge, delete, delete-orphan,
expunge, refresh-expire, all), foreign keys set and nulled by the flush, passive_deletes and
post_update cycles."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any, Optional

import pytest

from sqlwright import ForeignKey, String, event, exc, select
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlwright.orm.base import instance_state


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "rc_users"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        posts: Mapped[list[Post]] = relationship(back_populates="author",
                                                   cascade="all, delete-orphan")
        notes: Mapped[list[Note]] = relationship(back_populates="user")
        favorite_id: Mapped[Optional[int]] = mapped_column(
            ForeignKey("rc_posts.id", use_alter=True, name="fk_rc_favorite"))
        favorite: Mapped[Optional[Post]] = relationship(foreign_keys=[favorite_id],
                                                          post_update=True)

    class Post(Base):
        __tablename__ = "rc_posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str] = mapped_column(String(50))
        user_id: Mapped[int] = mapped_column(ForeignKey("rc_users.id"))
        author: Mapped[User] = relationship(back_populates="posts", foreign_keys=[user_id])

    class Note(Base):
        __tablename__ = "rc_notes"
        id: Mapped[int] = mapped_column(primary_key=True)
        text: Mapped[str] = mapped_column(String(50))
        user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("rc_users.id"))
        user: Mapped[Optional[User]] = relationship(back_populates="notes")

    Base.metadata.create_all(engine)
    yield SimpleNamespace(User=User, Post=Post, Note=Note)
    Base.metadata.drop_all(engine)


def _seed(m: SimpleNamespace, engine: Any) -> int:
    with Session(engine) as session:
        ann = m.User(name="ann", posts=[m.Post(title="a"), m.Post(title="b")],
                     notes=[m.Note(text="n1"), m.Note(text="n2")])
        session.add(ann)
        session.commit()
        return ann.id


# -- both sides in step -----------------------------------------------------------------------------
def test_append_sets_the_many_to_one_and_back(m: SimpleNamespace) -> None:
    ann, bob = m.User(name="ann"), m.User(name="bob")
    post = m.Post(title="x")
    ann.posts.append(post)
    assert post.author is ann
    post.author = bob
    assert ann.posts == [] and bob.posts == [post]
    bob.posts.remove(post)
    assert post.author is None
    bob.posts = [post]
    assert post.author is bob


def test_changes_to_an_unloaded_side_apply_when_it_loads(m: SimpleNamespace,
                                                         engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        post = m.Post(title="c", author=ann)  # ann.posts not loaded: no SQL for it now
        assert "posts" not in instance_state(ann).dict
        assert [p.title for p in ann.posts] == ["a", "b", "c"] or \
            sorted(p.title for p in ann.posts) == ["a", "b", "c"]
        assert post in ann.posts


def test_append_and_remove_events_fire(m: SimpleNamespace) -> None:
    seen: list[tuple[str, str]] = []
    event.listen(m.User.posts, "append", lambda t, v, i: seen.append(("append", v.title)))
    event.listen(m.User.posts, "remove", lambda t, v, i: seen.append(("remove", v.title)))
    ann = m.User(name="ann")
    post = m.Post(title="x")
    ann.posts.append(post)
    ann.posts.remove(post)
    assert seen == [("append", "x"), ("remove", "x")]


def test_history_of_a_collection(m: SimpleNamespace, engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        a, b = sorted(ann.posts, key=lambda p: p.title)
        c = m.Post(title="c")
        ann.posts.remove(a)
        ann.posts.append(c)
        history = instance_state(ann).get_history("posts")
        assert list(history.added) == [c] and list(history.deleted) == [a]
        assert list(history.unchanged) == [b]
        assert ann in session.dirty


# -- save-update and foreign keys --------------------------------------------------------------------
def test_save_update_cascade_on_add_and_on_append(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = m.User(name="ann", posts=[m.Post(title="a")])
        session.add(ann)
        assert all(p in session for p in ann.posts)
        later = m.Post(title="later")
        ann.posts.append(later)
        assert later in session.new
        session.commit()
        assert later.user_id == ann.id


def test_removed_child_without_delete_orphan_gets_null_fk(m: SimpleNamespace,
                                                          engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        note = sorted(ann.notes, key=lambda n: n.text)[0]
        ann.notes.remove(note)
        session.commit()
        texts = session.scalars(select(m.Note.text).where(m.Note.user_id.is_(None))).all()
        assert texts == ["n1"]


def test_moving_a_child_to_another_parent(m: SimpleNamespace, engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        bob = m.User(name="bob")
        session.add(bob)
        note = sorted(ann.notes, key=lambda n: n.text)[0]
        bob.notes.append(note)
        session.commit()
        assert session.scalar(select(m.Note.user_id).where(m.Note.text == "n1")) == bob.id


# -- delete, delete-orphan, passive_deletes ---------------------------------------------------------
def test_delete_orphan(m: SimpleNamespace, engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        post = sorted(ann.posts, key=lambda p: p.title)[0]
        ann.posts.remove(post)
        session.commit()
        assert session.scalars(select(m.Post.title)).all() == ["b"]


def test_delete_cascade_and_nulling_of_non_cascaded_children(m: SimpleNamespace,
                                                             engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        session.delete(ann)
        session.commit()
        assert session.scalars(select(m.Post)).all() == []
        notes = session.scalars(select(m.Note).order_by(m.Note.text)).all()
        assert [(n.text, n.user_id) for n in notes] == [("n1", None), ("n2", None)]


def test_pending_child_of_deleted_parent_is_expunged(m: SimpleNamespace,
                                                     engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        fresh = m.Post(title="fresh", author=ann)
        session.add(fresh)
        with session.no_autoflush:
            session.delete(ann)
        assert fresh not in session
        session.commit()
        assert session.scalars(select(m.Post)).all() == []


def test_passive_deletes_does_not_load_children(engine: Any) -> None:
    from sqlwright.testing.assertions import record_sql

    class Base(DeclarativeBase):
        pass

    class Box(Base):
        __tablename__ = "rc_boxes"
        id: Mapped[int] = mapped_column(primary_key=True)
        items: Mapped[list[Item]] = relationship(cascade="all, delete-orphan",
                                                   passive_deletes=True)

    class Item(Base):
        __tablename__ = "rc_items"
        id: Mapped[int] = mapped_column(primary_key=True)
        box_id: Mapped[int] = mapped_column(ForeignKey("rc_boxes.id", ondelete="CASCADE"))

    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            session.add(Box(items=[Item(), Item()]))
            session.commit()
        with Session(engine) as session:
            box = session.scalars(select(Box)).one()
            with record_sql(engine) as rec:
                session.delete(box)
                session.flush()
            assert not any("rc_items" in sql for sql in rec.sql), rec.describe()
            session.rollback()
    finally:
        Base.metadata.drop_all(engine)


# -- merge, expunge, refresh-expire -----------------------------------------------------------------
def test_merge_cascade(m: SimpleNamespace, engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        posts = list(ann.posts)
    ann.name = "ann2"
    posts[0].title = "changed"
    with Session(engine) as session:
        merged = session.merge(ann)
        assert merged is not ann and merged.name == "ann2"
        assert sorted(p.title for p in merged.posts) == ["b", "changed"]
        session.commit()
        assert sorted(session.scalars(select(m.Post.title)).all()) == ["b", "changed"]


def test_expunge_cascade(m: SimpleNamespace, engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        posts, notes = list(ann.posts), list(ann.notes)
        session.expunge(ann)
        assert all(p not in session for p in posts)  # cascade="all" includes expunge
        assert all(n in session for n in notes)      # default cascade does not


def test_refresh_expire_cascade(m: SimpleNamespace, engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
        post = ann.posts[0]
        session.expire(ann)
        assert "title" not in instance_state(post).dict
        assert post.title in ("a", "b")


def test_detached_lazy_load_error_names_attribute_and_fix(m: SimpleNamespace,
                                                          engine: Any) -> None:
    user_id = _seed(m, engine)
    with Session(engine) as session:
        ann = session.get(m.User, user_id)
    with pytest.raises(exc.InvalidRequestError) as info:
        _ = ann.posts
    message = str(info.value)
    assert "User.posts" in message and "selectinload" in message and "Session" in message
    assert type(info.value).__name__ == "DetachedInstanceError"


# -- cycles ----------------------------------------------------------------------------------------------
def test_post_update_breaks_a_cycle(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        ann = m.User(name="ann")
        post = m.Post(title="fav", author=ann)
        ann.favorite = post
        session.add(ann)
        session.commit()
        assert ann.favorite_id == post.id
    with Session(engine) as session:
        ann = session.scalars(select(m.User)).one()
        assert ann.favorite.title == "fav"
        assert ann.favorite.author is ann


def test_cycle_declared_child_first(engine: Any) -> None:
    """The referenced row is written first whatever the declaration order; the other half
    of the cycle is a post_update UPDATE."""
    class Base(DeclarativeBase):
        pass

    class Entry(Base):
        __tablename__ = "rc_entries"
        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(ForeignKey("rc_owners.id"))
        owner: Mapped[Owner] = relationship(foreign_keys=[owner_id], back_populates="entries")

    class Owner(Base):
        __tablename__ = "rc_owners"
        id: Mapped[int] = mapped_column(primary_key=True)
        pinned_id: Mapped[Optional[int]] = mapped_column(
            ForeignKey("rc_entries.id", use_alter=True, name="fk_rc_pinned"))
        entries: Mapped[list[Entry]] = relationship(foreign_keys=[Entry.owner_id],
                                                    back_populates="owner")
        pinned: Mapped[Optional[Entry]] = relationship(foreign_keys=[pinned_id],
                                                       post_update=True)

    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            owner = Owner()
            entry = Entry(owner=owner)
            owner.pinned = entry
            session.add(owner)
            session.commit()
            assert (entry.owner_id, owner.pinned_id) == (owner.id, entry.id)
    finally:
        Base.metadata.drop_all(engine)
