"""FROM clauses: ColumnCollection, FromClause, TableClause, Alias, Subquery, Lateral, CTE, Join.

Statements that select from these (Select, CompoundSelect, ...) live in
:mod:`sqlwright.sql.selectable`, which re-exports everything here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.sql.elements import ClauseElement, ColumnElement
from sqlwright.types.base import NULLTYPE, TypeEngine

if TYPE_CHECKING:
    from sqlwright.sql.selectable import Select

__all__ = ["CTE", "Alias", "ColumnCollection", "FromClause", "Join", "Lateral", "Subquery",
           "TableClause", "join_condition"]

def _unwrap(value: Any) -> Any:
    """Apply the clause-coercion protocol (``__clause_element__``) until it settles."""
    seen = 0
    while not isinstance(value, ClauseElement) and hasattr(value, "__clause_element__"):
        value = value.__clause_element__()
        seen += 1
        if seen > 10:
            break
    return value


def _expect(role: str, value: Any, **kw: Any) -> Any:
    from sqlwright.sql import coercions

    return coercions.expect(role, value, **kw)


def _coerce_from(value: Any, what: str = "FROM clause") -> FromClause:
    value = _unwrap(value)
    if isinstance(value, FromClause):
        return value
    if getattr(value, "_is_select_statement", False):
        raise exc.ArgumentError(
            f"A SELECT statement cannot be used as a {what} directly; call .subquery() on it "
            "first, as in select(...).subquery()")
    if isinstance(value, str):
        raise exc.ArgumentError(
            f"{value!r} is a string, not a table; use a Table object or table({value!r})")
    raise exc.ArgumentError(f"Expected a table, alias, subquery or join as a {what}, got "
                            f"{value!r}")


def _froms_of(element: Any) -> list[FromClause]:
    """The FROM objects an expression needs (the tables of its columns), in order."""
    found = getattr(element, "_from_objects", None)
    if found is not None:
        return list(found)
    table = getattr(element, "table", None)
    if isinstance(table, FromClause):
        return [table]
    out: list[FromClause] = []
    for child in element.get_children():
        out.extend(_froms_of(child))
    return out


def _unique(items: Iterable[Any]) -> list[Any]:
    """``items`` without repeats, first occurrence kept; an annotated copy of a FROM object
    (an ORM entity such as ``select_from(User)``) counts as the object it copies."""
    seen: set[int] = set()
    out = []
    for item in items:
        deannotate = getattr(item, "_deannotate", None)
        key = id(deannotate() if deannotate is not None else item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _lineage(column: Any) -> list[Any]:
    """The column and every column it was derived from (through aliases and subqueries)."""
    out = [column]
    stack = list(getattr(column, "_proxies", ()))
    while stack:
        current = stack.pop()
        if all(current is not c for c in out):
            out.append(current)
            stack.extend(getattr(current, "_proxies", ()))
    return out


def _and(criteria: Sequence[Any]) -> Any:
    if len(criteria) == 1:
        return criteria[0]
    from sqlwright.sql.expression import and_

    return and_(*criteria)


def _boolean_type() -> TypeEngine:
    try:
        from sqlwright.types import Boolean
    except ImportError:  # pragma: no cover - before the types package is complete
        return NULLTYPE
    return Boolean()


def _make_proxy(column: Any, selectable: FromClause, name: str, key: str) -> ColumnElement:
    """A column of ``selectable`` standing for ``column`` of the element it wraps."""
    from sqlwright.sql.expression import ColumnClause

    proxy = ColumnClause(name, getattr(column, "type", NULLTYPE))
    proxy.table = selectable
    proxy.key = key
    proxy._proxies = (column,)
    proxy.primary_key = bool(  # type: ignore[attr-defined]
        getattr(column, "primary_key", False))
    proxy.foreign_keys = set(  # type: ignore[attr-defined]
        getattr(column, "foreign_keys", ()) or ())
    return proxy


# -- column collections -------------------------------------------------------------------------
class ColumnCollection:
    """An ordered collection of columns by key: ``c.name``, ``c["name"]``, ``c[0]``, iteration.

    ``"name" in c`` tests a key; ``column in c`` tests membership by identity.
    """

    __slots__ = ("_index", "_items")

    def __init__(self, columns: Iterable[tuple[str, Any]] = ()) -> None:
        self._items: list[tuple[str, Any]] = []
        self._index: dict[str, Any] = {}
        for key, column in columns:
            self.add(column, key)

    def add(self, column: Any, key: str | None = None) -> None:
        """Add ``column`` under ``key`` (default ``column.key``), replacing one with that key."""
        if key is None:
            key = column.key
        if key is None:
            raise exc.ArgumentError(f"Column {column!r} has no key; give it a name")
        if key in self._index:
            self._items = [(k, c) for k, c in self._items if k != key]
        self._items.append((key, column))
        self._index[key] = column

    def remove(self, column: Any) -> None:
        """Remove ``column`` (by identity)."""
        self._items = [(k, c) for k, c in self._items if c is not column]
        self._index = dict(self._items)

    def __getattr__(self, name: str) -> Any:
        if name in ("_index", "_items"):  # not set yet (copy, unpickling)
            raise AttributeError(name)
        try:
            return self._index[name]
        except KeyError:
            if name.startswith("__"):
                raise AttributeError(name) from None
            raise AttributeError(
                f"No column {name!r}; the columns are: {', '.join(self._index) or 'none'}"
            ) from None

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            return self._items[key][1]
        if isinstance(key, tuple):
            return ColumnCollection((k, self[k]) for k in key)
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(
                f"No column {key!r}; the columns are: {', '.join(self._index) or 'none'}"
            ) from None

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._index
        return any(c is item for _, c in self._items)

    def __iter__(self) -> Iterator[Any]:
        return iter([c for _, c in self._items])

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def keys(self) -> list[str]:
        """The keys, in order."""
        return [k for k, _ in self._items]

    def values(self) -> list[Any]:
        """The columns, in order."""
        return [c for _, c in self._items]

    def items(self) -> list[tuple[str, Any]]:
        """(key, column) pairs, in order."""
        return list(self._items)

    def get(self, key: str, default: Any = None) -> Any:
        """The column under ``key``, or ``default``."""
        return self._index.get(key, default)

    def contains_column(self, column: Any) -> bool:
        """True when ``column`` itself is in the collection."""
        return column in self

    def corresponding_column(self, column: Any) -> Any:
        """The column here that derives from ``column`` (or shares an origin with it), or None."""
        for _, candidate in self._items:
            if any(column is c for c in _lineage(candidate)):
                return candidate
        origin = _lineage(column)
        for _, candidate in self._items:
            if any(o is c for c in _lineage(candidate) for o in origin):
                return candidate
        return None

    def as_readonly(self) -> ColumnCollection:
        """This collection (kept for API compatibility)."""
        return self

    def __repr__(self) -> str:
        return f"ColumnCollection({', '.join(self._index)})"


# -- FROM clauses -----------------------------------------------------------------------------
class FromClause(ClauseElement):
    """Something that can appear in a FROM list and exposes columns as ``.c``."""

    __visit_name__ = "fromclause"
    _is_from_clause: ClassVar[bool] = True
    #: True when columns of this FROM are qualified by its name (tables, aliases).
    named_with_column: ClassVar[bool] = False
    schema: str | None = None
    name: str | None = None

    @property
    def _from_objects(self) -> list[FromClause]:
        return [self]

    @property
    def _hide_froms(self) -> list[FromClause]:
        """FROM objects this one makes redundant in the same FROM list (a join's tables)."""
        return []

    def _gen_cache_key(self, bindparams: list[Any]) -> Any:
        return (self.__class__, self)

    def _column_table_key(self) -> Any:
        """How a column of this FROM keys its table in a cache key (see the module docstring)."""
        return (self.__class__, self)

    def _deep_clone_binds(self, values: Any) -> ClauseElement:
        # FROM objects own their columns; copying one would orphan them. params() stops here.
        return self

    def _populate_columns(self) -> ColumnCollection:
        return ColumnCollection()

    @property
    def c(self) -> ColumnCollection:
        """The columns, by key."""
        columns = self.__dict__.get("_columns")
        if columns is None:
            # setdefault: two threads racing here both end up with the same columns
            columns = self.__dict__.setdefault("_columns", self._populate_columns())
        return columns

    @property
    def columns(self) -> ColumnCollection:
        """Same as ``.c``."""
        return self.c

    @property
    def exported_columns(self) -> ColumnCollection:
        """The columns a SELECT of this FROM produces."""
        return self.c

    @property
    def primary_key(self) -> Any:
        """The primary key columns."""
        return ColumnCollection((c.key, c) for c in self.c if getattr(c, "primary_key", False))

    @property
    def foreign_keys(self) -> Any:
        """Every ForeignKey of every column."""
        out: set[Any] = set()
        for column in self.c:
            out.update(getattr(column, "foreign_keys", ()) or ())
        return out

    def corresponding_column(self, column: Any) -> Any:
        """The column of this FROM that derives from ``column``, or None."""
        return self.c.corresponding_column(column)

    def join(self, right: Any, onclause: Any = None, *, isouter: bool = False,
             full: bool = False) -> Join:
        """``self JOIN right ON onclause``; the ON clause is inferred from foreign keys if None."""
        return Join(self, right, onclause, isouter=isouter, full=full)

    def outerjoin(self, right: Any, onclause: Any = None, *, full: bool = False) -> Join:
        """``self LEFT OUTER JOIN right`` (``FULL OUTER`` with ``full=True``)."""
        return Join(self, right, onclause, isouter=True, full=full)

    def select(self) -> Select:
        """``SELECT <all columns> FROM self``."""
        from sqlwright.sql.selectable import Select

        return Select(self)

    def alias(self, name: str | None = None) -> Alias:
        """``self AS name``; anonymous (named at compile time) when ``name`` is None."""
        return Alias(self, name)

    def subquery(self, name: str | None = None) -> Subquery:
        """``(SELECT * FROM self) AS name``."""
        return self.select().subquery(name)

    @property
    def description(self) -> str:
        """A short name for messages."""
        return self.name or type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.description}>"


