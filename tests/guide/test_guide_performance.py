"""API guide, "Performance Optimization": bulk operations and efficient querying.

Caching (cachetools, dogpile, sqlalchemy.ext.*) is about other libraries and is not run here;
"Lazy vs Eager Loading" belongs to the relationship tests (issue 7).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sqlwright import Boolean, Column, Integer, String, exists, func, insert, select
from sqlwright.engine import Row
from sqlwright.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(50), unique=True, nullable=False)
    email = Column(String(100), unique=True, nullable=False)
    is_active = Column(Boolean, default=True)


@pytest.fixture
def tables(engine: Any) -> Iterator[None]:
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield
    Base.metadata.drop_all(engine)


@pytest.fixture
def many_users(engine: Any, tables: None) -> int:
    with engine.begin() as conn:
        conn.execute(insert(User), [{"username": f"u{i:04}", "email": f"u{i:04}@x"}
                                    for i in range(250)])
    return 250


def rows(engine: Any) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        return [tuple(r) for r in session.execute(
            select(User.id, User.username, User.is_active).order_by(User.id))]


def test_bulk_insert_and_update_mappings(engine: Any, tables: None) -> None:
    # Bulk insert (fastest)
    with Session(engine) as session:
        session.bulk_insert_mappings(
            User,
            [
                {"username": "user1", "email": "user1@example.com"},
                {"username": "user2", "email": "user2@example.com"},
            ]
        )
        session.commit()
    assert rows(engine) == [(1, "user1", True), (2, "user2", True)]

    # Bulk update
    with Session(engine) as session:
        session.bulk_update_mappings(
            User,
            [
                {"id": 1, "is_active": False},
                {"id": 2, "is_active": False},
            ]
        )
        session.commit()
    assert rows(engine) == [(1, "user1", False), (2, "user2", False)]


def test_core_insert(engine: Any, tables: None) -> None:
    # Core insert (even faster)
    with engine.begin() as conn:
        stmt = insert(User).values([
            {"username": "user1", "email": "user1@example.com"},
            {"username": "user2", "email": "user2@example.com"},
        ])
        conn.execute(stmt)
    assert rows(engine) == [(1, "user1", True), (2, "user2", True)]


def test_yield_per(engine: Any, many_users: int) -> None:
    seen: list[str] = []

    def process_user(user: Any) -> None:
        assert isinstance(user, User)
        seen.append(user.username)

    # Use yield_per for large result sets
    with Session(engine) as session:
        stmt = select(User)
        for user in session.scalars(stmt).yield_per(100):
            process_user(user)
    assert sorted(seen) == [f"u{i:04}" for i in range(many_users)]


def test_partitions(engine: Any, many_users: int) -> None:
    batches: list[list[Any]] = []

    def process_batch(partition: list[Any]) -> None:
        batches.append(partition)

    # Use streaming results
    with Session(engine) as session:
        result = session.execute(select(User)).partitions(100)
        for partition in result:
            process_batch(partition)
    assert [len(b) for b in batches] == [100, 100, 50]
    first = batches[0][0]
    assert isinstance(first, Row) and isinstance(first[0], User)


def test_limit_and_exists_instead_of_count(engine: Any, many_users: int) -> None:
    with Session(engine) as session:
        # Limit query results
        stmt = select(User).limit(100)
        assert len(session.scalars(stmt).all()) == 100

        # Slow
        count = session.scalar(select(func.count()).select_from(User)
                               .where(User.username == "u0007"))
        assert count == 1

        # Fast
        exists_stmt = select(exists().where(User.username == "u0007"))
        assert session.scalar(exists_stmt) is True
        assert session.scalar(select(exists().where(User.username == "alice"))) is False
