"""The dialect plugin framework: find, load and register database dialects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlwright.dialects.features import Features
from sqlwright.dialects.hookspecs import hookimpl
from sqlwright.dialects.registry import DialectInfo, registry

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = ["DialectInfo", "Features", "available", "hookimpl", "load", "register", "registry"]


def load(name: str) -> type[Dialect]:
    """Return the Dialect class for ``"postgresql"`` (default driver) or ``"postgresql+psycopg2"``.

    Raises :class:`sqlwright.exc.NoSuchDialectError` naming what is installed and the
    ``pip install`` that adds the missing dialect.
    """
    return registry.load(name)


def available() -> list[DialectInfo]:
    """List installed dialects, their drivers, plugin versions and whether each DBAPI imports."""
    return registry.available()


def register(
    dialect: type[Dialect] | str, module_path: str | None = None, class_name: str | None = None
) -> type[Dialect]:
    """Register a dialect at run time (tests, notebooks) without an entry point."""
    return registry.register(dialect, module_path, class_name)
