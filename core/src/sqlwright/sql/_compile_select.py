"""Compiler rules for SELECT, joins, subqueries, CTEs, set operations (a mixin of SQLCompiler)."""

from __future__ import annotations

__all__ = ["SelectCompilerMixin"]


class SelectCompilerMixin:
    """``visit_<name>`` rules for SELECT, joins, subqueries, CTEs, set operations."""
