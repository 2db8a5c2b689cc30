"""The pool classes: QueuePool, NullPool, StaticPool, SingletonThreadPool, AssertionPool."""

from __future__ import annotations

import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any

from sqlwright import exc
from sqlwright.exc import ArgumentError
from sqlwright.pool.base import ConnectionPoolEntry, DBAPIConnection, Pool

__all__ = ["QueuePool", "NullPool", "StaticPool", "SingletonThreadPool", "AssertionPool"]


class QueuePool(Pool):
    """A thread-safe pool keeping up to ``pool_size`` idle connections (the engine's default).

    Up to ``max_overflow`` more connections are opened under load and closed when returned to a
    full pool (``max_overflow=-1`` means no limit). When ``pool_size + max_overflow``
    connections are out, ``connect()`` waits up to ``timeout`` seconds for one to come back,
    then raises :class:`sqlwright.exc.TimeoutError`. Idle connections are reused oldest first.
    """

    def __init__(
        self,
        creator: Callable[[], DBAPIConnection],
        *,
        pool_size: int = 5,
        max_overflow: int = 10,
        timeout: float = 30.0,
        **kw: Any,
    ) -> None:
        if pool_size < 0:
            raise ArgumentError(f"pool_size must be 0 or more, got {pool_size}")
        if max_overflow < -1:
            raise ArgumentError(f"max_overflow must be -1 (no limit) or more, got {max_overflow}")
        if timeout < 0:
            raise ArgumentError(f"timeout must be 0 or more seconds, got {timeout}")
        super().__init__(creator, **kw)
        self._pool_size = pool_size
        self._max_overflow = max_overflow
        self._timeout = timeout
        self._idle: deque[ConnectionPoolEntry] = deque()
        self._total = 0  # slots in existence: idle plus checked out
        self._available = threading.Condition(self._mutex)

    def _pool_options(self) -> dict[str, Any]:
        return {
            **super()._pool_options(),
            "pool_size": self._pool_size,
            "max_overflow": self._max_overflow,
            "timeout": self._timeout,
        }

    def timeout(self) -> float:
        """Seconds ``connect()`` waits for a connection when the pool is exhausted."""
        return self._timeout

    def size(self) -> int:
        return self._pool_size

    def checkedin(self) -> int:
        return len(self._idle)

    def checkedout(self) -> int:
        with self._mutex:
            return self._total - len(self._idle)

    def overflow(self) -> int:
        return max(self._total - self._pool_size, 0)

    def status(self) -> str:
        limit = "unlimited" if self._max_overflow < 0 else str(self._max_overflow)
        return (
            f"{self._name()}: size={self.size()} checked_in={self.checkedin()} "
            f"checked_out={self.checkedout()} overflow={self.overflow()} (max {limit}) "
            f"timeout={self._timeout}"
        )

    def _has_room(self) -> bool:
        return self._max_overflow < 0 or self._total < self._pool_size + self._max_overflow

    def _acquire(self) -> ConnectionPoolEntry:
        deadline: float | None = None
        with self._available:
            while True:
                if self._idle:
                    record = self._idle.popleft()
                    break
                if self._has_room():
                    self._total += 1
                    record = ConnectionPoolEntry(self)
                    break
                now = time.monotonic()
                if deadline is None:
                    deadline = now + self._timeout
                if now >= deadline:
                    raise exc.TimeoutError(self._timeout_message())
                self._available.wait(deadline - now)
            record._users = 1
        return self._ready(record)

    def _timeout_message(self) -> str:
        return (
            f"{self._name()} is exhausted: all {self._pool_size} pooled and "
            f"{self._max_overflow} overflow connections are checked out, and none came back "
            f"within timeout={self._timeout} seconds. Raise pool_size or max_overflow, or "
            "return connections sooner (close connections and sessions, e.g. with `with` "
            "blocks)."
        )

    def _release(self, record: ConnectionPoolEntry) -> None:
        with self._available:
            keep = len(self._idle) < self._pool_size
            if keep:
                self._idle.append(record)
            else:
                self._total -= 1
            self._available.notify()
        if not keep:
            record._close_connection()

    def _discard(self, record: ConnectionPoolEntry) -> None:
        with self._available:
            self._total -= 1
            self._available.notify()
        record._close_connection()

    def _take_idle(self) -> list[ConnectionPoolEntry]:
        with self._available:
            records = list(self._idle)
            self._idle.clear()
            self._total -= len(records)
            self._available.notify_all()
        return records


class NullPool(Pool):
    """No pooling: every checkout opens a connection and every checkin closes it."""

    def __init__(self, creator: Callable[[], DBAPIConnection], **kw: Any) -> None:
        super().__init__(creator, **kw)
        self._out = 0

    def size(self) -> int:
        return 0

    def checkedin(self) -> int:
        return 0

    def checkedout(self) -> int:
        return self._out

    def _acquire(self) -> ConnectionPoolEntry:
        record = ConnectionPoolEntry(self)
        with self._mutex:
            record._users = 1
            self._out += 1
        return self._ready(record)

    def _release(self, record: ConnectionPoolEntry) -> None:
        self._discard(record)

    def _discard(self, record: ConnectionPoolEntry) -> None:
        with self._mutex:
            self._out -= 1
        record._close_connection()

    def _take_idle(self) -> list[ConnectionPoolEntry]:
        return []


