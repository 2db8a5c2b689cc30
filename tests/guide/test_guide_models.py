"""API guide, "Defining Models": basic, typed, column types, constraints, composite keys.

Inheritance is covered by the ORM inheritance tests (issue 7), not here.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Optional

import pytest

from sqlwright import (
    JSON,
    UUID,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    inspect,
    select,
)
from sqlwright.exc import IntegrityError
from sqlwright.orm import DeclarativeBase, Mapped, Session, declarative_base, mapped_column
from sqlwright.sql import func


@pytest.fixture
def create(engine: Any) -> Iterator[Any]:
    """``create(Base)`` creates Base's tables on the engine; all are dropped afterwards."""
    bases: list[Any] = []

    def create_all(base: Any) -> None:
        base.metadata.drop_all(engine)
        bases.append(base)
        base.metadata.create_all(engine)

    yield create_all
    for base in reversed(bases):
        base.metadata.drop_all(engine)


def test_basic_model(engine: Any, create: Any) -> None:
    Base = declarative_base()

    class User(Base):
        __tablename__ = "users"

        id = Column(Integer, primary_key=True, autoincrement=True)
        username = Column(String(50), unique=True, nullable=False, index=True)
        email = Column(String(100), unique=True, nullable=False)
        is_active = Column(Boolean, default=True)
        created_at = Column(DateTime, default=datetime.utcnow)
        updated_at = Column(DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)

        def __repr__(self):
            return f"<User(username='{self.username}', email='{self.email}')>"

    create(Base)
    before = datetime.utcnow().replace(microsecond=0)
    with Session(engine) as session:
        user = User(username="alice", email="alice@example.com")
        session.add(user)
        session.commit()
        assert repr(user) == "<User(username='alice', email='alice@example.com')>"
        assert user.is_active is True
        assert user.created_at >= before
        first_update = user.updated_at
        user.email = "alice@example.org"
        session.commit()
        assert user.updated_at >= first_update

        session.add(User(username="alice", email="other@example.com"))
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        session.add(User(username="bob", email=None))
        with pytest.raises(IntegrityError):
            session.commit()

    insp = inspect(engine)
    # index=True with unique=True makes a unique index; the MySQL plugin reflects it among
    # the unique constraints rather than the indexes.
    found = insp.get_indexes("users") + insp.get_unique_constraints("users")
    assert ["username"] in [ix["column_names"] for ix in found if ix["name"] == "ix_users_username"]


def test_typed_model(engine: Any, create: Any) -> None:
    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "users"

        id: Mapped[int] = mapped_column(primary_key=True)
        username: Mapped[str] = mapped_column(String(50), unique=True, index=True)
        email: Mapped[str] = mapped_column(String(100), unique=True)
        full_name: Mapped[Optional[str]] = mapped_column(String(100))
        is_active: Mapped[bool] = mapped_column(default=True)
        created_at: Mapped[datetime] = mapped_column(server_default=func.now())
        updated_at: Mapped[datetime] = mapped_column(
            server_default=func.now(),
            onupdate=func.now()
        )

    table = User.__table__
    assert table.c.username.nullable is False
    assert table.c.full_name.nullable is True
    assert isinstance(table.c.is_active.type, Boolean)
    assert isinstance(table.c.created_at.type, DateTime)

    create(Base)
    with Session(engine) as session:
        user = User(username="alice", email="alice@example.com")
        session.add(user)
        session.commit()
        assert (user.full_name, user.is_active) == (None, True)
        assert isinstance(user.created_at, datetime)
        assert isinstance(user.updated_at, datetime)
        assert abs(user.created_at - user.updated_at) < timedelta(days=1)


class UserRole(enum.Enum):
    ADMIN = "admin"
    USER = "user"
    GUEST = "guest"


def test_column_types(engine: Any, create: Any) -> None:
    class Base(DeclarativeBase):
        pass

    class Product(Base):
        __tablename__ = "products"

        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(200))
        description: Mapped[str] = mapped_column(Text)
        price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
        in_stock: Mapped[bool] = mapped_column(Boolean, default=True)
        release_date: Mapped[datetime] = mapped_column(Date)
        metadata_json: Mapped[dict] = mapped_column(JSON)
        image_data: Mapped[bytes] = mapped_column(LargeBinary)
        category: Mapped[UserRole] = mapped_column(Enum(UserRole))

    create(Base)
    with Session(engine) as session:
        session.add(Product(
            name="Widget", description="A widget", price=Decimal("19.99"),
            release_date=date(2024, 1, 2), metadata_json={"tags": ["a", "b"], "n": 1},
            image_data=b"\x00\xffPNG", category=UserRole.ADMIN,
        ))
        session.commit()
    with Session(engine) as session:
        product = session.scalars(select(Product)).one()
        assert product.price == Decimal("19.99")
        assert product.in_stock is True
        assert product.release_date == date(2024, 1, 2)
        assert product.metadata_json == {"tags": ["a", "b"], "n": 1}
        assert product.image_data == b"\x00\xffPNG"
        assert product.category is UserRole.ADMIN
        # Enum stores the member names.
        raw = session.execute(select(Product.__table__.c.category)).scalar()
        assert raw is UserRole.ADMIN


