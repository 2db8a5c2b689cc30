"""MySQL's and MariaDB's types: the dialect-specific ones, the type compiler, and the maps.

The upper-case classes are the database's own types with their options (``INTEGER(unsigned=
True)``, ``DATETIME(fsp=6)``, ``ENUM``, ``SET``, ``LONGTEXT(charset="latin1")``); each behaves as
its portable family (an ``INTEGER`` is an :class:`~sqlwright.types.Integer`). ``MYSQL_COLSPECS``
binds the implementations the driver needs (PyMySQL returns TIME columns as timedeltas) and
``MYSQL_ISCHEMA_NAMES`` maps reflected type names to these classes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.sql.type_compiler import TypeCompiler
from sqlwright.types import JSON as _JSON
from sqlwright.types import (
    NULLTYPE,
    Boolean,
    Enum,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    TypeEngine,
    Uuid,
)
from sqlwright.types import standard as _std
from sqlwright.types.base import Processor, sql_string_literal

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = [
    "BIGINT", "BINARY", "BIT", "BLOB", "BOOLEAN", "CHAR", "DATE", "DATETIME", "DECIMAL",
    "DOUBLE", "ENUM", "FLOAT", "INTEGER", "JSON", "LONGBLOB", "LONGTEXT", "MEDIUMBLOB",
    "MEDIUMINT", "MEDIUMTEXT", "MYSQL_COLSPECS", "MYSQL_ISCHEMA_NAMES", "MySQLTime",
    "MySQLTypeCompiler", "NUMERIC", "REAL", "SET", "SMALLINT", "TEXT", "TIME", "TIMESTAMP",
    "TINYBLOB", "TINYINT", "TINYTEXT", "VARBINARY", "VARCHAR", "YEAR", "type_for_column_type",
]


# -- numbers -----------------------------------------------------------------------------------
class _IntegerOptions:
    """``display_width``, ``unsigned`` and ``zerofill`` of MySQL's integer types."""

    _type_args: ClassVar[tuple[str, ...]] = ("display_width", "unsigned", "zerofill")

    def __init__(self, display_width: int | None = None, unsigned: bool = False,
                 zerofill: bool = False) -> None:
        self.display_width = display_width
        self.unsigned = unsigned
        self.zerofill = zerofill


class TINYINT(_IntegerOptions, Integer):
    """``TINYINT``: -128..127, or 0..255 with ``unsigned=True``."""

    __visit_name__ = "TINYINT"


class SMALLINT(_IntegerOptions, _std.SMALLINT):
    """``SMALLINT``, with MySQL's ``display_width`` / ``unsigned`` / ``zerofill``."""


class MEDIUMINT(_IntegerOptions, Integer):
    """``MEDIUMINT``: three bytes, -8388608..8388607 (0..16777215 unsigned)."""

    __visit_name__ = "MEDIUMINT"


class INTEGER(_IntegerOptions, _std.INTEGER):
    """``INTEGER``, with MySQL's ``display_width`` / ``unsigned`` / ``zerofill``."""


class BIGINT(_IntegerOptions, _std.BIGINT):
    """``BIGINT``, with MySQL's ``display_width`` / ``unsigned`` / ``zerofill``."""


class _DecimalOptions:
    _type_args: ClassVar[tuple[str, ...]] = (
        "precision", "scale", "asdecimal", "decimal_return_scale", "unsigned", "zerofill")

    def __init__(self, precision: int | None = None, scale: int | None = None,
                 asdecimal: bool = True, decimal_return_scale: int | None = None,
                 unsigned: bool = False, zerofill: bool = False) -> None:
        super().__init__(precision, scale, asdecimal, decimal_return_scale)  # type: ignore[call-arg]
        self.unsigned = unsigned
        self.zerofill = zerofill


class DECIMAL(_DecimalOptions, _std.DECIMAL):
    """``DECIMAL(precision, scale)``, optionally ``unsigned``."""


