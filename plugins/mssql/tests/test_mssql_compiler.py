"""SQL Server compile rules, types, DDL and reflection queries: expected SQL, parsed by sqlglot."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from mssql_sqlcheck import check

from sqlwright import (
    Boolean,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Sequence,
    String,
    Table,
    Text,
    Unicode,
    UnicodeText,
    Uuid,
    bindparam,
    delete,
    func,
    insert,
    literal,
    not_,
    select,
    union,
    update,
)
from sqlwright.schema import CreateIndex, CreateSequence, CreateTable, DropIndex
from sqlwright_mssql.dialect import identity_insert_statements
from sqlwright_mssql.reflection import REFLECTION_QUERIES, MSInspector
from sqlwright_mssql.types import MONEY, type_for_reflected

md = MetaData()
users = Table("users", md, Column("id", Integer, primary_key=True), Column("name", String(30)),
              Column("active", Boolean), Column("select", Integer))
log = Table("log", md, Column("id", Integer, Identity(start=10, increment=5), primary_key=True),
            Column("msg", Unicode(100)))

CASES: list[tuple[str, Any, str]] = [
    ("top", select(users.c.id).limit(5), "SELECT TOP (?) users.id FROM users"),
    ("offset_fetch_adds_order_by", select(users.c.id).offset(10).limit(5),
     "SELECT users.id FROM users ORDER BY (SELECT NULL) OFFSET ? ROWS FETCH NEXT ? ROWS ONLY"),
    ("offset_keeps_order_by", select(users.c.id).order_by(users.c.name).offset(2),
     "SELECT users.id FROM users ORDER BY users.name OFFSET ? ROWS"),
    ("union_limit", union(select(users.c.id), select(users.c.id)).limit(3),
     "SELECT users.id FROM users UNION SELECT users.id FROM users ORDER BY 1 "
     "OFFSET 0 ROWS FETCH NEXT ? ROWS ONLY"),
    ("bracket_quoting", select(users.c["select"]), "SELECT users.[select] FROM users"),
    ("bit_where", select(users.c.id).where(users.c.active),
     "SELECT users.id FROM users WHERE users.active = 1"),
    ("bit_not", select(users.c.id).where(not_(users.c.active)),
     "SELECT users.id FROM users WHERE users.active = 0"),
    ("bit_in_and", select(users.c.id).where(users.c.active, users.c.id > 1),
     "SELECT users.id FROM users WHERE users.active = 1 AND users.id > ?"),
    ("concat_plus", select(users.c.name + "x"), "SELECT users.name + ? AS anon_1 FROM users"),
    ("len", select(func.length(users.c.name)), "SELECT LEN(users.name) AS length_1 FROM users"),
    ("getdate", select(func.now()), "SELECT GETDATE() AS now_1"),
    ("sysdatetime", select(func.current_timestamp()),
     "SELECT SYSDATETIME() AS current_timestamp_1"),
    ("n_literal", select(literal("it's")).compile(
        dialect=check.dialect(), compile_kwargs={"literal_binds": True}),
     "SELECT N'it''s' AS anon_1"),
    ("empty_in", select(users.c.id).where(users.c.id.in_([])),
     "SELECT users.id FROM users WHERE 1 != 1"),
    ("distinct_from_emulated", select(users.c.id).where(users.c.id.is_distinct_from(3)),
     "SELECT users.id FROM users WHERE NOT (users.id = ? OR (users.id IS NULL AND ? IS NULL))"),
    ("for_update_hint", select(users.c.id).with_for_update(),
     "SELECT users.id FROM users WITH (UPDLOCK, ROWLOCK)"),
    ("for_update_alias", select(users.alias("u").c.id).with_for_update(skip_locked=True),
     "SELECT u.id FROM users AS u WITH (UPDLOCK, ROWLOCK, READPAST)"),
    ("insert_output_pk", insert(users).values(name="a"),
     "INSERT INTO users (name) OUTPUT inserted.id VALUES (?)"),
    ("insert_returning", insert(users).values(id=1, name="a").returning(users.c.name),
     "INSERT INTO users (id, name) OUTPUT inserted.name VALUES (?, ?)"),
    ("update_output", update(users).values(name="b").where(users.c.id == 1)
     .returning(users.c.id), "UPDATE users SET name=? OUTPUT inserted.id WHERE users.id = ?"),
    ("update_bit_where", update(users).values(name="b").where(users.c.active),
     "UPDATE users SET name=? WHERE users.active = 1"),
    ("delete_output", delete(users).where(users.c.id == 1).returning(users.c.name),
     "DELETE FROM users OUTPUT deleted.name WHERE users.id = ?"),
    ("next_value", select(Sequence("s").next_value()), "SELECT NEXT VALUE FOR s AS anon_1"),
    ("expanding_in", select(users.c.id).where(users.c.id.in_(bindparam("ids", expanding=True))),
     "SELECT users.id FROM users WHERE users.id IN (__[EXPANDING_ids])"),
]


@pytest.mark.parametrize(("stmt", "sql"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_compile(stmt: Any, sql: str) -> None:
    rendered = str(stmt) if hasattr(stmt, "string") else check.compile_checked(stmt)
    assert rendered == sql
    check.parse(rendered)


def test_is_distinct_from_is_native_from_2022() -> None:
    stmt = select(users.c.id).where(users.c.id.is_distinct_from(3))
    assert check.compile_checked(stmt, check.dialect((16, 0))) == \
        "SELECT users.id FROM users WHERE users.id IS DISTINCT FROM ?"


@pytest.mark.parametrize(("stmt", "table_sql"), [
    (insert(users).values(id=5, name="a"), "users"),
    (insert(users).values([{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]), "users"),
    (insert(log).values(id=1, msg="m"), "log"),
    (insert(users).values(name="a"), None),
    (insert(log).values(msg="m"), None),
])
def test_identity_insert_is_flagged_for_explicit_identity_values(stmt: Any,
                                                                 table_sql: str | None) -> None:
    compiled = stmt.compile(dialect=check.dialect())
    check.parse(str(compiled))
    assert compiled.identity_insert_table == table_sql
    if table_sql is not None:
        for sql in identity_insert_statements(table_sql):
            check.parse(sql)


def test_ddl_types_identity_and_indexes() -> None:
    t = Table("things", MetaData(),
              Column("id", Integer, primary_key=True), Column("name", String),
              Column("label", Unicode(20)), Column("body", Text), Column("ubody", UnicodeText),
              Column("flag", Boolean, nullable=False), Column("at", DateTime),
              Column("at_tz", DateTime(timezone=True)), Column("key", Uuid),
              Column("data", LargeBinary), Column("price", MONEY), Column("n", Numeric(10, 2)))
    sql = check.compile_checked(CreateTable(t))
    assert sql == (
        "CREATE TABLE things (\n\tid INTEGER IDENTITY(1,1) NOT NULL,\n\tname VARCHAR(max) NULL,"
        "\n\tlabel NVARCHAR(20) NULL,\n\tbody VARCHAR(max) NULL,\n\tubody NVARCHAR(max) NULL,"
        "\n\tflag BIT NOT NULL,\n\tat DATETIME2 NULL,\n\tat_tz DATETIMEOFFSET NULL,"
        "\n\t[key] UNIQUEIDENTIFIER NULL,\n\tdata VARBINARY(max) NULL,\n\tprice MONEY NULL,"
        "\n\tn NUMERIC(10, 2) NULL,\n\tPRIMARY KEY (id)\n)")
    assert "id INTEGER IDENTITY(10,5) NOT NULL" in check.compile_checked(CreateTable(log))
    ix = Index("ix_things_name", t.c.label)
    assert check.compile_checked(CreateIndex(ix)) == "CREATE INDEX ix_things_name ON things (label)"
    assert check.compile_checked(DropIndex(ix)) == "DROP INDEX ix_things_name ON things"
    assert check.compile_checked(CreateSequence(Sequence("s", start=5))) == \
        "CREATE SEQUENCE s AS BIGINT START WITH 5"


@pytest.mark.parametrize(("name", "length", "precision", "scale", "expected"), [
    ("nvarchar", 30, None, None, "Unicode(length=30)"), ("nvarchar", -1, None, None, "UnicodeText()"),
    ("varchar", -1, None, None, "Text()"), ("varbinary", -1, None, None, "LargeBinary()"),
    ("decimal", None, 10, 2, "Numeric(precision=10, scale=2)"), ("bit", None, None, None, "BIT()"),
    ("datetime2", None, None, 7, "DATETIME2(precision=7)"),
    ("uniqueidentifier", None, None, None, "UNIQUEIDENTIFIER()"),
    ("geography", None, None, None, "NullType()"),
])
def test_reflected_type_names(name: str, length: int | None, precision: int | None,
                              scale: int | None, expected: str) -> None:
    assert repr(type_for_reflected(name, length, precision, scale)) == expected


@pytest.mark.parametrize("name", sorted(REFLECTION_QUERIES))
def test_reflection_query_parses(name: str) -> None:
    check.parse(REFLECTION_QUERIES[name])


class _Recorded:
    """Canned rows per reflection query, recording what the inspector sent (no server here)."""

    def __init__(self, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        self.dialect = check.dialect()
        self.rows = rows
        self.sent: list[tuple[str, tuple[Any, ...]]] = []

    def execute(self, *args: Any) -> None:
        raise AssertionError("reflection must send its own SQL with exec_driver_sql")

    def exec_driver_sql(self, sql: str, params: tuple[Any, ...]) -> Any:
        self.sent.append((sql, params))
        name = next(n for n, q in REFLECTION_QUERIES.items() if q == sql)
        rows = self.rows.get(name, [])

        class _Result:
            def fetchall(self) -> list[tuple[Any, ...]]:
                return rows

        return _Result()


def test_inspector_reads_columns_keys_and_indexes() -> None:
    bind = _Recorded({
        "has_table": [(1,)],
        "columns": [
            ("id", "int", "NO", None, 10, 0, None, None, True, None, None, None),
            ("name", "nvarchar", "YES", 50, None, None, None, "(N'x')", False, None, None,
             "the name"),
            ("total", "int", "YES", None, 10, 0, None, None, False, "([id]*(2))", True, None),
        ],
        "pk_constraint": [("PK_users", "id")],
        "foreign_keys": [("fk_a", "a_id", "dbo", "a", "id", "CASCADE", "NO_ACTION")],
        "indexes": [("ix_name", False, "name", None), ("ix_pos", True, "name", "([id]>(0))")],
        "check_constraints": [("ck_id", "([id]>(0))")],
    })
    inspector = MSInspector(bind)
    columns = inspector.get_columns("users")
    assert [(c["name"], repr(c["type"]), c["nullable"], c["autoincrement"]) for c in columns] == [
        ("id", "Integer()", False, True), ("name", "Unicode(length=50)", True, False),
        ("total", "Integer()", True, False)]
    assert columns[1]["default"] == "N'x'" and columns[1]["comment"] == "the name"
    assert columns[2]["computed"] == {"sqltext": "[id]*(2)", "persisted": True}
    assert inspector.get_pk_constraint("users") == {"name": "PK_users",
                                                   "constrained_columns": ["id"]}
    assert inspector.get_foreign_keys("users")[0]["options"] == {"ondelete": "CASCADE"}
    assert inspector.get_indexes("users")[1] == {
        "name": "ix_pos", "column_names": ["name"], "unique": True,
        "dialect_options": {"mssql_where": "[id]>(0)"}}
    assert inspector.get_check_constraints("users") == [{"name": "ck_id", "sqltext": "[id]>(0)"}]
    assert all(params == (None, "users") for sql, params in bind.sent if "?" in sql)


def test_uuid_binds_as_text_and_money_is_decimal() -> None:
    d = check.dialect()
    value = uuid.UUID(int=5)
    assert Uuid().dialect_impl(d).bind_processor(d)(value) == str(value)
    assert MONEY().scale == 4


class _RecordingCursor:
    """Stands in for a pyodbc cursor (no SQL Server here): records what the dialect sends."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def execute(self, sql: str, *args: Any) -> None:
        self.calls.append(("execute", sql))

    def executemany(self, sql: str, rows: Any) -> None:
        self.calls.append(("executemany", sql))


def test_executemany_with_explicit_identity_values_wraps_identity_insert() -> None:
    from sqlwright import Column, Integer, MetaData, String, Table, insert
    from sqlwright.schema import Identity

    table = Table("things", MetaData(), Column("id", Integer, Identity(), primary_key=True),
                  Column("name", String(20)))
    d = check.dialect()
    compiled = insert(table).compile(dialect=d, column_keys=["id", "name"],
                                     for_executemany=True)

    class Context:
        pass

    context = Context()
    context.compiled = compiled  # type: ignore[attr-defined]
    cursor = _RecordingCursor()
    d.do_executemany(cursor, compiled.string, [(1, "a"), (2, "b")], context)
    assert [kind for kind, _ in cursor.calls] == ["execute", "executemany", "execute"]
    assert cursor.calls[0][1] == "SET IDENTITY_INSERT things ON"
    assert cursor.calls[2][1] == "SET IDENTITY_INSERT things OFF"
