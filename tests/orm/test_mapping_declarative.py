"""Declarative mapping: tables from class bodies, types from annotations, mixins, the legacy
forms, and the errors raised at class creation."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Annotated, Any, Optional

import pytest

from sqlwright import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    exc,
    inspect,
    select,
)
from sqlwright import types as t
from sqlwright.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    column_property,
    declarative_base,
    declared_attr,
    mapped_column,
    registry,
)
from sqlwright.orm import exc as orm_exc


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Point:
    """A Python type with no SQL type."""


# Annotation aliases must be module-level names: annotations are evaluated at class creation.
str30 = Annotated[str, 30]
intpk = Annotated[int, mapped_column(primary_key=True)]


def fresh_base(**attrs: Any) -> Any:
    """A new DeclarativeBase subclass (own MetaData) per test."""
    return type("Base", (DeclarativeBase,), dict(attrs))


def test_annotations_become_typed_columns() -> None:
    Base = fresh_base()

    class Thing(Base):
        __tablename__ = "m_things"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]
        flag: Mapped[bool]
        ratio: Mapped[float]
        price: Mapped[decimal.Decimal]
        at: Mapped[datetime.datetime]
        day: Mapped[datetime.date]
        clock: Mapped[datetime.time]
        span: Mapped[datetime.timedelta]
        blob: Mapped[bytes]
        ident: Mapped[uuid.UUID]
        doc: Mapped[dict[str, Any]]
        items: Mapped[list[int]]
        color: Mapped[Color]
        note: Mapped[str | None]
        legacy_note: Mapped[Optional[str]]

    c = Thing.__table__.c
    expected = {
        "id": t.Integer, "name": t.String, "flag": t.Boolean, "ratio": t.Float,
        "price": t.Numeric, "at": t.DateTime, "day": t.Date, "clock": t.Time,
        "span": t.Interval, "blob": t.LargeBinary, "ident": t.Uuid, "doc": t.JSON,
        "items": t.JSON, "color": t.Enum, "note": t.String, "legacy_note": t.String,
    }
    for key, type_ in expected.items():
        assert type(c[key].type) is type_, key
    assert c.color.type.enum_class is Color
    assert [col.name for col in c][:3] == ["id", "name", "flag"]
    assert c.id.primary_key and not c.id.nullable
    assert not c.name.nullable
    assert c.note.nullable and c.legacy_note.nullable


def test_explicit_type_and_nullable_win_over_annotation() -> None:
    Base = fresh_base()

    class Thing(Base):
        __tablename__ = "m_things2"
        id: Mapped[int] = mapped_column(primary_key=True)
        body: Mapped[str] = mapped_column(Text)
        code: Mapped[str | None] = mapped_column(String(5), nullable=False)
        owner_id: Mapped[int | None] = mapped_column(ForeignKey("m_things2.id"))
        renamed: Mapped[str] = mapped_column("db_name", String(10))

    c = Thing.__table__.c
    assert isinstance(c.body.type, t.Text)
    assert c.code.type.length == 5 and c.code.nullable is False
    assert isinstance(c.owner_id.type, t.Integer) and c.owner_id.nullable
    assert c.db_name.name == "db_name" and inspect(Thing).attrs.renamed.columns[0] is c.db_name


def test_type_annotation_map_on_the_base() -> None:
    Base = fresh_base(type_annotation_map={str: String(200), Color: String(10)})
    Base.registry.update_type_annotation_map({str30: String(30)})

    class Thing(Base):
        __tablename__ = "m_things3"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]
        short: Mapped[str30]
        color: Mapped[Color]

    c = Thing.__table__.c
    assert c.name.type.length == 200
    assert c.short.type.length == 30
    assert isinstance(c.color.type, t.String) and c.color.type.length == 10


def test_annotated_mapped_column_pattern() -> None:
    Base = fresh_base()

    class A(Base):
        __tablename__ = "m_a"
        id: Mapped[intpk]

    class B(Base):
        __tablename__ = "m_b"
        id: Mapped[intpk]

    assert A.__table__.c.id.primary_key and B.__table__.c.id.primary_key
    assert A.__table__.c.id is not B.__table__.c.id


def test_table_args_tuple_and_dict(engine: Any) -> None:
    Base = fresh_base()

    class Account(Base):
        __tablename__ = "m_accounts"
        id: Mapped[int] = mapped_column(primary_key=True)
        username: Mapped[str] = mapped_column(String(50))
        email: Mapped[str] = mapped_column(String(100))
        balance: Mapped[decimal.Decimal] = mapped_column(t.Numeric(10, 2))
        __table_args__ = (
            CheckConstraint("balance >= 0", name="m_check_positive_balance"),
            UniqueConstraint("username", "email", name="m_uq_user_email"),
            Index("m_idx_username_email", "username", "email"),
            {"comment": "accounts table"},
        )

    table = Account.__table__
    assert table.comment == "accounts table"
    assert {i.name for i in table.indexes} == {"m_idx_username_email"}
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            session.add(Account(username="a", email="e", balance=decimal.Decimal("1.00")))
            session.commit()
            session.add(Account(username="b", email="e", balance=decimal.Decimal("-1.00")))
            with pytest.raises(exc.IntegrityError):
                session.commit()
    finally:
        Base.metadata.drop_all(engine)


def test_mixins_and_abstract_bases_share_columns() -> None:
    Base = fresh_base()

    class TimestampMixin:
        created: Mapped[datetime.datetime | None]
        note = Column(String(20))

        @declared_attr
        def owner_id(cls) -> Mapped[int | None]:
            return mapped_column(ForeignKey("m_owners.id"))

    class Named(Base):
        __abstract__ = True
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(30))

    class Owner(Base):
        __tablename__ = "m_owners"
        id: Mapped[int] = mapped_column(primary_key=True)

    class Cat(TimestampMixin, Named):
        __tablename__ = "m_cats"

    class Dog(TimestampMixin, Named):
        __tablename__ = "m_dogs"

    assert "m_named" not in Base.metadata.tables and not hasattr(Named, "__mapper__")
    for cls in (Cat, Dog):
        assert set(cls.__table__.c.keys()) == {"id", "name", "created", "note", "owner_id"}
    assert Cat.__table__.c.name is not Dog.__table__.c.name
    assert Cat.__table__.c.note is not Dog.__table__.c.note
    fk = next(iter(Dog.__table__.c.owner_id.foreign_keys))
    assert fk.column is Owner.__table__.c.id


def test_declared_attr_directive_for_tablename() -> None:
    Base = fresh_base()

    class AutoName:
        @declared_attr.directive
        def __tablename__(cls) -> str:
            return "m_" + cls.__name__.lower()

        id: Mapped[int] = mapped_column(primary_key=True)

    class Widget(AutoName, Base):
        pass

    class Gadget(AutoName, Base):
        pass

    assert Widget.__table__.name == "m_widget" and Gadget.__table__.name == "m_gadget"


def test_legacy_declarative_base_with_column_attributes(engine: Any) -> None:
    LegacyBase = declarative_base()

    class User(LegacyBase):
        __tablename__ = "m_legacy_users"
        id = Column(Integer, primary_key=True, autoincrement=True)
        username = Column(String(50), unique=True, nullable=False, index=True)
        is_active = Column(t.Boolean, default=True)

        def __repr__(self) -> str:
            return f"<User(username='{self.username}')>"

    assert isinstance(LegacyBase.metadata, MetaData)
    assert repr(User(username="x")) == "<User(username='x')>"
    LegacyBase.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            session.add(User(username="ann"))
            session.commit()
            found = session.scalars(select(User).where(User.username == "ann")).one()
            assert (found.id, found.is_active) == (1, True)
    finally:
        LegacyBase.metadata.drop_all(engine)


def test_registry_mapped_and_map_imperatively() -> None:
    reg = registry()

    @reg.mapped
    class Tag:
        __tablename__ = "m_tags"
        id: Mapped[int] = mapped_column(primary_key=True)
        label: Mapped[str] = mapped_column(String(20))

    table = Table("m_plain", reg.metadata, Column("id", Integer, primary_key=True),
                  Column("v", String(10)))

    class Plain:
        pass

    mapper = reg.map_imperatively(Plain, table)
    assert inspect(Tag).local_table is reg.metadata.tables["m_tags"]
    assert mapper.columns.v is table.c.v
    assert Plain(v="x").v == "x" and Tag(label="a").label == "a"
    assert reg.mappers == {inspect(Tag), mapper}


def test_explicit_table() -> None:
    Base = fresh_base()
    table = Table("m_explicit", Base.metadata, Column("id", Integer, primary_key=True),
                  Column("first", String(10)), Column("last", String(10)))

    class Person(Base):
        __table__ = table
        full = column_property(table.c.first + " " + table.c.last)

    assert inspect(Person).local_table is table
    assert set(inspect(Person).attrs.keys()) == {"full", "id", "first", "last"}


def test_keyword_constructor_and_repr() -> None:
    Base = fresh_base()

    class User(Base):
        __tablename__ = "m_users_ctor"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(20))
        bio: Mapped[str | None] = mapped_column(Text)

    user = User(name="ann", bio="x" * 100)
    assert user.name == "ann" and user.id is None
    assert repr(user).startswith("User(name='ann', bio='xxxx") and repr(user).endswith("...)")
    with pytest.raises(TypeError, match="'nmae' is an invalid keyword argument for User"):
        User(nmae="typo")


# -- errors at class creation ---------------------------------------------------------------
def test_missing_primary_key_is_an_error_naming_the_fix() -> None:
    Base = fresh_base()
    with pytest.raises(exc.ArgumentError, match=r"primary key.*primary_key=True"):
        class NoKey(Base):
            __tablename__ = "m_nokey"
            name: Mapped[str]
    assert "m_nokey" not in Base.metadata.tables


def test_unknown_column_in_constraint_names_the_class() -> None:
    Base = fresh_base()
    with pytest.raises(exc.ArgumentError, match=r"In class Bad: .*'nope'.*columns are"):
        class Bad(Base):
            __tablename__ = "m_bad"
            id: Mapped[int] = mapped_column(primary_key=True)
            __table_args__ = (UniqueConstraint("nope"),)


def test_unmappable_annotation_names_attribute_and_fix() -> None:
    Base = fresh_base()
    with pytest.raises(orm_exc.MappedAnnotationError,
                       match=r"attribute 'where' of .*mapped_column\(String"):
        class Place(Base):
            __tablename__ = "m_places"
            id: Mapped[int] = mapped_column(primary_key=True)
            where: Mapped[Point]


def test_no_tablename_suggests_abstract() -> None:
    Base = fresh_base()
    with pytest.raises(exc.InvalidRequestError, match="__abstract__ = True"):
        class Loose(Base):
            id: Mapped[int] = mapped_column(primary_key=True)


def test_value_assigned_to_annotation_suggests_default() -> None:
    Base = fresh_base()
    with pytest.raises(exc.ArgumentError, match=r"mapped_column\(default=5\)"):
        class Counter(Base):
            __tablename__ = "m_counter"
            id: Mapped[int] = mapped_column(primary_key=True)
            count: Mapped[int] = 5  # type: ignore[assignment]


def test_column_defaults_and_insert_default(engine: Any) -> None:
    Base = fresh_base()

    class Item(Base):
        __tablename__ = "m_items"
        id: Mapped[int] = mapped_column(primary_key=True)
        qty: Mapped[int] = mapped_column(default=3)
        kind: Mapped[str] = mapped_column(String(10), insert_default="basic")
        data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            item = Item()
            assert item.qty is None  # defaults apply at INSERT, not in the constructor
            session.add(item)
            session.commit()
            assert (item.qty, item.kind, item.data) == (3, "basic", {})
    finally:
        Base.metadata.drop_all(engine)


def test_undefined_annotation_name_is_explained() -> None:
    Base = fresh_base()
    with pytest.raises(orm_exc.MappedAnnotationError, match="'Later' is not defined"):
        class Early(Base):
            __tablename__ = "m_early"
            id: Mapped[int] = mapped_column(primary_key=True)
            later: Mapped[Later]  # type: ignore[name-defined]  # noqa: F821
