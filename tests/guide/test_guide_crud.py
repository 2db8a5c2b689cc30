"""API guide, "CRUD Operations": creating, reading, updating and deleting records.

The guide's User model (its "Basic Model") plus ``login_count``, which the "Update with
expression" example uses but the model lacks (docs/guide-differences.md).
"Create with relationships" is covered by the relationship tests (issue 7).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from sqlwright import Boolean, Column, DateTime, Integer, String, delete, func, select, update
from sqlwright.exc import MultipleResultsFound, NoResultFound
from sqlwright.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(50), unique=True, nullable=False, index=True)
    email = Column(String(100), unique=True, nullable=False)
    is_active = Column(Boolean, default=True)
    created_at = Column(DateTime, default=datetime.utcnow)
    updated_at = Column(DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)
    login_count = Column(Integer, default=0, nullable=False)


@pytest.fixture
def tables(engine: Any) -> Iterator[None]:
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield
    Base.metadata.drop_all(engine)


@pytest.fixture
def people(engine: Any, tables: None) -> None:
    """alice (id 1), bob (2, inactive), charlie (3)."""
    with Session(engine) as session:
        session.add_all([
            User(id=1, username="alice", email="alice@example.com"),
            User(id=2, username="bob", email="bob@example.com", is_active=False),
            User(id=3, username="charlie", email="charlie@example.com"),
        ])
        session.commit()


def usernames(engine: Any) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(User.username).order_by(User.id)))


def test_create(engine: Any, tables: None, capsys: pytest.CaptureFixture[str]) -> None:
    # Create single record
    with Session(engine) as session:
        user = User(username="alice", email="alice@example.com")
        session.add(user)
        session.commit()
        # user.id is now populated
        print(f"Created user with ID: {user.id}")
    assert capsys.readouterr().out == f"Created user with ID: {user.id}\n"
    assert isinstance(user.id, int)

    # Create multiple records
    with Session(engine) as session:
        users = [
            User(username="bob", email="bob@example.com"),
            User(username="charlie", email="charlie@example.com"),
        ]
        session.add_all(users)
        session.commit()
        assert users[0].id != users[1].id

    # Bulk insert (more efficient)
    with Session(engine) as session:
        session.bulk_insert_mappings(
            User,
            [
                {"username": "user1", "email": "user1@example.com"},
                {"username": "user2", "email": "user2@example.com"},
            ]
        )
        session.commit()

    assert usernames(engine) == ["alice", "bob", "charlie", "user1", "user2"]
    with Session(engine) as session:
        bulk = session.scalars(select(User).where(User.username == "user1")).one()
        assert bulk.is_active is True  # Python-side defaults apply to bulk inserts too
        assert bulk.login_count == 0


def test_read(engine: Any, people: None, capsys: pytest.CaptureFixture[str]) -> None:
    # Get by primary key
    with Session(engine) as session:
        user = session.get(User, 1)
        if user:
            print(user.username)
    assert capsys.readouterr().out == "alice\n"

    # Get first result
    with Session(engine) as session:
        stmt = select(User).where(User.username == "alice")
        user = session.scalar(stmt)
        assert user is not None and user.id == 1

    # Get all results
    with Session(engine) as session:
        stmt = select(User).where(User.is_active == True)  # noqa: E712
        users = session.scalars(stmt).all()
        for user in users:
            print(user.username)
    assert sorted(capsys.readouterr().out.split()) == ["alice", "charlie"]

    # Get with filter conditions
    with Session(engine) as session:
        stmt = select(User).where(
            User.username.like("a%"),
            User.is_active == True  # noqa: E712
        ).order_by(User.created_at.desc())
        users = session.scalars(stmt).all()
        assert [u.username for u in users] == ["alice"]

    # Get one or raise exception
    with Session(engine) as session:
        stmt = select(User).where(User.username == "alice")
        user = session.scalars(stmt).one()  # Raises if not found or multiple
        assert user.id == 1
        with pytest.raises(NoResultFound):
            session.scalars(select(User).where(User.username == "nobody")).one()
        with pytest.raises(MultipleResultsFound):
            session.scalars(select(User)).one()

    # Get one or None
    with Session(engine) as session:
        stmt = select(User).where(User.username == "alice")
        user = session.scalars(stmt).one_or_none()
        assert user is not None
        assert session.scalars(select(User).where(User.id == 99)).one_or_none() is None


def test_pagination_and_count(engine: Any, tables: None,
                              capsys: pytest.CaptureFixture[str]) -> None:
    with Session(engine) as session:
        session.add_all(User(username=f"u{i:02}", email=f"u{i:02}@x") for i in range(25))
        session.commit()

    # Pagination
    with Session(engine) as session:
        stmt = select(User).offset(10).limit(10)
        users = session.scalars(stmt).all()
        assert len(users) == 10
        page = session.scalars(select(User).order_by(User.id).offset(10).limit(10)).all()
        assert [u.username for u in page] == [f"u{i:02}" for i in range(10, 20)]

    # Count records
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(User))
        print(f"Total users: {count}")
    assert capsys.readouterr().out == "Total users: 25\n"


def test_update(engine: Any, people: None, capsys: pytest.CaptureFixture[str]) -> None:
    # Update single record via ORM
    with Session(engine) as session:
        user = session.get(User, 1)
        if user:
            user.email = "newemail@example.com"
            user.is_active = False
            session.commit()

    # Update with query
    with Session(engine) as session:
        stmt = select(User).where(User.username == "charlie")
        user = session.scalar(stmt)
        if user:
            user.email = "charlie_new@example.com"
            session.commit()

    with Session(engine) as session:
        alice, charlie = session.get(User, 1), session.get(User, 3)
        assert (alice.email, alice.is_active) == ("newemail@example.com", False)
        assert charlie.email == "charlie_new@example.com"

    # Bulk update using UPDATE statement
    with Session(engine) as session:
        stmt = (
            update(User)
            .where(User.is_active == False)  # noqa: E712
            .values(is_active=True)
        )
        result = session.execute(stmt)
        session.commit()
        print(f"Updated {result.rowcount} rows")
    assert capsys.readouterr().out == "Updated 2 rows\n"  # alice and bob

    # Update with expression
    for _ in range(2):
        with Session(engine) as session:
            stmt = (
                update(User)
                .where(User.id == 1)
                .values(login_count=User.login_count + 1)
            )
            session.execute(stmt)
            session.commit()

    with Session(engine) as session:
        rows = session.execute(select(User.id, User.is_active, User.login_count)
                               .order_by(User.id)).all()
        assert [tuple(r) for r in rows] == [(1, True, 2), (2, True, 0), (3, True, 0)]


def test_bulk_update_refreshes_loaded_objects(engine: Any, people: None) -> None:
    """An UPDATE run through the session updates objects already in it (synchronize)."""
    with Session(engine) as session:
        bob = session.get(User, 2)
        assert bob.is_active is False
        session.execute(update(User).where(User.is_active == False)  # noqa: E712
                        .values(is_active=True))
        assert bob.is_active is True
        session.commit()


def test_update_returning(engine: Any, people: None) -> None:
    if not engine.dialect.features.supports_update_returning:
        pytest.skip("UPDATE ... RETURNING is not supported by this database")
    # Update returning (PostgreSQL)
    with Session(engine) as session:
        stmt = (
            update(User)
            .where(User.id == 1)
            .values(email="updated@example.com")
            .returning(User)
        )
        updated_user = session.scalar(stmt)
        session.commit()
        assert isinstance(updated_user, User)
        assert (updated_user.id, updated_user.email) == (1, "updated@example.com")
    with Session(engine) as session:
        assert session.get(User, 1).email == "updated@example.com"


def test_delete(engine: Any, people: None, capsys: pytest.CaptureFixture[str]) -> None:
    # Delete single record via ORM
    with Session(engine) as session:
        user = session.get(User, 1)
        if user:
            session.delete(user)
            session.commit()
    assert usernames(engine) == ["bob", "charlie"]

    # Delete with query
    with Session(engine) as session:
        stmt = select(User).where(User.username == "charlie")
        user = session.scalar(stmt)
        if user:
            session.delete(user)
            session.commit()
    assert usernames(engine) == ["bob"]

    # Bulk delete using DELETE statement
    with Session(engine) as session:
        stmt = delete(User).where(User.is_active == False)  # noqa: E712
        result = session.execute(stmt)
        session.commit()
        print(f"Deleted {result.rowcount} rows")
    assert capsys.readouterr().out == "Deleted 1 rows\n"
    assert usernames(engine) == []


def test_delete_with_complex_condition_and_all(engine: Any, people: None) -> None:
    with Session(engine) as session:
        old = datetime.utcnow() - timedelta(days=400)
        session.execute(update(User).where(User.id.in_([1, 2])).values(created_at=old))
        session.commit()

    # Delete with complex condition
    with Session(engine) as session:
        stmt = delete(User).where(
            User.created_at < datetime.utcnow() - timedelta(days=365),
            User.is_active == False  # noqa: E712
        )
        session.execute(stmt)
        session.commit()
    assert usernames(engine) == ["alice", "charlie"]  # bob: old and inactive

    # Delete all records (be careful!)
    with Session(engine) as session:
        stmt = delete(User)
        session.execute(stmt)
        session.commit()
    assert usernames(engine) == []


def test_delete_returning(engine: Any, people: None,
                          capsys: pytest.CaptureFixture[str]) -> None:
    if not engine.dialect.features.supports_delete_returning:
        pytest.skip("DELETE ... RETURNING is not supported by this database")
    # Delete with returning (PostgreSQL)
    with Session(engine) as session:
        stmt = (
            delete(User)
            .where(User.id == 1)
            .returning(User.id, User.username)
        )
        deleted = session.execute(stmt).first()
        session.commit()
        if deleted:
            print(f"Deleted user: {deleted.username}")
    assert capsys.readouterr().out == "Deleted user: alice\n"
    assert deleted.id == 1
    assert usernames(engine) == ["bob", "charlie"]
