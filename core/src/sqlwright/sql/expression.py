"""Column expression nodes and the functions that build them.

Every class here is a :class:`~sqlwright.sql.elements.ColumnElement` (or a plain clause used
inside one) with a ``__visit_name__`` naming its compiler rule (in ``sql/_compile_expr.py``) and a
``_traverse_internals`` table that defines its structure for cache keys and copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlwright import exc
from sqlwright.sql import coercions, operators
from sqlwright.sql.elements import (
    BindParameter,
    ClauseElement,
    ColumnElement,
    TextClause,
    bindparam,
    text,
)
from sqlwright.types.base import NULLTYPE, TypeEngine, to_instance

__all__ = [
    "BinaryExpression", "BindParameter", "BooleanClauseList", "Case", "Cast", "ClauseList",
    "CollationClause", "ColumnClause", "EmptyInList", "Extract", "False_", "FunctionFilter",
    "Grouping", "Label",
    "LabelReference", "Null", "Over", "TextClause", "True_", "Tuple", "TypeCoerce",
    "UnaryExpression", "WithinGroup", "and_", "asc", "between", "bindparam", "case", "cast",
    "collate", "column", "desc", "distinct", "extract", "false", "label", "literal",
    "literal_column", "not_", "null", "nulls_first", "nulls_last", "or_", "over", "text", "true",
    "tuple_", "type_coerce", "within_group",
]

_TYPE_CACHE: dict[str, TypeEngine] = {}


def sql_type(name: str) -> TypeEngine:
    """An instance of the portable type ``name`` (``"Boolean"``), or NullType if not defined."""
    found = _TYPE_CACHE.get(name)
    if found is None:
        try:
            from sqlwright.types import sqltypes
        except ImportError:  # pragma: no cover - the types package is always there in releases
            return NULLTYPE
        cls = getattr(sqltypes, name, None)
        if cls is None:
            return NULLTYPE
        found = _TYPE_CACHE[name] = cls()
    return found


def _group_if(element: ClauseElement, op: Any, against: Any) -> ClauseElement:
    if operators.is_precedent(op, against):
        return Grouping(element)
    return element


class ColumnClause(ColumnElement):
    """A named column, optionally of a table (``column("name")``, a Table's Column).

    With ``is_literal=True`` the name is SQL text rendered as is (``literal_column()``).
    """

    __visit_name__ = "column"
    _traverse_internals = (("name", "plain"), ("table", "object"), ("type", "type"),
                           ("is_literal", "plain"))

    def __init__(self, text: str, type_: Any = None, is_literal: bool = False,
                 _selectable: Any = None) -> None:
        self.name = self.key = text
        self.type = to_instance(type_)
        self.is_literal = is_literal
        self.table = _selectable

    def _gen_cache_key(self, bindparams: list[Any]) -> Any:
        table = self.table
        if table is not None:
            keyer = getattr(table, "_column_table_key", None)
            table_key = keyer() if keyer is not None else table
        else:
            table_key = None
        return (ColumnClause, type(self), self.name, table_key, self.type._static_cache_key,
                self.is_literal)

    @property
    def _from_objects(self) -> list[Any]:
        return [self.table] if self.table is not None else []

    def __repr__(self) -> str:
        owner = getattr(self.table, "name", None)
        return f"ColumnClause({(owner + '.') if owner else ''}{self.name})"


class Label(ColumnElement):
    """``element AS name``; a None name is replaced by a unique ``anon_N`` when compiled."""

    __visit_name__ = "label"
    _traverse_internals = (("name", "plain"), ("element", "clause"), ("type", "type"))

    element: ColumnElement

    def __init__(self, name: str | None, element: Any, type_: Any = None) -> None:
        element = coercions.expect("expression", element)
        while isinstance(element, Label):
            element = element.element  # a label of a label labels the expression once
        self.name = name
        self.key = name
        self.element = element
        self.type = to_instance(type_) if type_ is not None else element.type
        self._proxies = (element,)

    def self_group(self, against: Any = None) -> ClauseElement:
        inner = self.element.self_group(against=against)
        if inner is self.element:
            return self
        return Label(self.name, inner, self.type)

    def label(self, name: str | None) -> ColumnElement:
        return Label(name, self.element, self.type)

    @property
    def _anon_name_label(self) -> str:
        return self.name or "anon"

    def __repr__(self) -> str:
        return f"Label({self.name!r}, {self.element!r})"


class BinaryExpression(ColumnElement):
    """``left <operator> right``; ``negate`` is the operator of the negated form."""

    __visit_name__ = "binary"
    _traverse_internals = (("left", "clause"), ("right", "clause"), ("operator", "plain"),
                           ("negate", "plain"), ("type", "type"), ("modifiers_key", "plain"))

    def __init__(self, left: ClauseElement, right: ClauseElement, operator: Any,
                 type_: Any = None, negate: Any = None,
                 modifiers: Mapping[str, Any] | None = None,
                 _orig: tuple[int, int] | None = None) -> None:
        self.left = left.self_group(against=operator)
        self.right = right.self_group(against=operator)
        self.operator = operator
        self.type = to_instance(type_)
        self.negate = negate
        self.modifiers = dict(modifiers or {})
        self.modifiers_key = tuple(sorted(self.modifiers.items()))
        self._orig = _orig

    def self_group(self, against: Any = None) -> ClauseElement:
        return _group_if(self, self.operator, against)

    def _negate(self) -> ClauseElement:
        if self.negate is not None:
            return BinaryExpression(self.left, self.right, self.negate, self.type,
                                    negate=self.operator, modifiers=self.modifiers)
        return super()._negate()

    def __bool__(self) -> bool:
        # `col in [c1, c2]` and dict lookups compare columns with ==: answer by identity.
        if self._orig is not None and self.operator in (operators.eq, operators.ne):
            same = self._orig[0] == self._orig[1]
            return same if self.operator is operators.eq else not same
        return super().__bool__()

    def __repr__(self) -> str:
        return f"BinaryExpression({self.left!r}, {self.right!r}, {_op_name(self.operator)})"


class UnaryExpression(ColumnElement):
    """A prefix ``operator`` (NOT, -, DISTINCT) or a postfix ``modifier`` (DESC, NULLS FIRST)."""

    __visit_name__ = "unary"
    _traverse_internals = (("element", "clause"), ("operator", "plain"), ("modifier", "plain"),
                           ("type", "type"))

    def __init__(self, element: ClauseElement, operator: Any = None, modifier: Any = None,
                 type_: Any = None, negate: Any = None, _boolean: bool = False) -> None:
        self.operator = operator
        self.modifier = modifier
        self.element = element.self_group(against=operator or modifier)
        if type_ is None:
            type_ = sql_type("Boolean") if _boolean else getattr(element, "type", NULLTYPE)
        self.type = to_instance(type_)
        self.negate = negate

    def self_group(self, against: Any = None) -> ClauseElement:
        if self.operator is not None:
            return _group_if(self, self.operator, against)
        return self

    def _negate(self) -> ClauseElement:
        if self.operator is operators.inv:
            # NOT NOT x is x
            element = self.element
            return element.element if isinstance(element, Grouping) else element
        return super()._negate()

    @property
    def _anon_name_label(self) -> str:
        return getattr(self.element, "_anon_name_label", "anon")


class ClauseList(ClauseElement):
    """Clauses joined by an operator (a comma by default): function arguments, IN lists."""

    __visit_name__ = "clauselist"
    _traverse_internals = (("clauses", "clauses"), ("operator", "plain"), ("group", "plain"))

    def __init__(self, *clauses: Any, operator: Any = operators.comma_op, group: bool = True,
                 _literal_as: str = "expression") -> None:
        self.operator = operator
        self.group = group
        self.clauses = tuple(
            coercions.expect(_literal_as, c).self_group(against=operator) for c in clauses)

    def __iter__(self) -> Any:
        return iter(self.clauses)

    def __len__(self) -> int:
        return len(self.clauses)

    def self_group(self, against: Any = None) -> ClauseElement:
        if self.group and operators.is_precedent(self.operator, against):
            return Grouping(self)
        return self


class BooleanClauseList(ColumnElement):
    """Criteria joined by AND or OR; build with :func:`and_` / :func:`or_` (or ``&`` / ``|``)."""

    __visit_name__ = "boolean_clauselist"
    _traverse_internals = (("clauses", "clauses"), ("operator", "plain"))

    def __init__(self, operator: Any, clauses: Sequence[ColumnElement]) -> None:
        self.operator = operator
        self.clauses = tuple(c.self_group(against=operator) for c in clauses)
        self.type = sql_type("Boolean")

    @classmethod
    def _construct(cls, operator: Any, clauses: Iterable[Any]) -> ColumnElement:
        # and_: true() drops out, false() wins; or_: the reverse
        neutral, absorbing = (True_, False_) if operator is operators.and_ else (False_, True_)
        flat: list[Any] = []
        for raw in clauses:
            if raw is None:
                continue
            clause = coercions.expect("where", raw)
            if isinstance(clause, absorbing):
                return absorbing()
            if isinstance(clause, neutral):
                continue
            if isinstance(clause, BooleanClauseList) and clause.operator is operator:
                flat.extend(clause.clauses)
            else:
                flat.append(clause)
        if not flat:
            return neutral()
        if len(flat) == 1:
            return flat[0]
        return cls(operator, flat)

    def self_group(self, against: Any = None) -> ClauseElement:
        return _group_if(self, self.operator, against)


class Grouping(ColumnElement):
    """``(element)``."""

    __visit_name__ = "grouping"
    _traverse_internals = (("element", "clause"),)

    def __init__(self, element: ClauseElement) -> None:
        self.element = element
        self.type = getattr(element, "type", NULLTYPE)
        self.key = getattr(element, "key", None)

    def self_group(self, against: Any = None) -> ClauseElement:
        return self

    def _negate(self) -> ClauseElement:
        negated = getattr(self.element, "_negate", None)
        if negated is None:
            return super()._negate()
        return negated().self_group(against=operators.inv)

    @property
    def _anon_name_label(self) -> str:
        return getattr(self.element, "_anon_name_label", "anon")


class Cast(ColumnElement):
    """``CAST(expr AS type)``."""

    __visit_name__ = "cast"
    _traverse_internals = (("clause", "clause"), ("type", "type"))

    def __init__(self, expression: Any, type_: Any) -> None:
        self.type = to_instance(type_)
        # a literal keeps the type of its value: the database converts it
        self.clause = coercions.expect("expression", expression)
        self._proxies = (self.clause,) if getattr(self.clause, "key", None) else ()

    @property
    def _anon_name_label(self) -> str:
        return getattr(self.clause, "_anon_name_label", "anon")


class TypeCoerce(ColumnElement):
    """The expression unchanged in SQL, with another Python-side type (processors, operators)."""

    __visit_name__ = "type_coerce"
    _traverse_internals = (("clause", "clause"), ("type", "type"))

    def __init__(self, expression: Any, type_: Any) -> None:
        self.type = to_instance(type_)
        self.clause = coercions.expect("expression", expression, type_=self.type)
        self.key = getattr(self.clause, "key", None)

    def self_group(self, against: Any = None) -> ClauseElement:
        grouped = self.clause.self_group(against=against)
        if grouped is self.clause:
            return self
        return TypeCoerce(grouped, self.type)

    @property
    def _anon_name_label(self) -> str:
        return getattr(self.clause, "_anon_name_label", "anon")


class Case(ColumnElement):
    """``CASE [value] WHEN ... THEN ... [ELSE ...] END``."""

    __visit_name__ = "case"
    _traverse_internals = (("value", "clause"), ("conditions", "clauses"),
                           ("results", "clauses"), ("else_", "clause"), ("type", "type"))

    def __init__(self, *whens: Any, value: Any = None, else_: Any = None) -> None:
        pairs = _case_pairs(whens, value)
        if not pairs:
            raise exc.ArgumentError(
                "case() needs at least one WHEN: case((condition, result), ..., else_=default)")
        self.value = coercions.expect("expression", value) if value is not None else None
        if self.value is not None:
            self.conditions = tuple(
                coercions.expect("expression", c, compare_type=self.value.type,
                                 name_hint=self.value.key) for c, _ in pairs)
        else:
            self.conditions = tuple(coercions.expect("where", c) for c, _ in pairs)
        self.results = tuple(coercions.expect("expression", r) for _, r in pairs)
        self.else_ = coercions.expect("expression", else_) if else_ is not None else None
        candidates = [*self.results, *([self.else_] if self.else_ is not None else [])]
        self.type = next((r.type for r in candidates if r.type is not NULLTYPE
                          and type(r.type).__name__ != "NullType"), NULLTYPE)


def _case_pairs(whens: Sequence[Any], value: Any) -> list[tuple[Any, Any]]:
    if len(whens) == 1 and isinstance(whens[0], Mapping):
        if value is None:
            raise exc.ArgumentError(
                "case() with a dictionary needs value=: case({'a': 1}, value=table.c.code)")
        return list(whens[0].items())
    if len(whens) == 1 and isinstance(whens[0], list):
        whens = tuple(whens[0])
    pairs = []
    for when in whens:
        if not (isinstance(when, tuple) and len(when) == 2):
            raise exc.ArgumentError(
                f"case() takes (condition, result) tuples, got {when!r}; write "
                "case((table.c.x > 5, 'big'), else_='small')")
        pairs.append(when)
    return pairs


class Null(ColumnElement):
    """SQL ``NULL``."""

    __visit_name__ = "null"
    _traverse_internals = ()


class True_(ColumnElement):
    """SQL ``true`` (``1`` where booleans are not native)."""

    __visit_name__ = "true"
    _traverse_internals = ()

    def __init__(self) -> None:
        self.type = sql_type("Boolean")

    def _negate(self) -> ClauseElement:
        return False_()


class False_(ColumnElement):
    """SQL ``false`` (``0`` where booleans are not native)."""

    __visit_name__ = "false"
    _traverse_internals = ()

    def __init__(self) -> None:
        self.type = sql_type("Boolean")

    def _negate(self) -> ClauseElement:
        return True_()


class Tuple(ColumnElement):
    """A row value ``(a, b)``, comparable with ``==`` and usable with ``in_()``."""

    __visit_name__ = "tuple"
    _traverse_internals = (("clauses", "clauses"),)

    def __init__(self, *clauses: Any, types: Sequence[Any] | None = None) -> None:
        if types is not None and len(types) != len(clauses):
            raise exc.ArgumentError("tuple_(): give as many types= as there are elements")
        kinds = types or [None] * len(clauses)
        self.clauses = tuple(
            coercions.expect("expression", c, type_=to_instance(t) if t is not None else None)
            for c, t in zip(clauses, kinds))
        self.type = TupleType(*(c.type for c in self.clauses))

    def self_group(self, against: Any = None) -> ClauseElement:
        return self


class TupleType(TypeEngine):
    """The type of a row value: its elements' types, so values bound against it (an expanding
    ``tuple_(...).in_([...])``) get each element's bind processor."""

    __visit_name__ = "null"

    def __init__(self, *types: TypeEngine) -> None:
        self.types = types

    @property
    def _static_cache_key(self) -> tuple[Any, ...]:
        return (TupleType, *(t._static_cache_key for t in self.types))


