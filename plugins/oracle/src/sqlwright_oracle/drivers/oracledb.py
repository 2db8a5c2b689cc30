"""python-oracledb in thin mode as a sqlwright driver: pure Python, no Oracle Client libraries."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright_oracle.dialect import ERROR_CODE, OracleDialect, parse_server_version

if TYPE_CHECKING:
    from sqlwright.engine.url import URL

#: Error codes that mean the session is gone and the connection must be replaced.
DISCONNECT_CODES = frozenset({
    "DPY-1001",  # not connected to database
    "DPY-4011",  # the database or network closed the connection
    "DPI-1010",  # not connected
    "DPI-1080",  # connection was closed by ORA-%d
    "ORA-00028",  # your session has been killed
    "ORA-01012",  # not logged on
    "ORA-01033",  # initialization or shutdown in progress
    "ORA-01089",  # immediate shutdown in progress
    "ORA-02396",  # exceeded maximum idle time
    "ORA-03113",  # end-of-file on communication channel
    "ORA-03114",  # not connected to ORACLE
    "ORA-03135",  # connection lost contact
    "ORA-12537",  # TNS: connection closed
    "ORA-12541",  # TNS: no listener
    "ORA-12547",  # TNS: lost contact
})

_BOOL_OPTIONS = frozenset({"events", "disable_oob", "externalauth", "ssl_server_dn_match",
                           "use_tcp_fast_open", "use_sni", "matchanytag"})
_INT_OPTIONS = frozenset({"expire_time", "retry_count", "retry_delay", "stmtcachesize", "sdu",
                          "https_proxy_port"})
_FLOAT_OPTIONS = frozenset({"tcp_connect_timeout"})
#: Options of Oracle Client (thick mode), which this dialect never loads.
_THICK_ONLY = frozenset({"lib_dir", "driver_name_thick", "thick_mode", "encoding", "nencoding"})
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _single(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    raise exc.ArgumentError(
        f"The URL query option {name!r} is given {len(value)} times; give it once.")


def _convert(name: str, value: str) -> Any:
    try:
        if name in _INT_OPTIONS:
            return int(value)
        if name in _FLOAT_OPTIONS:
            return float(value)
    except ValueError:
        raise exc.ArgumentError(
            f"The URL query option {name}={value!r} must be a number, e.g. {name}=10.") from None
    if name in _BOOL_OPTIONS:
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise exc.ArgumentError(
            f"The URL query option {name}={value!r} must be true or false (also yes/no, 1/0).")
    return value


class OracleDialect_oracledb(OracleDialect):
    """Oracle through python-oracledb, always in thin mode (``init_oracle_client`` is never
    called, so no Oracle Client libraries are needed)."""

    driver = "oracledb"
    dbapi_module = "oracledb"
    dbapi_package = "oracledb"
    paramstyle = "named"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Oracle offers no unprivileged query for a session's level: remember what was set.
        self._levels: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()

    # -- connecting -------------------------------------------------------------------------
    def create_connect_args(self, url: URL) -> tuple[Sequence[Any], dict[str, Any]]:
        """``oracledb.connect()`` keywords from a URL.

        ``oracle+oracledb://user:pw@host:1521/SERVICE`` or ``...@host:1521?service_name=SERVICE``
        connect to a service, ``...@host:1521?sid=ORCL`` to a SID; a host with no port and no
        database (``...@mytns``), or ``?dsn=...``, is a DSN passed to the driver whole: a TNS
        alias, an Easy Connect string or a ``(DESCRIPTION=...)`` descriptor. Other query
        options are ``oracledb.connect()`` keywords (``mode=SYSDBA``, ``events=true``, ...).
        """
        query = {name.lower(): _single(name, value) for name, value in url.query.items()}
        thick = sorted(_THICK_ONLY.intersection(query))
        if thick:
            raise exc.ArgumentError(
                f"{', '.join(thick)} belong(s) to oracledb's thick mode (Oracle Client "
                "libraries); sqlwright's oracle dialect runs in thin mode only. Remove the "
                "option; thin mode needs no client libraries and always uses UTF-8.")
        kwargs: dict[str, Any] = {}
        if url.username is not None:
            kwargs["user"] = url.username
        if url.password is not None:
            kwargs["password"] = url.password
        kwargs.update(self._address(url, query))
        if "mode" in query:
            kwargs["mode"] = self._auth_mode(query.pop("mode"))
        kwargs.update((name, _convert(name, value)) for name, value in query.items())
        return [], kwargs

    @staticmethod
    def _address(url: URL, query: dict[str, str]) -> dict[str, Any]:
        """Pop dsn / service_name / sid from ``query``; the address keywords for connect()."""
        dsn, service, sid = (query.pop(k, None) for k in ("dsn", "service_name", "sid"))
        if dsn is not None:
            extra = [n for n, v in (("host", url.host), ("port", url.port),
                                    ("database", url.database), ("service_name", service),
                                    ("sid", sid)) if v is not None]
            if extra:
                raise exc.ArgumentError(
                    f"?dsn= is a complete address, but the URL also gives {', '.join(extra)}; "
                    "put everything in the DSN or drop dsn=.")
            return {"dsn": dsn}
        if url.host and url.port is None and not (url.database or service or sid):
            return {"dsn": url.host}  # TNS alias, Easy Connect string or descriptor
        if sum(v is not None for v in (url.database, service, sid)) > 1:
            raise exc.ArgumentError(
                "Name the Oracle database once: as the URL path (a service name), as "
                "?service_name=..., or as ?sid=...; this URL gives more than one.")
        address: dict[str, Any] = {}
        if url.host:
            address["host"] = url.host
        if url.port is not None:
            address["port"] = url.port
        if sid is not None:
            address["sid"] = sid
        elif service or url.database:
            address["service_name"] = service or url.database
        else:
            raise exc.ArgumentError(
                "The Oracle URL names no database: add the service name as the path "
                "(oracle+oracledb://user:pw@host:1521/FREEPDB1), ?service_name=..., or ?sid=...")
        return address

    def _auth_mode(self, value: str) -> Any:
        name = value.upper().removeprefix("AUTH_MODE_")
        try:
            return self.dbapi.AuthMode[name]
        except KeyError:
            choices = ", ".join(m.name for m in self.dbapi.AuthMode)
            raise exc.ArgumentError(
                f"Unknown Oracle authentication mode {value!r}; use one of {choices}, "
                "e.g. ?mode=SYSDBA.") from None

    def get_server_version_info(self, dbapi_connection: Any) -> tuple[int, ...]:
        """The server version the driver reports in ``connection.version``."""
        return parse_server_version(dbapi_connection.version)

    def do_ping(self, dbapi_connection: Any) -> bool:
        """A round trip through ``connection.ping()``; raises the driver's error when dead."""
        dbapi_connection.ping()
        return True

    # -- isolation --------------------------------------------------------------------------
    def set_isolation_level(self, dbapi_connection: Any, level: str) -> None:
        """AUTOCOMMIT through oracledb's ``autocommit``; READ COMMITTED or SERIALIZABLE by
        ALTER SESSION, which lasts for the session."""
        if level == "AUTOCOMMIT":
            dbapi_connection.autocommit = True
            return
        sql = self.isolation_level_sql(level)
        dbapi_connection.autocommit = False
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(sql)
        finally:
            cursor.close()
        self._levels[dbapi_connection] = level

    def get_isolation_level(self, dbapi_connection: Any) -> str:
        """AUTOCOMMIT when oracledb's autocommit is on, else the level this dialect last set
        (READ COMMITTED, Oracle's default, when it set none)."""
        if getattr(dbapi_connection, "autocommit", False):
            return "AUTOCOMMIT"
        return self._levels.get(dbapi_connection, "READ COMMITTED")

    # -- errors -----------------------------------------------------------------------------
    def error_code(self, e: BaseException) -> str | int | None:
        """The full Oracle code: ``"ORA-00001"``, ``"DPY-4011"``, from the driver's error
        object, else the first code in the message."""
        args: tuple[Any, ...] = getattr(e, "args", ())
        full_code = getattr(args[0], "full_code", None) if args else None
        if full_code:
            return str(full_code)
        match = ERROR_CODE.search(str(e))
        return match.group(1) if match else None

    def is_disconnect(self, e: BaseException, dbapi_connection: Any, cursor: Any) -> bool:
        """True when the driver marks the session dead, or the message carries a code of
        :data:`DISCONNECT_CODES` (ORA-03113, DPY-4011, ...)."""
        args: tuple[Any, ...] = getattr(e, "args", ())
        if args and getattr(args[0], "is_session_dead", False):
            return True
        return not DISCONNECT_CODES.isdisjoint(ERROR_CODE.findall(str(e)))
