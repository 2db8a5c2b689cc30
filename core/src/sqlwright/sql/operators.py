"""Operator functions, their precedence, and the operator methods of column expressions.

Every SQL operator is a plain module-level function (``eq``, ``like_op``, ``in_op`` ...). Calling
one applies the Python operator or method to its first argument (``eq(a, b)`` is ``a == b``), and
the function object itself is the identity the rest of the package keys on: the comparator's
table of what each operator builds, the compiler's table of how each renders, and the precedence
table below that decides where parentheses go.
"""

from __future__ import annotations

import operator as _py
from collections.abc import Callable
from typing import Any

__all__ = [
    "ColumnOperators", "OPERATOR_PRECEDENCE", "custom_op", "is_associative", "is_comparison",
    "is_precedent", "eq", "ne", "lt", "le", "gt", "ge", "add", "sub", "mul", "truediv",
    "floordiv", "mod", "neg", "concat_op", "like_op", "not_like_op", "ilike_op", "not_ilike_op",
    "in_op", "not_in_op", "is_", "is_not", "is_distinct_from", "is_not_distinct_from",
    "between_op", "not_between_op", "contains_op", "not_contains_op", "startswith_op",
    "not_startswith_op", "endswith_op", "not_endswith_op", "regexp_match_op",
    "not_regexp_match_op", "collate", "desc_op", "asc_op", "nulls_first_op", "nulls_last_op",
    "distinct_op", "getitem", "json_getitem_op", "json_path_getitem_op", "and_", "or_", "inv",
    "comma_op", "as_", "exists", "filter_op",
]

OperatorType = Callable[..., Any]

# Comparison, arithmetic and the like: each applies the matching Python operator.
eq = _py.eq
ne = _py.ne
lt = _py.lt
le = _py.le
gt = _py.gt
ge = _py.ge
add = _py.add
sub = _py.sub
mul = _py.mul
truediv = _py.truediv
floordiv = _py.floordiv
mod = _py.mod
neg = _py.neg
getitem = _py.getitem
inv = _py.inv


def and_(a: Any, b: Any) -> Any:
    """``a AND b``."""
    return a & b


def or_(a: Any, b: Any) -> Any:
    """``a OR b``."""
    return a | b


def concat_op(a: Any, b: Any) -> Any:
    """String concatenation, ``a || b``."""
    return a.concat(b)


def like_op(a: Any, b: Any, escape: str | None = None) -> Any:
    """``a LIKE b``."""
    return a.like(b, escape=escape)


def not_like_op(a: Any, b: Any, escape: str | None = None) -> Any:
    """``a NOT LIKE b``."""
    return a.not_like(b, escape=escape)


def ilike_op(a: Any, b: Any, escape: str | None = None) -> Any:
    """Case-insensitive LIKE."""
    return a.ilike(b, escape=escape)


def not_ilike_op(a: Any, b: Any, escape: str | None = None) -> Any:
    """Case-insensitive NOT LIKE."""
    return a.not_ilike(b, escape=escape)


def in_op(a: Any, b: Any) -> Any:
    """``a IN (b...)``."""
    return a.in_(b)


def not_in_op(a: Any, b: Any) -> Any:
    """``a NOT IN (b...)``."""
    return a.not_in(b)


def is_(a: Any, b: Any) -> Any:
    """``a IS b`` (b is NULL, true or false)."""
    return a.is_(b)


def is_not(a: Any, b: Any) -> Any:
    """``a IS NOT b``."""
    return a.is_not(b)


def is_distinct_from(a: Any, b: Any) -> Any:
    """``a IS DISTINCT FROM b``: inequality where NULL equals NULL."""
    return a.is_distinct_from(b)


def is_not_distinct_from(a: Any, b: Any) -> Any:
    """``a IS NOT DISTINCT FROM b``: equality where NULL equals NULL."""
    return a.is_not_distinct_from(b)


def between_op(a: Any, lower: Any, upper: Any, symmetric: bool = False) -> Any:
    """``a BETWEEN lower AND upper``."""
    return a.between(lower, upper, symmetric=symmetric)


def not_between_op(a: Any, lower: Any, upper: Any, symmetric: bool = False) -> Any:
    """``a NOT BETWEEN lower AND upper``."""
    return ~a.between(lower, upper, symmetric=symmetric)


def contains_op(a: Any, b: Any, escape: str | None = None, autoescape: bool = False) -> Any:
    """``a LIKE '%' || b || '%'``."""
    return a.contains(b, escape=escape, autoescape=autoescape)


def not_contains_op(a: Any, b: Any, escape: str | None = None, autoescape: bool = False) -> Any:
    """Negated :func:`contains_op`."""
    return ~a.contains(b, escape=escape, autoescape=autoescape)


