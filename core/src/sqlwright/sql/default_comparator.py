"""What each operator builds: the table behind ``TypeEngine.Comparator.operate``.

``operate(comparator, op, *other, **kw)`` looks ``op`` up in :data:`OPERATOR_BUILDERS` and calls
the builder with the comparator's expression on the left. Types customize operators by
overriding their Comparator's ``operate`` and falling back to these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlwright import exc
from sqlwright.sql import coercions, operators
from sqlwright.sql.elements import BindParameter, ClauseElement, ColumnElement, TextClause
from sqlwright.sql.expression import (
    BinaryExpression,
    ClauseList,
    CollationClause,
    EmptyInList,
    False_,
    Grouping,
    Null,
    True_,
    Tuple,
    UnaryExpression,
    and_,
    literal_column,
    or_,
    sql_type,
)
from sqlwright.types.base import NULLTYPE

__all__ = ["OPERATOR_BUILDERS", "DefaultComparator", "operate", "reverse_operate"]

Builder = Callable[..., ColumnElement]


class DefaultComparator:
    """The comparator used when an expression's type offers none (same contract as
    ``TypeEngine.Comparator``)."""

    __slots__ = ("expr", "type")

    def __init__(self, expr: Any) -> None:
        self.expr = expr
        self.type = expr.type

    def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
        return operate(self, op, *other, **kw)

    def reverse_operate(self, op: Any, other: Any, **kw: Any) -> Any:
        return reverse_operate(self, op, other, **kw)


def operate(comparator: Any, op: Any, *other: Any, **kw: Any) -> ColumnElement:
    """Build ``comparator.expr <op> other`` (the SQL expression for one operator)."""
    builder = _builder(op, comparator.expr)
    return builder(comparator.expr, op, *other, **kw)


def reverse_operate(comparator: Any, op: Any, other: Any, **kw: Any) -> ColumnElement:
    """Build ``other <op> comparator.expr`` (a plain value on the left: ``5 - col``)."""
    _builder(op, comparator.expr)
    return _binary(comparator.expr, op, other, reverse=True)


def _builder(op: Any, expr: Any) -> Builder:
    if isinstance(op, operators.custom_op):
        return _custom
    try:
        return OPERATOR_BUILDERS[op]
    except (KeyError, TypeError):
        raise exc.ArgumentError(
            f"Operator {getattr(op, '__name__', op)!r} is not supported on an expression of "
            f"type {type(expr.type).__name__}; use .op('...') for a custom SQL operator"
        ) from None


def _boolean() -> Any:
    return sql_type("Boolean")


def _coerce_other(expr: Any, op: Any, other: Any) -> ClauseElement:
    if isinstance(expr, Tuple) and isinstance(other, (tuple, list)):
        if len(other) != len(expr.clauses):
            raise exc.ArgumentError(
                f"Comparing a tuple_() of {len(expr.clauses)} elements with {len(other)} values")
        return Tuple(*[
            coercions.expect("expression", v, compare_type=c.type, name_hint=c.key)
            for c, v in zip(expr.clauses, other)
        ])
    hint = None if getattr(expr, "is_literal", False) else expr.key
    return coercions.expect("expression", other, compare_type=expr.type, name_hint=hint)


def _compare(expr: Any, op: Any, other: Any, **modifiers: Any) -> ColumnElement:
    raw = other
    other = coercions.unwrap(other)
    if other is None or isinstance(other, Null):
        if op is operators.eq:
            op = operators.is_
        elif op is operators.ne:
            op = operators.is_not
        right: ClauseElement = Null()
    elif op in (operators.is_, operators.is_not) and isinstance(other, bool):
        right = True_() if other else False_()
    elif op in (operators.is_, operators.is_not) and not isinstance(
            other, (True_, False_, ClauseElement)):
        raise exc.ArgumentError(
            f"is_() / is_not() compare with None, True or False, not {other!r}; use == or != "
            "for other values")
    else:
        right = _coerce_other(expr, op, other)
    modifiers = {k: v for k, v in modifiers.items() if v is not None and v is not False}
    return BinaryExpression(expr, right, op, _boolean(), negate=operators.NEGATIONS.get(op),
                            modifiers=modifiers, _orig=(id(expr), id(raw)))


def _binary(expr: Any, op: Any, other: Any, reverse: bool = False) -> ColumnElement:
    coerced: Any = _coerce_other(expr, op, other)
    left, right = (coerced, expr) if reverse else (expr, coerced)
    adapt = getattr(left.type, "_adapt_expression", None)
    if adapt is not None:
        op, result_type = adapt(op, right.type)
    else:  # pragma: no cover - every TypeEngine has it
        result_type = left.type
    return BinaryExpression(left, right, op, result_type)


def _custom(expr: Any, op: operators.custom_op, other: Any) -> ColumnElement:
    right = _coerce_other(expr, op, other)
    if op.is_comparison:
        type_ = _boolean()
    elif op.return_type is not None:
        type_ = op.return_type
    else:
        type_ = expr.type
    return BinaryExpression(expr, right, op, type_)


def _conjunction(expr: Any, op: Any, other: Any) -> ColumnElement:
    return and_(expr, other) if op is operators.and_ else or_(expr, other)


def _invert(expr: Any, op: Any) -> Any:
    return expr._negate()


def _neg(expr: Any, op: Any) -> ColumnElement:
    return UnaryExpression(expr, operator=operators.neg, type_=expr.type)


def _modifier(expr: Any, op: Any) -> ColumnElement:
    return UnaryExpression(expr, modifier=op, type_=expr.type)


def _distinct(expr: Any, op: Any) -> ColumnElement:
    return UnaryExpression(expr, operator=operators.distinct_op, type_=expr.type)


def _like(expr: Any, op: Any, other: Any, escape: str | None = None) -> ColumnElement:
    return _compare(expr, op, other, escape=escape)


def _between(expr: Any, op: Any, cleft: Any, cright: Any,
             symmetric: bool = False) -> ColumnElement:
    bounds = ClauseList(_coerce_other(expr, op, cleft), _coerce_other(expr, op, cright),
                        operator=operators.and_, group=False)
    modifiers = {"symmetric": True} if symmetric else {}
    return BinaryExpression(expr, bounds, operators.between_op, _boolean(),
                            negate=operators.not_between_op, modifiers=modifiers)


def _collate(expr: Any, op: Any, collation: str) -> ColumnElement:
    if not isinstance(collation, str):
        raise exc.ArgumentError(f"collate() takes a collation name, got {collation!r}")
    return BinaryExpression(expr, CollationClause(collation), operators.collate, expr.type)


def _concat(expr: Any, op: Any, other: Any) -> ColumnElement:
    right = _coerce_other(expr, op, other)
    string = expr.type if expr.type is not NULLTYPE else sql_type("String")
    return BinaryExpression(expr, right, operators.concat_op, string)


_LIKE_SHAPES = {
    operators.contains_op: (True, True),
    operators.startswith_op: (False, True),
    operators.endswith_op: (True, False),
}


def _like_shape(expr: Any, op: Any, other: Any, escape: str | None = None,
                autoescape: bool = False) -> ColumnElement:
    """contains / startswith / endswith as ``expr LIKE '%' || other || '%'``."""
    if autoescape:
        if not isinstance(other, str):
            raise exc.ArgumentError(
                "autoescape=True needs a literal string to escape; escape an expression "
                "yourself and pass escape='<char>'")
        escape = escape or "/"
        other = (other.replace(escape, escape * 2).replace("%", escape + "%")
                 .replace("_", escape + "_"))
    before, after = _LIKE_SHAPES[op]
    pattern: ColumnElement = _coerce_other(expr, op, other)  # type: ignore[assignment]
    string = sql_type("String")
    wildcard = literal_column("'%'", string)
    if before:
        pattern = BinaryExpression(wildcard, pattern, operators.concat_op, string)
    if after:
        pattern = BinaryExpression(pattern, literal_column("'%'", string),
                                   operators.concat_op, string)
    return _compare(expr, operators.like_op, pattern, escape=escape)


def _regexp(expr: Any, op: Any, pattern: Any, flags: str | None = None) -> ColumnElement:
    return _compare(expr, op, pattern, flags=flags)


def _in(expr: Any, op: Any, other: Any) -> ColumnElement:
    right = _in_right_side(expr, op, coercions.unwrap(other))
    return BinaryExpression(expr, right, op, _boolean(), negate=operators.NEGATIONS[op])


def _in_right_side(expr: Any, op: Any, other: Any) -> ClauseElement:
    if isinstance(other, BindParameter):
        untyped = type(other.type).__name__ == "NullType"
        if not other.expanding or untyped:
            other = other._clone()
            other.expanding = True
            if untyped:  # the values are of the compared expression's type
                other.type = expr.type
        return other
    if isinstance(other, ClauseElement):
        if getattr(other, "_is_select_statement", False):
            scalar = getattr(other, "scalar_subquery", None)
            return (scalar() if scalar is not None else other).self_group(against=op)
        if isinstance(other, TextClause):
            return Grouping(other)
        if isinstance(other, Grouping):
            return other
        raise exc.ArgumentError(
            f"in_() takes a list of values or expressions, a select(), or "
            f"bindparam(..., expanding=True); got {type(other).__name__}")
    if isinstance(other, (str, bytes)) or not hasattr(other, "__iter__"):
        raise exc.ArgumentError(
            f"in_() takes a list of values, got {other!r}; write col.in_([value, ...])")
    values = list(other)
    if not values:
        return EmptyInList()
    if any(isinstance(v, ClauseElement) or hasattr(v, "__clause_element__") for v in values):
        return Grouping(ClauseList(*[_coerce_other(expr, op, v) for v in values]))
    if isinstance(expr, Tuple):
        width = len(expr.clauses)
        for value in values:
            if not isinstance(value, tuple) or len(value) != width:
                raise exc.ArgumentError(
                    f"tuple_() of {width} elements .in_() needs tuples of {width} values, got "
                    f"{value!r}")
        type_ = expr.type
    else:
        type_ = expr.type.coerce_compared_value(op, values[0])
    return BindParameter(None, values, type_, expanding=True, _name_hint=expr.key or "param")


def _getitem(expr: Any, op: Any, index: Any) -> ColumnElement:
    raise exc.ArgumentError(
        f"Indexing [...] works on JSON columns; this expression's type is "
        f"{type(expr.type).__name__}. Give the column a JSON type, or type_coerce() it")


OPERATOR_BUILDERS: dict[Any, Builder] = {
    **dict.fromkeys((
        operators.eq, operators.ne, operators.lt, operators.le, operators.gt, operators.ge,
        operators.is_, operators.is_not, operators.is_distinct_from,
        operators.is_not_distinct_from), _compare),
    **dict.fromkeys((operators.like_op, operators.not_like_op, operators.ilike_op,
                     operators.not_ilike_op), _like),
    **dict.fromkeys((operators.add, operators.sub, operators.mul, operators.truediv,
                     operators.floordiv, operators.mod), _binary),
    operators.concat_op: _concat,
    operators.and_: _conjunction,
    operators.or_: _conjunction,
    operators.inv: _invert,
    operators.neg: _neg,
    operators.in_op: _in,
    operators.not_in_op: _in,
    operators.between_op: _between,
    operators.contains_op: _like_shape,
    operators.startswith_op: _like_shape,
    operators.endswith_op: _like_shape,
    operators.regexp_match_op: _regexp,
    operators.not_regexp_match_op: _regexp,
    operators.collate: _collate,
    operators.desc_op: _modifier,
    operators.asc_op: _modifier,
    operators.nulls_first_op: _modifier,
    operators.nulls_last_op: _modifier,
    operators.distinct_op: _distinct,
    operators.getitem: _getitem,
}
