"""The conformance suite: the tests every dialect plugin runs against a real database.

A plugin runs it from its ``tests/test_suite.py``::

    from sqlwright.testing.suite import *

which brings in every test (``test_*`` functions, ``Test*`` classes) and fixture that the
suite's ``test_*`` modules define. Tests skip by Features flags (``requires`` markers) and use
the fixtures of :mod:`sqlwright.testing.plugin`. Test ids for ``Features.known_failures`` read
``<module>::<test>``, e.g. ``test_transactions::test_savepoint_rollback``.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

__all__: list[str] = []


def _is_fixture(value: Any) -> bool:
    return hasattr(value, "_get_wrapped_function") or hasattr(value, "_pytestfixturefunction")


def _exported(module: Any) -> dict[str, Any]:
    names = {}
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        is_test = (name.startswith("test") and callable(value)) or (
            name.startswith("Test") and isinstance(value, type))
        if is_test or _is_fixture(value):
            names[name] = value
    return names


def _collect() -> None:
    origin: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda found: found.name):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, value in _exported(module).items():
            if name in origin:
                raise ImportError(
                    f"{name} is defined by both suite modules {origin[name]} and {info.name}; "
                    "test and fixture names must be unique across the suite")
            origin[name] = info.name
            globals()[name] = value
            __all__.append(name)


_collect()
