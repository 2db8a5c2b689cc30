"""Table constraints, indexes and naming conventions."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.schema._column import Column, ForeignKey
from sqlwright.schema._defaults import SchemaItem

if TYPE_CHECKING:
    from sqlwright.schema._table import Table

__all__ = [
    "CheckConstraint",
    "ColumnCollectionConstraint",
    "Constraint",
    "ForeignKeyConstraint",
    "Index",
    "PrimaryKeyConstraint",
    "UniqueConstraint",
    "conv",
    "split_dialect_kwargs",
]

DEFAULT_NAMING_CONVENTION: dict[Any, str] = {"ix": "ix_%(column_0_label)s"}


class conv(str):
    """A constraint name that is final: naming conventions leave it alone."""

    __slots__ = ()


def split_dialect_kwargs(owner: str, kwargs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Group ``<dialect>_<option>`` keyword arguments by dialect name.

    Raises ArgumentError for a keyword with no dialect prefix (usually a typo).
    """
    options: dict[str, dict[str, Any]] = {}
    for key, value in kwargs.items():
        dialect, sep, option = key.partition("_")
        if not sep or not option or not dialect.isalpha():
            raise exc.ArgumentError(
                f"{owner}() got an unexpected argument {key!r}; dialect-specific options are "
                "spelled <dialect>_<option>, such as sqlite_autoincrement=True")
        options.setdefault(dialect, {})[option] = value
    return options


class ColumnList(Sequence[Column]):
    """The ordered columns of a constraint: iterate, ``len()``, ``in``, ``[i]``, ``["key"]``
    and ``.key`` access."""

    def __init__(self, columns: Sequence[Column] = ()) -> None:
        self._cols: list[Column] = list(columns)

    def __len__(self) -> int:
        return len(self._cols)

    def __iter__(self) -> Iterator[Column]:
        return iter(self._cols)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, str):
            for col in self._cols:
                if col.key == index:
                    return col
            raise KeyError(index)
        return self._cols[index]

    def __getattr__(self, name: str) -> Column:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return any(c.key == item for c in self._cols)
        return any(c is item for c in self._cols)

    def contains_column(self, column: Column) -> bool:
        """True when ``column`` (by identity) is one of these columns."""
        return any(c is column for c in self._cols)

    def keys(self) -> list[str]:
        """The column keys, in order."""
        return [str(c.key) for c in self._cols]

    def _append(self, column: Column) -> None:
        if not self.contains_column(column):
            self._cols.append(column)

    def _remove(self, column: Column) -> None:
        self._cols = [c for c in self._cols if c is not column]

    def __repr__(self) -> str:
        return f"ColumnList({', '.join(self.keys())})"


class Constraint(SchemaItem):
    """Base of table constraints; ``name`` follows the MetaData's naming convention."""

    _convention_key = ""

    def __init__(self, name: str | None = None, deferrable: bool | None = None,
                 initially: str | None = None, info: dict[str, Any] | None = None,
                 comment: str | None = None, **dialect_kw: Any) -> None:
        self._name = name
        self.deferrable = deferrable
        self.initially = initially
        self.info: dict[str, Any] = dict(info or {})
        self.comment = comment
        self.table: Table | None = None
        self.dialect_options = split_dialect_kwargs(type(self).__name__, dialect_kw)
        self.dialect_kwargs = dict(dialect_kw)

    @property
    def name(self) -> str | None:
        """The constraint's name: the given one, or the naming convention's when it has one."""
        return _convention_name(self, self._name)

    @name.setter
    def name(self, value: str | None) -> None:
        self._name = value

    def _set_parent(self, table: Table) -> None:
        self.table = table
        table.constraints.add(self)

    @property
    def _column_tokens(self) -> list[Column]:
        return []

    def _copy_kw(self) -> dict[str, Any]:
        return {"name": self._name, "deferrable": self.deferrable,
                "initially": self.initially, "info": dict(self.info), **self.dialect_kwargs}


