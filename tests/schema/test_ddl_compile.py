"""DDL compile tests: one table of (statement, default-dialect SQL, SQLite SQL)."""

from __future__ import annotations

from typing import Any

import pytest

import sqlwright
from sqlwright import exc
from sqlwright.schema import (
    DDL,
    AddConstraint,
    CheckConstraint,
    Column,
    Computed,
    CreateIndex,
    CreateTable,
    DropConstraint,
    DropIndex,
    DropTable,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
)
from sqlwright.sql.elements import text
from sqlwright.types import BigInteger, Integer, Numeric, String


def _sqlite() -> Any:
    return sqlwright.create_engine("sqlite://").dialect


md = MetaData()
users = Table(
    "users", md,
    Column("id", Integer, primary_key=True),
    Column("name", String(50), nullable=False),
    Column("balance", Numeric(10, 2), server_default=text("0")),
    Column("nick", String(20), server_default="it's"),
    CheckConstraint("balance >= 0", name="ck_balance"),
    UniqueConstraint("name", "nick", name="uq_name_nick"),
)
orders = Table(
    "orders", md,
    Column("id", BigInteger, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE", name="fk_user")),
    Column("total", Integer, CheckConstraint("total > 0")),
)
pair = Table(
    "pair", md,
    Column("a", Integer), Column("b", Integer),
    PrimaryKeyConstraint("a", "b", name="pk_pair"),
    ForeignKeyConstraint(["a"], ["users.id"], onupdate="SET NULL", deferrable=True,
                         initially="DEFERRED"),
)
order_ix = Index("ix_orders_total", orders.c.total, unique=True)
sq = Table("select", md, Column("from", Integer, primary_key=True),
           Column("MixedCase", Integer), sqlite_autoincrement=True)
gen = Table("gen", md, Column("id", Integer, Identity(start=5), primary_key=True),
            Column("twice", Integer, Computed("id * 2", persisted=True)))

USERS_SQL = (
    "CREATE TABLE users (\n\tid INTEGER NOT NULL,\n\tname VARCHAR(50) NOT NULL,\n"
    "\tbalance NUMERIC(10, 2) DEFAULT 0,\n\tnick VARCHAR(20) DEFAULT 'it''s',\n"
    "\tPRIMARY KEY (id),\n\tCONSTRAINT ck_balance CHECK (balance >= 0),\n"
    "\tCONSTRAINT uq_name_nick UNIQUE (name, nick)\n)"
)
ORDERS_DEFAULT = (
    "CREATE TABLE orders (\n\tid BIGINT NOT NULL,\n\tuser_id INTEGER,\n\ttotal INTEGER,\n"
    "\tPRIMARY KEY (id),\n\tCONSTRAINT fk_user FOREIGN KEY(user_id) REFERENCES users (id) "
    "ON DELETE CASCADE,\n\tCHECK (total > 0)\n)"
)
PAIR_SQL = (
    "CREATE TABLE pair (\n\ta INTEGER NOT NULL,\n\tb INTEGER NOT NULL,\n"
    "\tCONSTRAINT pk_pair PRIMARY KEY (a, b),\n\tFOREIGN KEY(a) REFERENCES users (id) "
    "ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED\n)"
)

CASES: list[tuple[str, Any, str | None, str | None]] = [
    ("create users", CreateTable(users), USERS_SQL, USERS_SQL),
    # SQLite: the autoincrement column is INTEGER whatever its Integer subtype (rowid alias)
    ("create orders", CreateTable(orders), ORDERS_DEFAULT,
     ORDERS_DEFAULT.replace("id BIGINT", "id INTEGER")),
    ("composite pk, fk options", CreateTable(pair), PAIR_SQL, PAIR_SQL),
    ("quoting + sqlite_autoincrement", CreateTable(sq),
     'CREATE TABLE "select" (\n\t"from" INTEGER NOT NULL,\n\t"MixedCase" INTEGER,\n'
     '\tPRIMARY KEY ("from")\n)',
     'CREATE TABLE "select" (\n\t"from" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n'
     '\t"MixedCase" INTEGER\n)'),
    ("identity ignored where unsupported", CreateTable(gen),
     None,
     "CREATE TABLE gen (\n\tid INTEGER NOT NULL,\n\ttwice INTEGER GENERATED ALWAYS AS "
     "(id * 2) STORED,\n\tPRIMARY KEY (id)\n)"),
    ("if not exists", CreateTable(users, if_not_exists=True),
     USERS_SQL.replace("TABLE users", "TABLE IF NOT EXISTS users"),
     USERS_SQL.replace("TABLE users", "TABLE IF NOT EXISTS users")),
    ("drop table", DropTable(users), "DROP TABLE users", "DROP TABLE users"),
    ("drop if exists", DropTable(sq, if_exists=True), 'DROP TABLE IF EXISTS "select"',
     'DROP TABLE IF EXISTS "select"'),
    ("unique index", CreateIndex(order_ix),
     "CREATE UNIQUE INDEX ix_orders_total ON orders (total)",
     "CREATE UNIQUE INDEX ix_orders_total ON orders (total)"),
    ("drop index", DropIndex(order_ix), "DROP INDEX ix_orders_total",
     "DROP INDEX ix_orders_total"),
    ("add constraint", AddConstraint(next(iter(orders.foreign_key_constraints))),
     "ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY(user_id) REFERENCES users (id) "
     "ON DELETE CASCADE", None),
    ("drop constraint", DropConstraint(next(iter(orders.foreign_key_constraints))),
     "ALTER TABLE orders DROP CONSTRAINT fk_user", None),
    ("raw DDL", DDL("CREATE VIEW v AS SELECT 1"), "CREATE VIEW v AS SELECT 1",
     "CREATE VIEW v AS SELECT 1"),
    ("DDL against a table", DDL("DELETE FROM %(table)s").against(sq),
     'DELETE FROM "select"', 'DELETE FROM "select"'),
]


@pytest.mark.parametrize(("case", "element", "default_sql", "sqlite_sql"), CASES,
                         ids=[c[0] for c in CASES])
def test_ddl_compiles(case: str, element: Any, default_sql: str | None,
                      sqlite_sql: str | None) -> None:
    if default_sql is not None:
        assert str(element) == default_sql
    if sqlite_sql is not None:
        assert element.compile(dialect=_sqlite()).string == sqlite_sql


def test_alter_is_refused_where_the_dialect_has_none() -> None:
    fk = next(iter(orders.foreign_key_constraints))
    with pytest.raises(exc.CompileError, match="supports_alter"):
        AddConstraint(fk).compile(dialect=_sqlite())


def test_computed_column_needs_the_feature() -> None:
    with pytest.raises(exc.CompileError, match="supports_computed_columns"):
        str(CreateTable(gen))


def test_unnamed_constraint_cannot_be_dropped() -> None:
    fk = next(iter(pair.foreign_key_constraints))
    with pytest.raises(exc.CompileError, match="unnamed"):
        str(DropConstraint(fk))


def test_bad_referential_action_is_rejected() -> None:
    meta = MetaData()
    Table("p", meta, Column("id", Integer, primary_key=True))
    child = Table("c", meta, Column("p_id", ForeignKey("p.id", ondelete="DROP TABLE x")))
    with pytest.raises(exc.CompileError, match="referential action"):
        str(CreateTable(child))


def test_naming_convention_names_constraints_and_indexes() -> None:
    meta = MetaData(naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "ix": "ix_%(column_0_label)s",
    })
    Table("parent", meta, Column("id", Integer, primary_key=True))
    child = Table(
        "child", meta,
        Column("id", Integer, primary_key=True),
        Column("parent_id", ForeignKey("parent.id")),
        Column("code", String(5), index=True),
        Column("kind", String(5)),
        UniqueConstraint("code", "kind"),
        CheckConstraint("kind <> ''", name="kind_set"),
    )
    assert str(CreateTable(child)) == (
        "CREATE TABLE child (\n\tid INTEGER NOT NULL,\n\tparent_id INTEGER,\n"
        "\tcode VARCHAR(5),\n\tkind VARCHAR(5),\n\tCONSTRAINT pk_child PRIMARY KEY (id),\n"
        "\tCONSTRAINT fk_child_parent_id_parent FOREIGN KEY(parent_id) REFERENCES parent (id),"
        "\n\tCONSTRAINT uq_child_code_kind UNIQUE (code, kind),\n"
        "\tCONSTRAINT ck_child_kind_set CHECK (kind <> '')\n)"
    )
    (index,) = child.indexes
    assert index.name == "ix_child_code"


def test_too_long_convention_names_are_shortened() -> None:
    meta = MetaData(naming_convention={"ix": "ix_%(column_0_label)s"})
    long_name = "t" * 60
    table = Table(long_name, meta, Column("column_with_long_name", Integer, index=True))
    (index,) = table.indexes
    sql = str(CreateIndex(index))
    name = sql.split()[2]
    assert len(name) == 63 and name.startswith("ix_ttt")
