"""SQL Server's capabilities: only the flags that differ from core's conservative defaults.

Major versions: 11 = 2012, 12 = 2014, 13 = 2016, 14 = 2017, 15 = 2019, 16 = 2022.
"""

from __future__ import annotations

from sqlwright.dialects.features import Features


class MSFeatures(Features):
    """Flags for SQL Server; version-dependent ones read the connected server's version."""

    max_bind_parameters = 2000  # SQL Server refuses a request with 2100 or more

    #: The version assumed before the first connection (compiling offline): SQL Server 2019.
    assumed_server_version: tuple[int, ...] = (15,)

    def _at_least(self, *version: int) -> bool:
        info = self.server_version_info or self.assumed_server_version
        return tuple(info) >= version

    # -- statements: OUTPUT inserted.* / deleted.* stands in for RETURNING ----------------
    supports_insert_returning = True
    supports_update_returning = True
    supports_delete_returning = True
    # OUTPUT rows of a multi-row INSERT come back in no guaranteed order, so they cannot be
    # paired with the parameter sets that produced them.
    supports_multirow_insert_returning = False
    # One INSERT ... VALUES takes at most 1000 row constructors (and 2100 parameters).
    supports_multivalues_insert = True
    supports_default_values = True
    postfetch_lastrowid = False
    supports_sane_multi_rowcount = False
    supports_intersect = True
    supports_except = True
    supports_full_outer_join = True
    # Row locks are table hints (WITH (UPDLOCK, ROWLOCK)), not SELECT ... FOR UPDATE.
    supports_for_update = False
    supports_for_update_nowait = False
    supports_nulls_ordering = False
    supports_tuple_in = False
    supports_boolean_expressions = False
    requires_from_clause = False

    @property
    def supports_is_distinct_from(self) -> bool:  # type: ignore[override]
        """IS [NOT] DISTINCT FROM arrived in SQL Server 2022 (16)."""
        return self._at_least(16)

    # -- transactions ---------------------------------------------------------------------
    supports_savepoints = True
    supports_transactional_ddl = True
    supports_autocommit = True

    # -- schema ---------------------------------------------------------------------------
    @property
    def supports_sequences(self) -> bool:  # type: ignore[override]
        """CREATE SEQUENCE arrived in SQL Server 2012 (11)."""
        return self._at_least(11)

    supports_identity_columns = True
    supports_computed_columns = True
    supports_schemas = True
    supports_partial_indexes = True  # filtered indexes: CREATE INDEX ... WHERE
    supports_expression_indexes = False
    # DROP TABLE IF EXISTS exists (2016) but CREATE TABLE IF NOT EXISTS does not.
    supports_if_exists = False
    max_identifier_length = 128
    requires_varchar_length = True

    # -- types ----------------------------------------------------------------------------
    supports_native_boolean = False  # BIT holds 0/1; there is no BOOLEAN type
    supports_native_uuid = True  # UNIQUEIDENTIFIER
    supports_timezone = True  # DATETIMEOFFSET
    # JSON is text handled by functions (JSON_VALUE, OPENJSON); there is no JSON column type
    # before the 2025 release.
    supports_json = False
