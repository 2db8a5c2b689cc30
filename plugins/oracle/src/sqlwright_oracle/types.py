"""Oracle's type names and type mappings.

Portable types render as: Integer -> INTEGER, BigInteger -> NUMBER(19), SmallInteger ->
NUMBER(5), Numeric(p, s) -> NUMBER(p, s), Float -> FLOAT, Double -> BINARY_DOUBLE, String(n) ->
VARCHAR2(n CHAR), Unicode(n) -> NVARCHAR2(n), Text -> CLOB, UnicodeText -> NCLOB, LargeBinary
-> BLOB, Date -> DATE, DateTime -> TIMESTAMP (TIMESTAMP WITH TIME ZONE with ``timezone=True``),
Interval -> INTERVAL DAY TO SECOND, Boolean -> NUMBER(1) before 23ai (BOOLEAN from 23ai), Uuid
-> RAW(16), JSON -> CLOB before 21c (JSON from 21c). ``ORACLE_COLSPECS`` binds the value
handling, ``ORACLE_ISCHEMA_NAMES`` maps reflected type names back to types.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlwright.sql.type_compiler import TypeCompiler
from sqlwright.types import (
    BigInteger,
    Date,
    DateTime,
    Double,
    Float,
    Integer,
    Interval,
    LargeBinary,
    NullType,
    Numeric,
    String,
    Text,
    TypeEngine,
    Unicode,
    UnicodeText,
    Uuid,
)
from sqlwright.types.base import Processor

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = [
    "BINARY_DOUBLE", "BINARY_FLOAT", "NCLOB", "NUMBER", "NVARCHAR2", "ORACLE_COLSPECS",
    "ORACLE_ISCHEMA_NAMES", "OracleTypeCompiler", "RAW", "VARCHAR2", "type_for_reflected",
]


# -- Oracle's own types -------------------------------------------------------------------------
class NUMBER(Numeric):
    """``NUMBER(p, s)``; reads as int when the scale is 0, else as Decimal."""

    __visit_name__ = "NUMBER"


class VARCHAR2(String):
    """``VARCHAR2(n)``."""

    __visit_name__ = "VARCHAR2"


class NVARCHAR2(Unicode):
    """``NVARCHAR2(n)``."""

    __visit_name__ = "NVARCHAR2"


class NCLOB(UnicodeText):
    """``NCLOB``: national character large object."""

    __visit_name__ = "NCLOB"


class RAW(LargeBinary):
    """``RAW(n)``: up to 2000 bytes."""

    __visit_name__ = "RAW"


class BINARY_FLOAT(Float):
    """``BINARY_FLOAT``: IEEE single precision."""

    __visit_name__ = "BINARY_FLOAT"


class BINARY_DOUBLE(Double):
    """``BINARY_DOUBLE``: IEEE double precision."""

    __visit_name__ = "BINARY_DOUBLE"


# -- value handling (colspecs) ------------------------------------------------------------------
class OracleUuid(Uuid):
    """UUIDs stored as RAW(16): bound and read as their 16 bytes."""

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        def process(value: Any) -> Any:
            if value is None:
                return None
            return (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).bytes

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        as_uuid = self.as_uuid

        def process(value: Any) -> Any:
            if value is None:
                return None
            found = uuid.UUID(bytes=bytes(value))
            return found if as_uuid else str(found)

        return process

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: f"HEXTORAW('{uuid.UUID(str(value)).hex.upper()}')"


class OracleDate(Date):
    """Oracle's DATE holds a time of day too: read it back as a ``date``."""

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        def process(value: Any) -> Any:
            return value.date() if isinstance(value, datetime.datetime) else value

        return process

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: f"DATE '{value.isoformat()}'"


class OracleDateTime(DateTime):
    """Inline timestamps as ``TIMESTAMP '...'`` literals."""

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: f"TIMESTAMP '{value.isoformat(sep=' ')}'"


class OracleLargeBinary(LargeBinary):
    """BLOB values: thin-mode LOB objects are read into bytes."""

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        def process(value: Any) -> Any:
            if value is None or type(value) is bytes:
                return value
            read = getattr(value, "read", None)
            return bytes(read()) if read is not None else bytes(value)

        return process

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: f"HEXTORAW('{bytes(value).hex().upper()}')"


class OracleText(Text):
    """CLOB values: thin-mode LOB objects are read into str."""

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        def process(value: Any) -> Any:
            read = getattr(value, "read", None)
            return read() if read is not None else value

        return process


ORACLE_COLSPECS: dict[type[TypeEngine], type[TypeEngine]] = {
    Uuid: OracleUuid,
    Date: OracleDate,
    DateTime: OracleDateTime,
    LargeBinary: OracleLargeBinary,
    Text: OracleText,
}

#: reflected type names (as ALL_TAB_COLUMNS.DATA_TYPE reports them) -> type classes
ORACLE_ISCHEMA_NAMES: dict[str, type[TypeEngine]] = {
    "NUMBER": NUMBER, "FLOAT": Float, "BINARY_FLOAT": BINARY_FLOAT,
    "BINARY_DOUBLE": BINARY_DOUBLE, "VARCHAR2": VARCHAR2, "VARCHAR": VARCHAR2,
    "NVARCHAR2": NVARCHAR2, "CHAR": String, "NCHAR": Unicode, "CLOB": Text, "NCLOB": NCLOB,
    "LONG": Text, "BLOB": LargeBinary, "RAW": RAW, "LONG RAW": LargeBinary, "DATE": DateTime,
    "TIMESTAMP": DateTime, "TIMESTAMP WITH TIME ZONE": DateTime,
    "TIMESTAMP WITH LOCAL TIME ZONE": DateTime, "INTERVAL DAY TO SECOND": Interval,
}


