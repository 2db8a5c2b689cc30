"""Schema reflection: the Inspector, ``sqlwright.inspect()`` and building Tables from it.

A dialect plugin subclasses :class:`Inspector` in its ``reflection.py`` and implements the
``fetch_*`` methods (each takes an open Connection); the public ``get_*`` methods add caching
and argument handling. The dialect names the class in its ``inspector`` attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlwright import exc

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.schema import MetaData, Table

__all__ = ["Inspector", "inspector_for", "reflect_metadata", "reflect_table"]

ReflectedDict = dict[str, Any]


class Inspector:
    """Reads schema information from a database; results are cached per inspector.

    Create one with ``sqlwright.inspect(engine_or_connection)``; call :meth:`clear_cache` (or
    make a new inspector) to see changes made after a first look.
    """

    def __init__(self, bind: Any) -> None:
        self.bind = bind
        self.engine = getattr(bind, "engine", bind)
        self.dialect: Dialect = bind.dialect
        self.info_cache: dict[Any, Any] = {}

    # -- plumbing ----------------------------------------------------------------------------
    @contextmanager
    def _operation_context(self) -> Iterator[Any]:
        if hasattr(self.bind, "execute"):
            yield self.bind
        else:
            with self.bind.connect() as conn:
                yield conn

    def _cached(self, method: str, *args: Any) -> Any:
        key = (method, *args)
        try:
            return self.info_cache[key]
        except KeyError:
            pass
        with self._operation_context() as conn:
            value = getattr(self, method)(conn, *args)
        self.info_cache[key] = value
        return value

    def clear_cache(self) -> None:
        """Forget everything read so far."""
        self.info_cache.clear()

    def _unsupported(self, what: str) -> NotImplementedError:
        return NotImplementedError(
            f"The {self.dialect.name} dialect does not implement reflection of {what}")

    @property
    def default_schema_name(self) -> str | None:
        """The schema unqualified names resolve to on this connection."""
        return self.dialect.default_schema_name

    def _require_table(self, table_name: str, schema: str | None) -> None:
        if not self.has_table(table_name, schema):
            where = f" in schema {schema!r}" if schema else ""
            raise exc.NoSuchTableError(
                f"Table {table_name!r} does not exist{where}; known tables: "
                f"{', '.join(self.get_table_names(schema)) or 'none'}")

    # -- public API --------------------------------------------------------------------------
    def get_schema_names(self) -> list[str]:
        """The schema names of the database."""
        return list(self._cached("fetch_schema_names"))

    def get_table_names(self, schema: str | None = None) -> list[str]:
        """The names of the tables (not views) in ``schema``, sorted."""
        return list(self._cached("fetch_table_names", schema))

    def get_temp_table_names(self) -> list[str]:
        """The names of temporary tables visible to this connection."""
        return list(self._cached("fetch_temp_table_names"))

    def get_view_names(self, schema: str | None = None) -> list[str]:
        """The names of the views in ``schema``, sorted."""
        return list(self._cached("fetch_view_names", schema))

    def get_view_definition(self, view_name: str, schema: str | None = None) -> str:
        """The SQL that defines a view."""
        found = self._cached("fetch_view_definition", view_name, schema)
        if found is None:
            raise exc.NoSuchTableError(f"View {view_name!r} does not exist")
        return str(found)

    def has_table(self, table_name: str, schema: str | None = None) -> bool:
        """True when a table (or view) of that name exists."""
        return bool(self._cached("fetch_has_table", table_name, schema))

    def has_index(self, table_name: str, index_name: str, schema: str | None = None) -> bool:
        """True when ``table_name`` has an index named ``index_name``."""
        return any(ix["name"] == index_name for ix in self.get_indexes(table_name, schema))

    def has_sequence(self, sequence_name: str, schema: str | None = None) -> bool:
        """True when the sequence exists (always False where there are no sequences)."""
        if not self.dialect.features.supports_sequences:
            return False
        return sequence_name in self.get_sequence_names(schema)

    def get_sequence_names(self, schema: str | None = None) -> list[str]:
        """The sequence names in ``schema``."""
        if not self.dialect.features.supports_sequences:
            return []
        return list(self._cached("fetch_sequence_names", schema))

    def get_columns(self, table_name: str, schema: str | None = None) -> list[ReflectedDict]:
        """One dict per column, in table order: ``name``, ``type`` (a portable type),
        ``nullable``, ``default`` (SQL text or None), ``autoincrement``, ``comment``, and
        ``computed`` (``{"sqltext", "persisted"}``) for generated columns."""
        self._require_table(table_name, schema)
        return [dict(c) for c in self._cached("fetch_columns", table_name, schema)]

    def get_pk_constraint(self, table_name: str, schema: str | None = None) -> ReflectedDict:
        """``{"name": ..., "constrained_columns": [...]}``."""
        self._require_table(table_name, schema)
        return dict(self._cached("fetch_pk_constraint", table_name, schema))

    def get_foreign_keys(self, table_name: str,
                         schema: str | None = None) -> list[ReflectedDict]:
        """One dict per foreign key: ``name``, ``constrained_columns``, ``referred_schema``,
        ``referred_table``, ``referred_columns``, ``options`` (ondelete, onupdate, ...)."""
        self._require_table(table_name, schema)
        return [dict(f) for f in self._cached("fetch_foreign_keys", table_name, schema)]

    def get_indexes(self, table_name: str, schema: str | None = None) -> list[ReflectedDict]:
        """One dict per index (not those backing constraints): ``name``, ``column_names``
        (None for an expression), ``expressions`` when there are some, ``unique``,
        ``dialect_options``."""
        self._require_table(table_name, schema)
        return [dict(i) for i in self._cached("fetch_indexes", table_name, schema)]

    def get_unique_constraints(self, table_name: str,
                               schema: str | None = None) -> list[ReflectedDict]:
        """One dict per unique constraint: ``name``, ``column_names``."""
        self._require_table(table_name, schema)
        return [dict(u) for u in self._cached("fetch_unique_constraints", table_name, schema)]

    def get_check_constraints(self, table_name: str,
                              schema: str | None = None) -> list[ReflectedDict]:
        """One dict per check constraint: ``name``, ``sqltext``."""
        self._require_table(table_name, schema)
        return [dict(c) for c in self._cached("fetch_check_constraints", table_name, schema)]

    def get_table_comment(self, table_name: str, schema: str | None = None) -> ReflectedDict:
        """``{"text": comment or None}``."""
        self._require_table(table_name, schema)
        return dict(self._cached("fetch_table_comment", table_name, schema))

    def get_table_options(self, table_name: str, schema: str | None = None) -> ReflectedDict:
        """Dialect-specific table options (``{"sqlite_autoincrement": True}`` ...)."""
        self._require_table(table_name, schema)
        return dict(self._cached("fetch_table_options", table_name, schema))

    def reflect_table(self, table: Table, include_columns: Sequence[str] | None = None,
                      resolve_fks: bool = True) -> None:
        """Fill ``table`` (already named, in a MetaData) from the database."""
        reflect_table(self, table, include_columns=include_columns, resolve_fks=resolve_fks)

    # -- what a dialect implements ------------------------------------------------------------
    def fetch_schema_names(self, connection: Any) -> list[str]:
        """Dialect hook for :meth:`get_schema_names`."""
        raise self._unsupported("schema names")

    def fetch_table_names(self, connection: Any, schema: str | None) -> list[str]:
        """Dialect hook for :meth:`get_table_names`."""
        raise self._unsupported("table names")

    def fetch_temp_table_names(self, connection: Any) -> list[str]:
        """Dialect hook for :meth:`get_temp_table_names`."""
        raise self._unsupported("temporary tables")

    def fetch_view_names(self, connection: Any, schema: str | None) -> list[str]:
        """Dialect hook for :meth:`get_view_names`."""
        raise self._unsupported("views")

    def fetch_view_definition(self, connection: Any, view_name: str,
                              schema: str | None) -> str | None:
        """Dialect hook for :meth:`get_view_definition`; None when there is no such view."""
        raise self._unsupported("view definitions")

    def fetch_has_table(self, connection: Any, table_name: str, schema: str | None) -> bool:
        """Dialect hook for :meth:`has_table`."""
        raise self._unsupported("table existence")

    def fetch_sequence_names(self, connection: Any, schema: str | None) -> list[str]:
        """Dialect hook for :meth:`get_sequence_names`."""
        raise self._unsupported("sequences")

    def fetch_columns(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        """Dialect hook for :meth:`get_columns`."""
        raise self._unsupported("columns")

    def fetch_pk_constraint(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        """Dialect hook for :meth:`get_pk_constraint`."""
        raise self._unsupported("primary keys")

    def fetch_foreign_keys(self, connection: Any, table_name: str,
                           schema: str | None) -> list[ReflectedDict]:
        """Dialect hook for :meth:`get_foreign_keys`."""
        raise self._unsupported("foreign keys")

    def fetch_indexes(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        """Dialect hook for :meth:`get_indexes`."""
        raise self._unsupported("indexes")

    def fetch_unique_constraints(self, connection: Any, table_name: str,
                                 schema: str | None) -> list[ReflectedDict]:
        """Dialect hook for :meth:`get_unique_constraints`."""
        raise self._unsupported("unique constraints")

    def fetch_check_constraints(self, connection: Any, table_name: str,
                                schema: str | None) -> list[ReflectedDict]:
        """Dialect hook for :meth:`get_check_constraints`."""
        raise self._unsupported("check constraints")

    def fetch_table_comment(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        """Dialect hook for :meth:`get_table_comment`; no comments by default."""
        return {"text": None}

    def fetch_table_options(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        """Dialect hook for :meth:`get_table_options`; none by default."""
        return {}


# -- inspect() ------------------------------------------------------------------------------
def inspector_for(bind: Any) -> Inspector:
    """An Inspector for an Engine or Connection (``sqlwright.inspect`` calls this); an
    Inspector is returned as it is."""
    if isinstance(bind, Inspector):
        return bind
    return inspector_class(bind.dialect)(bind)


def inspector_class(dialect: Dialect) -> type[Inspector]:
    """The dialect's Inspector class (its ``inspector`` attribute), else the generic one."""
    return dialect.inspector or Inspector


