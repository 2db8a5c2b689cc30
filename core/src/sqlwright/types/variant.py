"""Variant: one type on most dialects and another on the dialects named (``with_variant``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.types.base import TypeEngine

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = ["Variant"]


class Variant(TypeEngine):
    """A type that is ``base`` except on the dialects in ``mapping`` (name -> type).

    Built by :meth:`TypeEngine.with_variant`; expressions see the base type.
    """

    __visit_name__ = "variant"

    def __init__(self, base: TypeEngine, mapping: dict[str, TypeEngine]) -> None:
        self.base = base
        self.mapping = dict(mapping)

    @classmethod
    def wrap(cls, base: TypeEngine, variant: TypeEngine, names: Iterable[str]) -> Variant:
        """``base`` with ``variant`` used on each dialect in ``names``."""
        if isinstance(base, Variant):
            mapping, base = dict(base.mapping), base.base
        else:
            mapping = {}
        for name in names:
            if name in mapping:
                raise exc.ArgumentError(
                    f"A variant for dialect {name!r} is already given; call with_variant() "
                    "once per dialect")
            mapping[name] = variant
        return cls(base, mapping)

    @property
    def _static_cache_key(self) -> tuple[Any, ...]:
        return (Variant, self.base._static_cache_key,
                tuple(sorted((k, v._static_cache_key) for k, v in self.mapping.items())))

    @property
    def _type_affinity(self) -> type[TypeEngine]:
        return self.base._type_affinity

    @property
    def python_type(self) -> type:
        return self.base.python_type

    @property
    def comparator_factory(self) -> type[TypeEngine.Comparator]:  # type: ignore[override]
        """Operators behave as on the base type."""
        return self.base.comparator_factory

    def _dialect_adapt(self, dialect: Dialect) -> TypeEngine:
        chosen = self.mapping.get(dialect.name, self.base)
        return dialect.type_descriptor(chosen)

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        op, result = self.base._adapt_expression(op, other_type)
        return op, (self if result is self.base else result)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        result = self.base.coerce_compared_value(op, value)
        return self if result is self.base else result

    def copy(self, **kw: Any) -> Variant:
        """A copy with the base type's arguments replaced."""
        return Variant(self.base.copy(**kw), self.mapping)

    def __repr__(self) -> str:
        variants = ", ".join(f"{k}={v!r}" for k, v in self.mapping.items())
        return f"{self.base!r}.with_variant({variants})"
