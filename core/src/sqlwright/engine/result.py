"""Results: :class:`Result` and its row sources, plus the scalar and mapping views.

A result turns raw tuples from a row source (a DBAPI cursor, any iterator) into :class:`Row`
objects, converting the columns that have a result processor and leaving the others alone.
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, Generic, TypeVar

from sqlwright.engine.row import Row, RowMapping, make_row_class
from sqlwright.exc import (
    ArgumentError,
    InvalidRequestError,
    MultipleResultsFound,
    NoResultFound,
    NoSuchColumnError,
    ResourceClosedError,
)

__all__ = [
    "ResultMetaData",
    "RMKeyView",
    "Result",
    "ScalarResult",
    "MappingResult",
    "IteratorResult",
    "CursorResult",
    "DEFAULT_PARTITION_SIZE",
]

_T = TypeVar("_T")
_TP = TypeVar("_TP", bound=tuple[Any, ...])
_Self = TypeVar("_Self", bound="_ResultCommon[Any]")

Processor = Callable[[Any], Any]

#: Rows per list yielded by ``partitions()`` when neither a size nor ``yield_per`` is given.
DEFAULT_PARTITION_SIZE = 1000

# Iteration without yield_per fetches batches that grow from the first size to the last, so a
# loop that stops early fetches little and a long loop makes few round trips.
_FIRST_ITER_BATCH = 16
_MAX_ITER_BATCH = 1000

_CLOSED_MESSAGE = (
    "This result object is closed; its rows can no longer be fetched. Execute the statement "
    "again for a new result, or keep the rows with .all() before closing."
)
_NO_ROWS_MESSAGE = (
    "This result object does not return rows. It has been closed automatically; use "
    ".rowcount for the number of rows the statement affected, or add RETURNING to get rows."
)


class ResultMetaData:
    """The columns of a result: their names, the objects they may be looked up by, and the
    processors that convert raw driver values.

    Column ``i`` is found by its name ``keys[i]``, by its position ``i``, or by any object in
    ``extra_keys[i]`` (column objects, labels; objects are matched by identity, strings by
    value). A name given to two columns is ambiguous: looking it up raises
    :class:`~sqlwright.exc.InvalidRequestError`. ``processors[i]`` converts every raw value of
    column ``i`` (None included); ``None`` means the value is kept as the driver returned it.
    """

    __slots__ = (
        "_ambiguous",
        "_by_id",
        "_by_name",
        "_extra_keys",
        "_processors",
        "_row_class_cache",
        "keys",
    )

    def __init__(
        self,
        keys: Sequence[str],
        *,
        extra_keys: Sequence[Sequence[object]] | None = None,
        processors: Sequence[Processor | None] | None = None,
    ) -> None:
        self.keys: tuple[str, ...] = tuple(keys)
        count = len(self.keys)
        for name, given in (("extra_keys", extra_keys), ("processors", processors)):
            if given is not None and len(given) != count:
                raise ArgumentError(
                    f"ResultMetaData got {len(given)} {name} for {count} keys; give exactly one "
                    f"entry per column (None or an empty sequence for a column without one)."
                )
        by_name: dict[str, int] = {}
        ambiguous: set[str] = set()
        for position, name in enumerate(self.keys):
            if not isinstance(name, str):
                raise ArgumentError(f"Result column names must be strings, got {name!r}.")
            if name in by_name:
                ambiguous.add(name)
            else:
                by_name[name] = position
        for name in ambiguous:
            del by_name[name]
        self._extra_keys = tuple(tuple(objs or ()) for objs in extra_keys or ())
        self._by_id = self._index_extra_keys(by_name, ambiguous)
        self._by_name = by_name
        self._ambiguous = frozenset(ambiguous)
        self._processors: tuple[tuple[int, Processor], ...] = tuple(
            (position, proc) for position, proc in enumerate(processors or ()) if proc is not None
        )
        self._row_class_cache: type[Row[Any]] | None = None

    def _index_extra_keys(self, by_name: dict[str, int], ambiguous: set[str]) -> dict[int, int]:
        # Strings become aliases (a real column name always wins over an alias); other objects
        # are keyed by identity, so column objects that overload == are never compared.
        by_id: dict[int, int] = {}
        aliases: dict[str, int] = {}
        for position, objs in enumerate(self._extra_keys):
            for obj in objs:
                if isinstance(obj, str):
                    if obj in by_name or obj in ambiguous:
                        continue
                    if aliases.setdefault(obj, position) != position:
                        ambiguous.add(obj)
                elif not isinstance(obj, int):
                    by_id.setdefault(id(obj), position)
        by_name.update((k, v) for k, v in aliases.items() if k not in ambiguous)
        return by_id

    def __repr__(self) -> str:
        return f"ResultMetaData({list(self.keys)!r})"

    # -- lookups ----------------------------------------------------------------------------

    def _ambiguous_error(self, name: str) -> InvalidRequestError:
        return InvalidRequestError(
            f"Ambiguous column name {name!r}: more than one column of the result has that name. "
            f"Look it up by column object (row._mapping[table.c.{name}]) or by position, or "
            f"give the columns distinct names with .label()."
        )

    def _missing_error(self, key: object) -> Exception:
        if isinstance(key, str) and key in self._ambiguous:
            return self._ambiguous_error(key)
        return NoSuchColumnError(
            f"Could not locate column {key!r} in the result; its columns are {list(self.keys)}. "
            f"Check the spelling, or select the column in the statement."
        )

    def _index_of(self, key: object) -> int:
        """Return the position of the column named, numbered or keyed by ``key``."""
        if isinstance(key, str):
            position = self._by_name.get(key)
        elif isinstance(key, int) and not isinstance(key, bool):
            count = len(self.keys)
            if -count <= key < count:
                return key % count
            raise NoSuchColumnError(
                f"Column index {key} is out of range: the result has {count} columns "
                f"{list(self.keys)}."
            )
        else:
            position = self._by_id.get(id(key))
        if position is None:
            raise self._missing_error(key)
        return position

    def _mapping_index(self, key: object) -> int:
        """Like :meth:`_index_of` but without positions (the keys of a RowMapping)."""
        if isinstance(key, int) and not isinstance(key, bool):
            raise NoSuchColumnError(
                f"RowMapping keys are column names or column objects, not positions; use "
                f"row[{key}] on the Row for the value at position {key}."
            )
        return self._index_of(key)

    def _has_key(self, key: object) -> bool:
        if isinstance(key, str):
            return key in self._by_name or key in self._ambiguous
        if isinstance(key, int):
            return False
        return id(key) in self._by_id

    def _reduce(self, positions: Sequence[int]) -> ResultMetaData:
        """Metadata for the given columns only, without processors (already applied)."""
        extra = [self._extra_keys[p] for p in positions] if self._extra_keys else None
        return ResultMetaData([self.keys[p] for p in positions], extra_keys=extra)

    # -- rows -------------------------------------------------------------------------------

    @property
    def _row_class(self) -> type[Row[Any]]:
        cls = self._row_class_cache
        if cls is None:
            cls = self._row_class_cache = make_row_class(self)
        return cls

    def _processed(self, raws: list[Any]) -> Iterable[Any]:
        """Apply the processors to a batch of raw rows; a no-op without processors."""
        processors = self._processors
        if not processors or not raws:
            return raws
        # Column-wise: transposing the batch lets map() run each processor over its column,
        # about twice as fast as rebuilding every row in a Python loop.
        columns: list[Iterable[Any]] = list(zip(*raws))
        for position, proc in processors:
            columns[position] = map(proc, columns[position])
        return zip(*columns)


class RMKeyView(Sequence[str]):
    """The column names of a result, as returned by ``keys()``.

    A read-only sequence of names that equals a list or tuple of the same names; ``in``
    accepts names and the column objects the result was built from.
    """

    __slots__ = ("_metadata",)

    def __init__(self, metadata: ResultMetaData) -> None:
        self._metadata = metadata

    def __getitem__(self, index: Any) -> Any:
        return self._metadata.keys[index]

    def __len__(self) -> int:
        return len(self._metadata.keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._metadata.keys)

    def __contains__(self, key: object) -> bool:
        return self._metadata._has_key(key)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (RMKeyView, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RMKeyView({list(self._metadata.keys)!r})"


def _identity(item: Any) -> Any:
    return item


def _positions_getter(positions: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    if len(positions) == 1:
        only = positions[0]
        return lambda values: (values[only],)
    return operator.itemgetter(*positions)


def _check_size(method: str, size: object) -> int:
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ArgumentError(f"{method} needs a positive integer number of rows, got {size!r}.")
    return size


class _ResultCommon(Generic[_T]):
    """The fetch methods shared by :class:`Result`, :class:`ScalarResult` and
    :class:`MappingResult`; each turns the rows of the underlying result into its items."""

    _real: Result[Any]
    _unique_key: Callable[[Any], Any] | None = None
    _seen: set[Any]

    #: How an item is reduced to a hashable key when ``unique()`` gets no strategy.
    _default_unique_key: Callable[[Any], Any] = staticmethod(_identity)

    def _items(self, rows: list[Row[Any]]) -> list[_T]:
        raise NotImplementedError

    def _item(self, row: Row[Any]) -> _T:
        raise NotImplementedError

    # -- internals --------------------------------------------------------------------------

    def _keep_unseen(self, items: Iterable[_T]) -> list[_T]:
        key, seen, kept = self._unique_key, self._seen, []
        assert key is not None
        try:
            for item in items:
                marker = key(item)
                if marker not in seen:
                    seen.add(marker)
                    kept.append(item)
        except TypeError as error:
            raise InvalidRequestError(
                f"unique() could not hash a value ({error}); pass unique(strategy=...) with a "
                f"function returning a hashable key, e.g. unique(lambda row: row.id)."
            ) from error
        return kept

    def _fetch_many(self, size: int) -> list[_T]:
        real = self._real
        if self._unique_key is None:
            return self._items(real._fetch_rows(size))
        found: list[_T] = []
        while len(found) < size:
            rows = real._fetch_rows(size - len(found))
            if not rows:
                break
            found.extend(self._keep_unseen(self._items(rows)))
        return found

    def _fetch_all(self) -> list[_T]:
        items = self._items(self._real._fetch_all_rows())
        return items if self._unique_key is None else self._keep_unseen(items)

    def _only_one(self, method: str, *, none_ok: bool, alternative: str) -> _T | None:
        try:
            found = self._fetch_many(1)
            if not found:
                if none_ok:
                    return None
                raise NoResultFound(
                    f"{method} found no row, but exactly one was required; use {alternative} "
                    f"if no row is a valid outcome."
                )
            if self._fetch_many(1):
                raise MultipleResultsFound(
                    f"{method} found more than one row, but at most one was allowed; narrow the "
                    f"statement (a WHERE on a unique key, or LIMIT 1), or use first() to take "
                    f"the first row."
                )
            return found[0]
        finally:
            self.close()

    def _iterate(self) -> Iterator[_T]:
        rows = self._real._iter_rows()
        item = self._item
        if self._unique_key is None:
            for row in rows:
                yield item(row)
            return
        key, seen = self._unique_key, self._seen
        for row in rows:
            value = item(row)
            try:
                marker = key(value)
                fresh = marker not in seen
            except TypeError:
                self._keep_unseen([value])  # raises the explanatory error
                raise
            if fresh:
                seen.add(marker)
                yield value

    # -- public family ----------------------------------------------------------------------

    def __iter__(self) -> Iterator[_T]:
        return self._iterate()

    def __next__(self) -> _T:
        found = self._fetch_many(1)
        if not found:
            raise StopIteration
        return found[0]

    def all(self) -> list[_T]:
        """Return all remaining items as a list; the result is then exhausted."""
        return self._fetch_all()

    def fetchall(self) -> list[_T]:
        """Same as :meth:`all`."""
        return self._fetch_all()

    def fetchmany(self, size: int | None = None) -> list[_T]:
        """Return up to ``size`` items, fewer at the end, ``[]`` once exhausted.

        Without ``size``: the ``yield_per`` value if set, else the source's ``arraysize``.
        """
        real = self._real
        if size is None:
            size = real._yield_per or real._arraysize
        return self._fetch_many(_check_size("fetchmany()", size))

    def first(self) -> _T | None:
        """Return the first item, or None when there is none; then close the result."""
        try:
            found = self._fetch_many(1)
        finally:
            self.close()
        return found[0] if found else None

    def one(self) -> _T:
        """Return the only item and close the result.

        Raises :class:`~sqlwright.exc.NoResultFound` when there is none and
        :class:`~sqlwright.exc.MultipleResultsFound` when there is more than one.
        """
        return self._only_one(f"{type(self).__name__}.one()", none_ok=False,  # type: ignore[return-value]
                              alternative="one_or_none()")

    def one_or_none(self) -> _T | None:
        """Return the only item or None when there is none, and close the result.

        Raises :class:`~sqlwright.exc.MultipleResultsFound` when there is more than one.
        """
        return self._only_one(f"{type(self).__name__}.one_or_none()", none_ok=True,
                              alternative="")

    def partitions(self, size: int | None = None) -> Iterator[list[_T]]:
        """Iterate over lists of up to ``size`` items until the result is exhausted.

        Without ``size``: the ``yield_per`` value if set, else :data:`DEFAULT_PARTITION_SIZE`.
        """
        real = self._real
        real._check_open()
        if size is None:
            size = real._yield_per or DEFAULT_PARTITION_SIZE
        count = _check_size("partitions()", size)

        def generate() -> Iterator[list[_T]]:
            while True:
                part = self._fetch_many(count)
                if not part:
                    return
                yield part

        return generate()

    def unique(self: _Self, strategy: Callable[[Any], Any] | None = None) -> _Self:
        """Drop items equal to one already returned; returns this result.

        ``strategy`` maps an item to the hashable key that decides equality; by default the
        item's values themselves (which must then be hashable).
        """
        self._unique_key = strategy or self._default_unique_key
        self._seen = set()
        return self

    def yield_per(self: _Self, num: int) -> _Self:
        """Fetch ``num`` rows per round trip when iterating, and use ``num`` as the default
        size of ``partitions()`` and ``fetchmany()``; returns this result."""
        self._real._yield_per = _check_size("yield_per()", num)
        return self

    def close(self) -> None:
        """Release the row source; any further fetch raises ResourceClosedError."""
        self._real.close()

    @property
    def closed(self) -> bool:
        """True once the result was closed (by ``close()``, ``first()``, ``one()`` ...)."""
        return self._real._closed


class Result(_ResultCommon[Row[_TP]], Generic[_TP]):
    """Rows produced by a statement, fetched on demand from a row source.

    Subclasses supply the source through ``_fetchone_impl()``, ``_fetchmany_impl(size)``,
    ``_fetchall_impl()`` and release it in ``_soft_close()``. Fetched rows are :class:`Row`
    objects. Iteration, ``fetch*`` calls and the scalar / mapping views all draw from the same
    stream, so they can be mixed. Methods that return a single row (``first``, ``one``,
    ``one_or_none``, ``scalar``, ``scalar_one``, ``scalar_one_or_none``) close the result.
    """

    #: Default ``fetchmany()`` size (PEP 249's ``arraysize``).
    _arraysize = 1

    def __init__(self, metadata: ResultMetaData) -> None:
        self._metadata = metadata
        self._source_metadata = metadata
        self._column_getter: Callable[[Sequence[Any]], tuple[Any, ...]] | None = None
        self._rows: deque[Row[Any]] = deque()
        self._yield_per: int | None = None
        self._closed = False
        self._closed_message = _CLOSED_MESSAGE
        self._soft_closed = False
        self._real = self

    # -- row source hooks -------------------------------------------------------------------

    def _fetchone_impl(self) -> Sequence[Any] | None:
        """Return the next raw row, or None when the source is exhausted."""
        raise NotImplementedError

    def _fetchmany_impl(self, size: int) -> list[Any]:
        """Return up to ``size`` raw rows; an empty list when the source is exhausted."""
        raise NotImplementedError

    def _fetchall_impl(self) -> list[Any]:
        """Return all remaining raw rows."""
        raise NotImplementedError

    def _soft_close(self) -> None:
        """Release the row source (it is exhausted or the result is closing). Subclasses
        release their resources, then call this."""
        self._soft_closed = True

    # -- row fetching -----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ResourceClosedError(self._closed_message)

    def _make_rows(self, raws: list[Any]) -> list[Row[Any]]:
        row_class = self._metadata._row_class
        values = self._source_metadata._processed(raws)
        if self._column_getter is not None:
            return list(map(row_class, map(self._column_getter, values)))
        return list(map(row_class, values))

    def _fetch_rows(self, size: int) -> list[Row[Any]]:
        self._check_open()
        taken: list[Row[Any]] = []
        buffered = self._rows
        if buffered:
            taken = [buffered.popleft() for _ in range(min(size, len(buffered)))]
            size -= len(taken)
            if not size:
                return taken
        if self._soft_closed:
            return taken
        if size == 1:
            raw = self._fetchone_impl()
            raws = [] if raw is None else [raw]
        else:
            raws = self._fetchmany_impl(size)
        if not raws:
            self._soft_close()
            return taken
        rows = self._make_rows(raws)
        if taken:
            taken.extend(rows)
            return taken
        return rows

    def _fetch_all_rows(self) -> list[Row[Any]]:
        self._check_open()
        rows = list(self._rows)
        self._rows.clear()
        if not self._soft_closed:
            raws = self._fetchall_impl()
            self._soft_close()
            rows.extend(self._make_rows(raws))
        return rows

    def _iter_rows(self) -> Iterator[Row[Any]]:
        self._check_open()
        buffered = self._rows
        size = self._yield_per or _FIRST_ITER_BATCH
        while True:
            while buffered:
                yield buffered.popleft()
            self._check_open()
            if self._soft_closed:
                return
            raws = self._fetchmany_impl(self._yield_per or size)
            if not raws:
                self._soft_close()
                return
            buffered.extend(self._make_rows(raws))
            size = min(size * 4, _MAX_ITER_BATCH)

    def _items(self, rows: list[Row[Any]]) -> list[Row[_TP]]:
        return rows

    def _item(self, row: Row[Any]) -> Row[_TP]:
        return row

    def _iterate(self) -> Iterator[Row[_TP]]:
        if self._unique_key is None:
            return self._iter_rows()
        return super()._iterate()

    # -- Result-only API --------------------------------------------------------------------

    def close(self) -> None:
        """Release the row source; any further fetch raises ResourceClosedError.
        Closing twice is harmless."""
        if self._closed:
            return
        self._rows.clear()
        if not self._soft_closed:
            self._soft_close()
        self._closed = True

    def __enter__(self) -> Result[_TP]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def keys(self) -> RMKeyView:
        """Return the column names (an :class:`RMKeyView`, equal to a list of the names)."""
        return RMKeyView(self._metadata)

    def fetchone(self) -> Row[_TP] | None:
        """Return the next row, or None when the result is exhausted."""
        found = self._fetch_many(1)
        return found[0] if found else None

    def columns(self, *names_or_indexes: object) -> Result[Any]:
        """Keep only the given columns, in the given order, in the rows fetched from now on;
        returns this result. Columns are given by name, position or column object."""
        if not names_or_indexes:
            raise ArgumentError("columns() needs at least one column name, position or column.")
        positions = [self._metadata._index_of(key) for key in names_or_indexes]
        reduced = self._metadata._reduce(positions)
        getter = _positions_getter(positions)
        previous = self._column_getter
        self._column_getter = getter if previous is None else (lambda v: getter(previous(v)))
        if self._rows:
            self._rows = deque(map(reduced._row_class, map(getter, self._rows)))
        self._metadata = reduced
        return self

    def tuples(self) -> Result[_TP]:
        """Return this result (a typing aid: rows are already tuples)."""
        return self

    @property
    def t(self) -> Result[_TP]:
        """Same as :meth:`tuples`."""
        return self

    def scalars(self, index: int | str | object = 0) -> ScalarResult[Any]:
        """Return a view yielding the value of one column (the first by default) per row."""
        self._check_open()
        return ScalarResult(self, self._metadata._index_of(index))

    def mappings(self) -> MappingResult:
        """Return a view yielding a :class:`RowMapping` per row."""
        return MappingResult(self)

    def scalar(self) -> Any:
        """Return the first column of the first row, or None when there is no row; then
        close the result."""
        row = self.first()
        return row[0] if row is not None else None

    def scalar_one(self) -> Any:
        """Return the first column of the only row; raise NoResultFound /
        MultipleResultsFound otherwise. Closes the result."""
        row = self._only_one("Result.scalar_one()", none_ok=False,
                             alternative="scalar_one_or_none()")
        assert row is not None
        return row[0]

    def scalar_one_or_none(self) -> Any:
        """Return the first column of the only row, or None when there is no row; raise
        MultipleResultsFound for more than one. Closes the result."""
        row = self._only_one("Result.scalar_one_or_none()", none_ok=True, alternative="")
        return row[0] if row is not None else None


class ScalarResult(_ResultCommon[_T]):
    """A view of a :class:`Result` yielding one column's value per row (see
    ``Result.scalars()``). It shares the result's stream and closed state."""

    def __init__(self, real: Result[Any], index: int) -> None:
        self._real = real
        self._index = index
        if real._unique_key is not None:
            self.unique()

    def _items(self, rows: list[Row[Any]]) -> list[_T]:
        index = self._index
        return [row[index] for row in rows]

    def _item(self, row: Row[Any]) -> _T:
        return row[self._index]


