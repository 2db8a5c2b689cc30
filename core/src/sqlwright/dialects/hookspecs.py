"""The plugin contract: every hook a dialect plugin may implement.

A plugin is a module of hook implementations, named by an entry point in the group
``sqlwright.dialects``; the entry point's name is the database name. Hooks run at registration
time only, never per query.

Implement a hook with the marker from this module::

    from sqlwright.dialects.hookspecs import hookimpl

    @hookimpl
    def sqlwright_dialects():
        from sqlwright_mydb.dialect import MyDBDialect
        return [MyDBDialect]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.dialects.registry import DialectRegistry

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "sqlwright"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def sqlwright_dialects() -> list[type[Dialect]]:  # type: ignore[empty-body]
    """Return the Dialect classes this plugin provides, one per DBAPI driver.

    Each class has ``name`` (the database, e.g. ``"postgresql"``) and ``driver`` (e.g.
    ``"psycopg2"``); the class with ``is_default_driver = True`` answers a URL that names no driver.
    All implementations are called (not firstresult); their lists are merged. Two plugins that
    return a class with the same ``name`` and ``driver`` are an error naming both.
    """


@hookspec
def sqlwright_extend_dialect(dialect_cls: type[Dialect], registry: DialectRegistry) -> None:
    """Let an add-on plugin extend a dialect that another plugin provides.

    Called once for every registered Dialect class after all ``sqlwright_dialects`` hooks ran.
    An add-on (for example a PostGIS plugin) adds types to ``dialect_cls.ischema_names`` through
    ``registry.add_ischema_names(dialect_cls, {...})`` and compiler rules through subclass
    registration, without patching the dialect's module. Returns nothing; all implementations run.
    """
