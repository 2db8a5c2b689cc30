"""Compiler rules for column expressions, operators, functions, literals (a mixin of SQLCompiler).

Operators render through two tables: :data:`BINARY_OPERATORS` / :data:`UNARY_OPERATORS` give the
SQL text of the plain ones, and a rule named ``visit_<operator name>_binary`` (for example
``visit_ilike_op_binary``) takes over an operator entirely. Functions work the same way:
``visit_<function name>_func`` replaces the default ``name(args)`` rendering. A dialect's
compiler changes one operator or function by defining one such method.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.sql import operators as ops
from sqlwright.sql.functions import ANSI_NO_PARENS

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlwright.dialects.base import Dialect
    from sqlwright.sql.expression import (
        BinaryExpression,
        Case,
        Cast,
        ClauseList,
        ColumnClause,
        Extract,
        FunctionFilter,
        Label,
        Over,
        UnaryExpression,
        WithinGroup,
    )
    from sqlwright.sql.functions import FunctionElement

__all__ = ["BINARY_OPERATORS", "ExpressionCompilerMixin", "MODIFIERS", "UNARY_OPERATORS"]

BINARY_OPERATORS: dict[Any, str] = {
    ops.eq: " = ", ops.ne: " != ", ops.lt: " < ", ops.le: " <= ", ops.gt: " > ", ops.ge: " >= ",
    ops.add: " + ", ops.sub: " - ", ops.mul: " * ", ops.truediv: " / ", ops.mod: " % ",
    ops.concat_op: " || ", ops.like_op: " LIKE ", ops.not_like_op: " NOT LIKE ",
    ops.ilike_op: " ILIKE ", ops.not_ilike_op: " NOT ILIKE ",
    ops.in_op: " IN ", ops.not_in_op: " NOT IN ", ops.is_: " IS ", ops.is_not: " IS NOT ",
    ops.is_distinct_from: " IS DISTINCT FROM ",
    ops.is_not_distinct_from: " IS NOT DISTINCT FROM ",
    ops.between_op: " BETWEEN ", ops.not_between_op: " NOT BETWEEN ",
    ops.collate: " COLLATE ", ops.and_: " AND ", ops.or_: " OR ", ops.comma_op: ", ",
}
UNARY_OPERATORS: dict[Any, str] = {
    ops.inv: "NOT ", ops.neg: "-", ops.distinct_op: "DISTINCT ", ops.exists: "EXISTS ",
}
MODIFIERS: dict[Any, str] = {
    ops.desc_op: " DESC", ops.asc_op: " ASC", ops.nulls_first_op: " NULLS FIRST",
    ops.nulls_last_op: " NULLS LAST",
}
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


def _frame_bound(value: int | None, start: bool) -> str:
    if value is None:
        return "UNBOUNDED PRECEDING" if start else "UNBOUNDED FOLLOWING"
    if value == 0:
        return "CURRENT ROW"
    return f"{abs(value)} PRECEDING" if value < 0 else f"{value} FOLLOWING"


#: node kinds that are values; of Boolean type they stand where a condition is expected
_VALUE_KINDS = frozenset({"column", "function", "bindparam", "true", "false", "cast", "case",
                          "label", "scalar_select", "type_coerce", "textclause_column"})


def is_boolean_value(element: Any) -> bool:
    """True when ``element`` is a Boolean *value* (a column, function, literal ...) rather than a
    condition (a comparison, AND/OR, NOT, EXISTS)."""
    from sqlwright.types.sqltypes import Boolean

    kind = getattr(element, "__visit_name__", None)
    if kind == "grouping":
        return is_boolean_value(element.element)
    if kind == "binary":
        return not ops.is_comparison(element.operator) and \
            element.operator not in (ops.and_, ops.or_) and \
            isinstance(getattr(element, "type", None), Boolean)
    return kind in _VALUE_KINDS and isinstance(getattr(element, "type", None), Boolean)


class ExpressionCompilerMixin:
    """``visit_<name>`` rules for column expressions, operators, functions, literals."""

    if TYPE_CHECKING:
        dialect: Dialect
        preparer: Any
        escape_percent: bool
        _dispatch: ClassVar[dict[str, Callable[..., str]]]

        def process(self, element: Any, **kw: Any) -> str: ...
        def anon_name(self, base: str) -> str: ...
        def post_process_text(self, text: str) -> str: ...
        def render_string_literal(self, value: str) -> str: ...
        def render_bool_literal(self, value: bool) -> str: ...

    # -- names ------------------------------------------------------------------------------
    def label_name(self, label: Label) -> str:
        """The rendered name of a label; anonymous labels get ``anon_N``, stable per statement."""
        if label.name is not None:
            return self.preparer.quote(label.name)
        names: dict[int, str] = self.__dict__.setdefault("_anon_label_names", {})
        name = names.get(id(label.element))
        if name is None:
            name = names[id(label.element)] = self.anon_name("anon")
        return name

    def column_qualifier(self, table: Any) -> str | None:
        """The ``qualifier`` of ``qualifier.column`` for a column of ``table`` (None: none).

        The SELECT rules name FROM objects (aliases, anonymous subqueries) with
        ``from_qualifier(table)``; without it the table's own name (and schema) is used.
        """
        fmt = getattr(self, "from_qualifier", None)
        if fmt is not None:
            return fmt(table)
        if not getattr(table, "named_with_column", True):
            return None
        name = getattr(table, "name", None)
        if not name:
            return None
        return self.preparer.format_table_name(name, getattr(table, "schema", None))

    # -- columns and labels -----------------------------------------------------------------
    def visit_column(self, column: ColumnClause, include_table: bool = True,
                     **kw: Any) -> str:
        if column.is_literal:
            text = self.post_process_text(column.name)
        else:
            text = self.preparer.quote(column.name, getattr(column, "quote", None))
        table = column.table
        if table is None or not include_table:
            return text
        qualifier = self.column_qualifier(table)
        return f"{qualifier}.{text}" if qualifier else text

    def visit_label(self, label: Label, within_columns_clause: bool = False,
                    render_label_as_label: Any = None,
                    label_names: dict[int, str] | None = None, **kw: Any) -> str:
        """A label renders as its expression, except: as its name where the enclosing SELECT
        asks for it (``label_names`` {id(label): name}, or ``render_label_as_label``), and as
        ``expr AS name`` with ``within_columns_clause=True``."""
        if label_names is not None:
            kw["label_names"] = label_names
            named = label_names.get(id(label))
            if named is not None:
                return named
        if render_label_as_label is label:
            return self.label_name(label)
        if within_columns_clause:
            inner = self.process(label.element, within_columns_clause=False, **kw)
            return f"{inner} AS {self.label_name(label)}"
        return self.process(label.element, **kw)

    # -- operators --------------------------------------------------------------------------
    def visit_binary(self, binary: BinaryExpression, **kw: Any) -> str:
        op = binary.operator
        special = self._dispatch.get(f"{getattr(op, '__name__', '')}_binary")
        if special is not None:
            return special(self, binary, **kw)
        try:
            opstring = BINARY_OPERATORS[op]
        except (KeyError, TypeError):
            raise exc.UnsupportedCompilationError(
                f"The {self.dialect.name} compiler cannot render the operator "
                f"{getattr(op, '__name__', op)!r}") from None
        return self.render_binary(binary, opstring, **kw)

    def render_binary(self, binary: BinaryExpression, opstring: str,
                      **kw: Any) -> str:
        """``left opstring right`` plus the operator's modifiers (``ESCAPE 'c'``)."""
        text = self.process(binary.left, **kw) + opstring + self.process(binary.right, **kw)
        escape = binary.modifiers.get("escape")
        if escape is not None:
            text += " ESCAPE " + self.render_string_literal(escape)
        return text

    def visit_custom_op_binary(self, binary: BinaryExpression, **kw: Any) -> str:
        return self.render_binary(binary, f" {binary.operator.opstring} ", **kw)

    def visit_mod_binary(self, binary: BinaryExpression, **kw: Any) -> str:
        return self.render_binary(binary, " %% " if self.escape_percent else " % ", **kw)

    def visit_floordiv_binary(self, binary: BinaryExpression, **kw: Any) -> str:
        integer = all(getattr(getattr(side, "type", None), "python_type_hint", None) is int
                      for side in (binary.left, binary.right))
        text = self.render_binary(binary, " / ", **kw)
        return text if integer else f"FLOOR({text})"

    def _render_in(self, binary: BinaryExpression, opstring: str,
                   empty: str, **kw: Any) -> str:
        from sqlwright.sql.expression import EmptyInList

        if isinstance(binary.right, EmptyInList):
            # an empty IN matches nothing (and NOT IN everything), whatever the left side is
            return empty
        return self.render_binary(binary, opstring, **kw)

    def visit_in_op_binary(self, binary: BinaryExpression, **kw: Any) -> str:
        return self._render_in(binary, " IN ", "1 != 1", **kw)

    def visit_not_in_op_binary(self, binary: BinaryExpression, **kw: Any) -> str:
        return self._render_in(binary, " NOT IN ", "1 = 1", **kw)

    def visit_empty_in_list(self, element: Any, **kw: Any) -> str:
        return "(NULL)"

    def _render_ilike(self, binary: BinaryExpression, negated: bool,
                      **kw: Any) -> str:
        if self.dialect.features.supports_native_ilike:
            return self.render_binary(binary, " NOT ILIKE " if negated else " ILIKE ", **kw)
        text = (f"lower({self.process(binary.left, **kw)})"
                f"{' NOT LIKE ' if negated else ' LIKE '}"
                f"lower({self.process(binary.right, **kw)})")
        escape = binary.modifiers.get("escape")
        if escape is not None:
            text += " ESCAPE " + self.render_string_literal(escape)
        return text

    def visit_ilike_op_binary(self, binary: BinaryExpression, **kw: Any) -> str:
        return self._render_ilike(binary, False, **kw)

    def visit_not_ilike_op_binary(self, binary: BinaryExpression,
                                  **kw: Any) -> str:
        return self._render_ilike(binary, True, **kw)

    def _render_between(self, binary: BinaryExpression, word: str,
                        **kw: Any) -> str:
        if binary.modifiers.get("symmetric"):
            word += " SYMMETRIC"
        return self.render_binary(binary, f" {word} ", **kw)

    def visit_between_op_binary(self, binary: BinaryExpression, **kw: Any) -> str:
        return self._render_between(binary, "BETWEEN", **kw)

    def visit_not_between_op_binary(self, binary: BinaryExpression,
                                    **kw: Any) -> str:
        return self._render_between(binary, "NOT BETWEEN", **kw)

    def _render_distinct_from(self, binary: BinaryExpression, negated: bool,
                              **kw: Any) -> str:
        if self.dialect.features.supports_is_distinct_from:
            word = " IS NOT DISTINCT FROM " if negated else " IS DISTINCT FROM "
            return self.render_binary(binary, word, **kw)
        left, right = self.process(binary.left, **kw), self.process(binary.right, **kw)
        same = f"({left} = {right} OR ({left} IS NULL AND {right} IS NULL))"
        return same if negated else f"NOT {same}"

    def visit_is_distinct_from_binary(self, binary: BinaryExpression,
                                      **kw: Any) -> str:
        return self._render_distinct_from(binary, False, **kw)

    def visit_is_not_distinct_from_binary(self, binary: BinaryExpression,
                                          **kw: Any) -> str:
        return self._render_distinct_from(binary, True, **kw)

    def visit_regexp_match_op_binary(self, binary: BinaryExpression,
                                     **kw: Any) -> str:
        raise exc.CompileError(
            f"The {self.dialect.name} dialect has no regular expression operator "
            "(Features.supports_regexp); use like() / contains(), or a dialect that supports "
            "regexp_match()")

    visit_not_regexp_match_op_binary = visit_regexp_match_op_binary

    def visit_json_getitem_op_binary(self, binary: BinaryExpression,
                                     **kw: Any) -> str:
        raise exc.CompileError(
            f"The {self.dialect.name} dialect has no rule for JSON indexing "
            "(Features.supports_json); use a dialect with JSON support")

    visit_json_path_getitem_op_binary = visit_json_getitem_op_binary

    def visit_unary(self, unary: UnaryExpression, **kw: Any) -> str:
        if unary.operator is ops.inv and self._needs_comparison(unary.element):
            return f"{self.process(unary.element, **kw)} = 0"
        if unary.operator is not None:
            return UNARY_OPERATORS[unary.operator] + self.process(unary.element, **kw)
        modifier = unary.modifier
        if (modifier in (ops.nulls_first_op, ops.nulls_last_op)
                and not self.dialect.features.supports_nulls_ordering):
            return self._emulate_nulls_order(unary, **kw)
        return self.process(unary.element, **kw) + MODIFIERS[modifier]

    def _emulate_nulls_order(self, unary: UnaryExpression, **kw: Any) -> str:
        ordered = unary.element
        base = getattr(ordered, "element", ordered) if getattr(
            ordered, "modifier", None) in (ops.desc_op, ops.asc_op) else ordered
        first, second = ("0", "1") if unary.modifier is ops.nulls_first_op else ("1", "0")
        return (f"CASE WHEN {self.process(base, **kw)} IS NULL THEN {first} ELSE {second} END, "
                f"{self.process(ordered, **kw)}")

    # -- lists and groups -------------------------------------------------------------------
    def visit_clauselist(self, clauselist: ClauseList, **kw: Any) -> str:
        sep = BINARY_OPERATORS.get(clauselist.operator, ", ")
        parts = (self.process(c, **kw) for c in clauselist.clauses)
        return sep.join(p for p in parts if p)

    def visit_boolean_clauselist(self, clauselist: Any, **kw: Any) -> str:
        sep = BINARY_OPERATORS[clauselist.operator]
        parts = (self.render_condition(c, **kw) for c in clauselist.clauses)
        return sep.join(p for p in parts if p)

    # -- conditions -------------------------------------------------------------------------
    def render_condition(self, element: Any, **kw: Any) -> str:
        """Render ``element`` where SQL expects a condition (WHERE, HAVING, ON, CASE WHEN,
        AND/OR operands). A boolean *value* there (a Boolean column, function or literal) is
        compared with 1 on databases without boolean expressions
        (``Features.supports_boolean_expressions`` false): ``WHERE active = 1``."""
        text = self.process(element, **kw)
        if self._needs_comparison(element):
            return f"{text} = 1"
        return text

    def _needs_comparison(self, element: Any) -> bool:
        return (not self.dialect.features.supports_boolean_expressions
                and is_boolean_value(element))

    def visit_grouping(self, grouping: Any, **kw: Any) -> str:
        return "(" + self.process(grouping.element, **kw) + ")"

    def visit_tuple(self, element: Any, **kw: Any) -> str:
        return "(" + ", ".join(self.process(c, **kw) for c in element.clauses) + ")"

    # -- literals ---------------------------------------------------------------------------
    def visit_null(self, element: Any, **kw: Any) -> str:
        return "NULL"

    def visit_true(self, element: Any, **kw: Any) -> str:
        return self.render_bool_literal(True)

    def visit_false(self, element: Any, **kw: Any) -> str:
        return self.render_bool_literal(False)

    def visit_collation(self, element: Any, **kw: Any) -> str:
        name = element.collation
        return name if _PLAIN_NAME.match(name) else self.preparer.quote_identifier(name)

    # -- type conversions and CASE ----------------------------------------------------------
    def visit_cast(self, cast: Cast, **kw: Any) -> str:
        type_sql = self.dialect.type_compiler_instance.process(cast.type)
        return f"CAST({self.process(cast.clause, **kw)} AS {type_sql})"

    def visit_type_coerce(self, element: Any, **kw: Any) -> str:
        return self.process(element.clause, **kw)

    def visit_case(self, case: Case, **kw: Any) -> str:
        parts = ["CASE"]
        if case.value is not None:
            parts.append(self.process(case.value, **kw))
        for cond, result in zip(case.conditions, case.results):
            when = self.process(cond, **kw) if case.value is not None else \
                self.render_condition(cond, **kw)
            parts.append(f"WHEN {when} THEN {self.process(result, **kw)}")
        if case.else_ is not None:
            parts.append(f"ELSE {self.process(case.else_, **kw)}")
        parts.append("END")
        return " ".join(parts)

    def visit_extract(self, extract: Extract, **kw: Any) -> str:
        return f"EXTRACT({extract.field} FROM {self.process(extract.expr, **kw)})"

    # -- functions --------------------------------------------------------------------------
    def function_name(self, fn: FunctionElement) -> str:
        """The function's (package-qualified) name, quoted only when it is not a plain word."""
        parts = [*fn.packagenames, fn.name]
        return ".".join(p if _PLAIN_NAME.match(p) else self.preparer.quote_identifier(p)
                        for p in parts)

    def visit_function(self, fn: FunctionElement, **kw: Any) -> str:
        if not fn.packagenames:
            special = self._dispatch.get(f"{fn.name.lower()}_func")
            if special is not None:
                return special(self, fn, **kw)
        name = self.function_name(fn)
        if fn.name.lower() in ANSI_NO_PARENS and not fn.packagenames and not len(fn.clauses):
            return name.upper()
        return f"{name}({self.process(fn.clauses, **kw)})"

    def visit_now_func(self, fn: FunctionElement, **kw: Any) -> str:
        return "CURRENT_TIMESTAMP"

    def visit_over(self, over: Over, **kw: Any) -> str:
        parts = []
        if over.partition_by is not None:
            parts.append("PARTITION BY " + self.process(over.partition_by, **kw))
        if over.order_by is not None:
            parts.append("ORDER BY " + self.process(over.order_by, **kw))
        for word, frame in (("ROWS", over.rows), ("RANGE", over.range_)):
            if frame is not None:
                parts.append(f"{word} BETWEEN {_frame_bound(frame[0], True)} AND "
                             f"{_frame_bound(frame[1], False)}")
        return f"{self.process(over.element, **kw)} OVER ({' '.join(parts)})"

    def visit_within_group(self, element: WithinGroup, **kw: Any) -> str:
        order = self.process(element.order_by, **kw) if element.order_by is not None else ""
        return f"{self.process(element.element, **kw)} WITHIN GROUP (ORDER BY {order})"

    def visit_function_filter(self, element: FunctionFilter, **kw: Any) -> str:
        if self.dialect.features.supports_aggregate_filter:
            return (f"{self.process(element.func, **kw)} FILTER (WHERE "
                    f"{self.render_condition(element.criterion, **kw)})")
        return self._emulate_filter(element, **kw)

    def _emulate_filter(self, element: FunctionFilter, **kw: Any) -> str:
        """``agg(CASE WHEN criterion THEN arg END)``: the rows not matching count as NULL."""
        fn = element.func
        clauses = getattr(fn, "clauses", None)
        if clauses is None:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect has no FILTER clause and can only emulate it "
                "for a plain aggregate function call")
        criterion = self.render_condition(element.criterion, **kw)
        args = []
        for arg in clauses.clauses:
            is_star = getattr(arg, "is_literal", False) and getattr(arg, "name", "") == "*"
            value = "1" if is_star else self.process(arg, **kw)
            args.append(f"CASE WHEN {criterion} THEN {value} END")
        return f"{self.function_name(fn)}({', '.join(args)})"
