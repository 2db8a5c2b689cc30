"""Suite: the pool on a real database: connections are reused, and a connection that died
underneath (killed by the server, or closed) is found by ``pool_pre_ping`` or invalidated on
first use, after which the pool hands out working connections again.

Connections are killed with :func:`sqlwright.testing.provision.kill_connection`, which asks
the dialect plugin's provision.py to end the server session from another connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sqlwright import exc, text
from sqlwright.testing.provision import kill_connection


@pytest.fixture
def pool_table(text_table: Callable[[str], str]) -> str:
    """A one-row table the pool tests read."""
    return text_table("id INTEGER PRIMARY KEY")


def _count(conn: Any, table: str) -> int:
    return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar())


def _raw(conn: Any) -> Any:
    return conn.connection.dbapi_connection


def test_connections_are_reused(make_engine: Callable[..., Any], pool_table: str) -> None:
    eng = make_engine(pool_size=1, max_overflow=0)
    with eng.connect() as conn:
        first = _raw(conn)
        assert eng.pool.checkedout() == 1
    assert eng.pool.checkedout() == 0
    with eng.connect() as conn:
        assert _raw(conn) is first
        assert _count(conn, pool_table) == 0


def test_pre_ping_replaces_a_killed_connection(make_engine: Callable[..., Any],
                                              pool_table: str) -> None:
    eng = make_engine(pool_size=1, max_overflow=0, pool_pre_ping=True)
    with eng.connect() as conn:
        dead = _raw(conn)
    kill_connection(eng, dead)
    with eng.connect() as conn:  # no error reaches the caller
        assert _raw(conn) is not dead
        assert _count(conn, pool_table) == 0


def test_killed_connection_is_invalidated_on_first_use(make_engine: Callable[..., Any],
                                                       pool_table: str) -> None:
    eng = make_engine(pool_size=1, max_overflow=0)
    with eng.connect() as conn:
        dead = _raw(conn)
    kill_connection(eng, dead)
    with eng.connect() as conn:
        with pytest.raises(exc.DBAPIError) as info:
            _count(conn, pool_table)
        assert info.value.connection_invalidated is True
        assert conn.invalidated
        conn.rollback()
        assert _count(conn, pool_table) == 0  # reconnected
        assert _raw(conn) is not dead
    with eng.connect() as conn:
        assert _count(conn, pool_table) == 0


def _pooled_raw_connections(eng: Any, number: int) -> list[Any]:
    """The DBAPI connections of ``number`` simultaneous checkouts (returned afterwards)."""
    conns = [eng.connect() for _ in range(number)]
    try:
        return [_raw(conn) for conn in conns]
    finally:
        for conn in conns:
            conn.close()


def test_invalidation_replaces_every_pooled_connection(make_engine: Callable[..., Any],
                                                       pool_table: str) -> None:
    eng = make_engine(pool_size=2, max_overflow=0)
    dead = _pooled_raw_connections(eng, 2)
    for raw in dead:
        kill_connection(eng, raw)
    with eng.connect() as conn, pytest.raises(exc.DBAPIError) as info:
        _count(conn, pool_table)
    assert info.value.connection_invalidated is True
    # the disconnect invalidated the whole pool: both checkouts work with no error
    one, two = eng.connect(), eng.connect()
    try:
        assert _count(one, pool_table) == 0 and _count(two, pool_table) == 0
        fresh = [_raw(one), _raw(two)]
        assert not any(new is old for new in fresh for old in dead)
    finally:
        one.close()
        two.close()


def test_killed_connection_inside_a_transaction(make_engine: Callable[..., Any],
                                                pool_table: str) -> None:
    eng = make_engine(pool_size=1, max_overflow=0)
    with eng.connect() as conn:
        conn.execute(text(f"INSERT INTO {pool_table} (id) VALUES (1)"))
        kill_connection(eng, _raw(conn))
        with pytest.raises(exc.DBAPIError) as info:
            _count(conn, pool_table)
        assert info.value.connection_invalidated is True
        with pytest.raises(exc.PendingRollbackError):
            _count(conn, pool_table)
        conn.rollback()  # the server already discarded the transaction: no error
        assert _count(conn, pool_table) == 0
