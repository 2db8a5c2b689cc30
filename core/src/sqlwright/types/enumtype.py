"""Enum: a column limited to a fixed set of strings, or to the members of a Python enum class."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.types.base import Processor, TypeEngine, op_name, sql_string_literal
from sqlwright.types.resolve import register_python_type
from sqlwright.types.sqltypes import String, _sql_string

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = ["Enum"]


class Enum(String):
    """One value out of a fixed list: ``Enum("draft", "published")`` or ``Enum(Status)``.

    With a Python enum class, the database stores each member's *name* (or what
    ``values_callable(enum_class)`` returns, in member order) and reads back members. The type
    is native where the database has enums (``dialect.features.supports_native_enum``) and
    ``native_enum`` is True; elsewhere it is a VARCHAR as long as the longest value, with
    ``CHECK (col IN (...))`` when ``create_constraint=True``. ``name`` names the native type
    (default: the enum class name lowercased) and the CHECK constraint.

    Binding a value that is not in the list raises :class:`LookupError`; a plain string that
    is not in the list passes through unless ``validate_strings=True``.
    """

    __visit_name__ = "enum"
    _type_args: ClassVar[tuple[str, ...]] = (
        "enums", "name", "native_enum", "create_constraint", "length", "validate_strings",
        "enum_class", "schema")

    def __init__(
        self,
        *enums: Any,
        name: str | None = None,
        native_enum: bool = True,
        create_constraint: bool = False,
        length: int | None = None,
        values_callable: Callable[[type[enum.Enum]], Sequence[str]] | None = None,
        validate_strings: bool = False,
        schema: str | None = None,
        omit_aliases: bool = True,
        collation: str | None = None,
    ) -> None:
        self._source = enums
        self.values_callable = values_callable
        self.omit_aliases = omit_aliases
        self.enum_class: type[enum.Enum] | None = None
        if len(enums) == 1 and isinstance(enums[0], type) and issubclass(enums[0], enum.Enum):
            self.enum_class = enums[0]
            stored, objects = self._from_enum_class(enums[0])
        else:
            if not all(isinstance(e, str) for e in enums):
                raise exc.ArgumentError(
                    "Enum() takes either one Python enum class or several strings, e.g. "
                    "Enum('draft', 'published') or Enum(Status)")
            stored, objects = list(enums), list(enums)
        self.enums = tuple(stored)
        self._object_lookup: dict[str, Any] = dict(zip(stored, objects))
        self._valid_lookup: dict[Any, str] = {}
        for value, obj in zip(stored, objects):
            self._valid_lookup[value] = value
            self._valid_lookup[obj] = value
            if isinstance(obj, enum.Enum):
                self._valid_lookup.setdefault(obj.name, value)
        longest = max((len(v) for v in stored), default=0)
        if length is not None and length < longest:
            raise exc.ArgumentError(
                f"Enum length={length} is shorter than its longest value ({longest} "
                "characters); raise the length or leave it out")
        super().__init__(length if length is not None else longest, collation)
        if name is None and self.enum_class is not None:
            name = self.enum_class.__name__.lower()
        self.name = name
        self.native_enum = native_enum
        self.create_constraint = create_constraint
        self.validate_strings = validate_strings
        self.schema = schema

    def _from_enum_class(self, enum_class: type[enum.Enum]) -> tuple[list[str], list[Any]]:
        members = list(enum_class) if self.omit_aliases else list(
            enum_class.__members__.values())
        if self.values_callable is not None:
            stored = [str(v) for v in self.values_callable(enum_class)]
            if len(stored) != len(members):
                raise exc.ArgumentError(
                    "values_callable must return one string per enum member "
                    f"({len(members)} for {enum_class.__name__}), got {len(stored)}")
        else:
            stored = [m.name for m in members]
        return stored, members

    @property
    def python_type(self) -> type:
        return self.enum_class if self.enum_class is not None else str

    def is_native(self, dialect: Dialect) -> bool:
        """Whether the column uses the database's own enum type on ``dialect``."""
        return self.native_enum and dialect.features.supports_native_enum

    def copy(self, **kw: Any) -> Enum:
        """A copy with some options replaced (the values stay)."""
        return self.adapt(type(self), **kw)

    def adapt(self, cls: type[Any], **kw: Any) -> Any:
        """An instance of ``cls`` (an Enum subclass, or a String for dialects without enums)."""
        if isinstance(self, cls) and not kw:
            return self
        if not issubclass(cls, Enum):
            return cls(length=self.length, collation=self.collation)
        opts: dict[str, Any] = {
            "name": self.name, "native_enum": self.native_enum,
            "create_constraint": self.create_constraint, "length": self.length,
            "values_callable": self.values_callable, "validate_strings": self.validate_strings,
            "schema": self.schema, "omit_aliases": self.omit_aliases,
            "collation": self.collation,
        }
        opts.update(kw)
        return cls(*self._source, **opts)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        return self

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        op, _ = super()._adapt_expression(op, other_type)
        if op_name(op) == "concat_op":
            return op, String()
        return op, self

    def _db_value(self, value: Any) -> str:
        try:
            return self._valid_lookup[value]
        except (KeyError, TypeError):
            pass
        if isinstance(value, str) and not self.validate_strings:
            return value
        raise LookupError(
            f"{value!r} is not among the values of this Enum ({self.name or 'unnamed'}); "
            f"use one of: {', '.join(repr(v) for v in self._object_lookup.values())}"
        )

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        lookup = self._db_value

        def process(value: Any) -> Any:
            return None if value is None else lookup(value)

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        objects = self._object_lookup
        if self.enum_class is None:
            return None

        def process(value: Any) -> Any:
            if value is None:
                return None
            try:
                return objects[value]
            except KeyError:
                raise LookupError(
                    f"The database returned {value!r}, which is not a value of the Enum "
                    f"{self.name or ''} ({', '.join(objects)}); add it to the enum class or "
                    "fix the row") from None

        return process

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        lookup = self._db_value
        return lambda value: sql_string_literal(lookup(value), dialect)

    def check_constraint_sql(self, column_sql: str, dialect: Dialect) -> str | None:
        """The CHECK condition DDL adds for this column, or None when none is wanted."""
        if not self.create_constraint or self.is_native(dialect):
            return None
        values = ", ".join(_sql_string(v) for v in self.enums)
        return f"{column_sql} IN ({values})"

    def __repr__(self) -> str:
        source = (self.enum_class.__name__ if self.enum_class is not None
                  else ", ".join(repr(e) for e in self.enums))
        extra = f", name={self.name!r}" if self.name and self.enum_class is None else ""
        return f"Enum({source}{extra})"


register_python_type(enum.Enum, lambda value: Enum(type(value)))
