"""The standard library's sqlite3 module as a sqlwright driver."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright_sqlite.dialect import SQLiteDialect

if TYPE_CHECKING:
    from sqlwright.engine.url import URL

_MEMORY = (None, "", ":memory:")


class SQLiteDialect_pysqlite(SQLiteDialect):
    """SQLite through ``sqlite3``.

    The driver's own transaction handling (implicit BEGIN before DML only) breaks savepoints
    and DDL in transactions, so connections run with ``isolation_level=None`` and this dialect
    emits BEGIN itself when a sqlwright transaction starts.
    """

    driver = "pysqlite"
    dbapi_module = "sqlite3"
    dbapi_package = "(the standard library's sqlite3; rebuild Python with libsqlite3)"
    paramstyle = "qmark"

    @staticmethod
    def is_memory(url: URL) -> bool:
        """True for ``sqlite://`` and ``sqlite:///:memory:`` (and memory URIs)."""
        database = url.database
        if database in _MEMORY:
            return True
        return bool(database and database.startswith("file:") and "mode=memory" in
                    "&".join(f"{k}={v}" for k, v in url.query.items()))

    def create_connect_args(self, url: URL) -> tuple[Sequence[Any], dict[str, Any]]:
        """``sqlite3.connect()`` arguments: the file name, ``uri=true`` and driver options."""
        query = dict(url.query)
        opts: dict[str, Any] = {}
        use_uri = str(query.pop("uri", "false")).lower() in ("true", "1")
        for key, convert in (("timeout", float), ("detect_types", int),
                             ("check_same_thread", _as_bool), ("cached_statements", int)):
            if key in query:
                opts[key] = convert(query.pop(key))
        database = url.database or ":memory:"
        if use_uri:
            opts["uri"] = True
            if query:  # remaining query options belong to the SQLite URI
                sep = "&" if "?" in database else "?"
                database += sep + "&".join(f"{k}={v}" for k, v in query.items())
        elif query:
            raise exc.ArgumentError(
                f"Unknown SQLite URL option(s): {', '.join(sorted(query))}. SQLite URI "
                "parameters need uri=true: sqlite:///file:data.db?mode=ro&uri=true"
            )
        return [database], opts

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        """Open a connection in driver-autocommit mode (sqlwright emits BEGIN itself)."""
        cparams.setdefault("isolation_level", None)
        return self.dbapi.connect(*cargs, **cparams)

    def get_pool_class(self, url: URL) -> type:
        """SingletonThreadPool for in-memory databases (one database per connection), else
        QueuePool."""
        from sqlwright.pool import QueuePool, SingletonThreadPool

        return SingletonThreadPool if self.is_memory(url) else QueuePool

    def on_connect(self, dbapi_connection: Any) -> None:
        """Turn on foreign keys and apply the engine's isolation level."""
        if self.foreign_keys:
            dbapi_connection.execute("PRAGMA foreign_keys = ON")
        super().on_connect(dbapi_connection)

    def get_server_version_info(self, dbapi_connection: Any) -> tuple[int, ...]:
        """The SQLite library version."""
        return tuple(self.dbapi.sqlite_version_info)

    def get_default_schema_name(self, dbapi_connection: Any) -> str:
        """SQLite's main database."""
        return "main"

    def do_begin(self, dbapi_connection: Any) -> None:
        """Start a transaction explicitly (the connection is in driver-autocommit mode)."""
        dbapi_connection.execute("BEGIN")

    def do_commit(self, dbapi_connection: Any) -> None:
        """Commit when a transaction is open."""
        if dbapi_connection.in_transaction:
            dbapi_connection.execute("COMMIT")

    def do_rollback(self, dbapi_connection: Any) -> None:
        """Roll back when a transaction is open."""
        if dbapi_connection.in_transaction:
            dbapi_connection.execute("ROLLBACK")

    def set_isolation_level(self, dbapi_connection: Any, level: str) -> None:
        """SERIALIZABLE (SQLite's behaviour), READ UNCOMMITTED (shared cache), or AUTOCOMMIT."""
        uncommitted = 1 if level == "READ UNCOMMITTED" else 0
        dbapi_connection.execute(f"PRAGMA read_uncommitted = {uncommitted}")

    def get_isolation_level(self, dbapi_connection: Any) -> str:
        """READ UNCOMMITTED when that pragma is on, else SERIALIZABLE."""
        value = dbapi_connection.execute("PRAGMA read_uncommitted").fetchone()[0]
        return "READ UNCOMMITTED" if value else "SERIALIZABLE"

    def error_code(self, e: BaseException) -> str | int | None:
        """The SQLite extended error name, e.g. ``SQLITE_CONSTRAINT_UNIQUE``."""
        return getattr(e, "sqlite_errorname", None)


def _as_bool(value: str) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")
