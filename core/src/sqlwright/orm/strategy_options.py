"""Loader options: how a query loads relationships and columns of the objects it returns.

``select(User).options(selectinload(User.posts).joinedload(Post.comments), defer(User.bio))``.
Each option is a :class:`Load`: a path of relationship steps (each with a strategy name, or
None to keep the configured one) ending at an entity, plus column rules (defer / undefer /
load_only) and nested options for that entity. When a query is planned the options are folded
into a tree of :class:`LoadNode` (one per entity reached), which the loading code reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from sqlwright import exc

__all__ = [
    "Load",
    "LoadNode",
    "contains_eager",
    "defaultload",
    "defer",
    "immediateload",
    "joinedload",
    "lazyload",
    "load_only",
    "noload",
    "raiseload",
    "selectin_polymorphic",
    "selectinload",
    "subqueryload",
    "undefer",
    "undefer_group",
]

WILDCARD = "*"


class _RelStep(NamedTuple):
    """One relationship hop of an option path; ``attr`` is the class attribute or ``"*"``."""

    attr: Any
    strategy: str | None
    opts: Mapping[str, Any]


class _ColumnRule(NamedTuple):
    """defer / undefer / load_only / undefer_group of columns of the entity an option ends at."""

    action: str
    attrs: tuple[Any, ...]
    raiseload: bool


def _is_wildcard(attr: Any) -> bool:
    return isinstance(attr, str) and attr == WILDCARD


def _mapper_of(entity: Any) -> Any:
    """The Mapper of a mapped class, an aliased class or a Mapper."""
    from sqlwright.inspection import inspect

    if getattr(entity, "is_mapper", False):
        return entity
    found = inspect(entity, raiseerr=False)
    mapper = getattr(found, "mapper", None)
    if mapper is None:
        raise exc.ArgumentError(
            f"Loader options need a mapped class or an aliased class, not {entity!r}")
    return mapper


def _describe(attr: Any) -> str:
    if _is_wildcard(attr):
        return "'*'"
    owner = getattr(getattr(attr, "class_", None), "__name__", "?")
    return f"{owner}.{getattr(attr, 'key', attr)}"


def _attr_parent(attr: Any) -> Any:
    """The Mapper an attribute belongs to (None for the wildcard)."""
    if _is_wildcard(attr):
        return None
    parent = getattr(attr, "parent", None)
    if not getattr(parent, "is_mapper", False):
        parent = getattr(parent, "mapper", None)
    if parent is None or getattr(attr, "prop", None) is None:
        raise exc.ArgumentError(
            f"Loader options take mapped class attributes such as User.posts (or '*'), not "
            f"{attr!r}")
    return parent


def _relationship_of(attr: Any) -> Any:
    prop = attr.prop
    if not getattr(prop, "_is_relationship", False):
        raise exc.ArgumentError(
            f"{_describe(attr)} is a column, not a relationship: relationship loader options "
            "(joinedload, selectinload, raiseload ...) take a relationship attribute; use "
            "defer() / undefer() / load_only() for columns")
    return prop


def _of_type_target(attr: Any) -> Any:
    """The entity of ``User.posts.of_type(Target)`` (an alias or subclass), else None."""
    found = vars(attr).get("entity") if hasattr(attr, "__dict__") else None
    if found is None and hasattr(attr, "__dict__"):
        found = vars(attr).get("_dest")
    return found


def _of_type_mapper(attr: Any, prop: Any) -> Any:
    """The target mapper of a step: ``User.posts.of_type(SpecialPost)`` narrows it."""
    target = _of_type_target(attr)
    if target is not None:
        return _mapper_of(target)
    return prop.mapper


class Load:
    """A loader option, and the generative builder of option paths.

    ``Load(User).joinedload(User.posts).selectinload(Post.comments)`` names its root entity;
    the module functions (``joinedload(User.posts)`` ...) build the same object with the root
    taken from the first attribute. Every method returns a new Load.
    """

    def __init__(self, entity: Any = None) -> None:
        self._root = _mapper_of(entity) if entity is not None else None
        self._steps: tuple[_RelStep, ...] = ()
        self._rules: tuple[_ColumnRule, ...] = ()
        self._children: tuple[Load, ...] = ()
        self._polymorphic: tuple[Any, ...] = ()

    def _copy(self) -> Load:
        new = Load.__new__(Load)
        new.__dict__ = dict(self.__dict__)
        return new

    def _ends_with_wildcard(self) -> bool:
        return bool(self._steps) and _is_wildcard(self._steps[-1].attr)

    def _step(self, attr: Any, strategy: str | None, **opts: Any) -> Load:
        if self._ends_with_wildcard() or self._rules:
            raise exc.ArgumentError(
                f"Can't continue the loader option after a wildcard or a column option; "
                f"start a new option for {_describe(attr)}, or nest it with .options(...)")
        if isinstance(attr, str) and attr != WILDCARD:
            raise exc.ArgumentError(
                f"Loader options take class attributes (User.posts), not the string {attr!r}; "
                "only the wildcard '*' is accepted as a string")
        new = self._copy()
        new._steps = (*self._steps, _RelStep(attr, strategy, dict(opts)))
        return new

    def _rule(self, action: str, attrs: Iterable[Any], raiseload: bool = False) -> Load:
        if self._ends_with_wildcard():
            raise exc.ArgumentError("Can't add a column option after a wildcard option")
        new = self._copy()
        new._rules = (*self._rules, _ColumnRule(action, tuple(attrs), raiseload))
        return new

    # -- relationship strategies ---------------------------------------------------------------
    def joinedload(self, attr: Any, *, innerjoin: bool = False) -> Load:
        """Load ``attr`` in the same SELECT with a LEFT OUTER JOIN (INNER with innerjoin)."""
        return self._step(attr, "joined", innerjoin=innerjoin)

    def selectinload(self, attr: Any, *, recursion_depth: int | None = None) -> Load:
        """Load ``attr`` for all parents with one more SELECT ... WHERE key IN (...).
        For a self-referential ``attr``, ``recursion_depth=N`` loads N levels (one SELECT
        per level); -1 loads every level, until one finds no rows."""
        if recursion_depth is not None:
            _check_depth(attr, recursion_depth)
        return self._step(attr, "selectin", recursion_depth=recursion_depth)

    def subqueryload(self, attr: Any) -> Load:
        """Load ``attr`` with one more SELECT joined to the original query as a subquery."""
        return self._step(attr, "subquery")

    def lazyload(self, attr: Any) -> Load:
        """Load ``attr`` with a SELECT on first access (the default)."""
        return self._step(attr, "select")

    def immediateload(self, attr: Any) -> Load:
        """Load ``attr`` with one SELECT per object right after the query."""
        return self._step(attr, "immediate")

    def noload(self, attr: Any) -> Load:
        """Never load ``attr``: it reads as empty (or None)."""
        return self._step(attr, "noload")

    def raiseload(self, attr: Any, *, sql_only: bool = False) -> Load:
        """Raise InvalidRequestError when ``attr`` would be lazy loaded (``sql_only``: only
        when loading would emit SQL; identity map hits are allowed)."""
        return self._step(attr, "raise_on_sql" if sql_only else "raise")

    def defaultload(self, attr: Any) -> Load:
        """Keep ``attr``'s configured strategy; used to reach options further down a path."""
        return self._step(attr, None)

    def contains_eager(self, attr: Any, *, alias: Any = None) -> Load:
        """Populate ``attr`` from the columns of a JOIN the query already has (its target
        table, or ``alias``)."""
        if alias is None:
            alias = _of_type_target(attr)
        return self._step(attr, "contains_eager", alias=alias)

    def selectin_polymorphic(self, classes: Iterable[Any]) -> Load:
        """After the query, load the own columns of the objects of these subclasses of the
        entity this option is at, with one ``SELECT ... WHERE pk IN (...)`` per subclass."""
        classes = list(classes)
        if not classes:
            raise exc.ArgumentError(
                "selectin_polymorphic() needs the list of subclasses whose columns to load")
        new = self._copy()
        new._polymorphic = (*self._polymorphic, *(_mapper_of(c) for c in classes))
        return new

    # -- columns -------------------------------------------------------------------------------
    def defer(self, attr: Any, *, raiseload: bool = False) -> Load:
        """Leave column ``attr`` out of the SELECT; it loads on first access."""
        return self._rule("defer", (attr,), raiseload)

    def undefer(self, attr: Any) -> Load:
        """Load a deferred column with the object."""
        return self._rule("undefer", (attr,))

    def undefer_group(self, name: str) -> Load:
        """Load every deferred column of group ``name`` with the object."""
        return self._rule("undefer_group", (name,))

    def load_only(self, *attrs: Any, raiseload: bool = False) -> Load:
        """Load only these columns (and the primary key); defer the others."""
        if not attrs:
            raise exc.ArgumentError("load_only() needs at least one column attribute")
        return self._rule("load_only", attrs, raiseload)

    def options(self, *opts: Load) -> Load:
        """Options relative to the entity this option ends at:
        ``selectinload(User.posts).options(joinedload(Post.comments), defer(Post.body))``."""
        for opt in opts:
            if not isinstance(opt, Load):
                raise exc.ArgumentError(f"options() takes loader options, not {opt!r}")
        new = self._copy()
        new._children = (*self._children, *opts)
        return new

    # -- resolution ----------------------------------------------------------------------------
    def _first_attr(self) -> Any:
        if self._steps:
            return self._steps[0].attr
        for rule in self._rules:
            if rule.action != "undefer_group" and rule.attrs:
                return rule.attrs[0]
        return WILDCARD

    def _root_mapper(self) -> Any:
        """The mapper this option starts from, or None for a wildcard applying to any."""
        if self._root is not None:
            return self._root
        first = self._first_attr()
        return None if _is_wildcard(first) else _attr_parent(first)

    def _apply(self, node: LoadNode) -> None:
        """Fold this option into the tree rooted at ``node`` (whose mapper it applies to)."""
        for step in self._steps:
            if _is_wildcard(step.attr):
                node.wildcard = (step.strategy or "select", step.opts)
                return
            prop = _relationship_of(step.attr)
            _check_links(node.mapper, step.attr)
            if step.strategy is not None:
                node.strategies[prop.key] = (step.strategy, step.opts)
            node = node.child(prop.key, _of_type_mapper(step.attr, prop))
            depth = step.opts.get("recursion_depth")
            if depth is not None and step.strategy is not None:
                _recurse(node, prop, step.strategy, step.opts, depth)
        for rule in self._rules:
            node.add_rule(rule)
        if self._polymorphic:
            node.add_polymorphic(self._polymorphic)
        for child in self._children:
            root = child._root_mapper()
            if root is not None and not _links(node.mapper, root):
                raise exc.ArgumentError(
                    f"The nested option {child!r} starts at {root.class_.__name__}, which is "
                    f"not the entity {node.mapper.class_.__name__} the enclosing option "
                    "reaches; nest only options on that entity's attributes")
            child._apply(node)

    def __repr__(self) -> str:
        parts = [f"{s.strategy or 'defaultload'}({_describe(s.attr)})" for s in self._steps]
        parts += [f"{r.action}({', '.join(map(_describe, r.attrs))})" for r in self._rules]
        if self._polymorphic:
            names = ", ".join(m.class_.__name__ for m in self._polymorphic)
            parts.append(f"selectin_polymorphic([{names}])")
        return ".".join(parts) or f"Load({self._root!r})"