class TableClause(FromClause):
    """A table by name with the columns given: the lightweight ``table("t", column("a"))``.

    :class:`~sqlwright.schema.Table` extends it with metadata, constraints and DDL.
    """

    __visit_name__ = "table"
    named_with_column = True
    _traverse_internals = ()

    def __init__(self, name: str, *columns: Any, schema: str | None = None) -> None:
        self.name = name
        self.schema = schema
        self.fullname = f"{schema}.{name}" if schema else name
        self._columns = ColumnCollection()
        for column in columns:
            self.append_column(column)

    def append_column(self, column: Any) -> None:
        """Add ``column`` to this table (it must not belong to another one)."""
        owner = getattr(column, "table", None)
        if owner is not None and owner is not self:
            raise exc.ArgumentError(
                f"Column {column.key!r} already belongs to table {owner.description!r}; "
                "create a new column object for this table")
        column.table = self
        self._columns.add(column)

    @property
    def c(self) -> ColumnCollection:
        """The columns, by key."""
        return self._columns

    @property
    def description(self) -> str:
        return self.fullname


class Alias(FromClause):
    """``element AS name``: a FROM object renamed, with its own proxy columns."""

    __visit_name__ = "alias"
    named_with_column = True
    _traverse_internals: ClassVar[tuple[tuple[str, str], ...]] = (
        ("element", "clause"), ("name", "plain"))

    def __init__(self, element: Any, name: str | None = None) -> None:
        self.element = element
        self.name = name

    def _populate_columns(self) -> ColumnCollection:
        out = ColumnCollection()
        for key, column in self.element.c.items():
            out.add(_make_proxy(column, self, getattr(column, "name", key), key), key)
        return out

    @property
    def original(self) -> Any:
        """The FROM object this alias renames."""
        return self.element

    @property
    def description(self) -> str:
        return self.name or f"anonymous alias of {getattr(self.element, 'description', '?')}"


