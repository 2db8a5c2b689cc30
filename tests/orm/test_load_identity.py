"""Loading rows into objects through the identity map: objects are freed without the garbage
collector, the map drops collected entries as it grows, and rows reach the right objects
whatever their position in the row."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import ForeignKey, String, insert, inspect, select
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column

ROWS = 2500  # more than the identity map's first sweep threshold (1024)


class _Probe:
    pass


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class Item(Base):
        __tablename__ = "li_items"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(30))

    class Tag(Base):
        __tablename__ = "li_tags"
        id: Mapped[int] = mapped_column(primary_key=True)
        item_id: Mapped[int] = mapped_column(ForeignKey("li_items.id"))
        label: Mapped[str] = mapped_column(String(30))

    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(Item), [{"id": i, "name": f"item{i}"} for i in range(1, ROWS + 1)])
        conn.execute(insert(Tag), [{"id": 1, "item_id": 1, "label": "red"},
                                   {"id": 2, "item_id": 1, "label": "blue"},
                                   {"id": 3, "item_id": 2, "label": "green"}])
    yield SimpleNamespace(Item=Item, Tag=Tag)
    Base.metadata.drop_all(engine)


def test_dropped_object_is_freed_without_the_garbage_collector(engine: Any,
                                                               m: SimpleNamespace) -> None:
    with Session(engine) as session:
        item = session.scalars(select(m.Item).where(m.Item.id == 1)).one()
        assert inspect(item).persistent and inspect(item).dict["name"] == "item1"
        probe = _Probe()
        vars(item)["_probe"] = probe  # lives exactly as long as the object's __dict__
        refs = [weakref.ref(item), weakref.ref(probe)]
        gc.disable()
        try:
            del item, probe
            # no reference cycle keeps the object's dict: freed by reference counting
            assert [ref() for ref in refs] == [None, None]
        finally:
            gc.enable()
        assert session.get(m.Item, 1).name == "item1"  # loads again


def test_identity_map_drops_collected_entries_while_streaming(engine: Any,
                                                              m: SimpleNamespace) -> None:
    with Session(engine) as session:
        kept = session.get(m.Item, 7)
        names = [item.name for item in session.scalars(select(m.Item).order_by(m.Item.id))]
        assert len(names) == ROWS and names[-1] == f"item{ROWS}"
        gc.collect()
        # collected objects' entries were swept while the map grew, not held until close()
        assert len(session.identity_map._states) < ROWS
        assert len(session.identity_map) == 1
        assert session.identity_map.get((m.Item, (7,), None)) is kept
        assert session.scalars(select(m.Item).where(m.Item.id == 7)).one() is kept


def test_entity_after_plain_columns_and_repeated_rows(engine: Any, m: SimpleNamespace) -> None:
    with Session(engine) as session:
        rows = session.execute(
            select(m.Tag.label, m.Item, m.Tag.id).join(m.Item, m.Tag.item_id == m.Item.id)
            .order_by(m.Tag.id)).all()
        assert [(label, item.name, tag_id) for label, item, tag_id in rows] == [
            ("red", "item1", 1), ("blue", "item1", 2), ("green", "item2", 3)]
        assert rows[0][1] is rows[1][1]  # one object per identity
        pairs = session.execute(select(m.Item, m.Tag).outerjoin(m.Tag).where(m.Item.id <= 3)
                                .order_by(m.Item.id, m.Tag.id)).all()
        assert [(i.id, t.label if t is not None else None) for i, t in pairs] == [
            (1, "red"), (1, "blue"), (2, "green"), (3, None)]


def test_row_fills_expired_attributes_but_keeps_unflushed_changes(engine: Any,
                                                                  m: SimpleNamespace) -> None:
    with Session(engine, autoflush=False) as session:
        one, two = session.scalars(select(m.Item).where(m.Item.id <= 2).order_by(m.Item.id))
        session.expire(one)
        two.name = "changed"
        again = session.scalars(select(m.Item).where(m.Item.id <= 2).order_by(m.Item.id)).all()
        assert again == [one, two]
        assert "name" in vars(one) and one.name == "item1"  # filled from the row, no reload
        assert two.name == "changed"
        refreshed = session.scalars(select(m.Item).where(m.Item.id == 2)
                                    .execution_options(populate_existing=True)).one()
        assert refreshed is two and two.name == "item2"
