"""PostgreSQL compile rules: one expression in, the SQL PostgreSQL gets out (no server)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import sqlwright_postgresql as pg
from sqlwright import (
    Column,
    Identity,
    Index,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    exc,
    insert,
    literal_column,
    select,
    text,
    true,
    update,
)
from sqlwright.schema import CreateIndex, CreateTable, DropTable
from sqlwright.types import JSON, BigInteger, Boolean, DateTime, Enum, LargeBinary, Uuid
from sqlwright_postgresql.drivers.psycopg2 import PGDialect_psycopg2

dialect = PGDialect_psycopg2()
md = MetaData()
t = Table("t", md, Column("id", Integer, primary_key=True), Column("name", String(30)),
          Column("tags", pg.ARRAY(String)), Column("doc", pg.JSONB), Column("js", JSON),
          Column("User", String), Column("order", Integer), Column("flag", Boolean))
excluded_stmt = pg.insert(t).values(id=1, name="x")


def sql(element: Any) -> str:
    return str(element.compile(dialect=dialect))


CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("quoting", lambda: select(t.c.User, t.c.order),
     'SELECT t."User", t."order" FROM t'),
    ("limit_offset", lambda: select(t.c.id).limit(5).offset(10),
     "SELECT t.id FROM t LIMIT %(param_1)s OFFSET %(param_2)s"),
    ("offset_only", lambda: select(t.c.id).offset(3),
     "SELECT t.id FROM t OFFSET %(param_1)s"),
    ("ilike", lambda: select(t.c.id).where(t.c.name.ilike("a%")),
     "SELECT t.id FROM t WHERE t.name ILIKE %(name_1)s"),
    ("not_ilike", lambda: select(t.c.id).where(t.c.name.not_ilike("a%")),
     "SELECT t.id FROM t WHERE t.name NOT ILIKE %(name_1)s"),
    ("distinct_from", lambda: select(t.c.id).where(t.c.name.is_distinct_from(None)),
     "SELECT t.id FROM t WHERE t.name IS DISTINCT FROM NULL"),
    ("not_distinct_from", lambda: select(t.c.id).where(t.c.name.is_not_distinct_from("a")),
     "SELECT t.id FROM t WHERE t.name IS NOT DISTINCT FROM %(name_1)s"),
    ("boolean_literal", lambda: select(t.c.id).where(t.c.flag == true()),
     "SELECT t.id FROM t WHERE t.flag = true"),
    ("concat", lambda: select(t.c.name + "!"),
     "SELECT t.name || %(name_1)s AS anon_1 FROM t"),
    ("regexp", lambda: select(t.c.id).where(t.c.name.regexp_match("^a")),
     "SELECT t.id FROM t WHERE t.name ~ %(name_1)s"),
    ("regexp_i", lambda: select(t.c.id).where(t.c.name.regexp_match("^a", flags="i")),
     "SELECT t.id FROM t WHERE t.name ~* %(name_1)s"),
    ("not_regexp", lambda: select(t.c.id).where(~t.c.name.regexp_match("^a")),
     "SELECT t.id FROM t WHERE t.name !~ %(name_1)s"),
    ("regexp_flags", lambda: select(t.c.id).where(t.c.name.regexp_match("a", flags="x")),
     "SELECT t.id FROM t WHERE t.name ~ CONCAT('(?x)', %(name_1)s)"),
    ("for_update", lambda: select(t.c.id).with_for_update(),
     "SELECT t.id FROM t FOR UPDATE"),
    ("for_share_nowait", lambda: select(t.c.id).with_for_update(read=True, nowait=True),
     "SELECT t.id FROM t FOR SHARE NOWAIT"),
    ("for_update_of_skip", lambda: select(t.c.id).with_for_update(of=t, skip_locked=True),
     "SELECT t.id FROM t FOR UPDATE OF t SKIP LOCKED"),
    ("no_key_update", lambda: select(t.c.id).with_for_update(key_share=True),
     "SELECT t.id FROM t FOR NO KEY UPDATE"),
    ("key_share", lambda: select(t.c.id).with_for_update(read=True, key_share=True),
     "SELECT t.id FROM t FOR KEY SHARE"),
    ("empty_in", lambda: select(t.c.id).where(t.c.id.in_([])),
     "SELECT t.id FROM t WHERE 1 != 1"),
    ("empty_not_in", lambda: select(t.c.id).where(t.c.id.not_in([])),
     "SELECT t.id FROM t WHERE 1 = 1"),
    ("distinct_on", lambda: select(t.c.id, t.c.name).distinct(t.c.name).order_by(t.c.name),
     "SELECT DISTINCT ON (t.name) t.id, t.name FROM t ORDER BY t.name"),
    ("json_key", lambda: select(t.c.js["a"]),
     "SELECT t.js -> %(key_1)s AS anon_1 FROM t"),
    ("json_as_string", lambda: select(t.c.js["a"].as_string()),
     "SELECT t.js ->> %(key_1)s AS anon_1 FROM t"),
    ("json_as_integer", lambda: select(t.c.js["a"].as_integer()),
     "SELECT CAST((t.js ->> %(key_1)s) AS INTEGER) AS anon_1 FROM t"),
    ("json_path", lambda: select(t.c.js[("a", 0)]),
     "SELECT t.js #> %(path_1)s AS anon_1 FROM t"),
    ("json_path_text", lambda: select(t.c.js[("a", 0)].as_string()),
     "SELECT t.js #>> %(path_1)s AS anon_1 FROM t"),
    ("jsonb_has_key", lambda: select(t.c.id).where(t.c.doc.has_key("a")),
     "SELECT t.id FROM t WHERE t.doc ? %(param_1)s"),
    ("jsonb_contains", lambda: select(t.c.id).where(t.c.doc.contains({"a": 1})),
     "SELECT t.id FROM t WHERE t.doc @> %(param_1)s"),
    ("array_index", lambda: select(t.c.tags[1]),
     "SELECT t.tags[%(index_1)s] AS anon_1 FROM t"),
    ("array_slice", lambda: select(t.c.tags[1:2]),
     "SELECT t.tags[%(lower_1)s:%(upper_1)s] AS anon_1 FROM t"),
    ("array_any", lambda: select(t.c.id).where(t.c.tags.any("a")),
     "SELECT t.id FROM t WHERE %(param_1)s = ANY (t.tags)"),
    ("array_all_fn", lambda: select(t.c.id).where(t.c.id == pg.all_(t.c.tags)),
     "SELECT t.id FROM t WHERE t.id = ALL (t.tags)"),
    ("array_contains", lambda: select(t.c.id).where(t.c.tags.contains(["a"])),
     "SELECT t.id FROM t WHERE t.tags @> %(param_1)s::VARCHAR[]"),
    ("array_overlap", lambda: select(t.c.id).where(t.c.tags.overlap(["a"])),
     "SELECT t.id FROM t WHERE t.tags && %(param_1)s::VARCHAR[]"),
    ("next_value", lambda: select(Sequence("s", schema="x").next_value()),
     "SELECT nextval('x.s') AS anon_1"),
    ("returning", lambda: update(t).values(name="n").returning(t.c.id),
     "UPDATE t SET name=%(name)s RETURNING t.id"),
    ("do_nothing", lambda: pg.insert(t).values(id=1).on_conflict_do_nothing(),
     "INSERT INTO t (id) VALUES (%(id)s) ON CONFLICT DO NOTHING"),
    ("do_nothing_target", lambda: pg.insert(t).values(id=1).on_conflict_do_nothing(
        index_elements=["id"]),
     "INSERT INTO t (id) VALUES (%(id)s) ON CONFLICT (id) DO NOTHING"),
    ("do_update", lambda: excluded_stmt.on_conflict_do_update(
        index_elements=[t.c.id], set_={"name": excluded_stmt.excluded.name}),
     "INSERT INTO t (id, name) VALUES (%(id)s, %(name)s) ON CONFLICT (id) DO UPDATE SET "
     "name = excluded.name"),
    ("do_update_where_returning", lambda: excluded_stmt.on_conflict_do_update(
        constraint="t_pkey", set_={t.c.name: "z"}, where=t.c.name != "keep").returning(t.c.id),
     "INSERT INTO t (id, name) VALUES (%(id)s, %(name)s) ON CONFLICT ON CONSTRAINT t_pkey "
     "DO UPDATE SET name = %(name_set_1)s WHERE t.name != %(name_1)s RETURNING t.id"),
    ("partial_target", lambda: pg.insert(t).values(id=1).on_conflict_do_nothing(
        index_elements=["name"], index_where=t.c.flag == true()),
     "INSERT INTO t (id) VALUES (%(id)s) ON CONFLICT (name) WHERE flag = true DO NOTHING"),
]


@pytest.mark.parametrize(("name", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_compile(name: str, build: Callable[[], Any], expected: str) -> None:
    assert sql(build()) == expected


TYPE_CASES: list[tuple[Any, str]] = [
    (DateTime(), "TIMESTAMP WITHOUT TIME ZONE"),
    (DateTime(timezone=True), "TIMESTAMP WITH TIME ZONE"),
    (LargeBinary(), "BYTEA"),
    (Uuid(), "UUID"),
    (JSON(), "JSON"),
    (pg.JSONB(), "JSONB"),
    (pg.ARRAY(Integer), "INTEGER[]"),
    (pg.ARRAY(String(5), dimensions=2), "VARCHAR(5)[][]"),
    (pg.INET(), "INET"),
    (pg.CIDR(), "CIDR"),
    (pg.INTERVAL(fields="day to second", precision=3), "INTERVAL DAY TO SECOND(3)"),
    (Enum("a", "b", name="ab"), "ab"),
    (Enum("a", "b", name="ab", native_enum=False), "VARCHAR(1)"),
    (pg.ENUM("a", name="Mood", schema="s"), 's."Mood"'),
]


@pytest.mark.parametrize(("type_", "expected"), TYPE_CASES, ids=[e for _, e in TYPE_CASES])
def test_type_names(type_: Any, expected: str) -> None:
    assert dialect.type_compiler_instance.process(type_) == expected


def test_unnamed_native_enum_is_a_compile_error() -> None:
    with pytest.raises(exc.CompileError, match="name="):
        dialect.type_compiler_instance.process(Enum("a", "b"))


def test_serial_identity_and_sequence_columns() -> None:
    m = MetaData()
    serial = Table("s1", m, Column("id", BigInteger, primary_key=True))
    ident = Table("s2", m, Column("id", Integer, Identity(start=5), primary_key=True))
    seq = Table("s3", m, Column("id", Integer, Sequence("s3_seq"), primary_key=True))
    assert "id BIGSERIAL NOT NULL" in sql(CreateTable(serial))
    assert "id INTEGER GENERATED BY DEFAULT AS IDENTITY (START WITH 5) NOT NULL" in \
        sql(CreateTable(ident))
    assert "id INTEGER NOT NULL" in sql(CreateTable(seq))
    assert sql(insert(seq).values(id=seq.c.id.default.next_value())).startswith(
        "INSERT INTO s3 (id) VALUES (nextval('s3_seq'))")


def test_enum_type_created_and_dropped_with_its_table() -> None:
    m = MetaData()
    table = Table("pets", m, Column("kind", Enum("cat", "dog", name="kind")),
                  Column("kinds", pg.ARRAY(Enum("cat", "dog", name="kind"))))
    create = sql(CreateTable(table))
    assert create.count("CREATE TYPE kind AS ENUM ('cat', 'dog')") == 1
    assert create.index("CREATE TYPE") < create.index("CREATE TABLE pets")
    drop = sql(DropTable(table))
    assert drop.index("DROP TABLE pets") < drop.index("DROP TYPE IF EXISTS kind")


def test_index_options() -> None:
    m = MetaData()
    table = Table("docs", m, Column("id", Integer, primary_key=True), Column("body", pg.JSONB),
                  Column("n", Integer))
    gin = Index("ix_body", table.c.body, postgresql_using="gin")
    partial = Index("ix_n", table.c.n, postgresql_where=table.c.n > 0,
                    postgresql_include=["id"])
    assert sql(CreateIndex(gin)) == "CREATE INDEX ix_body ON docs USING gin (body)"
    assert sql(CreateIndex(partial)) == "CREATE INDEX ix_n ON docs (n) INCLUDE (id) WHERE n > 0"
    bad = Index("ix_bad", table.c.n, postgresql_using="gin; drop")
    with pytest.raises(exc.CompileError, match="index method"):
        sql(CreateIndex(bad))


def test_upsert_needs_target_and_values() -> None:
    with pytest.raises(exc.ArgumentError, match="conflict target"):
        pg.insert(t).on_conflict_do_update(set_={"name": "x"})
    with pytest.raises(exc.ArgumentError, match="set_"):
        pg.insert(t).on_conflict_do_update(index_elements=["id"])


def test_upsert_statements_share_a_cache_key() -> None:
    def build(value: str) -> Any:
        stmt = pg.insert(t).values(id=1, name=value)
        return stmt.on_conflict_do_update(index_elements=["id"],
                                          set_={"name": stmt.excluded.name + value})

    assert build("a")._generate_cache_key().key == build("b")._generate_cache_key().key
    other = pg.insert(t).values(id=1, name="a").on_conflict_do_nothing()
    assert other._generate_cache_key().key != build("a")._generate_cache_key().key


def test_text_percent_is_escaped() -> None:
    assert sql(select(literal_column("'100%'"))) == "SELECT '100%%'"
    assert sql(text("SELECT 'a%'")) == "SELECT 'a%%'"
