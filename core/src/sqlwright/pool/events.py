"""PoolEvents: the events a connection pool emits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlwright.event.base import Events

if TYPE_CHECKING:
    from sqlwright.pool.base import ConnectionPoolEntry, PoolProxiedConnection

__all__ = ["PoolEvents"]


class PoolEvents(Events):
    """Events of a connection pool.

    Listen on a Pool class (every pool of that class), a Pool instance, an Engine instance (its
    pool) or a class declaring ``_pool_event_target`` (the Engine class: every pool).
    ``connection_record`` is the pool slot (:class:`~sqlwright.pool.ConnectionPoolEntry`) holding
    the DBAPI connection.
    """

    _target_description = "a Pool class or instance, an Engine class or instance"

    @classmethod
    def _accept_with(cls, target: object, identifier: str) -> object | None:
        from sqlwright.pool.base import Pool

        if isinstance(target, type):
            if issubclass(target, Pool):
                return target
            mapped = getattr(target, "_pool_event_target", None)
            if isinstance(mapped, type) and issubclass(mapped, Pool):
                return mapped
            return None
        if isinstance(target, Pool):
            return target
        pool = getattr(target, "pool", None)
        if isinstance(pool, Pool):
            return pool
        return None

    def connect(self, dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
        """A new DBAPI connection was opened by the pool's creator.

        Runs before the connection is handed out; a listener raising an exception makes the
        pool close the new connection and the checkout fail with that exception.
        """

    def first_connect(
        self, dbapi_connection: Any, connection_record: ConnectionPoolEntry
    ) -> None:
        """The pool opened its first DBAPI connection; runs once per pool, before ``connect``.

        If a listener raises, the event fires again for the next connection opened.
        """

    def checkout(
        self,
        dbapi_connection: Any,
        connection_record: ConnectionPoolEntry,
        connection_proxy: PoolProxiedConnection,
    ) -> None:
        """A connection is being handed out by ``pool.connect()``.

        A listener may raise :class:`sqlwright.exc.DisconnectionError` to say the connection is
        unusable: the pool invalidates it and retries with a fresh one, up to three attempts.
        """

    def checkin(self, dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
        """A connection came back to the pool, after its reset.

        ``dbapi_connection`` is None when the connection was invalidated or detached while
        checked out.
        """

    def reset(self, dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
        """A returned connection is about to be reset (rolled back or committed, per the
        pool's ``reset_on_return``). Fires on every return, also with ``reset_on_return=None``,
        so a listener can implement its own reset.
        """

    def invalidate(
        self,
        dbapi_connection: Any,
        connection_record: ConnectionPoolEntry,
        exception: BaseException | None,
    ) -> None:
        """A connection is being invalidated: it is closed now and replaced at next use.

        ``exception`` is the error that caused it, or None.
        """

    def soft_invalidate(
        self,
        dbapi_connection: Any,
        connection_record: ConnectionPoolEntry,
        exception: BaseException | None,
    ) -> None:
        """A connection was soft-invalidated: it stays usable by its current holder and is
        closed and replaced at its next checkout.
        """

    def close(self, dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
        """A DBAPI connection is about to be closed by the pool (recycle, invalidation,
        dispose, overflow, or closing a detached connection).
        """

    def detach(self, dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
        """A connection is being detached from its pool slot: the pool forgets it and
        closing the proxy later really closes it.
        """
