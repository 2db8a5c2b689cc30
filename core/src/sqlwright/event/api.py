"""The public event functions: listen, listens_for, remove and contains."""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlwright.event.base import Events, Listener, all_families, families_for
from sqlwright.exc import ArgumentError, InvalidRequestError

__all__ = ["listen", "listens_for", "remove", "contains"]

_F = TypeVar("_F", bound=Callable[..., Any])


def listen(
    target: object,
    identifier: str,
    fn: Callable[..., Any],
    *,
    retval: bool = False,
    once: bool = False,
    insert: bool = False,
    propagate: bool = False,
    named: bool = False,
    **options: Any,
) -> None:
    """Register ``fn`` to be called when event ``identifier`` fires on ``target``.

    ``target`` is a class (listen on every instance, present and future) or an instance, or
    anything an event family maps to one (an Engine for pool events). ``retval=True`` means
    ``fn`` returns the event's result values (only for events that have them); ``once=True``
    fires ``fn`` at most once; ``insert=True`` puts it before the listeners already there;
    ``named=True`` passes the arguments as keywords named after the event's parameters;
    ``propagate`` is recorded for families that copy listeners to subclasses. Registering the
    same function twice for one target and event is a no-op.

    Raises InvalidRequestError for an unknown event name or an unsupported target and
    ArgumentError for retval=True on an event without return values.
    """
    if not callable(fn):
        raise ArgumentError(f"listen() needs a callable listener, got {fn!r}")
    family, accepted = _resolve(target, identifier)
    listener = Listener(
        fn, identifier, retval=retval, once=once, insert=insert, propagate=propagate, named=named
    )
    listener.call = _build_call(family, listener)
    family._listen(accepted, listener, **options)


def listens_for(target: object, identifier: str, **kw: Any) -> Callable[[_F], _F]:
    """Decorator form of :func:`listen`: registers the function and returns it unchanged."""

    def decorate(fn: _F) -> _F:
        listen(target, identifier, fn, **kw)
        return fn

    return decorate


def remove(target: object, identifier: str, fn: Callable[..., Any]) -> None:
    """Unregister ``fn``, which must have been given to :func:`listen` with the same target.

    Raises InvalidRequestError when ``fn`` is not registered there.
    """
    family, accepted = _resolve(target, identifier)
    if not family._remove(accepted, identifier, fn):
        raise InvalidRequestError(
            f"{_name_of(fn)} is not listening for {identifier!r} on {_describe(target)}, so "
            "there is nothing to remove; pass the same function and target given to listen()."
        )


def contains(target: object, identifier: str, fn: Callable[..., Any]) -> bool:
    """Return True if ``fn`` is registered for ``identifier`` directly on ``target``."""
    family, accepted = _resolve(target, identifier)
    return family._contains(accepted, identifier, fn)


def _resolve(target: object, identifier: str) -> tuple[type[Events], object]:
    if not isinstance(identifier, str):
        raise ArgumentError(f"An event name must be a string, got {identifier!r}")
    candidates = families_for(identifier)
    for family in candidates:
        accepted = family._accept_with(target, identifier)
        if accepted is not None:
            return family, accepted
    others = [
        family
        for family in all_families()
        if family not in candidates and family._accept_with(target, identifier) is not None
    ]
    if others:
        supported = sorted(set().union(*(family._event_names for family in others)))
        close = difflib.get_close_matches(identifier, supported, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise InvalidRequestError(
            f"No event named {identifier!r} for {_describe(target)}.{hint} "
            f"Its events are: {', '.join(supported)}."
        )
    if candidates:
        where = "; ".join(f"{fam.__name__}: {_target_kinds(fam)}" for fam in candidates)
        raise InvalidRequestError(
            f"{_describe(target)} does not offer the {identifier!r} event. "
            f"It is listened for on ({where})."
        )
    kinds = "; ".join(
        f"{fam.__name__}: {_target_kinds(fam)}" for fam in all_families() if fam._event_names
    )
    raise InvalidRequestError(
        f"{_describe(target)} is not an event target and {identifier!r} is no known event. "
        f"Event targets are ({kinds})."
    )


def _describe(target: object) -> str:
    # Never repr() the target: an Engine's repr could carry connection details.
    if isinstance(target, type):
        return f"class {target.__qualname__}"
    return f"{type(target).__qualname__} object"


def _target_kinds(family: type[Events]) -> str:
    return family._target_description or f"targets of {family.__name__}"


def _name_of(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


def _build_call(family: type[Events], listener: Listener) -> Callable[..., Any]:
    identifier = listener.identifier
    argnames = family._event_args[identifier]
    returned = family._retval_events.get(identifier)
    if listener.retval and not returned:
        with_values = ", ".join(sorted(family._retval_events)) or "none"
        raise ArgumentError(
            f"retval=True does not apply to the {identifier!r} event: its listeners' return "
            f"values are not used. Drop retval=True (events of {family.__name__} taking it: "
            f"{with_values})."
        )
    call: Callable[..., Any] = listener.fn
    if listener.named:
        call = _named(call, argnames)
    pick = _picker(argnames, returned) if returned else None
    if pick is not None and not listener.retval:
        call = _passing_through(call, pick)
    if listener.once:
        call = _once(call, pick)
    return call


def _named(fn: Callable[..., Any], argnames: tuple[str, ...]) -> Callable[..., Any]:
    def call_with_names(*args: Any, **kw: Any) -> Any:
        kw.update(zip(argnames, args))
        return fn(**kw)

    return call_with_names


def _picker(argnames: tuple[str, ...], returned: tuple[str, ...]) -> Callable[..., Any]:
    """Build a function returning the named arguments of an event call (one, or a tuple)."""
    positions = [(argnames.index(name), name) for name in returned]
    if len(positions) == 1:
        index, name = positions[0]

        def pick_one(*args: Any, **kw: Any) -> Any:
            return args[index] if index < len(args) else kw[name]

        return pick_one

    def pick_many(*args: Any, **kw: Any) -> tuple[Any, ...]:
        return tuple(args[i] if i < len(args) else kw[n] for i, n in positions)

    return pick_many


def _passing_through(fn: Callable[..., Any], pick: Callable[..., Any]) -> Callable[..., Any]:
    def call_then_pass_through(*args: Any, **kw: Any) -> Any:
        fn(*args, **kw)
        return pick(*args, **kw)

    return call_then_pass_through


def _once(fn: Callable[..., Any], pick: Callable[..., Any] | None) -> Callable[..., Any]:
    lock = threading.Lock()
    fired = False

    def call_once(*args: Any, **kw: Any) -> Any:
        nonlocal fired
        if not fired:
            with lock:
                if not fired:
                    fired = True
                    return fn(*args, **kw)
        return pick(*args, **kw) if pick is not None else None

    return call_once
