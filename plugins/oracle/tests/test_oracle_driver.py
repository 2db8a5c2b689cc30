"""The Oracle driver layer: connect arguments, errors, disconnects, isolation, features.

No Oracle server runs here, so these tests use pure functions, real python-oracledb exception
objects built the way the driver builds them, and real thin-mode connection failures against
local sockets.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import oracledb
import pytest
from oracledb import errors as oracledb_errors

import sqlwright
from sqlwright import exc
from sqlwright.dialects import available, load
from sqlwright.engine.url import make_url
from sqlwright_oracle.dialect import OracleDialect, OraclePreparer, parse_server_version
from sqlwright_oracle.drivers.oracledb import OracleDialect_oracledb
from sqlwright_oracle.features import OracleFeatures
from sqlwright_oracle.provision import create_schema_sql, drop_schema_sql

DESCRIPTOR = ("(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db1)(PORT=1521))"
              "(CONNECT_DATA=(SERVICE_NAME=sales)))")


@pytest.fixture
def dialect() -> OracleDialect_oracledb:
    return OracleDialect_oracledb()


def ora_error(message: str, code: int = 0) -> BaseException:
    """An exception exactly as oracledb raises it: its class chosen by the _Error it wraps."""
    error = oracledb_errors._Error(message, code=code)
    return error.exc_type(error)


def dpy_error(number: int) -> BaseException:
    """A driver (DPY-) exception as oracledb raises it."""
    return oracledb_errors._create_exception(number)


# -- connect arguments ---------------------------------------------------------------------

@pytest.mark.parametrize(("url", "expected"), [
    ("oracle+oracledb://scott:tiger@db1:1521/XEPDB1",
     {"user": "scott", "password": "tiger", "host": "db1", "port": 1521,
      "service_name": "XEPDB1"}),
    ("oracle+oracledb://scott:tiger@db1:1521?service_name=FREEPDB1",
     {"user": "scott", "password": "tiger", "host": "db1", "port": 1521,
      "service_name": "FREEPDB1"}),
    ("oracle+oracledb://scott:tiger@db1/XEPDB1",
     {"user": "scott", "password": "tiger", "host": "db1", "service_name": "XEPDB1"}),
    ("oracle+oracledb://scott:tiger@db1:1521?sid=ORCL",
     {"user": "scott", "password": "tiger", "host": "db1", "port": 1521, "sid": "ORCL"}),
    # a bare host is a DSN: a TNS alias, an Easy Connect string or a descriptor
    ("oracle+oracledb://scott:tiger@mytns",
     {"user": "scott", "password": "tiger", "dsn": "mytns"}),
    (f"oracle+oracledb://scott:tiger@{DESCRIPTOR}",
     {"user": "scott", "password": "tiger", "dsn": DESCRIPTOR}),
    ("oracle+oracledb://scott:tiger@?dsn=db1:1521/sales",
     {"user": "scott", "password": "tiger", "dsn": "db1:1521/sales"}),
    ("oracle+oracledb://scott:t%40g%3Aer@db1:1521/XEPDB1",
     {"user": "scott", "password": "t@g:er", "host": "db1", "port": 1521,
      "service_name": "XEPDB1"}),
    # other options are connect() keywords, converted to the driver's types
    ("oracle+oracledb://sys:pw@db1:1521/XEPDB1?mode=sysdba&events=true&retry_count=3"
     "&tcp_connect_timeout=2.5&program=billing",
     {"user": "sys", "password": "pw", "host": "db1", "port": 1521, "service_name": "XEPDB1",
      "mode": oracledb.AuthMode.SYSDBA, "events": True, "retry_count": 3,
      "tcp_connect_timeout": 2.5, "program": "billing"}),
    ("oracle+oracledb://sys:pw@mytns?mode=AUTH_MODE_SYSOPER&disable_oob=no",
     {"user": "sys", "password": "pw", "dsn": "mytns", "mode": oracledb.AuthMode.SYSOPER,
      "disable_oob": False}),
    ("oracle+oracledb://db1:1521/XEPDB1?externalauth=yes",
     {"host": "db1", "port": 1521, "service_name": "XEPDB1", "externalauth": True}),
])
def test_connect_keywords(dialect: OracleDialect_oracledb, url: str,
                          expected: dict[str, Any]) -> None:
    cargs, cparams = dialect.create_connect_args(make_url(url))
    assert (list(cargs), cparams) == ([], expected)


def test_the_driver_accepts_the_keywords(dialect: OracleDialect_oracledb) -> None:
    """oracledb's own parameter object takes every keyword (host/port/service form)."""
    url = ("oracle+oracledb://scott:tiger@db1:1522/XEPDB1?events=true&retry_count=2"
           "&tcp_connect_timeout=3&mode=sysdba")
    _, cparams = dialect.create_connect_args(make_url(url))
    params = oracledb.ConnectParams(**cparams)
    assert (params.host, params.port, params.service_name, params.user) == \
        ("db1", 1522, "XEPDB1", "scott")
    assert params.events is True and params.mode == oracledb.AuthMode.SYSDBA


