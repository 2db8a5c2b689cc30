"""sqlwright.event: register functions to be called when things happen.

``listen(target, "event_name", fn)`` attaches ``fn`` to a class, an instance, or anything an event
family maps to one (an Engine for pool events). See docs/events.md.
"""

from __future__ import annotations

from sqlwright.event.api import contains, listen, listens_for, remove
from sqlwright.event.base import Dispatch, Events, Listener, ListenerCollection, dispatcher

__all__ = [
    "listen",
    "listens_for",
    "remove",
    "contains",
    "Events",
    "dispatcher",
    "Dispatch",
    "Listener",
    "ListenerCollection",
]
