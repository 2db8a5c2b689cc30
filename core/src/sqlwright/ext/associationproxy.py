"""association_proxy(): read and write an attribute of related objects as if it were a
collection (or value) of the parent: ``user.keywords`` for ``[link.keyword for link in
user.keyword_links]``, where appending a keyword creates the link object."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping, MutableSequence
from typing import Any, Generic, TypeVar, overload

from sqlwright import exc

__all__ = ["AssociationProxy", "AssociationProxyInstance", "association_proxy"]

_T = TypeVar("_T")


class AssociationProxy(Generic[_T]):
    """The descriptor :func:`association_proxy` returns.

    On an instance it returns a live view over the target collection (a list-like, set-like
    or dict-like proxy following the relationship's collection), or the proxied attribute of
    a scalar relationship; on the class, an object with ``any()``, ``has()``, ``contains()``
    and ``==`` for queries.
    """

    def __init__(self, target_collection: str, attr: str, *,
                 creator: Callable[..., Any] | None = None,
                 info: dict[str, Any] | None = None) -> None:
        self.target_collection = target_collection
        self.value_attr = attr
        self.creator = creator
        self.info = dict(info or {})
        self.key = f"_{type(self).__name__}_{target_collection}_{id(self)}"
        self.owner: type | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        self.owner = owner
        self.key = name

    @overload
    def __get__(self, obj: None, owner: Any) -> AssociationProxyInstance: ...

    @overload
    def __get__(self, obj: object, owner: Any) -> Any: ...

    def __get__(self, obj: object | None, owner: Any = None) -> Any:
        if obj is None:
            return AssociationProxyInstance(self, owner if owner is not None else self.owner)
        target = getattr(obj, self.target_collection)
        prop = self._prop(type(obj))
        if not prop.uselist:
            return None if target is None else getattr(target, self.value_attr)
        if isinstance(target, dict):
            return _ProxiedDict(self, obj, target)
        if isinstance(target, (set, frozenset)):
            return _ProxiedSet(self, obj, target)
        return _ProxiedList(self, obj, target)

    def __set__(self, obj: object, values: Any) -> None:
        prop = self._prop(type(obj))
        if not prop.uselist:
            target = getattr(obj, self.target_collection)
            if values is None:
                setattr(obj, self.target_collection, None)
            elif target is None:
                setattr(obj, self.target_collection, self._create(prop, values))
            else:
                setattr(target, self.value_attr, values)
            return
        view = self.__get__(obj, type(obj))
        view.clear()
        if isinstance(view, _ProxiedDict):
            view.update(values)
        else:
            for value in values:
                view._add(value)

    def _prop(self, cls: type) -> Any:
        from sqlwright.orm.base import class_mapper

        mapper = class_mapper(cls)
        prop = mapper.attrs.get(self.target_collection)
        if prop is None or not getattr(prop, "_is_relationship", False):
            raise exc.InvalidRequestError(
                f"association_proxy({self.target_collection!r}, {self.value_attr!r}) on "
                f"{cls.__name__}: {self.target_collection!r} is not a relationship of "
                f"{cls.__name__}; name one of: {', '.join(mapper.relationships) or 'none'}")
        prop._ensure()
        return prop

    def _create(self, prop: Any, *args: Any) -> Any:
        if self.creator is not None:
            return self.creator(*args)
        if len(args) == 2:  # dict proxies: (key, value)
            args = args[1:]
        return prop.mapper.class_(**{self.value_attr: args[0]})


def association_proxy(target_collection: str, attr: str, *,
                      creator: Callable[..., Any] | None = None,
                      info: dict[str, Any] | None = None) -> AssociationProxy[Any]:
    """Proxy ``attr`` of the objects in relationship ``target_collection``.

    ``creator(value)`` (``creator(key, value)`` for dict collections) makes the intermediate
    object when a value is added; by default the target class is called with
    ``attr=value``.
    """
    return AssociationProxy(target_collection, attr, creator=creator, info=info)


class AssociationProxyInstance:
    """``User.keywords`` on the class: query criteria through the proxied relationship."""

    def __init__(self, proxy: AssociationProxy[Any], owner: Any) -> None:
        self.proxy = proxy
        self.owner = owner

    @property
    def _relationship(self) -> Any:
        return getattr(self.owner, self.proxy.target_collection)

    @property
    def _remote_attr(self) -> Any:
        prop = self.proxy._prop(self.owner)
        return getattr(prop.mapper.class_, self.proxy.value_attr)

    def _exists(self, criterion: Any) -> Any:
        rel = self._relationship
        return rel.any(criterion) if rel.prop.uselist else rel.has(criterion)

    def any(self, criterion: Any = None, **kwargs: Any) -> Any:
        """Some proxied object matches: criterion on the proxied attribute's class."""
        remote = self._remote_attr
        if getattr(remote, "prop", None) is not None and getattr(
                remote.prop, "_is_relationship", False):
            inner = remote.any(criterion, **kwargs) if remote.prop.uselist else remote.has(
                criterion, **kwargs)
            return self._exists(inner)
        return self._exists(criterion)

    def has(self, criterion: Any = None, **kwargs: Any) -> Any:
        """Like any() for scalar proxied values."""
        remote = self._remote_attr
        if getattr(getattr(remote, "prop", None), "_is_relationship", False):
            return self._exists(remote.has(criterion, **kwargs))
        return self._exists(criterion)

    def contains(self, value: Any) -> Any:
        """The proxied collection holds ``value``."""
        return self._exists(self._remote_attr == value)

    def __eq__(self, value: object) -> Any:
        return self._exists(self._remote_attr == value)

    def __ne__(self, value: object) -> Any:
        from sqlwright.sql.expression import not_

        return not_(self.__eq__(value))

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<association proxy {self.owner.__name__}.{self.proxy.key}>"


class _Proxied:
    def __init__(self, proxy: AssociationProxy[Any], owner: object, target: Any) -> None:
        self._proxy = proxy
        self._owner = owner
        self._target = target

    def _get(self, obj: Any) -> Any:
        return getattr(obj, self._proxy.value_attr)

    def _make(self, *args: Any) -> Any:
        return self._proxy._create(self._proxy._prop(type(self._owner)), *args)

    def __len__(self) -> int:
        return len(self._target)

    def __bool__(self) -> bool:
        return len(self._target) > 0


class _ProxiedList(_Proxied, MutableSequence[Any]):
    """A list view of ``[getattr(o, attr) for o in collection]``."""

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._get(o) for o in self._target[index]]
        return self._get(self._target[index])

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, slice):
            self._target[index] = [self._make(v) for v in value]
        else:
            setattr(self._target[index], self._proxy.value_attr, value)

    def __delitem__(self, index: Any) -> None:
        del self._target[index]

    def insert(self, index: int, value: Any) -> None:
        self._target.insert(index, self._make(value))

    def _add(self, value: Any) -> None:
        self._target.append(self._make(value))

    def append(self, value: Any) -> None:
        self._add(value)

    def remove(self, value: Any) -> None:
        for obj in list(self._target):
            if self._get(obj) == value:
                self._target.remove(obj)
                return
        raise ValueError(f"{value!r} is not in the proxied collection")

    def clear(self) -> None:
        del self._target[:]

    def __iter__(self) -> Iterator[Any]:
        return (self._get(o) for o in list(self._target))

    def __contains__(self, value: object) -> bool:
        return any(self._get(o) == value for o in self._target)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Iterable) else False

    __hash__ = None  # type: ignore[assignment,unused-ignore]

    def __repr__(self) -> str:
        return repr(list(self))


