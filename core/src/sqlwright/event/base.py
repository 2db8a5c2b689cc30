"""The event machinery: event families, listener records, dispatch objects and collections.

An event *family* is a subclass of :class:`Events` whose public methods name and document its
events. A *target* class carries ``dispatch = dispatcher(SomeEvents)``; ``Target.dispatch`` is
the class-level dispatch and ``target.dispatch`` the instance-level one. ``dispatch.<event>``
is a :class:`ListenerCollection`, an immutable tuple of ready-to-call listeners that is replaced
(never mutated) whenever listeners change, so the empty check in emitting code is a plain
attribute lookup plus a C-level tuple truth test, and an emission in flight always sees a
consistent snapshot. Each family gets its own Dispatch subclass with one slot per event, and
Dispatch deliberately has no ``__getattr__``: either would stop CPython from specialising those
attribute reads and double or triple their cost.
"""

from __future__ import annotations

import inspect
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright.exc import ArgumentError, InvalidRequestError

__all__ = [
    "Events",
    "Listener",
    "ListenerCollection",
    "Dispatch",
    "dispatcher",
    "families_for",
    "all_families",
]

# One lock for every registration change; listening is a setup-time activity.
_registry_lock = threading.RLock()

# Event name -> the families defining it, in definition order.
_families_by_event: dict[str, list[type[Events]]] = {}
_all_families: list[type[Events]] = []

# Class-level listener records, per target class, per event name.
_class_listeners: weakref.WeakKeyDictionary[type, dict[str, list[Listener]]] = (
    weakref.WeakKeyDictionary()
)

# Every dispatch in existence: class-level listener changes refresh them.
_live_dispatches: weakref.WeakSet[Dispatch] = weakref.WeakSet()

# Class-level dispatch objects, one per target class.
_class_dispatches: weakref.WeakKeyDictionary[type, Dispatch] = weakref.WeakKeyDictionary()


class Events:
    """Base class of an event family (``PoolEvents``, ``ConnectionEvents``, ...).

    Each public method of a subclass names one event; its parameters are the arguments listeners
    receive and its docstring documents them. Subclasses register themselves when defined, so
    :func:`sqlwright.event.listen` can find the family that handles an event name for a target.

    Subclasses implement :meth:`_accept_with` and may declare ``_retval_events``, mapping an event
    name to the argument names a ``retval=True`` listener returns. ``_target_description`` is
    used in error messages ("a Pool or an Engine").
    """

    _retval_events: ClassVar[dict[str, tuple[str, ...]]] = {}
    _target_description: ClassVar[str] = ""

    # Filled in by __init_subclass__.
    _event_names: ClassVar[frozenset[str]] = frozenset()
    _event_args: ClassVar[dict[str, tuple[str, ...]]] = {}
    _dispatch_class: ClassVar[type[Dispatch]]

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        args: dict[str, tuple[str, ...]] = {}
        for klass in reversed(cls.__mro__):
            if klass is Events or not issubclass(klass, Events):
                continue
            for name, member in vars(klass).items():
                if name.startswith("_") or not inspect.isfunction(member):
                    continue
                params = list(inspect.signature(member).parameters)[1:]
                args[name] = tuple(params)
        cls._event_args = args
        cls._event_names = frozenset(args)
        _check_retval_declaration(cls)
        # One dispatch class per family, with a slot per event: slot reads are the fastest
        # attribute reads CPython has, whatever the number of events.
        cls._dispatch_class = type(
            f"{cls.__name__}Dispatch", (Dispatch,), {"__slots__": tuple(sorted(args))}
        )
        with _registry_lock:
            _all_families.append(cls)
            for name in args:
                _families_by_event.setdefault(name, []).append(cls)

    @classmethod
    def _accept_with(cls, target: object, identifier: str) -> object | None:
        """Return the object or class whose dispatch receives listeners given ``target``.

        ``target`` is what the user passed to ``listen()``. Return None when this family does not
        handle it. The default accepts a class, or an instance of a class, whose ``dispatch``
        attribute is a :class:`dispatcher` of this family (or of a subclass of it).
        """
        klass = target if isinstance(target, type) else type(target)
        found = inspect.getattr_static(klass, "dispatch", None)
        if isinstance(found, dispatcher) and issubclass(found.events, cls):
            return target
        return None

    @classmethod
    def _listen(cls, target: object, listener: Listener, **options: Any) -> None:
        """Attach a listener record to the dispatch of ``target`` (the accepted target).

        Families that take extra ``listen()`` options (the ORM's ``raw=``, for example) override
        this, adjust ``listener.call`` and call the base implementation. The base rejects
        any option it is given.
        """
        if options:
            names = ", ".join(sorted(options))
            raise ArgumentError(
                f"Unknown listen() option(s) {names} for {listener.identifier!r} events of "
                f"{cls.__name__}; the options are retval, once, insert, propagate and named."
            )
        dispatch_of(target)._add(listener)

    @classmethod
    def _remove(cls, target: object, identifier: str, fn: Callable[..., Any]) -> bool:
        """Unregister ``fn`` from the accepted ``target``; return False if it was not there."""
        return dispatch_of(target)._remove(identifier, fn)

    @classmethod
    def _contains(cls, target: object, identifier: str, fn: Callable[..., Any]) -> bool:
        """Tell whether ``fn`` is registered directly on the accepted ``target``."""
        with _registry_lock:
            return dispatch_of(target)._find(identifier, fn) is not None