class NUMERIC(_DecimalOptions, _std.NUMERIC):
    """``NUMERIC(precision, scale)`` (the same as DECIMAL on MySQL), optionally ``unsigned``."""


class _FloatOptions:
    _type_args: ClassVar[tuple[str, ...]] = (
        "precision", "asdecimal", "decimal_return_scale", "unsigned", "zerofill")

    def __init__(self, precision: int | None = None, asdecimal: bool = False,
                 decimal_return_scale: int | None = None, unsigned: bool = False,
                 zerofill: bool = False) -> None:
        super().__init__(precision, asdecimal, decimal_return_scale)  # type: ignore[call-arg]
        self.unsigned = unsigned
        self.zerofill = zerofill


class FLOAT(_FloatOptions, _std.FLOAT):
    """``FLOAT``: single precision (``precision`` above 24 makes it a DOUBLE)."""


class DOUBLE(_FloatOptions, _std.DOUBLE):
    """``DOUBLE``: double precision."""


class REAL(_FloatOptions, _std.REAL):
    """``REAL``: DOUBLE on MySQL unless the REAL_AS_FLOAT SQL mode is on."""


class BIT(TypeEngine):
    """``BIT(length)``: a bit field of 1..64 bits, read and written as a Python int."""

    __visit_name__ = "BIT"
    python_type_hint = int
    _type_args: ClassVar[tuple[str, ...]] = ("length",)

    def __init__(self, length: int | None = None) -> None:
        self.length = length

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        def process(value: Any) -> Any:
            if isinstance(value, (bytes, bytearray)):
                return int.from_bytes(value, "big")
            return value

        return process


class YEAR(TypeEngine):
    """``YEAR``: a year from 1901 to 2155, as a Python int."""

    __visit_name__ = "YEAR"
    python_type_hint = int
    _type_args: ClassVar[tuple[str, ...]] = ("display_width",)

    def __init__(self, display_width: int | None = None) -> None:
        self.display_width = display_width


class BOOLEAN(_std.BOOLEAN):
    """``BOOL``: MySQL's boolean, which is ``TINYINT(1)`` holding 0 or 1."""


# -- dates and times ---------------------------------------------------------------------------
def _timedelta_to_time(value: Any) -> Any:
    if not isinstance(value, datetime.timedelta):
        return value
    micros = value // datetime.timedelta(microseconds=1)
    if not 0 <= micros < 86_400_000_000:
        raise ValueError(
            f"The TIME value {value} is not a time of day (MySQL TIME spans -838:59:59 to "
            "838:59:59); read the column with the Interval type to get a timedelta")
    seconds, micro = divmod(micros, 1_000_000)
    return datetime.time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


class MySQLTime(Time):
    """Time: PyMySQL returns TIME columns as timedeltas; they read as ``datetime.time``."""

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        return _timedelta_to_time


class _FspOptions:
    _type_args: ClassVar[tuple[str, ...]] = ("timezone", "fsp")

    def __init__(self, timezone: bool = False, fsp: int | None = None) -> None:
        super().__init__(timezone)  # type: ignore[call-arg]
        if fsp is not None and not 0 <= fsp <= 6:
            raise exc.ArgumentError(
                f"fsp={fsp} is out of range: MySQL keeps 0 to 6 digits of fractional seconds")
        self.fsp = fsp


class DATETIME(_FspOptions, _std.DATETIME):
    """``DATETIME(fsp)``: ``fsp=6`` keeps microseconds (the default keeps whole seconds)."""


class TIMESTAMP(_FspOptions, _std.TIMESTAMP):
    """``TIMESTAMP(fsp)``: stored in UTC, shown in the session's time zone."""


class TIME(_FspOptions, MySQLTime, _std.TIME):
    """``TIME(fsp)``, read as ``datetime.time``."""


class DATE(_std.DATE):
    """``DATE``."""


