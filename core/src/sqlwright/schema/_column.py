"""Column and ForeignKey."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.schema._bases import ColumnClause
from sqlwright.schema._defaults import (
    ColumnDefault,
    Computed,
    DefaultClause,
    FetchedValue,
    Identity,
    SchemaItem,
    Sequence,
)
from sqlwright.types.base import NULLTYPE, NullType, TypeEngine, to_instance

if TYPE_CHECKING:
    from sqlwright.schema._constraints import Constraint, ForeignKeyConstraint
    from sqlwright.schema._table import Table

__all__ = ["Column", "ForeignKey"]

_AUTOINCREMENT_VALUES = (True, False, "auto", "ignore_fk")


def _is_type(value: Any) -> bool:
    return isinstance(value, TypeEngine) or (
        isinstance(value, type) and issubclass(value, TypeEngine))


class Column(ColumnClause):
    """A column of a :class:`Table`: ``Column("name", Integer, primary_key=True)``.

    The first positional arguments are the name (optional here when a declarative mapping
    names it) and the type (a type class or instance; left out when a ForeignKey gives it);
    the remaining ones are schema items: ForeignKey, Sequence, Identity, Computed,
    DefaultClause/FetchedValue and CheckConstraint objects.
    """

    __visit_name__ = "column"
    inherit_cache = True

    def __init__(self, *args: Any, key: str | None = None, primary_key: bool = False,
                 nullable: bool | None = None, default: Any = None,
                 insert_default: Any = None, server_default: Any = None,
                 onupdate: Any = None, server_onupdate: Any = None,
                 unique: bool | None = None, index: bool | None = None,
                 autoincrement: bool | str = "auto", comment: str | None = None,
                 info: dict[str, Any] | None = None, quote: bool | None = None,
                 doc: str | None = None, system: bool = False, type_: Any = None,
                 name: str | None = None) -> None:
        items = list(args)
        if items and isinstance(items[0], str):
            name = items.pop(0)
        if items and (_is_type(items[0]) or items[0] is None):
            type_ = items.pop(0)
        if autoincrement not in _AUTOINCREMENT_VALUES:
            raise exc.ArgumentError(
                f"autoincrement must be True, False, 'auto' or 'ignore_fk', not {autoincrement!r}")
        super().__init__(name, type_)  # type: ignore[arg-type]
        self.name = name  # type: ignore[assignment]
        self.key = key if key is not None else name
        self.type = to_instance(type_)
        self.table: Table | None = None
        self.is_literal = False
        self.primary_key = primary_key
        self._user_nullable = nullable
        self.nullable = (not primary_key) if nullable is None else nullable
        self.unique = unique
        self.index = index
        self.autoincrement = autoincrement
        self.comment = comment
        self.info: dict[str, Any] = dict(info or {})
        self.quote = quote
        self.doc = doc
        self.system = system
        self.foreign_keys: set[ForeignKey] = set()
        self.constraints: set[Constraint] = set()
        self.default: Any = None
        self.onupdate: ColumnDefault | None = None
        self.server_default: Any = None
        self.server_onupdate: Any = None
        self.computed: Computed | None = None
        self.identity: Identity | None = None
        self._creation_args = (tuple(args), {
            "key": key, "primary_key": primary_key, "nullable": nullable,
            "default": default, "insert_default": insert_default,
            "server_default": server_default, "onupdate": onupdate,
            "server_onupdate": server_onupdate, "unique": unique, "index": index,
            "autoincrement": autoincrement, "comment": comment, "info": info, "quote": quote,
            "doc": doc, "system": system, "type_": type_, "name": name})
        if insert_default is not None:
            default = insert_default
        if default is not None:
            self._attach(default if isinstance(default, (ColumnDefault, Sequence))
                         else ColumnDefault(default))
        if onupdate is not None:
            self._attach(onupdate if isinstance(onupdate, ColumnDefault)
                         else ColumnDefault(onupdate, for_update=True))
        if server_default is not None:
            self._attach(server_default if isinstance(server_default, FetchedValue)
                         else DefaultClause(server_default))
        if server_onupdate is not None:
            self._attach(server_onupdate if isinstance(server_onupdate, FetchedValue)
                         else DefaultClause(server_onupdate, for_update=True))
        for item in items:
            self._attach(item)

    def _attach(self, item: Any) -> None:
        if not isinstance(item, SchemaItem) and not hasattr(item, "_set_parent"):
            raise exc.ArgumentError(
                f"Column() got an unexpected argument {item!r}; after the name and the type "
                "it takes ForeignKey, Sequence, Identity, Computed, DefaultClause or "
                "CheckConstraint objects")
        item._set_parent(self)

    # -- the table ---------------------------------------------------------------------------
    def _set_parent(self, table: Table) -> None:
        """Attach to ``table`` (called by Table)."""
        if self.name is None:
            raise exc.ArgumentError(
                "A Column needs a name before it joins a Table: Column('name', Integer)")
        if self.table is not None and self.table is not table:
            raise exc.ArgumentError(
                f"Column {self.name!r} already belongs to table {self.table.name!r}; use "
                "column._copy() to put a copy in another table")
        existing = table._column_by_key(str(self.key))
        if existing is not None and existing is not self:
            table._remove_column(existing)
        self.table = table
        table._columns.add(self)
        if self.primary_key:
            table.primary_key._add_column(self)
        for fk in self.foreign_keys:
            fk._attach_to_table(table)
        for constraint in self.constraints:
            constraint._set_parent(table)
        if self.unique:
            from sqlwright.schema._constraints import UniqueConstraint

            table.append_constraint(UniqueConstraint(self.key, _column_flag=True))
        if self.index:
            from sqlwright.schema._constraints import Index

            Index(None, self, unique=bool(self.unique), _column_flag=True)


    @property
    def _autoincrement_candidate(self) -> bool:
        """True when this column may be its table's autoincrement column."""
        if self.autoincrement is False:
            return False
        if not _is_integer(self.type):
            return False
        if self.autoincrement is True:
            return True
        if self.foreign_keys and self.autoincrement != "ignore_fk":
            return False
        default_ok = self.default is None or getattr(self.default, "is_sequence", False)
        server_ok = self.server_default is None or self.identity is not None
        return default_ok and server_ok

    # -- copies ------------------------------------------------------------------------------
    def _copy(self, **kw: Any) -> Column:
        """A new Column with the same options, not attached to any table."""
        args, kwargs = self._creation_args
        kwargs = dict(kwargs)
        kwargs.update(kw)
        items = [a for a in args if not isinstance(a, SchemaItem) or isinstance(a, TypeEngine)]
        for item in args:
            if isinstance(item, ForeignKey):
                items.append(item._copy())
            elif isinstance(item, (Sequence, Identity, Computed, FetchedValue)):
                items.append(item)
            elif hasattr(item, "_copy") and not isinstance(item, str):
                items.append(item._copy())
        return Column(*items, **kwargs)

    copy = _copy

    def _set_type_from_fk(self, type_: TypeEngine) -> None:
        if isinstance(self.type, NullType):
            self.type = type_

    def references(self, column: Column) -> bool:
        """True when one of this column's foreign keys points at ``column``."""
        return any(fk.column is column for fk in self.foreign_keys)

    def __repr__(self) -> str:
        table = f"table=<{self.table.name}>, " if self.table is not None else ""
        flags = [f"{flag}=True" for flag in ("primary_key",) if getattr(self, flag)]
        if not self.nullable and not self.primary_key:
            flags.append("nullable=False")
        extra = ", " + ", ".join(flags) if flags else ""
        return f"Column({self.name!r}, {self.type!r}, {table}{extra.lstrip(', ')})".replace(
            ", )", ")")

    __hash__ = object.__hash__


