"""Fixtures for the pool tests: real sqlite3 file databases with open/close accounting."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest


class TrackedConnection:
    """A real sqlite3 connection that reports its closing to a Tracker."""

    def __init__(self, tracker: Tracker) -> None:
        self._tracker = tracker
        self._conn = sqlite3.connect(tracker.path, check_same_thread=False)
        self.closed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def __repr__(self) -> str:
        # Like some drivers, expose the connect string in the repr: the pool must never log it.
        return f"<TrackedConnection dsn='file={self._tracker.path} password=hunter2'>"

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._tracker.note_closed()
        self._conn.close()


class Tracker:
    """A pool creator that counts the connections it opened and that were closed."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self.opened = 0
        self.closed = 0
        self.max_open = 0
        self.connections: list[TrackedConnection] = []

    def creator(self) -> TrackedConnection:
        conn = TrackedConnection(self)
        with self._lock:
            self.opened += 1
            self.max_open = max(self.max_open, self.opened - self.closed)
            self.connections.append(conn)
        return conn

    def note_closed(self) -> None:
        with self._lock:
            self.closed += 1

    @property
    def open_now(self) -> int:
        return self.opened - self.closed

    def rows(self) -> list[tuple[Any, ...]]:
        """Read table t through a separate, unpooled connection."""
        conn = sqlite3.connect(self.path)
        try:
            return conn.execute("SELECT x FROM t ORDER BY x").fetchall()
        finally:
            conn.close()


@pytest.fixture
def tracker(tmp_path: Path) -> Tracker:
    path = tmp_path / "pool.db"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.commit()
    setup.close()
    return Tracker(path)
