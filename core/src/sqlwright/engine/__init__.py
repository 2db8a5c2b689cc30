"""Engines, connections, URLs and results."""

from __future__ import annotations

from sqlwright.engine.base import (
    Connection,
    Engine,
    NestedTransaction,
    RootTransaction,
    Transaction,
)
from sqlwright.engine.create import create_engine, engine_from_config
from sqlwright.engine.events import ConnectionEvents, ExceptionContext
from sqlwright.engine.result import (
    CursorResult,
    IteratorResult,
    MappingResult,
    Result,
    ResultMetaData,
    ScalarResult,
)
from sqlwright.engine.row import Row, RowMapping
from sqlwright.engine.url import URL, make_url

__all__ = [
    "URL",
    "Connection",
    "ConnectionEvents",
    "CursorResult",
    "Engine",
    "ExceptionContext",
    "IteratorResult",
    "MappingResult",
    "NestedTransaction",
    "Result",
    "ResultMetaData",
    "RootTransaction",
    "Row",
    "RowMapping",
    "ScalarResult",
    "Transaction",
    "create_engine",
    "engine_from_config",
    "make_url",
]
