"""The Session's identity map: one object per database row, held weakly.

An entry maps an identity key ``(class, primary key tuple, None)`` to the object's
:class:`~sqlwright.orm.state.InstanceState`. The map does not keep clean objects alive: when
the application drops its last reference to an unmodified object, the entry disappears. An
object with unflushed changes is held strongly until the next flush so its changes are not lost.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["IdentitySet", "WeakInstanceDict"]


class WeakInstanceDict:
    """Identity key -> object, holding clean objects weakly and modified ones strongly."""

    def __init__(self) -> None:
        self._refs: dict[Any, weakref.ref[Any]] = {}
        self._states: dict[Any, Any] = {}
        self._strong: dict[Any, Any] = {}

    # -- internal API used by the Session -----------------------------------------------------
    def _add(self, state: Any, obj: Any) -> None:
        """Register ``obj`` (whose state is ``state``) under ``state.key``."""
        key = state.key
        states = self._states
        refs = self._refs

        def _gone(_ref: weakref.ref[Any], key: Any = key) -> None:
            if refs.get(key) is _ref:
                del refs[key]
                states.pop(key, None)

        refs[key] = weakref.ref(obj, _gone)
        states[key] = state
        if getattr(state, "modified", False):
            self._strong[key] = obj

    def _replace_key(self, old_key: Any, state: Any, obj: Any) -> None:
        """Move an entry to ``state.key`` (a primary key changed during a flush)."""
        self._remove_key(old_key)
        self._add(state, obj)

    def _remove_key(self, key: Any) -> None:
        self._refs.pop(key, None)
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
        self._refs.clear()
        self._states.clear()
        self._strong.clear()

    def _state_for(self, key: Any) -> Any:
        """The state registered under ``key`` whose object is still alive, or None."""
        ref = self._refs.get(key)
        if ref is None or ref() is None:
            return None
        return self._states.get(key)

    def all_states(self) -> list[Any]:
        """The states of every live object in the map."""
        return [state for key, state in list(self._states.items())
                if (ref := self._refs.get(key)) is not None and ref() is not None]

    # -- mapping API --------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        ref = self._refs.get(key)
        obj = ref() if ref is not None else None
        if obj is None:
            raise KeyError(key)
        return obj

    def get(self, key: Any, default: Any = None) -> Any:
        """The object with identity ``key``, or ``default``."""
        ref = self._refs.get(key)
        obj = ref() if ref is not None else None
        return default if obj is None else obj

    def __contains__(self, key: object) -> bool:
        ref = self._refs.get(key)
        return ref is not None and ref() is not None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def keys(self) -> list[Any]:
        """The identity keys of the live objects."""
        return [key for key, ref in list(self._refs.items()) if ref() is not None]

    def values(self) -> list[Any]:
        """The live objects."""
        return [obj for ref in list(self._refs.values()) if (obj := ref()) is not None]

    def items(self) -> list[tuple[Any, Any]]:
        """(identity key, object) pairs of the live objects."""
        return [(key, obj) for key, ref in list(self._refs.items())
                if (obj := ref()) is not None]

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