class ColumnCollectionConstraint(Constraint):
    """A constraint over named columns (given as Column objects or column key strings)."""

    def __init__(self, *columns: Any, name: str | None = None,
                 deferrable: bool | None = None, initially: str | None = None,
                 info: dict[str, Any] | None = None, _column_flag: bool = False,
                 **dialect_kw: Any) -> None:
        super().__init__(name, deferrable, initially, info, **dialect_kw)
        self._column_specs: list[Any] = list(columns)
        self._column_flag = _column_flag
        self.columns = ColumnList()
        tables = {id(c.table): c.table for c in columns
                  if isinstance(c, Column) and c.table is not None}
        if len(tables) == 1:
            table = next(iter(tables.values()))
            table.append_constraint(self)

    def _set_parent(self, table: Table) -> None:
        super()._set_parent(table)
        for spec in self._column_specs:
            self.columns._append(table._resolve_column(spec, type(self).__name__))

    @property
    def _column_tokens(self) -> list[Column]:
        return list(self.columns)

    def _copy(self) -> Any:
        specs = [s if isinstance(s, str) else s.key for s in self._column_specs]
        return type(self)(*specs, **self._copy_kw())


class PrimaryKeyConstraint(ColumnCollectionConstraint):
    """``PRIMARY KEY (a, b)``; every Table has one (empty when no column is a key)."""

    __visit_name__ = "primary_key_constraint"
    _convention_key = "pk"

    def _set_parent(self, table: Table) -> None:
        previous = table.primary_key
        if previous is not self:
            table.constraints.discard(previous)
            for col in previous.columns:
                if not any(col is spec or col.key == spec for spec in self._column_specs):
                    col.primary_key = False
            table._primary_key = self
        super()._set_parent(table)
        for col in self.columns:
            col.primary_key = True
            if col._user_nullable is None:
                col.nullable = False

    def _add_column(self, column: Column) -> None:
        self.columns._append(column)
        if column._user_nullable is None:
            column.nullable = False

    def _remove_column(self, column: Column) -> None:
        self.columns._remove(column)

    def __repr__(self) -> str:
        return f"PrimaryKeyConstraint({', '.join(repr(c.key) for c in self.columns)})"


class UniqueConstraint(ColumnCollectionConstraint):
    """``UNIQUE (a, b)``."""

    __visit_name__ = "unique_constraint"
    _convention_key = "uq"

    def __repr__(self) -> str:
        return f"UniqueConstraint({', '.join(repr(c.key) for c in self.columns)})"


class CheckConstraint(Constraint):
    """``CHECK (<sqltext>)``; ``sqltext`` is SQL text or a boolean SQL expression."""

    __visit_name__ = "check_constraint"
    _convention_key = "ck"

    def __init__(self, sqltext: Any, name: str | None = None,
                 deferrable: bool | None = None, initially: str | None = None,
                 table: Table | None = None, info: dict[str, Any] | None = None,
                 **dialect_kw: Any) -> None:
        from sqlwright.sql.elements import text

        super().__init__(name, deferrable, initially, info, **dialect_kw)
        if isinstance(sqltext, str):
            self.sqltext: Any = text(sqltext)
        else:
            clause = getattr(sqltext, "__clause_element__", None)
            if clause is None:
                raise exc.ArgumentError(
                    f"CheckConstraint() takes SQL text or a SQL expression, not {sqltext!r}")
            self.sqltext = clause()
        self.column: Column | None = None
        if table is not None:
            table.append_constraint(self)

    def _set_parent(self, parent: Any) -> None:
        if isinstance(parent, Column):
            self.column = parent
            parent.constraints.add(self)
            if parent.table is not None:
                Constraint._set_parent(self, parent.table)
            return
        super()._set_parent(parent)

    @property
    def _column_tokens(self) -> list[Column]:
        return [self.column] if self.column is not None else []

    def _copy(self) -> CheckConstraint:
        return CheckConstraint(self.sqltext, **self._copy_kw())

    def __repr__(self) -> str:
        return f"CheckConstraint({str(getattr(self.sqltext, 'text', self.sqltext))!r})"


