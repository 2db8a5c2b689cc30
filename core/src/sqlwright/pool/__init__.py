"""sqlwright.pool: connection pools and their events. See docs/pooling.md."""

from __future__ import annotations

from sqlwright.pool.base import (
    ConnectionPoolEntry,
    DBAPIConnection,
    Pool,
    PoolDialect,
    PoolProxiedConnection,
    ResetOnReturn,
)
from sqlwright.pool.events import PoolEvents
from sqlwright.pool.impl import (
    AssertionPool,
    NullPool,
    QueuePool,
    SingletonThreadPool,
    StaticPool,
)

__all__ = [
    "Pool",
    "QueuePool",
    "NullPool",
    "StaticPool",
    "SingletonThreadPool",
    "AssertionPool",
    "PoolProxiedConnection",
    "ConnectionPoolEntry",
    "PoolEvents",
    "PoolDialect",
    "DBAPIConnection",
    "ResetOnReturn",
]
