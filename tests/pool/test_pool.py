"""QueuePool and the behaviour every pool shares, on real sqlite3 file databases."""

from __future__ import annotations

import gc
import logging
import sqlite3
import threading
from typing import Any

import pytest

from sqlwright import exc
from sqlwright.pool import Pool, PoolProxiedConnection, QueuePool


def make_pool(tracker: Any, **kw: Any) -> QueuePool:
    kw.setdefault("pool_size", 2)
    kw.setdefault("max_overflow", 1)
    kw.setdefault("timeout", 5.0)
    return QueuePool(tracker.creator, **kw)


def insert(conn: PoolProxiedConnection, value: int) -> None:
    conn.cursor().execute("INSERT INTO t (x) VALUES (?)", (value,))


# -- checkout, checkin, counts ----------------------------------------------------------------


def test_checkout_gives_a_working_connection_and_checkin_keeps_it(tracker) -> None:
    pool = make_pool(tracker)
    conn = pool.connect()
    cursor = conn.cursor()
    cursor.execute("SELECT 40 + 2")
    assert cursor.fetchone() == (42,)
    first = conn.dbapi_connection
    assert pool.checkedout() == 1
    assert pool.checkedin() == 0
    conn.close()
    assert pool.checkedout() == 0
    assert pool.checkedin() == 1
    again = pool.connect()
    assert again.dbapi_connection is first
    again.close()
    assert tracker.opened == 1


def test_counts_and_status_with_overflow(tracker) -> None:
    pool = make_pool(tracker, pool_size=2, max_overflow=1)
    conns = [pool.connect() for _ in range(3)]
    assert (pool.size(), pool.checkedout(), pool.checkedin(), pool.overflow()) == (2, 3, 0, 1)
    assert pool.status().endswith(
        "size=2 checked_in=0 checked_out=3 overflow=1 (max 1) timeout=5.0"
    )
    for conn in conns:
        conn.close()
    # The overflow connection is closed when it comes back to a full pool.
    assert (pool.checkedin(), pool.overflow(), tracker.open_now) == (2, 0, 2)


def test_unlimited_overflow(tracker) -> None:
    pool = make_pool(tracker, pool_size=1, max_overflow=-1)
    conns = [pool.connect() for _ in range(6)]
    assert pool.overflow() == 5
    assert "(max unlimited)" in pool.status()
    for conn in conns:
        conn.close()
    assert tracker.open_now == 1


def test_second_close_is_a_no_op_and_use_after_close_fails(tracker) -> None:
    pool = make_pool(tracker)
    conn = pool.connect()
    conn.close()
    conn.close()
    assert pool.checkedin() == 1
    assert conn.dbapi_connection is None
    assert not conn.is_valid
    with pytest.raises(exc.ResourceClosedError, match="check out a new one"):
        conn.cursor()
    with pytest.raises(AttributeError, match="'execute' is not available.*closed"):
        conn.execute("SELECT 1")
    assert getattr(conn, "dispose", None) is None


def test_context_manager_and_attribute_delegation(tracker) -> None:
    pool = make_pool(tracker)
    with pool.connect() as conn:
        assert conn.execute("SELECT 7").fetchone() == (7,)  # sqlite3's own execute()
        assert pool.checkedout() == 1
    assert pool.checkedout() == 0


def test_constructor_arguments_are_validated(tracker) -> None:
    with pytest.raises(exc.ArgumentError, match="pool_size"):
        QueuePool(tracker.creator, pool_size=-1)
    with pytest.raises(exc.ArgumentError, match="max_overflow"):
        QueuePool(tracker.creator, max_overflow=-2)
    with pytest.raises(exc.ArgumentError, match="reset_on_return"):
        QueuePool(tracker.creator, reset_on_return="flush")  # type: ignore[arg-type]
    with pytest.raises(exc.ArgumentError, match="echo"):
        QueuePool(tracker.creator, echo="loud")
    with pytest.raises(exc.ArgumentError, match="creator"):
        QueuePool("sqlite:///x.db")  # type: ignore[arg-type]


# -- timeout ----------------------------------------------------------------------------------


