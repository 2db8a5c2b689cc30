"""FROM-clause objects and SELECT statements.

:class:`FromClause` is anything that can stand in a FROM list and owns named columns: tables
(:class:`TableClause`, which :class:`~sqlwright.schema.Table` extends), aliases, subqueries, CTEs
and joins. :class:`Select`, :class:`CompoundSelect` and :class:`TextualSelect` are the statements
that return rows. The compiler rules for all of them live in
:mod:`sqlwright.sql._compile_select`.

A FromClause that owns its columns (a table, an alias, a subquery, a CTE) is keyed in statement
cache keys by identity: a cached compiled form keeps its column objects for result lookups, so it
may only be shared by statements built from the very same FROM objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.sql.elements import BindParameter, ClauseElement, ColumnElement, TextClause
from sqlwright.types.base import NULLTYPE, TypeEngine, to_instance

__all__ = [
    "CTE", "Alias", "ColumnCollection", "CompoundSelect", "Exists", "ForUpdateArg", "FromClause",
    "Join", "Lateral", "ScalarSelect", "Select", "Subquery", "TableClause", "TextualSelect",
    "alias", "cte", "except_", "except_all", "exists", "intersect", "intersect_all", "join",
    "lateral", "outerjoin", "select", "table", "union", "union_all",
]


# -- helpers ----------------------------------------------------------------------------------
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
    if isinstance(value, (Select, CompoundSelect, TextualSelect)):
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
    seen: set[int] = set()
    out = []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
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
        return self._with_element(CompoundSelect("UNION", self.element, *others))

    def union_all(self, *others: Any) -> CTE:
        """This CTE's SELECT ``UNION ALL`` the others (for a recursive CTE)."""
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


# -- small nodes used by Select -----------------------------------------------------------------
class _JoinSpec(ClauseElement):
    """One ``Select.join()`` call, resolved against the FROM list at compile time."""

    __visit_name__ = "join_spec"
    _traverse_internals = (("target", "clause"), ("onclause", "clause"), ("from_", "clause"),
                           ("isouter", "plain"), ("full", "plain"))

    def __init__(self, target: FromClause, onclause: Any, from_: FromClause | None,
                 isouter: bool, full: bool) -> None:
        self.target = target
        self.onclause = onclause
        self.from_ = from_
        self.isouter = isouter
        self.full = full


class ForUpdateArg(ClauseElement):
    """The options of ``with_for_update()``."""

    __visit_name__ = "for_update"
    _traverse_internals = (("nowait", "plain"), ("read", "plain"), ("skip_locked", "plain"),
                           ("key_share", "plain"), ("of", "clauses"))

    def __init__(self, *, nowait: bool = False, read: bool = False, of: Any = None,
                 skip_locked: bool = False, key_share: bool = False) -> None:
        self.nowait = nowait
        self.read = read
        self.skip_locked = skip_locked
        self.key_share = key_share
        if of is None:
            self.of: tuple[Any, ...] | None = None
        else:
            items = of if isinstance(of, (list, tuple)) else [of]
            self.of = tuple(_unwrap(x) for x in items)


class _Star(ColumnElement):
    """``*`` (what ``exists()`` selects when given no columns)."""

    __visit_name__ = "star"
    _traverse_internals = ()
    _from_objects: ClassVar[list[FromClause]] = []


