"""N+1 detection: lazy loads fired one object at a time in a loop over query results.

Opt in per Session (``Session(engine, info={"nplusone": "warn"})``), per Engine
(``create_engine(url, execution_options={"nplusone": "warn"})``) or everywhere
(:func:`enable_nplusone`). ``"warn"`` emits an :class:`NPlusOneWarning` naming the attribute
and the line of application code; ``"raise"`` raises :class:`NPlusOneError` instead. A lazy
load counts when its object came from a query that returned several objects and a sibling
already lazy loaded the same attribute: the second such load is the N+1 pattern. Many-to-one
loads answered from the identity map emit no SQL and never count. Lazy loading stays the
default; nothing is tracked unless a mode is on.
"""

from __future__ import annotations

import os
import sys
import warnings
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from sqlwright import exc

__all__ = [
    "NPlusOneDetector",
    "NPlusOneError",
    "NPlusOneReport",
    "NPlusOneWarning",
    "detect_nplusone",
    "disable_nplusone",
    "enable_nplusone",
]

_MODES = ("warn", "raise", "record")
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class NPlusOneWarning(UserWarning):
    """A lazy load ran once per object of a query result (the N+1 query pattern)."""


class NPlusOneError(exc.InvalidRequestError):
    """Raised instead of :class:`NPlusOneWarning` in ``"raise"`` mode."""


class NPlusOneReport(NamedTuple):
    """One detected N+1: the attribute, where the application read it, how many objects the
    query returned."""

    attribute: str
    filename: str
    lineno: int
    function: str
    batch_size: int

    def message(self) -> str:
        """The text of the warning / error."""
        return (f"N+1 lazy load of {self.attribute} at {self.filename}:{self.lineno} (in "
                f"{self.function}): a query returned {self.batch_size} objects and each one "
                f"loads {self.attribute} with its own SELECT. Eager-load it in that query: "
                f".options(selectinload({self.attribute})), or joinedload() for a "
                "many-to-one")


class NPlusOneDetector:
    """Collects :class:`NPlusOneReport` objects; ``mode`` is ``"warn"``, ``"raise"`` or
    ``"record"`` (only collect, e.g. for the pytest fixture)."""

    def __init__(self, mode: str = "warn") -> None:
        self.mode = _check_mode(mode)
        self.reports: list[NPlusOneReport] = []

    def report(self, found: NPlusOneReport) -> None:
        """Record ``found`` and warn or raise according to the mode."""
        self.reports.append(found)
        if self.mode == "raise":
            raise NPlusOneError(found.message())
        if self.mode == "warn":
            warnings.warn(found.message(), NPlusOneWarning, stacklevel=2)


def _check_mode(mode: Any) -> str:
    if mode not in _MODES:
        raise exc.ArgumentError(f"nplusone mode must be 'warn', 'raise' or 'record', not {mode!r}")
    return str(mode)


class _Batch:
    """The objects one query returned for one entity."""

    __slots__ = ("__weakref__", "fired", "reported", "size")

    def __init__(self) -> None:
        self.size = 0
        self.fired: dict[str, int] = {}
        self.reported: set[str] = set()


_global: list[NPlusOneDetector] = []
_by_target: weakref.WeakKeyDictionary[Any, NPlusOneDetector] = weakref.WeakKeyDictionary()
_batches: weakref.WeakKeyDictionary[Any, _Batch] = weakref.WeakKeyDictionary()


def enable_nplusone(target: Any = None, mode: str = "warn") -> NPlusOneDetector:
    """Turn detection on for ``target`` (a Session or an Engine; None: every session) and
    return the detector, whose ``reports`` list what was found."""
    detector = NPlusOneDetector(mode)
    if target is None:
        _global.append(detector)
    else:
        _by_target[target] = detector
    return detector


def disable_nplusone(detector_or_target: Any = None) -> None:
    """Turn off a detector returned by :func:`enable_nplusone` (or the one of a target;
    None: all global detectors)."""
    if detector_or_target is None:
        _global.clear()
        return
    if isinstance(detector_or_target, NPlusOneDetector):
        if detector_or_target in _global:
            _global.remove(detector_or_target)
        for key, value in list(_by_target.items()):
            if value is detector_or_target:
                del _by_target[key]
        return
    _by_target.pop(detector_or_target, None)


@contextmanager
def detect_nplusone(target: Any = None, mode: str = "raise") -> Iterator[NPlusOneDetector]:
    """``with detect_nplusone(session):`` detection on inside the block (raising by default)."""
    detector = enable_nplusone(target, mode)
    try:
        yield detector
    finally:
        disable_nplusone(detector)


def _detectors(session: Any) -> list[NPlusOneDetector]:
    found = list(_global)
    if session is None:
        return found
    mode = session.info.get("nplusone") if hasattr(session, "info") else None
    if mode:
        found.append(_session_detector(session, mode))
    if session in _by_target:
        found.append(_by_target[session])
    bind = getattr(session, "bind", None)
    if bind is not None:
        engine = getattr(bind, "engine", bind)
        if engine in _by_target:
            found.append(_by_target[engine])
        options = getattr(engine, "get_execution_options", None)
        engine_mode = options().get("nplusone") if options is not None else None
        if engine_mode:
            found.append(_session_detector(engine, engine_mode))
    return found


_option_detectors: weakref.WeakKeyDictionary[Any, NPlusOneDetector] = \
    weakref.WeakKeyDictionary()


def _session_detector(owner: Any, mode: str) -> NPlusOneDetector:
    detector = _option_detectors.get(owner)
    if detector is None or detector.mode != mode:
        detector = _option_detectors[owner] = NPlusOneDetector(mode)
    return detector


def is_active(session: Any) -> bool:
    """True when some detector watches ``session`` (the ORM then tags loaded objects)."""
    if _global or _by_target:
        return True
    if session is not None and getattr(session, "info", {}).get("nplusone"):
        return True
    bind = getattr(session, "bind", None)
    options = getattr(getattr(bind, "engine", bind), "get_execution_options", None)
    return bool(options is not None and options().get("nplusone"))


def new_batch() -> _Batch:
    """A batch for the objects of one entity of one query result."""
    return _Batch()


def tag(state: Any, batch: _Batch) -> None:
    """Record that ``state`` came back in ``batch``."""
    if state not in _batches:
        _batches[state] = batch
        batch.size += 1


def _call_site() -> tuple[str, int, str]:
    frame = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(_PACKAGE_DIR):
            return frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name
        frame = frame.f_back  # type: ignore[assignment]
    return "?", 0, "?"


def lazy_load_fired(state: Any, prop: Any) -> None:
    """Called before a lazy load emits SQL; reports an N+1 to the active detectors."""
    batch = _batches.get(state)
    if batch is None or batch.size < 2:
        return
    key = prop.key
    count = batch.fired[key] = batch.fired.get(key, 0) + 1
    if count < 2 or key in batch.reported:
        return
    detectors = _detectors(state.session)
    if not detectors:
        return
    batch.reported.add(key)
    filename, lineno, function = _call_site()
    found = NPlusOneReport(f"{prop.parent.class_.__name__}.{key}", filename, lineno, function,
                           batch.size)
    for detector in detectors:
        detector.report(found)