class Subquery(Alias):
    """``(SELECT ...) AS name``: a SELECT used as a FROM object."""

    __visit_name__ = "subquery"

    def _populate_columns(self) -> ColumnCollection:
        out = ColumnCollection()
        for key, name, column in self.element._exported_names():
            out.add(_make_proxy(column, self, name, key), key)
        return out

    def select(self) -> Select:
        from sqlwright.sql.selectable import Select

        return Select(self)


class Lateral(Subquery):
    """``LATERAL (SELECT ...) AS name``: a subquery that may refer to earlier FROM objects."""

    __visit_name__ = "lateral"


class CTE(Subquery):
    """A common table expression, rendered in the statement's ``WITH`` clause.

    ``recursive=True`` makes a ``WITH RECURSIVE``; extend it with ``cte.union_all(select(...))``
    where the second SELECT refers to ``cte`` itself.
    """

    __visit_name__ = "cte"
    _traverse_internals = (("element", "clause"), ("name", "plain"), ("recursive", "plain"))

    def __init__(self, element: Any, name: str | None = None, recursive: bool = False,
                 _base: CTE | None = None) -> None:
        super().__init__(element, name)
        self.recursive = recursive
        #: for ``cte.alias("x")``: the CTE the alias refers to
        self._base = _base

    def alias(self, name: str | None = None) -> CTE:
        """Refer to this CTE under another name in a FROM list."""
        return CTE(self.element, name, self.recursive,
                   _base=self if self._base is None else self._base)

    def _with_element(self, element: Any) -> CTE:
        new = CTE(element, self.name, self.recursive)
        # the recursive part refers to ``self``: both render as one CTE under one name
        new._previous = self
        return new

    def union(self, *others: Any) -> CTE:
        """This CTE's SELECT ``UNION`` the others (for a recursive CTE)."""
        from sqlwright.sql.selectable import CompoundSelect

        return self._with_element(CompoundSelect("UNION", self.element, *others))

    def union_all(self, *others: Any) -> CTE:
        """This CTE's SELECT ``UNION ALL`` the others (for a recursive CTE)."""
        from sqlwright.sql.selectable import CompoundSelect

        return self._with_element(CompoundSelect("UNION ALL", self.element, *others))

    def _canonical(self) -> CTE:
        """The CTE this one renders as: the first stage of the original it aliases or extends."""
        current: CTE = self if self._base is None else self._base
        while current._previous is not None:
            current = current._previous
        return current

    _previous: CTE | None = None


