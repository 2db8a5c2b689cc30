"""Per-object ORM bookkeeping: InstanceState, attribute history and ``inspect(obj)``.

An object is *transient* (no identity, no session), *pending* (added to a session, not
flushed), *persistent* (has an identity key and a session), *deleted* (deleted in a flush, the
transaction not yet committed) or *detached* (has an identity key, belongs to no session).
The Session moves objects between those states; this module only keeps the record.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlwright.inspection import _self_inspects
from sqlwright.orm import exc as orm_exc
from sqlwright.orm.base import NO_VALUE, state_str

if TYPE_CHECKING:
    from sqlwright.orm.mapper import Mapper

__all__ = ["AttributeState", "History", "IdentityKey", "InstanceState"]

#: ``(mapped class, primary key tuple, identity token)``
IdentityKey = tuple[type, tuple[Any, ...], Any]


class History(NamedTuple):
    """What changed in an attribute since it was last loaded or flushed.

    ``added``: the new value(s); ``unchanged``: the loaded value when nothing changed;
    ``deleted``: the value(s) replaced. Each is a tuple (empty when not applicable).
    """

    added: Sequence[Any]
    unchanged: Sequence[Any]
    deleted: Sequence[Any]

    def has_changes(self) -> bool:
        """True when something was added or deleted."""
        return bool(self.added or self.deleted)

    def empty(self) -> bool:
        """True when the attribute has no value and no change."""
        return not (self.added or self.unchanged or self.deleted)

    def non_deleted(self) -> Sequence[Any]:
        """added + unchanged."""
        return tuple(self.added) + tuple(self.unchanged)

    def sum(self) -> Sequence[Any]:
        """added + unchanged + deleted."""
        return tuple(self.added) + tuple(self.unchanged) + tuple(self.deleted)


HISTORY_BLANK = History((), (), ())


def scalar_history(state: InstanceState, key: str) -> History:
    """The History of scalar attribute ``key`` of ``state``."""
    current = state.dict.get(key, NO_VALUE)
    if key not in state.committed_state:
        if current is NO_VALUE:
            return HISTORY_BLANK
        return History((), (current,), ())
    original = state.committed_state[key]
    if original is not NO_VALUE and _same(original, current):
        return History((), (current,), ())
    added = () if current is NO_VALUE else (current,)
    deleted = () if original is NO_VALUE else (original,)
    return History(added, (), deleted)


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        return bool(a == b)
    except Exception:  # values whose == builds SQL or raises are simply "different"
        return False


class AttributeState:
    """One attribute of one object, as seen by ``inspect(obj).attrs.<key>``."""

    __slots__ = ("key", "state")

    def __init__(self, state: InstanceState, key: str) -> None:
        self.state = state
        self.key = key

    @property
    def value(self) -> Any:
        """The current value, loading it if it is expired or deferred."""
        return getattr(self.state._strong_obj_or_raise(), self.key)

    @property
    def loaded_value(self) -> Any:
        """The value in the object's dict, or NO_VALUE when not loaded; never loads."""
        return self.state.dict.get(self.key, NO_VALUE)

    @property
    def history(self) -> History:
        """The attribute's History; never loads."""
        return self.state.get_history(self.key)

    def load_history(self) -> History:
        """The History, loading the attribute first if it is not loaded."""
        self.value  # noqa: B018 - reading loads it
        return self.history

    def __repr__(self) -> str:
        return f"<AttributeState {self.key!r}>"


