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


def _args(*values: Any) -> str:
    """``(a, b)`` for the given non-None arguments, or the empty string."""
    given = [str(v) for v in values if v is not None]
    return f"({', '.join(given)})" if given else ""


class TypeCompiler:
    """Renders DDL type names by ``visit_<type visit name>`` rules; dialects override rules.

    The portable types render the standard SQL name here; a dialect's type compiler overrides
    only the names that differ on its database.
    """

    _dispatch: ClassVar[dict[str, Callable[..., str]]] = {}

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        cls._dispatch = build_dispatch(cls)

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def process(self, type_: TypeEngine, **kw: Any) -> str:
        """Render the DDL name of ``type_`` for this dialect.

        The rule is chosen by the type's own visit name (so ``TIMESTAMP`` stays TIMESTAMP even
        where the dialect's DateTime implementation handles its values); types that pick their
        implementation per dialect (TypeDecorator, with_variant) render that implementation.
        """
        impl = type_.dialect_impl(self.dialect) if hasattr(type_, "_dialect_adapt") else type_
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

    # -- helpers ------------------------------------------------------------------------------
    def _collate(self, type_: Any, text: str) -> str:
        collation = getattr(type_, "collation", None)
        if collation:
            return f"{text} COLLATE {self.dialect.identifier_preparer.quote(collation)}"
        return text

    def _varchar(self, name: str, type_: Any, kind: str) -> str:
        length = getattr(type_, "length", None)
        if length is None and self.dialect.features.requires_varchar_length:
            raise exc.CompileError(
                f"{self.dialect.name} needs a length for {name}; give the column a length, "
                f"e.g. {kind}(50)")
        return self._collate(type_, name + _args(length))

    # -- portable types -------------------------------------------------------------------------
    def visit_integer(self, type_: Any, **kw: Any) -> str:
        return "INTEGER"

    def visit_small_integer(self, type_: Any, **kw: Any) -> str:
        return "SMALLINT"

    def visit_big_integer(self, type_: Any, **kw: Any) -> str:
        return "BIGINT"

    def visit_float(self, type_: Any, **kw: Any) -> str:
        return "FLOAT" + _args(type_.precision)

    def visit_double(self, type_: Any, **kw: Any) -> str:
        return "DOUBLE PRECISION"

    def visit_numeric(self, type_: Any, **kw: Any) -> str:
        if type_.precision is None:
            return "NUMERIC"
        return "NUMERIC" + _args(type_.precision, type_.scale)

    def visit_string(self, type_: Any, **kw: Any) -> str:
        return self._varchar("VARCHAR", type_, "String")

    def visit_unicode(self, type_: Any, **kw: Any) -> str:
        return self._varchar("VARCHAR", type_, "Unicode")

    def visit_text(self, type_: Any, **kw: Any) -> str:
        return self._collate(type_, "TEXT" + _args(type_.length))

    def visit_unicode_text(self, type_: Any, **kw: Any) -> str:
        return self._collate(type_, "TEXT" + _args(type_.length))

    def visit_boolean(self, type_: Any, **kw: Any) -> str:
        return "BOOLEAN"

    def visit_date(self, type_: Any, **kw: Any) -> str:
        return "DATE"

    def visit_datetime(self, type_: Any, **kw: Any) -> str:
        if type_.timezone and self.dialect.features.supports_timezone:
            return "TIMESTAMP WITH TIME ZONE"
        return "DATETIME"

    def visit_time(self, type_: Any, **kw: Any) -> str:
        if type_.timezone and self.dialect.features.supports_timezone:
            return "TIME WITH TIME ZONE"
        return "TIME"

    def visit_interval(self, type_: Any, **kw: Any) -> str:
        if type_.is_native(self.dialect):
            return "INTERVAL"
        from sqlwright.types.sqltypes import DateTime

        return self.process(DateTime())

    def visit_large_binary(self, type_: Any, **kw: Any) -> str:
        return "BLOB" + _args(type_.length)

    def visit_uuid(self, type_: Any, **kw: Any) -> str:
        if type_.is_native(self.dialect):
            return "UUID"
        return "CHAR(32)"

    def visit_JSON(self, type_: Any, **kw: Any) -> str:
        return "JSON"

    def visit_enum(self, type_: Any, **kw: Any) -> str:
        if type_.is_native(self.dialect):
            values = ", ".join("'" + v.replace("'", "''") + "'" for v in type_.enums)
            return f"ENUM({values})"
        return self._varchar("VARCHAR", type_, "Enum")

    def visit_type_decorator(self, type_: Any, **kw: Any) -> str:
        return self.process(type_.load_dialect_impl(self.dialect), **kw)

    # -- the SQL-named types (INTEGER, VARCHAR ...) -----------------------------------------------
    def visit_INTEGER(self, type_: Any, **kw: Any) -> str:
        return "INTEGER"

    def visit_SMALLINT(self, type_: Any, **kw: Any) -> str:
        return "SMALLINT"

    def visit_BIGINT(self, type_: Any, **kw: Any) -> str:
        return "BIGINT"

    def visit_FLOAT(self, type_: Any, **kw: Any) -> str:
        return "FLOAT" + _args(type_.precision)

    def visit_REAL(self, type_: Any, **kw: Any) -> str:
        return "REAL"

    def visit_DOUBLE(self, type_: Any, **kw: Any) -> str:
        return "DOUBLE"

    def visit_DOUBLE_PRECISION(self, type_: Any, **kw: Any) -> str:
        return "DOUBLE PRECISION"

    def visit_NUMERIC(self, type_: Any, **kw: Any) -> str:
        return self.visit_numeric(type_)

    def visit_DECIMAL(self, type_: Any, **kw: Any) -> str:
        if type_.precision is None:
            return "DECIMAL"
        return "DECIMAL" + _args(type_.precision, type_.scale)

    def visit_VARCHAR(self, type_: Any, **kw: Any) -> str:
        return self._varchar("VARCHAR", type_, "VARCHAR")

    def visit_NVARCHAR(self, type_: Any, **kw: Any) -> str:
        return self._varchar("NVARCHAR", type_, "NVARCHAR")

    def visit_CHAR(self, type_: Any, **kw: Any) -> str:
        return self._collate(type_, "CHAR" + _args(type_.length))

    def visit_NCHAR(self, type_: Any, **kw: Any) -> str:
        return self._collate(type_, "NCHAR" + _args(type_.length))

    def visit_TEXT(self, type_: Any, **kw: Any) -> str:
        return self._collate(type_, "TEXT" + _args(type_.length))

    def visit_CLOB(self, type_: Any, **kw: Any) -> str:
        return "CLOB" + _args(type_.length)

    def visit_BOOLEAN(self, type_: Any, **kw: Any) -> str:
        return "BOOLEAN"

    def visit_DATE(self, type_: Any, **kw: Any) -> str:
        return "DATE"

    def visit_DATETIME(self, type_: Any, **kw: Any) -> str:
        return "DATETIME"

    def visit_TIMESTAMP(self, type_: Any, **kw: Any) -> str:
        return "TIMESTAMP WITH TIME ZONE" if type_.timezone else "TIMESTAMP"

    def visit_TIME(self, type_: Any, **kw: Any) -> str:
        return "TIME WITH TIME ZONE" if type_.timezone else "TIME"

    def visit_BLOB(self, type_: Any, **kw: Any) -> str:
        return "BLOB" + _args(type_.length)

    def visit_BINARY(self, type_: Any, **kw: Any) -> str:
        return "BINARY" + _args(type_.length)

    def visit_VARBINARY(self, type_: Any, **kw: Any) -> str:
        return "VARBINARY" + _args(type_.length)

    def visit_UUID(self, type_: Any, **kw: Any) -> str:
        return "UUID"


TypeCompiler._dispatch = build_dispatch(TypeCompiler)
