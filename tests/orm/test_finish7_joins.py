"""Joins along relationships outside a Session: Core uses the relationship's ON clause."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import Column, ForeignKey, String, Table, select
from sqlwright.orm import DeclarativeBase, Mapped, Session, aliased, mapped_column, relationship


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    item_labels = Table("f7j_item_labels", Base.metadata,
                   Column("item_id", ForeignKey("f7j_items.id"), primary_key=True),
                   Column("label_id", ForeignKey("f7j_labels.id"), primary_key=True))

    class Owner(Base):
        __tablename__ = "f7j_owners"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(20))
        items: Mapped[list[Item]] = relationship(back_populates="owner")

    class Item(Base):
        __tablename__ = "f7j_items"
        id: Mapped[int] = mapped_column(primary_key=True)
        owner_id: Mapped[int] = mapped_column(ForeignKey("f7j_owners.id"))
        # a second key to the same table: FK inference alone could not pick the ON clause
        buyer_id: Mapped[int | None] = mapped_column(ForeignKey("f7j_owners.id"))
        owner: Mapped[Owner] = relationship(back_populates="items", foreign_keys=[owner_id])
        labels: Mapped[list[Label]] = relationship(secondary=item_labels)

    class Label(Base):
        __tablename__ = "f7j_labels"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(20))

    Base.metadata.create_all(engine)
    red, blue = Label(name="red"), Label(name="blue")
    with Session(engine) as session:
        session.add_all([Owner(name="ann", items=[Item(labels=[red, blue])]),
                         Owner(name="bob", items=[Item(labels=[blue])]), Owner(name="cy")])
        session.commit()
    yield SimpleNamespace(Owner=Owner, Item=Item, Label=Label)
    Base.metadata.drop_all(engine)


def test_many_to_many_join_compiles_through_the_association_table(m: SimpleNamespace) -> None:
    sql = str(select(m.Item.id).join(m.Item.labels))
    assert "JOIN f7j_item_labels ON f7j_items.id = f7j_item_labels.item_id" in sql
    assert "JOIN f7j_labels ON f7j_labels.id = f7j_item_labels.label_id" in sql


def test_relationship_joins_run_on_a_plain_connection(m: SimpleNamespace, engine: Any) -> None:
    stmt = (select(m.Owner.name, m.Label.name).join(m.Owner.items).join(m.Item.labels)
            .order_by(m.Owner.name, m.Label.name))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    assert [tuple(r) for r in rows] == [("ann", "blue"), ("ann", "red"), ("bob", "blue")]


def test_ambiguous_foreign_keys_use_the_relationship(m: SimpleNamespace, engine: Any) -> None:
    stmt = select(m.Owner.name).join(m.Owner.items).order_by(m.Owner.name)
    assert "f7j_owners.id = f7j_items.owner_id" in str(stmt)
    with engine.connect() as conn:
        assert conn.execute(stmt).scalars().all() == ["ann", "bob"]
    with Session(engine) as session:  # the session gives the same ON clause, once
        assert session.scalars(stmt).all() == ["ann", "bob"]


def test_outer_join_and_aliased_target_outside_a_session(
        m: SimpleNamespace, engine: Any) -> None:
    label = aliased(m.Label)
    stmt = (select(m.Item.id, label.name).join(m.Item.labels.of_type(label))
            .where(label.name == "red"))
    outer = select(m.Owner.name).outerjoin(m.Owner.items).where(m.Item.id.is_(None))
    with engine.connect() as conn:
        assert len(conn.execute(stmt).all()) == 1
        assert conn.execute(outer).scalars().all() == ["cy"]
