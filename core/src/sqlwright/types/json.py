"""JSON documents, and indexing into them: ``col["key"]``, ``col[("a", 0)]``, ``.as_string()``."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.types.base import Processor, TypeEngine, sql_string_literal
from sqlwright.types.sqltypes import Boolean, Float, Integer, Numeric, String

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = ["JSON", "JSONIndexType", "JSONPathType"]


class _JSONNullType:
    """The JSON ``null`` value, as opposed to SQL NULL (see :attr:`JSON.NULL`)."""

    _instance: _JSONNullType | None = None

    def __new__(cls) -> _JSONNullType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "JSON.NULL"

    def __reduce__(self) -> str:
        return "JSON_NULL"


JSON_NULL = _JSONNullType()


def _json_path(steps: Sequence[Any]) -> str:
    """A SQL/JSON path (``$."a"[0]``) for a sequence of keys and indexes."""
    parts = ["$"]
    for step in steps:
        if isinstance(step, int) and not isinstance(step, bool):
            parts.append(f"[{step}]")
        elif isinstance(step, str):
            parts.append('."' + step.replace("\\", "\\\\").replace('"', '\\"') + '"')
        else:
            raise exc.ArgumentError(
                f"A JSON path step must be a str key or an int index, not {step!r}")
    return "".join(parts)


class JSONIndexType(TypeEngine):
    """The type of the key or index in ``col["key"]``; binds as a one-step JSON path.

    Dialects whose JSON operators take the bare key (PostgreSQL's ``->``) map this type to an
    implementation without conversion.
    """

    __visit_name__ = "json_index"

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        return lambda value: None if value is None else _json_path([value])

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: sql_string_literal(_json_path([value]), dialect)


class JSONPathType(TypeEngine):
    """The type of the path in ``col[("a", 0, "b")]``; binds as a SQL/JSON path string."""

    __visit_name__ = "json_path"

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        return lambda value: None if value is None else _json_path(value)

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        return lambda value: sql_string_literal(_json_path(value), dialect)


class JSON(TypeEngine):
    """A JSON document: dicts, lists, strings, numbers, booleans and None.

    Python ``None`` is stored as JSON ``null`` unless ``none_as_null=True``, which stores SQL
    NULL; :attr:`JSON.NULL` always stores JSON ``null``. Serialization uses the engine's
    ``json_serializer`` / ``json_deserializer`` when given, else the json module.

    Index an expression of this type with ``col["key"]``, ``col[0]`` or a path
    ``col[("a", 0, "b")]``; the result is JSON, or a scalar type after ``.as_string()``,
    ``.as_integer()``, ``.as_float()``, ``.as_numeric(p, s)``, ``.as_boolean()``.
    Mutating a dict in place is not detected as a change; assign a new value.
    """

    __visit_name__ = "JSON"
    hashable = False
    _type_args: ClassVar[tuple[str, ...]] = ("none_as_null",)
    #: The JSON ``null`` value, stored as such even when ``none_as_null`` is True.
    NULL = JSON_NULL

    def __init__(self, none_as_null: bool = False) -> None:
        self.none_as_null = none_as_null
        self.should_evaluate_none = not none_as_null

    @property
    def python_type(self) -> type:
        return dict

    class Comparator(TypeEngine.Comparator):
        """JSON operators: indexing, and casting an indexed value to a scalar type."""

        __slots__ = ()

        def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
            if op is operator.getitem:
                return self._getitem(other[0])
            return super().operate(op, *other, **kw)

        def _getitem(self, index: Any) -> Any:
            from sqlwright.sql import operators
            from sqlwright.sql.elements import BindParameter, ColumnElement
            from sqlwright.sql.expression import BinaryExpression

            if isinstance(index, ColumnElement):
                right, op = index, operators.json_getitem_op
            elif isinstance(index, (tuple, list)):
                _json_path(index)  # validate the steps now, not at execution
                right = BindParameter(None, tuple(index), JSONPathType(), _name_hint="path")
                op = operators.json_path_getitem_op
            elif isinstance(index, (str, int)) and not isinstance(index, bool):
                right = BindParameter(None, index, JSONIndexType(), _name_hint="key")
                op = operators.json_getitem_op
            else:
                raise exc.ArgumentError(
                    f"Index a JSON expression with a str key, an int position or a tuple "
                    f"path, not {index!r}")
            return BinaryExpression(self.expr, right, op, type_=self.type)

        def _as(self, type_: TypeEngine, method: str) -> Any:
            from sqlwright.sql import operators
            from sqlwright.sql.expression import BinaryExpression

            expr = self.expr
            op = getattr(expr, "operator", None)
            if op not in (operators.json_getitem_op, operators.json_path_getitem_op):
                raise exc.ArgumentError(
                    f"{method}() applies to an indexed JSON expression such as "
                    f"col['key'].{method}(); to convert a whole document use cast()")
            return BinaryExpression(expr.left, expr.right, op, type_=type_)

        def as_string(self) -> Any:
            """The indexed value as a string (the JSON text of a string, unquoted)."""
            return self._as(String(), "as_string")

        def as_integer(self) -> Any:
            """The indexed value as an integer."""
            return self._as(Integer(), "as_integer")

        def as_float(self) -> Any:
            """The indexed value as a float."""
            return self._as(Float(), "as_float")

        def as_numeric(self, precision: int, scale: int, asdecimal: bool = True) -> Any:
            """The indexed value as a Decimal (or float with ``asdecimal=False``)."""
            return self._as(Numeric(precision, scale, asdecimal), "as_numeric")

        def as_boolean(self) -> Any:
            """The indexed value as a boolean."""
            return self._as(Boolean(), "as_boolean")

        def as_json(self) -> Any:
            """The indexed value as JSON (the default; useful after another ``as_*``)."""
            return self._as(JSON(), "as_json")

    comparator_factory = Comparator

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine:
        return self

    def _serializer(self, dialect: Dialect) -> Callable[[Any], str]:
        return getattr(dialect, "json_serializer", None) or json.dumps

    def bind_processor(self, dialect: Dialect) -> Processor | None:
        dumps = self._serializer(dialect)
        none_as_null = self.none_as_null

        def process(value: Any) -> Any:
            if value is JSON_NULL:
                return dumps(None)
            if value is None:
                return None if none_as_null else dumps(None)
            return dumps(value)

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Processor | None:
        loads = getattr(dialect, "json_deserializer", None) or json.loads

        def process(value: Any) -> Any:
            if isinstance(value, (str, bytes, bytearray)):
                return loads(value)
            return value

        return process

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str] | None:
        dumps = self._serializer(dialect)
        return lambda value: sql_string_literal(
            dumps(None if value is JSON_NULL else value), dialect)