class CollationClause(ColumnElement):
    """A collation name after COLLATE."""

    __visit_name__ = "collation"
    _traverse_internals = (("collation", "plain"),)

    def __init__(self, collation: str) -> None:
        self.collation = collation


class LabelReference(ColumnElement):
    """A label named by a string in ORDER BY / GROUP BY (``order_by("total")``)."""

    __visit_name__ = "label_reference"
    _traverse_internals = (("name", "plain"),)

    def __init__(self, name: str) -> None:
        self.name = self.key = name


class EmptyInList(ColumnElement):
    """The right side of ``in_([])``: the comparison is false (true for ``not_in``)."""

    __visit_name__ = "empty_in_list"
    _traverse_internals = ()


class Over(ColumnElement):
    """``function OVER (PARTITION BY ... ORDER BY ... ROWS/RANGE BETWEEN ...)``.

    ``rows`` / ``range_`` are ``(start, end)``: None is UNBOUNDED, 0 is CURRENT ROW, a negative
    number that many rows PRECEDING, a positive one FOLLOWING.
    """

    __visit_name__ = "over"
    _traverse_internals = (("element", "clause"), ("partition_by", "clause"),
                           ("order_by", "clause"), ("rows", "plain"), ("range_", "plain"))

    def __init__(self, element: Any, partition_by: Any = None, order_by: Any = None,
                 rows: tuple[int | None, int | None] | None = None,
                 range_: tuple[int | None, int | None] | None = None) -> None:
        if rows is not None and range_ is not None:
            raise exc.ArgumentError("over() takes rows= or range_=, not both")
        self.element = coercions.expect("expression", element)
        self.type = self.element.type
        self.partition_by = _list_clause(partition_by, "group_by")
        self.order_by = _list_clause(order_by, "order_by")
        self.rows = _frame(rows, "rows")
        self.range_ = _frame(range_, "range_")

    @property
    def _anon_name_label(self) -> str:
        return getattr(self.element, "_anon_name_label", "anon")


