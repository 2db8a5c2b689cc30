"""Table and MetaData."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlwright import exc
from sqlwright.schema._bases import TableClause
from sqlwright.schema._column import Column
from sqlwright.schema._constraints import (
    DEFAULT_NAMING_CONVENTION,
    Constraint,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    split_dialect_kwargs,
)
from sqlwright.schema._defaults import Sequence as SequenceItem
from sqlwright.types.base import NullType

__all__ = ["MetaData", "Table"]

_TABLE_OPTIONS = frozenset({
    "schema", "quote", "quote_schema", "autoload_with", "extend_existing", "keep_existing",
    "info", "comment", "prefixes", "must_exist", "implicit_returning", "include_columns",
    "resolve_fks", "autoload_replace", "listeners",
})


def _table_key(name: str, schema: str | None) -> str:
    return f"{schema}.{name}" if schema else name


class Table(TableClause):
    """A table in a MetaData: ``Table("users", metadata, Column("id", Integer, primary_key=True))``.

    Positional items after the MetaData are Columns, Constraints and Indexes. Defining a name
    twice in one MetaData returns the existing Table (``extend_existing=True`` adds to it).
    ``autoload_with=engine`` reflects the columns from the database.
    """

    __visit_name__ = "table"
    _initialized = False
    name: str

    def __new__(cls, *args: Any, **kw: Any) -> Table:
        if len(args) < 2 or not isinstance(args[1], MetaData):
            if not args or not isinstance(args[0], str):
                raise exc.ArgumentError(
                    "Table() needs a name and a MetaData: Table('users', metadata, Column(...))")
            raise exc.ArgumentError(
                f"Table({args[0]!r}, ...) needs a MetaData as its second argument: "
                f"Table({args[0]!r}, metadata, Column(...))")
        name, metadata, items = args[0], args[1], args[2:]
        schema = kw.get("schema", metadata.schema)
        existing = metadata.tables.get(_table_key(name, schema))
        if existing is None:
            return super().__new__(cls)
        if kw.get("keep_existing"):
            existing._skip_init = True
            return existing
        if items and not kw.get("extend_existing"):
            raise exc.InvalidRequestError(
                f"Table {_table_key(name, schema)!r} is already defined for this MetaData; "
                "pass extend_existing=True to add to it, keep_existing=True to keep it as is, "
                "or use metadata.tables[name] to get it")
        existing._skip_init = not items and not kw.get("autoload_with")
        return existing

    def __init__(self, name: str, metadata: MetaData, *items: Any,
                 schema: str | None = None, **kw: Any) -> None:
        if self._initialized:
            if getattr(self, "_skip_init", False):
                self._skip_init = False
                return
            self._extend(items, kw)
            return
        unknown = {k: v for k, v in kw.items() if k not in _TABLE_OPTIONS}
        self.dialect_options = split_dialect_kwargs("Table", unknown)
        self.kwargs = dict(unknown)
        if schema is None:
            schema = metadata.schema
        super().__init__(name, schema=schema)
        self.name = name
        self.schema = schema
        self.metadata = metadata
        self.fullname = _table_key(name, schema)
        self.info: dict[str, Any] = dict(kw.get("info") or {})
        self.comment: str | None = kw.get("comment")
        self.prefixes: list[str] = list(kw.get("prefixes") or [])
        self.implicit_returning: bool = kw.get("implicit_returning", True)
        self.constraints: set[Constraint] = set()
        self.indexes: set[Index] = set()
        self._foreign_keys: set[Any] = set()
        self._primary_key = PrimaryKeyConstraint()
        self._primary_key._set_parent(self)
        self._initialized = True
        metadata._add_table(self)
        try:
            self._extend(items, kw)
        except Exception:
            metadata._remove_table(self)
            raise
        metadata._resolve_fk_types()

    def _extend(self, items: Sequence[Any], kw: Mapping[str, Any]) -> None:
        autoload_with = kw.get("autoload_with")
        if autoload_with is not None:
            from sqlwright.dialects.reflection import reflect_table

            reflect_table(autoload_with, self, include_columns=kw.get("include_columns"),
                          resolve_fks=kw.get("resolve_fks", True),
                          replace_existing=kw.get("autoload_replace", True))
        elif kw.get("must_exist"):
            raise exc.NoSuchTableError(
                f"Table {self.fullname!r} is not defined in this MetaData (must_exist=True)")
        for key in ("comment", "info"):
            if key in kw and self._initialized and key == "comment":
                self.comment = kw[key]
        for item in items:
            self._append_item(item, replace=autoload_with is not None or
                              bool(kw.get("extend_existing")))

    def _append_item(self, item: Any, replace: bool = False) -> None:
        if item is None:
            return
        if isinstance(item, Column):
            self.append_column(item, replace_existing=replace)
        elif isinstance(item, (Constraint, Index)):
            if isinstance(item, Index):
                item._set_parent(self)
            else:
                self.append_constraint(item)
        else:
            raise exc.ArgumentError(
                f"Table({self.name!r}) got an unexpected item {item!r}; after the MetaData it "
                "takes Column, Constraint (PrimaryKeyConstraint, UniqueConstraint, "
                "CheckConstraint, ForeignKeyConstraint) and Index objects")

    # -- contents ----------------------------------------------------------------------------
    def append_column(self, column: Column, replace_existing: bool = False) -> None:
        """Add a Column (replacing one with the same key when ``replace_existing``)."""
        existing = self._column_by_key(column.key)  # type: ignore[arg-type]
        if existing is not None and existing is not column and not replace_existing:
            raise exc.ArgumentError(
                f"Table {self.fullname!r} already has a column {column.key!r}; pass "
                "replace_existing=True (or extend_existing=True on Table) to replace it")
        column._set_parent(self)

    def append_constraint(self, constraint: Constraint) -> None:
        """Add a Constraint (a PrimaryKeyConstraint replaces the current primary key)."""
        constraint._set_parent(self)

    def _column_by_key(self, key: str) -> Column | None:
        for col in self._columns:
            if col.key == key:
                return col
        return None

    def _remove_column(self, column: Column) -> None:
        self._columns.remove(column)
        self._primary_key._remove_column(column)
        self._foreign_keys -= column.foreign_keys
        column.table = None

    def _resolve_column(self, spec: Any, owner: str) -> Column:
        if isinstance(spec, Column):
            if spec.table is None:
                self.append_column(spec)
            elif spec.table is not self:
                raise exc.ArgumentError(
                    f"{owner} on table {self.name!r} names column {spec.name!r} of table "
                    f"{spec.table.name!r}")
            return spec
        if isinstance(spec, str):
            found = self._column_by_key(spec)
            if found is None:
                for col in self._columns:
                    if col.name == spec:
                        found = col
            if found is None:
                raise exc.ArgumentError(
                    f"{owner} names column {spec!r}, which table {self.name!r} does not have; "
                    f"its columns are: {', '.join(str(c.key) for c in self._columns) or 'none'}"
                    ". Declare the Column before the constraint")
            return found
        raise exc.ArgumentError(f"{owner} takes Column objects or column names, not {spec!r}")

    @property
    def primary_key(self) -> PrimaryKeyConstraint:
        """The PrimaryKeyConstraint (``.columns`` in key order; empty when there is none)."""
        return self._primary_key

    @property
    def foreign_keys(self) -> set[Any]:
        """Every ForeignKey of this table's columns."""
        return set(self._foreign_keys)

    @property
    def foreign_key_constraints(self) -> set[ForeignKeyConstraint]:
        """The ForeignKeyConstraints of this table."""
        return {c for c in self.constraints if isinstance(c, ForeignKeyConstraint)}

    @property
    def _autoincrement_column(self) -> Column | None:
        """The single integer primary key column that autoincrements, else None."""
        pk = list(self._primary_key.columns)
        flagged = [c for c in pk if c.autoincrement is True and c._autoincrement_candidate]
        if len(flagged) == 1:
            return flagged[0]
        if len(pk) == 1 and pk[0]._autoincrement_candidate:
            return pk[0]
        return None

    @property
    def key(self) -> str:
        """The key in ``metadata.tables``: ``schema.name`` or ``name``."""
        return self.fullname

    # -- DDL ---------------------------------------------------------------------------------
    def create(self, bind: Any, checkfirst: bool = False) -> None:
        """CREATE TABLE (and its indexes) on ``bind``, an Engine or Connection."""
        from sqlwright.schema._ddl import SchemaGenerator, run_ddl

        run_ddl(bind, lambda conn: SchemaGenerator(conn, checkfirst).create_tables([self]))

    def drop(self, bind: Any, checkfirst: bool = False) -> None:
        """DROP TABLE on ``bind``."""
        from sqlwright.schema._ddl import SchemaGenerator, run_ddl

        run_ddl(bind, lambda conn: SchemaGenerator(conn, checkfirst).drop_tables([self]))

    def to_metadata(self, metadata: MetaData, schema: str | None = None,
                    name: str | None = None) -> Table:
        """A copy of this table (columns, constraints, indexes) in another MetaData."""
        schema = self.schema if schema is None else schema
        items: list[Any] = [c._copy() for c in self._columns]
        for constraint in self.constraints:
            if isinstance(constraint, PrimaryKeyConstraint) or \
                    getattr(constraint, "_column_flag", False):
                continue
            items.append(constraint._copy())  # type: ignore[attr-defined]
        pk = self.primary_key
        pk_keys = [c.key for c in pk.columns]
        if pk_keys and (pk.name or not all(c.primary_key for c in pk.columns)):
            items.append(PrimaryKeyConstraint(*pk_keys, name=pk.name))
        for index in self.indexes:
            if index._column_flag:
                continue
            items.append(Index(index._name, *[getattr(e, "key", e) if isinstance(e, Column)
                                              else e for e in index.expressions],
                               unique=index.unique, **index.dialect_kwargs))
        return Table(name or self.name, metadata, *items, schema=schema,
                     comment=self.comment, info=dict(self.info), **self.kwargs)

    def __repr__(self) -> str:
        cols = ", ".join(repr(c) for c in self._columns)
        schema = f", schema={self.schema!r}" if self.schema else ""
        return f"Table({self.name!r}, MetaData(), {cols}{schema})"

    def __str__(self) -> str:
        return self.fullname

    __hash__ = object.__hash__


