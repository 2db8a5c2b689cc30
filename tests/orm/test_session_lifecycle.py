"""Session basics on a real database: object states, add / get / delete / expunge / expire /
refresh / merge, the identity map and sessionmaker / scoped_session."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import String, exc, inspect, select
from sqlwright.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    object_session,
    scoped_session,
    sessionmaker,
)
from sqlwright.orm import exc as orm_exc


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "lc_users"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        email: Mapped[str | None] = mapped_column(String(100))

    Base.metadata.create_all(engine)
    yield SimpleNamespace(Base=Base, User=User, engine=engine)
    Base.metadata.drop_all(engine)


def _count(engine: Any, table: str = "lc_users") -> int:
    from sqlwright import text

    with engine.connect() as conn:
        return int(conn.scalar(text(f"SELECT COUNT(*) FROM {table}")))


def test_states_through_the_lifecycle(m: SimpleNamespace) -> None:
    user = m.User(name="alice")
    insp = inspect(user)
    assert insp.transient
    with Session(m.engine) as session:
        session.add(user)
        assert insp.pending and user in session and user in session.new
        session.flush()
        assert insp.persistent and user.id is not None
        assert object_session(user) is session
        session.delete(user)
        assert user in session.deleted
        session.flush()
        assert insp.deleted
        session.commit()
        assert insp.detached and insp.was_deleted
    assert _count(m.engine) == 0


def test_commit_writes_and_expires(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        user = m.User(name="bob", email="b@example.com")
        session.add(user)
        session.commit()
        assert "name" not in user.__dict__  # expired by commit
        assert user.name == "bob"           # reloaded
    assert _count(m.engine) == 1


def test_expire_on_commit_false_keeps_values_after_close(m: SimpleNamespace) -> None:
    maker = sessionmaker(bind=m.engine, expire_on_commit=False)
    with maker() as session:
        user = m.User(name="carol")
        session.add(user)
        session.commit()
    assert inspect(user).detached
    assert user.name == "carol"


def test_detached_expired_attribute_raises(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        user = m.User(name="dave")
        session.add(user)
        session.commit()
    with pytest.raises(orm_exc.DetachedInstanceError, match="name"):
        _ = user.name


def test_get_uses_identity_map_then_database(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        session.add(m.User(id=7, name="erin"))
        session.commit()
    with Session(m.engine) as session:
        first = session.get(m.User, 7)
        assert first is not None and first.name == "erin"
        assert session.get(m.User, 7) is first
        assert session.get(m.User, {"id": 7}) is first
        assert session.get(m.User, 8) is None
        with pytest.raises(exc.NoResultFound):
            session.get_one(m.User, 8)
        with pytest.raises(exc.InvalidRequestError, match="primary key"):
            session.get(m.User, (1, 2))


def test_identity_map_is_weak_for_clean_objects(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        session.add_all([m.User(name="a"), m.User(name="b")])
        session.commit()
        users = session.scalars(select(m.User)).all()
        assert len(session.identity_map) == 2
        del users
        gc.collect()
        assert len(session.identity_map) == 0


def test_modified_objects_are_held_until_flush(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        session.add(m.User(id=1, name="a"))
        session.commit()
        user = session.get(m.User, 1)
        assert user is not None
        user.name = "changed"
        del user
        gc.collect()
        assert len(session.dirty) == 1
        session.commit()
    with Session(m.engine) as session:
        again = session.get(m.User, 1)
        assert again is not None and again.name == "changed"


def test_dirty_and_is_modified(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        user = m.User(name="x")
        session.add(user)
        session.commit()
        assert not session.dirty
        assert user.name == "x"        # load the expired value first
        user.name = "x"
        assert user in session.dirty
        assert not session.is_modified(user)
        user.name = "y"
        assert session.is_modified(user)
        hist = inspect(user).attrs.name.history
        assert list(hist.added) == ["y"] and list(hist.deleted) == ["x"]


def test_expunge_and_expunge_all(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        user = m.User(name="p")
        session.add(user)
        session.expunge(user)
        assert inspect(user).transient
        session.commit()
        assert _count(m.engine) == 0
        with pytest.raises(exc.InvalidRequestError, match="not in this Session"):
            session.expunge(user)
        other = m.User(name="q")
        session.add(other)
        session.commit()
        _ = other.name
        session.expunge_all()
        assert inspect(other).detached and len(session.identity_map) == 0


def test_expire_and_refresh(m: SimpleNamespace) -> None:
    from sqlwright import text

    with Session(m.engine) as session:
        user = m.User(name="before", email="e@x.org")
        session.add(user)
        session.commit()
        _ = user.name
        session.execute(text("UPDATE lc_users SET name = 'after', email = 'f@x.org'"))
        assert user.name == "before"            # still the loaded value
        session.expire(user, ["name"])
        assert user.name == "after"
        assert user.email == "e@x.org"          # not expired
        user.email = "unsaved"
        session.refresh(user)
        assert user.email == "f@x.org"          # refresh discards the unflushed change
        session.execute(text("UPDATE lc_users SET name = 'again'"))
        session.expire_all()
        assert user.name == "again"


def test_refresh_of_deleted_row_and_expired_deleted_row(m: SimpleNamespace) -> None:
    from sqlwright import text

    with Session(m.engine) as session:
        user = m.User(name="gone")
        session.add(user)
        session.commit()
        session.execute(text("DELETE FROM lc_users"))
        with pytest.raises(orm_exc.ObjectDeletedError):
            _ = user.name
        with pytest.raises(exc.InvalidRequestError, match="no longer exists"):
            session.refresh(user)


def test_delete_requires_persistent(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        with pytest.raises(exc.InvalidRequestError, match="not persisted"):
            session.delete(m.User(name="never"))


def test_object_in_two_sessions_is_refused(m: SimpleNamespace) -> None:
    user = m.User(name="twice")
    with Session(m.engine) as one, Session(m.engine) as two:
        one.add(user)
        with pytest.raises(exc.InvalidRequestError, match="already attached"):
            two.add(user)


def test_merge_copies_onto_the_session_object(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        session.add(m.User(id=3, name="orig"))
        session.commit()
    detached = m.User(id=3, name="merged")
    with Session(m.engine) as session:
        merged = session.merge(detached)
        assert merged is not detached and merged.name == "merged"
        assert inspect(detached).transient
        fresh = session.merge(m.User(id=4, name="new"))
        assert fresh in session.new
        session.commit()
    with Session(m.engine) as session:
        names = session.scalars(select(m.User.name).order_by(m.User.id)).all()
        assert names == ["merged", "new"]


def test_readd_detached_object(m: SimpleNamespace) -> None:
    maker = sessionmaker(m.engine, expire_on_commit=False)
    with maker() as session:
        user = m.User(name="back")
        session.add(user)
        session.commit()
    with maker() as session:
        session.add(user)
        assert inspect(user).persistent
        user.name = "again"
        session.commit()
    with maker() as session:
        assert session.scalars(select(m.User.name)).one() == "again"


def test_sessionmaker_configuration(m: SimpleNamespace) -> None:
    maker = sessionmaker(autocommit=False, autoflush=False, bind=m.engine)
    session = maker()
    assert isinstance(session, Session) and not session.autoflush
    assert maker(autoflush=True).autoflush
    with maker.begin() as session:
        session.add(m.User(name="in begin"))
    assert _count(m.engine) == 1
    with pytest.raises(exc.ArgumentError, match="autocommit"):
        sessionmaker(bind=m.engine, autocommit=True)


def test_scoped_session_is_per_thread(m: SimpleNamespace) -> None:
    registry = scoped_session(sessionmaker(bind=m.engine))
    main = registry()
    assert registry() is main
    seen: list[Any] = []
    worker = threading.Thread(target=lambda: seen.append(registry()))
    worker.start()
    worker.join()
    assert seen[0] is not main
    registry.add(m.User(name="proxied"))
    registry.commit()
    registry.remove()
    assert registry() is not main
    assert _count(m.engine) == 1
    registry.remove()


def test_close_all_sessions(m: SimpleNamespace) -> None:
    from sqlwright.orm import close_all_sessions

    session = Session(m.engine)
    user = m.User(name="z")
    session.add(user)
    close_all_sessions()
    assert inspect(user).transient