def _list_clause(value: Any, role: str) -> ClauseList | None:
    if value is None:
        return None
    items = value if isinstance(value, (list, tuple)) else [value]
    return ClauseList(*items, _literal_as=role, group=False)


def _frame(value: Any, name: str) -> tuple[int | None, int | None] | None:
    if value is None:
        return None
    ok = isinstance(value, tuple) and len(value) == 2 and all(
        v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value)
    if not ok:
        raise exc.ArgumentError(
            f"over({name}=...) takes a (start, end) pair of None (unbounded), 0 (current row) "
            f"or integers (negative: preceding), got {value!r}")
    return value


class WithinGroup(ColumnElement):
    """``aggregate WITHIN GROUP (ORDER BY ...)`` (ordered-set aggregates)."""

    __visit_name__ = "within_group"
    _traverse_internals = (("element", "clause"), ("order_by", "clause"))

    def __init__(self, element: Any, *order_by: Any) -> None:
        self.element = coercions.expect("expression", element)
        self.order_by = _list_clause(list(order_by), "order_by")
        self.type = self.element.type

    def over(self, partition_by: Any = None, order_by: Any = None, rows: Any = None,
             range_: Any = None) -> Over:
        """This aggregate as a window function."""
        return Over(self, partition_by, order_by, rows, range_)


