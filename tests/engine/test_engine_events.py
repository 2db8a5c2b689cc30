"""Engine events: statement, cursor, transaction and error hooks on real SQLite."""

from __future__ import annotations

from typing import Any

import pytest

from sqlwright import event, exc, text
from sqlwright.engine import Engine


def test_execute_and_cursor_events_fire_in_order(engine: Any) -> None:
    calls: list[str] = []
    event.listen(engine, "before_execute", lambda *a: calls.append("before_execute"))
    event.listen(engine, "before_cursor_execute", lambda *a: calls.append("before_cursor"))
    event.listen(engine, "after_cursor_execute", lambda *a: calls.append("after_cursor"))
    event.listen(engine, "after_execute", lambda *a: calls.append("after_execute"))
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert calls == ["before_execute", "before_cursor", "after_cursor", "after_execute"]


def test_before_cursor_execute_retval_rewrites_statement(engine: Any) -> None:
    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def add_comment(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                    executemany: bool) -> tuple[str, Any]:
        return statement + " * 10 /* rewritten */", parameters

    with engine.connect() as conn:
        assert conn.scalar(text("SELECT :x"), {"x": 4}) == 40


def test_transaction_events(engine: Any) -> None:
    seen: list[str] = []
    for name in ("begin", "commit", "rollback"):
        event.listen(engine, name, lambda conn, name=name: seen.append(name))
    event.listen(engine, "savepoint", lambda conn, sp: seen.append("savepoint"))
    event.listen(engine, "rollback_savepoint", lambda conn, sp, ctx: seen.append("rb_sp"))
    event.listen(engine, "release_savepoint", lambda conn, sp, ctx: seen.append("rel_sp"))
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        conn.begin_nested().rollback()
        conn.begin_nested().commit()
        conn.commit()
        conn.execute(text("SELECT 1"))
        conn.rollback()
    assert seen == ["begin", "savepoint", "rb_sp", "savepoint", "rel_sp", "commit", "begin",
                    "rollback"]


def test_handle_error_sees_and_replaces_exception(engine: Any) -> None:
    seen: list[Any] = []

    class Custom(Exception):
        pass

    @event.listens_for(engine, "handle_error")
    def on_error(ctx: Any) -> Any:
        seen.append((ctx.statement, type(ctx.original_exception),
                     type(ctx.sqlwright_exception), ctx.is_disconnect))
        if "boom" in ctx.statement:
            return Custom("replaced")
        return None

    with engine.connect() as conn:
        with pytest.raises(exc.DBAPIError):
            conn.execute(text("SELECT * FROM nope"))
        conn.rollback()
        with pytest.raises(Custom):
            conn.execute(text("SELECT boom FROM nope"))
    # the wrapper is the PEP 249 class the driver's exception derives from (OperationalError
    # on sqlite3, ProgrammingError on psycopg2 and PyMySQL)
    statement, original, wrapped, is_disconnect = seen[0]
    assert (statement, is_disconnect) == ("SELECT * FROM nope", False)
    assert not issubclass(original, exc.SQLWrightError) and issubclass(wrapped, exc.DBAPIError)
    assert wrapped.__name__ in {base.__name__ for base in original.__mro__}


def test_class_level_listener_applies_to_all_engines(engine: Any) -> None:
    calls: list[Any] = []

    def listener(conn: Any) -> None:
        calls.append(conn)

    event.listen(Engine, "engine_connect", listener)
    try:
        with engine.connect():
            pass
        assert len(calls) == 1
    finally:
        event.remove(Engine, "engine_connect", listener)
    with engine.connect():
        pass
    assert len(calls) == 1


def test_pool_events_through_engine(engine: Any) -> None:
    seen: list[str] = []
    event.listen(engine, "connect", lambda dbapi_conn, rec: seen.append("connect"))
    event.listen(engine, "checkout", lambda dbapi_conn, rec, proxy: seen.append("checkout"))
    event.listen(engine, "checkin", lambda dbapi_conn, rec: seen.append("checkin"))
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert seen == ["connect", "checkout", "checkin"]
    assert event.contains(engine, "checkin", seen.append) is False


def test_listeners_survive_dispose(engine: Any) -> None:
    seen: list[str] = []
    event.listen(engine, "connect", lambda *a: seen.append("connect"))
    with engine.connect():
        pass
    engine.dispose()
    with engine.connect():
        pass
    assert seen == ["connect", "connect"]


def test_unknown_event_name(engine: Any) -> None:
    with pytest.raises(exc.InvalidRequestError, match="before_executee"):
        event.listen(engine, "before_executee", lambda *a: None)


def test_execution_options_engine_copy_shares_pool_and_events(engine: Any) -> None:
    seen: list[str] = []
    event.listen(engine, "before_execute", lambda *a: seen.append("x"))
    copy = engine.execution_options(isolation_level="AUTOCOMMIT")
    assert copy.pool is engine.pool
    with copy.connect() as conn:
        assert conn.get_isolation_level() == "AUTOCOMMIT"
        conn.execute(text("SELECT 1"))
    assert seen == ["x"]
