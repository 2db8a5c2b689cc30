"""Checked by mypy in test_mapping_typing.py (never imported by pytest: no test_ prefix).

The API guide's model examples: a type checker must see instance attributes as their Python
types and class attributes as SQL expressions.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

from typing_extensions import assert_type

from sqlwright import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    func,
    select,
)
from sqlwright.orm import (
    DeclarativeBase,
    InstrumentedAttribute,
    Mapped,
    MappedAsDataclass,
    column_property,
    declarative_base,
    declared_attr,
    hybrid_property,
    mapped_column,
)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True, index=True)
    email: Mapped[str | None]
    full_name: Mapped[Optional[str]] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    upper_name: Mapped[str] = column_property(func.upper(username))

    @hybrid_property
    def display(self) -> str:
        return self.username + "!"


class UserRole(enum.Enum):
    ADMIN = "admin"
    USER = "user"


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    in_stock: Mapped[bool] = mapped_column(Boolean, default=True)
    release_date: Mapped[datetime] = mapped_column(Date)
    metadata_json: Mapped[dict[str, Any]] = mapped_column(JSON)
    image_data: Mapped[bytes] = mapped_column(LargeBinary)
    category: Mapped[UserRole] = mapped_column(Enum(UserRole))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (CheckConstraint("price >= 0", name="check_positive_price"),)


class Timestamped:
    @declared_attr.directive
    @classmethod
    def __tablename__(cls) -> str:
        return cls.__name__.lower()

    @declared_attr
    def created(cls) -> Mapped[datetime]:
        return mapped_column(server_default=func.now())


class Event(Timestamped, Base):
    id: Mapped[int] = mapped_column(primary_key=True)


class DataBase(MappedAsDataclass, DeclarativeBase):
    pass


class Note(DataBase):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    title: Mapped[str] = mapped_column(String(50))
    body: Mapped[str | None] = mapped_column(default=None)


LegacyBase: Any = declarative_base()


class Legacy(LegacyBase):
    __tablename__ = "legacy"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


def check() -> None:
    user = User(username="alice", email="a@example.com")
    assert_type(user.id, int)
    assert_type(user.username, str)
    assert_type(user.email, str | None)
    assert_type(user.full_name, Optional[str])
    assert_type(user.created_at, datetime)
    assert_type(user.upper_name, str)
    assert_type(user.display, str)
    assert_type(User.id, InstrumentedAttribute[int])
    user.email = None
    user.is_active = False

    product = Product(name="x")
    assert_type(product.price, Decimal)
    assert_type(product.metadata_json, dict[str, Any])
    assert_type(product.category, UserRole)

    note = Note("title")
    assert_type(note.title, str)
    Note(title="t", body="b")

    stmt = select(User).where(User.username == "alice", User.is_active.is_(True))
    stmt = stmt.order_by(User.created_at.desc()).limit(10)
    select(User.id, User.username.label("name")).where(User.id.in_([1, 2]))
    select(User).where(User.display == "alice!")
    select(Legacy).where(Legacy.name == "x")
    Event()
