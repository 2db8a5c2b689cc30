"""The PostgreSQL dialect plugin for sqlwright (psycopg2).

Users reach the dialect through ``create_engine("postgresql+psycopg2://...")``; this module
exports PostgreSQL's own types and the upsert ``insert()``.
"""

from __future__ import annotations

from sqlwright.types import DOUBLE_PRECISION, REAL, TIMESTAMP, UUID
from sqlwright_postgresql.dml import Insert, insert
from sqlwright_postgresql.types import (
    ARRAY,
    BYTEA,
    CIDR,
    ENUM,
    INET,
    INTERVAL,
    JSON,
    JSONB,
    MACADDR,
    TSVECTOR,
    all_,
    any_,
)

__all__ = [
    "ARRAY", "BYTEA", "CIDR", "DOUBLE_PRECISION", "ENUM", "INET", "INTERVAL", "JSON", "JSONB",
    "MACADDR", "REAL", "TIMESTAMP", "TSVECTOR", "UUID", "Insert", "all_", "any_", "insert",
]
