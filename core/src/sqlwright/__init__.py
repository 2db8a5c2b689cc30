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
from sqlwright import schema
from sqlwright.dialects.reflection import Inspector, inspect
from sqlwright.schema import (
    DDL,
    AddConstraint,
    CheckConstraint,
    Column,
    ColumnDefault,
    Computed,
    Constraint,
    CreateIndex,
    CreateSequence,
    CreateTable,
    DefaultClause,
    DropConstraint,
    DropIndex,
    DropSequence,
    DropTable,
    FetchedValue,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Sequence,
    Table,
    UniqueConstraint,
)

__all__ += [
    "DDL", "AddConstraint", "CheckConstraint", "Column", "ColumnDefault", "Computed",
    "Constraint", "CreateIndex", "CreateSequence", "CreateTable", "DefaultClause",
    "DropConstraint", "DropIndex", "DropSequence", "DropTable", "FetchedValue", "ForeignKey",
    "ForeignKeyConstraint", "Identity", "Index", "Inspector", "MetaData",
    "PrimaryKeyConstraint", "Sequence", "Table", "UniqueConstraint", "inspect", "schema",
]
# --- end SCHEMA ---

# --- EXPRESSIONS ---
from sqlwright.sql.expression import (  # noqa: E402
    and_,
    asc,
    between,
    case,
    cast,
    collate,
    column,
    desc,
    distinct,
    extract,
    false,
    label,
    literal,
    literal_column,
    not_,
    null,
    nulls_first,
    nulls_last,
    or_,
    over,
    true,
    tuple_,
    type_coerce,
    within_group,
)
from sqlwright.sql.functions import func  # noqa: E402

__all__ += ["and_", "asc", "between", "case", "cast", "collate", "column", "desc", "distinct",
            "extract", "false", "func", "label", "literal", "literal_column", "not_", "null",
            "nulls_first", "nulls_last", "or_", "over", "true", "tuple_", "type_coerce",
            "within_group"]
# --- end EXPRESSIONS ---

# --- SELECT ---
from sqlwright.sql.selectable import (  # noqa: E402
    CTE,
    Alias,
    CompoundSelect,
    Exists,
    FromClause,
    Join,
    Lateral,
    ScalarSelect,
    Select,
    Subquery,
    TableClause,
    TextualSelect,
    alias,
    cte,
    except_,
    except_all,
    exists,
    intersect,
    intersect_all,
    join,
    lateral,
    outerjoin,
    select,
    table,
    union,
    union_all,
)

__all__ += ["CTE", "Alias", "CompoundSelect", "Exists", "FromClause", "Join", "Lateral",
            "ScalarSelect", "Select", "Subquery", "TableClause", "TextualSelect", "alias", "cte",
            "except_", "except_all", "exists", "intersect", "intersect_all", "join", "lateral",
            "outerjoin", "select", "table", "union", "union_all"]
# --- end SELECT ---

# --- DML ---
from sqlwright.sql.dml import Delete, Insert, Update, delete, insert, update  # noqa: E402

__all__ += ["Delete", "Insert", "Update", "delete", "insert", "update"]
# --- end DML ---
