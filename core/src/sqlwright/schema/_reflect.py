"""Turning an Inspector's dictionaries into Columns, constraints and indexes of a Table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlwright.schema._column import Column
from sqlwright.schema._constraints import (
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    UniqueConstraint,
)
from sqlwright.schema._defaults import Computed, DefaultClause

if TYPE_CHECKING:
    from sqlwright.dialects.reflection import Inspector
    from sqlwright.schema._table import Table

__all__ = ["fill_table"]


def fill_table(inspector: Inspector, table: Table, include_columns: Sequence[str] | None,
               resolve_fks: bool, replace_existing: bool,
               exclude_columns: Sequence[str] = ()) -> None:
    """Add the reflected definition of ``table`` to it."""
    from sqlwright.sql.elements import text

    name, schema = table.name, table.schema
    columns = inspector.get_columns(name, schema)
    options = inspector.get_table_options(name, schema)
    for key, value in options.items():
        dialect, _, option = key.partition("_")
        table.dialect_options.setdefault(dialect, {})[option] = value
        table.kwargs[key] = value
    comment = inspector.get_table_comment(name, schema).get("text")
    if comment is not None:
        table.comment = comment
    for info in columns:
        colname = info["name"]
        if include_columns is not None and colname not in include_columns:
            continue
        if colname in exclude_columns:
            continue
        if table._column_by_key(colname) is not None and not replace_existing:
            continue
        items: list[Any] = []
        computed = info.get("computed")
        if computed:
            items.append(Computed(text(computed["sqltext"]), computed.get("persisted")))
        elif info.get("default") is not None:
            items.append(DefaultClause(text(info["default"])))
        column = Column(colname, info["type"], *items, nullable=info.get("nullable", True),
                        autoincrement=info.get("autoincrement", "auto"),
                        comment=info.get("comment"))
        table.append_column(column, replace_existing=True)
    _fill_keys(inspector, table, resolve_fks)
    _fill_indexes(inspector, table)


def _present(table: Table, names: Sequence[str | None]) -> bool:
    return all(n is not None and table._column_by_key(n) is not None for n in names)


def _fill_keys(inspector: Inspector, table: Table, resolve_fks: bool) -> None:
    from sqlwright.schema._table import Table as TableCls

    name, schema = table.name, table.schema
    pk = inspector.get_pk_constraint(name, schema)
    pk_cols = pk.get("constrained_columns") or []
    if pk_cols and _present(table, pk_cols):
        table.append_constraint(PrimaryKeyConstraint(*pk_cols, name=pk.get("name")))
    for fk in inspector.get_foreign_keys(name, schema):
        local = fk["constrained_columns"]
        if not _present(table, local):
            continue
        ref_schema = fk.get("referred_schema")
        ref_table = fk["referred_table"]
        key = f"{ref_schema}.{ref_table}" if ref_schema else ref_table
        if resolve_fks and key not in table.metadata.tables and ref_table != name:
            TableCls(ref_table, table.metadata, schema=ref_schema, autoload_with=inspector)
        prefix = f"{key}."
        options = fk.get("options") or {}
        table.append_constraint(ForeignKeyConstraint(
            local, [prefix + c for c in fk["referred_columns"]], name=fk.get("name"),
            ondelete=options.get("ondelete"), onupdate=options.get("onupdate"),
            deferrable=options.get("deferrable"), initially=options.get("initially"),
            match=options.get("match")))
    for uq in inspector.get_unique_constraints(name, schema):
        if _present(table, uq["column_names"]):
            table.append_constraint(UniqueConstraint(*uq["column_names"], name=uq.get("name")))
    for ck in inspector.get_check_constraints(name, schema):
        table.append_constraint(CheckConstraint(ck["sqltext"], name=ck.get("name")))


def _fill_indexes(inspector: Inspector, table: Table) -> None:
    from sqlwright.sql.elements import text

    for info in inspector.get_indexes(table.name, table.schema):
        names = info.get("column_names") or []
        expressions = info.get("expressions") or []
        exprs: list[Any] = []
        for i, colname in enumerate(names):
            if colname is None:
                if i < len(expressions):
                    exprs.append(text(expressions[i]))
                continue
            if table._column_by_key(colname) is None:
                exprs = []
                break
            exprs.append(colname)
        if not exprs:
            continue
        dialect_kw = {f"{d}_{k}": v for d, opts in (info.get("dialect_options") or {}).items()
                      for k, v in opts.items()}
        Index(info["name"], *exprs, unique=bool(info.get("unique")), _table=table,
              **dialect_kw)
