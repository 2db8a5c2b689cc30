"""Collections that are never loaded whole: ``lazy="write_only"`` and ``lazy="dynamic"``.

``user.posts`` is then a :class:`WriteOnlyCollection`: ``add()`` / ``add_all()`` / ``remove()``
queue changes that the next flush writes (foreign keys, or rows of the ``secondary`` table), and
``select()`` returns a ``select(Post)`` limited to this parent's rows for the application to
refine and run. ``lazy="dynamic"`` gives an :class:`AppenderQuery`, the older style: the same
changes plus query methods (``where``, ``order_by``, ``all``, ``count``, iteration).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar

from sqlwright import exc
from sqlwright.orm.base import NO_VALUE, Mapped

__all__ = ["AppenderQuery", "DynamicMapped", "WriteOnlyCollection", "WriteOnlyMapped"]

_T = TypeVar("_T")


class WriteOnlyMapped(Mapped[_T]):
    """Annotation of a write-only relationship: ``posts: WriteOnlyMapped["Post"] =
    relationship(lazy="write_only")``."""

    __slots__ = ()


class DynamicMapped(Mapped[_T]):
    """Annotation of a dynamic relationship: ``posts: DynamicMapped["Post"] =
    relationship(lazy="dynamic")``."""

    __slots__ = ()


def _collections() -> Any:
    from sqlwright.orm import collections

    return collections


class WriteOnlyCollection(Generic[_T]):
    """The value of a ``lazy="write_only"`` relationship: changes without loading."""

    def __init__(self, prop: Any, state: Any) -> None:
        self.prop = prop
        self.state = state

    def _parent(self) -> Any:
        obj = self.state.obj()
        if obj is None:
            raise exc.InvalidRequestError("The parent object of this collection is gone")
        return obj

    def add(self, item: _T) -> None:
        """Queue ``item`` to be added to the collection at the next flush."""
        colls = _collections()
        colls._check_type(self.prop, item)
        state, key = self.state, self.prop.key
        added, removed = colls._pending.setdefault(state, {}).setdefault(key, ([], []))
        removed[:] = [v for v in removed if v is not item]
        if not any(v is item for v in added):
            added.append(item)
        colls._record(state, key, lambda: NO_VALUE)
        colls._reverse_add(self.prop, item, self._parent())
        colls._cascade_add(state, self.prop, item)

    def add_all(self, items: Iterable[_T]) -> None:
        """Queue every item of ``items`` to be added."""
        for item in items:
            self.add(item)

    def remove(self, item: _T) -> None:
        """Queue ``item`` to be removed from the collection at the next flush."""
        colls = _collections()
        state, key = self.state, self.prop.key
        added, removed = colls._pending.setdefault(state, {}).setdefault(key, ([], []))
        added[:] = [v for v in added if v is not item]
        if not any(v is item for v in removed):
            removed.append(item)
        colls._record(state, key, lambda: NO_VALUE)
        colls._reverse_remove(self.prop, item, self._parent())

    def select(self) -> Any:
        """``select(Target)`` limited to the rows of this parent (not run)."""
        from sqlwright.sql.selectable import select

        if self.state.key is None:
            raise exc.InvalidRequestError(
                f"{self.prop}: the parent object is not flushed yet, so its rows can't be "
                "selected; call session.flush() first")
        criterion, params = self.prop._lazy_criteria(self.state)
        stmt: Any = select(self.prop.entity).where(criterion).params(**params)
        if self.prop.order_by:
            stmt = stmt.order_by(*self.prop.order_by)
        return stmt

    def insert(self) -> Any:
        """``insert(Target)`` with this parent's foreign key values filled in (one-to-many)."""
        from sqlwright.sql.dml import insert

        if self.prop.secondary is not None:
            raise exc.InvalidRequestError(
                f"{self.prop}: insert() works for one-to-many collections; for many-to-many "
                "add objects with add() and flush")
        values = {remote.key: self.prop._local_value(self.state, local)
                  for local, remote in self.prop.local_remote_pairs}
        return insert(self.prop.entity).values(**values)

    def __iter__(self) -> Iterator[_T]:
        raise TypeError(
            f"{self.prop} is write-only: it is never loaded as a whole. Run "
            "session.scalars(obj.<attribute>.select()) to read its rows")

    def __repr__(self) -> str:
        return f"<WriteOnlyCollection {self.prop}>"


