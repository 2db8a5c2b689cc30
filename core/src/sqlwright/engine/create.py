"""create_engine(): URL + dialect plugin + pool -> Engine."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlwright import exc
from sqlwright.dialects import registry
from sqlwright.engine.base import Engine
from sqlwright.engine.cache import LRUCache
from sqlwright.engine.url import URL, make_url
from sqlwright.event import listen
from sqlwright.pool import Pool, QueuePool, SingletonThreadPool

__all__ = ["create_engine", "engine_from_config"]

_UNSET: Any = object()


def create_engine(
    url: str | URL,
    *,
    echo: bool | str = False,
    echo_pool: bool | str = False,
    poolclass: type[Pool] | None = None,
    pool: Pool | None = None,
    pool_size: int = _UNSET,
    max_overflow: int = _UNSET,
    pool_timeout: float = _UNSET,
    pool_recycle: int = -1,
    pool_pre_ping: bool = False,
    pool_reset_on_return: str | None = "rollback",
    pool_logging_name: str | None = None,
    connect_args: Mapping[str, Any] | None = None,
    creator: Callable[[], Any] | None = None,
    isolation_level: str | None = None,
    execution_options: Mapping[str, Any] | None = None,
    logging_name: str | None = None,
    query_cache_size: int = 500,
    **dialect_kwargs: Any,
) -> Engine:
    """Create an :class:`Engine` for a database URL such as ``"sqlite:///app.db"``.

    The URL's ``dialect[+driver]`` picks the installed plugin. Pool options apply to the pool
    class in use (``pool_size``, ``max_overflow`` and ``pool_timeout`` to QueuePool). Any other
    keyword goes to the dialect, which rejects what it does not know.
    """
    u = make_url(url)
    dialect_cls = registry.load(u.drivername)
    try:
        dialect = dialect_cls(isolation_level=isolation_level, **dialect_kwargs)
    except exc.ArgumentError as err:
        if dialect_kwargs:
            raise exc.ArgumentError(
                f"create_engine() got argument(s) it does not know: "
                f"{', '.join(sorted(dialect_kwargs))} ({err}). Engine arguments are: echo, "
                "echo_pool, poolclass, pool, pool_size, max_overflow, pool_timeout, "
                "pool_recycle, pool_pre_ping, pool_reset_on_return, connect_args, creator, "
                "isolation_level, execution_options, logging_name, query_cache_size"
            ) from None
        raise
    if pool is None:
        pool = _make_pool(
            dialect, u, creator, connect_args, poolclass,
            pool_size=pool_size, max_overflow=max_overflow, pool_timeout=pool_timeout,
            recycle=pool_recycle, pre_ping=pool_pre_ping, echo=echo_pool,
            reset_on_return=pool_reset_on_return, logging_name=pool_logging_name,
        )
    _attach_dialect_listeners(pool, dialect)
    cache = LRUCache(query_cache_size) if query_cache_size else None
    return Engine(pool, dialect, u, echo=echo, logging_name=logging_name,
                  execution_options=execution_options, compiled_cache=cache)


def _make_pool(dialect: Any, url: URL, creator: Callable[[], Any] | None,
               connect_args: Mapping[str, Any] | None, poolclass: type[Pool] | None,
               *, pool_size: Any, max_overflow: Any, pool_timeout: Any,
               **pool_kw: Any) -> Pool:
    if creator is None:
        cargs, cparams = dialect.create_connect_args(url)
        cparams = {**cparams, **(connect_args or {})}
        dialect.import_dbapi()  # fail early, naming the package to install

        def creator() -> Any:
            return dialect.connect(*cargs, **cparams)

    if poolclass is None:
        poolclass = dialect.get_pool_class(url)
    assert poolclass is not None
    sized = issubclass(poolclass, (QueuePool, SingletonThreadPool))
    queue_only = {"max_overflow": max_overflow, "pool_timeout": pool_timeout}
    for name, value in queue_only.items():
        if value is not _UNSET and not issubclass(poolclass, QueuePool):
            raise exc.ArgumentError(
                f"{name} applies to QueuePool, not {poolclass.__name__}; drop it or pass "
                "poolclass=QueuePool")
    if pool_size is not _UNSET and not sized:
        raise exc.ArgumentError(
            f"pool_size does not apply to {poolclass.__name__}; drop it or pass "
            "poolclass=QueuePool")
    if pool_size is not _UNSET:
        pool_kw["pool_size"] = pool_size
    if max_overflow is not _UNSET:
        pool_kw["max_overflow"] = max_overflow
    if pool_timeout is not _UNSET:
        pool_kw["timeout"] = pool_timeout
    return poolclass(creator, dialect=dialect, **pool_kw)


def _attach_dialect_listeners(pool: Pool, dialect: Any) -> None:
    def first_connect(dbapi_connection: Any, record: Any) -> None:
        dialect.initialize(dbapi_connection)

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        dialect.on_connect(dbapi_connection)

    listen(pool, "first_connect", first_connect)
    listen(pool, "connect", on_connect)


def engine_from_config(configuration: Mapping[str, Any], prefix: str = "sqlwright.",
                       **kwargs: Any) -> Engine:
    """Create an engine from a dict of settings such as ``{"sqlwright.url": "sqlite://"}``."""
    options = {key[len(prefix):]: value for key, value in configuration.items()
               if key.startswith(prefix)}
    try:
        url = options.pop("url")
    except KeyError:
        raise exc.ArgumentError(f"The configuration has no {prefix}url key") from None
    for key in ("pool_size", "max_overflow", "pool_recycle", "query_cache_size"):
        if key in options:
            options[key] = int(options[key])
    if "pool_timeout" in options:
        options["pool_timeout"] = float(options["pool_timeout"])
    for key in ("pool_pre_ping",):
        if key in options and isinstance(options[key], str):
            options[key] = options[key].lower() in ("1", "true", "yes", "on")
    options.update(kwargs)
    return create_engine(url, **options)
