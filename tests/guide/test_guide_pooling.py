"""API guide, "Connection Pooling" and "Optimizing Connection Pools": pool classes, their
parameters, pool events, statistics and dispose()."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from sqlwright import create_engine, event, text
from sqlwright.pool import AssertionPool, NullPool, QueuePool, StaticPool


def test_default_queue_pool(engine: Any) -> None:
    # Default QueuePool
    tuned = create_engine(
        engine.url,
        pool_size=5,           # Number of connections to maintain
        max_overflow=10,       # Additional connections when pool exhausted
        pool_timeout=30,       # Seconds to wait for connection
        pool_recycle=3600,     # Recycle connections after 1 hour
        pool_pre_ping=True,    # Verify connections before use
    )
    try:
        assert isinstance(tuned.pool, QueuePool)
        assert tuned.pool.size() == 5
        conns = [tuned.connect() for _ in range(7)]
        assert tuned.pool.checkedout() == 7
        assert tuned.pool.overflow() == 2
        for conn in conns:
            assert conn.execute(text("SELECT 1")).scalar() == 1
            conn.close()
        assert tuned.pool.checkedin() == 5  # overflow connections are closed, not kept
    finally:
        tuned.dispose()


def test_custom_queue_pool_strict_limit(engine: Any) -> None:
    # Custom pool configuration (pool_timeout shortened: the test waits for it)
    strict = create_engine(
        engine.url,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=0,        # No overflow, strict limit
        pool_timeout=0.1,
    )
    try:
        held = [strict.connect(), strict.connect()]
        from sqlwright.exc import TimeoutError as PoolTimeout

        with pytest.raises(PoolTimeout):
            strict.connect()
        held[0].close()
        with strict.connect() as conn:  # a returned connection is handed out again
            assert conn.execute(text("SELECT 2")).scalar() == 2
        held[1].close()
    finally:
        strict.dispose()


def test_null_pool(engine: Any) -> None:
    # NullPool (no pooling, create new connection each time)
    unpooled = create_engine(engine.url, poolclass=NullPool)
    opened: list[Any] = []
    event.listen(unpooled, "connect", lambda dbapi_conn, record: opened.append(dbapi_conn))
    try:
        for _ in range(3):
            with unpooled.connect() as conn:
                conn.execute(text("SELECT 1"))
        assert len(opened) == 3
        assert len({id(c) for c in opened}) == 3
    finally:
        unpooled.dispose()


def test_static_pool_for_sqlite(tmp_path: Path) -> None:
    # StaticPool (single connection, for SQLite)
    static = create_engine(
        f"sqlite:///{tmp_path / 'database.db'}",
        poolclass=StaticPool,
        connect_args={"check_same_thread": False}
    )
    try:
        with static.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        seen: list[Any] = []

        def worker() -> None:
            with static.connect() as conn:
                seen.append(conn.execute(text("SELECT x FROM t")).scalar())
                seen.append(conn.connection.dbapi_connection)

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        with static.connect() as conn:
            assert seen == [1, conn.connection.dbapi_connection]  # the one shared connection
    finally:
        static.dispose()


def test_pool_events_and_statistics(engine: Any, capsys: pytest.CaptureFixture[str]) -> None:
    engine = create_engine(engine.url, pool_size=5, max_overflow=10)

    # Pool event listeners
    @event.listens_for(engine, "connect")
    def receive_connect(dbapi_conn, connection_record):
        print("New database connection established")

    @event.listens_for(engine, "checkout")
    def receive_checkout(dbapi_conn, connection_record, connection_proxy):
        print("Connection checked out from pool")

    @event.listens_for(engine, "checkin")
    def receive_checkin(dbapi_conn, connection_record):
        print("Connection returned to pool")

    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert capsys.readouterr().out.splitlines() == [
        "New database connection established",
        "Connection checked out from pool",
        "Connection returned to pool",
        "Connection checked out from pool",
        "Connection returned to pool",
    ]

    # Pool statistics
    held = engine.connect()
    pool = engine.pool
    print(f"Pool size: {pool.size()}")
    print(f"Checked out connections: {pool.checkedout()}")
    print(f"Overflow: {pool.overflow()}")
    print(f"Checked in: {pool.checkedin()}")
    assert capsys.readouterr().out.splitlines()[1:] == [
        "Pool size: 5", "Checked out connections: 1", "Overflow: 0", "Checked in: 0"]
    held.close()
    capsys.readouterr()

    # Dispose pool (close all connections)
    assert pool.checkedin() == 1
    engine.dispose()
    assert engine.pool.checkedin() == 0


def test_optimized_pool_settings_with_echo_pool(engine: Any,
                                                caplog: pytest.LogCaptureFixture) -> None:
    # Optimize pool settings for your workload
    caplog.set_level("DEBUG")
    tuned = create_engine(
        engine.url,
        pool_size=20,           # Increase for high concurrency
        max_overflow=10,
        pool_timeout=30,
        pool_recycle=3600,      # Prevent stale connections
        pool_pre_ping=True,     # Verify connections
        echo_pool=True,         # Debug pool usage
    )
    try:
        with tuned.connect() as conn:
            conn.execute(text("SELECT 1"))
        assert tuned.pool.size() == 20
        assert any("sqlwright.pool" in r.name for r in caplog.records)
    finally:
        tuned.dispose()


def test_assertion_pool(engine: Any) -> None:
    """AssertionPool: one connection at a time; a second checkout is a test failure."""
    checked = create_engine(engine.url, poolclass=AssertionPool)
    try:
        with checked.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
            with pytest.raises(AssertionError):
                checked.connect()
    finally:
        checked.dispose()
