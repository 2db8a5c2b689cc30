"""TypeDecorator: a user type that adds Python-side conversions to an existing type."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.types.base import Processor, TypeEngine

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = ["TypeDecorator"]


class TypeDecorator(TypeEngine):
    """Subclass this to build a type on top of an existing one.

    Set the class attribute ``impl`` to the underlying type (class or instance); constructor
    arguments are passed to it (``MyType(50)`` builds ``impl(50)``). Override
    ``process_bind_param(value, dialect)`` for values going to the database and
    ``process_result_value(value, dialect)`` for values read back; each is applied around the
    underlying type's own conversions. ``load_dialect_impl(dialect)`` picks another
    underlying type per dialect.

    Set ``cache_ok = True`` when the type's attributes fully decide the SQL it produces, so
    statements of the same shape share one compiled form; otherwise each instance of the type
    keys its own cache entries (and leaving it None warns once).
    """

    __visit_name__ = "type_decorator"
    impl: ClassVar[TypeEngine | type[TypeEngine]] = TypeEngine
    #: True when this type's attributes make a safe cache key (see the class docstring).
    cache_ok: ClassVar[bool | None] = None
    _warned: ClassVar[set[type]] = set()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        impl = type(self).impl
        if impl is TypeEngine:
            raise exc.ArgumentError(
                f"{type(self).__name__} must set the class attribute 'impl' to the type it "
                "builds on, e.g. impl = String")
        if isinstance(impl, TypeEngine):
            self.impl_instance = type(impl)(*args, **kwargs) if args or kwargs else impl
        else:
            self.impl_instance = impl(*args, **kwargs)

    # -- identity ---------------------------------------------------------------------------
    @property
    def _static_cache_key(self) -> tuple[Any, ...]:
        if self.cache_ok is not True:
            cls = type(self)
            if self.cache_ok is None and cls not in TypeDecorator._warned:
                TypeDecorator._warned.add(cls)
                warnings.warn(
                    f"TypeDecorator {cls.__name__} does not set cache_ok; compiled statements "
                    "using it are not shared between instances of the type. Set "
                    "cache_ok = True if its attributes decide the SQL it renders, or "
                    "cache_ok = False to silence this warning.",
                    stacklevel=3,
                )
            # identity only: never shared with another instance
            return (cls, id(self), self._uncacheable_token)
        state = tuple(sorted(
            (k, self._key_value(v)) for k, v in vars(self).items()
            if k != "impl_instance" and not k.startswith("_")
        ))
        return (type(self), self.impl_instance._static_cache_key, state)

    @property
    def _uncacheable_token(self) -> object:
        token = self.__dict__.get("_token")
        if token is None:
            token = self.__dict__["_token"] = object()
        return token

    @property
    def _type_affinity(self) -> type[TypeEngine]:
        return self.impl_instance._type_affinity

    @property
    def python_type(self) -> type:
        return self.impl_instance.python_type

    @property
    def comparator_factory(self) -> type[TypeEngine.Comparator]:  # type: ignore[override]
        """Operators behave as on the underlying type."""
        return self.impl_instance.comparator_factory

    # -- hooks for subclasses -------------------------------------------------------------------
    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """Convert a Python value before the underlying type binds it (default: unchanged)."""
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        """Convert a value the underlying type read (default: unchanged)."""
        return value

    def process_literal_param(self, value: Any, dialect: Dialect) -> Any:
        """Convert a value rendered inline (``literal_binds``); defaults to process_bind_param."""
        return self.process_bind_param(value, dialect)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        """The underlying type to use on ``dialect`` (default: ``impl``)."""
        return self.impl_instance

    def _overrides(self, name: str) -> bool:
        return getattr(type(self), name) is not getattr(TypeDecorator, name)

    # -- dialect adaptation ---------------------------------------------------------------------
    def _dialect_adapt(self, dialect: Dialect) -> TypeEngine:
        return self

    def impl_for(self, dialect: Dialect) -> TypeEngine:
        """The dialect's implementation of the underlying type."""
        return dialect.type_descriptor(self.load_dialect_impl(dialect))

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        inner = self.impl_for(dialect).bind_processor(dialect)
        if not self._overrides("process_bind_param"):
            return inner
        convert = self.process_bind_param
        if inner is None:
            return lambda value: convert(value, dialect)
        return lambda value: inner(convert(value, dialect))

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        inner = self.impl_for(dialect).result_processor(dialect, coltype)
        if not self._overrides("process_result_value"):
            return inner
        convert = self.process_result_value
        if inner is None:
            return lambda value: convert(value, dialect)
        return lambda value: convert(inner(value), dialect)

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        impl = self.impl_for(dialect)
        inner = impl.literal_processor(dialect)
        convert = self.process_literal_param
        if inner is not None:
            return lambda value: inner(convert(value, dialect))
        compiler = dialect.statement_compiler(dialect, None)
        return lambda value: compiler.render_plain_literal(convert(value, dialect))

    # -- expressions ----------------------------------------------------------------------------
    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        """Literals compared with this type go through its conversions too."""
        return self

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        op, result = self.impl_instance._adapt_expression(op, other_type)
        return op, (self if result is self.impl_instance else result)

    def copy(self, **kw: Any) -> TypeDecorator:
        """A copy sharing the underlying type (and with the same attributes)."""
        new = self.__class__.__new__(self.__class__)
        new.__dict__.update(self.__dict__)
        new.__dict__.pop("_token", None)
        if kw:
            new.impl_instance = self.impl_instance.copy(**kw)
        return new

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.impl_instance!r})"
