"""Expression tree base classes: ClauseElement, ColumnElement, BindParameter, TextClause.

Anything that can stand in an expression either is a :class:`ClauseElement` or offers
``__clause_element__()`` returning one (the clause-coercion protocol ORM attributes use); see
:mod:`sqlwright.sql.coercions`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.sql import operators
from sqlwright.sql.operators import ColumnOperators
from sqlwright.sql.visitors import CacheKey, Visitable
from sqlwright.types.base import NULLTYPE, TypeEngine, to_instance

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.sql.compiler import Compiled

__all__ = ["BindParameter", "ClauseElement", "ColumnElement", "TextClause", "bindparam", "text"]

class ClauseElement(Visitable):
    """Base of every SQL expression and statement node."""

    __visit_name__ = "clause"
    #: True for statements that can be executed on their own (select, insert, text ...).
    is_executable: ClassVar[bool] = False
    #: True for statements that return rows.
    is_select: ClassVar[bool] = False
    is_dml: ClassVar[bool] = False
    is_insert: ClassVar[bool] = False
    is_update: ClassVar[bool] = False
    is_delete: ClassVar[bool] = False
    is_ddl: ClassVar[bool] = False
    is_text: ClassVar[bool] = False
    #: True for FROM-clause objects (tables, subqueries, joins); set by sql.selectable.
    _is_from_clause: ClassVar[bool] = False
    #: True for SELECT-like statements usable as subqueries; set by sql.selectable.
    _is_select_statement: ClassVar[bool] = False
    _execution_options: Mapping[str, Any] = {}

    def __clause_element__(self) -> ClauseElement:
        return self

    @property
    def _from_objects(self) -> list[Any]:
        """The FROM objects (tables, subqueries) this element refers to, in order."""
        found: list[Any] = []
        for child in self.get_children():
            for item in getattr(child, "_from_objects", ()):
                if not any(item is f for f in found):
                    found.append(item)
        return found

    def self_group(self, against: Any = None) -> ClauseElement:
        """This element, parenthesized if needed when it is an operand of ``against``."""
        return self

    def _negate(self) -> ClauseElement:
        """``NOT self`` (subclasses negate their operator instead where they can)."""
        from sqlwright.sql.expression import UnaryExpression

        return UnaryExpression(self.self_group(against=operators.inv),
                               operator=operators.inv, negate=None, _boolean=True)

    def _generate_cache_key(self) -> CacheKey | None:
        """Return this statement's structural key and its bound parameters, or None."""
        bindparams: list[BindParameter] = []
        key = self._gen_cache_key(bindparams)
        if key is None:
            return None
        return CacheKey(key, bindparams)

    def compile(
        self,
        bind: Any = None,
        dialect: Dialect | None = None,
        *,
        compile_kwargs: Mapping[str, Any] | None = None,
        **kw: Any,
    ) -> Compiled:
        """Compile to SQL for ``dialect`` (or the dialect of ``bind``, an Engine or Connection).

        Without either, the default (ANSI-ish) dialect renders it. ``compile_kwargs={
        "literal_binds": True}`` renders values inline, escaped by the dialect.
        """
        if dialect is None:
            if bind is not None:
                dialect = bind.dialect
            else:
                from sqlwright.dialects.base import DefaultDialect

                dialect = DefaultDialect()
        return self._compiler(dialect, compile_kwargs=dict(compile_kwargs or {}), **kw)

    def _compiler(self, dialect: Dialect, **kw: Any) -> Compiled:
        return dialect.statement_compiler(dialect, self, **kw)

    def execution_options(self, **opts: Any) -> ClauseElement:
        """Return a copy carrying execution options (``compiled_cache=None`` ...)."""
        new = self._clone()
        new._execution_options = {**self._execution_options, **opts}
        return new

    def get_execution_options(self) -> Mapping[str, Any]:
        """The execution options set on this statement."""
        return self._execution_options

    def _clone(self) -> Any:
        """A shallow copy; generative methods change the copy."""
        cls = self.__class__
        new = cls.__new__(cls)
        new.__dict__ = self.__dict__.copy()
        return new

    def params(self, **values: Any) -> ClauseElement:
        """Return a copy whose bind parameters named in ``values`` take those values."""
        return self._deep_clone_binds(values)

    def _deep_clone_binds(self, values: Mapping[str, Any]) -> ClauseElement:
        new = self._clone()
        for attr, kind in self._traverse_internals:
            value = getattr(self, attr)
            if value is None:
                continue
            if kind == "clause" and isinstance(value, ClauseElement):
                setattr(new, attr, value._deep_clone_binds(values))
            elif kind == "clauses":
                setattr(new, attr, type(value)(
                    v._deep_clone_binds(values) if isinstance(v, ClauseElement) else v
                    for v in value
                ))
        return new

    def __str__(self) -> str:
        return self.compile().string

    def __bool__(self) -> bool:
        raise TypeError("Boolean value of this clause is not defined")


