"""``inspect(subject)``: the run-time inspection entry point.

Mapped classes give their Mapper, mapped objects their InstanceState, Engines and Connections
an Inspector (schema reflection). Other packages add subjects with :func:`_inspects`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["inspect"]

_F = TypeVar("_F", bound=Callable[..., Any])

#: type -> function(subject) returning its inspection; looked up along the subject's MRO.
_registrars: dict[type, Callable[[Any], Any]] = {}


def _inspects(*types: type) -> Callable[[_F], _F]:
    """Decorator registering ``fn(subject)`` as the inspection of instances of ``types``."""

    def decorate(fn: _F) -> _F:
        for type_ in types:
            _registrars[type_] = fn
        return fn

    return decorate


def _self_inspects(cls: type) -> type:
    """Class decorator: instances of ``cls`` are their own inspection."""
    _registrars[cls] = _identity
    return cls


def _identity(subject: Any) -> Any:
    return subject


def _orm_inspection(subject: Any) -> Any:
    """The ORM's answer for ``subject``, or None when it is not an ORM subject."""
    from sqlwright.orm.base import _mapper_or_none, instance_state

    if isinstance(subject, type):
        return _mapper_or_none(subject)
    if _mapper_or_none(type(subject)) is not None:
        return instance_state(subject)
    return None


def inspect(subject: Any, raiseerr: bool = True) -> Any:
    """The inspection of ``subject``: a mapped class -> its Mapper, a mapped object -> its
    InstanceState, an Engine or Connection -> an Inspector (schema reflection).

    Raises an error naming what can be inspected for anything else unless ``raiseerr`` is
    False, in which case it returns None.
    """
    import sqlwright.dialects.reflection  # noqa: F401 - registers Engine and Connection

    for klass in type(subject).__mro__:
        fn = _registrars.get(klass)
        if fn is not None:
            return fn(subject)
    found = _orm_inspection(subject)
    if found is not None:
        return found
    if not raiseerr:
        return None
    if isinstance(subject, type):
        from sqlwright.orm.exc import UnmappedClassError

        raise UnmappedClassError(subject)
    from sqlwright import exc

    raise exc.InvalidRequestError(
        f"No inspection is available for {type(subject).__name__}; inspect() takes an Engine "
        "or a Connection, a mapped class or a mapped object")
