"""Assertions about the SQL an engine runs: statement recorders and exact statement counts.

A statement is one trip to the DBAPI cursor (``execute`` or ``executemany``), recorded just
before it runs, so failed statements count too. Transaction control (BEGIN, COMMIT, ROLLBACK,
SAVEPOINT) is not a statement here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from sqlwright.event import listen, remove

__all__ = ["RecordedStatement", "SQLRecorder", "assert_sql_count", "record_sql"]


class RecordedStatement(NamedTuple):
    """One statement as the driver received it."""

    #: the SQL string, in the driver's paramstyle
    sql: str
    #: the parameters as passed to the driver (a sequence of them for executemany)
    parameters: Any
    #: True when it ran through ``cursor.executemany()``
    executemany: bool


class SQLRecorder:
    """Records every statement run through an Engine (any of its connections) while started.

    Use it as a context manager, or call :meth:`start` / :meth:`stop`. Recording is
    thread-safe; statements from all threads using the engine are recorded.
    """

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.statements: list[RecordedStatement] = []
        self._lock = threading.Lock()
        self._active = False

    def _on_execute(self, conn: Any, cursor: Any, statement: str, parameters: Any,
                    context: Any, executemany: bool) -> None:
        with self._lock:
            self.statements.append(RecordedStatement(statement, parameters, executemany))

    def start(self) -> SQLRecorder:
        """Begin recording; returns self."""
        if not self._active:
            listen(self.engine, "before_cursor_execute", self._on_execute)
            self._active = True
        return self

    def stop(self) -> None:
        """Stop recording (the recorded statements stay available)."""
        if self._active:
            remove(self.engine, "before_cursor_execute", self._on_execute)
            self._active = False

    def clear(self) -> None:
        """Forget what was recorded so far."""
        with self._lock:
            self.statements.clear()

    @property
    def count(self) -> int:
        """How many statements were recorded."""
        return len(self.statements)

    @property
    def sql(self) -> list[str]:
        """The recorded SQL strings, in order."""
        return [statement.sql for statement in self.statements]

    def describe(self) -> str:
        """The recorded statements, numbered, one per line (for assertion messages)."""
        if not self.statements:
            return "  (no statements)"
        return "\n".join(f"  {n}. {s.sql}" + ("  [executemany]" if s.executemany else "")
                         for n, s in enumerate(self.statements, 1))

    def __enter__(self) -> SQLRecorder:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()


@contextmanager
def record_sql(engine: Any) -> Iterator[SQLRecorder]:
    """Record the statements run on ``engine`` inside the ``with`` block::

        with record_sql(engine) as rec:
            ...
        assert rec.count == 2
    """
    recorder = SQLRecorder(engine)
    with recorder:
        yield recorder


@contextmanager
def assert_sql_count(engine: Any, count: int) -> Iterator[SQLRecorder]:
    """Fail with AssertionError, listing the statements, unless exactly ``count`` statements
    ran on ``engine`` inside the ``with`` block. Nothing is checked if the block raised."""
    with record_sql(engine) as recorder:
        yield recorder
    if recorder.count != count:
        raise AssertionError(
            f"expected {count} statement(s), {recorder.count} ran:\n{recorder.describe()}")
