"""PyMySQL as a sqlwright driver for MySQL and MariaDB."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright_mysql.dialect import MySQLDialect

if TYPE_CHECKING:
    from sqlwright.engine.url import URL

# pymysql.constants.CLIENT.FOUND_ROWS and SERVER_STATUS.SERVER_STATUS_IN_TRANS; copied so that
# importing this module does not import the driver.
CLIENT_FOUND_ROWS = 2
_SERVER_STATUS_IN_TRANS = 1


def _as_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _as_number(value: str) -> int | float:
    try:
        return int(value)
    except ValueError:
        return float(value)


#: URL query options and how each is converted for ``pymysql.connect()``.
URL_OPTIONS: dict[str, Callable[[str], Any]] = {
    **dict.fromkeys(
        ("charset", "collation", "sql_mode", "unix_socket", "init_command", "read_default_file",
         "read_default_group", "bind_address", "program_name", "server_public_key", "ssl_ca",
         "ssl_cert", "ssl_key", "ssl_key_password"), str),
    **dict.fromkeys(("connect_timeout", "read_timeout", "write_timeout"), _as_number),
    **dict.fromkeys(("max_allowed_packet", "client_flag"), int),
    **dict.fromkeys(("local_infile", "use_unicode", "binary_prefix", "ssl_disabled",
                     "ssl_verify_cert", "ssl_verify_identity"), _as_bool),
}

DEFAULT_CHARSET = "utf8mb4"


class MySQLDialect_pymysql(MySQLDialect):
    """MySQL and MariaDB through ``pymysql``.

    Connections run with ``autocommit`` off (the server then begins transactions implicitly)
    and with the FOUND_ROWS client flag, so UPDATE's rowcount counts matched rows, as on
    every other database.
    """

    driver = "pymysql"
    is_default_driver = True
    dbapi_module = "pymysql"
    dbapi_package = "pymysql"
    paramstyle = "pyformat"

    def create_connect_args(self, url: URL) -> tuple[Sequence[Any], dict[str, Any]]:
        """``pymysql.connect()`` keywords from the URL; see :data:`URL_OPTIONS` for the query
        options. ``charset`` defaults to utf8mb4; ``client_flag`` always includes FOUND_ROWS."""
        opts: dict[str, Any] = url.translate_connect_args(username="user")
        unknown = sorted(set(url.query) - set(URL_OPTIONS))
        if unknown:
            raise exc.ArgumentError(
                f"Unknown MySQL URL option(s): {', '.join(unknown)}. The URL accepts "
                f"{', '.join(sorted(URL_OPTIONS))}; pass other pymysql.connect() arguments "
                "with create_engine(url, connect_args={...})")
        for key, value in url.query.items():
            if isinstance(value, tuple):
                raise exc.ArgumentError(
                    f"MySQL URL option {key!r} is given {len(value)} times; give it once")
            try:
                opts[key] = URL_OPTIONS[key](value)
            except ValueError as err:
                raise exc.ArgumentError(
                    f"MySQL URL option {key}={value!r} is not valid ({err}); fix its value"
                ) from None
        opts.setdefault("charset", DEFAULT_CHARSET)
        opts["client_flag"] = opts.get("client_flag", 0) | CLIENT_FOUND_ROWS
        return [], opts

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        """Open a connection, keeping FOUND_ROWS even when ``connect_args`` replaced
        ``client_flag``."""
        cparams["client_flag"] = int(cparams.get("client_flag", 0)) | CLIENT_FOUND_ROWS
        return self.dbapi.connect(*cargs, **cparams)

    def query_scalar(self, dbapi_connection: Any, sql: str) -> Any:
        """Run ``sql``; if this opened a transaction on an idle connection, end it again."""
        idle = (not dbapi_connection.get_autocommit()
                and not dbapi_connection.server_status & _SERVER_STATUS_IN_TRANS)
        try:
            return super().query_scalar(dbapi_connection, sql)
        finally:
            if (idle and dbapi_connection.open
                    and dbapi_connection.server_status & _SERVER_STATUS_IN_TRANS):
                dbapi_connection.rollback()

    def do_execute(self, cursor: Any, statement: str, parameters: Any,
                   context: Any = None) -> None:
        """Run a compiled statement; with no parameters PyMySQL still gets a dict, so the
        ``%%`` the compiler wrote for a literal ``%`` is read back as one ``%``."""
        cursor.execute(statement, {} if parameters is None else parameters)

    def do_ping(self, dbapi_connection: Any) -> bool:
        """``ping(reconnect=False)``: a dead connection raises rather than reconnecting behind
        the pool's back."""
        dbapi_connection.ping(reconnect=False)
        return True

    def set_isolation_level(self, dbapi_connection: Any, level: str) -> None:
        """AUTOCOMMIT turns on the driver's autocommit; other levels turn it off and run
        SET SESSION TRANSACTION ISOLATION LEVEL."""
        if level == "AUTOCOMMIT":
            dbapi_connection.autocommit(True)
            return
        dbapi_connection.autocommit(False)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SET SESSION TRANSACTION ISOLATION LEVEL {level}")
        finally:
            cursor.close()

    def get_isolation_level(self, dbapi_connection: Any) -> str:
        """``"AUTOCOMMIT"`` in driver autocommit mode, else the session's level."""
        if dbapi_connection.get_autocommit():
            return "AUTOCOMMIT"
        return super().get_isolation_level(dbapi_connection)

    def is_disconnect(self, e: BaseException, dbapi_connection: Any, cursor: Any) -> bool:
        """True for the connection-lost error numbers, and for any driver error on a
        connection PyMySQL has closed (its InterfaceError ``(0, '')``)."""
        if not isinstance(e, self.dbapi.Error):
            return False
        if isinstance(e, self.dbapi.InterfaceError) and (
                "(0, '')" in str(e) or "already closed" in str(e).lower()):
            return True
        if dbapi_connection is not None and not getattr(dbapi_connection, "open", True):
            return True
        return super().is_disconnect(e, dbapi_connection, cursor)
