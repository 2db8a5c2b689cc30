"""The portable types: numbers, strings, booleans, dates and times, binary, UUID.

Each type converts values only where a database needs it, and only when the dialect's
capabilities say so (``dialect.features``); a dialect plugin replaces a type with its own
implementation through ``Dialect.colspecs`` when its driver needs more.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright.types.base import (
    ARITHMETIC_OPS,
    NULLTYPE,
    NullType,
    Processor,
    TypeEngine,
    op_name,
    sql_string_literal,
)
from sqlwright.types.resolve import register_python_type

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = [
    "BigInteger",
    "Boolean",
    "Date",
    "DateTime",
    "Double",
    "Float",
    "Integer",
    "Interval",
    "LargeBinary",
    "Numeric",
    "SmallInteger",
    "String",
    "Text",
    "Time",
    "Unicode",
    "UnicodeText",
    "Uuid",
]


def _sql_string(text: str) -> str:
    """A SQL string literal with quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


# -- numbers -----------------------------------------------------------------------------------
class Integer(TypeEngine):
    """A whole number (``INTEGER``)."""

    __visit_name__ = "integer"
    python_type_hint = int

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        if op_name(op) in ARITHMETIC_OPS:
            affinity = other_type._type_affinity
            if affinity is Integer or affinity is NullType:
                return op, self
            if affinity is Numeric or affinity is Interval:
                return op, other_type
            if affinity is Date and op_name(op) == "add":
                return op, other_type
        return op, self

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: str(int(value))


class SmallInteger(Integer):
    """A small whole number (``SMALLINT``)."""

    __visit_name__ = "small_integer"


class BigInteger(Integer):
    """A large whole number (``BIGINT``)."""

    __visit_name__ = "big_integer"


class Numeric(TypeEngine):
    """An exact decimal number: ``NUMERIC(precision, scale)``.

    Values read as :class:`decimal.Decimal` (``asdecimal=True``, the default) or as float.
    ``decimal_return_scale`` sets the digits kept after the point when the driver returns a
    float and no ``scale`` is given.
    """

    __visit_name__ = "numeric"
    _type_args: ClassVar[tuple[str, ...]] = (
        "precision", "scale", "asdecimal", "decimal_return_scale")
    _default_decimal_return_scale = 10

    def __init__(self, precision: int | None = None, scale: int | None = None,
                 asdecimal: bool = True, decimal_return_scale: int | None = None) -> None:
        self.precision = precision
        self.scale = scale
        self.asdecimal = asdecimal
        self.decimal_return_scale = decimal_return_scale

    @property
    def python_type(self) -> type:
        return decimal.Decimal if self.asdecimal else float

    @property
    def _effective_decimal_return_scale(self) -> int:
        if self.decimal_return_scale is not None:
            return self.decimal_return_scale
        if self.scale is not None:
            return self.scale
        return self._default_decimal_return_scale

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        if op_name(op) in ARITHMETIC_OPS:
            affinity = other_type._type_affinity
            if isinstance(other_type, Float) and not isinstance(self, Float):
                return op, other_type
            if affinity in (Numeric, Integer, NullType):
                return op, self
            if affinity is Interval and op_name(op) == "mul":
                return op, other_type
        return op, self

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        if dialect.features.supports_native_decimal:
            return None
        return _decimal_to_float

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        if not self.asdecimal:
            return _to_float
        if dialect.features.supports_native_decimal:
            return None  # the driver returns Decimal already
        return to_decimal_processor(self._effective_decimal_return_scale)

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return str


class Float(Numeric):
    """An approximate number: ``FLOAT(precision)``; reads as float unless ``asdecimal``."""

    __visit_name__ = "float"
    _type_args: ClassVar[tuple[str, ...]] = ("precision", "asdecimal", "decimal_return_scale")

    def __init__(self, precision: int | None = None, asdecimal: bool = False,
                 decimal_return_scale: int | None = None) -> None:
        super().__init__(precision, None, asdecimal, decimal_return_scale)

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        return None

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        if self.asdecimal:
            return to_decimal_processor(self._effective_decimal_return_scale)
        return None

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: repr(float(value))


class Double(Float):
    """A double precision float (``DOUBLE PRECISION``)."""

    __visit_name__ = "double"