def _recurse(node: LoadNode, prop: Any, strategy: str, opts: Mapping[str, Any],
             depth: int) -> None:
    """``selectinload(Node.children, recursion_depth=N)``: the same strategy for ``prop``
    on the next N - 1 levels below ``node`` (every level for -1: the node then loops back
    on itself, and loading stops where a level finds no rows)."""
    _check_depth(prop, depth)
    if not _links(node.mapper, prop.parent):
        raise exc.ArgumentError(
            f"recursion_depth is for self-referential relationships; {_describe(prop)} "
            f"leads to {prop.mapper.class_.__name__}. Chain the options level by level "
            "instead")
    if depth == -1:
        node.strategies[prop.key] = (strategy, opts)
        node.children[prop.key] = node
        return
    for _level in range(depth - 1):
        node.strategies[prop.key] = (strategy, opts)
        node = node.child(prop.key, node.mapper)


def _check_depth(attr: Any, depth: Any) -> None:
    if not isinstance(depth, int) or isinstance(depth, bool) or depth == 0 or depth < -1:
        raise exc.ArgumentError(
            f"recursion_depth={depth!r} for {_describe(attr)}: give a positive number of "
            "levels, or -1 to load every level")


def _links(mapper: Any, parent: Any) -> bool:
    """True when attributes of ``parent`` apply to objects of ``mapper``."""
    return bool(mapper.isa(parent) or parent.isa(mapper))


