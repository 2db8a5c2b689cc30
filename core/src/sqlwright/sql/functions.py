"""SQL functions: ``func.<name>(...)`` and the typed generic functions.

Any attribute of :data:`func` names a SQL function (``func.json_extract(col, "$.a")``); dotted
access adds a package prefix (``func.pkg.fn()``). Names registered by a
:class:`GenericFunction` subclass (case-insensitively) get that class, which knows the return
type: ``func.count()`` is an Integer ``count(*)``, ``func.max(col)`` has the type of ``col``.
Define a ``GenericFunction`` subclass to register your own.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlwright import exc
from sqlwright.sql import coercions
from sqlwright.sql.elements import ClauseElement, ColumnElement
from sqlwright.sql.expression import (
    ClauseList,
    FunctionFilter,
    Over,
    WithinGroup,
    literal_column,
    sql_type,
)
from sqlwright.types.base import NULLTYPE, TypeEngine, to_instance

__all__ = ["Function", "FunctionElement", "GenericFunction", "func", "register_function"]


class FunctionElement(ColumnElement):
    """Base of SQL function calls: arguments in ``clauses``, plus window/filter helpers."""

    __visit_name__ = "function"
    clauses: ClauseList
    name: str = ""
    packagenames: tuple[str, ...] = ()

    def _set_arguments(self, name: str, args: tuple[Any, ...]) -> None:
        coerced = [coercions.expect("expression", a, name_hint=name) for a in args]
        self.clauses = ClauseList(*coerced)

    @property
    def _from_objects(self) -> list[Any]:
        return self.clauses._from_objects

    @property
    def _anon_name_label(self) -> str:
        return self.name

    def over(self, partition_by: Any = None, order_by: Any = None,
             rows: tuple[int | None, int | None] | None = None,
             range_: tuple[int | None, int | None] | None = None) -> Over:
        """This function as a window function: ``func.rank().over(order_by=t.c.score)``."""
        return Over(self, partition_by, order_by, rows, range_)

    def filter(self, *criterion: Any) -> FunctionFilter:
        """``agg(...) FILTER (WHERE ...)``: aggregate only the rows matching ``criterion``."""
        return FunctionFilter(self, *criterion)

    def within_group(self, *order_by: Any) -> WithinGroup:
        """``agg(...) WITHIN GROUP (ORDER BY ...)`` for ordered-set aggregates."""
        return WithinGroup(self, *order_by)

    def self_group(self, against: Any = None) -> ClauseElement:
        return self


class Function(FunctionElement):
    """A call of the SQL function ``name`` (rendered as written, with ``packagenames.``)."""

    __visit_name__ = "function"
    _traverse_internals = (("name", "plain"), ("packagenames", "plain"), ("clauses", "clause"),
                           ("type", "type"))

    def __init__(self, name: str, *clauses: Any, type_: Any = None,
                 packagenames: tuple[str, ...] = ()) -> None:
        self.name = name
        self.key = name
        self.packagenames = tuple(packagenames)
        self._set_arguments(name, clauses)
        self.type = to_instance(type_)

    def __repr__(self) -> str:
        return f"Function({'.'.join((*self.packagenames, self.name))})"


_REGISTRY: dict[str, type[GenericFunction]] = {}


def register_function(name: str, cls: type[GenericFunction]) -> None:
    """Make ``func.<name>`` (any case) build ``cls``."""
    _REGISTRY[name.lower()] = cls


class GenericFunction(Function):
    """A function with a known name and return type, registered on definition.

    Subclasses set ``type`` (a TypeEngine instance) or override :meth:`return_type`, and may
    set ``identifier`` (the registry key, the class name by default) and ``name`` (the SQL
    name, the identifier by default).
    """

    identifier: ClassVar[str | None] = None
    #: a fixed return type; None means "computed by return_type()"
    return_type_name: ClassVar[str | None] = None

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        identifier = cls.__dict__.get("identifier") or cls.__name__
        if "name" not in cls.__dict__:
            cls.name = identifier
        register_function(identifier, cls)

    def __init__(self, *args: Any, type_: Any = None, **kw: Any) -> None:
        if kw:
            raise exc.ArgumentError(
                f"func.{self.name}() got unexpected keyword arguments {sorted(kw)}; functions "
                "take positional arguments and type_=")
        self.key = self.name
        self.packagenames = ()
        self._set_arguments(self.name, args)
        self.type = to_instance(type_) if type_ is not None else self.return_type()

    def return_type(self) -> TypeEngine:
        """The type of this call's result (from ``return_type_name``, else NullType)."""
        if self.return_type_name is not None:
            return sql_type(self.return_type_name)
        return NULLTYPE

    def _first_arg_type(self) -> TypeEngine:
        for clause in self.clauses:
            type_ = getattr(clause, "type", NULLTYPE)
            if type(type_).__name__ != "NullType":
                return type_
        return NULLTYPE


