"""NullPool, StaticPool, SingletonThreadPool and AssertionPool, plus what all pool classes share."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from sqlwright.pool import (
    AssertionPool,
    NullPool,
    Pool,
    QueuePool,
    SingletonThreadPool,
    StaticPool,
)

ALL_POOLS: list[type[Pool]] = [QueuePool, NullPool, StaticPool, SingletonThreadPool, AssertionPool]


def run_in_thread(fn: Any) -> Any:
    result: list[Any] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as err:
            errors.append(err)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


# -- shared behaviour, for every class --------------------------------------------------------


@pytest.mark.parametrize("pool_class", ALL_POOLS)
def test_every_pool_rolls_back_on_return(tracker, pool_class) -> None:
    pool = pool_class(tracker.creator)
    conn = pool.connect()
    conn.cursor().execute("INSERT INTO t (x) VALUES (1)")
    conn.close()
    assert tracker.rows() == []
    assert pool.checkedout() == 0


@pytest.mark.parametrize("pool_class", [QueuePool, StaticPool, SingletonThreadPool, AssertionPool])
def test_every_keeping_pool_pre_pings_a_dead_connection_away(tracker, pool_class) -> None:
    pool = pool_class(tracker.creator, pre_ping=True)
    conn = pool.connect()
    dead = conn.dbapi_connection
    conn.close()
    dead._conn.close()  # dropped by the "server" while idle in the pool
    with pool.connect() as conn:
        assert conn.dbapi_connection is not dead
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_null_pool_needs_no_ping_it_never_reuses(tracker) -> None:
    pool = NullPool(tracker.creator, pre_ping=True)
    first = pool.connect()
    dead = first.dbapi_connection
    first.close()
    with pool.connect() as conn:
        assert conn.dbapi_connection is not dead
        assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.parametrize("pool_class", ALL_POOLS)
def test_every_pool_recreates_itself(tracker, pool_class) -> None:
    pool = pool_class(tracker.creator, recycle=12, logging_name="x")
    new = pool.recreate()
    assert type(new) is pool_class
    assert new._pool_options() == pool._pool_options()
    assert new.checkedout() == 0


@pytest.mark.parametrize("pool_class", ALL_POOLS)
def test_every_pool_disposes_idle_connections(tracker, pool_class) -> None:
    pool = pool_class(tracker.creator)
    pool.connect().close()
    pool.dispose()
    assert tracker.open_now == 0
    assert pool.checkedin() == 0
    with pool.connect() as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.parametrize("pool_class", ALL_POOLS)
def test_every_pool_status_is_one_line(tracker, pool_class) -> None:
    pool = pool_class(tracker.creator)
    conn = pool.connect()
    status = pool.status()
    assert "\n" not in status
    assert f"checked_out={pool.checkedout()}" in status
    assert pool.checkedout() == 1
    conn.close()


# -- NullPool ---------------------------------------------------------------------------------


def test_null_pool_connects_per_checkout_and_closes_on_checkin(tracker) -> None:
    pool = NullPool(tracker.creator)
    one, two = pool.connect(), pool.connect()
    assert one.dbapi_connection is not two.dbapi_connection
    assert (pool.size(), pool.checkedout(), pool.checkedin()) == (0, 2, 0)
    one.close()
    two.close()
    assert (tracker.opened, tracker.closed) == (2, 2)
    assert pool.checkedout() == 0


# -- StaticPool -------------------------------------------------------------------------------


def test_static_pool_shares_one_connection_across_threads(tracker) -> None:
    pool = StaticPool(tracker.creator)
    mine = pool.connect()
    theirs = run_in_thread(pool.connect)
    assert theirs.dbapi_connection is mine.dbapi_connection
    assert pool.checkedout() == 2
    theirs.close()
    mine.close()
    assert (pool.checkedout(), pool.checkedin(), tracker.opened) == (0, 1, 1)


def test_static_pool_resets_only_when_the_last_user_returns(tracker) -> None:
    pool = StaticPool(tracker.creator)
    outer = pool.connect()
    outer.cursor().execute("INSERT INTO t (x) VALUES (1)")
    inner = pool.connect()
    inner.close()
    assert outer.execute("SELECT count(*) FROM t").fetchone() == (1,)  # not rolled back yet
    outer.close()
    assert tracker.rows() == []


def test_static_pool_reconnects_after_invalidation(tracker) -> None:
    pool = StaticPool(tracker.creator)
    conn = pool.connect()
    first = conn.dbapi_connection
    conn.invalidate()
    with pool.connect() as again:
        assert again.dbapi_connection is not first
        assert again.execute("SELECT 1").fetchone() == (1,)


# -- SingletonThreadPool ----------------------------------------------------------------------


def test_singleton_thread_pool_gives_one_connection_per_thread(tracker) -> None:
    pool = SingletonThreadPool(tracker.creator)
    with pool.connect() as conn:
        mine = conn.dbapi_connection
    with pool.connect() as conn:
        assert conn.dbapi_connection is mine

    def other_thread() -> Any:
        with pool.connect() as conn:
            return conn.dbapi_connection

    assert run_in_thread(other_thread) is not mine
    assert tracker.opened == 2
    assert pool.checkedin() == 2


def test_singleton_thread_pool_nested_checkouts_share_the_transaction(tracker) -> None:
    pool = SingletonThreadPool(tracker.creator)
    outer = pool.connect()
    outer.cursor().execute("INSERT INTO t (x) VALUES (1)")
    inner = pool.connect()
    assert inner.dbapi_connection is outer.dbapi_connection
    inner.close()
    outer.commit()
    outer.close()
    assert tracker.rows() == [(1,)]


def test_singleton_thread_pool_keeps_at_most_pool_size(tracker) -> None:
    pool = SingletonThreadPool(tracker.creator, pool_size=2)

    def use() -> None:
        pool.connect().close()

    for _ in range(4):
        run_in_thread(use)
    assert tracker.opened == 4
    assert tracker.open_now == 2
    assert pool.checkedin() == 2


def test_singleton_thread_pool_thread_gets_a_new_connection_after_eviction(tracker) -> None:
    pool = SingletonThreadPool(tracker.creator, pool_size=1)
    with pool.connect() as conn:
        mine = conn.dbapi_connection
    run_in_thread(lambda: pool.connect().close())  # evicts this thread's idle connection
    assert mine.closed
    with pool.connect() as conn:
        assert conn.dbapi_connection is not mine
        assert conn.execute("SELECT 1").fetchone() == (1,)


# -- AssertionPool ----------------------------------------------------------------------------


def test_assertion_pool_refuses_a_second_checkout_and_says_where_the_first_was(tracker) -> None:
    pool = AssertionPool(tracker.creator)
    first = pool.connect()
    with pytest.raises(AssertionError) as info:
        pool.connect()
    message = str(info.value)
    assert "already checked out" in message
    assert "test_assertion_pool_refuses_a_second_checkout" in message
    first.close()
    with pool.connect() as conn:
        assert conn.dbapi_connection is first_dbapi(tracker)
    assert tracker.opened == 1


def first_dbapi(tracker: Any) -> Any:
    return tracker.connections[0]