# -- SELECT -----------------------------------------------------------------------------------
class _SelectBase(ClauseElement):
    """What SELECT-like statements share: subquery/cte/scalar/exists/label and set operations."""

    is_executable = True
    is_select = True
    _is_select_statement: ClassVar[bool] = True
    _order_by: tuple[Any, ...] = ()
    _limit_clause: Any = None
    _offset_clause: Any = None

    def _exported_names(self) -> list[tuple[str, str, Any]]:
        raise NotImplementedError

    @property
    def selected_columns(self) -> ColumnCollection:
        """The columns this statement returns, by key (the column expressions themselves)."""
        return ColumnCollection((key, column) for key, _, column in self._exported_names())

    @property
    def exported_columns(self) -> ColumnCollection:
        """Same as ``selected_columns``."""
        return self.selected_columns

    def subquery(self, name: str | None = None) -> Subquery:
        """This statement as a FROM object: ``(SELECT ...) AS name`` (anonymous if None)."""
        return Subquery(self, name)

    def alias(self, name: str | None = None) -> Subquery:
        """Same as :meth:`subquery`."""
        return self.subquery(name)

    def cte(self, name: str | None = None, recursive: bool = False) -> CTE:
        """This statement as a common table expression (``WITH name AS (...)``)."""
        return CTE(self, name, recursive)

    def scalar_subquery(self) -> ScalarSelect:
        """This statement as a single value: ``(SELECT ...)`` usable in expressions."""
        return ScalarSelect(self)

    def label(self, name: str | None) -> ColumnElement:
        """``(SELECT ...) AS name``: the scalar subquery labelled."""
        return self.scalar_subquery().label(name)

    def exists(self) -> Exists:
        """``EXISTS (SELECT ...)``."""
        return Exists(self)

    def lateral(self, name: str | None = None) -> Lateral:
        """This statement as a LATERAL subquery."""
        return Lateral(self, name)

    def union(self, *others: Any) -> CompoundSelect:
        """``self UNION other ...``."""
        return CompoundSelect("UNION", self, *others)

    def union_all(self, *others: Any) -> CompoundSelect:
        """``self UNION ALL other ...``."""
        return CompoundSelect("UNION ALL", self, *others)

    def intersect(self, *others: Any) -> CompoundSelect:
        """``self INTERSECT other ...``."""
        return CompoundSelect("INTERSECT", self, *others)

    def intersect_all(self, *others: Any) -> CompoundSelect:
        """``self INTERSECT ALL other ...``."""
        return CompoundSelect("INTERSECT ALL", self, *others)

    def except_(self, *others: Any) -> CompoundSelect:
        """``self EXCEPT other ...``."""
        return CompoundSelect("EXCEPT", self, *others)

    def except_all(self, *others: Any) -> CompoundSelect:
        """``self EXCEPT ALL other ...``."""
        return CompoundSelect("EXCEPT ALL", self, *others)

    @property
    def _from_objects(self) -> list[FromClause]:
        return []


def _coerce_limit(value: Any, what: str) -> Any:
    if value is None:
        return None
    value = _unwrap(value)
    if isinstance(value, ClauseElement):
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise exc.ArgumentError(
            f"{what}() takes an integer or a SQL expression, not {value!r}")
    from sqlwright.types.resolve import type_for_value

    return BindParameter(None, value, type_for_value(value), _name_hint="param")


class _OrderingMixin:
    """ORDER BY / LIMIT / OFFSET, shared by Select and CompoundSelect."""

    _order_by: tuple[Any, ...] = ()
    _limit_clause: Any = None
    _offset_clause: Any = None

    if TYPE_CHECKING:
        def _clone(self) -> Any: ...

    def order_by(self, *clauses: Any) -> Any:
        """Add ORDER BY criteria (``col``, ``col.desc()``, a label name); ``None`` resets it."""
        new = self._clone()
        if len(clauses) == 1 and clauses[0] is None:
            new._order_by = ()
        else:
            new._order_by = self._order_by + tuple(_order_item("order_by", c) for c in clauses)
        return new

    def limit(self, limit: Any) -> Any:
        """Return at most ``limit`` rows (a bound parameter); ``None`` removes the limit."""
        new = self._clone()
        new._limit_clause = _coerce_limit(limit, "limit")
        return new

    def offset(self, offset: Any) -> Any:
        """Skip ``offset`` rows; ``None`` removes the offset."""
        new = self._clone()
        new._offset_clause = _coerce_limit(offset, "offset")
        return new

    def slice(self, start: int, stop: int) -> Any:
        """Rows ``start`` to ``stop`` (Python slice semantics) as OFFSET/LIMIT."""
        start = max(start, 0)
        new = self.offset(start or None)
        return new.limit(max(stop - start, 0))

    @property
    def limit_expression(self) -> Any:
        """The LIMIT as a SQL element (a bound parameter for an int), or None."""
        return self._limit_clause

    @property
    def offset_expression(self) -> Any:
        """The OFFSET as a SQL element (a bound parameter for an int), or None."""
        return self._offset_clause

    @property
    def order_by_clauses(self) -> tuple[Any, ...]:
        """The ORDER BY elements, in order."""
        return self._order_by

    @property
    def _limit(self) -> int | None:
        clause = self._limit_clause
        return clause.value if isinstance(clause, BindParameter) else None

    @property
    def _offset(self) -> int | None:
        clause = self._offset_clause
        return clause.value if isinstance(clause, BindParameter) else None