class _AttrsView:
    """``inspect(obj).attrs``: AttributeStates by key, as attributes or items."""

    __slots__ = ("_state",)

    def __init__(self, state: InstanceState) -> None:
        self._state = state

    def _keys(self) -> list[str]:
        return list(self._state.mapper.attrs.keys())

    def __getattr__(self, key: str) -> AttributeState:
        if key.startswith("_"):
            raise AttributeError(key)
        return self[key]

    def __getitem__(self, key: str) -> AttributeState:
        if key not in self._state.mapper.attrs:
            raise KeyError(
                f"{self._state.class_.__name__} has no mapped attribute {key!r}; its attributes "
                f"are: {', '.join(self._keys())}")
        return AttributeState(self._state, key)

    def __iter__(self) -> Iterator[AttributeState]:
        return (AttributeState(self._state, k) for k in self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def __contains__(self, key: object) -> bool:
        return key in self._state.mapper.attrs

    def keys(self) -> list[str]:
        """The attribute keys."""
        return self._keys()

    def items(self) -> list[tuple[str, AttributeState]]:
        """(key, AttributeState) pairs."""
        return [(k, AttributeState(self._state, k)) for k in self._keys()]


@_self_inspects
class InstanceState:
    """The ORM's record of one mapped object: identity, session membership and changes.

    ``dict`` is the object's ``__dict__`` (the loaded attribute values). ``committed_state``
    maps an attribute key to its value before the first change since the last flush (a key
    that is absent is unchanged). ``expired_attributes`` are keys to load on next access.
    The Session sets ``key``, ``session_id``, ``_deleted`` and calls ``_commit_all()``.
    """

    __slots__ = (
        "__weakref__",
        "_deleted",
        "_expired_attributes",
        "_orphaned_outside_of_session",
        "_strong_obj",
        "class_",
        "committed_state",
        "expired",
        "key",
        "load_options",
        "manager",
        "modified",
        "obj",
        "runid",
        "session_id",
    )

    def __init__(self, obj: object, manager: Any) -> None:
        self.obj = weakref.ref(obj)
        self.class_: type = type(obj)
        self.manager = manager
        self.committed_state: dict[str, Any] = {}
        # created on first use: most loaded objects never expire an attribute
        self._expired_attributes: set[str] | None = None
        self.expired = False
        self.key: Any = None
        self.session_id: int | None = None
        self.modified = False
        self._deleted = False
        self._strong_obj: object | None = None
        self.load_options: tuple[Any, ...] = ()
        self._orphaned_outside_of_session = False
        self.runid: int | None = None

    # -- identity and lifecycle --------------------------------------------------------------
    @property
    def expired_attributes(self) -> set[str]:
        """Keys of attributes to load on next access (a set that may be changed in place)."""
        expired = self._expired_attributes
        if expired is None:
            expired = self._expired_attributes = set()
        return expired

    @expired_attributes.setter
    def expired_attributes(self, keys: set[str]) -> None:
        self._expired_attributes = keys

    @property
    def mapper(self) -> Mapper:
        """The object's Mapper."""
        return self.manager.mapper

    @property
    def object(self) -> Any:
        """The object, or None if it was garbage collected."""
        return self.obj()

    @property
    def identity_key(self) -> Any:
        """The identity key ``(class, primary key tuple, None)`` or None before the flush."""
        return self.key

    @property
    def identity(self) -> tuple[Any, ...] | None:
        """The primary key tuple, or None when the object has no identity yet."""
        return None if self.key is None else self.key[1]

    @property
    def has_identity(self) -> bool:
        """True once the object has a row (flushed or loaded)."""
        return self.key is not None

    @property
    def session(self) -> Any:
        """The Session the object belongs to, or None."""
        if self.session_id is None:
            return None
        from sqlwright.orm.session import _state_session

        return _state_session(self)

    @property
    def _attached(self) -> bool:
        return self.session_id is not None and self.session is not None

    @property
    def transient(self) -> bool:
        """No identity and no session."""
        return self.key is None and not self._attached

    @property
    def pending(self) -> bool:
        """Added to a session, not flushed yet."""
        return self.key is None and self._attached

    @property
    def persistent(self) -> bool:
        """Has an identity and belongs to a session (and was not deleted)."""
        return self.key is not None and self._attached and not self._deleted

    @property
    def deleted(self) -> bool:
        """Deleted by a flush whose transaction is still open."""
        return self.key is not None and self._attached and self._deleted

    @property
    def was_deleted(self) -> bool:
        """True once a flush deleted the object's row (stays True after detaching)."""
        return self._deleted

    @property
    def detached(self) -> bool:
        """Has an identity, belongs to no session."""
        return self.key is not None and not self._attached

    @property
    def attrs(self) -> _AttrsView:
        """Per-attribute states: ``inspect(obj).attrs.name.history``."""
        return _AttrsView(self)

    @property
    def unmodified(self) -> set[str]:
        """Keys of mapped attributes without pending changes."""
        return set(self.mapper.attrs.keys()) - set(self.committed_state)

    @property
    def unloaded(self) -> set[str]:
        """Keys of mapped attributes with no value loaded."""
        dict_ = self.dict
        return {k for k in self.mapper.attrs if k not in dict_}

    def _strong_obj_or_raise(self) -> Any:
        obj = self.obj()
        if obj is None:
            raise orm_exc.ObjectDeletedError("The object was garbage collected")
        return obj

    # -- change tracking ---------------------------------------------------------------------
    def get_history(self, key: str) -> History:
        """The History of attribute ``key`` (never loads)."""
        prop = self.mapper.attrs.get(key)
        if prop is not None and hasattr(prop, "_history"):
            return prop._history(self)
        return scalar_history(self, key)

    def _modified_event(self, key: str, previous: Any) -> None:
        """Record ``previous`` as the value before the first change of ``key``."""
        if key not in self.committed_state:
            self.committed_state[key] = previous
        if not self.modified:
            self.modified = True
            self._on_modified()

    def _on_modified(self) -> None:
        """Tell the owning Session (if any) that this object changed."""
        if self.session_id is None:
            return
        from sqlwright.orm.session import _state_session

        session = _state_session(self)
        if session is not None:
            session._register_modified(self)

    def _commit(self, keys: Iterable[str]) -> None:
        """Forget the changes of ``keys`` (they were written)."""
        expired = self._expired_attributes
        for key in keys:
            self.committed_state.pop(key, None)
            if expired:
                expired.discard(key)
        if not self.committed_state:
            self.modified = False

    def _commit_all(self) -> None:
        """Forget all changes: called after a flush wrote them (or a load replaced them)."""
        self.committed_state.clear()
        self.modified = False
        if self._expired_attributes:
            dict_ = self.dict
            self._expired_attributes = {k for k in self._expired_attributes if k not in dict_}

    # -- expiry and loading --------------------------------------------------------------------
    def _expire(self, keys: Iterable[str] | None = None) -> None:
        """Drop loaded values so the next access reloads them (all mapped attributes if None).

        Pending changes of those attributes are discarded. Fires the ``expire`` instance event.
        """
        mapper = self.mapper
        if keys is None:
            keys = [k for k, prop in mapper.attrs.items() if prop._expirable]
            self.expired = True
            whole = True
        else:
            keys = list(keys)
            whole = False
        dict_ = self.dict
        for key in keys:
            dict_.pop(key, None)
            self.committed_state.pop(key, None)
            self.expired_attributes.add(key)
        if whole or not self.committed_state:
            self.modified = False
            if whole:
                self.committed_state.clear()
        obj = self.obj()
        dispatch = mapper.dispatch
        if dispatch.expire and obj is not None:
            dispatch.expire(obj, None if whole else keys)

    def _load_attributes(self, keys: Iterable[str]) -> None:
        """Load ``keys`` from the database through the owning Session.

        Raises DetachedInstanceError (naming the attribute and the fix) without a session.
        """
        keys = list(keys)
        session = self.session
        if session is None:
            names = ", ".join(repr(k) for k in keys)
            raise orm_exc.DetachedInstanceError(
                f"Attribute {names} of {state_str(self)} is not loaded and the object is "
                "detached (it belongs to no Session), so it cannot be loaded. Keep the Session "
                "open while reading it, set expire_on_commit=False, refresh it before closing, "
                "or add it to a Session with session.add(obj) / session.merge(obj)")
        session._load_on_state(self, keys)
        self.expired_attributes.difference_update(keys)
        if not self.expired_attributes:
            self.expired = False

    def _snapshot(self) -> tuple[Any, ...]:
        """Everything :meth:`_restore` needs to return the object to this moment."""
        dict_ = self.dict
        values = {k: dict_[k] for k in self.manager.mapper._props if k in dict_}
        return (values, dict(self.committed_state), set(self._expired_attributes or ()),
                self.modified, self.key, self._deleted, self.expired)

    def _restore(self, snapshot: tuple[Any, ...]) -> None:
        """Put the attribute values, changes and identity back as :meth:`_snapshot` saw them."""
        values, committed, expired, modified, key, deleted, whole = snapshot
        dict_ = self.dict
        for k in list(self.manager.mapper._props):
            if k in values:
                dict_[k] = values[k]
            else:
                dict_.pop(k, None)
        self.committed_state = dict(committed)
        self._expired_attributes = set(expired) if expired else None
        self.modified = modified
        self.key = key
        self._deleted = deleted
        self.expired = whole

    def _set_loaded(self, values: dict[str, Any]) -> None:
        """Store freshly loaded column values (a row); discards their pending changes."""
        self.dict.update(values)
        for key in values:
            self.committed_state.pop(key, None)
        expired = self._expired_attributes
        if expired:
            expired.difference_update(values)
        if not expired:
            self.expired = False
        if not self.committed_state:
            self.modified = False

    def __repr__(self) -> str:
        return f"<InstanceState of {state_str(self)} key={self.key!r}>"

    # defined last: the name shadows the builtin for the rest of the class body
    @property
    def dict(self) -> dict[str, Any]:
        """The object's ``__dict__`` (its loaded values); empty once it was garbage collected.

        Read through the weak reference so the state and the object's dict form no reference
        cycle: a dropped object is freed at once, without waiting for the garbage collector.
        """
        obj = self.obj()
        return obj.__dict__ if obj is not None else {}


_self_inspects(InstanceState)
