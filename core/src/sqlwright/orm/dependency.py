"""Relationships in the unit of work, in session cascades and in query criteria.

Flush (:func:`flush_hook`, registered in ``unitofwork.flush_hooks``): objects reachable from
new or changed objects are added (save-update cascade); orphans of ``delete-orphan``
relationships are deleted; foreign keys are copied from the referenced row to the referencing
row once the referenced row is written (so parents are inserted first, and a self-referential
tree is inserted level by level); foreign keys of removed children are set to NULL; rows of
many-to-many ``secondary`` tables are inserted and deleted after all objects are written;
``post_update`` relationships are written with an UPDATE after both rows exist (cycles).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.orm.base import NO_VALUE, instance_state

if TYPE_CHECKING:
    from sqlwright.orm.unitofwork import UOWTransaction

__all__ = ["cascade_iterator", "compare", "contains", "exists_related", "flush_hook"]

ONETOMANY = "ONETOMANY"
MANYTOONE = "MANYTOONE"
MANYTOMANY = "MANYTOMANY"


# -- cascades --------------------------------------------------------------------------------------
def _relationships(mapper: Any) -> list[Any]:
    props = [p for p in mapper.attrs.values() if getattr(p, "_is_relationship", False)]
    for prop in props:
        prop._ensure()
    return props


def _related(state: Any, prop: Any, load: bool) -> list[Any]:
    from sqlwright.orm.collections import _items, _pending

    value = state.dict.get(prop.key, NO_VALUE)
    if value is NO_VALUE:
        session = state.session if load and state.key is not None else None
        if session is not None:
            with session.no_autoflush:
                value = getattr(state.obj(), prop.key)
        else:
            return list(_pending.get(state, {}).get(prop.key, ([], []))[0])
    if prop.uselist:
        return _items(value)
    return [] if value is None or value is NO_VALUE else [value]


def cascade_iterator(state: Any, cascade: str, load: bool = False) -> Iterator[Any]:
    """Objects reachable from ``state`` through relationships having ``cascade``, depth
    first, each once (``state``'s own object excluded). Unloaded relationships are loaded
    only when ``load`` is true."""
    seen = {id(state)}
    stack = [state]
    while stack:
        current = stack.pop()
        for prop in _relationships(current.mapper):
            if cascade not in prop.cascade:
                continue
            if load and cascade == "delete" and prop.passive_deletes and \
                    prop.key not in current.dict:
                continue
            for obj in _related(current, prop, load):
                child = instance_state(obj)
                if id(child) in seen:
                    continue
                seen.add(id(child))
                yield obj
                stack.append(child)


def cascade_add(session: Any, state: Any) -> None:
    """session.add(): add objects reachable through save-update relationships."""
    for obj in list(cascade_iterator(state, "save-update")):
        child = instance_state(obj)
        if child.session_id != session.hash_key and not child._deleted:
            session.add(obj)


def cascade_delete(session: Any, state: Any) -> None:
    """session.delete(): delete (or expunge, if pending) objects reachable through delete
    cascades, loading unloaded collections unless passive_deletes."""
    for obj in list(cascade_iterator(state, "delete", load=True)):
        child = instance_state(obj)
        if child.key is None:
            if child.session_id == session.hash_key:
                session.expunge(obj)
        elif child not in session._deleted:
            session._deleted[child] = obj
            if child.session_id != session.hash_key:
                session.add(obj)


def cascade_expunge(session: Any, state: Any) -> None:
    """session.expunge(): expunge objects reachable through expunge cascades."""
    for obj in list(cascade_iterator(state, "expunge")):
        child = instance_state(obj)
        if child.session_id == session.hash_key:
            session._forget_state(child)


def cascade_expire(session: Any, state: Any) -> None:
    """session.expire()/refresh(): expire objects reachable through refresh-expire."""
    for obj in list(cascade_iterator(state, "refresh-expire")):
        child = instance_state(obj)
        if child.key is not None and child.session_id == session.hash_key:
            child._expire(None)


def merge_cascade(session: Any, instance: Any, load: bool, memo: dict[int, Any]) -> Any:
    """session.merge() with the merge cascade: related loaded objects are merged too and
    the merged target gets the merged related objects."""
    from sqlwright.orm import loading

    if id(instance) in memo:
        return memo[id(instance)]
    target = loading.merge(session, instance, load=load)
    memo[id(instance)] = target
    if target is instance:
        return target
    state = instance_state(instance)
    for prop in _relationships(state.mapper):
        if "merge" not in prop.cascade or prop.key not in state.dict or prop.viewonly:
            continue
        values = [merge_cascade(session, obj, load, memo)
                  for obj in _related(state, prop, load=False)]
        if prop.uselist:
            setattr(target, prop.key, values)
        else:
            setattr(target, prop.key, values[0] if values else None)
    return target


# -- flush -----------------------------------------------------------------------------------------
class _Flush:
    """Relationship work of one flush, kept in ``uow.attributes["relationships"]``."""

    def __init__(self, uow: UOWTransaction) -> None:
        self.uow = uow
        self.new_ids = {id(s) for s in uow.new}
        self.dirty_ids = {id(s) for s in uow.dirty}
        self.deleted_ids = {id(s) for s in uow.deleted}
        #: (prop, source state, dest state, pairs): copy pairs' values source -> dest
        self.syncs: list[tuple[Any, Any, Any, list[tuple[Any, Any]]]] = []
        self.post_updates: list[tuple[Any, Any, Any]] = []
        self.secondary_add: list[tuple[Any, Any, Any]] = []
        self.secondary_remove: list[tuple[Any, Any, Any]] = []
        self.deferred: dict[Any, list[Any]] = {}
        self.saved: set[int] = set()
        self.expected: set[int] = set()
        self.seen_mappers: set[int] = set()
        self.finished = False

    def mark_dirty(self, state: Any) -> None:
        if id(state) not in self.new_ids and id(state) not in self.dirty_ids \
                and id(state) not in self.deleted_ids and state.key is not None:
            self.uow.dirty.append(state)
            self.dirty_ids.add(id(state))


def flush_hook(uow: UOWTransaction) -> None:
    """The relationship part of a flush (see the module docstring)."""
    from sqlwright.orm.relationships import configure_mappers

    configure_mappers()
    states = uow.new + uow.dirty + uow.deleted
    if not any(_has_relationships(s.mapper) for s in states):
        return
    session = uow.session
    _cascade_new(uow, session)
    _delete_orphans(uow, session)
    _resync_deleted(uow, session)
    work = _Flush(uow)
    uow.attributes["relationships"] = work
    for state in list(uow.new) + list(uow.dirty):
        for prop in _relationships(state.mapper):
            if not prop.viewonly:
                _plan_saved(work, prop, state)
    for state in list(uow.deleted):
        for prop in _relationships(state.mapper):
            if not prop.viewonly:
                _plan_deleted(work, prop, state)
    _defer_waiting_rows(work)
    work.expected = {id(s.mapper) for s in uow.new + uow.dirty}
    uow.after_save.append(_after_save)
    uow.before_delete.append(_before_delete)


def _resync_deleted(uow: UOWTransaction, session: Any) -> None:
    known = {id(s) for s in uow.deleted}
    for state in session._deleted:
        if id(state) not in known:
            uow.deleted.append(state)
    deleted = {id(s) for s in uow.deleted}
    uow.dirty[:] = [s for s in uow.dirty if id(s) not in deleted]


def _has_relationships(mapper: Any) -> bool:
    return any(getattr(p, "_is_relationship", False) for p in mapper.attrs.values())


def _cascade_new(uow: UOWTransaction, session: Any) -> None:
    for state in list(uow.new) + list(uow.dirty):
        cascade_add(session, state)
    known = {id(s) for s in uow.new}
    for state in list(session._new):
        if id(state) not in known:
            uow.register_new(state)
            known.add(id(state))


def _delete_orphans(uow: UOWTransaction, session: Any) -> None:
    for state in list(uow.new) + list(uow.dirty):
        for prop in _relationships(state.mapper):
            if "delete-orphan" not in prop.cascade:
                continue
            for obj in state.get_history(prop.key).deleted:
                child = instance_state(obj)
                if _has_parent(prop, child, state):
                    continue
                if child.key is None:
                    if child in session._new:
                        session.expunge(obj)
                        if child in uow.new:
                            uow.new.remove(child)
                elif child not in session._deleted:
                    session.delete(obj)


def _has_parent(prop: Any, child: Any, old_parent: Any) -> bool:
    reverse = prop._reverse
    if reverse is not None and not reverse.uselist:
        value = child.dict.get(reverse.key, NO_VALUE)
        return value is not None and value is not NO_VALUE and value is not old_parent.obj()
    return False


def _plan_saved(work: _Flush, prop: Any, state: Any) -> None:
    history = state.get_history(prop.key)
    direction = prop.direction
    if direction == MANYTOMANY:
        for obj in history.added:
            work.secondary_add.append((prop, state, instance_state(obj)))
        for obj in history.deleted:
            work.secondary_remove.append((prop, state, instance_state(obj)))
        return
    if direction == ONETOMANY:
        for obj in history.added:
            _plan_sync(work, prop, state, instance_state(obj))
        for obj in history.deleted:
            child = instance_state(obj)
            if id(child) in work.deleted_ids or _has_parent(prop, child, state):
                continue
            if not any(o is obj for o in _current_items(prop, state)):
                _clear_fk(work, prop, child)
        return
    added = [o for o in history.added if o is not None]
    if added:
        _plan_sync(work, prop, instance_state(added[0]), state)
    elif history.deleted and not history.unchanged:
        _clear_fk(work, prop, state)
    elif state.key is None and history.unchanged and history.unchanged[0] is not None:
        _plan_sync(work, prop, instance_state(history.unchanged[0]), state)


def _current_items(prop: Any, state: Any) -> list[Any]:
    from sqlwright.orm.collections import _items

    return _items(state.dict.get(prop.key, NO_VALUE))


def _plan_sync(work: _Flush, prop: Any, source: Any, dest: Any) -> None:
    if prop.post_update:
        work.post_updates.append((prop, source, dest))
        return
    pairs = list(prop.synchronize_pairs)
    work.uow.add_mapper_dependency(source.mapper, dest.mapper)
    if source.key is not None and id(source) not in work.new_ids:
        _copy(prop, source, dest, pairs)
        work.mark_dirty(dest)
    else:
        work.syncs.append((prop, source, dest, pairs))
        work.mark_dirty(dest)


def _clear_fk(work: _Flush, prop: Any, dest: Any) -> None:
    """The referencing row lost its referenced row: NULL its foreign key columns (those not
    in its primary key)."""
    mapper = dest.mapper
    pks = {id(c) for c in mapper.primary_key}
    for _ref, col in prop.synchronize_pairs:
        if id(col) in pks:
            continue
        key = _key_for(mapper, col)
        _set_column(dest, key, None)
    work.mark_dirty(dest)


def _plan_deleted(work: _Flush, prop: Any, state: Any) -> None:
    if prop.direction != ONETOMANY:
        return
    if prop.passive_deletes and prop.key not in state.dict:
        return
    if prop.passive_deletes == "all":
        return
    for obj in _related(state, prop, load=True):
        child = instance_state(obj)
        if id(child) in work.deleted_ids or child._deleted:
            continue
        _clear_fk(work, prop, child)


def _defer_waiting_rows(work: _Flush) -> None:
    """A row whose referenced row is new and written in the same step (a tree: same mapper)
    or in a later one (a cycle of foreign keys without post_update, which sort_mappers breaks
    by creation order) waits until that row is inserted: :func:`_after_save` saves it then.
    (post_update foreign keys do not order mappers, so their cycles need no waiting.)"""
    from sqlwright.orm.unitofwork import sort_mappers

    uow = work.uow
    involved: dict[int, Any] = {}
    for state in uow.new + uow.dirty + uow.deleted:
        involved.setdefault(id(state.mapper), state.mapper)
    position = {id(m): i for i, m in enumerate(sort_mappers(list(involved.values()),
                                                            uow.mapper_edges))}
    waiting: set[int] = set()
    for _prop, source, dest, _pairs in work.syncs:
        if source is dest or id(source) not in work.new_ids:
            continue
        if source.mapper is dest.mapper or position.get(id(source.mapper), 0) > position.get(
                id(dest.mapper), 0):
            waiting.add(id(dest))
    if not waiting or all(id(s) in waiting for s in uow.new + uow.dirty):
        return  # nothing to wait for, or nothing could start: write in mapper order
    for state in [s for s in uow.new + uow.dirty if id(s) in waiting]:
        work.deferred.setdefault(state.mapper, []).append(state)
    uow.new[:] = [s for s in uow.new if id(s) not in waiting]
    uow.dirty[:] = [s for s in uow.dirty if id(s) not in waiting]


def _key_for(mapper: Any, column: Any) -> str:
    from sqlwright.orm.relationships import _column_key

    return _column_key(mapper, column)


def _value(state: Any, mapper: Any, column: Any) -> Any:
    key = _key_for(mapper, column)
    if key in state.dict:
        return state.dict[key]
    obj = state.obj()
    return getattr(obj, key) if obj is not None else None


def _set_column(state: Any, key: str, value: Any) -> None:
    old = state.dict.get(key, NO_VALUE)
    if old is value or (old is not NO_VALUE and old == value and state.key is not None
                        and key not in state.expired_attributes):
        if old is NO_VALUE and state.key is None:
            state.dict[key] = value
        return
    if state.key is not None:
        state._modified_event(key, old)
    state.dict[key] = value
    state.expired_attributes.discard(key)


def _copy(prop: Any, source: Any, dest: Any, pairs: list[tuple[Any, Any]]) -> None:
    source_mapper = prop.mapper if prop.direction == MANYTOONE else prop.parent
    dest_mapper = prop.parent if prop.direction == MANYTOONE else prop.mapper
    for ref, col in pairs:
        value = _value(source, source_mapper, ref)
        _set_column(dest, _key_for(dest_mapper, col), value)


def _work(uow: UOWTransaction) -> _Flush | None:
    return uow.attributes.get("relationships")


def _after_save(uow: UOWTransaction, mapper: Any, states: list[Any]) -> None:
    work = _work(uow)
    if work is None:
        return
    _saved(work, states)
    work.seen_mappers.add(id(mapper))
    _save_deferred(work, final=False)
    if not work.finished and work.expected <= work.seen_mappers:
        _save_deferred(work, final=True)
        work.finished = True
        _finish(work)


def _saved(work: _Flush, states: list[Any]) -> None:
    ids = {id(s) for s in states}
    work.saved.update(ids)
    remaining = []
    for prop, source, dest, pairs in work.syncs:
        if id(source) in ids:
            _copy(prop, source, dest, pairs)
        else:
            remaining.append((prop, source, dest, pairs))
    work.syncs = remaining


def _save_deferred(work: _Flush, final: bool) -> None:
    """Save the waiting rows whose referenced rows are written, level by level (all of
    them when ``final``: a cycle without post_update)."""
    from sqlwright.orm import persistence

    uow = work.uow
    connection = uow.transaction._connection_for_bind(uow.session.get_bind())
    progress = True
    while progress and work.deferred:
        progress = False
        blocked = {id(dest) for _p, source, dest, _pairs in work.syncs
                   if id(source) not in work.saved}
        for mapper, waiting in list(work.deferred.items()):
            ready = [s for s in waiting if id(s) not in blocked]
            if not ready and final:
                ready = list(waiting)
            if not ready:
                continue
            progress = True
            ready_ids = {id(s) for s in ready}
            rest = [s for s in waiting if id(s) not in ready_ids]
            if rest:
                work.deferred[mapper] = rest
            else:
                del work.deferred[mapper]
            inserts = [s for s in ready if s.key is None]
            updates = [s for s in ready if s.key is not None]
            persistence.save_obj(uow, mapper, connection, inserts, updates)
            uow.new.extend(inserts)
            uow.dirty.extend(updates)
            work.seen_mappers.add(id(mapper))
            _saved(work, ready)
            break


def _finish(work: _Flush) -> None:
    from sqlwright.orm.collections import clear_pending

    uow = work.uow
    connection = uow.transaction._connection_for_bind(uow.session.get_bind())
    _run_post_updates(work, connection)
    _write_secondary(work, connection)
    for state in uow.new + uow.dirty:
        clear_pending(state)


def _run_post_updates(work: _Flush, connection: Any) -> None:
    from sqlwright.sql.dml import update

    for prop, source, dest, in work.post_updates:
        if dest._deleted or id(dest) in work.deleted_ids:
            continue
        dest_mapper = prop.parent if prop.direction == MANYTOONE else prop.mapper
        source_mapper = prop.mapper if prop.direction == MANYTOONE else prop.parent
        values = {}
        for ref, col in prop.synchronize_pairs:
            value = _value(source, source_mapper, ref)
            values[col] = value
            dest.dict[_key_for(dest_mapper, col)] = value
        table = next(iter(values)).table
        where = [c == _value(dest, dest_mapper, c) for c in table.primary_key.columns]
        connection.execute(update(table).where(*where).values(
            {c.key: v for c, v in values.items()}))


def _secondary_row(prop: Any, parent: Any, target: Any) -> dict[str, Any]:
    row = {}
    for col, sec in prop.synchronize_pairs:
        row[sec.key] = _value(parent, prop.parent, col)
    for col, sec in prop.secondary_synchronize_pairs:
        row[sec.key] = _value(target, prop.mapper, col)
    return row


def _write_secondary(work: _Flush, connection: Any) -> None:
    from sqlwright.sql.dml import delete, insert

    removals: dict[tuple[Any, tuple[Any, ...]], tuple[Any, dict[str, Any]]] = {}
    for prop, parent, target in work.secondary_remove:
        row = _secondary_row(prop, parent, target)
        removals[(prop.secondary, tuple(sorted(row.items())))] = (prop.secondary, row)
    for table, row in removals.values():
        connection.execute(delete(table).where(*[table.c[k] == v for k, v in row.items()]))
    additions: dict[tuple[Any, tuple[Any, ...]], tuple[Any, dict[str, Any]]] = {}
    for prop, parent, target in work.secondary_add:
        if target._deleted or id(target) in work.deleted_ids:
            continue
        row = _secondary_row(prop, parent, target)
        key = (prop.secondary, tuple(sorted(row.items())))
        if key in removals:
            removals.pop(key)
        additions[key] = (prop.secondary, row)
    by_table: dict[Any, list[dict[str, Any]]] = {}
    for table, row in additions.values():
        by_table.setdefault(table, []).append(row)
    for table, rows in by_table.items():
        connection.execute(insert(table), rows if len(rows) > 1 else rows[0])


def _before_delete(uow: UOWTransaction, mapper: Any, states: list[Any]) -> None:
    """Before rows are deleted: remove their many-to-many association rows (both sides)."""
    from sqlwright.sql.dml import delete

    work = _work(uow)
    if work is not None and not work.finished:
        work.finished = True
        _finish(work)
    connection = uow.transaction._connection_for_bind(uow.session.get_bind())
    done: set[tuple[Any, ...]] = set()
    for prop in _all_many_to_many(mapper):
        sides = []
        if mapper.isa(prop.parent):
            sides.append((prop.synchronize_pairs, prop.parent))
        if mapper.isa(prop.mapper):
            sides.append((prop.secondary_synchronize_pairs, prop.mapper))
        for pairs, owner in sides:
            if prop.passive_deletes:
                continue
            for state in states:
                where = tuple((sec, _value(state, owner, col)) for col, sec in pairs)
                key = (prop.secondary, tuple((id(c), v) for c, v in where))
                if key in done:
                    continue
                done.add(key)
                connection.execute(delete(prop.secondary).where(
                    *[c == v for c, v in where]))


def _all_many_to_many(mapper: Any) -> list[Any]:
    registry = mapper.registry
    mappers = list(registry.mappers) if registry is not None else [mapper]
    out = []
    for other in mappers:
        for prop in _relationships(other):
            if prop.direction == MANYTOMANY and not prop.viewonly and prop.parent is other:
                out.append(prop)
    return out


# -- comparisons in queries ----------------------------------------------------------------------
def _getter(mapper: Any, obj: Any, column: Any) -> Any:
    key = _key_for(mapper, column)

    def value() -> Any:
        return getattr(obj, key)
    return value


def _bind(column: Any, fn: Any) -> Any:
    from sqlwright.sql.elements import bindparam

    return bindparam(None, unique=True, type_=column.type, callable_=fn)


def compare(attr: Any, op: Any, *other: Any, **kw: Any) -> Any:
    """``Post.author == user``, ``!= user``, ``== None`` for relationship attributes."""
    from sqlwright.sql import operators
    from sqlwright.sql.expression import and_, not_, or_

    prop = attr.prop
    prop._ensure()
    value = other[0] if other else None
    if value is None and op in (operators.is_, operators.is_not):
        op = operators.eq if op is operators.is_ else operators.ne
    if op not in (operators.eq, operators.ne):
        raise exc.ArgumentError(
            f"{prop} supports only == and != in queries (and .any(), .has(), .contains()); "
            f"compare its columns instead")
    negate = op is operators.ne
    if prop.direction == MANYTOONE:
        if value is None:
            clauses = [col.is_(None) if not negate else col.is_not(None)
                       for col, _r in prop.local_remote_pairs]
            return and_(*clauses) if len(clauses) > 1 else clauses[0]
        _check(prop, value)
        eqs = [local == _bind(local, _getter(prop.mapper, value, remote))
               for local, remote in prop.local_remote_pairs]
        positive = and_(*eqs) if len(eqs) > 1 else eqs[0]
        if not negate:
            return positive
        nulls = [local.is_(None) for local, _r in prop.local_remote_pairs]
        return or_(not_(positive), *nulls)
    if value is None:
        clause = exists_related(attr, "any" if prop.uselist else "has", None, {})
        return clause if negate else not_(clause)
    if prop.uselist:
        raise exc.ArgumentError(
            f"{prop} is a collection: use {prop.parent.class_.__name__}.{prop.key}"
            ".contains(obj) to compare it with an object, or .any(...)")
    clause = contains(attr, value)
    return not_(clause) if negate else clause


def _check(prop: Any, value: Any) -> None:
    if not isinstance(value, prop.mapper.class_):
        raise exc.ArgumentError(
            f"{prop} compares with {prop.mapper.class_.__name__} objects, not {value!r}")


def contains(attr: Any, obj: Any) -> Any:
    """``User.posts.contains(post)``: the parent rows whose collection holds ``obj``."""
    from sqlwright.sql.expression import and_

    prop = attr.prop
    prop._ensure()
    _check(prop, obj)
    if prop.direction == MANYTOMANY:
        clauses = [prop.primaryjoin]
        clauses += [sec == _bind(col, _getter(prop.mapper, obj, col))
                    for col, sec in prop.secondary_synchronize_pairs]
        return and_(*clauses)
    if prop.direction == MANYTOONE:
        from sqlwright.sql import operators

        return compare(attr, operators.eq, obj)
    clauses = [local == _bind(local, _getter(prop.mapper, obj, remote))
               for local, remote in prop.local_remote_pairs]
    return and_(*clauses) if len(clauses) > 1 else clauses[0]


def exists_related(attr: Any, kind: str, criterion: Any, kwargs: dict[str, Any]) -> Any:
    """EXISTS over the related rows: ``User.posts.any(...)`` / ``Post.author.has(...)``."""
    from sqlwright.orm.relationships import _adapt, _is_column, _replace
    from sqlwright.sql.expression import and_
    from sqlwright.sql.selectable import exists

    prop = attr.prop
    prop._ensure()
    if kind == "any" and not prop.uselist:
        raise exc.InvalidRequestError(
            f"{prop} is scalar: use .has(...) instead of .any(...)")
    if kind == "has" and prop.uselist:
        raise exc.InvalidRequestError(
            f"{prop} is a collection: use .any(...) instead of .has(...)")
    target_entity = attr._of_type or prop.entity
    extra = []
    if kwargs:
        extra += [getattr(target_entity, key) == value for key, value in kwargs.items()]
    if criterion is not None:
        extra.append(criterion)
    join = prop.join_condition()
    if prop._self_referential:
        alias = prop.target.alias()
        if prop.secondary is None:
            join = _adapt(prop, prop.primaryjoin, None, alias)
        else:
            join = and_(prop.primaryjoin, _adapt(prop, prop.secondaryjoin, None, alias,
                                                 secondary_side=True))
        target_table = prop.target

        def to_alias(node: Any) -> Any:
            plain = node._deannotate() if hasattr(node, "_deannotate") else node
            if _is_column(plain) and plain.table is target_table:
                return alias.corresponding_column(plain)
            return None

        extra = [_replace(c.__clause_element__() if hasattr(c, "__clause_element__")
                          else c, to_alias) for c in extra]
    clauses = [join, *extra]
    return exists().where(and_(*clauses) if len(clauses) > 1 else clauses[0])