def test_the_driver_reads_the_easy_connect_dsn(dialect: OracleDialect_oracledb) -> None:
    _, cparams = dialect.create_connect_args(make_url("oracle+oracledb://u:p@?dsn=db1:1523/sales"))
    params = oracledb.ConnectParams()
    params.parse_connect_string(cparams["dsn"])
    assert (params.host, params.port, params.service_name) == ("db1", 1523, "sales")


@pytest.mark.parametrize(("url", "fragment"), [
    ("oracle+oracledb://u:hunter2@db1:1521/XE?sid=ORCL", "more than one"),
    ("oracle+oracledb://u:hunter2@db1:1521/XE?service_name=XE", "more than one"),
    ("oracle+oracledb://u:hunter2@db1:1521?dsn=mytns", "complete address"),
    ("oracle+oracledb://u:hunter2@db1:1521", "names no database"),
    ("oracle+oracledb://u:hunter2@db1:1521/XE?mode=superuser", "SYSDBA"),
    ("oracle+oracledb://u:hunter2@db1:1521/XE?lib_dir=/opt/oracle", "thin mode only"),
    ("oracle+oracledb://u:hunter2@db1:1521/XE?events=maybe", "true or false"),
    ("oracle+oracledb://u:hunter2@db1:1521/XE?retry_count=lots", "must be a number"),
    ("oracle+oracledb://u:hunter2@db1:1521/XE?events=1&events=0", "given 2 times"),
])
def test_bad_urls_are_explained_without_the_password(dialect: OracleDialect_oracledb, url: str,
                                                     fragment: str) -> None:
    with pytest.raises(exc.ArgumentError) as info:
        dialect.create_connect_args(make_url(url))
    assert fragment in str(info.value)
    assert "hunter2" not in str(info.value)


# -- real thin-mode connection failures ----------------------------------------------------------

