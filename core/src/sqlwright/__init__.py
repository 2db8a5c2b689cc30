"""sqlwright: a SQL toolkit and ORM for Python.

The public API mirrors the names users know from the API guide; see docs/ for the user guide.
"""

from __future__ import annotations

from sqlwright import event, exc
from sqlwright.engine import (
    URL,
    Connection,
    Engine,
    Result,
    Row,
    create_engine,
    engine_from_config,
    make_url,
)
from sqlwright.sql.elements import bindparam, text

__version__ = "0.1.0"

__all__ = [
    "URL",
    "Connection",
    "Engine",
    "Result",
    "Row",
    "bindparam",
    "create_engine",
    "engine_from_config",
    "event",
    "exc",
    "make_url",
    "text",
]

# --- TYPES ---
from sqlwright import types
from sqlwright.types import (
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
    JSON,
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
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Double,
    Enum,
    Float,
    Integer,
    Interval,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    TypeDecorator,
    Unicode,
    UnicodeText,
    Uuid,
)

__all__ += [
    "BIGINT", "BINARY", "BLOB", "BOOLEAN", "CHAR", "CLOB", "DATE", "DATETIME", "DECIMAL",
    "DOUBLE", "DOUBLE_PRECISION", "FLOAT", "INT", "INTEGER", "JSON", "NCHAR", "NUMERIC",
    "NVARCHAR", "REAL", "SMALLINT", "TEXT", "TIME", "TIMESTAMP", "UUID", "VARBINARY", "VARCHAR",
    "BigInteger", "Boolean", "Date", "DateTime", "Double", "Enum", "Float", "Integer",
    "Interval", "LargeBinary", "Numeric", "SmallInteger", "String", "Text", "Time",
    "TypeDecorator", "Unicode", "UnicodeText", "Uuid", "types",
]
# --- end TYPES ---

# --- SCHEMA ---
# --- end SCHEMA ---

# --- EXPRESSIONS ---
# --- end EXPRESSIONS ---

# --- SELECT ---
# --- end SELECT ---

# --- DML ---
# --- end DML ---
