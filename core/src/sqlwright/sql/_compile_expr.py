"""Compiler rules for column expressions, operators, functions, literals (a mixin of SQLCompiler)."""

from __future__ import annotations

__all__ = ["ExpressionCompilerMixin"]


class ExpressionCompilerMixin:
    """``visit_<name>`` rules for column expressions, operators, functions, literals."""
