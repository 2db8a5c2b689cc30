"""Flush order: the foreign key of a post_update relationship does not order the INSERTs (it
is written by a later UPDATE), so a cycle broken by post_update sorts by its other keys."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import ForeignKey, String, select
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlwright.orm.relationships import configure_mappers
from sqlwright.orm.unitofwork import sort_mappers
from sqlwright.testing.assertions import record_sql


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    # Entry is mapped first, so the creation-order fallback would put it before Widget
    class Entry(Base):
        __tablename__ = "ofu_entries"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(30))
        widget_id: Mapped[int | None] = mapped_column(ForeignKey("ofu_widgets.id"))

    class Widget(Base):
        __tablename__ = "ofu_widgets"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(30))
        favorite_entry_id: Mapped[int | None] = mapped_column(
            ForeignKey("ofu_entries.id", name="ofu_fav_fk", use_alter=True))
        entries: Mapped[list[Entry]] = relationship(
            primaryjoin=lambda: Widget.id == Entry.widget_id)
        favorite: Mapped[Entry | None] = relationship(
            primaryjoin=lambda: Widget.favorite_entry_id == Entry.id, post_update=True)

    Base.metadata.create_all(engine)
    configure_mappers()
    yield SimpleNamespace(Base=Base, Entry=Entry, Widget=Widget)
    Base.metadata.drop_all(engine)


def _verb_and_table(sql: str) -> tuple[str, str]:
    words = sql.split()
    verb = words[0].upper()
    table = words[2] if verb == "INSERT" else words[1]
    return verb, table.strip('`"')


def test_sort_mappers_ignores_post_update_foreign_keys(m: SimpleNamespace) -> None:
    entry, widget = m.Entry.__mapper__, m.Widget.__mapper__
    assert sort_mappers([entry, widget]) == [widget, entry]
    assert sort_mappers([widget, entry]) == [widget, entry]


def test_cycle_with_post_update_inserts_parent_first_then_updates(
        engine: Any, m: SimpleNamespace) -> None:
    with Session(engine) as session:
        first, second = m.Entry(name="first"), m.Entry(name="second")
        widget = m.Widget(name="w", entries=[first, second], favorite=second)
        session.add(widget)
        with record_sql(engine) as recorder:
            session.commit()
        writes = [_verb_and_table(r.sql) for r in recorder.statements
                  if r.sql.split()[0].upper() in ("INSERT", "UPDATE")]
        assert writes[0] == ("INSERT", "ofu_widgets")
        assert set(writes[1:-1]) == {("INSERT", "ofu_entries")}
        assert writes[-1] == ("UPDATE", "ofu_widgets")  # the post_update of favorite
    with Session(engine) as session:
        widget = session.scalars(select(m.Widget)).one()
        assert widget.favorite.name == "second"
        assert sorted(e.name for e in widget.entries) == ["first", "second"]
        assert all(e.widget_id == widget.id for e in widget.entries)


def test_post_update_cycle_deletes_cleanly(engine: Any, m: SimpleNamespace) -> None:
    with Session(engine) as session:
        entry = m.Entry(name="only")
        session.add(m.Widget(name="w", entries=[entry], favorite=entry))
        session.commit()
    with Session(engine) as session:
        widget = session.scalars(select(m.Widget)).one()
        assert widget.favorite is not None  # loaded, so setting None has a history
        widget.favorite = None
        session.flush()
        for entry in widget.entries:
            session.delete(entry)
        session.delete(widget)
        session.commit()
        assert session.scalars(select(m.Entry)).all() == []