def _order_item(role: str, value: Any) -> Any:
    if isinstance(value, str):
        from sqlwright.sql.expression import LabelReference

        return LabelReference(value)
    return _expect(role, value)


class Select(_OrderingMixin, _SelectBase):
    """``SELECT columns FROM froms WHERE ... GROUP BY ... HAVING ... ORDER BY ... LIMIT ...``.

    Build it with :func:`select`; every method returns a new statement.
    """

    __visit_name__ = "select"
    _traverse_internals = (
        ("_raw_columns", "clauses"), ("_from_obj", "clauses"), ("_setup_joins", "clauses"),
        ("_where_criteria", "clauses"), ("_group_by", "clauses"), ("_having", "clauses"),
        ("_order_by", "clauses"), ("_limit_clause", "clause"), ("_offset_clause", "clause"),
        ("_distinct", "plain"), ("_distinct_on", "clauses"), ("_for_update", "clause"),
        ("_correlate", "clauses"), ("_correlate_except", "clauses"),
        ("_auto_correlate", "plain"),
    )

    _from_obj: tuple[Any, ...] = ()
    _setup_joins: tuple[_JoinSpec, ...] = ()
    _where_criteria: tuple[Any, ...] = ()
    _group_by: tuple[Any, ...] = ()
    _having: tuple[Any, ...] = ()
    _distinct: bool = False
    _distinct_on: tuple[Any, ...] = ()
    _for_update: ForUpdateArg | None = None
    _correlate: tuple[Any, ...] = ()
    _correlate_except: tuple[Any, ...] | None = None
    _auto_correlate: bool = True

    def __init__(self, *entities: Any) -> None:
        self._raw_columns: tuple[Any, ...] = tuple(_coerce_column(e) for e in entities)

    # -- columns ------------------------------------------------------------------------------
    def _expanded_columns(self) -> list[Any]:
        out: list[Any] = []
        for raw in self._raw_columns:
            if isinstance(raw, FromClause):
                out.extend(raw.c)
            else:
                out.append(raw)
        return out

    def _exported_names(self) -> list[tuple[str, str, Any]]:
        return [(key, name, col) for key, name, col, _ in self._column_plan()]

    def _column_plan(self) -> list[tuple[str, str, Any, bool]]:
        """(key, rendered name, column, needs ``AS name``) for each selected column."""
        cached = self.__dict__.get("_plan")
        if cached is not None:
            return cached
        plan = _plan_columns(self._expanded_columns())
        self.__dict__["_plan"] = plan
        return plan

    def _clone(self) -> Any:
        new = super()._clone()
        new.__dict__.pop("_plan", None)
        return new

    def add_columns(self, *entities: Any) -> Select:
        """Select these columns too."""
        new = self._clone()
        new._raw_columns = self._raw_columns + tuple(_coerce_column(e) for e in entities)
        return new

    def column(self, column: Any) -> Select:
        """Select one more column (same as ``add_columns(column)``)."""
        return self.add_columns(column)

    def with_only_columns(self, *entities: Any, maintain_column_froms: bool = False) -> Select:
        """Replace the selected columns; ``maintain_column_froms`` keeps the old FROM objects."""
        new = self._clone()
        if len(entities) == 1 and isinstance(entities[0], (list, tuple)):
            raise exc.ArgumentError(
                "with_only_columns() takes columns as positional arguments: "
                "with_only_columns(a, b), not with_only_columns([a, b])")
        if maintain_column_froms:
            froms = [f for c in self._raw_columns for f in _froms_of(c)]
            new._from_obj = tuple(_unique([*self._from_obj, *froms]))
        new._raw_columns = tuple(_coerce_column(e) for e in entities)
        return new

    # -- criteria -----------------------------------------------------------------------------
    def where(self, *criteria: Any) -> Select:
        """Add WHERE criteria, joined with AND to those already given."""
        new = self._clone()
        new._where_criteria = self._where_criteria + tuple(
            _expect("where", c) for c in criteria)
        return new

    filter = where

    def filter_by(self, **kwargs: Any) -> Select:
        """``where(col == value, ...)`` with columns named by key on the last joined FROM
        (or the first FROM when nothing was joined)."""
        target = self._filter_by_target()
        criteria = []
        for key, value in kwargs.items():
            column = target.c.get(key)
            if column is None:
                raise exc.InvalidRequestError(
                    f"filter_by(): {target.description!r} has no column {key!r}; its columns "
                    f"are: {', '.join(target.c.keys())}")
            criteria.append(column == value)
        return self.where(*criteria)

    def _filter_by_target(self) -> FromClause:
        if self._setup_joins:
            return self._setup_joins[-1].target
        froms = self._base_froms()
        if not froms:
            raise exc.InvalidRequestError(
                "filter_by() needs a FROM clause to find columns on; select columns of a "
                "table first or call select_from()")
        return froms[0]

    @property
    def whereclause(self) -> Any:
        """The WHERE criteria combined with AND, or None."""
        return _and(self._where_criteria) if self._where_criteria else None

    def having(self, *criteria: Any) -> Select:
        """Add HAVING criteria, joined with AND."""
        new = self._clone()
        new._having = self._having + tuple(_expect("where", c) for c in criteria)
        return new

    def group_by(self, *clauses: Any) -> Select:
        """Add GROUP BY expressions (or label names); ``None`` resets it."""
        new = self._clone()
        if len(clauses) == 1 and clauses[0] is None:
            new._group_by = ()
        else:
            new._group_by = self._group_by + tuple(_order_item("group_by", c) for c in clauses)
        return new

    def distinct(self, *expr: Any) -> Select:
        """``SELECT DISTINCT``; with expressions, ``DISTINCT ON (...)`` where supported."""
        new = self._clone()
        new._distinct = True
        if expr:
            new._distinct_on = self._distinct_on + tuple(_expect("column", e) for e in expr)
        return new

    def with_for_update(self, *, nowait: bool = False, read: bool = False, of: Any = None,
                        skip_locked: bool = False, key_share: bool = False) -> Select:
        """``FOR UPDATE`` (``FOR SHARE`` with ``read=True``) where the dialect supports row
        locking; databases without it (SQLite) lock the whole database and render nothing."""
        new = self._clone()
        new._for_update = ForUpdateArg(nowait=nowait, read=read, of=of,
                                       skip_locked=skip_locked, key_share=key_share)
        return new

    # -- FROM ---------------------------------------------------------------------------------
    def select_from(self, *froms: Any) -> Select:
        """Add explicit FROM objects (the left side for a later ``join()``)."""
        new = self._clone()
        new._from_obj = tuple(_unique([*self._from_obj, *(_coerce_from(f) for f in froms)]))
        return new

    def join(self, target: Any, onclause: Any = None, *, isouter: bool = False,
             full: bool = False) -> Select:
        """Join ``target`` to the FROM object it has a foreign key with (or that ``onclause``
        names)."""
        return self._add_join(target, onclause, None, isouter, full)

    def outerjoin(self, target: Any, onclause: Any = None, *, full: bool = False) -> Select:
        """Like :meth:`join`, as a LEFT OUTER JOIN (FULL OUTER with ``full=True``)."""
        return self._add_join(target, onclause, None, True, full)

    def join_from(self, from_: Any, target: Any, onclause: Any = None, *,
                  isouter: bool = False, full: bool = False) -> Select:
        """Join ``target`` to ``from_`` explicitly."""
        return self._add_join(target, onclause, _coerce_from(from_), isouter, full)

    def outerjoin_from(self, from_: Any, target: Any, onclause: Any = None, *,
                       full: bool = False) -> Select:
        """Like :meth:`join_from`, as a LEFT OUTER JOIN."""
        return self._add_join(target, onclause, _coerce_from(from_), True, full)

    def _add_join(self, target: Any, onclause: Any, from_: FromClause | None, isouter: bool,
                  full: bool) -> Select:
        target = _coerce_from(target, "join target")
        if onclause is not None:
            onclause = _expect("where", onclause)
        new = self._clone()
        spec = _JoinSpec(target, onclause, from_, isouter or full, full)
        new._setup_joins = (*self._setup_joins, spec)
        return new

    def correlate(self, *froms: Any) -> Select:
        """As a subquery, leave these FROM objects to the enclosing statement;
        ``correlate(None)`` turns automatic correlation off."""
        new = self._clone()
        new._auto_correlate = False
        if froms and froms[0] is None:
            new._correlate = ()
        else:
            new._correlate = self._correlate + tuple(_coerce_from(f) for f in froms)
        return new

    def correlate_except(self, *froms: Any) -> Select:
        """As a subquery, correlate every enclosing FROM object except these."""
        new = self._clone()
        new._auto_correlate = False
        base = self._correlate_except or ()
        new._correlate_except = base + tuple(
            _coerce_from(f) for f in froms if f is not None)
        return new

    @property
    def for_update_arg(self) -> ForUpdateArg | None:
        """The ``with_for_update()`` options, or None."""
        return self._for_update

    def from_statement(self, statement: Any) -> Any:
        """Take the rows from ``statement`` (a ``text()`` or another SELECT); the ORM maps
        them to the entities and columns selected here."""
        from sqlwright.orm.context import FromStatement  # type: ignore[import-not-found,unused-ignore]

        return FromStatement(self._raw_columns, statement)

    def _base_froms(self) -> list[FromClause]:
        froms: list[Any] = []
        for column in self._raw_columns:
            froms.extend(_froms_of(column))
        for criterion in self._where_criteria:
            froms.extend(_froms_of(criterion))
        froms.extend(self._from_obj)
        return _unique(froms)

    def get_final_froms(self) -> list[FromClause]:
        """The FROM list, joins applied and tables inside joins removed (before correlation)."""
        froms = self._base_froms()
        for spec in self._setup_joins:
            froms = _apply_join(froms, spec)
        hidden = {id(h) for f in froms for h in f._hide_froms}
        return [f for f in froms if id(f) not in hidden]

    @property
    def columns_clause_froms(self) -> list[FromClause]:
        """The FROM objects the selected columns refer to."""
        return _unique(f for c in self._raw_columns for f in _froms_of(c))

    def __repr__(self) -> str:
        try:
            return f"<Select {str(self)!r}>"
        except exc.SQLWrightError:
            return f"<Select of {len(self._raw_columns)} column(s), not compilable yet>"


