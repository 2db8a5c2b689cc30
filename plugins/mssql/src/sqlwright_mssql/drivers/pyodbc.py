"""pyodbc as a sqlwright driver for SQL Server (Microsoft's ODBC Driver 18, or FreeTDS)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright_mssql.dialect import MSDialect

if TYPE_CHECKING:
    from sqlwright.engine.url import URL

DEFAULT_ODBC_DRIVER = "ODBC Driver 18 for SQL Server"

#: URL query options that are ``pyodbc.connect()`` keywords, not connection string keywords.
_PYODBC_KEYWORDS = {"autocommit": "bool", "ansi": "bool", "readonly": "bool", "timeout": "int"}
#: Options sqlwright reads itself.
_URL_ONLY = frozenset({"driver", "odbc_connect", "dsn"})

#: SQLSTATEs that always mean the connection is gone.
_DISCONNECT_SQLSTATES = frozenset({"08S01", "08S02", "08001", "08003", "08007"})

#: pyodbc appends ``(native error) (ODBC function)`` to each diagnostic record.
_NATIVE_NUMBER = re.compile(r"\((-?\d+)\)\s*\(SQL[A-Za-z]+\)")
_TRAILING_NUMBER = re.compile(r"\((-?\d+)\)\s*(?:;|$)")
_SQLSTATE = re.compile(r"^[0-9A-Z]{5}$")
_BAD_KEY_CHARS = frozenset("=;{}[]")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def odbc_value(value: str, always: bool = False) -> str:
    """Quote a connection string value the ODBC way when it needs it (or ``always``).

    Values holding ``;``, ``{`` or ``}``, or starting or ending with a space, are wrapped in
    braces with each ``}`` doubled; other values are returned unchanged.
    """
    if always or any(c in value for c in ";{}") or value != value.strip():
        return "{" + value.replace("}", "}}") + "}"
    return value


def build_connection_string(pairs: Sequence[tuple[str, str]]) -> str:
    """Join ``(keyword, value)`` pairs into ``Key=value;Key2=value2`` with ODBC quoting.

    The DRIVER value is always braced (``DRIVER={ODBC Driver 18 for SQL Server}``).

    Raises ArgumentError for a keyword ODBC cannot carry (holding ``=;{}[]`` or empty).
    """
    parts = []
    for key, value in pairs:
        if not key or any(c in _BAD_KEY_CHARS for c in key):
            raise exc.ArgumentError(
                f"{key!r} cannot be an ODBC connection string keyword (it is empty or holds one "
                "of = ; { } [ ]); check the spelling of the URL query option.")
        parts.append(f"{key}={odbc_value(value, always=key.upper() == 'DRIVER')}")
    return ";".join(parts)


def _own_name(name: str) -> str:
    """sqlwright's own option names match in any case; ODBC keywords keep theirs."""
    lowered = name.lower()
    return lowered if lowered in _URL_ONLY or lowered in _PYODBC_KEYWORDS else name


