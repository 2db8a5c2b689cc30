"""The SQL Server dialect base shared by its drivers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlwright import exc
from sqlwright.dialects.base import Dialect
from sqlwright.sql.quoting import IdentifierPreparer
from sqlwright_mssql.compiler import MSSQLCompiler
from sqlwright_mssql.ddl import MSDDLCompiler
from sqlwright_mssql.features import MSFeatures
from sqlwright_mssql.reflection import MSInspector
from sqlwright_mssql.types import MSSQL_COLSPECS, MSSQL_ISCHEMA_NAMES, MSTypeCompiler

_MSSQL_KEYWORDS = """
add alter backup begin break browse bulk cascade checkpoint close clustered coalesce commit
compute contains containstable continue convert current current_date current_time
current_timestamp current_user cursor database dbcc deallocate declare deny disk distributed
double drop dump errlvl escape exec execute exit external fetch file fillfactor freetext
freetexttable function goto holdlock identity identity_insert identitycol if kill lineno load
merge national nocheck nonclustered nullif of offsets open opendatasource openquery openrowset
openxml option over percent pivot plan precision print proc procedure public raiserror read
readtext reconfigure replication restore restrict return revert revoke rollback rowcount
rowguidcol rule save schema securityaudit semantickeyphrasetable
semanticsimilaritydetailstable semanticsimilaritytable setuser shutdown statistics
system_user tablesample textsize top tran transaction trigger truncate try_convert tsequal
unpivot updatetext use varying view waitfor while writetext
"""
MSSQL_RESERVED = IdentifierPreparer.reserved_words | frozenset(_MSSQL_KEYWORDS.split())

#: ``sys.dm_exec_sessions.transaction_isolation_level`` -> level name.
_ISOLATION_BY_NUMBER = {
    1: "READ UNCOMMITTED",
    2: "READ COMMITTED",
    3: "REPEATABLE READ",
    4: "SERIALIZABLE",
    5: "SNAPSHOT",
}


class MSSQLPreparer(IdentifierPreparer):
    """SQL Server quoting: ``[name]`` with ``]`` doubled, T-SQL's keyword list."""

    reserved_words = MSSQL_RESERVED
    initial_quote = "["
    final_quote = "]"


def identity_insert_statements(table_sql: str) -> tuple[str, str]:
    """The ``SET IDENTITY_INSERT`` statements that allow, then forbid again, explicit values
    for the IDENTITY column of ``table_sql`` (an already quoted table name)."""
    return f"SET IDENTITY_INSERT {table_sql} ON", f"SET IDENTITY_INSERT {table_sql} OFF"


def parse_server_version(text: str) -> tuple[int, ...]:
    """``SERVERPROPERTY('ProductVersion')`` text such as ``"16.0.1000.6"`` as ``(16, 0, 1000, 6)``.

    Raises ArgumentError for text that does not start with a number.
    """
    parts = []
    for piece in str(text).strip().split("."):
        digits = "".join(c for c in piece if c.isdigit())
        if not digits or digits != piece:
            break
        parts.append(int(digits))
    if not parts:
        raise exc.ArgumentError(
            f"Cannot read a SQL Server version from {text!r}; expected a dotted number such as "
            "'16.0.1000.6' (what SERVERPROPERTY('ProductVersion') returns)."
        )
    return tuple(parts)