def _coerce_column(entity: Any) -> Any:
    if isinstance(entity, (list, tuple)):
        raise exc.ArgumentError(
            "select() takes columns as positional arguments: select(a, b), not select([a, b])")
    unwrapped = _unwrap(entity)
    if isinstance(unwrapped, FromClause):
        return unwrapped
    if isinstance(unwrapped, (Select, CompoundSelect)):
        return unwrapped.scalar_subquery()
    return _expect("column", entity)


def _name_of(column: Any) -> tuple[str | None, bool]:
    """(name, is a named column) for a selected expression."""
    from sqlwright.sql.expression import ColumnClause, Label

    if isinstance(column, Label):
        return column.name, False
    if isinstance(column, ColumnClause):
        return column.name, True
    return None, False


def _plan_columns(columns: Sequence[Any]) -> list[tuple[str, str, Any, bool]]:
    plan: list[tuple[str, str, Any, bool]] = []
    used: set[str] = set()
    counts: dict[str, int] = {}

    def fresh(base: str) -> str:
        while True:
            counts[base] = counts.get(base, 0) + 1
            candidate = f"{base}_{counts[base]}"
            if candidate not in used:
                return candidate

    for column in columns:
        name, named_column = _name_of(column)
        if isinstance(column, _Star):
            plan.append(("*", "*", column, False))
            continue
        if name is not None and name not in used:
            key = getattr(column, "key", None) if named_column else name
            plan.append((key or name, name, column, not named_column))
        elif name is not None:
            new_name = fresh(name)
            plan.append((new_name, new_name, column, True))
        else:
            hint = getattr(column, "key", None)
            new_name = fresh(hint if isinstance(hint, str) and hint.isidentifier() else "anon")
            plan.append((new_name, new_name, column, True))
        used.add(plan[-1][1])
    return plan