# -- strings -----------------------------------------------------------------------------------
class _StringOptions:
    """``charset`` and ``collation`` of MySQL's character types."""

    _type_args: ClassVar[tuple[str, ...]] = ("length", "collation", "charset")

    def __init__(self, length: int | None = None, collation: str | None = None,
                 charset: str | None = None) -> None:
        super().__init__(length, collation)  # type: ignore[call-arg]
        self.charset = charset


class CHAR(_StringOptions, _std.CHAR):
    """``CHAR(length)``, with optional ``charset`` / ``collation``."""


class VARCHAR(_StringOptions, _std.VARCHAR):
    """``VARCHAR(length)``, with optional ``charset`` / ``collation``."""


class TEXT(_StringOptions, _std.TEXT):
    """``TEXT``: up to 64 KB."""


class TINYTEXT(_StringOptions, Text):
    """``TINYTEXT``: up to 255 bytes."""

    __visit_name__ = "TINYTEXT"


class MEDIUMTEXT(_StringOptions, Text):
    """``MEDIUMTEXT``: up to 16 MB."""

    __visit_name__ = "MEDIUMTEXT"


class LONGTEXT(_StringOptions, Text):
    """``LONGTEXT``: up to 4 GB."""

    __visit_name__ = "LONGTEXT"


class BINARY(_std.BINARY):
    """``BINARY(length)``: fixed-length bytes."""


class VARBINARY(_std.VARBINARY):
    """``VARBINARY(length)``."""


class BLOB(_std.BLOB):
    """``BLOB``: up to 64 KB."""


class TINYBLOB(LargeBinary):
    """``TINYBLOB``: up to 255 bytes."""

    __visit_name__ = "TINYBLOB"


class MEDIUMBLOB(LargeBinary):
    """``MEDIUMBLOB``: up to 16 MB."""

    __visit_name__ = "MEDIUMBLOB"


class LONGBLOB(LargeBinary):
    """``LONGBLOB``: up to 4 GB."""

    __visit_name__ = "LONGBLOB"


class ENUM(Enum):
    """MySQL's native ``ENUM('a', 'b')``: the portable :class:`~sqlwright.types.Enum`, always
    native on this dialect."""


