"""API guide, "Querying": basic queries, filtering, explicit joins, aggregations.

Joins through relationships, ``aliased()`` and eager loading belong to the relationship tests
(issue 7). ``date_trunc`` runs only where the database has it (PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Optional

import pytest

from sqlwright import (
    ForeignKey,
    Numeric,
    String,
    Text,
    and_,
    exists,
    func,
    not_,
    or_,
    select,
)
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column

NOW = datetime(2024, 6, 15, 12, 0, 0)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True, index=True)
    email: Mapped[Optional[str]] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=datetime.utcnow)


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))


@pytest.fixture
def data(engine: Any) -> Iterator[None]:
    """alice, bob (inactive), charlie (test.com), dave (no email); alice has 6 posts, bob 1."""
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([
            User(id=1, username="alice", email="alice@example.com",
                 created_at=NOW - timedelta(days=3)),
            User(id=2, username="bob", email="bob@example.com", is_active=False,
                 created_at=NOW - timedelta(days=2)),
            User(id=3, username="charlie", email="charlie@test.com",
                 created_at=NOW - timedelta(days=100)),
            User(id=4, username="dave", email=None, created_at=NOW - timedelta(days=1)),
        ])
        session.flush()
        session.add_all([Post(title=f"Python {i}", content="c", user_id=1) for i in range(6)])
        session.add(Post(title="Rust", content="c", user_id=2))
        session.add_all([
            Order(amount=Decimal("10.00"), status="paid", created_at=NOW),
            Order(amount=Decimal("20.00"), status="paid", created_at=NOW + timedelta(hours=1)),
            Order(amount=Decimal("30.00"), status="new", created_at=NOW),
            Order(amount=Decimal("40.00"), status="paid", created_at=NOW + timedelta(days=1)),
        ])
        session.add_all([Product(price=Decimal("1.50")), Product(price=Decimal("4.50"))])
        session.commit()
    yield
    Base.metadata.drop_all(engine)


def names(users: Any) -> list[str]:
    return sorted(u.username for u in users)


def test_basic_queries(engine: Any, data: None, capsys: pytest.CaptureFixture[str]) -> None:
    # Select all columns
    with Session(engine) as session:
        stmt = select(User)
        users = session.scalars(stmt).all()
        assert names(users) == ["alice", "bob", "charlie", "dave"]

    # Select specific columns
    with Session(engine) as session:
        stmt = select(User.username, User.email)
        results = session.execute(stmt).all()
        for username, email in results:
            print(f"{username}: {email}")
    assert sorted(capsys.readouterr().out.splitlines()) == [
        "alice: alice@example.com", "bob: bob@example.com", "charlie: charlie@test.com",
        "dave: None"]

    # Order by
    with Session(engine) as session:
        stmt = select(User).order_by(User.created_at.desc())
        users = session.scalars(stmt).all()
        assert [u.username for u in users] == ["dave", "bob", "alice", "charlie"]

    # Limit and offset
    with Session(engine) as session:
        stmt = select(User).limit(10).offset(20)
        users = session.scalars(stmt).all()
        assert users == []
        assert len(session.scalars(select(User).limit(10).offset(1)).all()) == 3

    # Distinct
    with Session(engine) as session:
        stmt = select(Post.user_id).distinct()
        assert sorted(session.scalars(stmt).all()) == [1, 2]
        stmt = select(User.email).distinct()
        emails = session.scalars(stmt).all()
        assert len(emails) == 4

    # First result
    with Session(engine) as session:
        stmt = select(User).order_by(User.id)
        first_user = session.scalars(stmt).first()
        assert first_user is not None and first_user.username == "alice"

    # Exists check
    with Session(engine) as session:
        stmt = select(exists().where(User.username == "alice"))
        user_exists = session.scalar(stmt)
        print(f"User exists: {user_exists}")
        assert session.scalar(select(exists().where(User.username == "zed"))) is False
    assert capsys.readouterr().out == "User exists: True\n"


def test_filtering(engine: Any, data: None) -> None:
    with Session(engine) as session:
        # Simple equality
        stmt = select(User).where(User.username == "alice")
        user = session.scalar(stmt)
        assert user is not None and user.id == 1

        # Multiple conditions (AND)
        stmt = select(User).where(
            User.is_active == True,  # noqa: E712
            User.email.like("%@example.com")
        )
        assert names(session.scalars(stmt).all()) == ["alice"]

        # OR conditions
        stmt = select(User).where(
            or_(
                User.username == "alice",
                User.username == "bob"
            )
        )
        assert names(session.scalars(stmt).all()) == ["alice", "bob"]

        # AND and OR combined
        stmt = select(User).where(
            and_(
                User.is_active == True,  # noqa: E712
                or_(
                    User.email.like("%@example.com"),
                    User.email.like("%@test.com")
                )
            )
        )
        assert names(session.scalars(stmt).all()) == ["alice", "charlie"]

        # NOT condition
        stmt = select(User).where(not_(User.is_active))
        assert names(session.scalars(stmt).all()) == ["bob"]

        # IN clause
        stmt = select(User).where(User.username.in_(["alice", "bob", "charlie"]))
        assert names(session.scalars(stmt).all()) == ["alice", "bob", "charlie"]

        # NOT IN clause
        stmt = select(User).where(User.username.not_in(["admin", "root"]))
        assert len(session.scalars(stmt).all()) == 4
        stmt = select(User).where(User.username.not_in(["alice", "root"]))
        assert names(session.scalars(stmt).all()) == ["bob", "charlie", "dave"]

        # LIKE pattern matching
        stmt = select(User).where(User.username.like("a%"))  # Starts with 'a'
        assert names(session.scalars(stmt).all()) == ["alice"]

        # ILIKE (case-insensitive)
        stmt = select(User).where(User.email.ilike("%@EXAMPLE.COM"))
        assert names(session.scalars(stmt).all()) == ["alice", "bob"]


def test_filtering_dates_nulls_comparisons(engine: Any, data: None) -> None:
    with Session(engine) as session:
        # BETWEEN (the guide uses utcnow(); the data is pinned to NOW)
        start_date = NOW - timedelta(days=30)
        end_date = NOW
        stmt = select(User).where(User.created_at.between(start_date, end_date))
        assert names(session.scalars(stmt).all()) == ["alice", "bob", "dave"]
        start_date = datetime.utcnow() - timedelta(days=30)
        end_date = datetime.utcnow()
        stmt = select(User).where(User.created_at.between(start_date, end_date))
        session.scalars(stmt).all()

        # IS NULL / IS NOT NULL
        stmt = select(User).where(User.email.is_(None))
        assert names(session.scalars(stmt).all()) == ["dave"]

        stmt = select(User).where(User.email.is_not(None))
        assert names(session.scalars(stmt).all()) == ["alice", "bob", "charlie"]

        # Comparison operators
        stmt = select(User).where(
            User.id > 1,
            User.id <= 3
        )
        assert names(session.scalars(stmt).all()) == ["bob", "charlie"]


def test_explicit_joins(engine: Any, data: None) -> None:
    # Inner join (explicit)
    with Session(engine) as session:
        stmt = (
            select(User, Post)
            .join(Post, User.id == Post.user_id)
        )
        results = session.execute(stmt).all()
        pairs = sorted((user.username, post.title) for user, post in results)
        assert len(pairs) == 7
        assert pairs[-1] == ("bob", "Rust")

    # Left outer join
    with Session(engine) as session:
        stmt = (
            select(User)
            .outerjoin(Post, User.id == Post.user_id)
        )
        users = session.scalars(stmt).all()
        assert len(users) == 9  # one row per post, plus charlie and dave without posts
        assert names(set(users)) == ["alice", "bob", "charlie", "dave"]


def test_aggregations(engine: Any, data: None, capsys: pytest.CaptureFixture[str]) -> None:
    # Count all records
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(User))
        print(f"Total users: {count}")

    # Count with condition
    with Session(engine) as session:
        count = session.scalar(
            select(func.count()).select_from(User).where(User.is_active == True)  # noqa: E712
        )
        print(f"Active users: {count}")

    # Count distinct
    with Session(engine) as session:
        count = session.scalar(select(func.count(func.distinct(Post.user_id))))
        print(f"Unique authors: {count}")

    # Sum
    with Session(engine) as session:
        total = session.scalar(select(func.sum(Order.amount)).select_from(Order))
        print(f"Total order amount: {total}")

    # Min and Max
    with Session(engine) as session:
        min_price = session.scalar(select(func.min(Product.price)).select_from(Product))
        max_price = session.scalar(select(func.max(Product.price)).select_from(Product))
        print(f"Price range: ${min_price} - ${max_price}")

    assert capsys.readouterr().out.splitlines() == [
        "Total users: 4", "Active users: 3", "Unique authors: 2",
        "Total order amount: 100.00", "Price range: $1.50 - $4.50"]

    # Average
    with Session(engine) as session:
        avg = session.scalar(select(func.avg(Product.price)).select_from(Product))
        assert Decimal(str(avg)) == Decimal("3")


def test_group_by_and_having(engine: Any, data: None,
                             capsys: pytest.CaptureFixture[str]) -> None:
    # Group by
    with Session(engine) as session:
        stmt = (
            select(User.id, User.username, func.count(Post.id).label("post_count"))
            .outerjoin(Post, User.id == Post.user_id)
            .group_by(User.id, User.username)
            .order_by(func.count(Post.id).desc())
        )
        results = session.execute(stmt).all()
        for _user_id, username, post_count in results:
            print(f"{username}: {post_count} posts")
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["alice: 6 posts", "bob: 1 posts"]
    assert sorted(lines[2:]) == ["charlie: 0 posts", "dave: 0 posts"]
    assert results[0].post_count == 6

    # Having clause
    with Session(engine) as session:
        stmt = (
            select(User.id, User.username, func.count(Post.id).label("post_count"))
            .join(Post, User.id == Post.user_id)
            .group_by(User.id, User.username)
            .having(func.count(Post.id) > 5)
        )
        results = session.execute(stmt).all()
        assert [tuple(r) for r in results] == [(1, "alice", 6)]

    # Multiple aggregations
    with Session(engine) as session:
        stmt = select(
            func.count(Order.id).label("total_orders"),
            func.sum(Order.amount).label("total_amount"),
            func.avg(Order.amount).label("avg_amount"),
            func.min(Order.amount).label("min_amount"),
            func.max(Order.amount).label("max_amount")
        ).select_from(Order)

        result = session.execute(stmt).first()
        print(f"Orders: {result.total_orders}")
        print(f"Total: ${result.total_amount}")
    assert capsys.readouterr().out == "Orders: 4\nTotal: $100.00\n"
    assert Decimal(str(result.avg_amount)) == Decimal("25")
    assert (result.min_amount, result.max_amount) == (Decimal("10.00"), Decimal("40.00"))


def test_group_by_date_trunc(engine: Any, data: None) -> None:
    """``date_trunc`` is a PostgreSQL function; other databases have no such function."""
    with engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            pytest.skip("date_trunc() is PostgreSQL's; see docs/guide-differences.md")
    # Group by with multiple columns
    with Session(engine) as session:
        stmt = (
            select(
                Order.status,
                func.date_trunc('day', Order.created_at).label('date'),
                func.count(Order.id).label('count')
            )
            .group_by(Order.status, func.date_trunc('day', Order.created_at))
            .order_by('date', Order.status)
        )
        results = session.execute(stmt).all()
    day = NOW.replace(hour=0)
    assert [tuple(r) for r in results] == [
        ("new", day, 1), ("paid", day, 2), ("paid", day + timedelta(days=1), 1)]


def test_group_by_day_portably(engine: Any, data: None) -> None:
    """The portable form of the date_trunc example (docs/guide-differences.md)."""
    with Session(engine) as session:
        day = func.date(Order.created_at)
        stmt = (
            select(Order.status, day.label("date"), func.count(Order.id).label("count"))
            .group_by(Order.status, day)
            .order_by("date", Order.status)
        )
        results = [(r.status, str(r.date), r.count) for r in session.execute(stmt)]
    assert results == [("new", "2024-06-15", 1), ("paid", "2024-06-15", 2),
                       ("paid", "2024-06-16", 1)]
