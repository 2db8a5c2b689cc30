"""Reflection through sqlwright.inspect() and autoload, on SQLite."""

from __future__ import annotations

from typing import Any

import pytest

import sqlwright
from sqlwright import exc
from sqlwright.schema import (
    CheckConstraint,
    Column,
    CreateTable,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
)
from sqlwright.sql.elements import text
from sqlwright.types import Integer, Numeric, String, Text

# reflected SQL text, defaults and types are asserted as SQLite reports them
pytestmark = pytest.mark.backends("sqlite")


@pytest.fixture
def schema(engine: Any, metadata: MetaData) -> MetaData:
    Table("authors", metadata,
          Column("id", Integer, primary_key=True),
          Column("name", String(40), nullable=False),
          Column("bio", Text, server_default=text("'none'")),
          UniqueConstraint("name", name="uq_author_name"))
    Table("books", metadata,
          Column("id", Integer, primary_key=True),
          Column("author_id", ForeignKey("authors.id", ondelete="CASCADE", name="fk_author")),
          Column("title", String(100)),
          Column("price", Numeric(8, 2)),
          CheckConstraint("price >= 0", name="ck_price"),
          Index("ix_books_title", "title", unique=True),
          Index("ix_books_lower", text("lower(title)")))
    Table("pairs", metadata, Column("a", Integer), Column("b", Integer),
          PrimaryKeyConstraint("a", "b", name="pk_pairs"),
          ForeignKeyConstraint(["a"], ["authors.id"]))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE VIEW book_titles AS SELECT title FROM books"))
    yield metadata
    with engine.begin() as conn:
        conn.execute(text("DROP VIEW book_titles"))


def test_table_and_view_names(engine: Any, schema: MetaData) -> None:
    insp = sqlwright.inspect(engine)
    assert insp.get_table_names() == ["authors", "books", "pairs"]
    assert insp.get_view_names() == ["book_titles"]
    assert "SELECT title FROM books" in insp.get_view_definition("book_titles")
    assert insp.has_table("books") and not insp.has_table("nope")


def test_columns(engine: Any, schema: MetaData) -> None:
    cols = sqlwright.inspect(engine).get_columns("authors")
    assert [c["name"] for c in cols] == ["id", "name", "bio"]
    assert isinstance(cols[0]["type"], Integer) and cols[0]["autoincrement"] is True
    assert isinstance(cols[1]["type"], String) and cols[1]["type"].length == 40
    assert cols[1]["nullable"] is False and cols[2]["nullable"] is True
    assert cols[2]["default"] == "'none'"
    price = sqlwright.inspect(engine).get_columns("books")[3]
    assert isinstance(price["type"], Numeric) and price["type"].precision == 8


def test_keys_and_constraints(engine: Any, schema: MetaData) -> None:
    insp = sqlwright.inspect(engine)
    assert insp.get_pk_constraint("pairs") == {"constrained_columns": ["a", "b"],
                                               "name": "pk_pairs"}
    (fk,) = insp.get_foreign_keys("books")
    assert fk["name"] == "fk_author" and fk["referred_table"] == "authors"
    assert fk["constrained_columns"] == ["author_id"] and fk["referred_columns"] == ["id"]
    assert fk["options"] == {"ondelete": "CASCADE"}
    assert insp.get_unique_constraints("authors") == [
        {"name": "uq_author_name", "column_names": ["name"]}]
    assert insp.get_check_constraints("books") == [{"name": "ck_price", "sqltext": "price >= 0"}]


def test_indexes(engine: Any, schema: MetaData) -> None:
    indexes = sqlwright.inspect(engine).get_indexes("books")
    assert [i["name"] for i in indexes] == ["ix_books_lower", "ix_books_title"]
    lower, title = indexes
    assert title["unique"] is True and title["column_names"] == ["title"]
    assert lower["column_names"] == [None] and lower["expressions"] == ["lower(title)"]


def test_missing_table_is_a_clear_error(engine: Any, schema: MetaData) -> None:
    with pytest.raises(exc.NoSuchTableError, match="known tables: authors, books, pairs"):
        sqlwright.inspect(engine).get_columns("nope")


def test_inspector_caches_until_cleared(engine: Any, schema: MetaData) -> None:
    insp = sqlwright.inspect(engine)
    assert "extra" not in insp.get_table_names()
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE extra (x INTEGER)"))
    assert "extra" not in insp.get_table_names()
    insp.clear_cache()
    assert "extra" in insp.get_table_names()
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE extra"))


def test_autoload_builds_an_equivalent_table(engine: Any, schema: MetaData) -> None:
    md = MetaData()
    books = Table("books", md, autoload_with=engine)
    assert [c.name for c in books.c] == ["id", "author_id", "title", "price"]
    assert "authors" in md.tables  # followed the foreign key
    fk = next(iter(books.foreign_keys))
    assert fk.column is md.tables["authors"].c.id and fk.ondelete == "CASCADE"
    assert {i.name for i in books.indexes} == {"ix_books_title", "ix_books_lower"}
    assert books._autoincrement_column is books.c.id
    original = str(CreateTable(schema.tables["books"]))
    assert str(CreateTable(books)).replace("\n", "") == original.replace("\n", "")


def test_metadata_reflect(engine: Any, schema: MetaData) -> None:
    md = MetaData()
    md.reflect(engine)
    assert sorted(md.tables) == ["authors", "books", "pairs"]
    md2 = MetaData()
    md2.reflect(engine, only=["pairs"])
    assert sorted(md2.tables) == ["authors", "pairs"]
    with pytest.raises(exc.InvalidRequestError, match="not available.*nope"):
        MetaData().reflect(engine, only=["nope"])
    md3 = MetaData()
    md3.reflect(engine, views=True, only=lambda name, _: name.startswith("book"))
    assert sorted(md3.tables) == ["authors", "book_titles", "books"]


def test_reflected_tables_round_trip_through_create_all(engine: Any, schema: MetaData,
                                                        tmp_path: Any) -> None:
    md = MetaData()
    md.reflect(engine)
    other = sqlwright.create_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        md.create_all(other)
        assert sqlwright.inspect(other).get_foreign_keys("books")[0]["name"] == "fk_author"
        with other.begin() as conn:
            conn.execute(text("INSERT INTO authors (name) VALUES ('a')"))
            with pytest.raises(exc.IntegrityError):
                conn.execute(text("INSERT INTO authors (name) VALUES ('a')"))
    finally:
        other.dispose()


def test_inspect_rejects_other_objects() -> None:
    with pytest.raises(exc.InvalidRequestError, match="Engine or a Connection"):
        sqlwright.inspect(42)
    assert sqlwright.inspect(42, raiseerr=False) is None
