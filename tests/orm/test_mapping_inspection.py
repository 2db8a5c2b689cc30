"""inspect(): mappers for classes, states for objects, Inspectors for engines."""

from __future__ import annotations

from typing import Any

import pytest

import sqlwright
from sqlwright import String, exc
from sqlwright.dialects.reflection import Inspector
from sqlwright.inspection import inspect
from sqlwright.orm import DeclarativeBase, InstanceState, Mapped, Mapper, mapped_column
from sqlwright.orm import exc as orm_exc


class Base(DeclarativeBase):
    pass


class Gadget(Base):
    __tablename__ = "mi_gadgets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class NotMapped:
    pass


@pytest.mark.parametrize("inspect_fn", [inspect, sqlwright.inspect])
def test_inspect_classes_objects_and_engines(inspect_fn: Any, engine: Any) -> None:
    mapper = inspect_fn(Gadget)
    assert isinstance(mapper, Mapper) and mapper.class_ is Gadget
    assert inspect_fn(mapper) is mapper
    gadget = Gadget(name="g")
    state = inspect_fn(gadget)
    assert isinstance(state, InstanceState) and state.obj() is gadget
    assert inspect_fn(state) is state
    Base.metadata.create_all(engine)
    try:
        assert "mi_gadgets" in inspect_fn(engine).get_table_names()
        assert isinstance(inspect_fn(engine), Inspector)
    finally:
        Base.metadata.drop_all(engine)


def test_inspect_errors() -> None:
    with pytest.raises(orm_exc.UnmappedClassError, match="NotMapped is not mapped"):
        inspect(NotMapped)
    assert inspect(NotMapped, raiseerr=False) is None
    assert inspect(42, raiseerr=False) is None
    with pytest.raises(exc.InvalidRequestError, match="No inspection is available for int"):
        inspect(42)


def test_mapper_reading_api() -> None:
    mapper = inspect(Gadget)
    table = Gadget.__table__
    assert mapper.local_table is table and mapper.persist_selectable is table
    assert mapper.primary_key == (table.c.id,)
    assert list(mapper.columns.keys()) == ["id", "name"]
    assert mapper.attrs.name is mapper.get_property("name")
    assert mapper.get_property_by_column(table.c.name).key == "name"
    assert mapper.get_property_by_column(Gadget.name.__clause_element__()).key == "name"
    assert mapper.identity_key_from_primary_key(5) == (Gadget, (5,), None)
    assert mapper.identity_key_from_instance(Gadget(id=7)) == (Gadget, (7,), None)
    assert mapper.class_manager.attributes["name"] is Gadget.__dict__["name"]
    bare = mapper.class_manager.new_instance()
    assert type(bare) is Gadget and inspect(bare).transient and bare.name is None
    with pytest.raises(exc.InvalidRequestError, match="no property 'nmae'.*id, name"):
        mapper.get_property("nmae")
    assert "name" in mapper.all_orm_descriptors
