"""The Microsoft SQL Server dialect plugin for sqlwright (pyodbc)."""

from __future__ import annotations

__all__: list[str] = []
