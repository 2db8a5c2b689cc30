"""SQLite's type names and type mappings.

SQLite stores dates and times as text, has no exact decimal type and no boolean type. The
implementations here store dates and times as ISO 8601 strings (which sort and compare
correctly as text), send Decimals as strings, and read them all back as Python objects.
``SQLITE_COLSPECS`` binds them to the dialect; ``SQLITE_ISCHEMA_NAMES`` maps reflected
declared types to portable types.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlwright.sql.type_compiler import TypeCompiler
from sqlwright.types import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Double,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    TypeEngine,
)
from sqlwright.types.base import Processor, sql_string_literal
from sqlwright.types.sqltypes import to_decimal_processor

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = [
    "SQLITE_COLSPECS", "SQLITE_ISCHEMA_NAMES", "SQLiteDate", "SQLiteDateTime", "SQLiteNumeric",
    "SQLiteTime", "SQLiteTypeCompiler", "type_for_declared_name",
]

_DATETIME_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$")
_TIME_RE = re.compile(r"(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")


def _tzinfo(text: str | None) -> datetime.tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return datetime.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    delta = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
    return datetime.timezone(sign * delta)


def _micro(text: str | None) -> int:
    return int(text.ljust(6, "0")) if text else 0


def _bad_value(kind: str, value: Any) -> ValueError:
    return ValueError(
        f"Couldn't read {value!r} as a {kind}: SQLite stores {kind} values as ISO 8601 text "
        "(e.g. '2024-01-31 13:45:00.000000'); fix the stored value or read the column as String")


def parse_datetime(value: str) -> datetime.datetime:
    """A datetime from SQLite text: ``YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][±HH:MM]``."""
    match = _DATETIME_RE.match(value.strip())
    if match is None:
        raise _bad_value("datetime", value)
    y, mo, d, h, mi, s, frac, tz = match.groups()
    return datetime.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                             _micro(frac), _tzinfo(tz))


def parse_time(value: str) -> datetime.time:
    """A time from SQLite text: ``HH:MM[:SS[.ffffff]][±HH:MM]``."""
    match = _TIME_RE.match(value.strip())
    if match is None:
        raise _bad_value("time", value)
    h, mi, s, frac, tz = match.groups()
    return datetime.time(int(h), int(mi), int(s or 0), _micro(frac), _tzinfo(tz))


def _offset(value: datetime.datetime | datetime.time) -> str:
    offset = value.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def format_datetime(value: datetime.datetime) -> str:
    """SQLite text for a datetime, with microseconds always, so values sort as text."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") + _offset(value)


class _StoredAsText:
    """Dates and times kept as ISO text: parsed back on read, rendered inline as a string."""

    def _parse(self, text: str) -> Any:
        raise NotImplementedError

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        raise NotImplementedError

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        parse = self._parse

        def process(value: Any) -> Any:
            return parse(value) if isinstance(value, str) else value

        return process

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        bind = self.bind_processor(dialect)
        assert bind is not None
        return lambda value: sql_string_literal(bind(value), dialect)


class SQLiteDateTime(_StoredAsText, DateTime):
    """DateTime stored as ``'YYYY-MM-DD HH:MM:SS.ffffff'`` text (plus ``±HH:MM`` if aware)."""

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        def process(value: Any) -> Any:
            if value is None or isinstance(value, str):
                return value
            if isinstance(value, datetime.datetime):
                return format_datetime(value)
            if isinstance(value, datetime.date):
                return format_datetime(datetime.datetime(value.year, value.month, value.day))
            raise TypeError(
                f"A DateTime column takes datetime.datetime values, not {type(value).__name__} "
                f"({value!r})")

        return process

    @staticmethod
    def _parse(text: str) -> Any:
        return parse_datetime(text)



class SQLiteDate(_StoredAsText, Date):
    """Date stored as ``'YYYY-MM-DD'`` text."""

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        def process(value: Any) -> Any:
            if value is None or isinstance(value, str):
                return value
            if isinstance(value, datetime.datetime):
                value = value.date()
            if isinstance(value, datetime.date):
                return value.isoformat()
            raise TypeError(
                f"A Date column takes datetime.date values, not {type(value).__name__} "
                f"({value!r})")

        return process

    @staticmethod
    def _parse(text: str) -> Any:
        return parse_datetime(text).date()



class SQLiteTime(_StoredAsText, Time):
    """Time stored as ``'HH:MM:SS.ffffff'`` text (plus ``±HH:MM`` if aware)."""

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        def process(value: Any) -> Any:
            if value is None or isinstance(value, str):
                return value
            if isinstance(value, datetime.time):
                return value.strftime("%H:%M:%S.%f") + _offset(value)
            raise TypeError(
                f"A Time column takes datetime.time values, not {type(value).__name__} "
                f"({value!r})")

        return process

    @staticmethod
    def _parse(text: str) -> Any:
        return parse_time(text)



