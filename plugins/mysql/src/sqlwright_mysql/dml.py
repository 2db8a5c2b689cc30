"""MySQL's upsert: ``insert(table).on_duplicate_key_update(...)`` with ``inserted`` access."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlwright import exc
from sqlwright.sql.dml import Insert as _CoreInsert
from sqlwright.sql.elements import BindParameter, ClauseElement, ColumnElement

__all__ = ["Insert", "InsertedColumns", "OnDuplicateClause", "insert"]

#: the row alias MySQL 8.0.20+ gives the new row (``INSERT ... AS new ON DUPLICATE ...``)
ROW_ALIAS = "new"


class InsertedColumn(ColumnElement):
    """``stmt.inserted.<col>``: the value the INSERT tried to write, for use in
    ``on_duplicate_key_update()`` (renders ``VALUES(col)``, or ``new.col`` on MySQL 8.0.20+)."""

    __visit_name__ = "mysql_inserted_column"
    _traverse_internals = (("column", "object"), ("row_alias", "plain"))

    def __init__(self, column: Any, row_alias: str = ROW_ALIAS) -> None:
        self.column = column
        self.type = column.type
        self.key = column.key
        self.name = column.name
        self.row_alias = row_alias

    @property
    def _from_objects(self) -> list[Any]:
        return []


class InsertedColumns:
    """The columns of the row an INSERT tried to write: ``inserted.name``,
    ``inserted["name"]``, iteration and ``in``."""

    def __init__(self, table: Any) -> None:
        self._columns = {c.key: InsertedColumn(c) for c in table.c}

    def __getattr__(self, key: str) -> InsertedColumn:
        try:
            return self.__dict__["_columns"][key]
        except KeyError:
            raise AttributeError(
                f"The inserted row has no column {key!r}; its columns are: "
                f"{', '.join(self.__dict__['_columns'])}") from None

    def __getitem__(self, key: str) -> InsertedColumn:
        return self.__getattr__(key)

    def __iter__(self) -> Any:
        return iter(self._columns.values())

    def __contains__(self, key: object) -> bool:
        return key in self._columns

    def keys(self) -> list[str]:
        """The column keys."""
        return list(self._columns)


class OnDuplicateClause(ClauseElement):
    """The ``ON DUPLICATE KEY UPDATE col = value, ...`` part of an upsert (rendered by the
    INSERT that holds it)."""

    __visit_name__ = "mysql_on_duplicate"
    _traverse_internals = (("pairs", "clause_pairs"), ("row_alias", "plain"))

    def __init__(self, pairs: tuple[tuple[str, ClauseElement], ...],
                 row_alias: str = ROW_ALIAS) -> None:
        self.pairs = pairs
        self.row_alias = row_alias


class Insert(_CoreInsert):
    """MySQL's INSERT: core's :class:`~sqlwright.sql.dml.Insert` plus
    :meth:`on_duplicate_key_update` and :attr:`inserted`."""

    _on_duplicate: OnDuplicateClause | None = None
    _traverse_internals = (  # type: ignore[assignment]
        *_CoreInsert._traverse_internals, ("_on_duplicate", "clause"))

    @property
    def inserted(self) -> InsertedColumns:
        """The row this INSERT tried to write, to use in :meth:`on_duplicate_key_update`:
        ``set_count=stmt.inserted.count + table.c.count``."""
        found = self.__dict__.get("_inserted_columns")
        if found is None:
            found = self.__dict__["_inserted_columns"] = InsertedColumns(self.table)
        return found

    def on_duplicate_key_update(self, *args: Any, **kwargs: Any) -> Insert:
        """Update the existing row instead when the INSERT hits a duplicate primary or unique
        key: ``ON DUPLICATE KEY UPDATE col = value, ...``.

        Takes keyword arguments (``name=stmt.inserted.name``), one dict keyed by column key or
        Column, or a list of ``(column, value)`` pairs to fix the order. A value is a plain
        Python value (bound) or a SQL expression, such as ``stmt.inserted.<col>`` or
        ``table.c.hits + 1``.
        """
        if args and kwargs:
            raise exc.ArgumentError(
                "on_duplicate_key_update() takes either one dict / list of pairs or keyword "
                "arguments, not both")
        if len(args) > 1:
            raise exc.ArgumentError(
                "on_duplicate_key_update() takes a single dict or list of (column, value) pairs")
        items: list[tuple[Any, Any]]
        if kwargs:
            items = list(kwargs.items())
        elif args and isinstance(args[0], Mapping):
            items = list(args[0].items())
        elif args and isinstance(args[0], list):
            items = [tuple(pair) for pair in args[0]]
        else:
            raise exc.ArgumentError(
                "on_duplicate_key_update() needs the columns to update, e.g. "
                "on_duplicate_key_update(name=stmt.inserted.name)")
        if not items:
            raise exc.ArgumentError("on_duplicate_key_update() got no columns to update")
        pairs = []
        for key, value in items:
            column = self._column_for_key(key)
            pairs.append((column.key, _update_value(column, value)))
        new = self._generate()
        new._on_duplicate = OnDuplicateClause(tuple(pairs))
        return new


def _update_value(column: Any, value: Any) -> ClauseElement:
    if isinstance(value, ClauseElement):
        return value
    clause = getattr(value, "__clause_element__", None)
    if clause is not None:
        return clause()
    return BindParameter(None, value, type_=column.type, _name_hint=f"{column.key}_update")


def insert(table: Any) -> Insert:
    """An INSERT into ``table`` that can also :meth:`~Insert.on_duplicate_key_update`."""
    return Insert(table)