class Join(FromClause):
    """``left [LEFT OUTER | FULL OUTER] JOIN right ON onclause``."""

    __visit_name__ = "join"
    _traverse_internals = (("left", "clause"), ("right", "clause"), ("onclause", "clause"),
                           ("isouter", "plain"), ("full", "plain"))

    def __init__(self, left: Any, right: Any, onclause: Any = None, *, isouter: bool = False,
                 full: bool = False) -> None:
        self.left = _coerce_from(left, "join's left side")
        self.right = _coerce_from(right, "join target")
        if onclause is None:
            onclause = join_condition(self.left, self.right)
        else:
            onclause = _expect("where", onclause)
        self.onclause = onclause
        self.isouter = isouter or full
        self.full = full

    def _gen_cache_key(self, bindparams: list[Any]) -> Any:
        return ClauseElement._gen_cache_key(self, bindparams)

    def _populate_columns(self) -> ColumnCollection:
        out = ColumnCollection()
        for side in (self.left, self.right):
            for key, column in side.c.items():
                table_name = getattr(getattr(column, "table", None), "name", None)
                out.add(column, f"{table_name}_{key}" if table_name else key)
        return out

    @property
    def _hide_froms(self) -> list[FromClause]:
        out: list[FromClause] = []
        for side in (self.left, self.right):
            out.extend(side._from_objects)
            out.extend(side._hide_froms)
        return out

    def alias(self, name: str | None = None) -> Alias:
        """A subquery selecting every column of the join."""
        return self.select().subquery(name)

    @property
    def description(self) -> str:
        return f"{self.left.description} JOIN {self.right.description}"


def _fk_pairs(left: FromClause, right: FromClause) -> dict[int, list[tuple[Any, Any]]]:
    """Foreign keys of ``right``'s columns that point into ``left``, grouped by constraint."""
    groups: dict[int, list[tuple[Any, Any]]] = {}
    for column in right.c:
        for fk in sorted(getattr(column, "foreign_keys", ()) or (), key=id):
            try:
                getter = getattr(fk, "get_referent", None)
                referent = getter(left) if getter else left.corresponding_column(fk.column)
            except exc.InvalidRequestError:
                continue  # a foreign key to a table that is not part of this join
            if referent is None:
                continue
            constraint = getattr(fk, "constraint", None)
            if constraint is None:
                constraint = fk
            groups.setdefault(id(constraint), []).append((referent, column))
    return groups


def join_condition(left: FromClause, right: FromClause) -> Any:
    """The ON clause joining ``left`` and ``right`` through their foreign keys.

    Raises ArgumentError when no foreign key links them, or when several do.
    """
    candidates = [left.right, left] if isinstance(left, Join) else [left]
    for candidate in candidates:
        groups = _fk_pairs(candidate, right) or {
            k: [(b, a) for a, b in pairs] for k, pairs in _fk_pairs(right, candidate).items()}
        if len(groups) > 1:
            raise exc.ArgumentError(
                f"Can't determine the join between {left.description!r} and "
                f"{right.description!r}: more than one foreign key links them. Give the ON "
                "clause explicitly, as in a.join(b, a.c.id == b.c.a_id)")
        if groups:
            from sqlwright.sql import operators

            # operate() keeps the left column on the left (Python would let a Column subclass
            # on the right take over ``==``)
            pairs = next(iter(groups.values()))
            return _and([a.operate(operators.eq, b) for a, b in pairs])
    raise exc.ArgumentError(
        f"Can't find any foreign key between {left.description!r} and {right.description!r} "
        "to join on. Give the ON clause explicitly, as in a.join(b, a.c.id == b.c.a_id)")