def _check_retval_declaration(cls: type[Events]) -> None:
    for name, returned in cls._retval_events.items():
        params = cls._event_args.get(name)
        if params is None:
            raise TypeError(f"{cls.__name__}._retval_events names an unknown event {name!r}")
        missing = [arg for arg in returned if arg not in params]
        if missing or not returned:
            raise TypeError(
                f"{cls.__name__}._retval_events[{name!r}] must name parameters of the event; "
                f"unknown: {missing}"
            )


def families_for(identifier: str) -> list[type[Events]]:
    """Return the event families that define an event named ``identifier``."""
    with _registry_lock:
        return list(_families_by_event.get(identifier, ()))


def all_families() -> list[type[Events]]:
    """Return every registered event family, in definition order."""
    with _registry_lock:
        return list(_all_families)


@dataclass(eq=False)
class Listener:
    """One registration made by ``listen()``.

    ``fn`` is the user's function; ``call`` is what the collection invokes (``fn`` itself, or a
    wrapper implementing ``once``, ``named`` and the return-value pass-through). ``propagate``
    is recorded for families (the ORM) that copy listeners to subclasses.
    """

    fn: Callable[..., Any]
    identifier: str
    retval: bool = False
    once: bool = False
    insert: bool = False
    propagate: bool = False
    named: bool = False
    call: Callable[..., Any] = field(init=False)

    def __post_init__(self) -> None:
        self.call = self.fn


class ListenerCollection(tuple[Callable[..., Any], ...]):
    """An immutable, ordered snapshot of the callables listening for one event.

    ``bool()`` is true iff any listener applies, iterating yields the callables and calling
    the collection calls each in order with the same arguments.
    """

    __slots__ = ()

    def __call__(self, *args: Any, **kw: Any) -> None:
        for fn in self:
            fn(*args, **kw)

    def __repr__(self) -> str:
        return f"ListenerCollection({list(self)!r})"


