"""Every PoolEvents event, and the targets pool events can be listened on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sqlwright import event, exc
from sqlwright.pool import ConnectionPoolEntry, Pool, PoolProxiedConnection, QueuePool


class Recorder:
    """Listens for every pool event on one target and records (event, dbapi connection)."""

    EVENTS = ("first_connect", "connect", "checkout", "checkin", "reset", "invalidate",
              "soft_invalidate", "close", "detach")

    def __init__(self, target: Any) -> None:
        self.log: list[tuple[str, Any]] = []
        for name in self.EVENTS:
            event.listen(target, name, self._make(name))

    def _make(self, name: str) -> Any:
        def listener(dbapi_connection: Any, connection_record: Any, *rest: Any) -> None:
            assert connection_record is None or isinstance(connection_record, ConnectionPoolEntry)
            if name == "checkout":
                assert isinstance(rest[0], PoolProxiedConnection)
            self.log.append((name, dbapi_connection))

        return listener

    def names(self) -> list[str]:
        return [name for name, _ in self.log]


@pytest.fixture
def pool(tracker) -> QueuePool:
    return QueuePool(tracker.creator, pool_size=1, max_overflow=1, timeout=5)


def test_connect_checkout_reset_checkin_in_order(pool, tracker) -> None:
    rec = Recorder(pool)
    conn = pool.connect()
    conn.close()
    pool.connect().close()
    first = tracker.connections[0]
    assert rec.log == [
        ("first_connect", first), ("connect", first), ("checkout", first),
        ("reset", first), ("checkin", first),
        ("checkout", first), ("reset", first), ("checkin", first),
    ]


def test_first_connect_fires_once_per_pool(pool, tracker) -> None:
    rec = Recorder(pool)
    a, b = pool.connect(), pool.connect()
    a.close()
    b.close()
    assert rec.names().count("first_connect") == 1
    assert rec.names().count("connect") == 2
    recreated = pool.recreate()
    recreated.connect().close()
    assert rec.names().count("first_connect") == 2  # a new pool fires it again


def test_a_failing_first_connect_fires_again_for_the_next_connection(pool) -> None:
    seen: list[str] = []

    def initialise(dbapi_connection: Any, connection_record: Any) -> None:
        seen.append("first_connect")
        if len(seen) == 1:
            raise RuntimeError("dialect initialisation failed")

    event.listen(pool, "first_connect", initialise)
    with pytest.raises(RuntimeError):
        pool.connect()
    assert pool.checkedout() == 0
    pool.connect().close()
    pool.connect().close()
    assert seen == ["first_connect", "first_connect"]


def test_a_connect_listener_can_configure_each_connection(pool, tracker) -> None:
    @event.listens_for(pool, "connect")
    def set_pragma(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.execute("PRAGMA user_version = 7")
        connection_record.info["configured"] = True

    with pool.connect() as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (7,)
        assert conn.info["configured"] is True


def test_invalidate_and_close_events(pool, tracker) -> None:
    rec = Recorder(pool)
    conn = pool.connect()
    first = conn.dbapi_connection
    error = RuntimeError("lost")
    received: list[Any] = []
    event.listen(pool, "invalidate", lambda c, r, e: received.append(e))
    conn.invalidate(error)
    assert rec.log[-3:] == [("invalidate", first), ("close", first), ("checkin", None)]
    assert received == [error]


def test_soft_invalidate_event_then_close_at_next_checkout(pool, tracker) -> None:
    rec = Recorder(pool)
    conn = pool.connect()
    first = conn.dbapi_connection
    conn.invalidate(soft=True)
    assert rec.log[-1] == ("soft_invalidate", first)
    conn.close()
    pool.connect().close()
    assert ("close", first) in rec.log
    assert rec.names().count("connect") == 2


def test_detach_event_and_close_of_the_detached_connection(pool, tracker) -> None:
    rec = Recorder(pool)
    conn = pool.connect()
    first = conn.dbapi_connection
    conn.detach()
    assert rec.log[-2:] == [("detach", first), ("checkin", None)]
    conn.close()
    assert rec.log[-1] == ("close", first)


def test_close_event_on_dispose(pool, tracker) -> None:
    rec = Recorder(pool)
    pool.connect().close()
    pool.dispose()
    assert rec.log[-1] == ("close", tracker.connections[0])


def test_reset_listener_runs_even_without_reset_on_return(tracker) -> None:
    pool = QueuePool(tracker.creator, reset_on_return=None)

    @event.listens_for(pool, "reset")
    def my_reset(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.rollback()

    conn = pool.connect()
    conn.cursor().execute("INSERT INTO t (x) VALUES (1)")
    conn.close()
    assert tracker.rows() == []


def test_checkout_disconnection_error_retries_with_a_fresh_connection(pool, tracker) -> None:
    refused: list[Any] = []

    @event.listens_for(pool, "checkout")
    def refuse_first(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
        if not refused:
            refused.append(dbapi_connection)
            raise exc.DisconnectionError("stale")

    with pool.connect() as conn:
        assert conn.dbapi_connection is not refused[0]
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert refused[0].closed
    assert tracker.opened == 2


def test_checkout_gives_up_after_three_attempts(pool, tracker) -> None:
    @event.listens_for(pool, "checkout")
    def always_refuse(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
        raise exc.DisconnectionError("still down")

    with pytest.raises(exc.DisconnectionError, match="rejected the connection 3 time"):
        pool.connect()
    assert tracker.opened == 3
    assert pool.checkedout() == 0


def test_any_other_checkout_error_returns_the_connection(pool) -> None:
    @event.listens_for(pool, "checkout")
    def broken(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
        raise ValueError("bug in listener")

    with pytest.raises(ValueError):
        pool.connect()
    assert (pool.checkedout(), pool.checkedin()) == (0, 1)


def test_a_failing_connect_listener_closes_the_new_connection(pool, tracker) -> None:
    @event.listens_for(pool, "connect")
    def broken(dbapi_connection: Any, connection_record: Any) -> None:
        raise ValueError("cannot configure")

    with pytest.raises(ValueError):
        pool.connect()
    assert tracker.open_now == 0
    assert pool.checkedout() == 0


def test_recreate_keeps_instance_listeners(pool) -> None:
    calls: list[str] = []
    event.listen(pool, "checkout", lambda c, r, p: calls.append("checkout"))
    new = pool.recreate()
    new.connect().close()
    assert calls == ["checkout"]


# -- targets ----------------------------------------------------------------------------------


class FakeEngine:
    """Stands in for an Engine as an event *target* only: something with a ``pool``."""

    _pool_event_target = Pool

    def __init__(self, pool: Pool) -> None:
        self.pool = pool


@pytest.fixture
def pool_class_listener() -> Iterator[list[str]]:
    """A listener on the Pool class, removed afterwards so it does not leak to other tests."""
    calls: list[str] = []

    def on_checkout(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
        calls.append("class-level")

    event.listen(FakeEngine, "checkout", on_checkout)
    try:
        yield calls
    finally:
        event.remove(Pool, "checkout", on_checkout)


def test_listening_on_an_engine_reaches_its_pool(pool) -> None:
    calls: list[str] = []
    engine = FakeEngine(pool)
    event.listen(engine, "checkout", lambda c, r, p: calls.append("engine"))
    assert event.contains(pool, "checkout", pool.dispatch.checkout[0])
    pool.connect().close()
    assert calls == ["engine"]


def test_listening_on_the_engine_class_reaches_every_pool(pool_class_listener, tracker) -> None:
    existing = QueuePool(tracker.creator)
    existing.connect().close()
    assert pool_class_listener == ["class-level"]
    assert event.contains(Pool, "checkout", Pool.dispatch.checkout[0])


def test_class_and_instance_listeners_together(pool_class_listener, pool) -> None:
    event.listen(pool, "checkout", lambda c, r, p: pool_class_listener.append("instance"))
    pool.connect().close()
    assert pool_class_listener == ["class-level", "instance"]


def test_unknown_pool_event_lists_the_pool_events(pool) -> None:
    with pytest.raises(exc.InvalidRequestError) as info:
        event.listen(pool, "check_out", print)
    message = str(info.value)
    assert "Did you mean 'checkout'?" in message
    assert "checkin, checkout, close, connect, detach, first_connect, invalidate, reset" in message


def test_retval_is_refused_for_pool_events(pool) -> None:
    with pytest.raises(exc.ArgumentError, match="retval"):
        event.listen(pool, "connect", print, retval=True)


def test_the_empty_checkout_collection_is_false(pool) -> None:
    assert not pool.dispatch.checkout
    event.listen(pool, "checkout", print)
    assert pool.dispatch.checkout
