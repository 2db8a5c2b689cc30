"""Result rows: :class:`Row` (tuple-like, attribute access by name) and :class:`RowMapping`."""

from __future__ import annotations

import operator
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

if TYPE_CHECKING:
    from sqlwright.engine.result import ResultMetaData

__all__ = ["Row", "RowMapping"]

_TP = TypeVar("_TP", bound=tuple[Any, ...])


class Row(tuple[Any, ...], Generic[_TP]):
    """One row of a result.

    A row is an immutable tuple of its values: indexing, slicing, ``len``, iteration,
    unpacking, comparison, hashing and ``repr`` are exactly those of that tuple. Column values
    are also attributes (``row.username``); a column name wins over the tuple methods ``count``
    and ``index``. ``row._mapping`` gives a read-only mapping keyed by column name or column
    object. Unknown attribute names raise ``AttributeError`` naming the available columns; a
    name shared by two columns raises :class:`~sqlwright.exc.InvalidRequestError`.

    Every result makes its own ``Row`` subclass (shared by all its rows), so rows cost about
    what tuples cost; ``isinstance(row, Row)`` holds for all of them.
    """

    __slots__ = ()

    #: The metadata of the result this row came from; set on each per-result subclass.
    _parent: ClassVar[ResultMetaData]

    @property
    def _mapping(self) -> RowMapping:
        """A read-only mapping view of this row: column name or column object -> value."""
        return RowMapping(self)

    @property
    def _fields(self) -> tuple[str, ...]:
        """The column names, in order (like ``namedtuple._fields``)."""
        return self._parent.keys

    def _asdict(self) -> dict[str, Any]:
        """Return a new dict of column name -> value (a repeated name keeps its last value)."""
        return dict(zip(self._parent.keys, self))

    def _tuple(self) -> _TP:
        """Return the values as a plain tuple."""
        return tuple(self)  # type: ignore[return-value]

    @property
    def _t(self) -> _TP:
        """The values as a plain tuple (same as :meth:`_tuple`)."""
        return tuple(self)  # type: ignore[return-value]

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not columns: every column name is a class attribute.
        parent = getattr(type(self), "_parent", None)
        available = list(parent.keys) if parent is not None else []
        raise AttributeError(
            f"Row has no column named {name!r}; its columns are {available}. Use "
            f"row._mapping[...] for a column whose name is not a valid attribute name."
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_row, (self._parent.keys, tuple(self)))


#: Attributes of Row itself; a column of the same name is reachable through ``_mapping`` only.
#: ``count`` and ``index`` are left out so that columns with those common names win.
_RESERVED_NAMES = frozenset(dir(Row)) - {"count", "index"}


def _ambiguous_attribute(parent: ResultMetaData, name: str) -> property:
    def getter(row: Row[Any]) -> Any:
        raise parent._ambiguous_error(name)

    return property(getter)


def make_row_class(parent: ResultMetaData) -> type[Row[Any]]:
    """Return a new Row subclass for rows described by ``parent``.

    Each column name (and string alias) becomes a read-only attribute reading its position;
    names that collide with Row's own attributes are left to ``_mapping``.
    """
    namespace: dict[str, Any] = {
        "__slots__": (),
        "__module__": Row.__module__,
        "__qualname__": Row.__qualname__,
        "__doc__": Row.__doc__,
        "_parent": parent,
    }
    for name, position in parent._by_name.items():
        if name not in _RESERVED_NAMES:
            namespace[name] = property(operator.itemgetter(position))
    for name in parent._ambiguous:
        if name not in _RESERVED_NAMES:
            namespace[name] = _ambiguous_attribute(parent, name)
    return type("Row", (Row,), namespace)


@lru_cache(maxsize=256)
def _row_class_for_keys(keys: tuple[str, ...]) -> type[Row[Any]]:
    from sqlwright.engine.result import ResultMetaData

    return ResultMetaData(keys)._row_class


def _rebuild_row(keys: tuple[str, ...], values: tuple[Any, ...]) -> Row[Any]:
    """Unpickle a row: column names are kept, column objects are not."""
    return _row_class_for_keys(keys)(values)


class RowMapping(Mapping[Any, Any]):
    """A read-only mapping view of one :class:`Row`.

    Keys are the column names (iteration yields them in order); the column objects the result
    was built from are accepted as keys too (``row._mapping[users.c.name]``). A missing key
    raises :class:`~sqlwright.exc.NoSuchColumnError` (a ``KeyError``) listing the available
    names; a name shared by two columns raises :class:`~sqlwright.exc.InvalidRequestError`.
    Positions are not keys: use ``row[0]``.
    """

    __slots__ = ("_row",)

    def __init__(self, row: Row[Any]) -> None:
        self._row = row

    def __getitem__(self, key: Any) -> Any:
        return self._row[self._row._parent._mapping_index(key)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._row._parent.keys)

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, key: object) -> bool:
        return self._row._parent._has_key(key)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(zip(self._row._parent.keys, self._row)) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        pairs = zip(self._row._parent.keys, self._row)
        return "{" + ", ".join(f"{key!r}: {value!r}" for key, value in pairs) + "}"

