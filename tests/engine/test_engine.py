"""Engine, Connection and transaction semantics on real SQLite."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import sqlwright
from sqlwright import Column, Integer, String, Table, create_engine, exc, text
from sqlwright.pool import NullPool, QueuePool, SingletonThreadPool, StaticPool


@pytest.fixture
def users(engine: Any, metadata: Any) -> Any:
    Table("users", metadata, Column("id", Integer, primary_key=True),
          Column("name", String(30), unique=True))
    metadata.create_all(engine)
    return engine


#: how a text() bind named ``name`` reaches the driver, per DBAPI paramstyle
DRIVER_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%(name)s", "named": ":name",
                  "numeric": ":1"}


def count(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(text("SELECT count(*) FROM users")))


# -- create_engine --------------------------------------------------------------------------

def test_create_engine_picks_dialect_and_pool(db_path: Path) -> None:
    eng = create_engine(f"sqlite:///{db_path}")
    assert (eng.name, eng.driver) == ("sqlite", "pysqlite")
    assert isinstance(eng.pool, QueuePool)
    assert isinstance(create_engine("sqlite://").pool, SingletonThreadPool)
    assert isinstance(create_engine("sqlite:///:memory:").pool, SingletonThreadPool)


def test_create_engine_rejects_unknown_arguments() -> None:
    with pytest.raises(exc.ArgumentError, match="pool_sise"):
        create_engine("sqlite://", pool_sise=3)


def test_create_engine_rejects_pool_options_for_wrong_pool() -> None:
    with pytest.raises(exc.ArgumentError, match="max_overflow applies to QueuePool"):
        create_engine("sqlite://", poolclass=StaticPool, max_overflow=3)


def test_create_engine_queuepool_options(db_path: Path) -> None:
    eng = create_engine(f"sqlite:///{db_path}", pool_size=2, max_overflow=1, pool_timeout=0.5)
    assert eng.pool.size() == 2
    conns = [eng.connect() for _ in range(3)]
    with pytest.raises(exc.TimeoutError, match="all 2 pooled and 1 overflow"):
        eng.connect()
    for c in conns:
        c.close()
    assert eng.pool.checkedout() == 0


def test_unknown_dialect_names_installed_and_pip() -> None:
    with pytest.raises(exc.NoSuchDialectError) as info:
        create_engine("nosuchdb://u@h/db")
    message = str(info.value)
    assert "sqlite" in message and "pip install" in message


def test_unknown_driver_lists_drivers() -> None:
    with pytest.raises(exc.NoSuchDialectError, match="pysqlite"):
        create_engine("sqlite+nodriver://")


def test_isolation_level_argument_validated() -> None:
    with pytest.raises(exc.ArgumentError, match="Invalid isolation level"):
        create_engine("sqlite://", isolation_level="SOMETIMES")


# -- executing ------------------------------------------------------------------------------

def test_text_binds_in_driver_paramstyle(users: Any) -> None:
    stmt = text("INSERT INTO users (name) VALUES (:name)")
    marker = DRIVER_MARKERS[users.dialect.paramstyle]
    assert stmt.compile(users).string == f"INSERT INTO users (name) VALUES ({marker})"
    with users.begin() as conn:
        result = conn.execute(stmt, {"name": "alice"})
        assert result.rowcount == 1
    assert count(users) == 1


def test_text_bindparams_and_missing_value(users: Any) -> None:
    with users.begin() as conn:
        conn.execute(text("INSERT INTO users (name) VALUES (:name)").bindparams(name="bob"))
        with pytest.raises(exc.InvalidRequestError, match="value is required .*'name'"):
            conn.execute(text("SELECT * FROM users WHERE name = :name"))
    with users.connect() as conn:
        assert conn.scalar(text("SELECT name FROM users")) == "bob"


def test_text_escaped_colon_and_repeated_bind(users: Any) -> None:
    with users.connect() as conn:
        assert conn.scalar(text(r"SELECT '\:x'")) == ":x"
        assert conn.scalar(text("SELECT :a + :a"), {"a": 2}) == 4


def test_bindparams_rejects_unknown_name() -> None:
    with pytest.raises(exc.ArgumentError, match="no bind parameter named 'nope'"):
        text("SELECT :x").bindparams(nope=1)


def test_executemany_with_list_of_dicts(users: Any) -> None:
    with users.begin() as conn:
        result = conn.execute(text("INSERT INTO users (name) VALUES (:name)"),
                              [{"name": f"u{i}"} for i in range(5)])
        assert result.rowcount == 5
    assert count(users) == 5


def test_plain_string_is_rejected_with_advice(users: Any) -> None:
    with users.connect() as conn, pytest.raises(exc.ArgumentError, match="text"):
        conn.execute("SELECT 1")


def test_bad_parameters_type(users: Any) -> None:
    with users.connect() as conn, pytest.raises(exc.ArgumentError, match="dict"):
        conn.execute(text("SELECT :x"), 5)


@pytest.mark.backends("sqlite")  # the SQL is in sqlite3's qmark paramstyle
def test_exec_driver_sql(users: Any) -> None:
    with users.begin() as conn:
        conn.exec_driver_sql("INSERT INTO users (name) VALUES (?)", ("zed",))
        conn.exec_driver_sql("INSERT INTO users (name) VALUES (?)", [("a",), ("b",)])
    with users.connect() as conn:
        rows = conn.exec_driver_sql("SELECT name FROM users ORDER BY name").scalars().all()
    assert rows == ["a", "b", "zed"]


def test_scalars_and_scalar(users: Any) -> None:
    with users.begin() as conn:
        conn.execute(text("INSERT INTO users (name) VALUES (:n)"), [{"n": "x"}, {"n": "y"}])
        assert conn.scalars(text("SELECT name FROM users ORDER BY name")).all() == ["x", "y"]
        assert conn.scalar(text("SELECT name FROM users WHERE name = 'nobody'")) is None


# -- transactions ---------------------------------------------------------------------------

def test_autobegin_and_commit_as_you_go(users: Any) -> None:
    with users.connect() as conn:
        assert not conn.in_transaction()
        conn.execute(text("INSERT INTO users (name) VALUES ('a')"))
        assert conn.in_transaction()
        conn.commit()
        assert not conn.in_transaction()
        conn.execute(text("INSERT INTO users (name) VALUES ('b')"))
        conn.rollback()
    assert count(users) == 1


def test_close_rolls_back_uncommitted_work(users: Any) -> None:
    conn = users.connect()
    conn.execute(text("INSERT INTO users (name) VALUES ('a')"))
    conn.close()
    assert count(users) == 0
    assert conn.closed
    with pytest.raises(exc.ResourceClosedError):
        conn.execute(text("SELECT 1"))


def test_engine_begin_commits_and_rolls_back(users: Any) -> None:
    with users.begin() as conn:
        conn.execute(text("INSERT INTO users (name) VALUES ('a')"))
    with pytest.raises(ZeroDivisionError), users.begin() as conn:
        conn.execute(text("INSERT INTO users (name) VALUES ('b')"))
        raise ZeroDivisionError
    assert count(users) == 1


def test_explicit_begin_context_and_double_begin(users: Any) -> None:
    with users.connect() as conn:
        with conn.begin():
            conn.execute(text("INSERT INTO users (name) VALUES ('a')"))
            with pytest.raises(exc.InvalidRequestError, match="already begun"):
                conn.begin()
        assert not conn.in_transaction()
    assert count(users) == 1


def test_savepoints_release_and_rollback(users: Any) -> None:
    with users.connect() as conn:
        conn.execute(text("INSERT INTO users (name) VALUES ('outer')"))
        sp = conn.begin_nested()
        assert conn.in_nested_transaction()
        conn.execute(text("INSERT INTO users (name) VALUES ('undone')"))
        sp.rollback()
        with conn.begin_nested():
            conn.execute(text("INSERT INTO users (name) VALUES ('kept')"))
        with pytest.raises(ValueError), conn.begin_nested():
            conn.execute(text("INSERT INTO users (name) VALUES ('failed')"))
            raise ValueError
        conn.commit()
    with users.connect() as conn:
        names = conn.scalars(text("SELECT name FROM users ORDER BY name")).all()
    assert names == ["kept", "outer"]


def test_nested_savepoints(users: Any) -> None:
    with users.connect() as conn:
        outer = conn.begin_nested()
        conn.execute(text("INSERT INTO users (name) VALUES ('a')"))
        inner = conn.begin_nested()
        conn.execute(text("INSERT INTO users (name) VALUES ('b')"))
        inner.rollback()
        assert conn.get_nested_transaction() is outer
        outer.commit()
        conn.commit()
    assert count(users) == 1


@pytest.mark.backends("sqlite")
def test_ddl_is_transactional_on_sqlite(engine: Any) -> None:
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.rollback()
        with pytest.raises(exc.OperationalError, match="no such table"):
            conn.execute(text("SELECT * FROM t"))


def test_autocommit_isolation_level(users: Any) -> None:
    with users.connect() as conn:
        default_level = conn.get_isolation_level()
        assert default_level != "AUTOCOMMIT"
    with users.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        assert conn.get_isolation_level() == "AUTOCOMMIT"
        conn.execute(text("INSERT INTO users (name) VALUES ('a')"))
        conn.rollback()  # nothing to roll back: the insert is already durable
    assert count(users) == 1
    with users.connect() as conn:  # the pooled connection went back to the default level
        assert conn.get_isolation_level() == default_level
        conn.execute(text("INSERT INTO users (name) VALUES ('b')"))
        conn.rollback()
    assert count(users) == 1


def test_isolation_level_change_inside_transaction_refused(users: Any) -> None:
    with users.connect() as conn:
        conn.execute(text("SELECT 1"))
        with pytest.raises(exc.InvalidRequestError, match="isolation level"):
            conn.execution_options(isolation_level="AUTOCOMMIT")


def test_engine_level_isolation(db_path: Path) -> None:
    eng = create_engine(f"sqlite:///{db_path}", isolation_level="READ UNCOMMITTED")
    with eng.connect() as conn:
        assert conn.get_isolation_level() == "READ UNCOMMITTED"
    eng.dispose()


# -- errors ---------------------------------------------------------------------------------

@pytest.mark.backends("sqlite")  # asserts sqlite3's exception, paramstyle and error code
def test_integrity_error_wraps_driver_error(users: Any) -> None:
    with users.connect() as conn:
        conn.execute(text("INSERT INTO users (name) VALUES (:n)"), {"n": "dup"})
        with pytest.raises(exc.IntegrityError) as info:
            conn.execute(text("INSERT INTO users (name) VALUES (:n)"), {"n": "dup"})
    err = info.value
    assert isinstance(err.orig, sqlite3.IntegrityError)
    assert err.statement == "INSERT INTO users (name) VALUES (?)"
    assert err.params == ("dup",)
    assert err.code == "SQLITE_CONSTRAINT_UNIQUE"
    assert "[SQL: INSERT INTO users" in str(err) and "dup" in str(err)
    assert isinstance(err, exc.DBAPIError) and isinstance(err, exc.SQLWrightError)


def test_programming_and_operational_errors(engine: Any) -> None:
    # sqlite3 reports a missing table as OperationalError, psycopg2 and PyMySQL as
    # ProgrammingError: both are DBAPIErrors naming the table
    with engine.connect() as conn:
        with pytest.raises(exc.DBAPIError, match="missing"):
            conn.execute(text("SELECT * FROM missing"))
        conn.rollback()
        with pytest.raises(exc.DBAPIError, match="syntax"):
            conn.execute(text("SELEC 1"))
        conn.rollback()  # PostgreSQL refuses every statement of a failed transaction
        # the connection stays usable after an error
        assert conn.scalar(text("SELECT 1")) == 1


def test_foreign_keys_enforced_by_default(engine: Any) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE p (id INTEGER PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id))"))
    with engine.connect() as conn, pytest.raises(exc.IntegrityError, match="(?i)foreign key"):
        conn.execute(text("INSERT INTO c (id, p_id) VALUES (1, 42)"))


def test_foreign_keys_can_be_turned_off(db_path: Path) -> None:
    eng = create_engine(f"sqlite:///{db_path}", foreign_keys=False)
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE p (id INTEGER PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id))"))
        conn.execute(text("INSERT INTO c (p_id) VALUES (42)"))
    eng.dispose()


def test_params_truncated_in_message(engine: Any) -> None:
    with engine.connect() as conn, pytest.raises(exc.DBAPIError) as info:
        conn.execute(text("SELECT * FROM missing WHERE x = :x"), {"x": "y" * 5000})
    assert len(str(info.value)) < 1000
    assert "truncated" in str(info.value)


# -- disconnects and the pool ---------------------------------------------------------------

def test_pre_ping_replaces_connection_closed_underneath(db_path: Path) -> None:
    eng = create_engine(f"sqlite:///{db_path}", pool_pre_ping=True, pool_size=1)
    with eng.connect() as conn:
        conn.execute(text("SELECT 1"))
        conn.connection.dbapi_connection.close()  # the database file's connection dies
    with eng.connect() as conn:
        assert conn.scalar(text("SELECT 42")) == 42
    eng.dispose()


def test_disconnect_during_execute_invalidates_and_recovers(db_path: Path) -> None:
    eng = create_engine(f"sqlite:///{db_path}", pool_size=1)
    with eng.connect() as conn:
        conn.connection.dbapi_connection.close()
        with pytest.raises(exc.DBAPIError) as info:
            conn.execute(text("SELECT 1"))
        assert info.value.connection_invalidated
        assert conn.invalidated  # the failed BEGIN left no transaction: reconnects on use
        assert conn.scalar(text("SELECT 2")) == 2
    with eng.connect() as conn:
        assert conn.scalar(text("SELECT 3")) == 3
    eng.dispose()


def test_disconnect_inside_transaction_requires_rollback(db_path: Path) -> None:
    eng = create_engine(f"sqlite:///{db_path}")
    with eng.connect() as conn:
        conn.execute(text("SELECT 1"))
        conn.connection.dbapi_connection.close()
        with pytest.raises(exc.DBAPIError):
            conn.execute(text("SELECT 1"))
        with pytest.raises(exc.PendingRollbackError, match="rollback"):
            conn.execute(text("SELECT 1"))
        conn.rollback()
        assert conn.scalar(text("SELECT 5")) == 5
    eng.dispose()


def test_dispose_closes_and_recreates_pool(db_path: Path) -> None:
    eng = create_engine(f"sqlite:///{db_path}")
    old_pool = eng.pool
    with eng.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert old_pool.checkedin() == 1
    eng.dispose()
    assert eng.pool is not old_pool and old_pool.checkedin() == 0
    with eng.connect() as conn:
        assert conn.scalar(text("SELECT 1")) == 1


def test_nullpool_and_staticpool_engines(db_path: Path) -> None:
    for poolclass in (NullPool, StaticPool):
        eng = create_engine(f"sqlite:///{db_path}", poolclass=poolclass)
        with eng.connect() as conn:
            assert conn.scalar(text("SELECT 1")) == 1
        eng.dispose()


def test_memory_database_shared_within_thread() -> None:
    eng = create_engine("sqlite://")
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with eng.connect() as conn:
        assert conn.scalar(text("SELECT x FROM t")) == 1


def test_uri_filename(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    eng = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with eng.connect() as conn, pytest.raises(exc.OperationalError, match="readonly"):
        conn.execute(text("INSERT INTO t VALUES (1)"))
    eng.dispose()


def test_unknown_sqlite_url_option() -> None:
    with pytest.raises(exc.ArgumentError, match="uri=true"):
        create_engine("sqlite:///x.db?mode=ro")


def test_check_same_thread_via_connect_args(db_path: Path) -> None:
    import threading

    eng = create_engine(f"sqlite:///{db_path}", poolclass=StaticPool,
                        connect_args={"check_same_thread": False})
    results: list[Any] = []
    with eng.connect() as conn:
        conn.execute(text("SELECT 1"))

    def work() -> None:
        with eng.connect() as conn:
            results.append(conn.scalar(text("SELECT 7")))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert results == [7]


# -- logging --------------------------------------------------------------------------------

def test_echo_logs_sql_and_parameters(db_path: Path, caplog: Any) -> None:
    eng = create_engine(f"sqlite:///{db_path}", echo=True)
    with caplog.at_level(logging.INFO, logger="sqlwright.engine"), eng.connect() as conn:
        conn.execute(text("SELECT :x"), {"x": 41})
    messages = [r.getMessage() for r in caplog.records]
    assert "SELECT ?" in messages
    assert "[parameters] (41,)" in messages
    assert not any("Row" in m for m in messages)
    eng.dispose()


def test_echo_debug_logs_rows(db_path: Path, caplog: Any) -> None:
    eng = create_engine(f"sqlite:///{db_path}", echo="debug")
    with caplog.at_level(logging.DEBUG, logger="sqlwright.engine"), eng.connect() as conn:
        conn.execute(text("SELECT 1, 'x'")).all()
    assert "Row (1, 'x')" in [r.getMessage() for r in caplog.records]
    eng.dispose()


def test_password_never_in_repr_or_logs(caplog: Any) -> None:
    eng = create_engine("sqlite://", echo=True)
    eng.url = sqlwright.make_url("postgresql://scott:tiger@localhost/db")
    assert "tiger" not in repr(eng) and "tiger" not in str(eng.url)
