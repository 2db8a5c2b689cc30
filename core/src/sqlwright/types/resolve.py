"""Choosing a SQL type for a plain Python value (the type of a literal or an untyped bind)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlwright.types.base import NULLTYPE, TypeEngine

__all__ = ["register_python_type", "type_for_value"]

TypeFactory = Callable[[Any], TypeEngine]

#: Python type -> SQL type instance, or a factory building one from the value (enum members).
_PYTHON_TYPES: dict[type, TypeEngine | TypeFactory] = {}


def register_python_type(python_type: type, sql_type: TypeEngine | TypeFactory) -> None:
    """Make values of ``python_type`` (and its subclasses) bind as ``sql_type``.

    ``sql_type`` is a type instance, or a function taking the value and returning one (so an
    enum member binds as an Enum of its own class).
    """
    _PYTHON_TYPES[python_type] = sql_type


def type_for_value(value: Any) -> TypeEngine:
    """The SQL type a bare value binds as: by its exact class, then its bases, else NullType."""
    if value is None:
        return NULLTYPE
    cls = type(value)
    found = _PYTHON_TYPES.get(cls)
    if found is None:
        for base in cls.__mro__[1:]:
            found = _PYTHON_TYPES.get(base)
            if found is not None:
                break
        else:
            return NULLTYPE
    if isinstance(found, TypeEngine):
        return found
    return found(value)