class MSDialect(Dialect):
    """SQL Server, for any driver.

    Error translation is by SQL Server's native error number (``error_classes_by_number``); a
    driver supplies the number through :meth:`error_code`.
    """

    name = "mssql"
    features_class = MSFeatures
    statement_compiler = MSSQLCompiler
    ddl_compiler = MSDDLCompiler
    type_compiler = MSTypeCompiler
    preparer = MSSQLPreparer
    inspector = MSInspector
    colspecs = MSSQL_COLSPECS
    ischema_names = MSSQL_ISCHEMA_NAMES
    isolation_levels: ClassVar[tuple[str, ...]] = (
        "SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED", "SNAPSHOT",
        "AUTOCOMMIT",
    )
    #: SQL Server error number -> sqlwright class, for the numbers whose PEP 249 class the
    #: driver gets wrong or leaves generic.
    error_classes_by_number: ClassVar[dict[int, type[exc.DBAPIError]]] = {
        2627: exc.IntegrityError,  # PRIMARY KEY / UNIQUE constraint violated
        2601: exc.IntegrityError,  # duplicate key in a unique index
        547: exc.IntegrityError,  # FOREIGN KEY or CHECK constraint violated
        515: exc.IntegrityError,  # NULL into a NOT NULL column
        1205: exc.OperationalError,  # chosen as deadlock victim
        1222: exc.OperationalError,  # lock request timeout
        3960: exc.OperationalError,  # snapshot isolation update conflict
        18456: exc.OperationalError,  # login failed
        4060: exc.OperationalError,  # cannot open the requested database
        102: exc.ProgrammingError,  # syntax error
        207: exc.ProgrammingError,  # invalid column name
        208: exc.ProgrammingError,  # invalid object name
        2714: exc.ProgrammingError,  # object already exists
        245: exc.DataError,  # conversion failed
        8114: exc.DataError,  # error converting data type
        8115: exc.DataError,  # arithmetic overflow
        8134: exc.DataError,  # divide by zero
        8152: exc.DataError,  # string or binary data would be truncated (before 2019)
        2628: exc.DataError,  # string or binary data would be truncated in column ...
    }

    def get_server_version_info(self, dbapi_connection: Any) -> tuple[int, ...]:
        """The server's ``SERVERPROPERTY('ProductVersion')`` as a tuple of ints."""
        text = self.query_scalar(dbapi_connection,
                            "SELECT CAST(SERVERPROPERTY('ProductVersion') AS NVARCHAR(128))")
        return parse_server_version(text)

    def get_default_schema_name(self, dbapi_connection: Any) -> str | None:
        """The login's default schema (usually ``dbo``)."""
        return self.query_scalar(dbapi_connection, "SELECT SCHEMA_NAME()")

    # -- executing --------------------------------------------------------------------------
    def do_executemany(self, cursor: Any, statement: str, parameters: Sequence[Any],
                       context: Any = None) -> None:
        """executemany; explicit values for an IDENTITY column run between
        ``SET IDENTITY_INSERT <table> ON`` and ``OFF``, as for one row."""
        table = getattr(getattr(context, "compiled", None), "identity_insert_table", None)
        if table is None:
            self.executemany_rows(cursor, statement, parameters)
            return
        on, off = identity_insert_statements(table)
        cursor.execute(on)
        try:
            self.executemany_rows(cursor, statement, parameters)
        finally:
            cursor.execute(off)

    def executemany_rows(self, cursor: Any, statement: str, parameters: Sequence[Any]) -> None:
        """The driver's executemany (drivers override it for array binding)."""
        cursor.executemany(statement, parameters)

    def do_execute(self, cursor: Any, statement: str, parameters: Any,
                   context: Any = None) -> None:
        """Run one statement; an INSERT of explicit values into an IDENTITY column runs between
        ``SET IDENTITY_INSERT <table> ON`` and ``OFF`` (the compiler names the table)."""
        table = getattr(getattr(context, "compiled", None), "identity_insert_table", None)
        if table is None:
            cursor.execute(statement, parameters)
            return
        on, off = identity_insert_statements(table)
        cursor.execute(on)
        try:
            # OFF runs in the same batch, after the INSERT, so the INSERT's OUTPUT rows stay
            # the cursor's first result
            cursor.execute(f"{statement}; {off}", parameters)
        except Exception:
            try:
                cursor.execute(off)
            except Exception:
                pass
            raise

    # -- savepoints -------------------------------------------------------------------------
    def do_savepoint(self, connection: Any, name: str) -> None:
        """``SAVE TRANSACTION name``, opening a transaction first when none is open yet.

        With autocommit off, SQL Server opens its transaction at the first data statement, so
        a savepoint taken before any such statement would have nothing to attach to.
        """
        connection.exec_control_sql("IF @@TRANCOUNT = 0 BEGIN TRANSACTION")
        connection.exec_control_sql(
            f"SAVE TRANSACTION {self.identifier_preparer.quote(name)}")

    def do_rollback_to_savepoint(self, connection: Any, name: str) -> None:
        """``ROLLBACK TRANSACTION name``."""
        connection.exec_control_sql(
            f"ROLLBACK TRANSACTION {self.identifier_preparer.quote(name)}")

    def do_release_savepoint(self, connection: Any, name: str) -> None:
        """Nothing: SQL Server has no RELEASE; the savepoint ends with the transaction."""

    # -- isolation --------------------------------------------------------------------------
    def isolation_level_sql(self, level: str) -> str:
        """The statement that puts a session in ``level`` (not AUTOCOMMIT)."""
        checked = self.check_isolation_level(level)
        if checked is None or checked == "AUTOCOMMIT":
            raise exc.ArgumentError(
                "AUTOCOMMIT is not a transaction isolation level SQL Server can SET; it is the "
                "driver's autocommit mode. Use set_isolation_level() for it.")
        return f"SET TRANSACTION ISOLATION LEVEL {checked}"

    def get_isolation_level(self, dbapi_connection: Any) -> str:
        """The session's level, from ``sys.dm_exec_sessions`` (every login may read its own)."""
        number = self.query_scalar(
            dbapi_connection,
            "SELECT transaction_isolation_level FROM sys.dm_exec_sessions "
            "WHERE session_id = @@SPID")
        try:
            return _ISOLATION_BY_NUMBER[int(number)]
        except (KeyError, TypeError, ValueError):
            raise NotImplementedError(
                f"SQL Server reported the isolation level number {number!r}, which sqlwright "
                "does not know") from None

    # -- errors -----------------------------------------------------------------------------
    def error_class(self, e: BaseException) -> type[exc.DBAPIError]:
        """The sqlwright class by SQL Server error number, else by the driver's PEP 249 class."""
        number = self.error_code(e)
        if isinstance(number, int):
            found = self.error_classes_by_number.get(number)
            if found is not None:
                return found
        return super().error_class(e)
