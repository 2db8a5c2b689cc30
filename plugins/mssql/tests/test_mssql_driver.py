"""The SQL Server driver layer: connect arguments, errors, disconnects, isolation, features.

No SQL Server runs here, so these tests use pure functions and real pyodbc exception objects
(and real pyodbc/unixODBC failures where the driver manager can answer without a server).
"""

from __future__ import annotations

from typing import Any

import pyodbc
import pytest

import sqlwright
from sqlwright import exc
from sqlwright.dialects import available, load
from sqlwright.engine.url import make_url
from sqlwright_mssql.dialect import MSDialect, MSSQLPreparer, parse_server_version
from sqlwright_mssql.drivers.pyodbc import (
    MSDialect_pyodbc,
    build_connection_string,
    odbc_value,
)
from sqlwright_mssql.features import MSFeatures
from sqlwright_mssql.provision import create_database_sql, drop_database_sql

D18 = "DRIVER={ODBC Driver 18 for SQL Server}"
SECRET = "s3cr;et}pw"


@pytest.fixture
def dialect() -> MSDialect_pyodbc:
    return MSDialect_pyodbc()


def connect_args(dialect: MSDialect_pyodbc, url: str) -> tuple[list[Any], dict[str, Any]]:
    cargs, cparams = dialect.create_connect_args(make_url(url))
    return list(cargs), cparams


# -- connect arguments ---------------------------------------------------------------------

@pytest.mark.parametrize(("url", "expected", "kwargs"), [
    ("mssql+pyodbc://scott:tiger@dbhost:1433/shop",
     f"{D18};Server=dbhost,1433;Database=shop;UID=scott;PWD=tiger", {}),
    ("mssql+pyodbc://scott:tiger@dbhost/shop",
     f"{D18};Server=dbhost;Database=shop;UID=scott;PWD=tiger", {}),
    ("mssql+pyodbc://scott:tiger@dbhost/shop?driver=FreeTDS&TDS_Version=7.4",
     "DRIVER={FreeTDS};Server=dbhost;Database=shop;UID=scott;PWD=tiger;TDS_Version=7.4", {}),
    ("mssql+pyodbc://scott:tiger@dbhost/shop?driver=%7BFreeTDS%7D",
     "DRIVER={FreeTDS};Server=dbhost;Database=shop;UID=scott;PWD=tiger", {}),
    ("mssql+pyodbc://scott:tiger@dbhost/shop?DRIVER=ODBC+Driver+17+for+SQL+Server",
     "DRIVER={ODBC Driver 17 for SQL Server};Server=dbhost;Database=shop;UID=scott;PWD=tiger",
     {}),
    ("mssql+pyodbc://scott:tiger@dbhost/shop?TrustServerCertificate=yes&Encrypt=no",
     f"{D18};Server=dbhost;Database=shop;UID=scott;PWD=tiger;TrustServerCertificate=yes;"
     "Encrypt=no", {}),
    # values holding ; or } are braced, with } doubled
    ("mssql+pyodbc://scott:s3cr%3Bet%7Dpw@dbhost/shop",
     f"{D18};Server=dbhost;Database=shop;UID=scott;PWD={{s3cr;et}}}}pw}}", {}),
    ("mssql+pyodbc://we%7Bird:pw@dbhost/shop",
     f"{D18};Server=dbhost;Database=shop;UID={{we{{ird}};PWD=pw", {}),
    ("mssql+pyodbc://scott:%20pad@dbhost/shop",
     f"{D18};Server=dbhost;Database=shop;UID=scott;PWD={{ pad}}", {}),
    # no user: Windows / Kerberos login
    ("mssql+pyodbc://dbhost/shop", f"{D18};Server=dbhost;Database=shop;Trusted_Connection=yes",
     {}),
    # Azure AD: the authentication option replaces the trusted login
    ("mssql+pyodbc://dbhost/shop?authentication=ActiveDirectoryMsi",
     f"{D18};Server=dbhost;Database=shop;authentication=ActiveDirectoryMsi", {}),
    ("mssql+pyodbc://bob@dbhost/shop?authentication=ActiveDirectoryInteractive",
     f"{D18};Server=dbhost;Database=shop;UID=bob;authentication=ActiveDirectoryInteractive", {}),
    (r"mssql+pyodbc://scott:tiger@dbhost\SQLEXPRESS/shop",
     f"{D18};Server=dbhost\\SQLEXPRESS;Database=shop;UID=scott;PWD=tiger", {}),
    ("mssql+pyodbc://scott:tiger@/?dsn=warehouse", "DSN=warehouse;UID=scott;PWD=tiger", {}),
    # pyodbc.connect() keywords leave the string
    ("mssql+pyodbc://scott:tiger@dbhost/shop?autocommit=true&timeout=15&readonly=no&ansi=0",
     f"{D18};Server=dbhost;Database=shop;UID=scott;PWD=tiger",
     {"autocommit": True, "timeout": 15, "readonly": False, "ansi": False}),
])
def test_connection_string(dialect: MSDialect_pyodbc, url: str, expected: str,
                           kwargs: dict[str, Any]) -> None:
    assert connect_args(dialect, url) == ([expected], kwargs)


