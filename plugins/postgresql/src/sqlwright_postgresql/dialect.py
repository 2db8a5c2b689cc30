"""The PostgreSQL dialect base shared by its drivers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from sqlwright import exc
from sqlwright.dialects.base import Dialect
from sqlwright.sql.quoting import IdentifierPreparer
from sqlwright_postgresql.compiler import PGCompiler
from sqlwright_postgresql.ddl import PGDDLCompiler
from sqlwright_postgresql.features import PGFeatures
from sqlwright_postgresql.reflection import PGInspector
from sqlwright_postgresql.types import PG_COLSPECS, PG_ISCHEMA_NAMES, PGTypeCompiler

#: PostgreSQL's reserved key words, including those reserved except as a function or type name.
PG_RESERVED = IdentifierPreparer.reserved_words | frozenset("""
all analyse analyze and any array as asc asymmetric authorization binary both case cast check
collate collation column concurrently constraint create cross current_catalog current_date
current_role current_schema current_time current_timestamp current_user default deferrable desc
distinct do else end except false fetch for foreign freeze from full grant group having ilike in
initially inner intersect into is isnull join lateral leading left like limit localtime
localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
references returning right select session_user similar some symmetric system_user table
tablesample then to trailing true union unique user using variadic verbose when where window with
""".split())

_VERSION = re.compile(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?")

#: sqlwright class by SQLSTATE class (first two characters), where the driver's class is wrong
#: or missing.
_CLASS_BY_SQLSTATE_CLASS: dict[str, type[exc.DBAPIError]] = {
    "23": exc.IntegrityError,       # integrity constraint violation
    "40": exc.OperationalError,     # transaction rollback: deadlock, serialization failure
    "08": exc.OperationalError,     # connection exception
    "57": exc.OperationalError,     # operator intervention (shutdown, cancel)
    "53": exc.OperationalError,     # insufficient resources
    "22": exc.DataError,            # data exception
}
_CLASS_BY_SQLSTATE: dict[str, type[exc.DBAPIError]] = {
    "55P03": exc.OperationalError,  # lock_not_available (NOWAIT)
}
#: SQLSTATEs that mean the session is gone.
_DISCONNECT_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "08000", "08003", "08006",
                                   "08001", "08004"})
_VALUES = re.compile(r"\)\s+VALUES\s*\(", re.I)
_PYFORMAT_BIND = re.compile(r"%\((\w+)\)s")


class PGPreparer(IdentifierPreparer):
    """PostgreSQL quoting: double quotes, PostgreSQL's keyword list."""

    reserved_words = PG_RESERVED


def parse_server_version(text: str) -> tuple[int, ...]:
    """``"15.4 (Debian 15.4-1)"`` -> ``(15, 4)``; ``"9.6.24"`` -> ``(9, 6, 24)``."""
    match = _VERSION.search(text)
    if match is None:
        raise exc.InvalidRequestError(
            f"Could not read a PostgreSQL version from {text!r}; pass a server that answers "
            "SHOW server_version with a dotted version number")
    return tuple(int(part) for part in match.groups() if part is not None)


