"""sqlwright.types: the portable SQL types, the SQL-named types and TypeDecorator."""

from __future__ import annotations

from sqlwright.types.base import NULLTYPE, NullType, TypeEngine, to_instance
from sqlwright.types.decorator import TypeDecorator
from sqlwright.types.enumtype import Enum
from sqlwright.types.json import JSON, JSONIndexType, JSONPathType
from sqlwright.types.resolve import register_python_type, type_for_value
from sqlwright.types.sqltypes import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Double,
    Float,
    Integer,
    Interval,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    Unicode,
    UnicodeText,
    Uuid,
)
from sqlwright.types.standard import (
    BIGINT,
    BINARY,
    BLOB,
    BOOLEAN,
    CHAR,
    CLOB,
    DATE,
    DATETIME,
    DECIMAL,
    DOUBLE,
    DOUBLE_PRECISION,
    FLOAT,
    INT,
    INTEGER,
    NCHAR,
    NUMERIC,
    NVARCHAR,
    REAL,
    SMALLINT,
    TEXT,
    TIME,
    TIMESTAMP,
    UUID,
    VARBINARY,
    VARCHAR,
)
from sqlwright.types.variant import Variant

__all__ = [
    "BIGINT", "BINARY", "BLOB", "BOOLEAN", "CHAR", "CLOB", "DATE", "DATETIME", "DECIMAL",
    "DOUBLE", "DOUBLE_PRECISION", "FLOAT", "INT", "INTEGER", "JSON", "NCHAR", "NULLTYPE",
    "NUMERIC", "NVARCHAR", "REAL", "SMALLINT", "TEXT", "TIME", "TIMESTAMP", "UUID",
    "VARBINARY", "VARCHAR", "BigInteger", "Boolean", "Date", "DateTime", "Double", "Enum",
    "Float", "Integer", "Interval", "JSONIndexType", "JSONPathType", "LargeBinary", "NullType",
    "Numeric", "SmallInteger", "String", "Text", "Time", "TypeDecorator", "TypeEngine",
    "Unicode", "UnicodeText", "Uuid", "Variant", "register_python_type", "to_instance",
    "type_for_value",
]
