"""Flush planning: which objects to write, and in which order.

Mappers are ordered so that a table is written after the tables its foreign keys reference
(and deleted before them); rows of a self-referential table are ordered the same way among
themselves. Relationship support plugs in through :data:`flush_hooks`: each hook is called
with the :class:`UOWTransaction` before any SQL is emitted, and may add objects, declare
extra dependencies between mappers (:meth:`UOWTransaction.add_mapper_dependency`) and
register processors that run after each mapper's rows are saved or before they are deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc

if TYPE_CHECKING:
    from sqlwright.orm.session import Session, SessionTransaction

__all__ = [
    "UOWTransaction",
    "changed_column_keys",
    "flush_hooks",
    "sort_mappers",
    "sort_rows_self_referential",
]

#: Callables ``hook(uow)`` run at the start of every flush (relationships register here).
flush_hooks: list[Callable[[UOWTransaction], None]] = []


def _no_value(value: Any) -> bool:
    try:
        from sqlwright.orm.base import NO_VALUE
    except ImportError:  # pragma: no cover - the mapping package is always present
        return False
    return value is NO_VALUE


def changed_column_keys(state: Any) -> list[str]:
    """Attribute keys of ``state`` whose current value differs from the committed one."""
    committed = getattr(state, "committed_state", None) or {}
    current = state.dict
    changed = []
    for key, old in committed.items():
        if key not in current:
            continue
        new = current[key]
        if _no_value(old) or (new is not old and _differs(new, old)):
            changed.append(key)
    return changed


def _differs(new: Any, old: Any) -> bool:
    try:
        return bool(new != old)
    except Exception:  # values that refuse comparison count as changed
        return True


def _mapper_tables(mapper: Any) -> list[Any]:
    tables = getattr(mapper, "tables", None)
    return list(tables) if tables else [mapper.local_table]


def sort_mappers(mappers: Sequence[Any],
                 extra_edges: Iterable[tuple[Any, Any]] = ()) -> list[Any]:
    """Order ``mappers`` parents first: a mapper comes after every mapper whose table its
    foreign keys reference (except the foreign keys of ``post_update`` relationships), and
    after the first element of each ``(parent, child)`` edge. Ties and cycles fall back to
    the mappers' creation order."""
    def order_key(m: Any) -> Any:
        return getattr(m, "_insert_order", 0)

    ordered = sorted(mappers, key=order_key)
    table_owner: dict[Any, Any] = {}
    for mapper in ordered:
        for table in _mapper_tables(mapper):
            table_owner.setdefault(table, mapper)
    parents: dict[Any, set[Any]] = {m: set() for m in ordered}
    written_later = _post_update_columns(ordered)
    for mapper in ordered:
        for table in _mapper_tables(mapper):
            for fk in getattr(table, "foreign_keys", ()) or ():
                if id(fk.parent) in written_later:
                    continue
                target = _referred_table(fk)
                owner = table_owner.get(target)
                if owner is not None and owner is not mapper:
                    parents[mapper].add(owner)
    for parent, child in extra_edges:
        if parent in parents and child in parents and parent is not child:
            parents[child].add(parent)
    return _topological(ordered, parents)


def _post_update_columns(mappers: Iterable[Any]) -> set[int]:
    """ids of the foreign key columns that ``post_update`` relationships write with a
    separate UPDATE once both rows exist: they impose no INSERT order (that is how such a
    relationship breaks a cycle)."""
    found: set[int] = set()
    for mapper in mappers:
        relationships = getattr(mapper, "relationships", None)
        for prop in relationships.values() if relationships else ():
            if not getattr(prop, "post_update", False):
                continue
            ensure = getattr(prop, "_ensure", None)
            if ensure is not None:
                ensure()
            found.update(id(column) for _ref, column in prop.synchronize_pairs)
    return found


def _referred_table(fk: Any) -> Any:
    try:
        return fk.column.table
    except Exception:  # an unresolvable foreign key orders nothing
        return None


def _topological(items: list[Any], parents: dict[Any, set[Any]]) -> list[Any]:
    """Kahn's algorithm keeping the given order among ready items; a cycle is broken by
    taking the earliest remaining item."""
    remaining = list(items)
    done: list[Any] = []
    placed: set[int] = set()
    while remaining:
        for item in remaining:
            if all(id(p) in placed for p in parents.get(item, ())):
                break
        else:
            item = remaining[0]
        remaining.remove(item)
        done.append(item)
        placed.add(id(item))
    return done


def sort_rows_self_referential(table: Any, rows: list[tuple[Any, dict[str, Any]]]
                               ) -> list[tuple[Any, dict[str, Any]]]:
    """Order ``(state, values by column key)`` rows of ``table`` so that a row whose foreign
    key points at another row of the batch comes after it."""
    self_fks = [fk for fk in getattr(table, "foreign_keys", ()) or ()
                if _referred_table(fk) is table]
    if not self_fks or len(rows) < 2:
        return rows
    by_target: dict[tuple[str, Any], int] = {}
    for index, (_state, values) in enumerate(rows):
        for fk in self_fks:
            value = values.get(fk.column.key)
            if value is not None:
                by_target[(fk.column.key, value)] = index
    parents: dict[Any, set[Any]] = {i: set() for i in range(len(rows))}
    for index, (_state, values) in enumerate(rows):
        for fk in self_fks:
            value = values.get(fk.parent.key)
            parent = by_target.get((fk.column.key, value)) if value is not None else None
            if parent is not None and parent != index:
                parents[index].add(parent)
    order = _topological(list(range(len(rows))), parents)
    return [rows[i] for i in order]


