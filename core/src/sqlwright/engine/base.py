"""Engine, Connection and transactions.

A :class:`Connection` wraps one pooled DBAPI connection. It begins a transaction on first use
(autobegin); ``commit()`` / ``rollback()`` end it, ``begin()`` gives an explicit transaction and
``begin_nested()`` a savepoint. Closing a connection rolls back whatever is still open and returns
the DBAPI connection to the pool.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.engine.context import ExecutionContext
from sqlwright.engine.events import ConnectionEvents, ExceptionContext
from sqlwright.engine.result import CursorResult, ScalarResult
from sqlwright.event import dispatcher
from sqlwright.sql.elements import ClauseElement

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.engine.cache import LRUCache
    from sqlwright.engine.url import URL
    from sqlwright.pool import Pool

__all__ = ["Connection", "Engine", "NestedTransaction", "RootTransaction", "Transaction"]

log = logging.getLogger("sqlwright.engine")

_NO_CACHE = object()


def _distill_params(parameters: Any) -> list[Mapping[str, Any]]:
    """One dict, a list of dicts (executemany), or nothing -> a list of parameter sets."""
    if parameters is None:
        return []
    if isinstance(parameters, Mapping):
        return [parameters]
    if isinstance(parameters, (list, tuple)):
        if not parameters:
            return []
        if all(type(p) is dict or isinstance(p, Mapping) for p in parameters):
            return list(parameters)
    raise exc.ArgumentError(
        "Parameters must be a dict, or a list of dicts for executemany; got "
        f"{type(parameters).__name__}. Bind values by name: execute(stmt, {{'name': value}})"
    )


class Transaction:
    """A transaction on a Connection; a context manager that commits or rolls back."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.is_active = True

    def commit(self) -> None:
        """Commit this transaction."""
        raise NotImplementedError

    def rollback(self) -> None:
        """Roll back this transaction."""
        raise NotImplementedError

    def close(self) -> None:
        """Roll back if still active (what leaving a failed ``with`` block does)."""
        if self.is_active:
            self.rollback()

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        if not self.is_active:
            return
        if type_ is None:
            self.commit()
        else:
            self.rollback()


class RootTransaction(Transaction):
    """The outermost transaction of a Connection."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        connection._begin_impl()

    def commit(self) -> None:
        if not self.is_active:
            raise exc.InvalidRequestError("This transaction is inactive; begin a new one")
        try:
            self.connection._commit_impl()
        finally:
            self._deactivate()

    def rollback(self) -> None:
        if self.is_active:
            try:
                self.connection._rollback_impl()
            finally:
                self._deactivate()

    def _deactivate(self) -> None:
        self.is_active = False
        conn = self.connection
        if conn._transaction is self:
            conn._transaction = None
            conn._nested_transaction = None


class NestedTransaction(Transaction):
    """A SAVEPOINT inside the connection's transaction."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self._previous = connection._nested_transaction
        self.name = f"sa_savepoint_{connection._next_savepoint()}"
        connection._savepoint_impl(self.name)
        connection._nested_transaction = self

    def commit(self) -> None:
        """Release the savepoint: its work becomes part of the enclosing transaction."""
        if not self.is_active:
            raise exc.InvalidRequestError("This savepoint is inactive")
        try:
            self.connection._release_savepoint_impl(self.name)
        finally:
            self._deactivate()

    def rollback(self) -> None:
        """Roll back to the savepoint, undoing the work done since it was made."""
        if self.is_active:
            try:
                self.connection._rollback_to_savepoint_impl(self.name)
            finally:
                self._deactivate()

    def _deactivate(self) -> None:
        self.is_active = False
        if self.connection._nested_transaction is self:
            self.connection._nested_transaction = self._previous


