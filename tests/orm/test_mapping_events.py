"""Mapper, instance and attribute events on real flushes."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import String, event, exc, select
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlwright.orm.attributes import fire_append_event, fire_remove_event
from sqlwright.orm.state import InstanceState


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "me_users"
        id: Mapped[int] = mapped_column(primary_key=True)
        username: Mapped[str] = mapped_column(String(50))
        email: Mapped[str | None] = mapped_column(String(100))

    class Tag(Base):
        __tablename__ = "me_tags"
        id: Mapped[int] = mapped_column(primary_key=True)
        label: Mapped[str] = mapped_column(String(20))

    Base.metadata.create_all(engine)
    yield SimpleNamespace(Base=Base, User=User, Tag=Tag, engine=engine)
    Base.metadata.drop_all(engine)


def test_attribute_set_event_with_retval_changes_the_value(m: SimpleNamespace) -> None:
    seen: list[tuple[Any, Any]] = []

    @event.listens_for(m.User.email, "set", retval=True)
    def normalize(target: Any, value: Any, oldvalue: Any, initiator: Any) -> Any:
        seen.append((oldvalue, value))
        assert initiator.key == "email" and target.__class__ is m.User
        return value.lower()

    user = m.User(username="a", email="Ann@Example.COM")
    assert user.email == "ann@example.com"
    user.email = "X@Y.Z"
    assert user.email == "x@y.z"
    assert [v for _, v in seen] == ["Ann@Example.COM", "X@Y.Z"]
    assert repr(seen[0][0]) == "NO_VALUE" and seen[1][0] == "ann@example.com"
    with Session(m.engine) as session:
        session.add(user)
        session.commit()
        assert session.scalar(select(m.User.email)) == "x@y.z"


def test_set_listener_without_retval_cannot_change_value(m: SimpleNamespace) -> None:
    event.listen(m.User.username, "set", lambda t, v, o, i: "ignored")
    assert m.User(username="kept").username == "kept"


def test_append_and_remove_events_for_collections(m: SimpleNamespace) -> None:
    calls: list[tuple[str, Any]] = []
    attribute = m.User.username

    def on_append(target: Any, value: Any, initiator: Any) -> Any:
        calls.append(("append", value))
        return value * 2

    event.listen(attribute, "append", on_append, retval=True)
    event.listen(attribute, "remove", lambda t, v, i: calls.append(("remove", v)))
    user = m.User()
    assert fire_append_event(user, attribute, 2) == 4
    fire_remove_event(user, attribute, 4)
    assert calls == [("append", 2), ("remove", 4)]


def test_mapper_events_fire_around_each_row(m: SimpleNamespace) -> None:
    log: list[str] = []

    for name in ("before_insert", "after_insert", "before_update", "after_update",
                 "before_delete", "after_delete"):
        def listener(mapper: Any, connection: Any, target: Any, name: str = name) -> None:
            assert mapper.class_ is m.User
            log.append(f"{name}:{target.username}:{target.id}")
            if name == "before_insert":
                target.email = f"{target.username}@auto"
        event.listen(m.User, name, listener)

    with Session(m.engine) as session:
        user = m.User(username="ann")
        session.add(user)
        session.commit()
        assert log == ["before_insert:ann:None", "after_insert:ann:1"]
        user.username = "bea"
        session.commit()
        session.delete(user)
        session.commit()
    assert log[2:] == ["before_update:bea:1", "after_update:bea:1",
                       "before_delete:bea:1", "after_delete:bea:1"]
    with Session(m.engine) as session:
        assert session.scalar(select(m.User)) is None


def test_listener_on_the_base_applies_to_every_mapped_class(m: SimpleNamespace) -> None:
    inserted: list[str] = []
    event.listen(m.Base, "after_insert",
                 lambda mapper, conn, target: inserted.append(type(target).__name__))
    with Session(m.engine) as session:
        session.add_all([m.User(username="u"), m.Tag(label="t")])
        session.commit()
    assert sorted(inserted) == ["Tag", "User"]


def test_instance_events_init_load_expire_and_raw(m: SimpleNamespace) -> None:
    log: list[Any] = []
    event.listen(m.User, "init", lambda target, args, kwargs: log.append(("init", kwargs)))
    event.listen(m.User, "load", lambda target, context: log.append(("load", target.username)))
    event.listen(m.User, "expire", lambda target, attrs: log.append(("expire", attrs)))
    event.listen(m.User, "load", lambda state, context: log.append(("raw", type(state))),
                 raw=True)
    with Session(m.engine) as session:
        user = m.User(username="ann")
        session.add(user)
        session.commit()
    assert log[0] == ("init", {"username": "ann"})
    assert ("expire", None) in log  # expire_on_commit
    log.clear()
    with Session(m.engine) as session:
        session.scalars(select(m.User)).one()
    assert log == [("load", "ann"), ("raw", InstanceState)]


def test_unknown_event_name_suggests_the_right_one(m: SimpleNamespace) -> None:
    with pytest.raises(exc.InvalidRequestError, match="Did you mean 'before_insert'"):
        event.listen(m.User, "before_inserts", lambda *a: None)


def test_remove_listener(m: SimpleNamespace) -> None:
    log: list[str] = []

    def fn(target: Any, args: Any, kwargs: Any) -> None:
        log.append("init")

    event.listen(m.User, "init", fn)
    m.User()
    event.remove(m.User, "init", fn)
    m.User()
    assert log == ["init"]


def test_attribute_listener_propagates_to_subclass_attributes_on_request(
        m: SimpleNamespace) -> None:
    seen: list[str] = []
    event.listen(m.User.username, "set", lambda t, v, o, i: seen.append(f"all:{v}"),
                 propagate=True)
    event.listen(m.User.username, "set", lambda t, v, o, i: seen.append(f"own:{v}"))

    class Admin(m.User):  # single-table subclass: its own descriptors for the columns
        pass

    assert Admin.__dict__["username"] is not m.User.__dict__["username"]
    Admin(username="root")
    m.User(username="ann")
    assert seen == ["all:root", "all:ann", "own:ann"]
