"""Oracle compile rules, types, DDL and reflection queries: expected SQL, parsed by sqlglot."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from oracle_sqlcheck import check

from sqlwright import (
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
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
    exc,
    except_,
    insert,
    literal,
    not_,
    select,
    update,
)
from sqlwright.schema import CreateSequence, CreateTable
from sqlwright_oracle.dialect import escape_parameters, out_bind_type
from sqlwright_oracle.reflection import REFLECTION_QUERIES, OracleInspector
from sqlwright_oracle.types import type_for_reflected

md = MetaData()
users = Table("users", md, Column("id", Integer, primary_key=True), Column("name", String(30)),
              Column("active", Boolean), Column("MixedCase", Integer))
seq_t = Table("seq_t", md, Column("id", Integer, Sequence("seq_t_id"), primary_key=True),
              Column("v", Integer))

CASES: list[tuple[str, Any, str]] = [
    ("from_dual", select(literal(1)), "SELECT :param_1 AS anon_1 FROM DUAL"),
    ("alias_without_as", select(users.alias("u").c.id), "SELECT u.id FROM users u"),
    ("fetch_first", select(users.c.id).limit(5),
     "SELECT users.id FROM users FETCH FIRST :param_1 ROWS ONLY"),
    ("offset_fetch", select(users.c.id).order_by(users.c.id).offset(10).limit(5),
     "SELECT users.id FROM users ORDER BY users.id OFFSET :param_1 ROWS "
     "FETCH FIRST :param_2 ROWS ONLY"),
    ("quoted_mixed_case", select(users.c.MixedCase), 'SELECT users."MixedCase" FROM users'),
    ("bool_where", select(users.c.id).where(users.c.active),
     "SELECT users.id FROM users WHERE users.active = 1"),
    ("bool_not", select(users.c.id).where(not_(users.c.active)),
     "SELECT users.id FROM users WHERE users.active = 0"),
    ("concat", select(users.c.name + "x"), "SELECT users.name || :name_1 AS anon_1 FROM users"),
    ("minus", except_(select(users.c.id), select(users.c.id)),
     "SELECT users.id FROM users MINUS SELECT users.id FROM users"),
    ("for_update", select(users.c.id).with_for_update(nowait=True),
     "SELECT users.id FROM users FOR UPDATE NOWAIT"),
    ("returning_into", update(users).values(name="b").where(users.c.id == 1)
     .returning(users.c.id, users.c.name),
     "UPDATE users SET name=:name WHERE users.id = :id_1 "
     "RETURNING users.id, users.name INTO :ret_0, :ret_1"),
    ("insert_pk_returning", insert(users).values(name="a"),
     "INSERT INTO users (name) VALUES (:name) RETURNING users.id INTO :ret_0"),
    ("sequence_nextval", insert(seq_t).values(v=1),
     "INSERT INTO seq_t (id, v) VALUES (seq_t_id.nextval, :v) RETURNING seq_t.id INTO :ret_0"),
    ("empty_in", select(users.c.id).where(users.c.id.in_([])),
     "SELECT users.id FROM users WHERE 1 != 1"),
]


@pytest.mark.parametrize(("stmt", "sql"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_compile(stmt: Any, sql: str) -> None:
    assert check.compile_checked(stmt) == sql


def test_rownum_wrapping_before_12c() -> None:
    stmt = select(users.c.id, users.c.name).order_by(users.c.id).offset(3).limit(2)
    sql = check.compile_checked(stmt, check.dialect((11, 2)))
    assert sql == (
        "SELECT id, name FROM (SELECT ora_inner.*, ROWNUM AS ora_rn FROM (SELECT users.id, "
        "users.name FROM users ORDER BY users.id) ora_inner WHERE ROWNUM <= :param_2 + "
        ":param_1) WHERE ora_rn > :param_1")
    assert check.compile_checked(select(users.c.id).limit(2), check.dialect((11, 2))) == \
        "SELECT * FROM (SELECT users.id FROM users) WHERE ROWNUM <= :param_1"


def test_except_and_native_boolean_on_23ai() -> None:
    d = check.dialect((23, 4))
    assert check.compile_checked(except_(select(users.c.id), select(users.c.id)), d) == \
        "SELECT users.id FROM users EXCEPT SELECT users.id FROM users"
    assert check.compile_checked(select(users.c.id).where(users.c.active), d) == \
        "SELECT users.id FROM users WHERE users.active"


def test_reserved_bind_names_are_renamed_for_the_driver() -> None:
    t = Table("order", MetaData(), Column("select", Integer), Column("_x", Integer))
    compiled = insert(t).values({"select": 1, "_x": 2}).compile(dialect=check.dialect())
    assert str(compiled) == 'INSERT INTO "order" ("select", "_x") VALUES (:select_, :p_x)'
    check.parse(str(compiled))
    assert escape_parameters(compiled, {"select": 1, "_x": 2}) == {"select_": 1, "p_x": 2}


def test_out_bind_types() -> None:
    assert out_bind_type(Integer()) is int
    assert out_bind_type(String(5)) is str
    assert out_bind_type(None) is str


def test_identifier_limit_by_version() -> None:
    assert check.dialect((12, 1)).features.max_identifier_length == 30
    assert check.dialect((19,)).features.max_identifier_length == 128


def test_ddl_types_and_identity() -> None:
    t = Table("things", MetaData(),
              Column("id", Integer, primary_key=True), Column("name", String(20)),
              Column("label", Unicode(20)), Column("body", Text), Column("ubody", UnicodeText),
              Column("flag", Boolean, nullable=False), Column("day", Date),
              Column("at_tz", DateTime(timezone=True)), Column("key", Uuid),
              Column("data", LargeBinary), Column("n", Numeric(10, 2)), Column("d", Double),
              Column("users_id", ForeignKey(users.c.id, ondelete="CASCADE")))
    assert check.compile_checked(CreateTable(t)) == (
        "CREATE TABLE things (\n\tid INTEGER GENERATED BY DEFAULT ON NULL AS IDENTITY NOT NULL,"
        "\n\tname VARCHAR2(20),\n\tlabel NVARCHAR2(20),\n\tbody CLOB,\n\tubody NCLOB,"
        "\n\tflag NUMBER(1) NOT NULL,\n\tday DATE,\n\tat_tz TIMESTAMP WITH TIME ZONE,"
        "\n\t\"key\" RAW(16),\n\tdata BLOB,\n\tn NUMBER(10, 2),\n\td BINARY_DOUBLE,"
        "\n\tusers_id INTEGER,\n\tPRIMARY KEY (id),"
        "\n\tFOREIGN KEY(users_id) REFERENCES users (id) ON DELETE CASCADE\n)")
    assert check.compile_checked(CreateSequence(Sequence("s", start=5))) == \
        "CREATE SEQUENCE s START WITH 5"


def test_on_update_is_refused_with_advice() -> None:
    t = Table("child", MetaData(), Column("p", ForeignKey(users.c.id, onupdate="CASCADE")))
    with pytest.raises(exc.CompileError, match="no ON UPDATE"):
        check.compile_checked(CreateTable(t))


@pytest.mark.parametrize(("name", "length", "precision", "scale", "expected"), [
    ("NUMBER", None, 10, 0, "Integer()"), ("NUMBER", None, 19, 0, "BigInteger()"),
    ("NUMBER", None, 10, 2, "NUMBER(precision=10, scale=2)"),
    ("VARCHAR2", 30, None, None, "VARCHAR2(length=30)"), ("RAW", 16, None, None, "Uuid()"),
    ("TIMESTAMP(6) WITH TIME ZONE", None, None, 6, "DateTime(timezone=True)"),
    ("SDO_GEOMETRY", None, None, None, "NullType()"),
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
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def execute(self, *args: Any) -> None:
        raise AssertionError("reflection must send its own SQL with exec_driver_sql")

    def exec_driver_sql(self, sql: str, params: dict[str, Any]) -> Any:
        self.sent.append((sql, params))
        name = next(n for n, q in REFLECTION_QUERIES.items() if q == sql)
        rows = self.rows.get(name, [])

        class _Result:
            def fetchall(self) -> list[tuple[Any, ...]]:
                return rows

        return _Result()


def test_inspector_normalizes_names_both_ways() -> None:
    bind = _Recorded({
        "has_table": [(1,)],
        "columns": [
            ("ID", "NUMBER", None, 10, 0, "N", None, "NO", "YES", None),
            ("MixedCase", "VARCHAR2", 20, None, None, "Y", "'x' ", "NO", "NO", "a comment"),
        ],
        "constraints": [
            ("SYS_C001", "P", "ID", None, None, None, None, None),
            ("FK_A", "R", "MixedCase", "APP", "PARENT", "ID", "CASCADE", None),
            ("CK_ID", "C", "ID", None, None, None, None, "ID > 0"),
            ("SYS_C002", "C", "ID", None, None, None, None, '"ID" IS NOT NULL'),
        ],
        "indexes": [("IX_EXPR", "NONUNIQUE", "SYS_NC1$", "UPPER(\"MixedCase\")")],
    })
    inspector = OracleInspector(bind)
    columns = inspector.get_columns("users")
    assert [(c["name"], repr(c["type"]), c["nullable"], c["autoincrement"], c["default"])
            for c in columns] == [("id", "Integer()", False, True, None),
                                  ("MixedCase", "VARCHAR2(length=20)", True, False, "'x'")]
    assert inspector.get_pk_constraint("users") == {"name": "sys_c001",
                                                   "constrained_columns": ["id"]}
    assert inspector.get_foreign_keys("users") == [{
        "name": "fk_a", "constrained_columns": ["MixedCase"], "referred_schema": None,
        "referred_table": "parent", "referred_columns": ["id"],
        "options": {"ondelete": "CASCADE"}}]
    assert inspector.get_check_constraints("users") == [{"name": "ck_id", "sqltext": "ID > 0"}]
    assert inspector.get_indexes("users")[0]["expressions"] == ['UPPER("MixedCase")']
    assert {p["table_name"] for _, p in bind.sent if "table_name" in p} == {"USERS"}
    assert all(p["owner"] is None for _, p in bind.sent if "owner" in p)


def test_uuid_is_stored_as_16_raw_bytes() -> None:
    d = check.dialect()
    value = uuid.UUID(int=7)
    impl = Uuid().dialect_impl(d)
    assert impl.bind_processor(d)(value) == value.bytes
    assert impl.result_processor(d, None)(value.bytes) == value