def test_odbc_connect_passes_a_complete_string_through(dialect: MSDialect_pyodbc) -> None:
    raw = "Driver={ODBC Driver 18 for SQL Server};Server=tcp:h,1433;UID=u;PWD={a;b}};Encrypt=yes"
    from urllib.parse import quote_plus

    url = f"mssql+pyodbc://?odbc_connect={quote_plus(raw)}&autocommit=yes"
    assert connect_args(dialect, url) == ([raw], {"autocommit": True})


@pytest.mark.parametrize(("url", "fragment"), [
    ("mssql+pyodbc://u:hunter2@h/db?odbc_connect=Server%3Dh", "must carry nothing else"),
    ("mssql+pyodbc://:hunter2@h/db", "password but no user name"),
    ("mssql+pyodbc://u:hunter2@h/db?Encrypt=yes&Encrypt=no", "given 2 times"),
    ("mssql+pyodbc://u:hunter2@h/db?autocommit=maybe", "true or false"),
    ("mssql+pyodbc://u:hunter2@h/db?timeout=soon", "must be an integer"),
    ("mssql+pyodbc://u:hunter2@h/db?Bad%3DKey=1", "cannot be an ODBC connection string keyword"),
])
def test_bad_urls_are_explained_without_the_password(dialect: MSDialect_pyodbc, url: str,
                                                     fragment: str) -> None:
    with pytest.raises(exc.ArgumentError) as info:
        dialect.create_connect_args(make_url(url))
    assert fragment in str(info.value)
    assert "hunter2" not in str(info.value)


@pytest.mark.parametrize(("value", "quoted"), [
    ("plain", "plain"),
    ("a;b", "{a;b}"),
    ("a}b", "{a}}b}"),
    ("{x}", "{{x}}}"),
    (" lead", "{ lead}"),
    ("trail ", "{trail }"),
    ("", ""),
])
def test_odbc_value_quoting(value: str, quoted: str) -> None:
    assert odbc_value(value) == quoted


def test_build_connection_string_always_braces_the_driver() -> None:
    assert build_connection_string([("DRIVER", "FreeTDS"), ("Server", "h")]) == \
        "DRIVER={FreeTDS};Server=h"


def test_unixodbc_reads_the_driver_name_from_the_string(dialect: MSDialect_pyodbc) -> None:
    """The real driver manager parses the string: it names the (missing) driver unbraced."""
    url = f"mssql+pyodbc://scott:{SECRET.replace(';', '%3B').replace('}', '%7D')}@h/db" \
          "?driver=No+Such+Driver+99"
    cargs, cparams = dialect.create_connect_args(make_url(url))
    with pytest.raises(pyodbc.Error) as info:
        pyodbc.connect(*cargs, **cparams)
    assert "Can't open lib 'No Such Driver 99'" in str(info.value)


def test_engine_connect_failure_is_translated_without_the_password() -> None:
    engine = sqlwright.create_engine(
        "mssql+pyodbc://scott:hunter2@h/db?driver=No+Such+Driver+99&timeout=1")
    try:
        with pytest.raises(exc.DBAPIError) as info:
            engine.connect()
    finally:
        engine.dispose()
    err = info.value
    assert isinstance(err.orig, pyodbc.Error)
    assert err.code == "01000"  # the driver manager's SQLSTATE: it has no native number
    assert not err.connection_invalidated
    assert "hunter2" not in str(err)
    assert "hunter2" not in repr(engine)