class MetaData:
    """A collection of Tables (and Sequences) that are created, dropped and reflected together.

    ``naming_convention`` maps "pk", "fk", "uq", "ck", "ix" (or constraint classes) to
    %-templates such as ``"fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"``.
    """

    def __init__(self, schema: str | None = None, quote_schema: bool | None = None,
                 naming_convention: Mapping[Any, str] | None = None,
                 info: dict[str, Any] | None = None) -> None:
        self.schema = schema
        self.naming_convention: dict[Any, str] = dict(
            naming_convention if naming_convention is not None else DEFAULT_NAMING_CONVENTION)
        self.info: dict[str, Any] = dict(info or {})
        self._tables: dict[str, Table] = {}
        self._sequences: dict[str, SequenceItem] = {}

    @property
    def tables(self) -> Mapping[str, Table]:
        """The tables by key (``schema.name`` or ``name``); read-only."""
        return _TablesView(self._tables)

    def _add_table(self, table: Table) -> None:
        self._tables[table.fullname] = table

    def _resolve_fk_types(self) -> None:
        """Give untyped foreign key columns the type of the column they reference, once the
        referenced table exists."""
        for table in self._tables.values():
            for fk in table._foreign_keys:
                if fk.parent is not None and isinstance(fk.parent.type, NullType):
                    fk._resolve_type_early()

    def _remove_table(self, table: Table) -> None:
        self._tables.pop(table.fullname, None)

    def remove(self, table: Table) -> None:
        """Forget ``table`` (the database is not touched)."""
        self._remove_table(table)

    def clear(self) -> None:
        """Forget every table and sequence."""
        self._tables.clear()
        self._sequences.clear()

    def __contains__(self, table_or_key: object) -> bool:
        if isinstance(table_or_key, str):
            return table_or_key in self._tables
        return any(t is table_or_key for t in self._tables.values())

    @property
    def sorted_tables(self) -> list[Table]:
        """The tables in foreign key order: referenced tables before the tables that refer to
        them (cycles are broken as create_all breaks them)."""
        from sqlwright.schema._ddl import sort_tables

        return sort_tables(list(self._tables.values()))

    def create_all(self, bind: Any, tables: Iterable[Table] | None = None,
                   checkfirst: bool = True) -> None:
        """CREATE every table (and sequence and index) in foreign key order.

        ``bind`` is an Engine (a transaction is committed) or a Connection (the caller
        commits). ``checkfirst`` skips tables that already exist.
        """
        from sqlwright.schema._ddl import SchemaGenerator, run_ddl

        chosen = list(self._tables.values()) if tables is None else list(tables)
        run_ddl(bind, lambda conn: SchemaGenerator(conn, checkfirst).create_all(
            chosen, list(self._sequences.values()) if tables is None else []))

    def drop_all(self, bind: Any, tables: Iterable[Table] | None = None,
                 checkfirst: bool = True) -> None:
        """DROP every table (and sequence) in reverse foreign key order; ``checkfirst`` skips
        tables that do not exist."""
        from sqlwright.schema._ddl import SchemaGenerator, run_ddl

        chosen = list(self._tables.values()) if tables is None else list(tables)
        run_ddl(bind, lambda conn: SchemaGenerator(conn, checkfirst).drop_all(
            chosen, list(self._sequences.values()) if tables is None else []))

    def reflect(self, bind: Any, schema: str | None = None, views: bool = False,
                only: Sequence[str] | Callable[[str, MetaData], bool] | None = None,
                extend_existing: bool = False, autoload_replace: bool = True,
                resolve_fks: bool = True) -> None:
        """Load Table definitions for the database's tables (``only`` some of them)."""
        from sqlwright.dialects.reflection import reflect_metadata

        reflect_metadata(bind, self, schema=schema, views=views, only=only,
                         extend_existing=extend_existing, autoload_replace=autoload_replace,
                         resolve_fks=resolve_fks)

    def __repr__(self) -> str:
        return f"MetaData(tables={sorted(self._tables)!r})"


class _TablesView(Mapping[str, Table]):
    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Table]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Table:
        try:
            return self._data[key]
        except KeyError:
            raise KeyError(
                f"{key!r}: no such table in this MetaData; it has: "
                f"{', '.join(sorted(self._data)) or 'no tables'}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return repr(self._data)