class AppenderQuery(WriteOnlyCollection[_T]):
    """The value of a ``lazy="dynamic"`` relationship: a query over the parent's rows that
    also accepts ``append()`` / ``remove()`` (flushed first, so queries see them)."""

    def __init__(self, prop: Any, state: Any, statement: Any = None) -> None:
        super().__init__(prop, state)
        self._statement = statement

    def _session(self) -> Any:
        session = self.state.session
        if session is None:
            raise exc.InvalidRequestError(
                f"{self.prop}: the parent object belongs to no Session, so the dynamic "
                "collection can't be queried; add it to a Session first")
        return session

    def _stmt(self) -> Any:
        if self._statement is not None:
            return self._statement
        session = self._session()
        if session.autoflush:
            session.flush()
        return self.select()

    def _derive(self, statement: Any) -> AppenderQuery[_T]:
        return AppenderQuery(self.prop, self.state, statement)

    def append(self, item: _T) -> None:
        """Add ``item`` to the collection (written at the next flush)."""
        self.add(item)

    def extend(self, items: Iterable[_T]) -> None:
        """Add every item of ``items``."""
        self.add_all(items)

    def where(self, *criteria: Any) -> AppenderQuery[_T]:
        """A query with more WHERE criteria."""
        return self._derive(self._stmt().where(*criteria))

    filter = where

    def filter_by(self, **values: Any) -> AppenderQuery[_T]:
        """A query with ``attribute == value`` criteria."""
        return self._derive(self._stmt().filter_by(**values))

    def order_by(self, *clauses: Any) -> AppenderQuery[_T]:
        """A query with this ORDER BY (replacing the relationship's)."""
        return self._derive(self._stmt().order_by(None).order_by(*clauses))

    def limit(self, count: int) -> AppenderQuery[_T]:
        """A query returning at most ``count`` rows."""
        return self._derive(self._stmt().limit(count))

    def offset(self, count: int) -> AppenderQuery[_T]:
        """A query skipping ``count`` rows."""
        return self._derive(self._stmt().offset(count))

    def all(self) -> list[_T]:
        """The related objects."""
        return list(self._session().scalars(self._stmt()).all())

    def first(self) -> _T | None:
        """The first related object, or None."""
        found = self._session().scalars(self._stmt().limit(1)).first()
        return found

    def one(self) -> _T:
        """The only related object (NoResultFound / MultipleResultsFound otherwise)."""
        return self._session().scalars(self._stmt()).one()

    def count(self) -> int:
        """How many related rows there are."""
        from sqlwright.sql.functions import func
        from sqlwright.sql.selectable import select

        sub = self._stmt().order_by(None).subquery()
        return int(self._session().scalar(select(func.count()).select_from(sub)) or 0)

    def __iter__(self) -> Iterator[_T]:
        return iter(self.all())

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            if index.step not in (None, 1) or (index.start or 0) < 0 or \
                    (index.stop is not None and index.stop < 0):
                raise IndexError("dynamic collections take slices with positive bounds only")
            start = index.start or 0
            stmt = self._stmt().offset(start)
            if index.stop is not None:
                stmt = stmt.limit(max(index.stop - start, 0))
            return list(self._session().scalars(stmt).all())
        found = self._session().scalars(self._stmt().offset(index).limit(1)).first()
        if found is None:
            raise IndexError(index)
        return found

    def __repr__(self) -> str:
        return f"<AppenderQuery {self.prop}>"