def startswith_op(a: Any, b: Any, escape: str | None = None, autoescape: bool = False) -> Any:
    """``a LIKE b || '%'``."""
    return a.startswith(b, escape=escape, autoescape=autoescape)


def not_startswith_op(a: Any, b: Any, escape: str | None = None,
                      autoescape: bool = False) -> Any:
    """Negated :func:`startswith_op`."""
    return ~a.startswith(b, escape=escape, autoescape=autoescape)


def endswith_op(a: Any, b: Any, escape: str | None = None, autoescape: bool = False) -> Any:
    """``a LIKE '%' || b``."""
    return a.endswith(b, escape=escape, autoescape=autoescape)


def not_endswith_op(a: Any, b: Any, escape: str | None = None,
                    autoescape: bool = False) -> Any:
    """Negated :func:`endswith_op`."""
    return ~a.endswith(b, escape=escape, autoescape=autoescape)


def regexp_match_op(a: Any, b: Any, flags: str | None = None) -> Any:
    """Regular expression match (the syntax is the dialect's)."""
    return a.regexp_match(b, flags=flags)


def not_regexp_match_op(a: Any, b: Any, flags: str | None = None) -> Any:
    """Negated regular expression match."""
    return ~a.regexp_match(b, flags=flags)


def collate(a: Any, collation: str) -> Any:
    """``a COLLATE collation``."""
    return a.collate(collation)


def desc_op(a: Any) -> Any:
    """``a DESC`` in ORDER BY."""
    return a.desc()


def asc_op(a: Any) -> Any:
    """``a ASC`` in ORDER BY."""
    return a.asc()


def nulls_first_op(a: Any) -> Any:
    """``a NULLS FIRST`` in ORDER BY."""
    return a.nulls_first()


def nulls_last_op(a: Any) -> Any:
    """``a NULLS LAST`` in ORDER BY."""
    return a.nulls_last()


def distinct_op(a: Any) -> Any:
    """``DISTINCT a`` (inside an aggregate: ``count(DISTINCT a)``)."""
    return a.distinct()


def json_getitem_op(a: Any, b: Any) -> Any:
    """One step into a JSON document: ``doc["key"]`` or ``doc[0]``."""
    raise NotImplementedError("json_getitem_op is applied by the JSON type's comparator")


def json_path_getitem_op(a: Any, b: Any) -> Any:
    """A path into a JSON document: ``doc[("a", 0, "b")]``."""
    raise NotImplementedError("json_path_getitem_op is applied by the JSON type's comparator")


def comma_op(a: Any, b: Any) -> Any:
    """The separator of a list of expressions (function arguments, IN lists)."""
    raise NotImplementedError("comma_op is a rendering marker")


def as_(a: Any, b: Any) -> Any:
    """``a AS b`` (labels)."""
    raise NotImplementedError("as_ is a rendering marker")


def exists(a: Any) -> Any:
    """``EXISTS (subquery)``."""
    raise NotImplementedError("exists is a rendering marker")


def filter_op(a: Any, b: Any) -> Any:
    """``aggregate FILTER (WHERE b)``."""
    raise NotImplementedError("filter_op is a rendering marker")


class custom_op:
    """A user-defined operator: ``col.op("->")(other)`` renders ``col -> other``.

    ``precedence`` decides grouping (0, the default, groups whenever it is nested in another
    operator); ``is_comparison=True`` makes the result Boolean; ``return_type`` types the result.
    """

    __name__ = "custom_op"

    def __init__(self, opstring: str, precedence: int = 0, is_comparison: bool = False,
                 return_type: Any = None) -> None:
        self.opstring = opstring
        self.precedence = precedence
        self.is_comparison = is_comparison
        self.return_type = return_type

    def _key(self) -> tuple[Any, ...]:
        rt = self.return_type
        rt_key = getattr(rt, "_static_cache_key", rt) if not isinstance(rt, type) else rt
        return (self.opstring, self.precedence, self.is_comparison, rt_key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, custom_op) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __call__(self, left: Any, right: Any, *other: Any, **kw: Any) -> Any:
        return left.operate(self, right, *other, **kw)

    def __repr__(self) -> str:
        return f"custom_op({self.opstring!r})"


_COMPARISONS = frozenset({
    eq, ne, lt, le, gt, ge, like_op, not_like_op, ilike_op, not_ilike_op, in_op, not_in_op,
    is_, is_not, is_distinct_from, is_not_distinct_from, between_op, not_between_op,
    contains_op, not_contains_op, startswith_op, not_startswith_op, endswith_op,
    not_endswith_op, regexp_match_op, not_regexp_match_op,
})
_ASSOCIATIVE = frozenset({add, mul, and_, or_, concat_op, comma_op})