def _entry_tables(entry: FromClause) -> set[int]:
    return {id(entry), *(id(h) for h in entry._hide_froms)}


def _apply_join(froms: list[Any], spec: _JoinSpec) -> list[Any]:
    target = spec.target
    candidates = [f for f in froms if id(target) not in _entry_tables(f)]
    if spec.from_ is not None:
        left = next((f for f in froms if id(spec.from_) in _entry_tables(f)), None)
        if left is None:
            froms = [*froms, spec.from_]
            left = spec.from_
    elif spec.onclause is not None:
        named = {id(f) for f in _froms_of(spec.onclause)}
        left = next((f for f in candidates if _entry_tables(f) & named), None)
        if left is None:
            if not candidates:
                raise exc.InvalidRequestError(
                    f"Nothing to join {target.description!r} to: select columns of a table "
                    "first or give the left side with select_from() / join_from()")
            left = candidates[0]
    else:
        left = _implicit_left(candidates, target)
    joined = Join(left, target, spec.onclause, isouter=spec.isouter, full=spec.full)
    return [joined if f is left else f for f in froms if f is not target]


def _implicit_left(candidates: list[Any], target: FromClause) -> Any:
    if not candidates:
        raise exc.InvalidRequestError(
            f"Nothing to join {target.description!r} to: select columns of a table first or "
            "give the left side with select_from() / join_from()")
    linked = []
    for candidate in candidates:
        try:
            join_condition(candidate, target)
        except exc.ArgumentError:
            continue
        linked.append(candidate)
    if len(linked) == 1:
        return linked[0]
    if not linked:
        raise exc.InvalidRequestError(
            f"Don't know how to join to {target.description!r}: no FROM object has a single "
            "foreign key to it. Give the ON clause: .join(target, left.c.id == target.c.left_id)")
    raise exc.InvalidRequestError(
        f"Several FROM objects can join to {target.description!r} "
        f"({', '.join(c.description for c in linked)}); pick the left side with "
        "select_from() or join_from()")


