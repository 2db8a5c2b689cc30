"""The traversal contract every expression node follows.

A node class names its compiler rule with ``__visit_name__`` (the compiler calls
``visit_<name>``) and lists the attributes that make up its structure in ``_traverse_internals``
as ``(attribute, kind)`` pairs. Structural cache keys, copying and child iteration are all driven
by that one table, so a new node type is usually a class with two class attributes.

Kinds:

``"clause"``   a child node (or None)
``"clauses"``  a sequence of child nodes
``"plain"``    a hashable plain value (a string, a number, a tuple of those)
``"type"``     a TypeEngine
``"object"``   an object compared by identity (a Table, a Column's parent)
``"clause_pairs"``  a sequence of (key, node) pairs
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar

__all__ = ["CacheKey", "Visitable", "build_dispatch", "iterate"]


class Visitable:
    """Base of every node the compiler can visit."""

    __visit_name__: ClassVar[str] = "visitable"
    _traverse_internals: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: False for nodes whose structure cannot be keyed (then the statement is not cached).
    _cacheable: ClassVar[bool] = True

    __slots__ = ()

    def get_children(self) -> Iterator[Visitable]:
        """Yield the direct child nodes, in traversal order."""
        for attr, kind in self._traverse_internals:
            value = getattr(self, attr)
            if value is None:
                continue
            if kind == "clause":
                yield value
            elif kind == "clauses":
                yield from value
            elif kind == "clause_pairs":
                for _, node in value:
                    if isinstance(node, Visitable):
                        yield node

    def _gen_cache_key(self, bindparams: list[Any]) -> Any:
        """Return a hashable tuple describing this node's structure, values excluded.

        Bound parameters met on the way are appended to ``bindparams`` in traversal order, so a
        cached compiled form can take the values of a new statement of the same shape.
        Returns None when the structure cannot be keyed.
        """
        if not self._cacheable:
            return None
        key: list[Any] = [self.__class__]
        for attr, kind in self._traverse_internals:
            value = getattr(self, attr)
            if value is None:
                key.append(None)
            elif kind == "clause":
                sub = value._gen_cache_key(bindparams)
                if sub is None:
                    return None
                key.append(sub)
            elif kind == "clauses":
                subs = []
                for item in value:
                    sub = item._gen_cache_key(bindparams)
                    if sub is None:
                        return None
                    subs.append(sub)
                key.append(tuple(subs))
            elif kind == "clause_pairs":
                pairs = []
                for name, node in value:
                    if isinstance(node, Visitable):
                        sub = node._gen_cache_key(bindparams)
                        if sub is None:
                            return None
                    else:
                        sub = node
                    pairs.append((name, sub))
                key.append(tuple(pairs))
            elif kind == "type":
                key.append(value._static_cache_key)
            elif kind == "object":
                key.append(value)
            else:  # "plain"
                key.append(value)
        return tuple(key)


class CacheKey:
    """A statement's structural key plus the bound parameters found while building it."""

    __slots__ = ("bindparams", "key")

    def __init__(self, key: Any, bindparams: Sequence[Any]) -> None:
        self.key = key
        self.bindparams = bindparams

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CacheKey) and self.key == other.key

    def __repr__(self) -> str:
        return f"CacheKey(bindparams={len(self.bindparams)})"


def iterate(node: Visitable) -> Iterator[Visitable]:
    """Yield ``node`` and every node below it, depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current.get_children())))


def build_dispatch(cls: type) -> dict[str, Callable[..., Any]]:
    """Map visit names to ``visit_<name>`` methods for a compiler class, most derived first."""
    table: dict[str, Callable[..., Any]] = {}
    for klass in reversed(cls.__mro__):
        for attr, value in vars(klass).items():
            if attr.startswith("visit_") and callable(value):
                table[attr[6:]] = value
    return table
