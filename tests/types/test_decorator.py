"""TypeDecorator and with_variant: user types on top of the portable ones."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from sqlwright import types
from sqlwright.dialects import load
from sqlwright.dialects.base import DefaultDialect
from sqlwright.schema import Column, MetaData, Table
from sqlwright.sql.dml import insert
from sqlwright.sql.elements import text
from sqlwright.sql.selectable import select


class LowerCase(types.TypeDecorator):
    """Stores strings lower-cased."""

    impl = types.String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return None if value is None else value.lower()


class CommaList(types.TypeDecorator):
    """A list of strings stored as one comma-separated string."""

    impl = types.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return None if value is None else ",".join(value)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else value.split(",")


class Points(types.TypeDecorator):
    """A JSON document of points, read back as tuples: decorates a type with processors."""

    impl = types.JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return None if value is None else [list(p) for p in value]

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else [tuple(p) for p in value]


def test_bind_and_result_processing_round_trip(engine: Any, metadata: MetaData) -> None:
    table = Table("things", metadata, Column("id", types.Integer(), primary_key=True),
                  Column("name", LowerCase(30)), Column("tags", CommaList()),
                  Column("path", Points()))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, name="MiXeD", tags=["a", "b"],
                                          path=[(1, 2), (3, 4)]))
        row = conn.execute(select(table.c.name, table.c.tags, table.c.path)).one()
        raw = conn.execute(text("SELECT name, tags, path FROM things")).one()
        # the compared literal goes through process_bind_param as well
        found = conn.execute(select(table.c.id).where(table.c.name == "MIXED")).scalar()
    assert tuple(row) == ("mixed", ["a", "b"], [(1, 2), (3, 4)])
    assert raw[0] == "mixed"
    assert raw[1] == "a,b"
    # stored as a JSON document; psycopg2 decodes json columns even in a text() query
    stored = json.loads(raw[2]) if isinstance(raw[2], (str, bytes)) else raw[2]
    assert stored == [[1, 2], [3, 4]]
    assert found == 1


def test_ddl_renders_the_underlying_type() -> None:
    assert LowerCase(30).compile() == "VARCHAR(30)"
    assert CommaList().compile() == "TEXT"


def test_load_dialect_impl_picks_a_type_per_dialect() -> None:
    class Wide(types.TypeDecorator):
        impl = types.String
        cache_ok = True

        def load_dialect_impl(self, dialect: Any) -> types.TypeEngine:
            if dialect.features.supports_json:
                return types.Text()
            return types.String(10)

    assert Wide().compile(load("sqlite")()) == "TEXT"
    assert Wide().compile(DefaultDialect()) == "VARCHAR(10)"


def test_cache_ok_true_makes_equal_instances_share_a_key() -> None:
    assert LowerCase(30) == LowerCase(30)
    assert LowerCase(30) != LowerCase(31)


def test_missing_cache_ok_warns_and_keeps_instances_apart() -> None:
    class Unsure(types.TypeDecorator):
        impl = types.Integer

    a, b = Unsure(), Unsure()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert a != b
    assert any("cache_ok" in str(w.message) for w in caught)
    assert a == a


def test_literal_binds_use_the_decorator() -> None:
    dialect = DefaultDialect()
    render = LowerCase(10).literal_processor(dialect)
    assert render is not None
    assert render("ABC") == "'abc'"


def test_with_variant_chooses_by_dialect(engine: Any, metadata: MetaData) -> None:
    type_ = types.String(5).with_variant(types.Integer(), engine.dialect.name)
    assert type_.compile(engine.dialect) == "INTEGER"
    assert type_.compile(DefaultDialect()) == "VARCHAR(5)"
    assert type_.with_variant(types.Text(), "oracle").compile(engine.dialect) == "INTEGER"
    table = Table("v", metadata, Column("id", types.Integer(), primary_key=True),
                  Column("x", type_))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, x=7))
        assert conn.execute(select(table.c.x)).scalar() == 7


def test_processors_are_computed_once_per_type_and_dialect() -> None:
    dialect = load("sqlite")()
    json_type = types.JSON()
    first = json_type._cached_bind_processor(dialect)
    assert first is not None
    assert types.JSON()._cached_bind_processor(dialect) is first
    result = json_type._cached_result_processor(dialect, None)
    assert json_type._cached_result_processor(dialect, None) is result
    assert json_type._cached_bind_processor(DefaultDialect()) is not first


@pytest.mark.parametrize("type_", [types.Integer(), types.String(5), types.Text()])
def test_types_without_conversion_have_no_processors(type_: types.TypeEngine) -> None:
    dialect = load("sqlite")()
    assert type_._cached_bind_processor(dialect) is None
    assert type_._cached_result_processor(dialect, None) is None


def test_result_processor_is_built_once_across_statements(engine: Any,
                                                          metadata: MetaData) -> None:
    calls: list[int] = []

    class Counted(types.TypeDecorator):
        impl = types.Integer
        cache_ok = True

        def result_processor(self, dialect: Any, coltype: Any) -> Any:
            calls.append(1)
            return lambda value: value * 10

    table = Table("counted", metadata, Column("id", types.Integer(), primary_key=True),
                  Column("x", Counted()))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, x=4))
        assert conn.execute(select(table.c.x)).scalar() == 40
        assert conn.execute(select(table.c.id, table.c.x)).one() == (1, 40)
        assert conn.execute(select(table.c.x).where(table.c.id == 1)).scalar() == 40
    assert len(calls) == 1