class CompoundSelect(_OrderingMixin, _SelectBase):
    """``SELECT ... UNION [ALL] SELECT ...`` (also INTERSECT and EXCEPT [ALL])."""

    __visit_name__ = "compound_select"
    _traverse_internals = (("keyword", "plain"), ("selects", "clauses"),
                           ("_order_by", "clauses"), ("_limit_clause", "clause"),
                           ("_offset_clause", "clause"))

    def __init__(self, keyword: str, *selects: Any) -> None:
        self.keyword = keyword
        members = []
        for stmt in selects:
            stmt = _unwrap(stmt)
            if not isinstance(stmt, _SelectBase):
                raise exc.ArgumentError(f"{keyword} takes SELECT statements, got {stmt!r}")
            members.append(stmt)
        if len(members) < 2:
            raise exc.ArgumentError(f"{keyword} needs at least two SELECT statements")
        widths = {len(m._exported_names()) for m in members}
        if len(widths) > 1:
            raise exc.ArgumentError(
                f"All SELECTs of a {keyword} must select the same number of columns; got "
                f"{', '.join(str(len(m._exported_names())) for m in members)}")
        self.selects = tuple(members)

    def _exported_names(self) -> list[tuple[str, str, Any]]:
        return self.selects[0]._exported_names()

    def __repr__(self) -> str:
        return f"<CompoundSelect {self.keyword} of {len(self.selects)}>"


