"""DDL statements (CreateTable, DropTable, ...) and the create_all / drop_all machinery."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.sql.elements import ClauseElement

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.schema._constraints import Constraint, ForeignKeyConstraint, Index
    from sqlwright.schema._defaults import Sequence
    from sqlwright.schema._table import Table
    from sqlwright.sql.compiler import Compiled

__all__ = [
    "DDL",
    "AddConstraint",
    "CreateIndex",
    "CreateSequence",
    "CreateTable",
    "DDLElement",
    "DropConstraint",
    "DropIndex",
    "DropSequence",
    "DropTable",
    "SetColumnComment",
    "SetTableComment",
    "sort_tables",
    "sort_tables_and_constraints",
]


class DDLElement(ClauseElement):
    """Base of DDL statements: compiled by the dialect's DDL compiler, never cached."""

    is_ddl = True
    is_executable = True
    _cacheable = False

    def _compiler(self, dialect: Dialect, **kw: Any) -> Compiled:
        return dialect.ddl_compiler(dialect, self, **kw)

    def _execute_on_connection(self, connection: Any, parameters: Any,
                               execution_options: Mapping[str, Any]) -> Any:
        from sqlwright.engine.context import ExecutionContext

        dialect = connection.dialect
        compiled = self.compile(dialect=dialect)
        opts = {**connection.get_execution_options(), **self._execution_options,
                **execution_options}
        connection._autobegin_if_needed()
        context = ExecutionContext.for_compiled(
            dialect, connection, compiled, [], None, opts)  # type: ignore[arg-type]
        return connection._run(context, context.statement, self, [])


class DDL(DDLElement):
    """A literal DDL statement: ``conn.execute(DDL("CREATE VIEW v AS SELECT 1"))``.

    ``%(table)s``, ``%(schema)s`` and ``%(fullname)s`` are filled from ``target`` (a Table)
    when one is given; write ``%%`` for a literal percent sign then.
    """

    __visit_name__ = "ddl"

    def __init__(self, statement: str, context: Mapping[str, Any] | None = None,
                 target: Table | None = None) -> None:
        if not isinstance(statement, str):
            raise exc.ArgumentError(f"DDL() takes a SQL string, not {type(statement).__name__}")
        self.statement = statement
        self.context = dict(context or {})
        self.target = target

    def against(self, target: Table) -> DDL:
        """A copy whose ``%(table)s`` placeholders refer to ``target``."""
        return DDL(self.statement, self.context, target)

    def __repr__(self) -> str:
        return f"DDL({self.statement!r})"


class _SchemaDDL(DDLElement):
    def __init__(self, element: Any, if_exists: bool = False,
                 if_not_exists: bool = False) -> None:
        self.element = element
        self.if_exists = if_exists
        self.if_not_exists = if_not_exists

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.element!r})"


class CreateTable(_SchemaDDL):
    """``CREATE TABLE``; ``include_foreign_key_constraints`` limits the inline foreign keys
    (the others are added later with ALTER TABLE)."""

    __visit_name__ = "create_table"

    def __init__(self, element: Table, include_foreign_key_constraints:
                 Iterable[ForeignKeyConstraint] | None = None,
                 if_not_exists: bool = False) -> None:
        super().__init__(element, if_not_exists=if_not_exists)
        self.include_foreign_key_constraints = (
            None if include_foreign_key_constraints is None
            else list(include_foreign_key_constraints))


class DropTable(_SchemaDDL):
    """``DROP TABLE [IF EXISTS]``."""

    __visit_name__ = "drop_table"

    def __init__(self, element: Table, if_exists: bool = False) -> None:
        super().__init__(element, if_exists=if_exists)


class CreateIndex(_SchemaDDL):
    """``CREATE [UNIQUE] INDEX``."""

    __visit_name__ = "create_index"

    def __init__(self, element: Index, if_not_exists: bool = False) -> None:
        super().__init__(element, if_not_exists=if_not_exists)


class DropIndex(_SchemaDDL):
    """``DROP INDEX [IF EXISTS]``."""

    __visit_name__ = "drop_index"

    def __init__(self, element: Index, if_exists: bool = False) -> None:
        super().__init__(element, if_exists=if_exists)


class AddConstraint(_SchemaDDL):
    """``ALTER TABLE t ADD <constraint>`` (where the dialect supports ALTER)."""

    __visit_name__ = "add_constraint"

    def __init__(self, element: Constraint) -> None:
        super().__init__(element)


