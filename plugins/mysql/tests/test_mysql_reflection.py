"""Reflection through sqlwright.inspect(engine): names, columns, keys, indexes, constraints,
comments, options; a table sqlwright created reflects back equal; the Chinook database."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sqlwright
import sqlwright_mysql as mysql
from sqlwright import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    desc,
    func,
    select,
    text,
)
from sqlwright.engine.url import URL
from sqlwright.schema import Sequence
from sqlwright.types import JSON, BigInteger, Date, DateTime, Enum, Interval, Text, Uuid
from sqlwright_mysql import provision

CHINOOK_SQL = Path("/work/shared/data/chinook/chinook_mysql.sql")


def _rich_tables(metadata: MetaData) -> tuple[Table, Table]:
    parent = Table(
        "r_parent", metadata,
        Column("id", Integer, primary_key=True, comment="row id"),
        Column("code", String(10), nullable=False),
        Column("title", String(200), server_default="untitled"),
        Column("qty", Integer, nullable=False, server_default=text("0")),
        Column("price", Numeric(10, 2)),
        Column("big", BigInteger),
        Column("active", Boolean),
        Column("doc", JSON),
        Column("kind", Enum("a", "b")),
        Column("born", Date),
        Column("seen", DateTime),
        Column("took", Interval),
        Column("ref", Uuid),
        Column("body", Text, comment="free text"),
        Column("hits", mysql.INTEGER(unsigned=True)),
        Column("perms", mysql.SET("r", "w")),
        Column("at", mysql.DATETIME(fsp=6)),
        UniqueConstraint("code", name="uq_r_parent_code"),
        CheckConstraint("qty >= 0", name="ck_r_parent_qty"),
        comment="parents", mysql_engine="InnoDB", mysql_charset="utf8mb4",
    )
    Index("ix_r_parent_title", parent.c.title, mysql_length=20)
    child = Table(
        "r_child", metadata,
        Column("id", Integer, primary_key=True),
        Column("parent_id", Integer, ForeignKey("r_parent.id", name="fk_r_child_parent",
                                                 ondelete="CASCADE"), nullable=False),
        Column("note", String(50)),
        mysql_engine="InnoDB", mysql_charset="utf8mb4",
    )
    Index("ix_r_child_parent", child.c.parent_id)
    return parent, child


def _normal_sql(sql: str | None) -> str | None:
    return None if sql is None else re.sub(r"[`\s()]", "", sql).lower()


def _lengths(index: Index) -> dict[str, int]:
    """``mysql_length`` as {column: length} (an int means every column)."""
    length = index.dialect_options.get("mysql", {}).get("length")
    if isinstance(length, int):
        return {c.name: length for c in index.expressions}
    return dict(length or {})


def _describe(table: Table, dialect: Any) -> dict[str, Any]:
    """What must survive a create / reflect round trip, in comparable form."""
    types = dialect.type_compiler_instance
    ddl = dialect.ddl_compiler(dialect, None)
    columns = [(c.name, types.process(c.type).replace("NUMERIC", "DECIMAL"), c.nullable,
                c.primary_key, ddl.get_column_default_string(c), c.comment)
               for c in table.c]
    fks = sorted((fk.name, tuple(c.name for c in fk.columns),
                  tuple(e.target_fullname for e in fk.elements), fk.ondelete)
                 for fk in table.foreign_key_constraints)
    indexes = sorted((i.name, tuple(c.name for c in i.expressions), i.unique,
                      _lengths(i)) for i in table.indexes)
    constraints = sorted((type(c).__name__, c.name, tuple(getattr(x, "name", "") for x in
                                                          getattr(c, "columns", ())),
                          _normal_sql(str(c.sqltext)) if hasattr(c, "sqltext") else None)
                         for c in table.constraints
                         if type(c).__name__ in ("UniqueConstraint", "CheckConstraint"))
    return {"columns": columns, "pk": [c.name for c in table.primary_key.columns],
            "autoincrement": table._autoincrement_column is not None, "fks": fks,
            "indexes": indexes, "constraints": constraints, "comment": table.comment,
            "options": table.dialect_options.get("mysql", {})}


def test_reflected_table_equals_the_created_one(engine: Any, metadata: MetaData) -> None:
    parent, child = _rich_tables(metadata)
    metadata.create_all(engine)
    reflected = MetaData()
    child_back = Table("r_child", reflected, autoload_with=engine)
    parent_back = reflected.tables["r_parent"]  # pulled in by the foreign key
    for original, back in ((parent, parent_back), (child, child_back)):
        assert _describe(back, engine.dialect) == _describe(original, engine.dialect)
    assert parent_back.c.id.autoincrement is True
    assert isinstance(parent_back.c.active.type, Boolean)
    assert isinstance(parent_back.c.doc.type, JSON)
    assert parent_back.c.hits.type.unsigned is True
    assert parent_back.c.perms.type.values == ("r", "w")


def test_inspector_details(engine: Any, metadata: MetaData) -> None:
    _rich_tables(metadata)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE VIEW r_view AS SELECT id, code FROM r_parent")
    try:
        insp = sqlwright.inspect(engine)
        current = engine.url.database
        assert current in insp.get_schema_names()
        assert {"r_child", "r_parent"} <= set(insp.get_table_names())
        assert "r_view" not in insp.get_table_names()
        assert insp.get_view_names() == ["r_view"]
        assert "r_parent" in insp.get_view_definition("r_view")
        assert insp.has_table("r_parent") and insp.has_table("r_view")
        assert not insp.has_table("nope")
        columns = {c["name"]: c for c in insp.get_columns("r_parent")}
        assert columns["id"]["autoincrement"] is True
        assert columns["id"]["comment"] == "row id"
        assert columns["code"]["nullable"] is False
        assert columns["title"]["default"] == "'untitled'"
        assert columns["qty"]["default"] == "0"
        assert insp.get_pk_constraint("r_child")["constrained_columns"] == ["id"]
        [fk] = insp.get_foreign_keys("r_child")
        assert fk == {"name": "fk_r_child_parent", "constrained_columns": ["parent_id"],
                      "referred_schema": None, "referred_table": "r_parent",
                      "referred_columns": ["id"], "options": {"ondelete": "CASCADE"}}
        assert insp.get_indexes("r_parent") == [
            {"name": "ix_r_parent_title", "unique": False, "column_names": ["title"],
             "dialect_options": {"mysql": {"length": {"title": 20}}}}]
        assert insp.get_unique_constraints("r_parent") == [
            {"name": "uq_r_parent_code", "column_names": ["code"]}]
        [check] = insp.get_check_constraints("r_parent")
        assert check["name"] == "ck_r_parent_qty"
        assert _normal_sql(check["sqltext"]) == "qty>=0"
        assert insp.get_table_comment("r_parent") == {"text": "parents"}
        assert insp.get_table_comment("r_child") == {"text": None}
        assert insp.get_table_options("r_parent") == {"mysql_engine": "InnoDB",
                                                       "mysql_charset": "utf8mb4"}
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP VIEW r_view")


def test_other_schema_and_missing_table(engine: Any, metadata: MetaData) -> None:
    other = f"sw_other_{uuid.uuid4().hex[:8]}"
    provision.create_test_schema(engine, other)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE TABLE {other}.remote (id INT PRIMARY KEY, "
                                 "name VARCHAR(5) NOT NULL)")
        insp = sqlwright.inspect(engine)
        assert insp.get_table_names(other) == ["remote"]
        assert insp.has_table("remote", schema=other)
        assert not insp.has_table("remote")
        table = Table("remote", MetaData(), schema=other, autoload_with=engine)
        assert [c.name for c in table.c] == ["id", "name"]
        with pytest.raises(sqlwright.exc.NoSuchTableError, match="does not exist"):
            insp.get_columns("remote")
    finally:
        provision.drop_test_schema(engine, other)


@pytest.mark.requires("supports_sequences")
def test_sequences(engine: Any, metadata: MetaData) -> None:
    Sequence("r_seq", start=5, metadata=metadata)
    metadata.create_all(engine)
    insp = sqlwright.inspect(engine)
    assert insp.get_sequence_names() == ["r_seq"]
    assert insp.has_sequence("r_seq")
    assert "r_seq" not in insp.get_table_names()
    assert not insp.has_table("r_seq")


# -- Chinook --------------------------------------------------------------------------------
def _statements(script: str) -> Iterator[str]:
    """Split a MySQL script on ``;`` outside quotes, dropping /* */ comments."""
    out: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(script):
        ch = script[i]
        if quote is None and script.startswith("/*", i):
            i = script.index("*/", i) + 2
            continue
        if quote is not None:
            if ch == "\\":
                out.append(script[i:i + 2])
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "'`\"":
            quote = ch
        elif ch == ";":
            statement = "".join(out).strip()
            if statement:
                yield statement
            out = []
            i += 1
            continue
        out.append(ch)
        i += 1
    if "".join(out).strip():
        yield "".join(out).strip()


@pytest.fixture
def chinook_url(dburi: URL) -> Iterator[URL]:
    """The author's Chinook script loaded into a scratch database (dropped afterwards)."""
    name = f"sw_chinook_{uuid.uuid4().hex[:8]}"
    url = provision.create_test_database(dburi, name)
    engine = sqlwright.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in _statements(CHINOOK_SQL.read_text(encoding="utf-8")):
                if re.match(r"(DROP|CREATE)\s+DATABASE|USE\s", statement, re.I):
                    continue  # the script's own database: we load into ours
                conn.exec_driver_sql(statement)
        yield url
    finally:
        engine.dispose()
        provision.drop_test_database(dburi, name)