class _OneSlotPool(Pool):
    """Shared machinery of the pools holding a single slot."""

    def __init__(self, creator: Callable[[], DBAPIConnection], **kw: Any) -> None:
        super().__init__(creator, **kw)
        self._record: ConnectionPoolEntry | None = None

    def size(self) -> int:
        return 1

    def checkedin(self) -> int:
        record = self._record
        if record is None or record._users or record.dbapi_connection is None:
            return 0
        return 1

    def checkedout(self) -> int:
        record = self._record
        return record._users if record is not None else 0

    def _slot(self) -> ConnectionPoolEntry:
        if self._record is None:
            self._record = ConnectionPoolEntry(self)
        return self._record

    def _release(self, record: ConnectionPoolEntry) -> None:
        pass

    def _discard(self, record: ConnectionPoolEntry) -> None:
        record._close_connection()

    def _take_idle(self) -> list[ConnectionPoolEntry]:
        with self._mutex:
            record = self._record
            if record is None or record._users:
                return []
            return [record]


class StaticPool(_OneSlotPool):
    """Exactly one connection, shared by every checkout in every thread.

    Meant for SQLite ``:memory:`` databases and tests. The connection is reset when its last
    concurrent user returns it.
    """

    def _acquire(self) -> ConnectionPoolEntry:
        with self._mutex:
            record = self._slot()
            record._users += 1
            if record._users == 1:
                return self._ready(record)
            if record.dbapi_connection is None:
                try:
                    record._open()
                except BaseException:
                    record._users -= 1
                    raise
            return record


class AssertionPool(_OneSlotPool):
    """One connection, checked out by at most one user at a time.

    A second concurrent checkout raises AssertionError naming where the first happened: a
    test tool for finding code that holds two connections at once.
    """

    def __init__(self, creator: Callable[[], DBAPIConnection], **kw: Any) -> None:
        super().__init__(creator, **kw)
        self._checked_out_at: str | None = None

    def _acquire(self) -> ConnectionPoolEntry:
        with self._mutex:
            record = self._slot()
            if record._users:
                raise AssertionError(
                    f"{self._name()} allows one checkout at a time and its connection is "
                    f"already checked out, at:\n{self._checked_out_at}"
                    "Close that connection before checking out another."
                )
            record._users = 1
            self._checked_out_at = "".join(traceback.format_stack(limit=12)[:-2])
        return self._ready(record)

    def _release(self, record: ConnectionPoolEntry) -> None:
        self._checked_out_at = None

    def _discard(self, record: ConnectionPoolEntry) -> None:
        self._checked_out_at = None
        record._close_connection()


class SingletonThreadPool(Pool):
    """One connection per thread, reused by every checkout in that thread.

    At most ``pool_size`` connections are kept: when a new thread's connection would exceed
    that, the oldest idle connections of other threads are closed (their threads get a new
    one on their next checkout). Closing may fail for drivers that forbid using a connection
    from another thread; such failures are logged.
    """

    def __init__(
        self, creator: Callable[[], DBAPIConnection], *, pool_size: int = 5, **kw: Any
    ) -> None:
        if pool_size < 1:
            raise ArgumentError(f"pool_size must be 1 or more, got {pool_size}")
        super().__init__(creator, **kw)
        self._pool_size = pool_size
        self._local = threading.local()
        self._slots: list[ConnectionPoolEntry] = []

    def _pool_options(self) -> dict[str, Any]:
        return {**super()._pool_options(), "pool_size": self._pool_size}

    def size(self) -> int:
        return self._pool_size

    def checkedin(self) -> int:
        with self._mutex:
            return sum(
                1 for rec in self._slots if not rec._users and rec.dbapi_connection is not None
            )

    def checkedout(self) -> int:
        with self._mutex:
            return sum(rec._users for rec in self._slots)

    def _acquire(self) -> ConnectionPoolEntry:
        record: ConnectionPoolEntry | None = getattr(self._local, "record", None)
        evicted: list[ConnectionPoolEntry] = []
        with self._mutex:
            if record is None or record._orphaned:
                record = ConnectionPoolEntry(self)
                self._slots.append(record)
                self._local.record = record
                evicted = self._evict(keep=record)
            record._users += 1
            first_user = record._users == 1
        for old in evicted:
            old._close_connection()
        if first_user:
            return self._ready(record)
        if record.dbapi_connection is None:
            try:
                record._open()
            except BaseException:
                with self._mutex:
                    record._users -= 1
                raise
        return record

    def _evict(self, keep: ConnectionPoolEntry) -> list[ConnectionPoolEntry]:
        evicted = []
        for record in list(self._slots):
            if len(self._slots) <= self._pool_size:
                break
            if record is not keep and not record._users:
                self._slots.remove(record)
                record._orphaned = True
                evicted.append(record)
        return evicted

    def _release(self, record: ConnectionPoolEntry) -> None:
        if record._orphaned:
            record._close_connection()

    def _discard(self, record: ConnectionPoolEntry) -> None:
        with self._mutex:
            record._orphaned = True
            if record in self._slots:
                self._slots.remove(record)
        record._close_connection()

    def _take_idle(self) -> list[ConnectionPoolEntry]:
        with self._mutex:
            idle = [rec for rec in self._slots if not rec._users]
            for record in idle:
                record._orphaned = True
                self._slots.remove(record)
        return idle
