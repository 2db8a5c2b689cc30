"""Compiler rules for INSERT, UPDATE, DELETE and RETURNING (a mixin of SQLCompiler)."""

from __future__ import annotations

__all__ = ["DMLCompilerMixin"]


class DMLCompilerMixin:
    """``visit_<name>`` rules for INSERT, UPDATE, DELETE and RETURNING."""