def test_timeout_when_exhausted_names_the_limits_and_the_remedy(tracker) -> None:
    pool = make_pool(tracker, pool_size=1, max_overflow=1, timeout=0.05)
    held = [pool.connect(), pool.connect()]
    with pytest.raises(exc.TimeoutError) as info:
        pool.connect()
    message = str(info.value)
    assert "all 1 pooled and 1 overflow connections are checked out" in message
    assert "timeout=0.05" in message
    assert "Raise pool_size or max_overflow" in message
    held[0].close()
    pool.connect().close()
    held[1].close()
    assert pool.checkedout() == 0


def test_a_waiting_checkout_gets_the_connection_another_thread_returns(tracker) -> None:
    pool = make_pool(tracker, pool_size=1, max_overflow=0, timeout=30)
    held = pool.connect()
    got: list[Any] = []
    waiter = threading.Thread(target=lambda: got.append(pool.connect()))
    waiter.start()
    held.close()
    waiter.join()
    assert got[0].dbapi_connection is tracker.connections[0]
    got[0].close()
    assert tracker.opened == 1


def test_failed_connect_frees_the_slot(tracker) -> None:
    attempts = {"n": 0}

    def flaky() -> Any:
        attempts["n"] += 1
        if attempts["n"] == 1:
            raise sqlite3.OperationalError("server not up yet")
        return tracker.creator()

    pool = QueuePool(flaky, pool_size=1, max_overflow=0, timeout=0.05)
    with pytest.raises(sqlite3.OperationalError):
        pool.connect()
    assert pool.checkedout() == 0
    pool.connect().close()  # would time out if the failed attempt had kept the slot


# -- reset on return --------------------------------------------------------------------------


def test_uncommitted_insert_is_rolled_back_on_return(tracker) -> None:
    pool = make_pool(tracker)
    conn = pool.connect()
    insert(conn, 1)
    conn.close()
    assert tracker.rows() == []
    with pool.connect() as conn:
        insert(conn, 2)
        conn.commit()
    assert tracker.rows() == [(2,)]


def test_reset_on_return_commit(tracker) -> None:
    pool = make_pool(tracker, reset_on_return="commit")
    conn = pool.connect()
    insert(conn, 5)
    conn.close()
    assert tracker.rows() == [(5,)]


def test_reset_on_return_none_leaves_the_transaction_open(tracker) -> None:
    pool = make_pool(tracker, pool_size=1, reset_on_return=None)
    conn = pool.connect()
    insert(conn, 9)
    conn.close()
    again = pool.connect()
    assert again.in_transaction
    again.rollback()
    again.close()
    assert tracker.rows() == []


def test_a_failing_reset_invalidates_the_connection(tracker) -> None:
    pool = make_pool(tracker, pool_size=1)
    conn = pool.connect()
    broken = conn.dbapi_connection
    broken._conn.close()  # rollback() on a closed sqlite3 connection raises
    conn.close()
    assert broken.closed
    with pool.connect() as fresh:
        assert fresh.dbapi_connection is not broken
        assert fresh.execute("SELECT 1").fetchone() == (1,)


# -- invalidation, info, detach ---------------------------------------------------------------


def test_hard_invalidate_closes_now_and_the_slot_reconnects(tracker) -> None:
    pool = make_pool(tracker, pool_size=1)
    conn = pool.connect()
    first = conn.dbapi_connection
    conn.record_info["slot"] = "kept"
    conn.info["conn"] = "dropped"
    conn.invalidate(RuntimeError("server went away"))
    assert first.closed
    assert not conn.is_valid
    assert pool.checkedout() == 0
    with pytest.raises(exc.InvalidRequestError, match="invalidated"):
        conn.cursor()
    conn.close()  # a no-op now
    with pool.connect() as again:
        assert again.dbapi_connection is not first
        assert again.execute("SELECT 1").fetchone() == (1,)
        assert again.record_info == {"slot": "kept"}
        assert again.info == {}
    assert tracker.opened == 2


def test_soft_invalidate_keeps_working_until_the_next_checkout(tracker) -> None:
    pool = make_pool(tracker, pool_size=1)
    conn = pool.connect()
    first = conn.dbapi_connection
    conn.invalidate(soft=True)
    assert conn.is_valid
    assert conn.execute("SELECT 3").fetchone() == (3,)
    conn.close()
    assert not first.closed
    with pool.connect() as again:
        assert again.dbapi_connection is not first
    assert first.closed