class ColumnElement(ColumnOperators, ClauseElement):
    """An expression that produces a value: a column, a literal, a function, a comparison.

    Python operators build SQL (``col == 5``, ``col + 1``, ``col.in_([...])``): each goes to
    ``self.comparator``, built by the expression's type (``type.comparator_factory``), whose
    ``operate`` decides the expression and its type. Attributes the element itself lacks are
    looked up on the comparator, so types add methods (JSON's ``as_string()``).
    """

    __visit_name__ = "column_element"
    type: TypeEngine = NULLTYPE
    #: The name a result column of this expression gets when it is not labelled.
    key: str | None = None
    _is_column = True
    #: The columns this one was derived from (a subquery's column proxies its inner column).
    _proxies: tuple[ColumnElement, ...] = ()
    __hash__ = object.__hash__


    @property
    def comparator(self) -> Any:
        """The type's comparator bound to this expression (cached while the type is the same)."""
        cached = self.__dict__.get("_comparator_cache")
        type_ = self.type
        if cached is not None and cached[0] is type_ and cached[1].expr is self:
            return cached[1]
        factory = getattr(type_, "comparator_factory", None)
        if factory is None:
            from sqlwright.sql.default_comparator import DefaultComparator

            factory = DefaultComparator
        comparator = factory(self)
        self.__dict__["_comparator_cache"] = (type_, comparator)
        return comparator

    def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
        """Build ``self <op> other`` through the type's comparator."""
        return self.comparator.operate(op, *other, **kw)

    def reverse_operate(self, op: Any, other: Any, **kw: Any) -> Any:
        """Build ``other <op> self`` through the type's comparator."""
        return self.comparator.reverse_operate(op, other, **kw)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        comparator = self.comparator
        try:
            return getattr(comparator, name)
        except AttributeError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}, and neither has "
                f"the comparator of its type {type(self.type).__name__}; check the spelling, or "
                "cast() / type_coerce() the expression to a type that offers it"
            ) from None

    def label(self, name: str | None) -> ColumnElement:
        """``expr AS name``; with None an anonymous label is generated at compile time."""
        from sqlwright.sql.expression import Label

        return Label(name, self, self.type)

    def cast(self, type_: Any) -> ColumnElement:
        """``CAST(self AS type_)``."""
        from sqlwright.sql.expression import Cast

        return Cast(self, type_)

    def self_group(self, against: Any = None) -> ClauseElement:
        """Plain column expressions never need parentheses."""
        return self

    @property
    def proxy_set(self) -> frozenset[ColumnElement]:
        """This column and every column it proxies, transitively."""
        found: set[ColumnElement] = {self}
        for proxy in self._proxies:
            found |= proxy.proxy_set
        return frozenset(found)

    @property
    def base_columns(self) -> frozenset[ColumnElement]:
        """The columns at the bottom of the proxy chain (the table columns)."""
        return frozenset(c for c in self.proxy_set if not c._proxies)

    def shares_lineage(self, other: ColumnElement) -> bool:
        """True when both columns proxy a common column."""
        return bool(self.proxy_set & other.proxy_set)

    def _make_proxy(self, selectable: Any, name: str | None = None,
                    key: str | None = None) -> ColumnElement:
        """A column of ``selectable`` (a subquery, alias, CTE) that represents this one."""
        from sqlwright.sql.expression import ColumnClause

        col_name = name or self.key or "anon"
        proxy = ColumnClause(col_name, self.type, _selectable=selectable)
        proxy.key = key or col_name
        proxy._proxies = (self,)
        return proxy

    @property
    def _anon_name_label(self) -> str:
        """The name an unlabelled expression of this kind gets in a subquery's columns."""
        return self.key or "anon"

    def __bool__(self) -> bool:
        raise TypeError(
            "Boolean value of this clause is not defined; use and_() / or_() to combine "
            "criteria, and 'is None' checks on the Python side"
        )


