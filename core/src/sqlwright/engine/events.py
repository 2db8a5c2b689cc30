"""Engine events: listen on an Engine (or the Engine class) for statement and transaction events."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlwright.event import Events

__all__ = ["ConnectionEvents", "ExceptionContext"]


class ConnectionEvents(Events):
    """Events of statement execution and transactions, fired by every Connection of an Engine."""

    _retval_events: ClassVar[dict[str, tuple[str, ...]]] = {
        "before_execute": ("clauseelement", "multiparams", "params"),
        "before_cursor_execute": ("statement", "parameters"),
    }

    @classmethod
    def _accept_with(cls, target: Any, identifier: str) -> Any:
        from sqlwright.engine.base import Connection, Engine

        if isinstance(target, type) and issubclass(target, (Engine, Connection)):
            return Engine
        if isinstance(target, Engine):
            return target
        if isinstance(target, Connection):
            return target.engine
        return None

    def before_execute(self, conn: Any, clauseelement: Any, multiparams: Any, params: Any,
                       execution_options: Any) -> Any:
        """Before a statement is compiled; with retval=True return (clauseelement, multiparams,
        params) to replace them."""

    def after_execute(self, conn: Any, clauseelement: Any, multiparams: Any, params: Any,
                      execution_options: Any, result: Any) -> None:
        """After a statement ran, with its Result."""

    def before_cursor_execute(self, conn: Any, cursor: Any, statement: str, parameters: Any,
                              context: Any, executemany: bool) -> Any:
        """Just before the DBAPI cursor runs the SQL; with retval=True return (statement,
        parameters) to replace them."""

    def after_cursor_execute(self, conn: Any, cursor: Any, statement: str, parameters: Any,
                             context: Any, executemany: bool) -> None:
        """Just after the DBAPI cursor ran the SQL."""

    def handle_error(self, exception_context: ExceptionContext) -> Any:
        """A DBAPI error was raised. Return an exception to raise it instead; set
        ``exception_context.is_disconnect`` to change disconnect handling."""

    def engine_connect(self, conn: Any) -> None:
        """A Connection was created from the Engine."""

    def begin(self, conn: Any) -> None:
        """A transaction began."""

    def commit(self, conn: Any) -> None:
        """A transaction is being committed."""

    def rollback(self, conn: Any) -> None:
        """A transaction is being rolled back."""

    def savepoint(self, conn: Any, name: str) -> None:
        """A savepoint was created."""

    def rollback_savepoint(self, conn: Any, name: str, context: Any) -> None:
        """A savepoint is being rolled back to."""

    def release_savepoint(self, conn: Any, name: str, context: Any) -> None:
        """A savepoint is being released."""

    def engine_disposed(self, engine: Any) -> None:
        """``engine.dispose()`` was called."""


class ExceptionContext:
    """What a ``handle_error`` listener is told about a failed execution."""

    def __init__(self, connection: Any, engine: Any, cursor: Any, statement: str | None,
                 parameters: Any, original_exception: BaseException,
                 sqlwright_exception: BaseException | None, execution_context: Any,
                 is_disconnect: bool) -> None:
        self.connection = connection
        self.engine = engine
        self.cursor = cursor
        self.statement = statement
        self.parameters = parameters
        self.original_exception = original_exception
        self.sqlwright_exception = sqlwright_exception
        self.execution_context = execution_context
        self.is_disconnect = is_disconnect
        self.invalidate_pool_on_disconnect = True
        self.chained_exception: BaseException | None = None
