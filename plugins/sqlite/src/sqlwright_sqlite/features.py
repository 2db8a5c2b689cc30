"""SQLite's capabilities: only the flags that differ from core's conservative defaults."""

from __future__ import annotations

from sqlwright.dialects.features import Features


class SQLiteFeatures(Features):
    """Flags for SQLite; version-dependent ones read the library version."""

    @property
    def max_bind_parameters(self) -> int:  # type: ignore[override]
        """SQLITE_MAX_VARIABLE_NUMBER: 32766 since SQLite 3.32, 999 before."""
        return 32766 if self._at_least(3, 32) else 999

    supports_deferrable_constraints = True

    def _at_least(self, *version: int) -> bool:
        info = self.server_version_info
        if info is None:
            import sqlite3

            info = sqlite3.sqlite_version_info
        return tuple(info) >= version

    @property
    def supports_insert_returning(self) -> bool:  # type: ignore[override]
        """RETURNING arrived in SQLite 3.35."""
        return self._at_least(3, 35)

    supports_update_returning = supports_insert_returning
    supports_delete_returning = supports_insert_returning
    supports_multirow_insert_returning = supports_insert_returning

    @property
    def supports_full_outer_join(self) -> bool:  # type: ignore[override]
        """FULL and RIGHT OUTER JOIN arrived in SQLite 3.39."""
        return self._at_least(3, 39)

    @property
    def supports_computed_columns(self) -> bool:  # type: ignore[override]
        """Generated columns arrived in SQLite 3.31."""
        return self._at_least(3, 31)

    supports_json = True
    supports_aggregate_filter = True
    supports_transactional_ddl = True
    supports_alter = False
    supports_forward_foreign_keys = True
    supports_partial_indexes = True
    supports_expression_indexes = True
    supports_nulls_ordering = True
    supports_is_distinct_from = True
    max_identifier_length = 1024
    supports_sane_multi_rowcount = True
    supports_empty_insert = False
    supports_default_values = True
