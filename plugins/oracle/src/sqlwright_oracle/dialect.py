"""The Oracle dialect base shared by its drivers."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from sqlwright import exc
from sqlwright.dialects.base import Dialect
from sqlwright.engine.cursor import BufferedRowsCursor
from sqlwright.sql.quoting import IdentifierPreparer
from sqlwright_oracle.compiler import OracleCompiler
from sqlwright_oracle.ddl import OracleDDLCompiler
from sqlwright_oracle.features import OracleFeatures
from sqlwright_oracle.reflection import OracleInspector
from sqlwright_oracle.types import ORACLE_COLSPECS, ORACLE_ISCHEMA_NAMES, OracleTypeCompiler

_ORACLE_KEYWORDS = """
access add alter audit cluster column comment compress connect current date decimal dual exclusive
file float identified immediate increment initial integer level lock long maxextents minus mlslabel
mode modify noaudit nocompress nowait number of offline online option pctfree prior privileges
public raw rename resource row rowid rownum rows session share size smallint start successful
synonym sysdate trigger uid validate varchar varchar2 view whenever
"""
ORACLE_RESERVED = IdentifierPreparer.reserved_words | frozenset(_ORACLE_KEYWORDS.split())

#: An Oracle error code as it appears in messages: ``ORA-00001``, ``DPY-4011``, ``DPI-1080``.
ERROR_CODE = re.compile(r"\b((?:ORA|DPY|DPI|TNS)-\d{4,5})\b")


class OraclePreparer(IdentifierPreparer):
    """Oracle quoting: double quotes; unquoted names fold to upper case and start with a letter."""

    reserved_words = ORACLE_RESERVED
    case_folding = "upper"
    legal_characters = re.compile(r"^[a-z][a-z0-9_$#]*$")


def escape_parameters(compiled: Any, parameters: Any) -> Any:
    """``parameters`` with keys renamed to the bind names the compiled SQL uses."""
    renames = getattr(compiled, "escaped_bind_names", None)
    if not renames or not isinstance(parameters, dict):
        return parameters
    return {renames.get(k, k): v for k, v in parameters.items()}


def out_bind_type(type_: Any) -> type:
    """The Python type an out-bind variable for a column of ``type_`` is created with."""
    hint = getattr(type_, "python_type_hint", None)
    if isinstance(hint, type) and hint in (int, float, str, bytes):
        return hint
    import datetime
    import decimal

    if hint in (datetime.datetime, datetime.date):
        return datetime.datetime
    if hint is decimal.Decimal:
        return float
    return str


def parse_server_version(text: str) -> tuple[int, ...]:
    """``connection.version`` text such as ``"19.3.0.0.0"`` as ``(19, 3, 0, 0, 0)``.

    Raises ArgumentError for text that does not start with a number.
    """
    parts = []
    for piece in str(text).strip().split("."):
        if not piece.isdigit():
            break
        parts.append(int(piece))
    if not parts:
        raise exc.ArgumentError(
            f"Cannot read an Oracle version from {text!r}; expected a dotted number such as "
            "'19.3.0.0.0' (what the driver's connection.version returns).")
    return tuple(parts)


class OracleDialect(Dialect):
    """Oracle Database, for any driver.

    Error translation is by Oracle error code (``error_classes_by_code``, keys such as
    ``"ORA-00001"``); a driver supplies the code through :meth:`error_code`.
    """

    name = "oracle"
    features_class = OracleFeatures
    statement_compiler = OracleCompiler
    ddl_compiler = OracleDDLCompiler
    type_compiler = OracleTypeCompiler
    preparer = OraclePreparer
    inspector = OracleInspector
    colspecs = ORACLE_COLSPECS
    ischema_names = ORACLE_ISCHEMA_NAMES
    isolation_levels: ClassVar[tuple[str, ...]] = ("READ COMMITTED", "SERIALIZABLE", "AUTOCOMMIT")
    error_classes_by_code: ClassVar[dict[str, type[exc.DBAPIError]]] = {
        "ORA-00001": exc.IntegrityError,  # unique constraint violated
        "ORA-01400": exc.IntegrityError,  # cannot insert NULL
        "ORA-01407": exc.IntegrityError,  # cannot update to NULL
        "ORA-02290": exc.IntegrityError,  # check constraint violated
        "ORA-02291": exc.IntegrityError,  # parent key not found
        "ORA-02292": exc.IntegrityError,  # child record found
        "ORA-00060": exc.OperationalError,  # deadlock detected
        "ORA-08177": exc.OperationalError,  # can't serialize access for this transaction
        "ORA-00054": exc.OperationalError,  # resource busy (NOWAIT)
        "ORA-30006": exc.OperationalError,  # resource busy (WAIT timeout)
        "ORA-01013": exc.OperationalError,  # user requested cancel
        "ORA-01017": exc.OperationalError,  # invalid username/password
        "ORA-12505": exc.OperationalError,  # listener does not know the SID
        "ORA-12514": exc.OperationalError,  # listener does not know the service
        "ORA-12541": exc.OperationalError,  # no listener
        "DPY-4011": exc.OperationalError,  # the database or network closed the connection
        "DPY-6005": exc.OperationalError,  # cannot connect to the database
        "ORA-00942": exc.ProgrammingError,  # table or view does not exist
        "ORA-00904": exc.ProgrammingError,  # invalid identifier
        "ORA-00955": exc.ProgrammingError,  # name is already used by an existing object
        "ORA-00900": exc.ProgrammingError,  # invalid SQL statement
        "ORA-00907": exc.ProgrammingError,  # missing right parenthesis
        "ORA-00933": exc.ProgrammingError,  # SQL command not properly ended
        "ORA-00936": exc.ProgrammingError,  # missing expression
        "ORA-01722": exc.DataError,  # invalid number
        "ORA-01438": exc.DataError,  # value larger than the column's precision
        "ORA-12899": exc.DataError,  # value too large for column
        "ORA-01476": exc.DataError,  # divisor is equal to zero
        "ORA-01861": exc.DataError,  # literal does not match format string
    }

    def get_default_schema_name(self, dbapi_connection: Any) -> str | None:
        """The session's current schema, normalized (``SCOTT`` reads ``scott``)."""
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') FROM DUAL")
            row = cursor.fetchone()
        finally:
            cursor.close()
        return self.normalize_name(row[0]) if row else None

    # -- names ------------------------------------------------------------------------------
    def normalize_name(self, name: str | None) -> str | None:
        """A name as Oracle's catalog stores it -> sqlwright's spelling.

        An all-upper-case name that needs no quotes is case-insensitive in Oracle, so it reads
        as lower case (``EMPLOYEES`` -> ``employees``); any other name is case-sensitive and
        kept as is.
        """
        if name and name == name.upper() and \
                self.identifier_preparer.legal_characters.match(name.lower()):
            return name.lower()
        return name

    def denormalize_name(self, name: str | None) -> str | None:
        """The inverse of :meth:`normalize_name`: sqlwright's ``employees`` -> ``EMPLOYEES``."""
        if name and name == name.lower() and self.identifier_preparer.legal_characters.match(name):
            return name.upper()
        return name

    # -- executing --------------------------------------------------------------------------
    def do_execute(self, cursor: Any, statement: str, parameters: Any,
                   context: Any = None) -> None:
        """Run one statement; a ``RETURNING ... INTO`` gets one output variable per column.

        The returned rows become the statement's Result (``context.result_cursor``).
        """
        compiled = getattr(context, "compiled", None)
        parameters = escape_parameters(compiled, parameters)
        names = getattr(compiled, "returning_out_binds", None)
        if not names:
            cursor.execute(statement, parameters)
            return
        columns = list(getattr(compiled, "returning", None) or ())
        params = dict(parameters or {})
        out_vars = []
        for i, name in enumerate(names):
            python_type = out_bind_type(columns[i].type if i < len(columns) else None)
            var = cursor.var(python_type, arraysize=1)
            params[name] = var
            out_vars.append(var)
        cursor.execute(statement, params)
        values = [var.getvalue() for var in out_vars]
        rows = list(zip(*values)) if values and isinstance(values[0], list) else [tuple(values)]
        if context is not None:
            result_names = [c.name for c in getattr(compiled, "result_columns", ())]
            if len(result_names) != len(names):
                result_names = list(names)
            context.result_cursor = BufferedRowsCursor(
                rows, BufferedRowsCursor.describe(result_names), rowcount=cursor.rowcount)

    def do_executemany(self, cursor: Any, statement: str, parameters: Any,
                       context: Any = None) -> None:
        """executemany, with parameter names renamed as the compiler renamed their binds."""
        compiled = getattr(context, "compiled", None)
        cursor.executemany(statement, [escape_parameters(compiled, p) for p in parameters])

    # -- savepoints -------------------------------------------------------------------------
    def do_release_savepoint(self, connection: Any, name: str) -> None:
        """Nothing: Oracle has no RELEASE SAVEPOINT; savepoints end with the transaction."""

    # -- isolation --------------------------------------------------------------------------
    def isolation_level_sql(self, level: str) -> str:
        """The statement that puts a session in ``level`` (READ COMMITTED or SERIALIZABLE)."""
        checked = self.check_isolation_level(level)
        if checked is None or checked == "AUTOCOMMIT":
            raise exc.ArgumentError(
                "AUTOCOMMIT is the driver's autocommit mode, not an Oracle isolation level; "
                "use set_isolation_level() for it.")
        return f"ALTER SESSION SET ISOLATION_LEVEL = {checked}"

    # -- errors -----------------------------------------------------------------------------
    def error_class(self, e: BaseException) -> type[exc.DBAPIError]:
        """The sqlwright class by Oracle error code, else by the driver's PEP 249 class."""
        code = self.error_code(e)
        if isinstance(code, str):
            found = self.error_classes_by_code.get(code)
            if found is not None:
                return found
        return super().error_class(e)
