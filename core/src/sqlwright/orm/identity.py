"""The Session's identity map: one object per database row, held weakly.

An entry maps an identity key ``(class, primary key tuple, None)`` to the object's
:class:`~sqlwright.orm.state.InstanceState`. The map does not keep clean objects alive: when
the application drops its last reference to an unmodified object, the entry disappears. An
object with unflushed changes is held strongly until the next flush so its changes are not lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["IdentitySet", "WeakInstanceDict"]


#: the map drops the entries of collected objects once it holds this many entries (at least)
_MIN_SWEEP = 1024


class WeakInstanceDict:
    """Identity key -> object, holding clean objects weakly and modified ones strongly.

    An entry is the object's state; the object is alive while ``state.obj()`` is not None.
    Entries of collected objects are dropped in one sweep whenever the map has grown to twice
    its live size (so a long session streaming many objects stays small), never one callback
    per collected object.
    """

    def __init__(self) -> None:
        self._states: dict[Any, Any] = {}
        self._strong: dict[Any, Any] = {}
        self._sweep_at = _MIN_SWEEP

    # -- internal API used by the Session -----------------------------------------------------
    def _add(self, state: Any, obj: Any) -> None:
        """Register ``obj`` (whose state is ``state``) under ``state.key``."""
        key = state.key
        self._states[key] = state
        if getattr(state, "modified", False):
            self._strong[key] = obj
        if len(self._states) > self._sweep_at:
            self._sweep()


    def _sweep(self) -> None:
        """Drop the entries whose objects were garbage collected."""
        states = self._states
        dead = [key for key, state in states.items() if state.obj() is None]
        for key in dead:
            del states[key]
        self._sweep_at = max(_MIN_SWEEP, 2 * len(states))

    def _replace_key(self, old_key: Any, state: Any, obj: Any) -> None:
        """Move an entry to ``state.key`` (a primary key changed during a flush)."""
        self._remove_key(old_key)
        self._add(state, obj)

    def _remove_key(self, key: Any) -> None:
        self._states.pop(key, None)
        self._strong.pop(key, None)

    def _discard(self, state: Any) -> None:
        """Remove ``state``'s entry if it is the one registered under its key."""
        key = state.key
        if key is not None and self._states.get(key) is state:
            self._remove_key(key)

    def _hold(self, state: Any) -> None:
        """Keep a modified object alive until :meth:`_release_all` (after a flush)."""
        key = state.key
        obj = state.obj()
        if key is not None and obj is not None and self._states.get(key) is state:
            self._strong[key] = obj

    def _release_all(self) -> None:
        self._strong.clear()

    def _clear(self) -> None:
        self._states.clear()
        self._strong.clear()
        self._sweep_at = _MIN_SWEEP

    def _state_for(self, key: Any) -> Any:
        """The state registered under ``key`` whose object is still alive, or None."""
        state = self._states.get(key)
        if state is None or state.obj() is None:
            return None
        return state

    def all_states(self) -> list[Any]:
        """The states of every live object in the map."""
        return [state for state in list(self._states.values()) if state.obj() is not None]

    # -- mapping API --------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        state = self._states.get(key)
        obj = state.obj() if state is not None else None
        if obj is None:
            raise KeyError(key)
        return obj

    def get(self, key: Any, default: Any = None) -> Any:
        """The object with identity ``key``, or ``default``."""
        state = self._states.get(key)
        obj = state.obj() if state is not None else None
        return default if obj is None else obj

    def __contains__(self, key: object) -> bool:
        state = self._states.get(key)
        return state is not None and state.obj() is not None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def keys(self) -> list[Any]:
        """The identity keys of the live objects."""
        return [key for key, state in list(self._states.items()) if state.obj() is not None]

    def values(self) -> list[Any]:
        """The live objects."""
        return [obj for state in list(self._states.values()) if (obj := state.obj()) is not None]

    def items(self) -> list[tuple[Any, Any]]:
        """(identity key, object) pairs of the live objects."""
        return [(key, obj) for key, state in list(self._states.items())
                if (obj := state.obj()) is not None]

    def __repr__(self) -> str:
        return f"<WeakInstanceDict with {len(self)} objects>"


class IdentitySet:
    """A set of objects compared by identity (mapped classes may define their own ``==``)."""

    def __init__(self, iterable: Iterable[Any] = ()) -> None:
        self._members: dict[int, Any] = {}
        for obj in iterable:
            self._members[id(obj)] = obj

    def add(self, obj: Any) -> None:
        """Add ``obj``."""
        self._members[id(obj)] = obj

    def discard(self, obj: Any) -> None:
        """Remove ``obj`` if present."""
        self._members.pop(id(obj), None)

    def __contains__(self, obj: object) -> bool:
        return id(obj) in self._members

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._members.values()))

    def __len__(self) -> int:
        return len(self._members)

    def __bool__(self) -> bool:
        return bool(self._members)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdentitySet):
            return self._members.keys() == other._members.keys()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"IdentitySet({list(self._members.values())!r})"