class SET(String):
    """``SET('a', 'b', 'c')``: any combination of the listed strings.

    Bind a Python set (or any iterable of the strings, or a comma-separated string); values
    read back as a ``set`` of strings. Values may not contain commas.
    """

    __visit_name__ = "SET"
    python_type_hint = set  # type: ignore[assignment]
    _type_args: ClassVar[tuple[str, ...]] = ("values", "collation", "charset")

    def __init__(self, *values: str, collation: str | None = None,
                 charset: str | None = None) -> None:
        if not values:
            raise exc.ArgumentError("SET() needs its allowed values: SET('read', 'write')")
        bad = [v for v in values if not isinstance(v, str) or "," in v]
        if bad:
            raise exc.ArgumentError(
                f"SET values must be strings without commas; fix {', '.join(map(repr, bad))}")
        self.values = tuple(values)
        self.charset = charset
        super().__init__(max(len(",".join(values)), 1), collation)

    def copy(self, **kw: Any) -> SET:
        """A copy with ``collation`` / ``charset`` replaced; the values stay."""
        opts = {"collation": self.collation, "charset": self.charset, **kw}
        return SET(*self.values, **opts)

    def adapt(self, cls: type[Any], **kw: Any) -> Any:
        """Keep the values when adapting to another SET class."""
        if isinstance(self, cls) and not kw:
            return self
        if issubclass(cls, SET):
            return cls(*self.values, collation=self.collation, charset=self.charset)
        return super().adapt(cls, **kw)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        return self

    def _db_value(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        if not isinstance(value, Iterable):
            raise TypeError(f"A SET column takes a set of strings, not {value!r}")
        members = list(value)
        unknown = [m for m in members if m not in self.values]
        if unknown:
            raise LookupError(
                f"{', '.join(map(repr, unknown))} not among the SET's values; use some of "
                f"{', '.join(map(repr, self.values))}")
        return ",".join(v for v in self.values if v in members)

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        return self._db_value

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        def process(value: Any) -> Any:
            if value is None or isinstance(value, set):
                return value
            if isinstance(value, (bytes, bytearray)):
                value = value.decode()
            return set(value.split(",")) if value else set()

        return process

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: sql_string_literal(self._db_value(value) or "", dialect)


class JSON(_JSON):
    """``JSON``: MySQL's JSON type (on MariaDB a LONGTEXT checked by JSON_VALID)."""


# -- the type compiler -------------------------------------------------------------------------
def _paren(*values: Any) -> str:
    given = [str(v) for v in values if v is not None]
    return f"({', '.join(given)})" if given else ""


def _quoted_list(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


class MySQLTypeCompiler(TypeCompiler):
    """DDL type names for MySQL and MariaDB."""

    # -- helpers --------------------------------------------------------------------------
    def _numeric_flags(self, type_: Any, text: str) -> str:
        if getattr(type_, "unsigned", False):
            text += " UNSIGNED"
        if getattr(type_, "zerofill", False):
            text += " ZEROFILL"
        return text

    def _integer(self, name: str, type_: Any) -> str:
        return self._numeric_flags(type_, name + _paren(getattr(type_, "display_width", None)))

    def _charset(self, type_: Any, text: str) -> str:
        charset = getattr(type_, "charset", None)
        if charset:
            text += f" CHARACTER SET {charset}"
        return self._collate(type_, text)

    def _string(self, name: str, type_: Any, kind: str) -> str:
        length = getattr(type_, "length", None)
        if length is None:
            raise exc.CompileError(
                f"MySQL needs a length for {name}; give the column one, e.g. {kind}(50)")
        return self._charset(type_, f"{name}({length})")

    # -- numbers --------------------------------------------------------------------------
    def visit_INTEGER(self, type_: Any, **kw: Any) -> str:
        return self._integer("INTEGER", type_)

    def visit_TINYINT(self, type_: Any, **kw: Any) -> str:
        return self._integer("TINYINT", type_)

    def visit_SMALLINT(self, type_: Any, **kw: Any) -> str:
        return self._integer("SMALLINT", type_)

    def visit_MEDIUMINT(self, type_: Any, **kw: Any) -> str:
        return self._integer("MEDIUMINT", type_)

    def visit_BIGINT(self, type_: Any, **kw: Any) -> str:
        return self._integer("BIGINT", type_)

    def visit_DECIMAL(self, type_: Any, **kw: Any) -> str:
        return self._numeric_flags(type_, "DECIMAL" + _paren(type_.precision, type_.scale))

    def visit_NUMERIC(self, type_: Any, **kw: Any) -> str:
        return self._numeric_flags(type_, "NUMERIC" + _paren(type_.precision, type_.scale))

    def visit_FLOAT(self, type_: Any, **kw: Any) -> str:
        return self._numeric_flags(type_, "FLOAT" + _paren(type_.precision))

    def visit_double(self, type_: Any, **kw: Any) -> str:
        return "DOUBLE"

    def visit_DOUBLE(self, type_: Any, **kw: Any) -> str:
        return self._numeric_flags(type_, "DOUBLE")

    visit_DOUBLE_PRECISION = visit_DOUBLE

    def visit_REAL(self, type_: Any, **kw: Any) -> str:
        return self._numeric_flags(type_, "REAL")

    def visit_BIT(self, type_: Any, **kw: Any) -> str:
        return "BIT" + _paren(type_.length)

    def visit_YEAR(self, type_: Any, **kw: Any) -> str:
        return "YEAR" + _paren(type_.display_width)

    def visit_boolean(self, type_: Any, **kw: Any) -> str:
        return "BOOL"

    visit_BOOLEAN = visit_boolean

    # -- dates and times ------------------------------------------------------------------
    def visit_datetime(self, type_: Any, **kw: Any) -> str:
        return "DATETIME"

    def visit_DATETIME(self, type_: Any, **kw: Any) -> str:
        return "DATETIME" + _paren(getattr(type_, "fsp", None))

    def visit_TIMESTAMP(self, type_: Any, **kw: Any) -> str:
        return "TIMESTAMP" + _paren(getattr(type_, "fsp", None))

    def visit_time(self, type_: Any, **kw: Any) -> str:
        return "TIME"

    def visit_TIME(self, type_: Any, **kw: Any) -> str:
        return "TIME" + _paren(getattr(type_, "fsp", None))

    def visit_interval(self, type_: Any, **kw: Any) -> str:
        """Intervals are stored as the datetime that far after 1970, to the microsecond."""
        return "DATETIME(6)"

    # -- strings and bytes ----------------------------------------------------------------
    def visit_string(self, type_: Any, **kw: Any) -> str:
        return self._string("VARCHAR", type_, "String")

    def visit_unicode(self, type_: Any, **kw: Any) -> str:
        return self._string("VARCHAR", type_, "Unicode")

    def visit_VARCHAR(self, type_: Any, **kw: Any) -> str:
        return self._string("VARCHAR", type_, "VARCHAR")

    def visit_NVARCHAR(self, type_: Any, **kw: Any) -> str:
        return self._string("NATIONAL VARCHAR", type_, "NVARCHAR")

    def visit_CHAR(self, type_: Any, **kw: Any) -> str:
        return self._charset(type_, "CHAR" + _paren(type_.length))

    def visit_text(self, type_: Any, **kw: Any) -> str:
        return self._charset(type_, "TEXT" + _paren(type_.length))

    visit_unicode_text = visit_text
    visit_TEXT = visit_text

    def visit_TINYTEXT(self, type_: Any, **kw: Any) -> str:
        return self._charset(type_, "TINYTEXT")

    def visit_MEDIUMTEXT(self, type_: Any, **kw: Any) -> str:
        return self._charset(type_, "MEDIUMTEXT")

    def visit_LONGTEXT(self, type_: Any, **kw: Any) -> str:
        return self._charset(type_, "LONGTEXT")

    def visit_CLOB(self, type_: Any, **kw: Any) -> str:
        return "LONGTEXT"

    def visit_TINYBLOB(self, type_: Any, **kw: Any) -> str:
        return "TINYBLOB"

    def visit_MEDIUMBLOB(self, type_: Any, **kw: Any) -> str:
        return "MEDIUMBLOB"

    def visit_LONGBLOB(self, type_: Any, **kw: Any) -> str:
        return "LONGBLOB"

    def visit_enum(self, type_: Any, **kw: Any) -> str:
        if not type_.is_native(self.dialect):
            return super().visit_enum(type_, **kw)
        return self._charset(type_, f"ENUM({_quoted_list(type_.enums)})")

    def visit_SET(self, type_: Any, **kw: Any) -> str:
        return self._charset(type_, f"SET({_quoted_list(type_.values)})")


# -- maps ----------------------------------------------------------------------------------------
#: portable type -> MySQL implementation (``Dialect.colspecs``)
MYSQL_COLSPECS: dict[type[TypeEngine], type[TypeEngine]] = {
    Time: MySQLTime,
}

#: reflected type name (``information_schema.COLUMNS.DATA_TYPE``) -> type class
MYSQL_ISCHEMA_NAMES: dict[str, type[TypeEngine]] = {
    "bigint": BIGINT, "binary": BINARY, "bit": BIT, "blob": BLOB, "bool": BOOLEAN,
    "boolean": BOOLEAN, "char": CHAR, "date": DATE, "datetime": DATETIME, "decimal": DECIMAL,
    "double": DOUBLE, "double precision": DOUBLE, "enum": ENUM, "fixed": DECIMAL,
    "float": FLOAT, "int": INTEGER, "integer": INTEGER, "json": JSON, "longblob": LONGBLOB,
    "longtext": LONGTEXT, "mediumblob": MEDIUMBLOB, "mediumint": MEDIUMINT,
    "mediumtext": MEDIUMTEXT, "numeric": NUMERIC, "real": REAL, "set": SET,
    "smallint": SMALLINT, "text": TEXT, "time": TIME, "timestamp": TIMESTAMP,
    "tinyblob": TINYBLOB, "tinyint": TINYINT, "tinytext": TINYTEXT, "uuid": Uuid,
    "varbinary": VARBINARY, "varchar": VARCHAR, "year": YEAR,
}

#: the display width each integer type reports when none was asked for (signed, unsigned)
_DEFAULT_WIDTHS = {"tinyint": (4, 3), "smallint": (6, 5), "mediumint": (9, 8),
                   "int": (11, 10), "integer": (11, 10), "bigint": (20, 20)}
_COLUMN_TYPE = re.compile(r"^\s*([a-z ]+?)\s*(?:\((.*)\))?\s*((?:unsigned|zerofill|\s)*)$", re.I)
_QUOTED = re.compile(r"'((?:[^']|'')*)'")


def _int_args(text: str | None) -> list[int]:
    return [int(p) for p in (text or "").split(",") if p.strip().isdigit()]


def type_for_column_type(column_type: str, charset: str | None = None,
                         collation: str | None = None) -> TypeEngine:
    """The type for a reflected ``information_schema.COLUMNS.COLUMN_TYPE``.

    ``tinyint(1)`` reads as :class:`~sqlwright.types.Boolean`; integer display widths are kept
    only where they differ from the type's default; an unknown name gives NullType.
    """
    match = _COLUMN_TYPE.match(column_type or "")
    if match is None:
        return NULLTYPE
    name, args, flags = match.group(1).lower(), match.group(2), match.group(3).lower()
    cls = MYSQL_ISCHEMA_NAMES.get(name)
    if cls is None:
        return NULLTYPE
    unsigned, zerofill = "unsigned" in flags, "zerofill" in flags
    if name in _DEFAULT_WIDTHS:
        if name == "tinyint" and args == "1" and not (unsigned or zerofill):
            return Boolean()
        widths = _int_args(args)
        width = widths[0] if widths else None
        if width == _DEFAULT_WIDTHS[name][1 if unsigned else 0] and not zerofill:
            width = None
        return cls(display_width=width, unsigned=unsigned, zerofill=zerofill)  # type: ignore[call-arg]
    if cls in (ENUM, SET):
        values = [v.replace("''", "'") for v in _QUOTED.findall(args or "")]
        return cls(*values)
    return _sized_type(cls, _int_args(args), unsigned, zerofill)


def _sized_type(cls: type[TypeEngine], args: list[int], unsigned: bool,
                zerofill: bool) -> TypeEngine:
    kw: dict[str, Any] = {}
    if issubclass(cls, (DECIMAL, NUMERIC)):
        kw = {"precision": args[0] if args else None,
              "scale": args[1] if len(args) > 1 else None}
    elif issubclass(cls, (FLOAT, DOUBLE, REAL)):
        kw = {"precision": args[0] if args and issubclass(cls, FLOAT) and len(args) == 1
              else None}
    elif issubclass(cls, (_FspOptions,)):
        kw = {"fsp": args[0] if args else None}
    elif issubclass(cls, (CHAR, VARCHAR, BINARY, VARBINARY, BIT)):
        kw = {"length": args[0] if args else None}
    if issubclass(cls, (_DecimalOptions, _FloatOptions)):
        kw.update(unsigned=unsigned, zerofill=zerofill)
    if cls is YEAR:
        kw = {}
    return cls(**kw)

