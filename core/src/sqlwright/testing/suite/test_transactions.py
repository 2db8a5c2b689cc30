"""Suite: connection and transaction semantics: autobegin, commit and rollback, begin() blocks,
savepoints, and DDL inside transactions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from sqlwright import exc, text

_COLUMNS = "id INTEGER PRIMARY KEY, name VARCHAR(50)"


@pytest.fixture
def tx_table(text_table: Callable[[str], str]) -> str:
    """An empty (id, name) table for the transaction tests."""
    return text_table(_COLUMNS)


def _add(conn: Any, table: str, id_: int) -> None:
    conn.execute(text(f"INSERT INTO {table} (id, name) VALUES (:id, :name)"),
                 {"id": id_, "name": f"row {id_}"})


def _ids(engine: Any, table: str) -> list[int]:
    """The committed ids, read through a new connection."""
    with engine.connect() as conn:
        return list(conn.execute(text(f"SELECT id FROM {table} ORDER BY id")).scalars())


# -- autobegin, commit, rollback --------------------------------------------------------------
def test_autobegin_on_first_execute(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn:
        assert not conn.in_transaction()
        _add(conn, tx_table, 1)
        assert conn.in_transaction()
        assert conn.get_transaction() is not None
        conn.commit()
        assert not conn.in_transaction()
    assert _ids(engine, tx_table) == [1]


def test_close_without_commit_rolls_back(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn:
        _add(conn, tx_table, 1)
    assert _ids(engine, tx_table) == []


def test_rollback_discards_and_connection_stays_usable(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn:
        _add(conn, tx_table, 1)
        conn.rollback()
        assert not conn.in_transaction()
        _add(conn, tx_table, 2)
        conn.commit()
    assert _ids(engine, tx_table) == [2]


def test_uncommitted_rows_are_invisible_to_other_connections(engine: Any,
                                                             tx_table: str) -> None:
    with engine.connect() as writer:
        _add(writer, tx_table, 1)
        assert _ids(engine, tx_table) == []
        writer.commit()
    assert _ids(engine, tx_table) == [1]


def test_commit_as_you_go_runs_several_transactions(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn:
        _add(conn, tx_table, 1)
        conn.commit()
        _add(conn, tx_table, 2)
        conn.rollback()
        _add(conn, tx_table, 3)
        conn.commit()
    assert _ids(engine, tx_table) == [1, 3]


# -- begin() blocks ----------------------------------------------------------------------------
def test_begin_block_commits(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn:
        with conn.begin():
            _add(conn, tx_table, 1)
        assert not conn.in_transaction()
    assert _ids(engine, tx_table) == [1]


def test_begin_block_rolls_back_on_error(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn:
        with pytest.raises(LookupError), conn.begin():
            _add(conn, tx_table, 1)
            raise LookupError("abandon the block")
        assert not conn.in_transaction()
    assert _ids(engine, tx_table) == []


def test_transaction_object_commit_and_state(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn:
        trans = conn.begin()
        assert trans.is_active
        _add(conn, tx_table, 1)
        trans.commit()
        assert not trans.is_active
        with pytest.raises(exc.InvalidRequestError):
            trans.commit()
    assert _ids(engine, tx_table) == [1]


def test_begin_inside_a_transaction_is_an_error(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn:
        _add(conn, tx_table, 1)
        with pytest.raises(exc.InvalidRequestError, match="begin_nested"):
            conn.begin()


def test_engine_begin_commits_or_rolls_back(engine: Any, tx_table: str) -> None:
    with engine.begin() as conn:
        _add(conn, tx_table, 1)
    with pytest.raises(LookupError), engine.begin() as conn:
        _add(conn, tx_table, 2)
        raise LookupError("abandon the block")
    assert _ids(engine, tx_table) == [1]


# -- savepoints --------------------------------------------------------------------------------
@pytest.mark.requires("supports_savepoints")
def test_savepoint_release_keeps_its_rows(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn, conn.begin():
        _add(conn, tx_table, 1)
        with conn.begin_nested():
            assert conn.in_nested_transaction()
            _add(conn, tx_table, 2)
        assert not conn.in_nested_transaction()
    assert _ids(engine, tx_table) == [1, 2]


@pytest.mark.requires("supports_savepoints")
def test_savepoint_rollback_undoes_only_its_rows(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn, conn.begin():
        _add(conn, tx_table, 1)
        savepoint = conn.begin_nested()
        _add(conn, tx_table, 2)
        savepoint.rollback()
        assert not savepoint.is_active
        _add(conn, tx_table, 3)
    assert _ids(engine, tx_table) == [1, 3]


@pytest.mark.requires("supports_savepoints")
def test_savepoint_block_rolls_back_on_error(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn, conn.begin():
        _add(conn, tx_table, 1)
        with pytest.raises(LookupError), conn.begin_nested():
            _add(conn, tx_table, 2)
            raise LookupError("abandon the savepoint")
        _add(conn, tx_table, 3)
    assert _ids(engine, tx_table) == [1, 3]


@pytest.mark.requires("supports_savepoints")
def test_nested_savepoints(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn, conn.begin():
        _add(conn, tx_table, 1)
        outer = conn.begin_nested()
        _add(conn, tx_table, 2)
        inner = conn.begin_nested()
        _add(conn, tx_table, 3)
        assert conn.get_nested_transaction() is inner
        inner.rollback()
        assert conn.get_nested_transaction() is outer
        _add(conn, tx_table, 4)
        outer.commit()
        assert conn.get_nested_transaction() is None
    assert _ids(engine, tx_table) == [1, 2, 4]


@pytest.mark.requires("supports_savepoints")
def test_outer_rollback_discards_released_savepoints(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn:
        _add(conn, tx_table, 1)
        with conn.begin_nested():
            _add(conn, tx_table, 2)
        conn.rollback()
    assert _ids(engine, tx_table) == []


@pytest.mark.requires("supports_savepoints")
def test_begin_nested_autobegins(engine: Any, tx_table: str) -> None:
    with engine.connect() as conn:
        savepoint = conn.begin_nested()
        assert conn.in_transaction() and conn.in_nested_transaction()
        _add(conn, tx_table, 1)
        savepoint.commit()
        conn.commit()
    assert _ids(engine, tx_table) == [1]


# -- DDL and transactions ----------------------------------------------------------------------
def _table_exists(engine: Any, name: str) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text(f"SELECT count(*) FROM {name}")).scalar()
    except exc.DBAPIError:
        return False
    return True


def _drop_quietly(engine: Any, name: str) -> None:
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP TABLE {name}"))
    except exc.DBAPIError:
        pass


def test_committed_ddl_persists(engine: Any) -> None:
    name = f"sw_ddl_{uuid.uuid4().hex[:8]}"
    try:
        with engine.connect() as conn:
            conn.execute(text(f"CREATE TABLE {name} ({_COLUMNS})"))
            conn.commit()
        assert _table_exists(engine, name)
    finally:
        _drop_quietly(engine, name)
    assert not _table_exists(engine, name)


@pytest.mark.requires("supports_transactional_ddl")
def test_rolled_back_ddl_leaves_no_table(engine: Any) -> None:
    name = f"sw_ddl_{uuid.uuid4().hex[:8]}"
    try:
        with engine.connect() as conn:
            conn.execute(text(f"CREATE TABLE {name} ({_COLUMNS})"))
            _add(conn, name, 1)
            assert conn.execute(text(f"SELECT count(*) FROM {name}")).scalar() == 1
            conn.rollback()
        assert not _table_exists(engine, name)
    finally:
        _drop_quietly(engine, name)
