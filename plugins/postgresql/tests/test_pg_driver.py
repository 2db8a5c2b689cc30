"""The psycopg2 driver layer against a real PostgreSQL server."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg2
import pytest

import sqlwright
from sqlwright import exc, text
from sqlwright.engine.url import URL, make_url
from sqlwright_postgresql import provision
from sqlwright_postgresql.dialect import PGDialect, parse_server_version
from sqlwright_postgresql.drivers.psycopg2 import PGDialect_psycopg2

LEVELS = ["SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED"]


def _wait_until_gone(engine: Any, pid: int) -> None:
    """Wait (at most 10 s) until backend ``pid`` has exited."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for _ in range(200):
            alive = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %(pid)s", {"pid": pid}
            ).scalar()
            if not alive:
                return
            time.sleep(0.05)
    raise AssertionError(f"backend {pid} is still alive after pg_terminate_backend")


def _kill(engine: Any, pid: int) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT pg_terminate_backend(%(pid)s)", {"pid": pid}).scalar()
        conn.commit()
    _wait_until_gone(engine, pid)


# -- registry and connecting ------------------------------------------------------------------
def test_registry_loads_psycopg2_as_default() -> None:
    from sqlwright import dialects

    assert dialects.load("postgresql") is PGDialect_psycopg2
    assert dialects.load("postgresql+psycopg2") is PGDialect_psycopg2
    assert issubclass(PGDialect_psycopg2, PGDialect)
    assert PGDialect_psycopg2.name == "postgresql"


def test_connect_reads_version_schema_and_isolation(engine: Any) -> None:
    with engine.connect() as conn:
        shown = conn.exec_driver_sql("SHOW server_version").scalar()
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    dialect = engine.dialect
    assert dialect.server_version_info == parse_server_version(shown)[:2]
    assert dialect.default_schema_name == schema
    assert dialect.default_isolation_level == "READ COMMITTED"
    assert dialect.features.supports_computed_columns is (dialect.server_version_info >= (12,))
    assert dialect.features.supports_identity_columns is (dialect.server_version_info >= (10,))


@pytest.mark.parametrize(("shown", "expected"), [
    ("15.4 (Debian 15.4-1.pgdg120+1)", (15, 4)),
    ("9.6.24", (9, 6, 24)),
    ("16beta2", (16,)),
    ("12.17", (12, 17)),
])
def test_parse_server_version(shown: str, expected: tuple[int, ...]) -> None:
    assert parse_server_version(shown) == expected


def test_parse_server_version_rejects_garbage() -> None:
    with pytest.raises(exc.InvalidRequestError, match="version"):
        parse_server_version("unknown")


def test_introspection_leaves_the_connection_idle(engine: Any) -> None:
    raw = engine.raw_connection()
    try:
        dbapi_conn = raw.dbapi_connection
        engine.dialect.get_isolation_level(dbapi_conn)
        engine.dialect.get_default_schema_name(dbapi_conn)
        engine.dialect.do_ping(dbapi_conn)
        assert dbapi_conn.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE
    finally:
        raw.close()


def test_features_flags() -> None:
    features = PGDialect_psycopg2().features
    for flag in ("supports_insert_returning", "supports_update_returning",
                 "supports_delete_returning", "supports_native_boolean", "supports_native_enum",
                 "supports_native_uuid", "supports_json", "supports_native_interval",
                 "supports_timezone", "supports_arrays", "supports_sequences",
                 "supports_comments", "supports_schemas", "supports_transactional_ddl",
                 "supports_for_update", "supports_for_update_nowait", "supports_native_ilike",
                 "supports_distinct_on", "supports_regexp", "supports_lateral",
                 "supports_aggregate_filter", "supports_partial_indexes",
                 "supports_expression_indexes", "supports_serializable_failures"):
        assert getattr(features, flag) is True, flag
    assert features.max_identifier_length == 63
    assert features.postfetch_lastrowid is False


# -- connect arguments ------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql://scott:tiger@db.example:5433/app",
     {"host": "db.example", "port": 5433, "dbname": "app", "user": "scott", "password": "tiger"}),
    ("postgresql+psycopg2://u@h/d?sslmode=require&connect_timeout=7&application_name=web",
     {"host": "h", "dbname": "d", "user": "u", "sslmode": "require", "connect_timeout": "7",
      "application_name": "web"}),
    ("postgresql://u@/d?host=/var/run/postgresql",
     {"host": "/var/run/postgresql", "dbname": "d", "user": "u"}),
    ("postgresql://u@h/d?options=-c%20statement_timeout%3D5000",
     {"host": "h", "dbname": "d", "user": "u", "options": "-c statement_timeout=5000"}),
    ("postgresql://u@/d?host=a:5432&host=b:5433",
     {"host": "a,b", "port": "5432,5433", "dbname": "d", "user": "u"}),
    ("postgresql://u@/d?host=a&host=b",
     {"host": "a,b", "dbname": "d", "user": "u"}),
])
def test_create_connect_args(url: str, expected: dict[str, Any]) -> None:
    cargs, cparams = PGDialect_psycopg2().create_connect_args(make_url(url))
    assert list(cargs) == []
    assert cparams == expected


