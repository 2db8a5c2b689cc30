"""Relationship attributes on objects: the descriptor, instrumented collections, history and
keeping both sides of a relationship in step.

Reading ``user.posts`` returns an instrumented collection (a ``list`` by default, or a
``set`` / keyed ``dict`` per ``collection_class``) whose mutations record history for the unit
of work, fire the ``append`` / ``remove`` attribute events, update the reverse side
(``post.author``) and add new objects to the owner's Session (save-update cascade).
When the reverse collection is not loaded, the change is remembered and applied when it
loads, so no SQL is emitted just to keep both sides in step.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from sqlwright import exc
from sqlwright.orm.attributes import (
    AttributeEventToken,
    InstrumentedAttribute,
    fire_append_event,
    fire_remove_event,
)
from sqlwright.orm.base import NO_VALUE, STATE_ATTR, instance_state
from sqlwright.orm.state import History

if TYPE_CHECKING:
    from sqlwright.orm.state import InstanceState

__all__ = [
    "InstrumentedDict",
    "InstrumentedList",
    "InstrumentedSet",
    "KeyFuncDict",
    "RelationshipAttribute",
    "attribute_keyed_dict",
    "column_keyed_dict",
    "keyfunc_mapping",
    "relationship_history",
]

_T = TypeVar("_T")

#: state -> {key: ([added], [removed])} for reverse collections changed while not loaded.
_pending: weakref.WeakKeyDictionary[Any, dict[str, tuple[list[Any], list[Any]]]] = \
    weakref.WeakKeyDictionary()


def _state(obj: object) -> InstanceState:
    return obj.__dict__.get(STATE_ATTR) or instance_state(obj)


# -- collections -----------------------------------------------------------------------------------
class _Owned:
    """What every instrumented collection knows: its owner's state and the relationship."""

    _sw_state: Any = None
    _sw_prop: Any = None

    def _sw_bind(self, state: InstanceState | None, prop: Any) -> None:
        self._sw_state = state
        self._sw_prop = prop

    def _sw_added(self, value: Any, backref: bool = True) -> Any:
        if self._sw_state is None:
            return value
        return _on_add(self, value, backref)

    def _sw_removed(self, value: Any, backref: bool = True) -> None:
        if self._sw_state is not None:
            _on_remove(self, value, backref)


class InstrumentedList(list[_T], _Owned):
    """The default collection: a list whose changes the ORM tracks."""

    def append(self, value: _T) -> None:
        list.append(self, self._sw_added(value))

    def extend(self, values: Iterable[_T]) -> None:
        for value in list(values):
            self.append(value)

    def insert(self, index: Any, value: _T) -> None:
        list.insert(self, index, self._sw_added(value))

    def remove(self, value: _T) -> None:
        self._sw_removed(value)
        list.remove(self, value)

    def pop(self, index: Any = -1) -> _T:
        value = self[index]
        self._sw_removed(value)
        return list.pop(self, index)

    def clear(self) -> None:
        for value in list(self):
            self._sw_removed(value)
        list.clear(self)

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, slice):
            old = list(self[index])
            new = list(value)
            for item in old:
                self._sw_removed(item)
            new = [self._sw_added(v) for v in new]
            list.__setitem__(self, index, new)
            return
        self._sw_removed(self[index])
        list.__setitem__(self, index, self._sw_added(value))

    def __delitem__(self, index: Any) -> None:
        old = self[index] if isinstance(index, slice) else [self[index]]
        for item in old:
            self._sw_removed(item)
        list.__delitem__(self, index)

    def __iadd__(self, values: Iterable[_T]) -> InstrumentedList[_T]:  # type: ignore[override,misc]
        self.extend(values)
        return self

    def _sw_raw_add(self, value: Any) -> None:
        list.append(self, value)

    def _sw_raw_remove(self, value: Any) -> None:
        for index, item in enumerate(self):
            if item is value:
                list.__delitem__(self, index)
                return


