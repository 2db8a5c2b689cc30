"""Compiler rules for SELECT, joins, subqueries, CTEs, set operations (a mixin of SQLCompiler).

State kept per compilation (on the compiler, created on first use):

- a stack of enclosing statements, each with the FROM objects a nested SELECT may correlate to;
  the outermost SELECT is the one that fills ``result_columns`` and renders the ``WITH`` clause;
- the CTEs referenced so far, each rendered once with its own positional parameters, so that the
  ``WITH`` prefix can be put in front of the statement with its parameters in SQL order;
- the names given to anonymous aliases, subqueries and CTEs.

Dialects override the small rendering hooks (``limit_clause``, ``for_update_clause``,
``format_alias``, ``join_keyword``) rather than the visit methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.types.base import NULLTYPE

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.sql.compiler import ResultColumn
    from sqlwright.sql.quoting import IdentifierPreparer

__all__ = ["SelectCompilerMixin"]

# keyword arguments that describe the position of a statement; never passed further down
_POSITION_KW = ("asfrom", "compound_member", "lateral", "label_names", "include_table",
                "within_columns_clause")


def _inner_kw(kw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if k not in _POSITION_KW}


class _Entry:
    """One enclosing statement: its kind and the FROM objects (by id) visible to subqueries."""

    __slots__ = ("from_ids", "kind", "label_names", "names")

    def __init__(self, kind: str, froms: Sequence[Any] = ()) -> None:
        self.kind = kind
        ids: set[int] = set()
        for f in froms:
            ids.add(id(f))
            ids.update(id(h) for h in getattr(f, "_hide_froms", ()))
        self.from_ids = ids
        #: rendered name -> quoted name, for string label references
        self.names: dict[str, str] = {}
        #: id(Label) -> quoted name, so ORDER BY can refer to a selected label by name
        self.label_names: dict[int, str] = {}


class _State:
    __slots__ = ("anon_names", "cte_in_progress", "ctes", "stack")

    def __init__(self) -> None:
        self.stack: list[_Entry] = []
        self.ctes: dict[int, tuple[str, list[str], bool]] = {}
        self.cte_in_progress: set[int] = set()
        self.anon_names: dict[int, str] = {}


class SelectCompilerMixin:
    """``visit_<name>`` rules for SELECT, joins, subqueries, CTEs, set operations."""

    if TYPE_CHECKING:
        dialect: Dialect
        preparer: IdentifierPreparer
        positiontup: list[str]
        result_columns: list[ResultColumn]

        def render_condition(self, element: Any, **kw: Any) -> str: ...

        def process(self, element: Any, **kw: Any) -> str: ...
        def anon_name(self, base: str) -> str: ...

    # -- state ----------------------------------------------------------------------------------
    @property
    def _select_state(self) -> _State:
        state = self.__dict__.get("_select_state_obj")
        if state is None:
            state = _State()
            self.__dict__["_select_state_obj"] = state
        return state

    def push_correlation(self, froms: Sequence[Any], kind: str = "dml") -> None:
        """Make ``froms`` visible to nested SELECTs for auto-correlation (UPDATE/DELETE targets).

        While an entry is pushed, nested SELECTs are not the top-level statement.
        """
        self._select_state.stack.append(_Entry(kind, froms))

    def pop_correlation(self) -> None:
        """Undo the last :meth:`push_correlation`."""
        self._select_state.stack.pop()

    def _enclosing_from_ids(self) -> set[int]:
        ids: set[int] = set()
        for entry in reversed(self._select_state.stack):
            if entry.kind == "cte":
                break
            ids |= entry.from_ids
        return ids

    def _is_outermost_select(self, compound_member: bool) -> bool:
        if compound_member:
            return False
        return not any(e.kind in ("select", "cte") for e in self._select_state.stack)

    # -- names ----------------------------------------------------------------------------------
    def _anon_from_name(self, obj: Any) -> str:
        names = self._select_state.anon_names
        name = names.get(id(obj))
        if name is None:
            name = self.anon_name("anon")
            names[id(obj)] = name
        return name

    def _alias_name(self, alias: Any) -> str:
        from sqlwright.sql.selectable import CTE

        if isinstance(alias, CTE):
            if alias._base is not None:
                return alias.name or self._anon_from_name(alias)
            root = alias._canonical()
            return root.name or alias.name or self._anon_from_name(root)
        return alias.name or self._anon_from_name(alias)

    def from_qualifier(self, table: Any) -> str | None:
        """How columns of ``table`` are qualified: ``schema.table`` or the (alias) name, quoted.

        None when ``table`` has no name to qualify with.
        """
        from sqlwright.sql.selectable import Alias, TableClause

        if table is None:
            return None
        if isinstance(table, Alias):
            return self.preparer.quote(self._alias_name(table))
        if isinstance(table, TableClause):
            return self.visit_table(table)
        name = getattr(table, "name", None)
        return self.preparer.quote(name) if isinstance(name, str) else None

    def format_alias(self, rendered: str, name: str) -> str:
        """``<from> AS <name>``; a dialect without ``AS`` for table aliases overrides this."""
        return f"{rendered} AS {name}"

    # -- FROM objects ---------------------------------------------------------------------------
    def visit_table(self, table: Any, **kw: Any) -> str:
        return self.preparer.format_table_name(table.name, table.schema)

    def visit_alias(self, alias: Any, asfrom: bool = False, **kw: Any) -> str:
        name = self.preparer.quote(self._alias_name(alias))
        if not asfrom:
            return name
        inner = self.process(alias.element, asfrom=True, **_inner_kw(kw))
        from sqlwright.sql.selectable import Join

        if isinstance(alias.element, Join):
            inner = f"({inner})"
        return self.format_alias(inner, name)

    def visit_subquery(self, subquery: Any, asfrom: bool = False, **kw: Any) -> str:
        name = self.preparer.quote(self._alias_name(subquery))
        if not asfrom:
            return name
        inner = self.process(subquery.element, asfrom=True, **_inner_kw(kw))
        return self.format_alias(f"({inner})", name)

    def visit_lateral(self, lateral: Any, asfrom: bool = False, **kw: Any) -> str:
        name = self.preparer.quote(self._alias_name(lateral))
        if not asfrom:
            return name
        if not self.dialect.features.supports_lateral:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect does not support LATERAL subqueries "
                "(Features.supports_lateral); join a plain subquery instead")
        inner = self.process(lateral.element, asfrom=True, lateral=True, **_inner_kw(kw))
        return self.format_alias(f"LATERAL ({inner})", name)

    def join_keyword(self, join: Any) -> str:
        """``JOIN``, ``LEFT OUTER JOIN`` or ``FULL OUTER JOIN`` for a Join."""
        if join.full:
            if not self.dialect.features.supports_full_outer_join:
                raise exc.CompileError(
                    f"The {self.dialect.name} dialect (at this server version) does not support "
                    "FULL OUTER JOIN (Features.supports_full_outer_join); combine a LEFT OUTER "
                    "JOIN with a UNION instead")
            return "FULL OUTER JOIN"
        return "LEFT OUTER JOIN" if join.isouter else "JOIN"

    def visit_join(self, join: Any, asfrom: bool = False, **kw: Any) -> str:
        from sqlwright.sql.selectable import Join

        inner = _inner_kw(kw)
        left = self.process(join.left, asfrom=True, **inner)
        right = self.process(join.right, asfrom=True, **inner)
        if isinstance(join.right, Join):
            right = f"({right})"
        on = self.render_condition(join.onclause, **inner)
        return f"{left} {self.join_keyword(join)} {right} ON {on}"

    # -- CTEs -----------------------------------------------------------------------------------
    def visit_cte(self, cte: Any, asfrom: bool = False, **kw: Any) -> str:
        state = self._select_state
        root = cte._canonical()
        root_name = self.preparer.quote(self._alias_name(root))
        key = id(root)
        if key not in state.ctes and key not in state.cte_in_progress:
            self._register_cte(cte, root_name, key, _inner_kw(kw))
        if cte._base is not None and asfrom:
            return self.format_alias(root_name, self.preparer.quote(self._alias_name(cte)))
        if cte._base is not None:
            return self.preparer.quote(self._alias_name(cte))
        return root_name

    def _register_cte(self, cte: Any, name: str, key: int, kw: dict[str, Any]) -> None:
        features = self.dialect.features
        if not features.supports_cte:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect does not support WITH (Features.supports_cte);"
                " use a subquery instead")
        if cte.recursive and not features.supports_recursive_cte:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect does not support WITH RECURSIVE "
                "(Features.supports_recursive_cte)")
        state = self._select_state
        body_cte = cte if cte._base is None else cte._base
        state.cte_in_progress.add(key)
        saved_positions = self.positiontup
        self.positiontup = []
        state.stack.append(_Entry("cte"))
        try:
            body = self.process(body_cte.element, asfrom=True, **kw)
        finally:
            state.stack.pop()
            binds = self.positiontup
            self.positiontup = saved_positions
            state.cte_in_progress.discard(key)
        columns = ""
        if cte.recursive:
            names = [self.preparer.quote(n) for _, n, _ in body_cte.element._exported_names()]
            columns = f"({', '.join(names)})"
        state.ctes[key] = (f"{name}{columns} AS ({body})", binds, bool(cte.recursive))

    def _take_ctes(self) -> dict[int, tuple[str, list[str], bool]]:
        state = self._select_state
        taken = state.ctes
        state.ctes = {}
        return taken

    def _with_prefix(self, ctes: dict[int, tuple[str, list[str], bool]], start: int) -> str:
        if not ctes:
            return ""
        recursive = any(r for _, _, r in ctes.values())
        binds = [name for _, names, _ in ctes.values() for name in names]
        self.positiontup[start:start] = binds
        body = ", ".join(text for text, _, _ in ctes.values())
        return f"WITH {'RECURSIVE ' if recursive else ''}{body} "

    def render_pending_ctes(self, start: int = 0) -> str:
        """A ``WITH ...`` prefix for CTEs referenced outside any SELECT (by a DML statement).

        ``start`` is the index in ``positiontup`` where the statement's text begins.
        """
        return self._with_prefix(self._take_ctes(), start)

    # -- SELECT ---------------------------------------------------------------------------------
    def visit_select(self, select: Any, asfrom: bool = False, compound_member: bool = False,
                     lateral: bool = False, **kw: Any) -> str:
        state = self._select_state
        outermost = self._is_outermost_select(compound_member)
        toplevel = outermost and not state.stack
        if outermost:
            saved_ctes = self._take_ctes()
            start = len(self.positiontup)
        froms = self._correlated_froms(select, asfrom and not lateral)
        entry = _Entry("select", froms)
        state.stack.append(entry)
        try:
            text = self._select_text(select, froms, entry, toplevel, _inner_kw(kw))
        finally:
            state.stack.pop()
        if outermost:
            text = self._with_prefix(self._take_ctes(), start) + text
            state.ctes = saved_ctes
        return text

    def _select_text(self, select: Any, froms: list[Any], entry: _Entry, toplevel: bool,
                     kw: dict[str, Any]) -> str:
        plan = select._column_plan()
        if not plan:
            raise exc.CompileError(
                "This SELECT has no columns; pass columns to select() or add_columns()")
        text = "SELECT " + self.get_select_precolumns(select, **kw)
        text += ", ".join(self._render_plan(plan, entry, toplevel, kw))
        if froms:
            text += " FROM " + ", ".join(self.process(f, asfrom=True, **kw) for f in froms)
        if select._where_criteria:
            text += " WHERE " + self.render_condition(select.whereclause, **kw)
        if select._group_by:
            text += " GROUP BY " + ", ".join(self.process(g, **kw) for g in select._group_by)
        if select._having:
            from sqlwright.sql.selectable import _and

            text += " HAVING " + self.render_condition(_and(select._having), **kw)
        text += self.order_by_clause(select, entry, kw)
        text += self.limit_clause(select, **kw)
        if select._for_update is not None:
            text += self.for_update_clause(select, **kw)
        return text

    def get_select_precolumns(self, select: Any, **kw: Any) -> str:
        """What goes between ``SELECT`` and the columns: ``DISTINCT `` / ``DISTINCT ON (...) ``.

        A dialect with ``SELECT TOP n`` adds it here (and drops LIMIT in ``limit_clause``).
        """
        if not select._distinct:
            return ""
        if select._distinct_on:
            if not self.dialect.features.supports_distinct_on:
                raise exc.CompileError(
                    f"The {self.dialect.name} dialect does not support DISTINCT ON "
                    "(Features.supports_distinct_on); use distinct() without arguments or a "
                    "GROUP BY")
            on = ", ".join(self.process(e, **kw) for e in select._distinct_on)
            return f"DISTINCT ON ({on}) "
        return "DISTINCT "

    def _correlated_froms(self, select: Any, in_from_clause: bool) -> list[Any]:
        froms = select.get_final_froms()
        enclosing = self._enclosing_from_ids()
        if not enclosing or not froms:
            return froms
        if select._correlate_except is not None:
            keep = {id(f) for f in select._correlate_except}
            drop = {id(f) for f in froms if id(f) in enclosing and id(f) not in keep}
        elif select._correlate:
            drop = {id(f) for f in select._correlate} & enclosing
        elif select._auto_correlate and not in_from_clause and len(froms) > 1:
            # a subquery whose only FROM object is also outside stays self-contained
            drop = {id(f) for f in froms if id(f) in enclosing}
        else:
            return froms
        remaining = [f for f in froms if id(f) not in drop]
        if not remaining and select._auto_correlate:
            raise exc.InvalidRequestError(
                "This subquery has no FROM objects left after auto-correlation to the enclosing "
                "statement; say what to correlate with .correlate(table) (or .correlate(None) "
                "to keep every FROM object)")
        return remaining

    # -- columns --------------------------------------------------------------------------------
    def render_select_columns(self, columns: Sequence[Any], populate_result_map: bool = True,
                              **kw: Any) -> list[str]:
        """Render a columns list (labels as ``expr AS name``), filling ``result_columns``.

        For RETURNING clauses; tables in ``columns`` expand to their columns.
        """
        from sqlwright.sql.selectable import FromClause, _plan_columns

        expanded: list[Any] = []
        for column in columns:
            expanded.extend(column.c if isinstance(column, FromClause) else [column])
        return self._render_plan(_plan_columns(expanded), _Entry("returning"),
                                 populate_result_map, _inner_kw(kw))

    def _render_plan(self, plan: Sequence[tuple[str, str, Any, bool]], entry: _Entry,
                     populate: bool, kw: dict[str, Any]) -> list[str]:
        from sqlwright.sql.compiler import ResultColumn
        from sqlwright.sql.expression import ColumnClause, Label

        out = []
        for key, name, column, needs_label in plan:
            if name == "*":
                out.append("*")
                continue
            quoted = self.preparer.quote(name)
            entry.names.setdefault(name, quoted)
            entry.names.setdefault(key, quoted)
            if isinstance(column, Label):
                entry.label_names[id(column)] = quoted
                rendered = self.process(column.element, **kw)
            else:
                rendered = self.process(column, **kw)
            out.append(f"{rendered} AS {quoted}" if needs_label else rendered)
            if populate:
                objects: tuple[Any, ...] = (column,)
                if isinstance(column, Label) and isinstance(column.element, ColumnClause):
                    objects += (column.element,)  # row._mapping[col] finds col.label("x")
                if key != name:
                    objects += (name,)
                self.result_columns.append(ResultColumn(key, name, objects, column.type))
        return out

    def visit_label_reference(self, reference: Any, **kw: Any) -> str:
        for entry in reversed(self._select_state.stack):
            if entry.kind in ("select", "compound"):
                found = entry.names.get(reference.name)
                if found is None:
                    raise exc.CompileError(
                        f"Can't find a selected column or label named {reference.name!r} for "
                        f"ORDER BY / GROUP BY; the selected names are: "
                        f"{', '.join(entry.names) or 'none'}")
                return found
        raise exc.CompileError(
            f"A label name ({reference.name!r}) can only be used in ORDER BY / GROUP BY of a "
            "SELECT")

    def visit_star(self, star: Any, **kw: Any) -> str:
        return "*"

    # -- ORDER BY, LIMIT, FOR UPDATE -----------------------------------------------------------
    def order_by_clause(self, select: Any, entry: _Entry, kw: dict[str, Any]) -> str:
        """`` ORDER BY ...`` (selected labels are referred to by name), or ""."""
        if not select._order_by:
            return ""
        inner = dict(kw, label_names=entry.label_names)
        if entry.kind == "compound":
            inner["include_table"] = False
        items = []
        for item in select._order_by:
            name = entry.label_names.get(id(item))
            items.append(name if name is not None else self.process(item, **inner))
        return " ORDER BY " + ", ".join(items)

    def limit_clause(self, select: Any, **kw: Any) -> str:
        """`` LIMIT n OFFSET m`` (either part optional), or ""."""
        text = ""
        if select.limit_expression is not None:
            text += " LIMIT " + self.process(select.limit_expression, **kw)
        if select.offset_expression is not None:
            text += " OFFSET " + self.process(select.offset_expression, **kw)
        return text

    def for_update_clause(self, select: Any, **kw: Any) -> str:
        """`` FOR UPDATE`` / `` FOR SHARE``, `` OF ...``, `` NOWAIT`` / `` SKIP LOCKED`` where row
        locks exist; "" where they don't. Dialects override the parts that differ:
        :meth:`for_update_keyword` and :meth:`for_update_of`."""
        if not self.dialect.features.supports_for_update:
            return ""
        arg = select.for_update_arg
        text = self.for_update_keyword(arg) + self.for_update_of(arg, **kw)
        if arg.nowait or arg.skip_locked:
            if not self.dialect.features.supports_for_update_nowait:
                raise exc.CompileError(
                    f"The {self.dialect.name} dialect (this server version) has no NOWAIT / "
                    "SKIP LOCKED (Features.supports_for_update_nowait); drop nowait= / "
                    "skip_locked=, or use a server that has them")
            if arg.nowait:
                text += " NOWAIT"
            if arg.skip_locked:
                text += " SKIP LOCKED"
        return text

    def for_update_keyword(self, arg: Any) -> str:
        """The lock clause itself: `` FOR SHARE`` for ``read=True``, else `` FOR UPDATE``."""
        return " FOR SHARE" if arg.read else " FOR UPDATE"

    def for_update_of(self, arg: Any, **kw: Any) -> str:
        """`` OF t1, t2`` naming what ``with_for_update(of=...)`` locks ("" when not given)."""
        if not arg.of:
            return ""
        return " OF " + ", ".join(self._lock_target(t, **kw) for t in arg.of)

    def _lock_target(self, target: Any, **kw: Any) -> str:
        table = getattr(target, "table", None)
        qualifier = self.from_qualifier(table if table is not None else target)
        return qualifier if qualifier is not None else self.process(target, **kw)

    # -- set operations, scalar subqueries, EXISTS, text ---------------------------------------
    def visit_compound_select(self, compound: Any, asfrom: bool = False,
                              compound_member: bool = False, lateral: bool = False,
                              **kw: Any) -> str:
        from sqlwright.sql.selectable import CompoundSelect

        state = self._select_state
        outermost = self._is_outermost_select(compound_member)
        toplevel = outermost and not state.stack
        if outermost:
            saved_ctes = self._take_ctes()
            start = len(self.positiontup)
        inner = _inner_kw(kw)
        parts = []
        for member in compound.selects:
            rendered = self.process(member, compound_member=True, asfrom=asfrom,
                                    lateral=lateral, **inner)
            if isinstance(member, CompoundSelect) or member._order_by or \
                    member._limit_clause is not None or member._offset_clause is not None:
                rendered = f"({rendered})"
            parts.append(rendered)
        text = f" {compound.keyword} ".join(parts)
        entry = _Entry("compound")
        state.stack.append(entry)
        try:
            self._compound_columns(compound, entry, toplevel)
            text += self.order_by_clause(compound, entry, inner)
            text += self.limit_clause(compound, **inner)
        finally:
            state.stack.pop()
        if outermost:
            text = self._with_prefix(self._take_ctes(), start) + text
            state.ctes = saved_ctes
        return text

    def _compound_columns(self, compound: Any, entry: _Entry, toplevel: bool) -> None:
        from sqlwright.sql.compiler import ResultColumn
        from sqlwright.sql.expression import Label

        plans = [member._exported_names() for member in compound.selects]
        for index, (key, name, column) in enumerate(plans[0]):
            quoted = self.preparer.quote(name)
            entry.names.setdefault(name, quoted)
            entry.names.setdefault(key, quoted)
            if isinstance(column, Label):
                entry.label_names[id(column)] = quoted
            if toplevel:
                objects = tuple(plan[index][2] for plan in plans)
                if key != name:
                    objects += (name,)
                self.result_columns.append(
                    ResultColumn(key, name, objects, getattr(column, "type", NULLTYPE)))

    def visit_scalar_select(self, scalar: Any, **kw: Any) -> str:
        return "(" + self.process(scalar.element, **_inner_kw(kw)) + ")"

    def visit_exists(self, exists: Any, **kw: Any) -> str:
        return "EXISTS (" + self.process(exists.element, **_inner_kw(kw)) + ")"

    def visit_textual_select(self, textual: Any, asfrom: bool = False,
                             compound_member: bool = False, **kw: Any) -> str:
        from sqlwright.sql.compiler import ResultColumn

        if not compound_member and not self._select_state.stack:
            for key, name, column in textual._exported_names():
                objects: tuple[Any, ...] = (column, name) if key != name else (column,)
                self.result_columns.append(ResultColumn(key, name, objects, column.type))
        return self.process(textual.element, **_inner_kw(kw))
