"""Reading a declarative class body into a Table and a Mapper.

:func:`map_declaratively` collects the mapped attributes of a class and of its mixins and
abstract bases (annotations and assigned values, in declaration order), turns ``Mapped[...]``
annotations into column types and nullability, builds the Table from ``__tablename__`` and
``__table_args__``, optionally makes the class a dataclass, and creates the Mapper with
``__mapper_args__``.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import inspect
import sys
import types
import typing
import uuid
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

from sqlwright import exc
from sqlwright.orm.base import Mapped, _mapper_or_none
from sqlwright.orm.exc import MappedAnnotationError
from sqlwright.orm.mapper import Mapper
from sqlwright.orm.properties import (
    ColumnProperty,
    MappedColumn,
    MappedSQLExpression,
    MapperProperty,
    _DataclassArgs,
)
from sqlwright.schema import Column, Table
from sqlwright.types.base import NullType, TypeEngine, to_instance

if TYPE_CHECKING:
    from sqlwright.orm.decl_api import registry as Registry

__all__ = ["DEFAULT_TYPE_MAP", "map_declaratively", "resolve_annotation_type"]

_MISSING: Any = object()


def _default_type_map() -> dict[Any, Any]:
    from sqlwright import types as t

    return {
        bool: t.Boolean, int: t.Integer, float: t.Float, str: t.String,
        decimal.Decimal: t.Numeric, datetime.datetime: t.DateTime, datetime.date: t.Date,
        datetime.time: t.Time, datetime.timedelta: t.Interval, bytes: t.LargeBinary,
        uuid.UUID: t.Uuid, dict: t.JSON, list: t.JSON,
    }


#: Python type -> SQL type used when a ``Mapped[...]`` annotation names no explicit type.
DEFAULT_TYPE_MAP: dict[Any, Any] = _default_type_map()


class _Unresolved:
    """A string annotation that could not be evaluated yet (a forward reference)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


# -- annotations --------------------------------------------------------------------------------
def _eval_annotation(annotation: Any, owner: type, cls: type) -> Any:
    if not isinstance(annotation, str):
        return annotation
    module = sys.modules.get(owner.__module__)
    globalns = dict(vars(module)) if module is not None else {}
    import sqlwright.orm as orm_pkg

    for name in ("Mapped", "Optional", "Union", "List", "Dict", "Annotated"):
        globalns.setdefault(name, getattr(orm_pkg, name, None) or getattr(typing, name))
    localns = dict(vars(cls))
    localns.setdefault(cls.__name__, cls)
    try:
        return eval(annotation, globalns, localns)
    except Exception:
        text = annotation.strip()
        if text.startswith("Mapped[") and text.endswith("]"):
            return Mapped[_Unresolved(text[7:-1])]  # type: ignore[misc]
        return _Unresolved(text)


def _mapped_inner(annotation: Any) -> tuple[bool, Any]:
    """(is a Mapped annotation, the type inside Mapped[...])."""
    origin = typing.get_origin(annotation)
    if isinstance(origin, type) and issubclass(origin, Mapped):
        args = typing.get_args(annotation)
        return True, args[0] if args else _MISSING
    if isinstance(annotation, type) and issubclass(annotation, Mapped):
        return True, _MISSING
    return False, None