class ForeignKeyConstraint(Constraint):
    """``FOREIGN KEY (a, b) REFERENCES other (x, y)``: ``columns`` are local column keys or
    Columns, ``refcolumns`` are ``"table.column"`` strings or Columns."""

    __visit_name__ = "foreign_key_constraint"
    _convention_key = "fk"

    def __init__(self, columns: Sequence[Any], refcolumns: Sequence[Any],
                 name: str | None = None, onupdate: str | None = None,
                 ondelete: str | None = None, deferrable: bool | None = None,
                 initially: str | None = None, use_alter: bool = False,
                 link_to_name: bool = False, match: str | None = None,
                 table: Table | None = None, info: dict[str, Any] | None = None,
                 comment: str | None = None, **dialect_kw: Any) -> None:
        super().__init__(name, deferrable, initially, info, comment, **dialect_kw)
        if len(columns) != len(refcolumns):
            raise exc.ArgumentError(
                f"ForeignKeyConstraint got {len(columns)} local column(s) and "
                f"{len(refcolumns)} referenced column(s); give one target per column")
        self.onupdate = onupdate
        self.ondelete = ondelete
        self.use_alter = use_alter
        self.link_to_name = link_to_name
        self.match = match
        self._column_flag = False
        self._column_specs: list[Any] = list(columns)
        self._elements: list[ForeignKey] = [
            ForeignKey(ref, _constraint=self, name=name, onupdate=onupdate, ondelete=ondelete,
                       deferrable=deferrable, initially=initially, use_alter=use_alter,
                       link_to_name=link_to_name, match=match)
            for ref in refcolumns
        ]
        if table is not None:
            table.append_constraint(self)
        else:
            tables = {id(c.table): c.table for c in columns
                      if isinstance(c, Column) and c.table is not None}
            if len(tables) == 1:
                next(iter(tables.values())).append_constraint(self)

    @property
    def elements(self) -> list[ForeignKey]:
        """The ForeignKey objects, one per column pair."""
        return list(self._elements)

    @property
    def columns(self) -> ColumnList:
        """The local columns, in order."""
        return ColumnList([fk.parent for fk in self._elements if fk.parent is not None])

    @property
    def column_keys(self) -> list[str]:
        """The local column keys, in order."""
        return [s if isinstance(s, str) else s.key for s in self._column_specs]

    @property
    def referred_table(self) -> Table:
        """The referenced Table (resolving the targets)."""
        return self._elements[0].column.table  # type: ignore[return-value]

    @property
    def referred_table_key(self) -> str:
        """The referenced table's MetaData key, read from the target spec without resolving."""
        schema, tname, _ = self._elements[0]._table_key_and_column()
        if schema is None and self.table is not None:
            schema = self.table.metadata.schema
        return f"{schema}.{tname}" if schema else tname

    def _set_parent(self, table: Table) -> None:
        super()._set_parent(table)
        for spec, fk in zip(self._column_specs, self._elements):
            if fk.parent is None:
                column = table._resolve_column(spec, "ForeignKeyConstraint")
                fk.parent = column
                column.foreign_keys.add(fk)
            table._foreign_keys.add(fk)
            fk._resolve_type_early()

    @property
    def _column_tokens(self) -> list[Column]:
        return list(self.columns)

    def _copy(self) -> ForeignKeyConstraint:
        return ForeignKeyConstraint(
            self.column_keys, [fk._get_colspec() for fk in self._elements],
            onupdate=self.onupdate, ondelete=self.ondelete, use_alter=self.use_alter,
            link_to_name=self.link_to_name, match=self.match, **self._copy_kw())

    def __repr__(self) -> str:
        targets = [fk._get_colspec() for fk in self._elements]
        return f"ForeignKeyConstraint({self.column_keys!r}, {targets!r})"


class Index(SchemaItem):
    """``CREATE [UNIQUE] INDEX name ON table (...)`` over columns, column key strings or SQL
    expressions; ``<dialect>_where=`` makes a partial index where the dialect supports one."""

    __visit_name__ = "index"
    _convention_key = "ix"

    def __init__(self, name: str | None, *expressions: Any, unique: bool = False,
                 quote: bool | None = None, info: dict[str, Any] | None = None,
                 _table: Table | None = None, _column_flag: bool = False,
                 **dialect_kw: Any) -> None:
        if not expressions:
            raise exc.ArgumentError(
                f"Index({name!r}) needs at least one column or expression")
        self._name = name
        self.unique = unique
        self.quote = quote
        self.info: dict[str, Any] = dict(info or {})
        self.table: Table | None = None
        self._specs = list(expressions)
        self._column_flag = _column_flag
        self.expressions: list[Any] = []
        self.columns = ColumnList()
        self.dialect_options = split_dialect_kwargs("Index", dialect_kw)
        self.dialect_kwargs = dict(dialect_kw)
        table = _table if _table is not None else _table_of(expressions)
        if table is not None:
            self._set_parent(table)

    @property
    def name(self) -> str | None:
        """The index name: the given one, or the naming convention's (``ix_<table>_<col>``)."""
        return _convention_name(self, self._name)

    @name.setter
    def name(self, value: str | None) -> None:
        self._name = value

    @property
    def _column_tokens(self) -> list[Column]:
        return list(self.columns)

    def _set_parent(self, table: Table) -> None:
        if self.table is not None and self.table is not table:
            raise exc.ArgumentError(
                f"Index {self._name!r} already belongs to table {self.table.name!r}")
        self.table = table
        self.expressions = []
        for spec in self._specs:
            if isinstance(spec, (str, Column)):
                column = table._resolve_column(spec, "Index")
                self.columns._append(column)
                self.expressions.append(column)
            else:
                clause = getattr(spec, "__clause_element__", None)
                if clause is None:
                    raise exc.ArgumentError(
                        f"Index() takes columns, column names or SQL expressions, not {spec!r}")
                expr = clause()
                self.expressions.append(expr)
                for col in _columns_in(expr):
                    self.columns._append(col)
        table.indexes.add(self)

    def create(self, bind: Any, checkfirst: bool = False) -> None:
        """CREATE INDEX on ``bind`` (an Engine or Connection)."""
        from sqlwright.schema._ddl import CreateIndex, run_ddl

        run_ddl(bind, lambda conn: conn.execute(CreateIndex(self, if_not_exists=checkfirst)))

    def drop(self, bind: Any, checkfirst: bool = False) -> None:
        """DROP INDEX on ``bind``."""
        from sqlwright.schema._ddl import DropIndex, run_ddl

        run_ddl(bind, lambda conn: conn.execute(DropIndex(self, if_exists=checkfirst)))

    def __repr__(self) -> str:
        cols = ", ".join(repr(getattr(e, "key", e)) for e in self.expressions or self._specs)
        return f"Index({self._name!r}, {cols}{', unique=True' if self.unique else ''})"


