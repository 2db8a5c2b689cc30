"""Suite: isolation levels per connection and per engine, AUTOCOMMIT, and their reset when a
connection goes back to the pool."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sqlwright import exc, text


def _levels(dialect: Any) -> list[str]:
    """The transaction isolation levels the dialect accepts (AUTOCOMMIT aside)."""
    return [level for level in dialect.isolation_levels if level != "AUTOCOMMIT"]


def _other_level(dialect: Any) -> str:
    """A level other than the server's default, to see a change take effect."""
    default = dialect.default_isolation_level
    candidates = [level for level in _levels(dialect) if level != default]
    if not candidates:
        pytest.skip(f"{dialect.name} offers no isolation level besides its default")
    return candidates[0]


def test_default_isolation_level_is_known(engine: Any, dialect: Any) -> None:
    with engine.connect() as conn:
        assert conn.default_isolation_level in _levels(dialect)
        assert conn.get_isolation_level() == conn.default_isolation_level


def test_every_level_round_trips(engine: Any, dialect: Any) -> None:
    for level in _levels(dialect):
        with engine.connect() as conn:
            conn.execution_options(isolation_level=level)
            assert conn.get_isolation_level() == level


def test_level_is_reset_when_the_connection_returns(make_engine: Callable[..., Any],
                                                     dialect: Any) -> None:
    eng = make_engine(pool_size=1, max_overflow=0)
    level = _other_level(dialect)
    with eng.connect() as conn:
        conn.execution_options(isolation_level=level)
        assert conn.get_isolation_level() == level
        first = conn.connection.dbapi_connection
    with eng.connect() as conn:
        assert conn.connection.dbapi_connection is first  # the same pooled connection
        assert conn.get_isolation_level() == conn.default_isolation_level


def test_engine_isolation_level(make_engine: Callable[..., Any], dialect: Any) -> None:
    level = _other_level(dialect)
    eng = make_engine(isolation_level=level)
    with eng.connect() as conn:
        assert conn.get_isolation_level() == level


def test_unknown_level_names_the_valid_ones(engine: Any) -> None:
    with engine.connect() as conn, pytest.raises(exc.ArgumentError, match="use one of"):
        conn.execution_options(isolation_level="SOMETIMES")


def test_level_cannot_change_inside_a_transaction(engine: Any, dialect: Any,
                                                  text_table: Callable[[str], str]) -> None:
    table = text_table("id INTEGER PRIMARY KEY")
    with engine.connect() as conn:
        conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
        with pytest.raises(exc.InvalidRequestError, match="inside a transaction"):
            conn.execution_options(isolation_level=_levels(dialect)[0])


@pytest.mark.requires("supports_autocommit")
def test_autocommit_keeps_rows_without_commit(engine: Any,
                                              text_table: Callable[[str], str]) -> None:
    table = text_table("id INTEGER PRIMARY KEY")
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        assert conn.get_isolation_level() == "AUTOCOMMIT"
        conn.execute(text(f"INSERT INTO {table} (id) VALUES (1)"))
        with engine.connect() as other:
            assert other.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
        conn.rollback()  # nothing to undo: the row is already committed
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT id FROM {table}")).scalars().all() == [1]


@pytest.mark.requires("supports_autocommit")
def test_autocommit_engine(make_engine: Callable[..., Any],
                           text_table: Callable[[str], str]) -> None:
    table = text_table("id INTEGER PRIMARY KEY")
    eng = make_engine(isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f"INSERT INTO {table} (id) VALUES (1)"))
    with eng.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