class BindParameter(ColumnElement):
    """A value sent to the database as a bound parameter (never rendered into the SQL string).

    ``key`` None makes an anonymous parameter, named at compile time from ``_name_hint``.
    """

    __visit_name__ = "bindparam"
    _traverse_internals = (("key", "plain"), ("type", "type"), ("expanding", "plain"),
                           ("_name_hint", "plain"), ("literal_execute", "plain"))

    def __init__(
        self,
        key: str | None,
        value: Any = None,
        type_: TypeEngine | type[TypeEngine] | None = None,
        *,
        unique: bool = False,
        required: bool | None = None,
        callable_: Any = None,
        expanding: bool = False,
        literal_execute: bool = False,
        _name_hint: str | None = None,
        _compared_to_type: TypeEngine | None = None,
    ) -> None:
        if required is None:
            required = value is None and callable_ is None and key is not None
        self.key = key
        self._name_hint = _name_hint or key or "param"
        if unique:
            # a unique parameter keeps its user-facing name but renders with a suffix
            self.key = None
            self._name_hint = key or "param"
        self.value = value
        self.callable = callable_
        self.required = required
        self.expanding = expanding
        self.literal_execute = literal_execute
        if type_ is None:
            if _compared_to_type is not None:
                self.type = _compared_to_type.coerce_compared_value(None, value)
            else:
                from sqlwright.types.resolve import type_for_value

                self.type = type_for_value(value)
        else:
            self.type = to_instance(type_)

    def _gen_cache_key(self, bindparams: list[Any]) -> Any:
        # the value is not structure: it is collected so a cached compiled form can take it
        bindparams.append(self)
        key = (BindParameter, self.key, self._name_hint, self.type._static_cache_key,
               self.expanding, self.literal_execute)
        if self.literal_execute:
            # rendered inline, so the value is part of the SQL text
            try:
                hash(self.value)
            except TypeError:
                return None
            return (*key, self.value)
        return key

    def effective_value(self) -> Any:
        """The value to send: the callable's result when one was given."""
        if self.callable is not None:
            return self.callable()
        return self.value

    def _with_value(self, value: Any) -> BindParameter:
        new = self._clone()
        new.value = value
        new.callable = None
        new.required = False
        return new

    def _deep_clone_binds(self, values: Mapping[str, Any]) -> ClauseElement:
        name = self.key if self.key is not None else self._name_hint
        if name in values:
            return self._with_value(values[name])
        return self

    def __repr__(self) -> str:
        return f"BindParameter({self.key or self._name_hint!r}, {self.value!r})"


def bindparam(
    key: str | None,
    value: Any = None,
    type_: TypeEngine | type[TypeEngine] | None = None,
    *,
    unique: bool = False,
    required: bool | None = None,
    callable_: Any = None,
    expanding: bool = False,
    literal_execute: bool = False,
) -> BindParameter:
    """A named bound parameter, given a value now or at execution (``{"key": value}``)."""
    return BindParameter(key, value, type_, unique=unique, required=required,
                         callable_=callable_, expanding=expanding, literal_execute=literal_execute)


# A bind is ":name" not preceded by a colon, word character or backslash, and not followed by ":".
_TEXT_BIND = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


class TextClause(ClauseElement):
    """Literal SQL text with ``:name`` bound parameters, rendered in the driver's paramstyle.

    Write a literal colon before a word as ``\\:``.
    """

    __visit_name__ = "textclause"
    _traverse_internals = (("text", "plain"), ("_bind_list", "clauses"))
    is_executable = True
    is_text = True
    is_select = True  # may return rows; the cursor decides

    def __init__(self, text: str) -> None:
        self.text = text
        self._bindparams: dict[str, BindParameter] = {
            name: BindParameter(name, required=True)
            for name in dict.fromkeys(_TEXT_BIND.findall(text))
        }

    @property
    def _bind_list(self) -> tuple[BindParameter, ...]:
        return tuple(self._bindparams.values())

    def bindparams(self, *binds: BindParameter, **values: Any) -> TextClause:
        """Return a copy with values (``name=value``) or typed ``bindparam()`` objects attached."""
        new = self._clone()
        new._bindparams = dict(self._bindparams)
        for bind in binds:
            name = bind.key or bind._name_hint
            if name not in new._bindparams:
                raise exc.ArgumentError(
                    f"This text() has no bind parameter named {name!r}; it has: "
                    f"{', '.join(new._bindparams) or 'none'}"
                )
            new._bindparams[name] = bind
        for name, value in values.items():
            if name not in new._bindparams:
                raise exc.ArgumentError(
                    f"This text() has no bind parameter named {name!r}; it has: "
                    f"{', '.join(new._bindparams) or 'none'}"
                )
            new._bindparams[name] = new._bindparams[name]._with_value(value)
        return new

    def _deep_clone_binds(self, values: Mapping[str, Any]) -> ClauseElement:
        return self.bindparams(**{k: v for k, v in values.items() if k in self._bindparams})

    def self_group(self, against: Any = None) -> ClauseElement:
        """Text combined with AND / OR / NOT is parenthesized: it may hold any operator."""
        if against in (operators.and_, operators.or_, operators.inv):
            from sqlwright.sql.expression import Grouping

            return Grouping(self)
        return self

    def columns(self, *cols: Any, **types: Any) -> Any:
        """Declare the columns (and their types) this text returns, making it selectable."""
        from sqlwright.sql.selectable import TextualSelect

        return TextualSelect(self, cols, types)

    def __repr__(self) -> str:
        return f"text({self.text!r})"


def text(sql: str) -> TextClause:
    """Literal SQL with ``:name`` binds: ``text("SELECT * FROM t WHERE id = :id")``."""
    if not isinstance(sql, str):
        raise exc.ArgumentError(f"text() takes a SQL string, not {type(sql).__name__}")
    return TextClause(sql)