class DropConstraint(_SchemaDDL):
    """``ALTER TABLE t DROP CONSTRAINT name [CASCADE]``."""

    __visit_name__ = "drop_constraint"

    def __init__(self, element: Constraint, cascade: bool = False,
                 if_exists: bool = False) -> None:
        super().__init__(element, if_exists=if_exists)
        self.cascade = cascade


class CreateSequence(_SchemaDDL):
    """``CREATE SEQUENCE`` (where the dialect has sequences)."""

    __visit_name__ = "create_sequence"


class DropSequence(_SchemaDDL):
    """``DROP SEQUENCE``."""

    __visit_name__ = "drop_sequence"


class SetTableComment(_SchemaDDL):
    """``COMMENT ON TABLE t IS '...'``."""

    __visit_name__ = "set_table_comment"


class SetColumnComment(_SchemaDDL):
    """``COMMENT ON COLUMN t.c IS '...'``."""

    __visit_name__ = "set_column_comment"


# -- running DDL ----------------------------------------------------------------------------
def run_ddl(bind: Any, fn: Callable[[Any], Any]) -> Any:
    """Run ``fn(connection)``: on an Engine inside a committed transaction, on a Connection
    as is (the caller commits)."""
    if hasattr(bind, "execute"):
        return fn(bind)
    if hasattr(bind, "begin"):
        with bind.begin() as conn:
            return fn(conn)
    raise exc.ArgumentError(
        f"Expected an Engine or a Connection to run DDL on, got {type(bind).__name__}; "
        "pass the engine from create_engine()")


def has_sequence(conn: Any, seq: Sequence) -> bool:
    """True when the sequence exists (dialects without sequences: always False)."""
    if not conn.dialect.features.supports_sequences:
        return False
    from sqlwright.inspection import inspect

    return bool(inspect(conn).has_sequence(seq.name, schema=seq.schema))


def sort_tables_and_constraints(
        tables: Iterable[Table]) -> tuple[list[Table], list[ForeignKeyConstraint]]:
    """Order ``tables`` so referenced tables come first.

    Returns the order and the foreign key constraints that had to be left out of the ordering
    to break cycles (plus every ``use_alter=True`` one); they must be added after the tables.
    """
    tables = list(tables)
    members = {id(t): t for t in tables}
    deferred: list[ForeignKeyConstraint] = []
    edges: dict[int, set[int]] = {id(t): set() for t in tables}
    fk_edges: list[tuple[ForeignKeyConstraint, int, int]] = []
    for table in tables:
        for fkc in sorted(table.foreign_key_constraints, key=lambda c: c._creation_order):
            if fkc.use_alter:
                deferred.append(fkc)
                continue
            target = _referred_table(fkc, table)
            if target is None or target is table or id(target) not in members:
                continue
            edges[id(table)].add(id(target))
            fk_edges.append((fkc, id(table), id(target)))
    order = _toposort(tables, edges)
    if order is None:
        cyclic = _cyclic_members(tables, edges)
        for fkc, src, dst in fk_edges:
            if src in cyclic and dst in cyclic:
                deferred.append(fkc)
                edges[src].discard(dst)
        order = _toposort(tables, edges)
        assert order is not None
    return order, deferred


def _referred_table(fkc: ForeignKeyConstraint, table: Table) -> Table | None:
    key = fkc.referred_table_key
    return table.metadata.tables.get(key) if table.metadata is not None else None


def _toposort(tables: list[Table], edges: dict[int, set[int]]) -> list[Table] | None:
    done: set[int] = set()
    order: list[Table] = []
    remaining = list(tables)
    while remaining:
        ready = [t for t in remaining if edges[id(t)] <= done]
        if not ready:
            return None
        for t in ready:
            done.add(id(t))
            order.append(t)
        remaining = [t for t in remaining if id(t) not in done]
    return order