#: Higher binds tighter. Operators missing here (and custom operators without a precedence)
#: count as 0, so they are parenthesized inside any other operator.
OPERATOR_PRECEDENCE: dict[Any, int] = {
    getitem: 15, json_getitem_op: 15, json_path_getitem_op: 15,
    collate: 13,
    neg: 12,
    mul: 8, truediv: 8, floordiv: 8, mod: 8,
    add: 7, sub: 7, concat_op: 7,
    **dict.fromkeys(_COMPARISONS, 5),
    inv: 4, distinct_op: 4, exists: 4,
    and_: 3,
    or_: 2,
    desc_op: 1, asc_op: 1, nulls_first_op: 1, nulls_last_op: 1, filter_op: 1,
    as_: -1,
    comma_op: -1,
}


def precedence(op: Any) -> int:
    """The binding strength of ``op`` (custom operators carry their own)."""
    if isinstance(op, custom_op):
        return op.precedence
    return OPERATOR_PRECEDENCE.get(op, 0)


def is_comparison(op: Any) -> bool:
    """True when ``op`` yields a boolean (its result is typed Boolean)."""
    if isinstance(op, custom_op):
        return op.is_comparison
    return op in _COMPARISONS


def is_associative(op: Any) -> bool:
    """True when ``(a op b) op c`` equals ``a op (b op c)``, so no parentheses are needed."""
    return op in _ASSOCIATIVE


def is_precedent(op: Any, against: Any) -> bool:
    """True when an expression built with ``op`` needs parentheses inside ``against``."""
    if op is against and is_associative(op):
        return False
    if against is None:
        return False
    return precedence(op) <= precedence(against)


_NEGATIONS = {
    eq: ne, lt: ge, le: gt, gt: le, ge: lt, like_op: not_like_op, ilike_op: not_ilike_op,
    in_op: not_in_op, is_: is_not, is_distinct_from: is_not_distinct_from,
    between_op: not_between_op, regexp_match_op: not_regexp_match_op,
}
NEGATIONS: dict[Any, Any] = {**_NEGATIONS, **{v: k for k, v in _NEGATIONS.items()}}


