"""psycopg2 as a sqlwright driver for PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlwright_postgresql.dialect import PGDialect

if TYPE_CHECKING:
    from sqlwright.engine.url import URL

# psycopg2.extensions.TRANSACTION_STATUS_*; copied so that importing this module does not
# import the driver.
_STATUS_IDLE = 0
_STATUS_INTRANS = 2
_STATUS_INERROR = 3


class PGDialect_psycopg2(PGDialect):
    """PostgreSQL through ``psycopg2``.

    psycopg2 begins a transaction implicitly before the first statement, so ``do_begin`` does
    nothing; AUTOCOMMIT is the driver's ``connection.autocommit``. Every URL query option is a
    libpq connection parameter (``sslmode``, ``connect_timeout``, ``application_name``,
    ``options``, ``host`` for a unix socket directory, ...) and is passed through unchanged.
    """

    driver = "psycopg2"
    is_default_driver = True
    dbapi_module = "psycopg2"
    dbapi_package = "psycopg2-binary"
    paramstyle = "pyformat"

    def create_connect_args(self, url: URL) -> tuple[Sequence[Any], dict[str, Any]]:
        """``psycopg2.connect()`` keywords: host, port, dbname, user, password and every query
        option; a repeated ``host`` (``?host=a:5432&host=b:5433``) lists several servers."""
        opts: dict[str, Any] = url.translate_connect_args(username="user", database="dbname")
        for key, value in url.query.items():
            if key == "host" and isinstance(value, tuple):
                opts.update(_multi_host(value, opts.get("port")))
            elif isinstance(value, tuple):
                opts[key] = ",".join(value)
            else:
                opts[key] = value
        return [], opts

    def query_scalar(self, dbapi_connection: Any, sql: str) -> Any:
        """Run ``sql``; if this opened a transaction on an idle connection, end it again, so
        that introspection never leaves a connection "idle in transaction"."""
        idle = (not dbapi_connection.autocommit
                and dbapi_connection.get_transaction_status() == _STATUS_IDLE)
        try:
            return super().query_scalar(dbapi_connection, sql)
        finally:
            if idle and dbapi_connection.get_transaction_status() in (_STATUS_INTRANS,
                                                                      _STATUS_INERROR):
                dbapi_connection.rollback()

    def get_server_version_info(self, dbapi_connection: Any) -> tuple[int, ...]:
        """The version from psycopg2's ``server_version`` (e.g. 150004 -> (15, 4))."""
        number = int(dbapi_connection.server_version)
        if number >= 100000:
            return (number // 10000, number % 10000)
        return (number // 10000, number // 100 % 100, number % 100)

    def do_execute(self, cursor: Any, statement: str, parameters: Any,
                   context: Any = None) -> None:
        """Run a compiled statement; with no parameters psycopg2 still gets a dict, so the
        ``%%`` the compiler wrote for a literal ``%`` is read back as one ``%``."""
        cursor.execute(statement, {} if parameters is None else parameters)

    def do_ping(self, dbapi_connection: Any) -> bool:
        """``SELECT 1``, leaving an idle connection idle."""
        self.query_scalar(dbapi_connection, "SELECT 1")
        return True

    def set_isolation_level(self, dbapi_connection: Any, level: str) -> None:
        """AUTOCOMMIT sets ``connection.autocommit``; other levels go to ``set_session()``.

        psycopg2 refuses both inside a transaction: commit or roll back first.
        """
        if level == "AUTOCOMMIT":
            dbapi_connection.autocommit = True
            return
        dbapi_connection.autocommit = False
        dbapi_connection.set_session(isolation_level=level)

    def get_isolation_level(self, dbapi_connection: Any) -> str:
        """``"AUTOCOMMIT"`` in driver autocommit mode, else the server's transaction level."""
        if dbapi_connection.autocommit:
            return "AUTOCOMMIT"
        return super().get_isolation_level(dbapi_connection)

    def sqlstate(self, e: BaseException) -> str | None:
        """psycopg2's ``pgcode``."""
        return getattr(e, "pgcode", None)

    def is_disconnect(self, e: BaseException, dbapi_connection: Any, cursor: Any) -> bool:
        """True when psycopg2 marked the connection closed, or for a disconnect SQLSTATE or
        message ("server closed the connection unexpectedly", "terminating connection", ...)."""
        if not isinstance(e, self.dbapi.Error):
            return False
        if dbapi_connection is not None and getattr(dbapi_connection, "closed", False):
            return True
        return super().is_disconnect(e, dbapi_connection, cursor)


def _multi_host(hosts: Sequence[str], url_port: Any) -> dict[str, str]:
    """libpq's comma-separated ``host`` and ``port`` lists from ``host[:port]`` entries."""
    names: list[str] = []
    ports: list[str] = []
    for entry in hosts:
        name, sep, port = entry.rpartition(":") if not entry.startswith("/") else ("", "", "")
        if sep and port.isdigit():
            names.append(name)
            ports.append(port)
        else:
            names.append(entry)
            ports.append(str(url_port) if url_port is not None else "")
    opts = {"host": ",".join(names)}
    if any(ports):
        opts["port"] = ",".join(ports)
    return opts
