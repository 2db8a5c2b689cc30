"""Setting a many-to-one to None must clear the foreign key even when it was never loaded."""

from __future__ import annotations

from typing import Any, Optional

from sqlwright import ForeignKey, select
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlwright.testing.assertions import record_sql


class Base(DeclarativeBase):
    pass


class Owner(Base):
    __tablename__ = "sn_owners"
    id: Mapped[int] = mapped_column(primary_key=True)


class Gadget(Base):
    __tablename__ = "sn_gadgets"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sn_owners.id"))
    owner: Mapped[Optional[Owner]] = relationship()


def test_unloaded_many_to_one_set_to_none_clears_the_key(engine: Any) -> None:
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            session.add(Gadget(id=1, owner=Owner(id=7)))
            session.commit()
        with Session(engine) as session:
            gadget = session.get(Gadget, 1)
            assert gadget is not None
            gadget.owner = None
            session.commit()
            assert session.scalar(select(Gadget.owner_id)) is None
    finally:
        Base.metadata.drop_all(engine)


def test_target_in_identity_map_costs_no_sql(engine: Any) -> None:
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            session.add(Gadget(id=1, owner=Owner(id=7)))
            session.commit()
        with Session(engine) as session:
            gadget = session.get(Gadget, 1)
            owner = session.get(Owner, 7)  # held: the identity map keeps objects weakly
            assert gadget is not None and owner is not None
            with record_sql(engine) as recorder:
                gadget.owner = None
            assert recorder.count == 0
            session.commit()
            assert session.scalar(select(Gadget.owner_id)) is None
    finally:
        Base.metadata.drop_all(engine)


class Shelf(Base):
    __tablename__ = "sn_shelves"
    id: Mapped[int] = mapped_column(primary_key=True)
    books: Mapped[list[Book]] = relationship()


class Book(Base):
    __tablename__ = "sn_books"
    id: Mapped[int] = mapped_column(primary_key=True)
    shelf_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sn_shelves.id"))


def test_is_modified_include_collections(engine: Any) -> None:
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            session.add(Shelf(id=1))
            session.commit()
            shelf = session.get(Shelf, 1)
            assert shelf is not None
            shelf.books.append(Book(id=5))
            assert session.is_modified(shelf)
            assert not session.is_modified(shelf, include_collections=False)
    finally:
        Base.metadata.drop_all(engine)