def test_info_lives_with_the_dbapi_connection(tracker) -> None:
    pool = make_pool(tracker, pool_size=1)
    with pool.connect() as conn:
        conn.info["setup_done"] = True
    with pool.connect() as conn:
        assert conn.info == {"setup_done": True}


def test_detach_takes_the_connection_out_of_the_pool(tracker) -> None:
    pool = make_pool(tracker, pool_size=1, max_overflow=0, timeout=0.05)
    conn = pool.connect()
    conn.info["k"] = "v"
    detached = conn.dbapi_connection
    conn.detach()
    assert conn.is_detached
    assert conn.info == {"k": "v"}
    assert pool.checkedout() == 0
    other = pool.connect()  # the slot is free again, with a new connection
    assert other.dbapi_connection is not detached
    other.close()
    insert(conn, 1)
    conn.close()
    assert detached.closed
    assert tracker.rows() == []  # closing without commit discards the insert


# -- dispose, recreate, invalidate_all, recycle -----------------------------------------------


def test_dispose_closes_idle_now_and_checked_out_on_return(tracker) -> None:
    pool = make_pool(tracker, pool_size=3)
    idle = [pool.connect() for _ in range(2)]
    out = pool.connect()
    for conn in idle:
        conn.close()
    pool.dispose()
    assert (pool.checkedin(), pool.checkedout(), tracker.open_now) == (0, 1, 1)
    out_dbapi = out.dbapi_connection
    assert out.execute("SELECT 1").fetchone() == (1,)  # still usable until returned
    out.close()
    assert out_dbapi.closed
    assert (pool.checkedin(), pool.checkedout(), tracker.open_now) == (0, 0, 0)
    with pool.connect() as conn:  # the pool stays usable
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_recreate_keeps_class_and_options(tracker) -> None:
    pool = make_pool(tracker, pool_size=4, max_overflow=7, timeout=2.5, recycle=30,
                     logging_name="main", pre_ping=True, reset_on_return="commit")
    new = pool.recreate()
    assert type(new) is QueuePool
    assert new is not pool
    assert new._pool_options() == pool._pool_options()
    assert (new.size(), new.checkedin(), new.timeout()) == (4, 0, 2.5)


def test_invalidate_all_replaces_older_connections_at_checkout(tracker) -> None:
    pool = make_pool(tracker, pool_size=2)
    a, b = pool.connect(), pool.connect()
    old = {a.dbapi_connection, b.dbapi_connection}
    a.close()
    pool.invalidate_all()
    b.close()
    fresh = [pool.connect(), pool.connect()]
    new = {conn.dbapi_connection for conn in fresh}
    assert not old & new
    assert all(conn.closed for conn in old)
    for conn in fresh:
        conn.close()
    with pool.connect() as conn:  # connections opened after the call are kept
        assert conn.dbapi_connection in new
    assert tracker.opened == 4


def test_recycle_replaces_old_connections(tracker) -> None:
    pool = make_pool(tracker, pool_size=1, recycle=3600)
    with pool.connect() as conn:
        first = conn.dbapi_connection
        record = conn._record
    with pool.connect() as conn:
        assert conn.dbapi_connection is first  # young enough
    record.starttime -= 3601  # age it instead of sleeping an hour
    with pool.connect() as conn:
        assert conn.dbapi_connection is not first
    assert first.closed


# -- pre-ping ---------------------------------------------------------------------------------


def test_pre_ping_replaces_a_connection_closed_behind_the_pools_back(tracker) -> None:
    pool = make_pool(tracker, pool_size=1, pre_ping=True)
    conn = pool.connect()
    dead = conn.dbapi_connection
    conn.close()
    dead._conn.close()  # the server dropped the idle connection; the pool does not know
    with pool.connect() as conn:
        assert conn.dbapi_connection is not dead
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert dead.closed


def test_without_pre_ping_the_dead_connection_is_handed_out(tracker) -> None:
    pool = make_pool(tracker, pool_size=1)
    conn = pool.connect()
    dead = conn.dbapi_connection
    conn.close()
    dead._conn.close()
    with pool.connect() as conn:
        assert conn.dbapi_connection is dead
        with pytest.raises(sqlite3.ProgrammingError):
            conn.execute("SELECT 1")
        conn.invalidate()


