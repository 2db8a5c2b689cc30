"""PostgreSQL's INSERT with ``ON CONFLICT`` (upsert): ``sqlwright_postgresql.insert(table)``."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from sqlwright import exc
from sqlwright.sql import coercions
from sqlwright.sql.dml import Insert as _CoreInsert
from sqlwright.sql.elements import ClauseElement

__all__ = ["Insert", "OnConflictClause", "insert"]

#: one "excluded" alias per table, so statements built again share a compiled form
_EXCLUDED: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


class OnConflictClause(ClauseElement):
    """The ``ON CONFLICT`` part of an INSERT: its target and ``DO NOTHING`` / ``DO UPDATE``.

    Rendered by the PostgreSQL compiler as part of its INSERT, never on its own.
    """

    __visit_name__ = "pg_on_conflict"
    _traverse_internals = (
        ("action", "plain"), ("constraint_name", "plain"), ("index_elements", "clauses"),
        ("index_where", "clause"), ("set_pairs", "clause_pairs"), ("where", "clause"),
    )

    def __init__(self, action: str, constraint_name: str | None,
                 index_elements: tuple[Any, ...], index_where: Any,
                 set_pairs: tuple[tuple[str, Any], ...] = (), where: Any = None) -> None:
        self.action = action
        self.constraint_name = constraint_name
        self.index_elements = index_elements
        self.index_where = index_where
        self.set_pairs = set_pairs
        self.where = where


class Insert(_CoreInsert):
    """An INSERT that can say what to do when a row conflicts with a unique constraint.

    ``on_conflict_do_nothing()`` skips such rows; ``on_conflict_do_update(set_=...)`` updates
    the existing row instead, where ``stmt.excluded.<column>`` is the value that was proposed.
    """

    _on_conflict: OnConflictClause | None = None
    _traverse_internals = (  # type: ignore[assignment]
        *_CoreInsert._traverse_internals, ("_on_conflict", "clause"))

    @property
    def excluded(self) -> Any:
        """The columns of the row proposed for insertion (PostgreSQL's ``excluded``), for
        ``set_`` and ``where`` of :meth:`on_conflict_do_update`."""
        alias = _EXCLUDED.get(self.table)
        if alias is None:
            alias = _EXCLUDED[self.table] = self.table.alias("excluded")
        return alias.c

    def on_conflict_do_nothing(self, constraint: Any = None,
                               index_elements: Iterable[Any] | None = None,
                               index_where: Any = None) -> Insert:
        """``ON CONFLICT [target] DO NOTHING``: rows that would violate a unique constraint
        (the one named by the target, or any when no target is given) are skipped."""
        name, elements, where = self._target(constraint, index_elements, index_where)
        new = self._generate()
        new._on_conflict = OnConflictClause("nothing", name, elements, where)
        return new

    def on_conflict_do_update(self, constraint: Any = None,
                              index_elements: Iterable[Any] | None = None,
                              index_where: Any = None,
                              set_: Mapping[Any, Any] | None = None,
                              where: Any = None) -> Insert:
        """``ON CONFLICT target DO UPDATE SET ... [WHERE ...]``.

        The target is ``constraint`` (a constraint name, or a UniqueConstraint /
        PrimaryKeyConstraint / Index of the table) or ``index_elements`` (columns or their
        names, with ``index_where`` for a partial unique index). ``set_`` maps columns (or
        their keys) to new values: Python values or expressions such as
        ``stmt.excluded.name``. ``where`` limits which conflicting rows are updated.
        """
        name, elements, index_pred = self._target(constraint, index_elements, index_where)
        if name is None and not elements:
            raise exc.ArgumentError(
                "on_conflict_do_update() needs a conflict target: pass index_elements=[...] "
                "(the columns of a unique index) or constraint=<name or constraint>")
        if not set_:
            raise exc.ArgumentError(
                "on_conflict_do_update() needs set_={column: value, ...}; to skip conflicting "
                "rows use on_conflict_do_nothing()")
        pairs = []
        for key, value in set_.items():
            column = self._column_for_key(key)
            pairs.append((column.name, coercions.expect(
                "dml_value", value, compare_type=column.type, name_hint=f"{column.key}_set")))
        criterion = coercions.expect("where", where) if where is not None else None
        new = self._generate()
        new._on_conflict = OnConflictClause("update", name, elements, index_pred,
                                            tuple(pairs), criterion)
        return new

    def _target(self, constraint: Any, index_elements: Iterable[Any] | None,
                index_where: Any) -> tuple[str | None, tuple[Any, ...], Any]:
        if constraint is not None and index_elements is not None:
            raise exc.ArgumentError(
                "Give on_conflict_*() either constraint= or index_elements=, not both")
        if isinstance(constraint, str):
            return constraint, (), None
        if constraint is not None:
            name = getattr(constraint, "name", None)
            if name:
                return str(name), (), None
            exprs = getattr(constraint, "expressions", None) or list(
                getattr(constraint, "columns", ()))
            options = getattr(constraint, "dialect_options", {}).get("postgresql", {})
            index_elements, index_where = exprs, index_where or options.get("where")
        elements = tuple(self._element(e) for e in index_elements or ())
        where = coercions.expect("where", index_where) if index_where is not None else None
        return None, elements, where

    def _element(self, element: Any) -> Any:
        if isinstance(element, str):
            return self._column_for_key(element)
        return coercions.expect("expression", element)


def insert(table: Any) -> Insert:
    """An INSERT into ``table`` with PostgreSQL's ``on_conflict_do_nothing()`` and
    ``on_conflict_do_update()``; otherwise the same as :func:`sqlwright.insert`."""
    return Insert(table)