def test_query_options_reach_the_server(make_engine: Callable[..., Any], pg_url: URL) -> None:
    url = pg_url.update_query_dict({"application_name": "sqlwright_driver_test",
                                    "options": "-c statement_timeout=4321"})
    with make_engine(url).connect() as conn:
        assert conn.exec_driver_sql("SHOW application_name").scalar() == "sqlwright_driver_test"
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "4321ms"


def test_unix_socket_connection(make_engine: Callable[..., Any], engine: Any,
                                pg_url: URL) -> None:
    with engine.connect() as conn:
        directory = conn.exec_driver_sql("SHOW unix_socket_directories").scalar().split(",")[0]
        port = conn.exec_driver_sql("SHOW port").scalar()
    if not os.path.exists(os.path.join(directory, f".s.PGSQL.{port}")):
        pytest.skip(f"the test server's socket {directory} is not on this machine")
    url = pg_url.set(host=None, port=None).update_query_dict({"host": directory, "port": port})
    with make_engine(url).connect() as conn:
        # a unix-socket session has no client address
        assert conn.exec_driver_sql("SELECT inet_client_addr()").scalar() is None


def test_bad_libpq_option_is_a_dbapi_error(make_engine: Callable[..., Any],
                                           pg_url: URL) -> None:
    eng = make_engine(pg_url.update_query_dict({"no_such_option": "1"}))
    with pytest.raises(exc.DBAPIError, match="no_such_option"):
        eng.connect()


# -- percent signs ----------------------------------------------------------------------------
def test_percent_in_text_and_driver_sql(engine: Any) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 'a%b'")).scalar() == "a%b"
        assert conn.execute(text("SELECT :x || '%'"), {"x": "50"}).scalar() == "50%"
        assert conn.execute(text("SELECT 'abc' LIKE 'a%'")).scalar() is True
        assert conn.execute(text("SELECT :p LIKE 'a%%'"), {"p": "a%%"}).scalar() is True
        assert conn.exec_driver_sql("SELECT 'a%b'").scalar() == "a%b"
        assert conn.exec_driver_sql("SELECT %(x)s || '%%'", {"x": "7"}).scalar() == "7%"


# -- isolation levels -------------------------------------------------------------------------
@pytest.mark.parametrize("level", LEVELS)
def test_isolation_level_round_trip(engine: Any, level: str) -> None:
    with engine.connect() as conn:
        conn.execution_options(isolation_level=level)
        assert conn.get_isolation_level() == level
        shown = conn.exec_driver_sql("SHOW TRANSACTION ISOLATION LEVEL").scalar()
        assert shown.upper() == level


def test_isolation_level_is_reset_when_returned(make_engine: Callable[..., Any]) -> None:
    eng = make_engine(pool_size=1, max_overflow=0)
    with eng.connect() as conn:
        conn.execution_options(isolation_level="SERIALIZABLE")
        raw = conn.connection.dbapi_connection
    with eng.connect() as conn:
        assert conn.connection.dbapi_connection is raw
        assert conn.get_isolation_level() == "READ COMMITTED"


def test_autocommit_execution_option(engine: Any, table_name: str) -> None:
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        assert conn.get_isolation_level() == "AUTOCOMMIT"
        assert conn.connection.dbapi_connection.autocommit is True
        conn.exec_driver_sql(f"CREATE TABLE {table_name} (id integer)")
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES (1)")
        with engine.connect() as other:  # visible without any commit
            assert other.exec_driver_sql(f"SELECT count(*) FROM {table_name}").scalar() == 1
        conn.rollback()
    with engine.connect() as other:
        assert other.exec_driver_sql(f"SELECT count(*) FROM {table_name}").scalar() == 1


@pytest.mark.parametrize("level", [*LEVELS, "AUTOCOMMIT"])
def test_engine_isolation_level(make_engine: Callable[..., Any], level: str) -> None:
    eng = make_engine(isolation_level=level)
    with eng.connect() as conn:
        assert conn.get_isolation_level() == level
        assert eng.dialect.get_isolation_level(conn.connection.dbapi_connection) == level


