"""API guide, "Testing": the transaction tests on every backend of the suite's ``engine``
fixture, with the guide's ``session`` fixture built on it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sqlwright import Column, Integer, String, select
from sqlwright.exc import IntegrityError
from sqlwright.orm import Session, declarative_base, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(50), unique=True, nullable=False)
    email = Column(String(100), nullable=False)


@pytest.fixture
def session(engine: Any) -> Iterator[Session]:
    Base.metadata.drop_all(bind=engine)
    Base.metadata.create_all(bind=engine)
    SessionLocal = sessionmaker(bind=engine)
    session = SessionLocal()
    yield session
    session.close()
    Base.metadata.drop_all(bind=engine)


def test_transaction_rollback(session: Session) -> None:
    user = User(username="alice", email="alice@example.com")
    session.add(user)
    session.flush()  # Generate ID but don't commit

    user_id = user.id
    assert user_id is not None
    session.rollback()

    # User should not exist
    result = session.get(User, user_id)
    assert result is None


def test_nested_transaction(session: Session) -> None:
    user = User(username="alice", email="alice@example.com")
    session.add(user)

    # Create savepoint
    savepoint = session.begin_nested()

    user.email = "newemail@example.com"
    savepoint.rollback()

    # Email change should be rolled back
    session.refresh(user)
    assert user.email == "alice@example.com"


def test_nested_transaction_keeps_outer_work(session: Session) -> None:
    """A failed savepoint rolls back only its own work; the outer transaction commits."""
    session.add(User(username="alice", email="a@x"))
    session.flush()
    savepoint = session.begin_nested()
    session.add(User(username="alice", email="duplicate@x"))
    with pytest.raises(IntegrityError):
        session.flush()
    savepoint.rollback()
    session.add(User(username="bob", email="b@x"))
    session.commit()
    assert session.scalars(select(User.username).order_by(User.username)).all() == [
        "alice", "bob"]
