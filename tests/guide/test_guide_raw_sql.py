"""API guide, "Raw SQL": text() through a Session, mapping rows to objects, CTEs.

The full-text search example (ts_rank, to_tsvector) is PostgreSQL's and runs only there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional

import pytest

from sqlwright import ForeignKey, String, Text, select, text, true
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    email: Mapped[Optional[str]] = mapped_column(String(100))
    # server_default: the raw INSERTs below leave the column out.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class UserProfile(Base):
    __tablename__ = "user_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50))
    bio: Mapped[str] = mapped_column(Text)


@pytest.fixture
def data(engine: Any) -> Iterator[None]:
    """alice (2 posts), andy (inactive, 1 post), bob (0 posts)."""
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        alice = User(username="alice", email="alice@example.com")
        andy = User(username="andy", email="andy@example.com", is_active=False)
        session.add_all([alice, andy, User(username="bob", email="bob@example.com")])
        session.flush()
        session.add_all([Post(user_id=alice.id), Post(user_id=alice.id), Post(user_id=andy.id)])
        session.commit()
    yield
    Base.metadata.drop_all(engine)


def test_execute_and_scalar(engine: Any, data: None, capsys: pytest.CaptureFixture[str]) -> None:
    # Execute raw SQL
    with Session(engine) as session:
        result = session.execute(text("SELECT * FROM users WHERE username = :username"),
                                 {"username": "alice"})
        for row in result:
            print(row)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "'alice'" in out and "alice@example.com" in out

    # Fetch single value
    with Session(engine) as session:
        count = session.scalar(text("SELECT COUNT(*) FROM users"))
        print(f"Total users: {count}")
    assert capsys.readouterr().out == "Total users: 3\n"


def test_map_rows_to_objects(engine: Any, data: None) -> None:
    # Map results to ORM objects
    with Session(engine) as session:
        result = session.execute(
            text("SELECT * FROM users WHERE is_active = :active")
            .bindparams(active=True)
        )
        users = [User(**row._mapping) for row in result]
    assert sorted(u.username for u in users) == ["alice", "bob"]
    assert all(isinstance(u, User) and u.is_active for u in users)

    # Use from_statement for ORM objects
    with Session(engine) as session:
        stmt = text("SELECT * FROM users WHERE username LIKE :pattern")
        users = session.scalars(
            select(User).from_statement(stmt),
            {"pattern": "a%"}
        ).all()
        assert sorted(u.username for u in users) == ["alice", "andy"]
        alice = next(u for u in users if u.username == "alice")
        assert session.get(User, alice.id) is alice  # the identity map holds the loaded object


def test_insert_and_bulk_insert(engine: Any, data: None) -> None:
    # Insert with raw SQL
    with Session(engine) as session:
        session.execute(
            text("INSERT INTO users (username, email) VALUES (:username, :email)"),
            {"username": "newuser", "email": "new@example.com"}
        )
        session.commit()

    # Bulk operations
    with Session(engine) as session:
        session.execute(
            text("INSERT INTO users (username, email) VALUES (:username, :email)"),
            [
                {"username": "user1", "email": "user1@example.com"},
                {"username": "user2", "email": "user2@example.com"},
            ]
        )
        session.commit()

    with Session(engine) as session:
        rows = session.execute(select(User.username, User.email)
                               .where(User.username.not_in(["alice", "andy", "bob"]))
                               .order_by(User.username)).all()
    assert [tuple(r) for r in rows] == [("newuser", "new@example.com"),
                                        ("user1", "user1@example.com"),
                                        ("user2", "user2@example.com")]


def test_complex_query_with_cte(engine: Any, data: None) -> None:
    # Complex query with CTE
    with Session(engine) as session:
        query = text("""
            WITH active_users AS (
                SELECT id, username FROM users WHERE is_active = true
            )
            SELECT au.username, COUNT(p.id) as post_count
            FROM active_users au
            LEFT JOIN posts p ON au.id = p.user_id
            GROUP BY au.username
            ORDER BY post_count DESC
        """)
        results = session.execute(query).all()
    assert [tuple(r) for r in results] == [("alice", 2), ("bob", 0)]
    assert results[0].post_count == 2


def test_database_specific_functions(engine: Any, data: None) -> None:
    with engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            pytest.skip("ts_rank/to_tsvector are PostgreSQL full-text search functions")
    with Session(engine) as session:
        session.add_all([
            UserProfile(username="alice", bio="Python developer and writer"),
            UserProfile(username="bob", bio="Java developer"),
        ])
        session.commit()
        # PostgreSQL specific
        result = session.execute(text("""
            SELECT username,
                   ts_rank(to_tsvector('english', bio), query) AS rank
            FROM user_profiles, to_tsquery('english', :search) query
            WHERE to_tsvector('english', bio) @@ query
            ORDER BY rank DESC
        """), {"search": "python & developer"})
        rows = result.all()
    assert [r.username for r in rows] == ["alice"]
    assert rows[0].rank > 0