def _split_optional(pytype: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(pytype)
    if origin is Union or (sys.version_info >= (3, 10) and origin is types.UnionType):
        args = [a for a in typing.get_args(pytype) if a is not type(None)]
        optional = len(args) < len(typing.get_args(pytype))
        if len(args) == 1:
            return args[0], optional
        return (Union[tuple(args)] if args else pytype), optional
    return pytype, False


def _lookup(mapping: dict[Any, Any], key: Any) -> Any:
    try:
        return mapping.get(key)
    except TypeError:  # unhashable annotation object
        return None


def resolve_annotation_type(pytype: Any, type_map: dict[Any, Any]) -> TypeEngine | None:
    """The SQL type for Python type ``pytype`` (user ``type_map`` first), or None."""
    found = _lookup(type_map, pytype)
    if found is not None:
        return to_instance(found)
    origin = typing.get_origin(pytype)
    if origin is Annotated:
        return resolve_annotation_type(typing.get_args(pytype)[0], type_map)
    if origin is Literal:
        from sqlwright.types import Enum

        values = [str(v) for v in typing.get_args(pytype)]
        return Enum(*values, native_enum=False)
    if isinstance(pytype, type):
        if issubclass(pytype, enum.Enum):
            custom = _lookup(type_map, enum.Enum)
            if custom is not None and not isinstance(custom, TypeEngine):
                return to_instance(custom(pytype))
            from sqlwright.types import Enum

            return Enum(pytype)
        for base in pytype.__mro__:
            found = _lookup(type_map, base) or DEFAULT_TYPE_MAP.get(base)
            if found is not None:
                return to_instance(found)
    if origin is not None:
        return resolve_annotation_type(origin, type_map)
    return None


# -- the scan -----------------------------------------------------------------------------------
class _Attr:
    """One collected attribute: its value, its annotation and the class that declared it."""

    __slots__ = ("annotation", "key", "owner", "value")

    def __init__(self, key: str, value: Any, annotation: Any, owner: type) -> None:
        self.key = key
        self.value = value
        self.annotation = annotation
        self.owner = owner


def _is_base_class(klass: type) -> bool:
    return bool(klass.__dict__.get("_sw_is_declarative_base", False)) or klass is object or \
        klass is typing.Generic


def _candidate_classes(cls: type) -> list[type]:
    """cls and its mixins / abstract bases up to the first mapped ancestor, base-first."""
    out = []
    for klass in cls.__mro__:
        if klass is not cls and _mapper_or_none(klass) is not None:
            break
        if _is_base_class(klass) or klass.__module__ == "typing":
            continue
        out.append(klass)
    return list(reversed(out))


def _ordered_names(klass: type, annotations: dict[str, Any]) -> list[str]:
    assigned = [k for k in vars(klass) if not (k.startswith("__") and k.endswith("__"))]
    names: list[str] = []
    seen: set[str] = set()
    position = 0
    for key in annotations:
        if key in assigned:
            while position < len(assigned):
                name = assigned[position]
                position += 1
                if name not in seen:
                    names.append(name)
                    seen.add(name)
                if name == key:
                    break
        if key not in seen:
            names.append(key)
            seen.add(key)
    names.extend(k for k in assigned if k not in seen)
    return names


def _is_mappable_value(value: Any) -> bool:
    from sqlwright.orm.decl_api import declared_attr

    return isinstance(value, (MappedColumn, Column, MapperProperty, declared_attr))


def _collect(cls: type) -> dict[str, _Attr]:
    from sqlwright.orm.decl_api import declared_attr

    collected: dict[str, _Attr] = {}
    for klass in _candidate_classes(cls):
        annotations = inspect.get_annotations(klass)
        for key in _ordered_names(klass, annotations):
            value = vars(klass).get(key, _MISSING)
            annotation = annotations.get(key)
            if isinstance(value, declared_attr) and value._is_directive:
                continue
            if isinstance(value, declared_attr) and annotation is None:
                annotation = getattr(value.fget, "__annotations__", {}).get("return")
            if annotation is not None:
                annotation = _eval_annotation(annotation, klass, cls)
                if typing.get_origin(annotation) is ClassVar or annotation is ClassVar:
                    continue
            is_mapped = annotation is not None and _mapped_inner(annotation)[0]
            if not is_mapped and not _is_mappable_value(value):
                continue
            if isinstance(value, declared_attr):
                value = value.fget(cls)
            elif klass is not cls:
                value = _copy_for_subclass(value)
            collected[key] = _Attr(key, value, annotation, klass)
    return collected


def _copy_for_subclass(value: Any) -> Any:
    if isinstance(value, (MappedColumn, Column)):
        return value._copy()
    if isinstance(value, MappedSQLExpression):
        return MappedSQLExpression(*value.columns, group=value.group, deferred=value.deferred,
                                   raiseload=value.raiseload, info=value.info, doc=value.doc,
                                   dataclass_args=value.dataclass_args)
    return value


def _directive(cls: type, name: str) -> Any:
    from sqlwright.orm.decl_api import declared_attr

    for klass in cls.__mro__:
        if name in vars(klass):
            value = vars(klass)[name]
            if isinstance(value, declared_attr):
                return value.fget(cls)
            if klass is not cls and _mapper_or_none(klass) is not None and \
                    name == "__tablename__":
                return None  # inherited from a mapped parent: single-table inheritance
            return value
    return None


class _ClassScan:
    """The state of mapping one declarative class."""

    def __init__(self, registry: Registry, cls: type) -> None:
        self.registry = registry
        self.cls = cls
        self.columns: list[Column] = []
        self._sort_order: dict[int, int] = {}
        self.properties: dict[str, Any] = {}
        self._mapped_by_column: dict[int, tuple[str, MappedColumn[Any]]] = {}

    def _error_prefix(self) -> str:
        return self.cls.__name__

    def run(self) -> Mapper:
        cls = self.cls
        collected = _collect(cls)
        for attr in collected.values():
            self._extract(attr)
        if cls.__dict__.get("_sw_dataclass_options") is not None:
            _apply_dataclass(cls, collected)
        table, created = self._table()
        mapper_args = dict(_directive(cls, "__mapper_args__") or {})
        inherits = mapper_args.pop("inherits", None) or _mapped_parent(cls)
        added: list[Column] = []
        if table is None and inherits is not None:
            added = self._add_to_parent_table(inherits, mapper_args)
        try:
            mapper = Mapper(cls, table, properties=self.properties, inherits=inherits,
                            registry=self.registry, **mapper_args)
        except Exception:
            if created and table is not None:
                table.metadata._remove_table(table)
            for column in added:
                if column.table is not None:
                    column.table._remove_column(column)
            raise
        if "__table__" not in cls.__dict__:
            type.__setattr__(cls, "__table__", mapper.local_table)
        return mapper

    # -- attributes to columns and properties --------------------------------------------------
    def _extract(self, attr: _Attr) -> None:
        value = attr.value
        if isinstance(value, MapperProperty):
            value.declarative_scan(self.registry, self.cls, attr.key, attr.annotation)
            if isinstance(value, ColumnProperty):
                for column in value.columns:
                    if isinstance(column, Column) and column.table is None:
                        self._complete_column(attr, column, None)
                        self.columns.append(column)  # deferred(Column(...)): a new column
            self.properties[attr.key] = value
            return
        if value is _MISSING or isinstance(value, (MappedColumn, Column)):
            mapped = value if isinstance(value, MappedColumn) else None
            column = value if isinstance(value, Column) else None
            if value is _MISSING:
                mapped = self._column_from_annotation(attr)
            column = mapped.column if mapped is not None else column
            assert column is not None
            self._complete_column(attr, column, mapped)
            self.columns.append(column)
            if mapped is not None:
                self._sort_order[id(column)] = mapped.sort_order
                self._mapped_by_column[id(column)] = (attr.key, mapped)
            self.properties[attr.key] = mapped.to_property() if mapped is not None \
                else ColumnProperty(column)
            return
        raise exc.ArgumentError(
            f"Attribute {attr.key!r} of {self._error_prefix()} is annotated Mapped[...] but "
            f"assigned {value!r}; use mapped_column(default={value!r}) for a default value")

    def _column_from_annotation(self, attr: _Attr) -> MappedColumn[Any]:
        from sqlwright.orm.properties import mapped_column

        _, inner = _mapped_inner(attr.annotation)
        inner, _ = _split_optional(inner)
        if typing.get_origin(inner) is Annotated:
            for extra in typing.get_args(inner)[1:]:
                if isinstance(extra, MappedColumn):
                    return extra._copy()
        return mapped_column()

    def _complete_column(self, attr: _Attr, column: Column, mapped: MappedColumn[Any] | None
                         ) -> None:
        if column.name is None:
            column.name = attr.key
        if column.key is None:
            column.key = attr.key
        if attr.annotation is None:
            if isinstance(column.type, NullType) and not column.foreign_keys:
                raise MappedAnnotationError(
                    f"Column {attr.key!r} of {self._error_prefix()} has no type; pass one: "
                    f"Column(String(50)), or annotate it: {attr.key}: Mapped[str]")
            return
        is_mapped, inner = _mapped_inner(attr.annotation)
        if not is_mapped or inner is _MISSING:
            return
        pytype, optional = _split_optional(inner)
        explicit_nullable = mapped.explicit_nullable if mapped is not None else \
            getattr(column, "_user_nullable", None) is not None
        if not explicit_nullable and not column.primary_key:
            column.nullable = optional
        if isinstance(column.type, NullType):
            column.type = self._type_for(attr, inner, pytype)

    def _type_for(self, attr: _Attr, inner: Any, pytype: Any) -> TypeEngine:
        type_map = self.registry.type_annotation_map
        found = None
        if not isinstance(pytype, _Unresolved):
            found = resolve_annotation_type(inner, type_map) or \
                resolve_annotation_type(pytype, type_map)
        if isinstance(pytype, _Unresolved):
            raise MappedAnnotationError(
                f"The annotation Mapped[{pytype}] of attribute {attr.key!r} of "
                f"{self._error_prefix()} could not be evaluated: {pytype.text!r} is not defined "
                "at module level when the class is created. Define it before the class, or "
                f"pass the type: mapped_column(SomeType)")
        if found is None:
            shown = getattr(pytype, "__name__", None) or repr(pytype)
            raise MappedAnnotationError(
                f"Could not find a SQL type for attribute {attr.key!r} of "
                f"{self._error_prefix()}: its annotation Mapped[{shown}] names a Python type "
                f"with no default SQL type. Pass a type, as in {attr.key}: Mapped[{shown}] = "
                f"mapped_column(String(50)), or add {shown} to the base's "
                "type_annotation_map")
        return found

    def _share_column(self, column: Column, existing: Column, table: Any) -> None:
        """``mapped_column(use_existing_column=True)``: map the column of the same name that a
        sibling class already added to the shared table."""
        key, mapped = self._mapped_by_column.get(id(column), ("", None))
        if mapped is None or not mapped.use_existing_column:
            raise exc.ArgumentError(
                f"{self._error_prefix()} declares column {column.key!r}, but table "
                f"{table.name!r} of its single-table hierarchy already has a column of that "
                "name (declared by another class). Give it another name, or share it with "
                f"mapped_column(use_existing_column=True) in both classes")
        self.columns.remove(column)
        mapped.column = existing
        self.properties[key] = mapped.to_property()

    # -- the table ------------------------------------------------------------------------------
    def _add_to_parent_table(self, inherits: Any, mapper_args: dict[str, Any]) -> list[Column]:
        """Single-table inheritance: the subclass's own columns join the parent's table
        (nullable unless ``nullable=False`` was given: rows of the other classes leave them
        empty); columns that sibling classes added stay unmapped here."""
        parent = inherits if hasattr(inherits, "local_table") else _mapper_or_none(inherits)
        if parent is None:
            return []
        table = parent.local_table
        added = []
        for column in list(self.columns):
            existing = table.c.get(column.key) if column.key is not None else None
            if existing is column:
                continue
            if existing is not None:
                self._share_column(column, existing, table)
                continue
            if getattr(column, "_user_nullable", None) is None and not column.primary_key:
                column.nullable = True
            table.append_column(column)
            added.append(column)
        own = {id(c) for c in self.columns}
        own.update(id(c) for p in self.properties.values() for c in getattr(p, "columns", ()))
        siblings = {c.key for c in table.c
                    if id(c) not in own and c not in parent._columntoproperty}
        if siblings:
            exclude = set(mapper_args.get("exclude_properties") or ())
            mapper_args["exclude_properties"] = sorted(exclude | siblings)
        return added

    def _table(self) -> tuple[Any, bool]:
        cls = self.cls
        table = cls.__dict__.get("__table__")
        if table is not None:
            return table, False
        tablename = _directive(cls, "__tablename__")
        if tablename is None:
            if _mapped_parent(cls) is not None:
                return None, False  # single-table inheritance: see _add_to_parent_table
            raise exc.InvalidRequestError(
                f"Class {self._error_prefix()} has no __tablename__ (or __table__), so it "
                "cannot be mapped. Give it __tablename__ = 'name', or set __abstract__ = True "
                "on a base class that only shares columns")
        args, kwargs = _split_table_args(_directive(cls, "__table_args__"), cls)
        columns = sorted(self.columns, key=lambda c: self._sort_order.get(id(c), 0))
        try:
            table = Table(tablename, self.registry.metadata, *columns, *args, **kwargs)
        except exc.ArgumentError as err:
            raise type(err)(f"In class {self._error_prefix()}: {err}") from err
        return table, True


def _split_table_args(table_args: Any, cls: type) -> tuple[list[Any], dict[str, Any]]:
    if table_args is None:
        return [], {}
    if isinstance(table_args, dict):
        return [], dict(table_args)
    if isinstance(table_args, tuple):
        if table_args and isinstance(table_args[-1], dict):
            return list(table_args[:-1]), dict(table_args[-1])
        return list(table_args), {}
    raise exc.ArgumentError(
        f"__table_args__ of {cls.__qualname__} must be a tuple (of constraints, optionally "
        f"ending with a dict of Table options) or a dict, not {type(table_args).__name__}; "
        "note the trailing comma in a one-item tuple: (UniqueConstraint('a'),)")


def _mapped_parent(cls: type) -> type | None:
    for klass in cls.__mro__[1:]:
        if _mapper_or_none(klass) is not None:
            return klass
    return None


# -- dataclasses --------------------------------------------------------------------------------
def _apply_dataclass(cls: type, collected: dict[str, _Attr]) -> None:
    """Turn ``cls`` into a dataclass whose fields are its mapped attributes.

    Mapped attributes inherited from mixins and ``__abstract__`` bases become fields too
    (placed before the class's own), since those classes are not dataclasses themselves.
    """
    options = dict(cls.__dict__["_sw_dataclass_options"])
    own = dict(inspect.get_annotations(cls))
    inherited_fields = set(getattr(cls, "__dataclass_fields__", {}))
    annotations: dict[str, Any] = {}
    for key, attr in collected.items():
        if attr.owner is cls and key not in own:
            continue
        if attr.owner is not cls:
            if key in own or key in inherited_fields:
                continue
            annotations[key] = attr.annotation if attr.annotation is not None else Any
        args: _DataclassArgs | None = getattr(attr.value, "dataclass_args", None)
        field_kw = args.field_kwargs() if args is not None else {}
        if field_kw:
            type.__setattr__(cls, key, dataclasses.field(**field_kw))
        elif key in cls.__dict__:
            type.__delattr__(cls, key)
    for key in own:
        if key not in collected and key in cls.__dict__ and \
                isinstance(cls.__dict__[key], MappedColumn):
            type.__delattr__(cls, key)
    annotations.update(own)
    type.__setattr__(cls, "__annotations__", annotations)
    dataclasses.dataclass(cls, **options)
    if getattr(cls, "__hash__", None) is None:
        type.__setattr__(cls, "__hash__", object.__hash__)


def map_declaratively(registry: Registry, cls: type) -> Mapper | None:
    """Map ``cls`` from its class body (None for ``__abstract__`` classes)."""
    if cls.__dict__.get("__abstract__", False):
        return None
    return _ClassScan(registry, cls).run()
