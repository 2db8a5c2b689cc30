"""Choosing a SQL type for a plain Python value (the type of a literal or an untyped bind)."""

from __future__ import annotations

from typing import Any

from sqlwright.types.base import NULLTYPE, TypeEngine

__all__ = ["register_python_type", "type_for_value"]

#: Python type -> SQL type instance; filled by sqlwright.types as it defines the portable types.
_PYTHON_TYPES: dict[type, TypeEngine] = {}


def register_python_type(python_type: type, sql_type: TypeEngine) -> None:
    """Make values of ``python_type`` bind as ``sql_type`` when no type was given."""
    _PYTHON_TYPES[python_type] = sql_type


def type_for_value(value: Any) -> TypeEngine:
    """The SQL type a bare value binds as: by its exact class, then its bases, else NullType."""
    if value is None:
        return NULLTYPE
    cls = type(value)
    found = _PYTHON_TYPES.get(cls)
    if found is not None:
        return found
    for base in cls.__mro__[1:]:
        found = _PYTHON_TYPES.get(base)
        if found is not None:
            return found
    return NULLTYPE