def _check_links(mapper: Any, attr: Any) -> None:
    parent = _attr_parent(attr)
    if not _links(mapper, parent):
        raise exc.ArgumentError(
            f"Attribute {_describe(attr)} does not link from {mapper.class_.__name__}: an "
            f"option path continues from the target of the previous step. Start a separate "
            f"option for {parent.class_.__name__}")


class LoadNode:
    """The options that apply to the entity reached at one path of a query.

    ``strategies`` maps a relationship key to ``(strategy name, options)``; ``wildcard`` is the
    strategy of every other relationship (or None); ``children`` the nodes one hop further.
    """

    def __init__(self, mapper: Any) -> None:
        self.mapper = mapper
        self.strategies: dict[str, tuple[str, Mapping[str, Any]]] = {}
        self.wildcard: tuple[str, Mapping[str, Any]] | None = None
        self.children: dict[str, LoadNode] = {}
        self.deferred: set[str] = set()
        self.undeferred: set[str] = set()
        self.undefer_groups: set[str] = set()
        self.only: set[str] | None = None
        self.defer_all = False
        self.undefer_all = False
        self.raise_keys: set[str] = set()
        self.raise_unloaded = False
        #: subclass mappers whose own columns load after the query (selectin_polymorphic)
        self.selectin_polymorphic: list[Any] = []

    def child(self, key: str, mapper: Any) -> LoadNode:
        """The node one hop further along relationship ``key`` (created when missing)."""
        found = self.children.get(key)
        if found is None:
            found = self.children[key] = LoadNode(mapper)
        return found

    def strategy_for(self, prop: Any) -> tuple[str, Mapping[str, Any]] | None:
        """The strategy an option gives relationship ``prop`` here, or None."""
        given = self.strategies.get(prop.key)
        if given is not None:
            return given
        return self.wildcard

    def add_rule(self, rule: _ColumnRule) -> None:
        """Record a defer / undefer / load_only / undefer_group rule."""
        if rule.action == "undefer_group":
            self.undefer_groups.update(rule.attrs)
            return
        keys = set()
        for attr in rule.attrs:
            if _is_wildcard(attr):
                if rule.action == "defer":
                    self.defer_all = True
                else:
                    self.undefer_all = True
                continue
            _check_links(self.mapper, attr)
            if getattr(attr.prop, "_is_relationship", False):
                raise exc.ArgumentError(
                    f"{_describe(attr)} is a relationship; {rule.action}() takes column "
                    "attributes. Use noload() / raiseload() / lazyload() for relationships")
            keys.add(attr.key)
        if rule.raiseload:
            if rule.action == "defer":
                self.raise_keys |= keys
            else:
                self.raise_unloaded = True
        if rule.action == "defer":
            self.deferred |= keys
            self.undeferred -= keys
        elif rule.action == "undefer":
            self.undeferred |= keys
            self.deferred -= keys
        elif rule.action == "load_only":
            self.only = keys if self.only is None else self.only | keys

    def add_polymorphic(self, mappers: Iterable[Any]) -> None:
        """Record ``selectin_polymorphic`` subclasses; each must inherit from this node's
        entity."""
        for sub in mappers:
            if sub is self.mapper or not sub.isa(self.mapper):
                raise exc.ArgumentError(
                    f"selectin_polymorphic(): {sub.class_.__name__} is not a subclass of "
                    f"{self.mapper.class_.__name__}; list mapped subclasses of the queried "
                    "class only")
            if sub not in self.selectin_polymorphic:
                self.selectin_polymorphic.append(sub)

    def column_keys(self) -> list[str] | None:
        """Keys of the column attributes to load, or None for the mapper's default set."""
        if not (self.deferred or self.undeferred or self.undefer_groups or self.only is not None
                or self.defer_all or self.undefer_all):
            return None
        keys = []
        for prop in self.mapper.column_attrs.values():
            key = prop.key
            if self.only is not None or self.defer_all:
                wanted = key in (self.only or ()) or key in self.undeferred
            else:
                wanted = not prop.deferred or self.undefer_all or key in self.undeferred \
                    or (prop.group is not None and prop.group in self.undefer_groups)
                wanted = wanted and key not in self.deferred
            if wanted:
                keys.append(key)
        return keys

    def raise_columns(self, loaded: Iterable[str]) -> frozenset[str]:
        """Column keys whose load on access must raise (``defer(..., raiseload=True)``,
        ``load_only(..., raiseload=True)``)."""
        keys = set(self.raise_keys)
        if self.raise_unloaded:
            loaded = set(loaded)
            keys |= {p.key for p in self.mapper.column_attrs.values() if p.key not in loaded}
        return frozenset(keys)

    def __repr__(self) -> str:
        return f"<LoadNode {self.mapper.class_.__name__} {self.strategies} {list(self.children)}>"