class FunctionFilter(ColumnElement):
    """``aggregate FILTER (WHERE criterion)``; emulated with CASE where FILTER is missing."""

    __visit_name__ = "function_filter"
    _traverse_internals = (("func", "clause"), ("criterion", "clause"))

    def __init__(self, func: Any, *criterion: Any) -> None:
        if not criterion:
            raise exc.ArgumentError("filter() needs a criterion: func.count().filter(t.c.x > 1)")
        self.func = coercions.expect("expression", func)
        self.criterion = and_(*criterion)
        self.type = self.func.type

    def filter(self, *criterion: Any) -> FunctionFilter:
        """Add more criteria (joined with AND)."""
        return FunctionFilter(self.func, self.criterion, *criterion)

    def over(self, partition_by: Any = None, order_by: Any = None, rows: Any = None,
             range_: Any = None) -> Over:
        """This filtered aggregate as a window function."""
        return Over(self, partition_by, order_by, rows, range_)

    @property
    def _anon_name_label(self) -> str:
        return getattr(self.func, "_anon_name_label", "anon")


class Extract(ColumnElement):
    """``EXTRACT(field FROM expr)``."""

    __visit_name__ = "extract"
    _traverse_internals = (("field", "plain"), ("expr", "clause"))

    def __init__(self, field: str, expr: Any) -> None:
        if not isinstance(field, str) or not field.isidentifier():
            raise exc.ArgumentError(
                f"extract() takes a field name such as 'year', 'month', 'day', got {field!r}")
        self.field = field.lower()
        self.expr = coercions.expect("expression", expr)
        self.type = sql_type("Integer")


