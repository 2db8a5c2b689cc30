"""The ANSI base compiler: turns an expression tree into SQL text plus parameters.

Dispatch goes through a table built once per compiler class (``visit_<name>`` methods, see
:func:`sqlwright.sql.visitors.build_dispatch`); a dialect's compiler overrides one construct by
defining one method. The rules for each family of constructs live in mixins in the
``_compile_*`` modules; :class:`SQLCompiler` combines them.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from sqlwright import exc
from sqlwright.sql._compile_dml import DMLCompilerMixin
from sqlwright.sql._compile_expr import ExpressionCompilerMixin
from sqlwright.sql._compile_select import SelectCompilerMixin
from sqlwright.sql.elements import BindParameter, ClauseElement, TextClause
from sqlwright.sql.visitors import build_dispatch

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.types.base import TypeEngine

__all__ = ["BIND_TEMPLATES", "Compiled", "ResultColumn", "SQLCompiler"]

BIND_TEMPLATES = {
    "named": ":%(name)s",
    "pyformat": "%%(%(name)s)s",
    "qmark": "?",
    "format": "%%s",
    "numeric": ":[_POSITION]",
}
POSITIONAL_STYLES = frozenset({"qmark", "format", "numeric"})
_TEXT_BIND = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")
_BIND_NAME_ILLEGAL = re.compile(r"[^\w]")
_EXPANDING = re.compile(r"__\[EXPANDING_(\w+?)\]")
#: a positiontup entry standing for the values of an expanding bind
_EXPANDING_MARK = "\x00expanding:"


def _binds_conflict(a: BindParameter, b: BindParameter) -> bool:
    """Two bind parameters with one name must agree on expanding and on a given value."""
    if a.expanding != b.expanding:
        return True
    return a.value is not None and b.value is not None and a.value is not b.value \
        and a.value != b.value


class ResultColumn:
    """One column a compiled SELECT (or RETURNING) produces: its key, lookup objects, type."""

    __slots__ = ("key", "name", "objects", "type")

    def __init__(self, key: str, name: str, objects: tuple[Any, ...], type_: TypeEngine) -> None:
        self.key = key
        self.name = name
        self.objects = objects
        self.type = type_


class Compiled:
    """The SQL string of one statement for one dialect, and what is needed to execute it."""

    string: str = ""

    def __init__(self, dialect: Dialect, statement: ClauseElement | None,
                 compile_kwargs: Mapping[str, Any] | None = None) -> None:
        self.dialect = dialect
        self.statement = statement
        self.compile_kwargs = dict(compile_kwargs or {})

    def __str__(self) -> str:
        return self.string


class SQLCompiler(ExpressionCompilerMixin, SelectCompilerMixin, DMLCompilerMixin, Compiled):
    """Compiles statements and expressions; the base every dialect compiler extends."""

    _dispatch: ClassVar[dict[str, Callable[..., str]]] = {}

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        cls._dispatch = build_dispatch(cls)

    def __init__(
        self,
        dialect: Dialect,
        statement: ClauseElement | None,
        *,
        compile_kwargs: Mapping[str, Any] | None = None,
        column_keys: Sequence[str] = (),
        for_executemany: bool = False,
    ) -> None:
        super().__init__(dialect, statement, compile_kwargs)
        self.preparer = dialect.identifier_preparer
        self.paramstyle = dialect.paramstyle
        self.positional = self.paramstyle in POSITIONAL_STYLES
        self.bindtemplate = BIND_TEMPLATES[self.paramstyle]
        self.escape_percent = self.paramstyle in ("format", "pyformat")
        self.literal_binds = bool(self.compile_kwargs.get("literal_binds"))
        self.for_executemany = for_executemany
        #: for INSERT/UPDATE: the parameter names given at execution (they pick the columns)
        self.column_keys = tuple(column_keys)
        #: bind name -> BindParameter, in order of first appearance
        self.binds: dict[str, BindParameter] = {}
        #: BindParameter object -> the name it renders as
        self.bind_names: dict[BindParameter, str] = {}
        #: positional parameter names in SQL order (qmark/format/numeric)
        self.positiontup: list[str] = []
        self.result_columns: list[ResultColumn] = []
        self.has_expanding = False
        #: per-bind (name, name hint, BindParameter) plan of construct_params_many, made once
        self._param_plan: list[tuple[str, str | None, BindParameter]] | None = None
        #: (bind processors, positional getter) of the execution context, made once
        self.driver_plan: tuple[list[tuple[str, Any]], Any] | None = None
        self._anon_counts: dict[str, int] = {}
        #: the statement kind, read by the execution context
        self.isinsert = self.isupdate = self.isdelete = False
        self.returning: Sequence[Any] | None = None
        self.returning_primary_key = False
        #: an INSERT's columns whose values the execution context must supply (Python defaults)
        self.insert_prefetch: list[Any] = []
        self.update_prefetch: list[Any] = []
        self.postfetch: list[Any] = []
        #: the table an INSERT targets, for inserted_primary_key
        self.dml_table: Any = None
        if statement is not None:
            self.string = self.process(statement, **self.compile_kwargs)
            if self.paramstyle == "numeric" and not self.has_expanding:
                self._number_positions()
        self._bind_processors: dict[str, Callable[[Any], Any]] | None = None

    # -- dispatch ---------------------------------------------------------------------------
    def process(self, element: Any, **kw: Any) -> str:
        """Render ``element`` by its ``visit_<name>`` rule."""
        try:
            meth = self._dispatch[element.__visit_name__]
        except AttributeError:
            clause = getattr(element, "__clause_element__", None)
            if clause is None:
                raise exc.ArgumentError(
                    f"Cannot compile {element!r}: it is not a SQL expression") from None
            return self.process(clause(), **kw)
        except KeyError:
            raise exc.UnsupportedCompilationError(
                f"The {self.dialect.name} compiler ({type(self).__name__}) has no rule for "
                f"{type(element).__name__} (visit_{element.__visit_name__})"
            ) from None
        return meth(self, element, **kw)

    # -- names ------------------------------------------------------------------------------
    def anon_name(self, base: str) -> str:
        """A name unique within this statement: ``base_1``, ``base_2`` ..."""
        base = _BIND_NAME_ILLEGAL.sub("_", base) or "param"
        count = self._anon_counts.get(base, 0) + 1
        self._anon_counts[base] = count
        return f"{base}_{count}"

    def _bind_name(self, bind: BindParameter) -> str:
        name = self.bind_names.get(bind)
        if name is not None:
            return name
        if bind.key is None:
            name = self.anon_name(bind._name_hint)
        else:
            name = bind.key
            existing = self.binds.get(name)
            if existing is not None and existing is not bind and _binds_conflict(existing, bind):
                raise exc.CompileError(
                    f"Bind parameter {name!r} appears twice with different values; give one "
                    "of them another name or use unique=True"
                )
        self.bind_names[bind] = name
        self.binds.setdefault(name, bind)
        return name

    def bindparam_string(self, name: str, **kw: Any) -> str:
        """Render the placeholder for bind ``name`` in the dialect's paramstyle."""
        if self.positional:
            self.positiontup.append(name)
        return self.bindtemplate % {"name": name}

    def _number_positions(self) -> None:
        counter = iter(range(1, len(self.positiontup) + 1))
        self.string = re.sub(r"\[_POSITION\]", lambda m: str(next(counter)), self.string)

    # -- binds and literals -----------------------------------------------------------------
    def visit_bindparam(self, bind: BindParameter, literal_binds: bool = False,
                        **kw: Any) -> str:
        if literal_binds or self.literal_binds or bind.literal_execute:
            if bind.required and bind.value is None and bind.callable is None:
                raise exc.CompileError(
                    f"Bind parameter {bind.key!r} has no value to render inline (literal_binds)")
            value = bind.effective_value()
            if bind.expanding:
                return "(" + ", ".join(self.render_literal_value(v, bind.type) for v in value) + ")"
            return self.render_literal_value(value, bind.type)
        name = self._bind_name(bind)
        if bind.expanding:
            self.has_expanding = True
            if self.positional:  # expand() puts the values' positions here
                self.positiontup.append(_EXPANDING_MARK + name)
            return f"(__[EXPANDING_{name}])"
        return self.bindparam_string(name, **kw)

    def render_literal_value(self, value: Any, type_: TypeEngine) -> str:
        """Render a Python value as an inline SQL literal, escaped for this dialect."""
        processor = type_.dialect_impl(self.dialect).literal_processor(self.dialect)
        if processor is not None:
            return processor(value)
        return self.render_plain_literal(value)

    def render_plain_literal(self, value: Any) -> str:
        """The default inline rendering of plain Python values."""
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return self.render_bool_literal(value)
        if isinstance(value, (int, float, decimal.Decimal)):
            return repr(value) if isinstance(value, float) else str(value)
        if isinstance(value, str):
            return self.render_string_literal(value)
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            return self.render_string_literal(value.isoformat(sep=" ")
                                              if isinstance(value, datetime.datetime)
                                              else value.isoformat())
        if isinstance(value, (bytes, bytearray, memoryview)):
            return "X'" + bytes(value).hex() + "'"
        raise exc.CompileError(
            f"Don't know how to render a {type(value).__name__} value inline; give the "
            "expression a type with a literal_processor, or use a bound parameter"
        )

    def render_bool_literal(self, value: bool) -> str:
        """``true``/``false`` where booleans are native, else ``1``/``0``."""
        if self.dialect.features.supports_native_boolean:
            return "true" if value else "false"
        return "1" if value else "0"

    def render_string_literal(self, value: str) -> str:
        """A quoted string literal with quotes doubled (and ``%`` doubled for format styles)."""
        escaped = value.replace("'", "''")
        if self.escape_percent:
            escaped = escaped.replace("%", "%%")
        return f"'{escaped}'"

    # -- text -------------------------------------------------------------------------------
    def post_process_text(self, text: str) -> str:
        """Escape ``%`` in literal SQL for the format/pyformat paramstyles."""
        if self.escape_percent:
            return text.replace("%", "%%")
        return text

    def visit_textclause(self, clause: TextClause, **kw: Any) -> str:
        def render(match: re.Match[str]) -> str:
            return self.process(clause._bindparams[match.group(1)], **kw)

        text = self.post_process_text(clause.text)
        return _TEXT_BIND.sub(render, text).replace("\\:", ":")

    # -- parameters -------------------------------------------------------------------------
    def construct_params(
        self,
        params: Mapping[str, Any] | None = None,
        extracted: Sequence[BindParameter] | None = None,
        *,
        _check: bool = True,
    ) -> dict[str, Any]:
        """The values for every bind, by name: the statement's own, overridden by ``params``.

        ``extracted`` are the bind parameters of a statement that shares this compiled form's
        cache key; their values replace the ones compiled in (they come in the same order).
        """
        return self.construct_params_many([params], extracted, _check=_check)[0]

    def construct_params_many(
        self,
        param_sets: Sequence[Mapping[str, Any] | None],
        extracted: Sequence[BindParameter] | None = None,
        *,
        _check: bool = True,
    ) -> list[dict[str, Any]]:
        """:meth:`construct_params` for each parameter set; the per-bind plan is made once."""
        replace: dict[BindParameter, BindParameter] = {}
        if extracted is not None and self.statement is not None:
            original = self.cache_key_binds
            if original is not None and len(original) == len(extracted):
                replace = {o: n for o, n in zip(original, extracted) if o is not n}
        plan = self._param_plan if not replace else None
        if plan is None:
            plan = []
            for name, bind in self.binds.items():
                current = replace.get(bind, bind)
                hint = bind._name_hint if bind.key is None else None
                plan.append((name, hint, current))
            if not replace:
                self._param_plan = plan
        out = []
        for params in param_sets:
            result: dict[str, Any] = {}
            for name, hint, current in plan:
                if params:
                    if name in params:
                        result[name] = params[name]
                        continue
                    if hint is not None and hint in params:
                        result[name] = params[hint]
                        continue
                if current.callable is not None:
                    result[name] = current.callable()
                elif _check and current.required and current.value is None:
                    raise exc.InvalidRequestError(
                        f"A value is required for bind parameter {name!r}; pass it in the "
                        f"parameters: execute(stmt, {{{name!r}: ...}})"
                    )
                else:
                    result[name] = current.value
            out.append(result)
        return out

    @property
    def cache_key_binds(self) -> Sequence[BindParameter] | None:
        """The bind parameters of the compiled statement, in cache-key order."""
        found = getattr(self, "_cache_key_binds", None)
        if found is None and self.statement is not None:
            key = self.statement._generate_cache_key()
            found = list(key.bindparams) if key is not None else []
            self._cache_key_binds = found
        return found

    @property
    def params(self) -> dict[str, Any]:
        """The statement's bound values by name (without checking required ones)."""
        return self.construct_params(_check=False)

    def bind_processors(self) -> dict[str, Callable[[Any], Any]]:
        """Per-bind conversion functions, computed once per compiled statement."""
        if self._bind_processors is None:
            procs = {}
            for name, bind in self.binds.items():
                proc = bind.type._cached_bind_processor(self.dialect)
                if proc is not None:
                    procs[name] = proc
            self._bind_processors = procs
        return self._bind_processors

    def expand(self, params: dict[str, Any]
               ) -> tuple[str, dict[str, Any], list[str], dict[str, tuple[str, int | None]]]:
        """Render expanding IN parameters for these values.

        Returns the new SQL, the new parameters, the positional order (positional styles) and
        a map from each generated parameter name to ``(expanding bind name, tuple index or
        None)``, for applying the right bind processor.
        """
        new_params = dict(params)
        origin: dict[str, tuple[str, int | None]] = {}
        rendered: dict[str, tuple[str, list[str]]] = {}
        for name in dict.fromkeys(_EXPANDING.findall(self.string)):
            rendered[name] = self._expand_one(name, new_params, origin)

        sql = _EXPANDING.sub(lambda m: rendered[m.group(1)][0], self.string)
        positions: list[str] = []
        if self.positional:
            for entry in self.positiontup:
                if entry.startswith(_EXPANDING_MARK):
                    positions.extend(rendered[entry[len(_EXPANDING_MARK):]][1])
                else:
                    positions.append(entry)
            if self.paramstyle == "numeric":
                counter = iter(range(1, len(positions) + 1))
                sql = re.sub(r"\[_POSITION\]", lambda m: str(next(counter)), sql)
        return sql, new_params, positions, origin

    def _expand_one(self, name: str, params: dict[str, Any],
                    origin: dict[str, tuple[str, int | None]]) -> tuple[str, list[str]]:
        values = params.pop(name, None)
        if values is None or isinstance(values, (str, bytes)):
            raise exc.ArgumentError(
                f"Parameter {name!r} of an IN expression needs a list of values, got {values!r}")
        values = list(values)
        if not values:
            return self.render_empty_in(self.binds[name]), []
        groups = []
        names: list[str] = []
        for i, value in enumerate(values, 1):
            sub = f"{name}_{i}"
            if isinstance(value, tuple):
                subs = [f"{sub}_{j}" for j in range(1, len(value) + 1)]
                for j, (element, element_value) in enumerate(zip(subs, value)):
                    params[element] = element_value
                    origin[element] = (name, j)
            else:
                subs = [sub]
                params[sub] = value
                origin[sub] = (name, None)
            names.extend(subs)
            parts = [self.bindtemplate % {"name": n} for n in subs]
            groups.append(parts[0] if len(parts) == 1 else f"({', '.join(parts)})")
        return ", ".join(groups), names

    def render_empty_in(self, bind: BindParameter) -> str:
        """What an expanding IN renders for an empty list: a subquery with no rows.

        ``x IN (<no rows>)`` is false and ``x NOT IN (<no rows>)`` true, NULL or not. The NULL
        is cast to the parameter's type so that strictly typed databases accept the comparison.
        """
        element_types = getattr(bind.type, "types", None) or [bind.type]
        nulls = ", ".join(self._typed_null(t) for t in element_types)
        from_ = " FROM DUAL" if self.dialect.features.requires_from_clause else ""
        return f"SELECT {nulls}{from_} WHERE 1 != 1"

    def _typed_null(self, type_: TypeEngine) -> str:
        if type_._static_cache_key[0].__name__ == "NullType":
            return "NULL"
        try:
            return f"CAST(NULL AS {self.dialect.type_compiler_instance.process(type_)})"
        except exc.CompileError:
            return "NULL"


SQLCompiler._dispatch = build_dispatch(SQLCompiler)