def _row_of(mapping: RowMapping) -> Row[Any]:
    return mapping._row


class MappingResult(_ResultCommon[RowMapping]):
    """A view of a :class:`Result` yielding a :class:`RowMapping` per row (see
    ``Result.mappings()``). It shares the result's stream and closed state."""

    _default_unique_key = staticmethod(_row_of)

    def __init__(self, real: Result[Any]) -> None:
        self._real = real
        if real._unique_key is not None:
            self.unique()

    def _items(self, rows: list[Row[Any]]) -> list[RowMapping]:
        return list(map(RowMapping, rows))

    def _item(self, row: Row[Any]) -> RowMapping:
        return RowMapping(row)

    def keys(self) -> RMKeyView:
        """Return the column names."""
        return self._real.keys()

    def columns(self, *names_or_indexes: object) -> MappingResult:
        """Keep only the given columns (see ``Result.columns()``); returns this view."""
        self._real.columns(*names_or_indexes)
        return self

    def fetchone(self) -> RowMapping | None:
        """Return the next mapping, or None when the result is exhausted."""
        found = self._fetch_many(1)
        return found[0] if found else None


class IteratorResult(Result[Any]):
    """A result over any iterator of tuples, one value per key (the ORM builds these).

    The tuples are taken as they come, except for the columns that ``metadata`` gives a
    processor. Closing the result calls the iterator's ``close()`` when it has one.
    """

    def __init__(self, metadata: ResultMetaData, iterator: Iterable[Sequence[Any]]) -> None:
        super().__init__(metadata)
        self.iterator: Iterator[Sequence[Any]] = iter(iterator)

    def _fetchone_impl(self) -> Sequence[Any] | None:
        return next(self.iterator, None)

    def _fetchmany_impl(self, size: int) -> list[Any]:
        return list(islice(self.iterator, size))

    def _fetchall_impl(self) -> list[Any]:
        return list(self.iterator)

    def _soft_close(self) -> None:
        if not self._soft_closed:
            close = getattr(self.iterator, "close", None)
            if close is not None:
                close()
        super()._soft_close()


