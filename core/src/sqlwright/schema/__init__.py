"""Schema definition: MetaData, Table, Column, constraints, indexes, sequences and DDL."""

from __future__ import annotations

from sqlwright.schema._column import Column, ForeignKey
from sqlwright.schema._constraints import (
    CheckConstraint,
    ColumnCollectionConstraint,
    Constraint,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    UniqueConstraint,
    conv,
)
from sqlwright.schema._ddl import (
    DDL,
    AddConstraint,
    CreateIndex,
    CreateSequence,
    CreateTable,
    DDLElement,
    DropConstraint,
    DropIndex,
    DropSequence,
    DropTable,
    SetColumnComment,
    SetTableComment,
    sort_tables,
    sort_tables_and_constraints,
)
from sqlwright.schema._defaults import (
    ColumnDefault,
    Computed,
    DefaultClause,
    FetchedValue,
    Identity,
    SchemaItem,
    Sequence,
)
from sqlwright.schema._table import MetaData, Table

__all__ = [
    "DDL",
    "AddConstraint",
    "CheckConstraint",
    "Column",
    "ColumnCollectionConstraint",
    "ColumnDefault",
    "Computed",
    "Constraint",
    "CreateIndex",
    "CreateSequence",
    "CreateTable",
    "DDLElement",
    "DefaultClause",
    "DropConstraint",
    "DropIndex",
    "DropSequence",
    "DropTable",
    "FetchedValue",
    "ForeignKey",
    "ForeignKeyConstraint",
    "Identity",
    "Index",
    "MetaData",
    "PrimaryKeyConstraint",
    "SchemaItem",
    "Sequence",
    "SetColumnComment",
    "SetTableComment",
    "Table",
    "UniqueConstraint",
    "conv",
    "sort_tables",
    "sort_tables_and_constraints",
]
