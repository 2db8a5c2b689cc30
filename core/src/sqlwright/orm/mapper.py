"""The Mapper: how one class maps to a table.

A Mapper is built once per class (by the declarative scan or ``registry.map_imperatively``)
and then only read: the Session's flush and loading ask it for columns, primary keys, identity
keys and events. Construction is split into small ``_setup_*`` steps.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.inspection import _inspects, _self_inspects
from sqlwright.orm import exc as orm_exc
from sqlwright.orm.attributes import ClassManager, annotate
from sqlwright.orm.base import MAPPER_ATTR, STATE_ATTR, _mapper_or_none, instance_state
from sqlwright.orm.mapper_events import mapper_dispatch
from sqlwright.orm.properties import ColumnProperty, MappedColumn, MapperProperty
from sqlwright.sql.selectable import ColumnCollection

if TYPE_CHECKING:
    from sqlwright.event.base import Dispatch
    from sqlwright.orm.decl_api import registry as Registry

__all__ = ["Mapper", "Properties"]

_insert_counter = itertools.count(1)

#: Callables run before an instance of a mapped class is made (REL: configure_mappers()).
before_instance_hooks: list[Callable[[], None]] = []


class Properties(Mapping[str, Any]):
    """An ordered, read-only mapping of properties, also readable as attributes
    (``mapper.attrs.name``)."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        object.__setattr__(self, "_data", data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __getattr__(self, key: str) -> Any:
        try:
            return self._data[key]
        except KeyError:
            raise AttributeError(
                f"No mapped attribute {key!r}; the attributes are: "
                f"{', '.join(self._data) or 'none'}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __repr__(self) -> str:
        return f"Properties({', '.join(self._data)})"


class _EntityClauseElement:
    """``User.__clause_element__()`` on the class (never on instances): the mapper's entity."""

    def __get__(self, obj: object | None, owner: type) -> Callable[[], Any]:
        if obj is not None:
            raise AttributeError("__clause_element__")
        mapper = owner.__dict__.get(MAPPER_ATTR)
        if mapper is None:
            raise AttributeError("__clause_element__")
        return mapper.__clause_element__


@_self_inspects
class Mapper:
    """Maps ``class_`` to ``local_table``: columns to attributes, primary key, events.

    Keyword options match ``__mapper_args__``: ``properties`` (extra or overriding
    properties by key), ``primary_key`` (columns, when the table has none), ``version_id_col``
    and ``version_id_generator`` (optimistic locking; False for a counter the application
    sets), ``eager_defaults``, ``include_properties`` / ``exclude_properties``,
    ``column_prefix``, ``polymorphic_on`` / ``polymorphic_identity`` / ``inherits``
    (recorded for inheritance mapping).
    """

    is_mapper = True
    is_aliased_class = False

    def __init__(self, class_: type, local_table: Any = None, *,
                 properties: Mapping[str, Any] | None = None, primary_key: Any = None,
                 version_id_col: Any = None, version_id_generator: Any = None,
                 eager_defaults: Any = "auto", include_properties: Any = None,
                 exclude_properties: Any = None, column_prefix: str | None = None,
                 polymorphic_on: Any = None, polymorphic_identity: Any = None,
                 inherits: Any = None, concrete: bool = False, inherit_condition: Any = None,
                 with_polymorphic: Any = None, polymorphic_load: str | None = None,
                 polymorphic_abstract: bool = False, confirm_deleted_rows: bool = True,
                 passive_deletes: bool = False, passive_updates: bool = True,
                 batch: bool = True, always_refresh: bool = False,
                 registry: Registry | None = None) -> None:
        if _mapper_or_none(class_) is not None:
            raise exc.ArgumentError(
                f"Class {class_.__qualname__} is already mapped; a class is mapped once")
        self.class_ = class_
        self.registry = registry
        self._insert_order = next(_insert_counter)
        self.eager_defaults = eager_defaults
        self.confirm_deleted_rows = confirm_deleted_rows
        self.passive_deletes = passive_deletes
        self.passive_updates = passive_updates
        self.batch = batch
        self.always_refresh = always_refresh
        self.polymorphic_identity = polymorphic_identity
        self.polymorphic_load = polymorphic_load
        self.polymorphic_abstract = polymorphic_abstract
        self.with_polymorphic = with_polymorphic
        self._setup_inheritance(inherits, concrete)
        self._setup_table(local_table, inherit_condition)
        self._setup_properties(properties or {}, include_properties, exclude_properties,
                               column_prefix)
        self._setup_primary_key(primary_key)
        self._setup_polymorphic(polymorphic_on)
        self._setup_version_id(version_id_col, version_id_generator)
        self._setup_server_generated()
        self.configured = False
        self._instrument_class()

    # -- construction steps --------------------------------------------------------------------
    def _setup_inheritance(self, inherits: Any, concrete: bool) -> None:
        if inherits is not None and not isinstance(inherits, Mapper):
            inherits = _mapper_or_none(inherits)
            if inherits is None:
                raise exc.ArgumentError(
                    f"inherits= for {self.class_.__qualname__} must be a mapped class or Mapper")
        self.inherits: Mapper | None = inherits
        self.concrete = bool(concrete) and inherits is not None
        self.local_table: Any = None
        self._inheriting_mappers: list[Mapper] = []
        shares_rows = inherits is not None and not self.concrete
        self.base_mapper: Mapper = inherits.base_mapper if shares_rows else self
        self._identity_class: type = (inherits._identity_class if shares_rows
                                      else self.class_)
        if inherits is not None:
            inherits._inheriting_mappers.append(self)

    def _setup_table(self, local_table: Any, inherit_condition: Any) -> None:
        inherits = self.inherits
        self.single = False
        self.inherit_condition: Any = None
        self.persist_selectable: Any = None
        self.tables: list[Any] = []
        if inherits is not None and not self.concrete:
            if local_table is None or local_table is inherits.local_table:
                self.single = True  # single-table inheritance: the parent's table and rows
                self.local_table = inherits.local_table
                self.persist_selectable = inherits.persist_selectable
                self.tables = list(inherits.tables)
                return
            self.local_table = local_table
            self.inherit_condition = _inherit_condition(self, inherit_condition)
            self.persist_selectable = inherits.persist_selectable.join(
                local_table, self.inherit_condition)
            self.tables = [*inherits.tables, local_table]
            return
        if local_table is None:
            raise exc.ArgumentError(
                f"Mapper for {self.class_.__qualname__} needs a table: give __tablename__ "
                "(declarative) or a Table to map_imperatively()")
        self.local_table = local_table
        self.persist_selectable = local_table
        self.tables = [local_table]

    def _setup_properties(self, given: Mapping[str, Any], include: Any, exclude: Any,
                          prefix: str | None) -> None:
        props: dict[str, MapperProperty] = {}
        covered: set[int] = set()
        for key, value in given.items():
            prop = self._coerce_property(key, value)
            props[key] = prop
            if isinstance(prop, ColumnProperty):
                covered.update(id(c) for c in prop.columns)
        include_set = set(include) if include is not None else None
        exclude_set = set(exclude or ())
        inherited_columns = (self.inherits._columntoproperty if self.single and self.inherits
                             is not None else {})
        for column in self.local_table.c:
            if id(column) in covered or column in inherited_columns:
                continue
            key = f"{prefix or ''}{column.key}"
            if include_set is not None and column.key not in include_set and key not in \
                    include_set:
                continue
            if column.key in exclude_set or key in exclude_set or key in props:
                continue
            props[key] = ColumnProperty(column)
        if self.inherits is not None and not self.concrete:
            props = _merge_inherited(self.inherits, props)
        self._props: dict[str, MapperProperty] = {}
        self._columntoproperty: dict[Any, ColumnProperty[Any]] = {}
        for key, prop in props.items():
            self._add_prop(key, prop)

    def _coerce_property(self, key: str, value: Any) -> MapperProperty:
        if isinstance(value, MapperProperty):
            return value
        if isinstance(value, MappedColumn):
            return value.to_property()
        if getattr(value, "_is_column", False) or getattr(value, "__visit_name__", "") in (
                "column",):
            return ColumnProperty(value)
        if isinstance(value, (list, tuple)):
            return ColumnProperty(*value)
        raise exc.ArgumentError(
            f"properties[{key!r}] of {self.class_.__qualname__} must be a Column or a "
            f"MapperProperty (column_property(), relationship() ...), not {value!r}")

    def _add_prop(self, key: str, prop: MapperProperty) -> None:
        if prop.parent is None or not self._inherits_prop(prop):
            prop.set_parent(self, key)
        self._props[key] = prop
        if isinstance(prop, ColumnProperty) and not prop.is_expression:
            for column in prop.columns:
                self._columntoproperty.setdefault(column, prop)

    def _setup_primary_key(self, primary_key: Any) -> None:
        if primary_key is not None:
            columns = tuple(self._resolve_column(c, "primary_key") for c in primary_key)
        elif self.inherits is not None and not self.concrete:
            columns = tuple(self.inherits.primary_key)  # the base table's key identifies rows
        else:
            columns = tuple(self.local_table.primary_key.columns)
        if not columns:
            raise exc.ArgumentError(
                f"Mapper for class {self.class_.__qualname__} could not find any primary key "
                f"columns for table {getattr(self.local_table, 'name', self.local_table)!r}. "
                "Mark a column with mapped_column(primary_key=True) (or Column(..., "
                "primary_key=True)), or give __mapper_args__ = {'primary_key': [...]}")
        self.primary_key: tuple[Any, ...] = columns
        self._pks_by_table: dict[Any, list[Any]] = {
            t: list(t.primary_key.columns) or list(columns) for t in self.tables}
        self._pks_by_table[self.tables[0]] = [
            c for c in columns if c.table is self.tables[0]] or list(columns)
        missing = [c for c in columns if c not in self._columntoproperty]
        if missing:
            raise exc.ArgumentError(
                f"Mapper for {self.class_.__qualname__} excludes primary key column(s) "
                f"{', '.join(str(c.key) for c in missing)}; a mapper must map its primary key")

    def _resolve_column(self, value: Any, what: str) -> Any:
        if value is None:
            return None
        if isinstance(value, MappedColumn):
            return value.column
        if isinstance(value, str):
            prop = self._props.get(value)
            if isinstance(prop, ColumnProperty):
                return prop.columns[0]
            if value in self.local_table.c:
                return self.local_table.c[value]
            raise exc.ArgumentError(
                f"{what}={value!r} for {self.class_.__qualname__} names no column; the "
                f"columns are: {', '.join(self.local_table.c.keys())}")
        clause = getattr(value, "__clause_element__", None)
        if clause is not None and not getattr(value, "_is_column", False):
            value = clause()
        original = getattr(value, "_deannotate", None)
        return original() if original is not None else value

    def _setup_version_id(self, column: Any, generator: Any) -> None:
        self.version_id_col = self._resolve_column(column, "version_id_col")
        if self.version_id_col is not None and generator is None:
            generator = _next_version
        self.version_id_generator: Callable[[Any], Any] | bool | None = (
            generator if self.version_id_col is not None else None)

    def _setup_server_generated(self) -> None:
        self._server_default_cols: dict[Any, set[Any]] = {}
        self._server_onupdate_cols: dict[Any, set[Any]] = {}
        for table in self.tables:
            generated = []
            onupdate = []
            for column in table.c:
                if (getattr(column, "server_default", None) is not None
                        or getattr(column, "computed", None) is not None
                        or getattr(column, "identity", None) is not None):
                    generated.append(column)
                if (getattr(column, "server_onupdate", None) is not None
                        or getattr(column, "computed", None) is not None):
                    onupdate.append(column)
            self._server_default_cols[table] = set(generated)
            self._server_onupdate_cols[table] = set(onupdate)

    def _setup_polymorphic(self, polymorphic_on: Any) -> None:
        self.polymorphic_on = self._resolve_column(polymorphic_on, "polymorphic_on")
        inherits = self.inherits
        shares_rows = inherits is not None and not self.concrete
        if self.polymorphic_on is None and shares_rows:
            self.polymorphic_on = inherits.polymorphic_on  # type: ignore[union-attr]
        self.polymorphic_map: dict[Any, Mapper] = (
            inherits.polymorphic_map if shares_rows else {})  # type: ignore[union-attr]
        identity = self.polymorphic_identity
        if identity is None:
            return
        if self.polymorphic_on is None:
            if self.concrete:
                self._register_concrete_identity(identity)
                return  # a concrete class is told apart by its own table
            raise exc.ArgumentError(
                f"{self.class_.__qualname__} has polymorphic_identity={identity!r} but no "
                "polymorphic_on column to store it in; give the base class "
                "__mapper_args__ = {'polymorphic_on': <discriminator column>}")
        other = self.polymorphic_map.get(identity)
        if other is not None and other is not self:
            raise exc.ArgumentError(
                f"polymorphic_identity {identity!r} of {self.class_.__qualname__} is already "
                f"used by {other.class_.__qualname__}; give each class its own identity")
        self.polymorphic_map[identity] = self

    def _register_concrete_identity(self, identity: Any) -> None:
        """Make a concrete subclass's identity known to the ancestors that load it from a
        polymorphic union (``with_polymorphic=("*", polymorphic_union(...))``)."""
        current = self.inherits
        while current is not None:
            if current.polymorphic_on is not None:
                other = current.polymorphic_map.get(identity)
                if other is not None and other is not self:
                    raise exc.ArgumentError(
                        f"polymorphic_identity {identity!r} of {self.class_.__qualname__} is "
                        f"already used by {other.class_.__qualname__}; give each class its "
                        "own identity")
                current.polymorphic_map[identity] = self
            current = current.inherits

    @property
    def _concrete_union(self) -> Any:
        """The polymorphic union this mapper loads from (``with_polymorphic=("*", union)``
        given to a concrete hierarchy's base), or None."""
        wp = self.with_polymorphic
        if not isinstance(wp, (tuple, list)) or len(wp) != 2 or wp[1] is None:
            return None
        if not any(m.concrete for m in self.self_and_descendants):
            return None
        return wp[1]

    def _concrete_entity_columns(self) -> list[tuple[str, Any]]:
        """``(attribute key, union column)`` for every column attribute of this mapper and
        its descendants found in the polymorphic union, then the discriminator."""
        union = self._concrete_union
        out: list[tuple[str, Any]] = []
        seen: set[str] = set()
        for mapper in self.self_and_descendants:
            for prop in mapper._column_props_for_load():
                column = prop.columns[0]
                name = getattr(column, "key", None)
                if prop.key in seen or prop.is_expression or name not in union.c:
                    continue
                seen.add(prop.key)
                out.append((prop.key, annotate(union.c[name], {
                    "parententity": self, "parentmapper": self, "proxy_key": prop.key})))
        key = self._polymorphic_key
        if key is not None and key not in seen:
            out.append((key, self.polymorphic_on))
        return out

    def _instrument_class(self) -> None:
        cls = self.class_
        self.class_manager = ClassManager(cls, self)
        type.__setattr__(cls, MAPPER_ATTR, self)
        type.__setattr__(cls, "__mapper__", self)
        type.__setattr__(cls, "__clause_element__", _EntityClauseElement())
        for prop in self._props.values():
            if prop._is_relationship and prop.parent is not self:
                continue  # an inherited relationship keeps the parent's descriptor
            prop.instrument_class(self)
        _wrap_init(cls, self)
        _inspects(cls)(instance_state)

    # -- public reading API ----------------------------------------------------------------
    @property
    def dispatch(self) -> Dispatch:
        """Mapper and instance event listeners for this class."""
        return mapper_dispatch(self.class_)

    @property
    def attrs(self) -> Properties:
        """Every MapperProperty by attribute key, in mapping order."""
        return Properties(self._props)

    @property
    def column_attrs(self) -> Properties:
        """The ColumnProperty objects by key."""
        return Properties({k: p for k, p in self._props.items() if isinstance(p, ColumnProperty)})

    @property
    def relationships(self) -> Properties:
        """Relationship properties by key (empty until relationships are mapped)."""
        return Properties({k: p for k, p in self._props.items() if p._is_relationship})

    @property
    def columns(self) -> ColumnCollection:
        """Attribute key -> mapped column (or SQL expression of a column_property)."""
        return ColumnCollection((k, p.columns[0]) for k, p in self._props.items()
                                if isinstance(p, ColumnProperty))

    c = columns

    @property
    def all_orm_descriptors(self) -> Properties:
        """Mapped attributes plus hybrid properties, by name."""
        from sqlwright.orm.hybrid import hybrid_method, hybrid_property

        out: dict[str, Any] = {k: self.class_manager.attributes[k] for k in self._props
                               if k in self.class_manager.attributes}
        for klass in reversed(self.class_.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, (hybrid_property, hybrid_method)):
                    out[name] = value
        return Properties(out)

    @property
    def selectable(self) -> Any:
        """The FROM object queries select from: the table, or for a joined-table subclass the
        join of its tables."""
        return self.persist_selectable

    @property
    def entity(self) -> type:
        """The mapped class."""
        return self.class_

    @property
    def mapper(self) -> Mapper:
        """The mapper itself (so ``inspect(User).mapper`` works like on aliases)."""
        return self

    def get_property(self, key: str) -> MapperProperty:
        """The property named ``key``; raises InvalidRequestError naming the known ones."""
        try:
            return self._props[key]
        except KeyError:
            raise exc.InvalidRequestError(
                f"Mapper for {self.class_.__qualname__} has no property {key!r}; its "
                f"properties are: {', '.join(self._props)}") from None

    def get_property_by_column(self, column: Any) -> ColumnProperty[Any]:
        """The ColumnProperty mapping ``column``."""
        original = getattr(column, "_deannotate", None)
        if original is not None:
            column = original()
        try:
            return self._columntoproperty[column]
        except KeyError:
            raise orm_exc.UnmappedColumnError(
                f"Column {column!r} is not mapped by {self.class_.__qualname__}") from None

    def add_property(self, key: str, prop: Any) -> None:
        """Map one more attribute after construction (inheriting mappers get it too)."""
        prop = self._coerce_property(key, prop)
        self._add_prop(key, prop)
        prop.instrument_class(self)
        for sub in self._inheriting_mappers:
            if not sub.concrete and key not in sub._props:
                sub._adopt_inherited(key, prop)

    def _adopt_inherited(self, key: str, prop: MapperProperty) -> None:
        self._props[key] = prop
        if isinstance(prop, ColumnProperty) and not prop.is_expression:
            for column in prop.columns:
                self._columntoproperty.setdefault(column, prop)
        if not prop._is_relationship:
            prop.instrument_class(self)
        for sub in self._inheriting_mappers:
            if not sub.concrete and key not in sub._props:
                sub._adopt_inherited(key, prop)

    def _inherits_prop(self, prop: MapperProperty) -> bool:
        """True when ``prop`` belongs to an ancestor mapper this one shares rows with."""
        current = self.inherits if not self.concrete else None
        while current is not None:
            if prop.parent is current:
                return True
            current = current.inherits if not current.concrete else None
        return False

    # -- inheritance ------------------------------------------------------------------------
    @property
    def self_and_descendants(self) -> list[Mapper]:
        """This mapper and every mapper inheriting from it, depth first."""
        out: list[Mapper] = [self]
        for sub in self._inheriting_mappers:
            out.extend(sub.self_and_descendants)
        return out

    @property
    def iterate_to_root(self) -> list[Mapper]:
        """This mapper, its parent, ... up to the base mapper."""
        out: list[Mapper] = []
        current: Mapper | None = self
        while current is not None:
            out.append(current)
            current = current.inherits
        return out

    @property
    def polymorphic_identities(self) -> list[Any]:
        """The discriminator values of this mapper and its (non-concrete) descendants."""
        return [m.polymorphic_identity for m in self.self_and_descendants
                if m.polymorphic_identity is not None
                and (m is self or not m.concrete)]

    @property
    def _single_table_criterion(self) -> Any:
        """``discriminator IN (identities)`` for a single-table subclass, else None."""
        if not self.single or self.polymorphic_on is None:
            return None
        identities = self.polymorphic_identities
        if not identities:
            return None
        return self.polymorphic_on.in_(identities)

    @property
    def _polymorphic_key(self) -> str | None:
        """The attribute key of the discriminator column, or None."""
        column = self.polymorphic_on
        if column is None:
            return None
        prop = self._columntoproperty.get(column)
        if prop is None and self._concrete_union is not None:
            return _UNION_DISCRIMINATOR  # read from the union, stored on no attribute
        return prop.key if prop is not None else None

    def _polymorphic_mapper_for(self, value: Any) -> Mapper:
        """The mapper whose objects a row with discriminator ``value`` makes (this mapper
        itself, or a descendant)."""
        if value is None:
            return self
        found = self.polymorphic_map.get(value)
        if found is None:
            raise _unknown_identity(self, value)
        return found if found.isa(self) else self

    def _expire_unloaded(self, state: Any, loaded: Any) -> None:
        """Mark this mapper's (non-deferred) column attributes missing from ``loaded`` as
        expired, so a polymorphic load fetches the subclass's columns on first access."""
        loaded_keys = set(loaded)
        for key, prop in self._props.items():
            if isinstance(prop, ColumnProperty) and not prop.deferred \
                    and key not in loaded_keys and key not in state.dict:
                state.expired_attributes.add(key)

    def _set_polymorphic_identity(self, state: Any) -> None:
        """Store this mapper's discriminator value on a new object (when it has none)."""
        key = self._polymorphic_key
        if key is None or self.polymorphic_identity is None or key not in self._props:
            return
        if state.dict.get(key) is None:
            state.dict[key] = self.polymorphic_identity

    def isa(self, other: Mapper) -> bool:
        """True when this mapper is ``other`` or inherits from it."""
        current: Mapper | None = self
        while current is not None:
            if current is other:
                return True
            current = current.inherits
        return False

    def _column_props_for_load(self, undefer: Any = ()) -> list[ColumnProperty[Any]]:
        """The column properties a plain ``select(Class)`` loads (deferred ones left out
        unless their key is in ``undefer``)."""
        return [p for p in self._props.values() if isinstance(p, ColumnProperty)
                and (not p.deferred or p.key in undefer)]

    # -- entity for statements -----------------------------------------------------------------
    def __clause_element__(self) -> Any:
        entity = self.__dict__.get("_entity")
        if entity is None:
            annotations: dict[str, Any] = {
                "parententity": self, "parentmapper": self, "entity_namespace": self}
            union = self._concrete_union
            if union is not None:  # a concrete base: every subclass's rows, from the union
                annotations["sw_entity_columns"] = self._concrete_entity_columns
                annotations["sw_concrete_union"] = union
            entity = annotate(union if union is not None else self.persist_selectable,
                              annotations)
            self.__dict__["_entity"] = entity
        return entity

    # -- identity -------------------------------------------------------------------------------
    def identity_key_from_primary_key(self, primary_key: Any, identity_token: Any = None
                                      ) -> tuple[type, tuple[Any, ...], Any]:
        """``(class, pk tuple, token)`` from a primary key value or tuple of values."""
        if not isinstance(primary_key, (tuple, list)):
            primary_key = (primary_key,)
        return (self._identity_class, tuple(primary_key), identity_token)

    def identity_key_from_row(self, row: Any, identity_token: Any = None,
                              adapter: Callable[[Any], Any] | None = None
                              ) -> tuple[type, tuple[Any, ...], Any]:
        """The identity key of the object a result row holds (``adapter`` maps each primary
        key column to the column of the statement that carries it)."""
        mapping = getattr(row, "_mapping", row)
        columns = self.primary_key if adapter is None else [adapter(c) for c in self.primary_key]
        return (self._identity_class, tuple(mapping[c] for c in columns), identity_token)

    def primary_key_from_instance(self, instance: object) -> tuple[Any, ...]:
        """The primary key values of ``instance`` (loading them if expired)."""
        return tuple(getattr(instance, self._columntoproperty[c].key) for c in self.primary_key)

    def identity_key_from_instance(self, instance: object) -> tuple[type, tuple[Any, ...], Any]:
        """The identity key ``instance`` has, or would have, from its primary key values."""
        return (self._identity_class, self.primary_key_from_instance(instance), None)


    def _pk_attr_keys(self) -> list[str]:
        return [self._columntoproperty[c].key for c in self.primary_key]

    def __repr__(self) -> str:
        return f"<Mapper {self.class_.__qualname__} -> {self.local_table.description}>"


#: The row key under which a polymorphic union's discriminator is read.
_UNION_DISCRIMINATOR = "_sw_union_discriminator"


def _next_version(current: Any) -> Any:
    return (current or 0) + 1


def _wrap_init(cls: type, mapper: Mapper) -> None:
    """Give ``cls`` an ``__init__`` that creates the state and fires ``init`` first."""
    original = cls.__init__  # type: ignore[misc]
    if getattr(original, "_sw_wrapped_for", None) is cls:
        return
    original = getattr(original, "_sw_original_init", original)
    manager = mapper.class_manager
    dispatch = mapper.dispatch  # one object per class; its listener tuples are updated in place

    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if STATE_ATTR not in self.__dict__:
            state = manager._new_state(self)
            if mapper.polymorphic_identity is not None:
                mapper._set_polymorphic_identity(state)
        if before_instance_hooks:  # REL: relationships not yet set up configure here
            for hook in list(before_instance_hooks):
                hook()
        if dispatch.init:
            dispatch.init(self, args, kwargs)
        original(self, *args, **kwargs)

    __init__._sw_wrapped_for = cls  # type: ignore[attr-defined]
    __init__._sw_original_init = original  # type: ignore[attr-defined]
    type.__setattr__(cls, "__init__", __init__)


def _unknown_identity(mapper: Mapper, value: Any) -> Exception:
    known = ", ".join(repr(k) for k in mapper.polymorphic_map) or "none"
    return exc.InvalidRequestError(
        f"A row for {mapper.class_.__qualname__} has discriminator value {value!r}, which no "
        f"mapped class declares (known: {known}). Map a subclass with __mapper_args__ = "
        f"{{'polymorphic_identity': {value!r}}}, or fix the row")


def _inherit_condition(mapper: Mapper, given: Any) -> Any:
    """The ON clause joining a joined-table subclass's table to its parent's tables."""
    from sqlwright.sql.fromclause import join_condition

    inherits = mapper.inherits
    assert inherits is not None
    if given is not None:
        clause = getattr(given, "__clause_element__", None)
        return clause() if clause is not None and not hasattr(given, "compare") else given
    try:
        return join_condition(inherits.persist_selectable, mapper.local_table)
    except exc.ArgumentError as err:
        raise exc.ArgumentError(
            f"Can't join table {mapper.local_table.description!r} of "
            f"{mapper.class_.__qualname__} to its parent {inherits.class_.__qualname__}'s "
            f"table: {err}. Give the subclass's primary key a ForeignKey to the parent's "
            "primary key, or pass __mapper_args__ = {'inherit_condition': ...}; for a "
            "table of its own with no link, use {'concrete': True}") from None


def _merge_inherited(parent: Mapper, own: dict[str, MapperProperty]
                     ) -> dict[str, MapperProperty]:
    """The parent's properties followed by this mapper's; a column attribute both map (the
    joined subclass's key column) maps the subclass's column first, then the parent's."""
    merged: dict[str, MapperProperty] = {}
    for key, prop in parent._props.items():
        mine = own.get(key)
        if mine is None:
            merged[key] = prop
        elif (isinstance(mine, ColumnProperty) and isinstance(prop, ColumnProperty)
              and not mine.is_expression and not prop.is_expression
              and mine.parent is None):
            mine.columns = [*mine.columns, *[c for c in prop.columns if c not in mine.columns]]
            merged[key] = mine
        else:
            merged[key] = mine
    for key, prop in own.items():
        merged.setdefault(key, prop)
    return merged
