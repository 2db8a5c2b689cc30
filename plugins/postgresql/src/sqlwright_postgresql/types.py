"""PostgreSQL's types, type names and type mappings.

The PostgreSQL-only types (ARRAY, JSONB, INET, CIDR, BYTEA, ENUM ...) are exported by the
package; ``PG_COLSPECS`` binds the implementations of portable types that psycopg2 needs
(JSON already parsed by the driver, JSON index keys bound bare), and ``PG_ISCHEMA_NAMES``
maps the names ``format_type()`` reports to types for reflection.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.sql import operators
from sqlwright.sql.elements import BindParameter, ClauseElement, ColumnElement
from sqlwright.sql.type_compiler import TypeCompiler
from sqlwright.types import (
    JSON as _JSON,
)
from sqlwright.types import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Double,
    Enum,
    Float,
    Integer,
    Interval,
    JSONIndexType,
    JSONPathType,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    TypeEngine,
    Uuid,
)
from sqlwright.types.base import Processor, to_instance

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = [
    "ARRAY", "BYTEA", "CIDR", "ENUM", "INET", "INTERVAL", "JSON", "JSONB", "MACADDR",
    "PG_COLSPECS", "PG_ISCHEMA_NAMES", "PGTypeCompiler", "TSVECTOR", "all_", "any_",
    "parse_array_literal",
]


# -- JSON --------------------------------------------------------------------------------------
class JSON(_JSON):
    """PostgreSQL ``JSON``: psycopg2 parses documents itself, so results are not parsed again.

    Indexing renders ``->`` / ``#>`` (``->>`` / ``#>>`` after ``.as_string()`` and the other
    ``as_*`` methods).
    """

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        return None


class JSONB(JSON):
    """PostgreSQL ``JSONB``: binary JSON with containment and key operators."""

    __visit_name__ = "JSONB"

    class Comparator(JSON.Comparator):
        """JSONB operators: ``has_key`` (``?``), ``has_all`` (``?&``), ``has_any`` (``?|``),
        ``contains`` (``@>``) and ``contained_by`` (``<@``)."""

        __slots__ = ()

        def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
            if op is operators.contains_op:
                return self._bool_op("@>", other[0])
            return super().operate(op, *other, **kw)

        def _bool_op(self, opstring: str, other: Any, type_: Any = None) -> Any:
            if not isinstance(other, ClauseElement):
                other = BindParameter(None, other, type_ or self.type, _name_hint="param")
            return self.expr.op(opstring, precedence=6, is_comparison=True)(other)

        def has_key(self, key: Any) -> Any:
            """``doc ? key``: the document has this top-level key."""
            return self._bool_op("?", key, String())

        def has_all(self, keys: Sequence[str]) -> Any:
            """``doc ?& keys``: the document has every one of these keys."""
            return self._bool_op("?&", list(keys), ARRAY(Text()))

        def has_any(self, keys: Sequence[str]) -> Any:
            """``doc ?| keys``: the document has at least one of these keys."""
            return self._bool_op("?|", list(keys), ARRAY(Text()))

        def contained_by(self, other: Any) -> Any:
            """``doc <@ other``: every key/value of the document is in ``other``."""
            return self._bool_op("<@", other)

    comparator_factory = Comparator


class PGJSONIndexType(JSONIndexType):
    """A JSON key or position bound as itself (``doc -> 'key'``, ``doc -> 0``)."""

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        return None

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        from sqlwright.types.base import sql_string_literal

        return lambda v: str(v) if isinstance(v, int) else sql_string_literal(v, dialect)


class PGJSONPathType(JSONPathType):
    """A JSON path bound as a text array (``doc #> ARRAY['a', '0']``)."""

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        return lambda value: None if value is None else [str(step) for step in value]

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        from sqlwright.types.base import sql_string_literal

        return lambda value: "ARRAY[" + ", ".join(
            sql_string_literal(str(s), dialect) for s in value) + "]::TEXT[]"


# -- ARRAY -------------------------------------------------------------------------------------
class ArraySlice(ColumnElement):
    """``lower:upper`` inside ``array[...]`` (built by ``col[1:3]``)."""

    __visit_name__ = "pg_array_slice"
    _traverse_internals = (("start", "clause"), ("stop", "clause"))

    def __init__(self, start: ClauseElement, stop: ClauseElement) -> None:
        self.start = start
        self.stop = stop


class AnyAll(ColumnElement):
    """``ANY (array)`` / ``ALL (array)``, the right side of a comparison."""

    __visit_name__ = "pg_any_all"
    _traverse_internals = (("element", "clause"), ("keyword", "plain"))

    def __init__(self, element: ClauseElement, keyword: str) -> None:
        self.element = element
        self.keyword = keyword
        item = getattr(getattr(element, "type", None), "item_type", None)
        self.type = item if item is not None else to_instance(None)


def any_(expr: Any) -> AnyAll:
    """``ANY (expr)``: compare with it, as in ``5 == any_(tbl.c.scores)``."""
    return AnyAll(expr, "ANY")


def all_(expr: Any) -> AnyAll:
    """``ALL (expr)``: compare with it, as in ``5 > all_(tbl.c.scores)``."""
    return AnyAll(expr, "ALL")


class ARRAY(TypeEngine):
    """A PostgreSQL array of ``item_type``: ``ARRAY(Integer)`` is ``INTEGER[]``.

    Values are Python lists (tuples with ``as_tuple=True``). Index with ``col[1]`` (PostgreSQL
    positions start at 1) and slice with ``col[1:3]``; compare with ``col.any(value)``,
    ``col.all(value)``, ``col.contains([...])`` (``@>``), ``col.contained_by([...])`` (``<@``)
    and ``col.overlap([...])`` (``&&``).
    """

    __visit_name__ = "ARRAY"
    hashable = False
    _type_args: ClassVar[tuple[str, ...]] = ("item_type", "as_tuple", "dimensions")

    def __init__(self, item_type: TypeEngine | type[TypeEngine], as_tuple: bool = False,
                 dimensions: int | None = None) -> None:
        if isinstance(item_type, ARRAY):
            raise exc.ArgumentError(
                "ARRAY(ARRAY(...)) is not needed: PostgreSQL arrays of any depth share one "
                "type; write ARRAY(item_type, dimensions=2)")
        if isinstance(item_type, type):
            item_type = item_type()
        self.item_type: TypeEngine = item_type
        self.as_tuple = as_tuple
        self.dimensions = dimensions

    @property
    def python_type(self) -> type:
        return tuple if self.as_tuple else list

    class Comparator(TypeEngine.Comparator):
        """Array operators: indexing, slicing, any/all, containment and overlap."""

        __slots__ = ()

        def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
            if op is operators.getitem:
                return self._getitem(other[0])
            if op is operators.contains_op:
                return self._bool_op("@>", other[0])
            return super().operate(op, *other, **kw)

        def _item_bind(self, value: Any, hint: str = "index") -> Any:
            if isinstance(value, ClauseElement):
                return value
            return BindParameter(None, value, Integer(), _name_hint=hint)

        def _getitem(self, index: Any) -> Any:
            from sqlwright.sql.expression import BinaryExpression

            array_type: ARRAY = self.type  # type: ignore[assignment]
            if isinstance(index, slice):
                if index.step is not None:
                    raise exc.ArgumentError("PostgreSQL array slices have no step; use a[i:j]")
                right: ClauseElement = ArraySlice(self._item_bind(index.start, "lower"),
                                                  self._item_bind(index.stop, "upper"))
                result_type: TypeEngine = array_type
            else:
                right = self._item_bind(index)
                result_type = array_type.item_type
                if array_type.dimensions and array_type.dimensions > 1:
                    result_type = ARRAY(array_type.item_type, array_type.as_tuple,
                                        array_type.dimensions - 1)
            return BinaryExpression(self.expr, right, operators.getitem, type_=result_type)

        def _bool_op(self, opstring: str, other: Any) -> Any:
            if not isinstance(other, ClauseElement):
                other = BindParameter(None, list(other), self.type, _name_hint="param")
            return self.expr.op(opstring, precedence=6, is_comparison=True)(other)

        def contained_by(self, other: Any) -> Any:
            """``array <@ other``: every element is in ``other``."""
            return self._bool_op("<@", other)

        def overlap(self, other: Any) -> Any:
            """``array && other``: the arrays have an element in common."""
            return self._bool_op("&&", other)

        def any(self, other: Any, operator: Any = None) -> Any:
            """``other = ANY (array)`` (or another comparison ``operator``)."""
            return self._any_all(other, operator, "ANY")

        def all(self, other: Any, operator: Any = None) -> Any:
            """``other = ALL (array)`` (or another comparison ``operator``)."""
            return self._any_all(other, operator, "ALL")

        def _any_all(self, other: Any, operator: Any, keyword: str) -> Any:
            from sqlwright.sql.expression import BinaryExpression

            array_type: ARRAY = self.type  # type: ignore[assignment]
            op = operator or operators.eq
            if not isinstance(other, ClauseElement):
                other = BindParameter(None, other, array_type.item_type, _name_hint="param")
            return BinaryExpression(other, AnyAll(self.expr, keyword), op, type_=Boolean())

    comparator_factory = Comparator

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        return self

    def _adapt_expression(self, op: Any, other_type: TypeEngine) -> tuple[Any, TypeEngine]:
        """``array + array`` concatenates (``||``)."""
        if op in (operators.add, operators.concat_op):
            return operators.concat_op, self
        return op, self

    def _item_processor(self, dialect: Dialect, kind: str, coltype: Any = None
                        ) -> Processor | None:
        item = self.item_type
        if kind == "bind":
            return item._cached_bind_processor(dialect)
        return item._cached_result_processor(dialect, coltype)

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        item_proc = self._item_processor(dialect, "bind")

        def process(value: Any) -> Any:
            if value is None:
                return None
            return _map_nested(value, item_proc, list)

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        item_proc = self._item_processor(dialect, "result")
        container: Callable[[Any], Any] = tuple if self.as_tuple else list

        def process(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, str):
                value = parse_array_literal(value)
            return _map_nested(value, item_proc, container)

        return process


def _map_nested(value: Any, proc: Processor | None, container: Callable[[Any], Any]) -> Any:
    if isinstance(value, (list, tuple)):
        return container(_map_nested(v, proc, container) for v in value)
    if proc is None or value is None:
        return value
    return proc(value)


_ARRAY_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([{},])|([^{},"]+)')


def parse_array_literal(text: str) -> list[Any]:
    """Parse PostgreSQL's text form of an array (``{a,"b c",NULL}``) into nested lists of
    strings (None for NULL); drivers return it for arrays of types they don't know."""
    stack: list[list[Any]] = []
    result: list[Any] = []
    for match in _ARRAY_TOKEN.finditer(text.strip()):
        quoted, punct, bare = match.groups()
        if punct == "{":
            stack.append([])
        elif punct == "}":
            done = stack.pop()
            if not stack:
                result = done
            else:
                stack[-1].append(done)
        elif punct == ",":
            continue
        elif quoted is not None:
            stack[-1].append(re.sub(r"\\(.)", r"\1", quoted))
        elif bare is not None and stack:
            word = bare.strip()
            stack[-1].append(None if word.upper() == "NULL" else word)
    return result


# -- other PostgreSQL types --------------------------------------------------------------------
class BYTEA(LargeBinary):
    """PostgreSQL ``BYTEA`` (what LargeBinary is on PostgreSQL)."""

    __visit_name__ = "BYTEA"


class INET(String):
    """An IPv4 or IPv6 host address, with optional netmask (values are strings)."""

    __visit_name__ = "INET"


class CIDR(String):
    """An IPv4 or IPv6 network (values are strings)."""

    __visit_name__ = "CIDR"


class MACADDR(String):
    """A MAC address (values are strings)."""

    __visit_name__ = "MACADDR"


class TSVECTOR(TypeEngine):
    """A text search document (values are strings)."""

    __visit_name__ = "TSVECTOR"


class INTERVAL(Interval):
    """PostgreSQL ``INTERVAL [fields] [(precision)]``; values are ``datetime.timedelta``."""

    __visit_name__ = "INTERVAL"
    _type_args: ClassVar[tuple[str, ...]] = ("precision", "fields")

    def __init__(self, precision: int | None = None, fields: str | None = None) -> None:
        super().__init__(native=True, second_precision=precision)
        self.precision = precision
        self.fields = fields


class ENUM(Enum):
    """A native PostgreSQL enum type (``CREATE TYPE name AS ENUM (...)``).

    ``create_all`` creates the type before the first table that uses it and ``drop_all``
    drops it after the last one; ``create_type=False`` leaves both to you (the type exists).
    """

    _type_args: ClassVar[tuple[str, ...]] = (*Enum._type_args, "create_type")

    def __init__(self, *enums: Any, create_type: bool = True, **kw: Any) -> None:
        super().__init__(*enums, **kw)
        self.create_type = create_type

    def adapt(self, cls: type[Any], **kw: Any) -> Any:
        if issubclass(cls, ENUM):
            kw.setdefault("create_type", self.create_type)
        return super().adapt(cls, **kw)


# -- the type compiler -------------------------------------------------------------------------
def _args(*values: Any) -> str:
    given = [str(v) for v in values if v is not None]
    return f"({', '.join(given)})" if given else ""


class PGTypeCompiler(TypeCompiler):
    """DDL type names for PostgreSQL."""

    def visit_datetime(self, type_: Any, **kw: Any) -> str:
        return "TIMESTAMP WITH TIME ZONE" if type_.timezone else "TIMESTAMP WITHOUT TIME ZONE"

    def visit_DATETIME(self, type_: Any, **kw: Any) -> str:
        return self.visit_datetime(type_)

    def visit_TIMESTAMP(self, type_: Any, **kw: Any) -> str:
        precision = _args(getattr(type_, "precision", None))
        zone = "WITH" if type_.timezone else "WITHOUT"
        return f"TIMESTAMP{precision} {zone} TIME ZONE"

    def visit_time(self, type_: Any, **kw: Any) -> str:
        return "TIME WITH TIME ZONE" if type_.timezone else "TIME WITHOUT TIME ZONE"

    visit_TIME = visit_time

    def visit_large_binary(self, type_: Any, **kw: Any) -> str:
        return "BYTEA"

    visit_BLOB = visit_BINARY = visit_VARBINARY = visit_BYTEA = visit_large_binary

    def visit_double(self, type_: Any, **kw: Any) -> str:
        return "DOUBLE PRECISION"

    visit_DOUBLE = visit_double

    def visit_text(self, type_: Any, **kw: Any) -> str:
        return self._collate(type_, "TEXT")

    visit_unicode_text = visit_TEXT = visit_CLOB = visit_text

    def visit_NVARCHAR(self, type_: Any, **kw: Any) -> str:
        return self._varchar("VARCHAR", type_, "NVARCHAR")

    def visit_NCHAR(self, type_: Any, **kw: Any) -> str:
        return self._collate(type_, "CHAR" + _args(type_.length))

    def visit_enum(self, type_: Any, **kw: Any) -> str:
        if not type_.is_native(self.dialect):
            return self._varchar("VARCHAR", type_, "Enum")
        return enum_type_name(type_, self.dialect)

    def visit_JSONB(self, type_: Any, **kw: Any) -> str:
        return "JSONB"

    def visit_INET(self, type_: Any, **kw: Any) -> str:
        return "INET"

    def visit_CIDR(self, type_: Any, **kw: Any) -> str:
        return "CIDR"

    def visit_MACADDR(self, type_: Any, **kw: Any) -> str:
        return "MACADDR"

    def visit_TSVECTOR(self, type_: Any, **kw: Any) -> str:
        return "TSVECTOR"

    def visit_INTERVAL(self, type_: Any, **kw: Any) -> str:
        text = "INTERVAL"
        if type_.fields:
            text += f" {type_.fields.upper()}"
        return text + _args(type_.precision)

    def visit_ARRAY(self, type_: Any, **kw: Any) -> str:
        inner = self.process(type_.item_type)
        return inner + "[]" * (type_.dimensions or 1)


def enum_type_name(type_: Any, dialect: Dialect) -> str:
    """The quoted, schema-qualified name of a native enum type; CompileError without a name."""
    if not type_.name:
        values = ", ".join(map(repr, type_.enums))
        raise exc.CompileError(
            f"A native PostgreSQL enum needs a type name: write Enum({values}, name='...'), "
            "or pass native_enum=False to store it as VARCHAR")
    return dialect.identifier_preparer.format_table_name(type_.name, type_.schema)


#: portable type -> PostgreSQL implementation (``Dialect.colspecs``)
PG_COLSPECS: dict[type[TypeEngine], type[TypeEngine]] = {
    _JSON: JSON,
    JSONIndexType: PGJSONIndexType,
    JSONPathType: PGJSONPathType,
}

#: ``format_type()`` name without arguments -> type (reflection)
PG_ISCHEMA_NAMES: dict[str, type[TypeEngine]] = {
    "integer": Integer,
    "bigint": BigInteger,
    "smallint": SmallInteger,
    "character varying": String,
    "character": String,
    '"char"': String,
    "name": String,
    "text": Text,
    "numeric": Numeric,
    "real": Float,
    "double precision": Double,
    "boolean": Boolean,
    "date": Date,
    "timestamp without time zone": DateTime,
    "timestamp with time zone": DateTime,
    "time without time zone": Time,
    "time with time zone": Time,
    "interval": Interval,
    "bytea": LargeBinary,
    "uuid": Uuid,
    "json": JSON,
    "jsonb": JSONB,
    "inet": INET,
    "cidr": CIDR,
    "macaddr": MACADDR,
    "tsvector": TSVECTOR,
    "oid": Integer,
    "money": Numeric,
}