class Connection:
    """One checked-out database connection; use as a context manager."""

    def __init__(self, engine: Engine, dbapi_connection: Any = None) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self._dbapi_connection = dbapi_connection if dbapi_connection is not None \
            else engine._checkout()
        self._transaction: RootTransaction | None = None
        self._nested_transaction: NestedTransaction | None = None
        self._execution_options: dict[str, Any] = dict(engine._execution_options)
        self._savepoint_seq = 0
        self._autocommit = engine._autocommit
        self._isolation_changed = False
        self._closed = False
        self.dispatch = engine.dispatch
        if self._execution_options.get("isolation_level"):
            self._set_isolation(self._execution_options["isolation_level"])
        if self.dispatch.engine_connect:
            self.dispatch.engine_connect(self)

    # -- state ------------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return self._closed

    @property
    def invalidated(self) -> bool:
        """True when the connection was invalidated (a disconnect) and not yet reconnected."""
        return self._dbapi_connection is None and not self._closed

    @property
    def connection(self) -> Any:
        """The pool's proxy for the DBAPI connection (``.dbapi_connection`` is the raw one)."""
        return self._proxy()

    @property
    def info(self) -> dict[str, Any]:
        """A dict that lives as long as the underlying DBAPI connection."""
        return self._proxy().info

    def _proxy(self) -> Any:
        proxy = self._dbapi_connection
        if proxy is None:
            if self._closed:
                raise exc.ResourceClosedError("This Connection is closed; open a new one")
            if self._transaction is not None:
                raise exc.PendingRollbackError(
                    "This connection was invalidated (a disconnect) inside a transaction; "
                    "call rollback() before using it again"
                )
            self._dbapi_connection = proxy = self.engine._checkout()
        return proxy

    def _next_savepoint(self) -> int:
        self._savepoint_seq += 1
        return self._savepoint_seq

    # -- options and isolation ----------------------------------------------------------------
    def execution_options(self, **opts: Any) -> Connection:
        """Set execution options on this connection (``isolation_level``, ``compiled_cache``,
        ``yield_per``, ``stream_results``); returns the connection."""
        if "isolation_level" in opts:
            if self._transaction is not None:
                raise exc.InvalidRequestError(
                    "Can't change the isolation level inside a transaction; commit or roll "
                    "back first, or set it before the first execute"
                )
            self._set_isolation(opts["isolation_level"])
        self._execution_options.update(opts)
        return self

    def get_execution_options(self) -> Mapping[str, Any]:
        """This connection's execution options."""
        return dict(self._execution_options)

    def _set_isolation(self, level: str) -> None:
        level = self.dialect.check_isolation_level(level) or level
        self.dialect.set_isolation_level(self._proxy().dbapi_connection, level)
        self._autocommit = level == "AUTOCOMMIT"
        self._isolation_changed = True

    def get_isolation_level(self) -> str:
        """The isolation level the database reports for this connection."""
        if self._autocommit:
            return "AUTOCOMMIT"
        return self.dialect.get_isolation_level(self._proxy().dbapi_connection)

    @property
    def default_isolation_level(self) -> str | None:
        """The level new connections have."""
        return self.dialect.default_isolation_level

    # -- transactions -----------------------------------------------------------------------
    def begin(self) -> RootTransaction:
        """Begin a transaction explicitly; a context manager that commits or rolls back."""
        if self._transaction is not None:
            raise exc.InvalidRequestError(
                "A transaction is already begun on this Connection (it autobegins on first "
                "execute); call commit() or rollback() first, or use begin_nested() for a "
                "savepoint"
            )
        self._transaction = RootTransaction(self)
        return self._transaction

    def begin_nested(self) -> NestedTransaction:
        """Create a savepoint (beginning the transaction first if needed)."""
        if self._transaction is None:
            self._autobegin()
        return NestedTransaction(self)

    def _autobegin(self) -> None:
        if self._transaction is None:
            self._transaction = RootTransaction(self)

    def commit(self) -> None:
        """Commit the current transaction, if any (commit as you go)."""
        if self._transaction is not None:
            self._transaction.commit()

    def rollback(self) -> None:
        """Roll back the current transaction, if any."""
        if self._transaction is not None:
            self._transaction.rollback()

    def in_transaction(self) -> bool:
        """True while a transaction is open."""
        return self._transaction is not None

    def in_nested_transaction(self) -> bool:
        """True while a savepoint is open."""
        return self._nested_transaction is not None

    def get_transaction(self) -> RootTransaction | None:
        """The open root transaction, or None."""
        return self._transaction

    def get_nested_transaction(self) -> NestedTransaction | None:
        """The innermost open savepoint, or None."""
        return self._nested_transaction

    def _begin_impl(self) -> None:
        log_info = self.engine._echo
        if log_info:
            self.engine.logger.info("BEGIN (implicit)")
        if self.dispatch.begin:
            self.dispatch.begin(self)
        if not self._autocommit:
            try:
                self.dialect.do_begin(self._proxy().dbapi_connection)
            except Exception as err:
                self._handle_dbapi_exception(err, None, None, None, None)

    def _commit_impl(self) -> None:
        if self.engine._echo:
            self.engine.logger.info("COMMIT")
        if self.dispatch.commit:
            self.dispatch.commit(self)
        try:
            self.dialect.do_commit(self._proxy().dbapi_connection)
        except Exception as err:
            self._handle_dbapi_exception(err, None, None, None, None)

    def _rollback_impl(self) -> None:
        proxy = self._dbapi_connection
        if proxy is None:  # invalidated: the server already discarded the transaction
            return
        if self.engine._echo:
            self.engine.logger.info("ROLLBACK")
        if self.dispatch.rollback:
            self.dispatch.rollback(self)
        try:
            self.dialect.do_rollback(proxy.dbapi_connection)
        except Exception as err:
            if self.dialect.is_disconnect(err, proxy.dbapi_connection, None):
                # a dead connection has nothing left to roll back: replace it quietly
                self.invalidate(err)
                self.engine.pool.invalidate_all()
                return
            self._handle_dbapi_exception(err, None, None, None, None)

    def _savepoint_impl(self, name: str) -> None:
        if self.dispatch.savepoint:
            self.dispatch.savepoint(self, name)
        self.dialect.do_savepoint(self, name)

    def _rollback_to_savepoint_impl(self, name: str) -> None:
        if self.dispatch.rollback_savepoint:
            self.dispatch.rollback_savepoint(self, name, None)
        self.dialect.do_rollback_to_savepoint(self, name)

    def _release_savepoint_impl(self, name: str) -> None:
        if self.dispatch.release_savepoint:
            self.dispatch.release_savepoint(self, name, None)
        self.dialect.do_release_savepoint(self, name)

    # -- closing ----------------------------------------------------------------------------
    def close(self) -> None:
        """Roll back anything open and return the DBAPI connection to the pool."""
        if self._transaction is not None:
            self._transaction.rollback()
        proxy = self._dbapi_connection
        if proxy is not None:
            if self._isolation_changed:
                try:
                    self.dialect.reset_isolation_level(proxy.dbapi_connection)
                except Exception:
                    proxy.invalidate()
            proxy.close()
        self._dbapi_connection = None
        self._closed = True

    def invalidate(self, exception: BaseException | None = None) -> None:
        """Discard the DBAPI connection (it is closed, not returned); the next use reconnects."""
        proxy = self._dbapi_connection
        if proxy is not None:
            proxy.invalidate(exception)
        self._dbapi_connection = None

    def detach(self) -> None:
        """Remove the DBAPI connection from the pool; close() then really closes it."""
        self._proxy().detach()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        self.close()

    # -- executing --------------------------------------------------------------------------
    def execute(self, statement: Any, parameters: Any = None, *,
                execution_options: Mapping[str, Any] | None = None) -> CursorResult:
        """Execute a statement (``select()``, ``insert()``, ``text()`` ...) and return its Result.

        ``parameters`` is a dict of bind values, or a list of dicts to run the statement once
        per dict (executemany).
        """
        if not isinstance(statement, ClauseElement):
            clause = getattr(statement, "__clause_element__", None)
            if clause is None:
                if isinstance(statement, str):
                    raise exc.ArgumentError(
                        "A plain string is not a statement: wrap SQL in text(), as in "
                        "conn.execute(text('SELECT ...')), or use exec_driver_sql()")
                raise exc.ArgumentError(f"Not an executable statement: {statement!r}")
            statement = clause()
        executor = getattr(statement, "_execute_on_connection", None)
        if executor is not None:
            return executor(self, parameters, execution_options or {})
        return self._execute_clauseelement(statement, parameters, execution_options or {})

    def scalar(self, statement: Any, parameters: Any = None, *,
               execution_options: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row, or None."""
        return self.execute(statement, parameters, execution_options=execution_options).scalar()

    def scalars(self, statement: Any, parameters: Any = None, *,
                execution_options: Mapping[str, Any] | None = None) -> ScalarResult:
        """A ScalarResult of the first column of every row."""
        return self.execute(statement, parameters,
                            execution_options=execution_options).scalars()

    def exec_driver_sql(self, statement: str, parameters: Any = None, *,
                        execution_options: Mapping[str, Any] | None = None) -> CursorResult:
        """Run SQL in the driver's own paramstyle, with no compiling (``?`` or ``%s`` binds)."""
        self._autobegin_if_needed()
        params: Any = () if parameters is None else parameters
        many = bool(isinstance(parameters, list) and parameters
                    and isinstance(parameters[0], (tuple, list, Mapping)))
        context = ExecutionContext(self.dialect, self, statement, params,
                                   execution_options=execution_options)
        context.executemany = many
        return self._run(context, statement, None, None)

    def exec_control_sql(self, statement: str) -> None:
        """Run a parameterless control statement (savepoints, session settings).

        For dialects: it neither autobegins nor fires execute events, and errors are wrapped as
        for any statement.
        """
        cursor = self._proxy().cursor()
        try:
            if self.engine._echo:
                self.engine.logger.info(statement)
            self.dialect.do_execute_no_params(cursor, statement)
        except Exception as err:
            self._handle_dbapi_exception(err, statement, None, cursor, None)
        finally:
            cursor.close()

    def _autobegin_if_needed(self) -> None:
        if self._transaction is None:
            self._autobegin()

    def _execute_clauseelement(self, statement: ClauseElement, parameters: Any,
                               execution_options: Mapping[str, Any]) -> CursorResult:
        param_sets = _distill_params(parameters)
        opts = self._execution_options
        if statement._execution_options or execution_options:
            opts = {**opts, **statement._execution_options, **execution_options}
        dispatch = self.dispatch
        if dispatch.before_execute:
            for fn in dispatch.before_execute:
                statement, param_sets, _ = fn(self, statement, param_sets, {}, opts)
        compiled, extracted = self._compile(statement, param_sets, opts)
        self._autobegin_if_needed()
        try:
            context = ExecutionContext.for_compiled(
                self.dialect, self, compiled, param_sets, extracted, opts)
        except exc.SQLWrightError:
            raise
        except Exception as err:
            raise exc.StatementError(
                f"Could not prepare parameters: ({type(err).__name__}) {err}",
                compiled.string, param_sets, err) from err
        result = self._run(context, context.statement, statement, param_sets)
        if dispatch.after_execute:
            dispatch.after_execute(self, statement, param_sets, {}, opts, result)
        return result

    def _compile(self, statement: ClauseElement, param_sets: Sequence[Mapping[str, Any]],
                 opts: Mapping[str, Any]) -> tuple[Any, Any]:
        dialect = self.dialect
        column_keys = tuple(sorted(param_sets[0])) if (param_sets and statement.is_dml) else ()
        many = len(param_sets) > 1
        cache = opts.get("compiled_cache", _NO_CACHE)
        if cache is _NO_CACHE:
            cache = self.engine._compiled_cache
        key = statement._generate_cache_key() if cache is not None else None
        if key is None:
            compiled = dialect.statement_compiler(
                dialect, statement, column_keys=column_keys, for_executemany=many)
            return compiled, None
        full_key = (key.key, column_keys, many)
        compiled = cache.get(full_key)
        if compiled is None:
            compiled = dialect.statement_compiler(
                dialect, statement, column_keys=column_keys, for_executemany=many)
            compiled._cache_key_binds = list(key.bindparams)
            cache.put(full_key, compiled)
        return compiled, key.bindparams

    def _run(self, context: ExecutionContext, statement: str, clause: Any,
             param_sets: Any) -> CursorResult:
        proxy = self._proxy()
        parameters = context.parameters
        cursor = None
        try:
            cursor = proxy.cursor()
            context.cursor = cursor
            dispatch = self.dispatch
            if dispatch.before_cursor_execute:
                for fn in dispatch.before_cursor_execute:
                    statement, parameters = fn(self, cursor, statement, parameters, context,
                                               context.executemany)
            if self.engine._echo:
                self.engine._log_statement(statement, parameters, context.executemany)
            if context.executemany:
                self.dialect.do_executemany(cursor, statement, parameters, context)
            elif not parameters and context.compiled is None:
                self.dialect.do_execute_no_params(cursor, statement, context)
            else:
                self.dialect.do_execute(cursor, statement, parameters, context)
            if dispatch.after_cursor_execute:
                dispatch.after_cursor_execute(self, cursor, statement, parameters, context,
                                              context.executemany)
            if context.result_cursor is not None:
                cursor.close()
                cursor = context.result_cursor
            if self.engine._echo == "debug":
                cursor = _LoggingCursor(cursor, self.engine.logger)
            return context.make_result(cursor)
        except Exception as err:
            self._handle_dbapi_exception(err, statement, parameters, cursor, context)
            raise  # unreachable: _handle_dbapi_exception always raises

    def _handle_dbapi_exception(self, err: BaseException, statement: str | None,
                                parameters: Any, cursor: Any, context: Any) -> None:
        dialect = self.dialect
        dbapi_error_types = _dbapi_error_types(dialect)
        is_dbapi = isinstance(err, dbapi_error_types)
        proxy = self._dbapi_connection
        is_disconnect = is_dbapi and dialect.is_disconnect(
            err, proxy.dbapi_connection if proxy is not None else None, cursor)
        if cursor is not None:
            try:
                cursor.close()
            except Exception:
                pass
        if is_dbapi:
            wrapped: BaseException = dialect.translate_error(
                err, statement, parameters, connection_invalidated=is_disconnect)
        elif isinstance(err, exc.SQLWrightError):
            wrapped = err
        else:
            wrapped = exc.StatementError(
                f"({type(err).__module__}.{type(err).__name__}) {err}", statement, parameters,
                err)
        if self.dispatch.handle_error:
            ctx = ExceptionContext(self, self.engine, cursor, statement, parameters, err,
                                   wrapped, context, is_disconnect)
            for fn in self.dispatch.handle_error:
                replacement = fn(ctx)
                if replacement is not None:
                    wrapped = replacement
            is_disconnect = ctx.is_disconnect
            if isinstance(wrapped, exc.DBAPIError):
                wrapped.connection_invalidated = is_disconnect
        if is_disconnect:
            self.invalidate(err)
            self.engine.pool.invalidate_all()
        if wrapped is err:
            raise err
        raise wrapped.with_traceback(err.__traceback__) from err


class _LoggingCursor:
    """Wraps a cursor to log each fetched row (``echo="debug"``)."""

    def __init__(self, cursor: Any, logger: logging.Logger) -> None:
        self._cursor = cursor
        self._logger = logger

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def _log(self, rows: list[Any]) -> list[Any]:
        for row in rows:
            self._logger.debug("Row %r", row)
        return rows

    def fetchone(self) -> Any:
        row = self._cursor.fetchone()
        if row is not None:
            self._log([row])
        return row

    def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._log(self._cursor.fetchmany(size) if size is not None
                         else self._cursor.fetchmany())

    def fetchall(self) -> list[Any]:
        return self._log(self._cursor.fetchall())


def _dbapi_error_types(dialect: Dialect) -> tuple[type[BaseException], ...]:
    base = getattr(dialect.dbapi, "Error", None) if dialect.dbapi_module else None
    return (base,) if isinstance(base, type) else ()


class Engine:
    """A pool of connections to one database plus its dialect; create with create_engine()."""

    dispatch = dispatcher(ConnectionEvents)
    _pool_event_target: ClassVar[type | None] = None
    _execution_options: Mapping[str, Any]

    def __init__(self, pool: Pool, dialect: Dialect, url: URL, *, echo: bool | str = False,
                 logging_name: str | None = None,
                 execution_options: Mapping[str, Any] | None = None,
                 compiled_cache: LRUCache | None = None) -> None:
        self.pool = pool
        self.dialect = dialect
        self.url = url
        self.logging_name = logging_name
        self.logger = logging.getLogger("sqlwright.engine.Engine")
        self._echo: bool | str = False
        self.echo = echo
        self._execution_options = dict(execution_options or {})
        self._autocommit = (dialect.isolation_level == "AUTOCOMMIT")
        self._compiled_cache = compiled_cache

    # -- logging ----------------------------------------------------------------------------
    @property
    def echo(self) -> bool | str:
        """False, True (log SQL and parameters at INFO) or "debug" (rows too)."""
        return self._echo

    @echo.setter
    def echo(self, value: bool | str) -> None:
        from sqlwright.log import configure_echo

        self._echo = value
        configure_echo(self.logger, value)

    def _log_statement(self, statement: str, parameters: Any, many: bool) -> None:
        self.logger.info(statement)
        if many:
            shown = list(parameters[:10])
            more = f" ... {len(parameters) - 10} more" if len(parameters) > 10 else ""
            self.logger.info("[executemany %d sets] %r%s", len(parameters), shown, more)
        else:
            self.logger.info("[parameters] %r", parameters)

    # -- public API ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The dialect name, e.g. ``"sqlite"``."""
        return self.dialect.name

    @property
    def driver(self) -> str:
        """The driver name, e.g. ``"pysqlite"``."""
        return self.dialect.driver

    @property
    def compiled_cache(self) -> LRUCache | None:
        """The LRU of compiled statements (``hits``, ``misses``, ``len()``), or None when off."""
        return self._compiled_cache

    def connect(self) -> Connection:
        """Check a connection out of the pool; use it as a context manager."""
        return Connection(self)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection inside a transaction that commits on success and rolls back on error."""
        with self.connect() as conn, conn.begin():
            yield conn

    def _checkout(self) -> Any:
        try:
            return self.pool.connect()
        except exc.SQLWrightError:
            raise
        except Exception as err:
            dbapi_error_types = _dbapi_error_types(self.dialect)
            if isinstance(err, dbapi_error_types):
                raise self.dialect.translate_error(err, None, None) from err
            raise

    def execution_options(self, **opts: Any) -> Engine:
        """A copy of this engine (sharing its pool) whose connections carry these options."""
        new = self.__class__.__new__(self.__class__)
        new.__dict__ = self.__dict__.copy()
        new._execution_options = {**self._execution_options, **opts}
        new.dispatch._update(self.dispatch)
        return new

    def get_execution_options(self) -> Mapping[str, Any]:
        """The engine's execution options."""
        return dict(self._execution_options)

    def dispose(self, close: bool = True) -> None:
        """Close the pool's checked-in connections and start a fresh pool."""
        if close:
            self.pool.dispose()
        self.pool = self.pool.recreate()
        if self.dispatch.engine_disposed:
            self.dispatch.engine_disposed(self)

    def raw_connection(self) -> Any:
        """A pooled DBAPI connection proxy, outside any Connection."""
        return self._checkout()

    def __repr__(self) -> str:
        return f"Engine({self.url!r})"

