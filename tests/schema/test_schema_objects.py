"""Table, Column, MetaData and constraint objects: structure and errors (no database)."""

from __future__ import annotations

import pytest

from sqlwright import exc
from sqlwright.schema import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Sequence,
    Table,
    UniqueConstraint,
    sort_tables,
)
from sqlwright.sql.elements import text
from sqlwright.types import Integer, String


def test_table_registers_in_metadata_and_exposes_columns() -> None:
    md = MetaData()
    t = Table("users", md, Column("id", Integer, primary_key=True),
              Column("name", String(30), key="username"))
    assert md.tables["users"] is t
    assert [c.name for c in t.c] == ["id", "name"]
    assert t.c.username.name == "name"
    assert t.c.id.table is t
    assert list(t.primary_key.columns) == [t.c.id]
    assert t.c.id.nullable is False and t.c.username.nullable is True


def test_same_name_returns_existing_table_or_explains() -> None:
    md = MetaData()
    t = Table("t", md, Column("id", Integer, primary_key=True))
    assert Table("t", md) is t
    with pytest.raises(exc.InvalidRequestError, match="extend_existing=True"):
        Table("t", md, Column("x", Integer))
    Table("t", md, Column("x", Integer), extend_existing=True)
    assert [c.name for c in t.c] == ["id", "x"]


def test_schema_qualified_keys() -> None:
    md = MetaData(schema="app")
    t = Table("t", md, Column("id", Integer))
    assert t.schema == "app" and t.fullname == "app.t" and "app.t" in md.tables


def test_foreign_key_resolves_lazily_and_takes_type() -> None:
    md = MetaData()
    child = Table("child", md, Column("id", Integer, primary_key=True),
                  Column("parent_id", ForeignKey("parent.id")))
    with pytest.raises(exc.NoReferencedTableError, match="parent"):
        _ = next(iter(child.c.parent_id.foreign_keys)).column
    parent = Table("parent", md, Column("id", Integer, primary_key=True))
    fk = next(iter(child.c.parent_id.foreign_keys))
    assert fk.column is parent.c.id
    assert isinstance(child.c.parent_id.type, Integer)
    assert fk.references(parent) and child.c.parent_id.references(parent.c.id)


def test_foreign_key_to_missing_column_names_the_columns() -> None:
    md = MetaData()
    Table("parent", md, Column("id", Integer, primary_key=True))
    child = Table("child", md, Column("pid", Integer, ForeignKey("parent.nope")))
    with pytest.raises(exc.NoReferencedColumnError, match="its columns are: id"):
        _ = next(iter(child.foreign_keys)).column


def test_autoincrement_column_rules() -> None:
    md = MetaData()
    single = Table("a", md, Column("id", Integer, primary_key=True))
    composite = Table("b", md, Column("x", Integer, primary_key=True),
                      Column("y", Integer, primary_key=True))
    text_pk = Table("c", md, Column("code", String(5), primary_key=True))
    off = Table("d", md, Column("id", Integer, primary_key=True, autoincrement=False))
    fk = Table("e", md, Column("id", Integer, ForeignKey("a.id"), primary_key=True))
    assert single._autoincrement_column is single.c.id
    assert composite._autoincrement_column is None
    assert text_pk._autoincrement_column is None
    assert off._autoincrement_column is None
    assert fk._autoincrement_column is None


def test_explicit_primary_key_constraint_marks_columns() -> None:
    md = MetaData()
    t = Table("t", md, Column("a", Integer), Column("b", Integer),
              PrimaryKeyConstraint("a", "b", name="pk_t"))
    assert t.primary_key.name == "pk_t"
    assert [c.name for c in t.primary_key.columns] == ["a", "b"]
    assert t.c.a.primary_key and not t.c.a.nullable


def test_constraint_naming_a_missing_column_is_an_error() -> None:
    md = MetaData()
    with pytest.raises(exc.ArgumentError, match="its columns are: a"):
        Table("t", md, Column("a", Integer), UniqueConstraint("b"))
    assert "t" not in md.tables


def test_column_flags_make_constraints_and_indexes() -> None:
    md = MetaData()
    t = Table("t", md, Column("email", String(50), unique=True, index=True),
              Column("age", Integer, CheckConstraint("age >= 0")))
    (index,) = t.indexes
    assert index.unique and index.name == "ix_t_email"
    kinds = sorted(type(c).__name__ for c in t.constraints)
    assert kinds == ["CheckConstraint", "PrimaryKeyConstraint", "UniqueConstraint"]


def test_index_on_columns_attaches_to_their_table() -> None:
    md = MetaData()
    t = Table("t", md, Column("a", Integer), Column("b", Integer))
    ix = Index("ix_ab", t.c.a, t.c.b)
    assert ix.table is t and ix in t.indexes
    assert [c.name for c in ix.columns] == ["a", "b"]


def test_defaults_are_classified() -> None:
    md = MetaData()
    t = Table("t", md, Column("a", Integer, default=5), Column("b", Integer, default=lambda: 7),
              Column("c", Integer, default=lambda ctx: ctx * 2),
              Column("d", String(5), server_default=text("'x'")),
              Column("e", Integer, Sequence("e_seq")))
    assert t.c.a.default.is_scalar and t.c.a.default.execute_python(None) == 5
    assert t.c.b.default.is_callable and t.c.b.default.execute_python(None) == 7
    assert t.c.c.default.execute_python(21) == 42
    assert t.c.d.server_default.arg.text == "'x'"
    assert t.c.e.default.is_sequence


def test_bad_arguments_say_what_to_do() -> None:
    md = MetaData()
    with pytest.raises(exc.ArgumentError, match="MetaData"):
        Table("t", Column("a", Integer))  # type: ignore[call-overload]
    with pytest.raises(exc.ArgumentError, match="sqlite_autoincrement"):
        Table("t2", md, Column("a", Integer), autoload=True)
    with pytest.raises(exc.ArgumentError, match="table.column"):
        ForeignKey("nodot")
    with pytest.raises(exc.ArgumentError, match="server_default"):
        Column("x", Integer, server_default=5)


def test_sort_tables_orders_by_foreign_keys() -> None:
    md = MetaData()
    c = Table("c", md, Column("b_id", ForeignKey("b.id")))
    b = Table("b", md, Column("id", Integer, primary_key=True), Column("a_id", ForeignKey("a.id")))
    a = Table("a", md, Column("id", Integer, primary_key=True))
    assert sort_tables([c, b, a]) == [a, b, c]
    assert md.sorted_tables == [a, b, c]


def test_to_metadata_copies_everything() -> None:
    md = MetaData()
    Table("p", md, Column("id", Integer, primary_key=True))
    t = Table("t", md, Column("id", Integer, primary_key=True),
              Column("p_id", ForeignKey("p.id")), Column("n", String(5), unique=True),
              Index("ix_n", "n"))
    other = MetaData()
    Table("p", other, Column("id", Integer, primary_key=True))
    copy = t.to_metadata(other)
    assert copy.metadata is other and [c.name for c in copy.c] == ["id", "p_id", "n"]
    assert next(iter(copy.foreign_keys)).column is other.tables["p"].c.id
    assert {i.name for i in copy.indexes} == {"ix_n"}
