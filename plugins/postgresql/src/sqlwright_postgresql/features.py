"""PostgreSQL's capabilities: only the flags that differ from core's conservative defaults."""

from __future__ import annotations

from sqlwright.dialects.features import Features


class PGFeatures(Features):
    """Flags for PostgreSQL.

    Version-dependent flags read the connected server's version; before the first connection
    (compiling with no server) they answer for a current PostgreSQL release.
    """

    max_bind_parameters = 65535

    supports_deferrable_constraints = True

    def _at_least(self, *version: int) -> bool:
        info = self.server_version_info
        return info is None or tuple(info) >= version

    # -- statements -----------------------------------------------------------------------
    supports_insert_returning = True
    supports_update_returning = True
    supports_delete_returning = True
    supports_multirow_insert_returning = True
    supports_default_values = True
    supports_empty_insert = False
    #: psycopg2's lastrowid is an OID, not the primary key: keys come from RETURNING.
    postfetch_lastrowid = False
    supports_aggregate_filter = True
    supports_lateral = True
    supports_for_update = True
    supports_for_update_nowait = True
    supports_native_ilike = True
    supports_distinct_on = True
    supports_regexp = True

    # -- transactions ---------------------------------------------------------------------
    supports_transactional_ddl = True
    supports_serializable_failures = True

    # -- schema ---------------------------------------------------------------------------
    supports_sequences = True

    @property
    def supports_identity_columns(self) -> bool:  # type: ignore[override]
        """GENERATED ... AS IDENTITY arrived in PostgreSQL 10."""
        return self._at_least(10)

    @property
    def supports_computed_columns(self) -> bool:  # type: ignore[override]
        """GENERATED ALWAYS AS (...) STORED arrived in PostgreSQL 12."""
        return self._at_least(12)

    supports_comments = True
    supports_expression_indexes = True
    supports_partial_indexes = True
    supports_schemas = True
    max_identifier_length = 63

    # -- types ----------------------------------------------------------------------------
    supports_native_boolean = True
    supports_native_enum = True
    supports_native_uuid = True
    supports_json = True
    supports_native_interval = True
    supports_timezone = True
    supports_arrays = True
