"""SQL Server DDL rules: IDENTITY columns, ``DROP INDEX ... ON``, T-SQL sequence options."""

from __future__ import annotations

from typing import Any

from sqlwright import exc
from sqlwright.sql.ddl_compiler import DDLCompiler
from sqlwright_mssql.compiler import identity_column

__all__ = ["MSDDLCompiler"]


class MSDDLCompiler(DDLCompiler):
    """DDL compiler for SQL Server."""

    def get_column_specification(self, column: Any) -> str:
        """``name TYPE [DEFAULT ...] [IDENTITY(start, step)] [NOT NULL]``.

        The table's autoincrement integer primary key becomes ``IDENTITY(1,1)`` unless the
        column has a Sequence default or an explicit ``Identity()``.
        """
        parts = [self.format_column(column), self.column_type(column)]
        if column.computed is not None:
            # a computed column has no type in T-SQL: ``name AS (expr) [PERSISTED]``
            parts = [self.format_column(column), self.process(column.computed)]
        else:
            default = self.get_column_default_string(column)
            if default is not None:
                parts.append(f"DEFAULT {default}")
        if column.identity is not None:
            parts.append(self.visit_identity_column(column.identity))
        elif column.table is not None and identity_column(column.table) is column:
            parts.append("IDENTITY(1,1)")
        if not column.nullable and column.computed is None:
            parts.append("NOT NULL")
        elif column.nullable and column.computed is None:
            parts.append("NULL")
        return " ".join(parts)

    def visit_computed_column(self, computed: Any, **kw: Any) -> str:
        text = f"AS ({self.render_expression(computed.sqltext)})"
        return text + " PERSISTED" if computed.persisted else text

    def visit_identity_column(self, identity: Any, **kw: Any) -> str:
        start = identity.start if identity.start is not None else 1
        step = identity.increment if identity.increment is not None else 1
        return f"IDENTITY({int(start)},{int(step)})"

    def visit_drop_index(self, drop: Any, **kw: Any) -> str:
        index = drop.element
        if not index.name:
            raise exc.CompileError("DROP INDEX needs the index's name; give the Index one")
        name = self.format_name(index.name, generated=index._name is None)
        exists = "IF EXISTS " if drop.if_exists else ""
        return f"DROP INDEX {exists}{name} ON {self.format_table(index.table)}"

    def visit_drop_table(self, drop: Any, **kw: Any) -> str:
        # DROP TABLE IF EXISTS exists from SQL Server 2016, CREATE TABLE IF NOT EXISTS not at all
        exists = "IF EXISTS " if drop.if_exists else ""
        return f"DROP TABLE {exists}{self.format_table(drop.element)}"

    def visit_create_sequence(self, create: Any, **kw: Any) -> str:
        self._require_sequences()
        seq = create.element
        name = self.preparer.format_table_name(seq.name, seq.schema)
        # a T-SQL sequence is BIGINT and starts at its type's minimum unless told otherwise
        options = self._sequence_options(seq) or ""
        if seq.start is None:
            options = ("START WITH 1 " + options).strip()
        return f"CREATE SEQUENCE {name} AS BIGINT {options}".rstrip()

    def visit_set_table_comment(self, element: Any, **kw: Any) -> str:
        raise exc.CompileError(
            "SQL Server has no COMMENT ON; table comments are extended properties "
            "(sp_addextendedproperty 'MS_Description'), which sqlwright does not write")

    visit_set_column_comment = visit_set_table_comment
