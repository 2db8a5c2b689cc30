"""The PyMySQL driver layer against a real MySQL / MariaDB server."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import pymysql
import pytest

import sqlwright
from sqlwright import exc, text
from sqlwright.engine.url import URL, make_url
from sqlwright_mysql import provision
from sqlwright_mysql.dialect import MySQLDialect, parse_server_version
from sqlwright_mysql.drivers.pymysql import CLIENT_FOUND_ROWS, MySQLDialect_pymysql

LEVELS = ["SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED"]


def _kill(engine: Any, thread_id: int) -> None:
    """KILL a session and wait (at most 10 s) until the server has dropped it."""
    with engine.connect() as conn:
        conn.exec_driver_sql(f"KILL {int(thread_id)}")
        for _ in range(200):
            alive = conn.exec_driver_sql(
                "SELECT count(*) FROM information_schema.processlist WHERE id = %(id)s",
                {"id": thread_id}).scalar()
            if not alive:
                return
            conn.rollback()
            time.sleep(0.05)
    raise AssertionError(f"session {thread_id} is still alive after KILL")


# -- registry and connecting ------------------------------------------------------------------
def test_registry_loads_pymysql_as_default() -> None:
    from sqlwright import dialects

    assert dialects.load("mysql") is MySQLDialect_pymysql
    assert dialects.load("mysql+pymysql") is MySQLDialect_pymysql
    assert issubclass(MySQLDialect_pymysql, MySQLDialect)
    assert MySQLDialect_pymysql.name == "mysql"


def test_connect_reads_version_schema_and_isolation(engine: Any) -> None:
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT VERSION()").scalar()
        database = conn.exec_driver_sql("SELECT DATABASE()").scalar()
    dialect = engine.dialect
    assert dialect.server_version_string == version
    assert dialect.server_version_info == parse_server_version(version)[0]
    assert dialect.is_mariadb is ("mariadb" in version.lower())
    assert dialect.default_schema_name == database
    assert dialect.default_isolation_level == "REPEATABLE READ"


@pytest.mark.parametrize(("version", "expected"), [
    ("10.11.19-MariaDB-0+deb12u1", ((10, 11, 19), True)),
    ("5.5.5-10.4.32-MariaDB-log", ((10, 4, 32), True)),
    ("11.4.2-MariaDB", ((11, 4, 2), True)),
    ("8.0.36-0ubuntu0.22.04.1", ((8, 0, 36), False)),
    ("5.7.44-log", ((5, 7, 44), False)),
    ("8.4.0", ((8, 4, 0), False)),
])
def test_parse_server_version(version: str, expected: tuple[tuple[int, ...], bool]) -> None:
    assert parse_server_version(version) == expected


def _dialect_for(version: str) -> MySQLDialect_pymysql:
    dialect = MySQLDialect_pymysql()
    dialect.server_version_string = version
    dialect.server_version_info = parse_server_version(version)[0]
    return dialect


# flags by server: MariaDB 10.4, 10.6, 10.11; MySQL 5.7, 8.0.20, 8.0.31
_SERVERS = ["10.4.32-MariaDB", "10.6.18-MariaDB", "10.11.6-MariaDB", "5.7.44", "8.0.20",
            "8.0.31"]
_FLAG_TABLE = {
    "supports_insert_returning":          (False, True, True, False, False, False),
    "supports_multirow_insert_returning": (False, True, True, False, False, False),
    "supports_delete_returning":          (True, True, True, False, False, False),
    "supports_update_returning":          (False, False, False, False, False, False),
    "supports_sequences":                 (True, True, True, False, False, False),
    "supports_for_update_nowait":         (False, True, True, False, True, True),
    "supports_check_constraints":         (True, True, True, False, True, True),
    "supports_intersect":                 (True, True, True, False, False, True),
    "supports_except":                    (True, True, True, False, False, True),
    "supports_cte":                       (True, True, True, False, True, True),
    "supports_window_functions":          (True, True, True, False, True, True),
    "supports_lateral":                   (False, False, False, False, True, True),
    "supports_expression_indexes":        (False, False, False, False, True, True),
    "supports_native_uuid":               (False, False, True, False, False, False),
}


@pytest.mark.parametrize("flag", sorted(_FLAG_TABLE))
def test_version_dependent_flags(flag: str) -> None:
    got = tuple(getattr(_dialect_for(v).features, flag) for v in _SERVERS)
    assert got == _FLAG_TABLE[flag]


def test_static_flags() -> None:
    features = MySQLDialect_pymysql().features
    assert features.supports_native_boolean is False
    assert features.supports_native_enum is True
    assert features.supports_json is True
    assert features.supports_comments is True
    assert features.requires_varchar_length is True
    assert features.supports_nulls_ordering is False
    assert features.supports_is_distinct_from is False
    assert features.supports_full_outer_join is False
    assert features.max_identifier_length == 64
    assert features.supports_transactional_ddl is False
    assert features.supports_default_values is False
    assert features.supports_empty_insert is True
    assert features.supports_regexp is True
    assert features.supports_for_update is True
    assert features.rowcount_counts_matched_rows is True


def test_connected_flags_match_the_server(engine: Any) -> None:
    with engine.connect():
        pass
    features = engine.dialect.features
    info = engine.dialect.server_version_info
    if engine.dialect.is_mariadb:
        assert features.supports_insert_returning is (info >= (10, 5))
        assert features.supports_sequences is (info >= (10, 3))
    else:
        assert features.supports_insert_returning is False
        assert features.supports_sequences is False


def test_introspection_leaves_the_connection_idle(engine: Any) -> None:
    raw = engine.raw_connection()
    try:
        dbapi_conn = raw.dbapi_connection
        engine.dialect.get_isolation_level(dbapi_conn)
        engine.dialect.get_default_schema_name(dbapi_conn)
        assert not dbapi_conn.server_status & pymysql.constants.SERVER_STATUS.SERVER_STATUS_IN_TRANS
    finally:
        raw.close()


# -- connect arguments ------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "expected"), [
    ("mysql+pymysql://scott:tiger@db.example:3307/app",
     {"host": "db.example", "port": 3307, "database": "app", "user": "scott",
      "password": "tiger", "charset": "utf8mb4", "client_flag": CLIENT_FOUND_ROWS}),
    ("mysql://u@h/d?charset=latin1&connect_timeout=5&read_timeout=2.5&write_timeout=30",
     {"host": "h", "database": "d", "user": "u", "charset": "latin1", "connect_timeout": 5,
      "read_timeout": 2.5, "write_timeout": 30, "client_flag": CLIENT_FOUND_ROWS}),
    ("mysql://u@/d?unix_socket=/run/mysqld/mysqld.sock",
     {"database": "d", "user": "u", "unix_socket": "/run/mysqld/mysqld.sock",
      "charset": "utf8mb4", "client_flag": CLIENT_FOUND_ROWS}),
    ("mysql://u@h/d?ssl_ca=/ca.pem&ssl_cert=/c.pem&ssl_key=/k.pem&ssl_verify_cert=true",
     {"host": "h", "database": "d", "user": "u", "ssl_ca": "/ca.pem", "ssl_cert": "/c.pem",
      "ssl_key": "/k.pem", "ssl_verify_cert": True, "charset": "utf8mb4",
      "client_flag": CLIENT_FOUND_ROWS}),
    ("mysql://u@h/d?client_flag=1024",
     {"host": "h", "database": "d", "user": "u", "charset": "utf8mb4",
      "client_flag": 1024 | CLIENT_FOUND_ROWS}),
])
def test_create_connect_args(url: str, expected: dict[str, Any]) -> None:
    cargs, cparams = MySQLDialect_pymysql().create_connect_args(make_url(url))
    assert list(cargs) == []
    assert cparams == expected


def test_unknown_url_option_names_the_accepted_ones() -> None:
    with pytest.raises(exc.ArgumentError, match="sslmode.*connect_args") as info:
        MySQLDialect_pymysql().create_connect_args(make_url("mysql://u@h/d?sslmode=require"))
    assert "ssl_ca" in str(info.value)


def test_bad_option_value_is_an_argument_error() -> None:
    with pytest.raises(exc.ArgumentError, match="local_infile"):
        MySQLDialect_pymysql().create_connect_args(make_url("mysql://u@h/d?local_infile=maybe"))


def test_query_options_reach_the_server(make_engine: Callable[..., Any],
                                        mysql_url: URL) -> None:
    url = mysql_url.update_query_dict({"init_command": "SET @@session.wait_timeout = 4321",
                                       "connect_timeout": "5"})
    with make_engine(url).connect() as conn:
        assert conn.exec_driver_sql("SELECT @@session.wait_timeout").scalar() == 4321
        assert conn.exec_driver_sql("SELECT @@character_set_client").scalar() == "utf8mb4"
        assert conn.execute(text("SELECT :s"), {"s": "snow \u2603 \U0001f600"}).scalar() == \
            "snow \u2603 \U0001f600"


def test_unix_socket_connection(make_engine: Callable[..., Any], engine: Any,
                                mysql_url: URL) -> None:
    with engine.connect() as conn:
        socket = conn.exec_driver_sql("SELECT @@socket").scalar()
    if not socket or not os.path.exists(socket):
        pytest.skip(f"the test server's socket {socket} is not on this machine")
    url = mysql_url.set(host="localhost", port=None).update_query_dict({"unix_socket": socket})
    with make_engine(url).connect() as conn:
        # over a socket, the session's host is "localhost" without a port
        host = conn.exec_driver_sql(
            "SELECT host FROM information_schema.processlist WHERE id = CONNECTION_ID()"
        ).scalar()
        assert host == "localhost"


def test_found_rows_counts_matched_rows(make_engine: Callable[..., Any], mysql_url: URL,
                                       table_name: str) -> None:
    # connect_args replacing client_flag must not drop FOUND_ROWS
    eng = make_engine(mysql_url, connect_args={"client_flag": 0})
    with eng.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table_name} (id integer, v integer)")
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES (1, 7), (2, 7)")
    with eng.begin() as conn:
        result = conn.execute(text(f"UPDATE {table_name} SET v = :v"), {"v": 7})
        assert result.rowcount == 2  # matched, although nothing changed


# -- percent signs ----------------------------------------------------------------------------
def test_percent_in_text_and_driver_sql(engine: Any) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 'a%b'")).scalar() == "a%b"
        assert conn.execute(text("SELECT CONCAT(:x, '%')"), {"x": "50"}).scalar() == "50%"
        assert conn.execute(text("SELECT 'abc' LIKE 'a%'")).scalar() == 1
        assert conn.execute(text("SELECT :p LIKE 'a%%'"), {"p": "a%%"}).scalar() == 1
        assert conn.exec_driver_sql("SELECT 'a%b'").scalar() == "a%b"
        assert conn.exec_driver_sql("SELECT CONCAT(%(x)s, '%%')", {"x": "7"}).scalar() == "7%"


# -- isolation levels -------------------------------------------------------------------------
@pytest.mark.parametrize("level", LEVELS)
def test_isolation_level_round_trip(engine: Any, level: str) -> None:
    with engine.connect() as conn:
        conn.execution_options(isolation_level=level)
        assert conn.get_isolation_level() == level
        variable = engine.dialect._isolation_variable()
        shown = conn.exec_driver_sql(f"SELECT @@session.{variable}").scalar()
        assert shown == level.replace(" ", "-")


def test_isolation_level_is_reset_when_returned(make_engine: Callable[..., Any]) -> None:
    eng = make_engine(pool_size=1, max_overflow=0)
    with eng.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        raw = conn.connection.dbapi_connection
        assert raw.get_autocommit() is True
    with eng.connect() as conn:
        assert conn.connection.dbapi_connection is raw
        assert raw.get_autocommit() is False
        assert conn.get_isolation_level() == "REPEATABLE READ"


def test_autocommit_execution_option(engine: Any, table_name: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table_name} (id integer) ENGINE=InnoDB")
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        assert conn.get_isolation_level() == "AUTOCOMMIT"
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES (1)")
        conn.rollback()
    with engine.connect() as other:
        assert other.exec_driver_sql(f"SELECT count(*) FROM {table_name}").scalar() == 1


@pytest.mark.parametrize("level", [*LEVELS, "AUTOCOMMIT"])
def test_engine_isolation_level(make_engine: Callable[..., Any], level: str) -> None:
    eng = make_engine(isolation_level=level)
    with eng.connect() as conn:
        assert conn.get_isolation_level() == level
        assert eng.dialect.get_isolation_level(conn.connection.dbapi_connection) == level


def test_rollback_undoes_without_autocommit(engine: Any, table_name: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table_name} (id integer) ENGINE=InnoDB")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES (1)")
        conn.rollback()
        assert conn.exec_driver_sql(f"SELECT count(*) FROM {table_name}").scalar() == 0


# -- savepoints -------------------------------------------------------------------------------
def test_savepoints_keep_and_undo_rows(engine: Any, table_name: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table_name} (id integer) ENGINE=InnoDB")
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
            "qty integer NOT NULL, CONSTRAINT qty_positive CHECK (qty >= 0)) ENGINE=InnoDB")
        conn.exec_driver_sql(
            f"CREATE TABLE {table_name}_child (id integer PRIMARY KEY, parent_id integer, "
            f"FOREIGN KEY (parent_id) REFERENCES {table_name}(id)) ENGINE=InnoDB")
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES (1, 1)")


@pytest.mark.parametrize(("sql", "codes"), [
    ("INSERT INTO {t} VALUES (1, 5)", {1062}),
    ("INSERT INTO {t}_child VALUES (1, 99)", {1452}),
    ("DELETE FROM {t}", {1451}),
    ("INSERT INTO {t} VALUES (2, NULL)", {1048}),
    ("INSERT INTO {t} VALUES (3, -1)", {3819, 4025}),
], ids=["unique", "foreign_key", "referenced_row", "not_null", "check"])
def test_integrity_errors(engine: Any, table_name: str, sql: str, codes: set[int]) -> None:
    _constraint_tables(engine, table_name)
    if "DELETE" in sql:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"INSERT INTO {table_name}_child VALUES (1, 1)")
    with engine.connect() as conn, pytest.raises(exc.IntegrityError) as info:
        conn.exec_driver_sql(sql.format(t=table_name))
    assert info.value.code in codes
    assert isinstance(info.value.orig, pymysql.Error)
    assert table_name in str(info.value)


def test_check_violation_code_matches_the_server(engine: Any, table_name: str) -> None:
    _constraint_tables(engine, table_name)
    with engine.connect() as conn, pytest.raises(exc.IntegrityError) as info:
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES (3, -1)")
    assert info.value.code == (4025 if engine.dialect.is_mariadb else 3819)


def test_syntax_error_is_programming_error(engine: Any) -> None:
    with engine.connect() as conn:
        with pytest.raises(exc.ProgrammingError) as info:
            conn.exec_driver_sql("SELEC 1")
        with pytest.raises(exc.ProgrammingError) as unknown_column:
            conn.exec_driver_sql("SELECT no_such_column")
    assert info.value.code == 1064
    assert unknown_column.value.code == 1054
    assert info.value.connection_invalidated is False


def test_deadlock_is_operational_error(engine: Any, table_name: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE TABLE {table_name} (id integer PRIMARY KEY, v integer) ENGINE=InnoDB")
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES (1, 0), (2, 0)")
    conns = [engine.connect(), engine.connect()]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker(conn: Any, first: int, second: int) -> None:
        try:
            conn.exec_driver_sql("SET SESSION innodb_lock_wait_timeout = 20")
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
    assert errors[0].code == 1213


def test_lock_wait_timeout_is_operational_error(engine: Any, table_name: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE TABLE {table_name} (id integer PRIMARY KEY, v integer) ENGINE=InnoDB")
        conn.exec_driver_sql(f"INSERT INTO {table_name} VALUES (1, 0)")
    holder = engine.connect()
    waiter = engine.connect()
    try:
        holder.exec_driver_sql(f"UPDATE {table_name} SET v = 1 WHERE id = 1")
        waiter.exec_driver_sql("SET SESSION innodb_lock_wait_timeout = 1")
        with pytest.raises(exc.OperationalError) as info:
            waiter.exec_driver_sql(f"UPDATE {table_name} SET v = 2 WHERE id = 1")
    finally:
        holder.close()
        waiter.close()
    assert info.value.code == 1205


# -- disconnects ------------------------------------------------------------------------------
def test_pre_ping_replaces_a_killed_connection(make_engine: Callable[..., Any],
                                              engine: Any) -> None:
    eng = make_engine(pool_size=1, max_overflow=0, pool_pre_ping=True)
    with eng.connect() as conn:
        thread_id = conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar()
    _kill(engine, thread_id)
    with eng.connect() as conn:
        assert conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar() != thread_id


def test_execute_on_a_killed_connection_invalidates_it(make_engine: Callable[..., Any],
                                                       engine: Any) -> None:
    eng = make_engine(pool_size=1, max_overflow=0)
    with eng.connect() as conn:
        thread_id = conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar()
    _kill(engine, thread_id)
    with eng.connect() as conn, pytest.raises(exc.DBAPIError) as info:
        conn.exec_driver_sql("SELECT 1")
    assert info.value.connection_invalidated is True
    assert info.value.code in (2006, 2013, 4031)
    with eng.connect() as conn:
        assert conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar() != thread_id


def test_is_disconnect_on_a_closed_connection(engine: Any) -> None:
    raw = engine.raw_connection()
    dbapi_conn = raw.dbapi_connection
    raw.invalidate()
    with pytest.raises(pymysql.InterfaceError) as info:
        dbapi_conn.cursor().execute("SELECT 1")
    assert engine.dialect.is_disconnect(info.value, dbapi_conn, None) is True


def test_is_disconnect_false_for_a_statement_error(engine: Any) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.dbapi_connection.cursor()
        with pytest.raises(pymysql.ProgrammingError) as info:
            cursor.execute("SELECT * FROM no_such_table_sqlwright")
        assert engine.dialect.is_disconnect(info.value, raw.dbapi_connection, cursor) is False
        assert engine.dialect.is_disconnect(ValueError("MySQL server has gone away"), None,
                                            None) is False
    finally:
        raw.close()


# -- provisioning -----------------------------------------------------------------------------
def _database_exists(engine: Any, name: str) -> bool:
    with engine.connect() as conn:
        return bool(conn.exec_driver_sql(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %(n)s",
            {"n": name}).scalar())


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
    assert not _database_exists(engine, schema)


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
            assert conn.exec_driver_sql("SELECT DATABASE()").scalar() == name
        other.dispose()
    finally:
        provision.drop_test_database(engine, name)
        provision.drop_test_database(engine, name)
    assert not _database_exists(engine, name)


def test_provision_drops_the_engines_own_database(mysql_url: URL, table_name: str) -> None:
    name = f"{table_name}_own"
    url = provision.create_test_database(mysql_url, name)
    eng = sqlwright.create_engine(url)
    with eng.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    provision.drop_test_database(eng, name)
    checker = sqlwright.create_engine(mysql_url)
    try:
        assert not _database_exists(checker, name)
    finally:
        checker.dispose()
