"""Capability flags: the one vocabulary that core code and the test suite ask about a database.

Each flag is declared here once, with a type, a one-line docstring and the most conservative
default. A plugin's ``features.py`` subclasses :class:`Features` and overrides only the flags its
database changes; a flag that depends on the server version is a property reading
``self.server_version_info``. Core and tests ask a flag, never the vendor name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = ["Features"]


class Features:
    """The capabilities of one dialect instance (and so of the server it is connected to)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    @property
    def server_version_info(self) -> tuple[int, ...] | None:
        """The connected server's version as a tuple, or None before the first connection."""
        return self.dialect.server_version_info

    # -- statements -----------------------------------------------------------------------
    #: Can INSERT return columns (RETURNING / OUTPUT)?
    supports_insert_returning: bool = False
    #: Can UPDATE return columns?
    supports_update_returning: bool = False
    #: Can DELETE return columns?
    supports_delete_returning: bool = False
    #: Can one INSERT with RETURNING insert several rows and return each row's values?
    supports_multirow_insert_returning: bool = False
    #: The most bound parameters one statement may carry (multi-row batches stay under it).
    max_bind_parameters: int = 999
    #: Does INSERT accept several rows in one VALUES clause?
    supports_multivalues_insert: bool = True
    #: Does the database accept ``INSERT INTO t DEFAULT VALUES``?
    supports_default_values: bool = True
    #: Does the database accept an INSERT with an empty column list ``INSERT INTO t () VALUES ()``?
    supports_empty_insert: bool = False
    #: Does the cursor report the new row's integer primary key as ``lastrowid``?
    postfetch_lastrowid: bool = True
    #: Is ``cursor.rowcount`` reliable for UPDATE and DELETE?
    supports_sane_rowcount: bool = True
    #: Is ``cursor.rowcount`` reliable after executemany?
    supports_sane_multi_rowcount: bool = True
    #: Does UPDATE/DELETE rowcount count matched rows (True) or only changed ones (False)?
    rowcount_counts_matched_rows: bool = True
    #: Are common table expressions (WITH) supported?
    supports_cte: bool = True
    #: Is WITH RECURSIVE supported?
    supports_recursive_cte: bool = True
    #: Are window functions (OVER) supported?
    supports_window_functions: bool = True
    #: Does the database support the aggregate FILTER (WHERE ...) clause natively?
    supports_aggregate_filter: bool = False
    #: Is INTERSECT supported?
    supports_intersect: bool = True
    #: Is EXCEPT supported?
    supports_except: bool = True
    #: Is FULL OUTER JOIN supported?
    supports_full_outer_join: bool = True
    #: Are LATERAL subqueries supported?
    supports_lateral: bool = False
    #: Is SELECT ... FOR UPDATE supported?
    supports_for_update: bool = False
    #: Are NOWAIT / SKIP LOCKED supported on FOR UPDATE?
    supports_for_update_nowait: bool = False
    #: Does the database have a native ILIKE operator?
    supports_native_ilike: bool = False
    #: Does the database have a native IS DISTINCT FROM?
    supports_is_distinct_from: bool = True
    #: Does ORDER BY accept NULLS FIRST / NULLS LAST?
    supports_nulls_ordering: bool = True
    #: Can a row value (tuple) be compared with IN: ``(a, b) IN ((1, 2), (3, 4))``?
    supports_tuple_in: bool = True
    #: Does the database support DISTINCT ON (...)?
    supports_distinct_on: bool = False
    #: Does the database allow a bare boolean expression where a value is expected?
    supports_boolean_expressions: bool = True
    #: Does the database support regular expression matching?
    supports_regexp: bool = False
    #: Does a SELECT need a FROM clause (e.g. ``FROM DUAL``)?
    requires_from_clause: bool = False

    # -- transactions ---------------------------------------------------------------------
    #: Are SAVEPOINTs supported?
    supports_savepoints: bool = True
    #: Is DDL transactional (rolled back with the transaction)?
    supports_transactional_ddl: bool = False
    #: Does the dialect support an AUTOCOMMIT isolation level?
    supports_autocommit: bool = True
    #: Does SERIALIZABLE isolation fail conflicting transactions (rather than block)?
    supports_serializable_failures: bool = False

    # -- schema ---------------------------------------------------------------------------
    #: Are sequences (CREATE SEQUENCE, nextval) supported?
    supports_sequences: bool = False
    #: Are IDENTITY columns (GENERATED ... AS IDENTITY) supported?
    supports_identity_columns: bool = False
    #: Are computed (generated) columns supported?
    supports_computed_columns: bool = False
    #: Can ALTER TABLE add a foreign key constraint after creation?
    supports_alter: bool = True
    #: Can CREATE TABLE declare a foreign key to a table that does not exist yet?
    supports_forward_foreign_keys: bool = False
    #: Are table and column comments supported?
    supports_comments: bool = False
    #: Do constraints accept DEFERRABLE / INITIALLY DEFERRED (checks at commit)?
    supports_deferrable_constraints: bool = False
    #: Are CHECK constraints enforced?
    supports_check_constraints: bool = True
    #: Are foreign keys enforced?
    supports_foreign_keys: bool = True
    #: Are indexes on expressions supported?
    supports_expression_indexes: bool = False
    #: Are partial indexes (WHERE) supported?
    supports_partial_indexes: bool = False
    #: Are schemas (namespaces inside one database) supported?
    supports_schemas: bool = False
    #: Does the database have views?
    supports_views: bool = True
    #: Does ``CREATE TABLE IF NOT EXISTS`` / ``DROP TABLE IF EXISTS`` work?
    supports_if_exists: bool = True
    #: The longest identifier the database accepts.
    max_identifier_length: int = 63
    #: Does a VARCHAR need a length in DDL?
    requires_varchar_length: bool = False

    # -- types ----------------------------------------------------------------------------
    #: Does the database have a native BOOLEAN type?
    supports_native_boolean: bool = False
    #: Does the database have a native ENUM type?
    supports_native_enum: bool = False
    #: Does the database store exact decimals natively?
    supports_native_decimal: bool = True
    #: Does the database have a native UUID type?
    supports_native_uuid: bool = False
    #: Does the database have a JSON type?
    supports_json: bool = False
    #: Does the database have a native INTERVAL type?
    supports_native_interval: bool = False
    #: Does the database keep time zones in TIMESTAMP WITH TIME ZONE?
    supports_timezone: bool = False
    #: Does the database return microseconds for DATETIME/TIME values?
    supports_datetime_microseconds: bool = True
    #: Does the database have ARRAY types?
    supports_arrays: bool = False
    #: Does the empty string read back as NULL (Oracle)?
    empty_string_is_null: bool = False

    #: Conformance-suite test ids expected to fail, by reason: they run as strict xfail.
    known_failures: ClassVar[dict[str, list[str]]] = {}

    @classmethod
    def flag_names(cls) -> list[str]:
        """Every capability flag name, for the conformance matrix and ``requires`` checks."""
        names = []
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if name.startswith("_") or name in names or name in (
                        "known_failures", "server_version_info"):
                    continue
                if isinstance(value, (bool, int, property)) and not callable(value):
                    names.append(name)
        return names

    def __getattr__(self, name: str) -> object:
        raise AttributeError(
            f"Features has no flag {name!r}; declared flags are: "
            f"{', '.join(sorted(self.flag_names()))}"
        )
