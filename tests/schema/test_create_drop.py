"""create_all / drop_all and DDL execution on a real database (SQLite here)."""

from __future__ import annotations

from typing import Any

import pytest

import sqlwright
from sqlwright import exc
from sqlwright.schema import (
    DDL,
    CheckConstraint,
    Column,
    CreateTable,
    DropTable,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    MetaData,
    Table,
    UniqueConstraint,
)
from sqlwright.sql.elements import text
from sqlwright.types import Boolean, DateTime, Integer, Numeric, String


def _tables(engine: Any) -> list[str]:
    return sqlwright.inspect(engine).get_table_names()


def _full_schema(metadata: MetaData, dialect: Any) -> None:
    Table("departments", metadata,
          Column("id", Integer, primary_key=True),
          Column("name", String(50), nullable=False, unique=True, comment="shown in lists"),
          Column("manager_id", Integer, ForeignKey("people.id", name="fk_dept_manager",
                                                   use_alter=True)))
    Table("people", metadata,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("email", String(100), nullable=False, index=True),
          Column("dept_id", ForeignKey("departments.id", ondelete="SET NULL")),
          Column("salary", Numeric(10, 2), server_default=text("0")),
          Column("active", Boolean, default=True, server_default=sqlwright.true()),
          Column("created", DateTime, server_default=text("CURRENT_TIMESTAMP")),
          Column("nick", String(20), key="nickname", info={"ui": "text"}),
          CheckConstraint("salary >= 0", name="ck_salary"),
          UniqueConstraint("email", "dept_id", name="uq_email_dept"))
    if dialect.features.supports_expression_indexes:
        Index("ix_people_lower_email", sqlwright.func.lower(metadata.tables["people"].c.email))


def test_create_all_builds_a_schema_with_a_cycle(engine: Any, metadata: MetaData,
                                                 dialect: Any) -> None:
    _full_schema(metadata, dialect)  # the connected dialect knows the server's version
    metadata.create_all(engine)
    assert _tables(engine) == ["departments", "people"]
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO departments (name) VALUES ('R&D')"))
        conn.execute(text("INSERT INTO people (email, dept_id) VALUES ('a@x', 1)"))
        row = conn.execute(text("SELECT salary, active, created FROM people")).one()
        assert row[0] == 0 and row[1] in (1, True) and row[2] is not None
        conn.execute(text("UPDATE departments SET manager_id = 1"))
    with engine.connect() as conn:
        with pytest.raises(exc.IntegrityError):
            conn.execute(text("INSERT INTO people (email, salary) VALUES ('b@x', -1)"))
        conn.rollback()
        with pytest.raises(exc.IntegrityError):
            conn.execute(text("INSERT INTO people (email, dept_id) VALUES ('c@x', 99)"))
        conn.rollback()
        with pytest.raises(exc.IntegrityError):
            conn.execute(text("INSERT INTO departments (name) VALUES ('R&D')"))
    metadata.drop_all(engine)
    assert _tables(engine) == []


def test_create_all_is_idempotent_with_checkfirst(engine: Any, metadata: MetaData) -> None:
    Table("t", metadata, Column("id", Integer, primary_key=True), Column("x", Integer, index=True))
    metadata.create_all(engine)
    metadata.create_all(engine)
    with pytest.raises(exc.DBAPIError, match="already exists"):
        metadata.create_all(engine, checkfirst=False)
    metadata.drop_all(engine)
    metadata.drop_all(engine)
    assert _tables(engine) == []


def test_tables_are_created_in_foreign_key_order(engine: Any, metadata: MetaData) -> None:
    statements: list[str] = []
    sqlwright.event.listen(engine, "before_cursor_execute",
                           lambda conn, cur, stmt, *a: statements.append(stmt))
    Table("c", metadata, Column("id", Integer, primary_key=True),
          Column("b_id", ForeignKey("b.id")))
    Table("b", metadata, Column("id", Integer, primary_key=True),
          Column("a_id", ForeignKey("a.id")))
    Table("a", metadata, Column("id", Integer, primary_key=True))
    metadata.create_all(engine, checkfirst=False)
    created = [s.split()[2] for s in statements if s.startswith("CREATE TABLE")]
    assert created == ["a", "b", "c"]
    statements.clear()
    metadata.drop_all(engine, checkfirst=False)
    assert [s.split()[2] for s in statements if s.startswith("DROP TABLE")] == ["c", "b", "a"]


# the other backends break the cycle with ALTER TABLE, which SQLite lacks
@pytest.mark.backends("sqlite")
def test_cycle_without_alter_or_forward_references_is_a_clear_error(
        engine: Any, metadata: MetaData, monkeypatch: Any) -> None:
    Table("x", metadata, Column("id", Integer, primary_key=True),
          Column("y_id", ForeignKey("y.id")))
    Table("y", metadata, Column("id", Integer, primary_key=True),
          Column("x_id", ForeignKey("x.id")))
    monkeypatch.setattr(type(engine.dialect).ddl_compiler, "accepts_forward_foreign_keys",
                        classmethod(lambda cls, dialect: False))
    with pytest.raises(exc.CircularDependencyError, match="x, y"):
        metadata.create_all(engine)
    assert _tables(engine) == []


def test_table_and_index_create_drop(engine: Any) -> None:
    md = MetaData()
    t = Table("solo", md, Column("id", Integer, primary_key=True), Column("v", Integer))
    ix = Index("ix_solo_v", t.c.v)
    t.create(engine)
    assert sqlwright.inspect(engine).get_indexes("solo")[0]["name"] == "ix_solo_v"
    ix.drop(engine)
    assert sqlwright.inspect(engine).get_indexes("solo") == []
    ix.create(engine)
    t.drop(engine)
    assert _tables(engine) == []
    t.drop(engine, checkfirst=True)


def test_ddl_elements_execute_on_a_connection(connection: Any) -> None:
    md = MetaData()
    t = Table("e", md, Column("id", Integer, primary_key=True))
    connection.execute(CreateTable(t))
    connection.execute(DDL("CREATE VIEW ev AS SELECT id FROM %(table)s").against(t))
    connection.execute(text("INSERT INTO e (id) VALUES (3)"))
    assert connection.execute(text("SELECT id FROM ev")).scalar() == 3
    connection.execute(DDL("DROP VIEW ev"))
    connection.execute(DropTable(t))
    assert sqlwright.inspect(connection).get_table_names() == []


@pytest.mark.requires("supports_transactional_ddl")
def test_create_all_on_a_connection_follows_its_transaction(engine: Any) -> None:
    md = MetaData()
    Table("tx", md, Column("id", Integer, primary_key=True))
    with engine.connect() as conn:
        md.create_all(conn)
        assert sqlwright.inspect(conn).has_table("tx")
        conn.rollback()
    assert not sqlwright.inspect(engine).has_table("tx")


def test_composite_foreign_key_is_enforced(engine: Any, metadata: MetaData) -> None:
    Table("parent", metadata, Column("a", Integer, primary_key=True),
          Column("b", Integer, primary_key=True))
    Table("child", metadata, Column("id", Integer, primary_key=True),
          Column("pa", Integer), Column("pb", Integer),
          ForeignKeyConstraint(["pa", "pb"], ["parent.a", "parent.b"], name="fk_pair",
                               ondelete="CASCADE"))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO parent VALUES (1, 2)"))
        conn.execute(text("INSERT INTO child (pa, pb) VALUES (1, 2)"))
        conn.execute(text("DELETE FROM parent"))
        assert conn.execute(text("SELECT count(*) FROM child")).scalar() == 0
