"""The SQLite dialect plugin for sqlwright (standard library sqlite3)."""

from __future__ import annotations

__all__: list[str] = []
