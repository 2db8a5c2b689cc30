"""The base of the type system: TypeEngine and NullType.

A type converts Python values to and from what the DBAPI driver takes and returns. Conversions are
asked for once per type per dialect (``bind_processor`` / ``result_processor``) and cached, so a
type that needs no conversion costs nothing per value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = ["NullType", "TypeEngine", "to_instance"]

Processor = Callable[[Any], Any]


class TypeEngine:
    """Base of every type. Subclasses declare ``__visit_name__`` for the type compiler."""

    __visit_name__: ClassVar[str] = "type_engine"
    #: The Python type values of this SQL type read as, when known.
    python_type_hint: ClassVar[type | None] = None
    #: Whether two values of this type should be compared for change detection with ``==``.
    hashable: ClassVar[bool] = True
    #: Constructor argument names that make up this type's identity (cache key, repr, equality).
    _type_args: ClassVar[tuple[str, ...]] = ()

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
    def python_type(self) -> type:
        """The Python type of values of this SQL type; NotImplementedError if there is none."""
        if self.python_type_hint is None:
            raise NotImplementedError(f"{type(self).__name__} has no single Python type")
        return self.python_type_hint

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        """Return a function converting a Python value to a DBAPI value, or None if none needed."""
        return None

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        """Return a function converting a DBAPI value to a Python value, or None if none needed."""
        return None

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        """Return a function rendering a value inline as SQL text, or None for the default."""
        return None

    def dialect_impl(self, dialect: Dialect) -> TypeEngine:
        """The dialect's implementation of this type (``dialect.colspecs``), cached per dialect."""
        return dialect.type_descriptor(self)

    def compile(self, dialect: Dialect | None = None) -> str:
        """Render this type's DDL name for a dialect (the default dialect when None)."""
        if dialect is None:
            from sqlwright.dialects.base import DefaultDialect

            dialect = DefaultDialect()
        return dialect.type_compiler_instance.process(self)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        """The type to give a literal compared with an expression of this type."""
        return self

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
        args = []
        for name in self._type_args:
            value = getattr(self, name, None)
            if value is not None and value is not False:
                args.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(args)})"

    def __str__(self) -> str:
        return self.compile()


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