class ScalarSelect(ColumnElement):
    """A SELECT of one column used as a value: ``(SELECT max(x) FROM t)``."""

    __visit_name__ = "scalar_select"
    _traverse_internals = (("element", "clause"),)
    _from_objects: ClassVar[list[FromClause]] = []

    def __init__(self, element: Any) -> None:
        self.element = element
        names = element._exported_names()
        self.type = getattr(names[0][2], "type", NULLTYPE) if names else NULLTYPE

    def where(self, *criteria: Any) -> ScalarSelect:
        """The same scalar subquery with more WHERE criteria."""
        return ScalarSelect(self.element.where(*criteria))

    def correlate(self, *froms: Any) -> ScalarSelect:
        """See :meth:`Select.correlate`."""
        return ScalarSelect(self.element.correlate(*froms))

    def correlate_except(self, *froms: Any) -> ScalarSelect:
        """See :meth:`Select.correlate_except`."""
        return ScalarSelect(self.element.correlate_except(*froms))


class Exists(ColumnElement):
    """``EXISTS (SELECT ...)``, a boolean expression; ``~exists(...)`` is ``NOT EXISTS``."""

    __visit_name__ = "exists"
    _traverse_internals = (("element", "clause"),)
    _from_objects: ClassVar[list[FromClause]] = []

    def __init__(self, element: Any = None) -> None:
        if element is None:
            element = Select(_Star())
        self.element = element
        self.type = _boolean_type()

    def _with(self, element: Any) -> Exists:
        return Exists(element)

    def where(self, *criteria: Any) -> Exists:
        """Add WHERE criteria to the inner SELECT."""
        return self._with(self.element.where(*criteria))

    def select_from(self, *froms: Any) -> Exists:
        """Add FROM objects to the inner SELECT."""
        return self._with(self.element.select_from(*froms))

    def correlate(self, *froms: Any) -> Exists:
        """See :meth:`Select.correlate`."""
        return self._with(self.element.correlate(*froms))

    def correlate_except(self, *froms: Any) -> Exists:
        """See :meth:`Select.correlate_except`."""
        return self._with(self.element.correlate_except(*froms))

    def select(self) -> Select:
        """``SELECT EXISTS (...)``."""
        return Select(self)


