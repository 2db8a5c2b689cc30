"""API guide, "Sessions": sessionmaker, the context manager, get_db, scoped_session and the
key Session methods, on the ``engine`` fixture's database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from sqlwright import Integer, String, func, select
from sqlwright.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    scoped_session,
    sessionmaker,
)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


@pytest.fixture
def tables(engine: Any) -> Iterator[None]:
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield
    Base.metadata.drop_all(engine)


def names(engine: Any) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(User.name).order_by(User.name)))


def test_sessionmaker_try_except_finally(engine: Any, tables: None) -> None:
    SessionLocal = sessionmaker(bind=engine)

    session = SessionLocal()
    try:
        user = User(name="Alice")
        session.add(user)
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
    assert names(engine) == ["Alice"]

    # The except branch: a failing unit of work leaves nothing behind.
    session = SessionLocal()
    with pytest.raises(ZeroDivisionError):
        try:
            session.add(User(name="Zed"))
            session.flush()
            1 / 0  # noqa: B018
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()
    assert names(engine) == ["Alice"]


def test_session_context_manager(engine: Any, tables: None) -> None:
    with Session(engine) as session:
        user = User(name="Bob")
        session.add(user)
        session.commit()
    assert user not in session  # closed on exit: the object is detached
    assert names(engine) == ["Bob"]


def test_get_db_dependency(engine: Any, tables: None) -> None:
    SessionLocal = sessionmaker(bind=engine)
    closed: list[Session] = []

    def get_db() -> Iterator[Session]:
        db = SessionLocal()
        try:
            yield db
        finally:
            db.close()
            closed.append(db)

    gen = get_db()
    db = next(gen)
    db.add(User(name="Carol"))
    db.commit()
    gen.close()  # what the web framework does after the request
    assert closed == [db]
    assert not db.in_transaction()
    assert names(engine) == ["Carol"]


def test_scoped_session(engine: Any, tables: None) -> None:
    SessionLocal = scoped_session(sessionmaker(bind=engine))

    session = SessionLocal()
    assert SessionLocal() is session  # one session per thread
    other: list[Session] = []
    worker = threading.Thread(target=lambda: other.append(SessionLocal()))
    worker.start()
    worker.join()
    assert other[0] is not session

    SessionLocal.add(User(name="Dora"))  # proxies to the current session
    SessionLocal.commit()
    SessionLocal.remove()
    assert not SessionLocal.has()
    assert SessionLocal() is not session
    SessionLocal.remove()
    assert names(engine) == ["Dora"]


def test_key_session_methods(engine: Any, tables: None) -> None:
    with Session(engine) as session:
        alice = User(name="alice")
        session.add(alice)
        bob, carl = User(name="bob"), User(name="carl")
        session.add_all([bob, carl])
        assert set(session.new) == {alice, bob, carl}

        session.flush()  # sent, not committed: ids exist
        assert alice.id is not None and bob.id is not None
        alice_id = alice.id
        assert names(engine) == []  # another connection sees nothing yet

        session.commit()
        assert names(engine) == ["alice", "bob", "carl"]

        session.delete(carl)
        bob.name = "robert"
        session.flush()
        session.rollback()  # undo both
        assert bob.name == "bob"
        assert carl in session
        session.commit()  # end the read transaction: it would hide (or lock out) the next write

        with Session(engine) as other:
            other.get(User, alice_id).name = "alicia"
            other.commit()
        session.refresh(alice)
        assert alice.name == "alicia"

        session.expunge(bob)
        assert bob not in session
        bob.name = "ignored"
        session.delete(carl)
        session.commit()
    assert names(engine) == ["alicia", "bob"]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 2