class InstrumentedSet(set[_T], _Owned):
    """A set collection (``collection_class=set`` or ``Mapped[Set["X"]]``)."""

    def add(self, value: _T) -> None:
        if value not in self:
            set.add(self, self._sw_added(value))

    def discard(self, value: Any) -> None:
        if value in self:
            self._sw_removed(value)
            set.discard(self, value)

    def remove(self, value: _T) -> None:
        if value not in self:
            raise KeyError(value)
        self.discard(value)

    def pop(self) -> _T:
        value = next(iter(self))
        self.discard(value)
        return value

    def clear(self) -> None:
        for value in list(self):
            self.discard(value)

    def update(self, *others: Iterable[_T]) -> None:
        for other in others:
            for value in other:
                self.add(value)

    def __ior__(self, other: Any) -> InstrumentedSet[_T]:  # type: ignore[override,misc]
        self.update(other)
        return self

    def difference_update(self, *others: Iterable[Any]) -> None:
        for other in others:
            for value in list(other):
                self.discard(value)

    def __isub__(self, other: Any) -> InstrumentedSet[_T]:  # type: ignore[misc]
        self.difference_update(other)
        return self

    def _sw_raw_add(self, value: Any) -> None:
        set.add(self, value)

    def _sw_raw_remove(self, value: Any) -> None:
        set.discard(self, value)


