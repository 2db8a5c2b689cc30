"""The base of the type system: TypeEngine, its Comparator, and NullType.

A type converts Python values to and from what the DBAPI driver takes and returns. Conversions are
asked for once per type per dialect (``bind_processor`` / ``result_processor``) and cached, so a
type that needs no conversion costs nothing per value.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = ["NULLTYPE", "NullType", "TypeEngine", "sql_string_literal", "to_instance"]

Processor = Callable[[Any], Any]
_T = TypeVar("_T", bound="TypeEngine")

#: Operator function names treated as arithmetic by the default expression typing.
ARITHMETIC_OPS = frozenset({"add", "sub", "mul", "truediv", "floordiv", "mod", "neg", "pow"})


def sql_string_literal(text: str, dialect: Dialect) -> str:
    """``text`` as a quoted SQL string literal for ``dialect`` (for literal processors).

    Quotes are doubled, and so is ``%`` where the driver's paramstyle gives it a meaning.
    """
    escaped = text.replace("'", "''")
    if dialect.paramstyle in ("format", "pyformat"):
        escaped = escaped.replace("%", "%%")
    return f"'{escaped}'"


def op_name(op: Any) -> str | None:
    """The name an operator function is known by (``"add"``, ``"concat_op"``), or None."""
    return getattr(op, "__name__", None)


class TypeEngine:
    """Base of every type. Subclasses declare ``__visit_name__`` for the type compiler."""

    __visit_name__: ClassVar[str] = "type_engine"
    #: The Python type values of this SQL type read as, when known.
    python_type_hint: ClassVar[type | None] = None
    #: Whether two values of this type should be compared for change detection with ``==``.
    hashable: ClassVar[bool] = True
    #: Constructor argument names that make up this type's identity (cache key, repr, equality).
    _type_args: ClassVar[tuple[str, ...]] = ()
    #: True when the type wants its bind processor to see Python ``None`` (JSON's 'null').
    should_evaluate_none: bool = False

    class Comparator:
        """Builds the SQL expressions of the operators applied to an expression of this type.

        ``expr`` is the expression on the left; ``type`` its type. Types subclass this to add or
        change operators (JSON indexing, string concatenation); the default builds every
        operator through :func:`sqlwright.sql.default_comparator.operate`.
        """

        __slots__ = ("expr", "type")

        def __init__(self, expr: Any) -> None:
            self.expr = expr
            self.type: TypeEngine = expr.type

        def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
            """Build ``expr <op> other`` (the SQL expression for one operator)."""
            from sqlwright.sql import default_comparator

            return default_comparator.operate(self, op, *other, **kw)

        def reverse_operate(self, op: Any, other: Any, **kw: Any) -> Any:
            """Build ``other <op> expr`` (a Python value on the left: ``5 - col``)."""
            from sqlwright.sql import default_comparator

            return default_comparator.reverse_operate(self, op, other, **kw)

        def __reduce__(self) -> Any:
            return (type(self), (self.expr,))

    comparator_factory: ClassVar[type[Comparator]] = Comparator

    # -- identity ---------------------------------------------------------------------------
    @property
    def _static_cache_key(self) -> tuple[Any, ...]:
        return (self.__class__, *(self._key_value(getattr(self, a, None)) for a in self._type_args))

    @staticmethod
    def _key_value(value: Any) -> Any:
        try:
            hash(value)
        except TypeError:
            return repr(value)
        return value

    @property
    def _type_affinity(self) -> type[TypeEngine]:
        """The generic type this one belongs to (Integer for BigInteger, String for Enum)."""
        found: type[TypeEngine] = type(self)
        for klass in type(self).__mro__:
            if klass is TypeEngine:
                break
            if isinstance(klass, type) and issubclass(klass, TypeEngine):
                found = klass
        return found

    @property
    def python_type(self) -> type:
        """The Python type of values of this SQL type; NotImplementedError if there is none."""
        if self.python_type_hint is None:
            raise NotImplementedError(f"{type(self).__name__} has no single Python type")
        return self.python_type_hint

    # -- conversions --------------------------------------------------------------------------
    def bind_processor(self, dialect: Dialect) -> Processor | None:
        """Return a function converting a Python value to a DBAPI value, or None if none needed."""
        return None

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        """Return a function converting a DBAPI value to a Python value, or None if none needed."""
        return None

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        """Return a function rendering a value inline as SQL text, or None for the default."""
        return None

    def _cached_bind_processor(self, dialect: Dialect) -> Processor | None:
        """The dialect implementation's bind processor, computed once per type per dialect."""
        memo = _processor_memo(dialect, self)
        if "bind" not in memo:
            memo["bind"] = self.dialect_impl(dialect).bind_processor(dialect)
        return memo["bind"]

    def _cached_result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        """The dialect implementation's result processor, once per type, dialect and coltype."""
        memo = _processor_memo(dialect, self)
        key = ("result", coltype)
        try:
            return memo[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable driver type code
            return self.dialect_impl(dialect).result_processor(dialect, coltype)
        proc = memo[key] = self.dialect_impl(dialect).result_processor(dialect, coltype)
        return proc

    def dialect_impl(self, dialect: Dialect) -> TypeEngine:
        """The dialect's implementation of this type (``dialect.colspecs``), cached per dialect."""
        return dialect.type_descriptor(self)

    def adapt(self, cls: type[_T], **kw: Any) -> _T:
        """Return an instance of ``cls`` carrying this type's arguments.

        A dialect uses this to turn a portable type into its implementation class. When this
        type already is an instance of ``cls`` it is returned unchanged, so a subclass
        (``Double`` for a ``Float`` mapping) keeps its identity.
        """
        if isinstance(self, cls) and not kw:
            return self
        args = {a: getattr(self, a) for a in self._type_args if hasattr(self, a)}
        accepted = getattr(cls, "_type_args", ())
        args = {k: v for k, v in args.items() if k in accepted}
        args.update(kw)
        return cls(**args)

    # -- expressions ----------------------------------------------------------------------------
    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        """The operator to render and the result type of ``<self-typed expr> op <other>``.

        The default keeps the operator and this type; subclasses refine arithmetic
        (Integer + Numeric is Numeric, DateTime - DateTime is Interval ...).
        """
        return op, self

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        """The type to give a literal compared with (or combined with) this type.

        The value's own type when it belongs to another family (``int_col == 1.5`` binds a
        Float), else this type, so the value goes through this type's conversions.
        """
        from sqlwright.types.resolve import type_for_value

        value_type = type_for_value(value)
        if value_type._type_affinity is NullType or (
            value_type._type_affinity is self._type_affinity
        ):
            return self
        return value_type

    def evaluates_none(self: _T) -> _T:
        """A copy whose bind processor receives Python ``None`` instead of it becoming NULL."""
        new = self.copy()
        new.should_evaluate_none = True
        return new  # type: ignore[return-value]

    def with_variant(self, type_: TypeEngine | type[TypeEngine], *dialect_names: str
                     ) -> TypeEngine:
        """Use ``type_`` instead of this type on the named dialects (``"sqlite"``, ...)."""
        from sqlwright.types.variant import Variant

        if not dialect_names:
            from sqlwright import exc

            raise exc.ArgumentError(
                "with_variant() needs at least one dialect name: "
                "String().with_variant(Text(), 'mysql')")
        return Variant.wrap(self, to_instance(type_), dialect_names)

    # -- rendering ------------------------------------------------------------------------------
    def compile(self, dialect: Dialect | None = None) -> str:
        """Render this type's DDL name for a dialect (the default dialect when None)."""
        if dialect is None:
            from sqlwright.dialects.base import DefaultDialect

            dialect = DefaultDialect()
        return dialect.type_compiler_instance.process(self)

    def copy(self, **kw: Any) -> TypeEngine:
        """Return a copy of this type with some constructor arguments replaced."""
        args = {a: getattr(self, a) for a in self._type_args if hasattr(self, a)}
        args.update(kw)
        return self.__class__(**args)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TypeEngine):
            return NotImplemented
        return self._static_cache_key == other._static_cache_key

    def __hash__(self) -> int:
        return hash(self._static_cache_key)

    def __repr__(self) -> str:
        defaults = _constructor_defaults(type(self))
        args = []
        for name in self._type_args:
            value = getattr(self, name, None)
            if name in defaults and value == defaults[name]:
                continue
            if value is not None:
                args.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(args)})"

    def __str__(self) -> str:
        return self.compile()


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _constructor_defaults(cls: type) -> dict[str, Any]:
    """The keyword defaults of ``cls.__init__`` (for a repr that leaves them out)."""
    found = _DEFAULTS.get(cls)
    if found is not None:
        return found
    try:
        params = inspect.signature(cls.__init__).parameters  # type: ignore[misc]
    except (TypeError, ValueError):
        params = {}  # type: ignore[assignment]
    found = _DEFAULTS[cls] = {
        name: p.default for name, p in params.items() if p.default is not p.empty}
    return found


#: dialect -> type -> processors; weak on the dialect so disposed engines free their memos
_PROCESSOR_MEMOS: weakref.WeakKeyDictionary[Any, dict[Any, dict[Any, Any]]] = (
    weakref.WeakKeyDictionary())


def _processor_memo(dialect: Dialect, type_: TypeEngine) -> dict[Any, Any]:
    memos = _PROCESSOR_MEMOS.get(dialect)
    if memos is None:
        memos = _PROCESSOR_MEMOS[dialect] = {}
    try:
        return memos.setdefault(type_, {})
    except TypeError:  # unhashable arguments: no memo
        return {}


class NullType(TypeEngine):
    """The type of an expression whose type is not known; passes values through unchanged."""

    __visit_name__ = "null"


NULLTYPE = NullType()


def to_instance(type_: TypeEngine | type[TypeEngine] | None) -> TypeEngine:
    """Accept a type class or instance (or None) and return an instance."""
    if type_ is None:
        return NULLTYPE
    if isinstance(type_, type):
        return type_()
    return type_
