"""ORM event families: mapper events, instance events and attribute events.

Mapper and instance events are listened for on a mapped class, on a declarative base or mixin
(then every mapped subclass fires them), or on a Mapper. Attribute events are listened for on
an attribute: ``event.listen(User.email, "set", fn)``. ``raw=True`` passes the InstanceState
instead of the object.
"""

from __future__ import annotations

import inspect as _inspect
import weakref
from collections.abc import Callable
from typing import Any, ClassVar

from sqlwright.event.base import Dispatch, Events, Listener, dispatcher

__all__ = ["AttributeEvents", "InstanceEvents", "MapperEvents", "mapper_dispatch"]

_dispatches: weakref.WeakKeyDictionary[type, Dispatch] = weakref.WeakKeyDictionary()


class _ClassTarget:
    """What ``listen()`` registers on: the class-level dispatch of one class."""

    __slots__ = ("dispatch",)

    def __init__(self, dispatch: Dispatch) -> None:
        self.dispatch = dispatch


def mapper_dispatch(cls: type) -> Dispatch:
    """The class-level dispatch of mapper and instance events for ``cls`` (listeners on its
    base classes included)."""
    found = _dispatches.get(cls)
    if found is None:
        found = MapperEvents._dispatch_class(MapperEvents, cls, None)
        _dispatches[cls] = found
    return found


def _class_for(target: Any) -> type | None:
    from sqlwright.orm.base import _mapper_or_none
    from sqlwright.orm.mapper import Mapper

    if isinstance(target, Mapper):
        return target.class_
    if not isinstance(target, type) or target is Mapper:
        return None
    if _mapper_or_none(target) is not None:
        return target
    if isinstance(_inspect.getattr_static(target, "dispatch", None), dispatcher):
        return None  # an Engine, Pool or Session class: not ours
    return target


def _raw_wrapper(fn: Callable[..., Any], position: int) -> Callable[..., Any]:
    from sqlwright.orm.base import instance_state

    def call_with_state(*args: Any, **kw: Any) -> Any:
        args_list = list(args)
        if position < len(args_list) and args_list[position] is not None:
            args_list[position] = instance_state(args_list[position])
        return fn(*args_list, **kw)

    return call_with_state


class InstanceEvents(Events):
    """Events in the life of mapped objects.

    Listen on a mapped class (or a base class of mapped classes); the object is the first
    argument of every listener.
    """

    _target_description: ClassVar[str] = "a mapped class, a declarative base or a Mapper"
    _object_position: ClassVar[dict[str, int]] = {
        "init": 0, "load": 0, "refresh": 0, "expire": 0,
    }

    @classmethod
    def _accept_with(cls, target: object, identifier: str) -> object | None:
        if cls is InstanceEvents:
            return None  # mapper and instance events share MapperEvents' dispatch
        klass = _class_for(target)
        if klass is None:
            return None
        return _ClassTarget(mapper_dispatch(klass))

    @classmethod
    def _listen(cls, target: object, listener: Listener, **options: Any) -> None:
        raw = options.pop("raw", False)
        options.pop("restore_load_context", None)
        if raw:
            position = MapperEvents._object_position.get(listener.identifier, 0)
            listener.call = _raw_wrapper(listener.call, position)
        super()._listen(target, listener, **options)

    def init(self, target: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """An object is being constructed, before its ``__init__`` runs."""

    def load(self, target: Any, context: Any) -> None:
        """An object was created from a row by a query (``__init__`` is not called)."""

    def refresh(self, target: Any, context: Any, attrs: Any) -> None:
        """Attributes of a persistent object were reloaded (``attrs``: the keys, or None for
        all)."""

    def expire(self, target: Any, attrs: Any) -> None:
        """Attributes were expired (``attrs``: the keys, or None for all of them)."""


class MapperEvents(InstanceEvents):
    """Events the unit of work fires around each row it writes (and the instance events)."""

    _object_position: ClassVar[dict[str, int]] = {
        "init": 0, "load": 0, "refresh": 0, "expire": 0,
        "before_insert": 2, "after_insert": 2, "before_update": 2, "after_update": 2,
        "before_delete": 2, "after_delete": 2,
    }

    def before_insert(self, mapper: Any, connection: Any, target: Any) -> None:
        """Before the INSERT of ``target``'s row (changing attributes here is written)."""

    def after_insert(self, mapper: Any, connection: Any, target: Any) -> None:
        """After the INSERT of ``target``'s row; its primary key is set."""

    def before_update(self, mapper: Any, connection: Any, target: Any) -> None:
        """Before the UPDATE of ``target``'s row (for every dirty object, even one whose
        columns turn out unchanged)."""

    def after_update(self, mapper: Any, connection: Any, target: Any) -> None:
        """After the UPDATE of ``target``'s row."""

    def before_delete(self, mapper: Any, connection: Any, target: Any) -> None:
        """Before the DELETE of ``target``'s row."""

    def after_delete(self, mapper: Any, connection: Any, target: Any) -> None:
        """After the DELETE of ``target``'s row."""

    def mapper_configured(self, mapper: Any, class_: type) -> None:
        """A class was mapped."""


class AttributeEvents(Events):
    """Changes to one mapped attribute: ``event.listen(User.email, "set", fn)``.

    ``set`` listeners with ``retval=True`` return the value to store instead.
    """

    _target_description: ClassVar[str] = "a mapped attribute such as User.email"
    _retval_events: ClassVar[dict[str, tuple[str, ...]]] = {
        "set": ("value",),
        "append": ("value",),
    }

    @classmethod
    def _listen(cls, target: object, listener: Listener, **options: Any) -> None:
        raw = options.pop("raw", False)
        for ignored in ("active_history", "include_key"):
            options.pop(ignored, None)
        if raw:
            listener.call = _raw_wrapper(listener.call, 0)
        add = getattr(target, "_add_listener", None)
        if add is None or options:
            super()._listen(target, listener, **options)
        else:
            add(listener)  # also reaches subclass attributes when propagate=True

    def set(self, target: Any, value: Any, oldvalue: Any, initiator: Any) -> Any:
        """A value is being assigned; ``oldvalue`` is NO_VALUE when none was loaded."""

    def append(self, target: Any, value: Any, initiator: Any) -> Any:
        """A value is being added to a collection attribute."""

    def remove(self, target: Any, value: Any, initiator: Any) -> None:
        """A value was removed from a collection attribute."""
