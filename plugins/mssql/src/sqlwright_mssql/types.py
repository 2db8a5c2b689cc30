"""SQL Server's type names and type mappings.

Portable types render as: String -> VARCHAR(n) (VARCHAR(max) without a length), Unicode ->
NVARCHAR(n), Text -> VARCHAR(max), UnicodeText -> NVARCHAR(max), LargeBinary -> VARBINARY(max),
Boolean -> BIT, DateTime -> DATETIME2 (DATETIMEOFFSET with ``timezone=True``), Uuid ->
UNIQUEIDENTIFIER, Double -> FLOAT(53), JSON -> NVARCHAR(max). ``MSSQL_COLSPECS`` binds the
value handling, ``MSSQL_ISCHEMA_NAMES`` maps reflected type names back to types.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright.sql.type_compiler import TypeCompiler
from sqlwright.types import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    TypeEngine,
    Unicode,
    UnicodeText,
    Uuid,
)
from sqlwright.types.base import Processor

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = [
    "BIT", "DATETIME2", "DATETIMEOFFSET", "MONEY", "MSSQL_COLSPECS", "MSSQL_ISCHEMA_NAMES",
    "MSTypeCompiler", "SMALLMONEY", "TINYINT", "UNIQUEIDENTIFIER", "type_for_reflected",
]


def _unicode_literal(value: Any) -> str:
    return "N'" + str(value).replace("'", "''") + "'"


# -- SQL Server's own types ---------------------------------------------------------------------
class DATETIME2(DateTime):
    """``DATETIME2(precision)``: a date and time to 100 ns, no time zone."""

    __visit_name__ = "DATETIME2"
    _type_args: ClassVar[tuple[str, ...]] = ("precision",)

    def __init__(self, precision: int | None = None, timezone: bool = False) -> None:
        super().__init__(timezone=False)
        self.precision = precision


class DATETIMEOFFSET(DateTime):
    """``DATETIMEOFFSET(precision)``: a date and time with its UTC offset."""

    __visit_name__ = "DATETIMEOFFSET"
    _type_args: ClassVar[tuple[str, ...]] = ("precision",)

    def __init__(self, precision: int | None = None, timezone: bool = True) -> None:
        super().__init__(timezone=True)
        self.precision = precision


class BIT(Boolean):
    """``BIT``: 0, 1 or NULL, read as a Python bool."""

    __visit_name__ = "BIT"


class TINYINT(Integer):
    """``TINYINT``: 0 to 255."""

    __visit_name__ = "TINYINT"


class UNIQUEIDENTIFIER(Uuid):
    """``UNIQUEIDENTIFIER``: SQL Server's 16-byte UUID."""

    __visit_name__ = "UNIQUEIDENTIFIER"


class MONEY(Numeric):
    """``MONEY``: a fixed-point amount with four decimal places."""

    __visit_name__ = "MONEY"

    def __init__(self) -> None:
        super().__init__(precision=19, scale=4, asdecimal=True)


class SMALLMONEY(Numeric):
    """``SMALLMONEY``: MONEY's 4-byte variant."""

    __visit_name__ = "SMALLMONEY"

    def __init__(self) -> None:
        super().__init__(precision=10, scale=4, asdecimal=True)


# -- value handling (colspecs) ------------------------------------------------------------------
class MSString(String):
    """Strings: inline literals are written ``N'...'`` so no character is lost."""

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return _unicode_literal


class MSUuid(Uuid):
    """UUIDs travel as their 36-character text (pyodbc binds UNIQUEIDENTIFIER from it)."""

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        def process(value: Any) -> Any:
            if value is None:
                return None
            return str(value) if self.is_native(dialect) else uuid.UUID(str(value)).hex

        return process

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        bind = self.bind_processor(dialect)
        assert bind is not None
        return lambda value: "'" + str(bind(value)) + "'"


class MSTime(Time):
    """TIME values: pyodbc may hand back a string for TIME columns; read it as a ``time``."""

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        def process(value: Any) -> Any:
            if isinstance(value, str):
                return datetime.time.fromisoformat(value[:15])
            return value

        return process


class MSDateTime(DateTime):
    """Literals for DATETIME2 / DATETIMEOFFSET in the ISO form SQL Server always reads."""

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: "'" + value.isoformat(sep=" ") + "'"


MSSQL_COLSPECS: dict[type[TypeEngine], type[TypeEngine]] = {
    String: MSString,
    Uuid: MSUuid,
    Time: MSTime,
    DateTime: MSDateTime,
}

#: reflected type names (lower case, as INFORMATION_SCHEMA reports them) -> type classes
MSSQL_ISCHEMA_NAMES: dict[str, type[TypeEngine]] = {
    "int": Integer, "bigint": BigInteger, "smallint": SmallInteger, "tinyint": TINYINT,
    "bit": BIT, "decimal": Numeric, "numeric": Numeric, "money": MONEY, "smallmoney": SMALLMONEY,
    "float": Float, "real": Float, "char": String, "varchar": String, "nchar": Unicode,
    "nvarchar": Unicode, "text": Text, "ntext": UnicodeText, "date": Date, "time": Time,
    "datetime": DateTime, "datetime2": DATETIME2, "smalldatetime": DateTime,
    "datetimeoffset": DATETIMEOFFSET, "binary": LargeBinary, "varbinary": LargeBinary,
    "image": LargeBinary, "uniqueidentifier": UNIQUEIDENTIFIER, "xml": UnicodeText,
}


