"""DDL on the server: AUTO_INCREMENT, comments, table options, index options, FK cycles."""

from __future__ import annotations

from typing import Any

import pytest

from sqlwright import (
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    delete,
    exc,
    insert,
    select,
    text,
    update,
)
from sqlwright.dialects import load
from sqlwright.schema import AddConstraint, CreateIndex, CreateTable, DropConstraint, DropIndex
from sqlwright.types import JSON, Text


def _scalar(conn: Any, sql: str, **params: Any) -> Any:
    return conn.exec_driver_sql(sql, params).scalar()


def test_create_table_sql() -> None:
    md = MetaData()
    table = Table("docs", md,
                  Column("id", Integer, primary_key=True, comment="key"),
                  Column("title", String(50), nullable=False, server_default="untitled"),
                  Column("body", Text, server_default="empty"),
                  mysql_engine="InnoDB", mysql_charset="utf8mb4", mysql_row_format="DYNAMIC",
                  comment="All the docs")
    dialect = load("mysql")()
    assert str(CreateTable(table).compile(dialect=dialect)) == (
        "CREATE TABLE docs (\n"
        "\tid INTEGER NOT NULL AUTO_INCREMENT COMMENT 'key',\n"
        "\ttitle VARCHAR(50) DEFAULT 'untitled' NOT NULL,\n"
        "\tbody TEXT DEFAULT ('empty'),\n"
        "\tPRIMARY KEY (id)\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ROW_FORMAT=DYNAMIC COMMENT='All the docs'")
    index = Index("ix_docs_title", table.c.title, table.c.body,
                  mysql_length={"title": 10, "body": 20}, mysql_using="btree")
    assert str(CreateIndex(index).compile(dialect=dialect)) == (
        "CREATE INDEX ix_docs_title ON docs (title(10), body(20)) USING BTREE")
    assert str(DropIndex(index).compile(dialect=dialect)) == "DROP INDEX ix_docs_title ON docs"


def test_auto_increment_and_comments(engine: Any, metadata: MetaData) -> None:
    table = Table("notes", metadata,
                  Column("id", Integer, primary_key=True, comment="generated"),
                  Column("body", String(100), comment="what's noted"),
                  comment="notes, 100% kept")
    metadata.create_all(engine)
    with engine.begin() as conn:
        first = conn.execute(insert(table).values(body="a")).inserted_primary_key
        second = conn.execute(insert(table).values(body="b")).inserted_primary_key
        assert (first[0], second[0]) == (1, 2)
        assert _scalar(conn, "SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
                       " DATABASE() AND TABLE_NAME = 'notes' AND COLUMN_NAME = 'id'") == \
            "auto_increment"
        comments = conn.exec_driver_sql(
            "SELECT COLUMN_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE "
            "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'notes' ORDER BY ORDINAL_POSITION").all()
        assert [tuple(r) for r in comments] == [("id", "generated"), ("body", "what's noted")]
        assert _scalar(conn, "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE "
                       "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'notes'") == "notes, 100% kept"


def test_table_options(engine: Any, metadata: MetaData) -> None:
    Table("legacy", metadata, Column("id", Integer, primary_key=True),
          Column("name", String(20)), mysql_engine="MyISAM", mysql_charset="latin1")
    metadata.create_all(engine)
    with engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT ENGINE, TABLE_COLLATION FROM information_schema.TABLES WHERE "
            "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'legacy'").one()
    assert row[0] == "MyISAM"
    assert row[1].startswith("latin1_")


def test_index_prefix_lengths(engine: Any, metadata: MetaData) -> None:
    table = Table("pages", metadata, Column("id", Integer, primary_key=True),
                  Column("url", String(500)), Column("body", Text))
    Index("ix_pages_url", table.c.url, mysql_length=12)
    Index("ix_pages_both", table.c.url, table.c.body, mysql_length={"url": 5, "body": 30})
    Index("ix_pages_fulltext", table.c.body, mysql_prefix="FULLTEXT")
    metadata.create_all(engine)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT INDEX_NAME, COLUMN_NAME, SUB_PART, INDEX_TYPE FROM "
            "information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = "
            "'pages' AND INDEX_NAME != 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX").all()
    assert [tuple(r) for r in rows] == [
        ("ix_pages_both", "url", 5, "BTREE"), ("ix_pages_both", "body", 30, "BTREE"),
        ("ix_pages_fulltext", "body", None, "FULLTEXT"), ("ix_pages_url", "url", 12, "BTREE")]


def test_foreign_key_cycle_created_with_alter_and_dropped(engine: Any,
                                                           metadata: MetaData) -> None:
    dept = Table("dept", metadata, Column("id", Integer, primary_key=True),
                 Column("head_id", Integer, ForeignKey("emp.id", name="fk_dept_head")))
    emp = Table("emp", metadata, Column("id", Integer, primary_key=True),
                Column("dept_id", Integer, ForeignKey("dept.id", name="fk_emp_dept")))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(dept).values(id=1))
        conn.execute(insert(emp).values(id=10, dept_id=1))
        conn.execute(update(dept).values(head_id=10))
        with pytest.raises(exc.IntegrityError):
            conn.execute(insert(emp).values(id=11, dept_id=99))
    with engine.connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE "
            "CONSTRAINT_SCHEMA = DATABASE() ORDER BY CONSTRAINT_NAME").scalars().all()
    assert {"fk_dept_head", "fk_emp_dept"} <= set(names)
    metadata.drop_all(engine)  # drops a foreign key of the cycle first, with rows in
    with engine.connect() as conn:
        left = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME IN ('dept', 'emp')").scalar()
    assert left == 0


def test_drop_constraint_forms(engine: Any, metadata: MetaData) -> None:
    parent = Table("parent", metadata, Column("id", Integer, primary_key=True))
    child = Table("child", metadata, Column("id", Integer, primary_key=True),
                  Column("parent_id", Integer), Column("code", String(5)),
                  Column("qty", Integer))
    fk = ForeignKeyConstraint(["parent_id"], [parent.c.id], name="fk_child_parent")
    unique = UniqueConstraint(child.c.code, name="uq_child_code")
    check = CheckConstraint("qty > 0", name="ck_child_qty")
    child.append_constraint(fk)
    child.append_constraint(unique)
    child.append_constraint(check)
    metadata.create_all(engine)
    with engine.begin() as conn, pytest.raises(exc.IntegrityError):
        conn.execute(insert(child).values(id=1, qty=0))
    with engine.begin() as conn:
        for constraint in (fk, unique, check):
            conn.execute(DropConstraint(constraint))
        conn.execute(insert(child).values(id=1, parent_id=42, code="a", qty=0))
        conn.execute(insert(child).values(id=2, parent_id=42, code="a", qty=0))
        assert conn.execute(select(child.c.id).order_by(child.c.id)).scalars().all() == [1, 2]
        conn.execute(delete(child))
        conn.execute(AddConstraint(fk))
        with pytest.raises(exc.IntegrityError):
            conn.execute(insert(child).values(id=3, parent_id=42))


def test_json_default_and_deferrable_foreign_key(engine: Any, metadata: MetaData) -> None:
    parent = Table("p2", metadata, Column("id", Integer, primary_key=True))
    Table("c2", metadata, Column("id", Integer, primary_key=True),
          Column("p_id", Integer, ForeignKey(parent.c.id, deferrable=True,
                                             initially="DEFERRED")),
          Column("doc", JSON, server_default=text("'{}'")))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(parent).values(id=1))
        conn.execute(insert(metadata.tables["c2"]).values(id=1, p_id=1))
        assert conn.execute(select(metadata.tables["c2"].c.doc)).scalar() == {}