class UOWTransaction:
    """One flush: the objects to insert, update and delete and the order to do it in.

    Attributes read by flush hooks: ``session``, ``transaction``, ``new`` / ``dirty`` /
    ``deleted`` (lists of states), ``mapper_edges`` (extra ``(parent, child)`` mapper
    dependencies), ``after_save`` / ``before_delete`` (lists of ``fn(uow, mapper, states)``
    processors), ``attributes`` (a dict hooks may use for their own bookkeeping).
    """

    def __init__(self, session: Session, transaction: SessionTransaction) -> None:
        self.session = session
        self.transaction = transaction
        self.new: list[Any] = []
        self.dirty: list[Any] = []
        self.deleted: list[Any] = []
        self.mapper_edges: list[tuple[Any, Any]] = []
        self.after_save: list[Callable[[UOWTransaction, Any, list[Any]], None]] = []
        self.before_delete: list[Callable[[UOWTransaction, Any, list[Any]], None]] = []
        self.attributes: dict[str, Any] = {}

    # -- API for flush hooks -------------------------------------------------------------------
    def add_mapper_dependency(self, parent: Any, child: Any) -> None:
        """Write ``parent``'s rows before ``child``'s (and delete them after)."""
        self.mapper_edges.append((parent, child))

    def register_new(self, state: Any) -> None:
        """Include a pending state in this flush (a cascade found it)."""
        if state not in self.new:
            self.new.append(state)

    # -- running -------------------------------------------------------------------------------
    def _collect(self, objects: Sequence[object] | None) -> None:
        session = self.session
        only: set[int] | None = None
        if objects is not None:
            from sqlwright.orm.session import _instance_state

            only = {id(_instance_state(o)) for o in objects}
        self.new = [s for s in session._new if only is None or id(s) in only]
        deleted = set(map(id, session._deleted))
        self.deleted = [s for s in session._deleted if only is None or id(s) in only]
        self.dirty = [s for s in session.identity_map.all_states()
                      if s.modified and id(s) not in deleted
                      and (only is None or id(s) in only)]

    def run(self, objects: Sequence[object] | None = None) -> None:
        """Run the flush: events, hooks, SQL in dependency order, then object bookkeeping."""
        from sqlwright.orm import persistence

        session = self.session
        if session.dispatch.before_flush:
            session.dispatch.before_flush(session, self, None)
        self._collect(objects)
        for hook in list(flush_hooks):
            hook(self)
        if not (self.new or self.dirty or self.deleted):
            return
        self._check_states()
        connection = self.transaction._connection_for_bind(session.get_bind())
        mappers = _involved_mappers(self.new + self.dirty + self.deleted)
        order = sort_mappers(mappers, self.mapper_edges)
        saved: dict[Any, tuple[list[Any], list[Any]]] = {}
        for mapper in order:
            inserts = [s for s in self.new if s.mapper is mapper]
            updates = [s for s in self.dirty if s.mapper is mapper]
            if inserts or updates:
                persistence.save_obj(self, mapper, connection, inserts, updates)
                saved[mapper] = (inserts, updates)
                for processor in self.after_save:
                    processor(self, mapper, inserts + updates)
        for mapper in reversed(order):
            deletes = [s for s in self.deleted if s.mapper is mapper]
            if deletes:
                for processor in self.before_delete:
                    processor(self, mapper, deletes)
                persistence.delete_obj(self, mapper, connection, deletes)
        if session.dispatch.after_flush:
            session.dispatch.after_flush(session, self)
        self._finish()
        if session.dispatch.after_flush_postexec:
            session.dispatch.after_flush_postexec(session, self)

    def _check_states(self) -> None:
        for state in self.new:
            if state.key is not None:
                raise exc.InvalidRequestError(
                    "A pending object already has an identity; this is a bug in a flush hook")

    def _finish(self) -> None:
        """Move flushed objects to their new states: pending -> persistent, deleted ->
        deleted, and remember what happened for a later rollback."""
        session = self.session
        trans = self.transaction
        identity_map = session.identity_map
        for state in self.new:
            obj = state.obj()
            session._new.pop(state, None)
            state._commit_all()
            if obj is not None:
                identity_map._add(state, obj)
        for state in self.dirty:
            obj = state.obj()
            old_key = state.key
            new_key = _current_identity(state)
            state._commit_all()
            if new_key is not None and new_key != old_key and obj is not None:
                state.key = new_key
                identity_map._replace_key(old_key, state, obj)
            if obj is not None:
                trans._dirty[state] = obj
        for state in self.deleted:
            obj = session._deleted.pop(state, None)
            identity_map._discard(state)
            state._deleted = True
            trans._deleted[state] = obj
        for state, keys in self.attributes.pop("expire_after_flush", ()):
            state._expire(keys)
        identity_map._release_all()


def _current_identity(state: Any) -> Any:
    mapper = state.mapper
    pk = tuple(state.dict.get(mapper._columntoproperty[col].key) for col in mapper.primary_key)
    if any(v is None for v in pk):
        return state.key
    return mapper.identity_key_from_primary_key(pk)


def _involved_mappers(states: Iterable[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for state in states:
        seen.setdefault(id(state.mapper), state.mapper)
    return list(seen.values())