def type_for_reflected(name: str, length: int | None = None, precision: int | None = None,
                       scale: int | None = None) -> TypeEngine:
    """A type instance for a column INFORMATION_SCHEMA describes.

    ``length`` is CHARACTER_MAXIMUM_LENGTH (-1 means ``max``); unknown names give NullType.
    """
    from sqlwright.types import NullType

    cls = MSSQL_ISCHEMA_NAMES.get(name.lower())
    if cls is None:
        return NullType()
    if cls in (String, Unicode):
        if length == -1:
            return (UnicodeText if cls is Unicode else Text)()
        return cls(length)
    if cls is LargeBinary:
        return LargeBinary(None if length == -1 else length)
    if cls is Numeric:
        return Numeric(precision, scale)
    if cls is Float:
        return Float(precision) if name.lower() == "float" else Float()
    if cls in (DATETIME2, DATETIMEOFFSET):
        return cls(scale)
    return cls()


# -- DDL names ----------------------------------------------------------------------------------
def _length(type_: Any) -> str:
    length = getattr(type_, "length", None)
    return f"({length})" if length is not None else "(max)"


class MSTypeCompiler(TypeCompiler):
    """DDL type names for SQL Server."""

    def _collated(self, type_: Any, text: str) -> str:
        collation = getattr(type_, "collation", None)
        return f"{text} COLLATE {collation}" if collation else text

    def visit_string(self, type_: Any, **kw: Any) -> str:
        return self._collated(type_, "VARCHAR" + _length(type_))

    def visit_VARCHAR(self, type_: Any, **kw: Any) -> str:
        return self.visit_string(type_)

    def visit_unicode(self, type_: Any, **kw: Any) -> str:
        return self._collated(type_, "NVARCHAR" + _length(type_))

    def visit_NVARCHAR(self, type_: Any, **kw: Any) -> str:
        return self.visit_unicode(type_)

    def visit_text(self, type_: Any, **kw: Any) -> str:
        return self._collated(type_, "VARCHAR(max)")

    def visit_TEXT(self, type_: Any, **kw: Any) -> str:
        return self.visit_text(type_)

    def visit_CLOB(self, type_: Any, **kw: Any) -> str:
        return self.visit_text(type_)

    def visit_unicode_text(self, type_: Any, **kw: Any) -> str:
        return self._collated(type_, "NVARCHAR(max)")

    def visit_large_binary(self, type_: Any, **kw: Any) -> str:
        return "VARBINARY" + _length(type_)

    def visit_BLOB(self, type_: Any, **kw: Any) -> str:
        return self.visit_large_binary(type_)

    def visit_boolean(self, type_: Any, **kw: Any) -> str:
        return "BIT"

    visit_BOOLEAN = visit_BIT = visit_boolean

    def visit_TINYINT(self, type_: Any, **kw: Any) -> str:
        return "TINYINT"

    def visit_double(self, type_: Any, **kw: Any) -> str:
        return "FLOAT(53)"

    visit_DOUBLE = visit_DOUBLE_PRECISION = visit_double

    def visit_datetime(self, type_: Any, **kw: Any) -> str:
        return "DATETIMEOFFSET" if type_.timezone else "DATETIME2"

    def visit_TIMESTAMP(self, type_: Any, **kw: Any) -> str:
        # T-SQL's TIMESTAMP is a row version number, not a date and time
        return self.visit_datetime(type_)

    def visit_DATETIME2(self, type_: Any, **kw: Any) -> str:
        return "DATETIME2" + (f"({type_.precision})" if type_.precision is not None else "")

    def visit_DATETIMEOFFSET(self, type_: Any, **kw: Any) -> str:
        return "DATETIMEOFFSET" + (f"({type_.precision})" if type_.precision is not None else "")

    def visit_time(self, type_: Any, **kw: Any) -> str:
        return "TIME"

    def visit_TIME(self, type_: Any, **kw: Any) -> str:
        return "TIME"

    def visit_interval(self, type_: Any, **kw: Any) -> str:
        return "DATETIME2"

    def visit_uuid(self, type_: Any, **kw: Any) -> str:
        return "UNIQUEIDENTIFIER" if type_.is_native(self.dialect) else "CHAR(32)"

    def visit_UNIQUEIDENTIFIER(self, type_: Any, **kw: Any) -> str:
        return "UNIQUEIDENTIFIER"

    visit_UUID = visit_UNIQUEIDENTIFIER

    def visit_MONEY(self, type_: Any, **kw: Any) -> str:
        return "MONEY"

    def visit_SMALLMONEY(self, type_: Any, **kw: Any) -> str:
        return "SMALLMONEY"

    def visit_JSON(self, type_: Any, **kw: Any) -> str:
        return "NVARCHAR(max)"

    def visit_enum(self, type_: Any, **kw: Any) -> str:
        length = getattr(type_, "length", None) or max((len(v) for v in type_.enums), default=1)
        return f"VARCHAR({length})"