# -- errors --------------------------------------------------------------------------------

def _odbc_message(state: str, text: str, number: int) -> str:
    return (f"[{state}] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]{text} "
            f"({number}) (SQLExecDirectW)")


@pytest.mark.parametrize(("driver_class", "state", "text", "number", "expected"), [
    (pyodbc.IntegrityError, "23000",
     "Violation of PRIMARY KEY constraint 'PK__t__3213E83F'. Cannot insert duplicate key in "
     "object 'dbo.t'. The duplicate key value is (1).", 2627, exc.IntegrityError),
    (pyodbc.IntegrityError, "23000",
     "Cannot insert duplicate key row in object 'dbo.t' with unique index 'ix_t_name'. The "
     "duplicate key value is (ann).", 2601, exc.IntegrityError),
    (pyodbc.IntegrityError, "23000",
     'The INSERT statement conflicted with the FOREIGN KEY constraint "FK_child_parent". The '
     'conflict occurred in database "shop", table "dbo.parent", column \'id\'.', 547,
     exc.IntegrityError),
    (pyodbc.IntegrityError, "23000",
     'The INSERT statement conflicted with the CHECK constraint "ck_price". The conflict '
     'occurred in database "shop", table "dbo.item", column \'price\'.', 547,
     exc.IntegrityError),
    (pyodbc.IntegrityError, "23000",
     "Cannot insert the value NULL into column 'name', table 'shop.dbo.t'; column does not "
     "allow nulls. INSERT fails.", 515, exc.IntegrityError),
    # the deadlock victim comes with SQLSTATE 40001 in a generic class
    (pyodbc.Error, "40001",
     "Transaction (Process ID 57) was deadlocked on lock resources with another process and "
     "has been chosen as the deadlock victim. Rerun the transaction.", 1205,
     exc.OperationalError),
    (pyodbc.ProgrammingError, "42S02", "Invalid object name 'nope'.", 208,
     exc.ProgrammingError),
    (pyodbc.Error, "22001", "String or binary data would be truncated in table 'dbo.t', "
     "column 'name'. Truncated value: 'abc'.", 2628, exc.DataError),
    # a number sqlwright has no entry for keeps the driver's PEP 249 class
    (pyodbc.DataError, "22003", "Some future overflow.", 99999, exc.DataError),
])
def test_error_translation_by_native_number(dialect: MSDialect_pyodbc, driver_class: type,
                                            state: str, text: str, number: int,
                                            expected: type) -> None:
    orig = driver_class(state, _odbc_message(state, text, number))
    wrapped = dialect.translate_error(orig, "INSERT INTO t VALUES (?)", (1,))
    assert type(wrapped) is expected
    assert wrapped.code == number
    assert wrapped.orig is orig
    assert "INSERT INTO t VALUES (?)" in str(wrapped)


def test_first_record_number_wins_over_trailing_messages(dialect: MSDialect_pyodbc) -> None:
    message = (_odbc_message("23000", 'The DELETE statement conflicted with the REFERENCE '
                             'constraint "FK_c_p".', 547)
               + "; [01000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]The "
                 "statement has been terminated. (3621)")
    wrapped = dialect.translate_error(pyodbc.IntegrityError("23000", message), None, None)
    assert (type(wrapped), wrapped.code) == (exc.IntegrityError, 547)


def test_freetds_message_form(dialect: MSDialect_pyodbc) -> None:
    orig = pyodbc.IntegrityError(
        "23000", "[23000] [FreeTDS][SQL Server]Violation of UNIQUE KEY constraint 'uq_email'. "
        "Cannot insert duplicate key in object 'dbo.users'. (2627) (SQLExecDirectW)")
    assert dialect.error_code(orig) == 2627


def test_error_without_sqlstate_keeps_driver_class(dialect: MSDialect_pyodbc) -> None:
    orig = pyodbc.ProgrammingError("Attempt to use a closed connection.")
    wrapped = dialect.translate_error(orig, None, None)
    assert type(wrapped) is exc.ProgrammingError
    assert wrapped.code is None


# -- disconnects ---------------------------------------------------------------------------

