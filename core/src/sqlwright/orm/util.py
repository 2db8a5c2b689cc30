"""Aliases of mapped classes, ``with_polymorphic``, ``of_type`` and joins along relationships.

An :class:`AliasedClass` stands for a mapped class read from another FROM object (an alias of
its table, a subquery or a CTE): its attributes are the alias's columns, and ``select(alias)``
returns ordinary objects of the class through the identity map. The ORM recognises aliases
and relationship join targets by annotations on their clause elements:

- ``parententity``: the real Mapper (so the session's row mapping keeps working);
- ``sw_entity_columns``: ``() -> [(attribute key, column)]``, the columns to select for the
  entity (alias columns; base and subclass columns for ``with_polymorphic``);
- ``sw_relationship`` (with ``sw_join_source`` / ``sw_join_dest``): a join along a
  relationship, given its ON clause by :func:`_rewrite_joins` when the statement runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlwright import exc
from sqlwright.inspection import _inspects
from sqlwright.orm.attributes import annotate
from sqlwright.orm.base import _mapper_or_none
from sqlwright.sql.elements import ClauseElement

__all__ = [
    "AliasedClass",
    "AliasedInsp",
    "aliased",
    "join",
    "of_type",
    "outerjoin",
    "polymorphic_union",
    "relationship_join_target",
    "with_polymorphic",
]


# -- expression adaptation -----------------------------------------------------------------------
def _real(element: Any) -> Any:
    """The plain (unannotated) element behind an annotated copy."""
    while True:
        original = getattr(element, "_sw_original", None)
        if original is None:
            return element
        element = original


def _replace(element: Any, fn: Callable[[Any], Any]) -> Any:
    """A copy of ``element`` in which every node ``fn`` returns a replacement for is replaced
    (``fn`` returns None to keep a node and look inside it)."""
    found = fn(element)
    if found is not None:
        return found
    internals = getattr(element, "_traverse_internals", ())
    if not internals or getattr(element, "_is_from_clause", False):
        return element
    new = None
    for attr, kind in internals:
        value = getattr(element, attr, None)
        if value is None:
            continue
        if kind == "clause" and isinstance(value, ClauseElement):
            replaced = _replace(value, fn)
            if replaced is not value:
                new = new if new is not None else element._clone()
                setattr(new, attr, replaced)
        elif kind == "clauses" and isinstance(value, (tuple, list)):
            items = [_replace(v, fn) if isinstance(v, ClauseElement) else v for v in value]
            if any(a is not b for a, b in zip(items, value)):
                new = new if new is not None else element._clone()
                setattr(new, attr, type(value)(items))
    if new is None:
        return element
    for cached in ("comparator", "_plan"):
        new.__dict__.pop(cached, None)
    return new


def _is_column(node: Any) -> bool:
    return getattr(node, "__visit_name__", None) == "column" and hasattr(node, "table")


def adapt_to_selectable(element: Any, selectable: Any) -> Any:
    """``element`` with each column replaced by the column of ``selectable`` (an alias,
    subquery or join) that corresponds to it; columns it has no counterpart for stay."""
    if element is None or selectable is None:
        return element

    def swap(node: Any) -> Any:
        if _is_column(node):
            found = selectable.corresponding_column(_real(node))
            return found if found is not None else node
        return None

    return _replace(element, swap)


# -- aliases ---------------------------------------------------------------------------------
class AliasedInsp:
    """What ``inspect(aliased_class)`` returns: the mapper, the FROM object and the name."""

    is_aliased_class = True
    is_mapper = False

    def __init__(self, entity: AliasedClass, mapper: Any, selectable: Any, name: str | None,
                 polymorphic: Sequence[Any] = (), adapts: bool = True) -> None:
        self.entity = entity
        self.mapper = mapper
        self.selectable = selectable
        self.name = name
        self.class_ = mapper.class_
        self.with_polymorphic_mappers = list(polymorphic)
        #: False for with_polymorphic(aliased=False): columns are the tables' own.
        self._adapts = adapts
        self._entity: Any = None
        self._owns_selectable = False

    def _adapt_column(self, column: Any) -> Any:
        if not self._adapts:
            return column
        found = self.selectable.corresponding_column(_real(column))
        if found is None:
            raise exc.InvalidRequestError(
                f"Column {getattr(column, 'key', column)!r} of {self.class_.__name__} has no "
                f"counterpart in {self.selectable.description!r}: the aliased selectable must "
                "select every mapped column (select(Model) or the table's columns)")
        return found

    def _entity_columns(self) -> list[tuple[str, Any]]:
        from sqlwright.orm import loading

        out: list[tuple[str, Any]] = []
        seen: set[str] = set()
        for mapper in [self.mapper, *self.with_polymorphic_mappers]:
            for key, expr in loading.loadable_columns(mapper):
                if key in seen:
                    continue
                seen.add(key)
                prop = mapper._props[key]
                if self.with_polymorphic_mappers and len(prop.columns) > 1:
                    expr = prop.columns[-1]  # the base table's key column: never NULL
                # annotated copies: the session then always selects these columns, never the
                # FROM object itself (which, anonymous, would be named apart from them)
                out.append((key, annotate(self._adapt_expression(expr), {
                    "parententity": mapper, "parentmapper": mapper, "proxy_key": key,
                    "sw_aliased": self})))
        return out

    def _adapt_expression(self, expr: Any) -> Any:
        if not self._adapts:
            return expr
        if _is_column(expr):
            return self._adapt_column(expr)
        return adapt_to_selectable(expr, self.selectable).label(
            getattr(expr, "name", None) or None)

    def __clause_element__(self) -> Any:
        if self._entity is None:
            annotations = {"parententity": self.mapper, "parentmapper": self.mapper,
                           "entity_namespace": self.mapper, "sw_aliased": self,
                           "sw_entity_columns": self._entity_columns}
            real = _real(self.selectable)
            if self._owns_selectable:
                # the alias was made here: annotate it in place, so that the entity and the
                # alias's columns are one object (anonymous names are given per object)
                real._annotations = annotations
                self._entity = real
            else:
                self._entity = annotate(real, annotations)
        return self._entity

    def _attribute(self, key: str) -> Any:
        prop = self.mapper._props.get(key)
        if prop is None:
            for sub in self.with_polymorphic_mappers:
                if key in sub._props:
                    prop = sub._props[key]
                    break
        if prop is None:
            return None
        if prop._is_relationship:
            return _AliasedRelationship(self, prop)
        expr = prop.columns[0]
        if len(prop.columns) > 1 and self.with_polymorphic_mappers:
            expr = prop.columns[-1]
        adapted = self._adapt_expression(expr)
        return annotate(adapted, {"parententity": self.mapper, "parentmapper": self.mapper,
                                  "entity_namespace": self.mapper, "proxy_key": key,
                                  "sw_aliased": self})

    def __repr__(self) -> str:
        return f"<AliasedInsp {self.class_.__name__} as {self.name or 'anon'}>"


class AliasedClass:
    """A mapped class read from another FROM object: ``aliased(Post)``,
    ``aliased(User, subquery)``, ``with_polymorphic(Employee, [Engineer])``.

    Attribute access gives the alias's columns (usable in ``where()``, ``join()`` ON clauses,
    ``order_by()``); ``select(alias)`` returns objects of the mapped class. For
    ``with_polymorphic`` the subclasses are reachable by name: ``wp.Engineer.field``.
    """

    def __init__(self, mapped: Any, alias: Any = None, name: str | None = None, *,
                 flat: bool = False, with_polymorphic_mappers: Sequence[Any] = (),
                 adapt: bool = True, _owned: bool = False) -> None:
        mapper = _to_mapper(mapped, "aliased()")
        owns = alias is None or bool(_owned)
        if alias is None:
            base = mapper.persist_selectable
            alias = base.alias(name) if getattr(base, "__visit_name__", "") == "table" \
                else base.select().subquery(name)
        else:
            alias = _real(getattr(alias, "__clause_element__", lambda: alias)())
            if getattr(alias, "_is_select_statement", False):
                alias = alias.subquery(name)
        alias.c  # noqa: B018 - build the columns on the real object, not on an annotated copy
        insp = AliasedInsp(self, mapper, alias, name, with_polymorphic_mappers, adapt)
        insp._owns_selectable = owns
        self.__dict__["_aliased_insp"] = insp
        self.__dict__["__name__"] = name or f"Aliased{mapper.class_.__name__}"

    def __clause_element__(self) -> Any:
        return self._aliased_insp.__clause_element__()

    def __getattr__(self, key: str) -> Any:
        insp: AliasedInsp = self.__dict__["_aliased_insp"]
        found = insp._attribute(key)
        if found is not None:
            return found
        for sub in insp.with_polymorphic_mappers:
            if sub.class_.__name__ == key:
                return _SubclassNamespace(insp, sub)
        if hasattr(insp.class_, key) and not key.startswith("__"):
            return getattr(insp.class_, key)
        raise AttributeError(
            f"{insp.class_.__name__} alias {insp.name or ''!r} has no attribute {key!r}; its "
            f"mapped attributes are: {', '.join(insp.mapper._props)}")

    def __repr__(self) -> str:
        insp = self.__dict__["_aliased_insp"]
        return f"<AliasedClass {insp.class_.__name__} as {insp.name or 'anon'}>"


class _SubclassNamespace:
    """``wp.Engineer``: the attributes of one subclass inside a with_polymorphic entity."""

    def __init__(self, insp: AliasedInsp, mapper: Any) -> None:
        self._insp = insp
        self._mapper = mapper

    def __getattr__(self, key: str) -> Any:
        prop = self._mapper._props.get(key)
        if prop is None or prop._is_relationship:
            if prop is not None:
                return _AliasedRelationship(self._insp, prop)
            raise AttributeError(
                f"{self._mapper.class_.__name__} has no mapped attribute {key!r}; its "
                f"attributes are: {', '.join(self._mapper._props)}")
        expr = prop.columns[0]
        adapted = self._insp._adapt_expression(expr)
        return annotate(adapted, {"parententity": self._mapper, "parentmapper": self._mapper,
                                  "entity_namespace": self._mapper, "proxy_key": key})


class _AliasedRelationship:
    """A relationship read through an alias: ``UserAlias.posts`` in ``join()``."""

    def __init__(self, insp: AliasedInsp, prop: Any, dest: Any = None) -> None:
        self._insp = insp
        self.prop = prop
        self.key = prop.key
        self._dest = dest

    @property
    def parent(self) -> AliasedInsp:
        return self._insp

    def of_type(self, entity: Any) -> _AliasedRelationship:
        """Join to ``entity`` (an alias or subclass of the target) instead of the target."""
        return _AliasedRelationship(self._insp, self.prop, entity)

    def __clause_element__(self) -> Any:
        return relationship_join_target(self.prop, source=self._insp.selectable,
                                        dest=self._dest)

    def __repr__(self) -> str:
        return f"{self._insp.name or 'alias'}.{self.key}"

    # defined last: the name shadows the builtin for the rest of the class body
    @property
    def property(self) -> Any:
        """The RelationshipProperty."""
        return self.prop


_inspects(AliasedClass)(lambda alias: alias.__dict__["_aliased_insp"])


def _to_mapper(entity: Any, what: str) -> Any:
    if isinstance(entity, AliasedClass):
        return entity.__dict__["_aliased_insp"].mapper
    if getattr(entity, "is_mapper", False):
        return entity
    mapper = _mapper_or_none(entity) if isinstance(entity, type) else None
    if mapper is None:
        raise exc.ArgumentError(
            f"{what} takes a mapped class (or an aliased one), got {entity!r}; map the class "
            "first (subclass your DeclarativeBase)")
    return mapper


def aliased(element: Any, alias: Any = None, name: str | None = None, flat: bool = False,
            adapt_on_names: bool = False) -> Any:
    """An alias of a mapped class: ``aliased(Post)`` (its table under a new name),
    ``aliased(Post, name="p")``, or ``aliased(Post, subquery_or_cte)`` (objects read from
    that FROM object, which must select the mapped columns). A Core FROM object gives its
    ``.alias(name)``."""
    if _mapper_or_none(element) is None and not isinstance(element, AliasedClass) \
            and getattr(element, "_is_from_clause", False):
        return element.alias(name)
    if isinstance(element, AliasedClass) and alias is None:
        insp = element.__dict__["_aliased_insp"]
        return AliasedClass(insp.mapper, None, name, flat=flat,
                            with_polymorphic_mappers=insp.with_polymorphic_mappers)
    return AliasedClass(element, alias, name, flat=flat)


def with_polymorphic(base: Any, classes: Any, selectable: Any = False, flat: bool = False,
                     polymorphic_on: Any = None, aliased: bool = False,
                     innerjoin: bool = False) -> Any:
    """An entity for ``base`` whose query also loads the columns of ``classes`` (mapped
    subclasses, or ``"*"`` for all) in the same SELECT, outer-joining joined-table subclass
    tables; subclass attributes are reachable as ``entity.Subclass.attribute``."""
    mapper = _to_mapper(base, "with_polymorphic()")
    if classes == "*":
        subs = [m for m in mapper.self_and_descendants if m is not mapper]
    else:
        subs = [_to_mapper(c, "with_polymorphic()") for c in _as_list(classes)]
    for sub in subs:
        if not sub.isa(mapper):
            raise exc.ArgumentError(
                f"with_polymorphic(): {sub.class_.__name__} does not inherit from "
                f"{mapper.class_.__name__}; list subclasses of the base only")
    subs = [s for s in _ordered(mapper, subs) if s is not mapper]
    if selectable is not False and selectable is not None:
        return AliasedClass(mapper, selectable, None, with_polymorphic_mappers=subs)
    join_from = mapper.persist_selectable
    present = {id(t) for t in mapper.tables}
    for sub in subs:
        for chain_mapper in reversed(sub.iterate_to_root):
            table = chain_mapper.local_table
            if id(table) in present or chain_mapper.single:
                continue
            present.add(id(table))
            join_from = join_from.join(table, chain_mapper.inherit_condition,
                                       isouter=not innerjoin)
    if aliased or flat:
        return AliasedClass(mapper, join_from.select().subquery(), None,
                            with_polymorphic_mappers=subs, _owned=True)
    return AliasedClass(mapper, join_from, None, with_polymorphic_mappers=subs, adapt=False,
                        _owned=join_from is not mapper.persist_selectable)


def _ordered(base: Any, mappers: Iterable[Any]) -> list[Any]:
    wanted = {id(m) for m in mappers}
    return [m for m in base.self_and_descendants if id(m) in wanted]


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]


# -- joins along relationships ----------------------------------------------------------------
def _dest_of(entity: Any) -> tuple[Any, Any]:
    """(mapper, FROM object) for a join target given to ``of_type()``."""
    if isinstance(entity, AliasedClass):
        insp = entity.__dict__["_aliased_insp"]
        return insp.mapper, insp.selectable
    mapper = _to_mapper(entity, "of_type()")
    return mapper, mapper.persist_selectable


def relationship_join_target(prop: Any, source: Any = None, dest: Any = None,
                             extra: Sequence[Any] = ()) -> Any:
    """The FROM object ``select(...).join(Parent.rel)`` joins to: the target's selectable
    (or ``dest``'s, from ``of_type()``), annotated with the relationship so the ORM gives the
    join its ON clause. ``source`` is the parent's alias when the relationship was read from
    an aliased class; ``extra`` are criteria ANDed into the ON clause (``rel.and_(...)``)."""
    if hasattr(prop, "_ensure"):
        prop._ensure()
    if dest is not None:
        mapper, selectable = _dest_of(dest)
        if not mapper.isa(prop.mapper) and not prop.mapper.isa(mapper):
            raise exc.ArgumentError(
                f"of_type({mapper.class_.__name__}): {prop} points at "
                f"{prop.mapper.class_.__name__}; give that class, a subclass or an alias of it")
    else:
        mapper, selectable = prop.mapper, prop.mapper.persist_selectable
    aliased_dest = selectable if selectable is not mapper.persist_selectable else None
    return annotate(_real(selectable), {
        "parententity": mapper, "parentmapper": mapper, "entity_namespace": mapper,
        "sw_relationship": prop, "sw_join_source": _real(source) if source is not None
        else None, "sw_join_dest": aliased_dest, "sw_join_dest_mapper": mapper,
        "sw_join_extra": tuple(extra), "join_specs": _core_join_specs})


def _core_join_specs(spec: Any) -> list[Any]:
    """The ``join_specs`` annotation Core's Select reads when it compiles a join along a
    relationship outside a Session (``str(stmt)``, ``connection.execute(stmt)``)."""
    return _rewrite_spec(spec, spec.target._annotations)


class _OfType:
    """``User.posts.of_type(PostAlias)``: a relationship joined to a specific target."""

    def __init__(self, attribute: Any, entity: Any) -> None:
        self.attribute = attribute
        self.prop = getattr(attribute, "prop", attribute)
        self.entity = entity
        self.key = self.prop.key

    def __clause_element__(self) -> Any:
        return relationship_join_target(self.prop, dest=self.entity,
                                        extra=getattr(self.attribute, "_extra_criteria", ()))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.attribute, name)

    def __repr__(self) -> str:
        return f"{self.attribute!r}.of_type({self.entity!r})"

    # defined last: the name shadows the builtin for the rest of the class body
    @property
    def property(self) -> Any:
        """The RelationshipProperty."""
        return self.prop


def of_type(attribute: Any, entity: Any) -> Any:
    """``Parent.rel.of_type(Target)``: join along ``rel`` to ``Target`` (an alias, a
    with_polymorphic entity or a subclass of the relationship's target)."""
    return _OfType(attribute, entity)


def _join_parts(prop: Any, source: Any, dest: Any) -> tuple[Any, Any]:
    """(ON clause to the secondary table or the target, ON clause secondary -> target)."""
    if prop.secondary is None:
        return prop.join_condition(source, dest), None
    parts = getattr(prop, "join_condition_parts", None)
    if parts is not None:
        result: tuple[Any, Any] = parts(source, dest)
        return result
    from sqlwright.orm import relationships

    adapt = relationships._adapt
    return (adapt(prop, prop.primaryjoin, source, dest),
            adapt(prop, prop.secondaryjoin, source, dest, secondary_side=True))


def _rewrite_spec(spec: Any, annotations: dict[str, Any]) -> list[Any]:
    from sqlwright.sql.expression import and_
    from sqlwright.sql.selectable import _JoinSpec

    prop = annotations["sw_relationship"]
    source = annotations.get("sw_join_source")
    dest = annotations.get("sw_join_dest")
    target = _real(spec.target)
    from_ = spec.from_ if spec.from_ is not None else (source if source is not None
                                                       else prop.parent.local_table)
    first, second = _join_parts(prop, source, dest)
    dest_mapper = annotations.get("sw_join_dest_mapper") or prop.mapper
    criterion = dest_mapper._single_table_criterion
    if criterion is not None:
        criterion = adapt_to_selectable(criterion, dest) if dest is not None else criterion
    extra = annotations.get("sw_join_extra") or ()
    if extra:
        criterion = and_(*(c for c in (criterion, *extra) if c is not None))
    if criterion is not None:
        if second is not None:
            second = and_(second, criterion)
        else:
            first = and_(first, criterion)
    if second is None:
        on = first if spec.onclause is None else and_(first, spec.onclause)
        return [_JoinSpec(target, on, from_, spec.isouter, spec.full)]
    on = second if spec.onclause is None else and_(second, spec.onclause)
    return [_JoinSpec(prop.secondary, first, from_, spec.isouter, spec.full),
            _JoinSpec(target, on, prop.secondary, spec.isouter, spec.full)]


def _rewrite_joins(statement: Any) -> Any:
    specs = getattr(statement, "_setup_joins", ())
    if not any(s.target is not _real(s.target) for s in specs):
        return statement
    new_specs: list[Any] = []
    for spec in specs:
        annotations = getattr(spec.target, "_annotations", None) or {}
        if "sw_relationship" in annotations:
            new_specs.extend(_rewrite_spec(spec, annotations))
        elif "sw_aliased" in annotations and spec.target is not _real(spec.target):
            from sqlwright.sql.selectable import _JoinSpec

            new_specs.append(_JoinSpec(_real(spec.target), spec.onclause, spec.from_,
                                       spec.isouter, spec.full))
        else:
            new_specs.append(spec)
    new = statement._clone()
    new._setup_joins = tuple(new_specs)
    return new


def _single_table_criteria(plan: Any, statement: Any) -> Any:
    criteria = []
    start = 0
    for item in getattr(plan, "items", ()):
        mapper = item.mapper
        first = plan.columns[start] if start < len(plan.columns) else None
        start += item.width
        criterion = getattr(mapper, "_single_table_criterion", None) if mapper else None
        if criterion is None:
            continue
        annotations = getattr(first, "_annotations", None) or {}
        insp = annotations.get("sw_aliased")
        if insp is not None:
            if insp.with_polymorphic_mappers:
                continue
            criterion = adapt_to_selectable(criterion, insp.selectable)
        criteria.append(criterion)
    return statement.where(*criteria) if criteria else statement


def orm_select_hook(plan: Any, statement: Any) -> Any:
    """The ``context.entity_loader_hooks`` entry of INHERIT: ON clauses for joins along
    relationships, and the discriminator filter of single-table subclasses."""
    if not hasattr(statement, "_setup_joins"):
        return statement
    statement = _rewrite_joins(statement)
    statement = _concrete_union_criteria(plan, statement)
    return _single_table_criteria(plan, statement)


def _concrete_union_criteria(plan: Any, statement: Any) -> Any:
    """Point WHERE / ORDER BY / GROUP BY / HAVING at the polymorphic union of a concrete
    base selected from it (``Employee.name`` then reads the union's ``name`` column)."""
    unions = [(item.mapper.local_table, item.mapper._concrete_union)
              for item in getattr(plan, "items", ())
              if item.mapper is not None
              and getattr(item.mapper, "_concrete_union", None) is not None]
    if not unions:
        return statement

    def swap(node: Any) -> Any:
        if _is_column(node):
            real = _real(node)
            for table, union in unions:
                if real.table is table and real.key in union.c:
                    return union.c[real.key]
        return None

    new = statement._clone()
    for attr in ("_where_criteria", "_order_by", "_group_by", "_having"):
        value = getattr(new, attr, None)
        if value:
            setattr(new, attr, tuple(_replace(v, swap) for v in value))
    return new


def orm_column_select_hook(statement: Any) -> Any:
    """For a session-run select of columns only (no entity): ON clauses for joins along
    relationships, the FROM join of a joined-table subclass whose attributes are selected,
    and the discriminator filter of single-table subclasses."""
    if not hasattr(statement, "_setup_joins"):
        return statement
    statement = _rewrite_joins(statement)
    seen: set[int] = set()
    for raw in statement._raw_columns:
        annotations = getattr(raw, "_annotations", None) or {}
        mapper = annotations.get("parententity")
        if mapper is None or "sw_aliased" in annotations or id(mapper) in seen \
                or not hasattr(mapper, "tables"):
            continue
        seen.add(id(mapper))
        if len(mapper.tables) > 1:
            statement = statement.select_from(mapper.persist_selectable)
        criterion = mapper._single_table_criterion
        if criterion is not None:
            statement = statement.where(criterion)
    return statement


def _install_hook() -> None:
    from sqlwright.orm import context

    if orm_select_hook not in context.entity_loader_hooks:
        context.entity_loader_hooks.insert(0, orm_select_hook)


_install_hook()


# -- ORM-level join() ---------------------------------------------------------------------------
def join(left: Any, right: Any, onclause: Any = None, isouter: bool = False,
         full: bool = False) -> Any:
    """A Core Join between mapped classes, aliases or tables; ``onclause`` may be a
    relationship attribute (``join(User, Post, User.posts)``)."""
    from sqlwright.sql.fromclause import Join

    left_sel = _selectable_of(left)
    right_sel = _selectable_of(right)
    if onclause is not None:
        element = onclause.__clause_element__() if hasattr(onclause, "__clause_element__") \
            else onclause
        annotations = getattr(element, "_annotations", None) or {}
        prop = annotations.get("sw_relationship")
        if prop is not None:
            source = annotations.get("sw_join_source")
            dest = annotations.get("sw_join_dest")
            if dest is None and right_sel is not prop.mapper.persist_selectable:
                dest = right_sel
            first, second = _join_parts(prop, source, dest)
            if second is not None:
                middle = Join(left_sel, prop.secondary, first, isouter=isouter, full=full)
                return Join(middle, right_sel, second, isouter=isouter, full=full)
            onclause = first
    return Join(left_sel, right_sel, onclause, isouter=isouter, full=full)


def outerjoin(left: Any, right: Any, onclause: Any = None, full: bool = False) -> Any:
    """:func:`join` as a LEFT OUTER JOIN."""
    return join(left, right, onclause, isouter=True, full=full)


def _selectable_of(entity: Any) -> Any:
    if isinstance(entity, AliasedClass):
        return entity.__dict__["_aliased_insp"].selectable
    mapper = _mapper_or_none(entity) if isinstance(entity, type) else None
    if mapper is not None:
        return mapper.persist_selectable
    element = entity.__clause_element__() if hasattr(entity, "__clause_element__") else entity
    return _real(element)


# -- concrete inheritance ------------------------------------------------------------------------
def polymorphic_union(table_map: Any, typecolname: str | None,
                      aliasname: str = "p_union", cast_nulls: bool = True) -> Any:
    """A UNION ALL subquery of the tables of a concrete hierarchy, named ``aliasname``.

    ``table_map`` maps each polymorphic identity to its table. Every SELECT of the union has
    the same columns, by name, in first-seen order: a table lacking one selects a NULL cast
    to that column's type (``cast_nulls=False``: a plain NULL). With ``typecolname``, each
    SELECT also yields its identity as a literal column of that name, which the base
    mapper's ``polymorphic_on`` then reads.
    """
    from sqlwright.sql.expression import cast, literal, null
    from sqlwright.sql.selectable import select, union_all

    items = list(table_map.items())
    if not items:
        raise exc.ArgumentError("polymorphic_union() needs at least one table in table_map")
    names: dict[str, Any] = {}
    for _identity, table in items:
        for column in table.c:
            names.setdefault(column.key, column.type)
    if typecolname is not None and typecolname in names:
        raise exc.ArgumentError(
            f"polymorphic_union(): typecolname {typecolname!r} is already a column of the "
            "tables; pick another name for the discriminator column")
    selects = []
    for identity, table in items:
        columns: list[Any] = []
        for name, type_ in names.items():
            if name in table.c:
                columns.append(table.c[name])
            elif cast_nulls:
                columns.append(cast(null(), type_).label(name))
            else:
                columns.append(null().label(name))
        if typecolname is not None:
            columns.append(literal(identity).label(typecolname))
        selects.append(select(*columns).select_from(table))
    combined = selects[0] if len(selects) == 1 else union_all(*selects)
    return combined.subquery(aliasname)