class Dispatch:
    """The listeners of one target (a class, or one instance) for every event of its family.

    Attribute ``<event name>`` is a :class:`ListenerCollection`, replaced whenever listeners
    are added or removed. The collections live in slots of the family's Dispatch subclass and
    are set eagerly (an instance dispatch starts with its class's collections), so reading
    one is as cheap as any attribute read.
    """

    __slots__ = ("__weakref__", "_cls", "_events", "_own", "_parent")

    def __init__(self, events: type[Events], cls: type, parent: Dispatch | None) -> None:
        self._events = events
        self._cls = cls
        self._parent = parent
        # Instance-level listener records; None for a class-level dispatch.
        self._own: dict[str, list[Listener]] | None = None if parent is None else {}
        with _registry_lock:
            for name in events._event_names:
                self._refresh(name)
            _live_dispatches.add(self)

    if TYPE_CHECKING:
        # For type checkers only: the event collections are set as instance attributes.
        def __getattr__(self, name: str) -> ListenerCollection: ...

    def __repr__(self) -> str:
        level = "instance" if self._own is not None else "class"
        return f"<{self._events.__name__} dispatch for {self._cls.__name__} ({level} level)>"

    def _build(self, name: str) -> ListenerCollection:
        if self._parent is not None:
            inherited: ListenerCollection = getattr(self._parent, name)
            own = self._own.get(name) if self._own else None
            if not own:
                return inherited
            return ListenerCollection(inherited + tuple(rec.call for rec in own))
        calls: list[Callable[..., Any]] = []
        for klass in reversed(self._cls.__mro__):
            per_event = _class_listeners.get(klass)
            if per_event:
                calls.extend(rec.call for rec in per_event.get(name, ()))
        return ListenerCollection(calls)

    def _refresh(self, name: str) -> None:
        setattr(self, name, self._build(name))

    def _records_list(self, name: str, create: bool) -> list[Listener] | None:
        if self._own is not None:
            return self._own.setdefault(name, []) if create else self._own.get(name)
        if create:
            return _class_listeners.setdefault(self._cls, {}).setdefault(name, [])
        per_event = _class_listeners.get(self._cls)
        return per_event.get(name) if per_event else None

    def _listener_records(self, name: str) -> tuple[Listener, ...]:
        """Return the records registered directly on this target (not inherited) for ``name``."""
        with _registry_lock:
            return tuple(self._records_list(name, create=False) or ())

    def _find(self, name: str, fn: Callable[..., Any]) -> Listener | None:
        for rec in self._records_list(name, create=False) or ():
            if rec.fn == fn:
                return rec
        return None

    def _add(self, listener: Listener) -> None:
        """Register ``listener``; a function already registered for the event is ignored."""
        name = listener.identifier
        with _registry_lock:
            if self._find(name, listener.fn) is not None:
                return
            records = self._records_list(name, create=True)
            assert records is not None
            _place(records, listener)
            self._changed(name)

    def _remove(self, name: str, fn: Callable[..., Any]) -> bool:
        """Unregister ``fn`` for event ``name``; return False when it was not registered."""
        with _registry_lock:
            rec = self._find(name, fn)
            if rec is None:
                return False
            records = self._records_list(name, create=False)
            assert records is not None
            records.remove(rec)
            self._changed(name)
            return True

    def _changed(self, name: str) -> None:
        if self._own is not None:
            self._refresh(name)
            return
        affected = [d for d in list(_live_dispatches) if issubclass(d._cls, self._cls)]
        # Class-level dispatches first: instance collections are built on top of them.
        for dispatch in affected:
            if dispatch._own is None:
                dispatch._refresh(name)
        for dispatch in affected:
            if dispatch._own is not None:
                dispatch._refresh(name)

    def _update(self, other: Dispatch) -> None:
        """Copy the instance-level listeners of ``other`` into this instance-level dispatch."""
        if self._own is None or other._own is None:
            raise InvalidRequestError(
                "dispatch._update() copies listeners between instance-level dispatches only"
            )
        with _registry_lock:
            for name, records in other._own.items():
                if name not in self._events._event_names:
                    continue
                mine = self._records_list(name, create=True)
                assert mine is not None
                fresh = [rec for rec in records if self._find(name, rec.fn) is None]
                mine[:0] = [rec for rec in fresh if rec.insert]
                mine.extend(rec for rec in fresh if not rec.insert)
                self._refresh(name)


def _place(records: list[Listener], listener: Listener) -> None:
    # insert=True listeners go first, before the earlier insert=True ones.
    if listener.insert:
        records.insert(0, listener)
    else:
        records.append(listener)


class dispatcher:  # lower case like property(): it is a descriptor
    """Descriptor giving a target class its event dispatch: ``dispatch = dispatcher(PoolEvents)``.

    On the class it returns the class-level :class:`Dispatch`; on an instance it creates the
    instance-level one on first access and stores it in the instance's ``__dict__`` (so later
    lookups are plain attribute reads).
    """

    def __init__(self, events: type[Events]) -> None:
        self.events = events
        self.name = "dispatch"

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: object | None, owner: type | None = None) -> Dispatch:
        if obj is None:
            assert owner is not None
            return self._class_dispatch(owner)
        cls = type(obj)
        dispatch = self.events._dispatch_class(self.events, cls, self._class_dispatch(cls))
        try:
            # setattr, not __dict__[...]: touching __dict__ would slow every attribute read
            # of obj on CPython 3.11+.
            object.__setattr__(obj, self.name, dispatch)
        except AttributeError:
            raise TypeError(
                f"{type(obj).__name__} instances need a __dict__ to "
                "hold their event dispatch"
            ) from None
        return dispatch

    def _class_dispatch(self, owner: type) -> Dispatch:
        with _registry_lock:
            dispatch = _class_dispatches.get(owner)
            if dispatch is None:
                dispatch = self.events._dispatch_class(self.events, owner, None)
                _class_dispatches[owner] = dispatch
            return dispatch


def dispatch_of(target: object) -> Dispatch:
    """Return the dispatch of an accepted target, or raise InvalidRequestError."""
    dispatch = getattr(target, "dispatch", None)
    if not isinstance(dispatch, Dispatch):
        raise InvalidRequestError(
            f"{target!r} has no event dispatch; give its class "
            "`dispatch = dispatcher(SomeEvents)`"
        )
    return dispatch
