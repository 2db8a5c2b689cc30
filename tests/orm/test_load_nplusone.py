"""N+1 detection: session / engine / global opt-in, strict mode, the pytest fixture."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from sqlwright import ForeignKey, String, insert, select
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column, selectinload
from sqlwright.orm.nplusone import (
    NPlusOneError,
    NPlusOneWarning,
    detect_nplusone,
    disable_nplusone,
    enable_nplusone,
)
from sqlwright.orm.relationships import relationship


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "np_authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    books: Mapped[list[Book]] = relationship(back_populates="author", order_by="Book.id")


class Book(Base):
    __tablename__ = "np_books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50))
    author_id: Mapped[int] = mapped_column(ForeignKey("np_authors.id"))
    author: Mapped[Author] = relationship(back_populates="books")


@pytest.fixture
def db(engine: Any) -> Iterator[Any]:
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(Author.__table__), [{"id": i, "name": f"a{i}"} for i in (1, 2, 3)])
        conn.execute(insert(Book.__table__), [
            {"id": 1, "title": "b1", "author_id": 1}, {"id": 2, "title": "b2", "author_id": 2},
            {"id": 3, "title": "b3", "author_id": 3}])
    yield engine
    Base.metadata.drop_all(engine)


def _loop_over_books(session: Session) -> int:
    total = 0
    for author in session.scalars(select(Author).order_by(Author.id)).all():
        total += len(author.books)  # the N+1 line
    return total


def test_session_warn_mode_names_attribute_and_call_site(db: Any) -> None:
    with Session(db, info={"nplusone": "warn"}) as session:
        with pytest.warns(NPlusOneWarning) as caught:
            assert _loop_over_books(session) == 3
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "Author.books" in message and "selectinload(Author.books)" in message
    assert f"{__file__}:" in message and "_loop_over_books" in message


def test_session_raise_mode(db: Any) -> None:
    with Session(db, info={"nplusone": "raise"}) as session:
        authors = session.scalars(select(Author).order_by(Author.id)).all()
        assert len(authors[0].books) == 1  # one lazy load alone is not a loop
        with pytest.raises(NPlusOneError, match="Author.books"):
            authors[1].books  # noqa: B018


def test_engine_option(db: Any) -> None:
    strict = db.execution_options(nplusone="raise")
    with Session(strict) as session, pytest.raises(NPlusOneError):
        _loop_over_books(session)


def test_no_report_without_opt_in_or_with_eager_loading(db: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with Session(db) as session:
            assert _loop_over_books(session) == 3
        with Session(db, info={"nplusone": "raise"}) as session:
            stmt = select(Author).options(selectinload(Author.books))
            assert sum(len(a.books) for a in session.scalars(stmt).all()) == 3
            # a single object from get() is no loop
            assert len(session.get(Author, 1).books) == 1  # type: ignore[union-attr]


def test_many_to_one_identity_map_hits_are_not_counted(db: Any) -> None:
    with Session(db, info={"nplusone": "raise"}) as session:
        authors = session.scalars(select(Author)).all()  # now all in the identity map
        books = session.scalars(select(Book).order_by(Book.id)).all()
        assert [b.author.name for b in books] == ["a1", "a2", "a3"]
        assert len(authors) == 3


def test_global_detector_and_context_manager(db: Any) -> None:
    detector = enable_nplusone(mode="record")
    try:
        with Session(db) as session:
            _loop_over_books(session)
    finally:
        disable_nplusone(detector)
    assert [r.attribute for r in detector.reports] == ["Author.books"]
    assert detector.reports[0].batch_size == 3
    with Session(db) as session, pytest.raises(NPlusOneError):
        with detect_nplusone(session):
            _loop_over_books(session)


def test_pytest_fixture_collects_reports(db: Any, nplusone: Any) -> None:
    with Session(db) as session:
        _loop_over_books(session)
    assert [r.attribute for r in nplusone.reports] == ["Author.books"]
    nplusone.reports.clear()  # accepted: the fixture would fail the test otherwise


def test_unknown_mode_is_refused() -> None:
    from sqlwright import exc

    with pytest.raises(exc.ArgumentError, match="'warn', 'raise' or 'record'"):
        enable_nplusone(mode="loud")
