"""API guide, "Testing": its engine/session fixtures (in-memory SQLite with StaticPool, as the
guide writes them, overriding the suite's ``engine`` in this module) and its tests of models,
queries and transactions. The same transaction tests run on every backend in
test_guide_testing_backends.py. Relationship tests, factory_boy and FastAPI are not ours here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import Mock

import pytest

from sqlwright import Boolean, Column, Integer, String, create_engine, select
from sqlwright.exc import IntegrityError
from sqlwright.orm import Session, declarative_base, sessionmaker
from sqlwright.pool import StaticPool

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(50), unique=True, nullable=False, index=True)
    email = Column(String(100), unique=True, nullable=False)
    is_active = Column(Boolean, default=True)


# Use in-memory SQLite for tests
TEST_DATABASE_URL = "sqlite:///:memory:"


@pytest.fixture(scope="function")
def engine() -> Iterator[Any]:
    engine = create_engine(
        TEST_DATABASE_URL,
        connect_args={"check_same_thread": False},
        poolclass=StaticPool,
        echo=True
    )
    Base.metadata.create_all(bind=engine)
    yield engine
    Base.metadata.drop_all(bind=engine)
    engine.dispose()


@pytest.fixture(scope="function")
def session(engine: Any) -> Iterator[Session]:
    SessionLocal = sessionmaker(bind=engine)
    session = SessionLocal()
    yield session
    session.close()


def test_fixture_engine_is_one_shared_memory_database(engine: Any) -> None:
    """StaticPool: every checkout is the same connection, so the tables stay visible."""
    assert isinstance(engine.pool, StaticPool)
    with engine.connect() as a:
        first = a.connection.dbapi_connection
    with engine.connect() as b:
        assert b.connection.dbapi_connection is first
    with Session(engine) as other:
        assert other.scalars(select(User)).all() == []


def test_create_user(session: Session) -> None:
    user = User(username="testuser", email="test@example.com")
    session.add(user)
    session.commit()

    assert user.id is not None
    assert user.username == "testuser"
    assert user.email == "test@example.com"


def test_unique_constraint(session: Session) -> None:
    user1 = User(username="alice", email="alice@example.com")
    session.add(user1)
    session.commit()

    user2 = User(username="alice", email="alice2@example.com")
    session.add(user2)

    with pytest.raises(IntegrityError):
        session.commit()


def test_query_users(session: Session) -> None:
    # Setup
    users = [
        User(username="alice", email="alice@example.com"),
        User(username="bob", email="bob@example.com"),
        User(username="charlie", email="charlie@example.com"),
    ]
    session.add_all(users)
    session.commit()

    # Test
    stmt = select(User).where(User.username.like("a%"))
    results = session.scalars(stmt).all()

    assert len(results) == 1
    assert results[0].username == "alice"


def test_with_mock_session() -> None:
    mock_session = Mock(spec=Session)
    mock_user = User(id=1, username="alice", email="alice@example.com")
    mock_session.get.return_value = mock_user

    result = mock_session.get(User, 1)

    assert result.username == "alice"
    mock_session.get.assert_called_once_with(User, 1)
    with pytest.raises(AttributeError):
        mock_session.no_such_session_method  # noqa: B018  (spec=Session limits the mock)


def test_transaction_rollback(session: Session) -> None:
    user = User(username="alice", email="alice@example.com")
    session.add(user)
    session.flush()  # Generate ID but don't commit

    user_id = user.id
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
