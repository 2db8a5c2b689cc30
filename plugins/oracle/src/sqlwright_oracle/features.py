"""Oracle's capabilities: only the flags that differ from core's conservative defaults."""

from __future__ import annotations

from sqlwright.dialects.features import Features


class OracleFeatures(Features):
    """Flags for Oracle Database; version-dependent ones read the connected server's version."""

    max_bind_parameters = 65535

    supports_deferrable_constraints = True

    #: The version assumed before the first connection (compiling offline): Oracle 19c.
    assumed_server_version: tuple[int, ...] = (19,)

    def _at_least(self, *version: int) -> bool:
        info = self.server_version_info or self.assumed_server_version
        return tuple(info) >= version

    # -- statements -----------------------------------------------------------------------
    # RETURNING ... INTO binds one row's values; a multi-row insert cannot return them.
    supports_insert_returning = True
    supports_update_returning = True
    supports_delete_returning = True
    supports_multirow_insert_returning = False
    # 23ai accepts several VALUES rows and SELECT without FROM; older releases, still the
    # majority in service, do not, and the portable forms work on every release.
    supports_multivalues_insert = False
    requires_from_clause = True
    supports_default_values = False
    supports_empty_insert = False
    postfetch_lastrowid = False  # lastrowid is a ROWID string, not the key
    supports_intersect = True
    supports_except = True  # written MINUS before 21c
    supports_full_outer_join = True
    supports_for_update = True
    supports_for_update_nowait = True
    supports_nulls_ordering = True
    supports_is_distinct_from = False
    supports_tuple_in = True
    supports_regexp = True  # REGEXP_LIKE

    @property
    def supports_lateral(self) -> bool:  # type: ignore[override]
        """LATERAL inline views arrived in Oracle 12c."""
        return self._at_least(12)

    @property
    def supports_boolean_expressions(self) -> bool:  # type: ignore[override]
        """A bare condition is a value only from 23ai, with the BOOLEAN type."""
        return self._at_least(23)

    # -- transactions ---------------------------------------------------------------------
    supports_savepoints = True
    supports_transactional_ddl = False  # every DDL statement commits
    supports_serializable_failures = True  # ORA-08177: can't serialize access

    # -- schema ---------------------------------------------------------------------------
    supports_sequences = True
    supports_computed_columns = True  # virtual columns

    @property
    def supports_identity_columns(self) -> bool:  # type: ignore[override]
        """GENERATED ... AS IDENTITY arrived in Oracle 12c."""
        return self._at_least(12)

    @property
    def supports_if_exists(self) -> bool:  # type: ignore[override]
        """CREATE ... IF NOT EXISTS / DROP ... IF EXISTS arrived in Oracle 23ai."""
        return self._at_least(23)

    @property
    def max_identifier_length(self) -> int:  # type: ignore[override]
        """128 bytes from Oracle 12.2, 30 before."""
        return 128 if self._at_least(12, 2) else 30

    supports_comments = True
    supports_expression_indexes = True  # function-based indexes
    supports_partial_indexes = False
    supports_schemas = True  # a schema is a user
    requires_varchar_length = True  # VARCHAR2 needs a length

    # -- types ----------------------------------------------------------------------------
    @property
    def supports_native_boolean(self) -> bool:  # type: ignore[override]
        """The BOOLEAN column type arrived in Oracle 23ai."""
        return self._at_least(23)

    @property
    def supports_json(self) -> bool:  # type: ignore[override]
        """The native JSON type arrived in Oracle 21c."""
        return self._at_least(21)

    supports_native_interval = True
    supports_timezone = True  # TIMESTAMP WITH TIME ZONE
    empty_string_is_null = True  # '' is stored and read back as NULL