class PGDialect(Dialect):
    """PostgreSQL, for any driver.

    SQL the dialect runs for itself (version, schema, isolation level) goes through
    :meth:`query_scalar`, which drivers override to leave the connection's transaction state as
    they found it.
    """

    name = "postgresql"
    features_class = PGFeatures
    statement_compiler = PGCompiler
    ddl_compiler = PGDDLCompiler
    type_compiler = PGTypeCompiler
    preparer = PGPreparer
    inspector = PGInspector
    colspecs = PG_COLSPECS
    ischema_names = PG_ISCHEMA_NAMES
    isolation_levels: ClassVar[tuple[str, ...]] = (
        "SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED", "AUTOCOMMIT")
    disconnect_messages: ClassVar[tuple[str, ...]] = (
        "server closed the connection unexpectedly",
        "terminating connection",
        "connection already closed",
        "connection not open",
        "could not receive data from server",
        "could not send data to server",
        "ssl syscall error",
        "ssl connection has been closed unexpectedly",
        "the connection is closed",
        "no connection to the server",
        "losing connection",
    )

    def __init__(self, *, executemany_batch_size: int = 1000, **kwargs: Any) -> None:
        """``executemany_batch_size``: rows per multi-row INSERT when executemany is batched."""
        if executemany_batch_size < 1:
            raise exc.ArgumentError(
                f"executemany_batch_size must be a positive number of rows, got "
                f"{executemany_batch_size!r}")
        super().__init__(**kwargs)
        self.executemany_batch_size = executemany_batch_size

    def do_executemany(self, cursor: Any, statement: str, parameters: Sequence[Any],
                       context: Any = None) -> None:
        """An INSERT for many rows runs as multi-row ``VALUES`` statements of
        ``executemany_batch_size`` rows (one statement for all rows when it has RETURNING, so
        that every returned row is in the result); anything else uses the driver's
        executemany."""
        compiled = getattr(context, "compiled", None)
        split = _split_values(statement) if getattr(
            compiled, "batched_executemany", False) and parameters and all(
            isinstance(p, dict) for p in parameters) else None
        if split is None:
            super().do_executemany(cursor, statement, parameters, context)
            return
        head, row, tail = split
        returned = getattr(compiled, "returned_key_columns", [])
        size = self.executemany_batch_size
        if " RETURNING " in tail and not returned:
            size = len(parameters)  # every row the user asked for stays in the cursor
        total = 0
        for start in range(0, len(parameters), size):
            batch = parameters[start:start + size]
            merged: dict[str, Any] = dict(batch[0])
            rows = []
            for number, params in enumerate(batch):
                rows.append(_PYFORMAT_BIND.sub(rf"%(\1__{number})s", row))
                merged.update({f"{key}__{number}": value for key, value in params.items()})
            cursor.execute(f"{head}{', '.join(rows)}{tail}", merged)
            total += max(cursor.rowcount, 0)
            if returned:
                context.record_generated_keys(start, returned, cursor.fetchall())
        if context is not None:
            context.rowcount = total

    def get_server_version_info(self, dbapi_connection: Any) -> tuple[int, ...]:
        """The server version from ``SHOW server_version``."""
        return parse_server_version(str(self.query_scalar(dbapi_connection, "SHOW server_version")))

    def get_default_schema_name(self, dbapi_connection: Any) -> str | None:
        """The first existing schema of the search path (``current_schema()``)."""
        value = self.query_scalar(dbapi_connection, "SELECT current_schema()")
        return str(value) if value is not None else None

    def get_isolation_level(self, dbapi_connection: Any) -> str:
        """The level of the connection's transactions, e.g. ``"READ COMMITTED"``."""
        value = self.query_scalar(dbapi_connection, "SHOW TRANSACTION ISOLATION LEVEL")
        return str(value).upper()

    def sqlstate(self, e: BaseException) -> str | None:
        """The SQLSTATE of a driver exception; drivers override this."""
        return None

    def error_code(self, e: BaseException) -> str | int | None:
        """The five-character SQLSTATE, e.g. ``"23505"`` for a unique violation."""
        return self.sqlstate(e)

    def error_class(self, e: BaseException) -> type[exc.DBAPIError]:
        """The sqlwright class by SQLSTATE, falling back to the driver's PEP 249 class."""
        code = self.sqlstate(e)
        if code:
            found = _CLASS_BY_SQLSTATE.get(code) or _CLASS_BY_SQLSTATE_CLASS.get(code[:2])
            if found is not None:
                return found
        return super().error_class(e)

    def is_disconnect(self, e: BaseException, dbapi_connection: Any, cursor: Any) -> bool:
        """True for a dead session: a disconnect SQLSTATE or a driver disconnect message."""
        if self.sqlstate(e) in _DISCONNECT_SQLSTATES:
            return True
        return super().is_disconnect(e, dbapi_connection, cursor)


def _split_values(statement: str) -> tuple[str, str, str] | None:
    """``INSERT ... VALUES (row) tail`` -> (``"INSERT ... VALUES "``, ``"(row)"``, tail), or
    None when the statement has no single VALUES row to repeat."""
    match = _VALUES.search(statement)
    if match is None:
        return None
    start = match.end() - 1
    depth = 0
    quote = False
    for index in range(start, len(statement)):
        char = statement[index]
        if char == "'":
            quote = not quote
        elif quote:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return statement[:start], statement[start:index + 1], statement[index + 1:]
    return None
