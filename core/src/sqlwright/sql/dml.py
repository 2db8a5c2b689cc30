"""INSERT, UPDATE and DELETE statements: :func:`insert`, :func:`update`, :func:`delete`.

The statements are generative: every method returns a new statement and leaves the one it was
called on unchanged. Values given to ``values()`` become bound parameters named after their
column's key, so statements that differ only in their values share one compiled form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from sqlwright import exc
from sqlwright.sql.elements import BindParameter, ClauseElement

__all__ = ["Delete", "Insert", "Update", "UpdateBase", "ValuesBase", "delete", "insert", "update"]

_Self = TypeVar("_Self", bound="UpdateBase")
_ILLEGAL_BIND_CHARS = re.compile(r"\W")


def bind_name_for(key: str) -> str:
    """The bind parameter name used for a column key (non-word characters become ``_``)."""
    return _ILLEGAL_BIND_CHARS.sub("_", key) or "param"


def _unwrap(value: Any) -> Any:
    """Follow the clause-coercion protocol (``__clause_element__``) once, if offered."""
    if isinstance(value, ClauseElement):
        return value
    clause = getattr(value, "__clause_element__", None)
    return clause() if clause is not None else value


def _is_clause(value: Any) -> bool:
    return isinstance(value, ClauseElement) or hasattr(value, "__clause_element__")


def _coerce(role: str, value: Any) -> Any:
    """Coerce ``value`` for a role of :func:`sqlwright.sql.coercions.expect`."""
    from sqlwright.sql import coercions

    return coercions.expect(role, value)


def _coerce_table(table: Any, verb: str) -> Any:
    target = _coerce("dml_table", table)
    if not isinstance(target, ClauseElement) or not hasattr(target, "c"):
        raise exc.ArgumentError(
            f"{verb}() needs a Table (or table() / an ORM mapped class), not {table!r}")
    return target


class _ValuesRow(ClauseElement):
    """One row of a multi-row ``values()``: ordered ``(column key, expression)`` pairs."""

    __visit_name__ = "dml_values_row"
    _traverse_internals = (("pairs", "clause_pairs"),)

    def __init__(self, pairs: tuple[tuple[str, ClauseElement], ...]) -> None:
        self.pairs = pairs


class UpdateBase(ClauseElement):
    """What INSERT, UPDATE and DELETE share: the target table and ``returning()``."""

    is_executable = True
    is_dml = True
    table: Any
    _returning: tuple[Any, ...] = ()
    _return_defaults: bool = False
    _return_defaults_columns: tuple[Any, ...] = ()
    _verb: ClassVar[str] = "dml"

    def _generate(self: _Self) -> _Self:
        return self._clone()

    def returning(self: _Self, *cols: Any) -> _Self:
        """Add ``RETURNING`` columns (columns, tables, expressions); rows come back in the Result.

        Compiles where ``dialect.features.supports_<insert|update|delete>_returning`` is true;
        elsewhere compiling raises :class:`~sqlwright.exc.CompileError` naming the flag.
        """
        if not cols:
            raise exc.ArgumentError("returning() needs at least one column or table")
        if self._return_defaults:
            raise exc.InvalidRequestError(
                "return_defaults() and returning() cannot be combined; list the columns "
                "you want in returning()")
        new = self._generate()
        new._returning = self._returning + tuple(_unwrap(c) for c in cols)
        return new

    def return_defaults(self: _Self, *cols: Any) -> _Self:
        """Fetch server-generated values (primary key, server defaults) of the row written.

        They are available afterwards as ``result.returned_defaults`` (a Row, or None). Uses
        RETURNING where the dialect has it; elsewhere only the primary key is recovered.
        """
        if self._returning:
            raise exc.InvalidRequestError(
                "return_defaults() and returning() cannot be combined; list the columns "
                "you want in returning()")
        new = self._generate()
        new._return_defaults = True
        new._return_defaults_columns = self._return_defaults_columns + tuple(
            _unwrap(c) for c in cols)
        return new

    def _compiler(self, dialect: Any, **kw: Any) -> Any:
        # compile() / str() (the engine calls the compiler itself): with no parameter keys
        # known, a statement without values() shows every column, as a template
        if "column_keys" not in kw:
            kw["compile_kwargs"] = {**kw.get("compile_kwargs", {}), "dml_all_columns": True}
        return super()._compiler(dialect, **kw)

    @property
    def exported_columns(self) -> list[Any]:
        """The columns listed in ``returning()``."""
        return list(self._returning)

    def _column_for_key(self, key: Any) -> Any:
        """The target table's column named by ``key`` (a string or a column)."""
        if isinstance(key, str):
            columns = self.table.c
            if key in columns:
                return columns[key]
            raise exc.ArgumentError(
                f"{self._verb.upper()} target {self._table_name()!r} has no column {key!r}; "
                f"its columns are: {', '.join(c.key for c in columns)}")
        col = _unwrap(key)
        col_table = getattr(col, "table", None)
        if col_table is not self.table or getattr(col, "key", None) is None:
            raise exc.ArgumentError(
                f"{col!r} is not a column of {self._table_name()!r}; pass a column of the "
                "statement's table or its key as a string")
        return col

    def _table_name(self) -> str:
        return str(getattr(self.table, "name", self.table))