def type_for_reflected(name: str, length: int | None = None, precision: int | None = None,
                       scale: int | None = None) -> TypeEngine:
    """A type instance for a column ALL_TAB_COLUMNS describes (DATA_TYPE, CHAR_LENGTH,
    DATA_PRECISION, DATA_SCALE). ``NUMBER(p, 0)`` reads as an integer type; unknown names
    give NullType."""
    base = name.split("(")[0].strip().upper()
    if base.startswith("TIMESTAMP"):
        return DateTime(timezone="TIME ZONE" in name.upper())
    if base.startswith("INTERVAL DAY"):
        return Interval()
    if base == "NUMBER":
        if scale == 0 and precision is not None:
            return BigInteger() if precision > 10 else Integer()
        if precision is None and scale is None:
            return NUMBER()
        return NUMBER(precision, scale)
    cls = ORACLE_ISCHEMA_NAMES.get(base)
    if cls is None:
        return NullType()
    if cls in (VARCHAR2, NVARCHAR2, String, Unicode):
        return cls(length)
    if cls is RAW:
        return Uuid() if length == 16 else RAW(length)
    if cls is Float:
        return Float(precision)
    return cls()


# -- DDL names ----------------------------------------------------------------------------------
def _args(*values: Any) -> str:
    given = [str(v) for v in values if v is not None]
    return f"({', '.join(given)})" if given else ""


class OracleTypeCompiler(TypeCompiler):
    """DDL type names for Oracle."""

    def visit_integer(self, type_: Any, **kw: Any) -> str:
        return "INTEGER"

    def visit_big_integer(self, type_: Any, **kw: Any) -> str:
        return "NUMBER(19)"

    visit_BIGINT = visit_big_integer

    def visit_small_integer(self, type_: Any, **kw: Any) -> str:
        return "NUMBER(5)"

    visit_SMALLINT = visit_small_integer

    def visit_numeric(self, type_: Any, **kw: Any) -> str:
        return "NUMBER" + _args(type_.precision, type_.scale if type_.precision else None)

    visit_NUMERIC = visit_DECIMAL = visit_NUMBER = visit_numeric

    def visit_float(self, type_: Any, **kw: Any) -> str:
        return "FLOAT" + _args(getattr(type_, "precision", None))

    def visit_double(self, type_: Any, **kw: Any) -> str:
        return "BINARY_DOUBLE"

    visit_DOUBLE = visit_DOUBLE_PRECISION = visit_BINARY_DOUBLE = visit_double

    def visit_REAL(self, type_: Any, **kw: Any) -> str:
        return "BINARY_FLOAT"

    visit_BINARY_FLOAT = visit_REAL

    def visit_string(self, type_: Any, **kw: Any) -> str:
        return self._varchar("VARCHAR2", type_, "String")

    visit_VARCHAR = visit_VARCHAR2 = visit_string

    def visit_unicode(self, type_: Any, **kw: Any) -> str:
        return self._varchar("NVARCHAR2", type_, "Unicode")

    visit_NVARCHAR = visit_NVARCHAR2 = visit_unicode

    def visit_text(self, type_: Any, **kw: Any) -> str:
        return "CLOB"

    visit_TEXT = visit_CLOB = visit_text

    def visit_unicode_text(self, type_: Any, **kw: Any) -> str:
        return "NCLOB"

    visit_NCLOB = visit_unicode_text

    def visit_large_binary(self, type_: Any, **kw: Any) -> str:
        return "BLOB"

    visit_BLOB = visit_large_binary

    def visit_RAW(self, type_: Any, **kw: Any) -> str:
        return "RAW" + _args(type_.length)

    def visit_VARBINARY(self, type_: Any, **kw: Any) -> str:
        return "RAW" + _args(type_.length or 2000)

    def visit_boolean(self, type_: Any, **kw: Any) -> str:
        return "BOOLEAN" if self.dialect.features.supports_native_boolean else "NUMBER(1)"

    visit_BOOLEAN = visit_boolean

    def visit_datetime(self, type_: Any, **kw: Any) -> str:
        return "TIMESTAMP WITH TIME ZONE" if type_.timezone else "TIMESTAMP"

    visit_DATETIME = visit_datetime

    def visit_time(self, type_: Any, **kw: Any) -> str:
        # Oracle has no time-of-day type; a TIMESTAMP holds it (on day 1970-01-01)
        return "TIMESTAMP"

    visit_TIME = visit_time

    def visit_interval(self, type_: Any, **kw: Any) -> str:
        return "INTERVAL DAY TO SECOND"

    def visit_uuid(self, type_: Any, **kw: Any) -> str:
        return "RAW(16)"

    visit_UUID = visit_uuid

    def visit_JSON(self, type_: Any, **kw: Any) -> str:
        return "JSON" if self.dialect.features.supports_json else "CLOB"

    def visit_enum(self, type_: Any, **kw: Any) -> str:
        length = getattr(type_, "length", None) or max((len(v) for v in type_.enums), default=1)
        return f"VARCHAR2({length})"
