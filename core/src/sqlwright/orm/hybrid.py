"""hybrid_property and hybrid_method: one definition used on instances and in queries.

On an instance the function runs on the object's values; on the class it runs with the class,
whose mapped attributes are SQL expressions, so it builds SQL (``User.full_name == "Ann Lee"``).
``@x.expression`` gives a different SQL version where Python and SQL must differ.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["hybrid_method", "hybrid_property"]

_T = TypeVar("_T")


def _as_named_expression(value: Any, name: str) -> Any:
    """Label a SQL expression with the hybrid's name so select() rows are keyed by it."""
    from sqlwright.sql.coercions import unwrap
    from sqlwright.sql.elements import ColumnElement

    element = unwrap(value)
    if isinstance(element, ColumnElement) and getattr(element, "key", None) != name:
        return element.label(name)
    return value


class _InPlace(Generic[_T]):
    """``@prop.inplace.setter`` etc.: decorators that change the hybrid itself (so the
    decorated helper function may have another name)."""

    def __init__(self, prop: hybrid_property[_T]) -> None:
        self._prop = prop

    def setter(self, fn: Callable[[Any, Any], None]) -> hybrid_property[_T]:
        self._prop.fset = fn
        return self._prop

    def deleter(self, fn: Callable[[Any], None]) -> hybrid_property[_T]:
        self._prop.fdel = fn
        return self._prop

    def expression(self, fn: Callable[[Any], Any]) -> hybrid_property[_T]:
        self._prop.expr = _unwrap_classmethod(fn)
        return self._prop

    def update_expression(self, fn: Callable[[Any, Any], Any]) -> hybrid_property[_T]:
        self._prop.update_expr = _unwrap_classmethod(fn)
        return self._prop


def _unwrap_classmethod(fn: Any) -> Any:
    return fn.__func__ if isinstance(fn, classmethod) else fn


class hybrid_property(Generic[_T]):
    """A property that also works on the class, as a SQL expression.

    ::

        class User(Base):
            first: Mapped[str]
            last: Mapped[str]

            @hybrid_property
            def full_name(self) -> str:
                return self.first + " " + self.last

    ``user.full_name`` is a string; ``select(User).where(User.full_name == "Ann Lee")`` is SQL.
    """

    is_attribute = True

    def __init__(self, fget: Callable[[Any], _T], fset: Callable[[Any, Any], None] | None = None,
                 fdel: Callable[[Any], None] | None = None,
                 expr: Callable[[Any], Any] | None = None,
                 update_expr: Callable[[Any, Any], Any] | None = None) -> None:
        self.fget = fget
        self.fset = fset
        self.fdel = fdel
        self.expr = _unwrap_classmethod(expr) if expr is not None else None
        self.update_expr = update_expr
        self.__name__ = getattr(fget, "__name__", "hybrid")
        self.__doc__ = fget.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        # With ``@x.inplace.expression`` the same object is bound to a second (helper) name
        # later in the class body; the first name is the hybrid's.
        if not self.__dict__.get("_named"):
            self.__name__ = name
            self._named = True

    @overload
    def __get__(self, instance: None, owner: type) -> Any: ...

    @overload
    def __get__(self, instance: object, owner: type) -> _T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            builder = self.expr if self.expr is not None else self.fget
            return _as_named_expression(builder(owner), self.__name__)
        return self.fget(instance)

    def __set__(self, instance: object, value: Any) -> None:
        if self.fset is None:
            raise AttributeError(
                f"hybrid_property {self.__name__!r} has no setter; add one with "
                f"@{self.__name__}.setter")
        self.fset(instance, value)

    def __delete__(self, instance: object) -> None:
        if self.fdel is None:
            raise AttributeError(f"hybrid_property {self.__name__!r} has no deleter")
        self.fdel(instance)

    def _copy(self, **kw: Any) -> hybrid_property[_T]:
        new = hybrid_property(self.fget, self.fset, self.fdel, self.expr, self.update_expr)
        for key, value in kw.items():
            setattr(new, key, value)
        new.__name__ = self.__name__
        return new

    @property
    def inplace(self) -> _InPlace[_T]:
        """Decorators that modify this hybrid in place: ``@full_name.inplace.expression``."""
        return _InPlace(self)

    def getter(self, fget: Callable[[Any], _T]) -> hybrid_property[_T]:
        """A copy with another getter."""
        return self._copy(fget=fget)

    def setter(self, fset: Callable[[Any, Any], None]) -> hybrid_property[_T]:
        """A copy with a setter: ``@full_name.setter``."""
        return self._copy(fset=fset)

    def deleter(self, fdel: Callable[[Any], None]) -> hybrid_property[_T]:
        """A copy with a deleter."""
        return self._copy(fdel=fdel)

    def expression(self, expr: Callable[[Any], Any]) -> hybrid_property[_T]:
        """A copy whose class-level (SQL) form is ``expr(cls)``."""
        return self._copy(expr=_unwrap_classmethod(expr))

    def update_expression(self, fn: Callable[[Any, Any], Any]) -> hybrid_property[_T]:
        """A copy with a function giving ``[(column, value), ...]`` for ORM update()."""
        return self._copy(update_expr=_unwrap_classmethod(fn))


class hybrid_method(Generic[_T]):
    """A method that also works on the class, building SQL: ``User.name_is("x")``."""

    def __init__(self, func: Callable[..., _T], expr: Callable[..., Any] | None = None) -> None:
        self.func = func
        self.expr = _unwrap_classmethod(expr) if expr is not None else None
        self.__name__ = getattr(func, "__name__", "hybrid")
        self.__doc__ = func.__doc__

    def __get__(self, instance: object | None, owner: type | None = None) -> Callable[..., Any]:
        if instance is None:
            builder = self.expr if self.expr is not None else self.func
            return builder.__get__(owner, type(owner))
        return self.func.__get__(instance, owner)

    def expression(self, expr: Callable[..., Any]) -> hybrid_method[_T]:
        """A copy whose class-level (SQL) form is ``expr``."""
        return hybrid_method(self.func, expr)
