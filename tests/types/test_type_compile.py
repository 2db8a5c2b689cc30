"""DDL names of every type: one table, ``type -> (default dialect, sqlite)``."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Any

import pytest

import sqlwright
from sqlwright import exc, types
from sqlwright.dialects import load
from sqlwright.dialects.base import DefaultDialect


class Mood(enum.Enum):
    HAPPY = "h"
    GRUMPY = "g"


class Lower(types.TypeDecorator):
    impl = types.String
    cache_ok = True


DEFAULT = DefaultDialect()
SQLITE = load("sqlite")()

# (type, expected DDL on the default dialect, expected DDL on SQLite)
CASES: list[tuple[Any, str, str]] = [
    (types.Integer(), "INTEGER", "INTEGER"),
    (types.SmallInteger(), "SMALLINT", "SMALLINT"),
    (types.BigInteger(), "BIGINT", "BIGINT"),
    (types.Float(), "FLOAT", "FLOAT"),
    (types.Float(24), "FLOAT(24)", "FLOAT(24)"),
    (types.Double(), "DOUBLE PRECISION", "DOUBLE"),
    (types.Numeric(), "NUMERIC", "NUMERIC"),
    (types.Numeric(10), "NUMERIC(10)", "NUMERIC(10)"),
    (types.Numeric(10, 2), "NUMERIC(10, 2)", "NUMERIC(10, 2)"),
    (types.String(), "VARCHAR", "VARCHAR"),
    (types.String(50), "VARCHAR(50)", "VARCHAR(50)"),
    (types.String(20, collation="NOCASE"), 'VARCHAR(20) COLLATE "NOCASE"',
     'VARCHAR(20) COLLATE "NOCASE"'),
    (types.Text(), "TEXT", "TEXT"),
    (types.Unicode(30), "VARCHAR(30)", "VARCHAR(30)"),
    (types.UnicodeText(), "TEXT", "TEXT"),
    (types.Boolean(), "BOOLEAN", "BOOLEAN"),
    (types.Date(), "DATE", "DATE"),
    (types.DateTime(), "DATETIME", "DATETIME"),
    (types.DateTime(timezone=True), "DATETIME", "DATETIME"),
    (types.Time(), "TIME", "TIME"),
    (types.Interval(), "DATETIME", "DATETIME"),
    (types.LargeBinary(), "BLOB", "BLOB"),
    (types.JSON(), "JSON", "JSON"),
    (types.Uuid(), "CHAR(32)", "CHAR(32)"),
    (types.UUID(), "CHAR(32)", "CHAR(32)"),
    (types.Enum("a", "bcd"), "VARCHAR(3)", "VARCHAR(3)"),
    (types.Enum(Mood), "VARCHAR(6)", "VARCHAR(6)"),
    (types.Enum(Mood, values_callable=lambda e: [m.value for m in e]), "VARCHAR(1)",
     "VARCHAR(1)"),
    (Lower(40), "VARCHAR(40)", "VARCHAR(40)"),
    (types.String(10).with_variant(types.Text(), "sqlite"), "VARCHAR(10)", "TEXT"),
    (types.INTEGER(), "INTEGER", "INTEGER"),
    (types.VARCHAR(12), "VARCHAR(12)", "VARCHAR(12)"),
    (types.NVARCHAR(12), "NVARCHAR(12)", "NVARCHAR(12)"),
    (types.CHAR(3), "CHAR(3)", "CHAR(3)"),
    (types.DECIMAL(8, 3), "DECIMAL(8, 3)", "DECIMAL(8, 3)"),
    (types.REAL(), "REAL", "REAL"),
    (types.TIMESTAMP(), "TIMESTAMP", "TIMESTAMP"),
    (types.TIMESTAMP(timezone=True), "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE"),
    (types.CLOB(), "CLOB", "CLOB"),
    (types.BLOB(), "BLOB", "BLOB"),
    (types.VARBINARY(16), "VARBINARY(16)", "VARBINARY(16)"),
    (types.DOUBLE_PRECISION(), "DOUBLE PRECISION", "DOUBLE PRECISION"),
]


@pytest.mark.parametrize(("type_", "default_sql", "sqlite_sql"), CASES,
                         ids=[repr(c[0]) for c in CASES])
def test_ddl_name(type_: Any, default_sql: str, sqlite_sql: str) -> None:
    assert type_.compile(DEFAULT) == default_sql
    assert type_.compile(SQLITE) == sqlite_sql


def test_str_of_a_type_uses_the_default_dialect() -> None:
    assert str(sqlwright.String(5)) == "VARCHAR(5)"
    assert types.Numeric(5, 1).compile() == "NUMERIC(5, 1)"


def test_type_classes_are_accepted_where_instances_are() -> None:
    assert types.to_instance(types.Integer) == types.Integer()
    assert types.to_instance(None) is types.NULLTYPE


def test_null_type_has_no_ddl_name() -> None:
    with pytest.raises(exc.CompileError, match="give the Column a type"):
        types.NullType().compile(DEFAULT)


def test_varchar_without_length_is_an_error_where_a_length_is_required() -> None:
    class NeedsLength(DefaultDialect):
        class features_class(DefaultDialect.features_class):
            requires_varchar_length = True

    with pytest.raises(exc.CompileError, match=r"String\(50\)"):
        types.String().compile(NeedsLength())
    assert types.String(5).compile(NeedsLength()) == "VARCHAR(5)"


def test_enum_length_shorter_than_values_is_rejected() -> None:
    with pytest.raises(exc.ArgumentError, match="longest value"):
        types.Enum("short", "much longer", length=4)


def test_enum_rejects_mixed_arguments() -> None:
    with pytest.raises(exc.ArgumentError, match="enum class or several strings"):
        types.Enum("a", 1)


def test_type_decorator_without_impl_is_rejected() -> None:
    class NoImpl(types.TypeDecorator):
        cache_ok = True

    with pytest.raises(exc.ArgumentError, match="impl = String"):
        NoImpl()


def test_with_variant_needs_a_dialect_name() -> None:
    with pytest.raises(exc.ArgumentError, match="dialect name"):
        types.String().with_variant(types.Text())


def test_equal_types_have_equal_cache_keys_and_hash() -> None:
    assert types.String(10) == types.String(10)
    assert types.String(10) != types.String(11)
    assert types.String(10) != types.Text(10)
    assert hash(types.Numeric(5, 2)) == hash(types.Numeric(5, 2))
    assert types.Enum(Mood) == types.Enum(Mood)
    assert types.Enum("a", "b") != types.Enum("a", "c")


def test_repr_names_the_arguments() -> None:
    assert repr(types.String(10)) == "String(length=10)"
    assert repr(types.Integer()) == "Integer()"
    assert repr(types.Enum(Mood)) == "Enum(Mood)"
    assert repr(types.Numeric(10, 2)) == "Numeric(precision=10, scale=2)"


class NativeDialect(DefaultDialect):
    """A dialect with native BOOLEAN, ENUM, UUID, INTERVAL and time zones."""

    class features_class(DefaultDialect.features_class):
        supports_native_boolean = True
        supports_native_enum = True
        supports_native_uuid = True
        supports_native_interval = True
        supports_timezone = True


NATIVE_CASES: list[tuple[Any, str]] = [
    (types.Enum("a", "it's"), "ENUM('a', 'it''s')"),
    (types.Enum("a", "b", native_enum=False), "VARCHAR(1)"),
    (types.Uuid(), "UUID"),
    (types.Uuid(native_uuid=False), "CHAR(32)"),
    (types.Interval(), "INTERVAL"),
    (types.Interval(native=False), "DATETIME"),
    (types.DateTime(timezone=True), "TIMESTAMP WITH TIME ZONE"),
    (types.Time(timezone=True), "TIME WITH TIME ZONE"),
]


@pytest.mark.parametrize(("type_", "expected"), NATIVE_CASES,
                         ids=[repr(c[0]) for c in NATIVE_CASES])
def test_ddl_name_where_the_database_has_native_types(type_: Any, expected: str) -> None:
    assert type_.compile(NativeDialect()) == expected


def test_check_constraints_for_non_native_boolean_and_enum() -> None:
    assert types.Boolean(create_constraint=True).check_constraint_sql('"on"', DEFAULT) == (
        '"on" IN (0, 1)')
    assert types.Boolean().check_constraint_sql('"on"', DEFAULT) is None
    assert types.Boolean(create_constraint=True).check_constraint_sql(
        '"on"', NativeDialect()) is None
    enum_type = types.Enum(Mood, create_constraint=True)
    assert enum_type.check_constraint_sql("mood", DEFAULT) == "mood IN ('HAPPY', 'GRUMPY')"
    assert enum_type.check_constraint_sql("mood", NativeDialect()) is None
    assert enum_type.name == "mood"


PYTHON_TYPES: list[tuple[Any, type]] = [
    (types.Integer(), int), (types.BigInteger(), int), (types.Float(), float),
    (types.Numeric(), decimal.Decimal), (types.Numeric(asdecimal=False), float),
    (types.String(), str), (types.Boolean(), bool), (types.DateTime(), datetime.datetime),
    (types.Date(), datetime.date), (types.Time(), datetime.time),
    (types.Interval(), datetime.timedelta), (types.LargeBinary(), bytes),
    (types.Uuid(), uuid.UUID), (types.Uuid(as_uuid=False), str), (types.Enum(Mood), Mood),
    (types.Enum("a"), str), (types.JSON(), dict), (Lower(5), str),
]


@pytest.mark.parametrize(("type_", "expected"), PYTHON_TYPES,
                         ids=[repr(t) for t, _ in PYTHON_TYPES])
def test_python_type(type_: Any, expected: type) -> None:
    assert type_.python_type is expected


def test_null_type_has_no_python_type() -> None:
    with pytest.raises(NotImplementedError):
        types.NullType().python_type  # noqa: B018
