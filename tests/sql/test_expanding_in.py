"""Expanding IN parameters: lists bound at execution time, including the empty list."""

from __future__ import annotations

from typing import Any

import pytest

from sqlwright import Integer, String, bindparam, exc, text

NUMBERS = "SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3) t"


@pytest.mark.parametrize(("values", "in_rows", "not_in_rows"), [
    ([], [], [1, 2, 3]),
    ([2], [2], [1, 3]),
    ([1, 3, 99], [1, 3], [2]),
])
def test_expanding_in_and_not_in(connection: Any, values: list[int], in_rows: list[int],
                                 not_in_rows: list[int]) -> None:
    ids = bindparam("ids", expanding=True, type_=Integer)
    in_stmt = text(f"{NUMBERS} WHERE x IN :ids ORDER BY x").bindparams(ids)
    not_in_stmt = text(f"{NUMBERS} WHERE x NOT IN :ids ORDER BY x").bindparams(ids)
    assert connection.scalars(in_stmt, {"ids": values}).all() == in_rows
    assert connection.scalars(not_in_stmt, {"ids": values}).all() == not_in_rows


# pins core's rendering; MySQL has no CAST(... AS VARCHAR) and renders SELECT NULL FROM DUAL
@pytest.mark.backends("sqlite", "postgresql")
def test_empty_list_renders_typed_empty_subquery(engine: Any) -> None:
    stmt = text("SELECT 1 WHERE 'a' NOT IN :names").bindparams(
        bindparam("names", expanding=True, type_=String(10)))
    compiled = stmt.compile(engine)
    sql, _, _, _ = compiled.expand({"names": []})
    assert sql == "SELECT 1 WHERE 'a' NOT IN (SELECT CAST(NULL AS VARCHAR(10)) WHERE 1 != 1)"


def test_expanding_rejects_a_string(connection: Any) -> None:
    stmt = text(f"{NUMBERS} WHERE x IN :ids").bindparams(bindparam("ids", expanding=True))
    with pytest.raises(exc.ArgumentError, match="needs a list"):
        connection.execute(stmt, {"ids": "12"})


def test_in_with_untyped_expanding_bind_takes_column_type() -> None:
    from sqlwright import Column, MetaData, Table

    t = Table("t", MetaData(), Column("x", Integer))
    expr = t.c.x.in_(bindparam("xs", expanding=True))
    assert isinstance(expr.right.type, Integer)


def test_question_mark_in_a_literal_does_not_shift_positional_binds(connection: Any) -> None:
    stmt = text(f"SELECT x, '?', '%s', :label FROM ({NUMBERS}) s WHERE x IN :ids ORDER BY x"
                ).bindparams(bindparam("ids", expanding=True, type_=Integer))
    rows = connection.execute(stmt, {"ids": [1, 3], "label": "L"}).all()
    assert [tuple(r) for r in rows] == [(1, "?", "%s", "L"), (3, "?", "%s", "L")]


def test_tuple_in_values_get_their_element_types_bind_processors(connection: Any,
                                                                  metadata: Any) -> None:
    import decimal

    from sqlwright import Column, Numeric, Table, insert, select, tuple_

    t = Table("tuple_in_dec", metadata, Column("id", Integer, primary_key=True),
              Column("d", Numeric(10, 2)))
    metadata.create_all(connection)
    connection.execute(insert(t), [{"id": 1, "d": decimal.Decimal("1.50")},
                                   {"id": 2, "d": decimal.Decimal("2.25")}])
    stmt = select(t.c.id).where(tuple_(t.c.id, t.c.d).in_([(1, decimal.Decimal("1.50"))]))
    assert connection.scalars(stmt).all() == [1]


def test_numeric_paramstyle_with_expanding_binds() -> None:
    from sqlwright.dialects.base import DefaultDialect

    class NumericDialect(DefaultDialect):
        paramstyle = "numeric"

    stmt = text("SELECT :a, :b WHERE x IN :ids").bindparams(
        bindparam("ids", expanding=True, type_=Integer))
    compiled = stmt.compile(dialect=NumericDialect())
    sql, _params, positions, _origin = compiled.expand({"a": 1, "b": 2, "ids": [7, 8]})
    assert sql == "SELECT :1, :2 WHERE x IN (:3, :4)"
    assert positions == ["a", "b", "ids_1", "ids_2"]