def test_engine_autocommit_keeps_rows_without_commit(make_engine: Callable[..., Any],
                                                     engine: Any, table_name: str) -> None:
    eng = make_engine(isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table_name} (id integer)")
        conn.execute(text(f"INSERT INTO {table_name} VALUES (:v)"), {"v": 5})
    with engine.connect() as conn:
        assert conn.exec_driver_sql(f"SELECT id FROM {table_name}").scalar() == 5


def test_invalid_isolation_level_names_the_choices(make_engine: Callable[..., Any]) -> None:
    with pytest.raises(exc.ArgumentError, match="REPEATABLE READ"):
        make_engine(isolation_level="SNAPSHOT")


# -- savepoints -------------------------------------------------------------------------------
def test_savepoints_keep_and_undo_rows(engine: Any, table_name: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table_name} (id integer)")
    with engine.connect() as conn:
        insert = text(f"INSERT INTO {table_name} VALUES (:v)")
        conn.execute(insert, {"v": 1})
        undone = conn.begin_nested()
        conn.execute(insert, {"v": 2})
        undone.rollback()
        kept = conn.begin_nested()
        conn.execute(insert, {"v": 3})
        kept.commit()
        conn.commit()
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT id FROM {table_name} ORDER BY id").all()
    assert [r[0] for r in rows] == [1, 3]


