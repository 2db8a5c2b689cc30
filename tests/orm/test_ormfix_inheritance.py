"""Inheritance loading: selectin_polymorphic() / polymorphic_load="selectin" (one SELECT per
subclass after a query of the base), mapper-level with_polymorphic, and columns declared on
single-table subclasses."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import ForeignKey, String, exc, select
from sqlwright.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    joinedload,
    mapped_column,
    relationship,
    selectinload,
)
from sqlwright.orm.strategy_options import selectin_polymorphic
from sqlwright.testing.assertions import assert_sql_count, record_sql


def _hierarchy(engine: Any, base_args: dict[str, Any] | None = None,
               sub_args: dict[str, Any] | None = None) -> SimpleNamespace:
    class Base(DeclarativeBase):
        pass

    class Company(Base):
        __tablename__ = "ofi_companies"
        id: Mapped[int] = mapped_column(primary_key=True)
        staff: Mapped[list[Employee]] = relationship(order_by="Employee.name")

    class Employee(Base):
        __tablename__ = "ofi_employees"
        id: Mapped[int] = mapped_column(primary_key=True)
        company_id: Mapped[int | None] = mapped_column(ForeignKey("ofi_companies.id"))
        name: Mapped[str] = mapped_column(String(50))
        type: Mapped[str] = mapped_column(String(20))
        __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "employee",
                           **(base_args or {})}

    class Engineer(Employee):
        __tablename__ = "ofi_engineers"
        id: Mapped[int] = mapped_column(ForeignKey("ofi_employees.id"), primary_key=True)
        field: Mapped[str] = mapped_column(String(50))
        status: Mapped[str | None] = mapped_column(String(20))
        __mapper_args__ = {"polymorphic_identity": "engineer", **(sub_args or {})}

    class Principal(Engineer):
        __tablename__ = "ofi_principals"
        id: Mapped[int] = mapped_column(ForeignKey("ofi_engineers.id"), primary_key=True)
        level: Mapped[int]
        __mapper_args__ = {"polymorphic_identity": "principal", **(sub_args or {})}

    class Manager(Employee):
        __tablename__ = "ofi_managers"
        id: Mapped[int] = mapped_column(ForeignKey("ofi_employees.id"), primary_key=True)
        department: Mapped[str] = mapped_column(String(50))
        status: Mapped[str | None] = mapped_column(String(20))
        __mapper_args__ = {"polymorphic_identity": "manager", **(sub_args or {})}

    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Company(id=1, staff=[
            Employee(name="pat"),
            Engineer(name="eve", field="databases", status="busy"),
            Manager(name="max", department="sales", status="away"),
            Engineer(name="ed", field="compilers"),
            Principal(name="pia", field="kernels", level=3),
        ]))
        session.commit()
    return SimpleNamespace(Base=Base, Company=Company, Employee=Employee, Engineer=Engineer,
                           Manager=Manager, Principal=Principal)


def _described(people: list[Any]) -> list[tuple[Any, ...]]:
    out = []
    for p in people:
        extra = {"Engineer": ("field", "status"), "Principal": ("field", "level"),
                 "Manager": ("department", "status")}.get(type(p).__name__, ())
        out.append((type(p).__name__, p.name, *(getattr(p, k) for k in extra)))
    return out


EXPECTED = [("Engineer", "ed", "compilers", None), ("Engineer", "eve", "databases", "busy"),
            ("Manager", "max", "sales", "away"), ("Employee", "pat"),
            ("Principal", "pia", "kernels", 3)]


@pytest.fixture
def plain(engine: Any) -> Iterator[SimpleNamespace]:
    m = _hierarchy(engine)
    yield m
    m.Base.metadata.drop_all(engine)


@pytest.fixture
def selectin(engine: Any) -> Iterator[SimpleNamespace]:
    m = _hierarchy(engine, sub_args={"polymorphic_load": "selectin"})
    yield m
    m.Base.metadata.drop_all(engine)


@pytest.fixture
def wp(engine: Any) -> Iterator[SimpleNamespace]:
    m = _hierarchy(engine, base_args={"with_polymorphic": "*"})
    yield m
    m.Base.metadata.drop_all(engine)


# -- selectin_polymorphic() / polymorphic_load="selectin" -------------------------------------
def test_without_option_subclass_columns_load_per_object(
        engine: Any, plain: SimpleNamespace) -> None:
    with Session(engine) as session:
        people = session.scalars(select(plain.Employee).order_by(plain.Employee.name)).all()
        with assert_sql_count(engine, 4):  # the baseline the options below improve on
            assert _described(people) == EXPECTED


def test_selectin_polymorphic_option_one_select_per_subclass(
        engine: Any, plain: SimpleNamespace) -> None:
    m = plain
    stmt = select(m.Employee).order_by(m.Employee.name).options(
        selectin_polymorphic(m.Employee, [m.Engineer, m.Manager, m.Principal]))
    with Session(engine) as session:
        with record_sql(engine) as recorder:
            people = session.scalars(stmt).all()
        assert recorder.count == 4  # employees + engineers + managers + principals
        with assert_sql_count(engine, 0):
            assert _described(people) == EXPECTED


def test_selectin_polymorphic_only_for_the_named_subclasses(
        engine: Any, plain: SimpleNamespace) -> None:
    m = plain
    stmt = select(m.Employee).order_by(m.Employee.name).options(
        selectin_polymorphic(m.Employee, [m.Manager]))
    with Session(engine) as session:
        with assert_sql_count(engine, 2):
            people = session.scalars(stmt).all()
        with assert_sql_count(engine, 0):
            assert people[2].department == "sales"
        with assert_sql_count(engine, 1):
            assert people[1].field == "databases"


def test_mapper_level_polymorphic_load_selectin(engine: Any, selectin: SimpleNamespace) -> None:
    m = selectin
    with Session(engine) as session:
        with assert_sql_count(engine, 4):
            people = session.scalars(select(m.Employee).order_by(m.Employee.name)).all()
        with assert_sql_count(engine, 0):
            assert _described(people) == EXPECTED


def test_selectin_applies_to_relationship_loads(engine: Any, selectin: SimpleNamespace) -> None:
    m = selectin
    for option, count in ((selectinload(m.Company.staff), 5), (joinedload(m.Company.staff), 4)):
        with Session(engine) as session:
            with assert_sql_count(engine, count):
                company = session.scalars(select(m.Company).options(option)).unique().one()
            with assert_sql_count(engine, 0):
                assert _described(company.staff) == EXPECTED


def test_selectin_keeps_unflushed_changes_and_refreshes_with_populate_existing(
        engine: Any, selectin: SimpleNamespace) -> None:
    m = selectin
    with Session(engine) as session:
        people = session.scalars(select(m.Employee).order_by(m.Employee.name)).all()
        people[1].field = "changed"
        session.expire(people[2], ["department"])
        with session.no_autoflush:
            again = session.scalars(select(m.Employee).order_by(m.Employee.name)).all()
        assert again[1] is people[1] and people[1].field == "changed"
        with assert_sql_count(engine, 0):
            assert people[2].department == "sales"


def test_selectin_polymorphic_rejects_a_class_outside_the_hierarchy(
        engine: Any, plain: SimpleNamespace) -> None:
    m = plain
    stmt = select(m.Engineer).options(selectin_polymorphic(m.Engineer, [m.Manager]))
    with Session(engine) as session, pytest.raises(exc.ArgumentError, match="not a subclass"):
        session.scalars(stmt).all()


# -- mapper-level with_polymorphic --------------------------------------------------------------
def test_mapper_level_with_polymorphic_star_joins_every_subclass(
        engine: Any, wp: SimpleNamespace) -> None:
    m = wp
    with Session(engine) as session:
        with record_sql(engine) as recorder:
            people = session.scalars(select(m.Employee).order_by(m.Employee.name)).all()
        assert recorder.count == 1
        assert recorder.statements[0].sql.upper().count("LEFT OUTER JOIN") == 3
        with assert_sql_count(engine, 0):
            assert _described(people) == EXPECTED


def test_mapper_level_with_polymorphic_in_relationship_loads(
        engine: Any, wp: SimpleNamespace) -> None:
    m = wp
    with Session(engine) as session:
        with assert_sql_count(engine, 2):
            company = session.scalars(
                select(m.Company).options(selectinload(m.Company.staff))).one()
        with assert_sql_count(engine, 0):
            assert _described(company.staff) == EXPECTED


def test_mapper_level_with_polymorphic_names_classes_not_strings(engine: Any) -> None:
    m = _hierarchy(engine, base_args={"with_polymorphic": ["Manager"]})
    try:
        with pytest.raises(exc.ArgumentError, match="'Manager' is not a mapped class"):
            with Session(engine) as session:
                session.scalars(select(m.Employee)).all()
    finally:
        m.Base.metadata.drop_all(engine)


def test_mapper_level_with_polymorphic_with_selectable_is_rejected(engine: Any) -> None:
    m = _hierarchy(engine, base_args={"with_polymorphic": ("*", object())})
    try:
        with Session(engine) as session, pytest.raises(exc.ArgumentError,
                                                       match="with_polymorphic"):
            session.scalars(select(m.Employee)).all()
    finally:
        m.Base.metadata.drop_all(engine)


# -- single-table subclasses with their own columns ---------------------------------------------
@pytest.fixture
def single(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class Vehicle(Base):
        __tablename__ = "ofi_vehicles"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        kind: Mapped[str] = mapped_column(String(20))
        __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "vehicle"}

    class Truck(Vehicle):
        payload: Mapped[int]  # not Optional: still nullable in the shared table
        wheels: Mapped[int | None] = mapped_column(use_existing_column=True)
        __mapper_args__ = {"polymorphic_identity": "truck"}

    class Bus(Vehicle):
        seats: Mapped[int | None]
        wheels: Mapped[int | None] = mapped_column(use_existing_column=True)
        __mapper_args__ = {"polymorphic_identity": "bus"}

    class Minibus(Bus):
        __mapper_args__ = {"polymorphic_identity": "minibus"}

    Base.metadata.create_all(engine)
    yield SimpleNamespace(Base=Base, Vehicle=Vehicle, Truck=Truck, Bus=Bus, Minibus=Minibus)
    Base.metadata.drop_all(engine)


def test_single_table_subclass_columns_join_the_parent_table(single: SimpleNamespace) -> None:
    table = single.Vehicle.__table__
    assert single.Truck.__table__ is table
    assert [c.name for c in table.c] == ["id", "name", "kind", "payload", "wheels", "seats"]
    assert all(table.c[name].nullable for name in ("payload", "wheels", "seats"))
    assert sorted(single.Truck.__mapper__.column_attrs.keys()) == [
        "id", "kind", "name", "payload", "wheels"]
    assert sorted(single.Bus.__mapper__.column_attrs.keys()) == [
        "id", "kind", "name", "seats", "wheels"]
    assert "seats" in single.Minibus.__mapper__.column_attrs
    assert "payload" not in single.Vehicle.__mapper__.column_attrs


def test_single_table_subclass_columns_round_trip(engine: Any, single: SimpleNamespace) -> None:
    m = single
    with Session(engine) as session:
        session.add_all([m.Vehicle(name="cart"), m.Truck(name="lorry", payload=12, wheels=6),
                         m.Bus(name="coach", seats=50, wheels=4), m.Minibus(name="van", seats=9)])
        session.commit()
    with Session(engine) as session:
        assert session.scalars(select(m.Truck.payload)).all() == [12]
        rows = session.scalars(select(m.Vehicle).order_by(m.Vehicle.id)).all()
        got = [(type(v).__name__, getattr(v, "payload", None), getattr(v, "seats", None),
                getattr(v, "wheels", None)) for v in rows]
        assert got == [("Vehicle", None, None, None), ("Truck", 12, None, 6),
                       ("Bus", None, 50, 4), ("Minibus", None, 9, None)]
        assert [b.name for b in session.scalars(
            select(m.Bus).where(m.Bus.seats > 5).order_by(m.Bus.seats))] == ["van", "coach"]


def test_single_table_sibling_column_clash_is_an_error(engine: Any) -> None:
    class Base(DeclarativeBase):
        pass

    class Animal(Base):
        __tablename__ = "ofi_animals"
        id: Mapped[int] = mapped_column(primary_key=True)
        kind: Mapped[str] = mapped_column(String(20))
        __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "animal"}

    class Dog(Animal):
        legs: Mapped[int | None]
        __mapper_args__ = {"polymorphic_identity": "dog"}

    with pytest.raises(exc.ArgumentError, match="use_existing_column=True"):
        class Cat(Animal):
            legs: Mapped[int | None]
            __mapper_args__ = {"polymorphic_identity": "cat"}
    assert [c.name for c in Animal.__table__.c] == ["id", "kind", "legs"]
