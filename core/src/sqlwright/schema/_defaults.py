"""Column defaults and generated values: ColumnDefault, DefaultClause, Sequence, Identity,
Computed and FetchedValue."""

from __future__ import annotations

import inspect as _inspect
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.sql.elements import ColumnElement

_CREATION_ORDER = itertools.count()

if TYPE_CHECKING:
    from sqlwright.schema._column import Column
    from sqlwright.schema._table import MetaData

__all__ = ["ColumnDefault", "Computed", "DefaultClause", "FetchedValue", "Identity", "Sequence"]


class SchemaItem:
    """Base of everything that attaches to a Table, a Column or a MetaData.

    Every item records its creation order, so DDL renders constraints and indexes in the order
    they were written.
    """

    info: dict[str, Any]
    _creation_order: int

    def __new__(cls, *args: Any, **kw: Any) -> Any:
        self = super().__new__(cls)
        self._creation_order = next(_CREATION_ORDER)
        return self

    def _set_parent(self, parent: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class FetchedValue(SchemaItem):
    """Marks a value the database produces (a trigger, a server default) that sqlwright
    cannot render but should fetch after INSERT or UPDATE."""

    is_server_default = True
    is_sequence = False
    is_identity = False
    is_computed = False
    is_clause_element = False
    has_argument = False

    def __init__(self, for_update: bool = False) -> None:
        self.for_update = for_update
        self.column: Column | None = None

    def _set_parent(self, column: Column) -> None:
        self.column = column
        if self.for_update:
            column.server_onupdate = self
        else:
            column.server_default = self

    def __repr__(self) -> str:
        return f"{type(self).__name__}(for_update={self.for_update})"


class DefaultClause(FetchedValue):
    """A server-side default rendered in DDL: ``DEFAULT <arg>``.

    ``arg`` is a string (rendered as a quoted literal), a ``text()`` (rendered as is) or a SQL
    expression such as ``func.now()`` (rendered inline).
    """

    has_argument = True

    def __init__(self, arg: Any, for_update: bool = False) -> None:
        from sqlwright.sql.elements import ClauseElement

        if not isinstance(arg, (str, ClauseElement)) and \
                getattr(arg, "__clause_element__", None) is None:
            raise exc.ArgumentError(
                f"server_default must be a string, text() or a SQL expression, not "
                f"{type(arg).__name__}; write server_default=text('{arg}') for a literal "
                "number or keyword"
            )
        super().__init__(for_update)
        self.arg = arg
        self.is_clause_element = not isinstance(arg, str)

    def __repr__(self) -> str:
        return f"DefaultClause({self.arg!r}, for_update={self.for_update})"


class ColumnDefault(SchemaItem):
    """A default applied by sqlwright on INSERT (or UPDATE for ``onupdate``).

    ``arg`` is a scalar, a Python callable (taking no argument or the execution context) or a
    SQL expression that DML renders inline.
    """

    is_sequence = False
    is_server_default = False
    is_identity = False

    def __init__(self, arg: Any, for_update: bool = False) -> None:
        from sqlwright.sql.elements import ClauseElement

        if isinstance(arg, (ColumnDefault, FetchedValue, Sequence)):
            raise exc.ArgumentError(
                f"ColumnDefault got a {type(arg).__name__}; pass it to Column directly")
        self.for_update = for_update
        self.column: Column | None = None
        self.is_clause_element = isinstance(arg, ClauseElement) or \
            getattr(arg, "__clause_element__", None) is not None
        self.is_callable = callable(arg) and not self.is_clause_element
        self.is_scalar = not (self.is_callable or self.is_clause_element)
        self.arg = _wrap_callable(arg) if self.is_callable else arg
        if self.is_clause_element and not isinstance(arg, ClauseElement):
            self.arg = arg.__clause_element__()

    def _set_parent(self, column: Column) -> None:
        self.column = column
        if self.for_update:
            column.onupdate = self
        else:
            column.default = self

    def execute_python(self, context: Any, params: Any = None) -> Any:
        """The value for one row: the scalar, or the callable's result given ``context``."""
        if self.is_callable:
            return self.arg(context)
        if self.is_clause_element:
            raise exc.InvalidRequestError(
                "A SQL-expression default is rendered in the statement, not computed in Python")
        return self.arg

    def __repr__(self) -> str:
        return f"ColumnDefault({self.arg!r})"


def _wrap_callable(fn: Callable[..., Any]) -> Callable[[Any], Any]:
    """Make a default callable uniformly take the execution context."""
    try:
        sig = _inspect.signature(fn)
    except (TypeError, ValueError):
        return lambda ctx: fn()
    positional = [
        p for p in sig.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    if not positional:
        return lambda ctx: fn()
    if len(positional) == 1:
        return fn
    raise exc.ArgumentError(
        f"A column default callable takes no argument or one (the execution context); "
        f"{getattr(fn, '__name__', fn)!r} needs {len(positional)}"
    )


class Sequence(SchemaItem):
    """A database sequence (``CREATE SEQUENCE``); as a Column argument it is the column's
    default where the dialect supports sequences, and ignored elsewhere."""

    is_sequence = True
    is_server_default = False
    is_clause_element = False
    is_callable = False
    is_scalar = False
    is_identity = False

    def __init__(self, name: str, start: int | None = None, increment: int | None = None,
                 minvalue: int | None = None, maxvalue: int | None = None,
                 cycle: bool | None = None, cache: int | None = None,
                 schema: str | None = None, optional: bool = False,
                 metadata: MetaData | None = None, order: bool | None = None) -> None:
        if not name:
            raise exc.ArgumentError("Sequence() needs a name")
        self.name = name
        self.start = start
        self.increment = increment
        self.minvalue = minvalue
        self.maxvalue = maxvalue
        self.cycle = cycle
        self.cache = cache
        self.order = order
        self.schema = schema
        self.optional = optional
        self.metadata: MetaData | None = None
        self.column: Column | None = None
        self.for_update = False
        if metadata is not None:
            self._set_metadata(metadata)

    def next_value(self) -> NextValue:
        """An expression for this sequence's next value (``nextval('s')``, ``NEXT VALUE FOR s``),
        usable in select(), insert().values() and as a server-side default."""
        return NextValue(self)

    def _set_metadata(self, metadata: MetaData) -> None:
        self.metadata = metadata
        if self.schema is None:
            self.schema = metadata.schema
        metadata._sequences[self._key] = self

    @property
    def _key(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def _set_parent(self, column: Column) -> None:
        self.column = column
        column.default = self

    def create(self, bind: Any, checkfirst: bool = True) -> None:
        """CREATE SEQUENCE on ``bind`` (an Engine or Connection)."""
        from sqlwright.schema._ddl import CreateSequence, run_ddl

        run_ddl(bind, lambda conn: _create_sequence(conn, self, checkfirst, CreateSequence))

    def drop(self, bind: Any, checkfirst: bool = True) -> None:
        """DROP SEQUENCE on ``bind``."""
        from sqlwright.schema._ddl import DropSequence, run_ddl

        run_ddl(bind, lambda conn: _create_sequence(conn, self, checkfirst, DropSequence))

    def __repr__(self) -> str:
        return f"Sequence({self.name!r})"


def _create_sequence(conn: Any, seq: Sequence, checkfirst: bool, element_cls: Any) -> None:
    from sqlwright.schema._ddl import has_sequence

    exists = has_sequence(conn, seq) if checkfirst else None
    creating = element_cls.__name__ == "CreateSequence"
    if checkfirst and exists == creating:
        return
    conn.execute(element_cls(seq))


class Identity(SchemaItem):
    """``GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY`` on a column, where the dialect has
    identity columns; elsewhere the column is an ordinary autoincrementing primary key."""

    __visit_name__ = "identity_column"
    is_sequence = False
    is_server_default = True
    is_identity = True
    is_clause_element = False
    has_argument = False
    for_update = False

    def __init__(self, always: bool = False, on_null: bool | None = None,
                 start: int | None = None, increment: int | None = None,
                 minvalue: int | None = None, maxvalue: int | None = None,
                 cycle: bool | None = None, cache: int | None = None,
                 order: bool | None = None) -> None:
        self.always = always
        self.on_null = on_null
        self.start = start
        self.increment = increment
        self.minvalue = minvalue
        self.maxvalue = maxvalue
        self.cycle = cycle
        self.cache = cache
        self.order = order
        self.column: Column | None = None

    def _set_parent(self, column: Column) -> None:
        if column.server_default is not None and column.server_default is not self:
            raise exc.ArgumentError(
                f"Column {column.name!r} has both a server_default and an Identity; "
                "keep only one of them")
        self.column = column
        column.identity = self
        column.server_default = self
        column.nullable = False if column._user_nullable is None else column.nullable

    def __repr__(self) -> str:
        return f"Identity(always={self.always})"


class Computed(SchemaItem):
    """``GENERATED ALWAYS AS (<sqltext>) [STORED]``: a column the database computes."""

    __visit_name__ = "computed_column"
    is_server_default = True
    is_sequence = False
    is_identity = False
    is_computed = True
    is_clause_element = False
    has_argument = False
    for_update = False

    def __init__(self, sqltext: Any, persisted: bool | None = None) -> None:
        from sqlwright.sql.elements import text

        self.sqltext = text(sqltext) if isinstance(sqltext, str) else sqltext
        self.persisted = persisted
        self.column: Column | None = None

    def _set_parent(self, column: Column) -> None:
        self.column = column
        column.computed = self
        column.server_default = self
        column.server_onupdate = self

    def __repr__(self) -> str:
        return f"Computed({self.sqltext!r}, persisted={self.persisted})"


class NextValue(ColumnElement):
    """The next value of a Sequence; compiled by the dialect's ``visit_next_value`` rule."""

    __visit_name__ = "next_value"
    _traverse_internals = (("sequence", "object"),)

    def __init__(self, sequence: Sequence) -> None:
        from sqlwright.types import Integer

        self.sequence = sequence
        self.type = Integer()