_NO_COLUMNS = ResultMetaData(())


class CursorResult(Result[Any]):
    """A result over a DBAPI cursor.

    ``metadata`` None means the statement returns no rows: ``returns_rows`` is False, the
    cursor is closed at once, and fetching raises ResourceClosedError. Otherwise rows are
    fetched lazily (``fetchmany`` batches for iteration, ``fetchall`` for ``all()``) and the
    cursor is closed when the rows are exhausted or the result is closed. ``rowcount`` is the
    given value, else the cursor's, read at construction; ``lastrowid`` is the cursor's, read
    at construction. ``context`` is set by the engine.
    """

    context: Any = None

    def __init__(
        self, cursor: Any, metadata: ResultMetaData | None, *, rowcount: int | None = None
    ) -> None:
        super().__init__(metadata if metadata is not None else _NO_COLUMNS)
        self.cursor = cursor
        self.context = None
        self.rowcount: int = rowcount if rowcount is not None else cursor.rowcount
        self.lastrowid: Any = getattr(cursor, "lastrowid", None)
        self.returns_rows = metadata is not None
        self._arraysize = max(getattr(cursor, "arraysize", 1) or 1, 1)
        if metadata is None:
            self._closed_message = _NO_ROWS_MESSAGE
            self.close()

    def _fetchone_impl(self) -> Sequence[Any] | None:
        return self.cursor.fetchone()

    def _fetchmany_impl(self, size: int) -> list[Any]:
        return self.cursor.fetchmany(size)

    def _fetchall_impl(self) -> list[Any]:
        return self.cursor.fetchall()

    def _soft_close(self) -> None:
        if not self._soft_closed:
            self.cursor.close()
        super()._soft_close()

    # -- what an INSERT, UPDATE or DELETE generated ---------------------------------------

    def _dml_context(self, what: str) -> Any:
        context = self.context
        if context is None or context.compiled is None:
            raise InvalidRequestError(
                f"{what} is only available for a compiled insert()/update()/delete(), not "
                "for text() or exec_driver_sql()")
        return context

    @property
    def is_insert(self) -> bool:
        """True when the statement was an INSERT."""
        return bool(self.context is not None and self.context.isinsert)

    @property
    def inserted_primary_key_rows(self) -> list[Row[Any]]:
        """The primary key of every inserted row, one Row per row, in column order.

        A value the database generated and sqlwright could not fetch is None (for instance
        the autoincrement key of rows inserted by executemany on a dialect without RETURNING).
        """
        context = self._dml_context("inserted_primary_key_rows")
        if not context.isinsert:
            raise InvalidRequestError(
                "inserted_primary_key_rows is only available after an insert(); this "
                "statement was not one")
        rows = context.inserted_primary_key_rows
        if rows is None:
            raise InvalidRequestError(
                "The primary key of rows inserted by insert().from_select() or with "
                "returning() is not recorded; read the returned rows instead")
        return [context.primary_key_row(values) for values in rows]

    @property
    def inserted_primary_key(self) -> Row[Any]:
        """The primary key of the one row this INSERT wrote, as a Row (``pk[0]``, ``pk.id``)."""
        rows = self.inserted_primary_key_rows
        if len(rows) != 1:
            raise InvalidRequestError(
                f"This insert wrote {len(rows)} rows (executemany or values([...])); read "
                "result.inserted_primary_key_rows for every row's key")
        return rows[0]

    @property
    def returned_defaults_rows(self) -> list[Row[Any]] | None:
        """The values fetched for ``return_defaults()``, one Row per row, or None."""
        context = self._dml_context("returned_defaults_rows")
        return context.returned_default_rows

    @property
    def returned_defaults(self) -> Row[Any] | None:
        """The values fetched for ``return_defaults()`` of the one row written, or None."""
        rows = self.returned_defaults_rows
        if not rows:
            return None
        if len(rows) != 1:
            raise InvalidRequestError(
                "Several rows were written; read result.returned_defaults_rows")
        return rows[0]