@pytest.mark.parametrize(("orig", "expected"), [
    (pyodbc.OperationalError("08S01", "[08S01] [Microsoft][ODBC Driver 18 for SQL Server]"
                             "Communication link failure (0) (SQLExecDirectW)"), True),
    (pyodbc.Error("01000", "[01000] [Microsoft][ODBC Driver 18 for SQL Server]TCP Provider: "
                  "Error code 0x68 (104) (SQLExecDirectW)"), True),
    (pyodbc.Error("01000", "[01000] [Microsoft][ODBC Driver 18 for SQL Server]"
                  "Communication link failure (0) (SQLEndTran)"), True),
    (pyodbc.OperationalError("08001", "[08001] [Microsoft][ODBC Driver 18 for SQL Server]"
                             "TCP Provider: Error code 0x2749 (10057) (SQLDriverConnect)"), True),
    (pyodbc.OperationalError("08003", "[08003] Connection not open (0) (SQLExecDirectW)"), True),
    (pyodbc.OperationalError("08007", "[08007] Connection failure during transaction (0) "
                             "(SQLEndTran)"), True),
    (pyodbc.ProgrammingError("Attempt to use a closed connection."), True),
    (pyodbc.ProgrammingError("The cursor's connection has been closed."), True),
    (pyodbc.IntegrityError("23000", _odbc_message("23000", "Violation of PRIMARY KEY "
                                                  "constraint 'pk'.", 2627)), False),
    (pyodbc.Error("01000", "[01000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]"
                  "Changed database context to 'shop'. (5701) (SQLDriverConnect)"), False),
    (pyodbc.Error("40001", _odbc_message("40001", "Transaction was deadlocked", 1205)), False),
])
def test_is_disconnect(dialect: MSDialect_pyodbc, orig: BaseException, expected: bool) -> None:
    assert dialect.is_disconnect(orig, None, None) is expected


def test_real_driver_manager_error_is_not_a_disconnect(dialect: MSDialect_pyodbc) -> None:
    with pytest.raises(pyodbc.Error) as info:
        pyodbc.connect("DRIVER={No Such Driver 99};Server=h", timeout=1)
    assert dialect.sqlstate(info.value) == "01000"
    assert dialect.is_disconnect(info.value, None, None) is False


# -- isolation levels ----------------------------------------------------------------------

@pytest.mark.parametrize(("given", "level"), [
    ("read_committed", "READ COMMITTED"),
    ("READ UNCOMMITTED", "READ UNCOMMITTED"),
    ("repeatable read", "REPEATABLE READ"),
    ("serializable", "SERIALIZABLE"),
    ("snapshot", "SNAPSHOT"),
    ("autocommit", "AUTOCOMMIT"),
])
def test_isolation_level_names(given: str, level: str) -> None:
    assert MSDialect_pyodbc(isolation_level=given).isolation_level == level


def test_unknown_isolation_level_lists_the_valid_ones() -> None:
    with pytest.raises(exc.ArgumentError, match="SNAPSHOT") as info:
        MSDialect_pyodbc(isolation_level="chaos")
    assert "'chaos'" in str(info.value)


def test_isolation_level_sql(dialect: MSDialect_pyodbc) -> None:
    assert dialect.isolation_level_sql("snapshot") == "SET TRANSACTION ISOLATION LEVEL SNAPSHOT"
    assert dialect.isolation_level_sql("read_committed") == \
        "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"
    with pytest.raises(exc.ArgumentError, match="autocommit mode"):
        dialect.isolation_level_sql("AUTOCOMMIT")


def test_create_engine_rejects_unknown_isolation_level() -> None:
    with pytest.raises(exc.ArgumentError, match="Invalid isolation level"):
        sqlwright.create_engine("mssql+pyodbc://u:p@h/db", isolation_level="LINEARIZABLE")


# -- features ------------------------------------------------------------------------------

def _features(version: tuple[int, ...] | None) -> MSFeatures:
    dialect = MSDialect_pyodbc()
    dialect.server_version_info = version
    assert isinstance(dialect.features, MSFeatures)
    return dialect.features


@pytest.mark.parametrize(("version", "flag", "expected"), [
    ((10, 50, 6000), "supports_sequences", False),  # 2008 R2
    ((11, 0, 7001), "supports_sequences", True),  # 2012
    (None, "supports_sequences", True),  # assumed 2019 before connecting
    ((15, 0, 2000), "supports_is_distinct_from", False),  # 2019
    ((16, 0, 1000, 6), "supports_is_distinct_from", True),  # 2022
    (None, "supports_is_distinct_from", False),
])
def test_version_dependent_flags(version: tuple[int, ...] | None, flag: str,
                                 expected: bool) -> None:
    assert getattr(_features(version), flag) is expected