def _cyclic_members(tables: list[Table], edges: dict[int, set[int]]) -> set[int]:
    """Ids of tables on some cycle (Tarjan's strongly connected components)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    result: set[int] = set()
    counter = [0]

    def visit(node: int) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                result.update(component)

    for table in tables:
        if id(table) not in index:
            visit(id(table))
    return result


def sort_tables(tables: Iterable[Table]) -> list[Table]:
    """``tables`` with referenced tables before the tables that refer to them."""
    return sort_tables_and_constraints(tables)[0]


class SchemaGenerator:
    """Creates and drops tables, indexes and sequences on one connection."""

    def __init__(self, connection: Any, checkfirst: bool) -> None:
        self.connection = connection
        self.dialect = connection.dialect
        self.features = connection.dialect.features
        self.checkfirst = checkfirst
        self._inspector: Any = None

    def _exists(self, table: Table) -> bool:
        from sqlwright.inspection import inspect

        if self._inspector is None:
            self._inspector = inspect(self.connection)
        self._inspector.clear_cache()
        return bool(self._inspector.has_table(table.name, schema=table.schema))

    def _can_defer(self) -> bool:
        return bool(self.features.supports_alter)

    def _forward_references(self) -> bool:
        ddl_compiler = self.dialect.ddl_compiler
        return bool(ddl_compiler.accepts_forward_foreign_keys(self.dialect))

    def create_all(self, tables: list[Table], sequences: list[Sequence]) -> None:
        """Create sequences, then tables in foreign key order, then deferred foreign keys."""
        if self.features.supports_sequences:
            for seq in _table_sequences(tables, sequences):
                if not (self.checkfirst and has_sequence(self.connection, seq)):
                    self.connection.execute(CreateSequence(seq))
        self.create_tables(tables)

    def create_tables(self, tables: list[Table]) -> None:
        """CREATE TABLE (and indexes, comments) for ``tables``, breaking FK cycles."""
        order, deferred = sort_tables_and_constraints(tables)
        if self.checkfirst:
            order = [t for t in order if not self._exists(t)]
        created = {id(t) for t in order}
        deferred = [c for c in deferred if c.table is not None and id(c.table) in created]
        inline_deferred = False
        if deferred and not self._can_defer():
            if not self._forward_references():
                names = sorted({str(c.table.name) for c in deferred if c.table is not None})
                raise exc.CircularDependencyError(
                    f"Tables {', '.join(names)} reference each other through foreign keys, "
                    f"and the {self.dialect.name} dialect can neither add a foreign key later "
                    "with ALTER TABLE nor create one that points at a table not created yet; "
                    "remove one foreign key from the cycle")
            inline_deferred = True
        for table in order:
            fks = [c for c in table.foreign_key_constraints
                   if inline_deferred or c not in deferred]
            self.connection.execute(CreateTable(table, include_foreign_key_constraints=fks))
            for index in sorted(table.indexes, key=lambda i: i._creation_order):
                self.connection.execute(CreateIndex(index))
            if self.features.supports_comments:
                self._comments(table)
        if not inline_deferred:
            for fkc in deferred:
                self.connection.execute(AddConstraint(fkc))

    def _comments(self, table: Table) -> None:
        if table.comment is not None:
            self.connection.execute(SetTableComment(table))
        for column in table.c:
            if column.comment is not None:
                self.connection.execute(SetColumnComment(column))

    def drop_all(self, tables: list[Table], sequences: list[Sequence]) -> None:
        """Drop tables in reverse foreign key order, then sequences."""
        self.drop_tables(tables)
        if self.features.supports_sequences:
            for seq in _table_sequences(tables, sequences):
                if not self.checkfirst or has_sequence(self.connection, seq):
                    self.connection.execute(DropSequence(seq))

    def drop_tables(self, tables: list[Table]) -> None:
        """DROP TABLE for ``tables``, dropping cycle-breaking foreign keys first."""
        order, deferred = sort_tables_and_constraints(tables)
        order.reverse()
        if self.checkfirst:
            order = [t for t in order if self._exists(t)]
        dropping = {id(t) for t in order}
        deferred = [c for c in deferred if c.table is not None and id(c.table) in dropping]
        if deferred and self._can_defer():
            for fkc in deferred:
                if fkc.name is None:
                    assert fkc.table is not None
                    raise exc.CircularDependencyError(
                        f"Can't drop the foreign key cycle involving table {fkc.table.name!r}: "
                        "its foreign key has no name, so ALTER TABLE cannot drop it. Give the "
                        "ForeignKey a name= (or set a naming convention on the MetaData)")
                self.connection.execute(DropConstraint(fkc))
        elif deferred:
            for statement in self.dialect.ddl_compiler.before_dropping_cycle(self.dialect):
                self.connection.exec_driver_sql(statement)
        for table in order:
            self.connection.execute(DropTable(table))


def _table_sequences(tables: list[Table], sequences: list[Sequence]) -> list[Sequence]:
    found: dict[int, Sequence] = {id(s): s for s in sequences}
    for table in tables:
        for column in table.c:
            default = column.default
            if default is not None and getattr(default, "is_sequence", False):
                found.setdefault(id(default), default)
    return list(found.values())
