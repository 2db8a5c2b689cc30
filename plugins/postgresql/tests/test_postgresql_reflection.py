"""Reflection from the PostgreSQL catalogs: tables sqlwright created, and the Chinook sample
database loaded from its author's script."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sqlwright
import sqlwright_postgresql as pg
from sqlwright import (
    CheckConstraint,
    Column,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlwright import types as t
from sqlwright.engine.url import URL
from sqlwright.schema import CreateTable
from sqlwright_postgresql.provision import (
    create_test_database,
    create_test_schema,
    drop_test_database,
    drop_test_schema,
)

CHINOOK = Path("/work/shared/data/chinook/chinook_postgresql.sql")


@pytest.fixture
def scratch(pg_url: URL) -> Iterator[Any]:
    """An engine whose search_path is a fresh schema, dropped (with its objects) afterwards."""
    schema = f"sw_{uuid.uuid4().hex[:10]}"
    create_test_schema(pg_url, schema)
    eng = sqlwright.create_engine(
        pg_url.update_query_dict({"options": f"-csearch_path={schema}"}))
    eng.test_schema = schema  # type: ignore[attr-defined]
    yield eng
    eng.dispose()
    drop_test_schema(pg_url, schema)


def build(md: MetaData) -> tuple[Table, Table]:
    parent = Table(
        "parent", md, Column("id", Integer, primary_key=True),
        Column("code", String(10), nullable=False, comment="business key"),
        Column("price", t.Numeric(10, 2), server_default=text("0")),
        Column("tags", pg.ARRAY(t.Text())), Column("doc", pg.JSONB),
        Column("kind", t.Enum("a", "b", name="kind")), Column("at", t.DateTime(timezone=True)),
        Column("uid", t.Uuid()), Column("blob", t.LargeBinary()),
        UniqueConstraint("code", name="uq_parent_code"),
        CheckConstraint("price >= 0", name="ck_price"), comment="the parents")
    child = Table(
        "child", md, Column("id", Integer, Identity(), primary_key=True),
        Column("parent_id", Integer, ForeignKey("parent.id", name="fk_child_parent",
                                                ondelete="CASCADE")),
        Column("n", Integer, Sequence("child_n_seq")))
    Index("ix_child_parent", child.c.parent_id)
    Index("ix_parent_doc", parent.c.doc, postgresql_using="gin")
    Index("ix_parent_low", func.lower(parent.c.code), unique=True,
          postgresql_where=parent.c.price > 0)
    return parent, child


def test_names_and_details(scratch: Any) -> None:
    md = MetaData()
    build(md)
    md.create_all(scratch)
    with scratch.begin() as conn:
        conn.exec_driver_sql("CREATE VIEW v_parent AS SELECT id, code FROM parent")
    insp = sqlwright.inspect(scratch)
    assert scratch.test_schema in insp.get_schema_names()
    assert insp.get_table_names() == ["child", "parent"]
    assert insp.get_view_names() == ["v_parent"]
    assert "SELECT" in insp.get_view_definition("v_parent").upper()
    assert insp.get_sequence_names() == ["child_id_seq", "child_n_seq", "parent_id_seq"]
    assert insp.has_table("parent") and not insp.has_table("nope")
    assert insp.has_table("parent", schema=scratch.test_schema)
    cols = {c["name"]: c for c in insp.get_columns("parent")}
    assert cols["id"]["autoincrement"] is True and cols["id"]["default"] is None
    assert cols["code"]["nullable"] is False and cols["code"]["comment"] == "business key"
    assert cols["price"]["default"] == "0"
    assert isinstance(cols["tags"]["type"], pg.ARRAY)
    assert cols["kind"]["type"].enums == ("a", "b") and cols["kind"]["type"].name == "kind"
    child_cols = {c["name"]: c for c in insp.get_columns("child")}
    assert child_cols["id"]["autoincrement"] is True
    assert insp.get_pk_constraint("parent") == {"name": "parent_pkey",
                                                "constrained_columns": ["id"]}
    [fk] = insp.get_foreign_keys("child")
    assert (fk["name"], fk["referred_table"], fk["referred_columns"], fk["options"]) == \
        ("fk_child_parent", "parent", ["id"], {"ondelete": "CASCADE"})
    assert insp.get_unique_constraints("parent") == [{"name": "uq_parent_code",
                                                      "column_names": ["code"]}]
    assert insp.get_check_constraints("parent") == [{"name": "ck_price",
                                                     "sqltext": "price >= 0::numeric"}]
    assert insp.get_table_comment("parent") == {"text": "the parents"}
    indexes = {i["name"]: i for i in insp.get_indexes("parent")}
    assert indexes["ix_parent_doc"]["dialect_options"] == {"postgresql": {"using": "gin"}}
    low = indexes["ix_parent_low"]
    assert low["unique"] and low["expressions"] == ["lower(code::text)"]
    assert low["dialect_options"]["postgresql"]["where"] == "(price > (0)::numeric)"


def test_reflected_table_equals_the_created_one(scratch: Any) -> None:
    md = MetaData()
    parent, child = build(md)
    md.create_all(scratch)
    reflected_md = MetaData()
    got = Table("parent", reflected_md, autoload_with=scratch)
    got_child = Table("child", reflected_md, autoload_with=scratch)
    dialect = scratch.dialect

    def shape(table: Table) -> Any:
        return (
            [(c.name, dialect.type_compiler_instance.process(c.type), c.nullable,
              c.primary_key, c.comment) for c in table.c],
            sorted((u.name, tuple(c.name for c in u.columns)) for u in table.constraints
                   if isinstance(u, UniqueConstraint)),
            sorted(fk.target_fullname for fk in table.foreign_keys),
            table.comment,
        )

    assert shape(got) == shape(parent)
    assert shape(got_child)[0][1:] == shape(child)[0][1:]
    assert sorted(i.name for i in got.indexes) == ["ix_parent_doc", "ix_parent_low"]
    # the reflected Table would create the same table again
    ddl = str(CreateTable(got).compile(dialect=dialect))
    assert ddl == str(CreateTable(parent).compile(dialect=dialect)).replace(
        "price >= 0", "price >= 0::numeric").replace(
        "PRIMARY KEY (id)", "CONSTRAINT parent_pkey PRIMARY KEY (id)")


@pytest.fixture
def chinook(pg_url: URL) -> Iterator[Any]:
    """The Chinook sample database, loaded from its script into a scratch database."""
    name = f"sw_chinook_{uuid.uuid4().hex[:8]}"
    url = create_test_database(pg_url, name)
    script = CHINOOK.read_text(encoding="utf-8")
    body = script.split("\\c chinook;", 1)[1]
    eng = sqlwright.create_engine(url)
    try:
        with eng.begin() as conn:
            conn.exec_driver_sql(body)
        yield eng
    finally:
        eng.dispose()
        drop_test_database(pg_url, name)


def test_chinook_reflects(chinook: Any) -> None:
    md = MetaData()
    md.reflect(chinook)
    assert sorted(md.tables) == [
        "album", "artist", "customer", "employee", "genre", "invoice", "invoice_line",
        "media_type", "playlist", "playlist_track", "track"]
    track = md.tables["track"]
    assert [c.name for c in track.primary_key.columns] == ["track_id"]
    assert isinstance(track.c.name.type, t.String) and track.c.name.type.length == 200
    assert isinstance(track.c.unit_price.type, t.Numeric)
    assert (track.c.unit_price.type.precision, track.c.unit_price.type.scale) == (10, 2)
    assert track.c.composer.nullable and not track.c.name.nullable
    assert sorted(fk.target_fullname for fk in track.foreign_keys) == [
        "album.album_id", "genre.genre_id", "media_type.media_type_id"]
    playlist_track = md.tables["playlist_track"]
    assert [c.name for c in playlist_track.primary_key.columns] == ["playlist_id", "track_id"]
    employee = md.tables["employee"]
    assert [fk.target_fullname for fk in employee.foreign_keys] == ["employee.employee_id"]
    assert isinstance(employee.c.birth_date.type, t.DateTime)
    assert "track_album_id_idx" in {i.name for i in track.indexes}


def test_chinook_joins(chinook: Any) -> None:
    md = MetaData()
    md.reflect(chinook)
    artist, album, track = (md.tables[n] for n in ("artist", "album", "track"))
    invoice, line = md.tables["invoice"], md.tables["invoice_line"]
    with chinook.connect() as conn:
        top = conn.execute(
            select(artist.c.name, func.count(track.c.track_id).label("n"))
            .select_from(artist.join(album).join(track))
            .group_by(artist.c.name).order_by(func.count(track.c.track_id).desc(),
                                               artist.c.name).limit(1)).one()
        assert top == ("Iron Maiden", 213)
        total = conn.execute(select(func.sum(line.c.unit_price * line.c.quantity))
                             .select_from(invoice.join(line))).scalar()
        assert total == conn.execute(select(func.sum(invoice.c.total))).scalar()
        titles = conn.execute(select(album.c.title).join(artist)
                              .where(artist.c.name == "AC/DC").order_by(album.c.title)
                              ).scalars().all()
        assert titles == ["For Those About To Rock We Salute You", "Let There Be Rock"]
