"""Concrete inheritance loaded polymorphically through polymorphic_union()."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import Column, Integer, MetaData, String, Table, select
from sqlwright.orm import DeclarativeBase, Session, polymorphic_union


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    metadata = MetaData()
    staff = Table("f7c_staff", metadata, Column("id", Integer, primary_key=True),
                  Column("name", String(50)))
    bosses = Table("f7c_bosses", metadata, Column("id", Integer, primary_key=True),
                   Column("name", String(50)), Column("budget", Integer))
    devs = Table("f7c_devs", metadata, Column("id", Integer, primary_key=True),
                 Column("name", String(50)), Column("language", String(30)))
    punion = polymorphic_union({"staff": staff, "boss": bosses, "dev": devs}, "type", "f7c_all")

    class Base(DeclarativeBase):
        metadata = MetaData()

    class Staff(Base):
        __table__ = staff
        __mapper_args__ = {"polymorphic_on": punion.c.type, "polymorphic_identity": "staff",
                           "with_polymorphic": ("*", punion)}

    class Boss(Staff):
        __table__ = bosses
        __mapper_args__ = {"polymorphic_identity": "boss", "concrete": True}

    class Dev(Staff):
        __table__ = devs
        __mapper_args__ = {"polymorphic_identity": "dev", "concrete": True}

    metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([Staff(name="sam"), Boss(name="bea", budget=10),
                         Dev(name="dan", language="python"), Dev(name="dot", language="go")])
        session.commit()
    yield SimpleNamespace(Staff=Staff, Boss=Boss, Dev=Dev, punion=punion)
    metadata.drop_all(engine)


def test_union_pads_missing_columns_and_adds_the_discriminator(
        m: SimpleNamespace, engine: Any) -> None:
    with engine.connect() as conn:
        rows = conn.execute(select(m.punion).order_by(m.punion.c.name)).all()
    assert [tuple(r) for r in rows] == [
        (1, "bea", 10, None, "boss"), (1, "dan", None, "python", "dev"),
        (2, "dot", None, "go", "dev"), (1, "sam", None, None, "staff")]
    assert list(m.punion.c.keys()) == ["id", "name", "budget", "language", "type"]


def test_querying_the_base_returns_every_subclass_with_its_columns(
        m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        found = session.scalars(select(m.Staff).order_by(m.Staff.name)).all()
        assert [type(o).__name__ for o in found] == ["Boss", "Dev", "Dev", "Staff"]
        loaded = [dict(o.__dict__) for o in found]
        assert loaded[0]["budget"] == 10 and loaded[1]["language"] == "python"
        assert "language" not in loaded[0] and "budget" not in loaded[3]
        # same primary key values in different tables are different objects
        assert session.get(m.Dev, 1) is found[1] and session.get(m.Boss, 1) is found[0]


def test_criteria_on_base_attributes_read_the_union(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        found = session.scalars(select(m.Staff).where(m.Staff.name.like("d%"))
                                .order_by(m.Staff.name.desc())).all()
        assert [(type(o).__name__, o.name) for o in found] == [("Dev", "dot"), ("Dev", "dan")]


def test_subclass_queries_use_their_own_table(m: SimpleNamespace, engine: Any) -> None:
    with Session(engine) as session:
        devs = session.scalars(select(m.Dev).order_by(m.Dev.id)).all()
        assert [(d.name, d.language) for d in devs] == [("dan", "python"), ("dot", "go")]
        assert "f7c_all" not in str(select(m.Dev))
        boss = session.scalars(select(m.Boss)).one()
        boss.budget = 20
        session.commit()
        assert session.scalars(select(m.Staff).where(m.Staff.name == "bea")).one().budget == 20


def test_polymorphic_union_needs_tables() -> None:
    from sqlwright import exc

    with pytest.raises(exc.ArgumentError, match="at least one table"):
        polymorphic_union({}, "type")
