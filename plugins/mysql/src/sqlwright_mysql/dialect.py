"""The MySQL / MariaDB dialect base shared by its drivers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from sqlwright import exc
from sqlwright.dialects.base import Dialect
from sqlwright.sql.quoting import IdentifierPreparer
from sqlwright_mysql.compiler import MySQLCompiler
from sqlwright_mysql.ddl import MySQLDDLCompiler
from sqlwright_mysql.features import MySQLFeatures
from sqlwright_mysql.reflection import MySQLInspector
from sqlwright_mysql.types import MYSQL_COLSPECS, MYSQL_ISCHEMA_NAMES, MySQLTypeCompiler

#: MySQL's and MariaDB's reserved words (those that need backticks as identifiers).
MYSQL_RESERVED = IdentifierPreparer.reserved_words | frozenset("""
accessible add all alter analyze and as asc asensitive before between bigint binary blob both
by call cascade case change char character check collate column condition constraint continue
convert create cross cube cume_dist current_date current_role current_time current_timestamp
current_user cursor database databases day_hour day_microsecond day_minute day_second dec
decimal declare default delayed delete dense_rank desc describe deterministic distinct
distinctrow div double drop dual each else elseif empty enclosed escaped except exists exit
explain false fetch first_value float float4 float8 for force foreign from fulltext function
generated get grant group grouping groups having high_priority hour_microsecond hour_minute
hour_second if ignore in index infile inner inout insensitive insert int int1 int2 int3 int4 int8
integer intersect interval into io_after_gtids io_before_gtids is iterate join json_table key
keys kill lag last_value lateral lead leading leave left like limit linear lines load localtime
localtimestamp lock long longblob longtext loop low_priority master_bind
master_ssl_verify_server_cert match maxvalue mediumblob mediumint mediumtext middleint
minute_microsecond minute_second mod modifies natural not no_write_to_binlog nth_value ntile
null numeric of offset on optimize optimizer_costs option optionally or order out outer outfile
over partition percent_rank precision primary procedure purge range rank read reads read_write
real recursive references regexp release rename repeat replace require resignal restrict return
returning revoke right rlike row row_number rows schema schemas second_microsecond select
sensitive separator set show signal smallint spatial specific sql sqlexception sqlstate
sqlwarning sql_big_result sql_calc_found_rows sql_small_result ssl starting stored
straight_join system table terminated then tinyblob tinyint tinytext to trailing trigger true
undo union unique unlock unsigned update usage use using utc_date utc_time utc_timestamp values
varbinary varchar varcharacter varying virtual when where while window with write xor
year_month zerofill
""".split())

_MARIADB_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)-MariaDB", re.IGNORECASE)
_MYSQL_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")

#: sqlwright class by server error number, where the driver's class is wrong or missing.
_CLASS_BY_ERRNO: dict[int, type[exc.DBAPIError]] = {
    1022: exc.IntegrityError,    # duplicate key on write
    1048: exc.IntegrityError,    # column cannot be null
    1062: exc.IntegrityError,    # duplicate entry
    1364: exc.IntegrityError,    # field has no default value (strict mode NOT NULL)
    1451: exc.IntegrityError,    # row is referenced (foreign key, delete/update parent)
    1452: exc.IntegrityError,    # no referenced row (foreign key, insert/update child)
    1216: exc.IntegrityError,    # no referenced row (older form)
    1217: exc.IntegrityError,    # row is referenced (older form)
    1557: exc.IntegrityError,    # foreign key duplicate entry
    1586: exc.IntegrityError,    # duplicate entry with key name
    3819: exc.IntegrityError,    # MySQL: check constraint violated
    4025: exc.IntegrityError,    # MariaDB: CONSTRAINT ... failed (check)
    1213: exc.OperationalError,  # deadlock found
    1205: exc.OperationalError,  # lock wait timeout
    3572: exc.OperationalError,  # NOWAIT: row is locked
    1054: exc.ProgrammingError,  # unknown column
    1406: exc.DataError,         # data too long
    1264: exc.DataError,         # out of range value
    1366: exc.DataError,         # incorrect value for column
    1292: exc.DataError,         # incorrect datetime / truncated value
    1690: exc.DataError,         # value out of range in an expression
}

#: A single-row INSERT ... VALUES (...) as compiled: the text up to VALUES, and the row.
_INSERT_ROW = re.compile(r"^(INSERT\b.*\sVALUES\s)(\(.*\))$", re.S)
_ON_DUPLICATE = " ON DUPLICATE KEY UPDATE "
_PYFORMAT_NAME = re.compile(r"%\((\w+)\)s")
#: Longest statement (in characters) one batch of rows may make.
MAX_BATCH_STATEMENT = 1_000_000

#: Client and server error numbers that mean the connection is gone.
DISCONNECT_ERRNOS = frozenset({2006, 2013, 2014, 2045, 2055, 4031})


class MySQLPreparer(IdentifierPreparer):
    """MySQL quoting: backticks (double quotes are string literals unless ANSI_QUOTES is on)."""

    reserved_words = MYSQL_RESERVED
    initial_quote = "`"
    final_quote = "`"


def parse_server_version(text: str) -> tuple[tuple[int, ...], bool]:
    """``(version tuple, is_mariadb)`` from ``SELECT VERSION()``.

    ``"10.11.6-MariaDB-0+deb12u1"`` and the replication form ``"5.5.5-10.11.6-MariaDB"`` give
    ``((10, 11, 6), True)``; ``"8.0.36-0ubuntu0.22.04.1"`` gives ``((8, 0, 36), False)``.
    """
    match = _MARIADB_VERSION.search(text)
    if match is not None:
        return tuple(int(part) for part in match.groups()), True
    match = _MYSQL_VERSION.search(text)
    if match is None:
        raise exc.InvalidRequestError(
            f"Could not read a MySQL version from {text!r}; the server must answer "
            "SELECT VERSION() with a dotted version number")
    return tuple(int(part) for part in match.groups() if part is not None), False


class MySQLDialect(Dialect):
    """MySQL and MariaDB, for any driver.

    ``is_mariadb`` and ``server_version_info`` are known after the first connection. SQL the
    dialect runs for itself goes through :meth:`query_scalar`, which drivers may override.
    """

    name = "mysql"
    features_class = MySQLFeatures
    statement_compiler = MySQLCompiler
    ddl_compiler = MySQLDDLCompiler
    type_compiler = MySQLTypeCompiler
    preparer = MySQLPreparer
    inspector = MySQLInspector
    colspecs = MYSQL_COLSPECS
    ischema_names = MYSQL_ISCHEMA_NAMES
    isolation_levels: ClassVar[tuple[str, ...]] = (
        "SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED", "AUTOCOMMIT")
    disconnect_messages: ClassVar[tuple[str, ...]] = (
        "mysql server has gone away",
        "lost connection to mysql server",
        "lost connection to server",
        "server has gone away",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: ``SELECT VERSION()`` as the server answered it, after the first connection.
        self.server_version_string: str | None = None

    @property
    def is_mariadb(self) -> bool:
        """True when connected to MariaDB (False before the first connection)."""
        return "mariadb" in (self.server_version_string or "").lower()


    def get_server_version_info(self, dbapi_connection: Any) -> tuple[int, ...]:
        """The version from ``SELECT VERSION()``; also records whether it is MariaDB."""
        self.server_version_string = str(self.query_scalar(dbapi_connection, "SELECT VERSION()"))
        return parse_server_version(self.server_version_string)[0]

    def get_default_schema_name(self, dbapi_connection: Any) -> str | None:
        """The current database (``DATABASE()``), or None when the URL named none."""
        value = self.query_scalar(dbapi_connection, "SELECT DATABASE()")
        return str(value) if value is not None else None

    def _isolation_variable(self) -> str:
        """``transaction_isolation`` (MySQL 5.7.20+, MariaDB 11.1+) or ``tx_isolation``."""
        info = self.server_version_info or (0,)
        if self.is_mariadb:
            return "transaction_isolation" if info >= (11, 1) else "tx_isolation"
        return "transaction_isolation" if info >= (5, 7, 20) else "tx_isolation"

    def get_isolation_level(self, dbapi_connection: Any) -> str:
        """The session's level, e.g. ``"REPEATABLE READ"``."""
        variable = self._isolation_variable()
        value = self.query_scalar(dbapi_connection, f"SELECT @@session.{variable}")
        return str(value).replace("-", " ").upper()

    def error_code(self, e: BaseException) -> str | int | None:
        """The MySQL error number, e.g. 1062 for a duplicate entry."""
        code = e.args[0] if e.args else None
        return code if isinstance(code, int) else None

    def error_class(self, e: BaseException) -> type[exc.DBAPIError]:
        """The sqlwright class by error number, falling back to the driver's PEP 249 class."""
        code = self.error_code(e)
        found = _CLASS_BY_ERRNO.get(code) if isinstance(code, int) else None
        return found if found is not None else super().error_class(e)

    def is_disconnect(self, e: BaseException, dbapi_connection: Any, cursor: Any) -> bool:
        """True for the connection-lost error numbers (2006, 2013, ...) and messages."""
        if self.error_code(e) in DISCONNECT_ERRNOS:
            return True
        return super().is_disconnect(e, dbapi_connection, cursor)

    # -- executemany ------------------------------------------------------------------------
    def do_executemany(self, cursor: Any, statement: str, parameters: Sequence[Any],
                       context: Any = None) -> None:
        """Run an INSERT for many rows.

        The driver sends ``INSERT ... VALUES`` rows in multi-row batches itself. When the
        compiler planned it (``compiled.returning_batch``: MariaDB 10.5+, whose INSERT has
        RETURNING), the rows go instead in multi-row batches ending in ``RETURNING <key>``
        and each row's generated key is recorded with ``context.record_generated_keys``: a
        few round trips for thousands of keys.
        """
        compiled = getattr(context, "compiled", None)
        plan = getattr(compiled, "returning_batch", None)
        match = _INSERT_ROW.match(statement) if plan is not None else None
        if plan is None or match is None or not hasattr(cursor, "mogrify"):
            self._executemany_plain(cursor, statement, parameters)
            return
        column = plan
        keys = self._insert_returning_batches(
            cursor, match.group(1) % (), match.group(2), parameters,
            self.identifier_preparer.quote(column.name))
        context.record_generated_keys(0, [column], [(key,) for key in keys])

    def _executemany_plain(self, cursor: Any, statement: str,
                           parameters: Sequence[Any]) -> None:
        """``cursor.executemany``; an upsert's parameters after ON DUPLICATE KEY UPDATE,
        which the driver's batching cannot take, are rendered inline first (rows run one by
        one if they disagree on those values)."""
        head, sep, tail = statement.partition(_ON_DUPLICATE)
        names = _PYFORMAT_NAME.findall(tail) if sep else []
        if not names or not hasattr(cursor, "mogrify") or not parameters:
            cursor.executemany(statement, parameters)
            return
        first = parameters[0]
        if any(params[n] != first[n] for params in parameters for n in names):
            total = 0
            for params in parameters:
                cursor.execute(statement, params)
                total += max(cursor.rowcount, 0)
            cursor.rowcount = total
            return
        rendered = cursor.mogrify(tail, {n: first[n] for n in names})
        cursor.executemany(head + sep + rendered.replace("%", "%%"), parameters)

    def _insert_returning_batches(self, cursor: Any, prefix: str, row: str,
                                  parameters: Sequence[Any], returning: str) -> list[Any]:
        """Insert the rows in batches of at most MAX_BATCH_STATEMENT characters, each with
        ``RETURNING``; the keys come back in row order (ascending within a statement)."""
        keys: list[Any] = []
        total = 0
        batch: list[str] = []
        size = len(prefix)
        side = cursor.connection.cursor()
        try:
            def flush() -> None:
                nonlocal total
                side.execute(f"{prefix}{', '.join(batch)} RETURNING {returning}")
                keys.extend(sorted(r[0] for r in side.fetchall()))
                total += max(side.rowcount, 0)

            for params in parameters:
                rendered = cursor.mogrify(row, params)
                if batch and size + len(rendered) > MAX_BATCH_STATEMENT:
                    flush()
                    batch, size = [], len(prefix)
                batch.append(rendered)
                size += len(rendered) + 2
            if batch:
                flush()
        finally:
            side.close()
        cursor.rowcount = total
        return keys
