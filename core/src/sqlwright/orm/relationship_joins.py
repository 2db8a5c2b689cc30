"""How a relationship joins: resolving its configuration strings and lambdas, finding the
foreign keys between the two mappers' tables (or through ``secondary``), the direction, the
column pairs the flush synchronizes, and adapting the join condition to aliases.

Private to :mod:`sqlwright.orm.relationships`; its functions take the RelationshipProperty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlwright import exc

if TYPE_CHECKING:
    from sqlwright.orm.relationships import RelationshipProperty

__all__ = ["determine_joins", "foreign", "remote"]

ONETOMANY = "ONETOMANY"
MANYTOONE = "MANYTOONE"
MANYTOMANY = "MANYTOMANY"


# -- helpers: resolving arguments ----------------------------------------------------------------
def foreign(expr: Any) -> Any:
    """Mark a column of a custom ``primaryjoin`` as the foreign (referencing) side."""
    return _mark(expr, "foreign")


def remote(expr: Any) -> Any:
    """Mark a column of a custom ``primaryjoin`` as the remote (target) side."""
    return _mark(expr, "remote")


def _mark(expr: Any, flag: str) -> Any:
    from sqlwright.orm.attributes import annotate

    column = _to_column(expr)
    old = dict(getattr(column, "_annotations", {}) or {})
    base = column._deannotate() if hasattr(column, "_deannotate") else column
    old[flag] = True
    return annotate(base, old)


def _to_column(value: Any) -> Any:
    """A real Column from an ORM attribute, annotated column or Column."""
    clause = getattr(value, "__clause_element__", None)
    if clause is not None:
        value = clause()
    return value


def _plain(column: Any) -> Any:
    original = getattr(column, "_deannotate", None)
    return original() if original is not None else column


def _flags(column: Any) -> dict[str, Any]:
    return dict(getattr(column, "_annotations", {}) or {})


def _namespace(registry: Any) -> dict[str, Any]:
    import sqlwright

    ns: dict[str, Any] = {name: getattr(sqlwright, name) for name in sqlwright.__all__}
    ns.update(foreign=foreign, remote=remote)
    if registry is not None:
        ns.update({k: v for k, v in registry._class_registry.items() if isinstance(k, str)
                   and not k.startswith("_sw_")})
    return ns


def _resolve_value(prop: RelationshipProperty[Any], value: Any, what: str) -> Any:
    """Evaluate a string (against the class registry) or call a lambda."""
    if isinstance(value, str):
        ns = _namespace(prop.parent.registry)
        try:
            return eval(value.strip(), ns)
        except Exception as err:
            raise exc.InvalidRequestError(
                f"{prop}: could not evaluate {what}={value!r} ({err}). Names in the string "
                "must be mapped classes of the same registry (or their attributes); pass the "
                "objects themselves or a lambda instead") from err
    if callable(value) and not hasattr(value, "__clause_element__") \
            and not isinstance(value, type) and getattr(value, "__name__", "") == "<lambda>":
        return value()
    return value


def _as_list(value: Any) -> list[Any]:
    if value is None or value is False:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]




def _selectable_of(entity: Any) -> Any:
    clause = getattr(entity, "__clause_element__", None)
    return clause() if clause is not None else entity


# -- join conditions -----------------------------------------------------------------------------
def _is_column(node: Any) -> bool:
    return getattr(node, "__visit_name__", "") == "column" and hasattr(node, "table")


def _replace(expr: Any, fn: Callable[[Any], Any]) -> Any:
    """A copy of ``expr`` with each node for which ``fn`` returns non-None replaced."""
    new = fn(expr)
    if new is not None:
        return new
    if _is_column(expr) or getattr(expr, "_is_from_clause", False):
        return expr
    changed: dict[str, Any] = {}
    for attr, kind in getattr(expr, "_traverse_internals", ()):
        value = getattr(expr, attr, None)
        if value is None:
            continue
        if kind == "clause":
            result = _replace(value, fn)
            if result is not value:
                changed[attr] = result
        elif kind == "clauses":
            results = [_replace(v, fn) for v in value]
            if any(a is not b for a, b in zip(results, value)):
                changed[attr] = type(value)(results) if isinstance(value, (list, tuple)) \
                    else results
    if not changed:
        return expr
    clone = expr._clone()
    for attr, value in changed.items():
        setattr(clone, attr, value)
    return clone


def _deannotate_all(expr: Any) -> Any:
    flags: dict[int, dict[str, Any]] = {}

    def strip(node: Any) -> Any:
        if _is_column(node) and hasattr(node, "_deannotate"):
            plain = node._deannotate()
            flags[id(plain)] = _flags(node)
            return plain
        return None

    return _replace(expr, strip), flags


def _adapt(prop: RelationshipProperty[Any], expr: Any, source: Any, dest: Any,
           secondary_side: bool = False) -> Any:
    if source is None and dest is None:
        return expr

    def swap(node: Any) -> Any:
        if not _is_column(node):
            return None
        side = prop._column_side(node, secondary_side)
        target = source if side == "source" else dest if side == "dest" else None
        if target is None:
            return None
        target = _selectable_of(target)
        found = target.corresponding_column(node) if hasattr(
            target, "corresponding_column") else None
        return found

    return _replace(expr, swap)


def _tables_of(mapper: Any) -> list[Any]:
    tables = list(getattr(mapper, "tables", None) or [mapper.local_table])
    current = mapper.inherits
    while current is not None:  # single-table subclasses share their parent's table
        for table in getattr(current, "tables", None) or [current.local_table]:
            if table not in tables:
                tables.append(table)
        current = current.inherits
    return tables


def _fk_target(fk: Any) -> Any:
    try:
        return fk.column
    except Exception:  # an unresolvable ForeignKey links nothing
        return None


def _fk_paths(from_tables: list[Any], to_tables: list[Any], allowed: set[int] | None,
              own_tables: list[Any]) -> list[list[tuple[Any, Any]]]:
    """Foreign key paths (lists of (referenced column, referencing column)) from columns of
    ``from_tables`` to ``to_tables``, grouped by constraint."""
    groups: dict[int, list[tuple[Any, Any]]] = {}
    for table in from_tables:
        for fk in getattr(table, "foreign_keys", ()) or ():
            ref = _fk_target(fk)
            if ref is None or ref.table not in to_tables:
                continue
            if allowed is not None and id(fk.parent) not in allowed:
                continue
            if ref.table is not table and ref.table in own_tables:
                continue  # joined inheritance link between a mapper's own tables
            key = id(getattr(fk, "constraint", None) or fk)
            groups.setdefault(key, []).append((ref, fk.parent))
    return list(groups.values())


def _resolve_columns(prop: RelationshipProperty[Any], value: Any, what: str) -> list[Any]:
    if isinstance(value, str):
        value = _resolve_value(prop, value, what)
    elif callable(value) and getattr(value, "__name__", "") == "<lambda>":
        value = value()
    return [_plain(_to_column(v)) for v in _as_list(value)]


def _resolve_join_arg(prop: RelationshipProperty[Any], value: Any, what: str) -> Any:
    if isinstance(value, str):
        value = _resolve_value(prop, value, what)
    elif callable(value) and not hasattr(value, "__clause_element__") and \
            getattr(value, "__name__", "") == "<lambda>":
        value = value()
    clause = getattr(value, "__clause_element__", None)
    return clause() if clause is not None else value


def determine_joins(prop: RelationshipProperty[Any]) -> None:
    prop._parent_tables = _tables_of(prop.parent)
    prop._target_tables = _tables_of(prop.mapper)
    prop._self_referential = any(t in prop._target_tables for t in prop._parent_tables)
    fks = _resolve_columns(prop, prop._foreign_keys_arg, "foreign_keys")
    if not fks and prop.back_populates and prop._primaryjoin_arg is None:
        other: Any = prop.mapper.attrs.get(prop.back_populates)
        if getattr(other, "_foreign_keys_arg", None) is not None:  # the reverse side says
            fks = _resolve_columns(other, other._foreign_keys_arg, "foreign_keys")
    remote_cols = _resolve_columns(prop, prop._remote_side_arg, "remote_side")
    prop._foreign_ids = {id(c) for c in fks} or None
    prop._remote_arg_ids = {id(c) for c in remote_cols}
    if prop.secondary is not None:
        _determine_many_to_many(prop)
    elif prop._primaryjoin_arg is not None:
        _determine_custom(prop)
    else:
        _determine_by_foreign_keys(prop)
    prop.remote_side = {r for _l, r in prop.local_remote_pairs}
    prop._remote_ids = {id(c) for c in prop.remote_side}
    if prop.secondary is None:
        prop.secondaryjoin = None


def _pairs_join(pairs: list[tuple[Any, Any]]) -> Any:
    from sqlwright.sql.expression import and_

    clauses = [a == b for a, b in pairs]
    return clauses[0] if len(clauses) == 1 else and_(*clauses)


def _ambiguous(prop: RelationshipProperty[Any], paths: list[list[tuple[Any, Any]]]) -> Exception:
    names = "; ".join(", ".join(f"{c.table.name}.{c.name}" for _r, c in p) for p in paths)
    return exc.ArgumentError(
        f"Could not determine the join condition of {prop}: there are several foreign key "
        f"paths ({names}). Give foreign_keys=[...] naming the column(s) to use, or a "
        "primaryjoin")


def _determine_by_foreign_keys(prop: RelationshipProperty[Any]) -> None:
    allowed = prop._foreign_ids
    parents, targets = prop._parent_tables, prop._target_tables
    one_to_many = _fk_paths(targets, parents, allowed, targets)
    many_to_one = _fk_paths(parents, targets, allowed, parents)
    if prop._self_referential:
        paths = one_to_many
        if len(paths) > 1:
            raise _ambiguous(prop, paths)
        if not paths:
            raise _no_fk(prop)
        refs = {id(r) for r, _c in paths[0]}
        direction = MANYTOONE if prop._remote_arg_ids & refs else ONETOMANY
    else:
        if one_to_many and many_to_one:
            raise exc.ArgumentError(
                f"Could not determine the direction of {prop}: foreign keys point both ways "
                f"between {prop.parent.class_.__name__} and {prop.mapper.class_.__name__}. "
                "Give foreign_keys=[...] naming the referencing column(s)")
        paths = one_to_many or many_to_one
        if len(paths) > 1:
            raise _ambiguous(prop, paths)
        if not paths:
            raise _no_fk(prop)
        direction = ONETOMANY if one_to_many else MANYTOONE
    path = paths[0]
    prop.direction = direction
    if direction == ONETOMANY:
        prop.local_remote_pairs = [(ref, col) for ref, col in path]
        prop.synchronize_pairs = [(ref, col) for ref, col in path]
    else:
        prop.local_remote_pairs = [(col, ref) for ref, col in path]
        prop.synchronize_pairs = [(ref, col) for ref, col in path]
    prop.primaryjoin = _pairs_join(prop.local_remote_pairs)
    prop.secondary_synchronize_pairs = []


def _no_fk(prop: RelationshipProperty[Any]) -> Exception:
    return exc.ArgumentError(
        f"Could not determine the join condition of {prop}: no foreign key links "
        f"{', '.join(t.name for t in prop._parent_tables)} and "
        f"{', '.join(t.name for t in prop._target_tables)}. Add a ForeignKey to the "
        "referencing column, or give primaryjoin (and foreign_keys)")


def _eq_pairs(expr: Any) -> list[tuple[Any, Any]]:
    from sqlwright.sql import operators
    from sqlwright.sql.visitors import iterate

    pairs = []
    for node in iterate(expr):
        if getattr(node, "operator", None) is operators.eq and _is_column(
                getattr(node, "left", None)) and _is_column(getattr(node, "right", None)):
            pairs.append((getattr(node, "left"), getattr(node, "right")))  # noqa: B009
    return pairs


def _references(column: Any, other: Any) -> bool:
    return any(_fk_target(fk) is other for fk in getattr(column, "foreign_keys", ()) or ())


def _determine_custom(prop: RelationshipProperty[Any]) -> None:
    raw = _resolve_join_arg(prop, prop._primaryjoin_arg, "primaryjoin")
    primaryjoin, flags = _deannotate_all(raw)
    prop.primaryjoin = primaryjoin
    foreign_ids = set(prop._foreign_ids or ()) | {
        i for i, f in flags.items() if f.get("foreign")}
    remote_ids = set(prop._remote_arg_ids) | {i for i, f in flags.items() if f.get("remote")}
    sync: list[tuple[Any, Any]] = []  # (referenced, referencing)
    for a, b in _eq_pairs(primaryjoin):
        if id(a) in foreign_ids or (not foreign_ids and _references(a, b)):
            sync.append((b, a))
        elif id(b) in foreign_ids or (not foreign_ids and _references(b, a)):
            sync.append((a, b))
    if not sync:
        raise exc.ArgumentError(
            f"Could not find the foreign key columns in the primaryjoin of {prop}: give "
            "foreign_keys=[...] (or wrap the referencing column in foreign())")
    parents, targets = prop._parent_tables, prop._target_tables
    if prop._self_referential:
        refs = {id(r) for r, _c in sync}
        to_one = bool(remote_ids & refs)
    else:
        to_one = all(c.table in parents for _r, c in sync)
        if any(c.table in targets for _r, c in sync):
            to_one = False
    prop.direction = MANYTOONE if to_one else ONETOMANY
    prop.synchronize_pairs = sync
    if to_one:
        prop.local_remote_pairs = [(c, r) for r, c in sync]
    else:
        prop.local_remote_pairs = list(sync)
    prop.secondary_synchronize_pairs = []
    prop._custom_join = True


def _determine_many_to_many(prop: RelationshipProperty[Any]) -> None:
    secondary = prop.secondary
    allowed = prop._foreign_ids
    if prop._primaryjoin_arg is not None:
        primaryjoin, _f = _deannotate_all(_resolve_join_arg(prop, prop._primaryjoin_arg,
                                                             "primaryjoin"))
    else:
        primaryjoin = None
    if prop._secondaryjoin_arg is not None:
        secondaryjoin, _f = _deannotate_all(_resolve_join_arg(prop, prop._secondaryjoin_arg,
                                                                "secondaryjoin"))
    else:
        secondaryjoin = None
    if primaryjoin is None or secondaryjoin is None:
        to_parent = _fk_paths([secondary], prop._parent_tables, allowed, [])
        to_target = _fk_paths([secondary], prop._target_tables, allowed, [])
        if prop._self_referential and (primaryjoin is None or secondaryjoin is None):
            raise exc.ArgumentError(
                f"{prop} is a self-referential many-to-many through {secondary.name}: give "
                "both primaryjoin and secondaryjoin (which column of the association table "
                "points at the parent, which at the child)")
        for paths, what in ((to_parent, prop.parent), (to_target, prop.mapper)):
            if len(paths) != 1:
                raise exc.ArgumentError(
                    f"Could not determine the join of {prop} through {secondary.name}: "
                    f"{'no' if not paths else 'several'} foreign key(s) from it to "
                    f"{what.class_.__name__}'s table. Give primaryjoin and secondaryjoin")
        if primaryjoin is None:
            primaryjoin = _pairs_join(to_parent[0])
        if secondaryjoin is None:
            secondaryjoin = _pairs_join(to_target[0])
    prop.primaryjoin = primaryjoin
    prop.secondaryjoin = secondaryjoin
    prop.direction = MANYTOMANY
    prop.local_remote_pairs = _secondary_pairs(primaryjoin, secondary)
    prop.synchronize_pairs = list(prop.local_remote_pairs)
    prop.secondary_synchronize_pairs = _secondary_pairs(secondaryjoin, secondary)


def _secondary_pairs(expr: Any, secondary: Any) -> list[tuple[Any, Any]]:
    """(column outside ``secondary``, column of ``secondary``) for each equality."""
    out = []
    for a, b in _eq_pairs(expr):
        if b.table is secondary and a.table is not secondary:
            out.append((a, b))
        elif a.table is secondary and b.table is not secondary:
            out.append((b, a))
    return out
