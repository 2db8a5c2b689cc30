"""Turning rows into objects through the identity map, and loading by primary key.

A row for an identity already in the session returns the object the session has (its unflushed
changes win, unless ``populate_existing`` is set); expired attributes of that object are filled
in from the row. A new identity makes a new object without calling ``__init__``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc

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
    the loaded values of objects already in the identity map.
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
        dispatch = getattr(mapper, "dispatch", None)
        self._load_event = getattr(dispatch, "load", None) if dispatch is not None else None
        self._refresh_event = getattr(dispatch, "refresh", None) if dispatch is not None \
            else None

    def instance(self, values: Sequence[Any]) -> Any:
        """The object for one row slice, or None when its primary key is all NULL."""
        pk = tuple(values[i] for i in self.pk_positions)
        if all(v is None for v in pk):
            return None
        mapper = self.mapper
        session = self.session
        identity_key = mapper.identity_key_from_primary_key(pk)
        state = session.identity_map._state_for(identity_key)
        if state is not None:
            obj = state.obj()
            if self.populate_existing:
                state._set_loaded(dict(zip(self.keys, values)))
                if self._refresh_event:
                    self._refresh_event(obj, None, self.keys)
            elif state.expired_attributes:
                expired = state.expired_attributes
                fill = {k: v for k, v in zip(self.keys, values)
                        if k in expired and k not in state.committed_state}
                if fill:
                    state._set_loaded(fill)
            return obj
        obj = _new_instance(mapper)
        state = _instance_state(obj)
        state._set_loaded(dict(zip(self.keys, values)))
        state.key = identity_key
        state.session_id = session.hash_key
        session.identity_map._add(state, obj)
        if self._load_event:
            self._load_event(obj, None)
        return obj


def _new_instance(mapper: Any) -> Any:
    manager = getattr(mapper, "class_manager", None)
    factory: Callable[[], Any] | None = getattr(manager, "new_instance", None)
    if factory is not None:
        return factory()
    cls = mapper.class_
    return cls.__new__(cls)


def iterate_rows(result: Any, builders: Sequence[Callable[[Sequence[Any]], Any]]
                 ) -> Iterator[tuple[Any, ...]]:
    """Rows of ``result`` turned into tuples by ``builders`` (one per output column), fetched
    lazily so ``yield_per`` streams."""
    try:
        for row in result:
            yield tuple(build(row) for build in builders)
    finally:
        result.close()


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
        if state.expired_attributes:
            try:
                load_expired(session, state, [])
            except _orm_exc().ObjectDeletedError:
                return None
        return obj
    session._autoflush()
    columns = loadable_columns(mapper)
    row = _fetch_one(session, mapper, columns, pk, with_for_update)
    if row is None:
        return None
    loader = EntityLoader(session, mapper, [k for k, _e in columns],
                          populate_existing=populate_existing or bool(with_for_update))
    return loader.instance(tuple(row))


def load_expired(session: Session, state: Any, keys: list[str]) -> None:
    """Load the expired attributes of ``state`` plus ``keys`` with one SELECT by primary key;
    raises ObjectDeletedError when the row is gone."""
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
