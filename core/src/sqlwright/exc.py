"""The sqlwright exception hierarchy.

Every error sqlwright raises derives from :class:`SQLWrightError`. Errors raised by a DBAPI driver
are wrapped in the PEP 249 classes below (:class:`IntegrityError`, :class:`OperationalError`, ...),
which keep the driver's exception as ``.orig`` and the failing statement and parameters as
``.statement`` and ``.params``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "SQLWrightError",
    "ArgumentError",
    "NoSuchDialectError",
    "DuplicateDialectError",
    "MissingDBAPIError",
    "InvalidRequestError",
    "ResourceClosedError",
    "NoResultFound",
    "MultipleResultsFound",
    "NoSuchColumnError",
    "NoSuchTableError",
    "NoReferencedTableError",
    "NoReferencedColumnError",
    "CompileError",
    "UnsupportedCompilationError",
    "CircularDependencyError",
    "TimeoutError",
    "DisconnectionError",
    "InvalidatePoolError",
    "PendingRollbackError",
    "StatementError",
    "DBAPIError",
    "InterfaceError",
    "DatabaseError",
    "DataError",
    "OperationalError",
    "IntegrityError",
    "InternalError",
    "ProgrammingError",
    "NotSupportedError",
]

#: Longest rendering of the parameters inside an error message.
_MAX_PARAMS_REPR = 300


class SQLWrightError(Exception):
    """The root of every error sqlwright raises."""


class ArgumentError(SQLWrightError):
    """A function or constructor was called with an invalid argument."""


class NoSuchDialectError(ArgumentError):
    """A URL or ``load()`` call named a dialect or driver that is not installed."""


class DuplicateDialectError(SQLWrightError):
    """Two installed distributions claim the same dialect name."""


class MissingDBAPIError(SQLWrightError, ImportError):
    """The DBAPI driver module a dialect needs cannot be imported."""


class InvalidRequestError(SQLWrightError):
    """An operation was asked for that is not valid in the object's current state."""


class ResourceClosedError(InvalidRequestError):
    """A connection, transaction or result was used after it was closed."""


class NoResultFound(InvalidRequestError):
    """Exactly one row was required and the result had none."""


class MultipleResultsFound(InvalidRequestError):
    """Exactly one row (or at most one) was required and the result had more."""


class NoSuchColumnError(InvalidRequestError, KeyError):
    """A row or table was asked for a column it does not have."""

    __str__ = BaseException.__str__


class NoSuchTableError(InvalidRequestError):
    """Reflection was asked for a table that does not exist."""


class NoReferencedTableError(InvalidRequestError):
    """A foreign key names a table that is not in its MetaData."""


class NoReferencedColumnError(InvalidRequestError):
    """A foreign key names a column that its target table does not have."""


class CompileError(SQLWrightError):
    """A statement could not be compiled to SQL for the target dialect."""


class UnsupportedCompilationError(CompileError):
    """The dialect's compiler has no rule for a construct."""


class CircularDependencyError(SQLWrightError):
    """Tables or rows depend on each other in a cycle that cannot be ordered."""


class TimeoutError(SQLWrightError):  # noqa: A001 - the public name users expect
    """The pool could not hand out a connection within ``pool_timeout``."""


class DisconnectionError(SQLWrightError):
    """A connection was found dead; the pool replaces it and the operation may be retried."""


class InvalidatePoolError(DisconnectionError):
    """A disconnect that invalidates every connection of the pool, not just one."""


class PendingRollbackError(InvalidRequestError):
    """A transaction failed part way and must be rolled back before the connection is used."""


def _truncate_params(params: Any) -> str:
    text = repr(params)
    if len(text) > _MAX_PARAMS_REPR:
        text = text[: _MAX_PARAMS_REPR - 20] + " ... (truncated)"
    return text


class StatementError(SQLWrightError):
    """An error that happened while executing a statement; carries the SQL and parameters."""

    def __init__(
        self,
        message: str,
        statement: str | None = None,
        params: Any = None,
        orig: BaseException | None = None,
    ) -> None:
        super().__init__(message)
        self.statement = statement
        self.params = params
        self.orig = orig
        self.detail: list[str] = []

    def __str__(self) -> str:
        parts = [str(self.args[0]) if self.args else self.__class__.__name__]
        parts.extend(self.detail)
        if self.statement is not None:
            parts.append(f"[SQL: {self.statement}]")
            if self.params:
                parts.append(f"[parameters: {_truncate_params(self.params)}]")
        return "\n".join(parts)

    def __reduce__(self) -> Any:
        return (self.__class__, (self.args[0], self.statement, self.params, self.orig))


class DBAPIError(StatementError):
    """A DBAPI driver raised an error; ``orig`` is the driver's exception.

    ``connection_invalidated`` is True when the error was a disconnect and the connection was
    invalidated (the pool will replace it).
    """

    code: str | int | None

    def __init__(
        self,
        message: str,
        statement: str | None = None,
        params: Any = None,
        orig: BaseException | None = None,
        connection_invalidated: bool = False,
        code: str | int | None = None,
    ) -> None:
        super().__init__(message, statement, params, orig)
        self.connection_invalidated = connection_invalidated
        self.code = code

    def __reduce__(self) -> Any:
        return (
            self.__class__,
            (self.args[0], self.statement, self.params, self.orig, self.connection_invalidated,
             self.code),
        )


class InterfaceError(DBAPIError):
    """PEP 249 InterfaceError: a problem with the driver itself rather than the database."""


class DatabaseError(DBAPIError):
    """PEP 249 DatabaseError: the database reported an error."""


class DataError(DatabaseError):
    """PEP 249 DataError: a value was out of range, malformed or of the wrong kind."""


class OperationalError(DatabaseError):
    """PEP 249 OperationalError: a disconnect, a deadlock, a lock timeout, a missing database."""


class IntegrityError(DatabaseError):
    """PEP 249 IntegrityError: a unique, foreign key, not-null or check constraint failed."""


class InternalError(DatabaseError):
    """PEP 249 InternalError: the database is in an inconsistent internal state."""


class ProgrammingError(DatabaseError):
    """PEP 249 ProgrammingError: a syntax error, a missing table, a wrong parameter count."""


class NotSupportedError(DatabaseError):
    """PEP 249 NotSupportedError: the database does not support the operation."""


#: PEP 249 exception class names, most specific first, mapped to the sqlwright class.
PEP249_CLASSES: dict[str, type[DBAPIError]] = {
    "IntegrityError": IntegrityError,
    "DataError": DataError,
    "OperationalError": OperationalError,
    "ProgrammingError": ProgrammingError,
    "NotSupportedError": NotSupportedError,
    "InternalError": InternalError,
    "DatabaseError": DatabaseError,
    "InterfaceError": InterfaceError,
    "Error": DBAPIError,
}
