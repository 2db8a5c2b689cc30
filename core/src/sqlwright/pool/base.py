"""Pool, ConnectionPoolEntry and PoolProxiedConnection: the parts every pool class shares.

A pool hands out :class:`PoolProxiedConnection` objects. Each wraps a
:class:`ConnectionPoolEntry`, the pool *slot* that owns at most one DBAPI connection at a time
and reopens it when it was invalidated, recycled or found dead by the pre-ping. Subclasses in
``impl.py`` decide how slots are kept: they implement ``_acquire`` (reserve a ready slot),
``_release`` (take a slot back), ``_discard`` (forget a slot whose connection is gone for good)
and ``_take_idle`` (remove the idle slots, for ``dispose()``).
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Literal, Protocol

from sqlwright.event.base import dispatcher
from sqlwright.exc import (
    ArgumentError,
    DisconnectionError,
    InvalidRequestError,
    ResourceClosedError,
)
from sqlwright.pool.events import PoolEvents

__all__ = [
    "DBAPIConnection",
    "PoolDialect",
    "Pool",
    "ConnectionPoolEntry",
    "PoolProxiedConnection",
    "ResetOnReturn",
]

logger = logging.getLogger("sqlwright.pool")

#: How many connections a checkout tries when ``checkout`` listeners report disconnects.
CHECKOUT_ATTEMPTS = 3

ResetOnReturn = Literal["rollback", "commit"] | None


class DBAPIConnection(Protocol):
    """The part of a PEP 249 connection the pool relies on."""

    def cursor(self) -> Any: ...

    def commit(self) -> Any: ...

    def rollback(self) -> Any: ...

    def close(self) -> Any: ...


class PoolDialect(Protocol):
    """The dialect methods a pool calls when it is given a ``dialect``."""

    def do_ping(self, dbapi_connection: Any, /) -> bool: ...

    def is_disconnect(self, e: Any, connection: Any, cursor: Any, /) -> bool: ...

    def do_rollback(self, dbapi_connection: Any, /) -> Any: ...

    def do_commit(self, dbapi_connection: Any, /) -> Any: ...

    def do_close(self, dbapi_connection: Any, /) -> Any: ...


def _label(conn: Any) -> str:
    # A type name and an address: driver reprs may carry a DSN, so they are never logged.
    return f"<{type(conn).__name__} at 0x{id(conn):x}>"


def _echo_level(echo: bool | str | None) -> int | None:
    if echo is None or echo is False:
        return None
    if echo is True:
        level = logging.INFO
    elif echo == "debug":
        level = logging.DEBUG
    else:
        raise ArgumentError(f"echo must be True, False or 'debug', got {echo!r}")
    if logger.level == logging.NOTSET or logger.level > level:
        logger.setLevel(level)
    if not logger.hasHandlers():
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
    return level


def _reset_mode(value: object) -> ResetOnReturn:
    if value is True or value == "rollback":
        return "rollback"
    if value == "commit":
        return "commit"
    if value is None or value is False:
        return None
    raise ArgumentError(
        f"reset_on_return must be 'rollback', 'commit' or None, got {value!r}"
    )


def _default_ping(conn: Any) -> bool:
    cursor = conn.cursor()
    try:
        cursor.execute("SELECT 1")
    finally:
        cursor.close()
    return True


class ConnectionPoolEntry:
    """One slot of a pool, holding at most one DBAPI connection at a time.

    ``dbapi_connection`` is the current connection or None (invalidated, detached, never
    opened). ``info`` lives as long as that DBAPI connection; ``record_info`` as long as the
    slot. ``starttime`` is when the current connection was opened (``time.time()``).
    """

    def __init__(self, pool: Pool, *, detached: bool = False) -> None:
        self.pool = pool
        self.dbapi_connection: Any = None
        self.info: dict[Any, Any] = {}
        self.record_info: dict[Any, Any] = {}
        self.starttime = 0.0
        self._serial = 0
        self._soft_invalidated = False
        self._users = 0
        self._detached = detached
        self._orphaned = False

    def __repr__(self) -> str:
        state = _label(self.dbapi_connection) if self.dbapi_connection is not None else "empty"
        return f"<ConnectionPoolEntry {state}>"

    def invalidate(self, e: BaseException | None = None, soft: bool = False) -> None:
        """Close the DBAPI connection now (or, ``soft=True``, at its next checkout).

        The slot stays in the pool and opens a new connection when next used.
        """
        conn = self.dbapi_connection
        if conn is None:
            return
        dispatch = self.pool.dispatch
        if soft:
            if self._soft_invalidated:
                return
            self._soft_invalidated = True
            logger.info("Soft-invalidated connection %s (reason: %s)", _label(conn), e)
            if dispatch.soft_invalidate:
                dispatch.soft_invalidate(conn, self, e)
            return
        logger.info("Invalidating connection %s (reason: %s)", _label(conn), e)
        try:
            if dispatch.invalidate:
                dispatch.invalidate(conn, self, e)
        finally:
            self._close_connection()

    def _close_connection(self) -> None:
        conn = self.dbapi_connection
        if conn is None:
            return
        pool = self.pool
        try:
            if pool.dispatch.close:
                pool.dispatch.close(conn, self)
        finally:
            self.dbapi_connection = None
            self.info = {}
            logger.debug("Closing connection %s", _label(conn))
            try:
                if pool.dialect is not None:
                    pool.dialect.do_close(conn)
                else:
                    conn.close()
            except Exception as err:
                logger.warning("Closing connection %s failed: %s", _label(conn), err)

    def _open(self) -> None:
        pool = self.pool
        conn = pool._creator()
        self.dbapi_connection = conn
        self.info = {}
        self.starttime = time.time()
        self._serial = next(pool._serials)
        self._soft_invalidated = False
        logger.debug("Opened connection %s", _label(conn))
        try:
            pool._fire_first_connect(conn, self)
            if pool.dispatch.connect:
                pool.dispatch.connect(conn, self)
        except BaseException:
            self._close_connection()
            raise

    def _prepare(self) -> Any:
        """Make the slot's connection usable for a checkout and return it."""
        if self.dbapi_connection is not None:
            reason = self._stale_reason()
            if reason is not None:
                logger.info("Replacing connection %s: %s", _label(self.dbapi_connection), reason)
                self._close_connection()
            elif self.pool._pre_ping:
                self._ping()
        if self.dbapi_connection is None:
            self._open()
        return self.dbapi_connection

    def _stale_reason(self) -> str | None:
        pool = self.pool
        if self._serial < pool._stale_below:
            return "the pool was invalidated or disposed after it was opened"
        if pool._recycle > -1 and time.time() - self.starttime > pool._recycle:
            return f"it is older than recycle={pool._recycle} seconds"
        if self._soft_invalidated:
            return "it was soft-invalidated"
        return None

    def _ping(self) -> None:
        """Check the connection; invalidate it when dead (the caller then reopens)."""
        conn = self.dbapi_connection
        dialect = self.pool.dialect
        error: Exception | None = None
        try:
            alive = bool(dialect.do_ping(conn)) if dialect is not None else _default_ping(conn)
        except Exception as err:
            if dialect is not None and not dialect.is_disconnect(err, conn, None):
                raise
            alive, error = False, err
        if alive:
            return
        logger.info(
            "Pre-ping found connection %s dead (%s); opening a new one",
            _label(conn),
            error if error is not None else "ping returned False",
        )
        self.invalidate(error)
        if error is not None and dialect is not None:
            # The driver said "disconnected": the others opened before now are likely dead too.
            self.pool.invalidate_all()