def _columns_in(expr: Any) -> list[Column]:
    from sqlwright.sql.visitors import iterate

    return [node for node in iterate(expr) if isinstance(node, Column)]


def _table_of(expressions: Sequence[Any]) -> Table | None:
    for spec in expressions:
        if isinstance(spec, str):
            continue
        clause = getattr(spec, "__clause_element__", None)
        if clause is None:
            continue
        for col in _columns_in(clause()):
            if col.table is not None:
                return col.table
    return None


# -- naming conventions ---------------------------------------------------------------------
_TOKEN = re.compile(r"^(referred_)?column_(\d+|0N|0_N)_(name|key|label)$")


class _ConventionTokens(dict):
    def __init__(self, item: Any, name: str | None) -> None:
        super().__init__()
        self.item = item
        self.given_name = name

    def __missing__(self, token: str) -> str:
        item = self.item
        table = item.table
        if token == "table_name":
            return str(table.name)
        if token == "constraint_name":
            if not self.given_name:
                raise exc.InvalidRequestError(
                    f"The naming convention for {type(item).__name__} uses "
                    "%(constraint_name)s, so the constraint must be given a name= "
                    f"(on table {table.name!r})")
            return self.given_name
        if token == "referred_table_name":
            return str(item.referred_table.name)
        match = _TOKEN.match(token)
        if match is None:
            raise exc.InvalidRequestError(
                f"Unknown naming convention token %({token})s; known tokens are table_name, "
                "constraint_name, referred_table_name, column_0_name, column_0_key, "
                "column_0_label, column_0N_name, column_0_N_name and referred_column_...")
        referred, index, attr = match.groups()
        columns = ([fk.column for fk in item.elements] if referred
                   else item._column_tokens)
        if not columns:
            raise exc.InvalidRequestError(
                f"The naming convention token %({token})s needs columns, but this "
                f"{type(item).__name__} has none; give it an explicit name=")

        def one(col: Column) -> str:
            if attr == "label":
                return f"{col.table.name}_{col.name}" if col.table is not None else col.name
            return str(col.key if attr == "key" else col.name)

        if index == "0N":
            return "".join(one(c) for c in columns)
        if index == "0_N":
            return "_".join(one(c) for c in columns)
        position = int(index)
        if position >= len(columns):
            raise exc.InvalidRequestError(
                f"The naming convention token %({token})s refers to a column this "
                f"{type(item).__name__} does not have")
        return one(columns[position])


def _convention_name(item: Any, name: str | None) -> str | None:
    if isinstance(name, conv):
        return name
    table = item.table
    if table is None or table.metadata is None:
        return name
    convention = table.metadata.naming_convention
    template = convention.get(item._convention_key) or convention.get(type(item))
    if template is None:
        return name
    if name is not None and "%(constraint_name)s" not in template:
        return name
    if name is None and "%(constraint_name)s" in template:
        return None
    if name is None and isinstance(item, (PrimaryKeyConstraint, Index, UniqueConstraint,
                                          ForeignKeyConstraint)) and not item._column_tokens:
        return None
    return conv(template % _ConventionTokens(item, name))
