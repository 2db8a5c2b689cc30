"""The type compiler: renders a type's DDL name (``VARCHAR(50)``, ``NUMERIC(10, 2)``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.sql.visitors import build_dispatch

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.types.base import TypeEngine

__all__ = ["TypeCompiler"]


class TypeCompiler:
    """Renders DDL type names by ``visit_<type visit name>`` rules; dialects override rules."""

    _dispatch: ClassVar[dict[str, Callable[..., str]]] = {}

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        cls._dispatch = build_dispatch(cls)

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def process(self, type_: TypeEngine, **kw: Any) -> str:
        """Render the DDL name of ``type_`` (its dialect implementation) for this dialect."""
        impl = type_.dialect_impl(self.dialect)
        try:
            meth = self._dispatch[impl.__visit_name__]
        except KeyError:
            raise exc.UnsupportedCompilationError(
                f"The {self.dialect.name} type compiler has no DDL name for "
                f"{type(impl).__name__} (visit_{impl.__visit_name__})"
            ) from None
        return meth(self, impl, **kw)

    def visit_null(self, type_: TypeEngine, **kw: Any) -> str:
        raise exc.CompileError(
            "Can't render a DDL type for a column with no type (NullType); give the Column a type"
        )


TypeCompiler._dispatch = build_dispatch(TypeCompiler)