class ReturnTypeFromArgs(GenericFunction):
    """A function whose result has the type of its first typed argument."""

    identifier = "_return_type_from_args"

    def return_type(self) -> TypeEngine:
        return self._first_arg_type()


class count(GenericFunction):
    """``count(expr)``; ``func.count()`` renders ``count(*)``."""

    return_type_name = "Integer"

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*(args or (literal_column("*"),)), **kw)


class avg(GenericFunction):
    """``avg(expr)``: Float for integer arguments, else the argument's type."""

    def return_type(self) -> TypeEngine:
        arg = self._first_arg_type()
        integer = sql_type("Integer")
        if integer is not NULLTYPE and isinstance(arg, type(integer)):
            return sql_type("Float")
        return arg


class now(GenericFunction):
    """The current timestamp (rendered ``CURRENT_TIMESTAMP``, which every database has)."""

    return_type_name = "DateTime"


def _define(names: str, base: type[GenericFunction], type_name: str | None = None) -> None:
    for name in names.split():
        attrs: dict[str, Any] = {"identifier": name, "name": name, "__module__": __name__}
        if type_name is not None:
            attrs["return_type_name"] = type_name
        type(name, (base,), attrs)


_define("sum min max abs round coalesce lag lead first_value last_value nth_value",
        ReturnTypeFromArgs)
_define("current_timestamp localtimestamp", GenericFunction, "DateTime")
_define("current_date", GenericFunction, "Date")
_define("current_time localtime", GenericFunction, "Time")
_define("lower upper concat trim ltrim rtrim replace substr group_concat current_user "
        "session_user", GenericFunction, "String")
_define("length char_length row_number rank dense_rank ntile", GenericFunction, "Integer")
_define("random percent_rank cume_dist", GenericFunction, "Float")

#: SQL functions written without parentheses when called with no arguments.
ANSI_NO_PARENS = frozenset({
    "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp",
    "current_user", "session_user",
})


class _FunctionGenerator:
    """``func``: attribute access names a function, calling it builds the call."""

    __slots__ = ("_names",)

    def __init__(self, names: tuple[str, ...] = ()) -> None:
        self._names = names

    def __getattr__(self, name: str) -> _FunctionGenerator:
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith("_"):
            name = name[:-1]  # func.filter_ -> filter (Python keyword clash)
        return _FunctionGenerator((*self._names, name))

    def __call__(self, *args: Any, **kw: Any) -> Function:
        if not self._names:
            raise exc.ArgumentError("func needs a function name: func.count(), func.lower(x)")
        if len(self._names) == 1:
            cls = _REGISTRY.get(self._names[0].lower())
            if cls is not None:
                return cls(*args, **kw)
        return Function(self._names[-1], *args, packagenames=self._names[:-1], **kw)

    def __repr__(self) -> str:
        return f"func.{'.'.join(self._names)}" if self._names else "func"


#: The SQL function namespace: ``func.count()``, ``func.lower(t.c.name)``, ``func.my_fn(1)``.
func = _FunctionGenerator()
