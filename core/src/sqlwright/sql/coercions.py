"""Turning what users pass into expression nodes: ``expect(role, value)``.

A value is first unwrapped through ``__clause_element__()`` (the protocol ORM attributes and
other wrappers use, so nothing here checks for concrete classes like Column); then the role
decides what a plain Python value becomes or which error explains what was expected.

Roles:

``"expression"``  any SQL value; a plain value becomes a bound parameter typed from
                  ``type_=``, from ``compare_type=`` (the other side's type) or from the value
``"where"``       a criterion; True/False become true()/false()
``"column"``      a select() argument: a column expression, or a FROM clause returned as is
                  (its columns are expanded by :func:`expand_columns`)
``"from"``        a table, subquery, join or other FROM clause
``"order_by"``    an expression; a string names a label (``order_by("total")``)
``"group_by"``    as ``"order_by"``
``"dml_table"``   the table of an INSERT / UPDATE / DELETE
``"dml_value"``   a value for a column in INSERT / UPDATE (a select() becomes a scalar subquery)
``"limit"``       an integer for LIMIT / OFFSET (bound), or an expression
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlwright import exc
from sqlwright.sql.elements import BindParameter, ClauseElement, ColumnElement, TextClause

__all__ = ["expand_columns", "expect", "unwrap"]


def unwrap(value: Any) -> Any:
    """Follow ``__clause_element__()`` until a ClauseElement (or a plain value) is reached."""
    for _ in range(10):
        if isinstance(value, ClauseElement):
            return value
        method = getattr(value, "__clause_element__", None)
        if method is None:
            return value
        value = method()
    return value


def _is_from(value: Any) -> bool:
    return bool(getattr(value, "_is_from_clause", False))


def _is_select(value: Any) -> bool:
    return bool(getattr(value, "_is_select_statement", False))


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _bind(value: Any, type_: Any = None, compare_type: Any = None,
          name_hint: str | None = None) -> BindParameter:
    return BindParameter(None, value, type_, _name_hint=name_hint or "param",
                         _compared_to_type=compare_type if type_ is None else None)


def _expression(value: Any, *, type_: Any = None, compare_type: Any = None,
                name_hint: str | None = None, **kw: Any) -> ClauseElement:
    if isinstance(value, ClauseElement):
        if _is_select(value):
            scalar = getattr(value, "scalar_subquery", None)
            if scalar is not None:
                return scalar()
        if _is_from(value):
            raise exc.ArgumentError(
                f"Expected a column expression, got the FROM clause {_describe(value)}; use one "
                "of its columns (table.c.name), or select(...).scalar_subquery()")
        return value
    if value is None:
        from sqlwright.sql.expression import Null

        return Null()
    return _bind(value, type_, compare_type, name_hint)


def _where(value: Any, **kw: Any) -> ClauseElement:
    if isinstance(value, bool):
        from sqlwright.sql.expression import False_, True_

        return True_() if value else False_()
    if isinstance(value, str):
        raise exc.ArgumentError(
            f"Expected a SQL criterion, got the string {value!r}; wrap SQL text in "
            "text(...) or build the criterion from columns (table.c.x == 5)")
    if isinstance(value, (ColumnElement, TextClause)):
        return value
    if isinstance(value, ClauseElement) and not _is_from(value):
        return value
    raise exc.ArgumentError(
        f"Expected a SQL criterion such as table.c.x == 5, got {_describe(value)}")


def _column(value: Any, **kw: Any) -> ClauseElement:
    if isinstance(value, ColumnElement) or _is_from(value):
        return value
    if isinstance(value, ClauseElement):
        if _is_select(value):
            scalar = getattr(value, "scalar_subquery", None)
            if scalar is not None:
                return scalar()
        if isinstance(value, TextClause):
            raise exc.ArgumentError(
                "Expected a column expression, got text(); use literal_column('...') for SQL "
                "text in a column list")
        return value
    if isinstance(value, str):
        raise exc.ArgumentError(
            f"Expected a column expression, got the string {value!r}; use column({value!r}) "
            f"for a column name, literal_column({value!r}) for SQL text, or literal({value!r}) "
            "for a value")
    raise exc.ArgumentError(
        f"Expected a column expression or a table, got {_describe(value)}; wrap plain values in "
        "literal(...)")


def _from(value: Any, **kw: Any) -> ClauseElement:
    if _is_from(value):
        return value
    if _is_select(value):
        raise exc.ArgumentError(
            "A select() used as a FROM clause must be made a subquery first: call "
            ".subquery() on it (and name it with .subquery('name') if you like)")
    if isinstance(value, TextClause):
        return value
    if isinstance(value, str):
        raise exc.ArgumentError(
            f"Expected a table, got the string {value!r}; use table({value!r}) or the Table "
            "object")
    raise exc.ArgumentError(
        f"Expected a table, subquery or join, got {_describe(value)}")


def _order_by(value: Any, **kw: Any) -> ClauseElement:
    if isinstance(value, str):
        from sqlwright.sql.expression import LabelReference

        return LabelReference(value)
    if isinstance(value, (ColumnElement, TextClause)):
        return value
    if isinstance(value, ClauseElement) and _is_select(value):
        return _expression(value)
    raise exc.ArgumentError(
        f"Expected a column expression or a label name in ORDER BY / GROUP BY, got "
        f"{_describe(value)}")


def _dml_table(value: Any, **kw: Any) -> ClauseElement:
    if _is_from(value) and hasattr(value, "c"):
        return value
    raise exc.ArgumentError(
        f"insert() / update() / delete() take a Table, got {_describe(value)}")


def _dml_value(value: Any, *, type_: Any = None, compare_type: Any = None,
               name_hint: str | None = None, **kw: Any) -> ClauseElement:
    if isinstance(value, ClauseElement):
        return _expression(value)
    return _bind(value, type_, compare_type, name_hint)


def _limit(value: Any, *, name_hint: str | None = None, **kw: Any) -> ClauseElement | None:
    if value is None:
        return None
    if isinstance(value, ClauseElement):
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise exc.ArgumentError(
            f"limit() / offset() take an integer, got {_describe(value)}")
    from sqlwright.sql.expression import sql_type

    return BindParameter(None, value, sql_type("Integer"), _name_hint=name_hint or "param")


_ROLES: dict[str, Callable[..., Any]] = {
    "expression": _expression,
    "where": _where,
    "column": _column,
    "from": _from,
    "order_by": _order_by,
    "group_by": _order_by,
    "dml_table": _dml_table,
    "dml_value": _dml_value,
    "limit": _limit,
}


def expect(role: str, value: Any, **kw: Any) -> Any:
    """Return ``value`` as an expression node fit for ``role`` (see the module docstring).

    Keyword arguments: ``type_`` (the type of a new bound parameter), ``compare_type`` (the type
    of the other side of a comparison, which types the parameter), ``name_hint`` (the base of
    the parameter's generated name). Raises ArgumentError saying what was expected.
    """
    try:
        impl = _ROLES[role]
    except KeyError:
        raise exc.ArgumentError(
            f"Unknown coercion role {role!r}; known roles: {', '.join(_ROLES)}") from None
    return impl(unwrap(value), **kw)


def expand_columns(values: Any) -> list[ClauseElement]:
    """select() arguments as a flat list of column expressions: FROM clauses give their
    columns (``select(table)`` selects every column of the table)."""
    result: list[ClauseElement] = []
    for value in values:
        element = expect("column", value)
        if _is_from(element):
            result.extend(element.c)
        else:
            result.append(element)
    return result
