"""Small shared pieces of the ORM: ``Mapped[T]``, the NO_VALUE marker, state and mapper lookups.

Each mapped object keeps its :class:`~sqlwright.orm.state.InstanceState` in
``obj.__dict__["_sw_state"]``; each mapped class keeps its Mapper in ``cls.__dict__["_sw_mapper"]``
(looked up through the MRO for subclasses of a mapped class that are not mapped themselves only
by :func:`_mapper_or_none`'s ``inherited=True``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from sqlwright.orm import exc as orm_exc

if TYPE_CHECKING:
    from sqlwright.orm.attributes import InstrumentedAttribute
    from sqlwright.orm.mapper import Mapper
    from sqlwright.orm.state import InstanceState

__all__ = [
    "Mapped",
    "NO_VALUE",
    "class_mapper",
    "instance_state",
    "object_mapper",
    "object_state",
]

_T = TypeVar("_T")

STATE_ATTR = "_sw_state"
MAPPER_ATTR = "_sw_mapper"


class _Symbol:
    """A named marker value (``NO_VALUE``) that is falsy and prints as its name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return self.name


#: An attribute that has no value loaded (never set, expired or deferred).
NO_VALUE: Any = _Symbol("NO_VALUE")


class Mapped(Generic[_T]):
    """The annotation of a mapped attribute: ``id: Mapped[int] = mapped_column(primary_key=True)``.

    To a type checker, ``user.id`` is an ``int`` and ``User.id`` a SQL expression (an
    :class:`~sqlwright.orm.attributes.InstrumentedAttribute`). ``Mapped[X | None]`` makes the
    column nullable. At run time the declarative scan replaces the annotated attribute with an
    InstrumentedAttribute; Mapped itself is only read as an annotation.
    """

    __slots__ = ()

    if TYPE_CHECKING:

        @overload
        def __get__(self, instance: None, owner: Any) -> InstrumentedAttribute[_T]: ...

        @overload
        def __get__(self, instance: object, owner: Any) -> _T: ...

        def __get__(self, instance: object | None, owner: Any) -> Any: ...

        def __set__(self, instance: Any, value: _T) -> None: ...

        def __delete__(self, instance: Any) -> None: ...


def instance_state(obj: object) -> InstanceState:
    """The InstanceState of a mapped object (created on first use).

    Raises UnmappedInstanceError when ``obj``'s class is not mapped.
    """
    try:
        return obj.__dict__[STATE_ATTR]
    except (KeyError, AttributeError):
        pass
    mapper = _mapper_or_none(type(obj))
    if mapper is None:
        raise orm_exc.UnmappedInstanceError(obj)
    return mapper.class_manager._new_state(obj)


def object_state(obj: object) -> InstanceState:
    """Same as :func:`instance_state`."""
    return instance_state(obj)


def _mapper_or_none(cls: Any) -> Mapper | None:
    if not isinstance(cls, type):
        return None
    return cls.__dict__.get(MAPPER_ATTR)


def class_mapper(class_: type, configure: bool = True) -> Mapper:
    """The Mapper of a mapped class; raises UnmappedClassError for anything else."""
    mapper = _mapper_or_none(class_)
    if mapper is None:
        if not isinstance(class_, type):
            raise orm_exc.UnmappedClassError(
                type(class_), f"class_mapper() takes a mapped class, got {class_!r}")
        raise orm_exc.UnmappedClassError(class_)
    return mapper


def object_mapper(instance: object) -> Mapper:
    """The Mapper of a mapped object's class; raises UnmappedInstanceError otherwise."""
    mapper = _mapper_or_none(type(instance))
    if mapper is None:
        raise orm_exc.UnmappedInstanceError(instance)
    return mapper


def state_str(state: InstanceState) -> str:
    """A short description of an object for messages: ``<User at 0x...>``."""
    obj = state.obj()
    if obj is None:
        return "<garbage collected object>"
    return f"<{type(obj).__name__} at 0x{id(obj):x}>"