def _op_name(op: Any) -> str:
    return str(getattr(op, "opstring", None) or getattr(op, "__name__", repr(op)))


# -- constructors ----------------------------------------------------------------------------
def column(text: str, type_: Any = None, is_literal: bool = False,
           _selectable: Any = None) -> ColumnClause:
    """A column by name, not bound to a Table: ``column("id", Integer)``."""
    return ColumnClause(text, type_, is_literal, _selectable)


def literal_column(text: str, type_: Any = None) -> ColumnClause:
    """SQL text used as a column expression, rendered as is: ``literal_column("count(*)")``."""
    return ColumnClause(text, type_, is_literal=True)


def literal(value: Any, type_: Any = None, literal_execute: bool = False) -> BindParameter:
    """A Python value as a bound parameter, typed from ``type_`` or from the value."""
    return BindParameter(None, value, type_, literal_execute=literal_execute)


def null() -> Null:
    """SQL NULL."""
    return Null()


def true() -> True_:
    """SQL true."""
    return True_()


def false() -> False_:
    """SQL false."""
    return False_()


def and_(*clauses: Any) -> ColumnElement:
    """Criteria joined by AND; none gives ``true()``."""
    return BooleanClauseList._construct(operators.and_, clauses)


def or_(*clauses: Any) -> ColumnElement:
    """Criteria joined by OR; none gives ``false()``."""
    return BooleanClauseList._construct(operators.or_, clauses)


