"""Turning rows into objects through the identity map, and loading by primary key.

A row for an identity already in the session returns the object the session has (its unflushed
changes win, unless ``populate_existing`` is set); expired attributes of that object are filled
in from the row. A new identity makes a new object without calling ``__init__``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.orm.base import STATE_ATTR
from sqlwright.orm.state import InstanceState

if TYPE_CHECKING:
    from sqlwright.orm.session import Session

__all__ = [
    "EntityLoader",
    "get",
    "load_expired",
    "loadable_columns",
    "merge",
    "refresh_state",
]


def _orm_exc() -> Any:
    from sqlwright.orm import exc as orm_exc

    return orm_exc


def _instance_state(obj: Any) -> Any:
    from sqlwright.orm.base import instance_state

    return instance_state(obj)


def loadable_columns(mapper: Any, keys: Sequence[str] | None = None,
                     include_deferred: bool = False) -> list[tuple[str, Any]]:
    """``(attribute key, column expression)`` a query for ``mapper`` selects: every column
    attribute (or only ``keys``), deferred ones only when asked for, plus the primary key."""
    out: list[tuple[str, Any]] = []
    wanted = set(keys) if keys is not None else None
    pk_ids = {id(c) for c in mapper.primary_key}
    for prop in _column_props(mapper):
        columns = getattr(prop, "columns", None) or [getattr(prop, "expression", None)]
        expr = columns[0]
        if expr is None:
            continue
        is_pk = id(expr) in pk_ids
        if wanted is not None and prop.key not in wanted and not is_pk:
            continue
        if getattr(prop, "deferred", False) and not include_deferred and not is_pk \
                and (wanted is None or prop.key not in wanted):
            continue
        out.append((prop.key, expr))
    return out


def _column_props(mapper: Any) -> list[Any]:
    attrs = getattr(mapper, "column_attrs", None)
    if attrs is None:
        return []
    values = attrs.values() if hasattr(attrs, "values") else attrs
    return list(values)


def _pk_keys(mapper: Any) -> list[str]:
    return [mapper._columntoproperty[c].key for c in mapper.primary_key]


class EntityLoader:
    """Makes the objects of one mapper from slices of rows.

    ``keys`` are the attribute keys of the row slice, in order. ``populate_existing`` replaces
    the loaded values of objects already in the identity map. Everything that does not depend
    on the row (positions, the identity key's parts, events) is worked out here, once per
    result; :meth:`row_processor` returns the per-row function.
    """

    def __init__(self, session: Session, mapper: Any, keys: Sequence[str], *,
                 populate_existing: bool = False, only_keys: bool = False) -> None:
        self.session = session
        self.mapper = mapper
        self.keys = list(keys)
        self.populate_existing = populate_existing
        pk_keys = _pk_keys(mapper)
        missing = [k for k in pk_keys if k not in self.keys]
        if missing:
            raise exc.InvalidRequestError(
                f"The rows for {mapper.class_.__name__} do not contain its primary key "
                f"column(s) {', '.join(missing)}; select them so objects can be identified")
        self.pk_positions = [self.keys.index(k) for k in pk_keys]
        poly_key = getattr(mapper, "_polymorphic_key", None)  # INHERIT: subclass per row
        self._poly_index = self.keys.index(poly_key) if poly_key in self.keys else None
        dispatch = getattr(mapper, "dispatch", None)
        self._load_event = getattr(dispatch, "load", None) if dispatch is not None else None
        self._refresh_event = getattr(dispatch, "refresh", None) if dispatch is not None \
            else None
        self._flagged: Callable[[Sequence[Any]], tuple[Any, bool]] = \
            self.row_processor(None, flagged=True)

    def instance(self, values: Sequence[Any]) -> Any:
        """The object for one row slice, or None when its primary key is all NULL."""
        return self._flagged(values)[0]

    def instance_flagged(self, values: Sequence[Any]) -> tuple[Any, bool]:
        """``(object or None, fresh)``: fresh is True when the row's values were stored on
        the object (a new object, or ``populate_existing``), so loader options apply to it."""
        return self._flagged(values)

    def row_processor(self, positions: Sequence[int] | None = None, flagged: bool = False
                      ) -> Callable[[Sequence[Any]], Any]:
        """A function of one row returning its object (None for an all-NULL primary key);
        with ``flagged``, ``(object, fresh)`` as :meth:`instance_flagged` does. ``positions``
        index the row for :attr:`keys` (None: the row is exactly the slice)."""
        keys = tuple(self.keys)
        if positions is None or list(positions) == list(range(len(keys))):
            positions = None
        values_of = _values_getter(positions, len(keys))
        pk_positions = self.pk_positions if positions is None \
            else [positions[i] for i in self.pk_positions]
        pk_of = _pk_getter(pk_positions)
        composite = len(pk_positions) > 1
        if self._poly_index is not None:
            return self._polymorphic_processor(self._poly_index, values_of, pk_of, composite,
                                               flagged)
        return self._plain_processor(keys, values_of, pk_of, pk_positions, flagged)

    def _plain_processor(self, keys: tuple[str, ...],
                         values_of: Callable[[Sequence[Any]], Sequence[Any]] | None,
                         pk_of: Callable[[Sequence[Any]], tuple[Any, ...]],
                         pk_positions: list[int], flagged: bool
                         ) -> Callable[[Sequence[Any]], Any]:
        """The row processor of a mapper without a discriminator: the hot path of loading,
        with everything that does not depend on the row bound to locals."""
        single_pk = len(pk_positions) == 1
        pk_index = pk_positions[0]
        identity_class = self.mapper._identity_class
        identity_map = self.session.identity_map
        states = identity_map._states
        states_get = states.get
        session_id = self.session.hash_key
        existing = self._existing
        manager = self.mapper.class_manager
        cls = self.mapper.class_
        plain_new = cls.__new__ is object.__new__
        new_instance = manager.new_instance
        load_event = self._load_event

        def process(row: Sequence[Any]) -> Any:
            if single_pk:
                pk_value = row[pk_index]
                if pk_value is None:
                    return (None, False) if flagged else None
                pk = (pk_value,)
            else:
                pk = pk_of(row)
                if all(v is None for v in pk):
                    return (None, False) if flagged else None
            key = (identity_class, pk, None)
            state = states_get(key)
            if state is not None:
                obj = state.obj()
                if obj is not None:
                    fresh = existing(state, obj, row if values_of is None else values_of(row))
                    return (obj, fresh) if flagged else obj
            if plain_new:
                obj = object.__new__(cls)
                state = InstanceState(obj, manager)
            else:
                obj = new_instance()
                state = obj.__dict__[STATE_ATTR]
            dict_ = obj.__dict__
            dict_.update(zip(keys, row if values_of is None else values_of(row)))
            dict_[STATE_ATTR] = state
            state.key = key
            state.session_id = session_id
            states[key] = state
            if len(states) > identity_map._sweep_at:
                identity_map._sweep()
            if load_event:
                load_event(obj, None)
            return (obj, True) if flagged else obj

        return process

    def _existing(self, state: Any, obj: Any, values: Sequence[Any]) -> bool:
        """Merge a row into an object the session already has; True when it was refreshed."""
        if self.populate_existing:
            state._set_loaded(dict(zip(self.keys, values)))
            if self._refresh_event:
                self._refresh_event(obj, None, self.keys)
            return True
        expired = state._expired_attributes
        if expired:
            fill = {k: v for k, v in zip(self.keys, values)
                    if k in expired and k not in state.committed_state}
            if fill:
                state._set_loaded(fill)
        return False

    def _polymorphic_processor(self, poly_index: int,
                               values_of: Callable[[Sequence[Any]], Sequence[Any]] | None,
                               pk_of: Callable[[Sequence[Any]], tuple[Any, ...]],
                               composite: bool, flagged: bool
                               ) -> Callable[[Sequence[Any]], Any]:
        """The row processor of a mapper with subclasses chosen by a discriminator column."""
        mapper = self.mapper
        keys = self.keys
        session = self.session
        identity_map = session.identity_map

        def process(row: Sequence[Any]) -> Any:
            pk = pk_of(row)
            if pk[0] is None and (not composite or all(v is None for v in pk)):
                return (None, False) if flagged else None
            values = row if values_of is None else values_of(row)
            target = mapper._polymorphic_mapper_for(values[poly_index])
            # concrete subclasses have identities of their own
            identity_key = (target._identity_class, pk, None)
            state = identity_map._state_for(identity_key)
            if state is not None:
                obj = state.obj()
                fresh = self._existing(state, obj, values)
                return (obj, fresh) if flagged else obj
            obj = _new_instance(target)
            state = _instance_state(obj)
            # with_polymorphic rows carry other classes' columns
            state._set_loaded({k: v for k, v in zip(keys, values) if k in target._props})
            state.key = identity_key
            state.session_id = session.hash_key
            identity_map._add(state, obj)
            if target is not mapper:  # INHERIT: a subclass's other columns load on access
                target._expire_unloaded(state, keys)
                if target.dispatch.load:
                    target.dispatch.load(obj, None)
            elif self._load_event:
                self._load_event(obj, None)
            return (obj, True) if flagged else obj

        return process


def _values_getter(positions: Sequence[int] | None, width: int
                   ) -> Callable[[Sequence[Any]], Sequence[Any]] | None:
    """row -> the values of the entity's keys, in order; None when that is the row itself
    (extra columns after the keys are ignored by ``zip``)."""
    if positions is None:
        return None
    if len(positions) == 1:
        only = positions[0]
        return lambda row: (row[only],)
    if list(positions) == list(range(positions[0], positions[0] + width)):
        start, stop = positions[0], positions[0] + width
        return lambda row: row[start:stop]
    return itemgetter(*positions)


def _pk_getter(positions: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """row -> the primary key tuple."""
    if len(positions) == 1:
        only = positions[0]
        return lambda row: (row[only],)
    return itemgetter(*positions)


def _new_instance(mapper: Any) -> Any:
    manager = getattr(mapper, "class_manager", None)
    factory: Callable[[], Any] | None = getattr(manager, "new_instance", None)
    if factory is not None:
        return factory()
    cls = mapper.class_
    return cls.__new__(cls)


def iterate_rows(result: Any, builders: Sequence[Callable[[Sequence[Any]], Any]],
                 finish: Callable[[], None] | None = None, batch: int | None = None,
                 row_class: Callable[[Any], tuple[Any, ...]] = tuple
                 ) -> Iterator[tuple[Any, ...]]:
    """Rows of ``result`` turned into ``row_class`` tuples by ``builders`` (one per output
    column).

    Without ``finish`` rows are fetched lazily (so ``yield_per`` streams). With it (eager
    loading), all rows, or ``batch`` rows at a time, are built first, then ``finish()`` fills
    the eagerly loaded attributes, then the tuples are yielded.
    """
    try:
        build_row = _row_builder(builders, row_class)
        if finish is None:
            yield from map(build_row, result)
            return
        while True:
            rows = result.fetchmany(batch) if batch else result.fetchall()
            built = list(map(build_row, rows))
            finish()
            yield from built
            if not batch or not rows:
                return
    finally:
        result.close()


def _row_builder(builders: Sequence[Callable[[Sequence[Any]], Any]],
                 row_class: Callable[[Any], tuple[Any, ...]]
                 ) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """row -> the tuple of every builder's value, specialised for one or two builders."""
    if len(builders) == 1:
        only = builders[0]
        return lambda row: row_class((only(row),))
    if len(builders) == 2:
        first, second = builders
        return lambda row: row_class((first(row), second(row)))
    every = tuple(builders)
    return lambda row: row_class([build(row) for build in every])


# -- by primary key ----------------------------------------------------------------------------
def _normalize_ident(mapper: Any, ident: Any) -> tuple[Any, ...]:
    pk_keys = _pk_keys(mapper)
    if isinstance(ident, dict):
        missing = [k for k in pk_keys if k not in ident]
        if missing:
            raise exc.InvalidRequestError(
                f"get() for {mapper.class_.__name__} needs the primary key attributes "
                f"{', '.join(pk_keys)}; missing {', '.join(missing)}")
        return tuple(ident[k] for k in pk_keys)
    values = tuple(ident) if isinstance(ident, (tuple, list)) else (ident,)
    if len(values) != len(pk_keys):
        raise exc.InvalidRequestError(
            f"{mapper.class_.__name__} has a primary key of {len(pk_keys)} column(s) "
            f"({', '.join(pk_keys)}); get() was given {len(values)} value(s): {ident!r}. "
            "Pass a tuple in primary key order, or a dict by attribute name")
    return values


def _mapper_of(entity: Any) -> Any:
    from sqlwright.orm.base import class_mapper

    if hasattr(entity, "_columntoproperty"):
        return entity
    return class_mapper(entity)


def _select_by_pk(mapper: Any, columns: list[tuple[str, Any]], pk: tuple[Any, ...],
                  with_for_update: Any = None) -> Any:
    from sqlwright.sql.selectable import select

    stmt = select(*[expr for _k, expr in columns])
    if len(getattr(mapper, "tables", ())) > 1:  # INHERIT: a joined-table subclass
        stmt = stmt.select_from(mapper.persist_selectable)
    stmt = stmt.where(*[col == value for col, value in zip(mapper.primary_key, pk)])
    if with_for_update:
        options = with_for_update if isinstance(with_for_update, dict) else {}
        stmt = stmt.with_for_update(**options)
    return stmt


def _fetch_one(session: Session, mapper: Any, columns: list[tuple[str, Any]],
               pk: tuple[Any, ...], with_for_update: Any = None) -> Any:
    stmt = _select_by_pk(mapper, columns, pk, with_for_update)
    return session.connection().execute(stmt).first()


def get(session: Session, entity: Any, ident: Any, *, populate_existing: bool = False,
        with_for_update: Any = None) -> Any:
    """Session.get(): the identity map first, else one SELECT by primary key."""
    mapper = _mapper_of(entity)
    pk = _normalize_ident(mapper, ident)
    key = mapper.identity_key_from_primary_key(pk)
    state = session.identity_map._state_for(key)
    if state is not None and not populate_existing and not with_for_update:
        if state in session._deleted:
            return None
        obj = state.obj()
        if state._expired_attributes:
            try:
                load_expired(session, state, [])
            except _orm_exc().ObjectDeletedError:
                return None
        return obj
    session._autoflush()
    if _has_eager_relationships(mapper):
        return _get_with_eager_loads(session, mapper, pk, populate_existing, with_for_update)
    columns = loadable_columns(mapper)
    row = _fetch_one(session, mapper, columns, pk, with_for_update)
    if row is None:
        return None
    loader = EntityLoader(session, mapper, [k for k, _e in columns],
                          populate_existing=populate_existing or bool(with_for_update))
    return loader.instance(tuple(row))


_EAGER = frozenset({"joined", "selectin", "subquery", "immediate"})


def _has_eager_relationships(mapper: Any) -> bool:
    rels = getattr(mapper, "relationships", None)
    if not rels:
        return False
    return any(getattr(p, "lazy", None) in _EAGER for p in rels.values())


def _get_with_eager_loads(session: Session, mapper: Any, pk: tuple[Any, ...],
                          populate_existing: bool, with_for_update: Any) -> Any:
    """get() of a class whose relationships load eagerly: an ORM select, so they load too."""
    from sqlwright.orm.context import run_orm_select
    from sqlwright.sql.selectable import select

    stmt = select(mapper.class_).where(
        *[col == value for col, value in zip(mapper.primary_key, pk)])
    if with_for_update:
        options = with_for_update if isinstance(with_for_update, dict) else {}
        stmt = stmt.with_for_update(**options)
    rows = run_orm_select(session, stmt,
                          populate_existing=populate_existing or bool(with_for_update))
    return rows[0][0] if rows else None


#: state -> column keys whose load on access raises (``defer(User.bio, raiseload=True)``).
raise_on_load: weakref.WeakKeyDictionary[Any, frozenset[str]] = weakref.WeakKeyDictionary()


def _check_raiseload(state: Any, keys: list[str]) -> None:
    blocked = raise_on_load.get(state)
    if not blocked:
        return
    # an expired key (the whole object was expired, e.g. by commit) reloads normally
    found = sorted((set(keys) & blocked) - set(state.expired_attributes))
    if found:
        name = state.mapper.class_.__name__
        attrs = ", ".join(f"{name}.{k}" for k in found)
        raise exc.InvalidRequestError(
            f"{attrs} is not available due to raiseload=True on defer() / load_only(): it "
            f"was not loaded by the query. Load it there with undefer({name}.{found[0]}) or "
            "by naming it in load_only()")


def load_expired(session: Session, state: Any, keys: list[str]) -> None:
    """Load the expired attributes of ``state`` plus ``keys`` with one SELECT by primary key;
    raises ObjectDeletedError when the row is gone."""
    _check_raiseload(state, keys)
    mapper = state.mapper
    if state.key is None:
        raise exc.InvalidRequestError(
            "Can't load attributes of a pending object: flush it first (session.flush())")
    wanted = set(state.expired_attributes) | set(keys)
    wanted -= set(state.committed_state)
    columns = loadable_columns(mapper, sorted(wanted) if wanted else None,
                               include_deferred=True)
    if not columns:
        return
    row = _fetch_one(session, mapper, columns, state.key[1])
    if row is None:
        raise _orm_exc().ObjectDeletedError(
            f"{mapper.class_.__name__} with primary key {state.key[1]!r} was deleted from the "
            "database (or never committed); the object can no longer be loaded. Expunge it "
            "from the session, or add it again to insert a new row")
    state._set_loaded({k: v for (k, _e), v in zip(columns, row) if k not in state.committed_state})
    for key in keys:
        state.expired_attributes.discard(key)


def refresh_state(session: Session, state: Any, keys: list[str] | None,
                  with_for_update: Any = None) -> None:
    """Session.refresh(): reload ``keys`` (all column attributes if None) from the database,
    discarding unflushed changes to them."""
    mapper = state.mapper
    columns = loadable_columns(mapper, keys, include_deferred=keys is not None)
    if keys is not None:
        unknown = [k for k in keys if k not in {ck for ck, _e in columns}]
        if unknown:
            raise exc.InvalidRequestError(
                f"{mapper.class_.__name__} has no column attribute(s) {', '.join(unknown)} to "
                "refresh")
    row = _fetch_one(session, mapper, columns, state.key[1], with_for_update)
    if row is None:
        raise exc.InvalidRequestError(
            f"Could not refresh {mapper.class_.__name__} with primary key {state.key[1]!r}: "
            "its row no longer exists")
    state._set_loaded(dict(zip([k for k, _e in columns], row)))
    dispatch = getattr(mapper, "dispatch", None)
    if dispatch is not None and dispatch.refresh:
        dispatch.refresh(state.obj(), None, keys)


# -- merge -------------------------------------------------------------------------------------
def merge(session: Session, instance: Any, *, load: bool = True) -> Any:
    """Session.merge(): copy ``instance``'s loaded column values onto the session's object with
    the same identity (loaded or new pending) and return it."""
    state = _instance_state(instance)
    mapper = state.mapper
    if state.session_id == session.hash_key:
        return instance
    pk_keys = _pk_keys(mapper)
    pk = tuple(state.dict.get(k) for k in pk_keys)
    target = None
    if all(v is not None for v in pk):
        if load:
            target = session.get(mapper.class_, pk)
        else:
            existing = session.identity_map._state_for(mapper.identity_key_from_primary_key(pk))
            target = existing.obj() if existing is not None else None
    if target is None:
        if not load and state.key is not None:
            target = _new_instance(mapper)
            target_state = _instance_state(target)
            target_state._set_loaded({k: state.dict[k] for k, _e in loadable_columns(mapper)
                                      if k in state.dict})
            target_state.key = mapper.identity_key_from_primary_key(pk)
            target_state.session_id = session.hash_key
            session.identity_map._add(target_state, target)
            return target
        target = _new_instance(mapper)
        session.add(target)
    for key, _expr in loadable_columns(mapper, include_deferred=True):
        if key in state.dict:
            setattr(target, key, state.dict[key])
    return target