def _is_integer(type_: TypeEngine) -> bool:
    try:
        impl = getattr(type_, "impl_instance", None) or type_
        return impl.python_type is int
    except NotImplementedError:
        return False


class ForeignKey(SchemaItem):
    """A column-level reference: ``Column("user_id", ForeignKey("users.id"))``.

    ``column`` is a Column or a string ``"table.column"`` (``"schema.table.column"``) resolved
    lazily against the table's MetaData, so the referenced table may be defined later.
    """

    def __init__(self, column: Any, _constraint: ForeignKeyConstraint | None = None,
                 use_alter: bool = False, name: str | None = None,
                 onupdate: str | None = None, ondelete: str | None = None,
                 deferrable: bool | None = None, initially: str | None = None,
                 link_to_name: bool = False, match: str | None = None,
                 info: dict[str, Any] | None = None, comment: str | None = None,
                 **dialect_kw: Any) -> None:
        if isinstance(column, str):
            if column.count(".") < 1:
                raise exc.ArgumentError(
                    f"ForeignKey({column!r}): name the target as 'table.column' "
                    "(or 'schema.table.column')")
            self._colspec: Any = column
        elif hasattr(column, "__clause_element__") or isinstance(column, ColumnClause):
            self._colspec = column.__clause_element__() if not isinstance(
                column, ColumnClause) else column
        else:
            raise exc.ArgumentError(
                f"ForeignKey() takes a Column or a 'table.column' string, not {column!r}")
        self._resolved: Any = None
        self.constraint = _constraint
        self.parent: Column | None = None
        self.use_alter = use_alter
        self.name = name
        self.onupdate = onupdate
        self.ondelete = ondelete
        self.deferrable = deferrable
        self.initially = initially
        self.link_to_name = link_to_name
        self.match = match
        self.info: dict[str, Any] = dict(info or {})
        self.comment = comment
        self.dialect_kwargs = dict(dialect_kw)

    def _copy(self) -> ForeignKey:
        return ForeignKey(self._get_colspec(), use_alter=self.use_alter, name=self.name,
                          onupdate=self.onupdate, ondelete=self.ondelete,
                          deferrable=self.deferrable, initially=self.initially,
                          link_to_name=self.link_to_name, match=self.match,
                          info=dict(self.info), **self.dialect_kwargs)

    copy = _copy

    def _get_colspec(self) -> str:
        if isinstance(self._colspec, str):
            return self._colspec
        col = self._colspec
        table = col.table
        if table is None:
            return str(col.name)
        schema = getattr(table, "schema", None)
        return f"{schema}.{table.name}.{col.name}" if schema else f"{table.name}.{col.name}"

    @property
    def target_fullname(self) -> str:
        """The ``"table.column"`` (or ``"schema.table.column"``) this key points at."""
        return self._get_colspec()

    def _table_key_and_column(self) -> tuple[str | None, str, str]:
        """(schema, table name, column name) of the target."""
        spec = self._get_colspec()
        parts = spec.split(".")
        colname = parts[-1]
        tname = parts[-2]
        schema = ".".join(parts[:-2]) or None
        return schema, tname, colname

    def _set_parent(self, column: Column) -> None:
        if self.parent is not None and self.parent is not column:
            raise exc.ArgumentError("This ForeignKey already belongs to another column")
        self.parent = column
        column.foreign_keys.add(self)
        if column.table is not None:
            self._attach_to_table(column.table)

    def _attach_to_table(self, table: Table) -> None:
        from sqlwright.schema._constraints import ForeignKeyConstraint

        if self.constraint is None:
            assert self.parent is not None
            constraint = ForeignKeyConstraint(
                [], [], name=self.name, onupdate=self.onupdate, ondelete=self.ondelete,
                deferrable=self.deferrable, initially=self.initially,
                use_alter=self.use_alter, match=self.match, link_to_name=self.link_to_name,
                **self.dialect_kwargs)
            constraint._elements = [self]
            constraint._column_specs = [self.parent]
            constraint._column_flag = True
            constraint._creation_order = self._creation_order
            self.constraint = constraint
            table.append_constraint(constraint)
        table._foreign_keys.add(self)
        self._resolve_type_early()

    def _resolve_type_early(self) -> None:
        if self.parent is not None and isinstance(self.parent.type, NullType):
            try:
                target = self.column
            except (exc.NoReferencedTableError, exc.NoReferencedColumnError):
                return
            self.parent._set_type_from_fk(target.type)

    @property
    def column(self) -> Column:
        """The referenced Column, resolved on first use.

        Raises NoReferencedTableError / NoReferencedColumnError naming what is missing.
        """
        if self._resolved is not None:
            return self._resolved
        if not isinstance(self._colspec, str):
            self._resolved = self._colspec
            return self._resolved
        schema, tname, colname = self._table_key_and_column()
        parent_table = self.parent.table if self.parent is not None else None
        if parent_table is None:
            raise exc.InvalidRequestError(
                f"ForeignKey({self._colspec!r}) is not attached to a table yet, so its target "
                "can't be looked up")
        metadata = parent_table.metadata
        if schema is None:
            schema = metadata.schema
        key = f"{schema}.{tname}" if schema else tname
        table = metadata.tables.get(key)
        if table is None:
            raise exc.NoReferencedTableError(
                f"Foreign key on column '{parent_table.name}.{self.parent.name}' "  # type: ignore[union-attr]
                f"references table {key!r}, which is not in this MetaData; define that Table "
                f"(with the same MetaData) before using the key. Known tables: "
                f"{', '.join(sorted(metadata.tables)) or 'none'}",
            )
        target = _find_column(table, colname, self.link_to_name)
        if target is None:
            raise exc.NoReferencedColumnError(
                f"Foreign key {self._colspec!r} on column '{parent_table.name}."
                f"{self.parent.name}' names column {colname!r}, which table {table.name!r} "  # type: ignore[union-attr]
                f"does not have; its columns are: {', '.join(c.name for c in table.c)}",
            )
        self._resolved = target
        if self.parent is not None:
            self.parent._set_type_from_fk(target.type)
        return target

    def references(self, table: Any) -> bool:
        """True when this key points at a column of ``table``."""
        try:
            return self.column.table is table
        except (exc.NoReferencedTableError, exc.NoReferencedColumnError):
            return False

    def get_referent(self, table: Any) -> Any:
        """The column of ``table`` (a Table or an alias of it) this key points at, or None."""
        try:
            target = self.column
        except (exc.NoReferencedTableError, exc.NoReferencedColumnError):
            return None
        corresponding = getattr(table, "corresponding_column", None)
        if corresponding is not None:
            return corresponding(target)
        for col in table.c:
            if col is target:
                return col
        return None

    def __repr__(self) -> str:
        return f"ForeignKey({self._get_colspec()!r})"


def _find_column(table: Any, name: str, link_to_name: bool) -> Column | None:
    for col in table.c:
        if col.name == name:
            return col
    if not link_to_name:
        for col in table.c:
            if col.key == name:
                return col
    return None


def column_names(columns: Iterable[Column]) -> list[str]:
    """The names of ``columns``, in order."""
    return [c.name for c in columns]


NULL_TYPE = NULLTYPE