class _ProxiedSet(_Proxied):
    """A set view of ``{getattr(o, attr) for o in collection}``."""

    def __iter__(self) -> Iterator[Any]:
        return (self._get(o) for o in list(self._target))

    def __contains__(self, value: object) -> bool:
        return any(self._get(o) == value for o in self._target)

    def _add(self, value: Any) -> None:
        if value not in self:
            self._target.add(self._make(value))

    add = _add

    def discard(self, value: Any) -> None:
        for obj in list(self._target):
            if self._get(obj) == value:
                self._target.discard(obj)

    def remove(self, value: Any) -> None:
        if value not in self:
            raise KeyError(value)
        self.discard(value)

    def clear(self) -> None:
        self._target.clear()

    def __eq__(self, other: object) -> bool:
        return set(self) == set(other) if isinstance(other, Iterable) else False

    __hash__ = None  # type: ignore[assignment,unused-ignore]

    def __repr__(self) -> str:
        return repr(set(self))


class _ProxiedDict(_Proxied, MutableMapping[Any, Any]):
    """A dict view ``{key: getattr(o, attr)}`` over a keyed-dict collection."""

    def __getitem__(self, key: Any) -> Any:
        return self._get(self._target[key])

    def __setitem__(self, key: Any, value: Any) -> None:
        if key in self._target:
            setattr(self._target[key], self._proxy.value_attr, value)
        else:
            self._target[key] = self._make(key, value)

    def __delitem__(self, key: Any) -> None:
        del self._target[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._target))

    def clear(self) -> None:
        self._target.clear()

    def __repr__(self) -> str:
        return repr(dict(self.items()))
