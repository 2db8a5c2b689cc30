"""Dialect: everything sqlwright knows about one database through one DBAPI driver.

A plugin subclasses :class:`Dialect` once per database (the shared base in its ``dialect.py``)
and once per driver (``drivers/<driver>.py``), binding its parts by class attribute. Nothing here
asks which database it is: behaviour differences are class attributes, :class:`Features` flags
and overridden methods.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.dialects.features import Features
from sqlwright.sql.compiler import SQLCompiler
from sqlwright.sql.ddl_compiler import DDLCompiler
from sqlwright.sql.quoting import IdentifierPreparer
from sqlwright.sql.type_compiler import TypeCompiler
from sqlwright.types.base import TypeEngine

if TYPE_CHECKING:
    from sqlwright.engine.url import URL

__all__ = ["DBAPIConnection", "DefaultDialect", "DefaultFeatures", "Dialect"]

DBAPIConnection = Any
DBAPICursor = Any

_ISOLATION_LEVELS = ("SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED")


class Dialect:
    """One database reached through one DBAPI driver.

    Class attributes a plugin sets:

    ``name`` / ``driver``           e.g. ``"postgresql"`` / ``"psycopg2"``
    ``is_default_driver``           answers a URL naming no driver
    ``dbapi_module``                import name of the DBAPI module (``"psycopg2"``)
    ``dbapi_package``               what to ``pip install`` for it (``"psycopg2-binary"``)
    ``paramstyle``                  the driver's PEP 249 paramstyle
    ``features_class``              the :class:`Features` subclass
    ``statement_compiler``          the SQL compiler class
    ``ddl_compiler``                the DDL compiler class
    ``type_compiler``               the type (DDL type name) compiler class
    ``preparer``                    the :class:`IdentifierPreparer` subclass (quoting rules)
    ``inspector``                   the reflection implementation class
    ``colspecs``                    portable type class -> dialect implementation class
    ``ischema_names``               reflected type name -> portable type class
    ``default_isolation_level_name``the level a fresh connection has, when known statically
    """

    name: ClassVar[str] = "default"
    driver: ClassVar[str] = ""
    is_default_driver: ClassVar[bool] = True
    dbapi_module: ClassVar[str] = ""
    dbapi_package: ClassVar[str] = ""
    paramstyle: str = "named"
    features_class: ClassVar[type[Features]] = Features
    statement_compiler: ClassVar[type[SQLCompiler]] = SQLCompiler
    ddl_compiler: ClassVar[type[DDLCompiler]] = DDLCompiler
    type_compiler: ClassVar[type[TypeCompiler]] = TypeCompiler
    preparer: ClassVar[type[IdentifierPreparer]] = IdentifierPreparer
    inspector: ClassVar[type[Any] | None] = None
    colspecs: ClassVar[dict[type[TypeEngine], type[TypeEngine]]] = {}
    ischema_names: ClassVar[dict[str, type[TypeEngine]]] = {}
    #: the default pool class for a URL; plugins override :meth:`get_pool_class`
    default_schema_name: str | None = None
    #: the isolation levels set_isolation_level accepts
    isolation_levels: ClassVar[tuple[str, ...]] = (*_ISOLATION_LEVELS, "AUTOCOMMIT")
    #: DBAPI connection errors carrying one of these substrings are disconnects
    disconnect_messages: ClassVar[tuple[str, ...]] = ()
    #: Python default for a statement's execution-time connection options
    supports_server_side_cursors: ClassVar[bool] = False
    #: the name of this dialect's executemany batching strategy (see do_executemany)
    bind_typing_render_casts: ClassVar[bool] = False

    def __init__(
        self,
        *,
        isolation_level: str | None = None,
        paramstyle: str | None = None,
        json_serializer: Any = None,
        json_deserializer: Any = None,
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise exc.ArgumentError(
                f"Unknown argument(s) for the {self.name} dialect: {', '.join(sorted(kwargs))}")
        if paramstyle is not None:
            self.paramstyle = paramstyle
        self.isolation_level = self.check_isolation_level(isolation_level)
        self.json_serializer = json_serializer
        self.json_deserializer = json_deserializer
        self.server_version_info: tuple[int, ...] | None = None
        self.default_isolation_level: str | None = None
        self.features = self.features_class(self)
        self.identifier_preparer = self.preparer(self)
        self.type_compiler_instance = self.type_compiler(self)
        self._type_memos: dict[TypeEngine, TypeEngine] = {}
        self._dbapi: ModuleType | None = None
        self._initialized = False

    # -- the DBAPI module -------------------------------------------------------------------
    @classmethod
    def import_dbapi(cls) -> ModuleType:
        """Import the DBAPI module, or raise an error naming the package to install."""
        try:
            return importlib.import_module(cls.dbapi_module)
        except ImportError as err:
            raise exc.MissingDBAPIError(
                f"The {cls.name}+{cls.driver} dialect needs the {cls.dbapi_module!r} module, "
                f"which could not be imported ({err}). Install it: pip install "
                f"{cls.dbapi_package or cls.dbapi_module}"
            ) from err

    @property
    def dbapi(self) -> ModuleType:
        """The DBAPI module, imported on first use."""
        if self._dbapi is None:
            self._dbapi = self.import_dbapi()
        return self._dbapi

    # -- connecting -------------------------------------------------------------------------
    def create_connect_args(self, url: URL) -> tuple[Sequence[Any], dict[str, Any]]:
        """Positional and keyword arguments for ``dbapi.connect()`` from a URL."""
        opts = url.translate_connect_args()
        opts.update(url.query)
        return [], opts

    def connect(self, *cargs: Any, **cparams: Any) -> DBAPIConnection:
        """Open a DBAPI connection."""
        return self.dbapi.connect(*cargs, **cparams)

    def get_pool_class(self, url: URL) -> type:
        """The pool class an engine uses for this URL when none is given."""
        from sqlwright.pool import QueuePool

        return QueuePool

    def on_connect(self, dbapi_connection: DBAPIConnection) -> None:
        """Called for every new DBAPI connection (session settings); sets the isolation level."""
        if self.isolation_level is not None:
            self.set_isolation_level(dbapi_connection, self.isolation_level)

    def initialize(self, dbapi_connection: DBAPIConnection) -> None:
        """Called once, on the first connection: reads the server version and defaults."""
        self.server_version_info = self.get_server_version_info(dbapi_connection)
        try:
            self.default_isolation_level = self.get_isolation_level(dbapi_connection)
        except NotImplementedError:
            self.default_isolation_level = None
        self.default_schema_name = self.get_default_schema_name(dbapi_connection)
        self._initialized = True

    def query_scalar(self, dbapi_connection: DBAPIConnection, sql: str) -> Any:
        """The first column of the first row of a parameterless query on a raw DBAPI
        connection, or None (for the version and setting look-ups a dialect makes).

        Drivers override it when the query must leave the connection's transaction state as
        it found it.
        """
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(sql)
            row = cursor.fetchone()
        finally:
            cursor.close()
        return row[0] if row else None

    def get_server_version_info(self, dbapi_connection: DBAPIConnection) -> tuple[int, ...] | None:
        """The server version as a tuple of ints."""
        return None

    def get_default_schema_name(self, dbapi_connection: DBAPIConnection) -> str | None:
        """The schema unqualified names resolve to."""
        return None

    # -- executing --------------------------------------------------------------------------
    def do_execute(self, cursor: DBAPICursor, statement: str, parameters: Any,
                   context: Any = None) -> None:
        """Run one statement."""
        cursor.execute(statement, parameters)

    def do_execute_no_params(self, cursor: DBAPICursor, statement: str,
                             context: Any = None) -> None:
        """Run a statement that has no parameters at all."""
        cursor.execute(statement)

    def do_executemany(self, cursor: DBAPICursor, statement: str, parameters: Sequence[Any],
                       context: Any = None) -> None:
        """Run one statement for many parameter sets."""
        cursor.executemany(statement, parameters)

    def do_begin(self, dbapi_connection: DBAPIConnection) -> None:
        """Begin a transaction; DBAPI connections begin implicitly, so by default nothing."""

    def do_commit(self, dbapi_connection: DBAPIConnection) -> None:
        """Commit the DBAPI connection's transaction."""
        dbapi_connection.commit()

    def do_rollback(self, dbapi_connection: DBAPIConnection) -> None:
        """Roll back the DBAPI connection's transaction."""
        dbapi_connection.rollback()

    def do_close(self, dbapi_connection: DBAPIConnection) -> None:
        """Close a DBAPI connection."""
        dbapi_connection.close()

    def do_ping(self, dbapi_connection: DBAPIConnection) -> bool:
        """True when the connection is alive; raises the driver's error when it is not."""
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
            cursor.fetchall()
        finally:
            cursor.close()
        return True

    def do_savepoint(self, connection: Any, name: str) -> None:
        """Create a savepoint on a sqlwright Connection."""
        connection.exec_control_sql(f"SAVEPOINT {self.identifier_preparer.quote(name)}")

    def do_rollback_to_savepoint(self, connection: Any, name: str) -> None:
        """Roll back to a savepoint."""
        connection.exec_control_sql(
            f"ROLLBACK TO SAVEPOINT {self.identifier_preparer.quote(name)}")

    def do_release_savepoint(self, connection: Any, name: str) -> None:
        """Release a savepoint."""
        connection.exec_control_sql(f"RELEASE SAVEPOINT {self.identifier_preparer.quote(name)}")

    # -- isolation --------------------------------------------------------------------------
    def check_isolation_level(self, level: str | None) -> str | None:
        """Normalise an isolation level name, or raise ArgumentError listing the valid ones."""
        if level is None:
            return None
        normalized = level.upper().replace("_", " ")
        if normalized not in self.isolation_levels:
            raise exc.ArgumentError(
                f"Invalid isolation level {level!r} for the {self.name} dialect; use one of "
                f"{', '.join(self.isolation_levels)}"
            )
        return normalized

    def set_isolation_level(self, dbapi_connection: DBAPIConnection, level: str) -> None:
        """Put a DBAPI connection in an isolation level (``AUTOCOMMIT`` included)."""
        raise NotImplementedError(f"The {self.name} dialect cannot set isolation levels")

    def get_isolation_level(self, dbapi_connection: DBAPIConnection) -> str:
        """The connection's current isolation level."""
        raise NotImplementedError(f"The {self.name} dialect cannot read isolation levels")

    def reset_isolation_level(self, dbapi_connection: DBAPIConnection) -> None:
        """Return a connection to the engine's (or the server's) default level."""
        level = self.isolation_level or self.default_isolation_level
        if level is not None:
            self.set_isolation_level(dbapi_connection, level)

    # -- errors -----------------------------------------------------------------------------
    def is_disconnect(self, e: BaseException, dbapi_connection: DBAPIConnection | None,
                      cursor: DBAPICursor | None) -> bool:
        """True when ``e`` means the connection is dead and must be replaced."""
        message = str(e).lower()
        return any(text in message for text in self.disconnect_messages)

    def error_class(self, e: BaseException) -> type[exc.DBAPIError]:
        """The sqlwright class for a DBAPI exception, by its PEP 249 class."""
        for klass in type(e).__mro__:
            found = exc.PEP249_CLASSES.get(klass.__name__)
            if found is not None:
                return found
        return exc.DBAPIError

    def error_code(self, e: BaseException) -> str | int | None:
        """The driver's error code (SQLSTATE, vendor number), when it has one."""
        return None

    def translate_error(self, e: BaseException, statement: str | None, params: Any,
                        connection_invalidated: bool = False) -> exc.DBAPIError:
        """Wrap a DBAPI exception in its sqlwright class, keeping the SQL and parameters."""
        cls = self.error_class(e)
        message = f"({type(e).__module__}.{type(e).__name__}) {e}".strip()
        return cls(message, statement, params, e, connection_invalidated, self.error_code(e))

    # -- types ------------------------------------------------------------------------------
    def type_descriptor(self, type_: TypeEngine) -> TypeEngine:
        """The dialect's implementation of a portable type, via ``colspecs`` (memoized)."""
        try:
            return self._type_memos[type_]
        except KeyError:
            pass
        except TypeError:  # unhashable type arguments
            return self._adapt_type(type_)
        impl = self._adapt_type(type_)
        self._type_memos[type_] = impl
        return impl

    def _adapt_type(self, type_: TypeEngine) -> TypeEngine:
        adapt = getattr(type_, "_dialect_adapt", None)
        if adapt is not None:
            return adapt(self)
        for klass in type(type_).__mro__:
            impl_cls = self.colspecs.get(klass)
            if impl_cls is not None:
                if impl_cls is type(type_):
                    return type_
                adapter = getattr(type_, "adapt", None)
                return adapter(impl_cls) if adapter is not None else impl_cls()
        return type_

    # -- compile helpers ---------------------------------------------------------------------
    def __repr__(self) -> str:
        version = ".".join(map(str, self.server_version_info or ())) or "not connected"
        return f"<{type(self).__name__} {self.name}+{self.driver} ({version})>"


class DefaultFeatures(Features):
    """Standard SQL constructs ``str(statement)`` can show, whatever a database supports."""

    supports_insert_returning = True
    supports_update_returning = True
    supports_delete_returning = True
    supports_lateral = True
    supports_for_update = True
    supports_for_update_nowait = True
    supports_sequences = True
    supports_deferrable_constraints = True


class DefaultDialect(Dialect):
    """The dialect ``str(statement)`` compiles with: ANSI SQL, named parameters, no driver."""

    name = "default"
    driver = ""
    paramstyle = "named"
    features_class = DefaultFeatures