@pytest.mark.parametrize(("flag", "expected"), [
    ("supports_insert_returning", True),
    ("supports_update_returning", True),
    ("supports_delete_returning", True),
    ("supports_multirow_insert_returning", False),
    ("supports_identity_columns", True),
    ("supports_computed_columns", True),
    ("supports_savepoints", True),
    ("supports_native_boolean", False),
    ("supports_nulls_ordering", False),
    ("supports_schemas", True),
    ("supports_transactional_ddl", True),
    ("max_identifier_length", 128),
    ("supports_default_values", True),
    ("supports_for_update", False),
    ("supports_multivalues_insert", True),
    ("supports_json", False),
    ("requires_from_clause", False),
    ("empty_string_is_null", False),
])
def test_fixed_flags(flag: str, expected: object) -> None:
    for version in [(11,), (16,), None]:
        assert getattr(_features(version), flag) == expected


def test_every_declared_flag_reads() -> None:
    features = _features((16,))
    for name in MSFeatures.flag_names():
        if name == "server_version_info":  # listed by flag_names() but not a flag
            continue
        assert isinstance(getattr(features, name), (bool, int))


# -- server version, quoting, provisioning --------------------------------------------------

@pytest.mark.parametrize(("text", "version"), [
    ("16.0.1000.6", (16, 0, 1000, 6)),
    ("15.00.4345", (15, 0, 4345)),
    ("11.0.7001.0 ", (11, 0, 7001, 0)),
    ("14.0.3465.1-beta", (14, 0, 3465)),
])
def test_parse_server_version(text: str, version: tuple[int, ...]) -> None:
    assert parse_server_version(text) == version


def test_parse_server_version_rejects_text() -> None:
    with pytest.raises(exc.ArgumentError, match="ProductVersion"):
        parse_server_version("unknown")


@pytest.mark.parametrize(("name", "quoted"), [
    ("users", "users"),
    ("select", "[select]"),
    ("transaction", "[transaction]"),
    ("Mixed", "[Mixed]"),
    ("odd]name", "[odd]]name]"),
])
def test_bracket_quoting(dialect: MSDialect_pyodbc, name: str, quoted: str) -> None:
    assert isinstance(dialect.identifier_preparer, MSSQLPreparer)
    assert dialect.identifier_preparer.quote(name) == quoted


def test_provision_sql_quotes_names() -> None:
    assert create_database_sql("test_a]b") == [
        "CREATE DATABASE [test_a]]b]",
        "ALTER DATABASE [test_a]]b] SET ALLOW_SNAPSHOT_ISOLATION ON",
    ]
    assert drop_database_sql("o'k")[0].startswith("IF DB_ID(N'o''k') IS NOT NULL")
    assert drop_database_sql("o'k")[1] == "DROP DATABASE IF EXISTS [o'k]"


# -- registry and engine ---------------------------------------------------------------------

def test_registry_finds_the_plugin() -> None:
    assert load("mssql") is MSDialect_pyodbc
    assert load("mssql+pyodbc") is MSDialect_pyodbc
    assert issubclass(MSDialect_pyodbc, MSDialect)
    info = [i for i in available() if i.name == "mssql"]
    assert [(i.driver, i.is_default, i.dbapi_importable) for i in info] == \
        [("pyodbc", True, True)]


def test_create_engine_does_not_connect() -> None:
    engine = sqlwright.create_engine(
        "mssql+pyodbc://scott:tiger@dbhost:1433/shop?driver=ODBC+Driver+18+for+SQL+Server"
        "&TrustServerCertificate=yes", fast_executemany=True)
    try:
        assert (engine.name, engine.driver) == ("mssql", "pyodbc")
        assert engine.dialect.paramstyle == "qmark"
        assert isinstance(engine.dialect, MSDialect_pyodbc)
        assert engine.dialect.fast_executemany is True
        assert engine.dialect.server_version_info is None  # never connected
        assert "tiger" not in repr(engine) and "tiger" not in repr(engine.dialect)
    finally:
        engine.dispose()
