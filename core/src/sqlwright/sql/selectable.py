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

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.sql.elements import BindParameter, ClauseElement, ColumnElement, TextClause
from sqlwright.sql.fromclause import (
    CTE,
    Alias,
    ColumnCollection,
    FromClause,
    Join,
    Lateral,
    Subquery,
    TableClause,
    _and,
    _boolean_type,
    _coerce_from,
    _expect,
    _froms_of,
    _unique,
    _unwrap,
    join_condition,
)
from sqlwright.types.base import NULLTYPE, to_instance

__all__ = [
    "CTE", "Alias", "ColumnCollection", "CompoundSelect", "Exists", "ForUpdateArg", "FromClause",
    "Join", "Lateral", "ScalarSelect", "Select", "Subquery", "TableClause", "TextualSelect",
    "alias", "cte", "except_", "except_all", "exists", "intersect", "intersect_all", "join",
    "lateral", "outerjoin", "select", "table", "union", "union_all",
]


# -- helpers ----------------------------------------------------------------------------------

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
    #: ORM loader options (``selectinload(User.posts)``); a Session reads them when it plans
    #: the statement, so they are not part of the Core cache key
    _with_options: tuple[Any, ...] = ()

    def options(self, *options: Any) -> Select:
        """Apply ORM loader options (``selectinload(User.posts)``, ``defer(User.bio)``); they
        take effect when a Session runs the statement."""
        new = self._clone()
        new._with_options = self._with_options + options
        return new

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
            for part in _expand_join(spec):
                froms = _apply_join(froms, part)
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


def _expand_join(spec: _JoinSpec) -> Sequence[_JoinSpec]:
    """A join target may supply its own ON clause (an ORM relationship does): a callable
    under the ``join_specs`` annotation of the target, ``spec -> [_JoinSpec, ...]``, gives
    the joins to apply instead (two for a hop through an association table)."""
    annotations = getattr(spec.target, "_annotations", None)
    expand = annotations.get("join_specs") if annotations else None
    if expand is None:
        return (spec,)
    result: Sequence[_JoinSpec] = expand(spec)
    return result


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