class PoolProxiedConnection:
    """A checked-out connection: use it like the DBAPI connection, then ``close()`` it.

    ``close()`` returns the connection to the pool after the pool's reset-on-return (a second
    ``close()`` does nothing). Attributes not defined here are read from the DBAPI connection.
    If the object is garbage collected without ``close()``, the pool gets the connection back
    and logs a warning.
    """

    __slots__ = ("__weakref__", "_invalidated", "_pool", "_record", "_ref")

    def __init__(self, pool: Pool, record: ConnectionPoolEntry) -> None:
        self._pool = pool
        self._record: ConnectionPoolEntry | None = record
        self._ref: weakref.ref[PoolProxiedConnection] | None = None
        self._invalidated = False

    def __repr__(self) -> str:
        record = self._record
        if record is None:
            state = "invalidated" if self._invalidated else "closed"
        else:
            state = _label(record.dbapi_connection)
        return f"<PoolProxiedConnection {state}>"

    def __enter__(self) -> PoolProxiedConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            conn = self._live_connection()
        except InvalidRequestError as err:
            # AttributeError keeps getattr(proxy, name, default) and hasattr() working.
            raise AttributeError(f"{name!r} is not available: {err}") from err
        return getattr(conn, name)

    @property
    def dbapi_connection(self) -> Any:
        """The DBAPI connection, or None once closed or invalidated."""
        record = self._record
        return record.dbapi_connection if record is not None else None

    @property
    def is_valid(self) -> bool:
        """True while the proxy is open and its DBAPI connection was not invalidated."""
        record = self._record
        return record is not None and record.dbapi_connection is not None

    @property
    def is_detached(self) -> bool:
        """True after :meth:`detach`."""
        record = self._record
        return record is not None and record._detached

    @property
    def info(self) -> dict[Any, Any]:
        """A dict for user data that lives as long as the DBAPI connection."""
        return self._live_record().info

    @property
    def record_info(self) -> dict[Any, Any]:
        """A dict for user data that lives as long as the pool slot (across reconnects)."""
        return self._live_record().record_info

    def cursor(self, *args: Any, **kwargs: Any) -> Any:
        """Return a new DBAPI cursor."""
        return self._live_connection().cursor(*args, **kwargs)

    def commit(self) -> None:
        """Commit the DBAPI connection's transaction."""
        self._live_connection().commit()

    def rollback(self) -> None:
        """Roll back the DBAPI connection's transaction."""
        self._live_connection().rollback()

    def close(self) -> None:
        """Return the connection to its pool (or close it, when detached); idempotent."""
        record = self._record
        if record is None:
            return
        self._record = None
        pool = self._pool
        if self._ref is not None:
            pool._proxy_refs.pop(self._ref, None)
        pool._checkin(record)

    def invalidate(self, e: BaseException | None = None, soft: bool = False) -> None:
        """Mark the connection unusable: closed now, or with ``soft=True`` at next checkout.

        A hard invalidation also returns this proxy to the pool (it is closed afterwards);
        the pool slot opens a new DBAPI connection when next checked out.
        """
        record = self._record
        if record is None:
            return
        record.invalidate(e, soft=soft)
        if not soft:
            self._invalidated = True
            self.close()

    def detach(self) -> None:
        """Take the DBAPI connection out of the pool: ``close()`` then really closes it.

        The pool slot is returned to the pool at once, without a connection.
        """
        record = self._live_record()
        if record._detached:
            return
        pool = self._pool
        with pool._mutex:
            if record._users > 1:
                raise InvalidRequestError(
                    "This connection is shared with other checkouts of the same pool slot "
                    "(StaticPool, or nested SingletonThreadPool checkouts), so it cannot be "
                    "detached; use a QueuePool or NullPool to detach connections."
                )
        conn = record.dbapi_connection
        if conn is not None and pool.dispatch.detach:
            pool.dispatch.detach(conn, record)
        loose = ConnectionPoolEntry(pool, detached=True)
        loose.dbapi_connection = conn
        loose.info = record.info
        loose.starttime = record.starttime
        loose._serial = record._serial
        loose._users = 1
        record.dbapi_connection = None
        record.info = {}
        self._record = loose
        if self._ref is not None:
            pool._proxy_refs[self._ref] = loose
        pool._checkin(record)

    def _live_record(self) -> ConnectionPoolEntry:
        record = self._record
        if record is None:
            if self._invalidated:
                raise InvalidRequestError(
                    "This connection was invalidated and returned to the pool; check out a "
                    "new one with pool.connect()."
                )
            raise ResourceClosedError(
                "This pooled connection is closed; check out a new one with pool.connect()."
            )
        return record

    def _live_connection(self) -> Any:
        conn = self._live_record().dbapi_connection
        if conn is None:
            raise InvalidRequestError(
                "This connection was invalidated; close() it and check out a new one with "
                "pool.connect()."
            )
        return conn