def test_chinook(chinook_url: URL) -> None:
    engine = sqlwright.create_engine(chinook_url)
    try:
        _check_chinook(engine)
    finally:
        engine.dispose()


def _check_chinook(engine: Any) -> None:
    insp = sqlwright.inspect(engine)
    names = ["Album", "Artist", "Customer", "Employee", "Genre", "Invoice", "InvoiceLine",
             "MediaType", "Playlist", "PlaylistTrack", "Track"]
    assert insp.get_table_names() == names
    md = MetaData()
    md.reflect(engine)
    assert sorted(md.tables) == names
    album, track = md.tables["Album"], md.tables["Track"]
    assert [c.name for c in album.c] == ["AlbumId", "Title", "ArtistId"]
    assert album.c.Title.type.length == 160 and album.c.Title.nullable is False
    assert isinstance(album.c.AlbumId.type, Integer) and album.c.AlbumId.primary_key
    invoice = md.tables["Invoice"]
    assert (invoice.c.Total.type.precision, invoice.c.Total.type.scale) == (10, 2)
    assert isinstance(md.tables["Employee"].c.BirthDate.type, DateTime)
    assert [c.name for c in md.tables["PlaylistTrack"].primary_key.columns] == [
        "PlaylistId", "TrackId"]
    [fk] = album.foreign_key_constraints
    assert (fk.name, [e.target_fullname for e in fk.elements]) == (
        "FK_AlbumArtistId", ["Artist.ArtistId"])
    assert {fk.column.table.name for fk in track.foreign_keys} == {
        "Album", "Genre", "MediaType"}
    assert {i.name for i in track.indexes} == {
        "IFK_TrackAlbumId", "IFK_TrackGenreId", "IFK_TrackMediaTypeId"}
    employee = md.tables["Employee"]
    [self_ref] = employee.foreign_keys
    assert self_ref.column is employee.c.EmployeeId
    _chinook_queries(engine, md)


def _chinook_queries(engine: Any, md: MetaData) -> None:
    artist, album, track = md.tables["Artist"], md.tables["Album"], md.tables["Track"]
    invoice, employee = md.tables["Invoice"], md.tables["Employee"]
    tracks = func.count(track.c.TrackId).label("tracks")
    top = (select(artist.c.Name, tracks)
           .select_from(artist.join(album).join(track))
           .group_by(artist.c.Name).order_by(desc(tracks)).limit(3))
    boss = employee.alias("boss")
    reports = (select(boss.c.LastName, func.count(employee.c.EmployeeId))
               .select_from(employee.join(boss, employee.c.ReportsTo == boss.c.EmployeeId))
               .group_by(boss.c.LastName).order_by(boss.c.LastName))
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(top)] == [
            ("Iron Maiden", 213), ("U2", 135), ("Led Zeppelin", 114)]
        assert str(conn.execute(select(func.sum(invoice.c.Total))).scalar()) == "2328.60"
        assert [tuple(r) for r in conn.execute(reports)] == [
            ("Adams", 2), ("Edwards", 3), ("Mitchell", 2)]