class _WhereMixin:
    """``where()`` / ``filter()`` / ``filter_by()`` for UPDATE and DELETE."""

    _where_criteria: tuple[Any, ...] = ()
    table: Any

    def where(self: Any, *whereclause: Any) -> Any:
        """Add WHERE criteria, joined with AND to any already present."""
        new = self._generate()
        new._where_criteria = self._where_criteria + tuple(
            _coerce("where", w) for w in whereclause)
        return new

    def filter(self: Any, *criteria: Any) -> Any:
        """Same as :meth:`where`."""
        return self.where(*criteria)

    def filter_by(self: Any, **kwargs: Any) -> Any:
        """WHERE criteria as ``column_key=value`` equalities on the target table."""
        return self.where(*(self._column_for_key(k) == v for k, v in kwargs.items()))


class ValuesBase(UpdateBase):
    """INSERT and UPDATE: ``values()``."""

    #: ordered (column key, expression) pairs of a single-row values()
    _values: tuple[tuple[str, Any], ...] = ()
    #: the rows of a multi-row INSERT values([...]), or () for a single row
    _multi_values: tuple[_ValuesRow, ...] = ()
    _inline: bool = False

    def values(self: Any, *args: Any, **kwargs: Any) -> Any:
        """Set the values to write.

        ``values(name="x")``, ``values({"name": "x"})`` or ``values({table.c.name: "x"})``
        give one row; for INSERT, ``values([{...}, {...}])`` gives several rows in one
        statement and ``values((1, "x"))`` a row by column position. A value may be a SQL
        expression (``table.c.count + 1``, a scalar subquery). Calling values() again adds to
        (or replaces keys of) a single row.
        """
        if args and kwargs:
            raise exc.ArgumentError(
                "values() takes either one dict/list/tuple or keyword arguments, not both")
        if len(args) > 1:
            raise exc.ArgumentError(
                "values() takes a single dict, list or tuple; wrap several rows in a list")
        new = self._generate()
        if kwargs:
            new._set_single(kwargs)
            return new
        if not args:
            return new
        arg = args[0]
        if isinstance(arg, Mapping):
            new._set_single(arg)
        elif isinstance(arg, list):
            new._set_multi(arg)
        elif isinstance(arg, tuple):
            new._set_single(self._positional_row(arg))
        else:
            raise exc.ArgumentError(
                f"values() got a {type(arg).__name__}; pass a dict, a list of dicts (several "
                "rows) or keyword arguments")
        return new

    def _positional_row(self, row: Sequence[Any]) -> dict[str, Any]:
        columns = list(self.table.c)
        if len(row) > len(columns):
            raise exc.ArgumentError(
                f"values() got {len(row)} positional values but {self._table_name()!r} has "
                f"{len(columns)} columns")
        return {col.key: value for col, value in zip(columns, row)}

    def _pairs(self, row: Mapping[Any, Any], suffix: str = ""
               ) -> tuple[tuple[str, Any], ...]:
        pairs = []
        for key, value in row.items():
            column = self._column_for_key(key)
            pairs.append((column.key, self._value_clause(column, value, suffix)))
        return tuple(pairs)

    @staticmethod
    def _value_clause(column: Any, value: Any, suffix: str = "") -> Any:
        if _is_clause(value):
            clause = _unwrap(value)
            scalar = getattr(clause, "scalar_subquery", None)
            if getattr(clause, "_is_select_statement", False) and scalar is not None:
                return scalar()
            return clause
        return BindParameter(bind_name_for(column.key) + suffix, value, type_=column.type,
                             required=False)

    def _set_single(self, row: Mapping[Any, Any]) -> None:
        if self._multi_values:
            raise exc.InvalidRequestError(
                "This statement already has several rows from values([...]); give every "
                "row in that one list")
        merged = dict(self._values)
        merged.update(self._pairs(row))
        self._values = tuple(merged.items())

    def _set_multi(self, rows: list[Any]) -> None:
        raise exc.ArgumentError(
            f"{self._verb.upper()} values() takes one row; a list of rows is for insert(). "
            "To run one statement per row, pass the list of dicts to execute() instead")

    def inline(self: Any) -> Any:
        """Don't fetch the new row's primary key or defaults after executing."""
        new = self._generate()
        new._inline = True
        return new