# -- error translation ------------------------------------------------------------------------
def _constraint_tables(engine: Any, table_name: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE TABLE {table_name} (id integer PRIMARY KEY, "
            "qty integer NOT NULL CHECK (qty >= 0))")
        conn.exec_driver_sql(
            f"CREATE TABLE {table_name}_child (id integer PRIMARY KEY, "
            f"parent_id integer REFERENCES {table_name}(id))")
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES (1, 1)")


@pytest.mark.parametrize(("sql", "code"), [
    ("INSERT INTO {t} VALUES (1, 5)", "23505"),
    ("INSERT INTO {t}_child VALUES (1, 99)", "23503"),
    ("INSERT INTO {t} VALUES (2, NULL)", "23502"),
    ("INSERT INTO {t} VALUES (3, -1)", "23514"),
], ids=["unique", "foreign_key", "not_null", "check"])
def test_integrity_errors(engine: Any, table_name: str, sql: str, code: str) -> None:
    _constraint_tables(engine, table_name)
    with engine.connect() as conn, pytest.raises(exc.IntegrityError) as info:
        conn.exec_driver_sql(sql.format(t=table_name))
    assert info.value.code == code
    assert isinstance(info.value.orig, psycopg2.IntegrityError)
    assert table_name in str(info.value)


def test_syntax_error_is_programming_error(engine: Any) -> None:
    with engine.connect() as conn, pytest.raises(exc.ProgrammingError) as info:
        conn.exec_driver_sql("SELEC 1")
    assert info.value.code == "42601"
    assert info.value.connection_invalidated is False


def test_deadlock_is_operational_error(engine: Any, table_name: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table_name} (id integer PRIMARY KEY, v integer)")
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES (1, 0), (2, 0)")
    conns = [engine.connect(), engine.connect()]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker(conn: Any, first: int, second: int) -> None:
        try:
            conn.exec_driver_sql("SET lock_timeout = '20s'")
            conn.exec_driver_sql(f"UPDATE {table_name} SET v = 1 WHERE id = {first}")
            barrier.wait(timeout=20)
            conn.exec_driver_sql(f"UPDATE {table_name} SET v = 2 WHERE id = {second}")
        except exc.DBAPIError as err:
            errors.append(err)
        finally:
            conn.rollback()

    threads = [threading.Thread(target=worker, args=(conns[0], 1, 2)),
               threading.Thread(target=worker, args=(conns[1], 2, 1))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        for conn in conns:
            conn.close()
    assert len(errors) == 1, errors
    assert isinstance(errors[0], exc.OperationalError)
    assert errors[0].code == "40P01"


def test_serialization_failure_is_operational_error(engine: Any, table_name: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table_name} (kind text)")
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES ('x'), ('y')")
    first = engine.connect().execution_options(isolation_level="SERIALIZABLE")
    second = engine.connect().execution_options(isolation_level="SERIALIZABLE")
    try:
        first.exec_driver_sql(f"SELECT count(*) FROM {table_name} WHERE kind = 'x'").scalar()
        second.exec_driver_sql(f"SELECT count(*) FROM {table_name} WHERE kind = 'y'").scalar()
        first.exec_driver_sql(f"INSERT INTO {table_name} VALUES ('y')")
        second.exec_driver_sql(f"INSERT INTO {table_name} VALUES ('x')")
        first.commit()
        with pytest.raises(exc.OperationalError) as info:
            second.commit()
    finally:
        first.close()
        second.close()
    assert info.value.code == "40001"


# -- disconnects ------------------------------------------------------------------------------
def test_pre_ping_replaces_a_killed_connection(make_engine: Callable[..., Any],
                                              engine: Any) -> None:
    eng = make_engine(pool_size=1, max_overflow=0, pool_pre_ping=True)
    with eng.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    _kill(engine, pid)
    with eng.connect() as conn:
        # the ping left no transaction behind, so session settings can still change
        assert conn.connection.dbapi_connection.get_transaction_status() == \
            psycopg2.extensions.TRANSACTION_STATUS_IDLE
        conn.execution_options(isolation_level="REPEATABLE READ")
        new_pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    assert new_pid != pid


def test_execute_on_a_killed_connection_invalidates_it(make_engine: Callable[..., Any],
                                                       engine: Any) -> None:
    eng = make_engine(pool_size=1, max_overflow=0)
    with eng.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    _kill(engine, pid)
    with eng.connect() as conn, pytest.raises(exc.DBAPIError) as info:
        conn.exec_driver_sql("SELECT 1")
    assert info.value.connection_invalidated is True
    assert isinstance(info.value, exc.OperationalError)
    with eng.connect() as conn:
        assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid


def test_is_disconnect_on_a_closed_connection(engine: Any) -> None:
    raw = engine.raw_connection()
    dbapi_conn = raw.dbapi_connection
    raw.invalidate()
    with pytest.raises(psycopg2.InterfaceError) as info:
        dbapi_conn.cursor()
    assert engine.dialect.is_disconnect(info.value, dbapi_conn, None) is True


def test_is_disconnect_false_for_a_statement_error(engine: Any) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.dbapi_connection.cursor()
        with pytest.raises(psycopg2.ProgrammingError) as info:
            cursor.execute("SELECT * FROM no_such_table_sqlwright")
        assert engine.dialect.is_disconnect(info.value, raw.dbapi_connection, cursor) is False
        assert engine.dialect.is_disconnect(ValueError("terminating connection"), None,
                                            None) is False
    finally:
        raw.close()


# -- provisioning -----------------------------------------------------------------------------
def test_provision_test_schema(engine: Any, table_name: str) -> None:
    # a schema of its own: the suite's test_schema may be in use by other tests
    schema = f"{table_name}_s"
    assert provision.TEST_SCHEMA == "test_schema"
    provision.create_test_schema(engine, schema)
    provision.create_test_schema(engine.url, schema)  # idempotent
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE TABLE {schema}.{table_name} (id integer)")
            conn.exec_driver_sql(f"INSERT INTO {schema}.{table_name} VALUES (1)")
        with engine.connect() as conn:
            assert conn.exec_driver_sql(
                f"SELECT count(*) FROM {schema}.{table_name}").scalar() == 1
    finally:
        provision.drop_test_schema(engine, schema)
        provision.drop_test_schema(engine.url.render_as_string(hide_password=False), schema)
    with engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM pg_namespace WHERE nspname = %(s)s", {"s": schema}
        ).scalar() == 0


def test_provision_test_database(engine: Any, make_engine: Callable[..., Any],
                                 table_name: str) -> None:
    name = f"{table_name}_db"
    provision.drop_test_database(engine, name)
    url = provision.create_test_database(engine, name)
    assert provision.create_test_database(engine.url, name) == url
    assert url.database == name
    try:
        other = make_engine(url)
        with other.connect() as conn:
            assert conn.exec_driver_sql("SELECT current_database()").scalar() == name
        other.dispose()
    finally:
        provision.drop_test_database(engine, name)
        provision.drop_test_database(engine, name)
    with engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM pg_database WHERE datname = %(n)s", {"n": name}
        ).scalar() == 0


def test_provision_accepts_a_url_string(pg_url: URL, table_name: str) -> None:
    as_text = pg_url.render_as_string(hide_password=False)
    provision.create_test_schema(as_text, table_name)
    provision.drop_test_schema(as_text, table_name)
    eng = sqlwright.create_engine(pg_url)
    try:
        with eng.connect() as conn:
            assert conn.exec_driver_sql(
                "SELECT count(*) FROM pg_namespace WHERE nspname = %(s)s", {"s": table_name}
            ).scalar() == 0
    finally:
        eng.dispose()