class KeyFuncDict(dict[Any, Any], _Owned):
    """A dict collection keyed by a function of each member (see
    :func:`attribute_keyed_dict`); ``coll.set(obj)`` adds under the member's key."""

    keyfunc: Callable[[Any], Any] = staticmethod(lambda value: value)

    def set(self, value: Any) -> None:
        """Add ``value`` under its key."""
        self[self.keyfunc(value)] = value

    def remove(self, value: Any) -> None:
        """Remove ``value`` (found by its key)."""
        key = self.keyfunc(value)
        if self.get(key) is not value:
            raise KeyError(key)
        del self[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        old = self.get(key, NO_VALUE)
        if old is value:
            return
        if old is not NO_VALUE:
            self._sw_removed(old)
        dict.__setitem__(self, key, self._sw_added(value))

    def __delitem__(self, key: Any) -> None:
        self._sw_removed(self[key])
        dict.__delitem__(self, key)

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self:
            value = self[key]
            del self[key]
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def popitem(self) -> tuple[Any, Any]:
        key = next(reversed(list(self.keys())))
        return key, self.pop(key)

    def clear(self) -> None:
        for key in list(self):
            del self[key]

    def update(self, *args: Any, **kw: Any) -> None:
        for key, value in dict(*args, **kw).items():
            self[key] = value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def _sw_raw_add(self, value: Any) -> None:
        dict.__setitem__(self, self.keyfunc(value), value)

    def _sw_raw_remove(self, value: Any) -> None:
        for key, item in list(self.items()):
            if item is value:
                dict.__delitem__(self, key)


#: ``collection_class=dict`` without a key function keeps the dict as given.
InstrumentedDict = KeyFuncDict


def keyfunc_mapping(keyfunc: Callable[[Any], Any], *,
                    ignore_unpopulated_attribute: bool = False) -> type[KeyFuncDict]:
    """A dict collection class keyed by ``keyfunc(member)``."""
    return type("KeyFuncDict", (KeyFuncDict,), {"keyfunc": staticmethod(keyfunc)})


def attribute_keyed_dict(attr_name: str, *,
                         ignore_unpopulated_attribute: bool = False) -> type[KeyFuncDict]:
    """A dict collection class keyed by each member's attribute ``attr_name``:
    ``notes: Mapped[dict[str, "Note"]] = relationship(
    collection_class=attribute_keyed_dict("keyword"))``."""
    def keyfunc(value: Any) -> Any:
        return getattr(value, attr_name)

    return keyfunc_mapping(keyfunc)


def column_keyed_dict(column: Any, *,
                      ignore_unpopulated_attribute: bool = False) -> type[KeyFuncDict]:
    """A dict collection class keyed by the member's attribute mapping ``column``."""
    name = getattr(column, "key", None) or getattr(column, "name", None)
    return attribute_keyed_dict(str(name))


def _new_collection(prop: Any, state: InstanceState | None, items: Iterable[Any]) -> Any:
    cls = prop.collection_class or list
    if cls is list or cls is InstrumentedList:
        coll: Any = InstrumentedList()
    elif cls is set or cls is InstrumentedSet:
        coll = InstrumentedSet()
    elif isinstance(cls, type) and issubclass(cls, KeyFuncDict):
        coll = cls()
    elif cls is dict:
        raise exc.ArgumentError(
            f"{prop}: a dict collection needs a key: use collection_class="
            "attribute_keyed_dict(\"name\") or keyfunc_mapping(fn)")
    elif isinstance(cls, type) and issubclass(cls, _Owned):
        coll = cls()
    else:
        raise exc.ArgumentError(
            f"{prop}: unsupported collection_class {cls!r}; use list, set, "
            "attribute_keyed_dict(...) or keyfunc_mapping(...)")
    for item in items:
        coll._sw_raw_add(item)
    coll._sw_bind(state, prop)
    return coll


def _items(value: Any) -> list[Any]:
    if value is NO_VALUE or value is None:
        return []
    if isinstance(value, dict):
        return list(value.values())
    return list(value)


def _contains(coll: Any, value: Any) -> bool:
    return any(item is value for item in _items(coll))


# -- change bookkeeping ----------------------------------------------------------------------------
def _record(state: InstanceState, key: str, before: Callable[[], Any]) -> None:
    if key not in state.committed_state:
        state._modified_event(key, before())
    elif not state.modified:
        state._modified_event(key, NO_VALUE)


def _attribute(prop: Any) -> Any:
    return prop.parent.class_manager.attributes[prop.key]


def _on_add(coll: Any, value: Any, backref: bool) -> Any:
    state = coll._sw_state
    prop = coll._sw_prop
    _check_type(prop, value)
    _record(state, prop.key, lambda: _items(coll))
    obj = state.obj()
    value = fire_append_event(obj, _attribute(prop), value)
    if backref and value is not None:
        _reverse_add(prop, value, obj)
    _cascade_add(state, prop, value)
    return value


def _on_remove(coll: Any, value: Any, backref: bool) -> None:
    state = coll._sw_state
    prop = coll._sw_prop
    _record(state, prop.key, lambda: _items(coll))
    obj = state.obj()
    fire_remove_event(obj, _attribute(prop), value)
    if backref and value is not None:
        _reverse_remove(prop, value, obj)


def _check_type(prop: Any, value: Any) -> None:
    if value is None:
        if prop.uselist:
            raise exc.ArgumentError(
                f"None can't be added to the collection {prop}; remove items instead")
        return
    if not prop.enable_typechecks:
        return
    target = prop.mapper.class_
    if not isinstance(value, target):
        raise exc.ArgumentError(
            f"{prop} holds {target.__name__} objects; got {type(value).__name__} "
            f"({value!r}). Pass a {target.__name__}")


def _cascade_add(state: InstanceState, prop: Any, value: Any) -> None:
    if value is None or "save-update" not in prop.cascade:
        return
    session = state.session
    if session is None:
        return
    child = _state(value)
    if child.session_id != session.hash_key and child.key is None:
        session.add(value)


def _reverse_add(prop: Any, target: Any, owner: Any) -> None:
    reverse = prop._reverse
    if reverse is None:
        return
    tstate = _state(target)
    if reverse.uselist:
        _collection_add(reverse, tstate, owner)
    else:
        _set_scalar(reverse, tstate, owner, backref_old=True)


def _reverse_remove(prop: Any, target: Any, owner: Any) -> None:
    reverse = prop._reverse
    if reverse is None:
        return
    tstate = _state(target)
    if reverse.uselist:
        _collection_remove(reverse, tstate, owner)
    elif tstate.dict.get(reverse.key, NO_VALUE) in (owner, NO_VALUE):
        _set_scalar(reverse, tstate, None, backref_old=False)


def _collection_add(prop: Any, state: InstanceState, value: Any) -> None:
    """Add ``value`` to ``prop``'s collection on ``state`` without touching the reverse."""
    coll = state.dict.get(prop.key, NO_VALUE)
    if coll is NO_VALUE:
        if state.key is None:
            coll = _new_collection(prop, state, [])
            state.dict[prop.key] = coll
        else:
            added, removed = _pending.setdefault(state, {}).setdefault(prop.key, ([], []))
            removed[:] = [v for v in removed if v is not value]
            if not any(v is value for v in added):
                added.append(value)
            _record(state, prop.key, lambda: NO_VALUE)
            return
    if not _contains(coll, value):
        coll._sw_raw_add(coll._sw_added(value, backref=False))


def _collection_remove(prop: Any, state: InstanceState, value: Any) -> None:
    coll = state.dict.get(prop.key, NO_VALUE)
    if coll is NO_VALUE:
        if state.key is not None:
            added, removed = _pending.setdefault(state, {}).setdefault(prop.key, ([], []))
            added[:] = [v for v in added if v is not value]
            if not any(v is value for v in removed):
                removed.append(value)
            _record(state, prop.key, lambda: NO_VALUE)
        return
    if _contains(coll, value):
        coll._sw_removed(value, backref=False)
        coll._sw_raw_remove(value)


def _set_scalar(prop: Any, state: InstanceState, value: Any, backref_old: bool) -> None:
    """Set a scalar relationship without firing the reverse for the new value; the old
    value's reverse scalar pointing back is cleared when ``backref_old``."""
    key = prop.key
    old = state.dict.get(key, NO_VALUE)
    if old is NO_VALUE and value is None and state.key is not None:
        # the flush must see what is removed to clear the foreign key: load the replaced
        # value (usually found in the identity map, without SQL)
        old = _load_replaced(prop, state)
    if old is value:
        return
    _record(state, key, lambda: old)
    obj = state.obj()
    listeners = _attribute(prop).dispatch.set
    if listeners:
        for fn in listeners:
            value = fn(obj, value, old, AttributeEventToken(_attribute(prop), "set"))
    state.dict[key] = value
    state.expired_attributes.discard(key)
    if backref_old and old is not NO_VALUE and old is not None and prop._reverse is not None:
        reverse = prop._reverse
        ostate = _state(old)
        if reverse.uselist:
            _collection_remove(reverse, ostate, obj)
        elif ostate.dict.get(reverse.key, NO_VALUE) in (obj, NO_VALUE):
            _set_scalar(reverse, ostate, None, backref_old=False)
    _cascade_add(state, prop, value)


def _load_replaced(prop: Any, state: InstanceState) -> Any:
    from sqlwright.orm.exc import DetachedInstanceError

    try:
        _load(prop, state)
    except DetachedInstanceError:
        return NO_VALUE
    return state.dict.get(prop.key, NO_VALUE)


# -- loading ---------------------------------------------------------------------------------------
def set_loaded_value(prop: Any, state: InstanceState, value: Any) -> None:
    """Store a loaded relationship value without history or events, then apply changes made
    to it while it was not loaded."""
    key = prop.key
    if prop.uselist:
        value = _new_collection(prop, state, _items(value))
    elif isinstance(value, (list, tuple)):
        value = value[0] if value else None
    state.dict[key] = value
    state.committed_state.pop(key, None)
    state.expired_attributes.discard(key)
    reverse = prop._reverse
    if reverse is not None and not reverse.uselist and prop.direction == "ONETOMANY":
        owner = state.obj()
        children = _items(value) if prop.uselist else [value] if value is not None else []
        for item in children:  # the children's many-to-one is known: no SQL later
            item.__dict__.setdefault(reverse.key, owner)
    changes = _pending.get(state, {}).pop(key, None)
    if changes is None or not prop.uselist:
        return
    added, removed = changes
    for item in removed:
        if _contains(value, item):
            value._sw_removed(item, backref=False)
            value._sw_raw_remove(item)
    for item in added:
        if not _contains(value, item):
            value._sw_raw_add(value._sw_added(item, backref=False))


def _load(prop: Any, state: InstanceState) -> Any:
    key = prop.key
    if prop.lazy in ("write_only", "dynamic"):  # a view over the rows; never stored
        return prop.strategy_for(prop.lazy).lazy_load(state)
    if state.key is None:
        if prop.uselist:
            coll = _new_collection(prop, state, [])
            for item in _pending.get(state, {}).pop(key, ([], []))[0]:
                coll._sw_raw_add(item)
            state.dict[key] = coll
            return coll
        return None
    strategy = prop.strategy_for_state(state)
    value = strategy.lazy_load(state)
    if key in state.dict:
        return state.dict[key]
    set_loaded_value(prop, state, value)
    return state.dict[key]


def relationship_history(prop: Any, state: InstanceState) -> History:
    """History of a relationship: objects added, unchanged, removed since load/flush."""
    key = prop.key
    current = state.dict.get(key, NO_VALUE)
    committed = state.committed_state
    if not prop.uselist:
        if key not in committed:
            return History((), () if current in (NO_VALUE, None) else (current,), ())
        old = committed[key]
        if old is current:
            return History((), () if current in (NO_VALUE, None) else (current,), ())
        return History(() if current in (NO_VALUE, None) else (current,), (),
                       () if old in (NO_VALUE, None) else (old,))
    if current is NO_VALUE:
        added, removed = _pending.get(state, {}).get(key, ([], []))
        return History(tuple(added), (), tuple(removed))
    items = _items(current)
    if key not in committed or (committed[key] is NO_VALUE and False):
        return History((), tuple(items), ())
    original = _items(committed[key])
    original_ids = {id(x) for x in original}
    current_ids = {id(x) for x in items}
    return History(tuple(x for x in items if id(x) not in original_ids),
                   tuple(x for x in items if id(x) in original_ids),
                   tuple(x for x in original if id(x) not in current_ids))


def clear_pending(state: InstanceState) -> None:
    """Forget not-yet-loaded collection changes of ``state`` (they were flushed)."""
    _pending.pop(state, None)


# -- the descriptor --------------------------------------------------------------------------------
class RelationshipAttribute(InstrumentedAttribute[_T]):
    """``User.posts``: on an instance the related object(s), loaded on first access; on the
    class a comparator for queries (``User.posts.any()``, ``Post.author == user``)."""

    _of_type: Any = None
    prop: Any

    def __get__(self, instance: object | None, owner: Any = None) -> Any:
        if instance is None:
            self.prop._ensure()
            return self
        try:
            return instance.__dict__[self.key]
        except KeyError:
            pass
        prop = self.prop
        prop._ensure()
        return _load(prop, _state(instance))

    def __set__(self, instance: object, value: Any) -> None:
        prop = self.prop
        prop._check_writable(self)
        prop._ensure()
        state = _state(instance)
        if prop.uselist:
            _replace_collection(prop, state, value)
            return
        _check_type(prop, value)
        old = state.dict.get(self.key, NO_VALUE)
        if old is NO_VALUE and state.key is not None and (
                prop.direction == "ONETOMANY" or prop.active_history) and state.session:
            old = self.__get__(instance)
        if old is value:
            return
        _set_scalar(prop, state, value, backref_old=True)
        if value is not None:
            _reverse_add(prop, value, instance)

    def __delete__(self, instance: object) -> None:
        self.__set__(instance, [] if self.prop.uselist else None)

    # -- SQL comparisons -------------------------------------------------------------------------
    def __clause_element__(self) -> Any:
        from sqlwright.orm.util import relationship_join_target

        self.prop._ensure()
        return relationship_join_target(self.prop, extra=getattr(self, "_extra_criteria", ()))

    def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
        from sqlwright.orm import dependency

        return dependency.compare(self, op, *other, **kw)

    def reverse_operate(self, op: Any, other: Any, **kw: Any) -> Any:
        return self.operate(op, other, **kw)

    def any(self, criterion: Any = None, **kwargs: Any) -> Any:
        """EXISTS for a collection: some related row matches ``criterion`` / ``kwargs``."""
        from sqlwright.orm import dependency

        return dependency.exists_related(self, "any", criterion, kwargs)

    def has(self, criterion: Any = None, **kwargs: Any) -> Any:
        """EXISTS for a scalar relationship: the related row matches ``criterion``."""
        from sqlwright.orm import dependency

        return dependency.exists_related(self, "has", criterion, kwargs)

    def contains(self, other: Any, **kw: Any) -> Any:  # type: ignore[override]
        """The collection contains the object ``other``."""
        from sqlwright.orm import dependency

        return dependency.contains(self, other)

    def of_type(self, entity: Any) -> Any:
        """This relationship targeting ``entity`` (a subclass or an alias of the target)."""
        from sqlwright.orm.util import of_type

        return of_type(self, entity)

    def and_(self, *criteria: Any) -> RelationshipAttribute[Any]:
        """This relationship with extra ON criteria (for joins and loader options)."""
        clone: RelationshipAttribute[Any] = RelationshipAttribute(
            self.class_, self.key, self.prop, self.parent)
        clone._of_type = self._of_type
        clone._extra_criteria = criteria  # type: ignore[attr-defined]
        return clone

    def __iter__(self) -> Iterator[Any]:
        raise TypeError(f"{self} is a relationship, not a collection: read it on an object")


def _replace_collection(prop: Any, state: InstanceState, value: Any) -> None:
    if isinstance(value, dict) and not isinstance(value, KeyFuncDict):
        new_items = list(value.values())
    else:
        new_items = list(value or ())
    for item in new_items:
        _check_type(prop, item)
    obj = state.obj()
    current = state.dict.get(prop.key, NO_VALUE)
    if current is NO_VALUE and state.key is not None and state.session is not None:
        current = _attribute(prop).__get__(obj)
    old_items = _items(current)
    _record(state, prop.key, lambda: old_items)
    new_ids = {id(x) for x in new_items}
    old_ids = {id(x) for x in old_items}
    coll = _new_collection(prop, state, [])
    for item in old_items:
        if id(item) not in new_ids:
            fire_remove_event(obj, _attribute(prop), item)
            _reverse_remove(prop, item, obj)
    for item in new_items:
        if id(item) in old_ids:
            coll._sw_raw_add(item)
            continue
        item = fire_append_event(obj, _attribute(prop), item)
        coll._sw_raw_add(item)
        _reverse_add(prop, item, obj)
        _cascade_add(state, prop, item)
    state.dict[prop.key] = coll
    state.expired_attributes.discard(prop.key)
