"""Joined-table inheritance: a row per table written in order, the child's key taken from the
parent's, polymorphic loading of the base, subclass queries, with_polymorphic, errors."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import ForeignKey, String, exc, select
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column, with_polymorphic
from sqlwright.testing.assertions import assert_sql_count, record_sql


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class Employee(Base):
        __tablename__ = "ihj_employees"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        type: Mapped[str] = mapped_column(String(20))
        __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "employee"}

    class Engineer(Employee):
        __tablename__ = "ihj_engineers"
        id: Mapped[int] = mapped_column(ForeignKey("ihj_employees.id"), primary_key=True)
        field: Mapped[str] = mapped_column(String(50))
        __mapper_args__ = {"polymorphic_identity": "engineer"}

    class Principal(Engineer):
        __tablename__ = "ihj_principals"
        id: Mapped[int] = mapped_column(ForeignKey("ihj_engineers.id"), primary_key=True)
        level: Mapped[int]
        __mapper_args__ = {"polymorphic_identity": "principal"}

    class Manager(Employee):
        __tablename__ = "ihj_managers"
        id: Mapped[int] = mapped_column(ForeignKey("ihj_employees.id"), primary_key=True)
        department: Mapped[str] = mapped_column(String(50))
        __mapper_args__ = {"polymorphic_identity": "manager"}

    Base.metadata.create_all(engine)
    yield SimpleNamespace(Base=Base, Employee=Employee, Engineer=Engineer, Manager=Manager,
                          Principal=Principal)
    Base.metadata.drop_all(engine)


def _populate(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        session.add_all([
            m.Employee(name="plain"),
            m.Engineer(name="eve", field="databases"),
            m.Manager(name="max", department="sales"),
            m.Principal(name="pia", field="compilers", level=3),
        ])
        session.commit()


def test_mapper_tables_and_primary_key(m: SimpleNamespace) -> None:
    mapper = m.Principal.__mapper__
    assert [t.name for t in mapper.tables] == ["ihj_employees", "ihj_engineers",
                                               "ihj_principals"]
    assert [c.table.name for c in mapper.primary_key] == ["ihj_employees"]
    assert mapper.inherits is m.Engineer.__mapper__
    assert mapper.base_mapper is m.Employee.__mapper__
    assert set(mapper.attrs.keys()) >= {"id", "name", "type", "field", "level"}
    assert m.Employee.__mapper__.polymorphic_map["manager"] is m.Manager.__mapper__


def test_insert_writes_each_table_in_order_with_the_parent_key(
        m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        pia = m.Principal(name="pia", field="compilers", level=3)
        assert pia.type == "principal"  # the discriminator is set at construction
        session.add(pia)
        with record_sql(engine) as rec:
            session.flush()
        inserts = [s.sql.split()[2] for s in rec.statements
                   if s.sql.startswith("INSERT")]
        assert inserts == ["ihj_employees", "ihj_engineers", "ihj_principals"]
        session.commit()
        new_id = pia.id
    with engine.connect() as conn:
        tables = m.Principal.__mapper__.tables
        assert conn.execute(select(tables[0].c.type).where(
            tables[0].c.id == new_id)).scalar_one() == "principal"
        assert conn.execute(select(tables[1].c.field).where(
            tables[1].c.id == new_id)).scalar_one() == "compilers"
        assert conn.execute(select(tables[2].c.level).where(
            tables[2].c.id == new_id)).scalar_one() == 3


def test_querying_the_base_returns_subclass_instances(m: SimpleNamespace, engine: Any) -> None:
    _populate(m, engine)
    with Session(engine) as session:
        with assert_sql_count(engine, 1):
            people = session.scalars(select(m.Employee).order_by(m.Employee.name)).all()
        assert [type(p).__name__ for p in people] == ["Engineer", "Manager", "Principal",
                                                      "Employee"]
        assert [p.name for p in people] == ["eve", "max", "pia", "plain"]
        # the subclass's own columns load on first access: one SELECT joining its tables
        with assert_sql_count(engine, 1) as rec:
            assert people[2].level == 3
            assert people[2].field == "compilers"
        assert "JOIN" in rec.statements[0].sql


def test_querying_a_subclass_joins_its_tables(m: SimpleNamespace, engine: Any) -> None:
    _populate(m, engine)
    with Session(engine) as session:
        with assert_sql_count(engine, 1):
            engineers = session.scalars(select(m.Engineer).order_by(m.Engineer.name)).all()
            assert [(e.name, e.field) for e in engineers] == [("eve", "databases"),
                                                              ("pia", "compilers")]
        assert type(engineers[1]) is m.Principal
        found = session.scalars(select(m.Manager).where(m.Manager.department == "sales")).one()
        assert found.name == "max"


def test_get_through_the_base_returns_the_subclass(m: SimpleNamespace, engine: Any) -> None:
    _populate(m, engine)
    with Session(engine) as session:
        manager_id = session.scalars(select(m.Manager.id)).one()
    with Session(engine) as session:
        found = session.get(m.Employee, manager_id)
        assert isinstance(found, m.Manager)
        assert found.department == "sales"
        assert session.get(m.Manager, manager_id) is found


def test_update_touches_only_the_changed_tables(m: SimpleNamespace, engine: Any) -> None:
    _populate(m, engine)
    with Session(engine) as session:
        pia = session.scalars(select(m.Principal)).one()
        pia.level = 4
        with record_sql(engine) as rec:
            session.flush()
        assert [s.sql.split()[1] for s in rec.statements] == ["ihj_principals"]
        pia.name = "pia b."
        pia.field = "parsers"
        with record_sql(engine) as rec:
            session.commit()
        assert sorted(s.sql.split()[1] for s in rec.statements) == [
            "ihj_employees", "ihj_engineers"]
    with Session(engine) as session:
        pia = session.scalars(select(m.Principal)).one()
        assert (pia.name, pia.field, pia.level) == ("pia b.", "parsers", 4)


def test_delete_removes_child_rows_first(m: SimpleNamespace, engine: Any) -> None:
    _populate(m, engine)
    with Session(engine) as session:
        pia = session.scalars(select(m.Principal)).one()
        session.delete(pia)
        with record_sql(engine) as rec:
            session.commit()
        assert [s.sql.split()[2] for s in rec.statements] == [
            "ihj_principals", "ihj_engineers", "ihj_employees"]
    with Session(engine) as session:
        assert [e.name for e in session.scalars(select(m.Engineer))] == ["eve"]
        assert len(session.scalars(select(m.Employee)).all()) == 3


def test_with_polymorphic_loads_subclass_columns_in_one_select(
        m: SimpleNamespace, engine: Any) -> None:
    _populate(m, engine)
    wp = with_polymorphic(m.Employee, [m.Engineer, m.Manager])
    with Session(engine) as session:
        with assert_sql_count(engine, 1):
            people = session.scalars(select(wp).order_by(wp.name)).all()
            assert people[0].field == "databases"
            assert people[1].department == "sales"
        assert [type(p).__name__ for p in people] == ["Engineer", "Manager", "Principal",
                                                      "Employee"]
        found = session.scalars(select(wp).where(wp.Engineer.field == "databases")).all()
        assert [p.name for p in found] == ["eve"]


def test_with_polymorphic_star_and_aliased(m: SimpleNamespace, engine: Any) -> None:
    _populate(m, engine)
    wp = with_polymorphic(m.Employee, "*", aliased=True)
    with Session(engine) as session:
        with assert_sql_count(engine, 1):
            people = session.scalars(select(wp).order_by(wp.name)).all()
            assert people[2].level == 3
        assert [p.name for p in session.scalars(
            select(wp).where(wp.Manager.department == "sales"))] == ["max"]


def test_with_polymorphic_rejects_unrelated_classes(m: SimpleNamespace) -> None:
    with pytest.raises(exc.ArgumentError, match="does not inherit from Manager"):
        with_polymorphic(m.Manager, [m.Engineer])


def test_unknown_discriminator_names_the_fix(m: SimpleNamespace, engine: Any) -> None:
    from sqlwright import insert

    table = m.Employee.__mapper__.local_table
    with engine.begin() as conn:
        conn.execute(insert(table).values(name="ghost", type="intern"))
    with Session(engine) as session:
        with pytest.raises(exc.InvalidRequestError,
                           match="'intern'.*polymorphic_identity"):
            session.scalars(select(m.Employee)).all()


def test_identity_without_discriminator_is_an_error() -> None:
    class Base(DeclarativeBase):
        pass

    class Thing(Base):
        __tablename__ = "ihj_things"
        id: Mapped[int] = mapped_column(primary_key=True)

    with pytest.raises(exc.ArgumentError, match="polymorphic_on"):
        class Gadget(Thing):
            __tablename__ = "ihj_gadgets"
            id: Mapped[int] = mapped_column(ForeignKey("ihj_things.id"), primary_key=True)
            __mapper_args__ = {"polymorphic_identity": "gadget"}


def test_unlinked_subclass_table_is_an_error() -> None:
    class Base(DeclarativeBase):
        pass

    class Thing(Base):
        __tablename__ = "ihj_things2"
        id: Mapped[int] = mapped_column(primary_key=True)

    with pytest.raises(exc.ArgumentError, match="ForeignKey to the parent's primary key"):
        class Gadget(Thing):
            __tablename__ = "ihj_gadgets2"
            id: Mapped[int] = mapped_column(primary_key=True)
