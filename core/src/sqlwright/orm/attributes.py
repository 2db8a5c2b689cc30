"""Attribute instrumentation: the descriptors on mapped classes and the class manager.

``User.name`` is an :class:`InstrumentedAttribute`. On an instance it reads and writes the
object's ``__dict__``, records the previous value for the unit of work and fires attribute
events; on the class it is a SQL expression (``User.name == "x"``) whose
``__clause_element__()`` is the mapped column *annotated* with its mapper (see
:func:`annotate`), so ORM statements can tell which entity a column belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlwright.event.base import dispatcher
from sqlwright.orm.base import NO_VALUE, STATE_ATTR, instance_state
from sqlwright.orm.mapper_events import AttributeEvents
from sqlwright.orm.state import History, InstanceState
from sqlwright.sql.operators import ColumnOperators

if TYPE_CHECKING:
    from sqlwright.orm.mapper import Mapper
    from sqlwright.orm.properties import MapperProperty

__all__ = [
    "AttributeEventToken",
    "ClassManager",
    "InstrumentedAttribute",
    "QueryableAttribute",
    "annotate",
    "fire_append_event",
    "fire_remove_event",
    "flag_modified",
    "get_history",
    "set_committed_value",
]

_T = TypeVar("_T")


# -- annotated clause elements ------------------------------------------------------------------
class _Annotated:
    """Mixin of an annotated copy of a clause element.

    The copy is an instance of a subclass of the element's own class that *shares* the
    element's ``__dict__``, so it renders, compares and caches exactly like the element; it only
    adds ``_annotations`` (``{"parententity": mapper, ...}``) and ``_deannotate()``.
    """

    __slots__ = ()
    _annotations: Mapping[str, Any]
    _sw_original: Any

    @property
    def _proxies(self) -> tuple[Any, ...]:
        return (self._sw_original,)

    def _deannotate(self) -> Any:
        """The original, unannotated element."""
        return self._sw_original

    def _clone(self) -> Any:
        new: Any = object.__new__(type(self))
        new.__dict__ = dict(self.__dict__)
        new._annotations = self._annotations
        new._sw_original = self._sw_original
        return new


class _AnnotatedFrom(_Annotated):
    """An annotated FROM object (a mapper's entity): its FROM object is the original table."""

    __slots__ = ()

    @property
    def _proxies(self) -> tuple[Any, ...]:
        return ()

    @property
    def _from_objects(self) -> list[Any]:
        return [self._sw_original]

    @property
    def _hide_froms(self) -> list[Any]:
        return []

    def __repr__(self) -> str:
        mapper = self._annotations.get("parententity")
        name = mapper.class_.__name__ if mapper is not None else "?"
        return f"<entity {name} of {self._sw_original!r}>"


_annotated_classes: dict[type, type] = {}


def annotate(element: Any, annotations: Mapping[str, Any]) -> Any:
    """An annotated copy of ``element`` (a column, label or table) carrying ``annotations``."""
    base = type(element)
    cls = _annotated_classes.get(base)
    if cls is None:
        mixin = _AnnotatedFrom if getattr(element, "_is_from_clause", False) else _Annotated
        cls = type(f"Annotated{base.__name__}", (mixin, base),
                   {"__slots__": ("_annotations", "_sw_original"),
                    "__module__": base.__module__})
        _annotated_classes[base] = cls
    new: Any = object.__new__(cls)
    new.__dict__ = element.__dict__
    new._annotations = dict(annotations)
    new._sw_original = element
    return new


# -- attribute events ---------------------------------------------------------------------------
class AttributeEventToken:
    """The ``initiator`` passed to attribute event listeners: which attribute, which operation."""

    __slots__ = ("impl", "key", "op", "parent_token")

    def __init__(self, attribute: QueryableAttribute[Any], op: str) -> None:
        self.impl = attribute
        self.key = attribute.key
        self.op = op
        self.parent_token = attribute

    def __repr__(self) -> str:
        return f"<AttributeEventToken {self.key!r} {self.op}>"


def _fire_chain(collection: Any, target: Any, value: Any, *args: Any) -> Any:
    for fn in collection:
        value = fn(target, value, *args)
    return value


def fire_append_event(obj: object, attribute: QueryableAttribute[Any], value: Any) -> Any:
    """Fire ``append`` listeners of ``attribute`` for ``value`` added to a collection of ``obj``;
    return the value to append (a ``retval=True`` listener may replace it)."""
    listeners = attribute.dispatch.append
    if not listeners:
        return value
    return _fire_chain(listeners, obj, value, AttributeEventToken(attribute, "append"))


def fire_remove_event(obj: object, attribute: QueryableAttribute[Any], value: Any) -> None:
    """Fire ``remove`` listeners of ``attribute`` for ``value`` removed from a collection."""
    listeners = attribute.dispatch.remove
    if listeners:
        listeners(obj, value, AttributeEventToken(attribute, "remove"))


# -- the descriptor -----------------------------------------------------------------------------
class QueryableAttribute(ColumnOperators, Generic[_T]):
    """A mapped attribute on the class: a SQL expression and the attribute's event target.

    ``User.name == "x"``, ``User.name.like("a%")``, ``User.id.desc()``, ``User.name.label("n")``
    build Core expressions from the annotated column; listeners attach with
    ``event.listen(User.name, "set", fn)``.
    """

    dispatch = dispatcher(AttributeEvents)
    is_attribute = True
    __hash__ = object.__hash__

    def __init__(self, class_: type, key: str, prop: MapperProperty, mapper: Mapper) -> None:
        self.class_ = class_
        self.key = key
        self.prop = prop
        self.parent = mapper
        self._clause: Any = None
        self.__doc__ = getattr(prop, "doc", None)
        #: The same attribute on subclass mappers (listeners with propagate=True reach them).
        self._sw_children: list[QueryableAttribute[Any]] = []

    def _adopt(self, child: QueryableAttribute[Any]) -> None:
        """Record ``child`` (a subclass mapper's attribute) and give it this attribute's
        ``propagate=True`` listeners."""
        self._sw_children.append(child)
        for name in ("set", "append", "remove"):
            for record in self.dispatch._listener_records(name):
                if record.propagate:
                    child._add_listener(record)

    def _add_listener(self, record: Any) -> None:
        self.dispatch._add(record)
        if record.propagate:
            for child in self._sw_children:
                child._add_listener(record)

    @property
    def mapper(self) -> Mapper:
        """The Mapper owning the attribute."""
        return self.parent

    @property
    def expression(self) -> Any:
        """The annotated SQL expression (same as ``__clause_element__()``)."""
        return self.__clause_element__()

    def __clause_element__(self) -> Any:
        clause = self._clause
        if clause is None:
            clause = self.prop._clause_for(self.parent)
            self._clause = clause
        return clause

    def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
        return op(self.__clause_element__(), *other, **kw)

    def reverse_operate(self, op: Any, other: Any, **kw: Any) -> Any:
        return op(other, self.__clause_element__(), **kw)

    def label(self, name: str | None) -> Any:
        """``<column> AS name`` for select()."""
        return self.__clause_element__().label(name)

    def cast(self, type_: Any) -> Any:
        """``CAST(<column> AS type_)``."""
        return self.__clause_element__().cast(type_)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return getattr(self.__clause_element__(), name)
        except AttributeError:
            raise AttributeError(
                f"Neither {self.class_.__name__}.{self.key} (an ORM attribute) nor its SQL "
                f"expression has an attribute {name!r}; check the spelling") from None

    def __repr__(self) -> str:
        return f"{self.class_.__name__}.{self.key}"

    # defined last: the name shadows the builtin for the rest of the class body
    @property
    def property(self) -> MapperProperty:
        """The MapperProperty behind this attribute."""
        return self.prop


class InstrumentedAttribute(QueryableAttribute[_T]):
    """The descriptor of a mapped attribute: class access gives the SQL expression, instance
    access the value (loading it when expired or deferred)."""

    def __get__(self, instance: object | None, owner: Any = None) -> Any:
        if instance is None:
            return self
        try:
            return instance.__dict__[self.key]
        except KeyError:
            pass
        return self._load_missing(instance)

    def __set__(self, instance: object, value: Any) -> None:
        self.prop._check_writable(self)
        key = self.key
        dict_ = instance.__dict__
        state = dict_.get(STATE_ATTR) or instance_state(instance)
        old = dict_.get(key, NO_VALUE)
        listeners = self.dispatch.set
        if listeners:
            value = _fire_chain(listeners, instance, value, old, AttributeEventToken(self, "set"))
        state._modified_event(key, old)
        dict_[key] = value
        expired = state._expired_attributes
        if expired:
            expired.discard(key)

    def __delete__(self, instance: object) -> None:
        key = self.key
        dict_ = instance.__dict__
        state = dict_.get(STATE_ATTR) or instance_state(instance)
        old = dict_.get(key, NO_VALUE)
        if old is NO_VALUE and state.key is None:
            raise AttributeError(f"{type(instance).__name__}.{key} has no value to delete")
        state._modified_event(key, old)
        dict_.pop(key, None)

    def _load_missing(self, instance: object) -> Any:
        state: InstanceState = instance.__dict__.get(STATE_ATTR) or instance_state(instance)
        key = self.key
        if state.key is None:
            return None  # a transient or pending object: unset scalars read as None
        keys = {key}
        keys.update(k for k in state.expired_attributes if not self.parent.attrs[k].deferred)
        keys.update(self.prop._group_keys())
        state._load_attributes(sorted(keys))
        return state.dict.get(key)


# -- the class manager --------------------------------------------------------------------------
class ClassManager:
    """Instrumentation of one mapped class: its attributes and how to make bare instances."""

    def __init__(self, class_: type, mapper: Mapper) -> None:
        self.class_ = class_
        self.mapper = mapper
        self.attributes: dict[str, InstrumentedAttribute[Any]] = {}

    def _new_state(self, obj: object) -> InstanceState:
        state = InstanceState(obj, self)
        obj.__dict__[STATE_ATTR] = state
        return state

    def new_instance(self, state: InstanceState | None = None) -> Any:
        """An instance made without calling ``__init__`` (for loading rows), with its state."""
        cls = self.class_
        new = cls.__new__
        obj = object.__new__(cls) if new is object.__new__ else new(cls)  # type: ignore[call-overload]
        self._new_state(obj)
        return obj

    def instrument(self, key: str, attribute: InstrumentedAttribute[Any]) -> None:
        """Install ``attribute`` on the class under ``key``."""
        self.attributes[key] = attribute
        setattr(self.class_, key, attribute)


    def __getitem__(self, key: str) -> InstrumentedAttribute[Any]:
        return self.attributes[key]

    def __contains__(self, key: object) -> bool:
        return key in self.attributes

    def __repr__(self) -> str:
        return f"<ClassManager of {self.class_.__name__}>"


# -- functions on objects -----------------------------------------------------------------------
def get_history(obj: object, key: str, passive: Any = None) -> History:
    """The History of attribute ``key`` of a mapped object (never loads)."""
    return instance_state(obj).get_history(key)


def set_committed_value(obj: object, key: str, value: Any) -> None:
    """Set ``key`` as if it had been loaded: no change is recorded and no event fires."""
    state = instance_state(obj)
    state._set_loaded({key: value})


def flag_modified(obj: object, key: str) -> None:
    """Mark ``key`` changed even though it was not set (a mutated JSON dict, say)."""
    state = instance_state(obj)
    if key not in state.mapper.attrs:
        from sqlwright import exc

        raise exc.InvalidRequestError(
            f"{type(obj).__name__} has no mapped attribute {key!r} to flag as modified")
    # NO_VALUE as the "previous" value makes the history report a change even when the new
    # value is the very same (mutated) object.
    state.committed_state[key] = NO_VALUE
    state._modified_event(key, NO_VALUE)


def flag_dirty(obj: object) -> None:
    """Mark the object dirty (it enters ``session.dirty``) without changing an attribute."""
    state = instance_state(obj)
    state.modified = True
    state._on_modified()