class Pool:
    """Base class of the connection pools; hands out connections made by ``creator``.

    Options: ``recycle`` (seconds after which a connection is replaced at checkout, -1 for
    never), ``echo`` (True logs checkouts and checkins at INFO on logger "sqlwright.pool",
    "debug" at DEBUG), ``logging_name`` (shown in log lines), ``reset_on_return``
    ("rollback", "commit" or None: what is done to a returned connection), ``pre_ping`` (test
    each connection at checkout and replace dead ones) and ``dialect`` (used for ping,
    rollback, commit and close when given; see :class:`PoolDialect`).
    """

    dispatch = dispatcher(PoolEvents)

    def __init__(
        self,
        creator: Callable[[], DBAPIConnection],
        *,
        recycle: float = -1,
        echo: bool | str = False,
        logging_name: str | None = None,
        reset_on_return: ResetOnReturn | bool = "rollback",
        pre_ping: bool = False,
        dialect: PoolDialect | None = None,
    ) -> None:
        if not callable(creator):
            raise ArgumentError(f"creator must be a callable returning a DBAPI connection, "
                                f"got {creator!r}")
        self._creator = creator
        self._recycle = recycle
        self.echo = echo
        self._echo_level = _echo_level(echo)
        self.logging_name = logging_name
        self._reset_on_return = _reset_mode(reset_on_return)
        self._pre_ping = pre_ping
        self.dialect = dialect
        self._mutex = threading.RLock()
        self._serials = itertools.count(1)
        # Connections whose serial is below these marks are replaced at checkout / closed
        # at checkin (set by invalidate_all() and dispose()).
        self._stale_below = 0
        self._disposed_below = 0
        self._first_connect_lock = threading.RLock()
        self._first_connect_done = False
        self._first_connect_running = False
        self._proxy_refs: dict[weakref.ref[PoolProxiedConnection], ConnectionPoolEntry] = {}

    def _pool_options(self) -> dict[str, Any]:
        """The keyword options that rebuild this pool; subclasses add their own."""
        return {
            "recycle": self._recycle,
            "echo": self.echo,
            "logging_name": self.logging_name,
            "reset_on_return": self._reset_on_return,
            "pre_ping": self._pre_ping,
            "dialect": self.dialect,
        }

    def __repr__(self) -> str:
        return f"<{self._name()}>"

    def _name(self) -> str:
        if self.logging_name:
            return f"{type(self).__name__}[{self.logging_name}]"
        return f"{type(self).__name__} 0x{id(self):x}"

    # -- public API ---------------------------------------------------------------------------

    def connect(self) -> PoolProxiedConnection:
        """Check out a connection; ``close()`` the result to give it back."""
        record = self._acquire()
        proxy = self._run_checkout_listeners(record)
        ref = weakref.ref(proxy, self._on_proxy_collected)
        proxy._ref = ref
        self._proxy_refs[ref] = record
        if self._echo_level is not None:
            logger.log(self._echo_level, "%s: checked out connection %s", self._name(),
                       _label(record.dbapi_connection))
        return proxy

    def recreate(self) -> Pool:
        """Return a new, empty pool of the same class, options and event listeners."""
        logger.info("%s: recreating", self._name())
        new = type(self)(self._creator, **self._pool_options())
        new.dispatch._update(self.dispatch)
        return new

    def dispose(self) -> None:
        """Close every checked-in connection; checked-out ones are closed when returned.

        The pool stays usable and opens new connections as needed.
        """
        mark = next(self._serials)
        self._stale_below = mark
        self._disposed_below = mark
        for record in self._take_idle():
            try:
                record._close_connection()
            except Exception:
                logger.exception("%s: error while closing a connection in dispose()",
                                 self._name())
        logger.info("%s: disposed", self._name())

    def invalidate_all(self) -> None:
        """Replace, at their next checkout, every connection opened before this call."""
        self._stale_below = next(self._serials)
        logger.info("%s: every existing connection will be replaced", self._name())

    def size(self) -> int:
        """The number of connections the pool keeps open when idle."""
        raise NotImplementedError

    def checkedin(self) -> int:
        """The number of connections waiting in the pool."""
        raise NotImplementedError

    def checkedout(self) -> int:
        """The number of connections currently checked out."""
        raise NotImplementedError

    def overflow(self) -> int:
        """The number of connections open beyond ``size()``."""
        return 0

    def status(self) -> str:
        """One line describing the pool's counts."""
        return (
            f"{self._name()}: size={self.size()} checked_in={self.checkedin()} "
            f"checked_out={self.checkedout()} overflow={self.overflow()}"
        )

    # -- what subclasses implement -------------------------------------------------------------

    def _acquire(self) -> ConnectionPoolEntry:
        """Reserve a slot (incrementing its ``_users``) with a usable connection."""
        raise NotImplementedError

    def _release(self, record: ConnectionPoolEntry) -> None:
        """Take back a slot whose last user returned it (already reset)."""
        raise NotImplementedError

    def _discard(self, record: ConnectionPoolEntry) -> None:
        """Forget a slot that failed to (re)connect or belongs to a disposed generation."""
        record._close_connection()

    def _take_idle(self) -> list[ConnectionPoolEntry]:
        """Remove and return the slots that are not checked out (for ``dispose()``)."""
        raise NotImplementedError

    # -- shared machinery ---------------------------------------------------------------------

    def _ready(self, record: ConnectionPoolEntry) -> ConnectionPoolEntry:
        """Prepare a reserved slot's connection; on failure un-reserve and discard it."""
        try:
            record._prepare()
        except BaseException:
            with self._mutex:
                record._users -= 1
            self._discard(record)
            raise
        return record

    def _run_checkout_listeners(self, record: ConnectionPoolEntry) -> PoolProxiedConnection:
        attempts = 0
        while True:
            proxy = PoolProxiedConnection(self, record)
            if not self.dispatch.checkout:
                return proxy
            try:
                self.dispatch.checkout(record.dbapi_connection, record, proxy)
                return proxy
            except DisconnectionError as err:
                proxy._record = None
                attempts += 1
                if attempts >= CHECKOUT_ATTEMPTS or record._users > 1:
                    self._checkin(record)
                    raise DisconnectionError(
                        f"checkout listeners rejected the connection {attempts} time(s) in a "
                        f"row ({err}); the database may be unreachable, or a listener raises "
                        "DisconnectionError for a healthy connection."
                    ) from err
                logger.info("%s: a checkout listener reported a disconnect (%s); retrying",
                            self._name(), err)
                record.invalidate(err)
                self._ready(record)
            except BaseException:
                proxy._record = None
                self._checkin(record)
                raise

    def _fire_first_connect(self, conn: Any, record: ConnectionPoolEntry) -> None:
        if self._first_connect_done:
            return
        with self._first_connect_lock:
            # The running flag stops a listener that opens a connection from re-entering.
            if self._first_connect_done or self._first_connect_running:
                return
            self._first_connect_running = True
            try:
                if self.dispatch.first_connect:
                    self.dispatch.first_connect(conn, record)
                self._first_connect_done = True
            finally:
                self._first_connect_running = False

    def _checkin(self, record: ConnectionPoolEntry) -> None:
        with self._mutex:
            record._users -= 1
            if record._users > 0:
                return
        if record._detached:
            record._close_connection()
            return
        try:
            if record.dbapi_connection is not None:
                self._reset(record)
            if self.dispatch.checkin:
                self.dispatch.checkin(record.dbapi_connection, record)
        finally:
            if self._echo_level is not None:
                logger.log(self._echo_level, "%s: connection %s returned", self._name(),
                           _label(record.dbapi_connection))
            if record._serial < self._disposed_below:
                record._close_connection()
                self._discard(record)
            else:
                self._release(record)

    def _reset(self, record: ConnectionPoolEntry) -> None:
        conn = record.dbapi_connection
        try:
            if self.dispatch.reset:
                self.dispatch.reset(conn, record)
            mode = self._reset_on_return
            if mode == "rollback":
                if self.dialect is not None:
                    self.dialect.do_rollback(conn)
                else:
                    conn.rollback()
            elif mode == "commit":
                if self.dialect is not None:
                    self.dialect.do_commit(conn)
                else:
                    conn.commit()
        except Exception as err:
            logger.warning("%s: resetting returned connection %s failed (%s); invalidating it",
                           self._name(), _label(conn), err)
            record.invalidate(err)

    def _on_proxy_collected(self, ref: weakref.ref[PoolProxiedConnection]) -> None:
        record = self._proxy_refs.pop(ref, None)
        if record is None:
            return
        logger.warning(
            "%s: a checked-out connection was garbage collected without close(); returning "
            "it to the pool. Close connections explicitly, e.g. `with pool.connect() as conn:`.",
            self._name(),
        )
        try:
            self._checkin(record)
        except Exception:
            logger.exception("%s: error while returning a garbage-collected connection",
                             self._name())