def _decimal_to_float(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _to_float(value: Any) -> Any:
    if value is None or isinstance(value, float):
        return value
    return float(value)


def to_decimal_processor(scale: int) -> Processor:
    """A result processor turning floats, ints and strings into Decimals with ``scale`` digits.

    Floats and ints are formatted to ``scale`` digits first, so 0.1 reads as
    ``Decimal("0.1000")`` with scale 4 rather than the float's binary expansion, and 10 as
    ``Decimal("10.0000")`` (SQLite stores a whole NUMERIC as an integer). Decimals pass through.
    """
    template = f"%.{scale}f"

    def process(value: Any) -> Any:
        if value is None or isinstance(value, decimal.Decimal):
            return value
        if isinstance(value, (float, int)):
            return decimal.Decimal(template % value)
        return decimal.Decimal(str(value))

    return process


# -- strings -----------------------------------------------------------------------------------
class String(TypeEngine):
    """A string of up to ``length`` characters (``VARCHAR(length)``); ``+`` concatenates."""

    __visit_name__ = "string"
    python_type_hint = str
    _type_args: ClassVar[tuple[str, ...]] = ("length", "collation")

    def __init__(self, length: int | None = None, collation: str | None = None) -> None:
        self.length = length
        self.collation = collation

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        if op_name(op) in ("add", "concat_op"):
            from sqlwright.sql import operators

            return operators.concat_op, self
        return op, self


class Text(String):
    """Unlimited text (``TEXT``)."""

    __visit_name__ = "text"


class Unicode(String):
    """A string that the database stores as Unicode (``NVARCHAR`` where that differs)."""

    __visit_name__ = "unicode"


class UnicodeText(Text):
    """Unlimited Unicode text (``NTEXT`` / ``NCLOB`` where that differs)."""

    __visit_name__ = "unicode_text"


# -- booleans ----------------------------------------------------------------------------------
class Boolean(TypeEngine):
    """True or False; stored as a native BOOLEAN where the database has one, else as 0/1.

    ``create_constraint=True`` asks the DDL to add ``CHECK (col IN (0, 1))`` where the type
    is not native; ``name`` names that constraint.
    """

    __visit_name__ = "boolean"
    python_type_hint = bool
    _type_args: ClassVar[tuple[str, ...]] = ("create_constraint", "name")

    def __init__(self, create_constraint: bool = False, name: str | None = None) -> None:
        self.create_constraint = create_constraint
        self.name = name

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        native = dialect.features.supports_native_boolean

        def process(value: Any) -> Any:
            if value is None:
                return None
            if value is True or value is False:
                return value if native else int(value)
            if value in (0, 1) and not isinstance(value, float):
                return bool(value) if native else int(value)
            raise TypeError(
                f"Not a boolean value: {value!r}. A Boolean column takes True, False, 1, 0 "
                "or None; convert the value first (e.g. bool(value))"
            )

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        if dialect.features.supports_native_boolean:
            return None
        return _int_to_bool

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        native = dialect.features.supports_native_boolean
        if native:
            return lambda value: "true" if value else "false"
        return lambda value: "1" if value else "0"

    def check_constraint_sql(self, column_sql: str, dialect: Dialect) -> str | None:
        """The CHECK condition DDL adds for this column, or None when none is wanted."""
        if not self.create_constraint or dialect.features.supports_native_boolean:
            return None
        return f"{column_sql} IN (0, 1)"


def _int_to_bool(value: Any) -> Any:
    if value is None:
        return None
    return bool(value)


# -- dates and times ---------------------------------------------------------------------------
class DateTime(TypeEngine):
    """A date and time (``datetime.datetime``); ``timezone=True`` keeps the offset."""

    __visit_name__ = "datetime"
    python_type_hint = datetime.datetime
    _type_args: ClassVar[tuple[str, ...]] = ("timezone",)

    def __init__(self, timezone: bool = False) -> None:
        self.timezone = timezone

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        """A date compared with a DateTime binds as that DateTime (midnight)."""
        if isinstance(value, datetime.date):
            return self
        return super().coerce_compared_value(op, value)

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        name = op_name(op)
        affinity = other_type._type_affinity
        if name == "sub" and affinity in (DateTime, Date):
            return op, Interval()
        if name in ("add", "sub") and affinity is Interval:
            return op, self
        return op, self


class Date(TypeEngine):
    """A calendar date (``datetime.date``)."""

    __visit_name__ = "date"
    python_type_hint = datetime.date

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        name = op_name(op)
        affinity = other_type._type_affinity
        if name == "sub" and affinity is Date:
            return op, Integer()
        if name == "sub" and affinity is DateTime:
            return op, Interval()
        if name in ("add", "sub") and affinity is Integer:
            return op, self
        if name in ("add", "sub") and affinity is Interval:
            return op, DateTime()
        if name == "add" and affinity is Time:
            return op, DateTime()
        return op, self


class Time(TypeEngine):
    """A time of day (``datetime.time``); ``timezone=True`` keeps the offset."""

    __visit_name__ = "time"
    python_type_hint = datetime.time
    _type_args: ClassVar[tuple[str, ...]] = ("timezone",)

    def __init__(self, timezone: bool = False) -> None:
        self.timezone = timezone

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        name = op_name(op)
        affinity = other_type._type_affinity
        if name == "sub" and affinity is Time:
            return op, Interval()
        if name == "add" and affinity is Date:
            return op, DateTime()
        return op, self


_EPOCH = datetime.datetime(1970, 1, 1)


class Interval(TypeEngine):
    """A duration (``datetime.timedelta``).

    Native INTERVAL where the database has one (``dialect.features.supports_native_interval``);
    elsewhere it is stored as the date and time that far after 1970-01-01, in a DATETIME
    column, so the dialect's own DateTime conversions apply.
    """

    __visit_name__ = "interval"
    python_type_hint = datetime.timedelta
    _type_args: ClassVar[tuple[str, ...]] = ("native", "second_precision", "day_precision")

    def __init__(self, native: bool = True, second_precision: int | None = None,
                 day_precision: int | None = None) -> None:
        self.native = native
        self.second_precision = second_precision
        self.day_precision = day_precision

    def is_native(self, dialect: Dialect) -> bool:
        """Whether this interval is stored natively on ``dialect``."""
        return self.native and dialect.features.supports_native_interval

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        name = op_name(op)
        affinity = other_type._type_affinity
        if name in ("add", "sub") and affinity in (DateTime, Date):
            return op, (other_type if affinity is DateTime else DateTime())
        if name in ("add", "sub") and affinity is Interval:
            return op, self
        if name in ("mul", "truediv") and affinity in (Integer, Numeric):
            return op, self
        return op, self

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        if self.is_native(dialect):
            return None
        inner = DateTime()._cached_bind_processor(dialect)

        def process(value: Any) -> Any:
            if value is None:
                return None
            stamp = _EPOCH + value
            return inner(stamp) if inner is not None else stamp

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        if self.is_native(dialect):
            return None
        inner = DateTime()._cached_result_processor(dialect, coltype)

        def process(value: Any) -> Any:
            if value is None:
                return None
            if inner is not None:
                value = inner(value)
            if isinstance(value, datetime.timedelta):
                return value
            return value - _EPOCH

        return process


# -- binary and identifiers --------------------------------------------------------------------
class LargeBinary(TypeEngine):
    """Bytes (``BLOB`` / ``BYTEA``); reads as ``bytes`` whatever buffer type the driver uses."""

    __visit_name__ = "large_binary"
    python_type_hint = bytes
    _type_args: ClassVar[tuple[str, ...]] = ("length",)

    def __init__(self, length: int | None = None) -> None:
        self.length = length

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        def process(value: Any) -> Any:
            if value is None or type(value) is bytes:
                return value
            return bytes(value)

        return process

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: "X'" + bytes(value).hex() + "'"


class Uuid(TypeEngine):
    """A UUID: native where the database has the type, else ``CHAR(32)`` of hex digits.

    Values read as :class:`uuid.UUID` (``as_uuid=True``, the default) or as strings.
    ``native_uuid=False`` stores CHAR(32) even where a native type exists.
    """

    __visit_name__ = "uuid"
    _type_args: ClassVar[tuple[str, ...]] = ("as_uuid", "native_uuid")

    def __init__(self, as_uuid: bool = True, native_uuid: bool = True) -> None:
        self.as_uuid = as_uuid
        self.native_uuid = native_uuid

    @property
    def python_type(self) -> type:
        return uuid.UUID if self.as_uuid else str

    def is_native(self, dialect: Dialect) -> bool:
        """Whether this column uses the database's own UUID type on ``dialect``."""
        return self.native_uuid and dialect.features.supports_native_uuid

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        return self

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        if self.is_native(dialect):
            return _uuid_to_str
        return _uuid_to_hex

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        if self.as_uuid:
            return _to_uuid
        if self.is_native(dialect):
            return _uuid_value_to_str
        return _hex_to_str

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        bind = self.bind_processor(dialect)
        assert bind is not None
        return lambda value: sql_string_literal(bind(value), dialect)


def _as_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValueError(
            f"Not a UUID: {value!r}; pass a uuid.UUID or its string form") from None


def _uuid_to_hex(value: Any) -> Any:
    return None if value is None else _as_uuid(value).hex


def _uuid_to_str(value: Any) -> Any:
    return None if value is None else str(_as_uuid(value))


def _to_uuid(value: Any) -> Any:
    if value is None or isinstance(value, uuid.UUID):
        return value
    if isinstance(value, (bytes, bytearray)) and len(value) == 16:
        return uuid.UUID(bytes=bytes(value))
    return uuid.UUID(str(value))


def _uuid_value_to_str(value: Any) -> Any:
    return None if value is None else str(value)


def _hex_to_str(value: Any) -> Any:
    return None if value is None else str(uuid.UUID(str(value)))


# -- literal typing ----------------------------------------------------------------------------
def _register_python_types() -> None:
    for python_type, sql_type in (
        (int, Integer()),
        (bool, Boolean()),
        (float, Float()),
        (decimal.Decimal, Numeric()),
        (str, String()),
        (bytes, LargeBinary()),
        (bytearray, LargeBinary()),
        (memoryview, LargeBinary()),
        (datetime.datetime, DateTime()),
        (datetime.date, Date()),
        (datetime.time, Time()),
        (datetime.timedelta, Interval()),
        (uuid.UUID, Uuid()),
        (type(None), NULLTYPE),
    ):
        register_python_type(python_type, sql_type)


_register_python_types()
