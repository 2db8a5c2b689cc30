"""Single-table and concrete inheritance."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import String, func, select
from sqlwright.orm import DeclarativeBase, Mapped, Session, aliased, mapped_column
from sqlwright.testing.assertions import assert_sql_count


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class Vehicle(Base):
        __tablename__ = "ihs_vehicles"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        kind: Mapped[str] = mapped_column(String(20))
        wheels: Mapped[int | None]
        payload: Mapped[int | None]
        __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "vehicle"}

    class Car(Vehicle):
        __mapper_args__ = {"polymorphic_identity": "car"}

    class Truck(Vehicle):
        __mapper_args__ = {"polymorphic_identity": "truck"}

    class Tractor(Truck):
        __mapper_args__ = {"polymorphic_identity": "tractor"}

    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([
            Vehicle(name="cart"), Car(name="mini", wheels=4),
            Truck(name="lorry", wheels=6, payload=10), Tractor(name="deere", wheels=4),
        ])
        session.commit()
    yield SimpleNamespace(Vehicle=Vehicle, Car=Car, Truck=Truck, Tractor=Tractor)
    Base.metadata.drop_all(engine)


def test_subclasses_share_the_table(m: SimpleNamespace) -> None:
    assert m.Car.__mapper__.local_table is m.Vehicle.__mapper__.local_table
    assert m.Car.__mapper__.single
    assert m.Truck.__mapper__.polymorphic_identities == ["truck", "tractor"]


def test_discriminator_is_written_on_insert(m: SimpleNamespace, engine: Any) -> None:
    table = m.Vehicle.__mapper__.local_table
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.name, table.c.kind).order_by(table.c.id)).all()
    assert [tuple(r) for r in rows] == [("cart", "vehicle"), ("mini", "car"),
                                        ("lorry", "truck"), ("deere", "tractor")]


def test_querying_the_base_returns_every_class(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        with assert_sql_count(engine, 1):
            found = session.scalars(select(m.Vehicle).order_by(m.Vehicle.id)).all()
        assert [type(v).__name__ for v in found] == ["Vehicle", "Car", "Truck", "Tractor"]


def test_querying_a_subclass_filters_by_discriminator(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        trucks = session.scalars(select(m.Truck).order_by(m.Truck.id)).all()
        assert [t.name for t in trucks] == ["lorry", "deere"]
        assert type(trucks[1]) is m.Tractor
        assert session.scalars(select(m.Car)).one().name == "mini"
        four_wheel_trucks = session.scalars(select(m.Truck).where(m.Truck.wheels == 4)).all()
        assert [t.name for t in four_wheel_trucks] == ["deere"]
        counted = session.execute(select(m.Truck, func.count()).group_by(
            m.Truck.id, m.Truck.name, m.Truck.kind, m.Truck.wheels, m.Truck.payload)).all()
        assert len(counted) == 2


def test_aliased_subclass_keeps_the_filter(m: SimpleNamespace, engine: Any) -> None:
    car = aliased(m.Car, name="c")
    with Session(engine) as session:
        assert [c.name for c in session.scalars(select(car))] == ["mini"]


def test_update_and_delete_of_a_subclass(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        tractor = session.scalars(select(m.Tractor)).one()
        tractor.payload = 3
        session.commit()
        assert [t.payload for t in session.scalars(select(m.Truck).order_by(m.Truck.id))] \
            == [10, 3]
        session.delete(tractor)
        session.commit()
        assert [v.name for v in session.scalars(select(m.Vehicle).order_by(m.Vehicle.id))] \
            == ["cart", "mini", "lorry"]


@pytest.fixture
def concrete(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class Contractor(Base):
        __tablename__ = "ihs_contractors"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))

    class Temp(Contractor):
        __tablename__ = "ihs_temps"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        agency: Mapped[str] = mapped_column(String(50))
        __mapper_args__ = {"concrete": True}

    Base.metadata.create_all(engine)
    yield SimpleNamespace(Contractor=Contractor, Temp=Temp)
    Base.metadata.drop_all(engine)


def test_concrete_classes_have_their_own_tables_and_identities(
        concrete: SimpleNamespace, engine: Any) -> None:
    mapper = concrete.Temp.__mapper__
    assert mapper.concrete and mapper.tables == [mapper.local_table]
    assert mapper.inherits is concrete.Contractor.__mapper__
    with Session(engine) as session:
        contractor = concrete.Contractor(name="carl")
        temp = concrete.Temp(name="tina", agency="fast")
        session.add_all([contractor, temp])
        session.commit()
        assert contractor.id == temp.id  # same key value, different tables and identities
        assert session.get(concrete.Temp, temp.id) is temp
        assert session.get(concrete.Contractor, contractor.id) is contractor
    with Session(engine) as session:
        assert [c.name for c in session.scalars(select(concrete.Contractor))] == ["carl"]
        assert [(t.name, t.agency) for t in session.scalars(select(concrete.Temp))] == [
            ("tina", "fast")]