@pytest.fixture
def closing_listener() -> Iterator[int]:
    """A local TCP port that accepts connections and closes them at once."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except OSError:
                continue
            client.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


def test_connection_closed_by_the_server(closing_listener: int) -> None:
    engine = sqlwright.create_engine(
        f"oracle+oracledb://scott:hunter2@127.0.0.1:{closing_listener}/XEPDB1"
        "?retry_count=0&tcp_connect_timeout=5")
    try:
        with pytest.raises(exc.OperationalError) as info:
            engine.connect()
    finally:
        engine.dispose()
    err = info.value
    assert isinstance(err.orig, oracledb.OperationalError)
    assert err.code == "DPY-6005"  # cannot connect ...
    assert "DPY-4011" in str(err)  # ... because the server closed the connection
    assert engine.dialect.is_disconnect(err.orig, None, None) is True
    assert "hunter2" not in str(err)
    assert oracledb.is_thin_mode()  # no Oracle Client was loaded


def test_bare_host_goes_to_the_driver_as_a_tns_alias(tmp_path: Any) -> None:
    (tmp_path / "tnsnames.ora").write_text(
        "other = (DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=127.0.0.1)(PORT=1))"
        "(CONNECT_DATA=(SERVICE_NAME=x)))\n")
    engine = sqlwright.create_engine(
        f"oracle+oracledb://scott:hunter2@nosuchalias?config_dir={tmp_path}")
    try:
        with pytest.raises(exc.DBAPIError) as info:
            engine.connect()
    finally:
        engine.dispose()
    # the driver looked the alias up in our tnsnames.ora, so it read "nosuchalias" as one
    assert "nosuchalias" in str(info.value) and "tnsnames.ora" in str(info.value)
    assert info.value.code == "DPY-4000"
    assert "hunter2" not in str(info.value)


# -- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize(("message", "code", "expected"), [
    ("ORA-00001: unique constraint (SCOTT.PK_EMP) violated", 1, exc.IntegrityError),
    ("ORA-02291: integrity constraint (SCOTT.FK_DEPT) violated - parent key not found", 2291,
     exc.IntegrityError),
    ("ORA-02292: integrity constraint (SCOTT.FK_DEPT) violated - child record found", 2292,
     exc.IntegrityError),
    ('ORA-01400: cannot insert NULL into ("SCOTT"."EMP"."ENAME")', 1400, exc.IntegrityError),
    ("ORA-02290: check constraint (SCOTT.CK_SAL) violated", 2290, exc.IntegrityError),
    ("ORA-00060: deadlock detected while waiting for resource", 60, exc.OperationalError),
    ("ORA-08177: can't serialize access for this transaction", 8177, exc.OperationalError),
    ("ORA-00942: table or view does not exist", 942, exc.ProgrammingError),
    ('ORA-12899: value too large for column "SCOTT"."EMP"."ENAME" (actual: 40, maximum: 10)',
     12899, exc.DataError),
    # the driver calls this one an IntegrityError; it is an out-of-range value
    ("ORA-01438: value larger than specified precision allowed for this column", 1438,
     exc.DataError),
    # raise_application_error: no entry, so the driver's class stands
    ("ORA-20001: salary too high", 20001, exc.DatabaseError),
])
def test_error_translation_by_code(dialect: OracleDialect_oracledb, message: str, code: int,
                                   expected: type) -> None:
    orig = ora_error(message, code)
    wrapped = dialect.translate_error(orig, "INSERT INTO emp VALUES (:id)", {"id": 1})
    assert type(wrapped) is expected
    assert wrapped.code == message.split(":")[0]
    assert wrapped.orig is orig
    assert "INSERT INTO emp VALUES (:id)" in str(wrapped)


def test_message_form_without_an_error_object(dialect: OracleDialect_oracledb) -> None:
    orig = oracledb.DatabaseError("ORA-00001: unique constraint (SCOTT.PK_EMP) violated")
    wrapped = dialect.translate_error(orig, None, None)
    assert (type(wrapped), wrapped.code) == (exc.IntegrityError, "ORA-00001")


def test_driver_error_codes(dialect: OracleDialect_oracledb) -> None:
    closed = dpy_error(oracledb_errors.ERR_CONNECTION_CLOSED)
    wrapped = dialect.translate_error(closed, None, None)
    assert (type(wrapped), wrapped.code) == (exc.OperationalError, "DPY-4011")
    not_connected = dpy_error(oracledb_errors.ERR_NOT_CONNECTED)
    wrapped = dialect.translate_error(not_connected, None, None)
    assert (type(wrapped), wrapped.code) == (exc.InterfaceError, "DPY-1001")


# -- disconnects ---------------------------------------------------------------------------

@pytest.mark.parametrize(("orig", "expected"), [
    (ora_error("ORA-03113: end-of-file on communication channel", 3113), True),
    (ora_error("ORA-03114: not connected to ORACLE", 3114), True),
    (ora_error("ORA-03135: connection lost contact", 3135), True),
    (ora_error("ORA-00028: your session has been killed", 28), True),
    (ora_error("ORA-12541: TNS:no listener", 12541), True),
    (oracledb.OperationalError("ORA-03113: end-of-file on communication channel"), True),
    (dpy_error(oracledb_errors.ERR_CONNECTION_CLOSED), True),
    (dpy_error(oracledb_errors.ERR_NOT_CONNECTED), True),
    (ora_error("ORA-00001: unique constraint (SCOTT.PK_EMP) violated", 1), False),
    (ora_error("ORA-00060: deadlock detected while waiting for resource", 60), False),
    (oracledb.DatabaseError("ORA-031130: not a real code"), False),
])
def test_is_disconnect(dialect: OracleDialect_oracledb, orig: BaseException,
                       expected: bool) -> None:
    assert dialect.is_disconnect(orig, None, None) is expected


# -- isolation levels ----------------------------------------------------------------------

@pytest.mark.parametrize(("given", "level"), [
    ("read_committed", "READ COMMITTED"),
    ("SERIALIZABLE", "SERIALIZABLE"),
    ("autocommit", "AUTOCOMMIT"),
])
def test_isolation_level_names(given: str, level: str) -> None:
    assert OracleDialect_oracledb(isolation_level=given).isolation_level == level


@pytest.mark.parametrize("level", ["REPEATABLE READ", "READ UNCOMMITTED", "SNAPSHOT"])
def test_levels_oracle_lacks_are_rejected(level: str) -> None:
    with pytest.raises(exc.ArgumentError, match="READ COMMITTED, SERIALIZABLE, AUTOCOMMIT"):
        OracleDialect_oracledb(isolation_level=level)


def test_isolation_level_sql(dialect: OracleDialect_oracledb) -> None:
    assert dialect.isolation_level_sql("serializable") == \
        "ALTER SESSION SET ISOLATION_LEVEL = SERIALIZABLE"
    assert dialect.isolation_level_sql("read_committed") == \
        "ALTER SESSION SET ISOLATION_LEVEL = READ COMMITTED"
    with pytest.raises(exc.ArgumentError, match="autocommit mode"):
        dialect.isolation_level_sql("AUTOCOMMIT")


# -- features ------------------------------------------------------------------------------

def _features(version: tuple[int, ...] | None) -> OracleFeatures:
    dialect = OracleDialect_oracledb()
    dialect.server_version_info = version
    assert isinstance(dialect.features, OracleFeatures)
    return dialect.features


@pytest.mark.parametrize(("version", "flag", "expected"), [
    ((11, 2, 0, 4), "supports_identity_columns", False),
    ((12, 1, 0, 2), "supports_identity_columns", True),
    ((11, 2, 0, 4), "max_identifier_length", 30),
    ((12, 1, 0, 2), "max_identifier_length", 30),
    ((12, 2, 0, 1), "max_identifier_length", 128),
    ((19, 3), "max_identifier_length", 128),
    (None, "max_identifier_length", 128),  # assumed 19c before connecting
    ((21, 3), "supports_native_boolean", False),
    ((23, 4), "supports_native_boolean", True),
    ((19, 3), "supports_boolean_expressions", False),
    ((23, 4), "supports_boolean_expressions", True),
    ((19, 3), "supports_if_exists", False),
    ((23, 4), "supports_if_exists", True),
    ((19, 3), "supports_json", False),
    ((21, 3), "supports_json", True),
    ((11, 2), "supports_lateral", False),
    ((12, 1), "supports_lateral", True),
])
def test_version_dependent_flags(version: tuple[int, ...] | None, flag: str,
                                 expected: object) -> None:
    assert getattr(_features(version), flag) == expected


@pytest.mark.parametrize(("flag", "expected"), [
    ("supports_insert_returning", True),
    ("supports_update_returning", True),
    ("supports_delete_returning", True),
    ("supports_multirow_insert_returning", False),
    ("supports_sequences", True),
    ("supports_computed_columns", True),
    ("requires_from_clause", True),
    ("empty_string_is_null", True),
    ("supports_default_values", False),
    ("supports_multivalues_insert", False),
    ("supports_intersect", True),
    ("supports_except", True),
    ("supports_for_update", True),
    ("supports_for_update_nowait", True),
    ("supports_nulls_ordering", True),
    ("supports_transactional_ddl", False),
    ("supports_schemas", True),
    ("supports_savepoints", True),
])
def test_fixed_flags(flag: str, expected: bool) -> None:
    for version in [(11, 2), (19,), (23,), None]:
        assert getattr(_features(version), flag) is expected


def test_every_declared_flag_reads() -> None:
    features = _features((19,))
    for name in OracleFeatures.flag_names():
        if name == "server_version_info":  # listed by flag_names() but not a flag
            continue
        assert isinstance(getattr(features, name), (bool, int))


# -- server version, names, provisioning -------------------------------------------------------

@pytest.mark.parametrize(("text", "version"), [
    ("19.3.0.0.0", (19, 3, 0, 0, 0)),
    ("23.4.0.24.5", (23, 4, 0, 24, 5)),
    ("11.2.0.4.0", (11, 2, 0, 4, 0)),
])
def test_parse_server_version(text: str, version: tuple[int, ...]) -> None:
    assert parse_server_version(text) == version


def test_parse_server_version_rejects_text() -> None:
    with pytest.raises(exc.ArgumentError, match="connection.version"):
        parse_server_version("Oracle")


@pytest.mark.parametrize(("stored", "normalized"), [
    ("EMPLOYEES", "employees"),
    ("SCOTT", "scott"),
    ("MixedCase", "MixedCase"),
    ("lower", "lower"),
    ("HAS SPACE", "HAS SPACE"),
    ("_UNDERSCORE", "_UNDERSCORE"),
])
def test_name_normalization_round_trips(dialect: OracleDialect_oracledb, stored: str,
                                        normalized: str) -> None:
    assert dialect.normalize_name(stored) == normalized
    if stored.isupper() and normalized != stored:
        assert dialect.denormalize_name(normalized) == stored


@pytest.mark.parametrize(("name", "quoted"), [
    ("emp", "emp"),
    ("level", '"level"'),
    ("Mixed", '"Mixed"'),
    ("_x", '"_x"'),
    ('a"b', '"a""b"'),
])
def test_quoting(dialect: OracleDialect_oracledb, name: str, quoted: str) -> None:
    assert isinstance(dialect.identifier_preparer, OraclePreparer)
    assert dialect.identifier_preparer.quote(name) == quoted


def test_provision_sql() -> None:
    assert create_schema_sql("TEST_1", 'pw"x') == [
        'CREATE USER "TEST_1" IDENTIFIED BY "pw""x" DEFAULT TABLESPACE "USERS" '
        'QUOTA UNLIMITED ON "USERS"',
        'GRANT CREATE SESSION, CREATE TABLE, CREATE VIEW, CREATE SEQUENCE, CREATE PROCEDURE, '
        'CREATE TRIGGER, CREATE SYNONYM, CREATE TYPE TO "TEST_1"',
    ]
    assert drop_schema_sql("TEST_1") == ['DROP USER "TEST_1" CASCADE']


# -- registry and engine ---------------------------------------------------------------------

def test_registry_finds_the_plugin() -> None:
    assert load("oracle") is OracleDialect_oracledb
    assert load("oracle+oracledb") is OracleDialect_oracledb
    assert issubclass(OracleDialect_oracledb, OracleDialect)
    info = [i for i in available() if i.name == "oracle"]
    assert [(i.driver, i.is_default, i.dbapi_importable) for i in info] == \
        [("oracledb", True, True)]


def test_create_engine_does_not_connect() -> None:
    engine = sqlwright.create_engine("oracle+oracledb://scott:tiger@db1:1521/XEPDB1")
    try:
        assert (engine.name, engine.driver) == ("oracle", "oracledb")
        assert engine.dialect.paramstyle == "named"
        assert engine.dialect.server_version_info is None  # never connected
        assert "tiger" not in repr(engine) and "tiger" not in repr(engine.dialect)
    finally:
        engine.dispose()
