"""Suite: DBAPI errors arrive as sqlwright's PEP 249 classes carrying the driver's error, the
SQL and the parameters, and the connection stays usable after a rollback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sqlwright import exc, text


@pytest.fixture
def keyed(text_table: Callable[[str], str]) -> str:
    """A table with a primary key, a unique column and a NOT NULL column."""
    return text_table("id INTEGER PRIMARY KEY, code VARCHAR(20) UNIQUE, "
                      "name VARCHAR(50) NOT NULL")


def _insert(table: str) -> Any:
    return text(f"INSERT INTO {table} (id, code, name) VALUES (:id, :code, :name)")


def _assert_wraps_driver_error(err: exc.DBAPIError, dialect: Any, sql_fragment: str) -> None:
    assert isinstance(err.orig, dialect.dbapi.Error)
    assert err.statement is not None and sql_fragment in err.statement
    assert sql_fragment in str(err)
    assert err.connection_invalidated is False


def test_duplicate_primary_key_is_integrity_error(connection: Any, dialect: Any,
                                                  keyed: str) -> None:
    connection.execute(_insert(keyed), {"id": 1, "code": "a", "name": "first"})
    with pytest.raises(exc.IntegrityError) as info:
        connection.execute(_insert(keyed), {"id": 1, "code": "b", "name": "second"})
    _assert_wraps_driver_error(info.value, dialect, f"INSERT INTO {keyed}")
    assert info.value.params is not None
    assert "second" in str(info.value)  # the parameters are shown


def test_unique_violation_is_integrity_error(connection: Any, dialect: Any, keyed: str) -> None:
    connection.execute(_insert(keyed), {"id": 1, "code": "a", "name": "first"})
    with pytest.raises(exc.IntegrityError) as info:
        connection.execute(_insert(keyed), {"id": 2, "code": "a", "name": "second"})
    _assert_wraps_driver_error(info.value, dialect, f"INSERT INTO {keyed}")


def test_not_null_violation_is_integrity_error(connection: Any, dialect: Any,
                                               keyed: str) -> None:
    with pytest.raises(exc.IntegrityError) as info:
        connection.execute(_insert(keyed), {"id": 1, "code": "a", "name": None})
    _assert_wraps_driver_error(info.value, dialect, f"INSERT INTO {keyed}")


@pytest.mark.requires("supports_foreign_keys")
def test_foreign_key_violation_is_integrity_error(connection: Any, dialect: Any,
                                                  text_table: Callable[[str], str]) -> None:
    parent = text_table("id INTEGER PRIMARY KEY")
    child = text_table(f"id INTEGER PRIMARY KEY, parent_id INTEGER, "
                       f"FOREIGN KEY (parent_id) REFERENCES {parent} (id)")
    connection.execute(text(f"INSERT INTO {parent} (id) VALUES (1)"))
    connection.execute(text(f"INSERT INTO {child} (id, parent_id) VALUES (1, 1)"))
    with pytest.raises(exc.IntegrityError) as info:
        connection.execute(text(f"INSERT INTO {child} (id, parent_id) VALUES (2, :p)"),
                           {"p": 99})
    _assert_wraps_driver_error(info.value, dialect, f"INSERT INTO {child}")


@pytest.mark.requires("supports_check_constraints")
def test_check_violation_is_integrity_error(connection: Any, dialect: Any,
                                            text_table: Callable[[str], str]) -> None:
    table = text_table("id INTEGER PRIMARY KEY, qty INTEGER, CHECK (qty > 0)")
    connection.execute(text(f"INSERT INTO {table} (id, qty) VALUES (1, 5)"))
    with pytest.raises(exc.IntegrityError) as info:
        connection.execute(text(f"INSERT INTO {table} (id, qty) VALUES (2, :q)"), {"q": -1})
    _assert_wraps_driver_error(info.value, dialect, f"INSERT INTO {table}")


def test_syntax_error(connection: Any, dialect: Any) -> None:
    with pytest.raises((exc.ProgrammingError, exc.OperationalError)) as info:
        connection.execute(text("SELEKT nothing FROM nowhere"))
    _assert_wraps_driver_error(info.value, dialect, "SELEKT nothing")


def test_missing_table(connection: Any, dialect: Any) -> None:
    with pytest.raises((exc.ProgrammingError, exc.OperationalError)) as info:
        connection.execute(text("SELECT id FROM sw_no_such_table"))
    _assert_wraps_driver_error(info.value, dialect, "sw_no_such_table")


def test_driver_sql_errors_are_wrapped(connection: Any, dialect: Any, keyed: str) -> None:
    connection.exec_driver_sql(f"INSERT INTO {keyed} (id, code, name) VALUES (1, 'a', 'x')")
    with pytest.raises(exc.IntegrityError) as info:
        connection.exec_driver_sql(f"INSERT INTO {keyed} (id, code, name) VALUES (1, 'b', 'y')")
    _assert_wraps_driver_error(info.value, dialect, f"INSERT INTO {keyed}")


def test_executemany_error_is_wrapped(connection: Any, dialect: Any, keyed: str) -> None:
    rows = [{"id": 1, "code": "a", "name": "x"}, {"id": 1, "code": "b", "name": "y"}]
    with pytest.raises(exc.IntegrityError) as info:
        connection.execute(_insert(keyed), rows)
    _assert_wraps_driver_error(info.value, dialect, f"INSERT INTO {keyed}")


def test_connection_is_usable_after_error_and_rollback(engine: Any, keyed: str) -> None:
    with engine.connect() as conn:
        conn.execute(_insert(keyed), {"id": 1, "code": "a", "name": "x"})
        conn.commit()
        with pytest.raises(exc.IntegrityError):
            conn.execute(_insert(keyed), {"id": 1, "code": "b", "name": "y"})
        conn.rollback()
        conn.execute(_insert(keyed), {"id": 2, "code": "b", "name": "y"})
        conn.commit()
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT id FROM {keyed} ORDER BY id")).scalars().all() == [
            1, 2]


def test_error_class_is_catchable_as_dbapi_error(connection: Any) -> None:
    with pytest.raises(exc.DBAPIError) as info:
        connection.execute(text("SELECT id FROM sw_no_such_table"))
    assert isinstance(info.value, exc.SQLWrightError)
    assert isinstance(info.value, exc.DatabaseError)
