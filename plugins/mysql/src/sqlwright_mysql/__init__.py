"""The MySQL and MariaDB dialect plugin for sqlwright (PyMySQL).

Users reach the dialect through ``create_engine("mysql+pymysql://...")``. This module exports
the MySQL-only public constructs: the upsert :func:`insert` and the database's own types.
"""

from __future__ import annotations

from sqlwright_mysql.dml import Insert, insert
from sqlwright_mysql.types import (
    BIGINT,
    BINARY,
    BIT,
    BLOB,
    BOOLEAN,
    CHAR,
    DATE,
    DATETIME,
    DECIMAL,
    DOUBLE,
    ENUM,
    FLOAT,
    INTEGER,
    JSON,
    LONGBLOB,
    LONGTEXT,
    MEDIUMBLOB,
    MEDIUMINT,
    MEDIUMTEXT,
    NUMERIC,
    REAL,
    SET,
    SMALLINT,
    TEXT,
    TIME,
    TIMESTAMP,
    TINYBLOB,
    TINYINT,
    TINYTEXT,
    VARBINARY,
    VARCHAR,
    YEAR,
)

__all__ = [
    "BIGINT", "BINARY", "BIT", "BLOB", "BOOLEAN", "CHAR", "DATE", "DATETIME", "DECIMAL",
    "DOUBLE", "ENUM", "FLOAT", "INTEGER", "JSON", "LONGBLOB", "LONGTEXT", "MEDIUMBLOB",
    "MEDIUMINT", "MEDIUMTEXT", "NUMERIC", "REAL", "SET", "SMALLINT", "TEXT", "TIME",
    "TIMESTAMP", "TINYBLOB", "TINYINT", "TINYTEXT", "VARBINARY", "VARCHAR", "YEAR", "Insert",
    "insert",
]