class SqliteDialect:
    """A small dialect for sqlite3 implementing exactly the methods the pool calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def do_ping(self, dbapi_connection: Any) -> bool:
        self.calls.append("ping")
        dbapi_connection.execute("SELECT 1")
        return True

    def is_disconnect(self, e: Any, connection: Any, cursor: Any) -> bool:
        return isinstance(e, sqlite3.ProgrammingError) and "closed" in str(e)

    def do_rollback(self, dbapi_connection: Any) -> None:
        self.calls.append("rollback")
        dbapi_connection.rollback()

    def do_commit(self, dbapi_connection: Any) -> None:
        self.calls.append("commit")
        dbapi_connection.commit()

    def do_close(self, dbapi_connection: Any) -> None:
        self.calls.append("close")
        dbapi_connection.close()


def test_dialect_methods_are_used_when_given(tracker) -> None:
    dialect = SqliteDialect()
    pool = make_pool(tracker, pool_size=1, pre_ping=True, dialect=dialect)
    pool.connect().close()
    pool.connect().close()
    pool.dispose()
    assert dialect.calls == ["rollback", "ping", "rollback", "close"]


def test_pre_ping_disconnect_replaces_all_older_connections(tracker) -> None:
    pool = make_pool(tracker, pool_size=2, pre_ping=True, dialect=SqliteDialect())
    a, b = pool.connect(), pool.connect()
    dead, older = a.dbapi_connection, b.dbapi_connection
    a.close()
    b.close()
    dead._conn.close()
    with pool.connect() as conn:  # pings a, finds it disconnected: invalidates all
        assert conn.execute("SELECT 1").fetchone() == (1,)
    with pool.connect() as c1, pool.connect() as c2:
        assert older not in (c1.dbapi_connection, c2.dbapi_connection)
    assert older.closed


def test_pre_ping_error_that_is_not_a_disconnect_propagates(tracker) -> None:
    class StrictDialect(SqliteDialect):
        def is_disconnect(self, e: Any, connection: Any, cursor: Any) -> bool:
            return False

    pool = make_pool(tracker, pool_size=1, pre_ping=True, dialect=StrictDialect())
    conn = pool.connect()
    dead = conn.dbapi_connection
    conn.close()
    dead._conn.close()
    with pytest.raises(sqlite3.ProgrammingError):
        pool.connect()
    assert pool.checkedout() == 0


# -- garbage collection and logging -----------------------------------------------------------


def test_a_garbage_collected_connection_returns_to_the_pool(tracker, caplog) -> None:
    pool = make_pool(tracker, pool_size=1)
    conn = pool.connect()
    insert(conn, 1)
    del conn
    gc.collect()
    assert pool.checkedout() == 0
    assert pool.checkedin() == 1
    assert tracker.rows() == []  # it was reset (rolled back) on the way
    assert "garbage collected without close()" in caplog.text
    assert any(r.levelno == logging.WARNING for r in caplog.records)


@pytest.mark.parametrize(("echo", "level"), [(True, logging.INFO), ("debug", logging.DEBUG)])
def test_echo_logs_checkout_and_checkin_without_secrets(tracker, caplog, echo, level) -> None:
    caplog.set_level(logging.DEBUG, logger="sqlwright.pool")
    pool = make_pool(tracker, echo=echo, logging_name="app")
    pool.connect().close()
    messages = [r for r in caplog.records if r.name == "sqlwright.pool"]
    checkout = [r for r in messages if "checked out" in r.getMessage()]
    checkin = [r for r in messages if "returned" in r.getMessage()]
    assert [r.levelno for r in checkout + checkin] == [level, level]
    assert "QueuePool[app]" in checkout[0].getMessage()
    assert "hunter2" not in caplog.text


def test_without_echo_checkouts_are_not_logged(tracker, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="sqlwright.pool")
    pool = make_pool(tracker)
    pool.connect().close()
    assert "checked out" not in caplog.text


def test_pool_is_the_base_class_of_every_pool(tracker) -> None:
    assert isinstance(make_pool(tracker), Pool)