def test_other_imported_column_types(engine: Any, create: Any) -> None:
    """The guide imports Time, Float and UUID too: they round-trip as well."""
    Base = declarative_base()

    class Reading(Base):
        __tablename__ = "readings"

        id = Column(Integer, primary_key=True)
        at = Column(Time)
        value = Column(Float)
        key = Column(UUID)

    create(Base)
    key = uuid.uuid4()
    with Session(engine) as session:
        session.add(Reading(at=datetime(2024, 1, 1, 12, 30).time(), value=1.5, key=key))
        session.commit()
    with Session(engine) as session:
        reading = session.scalars(select(Reading)).one()
        assert (reading.at.hour, reading.at.minute) == (12, 30)
        assert reading.value == 1.5
        assert reading.key == key


def test_constraints(engine: Any, create: Any) -> None:
    class Base(DeclarativeBase):
        pass

    class Account(Base):
        __tablename__ = "accounts"

        id: Mapped[int] = mapped_column(primary_key=True)
        username: Mapped[str] = mapped_column(String(50))
        email: Mapped[str] = mapped_column(String(100))
        balance: Mapped[Decimal] = mapped_column(Numeric(10, 2))

        # Check constraint
        __table_args__ = (
            CheckConstraint("balance >= 0", name="check_positive_balance"),
            UniqueConstraint("username", "email", name="uq_user_email"),
            Index("idx_username_email", "username", "email"),
        )

    create(Base)
    insp = inspect(engine)
    assert [ix["column_names"] for ix in insp.get_indexes("accounts")
            if ix["name"] == "idx_username_email"] == [["username", "email"]]
    with Session(engine) as session:
        session.add(Account(username="a", email="a@x", balance=Decimal("1.00")))
        session.add(Account(username="a", email="b@x", balance=Decimal("0")))
        session.commit()
        session.add(Account(username="a", email="a@x", balance=Decimal("5")))
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        if engine.dialect.features.supports_check_constraints:
            session.add(Account(username="c", email="c@x", balance=Decimal("-1")))
            with pytest.raises(IntegrityError, match="check_positive_balance"):
                session.commit()
            session.rollback()
        assert session.scalar(select(func.count()).select_from(Account)) == 2


def test_composite_primary_key(engine: Any, create: Any) -> None:
    class Base(DeclarativeBase):
        pass

    # The guide's example refers to "users" and "roles" tables it does not define.
    class User(Base):
        __tablename__ = "users"
        id: Mapped[int] = mapped_column(primary_key=True)

    class Role(Base):
        __tablename__ = "roles"
        id: Mapped[int] = mapped_column(primary_key=True)

    # Named UserRole in the guide, which also names the enum above: see guide-differences.md.
    class UserRole(Base):
        __tablename__ = "user_roles"

        user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
        role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"), primary_key=True)
        assigned_at: Mapped[datetime] = mapped_column(default=datetime.utcnow)

    assert [c.name for c in UserRole.__table__.primary_key.columns] == ["user_id", "role_id"]
    create(Base)
    with Session(engine) as session:
        session.add_all([User(id=1), User(id=2), Role(id=10), Role(id=20)])
        session.flush()
        session.add_all([UserRole(user_id=1, role_id=10), UserRole(user_id=1, role_id=20),
                         UserRole(user_id=2, role_id=10)])
        session.commit()
        link = session.get(UserRole, (1, 20))
        assert link is not None and isinstance(link.assigned_at, datetime)
        assert session.get(UserRole, {"user_id": 2, "role_id": 20}) is None
        session.add(UserRole(user_id=2, role_id=10))
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        if engine.dialect.features.supports_foreign_keys:
            session.add(UserRole(user_id=3, role_id=10))
            with pytest.raises(IntegrityError):
                session.commit()
