"""The dialect registry: pluggy over the ``sqlwright.dialects`` entry point group.

Plugins are discovered once, on first use. Nothing here runs per query: ``load()`` is a dict lookup
after the first call.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy
from importlib_metadata import entry_points

from sqlwright import exc
from sqlwright.dialects import hookspecs

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.types.base import TypeEngine

__all__ = ["ENTRY_POINT_GROUP", "EXTENSION_GROUP", "DialectInfo", "DialectRegistry", "registry"]

ENTRY_POINT_GROUP = "sqlwright.dialects"
#: Add-on plugins that extend dialects another plugin provides (types, functions).
EXTENSION_GROUP = "sqlwright.extensions"

#: Plugins the project publishes, for the "pip install" hint of an unknown dialect.
_KNOWN_PLUGINS = ("sqlite", "postgresql", "mysql", "mssql", "oracle")


@dataclass(frozen=True)
class DialectInfo:
    """One installed dialect/driver pair, as listed by :func:`available`."""

    name: str
    driver: str
    is_default: bool
    plugin: str
    version: str
    dbapi_module: str
    dbapi_package: str
    dbapi_importable: bool
    dbapi_error: str | None


def _dbapi_status(module_name: str) -> tuple[bool, str | None]:
    try:
        importlib.import_module(module_name)
    except Exception as err:  # ImportError, or an OSError for a missing shared library
        return False, f"{type(err).__name__}: {err}"
    return True, None


class DialectRegistry:
    """Dialect classes by ``(name, driver)``, filled from entry points and ``register()``."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._loaded = False
        self._classes: dict[tuple[str, str], type[Dialect]] = {}
        self._defaults: dict[str, type[Dialect]] = {}
        self._origin: dict[str, tuple[str, str]] = {}  # dialect name -> (distribution, version)
        self._entry_points: dict[str, Any] = {}
        self._extensions: list[Any] = []
        self._broken: dict[str, str] = {}
        self.plugin_manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.plugin_manager.add_hookspecs(hookspecs)

    # -- discovery --------------------------------------------------------------------------
    def _ensure_loaded(self) -> None:
        """Find the entry points (no plugin module is imported yet) and load the add-ons."""
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                self._entry_points = self._discover()
                self._extensions = list(entry_points(group=EXTENSION_GROUP))
                self._loaded = True

    def _discover(self) -> dict[str, Any]:
        claims: dict[str, list[Any]] = {}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            claims.setdefault(ep.name, []).append(ep)
        found = {}
        for name, eps in sorted(claims.items()):
            dists = {(ep.dist.name if ep.dist else "?") for ep in eps}
            if len(dists) > 1:
                raise exc.DuplicateDialectError(
                    f"Dialect {name!r} is claimed by more than one installed distribution: "
                    f"{', '.join(sorted(dists))}. Uninstall one of them."
                )
            found[name] = eps[0]
        return found

    def _load_plugin(self, name: str) -> None:
        """Import and register the plugin for dialect ``name``, once."""
        ep = self._entry_points.pop(name, None)
        if ep is None:
            return
        with self._lock:
            dist = ep.dist
            try:
                module = ep.load()
            except Exception as err:
                self._broken[name] = f"{type(err).__name__}: {err}"
                raise exc.NoSuchDialectError(
                    f"The {name} dialect plugin ({dist.name if dist else ep.value}) failed to "
                    f"load: {type(err).__name__}: {err}. Reinstall it, or report the bug to "
                    "its authors."
                ) from err
            before = set(self._classes)
            self._register_plugin(name, module, dist.name if dist else "?",
                                  dist.version if dist else "?")
            for key in set(self._classes) - before:
                self._extend(self._classes[key])

    def _extend(self, cls: type[Dialect]) -> None:
        while self._extensions:
            ep = self._extensions.pop()
            self.plugin_manager.register(ep.load(), name=f"extension:{ep.name}")
        self.plugin_manager.hook.sqlwright_extend_dialect(dialect_cls=cls, registry=self)

    def add_ischema_names(self, dialect_cls: type[Dialect],
                          names: dict[str, type[TypeEngine]]) -> None:
        """Let an add-on teach a dialect's reflection new type names."""
        dialect_cls.ischema_names = {**dialect_cls.ischema_names, **names}

    def _register_plugin(self, name: str, module: ModuleType, dist: str, version: str) -> None:
        if self.plugin_manager.is_registered(module):
            return
        self.plugin_manager.register(module, name=name)
        self.plugin_manager.check_pending()
        impl = getattr(module, "sqlwright_dialects", None)
        if impl is None:
            return
        for cls in impl():
            self._add_class(cls, dist, version)

    def _add_class(self, cls: type[Dialect], dist: str, version: str) -> None:
        key = (cls.name, cls.driver)
        existing = self._classes.get(key)
        if existing is not None and existing is not cls:
            other = self._origin.get(cls.name, ("?", "?"))[0]
            raise exc.DuplicateDialectError(
                f"Dialect {cls.name}+{cls.driver} is provided by both {other} "
                f"({existing.__module__}.{existing.__qualname__}) and {dist} "
                f"({cls.__module__}.{cls.__qualname__}). Uninstall one of them."
            )
        self._classes[key] = cls
        self._origin.setdefault(cls.name, (dist, version))
        if cls.is_default_driver or cls.name not in self._defaults:
            self._defaults[cls.name] = cls

    # -- public API -------------------------------------------------------------------------
    def load(self, name: str) -> type[Dialect]:
        """Return the Dialect class for ``"name"`` or ``"name+driver"``."""
        self._ensure_loaded()
        backend, _, driver = name.partition("+")
        self._load_plugin(backend)
        if not driver:
            cls = self._defaults.get(backend)
            if cls is not None:
                return cls
        else:
            cls = self._classes.get((backend, driver))
            if cls is not None:
                return cls
            if backend in self._defaults:
                drivers = sorted(d for (n, d) in self._classes if n == backend)
                raise exc.NoSuchDialectError(
                    f"The {backend} dialect has no driver {driver!r}; installed drivers: "
                    f"{', '.join(drivers)}. Use one of them, e.g. '{backend}+{drivers[0]}://...'."
                )
        installed = sorted(self._defaults) or ["none"]
        if backend in _KNOWN_PLUGINS:
            hint = f'pip install "sqlwright[{backend}]"'
        else:
            hint = (f"pip install sqlwright-{backend}, if such a plugin exists, or register one "
                    "with sqlwright.dialects.register()")
        raise exc.NoSuchDialectError(
            f"No dialect named {backend!r} is installed. Installed dialects: "
            f"{', '.join(installed)}. To add it: {hint}."
        )

    def register(
        self, dialect: type[Dialect] | str, module_path: str | None = None,
        class_name: str | None = None,
    ) -> type[Dialect]:
        """Add a dialect at run time: a Dialect class, or ``("name+driver", "module", "Class")``."""
        self._ensure_loaded()
        if isinstance(dialect, str):
            if module_path is None or class_name is None:
                raise exc.ArgumentError(
                    "register() takes a Dialect class, or a name with a module path and class "
                    "name: register('mydb+mydriver', 'mypkg.dialect', 'MyDialect')"
                )
            cls = getattr(importlib.import_module(module_path), class_name)
            backend, _, driver = dialect.partition("+")
            if (cls.name, cls.driver) != (backend, driver or cls.driver):
                cls = type(cls.__name__, (cls,), {"name": backend, "driver": driver or cls.driver})
        else:
            cls = dialect
        with self._lock:
            self._classes[(cls.name, cls.driver)] = cls
            self._origin.setdefault(cls.name, ("(registered at run time)", "-"))
            if cls.is_default_driver or cls.name not in self._defaults:
                self._defaults[cls.name] = cls
        return cls

    def unregister(self, name: str, driver: str) -> None:
        """Remove a dialect added with :meth:`register` (used by tests)."""
        with self._lock:
            cls = self._classes.pop((name, driver), None)
            if cls is not None and self._defaults.get(name) is cls:
                rest = [c for (n, _), c in self._classes.items() if n == name]
                if rest:
                    self._defaults[name] = rest[0]
                else:
                    del self._defaults[name]
                    self._origin.pop(name, None)

    def available(self) -> list[DialectInfo]:
        """Every installed dialect and driver, whether its DBAPI module imports, and its plugin.

        A plugin that fails to import is listed with driver ``"?"`` and the error.
        """
        self._ensure_loaded()
        for name in list(self._entry_points):
            try:
                self._load_plugin(name)
            except exc.NoSuchDialectError:
                pass
        infos = [DialectInfo(name=name, driver="?", is_default=False, plugin="(failed to load)",
                             version="?", dbapi_module="?", dbapi_package="?",
                             dbapi_importable=False, dbapi_error=error)
                 for name, error in sorted(self._broken.items())]
        for (name, driver), cls in sorted(self._classes.items()):
            ok, err = _dbapi_status(cls.dbapi_module)
            dist, version = self._origin.get(name, ("?", "?"))
            infos.append(DialectInfo(
                name=name, driver=driver, is_default=self._defaults.get(name) is cls,
                plugin=dist, version=version, dbapi_module=cls.dbapi_module,
                dbapi_package=cls.dbapi_package, dbapi_importable=ok, dbapi_error=err,
            ))
        return infos


registry = DialectRegistry()
