"""MappedAsDataclass: mapped classes with dataclass semantics, persisted for real."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sqlwright import String, select
from sqlwright.orm import DeclarativeBase, Mapped, MappedAsDataclass, Session, mapped_column


class Base(MappedAsDataclass, DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "md_notes"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    title: Mapped[str] = mapped_column(String(50))
    body: Mapped[str | None] = mapped_column(String(200), default=None)
    tags: Mapped[list[str]] = mapped_column(default_factory=list)
    secret: Mapped[str] = mapped_column(String(20), default="s", repr=False)


class Frozenish(Base, kw_only=True, eq=False):
    __tablename__ = "md_kw"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    name: Mapped[str] = mapped_column(String(20))


def test_dataclass_init_repr_eq() -> None:
    note = Note("hello")
    assert dataclasses.is_dataclass(Note)
    assert (note.title, note.body, note.tags, note.secret) == ("hello", None, [], "s")
    assert note.tags is not Note("x").tags  # default_factory gives a fresh list
    assert repr(note) == "Note(id=None, title='hello', body=None, tags=[])"
    assert Note("a", body="b") == Note("a", body="b")
    assert hash(note) == object.__hash__(note)  # still usable in sets and as dict keys
    with pytest.raises(TypeError):
        Note(id=5, title="no id in __init__")  # type: ignore[call-arg]


def test_class_options_are_applied() -> None:
    with pytest.raises(TypeError):
        Frozenish("positional")  # type: ignore[misc]
    first, second = Frozenish(name="a"), Frozenish(name="a")
    assert first != second  # eq=False: identity comparison


def test_dataclass_objects_persist_and_load(engine: Any) -> None:
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            note = Note("hello", body="world", tags=["a", "b"])
            session.add(note)
            session.commit()
            assert note.id == 1
        with Session(engine) as session:
            loaded = session.scalars(select(Note)).one()
            assert (loaded.id, loaded.title, loaded.body, loaded.tags) == \
                (1, "hello", "world", ["a", "b"])
    finally:
        Base.metadata.drop_all(engine)


class Audited:
    """A plain mixin: its mapped attributes become dataclass fields of each model."""

    created_by: Mapped[str] = mapped_column(String(20), default="system", kw_only=True)


class Entity(Base):
    __abstract__ = True
    id: Mapped[int] = mapped_column(primary_key=True, init=False)


class Task(Audited, Entity):
    __tablename__ = "md_tasks"
    name: Mapped[str] = mapped_column(String(20))


def test_mixin_and_abstract_fields_join_the_dataclass() -> None:
    task = Task("write docs", created_by="ann")
    assert (task.id, task.name, task.created_by) == (None, "write docs", "ann")
    assert Task("x").created_by == "system"
    assert [f.name for f in dataclasses.fields(Task)] == ["id", "created_by", "name"]
    assert set(Task.__table__.c.keys()) == {"id", "created_by", "name"}