def _configure() -> None:
    from sqlwright.orm.relationships import configure_mappers

    configure_mappers()


def build_tree(mapper: Any, options: Iterable[Any]) -> LoadNode | None:
    """The LoadNode of the options that apply to a query entity of ``mapper``; None when no
    option applies to it."""
    _configure()
    node: LoadNode | None = None
    for opt in options:
        if not isinstance(opt, Load):
            continue
        root = opt._root_mapper()
        if root is not None and not _links(mapper, root):
            continue
        if node is None:
            node = LoadNode(mapper)
        opt._apply(node)
    return node


def check_roots(mappers: list[Any], options: Iterable[Any]) -> None:
    """Raise ArgumentError for an option whose root entity is not selected by the query."""
    _configure()
    for opt in options:
        if not isinstance(opt, Load):
            raise exc.ArgumentError(
                f"Select.options() takes loader options such as selectinload(User.posts), "
                f"not {opt!r}")
        root = opt._root_mapper()
        if root is None or any(_links(m, root) for m in mappers):
            continue
        names = ", ".join(m.class_.__name__ for m in mappers) or "none"
        raise exc.ArgumentError(
            f"The loader option {opt!r} starts at {root.class_.__name__}, which this query "
            f"does not select (its entities: {names}). Select {root.class_.__name__}, or "
            "reach it through a relationship path from a selected entity")