class TextualSelect(_SelectBase):
    """``text("SELECT ...").columns(...)``: literal SQL with declared result columns."""

    __visit_name__ = "textual_select"
    _traverse_internals = (("element", "clause"), ("column_args", "clauses"))

    def __init__(self, text: TextClause, columns: Sequence[Any], types: dict[str, Any]
                 ) -> None:
        from sqlwright.sql.expression import ColumnClause

        self.element = text
        args: list[Any] = []
        for col in columns:
            if isinstance(col, str):
                args.append(ColumnClause(col, types.pop(col, None)))
            else:
                args.append(_expect("column", col))
        args.extend(ColumnClause(name, to_instance(type_)) for name, type_ in types.items())
        self.column_args = tuple(args)

    def _exported_names(self) -> list[tuple[str, str, Any]]:
        out = []
        for col in self.column_args:
            name = getattr(col, "name", None) or getattr(col, "key", None) or "anon"
            out.append((getattr(col, "key", None) or name, name, col))
        return out

    def bindparams(self, *binds: BindParameter, **values: Any) -> TextualSelect:
        """Give values to the text's bind parameters (see ``TextClause.bindparams``)."""
        new = self._clone()
        new.element = self.element.bindparams(*binds, **values)
        return new


# -- constructors -------------------------------------------------------------------------------
def select(*entities: Any) -> Select:
    """``SELECT``: of columns, expressions and tables (a table selects all its columns)."""
    return Select(*entities)


def table(name: str, *columns: Any, schema: str | None = None) -> TableClause:
    """A lightweight table for building statements without MetaData."""
    return TableClause(name, *columns, schema=schema)


def alias(selectable: Any, name: str | None = None) -> Any:
    """``selectable AS name`` (a subquery for a SELECT)."""
    selectable = _unwrap(selectable)
    if isinstance(selectable, _SelectBase):
        return selectable.subquery(name)
    return _coerce_from(selectable).alias(name)


def lateral(selectable: Any, name: str | None = None) -> Lateral:
    """``LATERAL (SELECT ...) AS name``."""
    selectable = _unwrap(selectable)
    if not isinstance(selectable, _SelectBase):
        raise exc.ArgumentError("lateral() takes a SELECT statement")
    return selectable.lateral(name)


def cte(selectable: Any, name: str | None = None, recursive: bool = False) -> CTE:
    """``WITH name AS (selectable)``."""
    return _unwrap(selectable).cte(name, recursive)


def join(left: Any, right: Any, onclause: Any = None, *, isouter: bool = False,
         full: bool = False) -> Join:
    """``left JOIN right ON onclause`` (inferred from foreign keys when None)."""
    return Join(left, right, onclause, isouter=isouter, full=full)


def outerjoin(left: Any, right: Any, onclause: Any = None, *, full: bool = False) -> Join:
    """``left LEFT OUTER JOIN right ON onclause``."""
    return Join(left, right, onclause, isouter=True, full=full)


def exists(*args: Any) -> Exists:
    """``EXISTS (SELECT ...)``: of a SELECT, of columns, or of ``*`` then ``.where(...)``."""
    if len(args) == 1 and isinstance(_unwrap(args[0]), _SelectBase):
        return Exists(_unwrap(args[0]))
    return Exists(Select(*args) if args else None)


def union(*selects: Any) -> CompoundSelect:
    """``s1 UNION s2 ...``."""
    return CompoundSelect("UNION", *selects)


def union_all(*selects: Any) -> CompoundSelect:
    """``s1 UNION ALL s2 ...``."""
    return CompoundSelect("UNION ALL", *selects)


def intersect(*selects: Any) -> CompoundSelect:
    """``s1 INTERSECT s2 ...``."""
    return CompoundSelect("INTERSECT", *selects)


def intersect_all(*selects: Any) -> CompoundSelect:
    """``s1 INTERSECT ALL s2 ...``."""
    return CompoundSelect("INTERSECT ALL", *selects)


def except_(*selects: Any) -> CompoundSelect:
    """``s1 EXCEPT s2 ...``."""
    return CompoundSelect("EXCEPT", *selects)


def except_all(*selects: Any) -> CompoundSelect:
    """``s1 EXCEPT ALL s2 ...``."""
    return CompoundSelect("EXCEPT ALL", *selects)

