"""Cursor-like objects a dialect hands to the engine in place of the DBAPI cursor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["BufferedRowsCursor"]


class BufferedRowsCursor:
    """Rows a dialect already holds (e.g. Oracle ``RETURNING ... INTO`` out-binds), exposed
    with the part of the DBAPI cursor interface a Result reads.

    A dialect's ``do_execute`` sets ``context.result_cursor = BufferedRowsCursor(...)``; the
    engine then builds the statement's Result from it instead of from the DBAPI cursor.
    """

    arraysize = 100

    def __init__(self, rows: Sequence[Sequence[Any]], description: Sequence[Sequence[Any]],
                 rowcount: int = -1, lastrowid: Any = None) -> None:
        self._rows = [tuple(row) for row in rows]
        self._pos = 0
        self.description = [tuple(d) for d in description]
        self.rowcount = rowcount if rowcount != -1 else len(self._rows)
        self.lastrowid = lastrowid

    @staticmethod
    def describe(names: Sequence[str]) -> list[tuple[Any, ...]]:
        """A DBAPI ``description`` for columns known only by name."""
        return [(name, None, None, None, None, None, None) for name in names]

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or None."""
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    def fetchmany(self, size: int | None = None) -> list[tuple[Any, ...]]:
        """Up to ``size`` (default ``arraysize``) next rows."""
        size = self.arraysize if size is None else size
        rows = self._rows[self._pos:self._pos + size]
        self._pos += len(rows)
        return rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every remaining row."""
        rows = self._rows[self._pos:]
        self._pos = len(self._rows)
        return rows

    def close(self) -> None:
        """Forget the rows."""
        self._rows = []
        self._pos = 0
