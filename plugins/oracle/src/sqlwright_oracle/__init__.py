"""The Oracle dialect plugin for sqlwright (python-oracledb in thin mode)."""

from __future__ import annotations

__all__: list[str] = []
