"""The DDL compiler: CREATE / DROP / ALTER statements for schema objects.

Expressions inside DDL (CHECK conditions, server defaults, index expressions) are rendered by
the dialect's SQL compiler, with values inline and column names unqualified, so a dialect's
expression rules apply there too. A dialect overrides one construct by one method.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.sql.compiler import SQLCompiler

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.sql.elements import ClauseElement

__all__ = ["DDLCompiler"]

_REFERENTIAL_ACTION = re.compile(r"^(CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION)$", re.I)
_INITIALLY = re.compile(r"^(DEFERRED|IMMEDIATE)$", re.I)
_MATCH = re.compile(r"^(FULL|PARTIAL|SIMPLE)$", re.I)


class DDLCompiler(SQLCompiler):
    """Compiles DDL elements; dialects subclass it and override one rule per construct."""

    def __init__(self, dialect: Dialect, statement: ClauseElement | None, **kw: Any) -> None:
        self.sql_compiler = dialect.statement_compiler(dialect, None)
        self.type_compiler = dialect.type_compiler_instance
        self.features = dialect.features
        super().__init__(dialect, statement, **kw)

    @classmethod
    def accepts_forward_foreign_keys(cls, dialect: Dialect) -> bool:
        """Can CREATE TABLE declare a foreign key to a table that does not exist yet?

        create_all uses this to create a foreign key cycle on a database without ALTER TABLE
        ADD CONSTRAINT.
        """
        return dialect.features.supports_forward_foreign_keys

    @classmethod
    def before_dropping_cycle(cls, dialect: Dialect) -> list[str]:
        """Statements drop_all runs before dropping tables whose foreign keys form a cycle it
        cannot break with ALTER TABLE; none by default."""
        return []

    # -- helpers -----------------------------------------------------------------------------
    def render_expression(self, expr: Any) -> str:
        """An expression inside DDL: values inline, columns without their table."""
        return self.sql_compiler.process(expr, literal_binds=True, include_table=False)

    def format_table(self, table: Any) -> str:
        """The table's name, schema-qualified and quoted as needed."""
        return self.preparer.format_table_name(table.name, table.schema)

    def format_column(self, column: Any) -> str:
        """A column name, quoted as needed."""
        return self.preparer.quote(column.name, force=column.quote)

    def format_name(self, name: str, generated: bool = False) -> str:
        """A constraint or index name, quoted, shortened when a convention made it too long."""
        limit = self.features.max_identifier_length
        if len(name) > limit:
            from sqlwright.schema import conv

            if not isinstance(name, conv) and not generated:
                raise exc.CompileError(
                    f"Identifier {name!r} is {len(name)} characters long; the "
                    f"{self.dialect.name} dialect allows {limit}. Choose a shorter name")
            digest = hashlib.md5(name.encode()).hexdigest()[:8]
            name = f"{name[:limit - 9]}_{digest}"
        return self.preparer.quote(name)

    def _constraint_prefix(self, constraint: Any) -> str:
        name = constraint.name
        return f"CONSTRAINT {self.format_name(name)} " if name else ""

    def _constraint_suffix(self, constraint: Any) -> str:
        """DEFERRABLE / INITIALLY, where the database has them (else constraints are checked
        at once, which is what those databases do anyway)."""
        text = ""
        if not self.features.supports_deferrable_constraints:
            return text
        if constraint.deferrable is not None:
            text += " DEFERRABLE" if constraint.deferrable else " NOT DEFERRABLE"
        if constraint.initially is not None:
            if not _INITIALLY.match(constraint.initially):
                raise exc.CompileError(
                    f"initially={constraint.initially!r} is not DEFERRED or IMMEDIATE")
            text += f" INITIALLY {constraint.initially.upper()}"
        return text

    # -- CREATE / DROP TABLE -----------------------------------------------------------------
    def visit_create_table(self, create: Any, **kw: Any) -> str:
        table = create.element
        if not list(table.c):
            raise exc.CompileError(
                f"Table {table.name!r} has no columns; add at least one Column before creating it")
        lines = [self.get_column_specification(column) for column in table.c]
        lines.extend(self.create_table_constraints(table, create.include_foreign_key_constraints))
        prefixes = "".join(f"{p} " for p in table.prefixes)
        exists = self._if_not_exists(create)
        body = ",\n\t".join(lines)
        return (f"CREATE {prefixes}TABLE {exists}{self.format_table(table)} (\n\t{body}\n)"
                f"{self.post_create_table(table)}")

    def _if_not_exists(self, element: Any) -> str:
        if not element.if_not_exists:
            return ""
        if not self.features.supports_if_exists:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect has no IF NOT EXISTS "
                "(features.supports_if_exists is False); use checkfirst=True instead")
        return "IF NOT EXISTS "

    def _if_exists(self, element: Any) -> str:
        if not element.if_exists:
            return ""
        if not self.features.supports_if_exists:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect has no IF EXISTS "
                "(features.supports_if_exists is False); use checkfirst=True instead")
        return "IF EXISTS "

    def post_create_table(self, table: Any) -> str:
        """Text after the closing parenthesis (table options); nothing by default."""
        return ""

    def create_table_constraints(self, table: Any, include_fks: list[Any] | None) -> list[str]:
        """The table-level constraint clauses: primary key first, then in creation order."""
        out = []
        pk = self.render_primary_key(table)
        if pk:
            out.append(pk)
        others = sorted((c for c in table.constraints if c is not table.primary_key),
                        key=lambda c: c._creation_order)
        for constraint in others:
            if constraint.__visit_name__ == "foreign_key_constraint":
                if include_fks is not None and constraint not in include_fks:
                    continue
                if not self.features.supports_foreign_keys:
                    continue
            rendered = self.process(constraint)
            if rendered:
                out.append(rendered)
        out.extend(self.type_check_constraints(table))
        return out

    def type_check_constraints(self, table: Any) -> list[str]:
        """CHECK clauses that column types ask for (``Boolean``/``Enum`` with
        ``create_constraint=True`` where the database has no native type)."""
        out = []
        for column in table.columns:
            type_ = column.type
            check = getattr(type_, "check_constraint_sql", None)
            condition = check(self.format_column(column), self.dialect) if check else None
            if condition is None:
                continue
            name = getattr(type_, "name", None)
            prefix = f"CONSTRAINT {self.format_name(name)} " if name else ""
            out.append(f"{prefix}CHECK ({condition})")
        return out

    def render_primary_key(self, table: Any) -> str:
        """The PRIMARY KEY clause of CREATE TABLE, or "" when the table has no key."""
        if not list(table.primary_key.columns):
            return ""
        return self.process(table.primary_key)

    def visit_drop_table(self, drop: Any, **kw: Any) -> str:
        return f"DROP TABLE {self._if_exists(drop)}{self.format_table(drop.element)}"

    # -- columns -----------------------------------------------------------------------------
    def get_column_specification(self, column: Any) -> str:
        """``name TYPE [DEFAULT ...] [GENERATED ...] [NOT NULL]`` for CREATE TABLE."""
        parts = [self.format_column(column), self.column_type(column)]
        if column.computed is not None:
            parts.append(self.process(column.computed))
        else:
            default = self.get_column_default_string(column)
            if default is not None:
                parts.append(f"DEFAULT {default}")
        if column.identity is not None and self.features.supports_identity_columns:
            parts.append(self.process(column.identity))
        if not column.nullable:
            parts.append("NOT NULL")
        return " ".join(parts)

    def column_type(self, column: Any) -> str:
        """The DDL type name of ``column``."""
        return self.type_compiler.process(column.type, type_expression=column)

    def get_column_default_string(self, column: Any) -> str | None:
        """The server default of ``column`` as SQL, or None."""
        default = column.server_default
        if default is None or not getattr(default, "has_argument", False):
            return None
        arg = default.arg
        if isinstance(arg, str):
            return self.sql_compiler.render_string_literal(arg)
        if getattr(arg, "is_text", False):
            return self.sql_compiler.process(arg)
        return self.render_expression(arg)

    def visit_computed_column(self, computed: Any, **kw: Any) -> str:
        if not self.features.supports_computed_columns:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect (this server version) has no computed "
                "columns (features.supports_computed_columns is False); drop the Computed() "
                "or compute the value in the query")
        text = f"GENERATED ALWAYS AS ({self.render_expression(computed.sqltext)})"
        if computed.persisted is True:
            text += " STORED"
        elif computed.persisted is False:
            text += " VIRTUAL"
        return text

    def visit_identity_column(self, identity: Any, **kw: Any) -> str:
        kind = "ALWAYS" if identity.always else "BY DEFAULT"
        options = self._sequence_options(identity)
        return f"GENERATED {kind} AS IDENTITY" + (f" ({options})" if options else "")

    def _sequence_options(self, item: Any) -> str:
        parts = []
        if item.start is not None:
            parts.append(f"START WITH {int(item.start)}")
        if item.increment is not None:
            parts.append(f"INCREMENT BY {int(item.increment)}")
        if item.minvalue is not None:
            parts.append(f"MINVALUE {int(item.minvalue)}")
        if item.maxvalue is not None:
            parts.append(f"MAXVALUE {int(item.maxvalue)}")
        if item.cache is not None:
            parts.append(f"CACHE {int(item.cache)}")
        if item.cycle:
            parts.append("CYCLE")
        return " ".join(parts)

    # -- constraints -------------------------------------------------------------------------
    def _column_list(self, columns: Any) -> str:
        return ", ".join(self.format_column(c) for c in columns)

    def visit_primary_key_constraint(self, constraint: Any, **kw: Any) -> str:
        return (f"{self._constraint_prefix(constraint)}PRIMARY KEY "
                f"({self._column_list(constraint.columns)}){self._constraint_suffix(constraint)}")

    def visit_unique_constraint(self, constraint: Any, **kw: Any) -> str:
        return (f"{self._constraint_prefix(constraint)}UNIQUE "
                f"({self._column_list(constraint.columns)}){self._constraint_suffix(constraint)}")

    def visit_check_constraint(self, constraint: Any, **kw: Any) -> str:
        sql = self.render_expression(constraint.sqltext)
        return (f"{self._constraint_prefix(constraint)}CHECK ({sql})"
                f"{self._constraint_suffix(constraint)}")

    def visit_foreign_key_constraint(self, constraint: Any, **kw: Any) -> str:
        targets = []
        for fk in constraint.elements:
            try:
                targets.append(fk.column)
            except exc.InvalidRequestError as err:
                raise exc.CompileError(f"Can't render the foreign key: {err}") from err
        referred = targets[0].table
        text = (f"{self._constraint_prefix(constraint)}FOREIGN KEY"
                f"({self._column_list(constraint.columns)}) REFERENCES "
                f"{self.format_table(referred)} ({self._column_list(targets)})")
        return text + self._referential_actions(constraint) + self._constraint_suffix(constraint)

    def _referential_actions(self, constraint: Any) -> str:
        text = ""
        for clause, value in (("ON DELETE", constraint.ondelete),
                              ("ON UPDATE", constraint.onupdate)):
            if value is None:
                continue
            if not _REFERENTIAL_ACTION.match(value):
                raise exc.CompileError(
                    f"{clause} {value!r} is not a referential action; use CASCADE, SET NULL, "
                    "SET DEFAULT, RESTRICT or NO ACTION")
            text += f" {clause} {value.upper()}"
        if constraint.match is not None:
            if not _MATCH.match(constraint.match):
                raise exc.CompileError(f"MATCH {constraint.match!r}: use FULL, PARTIAL or SIMPLE")
            text += f" MATCH {constraint.match.upper()}"
        return text

    def visit_add_constraint(self, add: Any, **kw: Any) -> str:
        self._require_alter("add a constraint to an existing table")
        constraint = add.element
        return f"ALTER TABLE {self.format_table(constraint.table)} ADD {self.process(constraint)}"

    def visit_drop_constraint(self, drop: Any, **kw: Any) -> str:
        self._require_alter("drop a constraint")
        constraint = drop.element
        if not constraint.name:
            raise exc.CompileError(
                f"Can't drop an unnamed {type(constraint).__name__}; give it a name= "
                "(or set a naming convention on the MetaData)")
        text = (f"ALTER TABLE {self.format_table(constraint.table)} DROP CONSTRAINT "
                f"{self._if_exists(drop)}{self.format_name(constraint.name)}")
        return text + (" CASCADE" if drop.cascade else "")

    def _require_alter(self, what: str) -> None:
        if not self.features.supports_alter:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect can't ALTER TABLE to {what} "
                "(features.supports_alter is False); declare the constraint in the Table so "
                "CREATE TABLE includes it")

    # -- indexes -----------------------------------------------------------------------------
    def visit_create_index(self, create: Any, **kw: Any) -> str:
        index = create.element
        if not index.name:
            raise exc.CompileError(
                "CREATE INDEX needs a name; give the Index one (or set an 'ix' naming "
                "convention on the MetaData)")
        exprs = ", ".join(self._index_expression(e) for e in index.expressions)
        unique = "UNIQUE " if index.unique else ""
        text = (f"CREATE {unique}INDEX {self._if_not_exists(create)}"
                f"{self.format_index_name(index)} ON {self.format_table(index.table)} ({exprs})")
        where = index.dialect_options.get(self.dialect.name, {}).get("where")
        if where is not None:
            if isinstance(where, str):
                from sqlwright.sql.elements import text as text_

                where = text_(where)
            if not self.features.supports_partial_indexes:
                raise exc.CompileError(
                    f"The {self.dialect.name} dialect has no partial indexes "
                    "(features.supports_partial_indexes is False); drop the where= option")
            text += f" WHERE {self.render_expression(where)}"
        return text

    def _index_expression(self, expr: Any) -> str:
        from sqlwright.schema import Column

        if isinstance(expr, Column):
            return self.format_column(expr)
        if not self.features.supports_expression_indexes:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect can't index an expression "
                "(features.supports_expression_indexes is False); index columns instead")
        return self.render_expression(expr)

    def format_index_name(self, index: Any) -> str:
        """The index name as CREATE INDEX writes it (unqualified by default)."""
        return self.format_name(index.name, generated=index._name is None)

    def visit_drop_index(self, drop: Any, **kw: Any) -> str:
        index = drop.element
        if not index.name:
            raise exc.CompileError("DROP INDEX needs the index's name; give the Index one")
        name = self.format_name(index.name, generated=index._name is None)
        schema = index.table.schema if index.table is not None else None
        if schema:
            name = f"{self.preparer.quote_schema(schema)}.{name}"
        return f"DROP INDEX {self._if_exists(drop)}{name}"

    # -- sequences and comments ---------------------------------------------------------------
    def _require_sequences(self) -> None:
        if not self.features.supports_sequences:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect has no sequences "
                "(features.supports_sequences is False)")

    def visit_create_sequence(self, create: Any, **kw: Any) -> str:
        self._require_sequences()
        seq = create.element
        name = self.preparer.format_table_name(seq.name, seq.schema)
        options = self._sequence_options(seq)
        return (f"CREATE SEQUENCE {self._if_not_exists(create)}{name}"
                + (f" {options}" if options else ""))

    def visit_drop_sequence(self, drop: Any, **kw: Any) -> str:
        self._require_sequences()
        seq = drop.element
        name = self.preparer.format_table_name(seq.name, seq.schema)
        return f"DROP SEQUENCE {self._if_exists(drop)}{name}"

    def _require_comments(self) -> None:
        if not self.features.supports_comments:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect has no table or column comments "
                "(features.supports_comments is False)")

    def visit_set_table_comment(self, element: Any, **kw: Any) -> str:
        self._require_comments()
        table = element.element
        return (f"COMMENT ON TABLE {self.format_table(table)} IS "
                f"{self.sql_compiler.render_string_literal(table.comment or '')}")

    def visit_set_column_comment(self, element: Any, **kw: Any) -> str:
        self._require_comments()
        column = element.element
        return (f"COMMENT ON COLUMN {self.format_table(column.table)}."
                f"{self.format_column(column)} IS "
                f"{self.sql_compiler.render_string_literal(column.comment or '')}")

    # -- literal DDL -------------------------------------------------------------------------
    def visit_ddl(self, element: Any, **kw: Any) -> str:
        statement = element.statement
        target = getattr(element, "target", None)
        if target is not None or getattr(element, "context", None):
            values = dict(element.context)
            if target is not None:
                values.setdefault("table", self.preparer.quote(target.name))
                values.setdefault("schema", self.preparer.quote_schema(target.schema)
                                  if target.schema else "")
                values.setdefault("fullname", self.format_table(target))
            statement = statement % values
        return self.post_process_text(statement)
