"""Types named after their SQL name (``VARCHAR``, ``TIMESTAMP`` ...): they render that name.

Use them when the DDL must say exactly this name; the portable types (``String``,
``DateTime`` ...) let each dialect choose its best name instead.
"""

from __future__ import annotations

from sqlwright.types.sqltypes import (
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
    Unicode,
    Uuid,
)

__all__ = [
    "BIGINT", "BINARY", "BLOB", "BOOLEAN", "CHAR", "CLOB", "DATE", "DATETIME", "DECIMAL",
    "DOUBLE", "DOUBLE_PRECISION", "FLOAT", "INT", "INTEGER", "NCHAR", "NUMERIC", "NVARCHAR",
    "REAL", "SMALLINT", "TEXT", "TIME", "TIMESTAMP", "UUID", "VARBINARY", "VARCHAR",
]


class INTEGER(Integer):
    """``INTEGER``."""

    __visit_name__ = "INTEGER"


INT = INTEGER


class SMALLINT(SmallInteger):
    """``SMALLINT``."""

    __visit_name__ = "SMALLINT"


class BIGINT(BigInteger):
    """``BIGINT``."""

    __visit_name__ = "BIGINT"


class FLOAT(Float):
    """``FLOAT(precision)``."""

    __visit_name__ = "FLOAT"


class REAL(Float):
    """``REAL``."""

    __visit_name__ = "REAL"


class DOUBLE(Double):
    """``DOUBLE``."""

    __visit_name__ = "DOUBLE"


class DOUBLE_PRECISION(Double):
    """``DOUBLE PRECISION``."""

    __visit_name__ = "DOUBLE_PRECISION"


class NUMERIC(Numeric):
    """``NUMERIC(precision, scale)``."""

    __visit_name__ = "NUMERIC"


class DECIMAL(Numeric):
    """``DECIMAL(precision, scale)``."""

    __visit_name__ = "DECIMAL"


class VARCHAR(String):
    """``VARCHAR(length)``."""

    __visit_name__ = "VARCHAR"


class NVARCHAR(Unicode):
    """``NVARCHAR(length)``."""

    __visit_name__ = "NVARCHAR"


class CHAR(String):
    """``CHAR(length)``."""

    __visit_name__ = "CHAR"


class NCHAR(Unicode):
    """``NCHAR(length)``."""

    __visit_name__ = "NCHAR"


class TEXT(Text):
    """``TEXT``."""

    __visit_name__ = "TEXT"


class CLOB(Text):
    """``CLOB``."""

    __visit_name__ = "CLOB"


class BOOLEAN(Boolean):
    """``BOOLEAN``."""

    __visit_name__ = "BOOLEAN"


class DATE(Date):
    """``DATE``."""

    __visit_name__ = "DATE"


class DATETIME(DateTime):
    """``DATETIME``."""

    __visit_name__ = "DATETIME"


class TIMESTAMP(DateTime):
    """``TIMESTAMP`` (``WITH TIME ZONE`` when ``timezone=True``)."""

    __visit_name__ = "TIMESTAMP"


class TIME(Time):
    """``TIME``."""

    __visit_name__ = "TIME"


class BLOB(LargeBinary):
    """``BLOB``."""

    __visit_name__ = "BLOB"


class BINARY(LargeBinary):
    """``BINARY(length)``."""

    __visit_name__ = "BINARY"


class VARBINARY(LargeBinary):
    """``VARBINARY(length)``."""

    __visit_name__ = "VARBINARY"


class UUID(Uuid):
    """The UUID type under its SQL name; behaves as :class:`Uuid` (CHAR(32) where not native)."""