class ColumnOperators:
    """The Python operators and methods of every column expression.

    Each one calls ``self.operate(op, *other, **kw)`` (or ``reverse_operate`` for the reflected
    forms like ``5 - col``) with an operator function of this module; the expression's type
    comparator decides what gets built.
    """

    __slots__ = ()

    def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
        """Apply ``op`` with this expression on the left."""
        raise NotImplementedError(f"{type(self).__name__} does not implement operate()")

    def reverse_operate(self, op: Any, other: Any, **kw: Any) -> Any:
        """Apply ``op`` with this expression on the right."""
        raise NotImplementedError(f"{type(self).__name__} does not implement reverse_operate()")

    # comparisons
    def __eq__(self, other: Any) -> Any:
        return self.operate(eq, other)

    def __ne__(self, other: Any) -> Any:
        return self.operate(ne, other)

    def __lt__(self, other: Any) -> Any:
        return self.operate(lt, other)

    def __le__(self, other: Any) -> Any:
        return self.operate(le, other)

    def __gt__(self, other: Any) -> Any:
        return self.operate(gt, other)

    def __ge__(self, other: Any) -> Any:
        return self.operate(ge, other)

    __hash__ = object.__hash__

    # boolean composition
    def __and__(self, other: Any) -> Any:
        return self.operate(and_, other)

    def __or__(self, other: Any) -> Any:
        return self.operate(or_, other)

    def __invert__(self) -> Any:
        return self.operate(inv)

    # arithmetic
    def __neg__(self) -> Any:
        return self.operate(neg)

    def __add__(self, other: Any) -> Any:
        return self.operate(add, other)

    def __radd__(self, other: Any) -> Any:
        return self.reverse_operate(add, other)

    def __sub__(self, other: Any) -> Any:
        return self.operate(sub, other)

    def __rsub__(self, other: Any) -> Any:
        return self.reverse_operate(sub, other)

    def __mul__(self, other: Any) -> Any:
        return self.operate(mul, other)

    def __rmul__(self, other: Any) -> Any:
        return self.reverse_operate(mul, other)

    def __truediv__(self, other: Any) -> Any:
        return self.operate(truediv, other)

    def __rtruediv__(self, other: Any) -> Any:
        return self.reverse_operate(truediv, other)

    def __floordiv__(self, other: Any) -> Any:
        return self.operate(floordiv, other)

    def __rfloordiv__(self, other: Any) -> Any:
        return self.reverse_operate(floordiv, other)

    def __mod__(self, other: Any) -> Any:
        return self.operate(mod, other)

    def __rmod__(self, other: Any) -> Any:
        return self.reverse_operate(mod, other)

    def __getitem__(self, index: Any) -> Any:
        return self.operate(getitem, index)

    # named operators
    def concat(self, other: Any) -> Any:
        """``self || other``."""
        return self.operate(concat_op, other)

    def like(self, other: Any, escape: str | None = None) -> Any:
        """``self LIKE other`` (optionally ``ESCAPE 'c'``)."""
        return self.operate(like_op, other, escape=escape)

    def not_like(self, other: Any, escape: str | None = None) -> Any:
        """``self NOT LIKE other``."""
        return self.operate(not_like_op, other, escape=escape)

    def ilike(self, other: Any, escape: str | None = None) -> Any:
        """Case-insensitive LIKE (``lower(a) LIKE lower(b)`` where there is no ILIKE)."""
        return self.operate(ilike_op, other, escape=escape)

    def not_ilike(self, other: Any, escape: str | None = None) -> Any:
        """Case-insensitive NOT LIKE."""
        return self.operate(not_ilike_op, other, escape=escape)

    def in_(self, other: Any) -> Any:
        """``self IN (...)``: a list of values (bound as one expanding parameter), a list of
        expressions, an empty list (matches nothing), a subquery, or ``bindparam(...,
        expanding=True)``."""
        return self.operate(in_op, other)

    def not_in(self, other: Any) -> Any:
        """``self NOT IN (...)``; an empty list matches every row."""
        return self.operate(not_in_op, other)

    def is_(self, other: Any) -> Any:
        """``self IS other``: ``is_(None)`` renders ``IS NULL``."""
        return self.operate(is_, other)

    def is_not(self, other: Any) -> Any:
        """``self IS NOT other``."""
        return self.operate(is_not, other)

    def is_distinct_from(self, other: Any) -> Any:
        """``self IS DISTINCT FROM other``."""
        return self.operate(is_distinct_from, other)

    def is_not_distinct_from(self, other: Any) -> Any:
        """``self IS NOT DISTINCT FROM other``."""
        return self.operate(is_not_distinct_from, other)

    def between(self, cleft: Any, cright: Any, symmetric: bool = False) -> Any:
        """``self BETWEEN cleft AND cright``."""
        return self.operate(between_op, cleft, cright, symmetric=symmetric)

    def contains(self, other: Any, escape: str | None = None, autoescape: bool = False) -> Any:
        """``self LIKE '%' || other || '%'``; ``autoescape=True`` makes ``%``, ``_`` in a
        literal ``other`` match themselves."""
        return self.operate(contains_op, other, escape=escape, autoescape=autoescape)

    def startswith(self, other: Any, escape: str | None = None, autoescape: bool = False) -> Any:
        """``self LIKE other || '%'`` (see :meth:`contains` for ``autoescape``)."""
        return self.operate(startswith_op, other, escape=escape, autoescape=autoescape)

    def endswith(self, other: Any, escape: str | None = None, autoescape: bool = False) -> Any:
        """``self LIKE '%' || other`` (see :meth:`contains` for ``autoescape``)."""
        return self.operate(endswith_op, other, escape=escape, autoescape=autoescape)

    def regexp_match(self, pattern: Any, flags: str | None = None) -> Any:
        """Regular expression match, rendered by dialects that support it."""
        return self.operate(regexp_match_op, pattern, flags=flags)

    def collate(self, collation: str) -> Any:
        """``self COLLATE collation``."""
        return self.operate(collate, collation)

    def desc(self) -> Any:
        """``self DESC`` for ORDER BY."""
        return self.operate(desc_op)

    def asc(self) -> Any:
        """``self ASC`` for ORDER BY."""
        return self.operate(asc_op)

    def nulls_first(self) -> Any:
        """``self NULLS FIRST`` for ORDER BY (emulated where the database lacks it)."""
        return self.operate(nulls_first_op)

    def nulls_last(self) -> Any:
        """``self NULLS LAST`` for ORDER BY (emulated where the database lacks it)."""
        return self.operate(nulls_last_op)

    def distinct(self) -> Any:
        """``DISTINCT self``, as in ``func.count(col.distinct())``."""
        return self.operate(distinct_op)

    def op(self, opstring: str, precedence: int = 0, is_comparison: bool = False,
           return_type: Any = None) -> Callable[[Any], Any]:
        """A custom binary operator: ``col.op("&")(4)`` renders ``col & :param``."""
        operator = custom_op(opstring, precedence, is_comparison, return_type)

        def against(other: Any) -> Any:
            return operator(self, other)

        return against

    def bool_op(self, opstring: str, precedence: int = 0) -> Callable[[Any], Any]:
        """A custom operator whose result is Boolean."""
        return self.op(opstring, precedence=precedence, is_comparison=True)