class Insert(ValuesBase):
    """``INSERT INTO table (...) VALUES (...)``, or ``... SELECT ...`` with from_select()."""

    __visit_name__ = "insert"
    is_insert = True
    _verb = "insert"
    select: Any = None
    _select_names: tuple[str, ...] = ()
    include_insert_from_select_defaults: bool = True
    _traverse_internals = (
        ("table", "object"), ("_values", "clause_pairs"), ("_multi_values", "clauses"),
        ("select", "clause"), ("_select_names", "plain"),
        ("include_insert_from_select_defaults", "plain"), ("_inline", "plain"),
        ("_returning", "clauses"), ("_return_defaults", "plain"),
        ("_return_defaults_columns", "clauses"),
    )

    def __init__(self, table: Any) -> None:
        self.table = _coerce_table(table, "insert")

    def _set_multi(self, rows: list[Any]) -> None:
        if self._values or self._multi_values or self.select is not None:
            raise exc.InvalidRequestError(
                "values([...]) with several rows must be the only values() of an insert")
        if not rows:
            raise exc.ArgumentError(
                "values([]) got no rows; pass at least one dict, or use insert() alone")
        built = []
        for index, row in enumerate(rows):
            if isinstance(row, tuple):
                row = self._positional_row(row)
            elif not isinstance(row, Mapping):
                raise exc.ArgumentError(
                    f"Row {index} of values([...]) is a {type(row).__name__}; each row must "
                    "be a dict (or a tuple in column order)")
            built.append(_ValuesRow(self._pairs(row, f"_m{index}")))
        self._multi_values = tuple(built)

    def _set_single(self, row: Mapping[Any, Any]) -> None:
        if self.select is not None:
            raise exc.InvalidRequestError(
                "This insert already takes its rows from from_select(); it cannot also "
                "have values()")
        super()._set_single(row)

    def from_select(self, names: Iterable[Any], select: Any,
                    include_defaults: bool = True) -> Insert:
        """``INSERT INTO table (names...) SELECT ...``: insert the rows a SELECT returns.

        ``names`` are column keys or columns of the table, in the order of the SELECT's
        columns. With ``include_defaults`` the table's Python scalar, callable and SQL
        defaults of the other columns are added to the SELECT.
        """
        if self._values or self._multi_values:
            raise exc.InvalidRequestError(
                "This insert already has values(); from_select() replaces them, so start "
                "from a fresh insert()")
        new = self._generate()
        new._select_names = tuple(new._column_for_key(n).key for n in names)
        new.select = _unwrap(select)
        new.include_insert_from_select_defaults = include_defaults
        return new


class Update(_WhereMixin, ValuesBase):
    """``UPDATE table SET ... WHERE ...``."""

    __visit_name__ = "update"
    is_update = True
    _verb = "update"
    _ordered: bool = False
    _traverse_internals = (
        ("table", "object"), ("_values", "clause_pairs"), ("_ordered", "plain"),
        ("_where_criteria", "clauses"), ("_inline", "plain"), ("_returning", "clauses"),
        ("_return_defaults", "plain"), ("_return_defaults_columns", "clauses"),
    )

    def __init__(self, table: Any) -> None:
        self.table = _coerce_table(table, "update")

    def ordered_values(self, *pairs: tuple[Any, Any]) -> Update:
        """Set values as ``(column, value)`` pairs rendered in this order in SET."""
        if self._values:
            raise exc.InvalidRequestError(
                "This update already has values(); use either values() or ordered_values()")
        new = self._generate()
        new._set_single(dict(pairs))
        new._ordered = True
        return new

    def _set_single(self, row: Mapping[Any, Any]) -> None:
        if self._ordered:
            raise exc.InvalidRequestError(
                "This update has ordered_values(); it cannot take values() as well")
        super()._set_single(row)


class Delete(_WhereMixin, UpdateBase):
    """``DELETE FROM table WHERE ...``."""

    __visit_name__ = "delete"
    is_delete = True
    _verb = "delete"
    _traverse_internals = (
        ("table", "object"), ("_where_criteria", "clauses"), ("_returning", "clauses"),
        ("_return_defaults", "plain"), ("_return_defaults_columns", "clauses"),
    )

    def __init__(self, table: Any) -> None:
        self.table = _coerce_table(table, "delete")


def insert(table: Any) -> Insert:
    """An INSERT into ``table``; add rows with ``.values()`` or at execution (a dict or list)."""
    return Insert(table)


def update(table: Any) -> Update:
    """An UPDATE of ``table``; chain ``.where(...)`` and ``.values(...)``."""
    return Update(table)


def delete(table: Any) -> Delete:
    """A DELETE from ``table``; chain ``.where(...)`` (without it every row is deleted)."""
    return Delete(table)