def _single(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    raise exc.ArgumentError(
        f"The URL query option {name!r} is given {len(value)} times; give it once.")


def _convert(name: str, value: str, kind: str) -> Any:
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            raise exc.ArgumentError(
                f"The URL query option {name}={value!r} must be an integer, e.g. {name}=30."
            ) from None
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise exc.ArgumentError(
        f"The URL query option {name}={value!r} must be true or false (also yes/no, 1/0).")


class MSDialect_pyodbc(MSDialect):
    """SQL Server through pyodbc.

    ``create_engine(..., fast_executemany=True)`` turns on pyodbc's array binding for
    executemany (much faster bulk inserts; see the pyodbc documentation for its limits).
    """

    driver = "pyodbc"
    dbapi_module = "pyodbc"
    dbapi_package = "pyodbc"
    paramstyle = "qmark"
    disconnect_messages = (
        "communication link failure",
        "tcp provider",
        "attempt to use a closed connection",
        "the cursor's connection has been closed",
        "connection is broken and recovery is not possible",
        "no process is on the other end of the pipe",
    )

    def __init__(self, *, fast_executemany: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fast_executemany = fast_executemany

    # -- connecting -------------------------------------------------------------------------
    def create_connect_args(self, url: URL) -> tuple[Sequence[Any], dict[str, Any]]:
        """``pyodbc.connect()`` arguments: one ODBC connection string plus pyodbc keywords.

        ``?odbc_connect=<percent-encoded string>`` passes a complete string through unchanged;
        ``?dsn=name`` names a configured data source instead of a driver; otherwise the string
        is ``DRIVER={driver};Server=host,port;Database=db;UID=user;PWD=password`` followed by
        every other query option (``TrustServerCertificate=yes``, ``Encrypt=...``). With no
        user name (and no ``authentication`` option) the login is ``Trusted_Connection=yes``.
        ``autocommit``, ``ansi``, ``readonly`` and ``timeout`` go to ``pyodbc.connect()``.
        """
        query = {_own_name(name): _single(name, value) for name, value in url.query.items()}
        kwargs = {name: _convert(name, query.pop(name), kind)
                  for name, kind in _PYODBC_KEYWORDS.items() if name in query}
        if "odbc_connect" in query:
            return [self._passthrough(url, query)], kwargs
        pairs = self._server_pairs(url, query)
        pairs += [(name, value) for name, value in query.items() if name not in _URL_ONLY]
        return [build_connection_string(pairs)], kwargs

    @staticmethod
    def _passthrough(url: URL, query: Mapping[str, str]) -> str:
        extra = [name for name in query if name != "odbc_connect"]
        parts = [name for name in ("username", "password", "host", "port", "database")
                 if getattr(url, name) is not None]
        if extra or parts:
            raise exc.ArgumentError(
                "odbc_connect passes a complete ODBC connection string, so the URL must carry "
                f"nothing else, but it also has: {', '.join(parts + extra)}. Move those into "
                "the odbc_connect string (Server=...;UID=...), or drop odbc_connect.")
        return query["odbc_connect"]

    @staticmethod
    def _server_pairs(url: URL, query: Mapping[str, str]) -> list[tuple[str, str]]:
        options = {name.lower() for name in query}
        if "dsn" in query:
            pairs = [("DSN", query["dsn"])]
        else:
            pairs = [("DRIVER", query.get("driver", DEFAULT_ODBC_DRIVER).strip("{}"))]
        if url.host:
            server = f"{url.host},{url.port}" if url.port else url.host
            pairs.append(("Server", server))
        if url.database:
            pairs.append(("Database", url.database))
        if url.username:
            pairs.append(("UID", url.username))
            if url.password is not None:
                pairs.append(("PWD", url.password))
        elif url.password is not None:
            raise exc.ArgumentError(
                "The SQL Server URL has a password but no user name; write "
                "mssql+pyodbc://user:password@host/database.")
        elif not options & {"authentication", "uid", "trusted_connection"}:
            pairs.append(("Trusted_Connection", "yes"))
        return pairs

    # -- executing --------------------------------------------------------------------------
    def executemany_rows(self, cursor: Any, statement: str, parameters: Sequence[Any]) -> None:
        """executemany, with pyodbc's array binding when ``fast_executemany`` is on."""
        if self.fast_executemany:
            cursor.fast_executemany = True
        cursor.executemany(statement, parameters)

    # -- isolation --------------------------------------------------------------------------
    def set_isolation_level(self, dbapi_connection: Any, level: str) -> None:
        """AUTOCOMMIT through pyodbc's ``autocommit``; others by SET TRANSACTION ISOLATION LEVEL."""
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
        # SNAPSHOT applies from the next transaction on: end the current (empty) one.
        dbapi_connection.commit()

    def get_isolation_level(self, dbapi_connection: Any) -> str:
        """AUTOCOMMIT when pyodbc's autocommit is on, else the session's level."""
        if getattr(dbapi_connection, "autocommit", False):
            return "AUTOCOMMIT"
        return super().get_isolation_level(dbapi_connection)

    # -- errors -----------------------------------------------------------------------------
    @staticmethod
    def sqlstate(e: BaseException) -> str | None:
        """The SQLSTATE pyodbc puts in ``args[0]`` (``"23000"``), or None."""
        args: tuple[Any, ...] = getattr(e, "args", ())
        if len(args) >= 2 and isinstance(args[0], str) and _SQLSTATE.match(args[0]):
            return args[0]
        return None

    def error_code(self, e: BaseException) -> str | int | None:
        """SQL Server's native error number (``2627``) from pyodbc's message, else the SQLSTATE
        (driver manager errors carry the number 0, which names nothing)."""
        args: tuple[Any, ...] = getattr(e, "args", ())
        message = str(args[-1]) if args else str(e)
        match = _NATIVE_NUMBER.search(message) or _TRAILING_NUMBER.search(message)
        if match is not None and int(match.group(1)) != 0:
            return int(match.group(1))
        return self.sqlstate(e)

    def is_disconnect(self, e: BaseException, dbapi_connection: Any,
                      cursor: Any) -> bool:
        """True for a connection-class SQLSTATE (08S01, 08001, 08003, 08007, 08S02) or a
        message saying the link is gone (SQLSTATE 01000 "Communication link failure", "TCP
        Provider: ...", pyodbc's "Attempt to use a closed connection")."""
        if self.sqlstate(e) in _DISCONNECT_SQLSTATES:
            return True
        return super().is_disconnect(e, dbapi_connection, cursor)
