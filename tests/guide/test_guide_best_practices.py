"""API guide, "Best Practices": session management, query optimisation, model design, error
handling, security; and "Index Usage" (EXPLAIN) from "Performance Optimization".

The pydantic and bcrypt examples are about other libraries and are not run here.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

import pytest

from sqlwright import CheckConstraint, Index, Numeric, String, inspect, select, text
from sqlwright.exc import ArgumentError, IntegrityError, SQLWrightError
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), index=True)
    email: Mapped[Optional[str]] = mapped_column(String(100), unique=True)  # Implicit index
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=datetime.utcnow)

    # Composite index ("idx_created" needs the created_at column the guide's model lacks)
    __table_args__ = (
        Index("idx_username_email", "username", "email"),
        Index("idx_created", "created_at"),
    )

    # ✅ Add helpful __repr__ methods
    def __repr__(self) -> str:
        return f"<User(id={self.id}, username='{self.username}')>"


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    balance: Mapped[Decimal] = mapped_column(Numeric(10, 2))

    __table_args__ = (
        CheckConstraint("balance >= 0", name="positive_balance"),
    )


@pytest.fixture
def tables(engine: Any) -> Iterator[None]:
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(User(username="alice", email="alice@example.com"))
        session.flush()  # ids in order on every database: alice 1, bob 2
        session.add(User(username="bob", email="bob@example.com", is_active=False))
        session.commit()
    yield
    Base.metadata.drop_all(engine)


def test_session_management(engine: Any, tables: None) -> None:
    # ✅ Use context managers
    with Session(engine) as session:
        user = session.get(User, 1)
        assert user is not None and user.username == "alice"
        assert repr(user) == "<User(id=1, username='alice')>"
        session.commit()
    assert user not in session

    SessionLocal = sessionmaker(bind=engine)

    # ✅ Dependency injection (FastAPI)
    def get_db() -> Generator[Session, None, None]:
        db = SessionLocal()
        try:
            yield db
        finally:
            db.close()

    dependency = get_db()
    db = next(dependency)
    assert db.get(User, 2).username == "bob"
    assert db.in_transaction()
    dependency.close()
    assert not db.in_transaction()


def test_query_optimization(engine: Any, tables: None) -> None:
    with Session(engine) as session:
        # ✅ Select only needed columns
        stmt = select(User.id, User.username).where(User.is_active == True)  # noqa: E712
        results = session.execute(stmt).all()
        assert [tuple(r) for r in results] == [(1, "alice")]
        assert list(session.identity_map) == []  # rows, not objects: nothing to track

        # ❌ Avoid loading unnecessary data
        users = session.scalars(select(User)).all()  # Loads all columns
        assert len(session.identity_map) == 2
        assert sorted(user.username for user in users) == ["alice", "bob"]


def test_indexes(engine: Any, tables: None) -> None:
    insp = inspect(engine)
    indexed = {ix["name"]: ix["column_names"] for ix in insp.get_indexes("users")}
    assert indexed["ix_users_username"] == ["username"]
    assert indexed["idx_username_email"] == ["username", "email"]
    assert indexed["idx_created"] == ["created_at"]
    unique = [uc["column_names"] for uc in insp.get_unique_constraints("users")]
    assert ["email"] in unique


def test_index_on_missing_column_is_an_error() -> None:
    """The guide's Index("idx_created", "created_at") on a model without created_at."""

    class Other(DeclarativeBase):
        pass

    with pytest.raises(ArgumentError, match="created_at"):
        class User(Other):
            __tablename__ = "users"

            id: Mapped[int] = mapped_column(primary_key=True)
            username: Mapped[str] = mapped_column(String(50), index=True)
            email: Mapped[str] = mapped_column(String(100), unique=True)

            __table_args__ = (
                Index("idx_username_email", "username", "email"),
                Index("idx_created", "created_at"),
            )


def test_explain(engine: Any, tables: None) -> None:
    # Use EXPLAIN to analyze queries. str(stmt) keeps the bound parameter as :username_1,
    # so its value must be passed along (the guide omits it; see guide-differences.md).
    with Session(engine) as session:
        stmt = select(User).where(User.username == "alice")
        explain = session.execute(text(f"EXPLAIN {stmt}"), stmt.compile().params)
        plan = explain.fetchall()
    assert len(plan) > 0


def test_check_constraint(engine: Any, tables: None) -> None:
    with Session(engine) as session:
        session.add(Account(balance=Decimal("5")))
        session.commit()
        if engine.dialect.features.supports_check_constraints:
            session.add(Account(balance=Decimal("-5")))
            with pytest.raises(IntegrityError, match="positive_balance"):
                session.commit()


def test_error_handling(engine: Any, tables: None, capsys: pytest.CaptureFixture[str]) -> None:
    # ✅ Handle specific exceptions
    try:
        with Session(engine) as session:
            user = User(username="existing", email="alice@example.com")  # email taken
            session.add(user)
            session.commit()
    except IntegrityError:
        print("User already exists or constraint violated")
    except SQLWrightError as e:
        print(f"Database error: {e}")
    assert capsys.readouterr().out == "User already exists or constraint violated\n"

    try:
        with Session(engine) as session:
            session.execute(text("SELECT * FROM no_such_table"))
    except IntegrityError:
        print("User already exists or constraint violated")
    except SQLWrightError as e:
        print(f"Database error: {e}")
    out = capsys.readouterr().out
    assert out.startswith("Database error: ") and "no_such_table" in out

    # ✅ Always rollback on error
    with pytest.raises(ZeroDivisionError):
        try:
            with Session(engine) as session:
                session.add(User(username="carol", email="carol@example.com"))
                session.flush()
                1 / 0  # noqa: B018
                session.commit()
        except Exception:
            session.rollback()
            raise
    with Session(engine) as session:
        assert session.scalar(select(User).where(User.username == "carol")) is None


def test_security(engine: Any, tables: None) -> None:
    username = "alice' OR '1'='1"
    with Session(engine) as session:
        # ✅ Use parameterized queries
        stmt = select(User).where(User.username == username)  # Safe
        assert session.scalars(stmt).all() == []

        # ❌ Never concatenate user input
        stmt = text(f"SELECT * FROM users WHERE username = '{username}'")  # SQL injection!
        assert len(session.execute(stmt).all()) == 2  # the injected OR matched every row

        # ✅ Use bound parameters with text()
        stmt = text("SELECT * FROM users WHERE username = :username")
        result = session.execute(stmt, {"username": username})
        assert result.all() == []
        result = session.execute(stmt, {"username": "alice"})
        assert [row.id for row in result] == [1]