def not_(clause: Any) -> ClauseElement:
    """``NOT clause`` (comparisons flip their operator: ``not_(a == b)`` is ``a != b``)."""
    return coercions.expect("where", clause)._negate()


def cast(expression: Any, type_: Any) -> Cast:
    """``CAST(expression AS type_)``."""
    return Cast(expression, type_)


def type_coerce(expression: Any, type_: Any) -> TypeCoerce:
    """Treat ``expression`` as ``type_`` on the Python side, without a CAST in the SQL."""
    return TypeCoerce(expression, type_)


def case(*whens: Any, value: Any = None, else_: Any = None) -> Case:
    """``case((cond, result), ..., else_=x)`` or ``case({"a": 1}, value=col, else_=x)``."""
    return Case(*whens, value=value, else_=else_)


def tuple_(*clauses: Any, types: Sequence[Any] | None = None) -> Tuple:
    """A row value: ``tuple_(t.c.a, t.c.b).in_([(1, 2), (3, 4)])``."""
    return Tuple(*clauses, types=types)


def between(expr: Any, lower_bound: Any, upper_bound: Any, symmetric: bool = False) -> Any:
    """``expr BETWEEN lower_bound AND upper_bound``."""
    return coercions.expect("expression", expr).between(lower_bound, upper_bound, symmetric)


def collate(expression: Any, collation: str) -> Any:
    """``expression COLLATE collation``."""
    return coercions.expect("expression", expression).collate(collation)


def _order_modifier(value: Any, op: Any) -> UnaryExpression:
    element = coercions.expect("order_by", value)
    return UnaryExpression(element, modifier=op)


def desc(column: Any) -> UnaryExpression:
    """``column DESC``; a string names a label of the SELECT."""
    return _order_modifier(column, operators.desc_op)


def asc(column: Any) -> UnaryExpression:
    """``column ASC``; a string names a label of the SELECT."""
    return _order_modifier(column, operators.asc_op)


def nulls_first(column: Any) -> UnaryExpression:
    """``column NULLS FIRST`` (emulated where the database has no such clause)."""
    return _order_modifier(column, operators.nulls_first_op)


def nulls_last(column: Any) -> UnaryExpression:
    """``column NULLS LAST`` (emulated where the database has no such clause)."""
    return _order_modifier(column, operators.nulls_last_op)


def distinct(expr: Any) -> UnaryExpression:
    """``DISTINCT expr``, as in ``func.count(distinct(t.c.x))``."""
    element = coercions.expect("expression", expr)
    return UnaryExpression(element, operator=operators.distinct_op, type_=element.type)


def over(element: Any, partition_by: Any = None, order_by: Any = None,
         rows: tuple[int | None, int | None] | None = None,
         range_: tuple[int | None, int | None] | None = None) -> Over:
    """A window function: ``over(func.row_number(), order_by=t.c.x)``."""
    return Over(element, partition_by, order_by, rows, range_)


def within_group(element: Any, *order_by: Any) -> WithinGroup:
    """``element WITHIN GROUP (ORDER BY ...)``."""
    return WithinGroup(element, *order_by)


def extract(field: str, expr: Any) -> Extract:
    """``EXTRACT(field FROM expr)``: ``extract("year", t.c.created_at)``."""
    return Extract(field, expr)


def label(name: str, element: Any, type_: Any = None) -> Label:
    """``element AS name``."""
    return Label(name, element, type_)