# -- building Tables --------------------------------------------------------------------------
def reflect_table(bind: Any, table: Table, include_columns: Sequence[str] | None = None,
                  resolve_fks: bool = True, replace_existing: bool = True,
                  exclude_columns: Sequence[str] = ()) -> None:
    """Fill ``table`` with the columns, keys, indexes and constraints the database reports."""
    from sqlwright.schema._reflect import fill_table

    inspector = inspector_for(bind)
    fill_table(inspector, table, include_columns=include_columns, resolve_fks=resolve_fks,
               replace_existing=replace_existing, exclude_columns=exclude_columns)


def reflect_metadata(bind: Any, metadata: MetaData, schema: str | None = None,
                     views: bool = False,
                     only: Sequence[str] | Callable[[str, MetaData], bool] | None = None,
                     extend_existing: bool = False, autoload_replace: bool = True,
                     resolve_fks: bool = True) -> None:
    """Reflect every table (and view when ``views``) of ``schema`` into ``metadata``."""
    from sqlwright.schema import Table

    inspector = inspector_for(bind)
    schema = schema if schema is not None else metadata.schema
    available = inspector.get_table_names(schema)
    if views:
        available += inspector.get_view_names(schema)
    if only is None:
        wanted = available
    elif callable(only):
        wanted = [name for name in available if only(name, metadata)]
    else:
        missing = [name for name in only if name not in available]
        if missing:
            where = f" in schema {schema!r}" if schema else ""
            raise exc.InvalidRequestError(
                f"Could not reflect: requested table(s) not available{where}: "
                f"{', '.join(missing)}; the database has: {', '.join(available) or 'none'}")
        wanted = list(only)
    for name in wanted:
        key = f"{schema}.{name}" if schema else name
        if key in metadata.tables and not extend_existing:
            continue
        Table(name, metadata, schema=schema, autoload_with=inspector,
              extend_existing=extend_existing, autoload_replace=autoload_replace,
              resolve_fks=resolve_fks)


def _register() -> None:
    from sqlwright.engine.base import Connection, Engine
    from sqlwright.inspection import _inspects, _self_inspects

    _inspects(Engine, Connection)(inspector_for)
    _self_inspects(Inspector)


_register()