# -- module-level functions (unbound options) ---------------------------------------------------
def joinedload(attr: Any, *, innerjoin: bool = False) -> Load:
    """Load ``attr`` in the same SELECT with a LEFT OUTER JOIN (INNER JOIN with
    ``innerjoin=True``). A collection loaded this way needs ``.unique()`` on the result."""
    return Load().joinedload(attr, innerjoin=innerjoin)


def selectinload(attr: Any, *, recursion_depth: int | None = None) -> Load:
    """Load ``attr`` for all parents of the result with one more SELECT per level, using
    ``WHERE key IN (...)`` batched by 500 parents. For a self-referential ``attr``,
    ``recursion_depth=N`` loads N levels of it (-1: every level)."""
    return Load().selectinload(attr, recursion_depth=recursion_depth)


def subqueryload(attr: Any) -> Load:
    """Load ``attr`` with one more SELECT that joins the original query as a subquery."""
    return Load().subqueryload(attr)


def lazyload(attr: Any) -> Load:
    """Load ``attr`` with a SELECT on first access (the default strategy)."""
    return Load().lazyload(attr)


def immediateload(attr: Any) -> Load:
    """Load ``attr`` right after the query, one SELECT per object."""
    return Load().immediateload(attr)


def noload(attr: Any) -> Load:
    """Never load ``attr``; it reads as an empty collection or None."""
    return Load().noload(attr)


def raiseload(attr: Any, *, sql_only: bool = False) -> Load:
    """Make a lazy load of ``attr`` (or of every relationship with ``"*"``) raise
    InvalidRequestError naming the attribute."""
    return Load().raiseload(attr, sql_only=sql_only)


def defaultload(attr: Any) -> Load:
    """Keep ``attr``'s strategy; a starting point for options deeper in the path."""
    return Load().defaultload(attr)


def contains_eager(attr: Any, *, alias: Any = None) -> Load:
    """Populate ``attr`` from a JOIN the statement already has (``.join(User.posts)``)."""
    return Load().contains_eager(attr, alias=alias)


def defer(attr: Any, *, raiseload: bool = False) -> Load:
    """Leave the column ``attr`` out of the SELECT; it loads on first access."""
    return Load().defer(attr, raiseload=raiseload)


def undefer(attr: Any) -> Load:
    """Load the deferred column ``attr`` with its object."""
    return Load().undefer(attr)


def undefer_group(name: str) -> Load:
    """Load the deferred columns of group ``name`` with their object."""
    return Load().undefer_group(name)


def load_only(*attrs: Any, raiseload: bool = False) -> Load:
    """Load only these column attributes (and the primary key) of their entity."""
    return Load().load_only(*attrs, raiseload=raiseload)


def selectin_polymorphic(base: Any, classes: Iterable[Any]) -> Load:
    """For a query of ``base``: load the own columns of the returned objects of these
    subclasses (joined-table inheritance) right after the query, with one
    ``SELECT ... WHERE pk IN (...)`` per subclass, instead of on first access."""
    return Load(base).selectin_polymorphic(classes)


def _install_hook() -> None:
    from sqlwright.orm import context, strategies

    if strategies.polymorphic_loading_hook not in context.entity_loader_hooks:
        context.entity_loader_hooks.append(strategies.polymorphic_loading_hook)


_install_hook()
