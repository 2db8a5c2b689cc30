"""MySQL's and MariaDB's capabilities: only the flags that differ from core's defaults.

One dialect serves both databases; flags that differ between them, or between versions, are
properties reading the connected server. Before the first connection (compiling with no server)
they answer for a current MySQL release.
"""

from __future__ import annotations

from sqlwright.dialects.features import Features


class MySQLFeatures(Features):
    """Flags for MySQL and MariaDB."""

    max_bind_parameters = 65535

    def _is_mariadb(self) -> bool:
        return bool(getattr(self.dialect, "is_mariadb", False))

    def _mysql(self, *version: int) -> bool:
        """True on MySQL of at least ``version`` (or an unknown MySQL version)."""
        info = self.server_version_info
        return not self._is_mariadb() and (info is None or tuple(info) >= version)

    def _mariadb(self, *version: int) -> bool:
        """True on MariaDB of at least ``version``."""
        info = self.server_version_info
        return self._is_mariadb() and (info is None or tuple(info) >= version)

    # -- statements -----------------------------------------------------------------------
    @property
    def supports_insert_returning(self) -> bool:  # type: ignore[override]
        """INSERT ... RETURNING: MariaDB 10.5 and later; MySQL has none."""
        return self._mariadb(10, 5)

    supports_multirow_insert_returning = supports_insert_returning

    @property
    def supports_delete_returning(self) -> bool:  # type: ignore[override]
        """DELETE ... RETURNING: MariaDB 10.0.5 and later; MySQL has none."""
        return self._mariadb(10, 0, 5)

    #: Neither MySQL nor MariaDB has UPDATE ... RETURNING.
    supports_update_returning = False
    #: MySQL has no DEFAULT VALUES clause; ``INSERT INTO t () VALUES ()`` does the same.
    supports_default_values = False
    supports_empty_insert = True

    @property
    def supports_cte(self) -> bool:  # type: ignore[override]
        """WITH: MySQL 8.0, MariaDB 10.2."""
        return self._mysql(8) or self._mariadb(10, 2)

    supports_recursive_cte = supports_cte
    supports_window_functions = supports_cte

    @property
    def supports_intersect(self) -> bool:  # type: ignore[override]
        """INTERSECT and EXCEPT: MySQL 8.0.31, MariaDB 10.3."""
        return self._mysql(8, 0, 31) or self._mariadb(10, 3)

    supports_except = supports_intersect
    supports_full_outer_join = False

    @property
    def supports_lateral(self) -> bool:  # type: ignore[override]
        """LATERAL derived tables: MySQL 8.0.14; MariaDB has none."""
        return self._mysql(8, 0, 14)

    supports_for_update = True

    @property
    def supports_for_update_nowait(self) -> bool:  # type: ignore[override]
        """NOWAIT and SKIP LOCKED: MySQL 8.0, MariaDB 10.6."""
        return self._mysql(8) or self._mariadb(10, 6)

    #: ``<=>`` does the job; the compiler renders IS DISTINCT FROM with it.
    supports_is_distinct_from = False
    supports_nulls_ordering = False
    supports_regexp = True

    # -- transactions ---------------------------------------------------------------------
    #: DDL commits the open transaction implicitly.
    supports_transactional_ddl = False

    # -- schema ---------------------------------------------------------------------------
    @property
    def supports_sequences(self) -> bool:  # type: ignore[override]
        """CREATE SEQUENCE: MariaDB 10.3; MySQL has none."""
        return self._mariadb(10, 3)

    #: Generated (virtual and stored) columns: MySQL 5.7, MariaDB 5.2.
    supports_computed_columns = True
    supports_comments = True

    @property
    def supports_check_constraints(self) -> bool:  # type: ignore[override]
        """CHECK constraints enforced: MySQL 8.0.16, MariaDB 10.2."""
        return self._mysql(8, 0, 16) or self._mariadb(10, 2)

    @property
    def supports_expression_indexes(self) -> bool:  # type: ignore[override]
        """Functional key parts: MySQL 8.0.13; MariaDB needs a generated column instead."""
        return self._mysql(8, 0, 13)

    #: A MySQL "schema" is a database on the same server, reached as ``db.table``.
    supports_schemas = True
    max_identifier_length = 64
    requires_varchar_length = True

    # -- types ----------------------------------------------------------------------------
    supports_native_enum = True
    supports_json = True

    @property
    def supports_native_uuid(self) -> bool:  # type: ignore[override]
        """A UUID column type: MariaDB 10.7; MySQL has none."""
        return self._mariadb(10, 7)

    #: DATETIME and TIME keep fractional seconds only when declared with a precision (6).
    supports_datetime_microseconds = False