def _decimal_to_str(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


class SQLiteNumeric(Numeric):
    """Numeric: Decimals are sent as text (SQLite converts them by the column's affinity) and
    read back as Decimals rounded to the column's scale."""

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        return _decimal_to_str

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        if self.asdecimal:
            return to_decimal_processor(self._effective_decimal_return_scale)
        return _to_float_or_none


def _to_float_or_none(value: Any) -> Any:
    if value is None or isinstance(value, float):
        return value
    return float(value)


class SQLiteFloat(Float):
    """Float: Decimals are sent as floats (SQLite cannot bind Decimal)."""

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        def process(value: Any) -> Any:
            return float(value) if isinstance(value, decimal.Decimal) else value

        return process


#: portable type -> SQLite implementation (bind with ``Dialect.colspecs``)
SQLITE_COLSPECS: dict[type[TypeEngine], type[TypeEngine]] = {
    DateTime: SQLiteDateTime,
    Date: SQLiteDate,
    Time: SQLiteTime,
    Numeric: SQLiteNumeric,
    Float: SQLiteFloat,
}

#: declared type name (upper case, without arguments) -> portable type
SQLITE_ISCHEMA_NAMES: dict[str, type[TypeEngine]] = {
    "BIGINT": BigInteger,
    "BLOB": LargeBinary,
    "BOOL": Boolean,
    "BOOLEAN": Boolean,
    "CHAR": String,
    "DATE": Date,
    "DATE_CHAR": Date,
    "DATETIME": DateTime,
    "DATETIME_CHAR": DateTime,
    "DECIMAL": Numeric,
    "DOUBLE": Double,
    "DOUBLE PRECISION": Double,
    "FLOAT": Float,
    "INT": Integer,
    "INTEGER": Integer,
    "JSON": JSON,
    "MEDIUMINT": Integer,
    "NCHAR": String,
    "NUMERIC": Numeric,
    "NVARCHAR": String,
    "REAL": Float,
    "SMALLINT": SmallInteger,
    "TEXT": Text,
    "TIME": Time,
    "TIME_CHAR": Time,
    "TIMESTAMP": DateTime,
    "TINYINT": SmallInteger,
    "VARCHAR": String,
    "VARYING CHARACTER": String,
    "NATIVE CHARACTER": String,
    "CLOB": Text,
}

_DECLARED = re.compile(r"^\s*([A-Za-z_ ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$")


def type_for_declared_name(declared: str) -> TypeEngine:
    """The portable type for a column's declared SQLite type (``VARCHAR(30)``, ``NUMERIC(10,2)``).

    Names not in ``SQLITE_ISCHEMA_NAMES`` follow SQLite's affinity rules: a name containing
    INT is Integer, CHAR/CLOB/TEXT is Text, BLOB (or no name) is LargeBinary, REAL/FLOA/DOUB
    is Float, anything else Numeric.
    """
    match = _DECLARED.match(declared or "")
    name = match.group(1).upper() if match else (declared or "").upper()
    args = [int(a) for a in match.groups()[1:] if a is not None] if match else []
    cls = SQLITE_ISCHEMA_NAMES.get(name)
    if cls is None:
        cls = _affinity_type(name)
    if args and issubclass(cls, (String, LargeBinary)) and not issubclass(cls, Text):
        return cls(args[0])
    if args and issubclass(cls, Numeric) and not issubclass(cls, Float):
        return cls(*args)  # type: ignore[arg-type]
    return cls()


def _affinity_type(name: str) -> type[TypeEngine]:
    if "INT" in name:
        return Integer
    if any(part in name for part in ("CHAR", "CLOB", "TEXT")):
        return Text
    if "BLOB" in name or not name:
        return LargeBinary
    if any(part in name for part in ("REAL", "FLOA", "DOUB")):
        return Float
    return Numeric


class SQLiteTypeCompiler(TypeCompiler):
    """DDL type names for SQLite: the standard names except where affinity needs another.

    SQLite picks a column's storage affinity from its declared name, so the names here keep
    each type's values stored as the type reads them: Uuid as CHAR (text affinity, so hex that
    looks numeric stays text).
    """

    def visit_double(self, type_: Any, **kw: Any) -> str:
        return "DOUBLE"

    def visit_JSON(self, type_: Any, **kw: Any) -> str:
        return "JSON"
