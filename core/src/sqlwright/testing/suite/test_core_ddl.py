"""Suite: DDL from Table metadata: create_all / drop_all in foreign key order, the constraints
and defaults they declare are enforced by the database, indexes, and DDL elements.

``checkfirst=False`` keeps these tests independent of reflection (``has_table``).
"""

from __future__ import annotations

from typing import Any

import pytest

from sqlwright import (
    CheckConstraint,
    Column,
    DefaultClause,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    exc,
    insert,
    select,
    text,
)


def _exists(engine: Any, table: Table) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(select(table.c.id).limit(1)).all()
    except exc.DBAPIError:
        return False
    return True


def _library(metadata: MetaData) -> tuple[Table, Table, Table]:
    # declared child first: create_all must still create the parents first
    loans = Table("sw_loans", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("book_id", Integer, ForeignKey("sw_books.id"), nullable=False))
    books = Table("sw_books", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("author_id", Integer, ForeignKey("sw_authors.id")),
                  Column("title", String(100), nullable=False))
    authors = Table("sw_authors", metadata,
                    Column("id", Integer, primary_key=True, autoincrement=False),
                    Column("name", String(50), nullable=False, unique=True))
    return authors, books, loans


def test_create_all_and_drop_all_in_dependency_order(engine: Any, metadata: MetaData) -> None:
    tables = _library(metadata)
    metadata.create_all(engine, checkfirst=False)
    assert all(_exists(engine, table) for table in tables)
    with engine.begin() as conn:
        conn.execute(insert(tables[0]).values(id=1, name="le guin"))
        conn.execute(insert(tables[1]).values(id=1, author_id=1, title="the dispossessed"))
        conn.execute(insert(tables[2]).values(id=1, book_id=1))
    metadata.drop_all(engine, checkfirst=False)
    assert not any(_exists(engine, table) for table in tables)


def test_table_create_and_drop(engine: Any, metadata: MetaData) -> None:
    table = Table("sw_single", metadata, Column("id", Integer, primary_key=True))
    table.create(engine)
    assert _exists(engine, table)
    table.drop(engine)
    assert not _exists(engine, table)


def test_declared_constraints_are_enforced(engine: Any, metadata: MetaData) -> None:
    authors, books, _ = _library(metadata)
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(authors).values(id=1, name="butler"))
    bad_rows: list[tuple[Table, dict[str, Any]]] = [
        (authors, {"id": 2, "name": "butler"}),  # unique
        (authors, {"id": 1, "name": "other"}),  # primary key
        (books, {"id": 1, "author_id": 1, "title": None}),  # not null
    ]
    if engine.dialect.features.supports_foreign_keys:
        bad_rows.append((books, {"id": 2, "author_id": 99, "title": "x"}))
    for table, row in bad_rows:
        with pytest.raises(exc.IntegrityError), engine.begin() as conn:
            conn.execute(insert(table).values(**row))


@pytest.mark.requires("supports_check_constraints")
def test_table_level_constraints(engine: Any, metadata: MetaData) -> None:
    table = Table("sw_stock", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("sku", String(20)), Column("site", String(20)), Column("qty", Integer),
                  UniqueConstraint("sku", "site", name="uq_sw_stock_sku_site"),
                  CheckConstraint("qty >= 0", name="ck_sw_stock_qty"))
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, sku="a", site="x", qty=1))
        conn.execute(insert(table).values(id=2, sku="a", site="y", qty=0))
    for row in ({"id": 3, "sku": "a", "site": "x", "qty": 1},
                {"id": 4, "sku": "b", "site": "x", "qty": -1}):
        with pytest.raises(exc.IntegrityError), engine.begin() as conn:
            conn.execute(insert(table).values(**row))


def test_server_default(engine: Any, metadata: MetaData) -> None:
    table = Table("sw_server_defaults", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("status", String(10), server_default="new"),
                  Column("rank", Integer, server_default=DefaultClause(text("7"))))
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1))
        assert tuple(conn.execute(select(table)).one()) == (1, "new", 7)


def test_indexes_are_created(engine: Any, metadata: MetaData) -> None:
    table = Table("sw_indexed", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("email", String(100), index=True),
                  Column("code", String(20)))
    Index("ix_sw_indexed_code_unique", table.c.code, unique=True)
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, email="a@x", code="c"))
        conn.execute(insert(table).values(id=2, email="a@x", code="d"))  # not unique: fine
    with pytest.raises(exc.IntegrityError), engine.begin() as conn:
        conn.execute(insert(table).values(id=3, email="b@x", code="c"))


def test_checkfirst_skips_existing_and_missing_tables(engine: Any, metadata: MetaData) -> None:
    tables = _library(metadata)
    metadata.create_all(engine)
    metadata.create_all(engine)  # all exist: nothing to do, no error
    assert all(_exists(engine, table) for table in tables)
    tables[2].drop(engine)
    metadata.drop_all(engine)  # one is gone already: the others are dropped
    metadata.drop_all(engine)
    assert not any(_exists(engine, table) for table in tables)
