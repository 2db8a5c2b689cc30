"""Compiler rules for INSERT, UPDATE, DELETE and RETURNING (a mixin of SQLCompiler).

Which columns an INSERT or UPDATE writes is decided here: the columns given to ``values()``,
else the keys of the parameters passed at execution (``column_keys``), plus every other column
with a default. Defaults render as follows: a SQL expression inline, a scalar as a bound value,
a Python callable as a bound parameter the execution context fills per row
(``insert_prefetch`` / ``update_prefetch``), a Sequence as its next value where the dialect has
sequences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.sql.dml import bind_name_for
from sqlwright.sql.elements import BindParameter
from sqlwright.sql.visitors import iterate

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect
    from sqlwright.sql.dml import Delete, Insert, Update, UpdateBase
    from sqlwright.sql.quoting import IdentifierPreparer

__all__ = ["DMLCompilerMixin"]

_RETURNING_FLAGS = {"insert": "supports_insert_returning",
                    "update": "supports_update_returning",
                    "delete": "supports_delete_returning"}


class DMLCompilerMixin:
    """``visit_<name>`` rules for INSERT, UPDATE, DELETE and RETURNING."""

    if TYPE_CHECKING:
        dialect: Dialect
        preparer: IdentifierPreparer
        statement: Any
        column_keys: tuple[str, ...]
        for_executemany: bool
        isinsert: bool
        isupdate: bool
        isdelete: bool
        returning: Sequence[Any] | None
        insert_prefetch: list[Any]
        update_prefetch: list[Any]
        postfetch: list[Any]
        dml_table: Any

        def render_condition(self, element: Any, **kw: Any) -> str: ...

        def process(self, element: Any, **kw: Any) -> str: ...
        def pop_correlation(self) -> None: ...
        def push_correlation(self, froms: Sequence[Any], kind: str = "dml") -> None: ...
        def render_pending_ctes(self, start: int = 0) -> str: ...
        def render_select_columns(self, columns: Sequence[Any],
                                  populate_result_map: bool = True, **kw: Any) -> list[str]: ...

    #: {primary key column: the bind name holding its value} for inserted_primary_key
    pk_param_names: dict[Any, str]
    #: primary key / default columns fetched with an implicit RETURNING (see return_defaults)
    implicit_returning: list[Any]
    #: per row of a multi-row INSERT: {column key: bind name}
    insert_row_params: list[dict[str, str]]

    # -- shared -----------------------------------------------------------------------------
    def _dml_start(self, stmt: UpdateBase, kind: str) -> bool:
        toplevel = self.statement is stmt
        if toplevel:
            self.isinsert = kind == "insert"
            self.isupdate = kind == "update"
            self.isdelete = kind == "delete"
            self.dml_table = stmt.table
            self.pk_param_names = {}
            self.implicit_returning = []
            self.insert_row_params = []
        return toplevel

    def dml_table_sql(self, table: Any) -> str:
        """The target table's name, schema-qualified and quoted for this dialect."""
        name = getattr(table, "name", None)
        if name is None:
            return self.process(table, asfrom=True)
        return self.preparer.format_table_name(name, getattr(table, "schema", None))

    def _column_name(self, column: Any) -> str:
        return self.preparer.quote(column.name)

    def _push_target(self, stmt: UpdateBase) -> None:
        """Make the target table an enclosing FROM, so scalar subqueries correlate to it.

        Nested SELECTs compiled while it is pushed are not top-level statements."""
        self.push_correlation([stmt.table], kind="dml")

    def _with_ctes(self, text: str, toplevel: bool) -> str:
        """Prefix ``WITH ...`` for CTEs the statement refers to outside any SELECT."""
        return self.render_pending_ctes() + text if toplevel else text

    def _where_sql(self, criteria: Sequence[Any], **kw: Any) -> str:
        if not criteria:
            return ""
        from sqlwright.sql.expression import and_

        clause = criteria[0] if len(criteria) == 1 else and_(*criteria)
        return " WHERE " + self.render_condition(clause, **kw)

    def _statement_bind_names(self, stmt: Any) -> set[str]:
        return {node.key for node in iterate(stmt)
                if isinstance(node, BindParameter) and node.key is not None}

    def _bind_for(self, column: Any, name: str, value: Any = None, *,
                  required: bool = False, **kw: Any) -> str:
        bind = BindParameter(name, value, type_=column.type, required=required)
        return self.process(bind, **kw)

    # -- defaults ---------------------------------------------------------------------------
    def _default_sql(self, column: Any, default: Any, name: str, prefetch: list[Any],
                     **kw: Any) -> str | None:
        """SQL for a column's default, or None when the column is left to the database."""
        if default is None:
            return None
        if getattr(default, "is_sequence", False):
            if not self.dialect.features.supports_sequences:
                return None
            return self.process(default.next_value(), **kw)
        if getattr(default, "is_clause_element", False):
            return self.process(default.arg.self_group(), **kw)
        if getattr(default, "is_callable", False):
            prefetch.append((column, name))
            return self._bind_for(column, name, **kw)
        return self._bind_for(column, name, default.arg, **kw)

    # -- INSERT -----------------------------------------------------------------------------
    def visit_insert(self, stmt: Insert, dml_all_columns: bool = False, **kw: Any) -> str:
        toplevel = self._dml_start(stmt, "insert")
        if dml_all_columns and toplevel and not stmt._values:
            self.column_keys = tuple(c.key for c in stmt.table.c)
        table = stmt.table
        text = "INSERT INTO " + self.dml_table_sql(table)
        if stmt.select is not None:
            names, select = self._insert_from_select(stmt)
            self._push_target(stmt)
            try:
                text += f" ({', '.join(names)}) {self.process(select, **kw)}"
            finally:
                self.pop_correlation()
        elif stmt._multi_values:
            text += self._insert_multi_values(stmt, **kw)
        else:
            text += self._insert_single_row(stmt, toplevel, **kw)
        text += self._returning_sql(stmt, "insert", toplevel, **kw)
        return self._with_ctes(text, toplevel)

    def _insert_single_row(self, stmt: Insert, toplevel: bool, **kw: Any) -> str:
        table = stmt.table
        given = dict(stmt._values)
        params = self._param_keys(stmt, given)
        names: list[str] = []
        values: list[str] = []
        for column in table.c:
            key = column.key
            bind_name: str | None = bind_name_for(key)
            if key in given:
                value = given[key]
                sql = self.process(value.self_group(), **kw)
                bind_name = self._bound_name(value) if isinstance(value, BindParameter) \
                    else None
            elif key in params:
                sql = self._bind_for(column, bind_name_for(key), required=True, **kw)
            else:
                default = getattr(column, "default", None)
                found = self._default_sql(column, default, bind_name_for(key),
                                          self.insert_prefetch, **kw)
                if found is None:
                    continue
                sql = found
                if not (getattr(default, "is_scalar", False)
                        or getattr(default, "is_callable", False)):
                    bind_name = None
            if toplevel and bind_name is not None and getattr(column, "primary_key", False):
                self.pk_param_names[column] = bind_name
            names.append(self._column_name(column))
            values.append(sql)
        if not names:
            return self._empty_insert()
        return f" ({', '.join(names)}) VALUES ({', '.join(values)})"

    def _bound_name(self, bind: BindParameter) -> str:
        return getattr(self, "bind_names", {}).get(bind, bind.key or bind._name_hint)

    def _param_keys(self, stmt: Insert, given: dict[str, Any]) -> set[str]:
        """Execution-time parameter keys that name columns; other unknown keys are an error."""
        if not self.column_keys:
            return set()
        table = stmt.table
        known = {c.key for c in table.c}
        params = {k for k in self.column_keys if k in known and k not in given}
        stray = [k for k in self.column_keys if k not in known and k not in given]
        if stray:
            used = self._statement_bind_names(stmt)
            stray = [k for k in stray if k not in used]
        if stray:
            raise exc.CompileError(
                f"Unconsumed column names: {', '.join(stray)}. The table "
                f"{table.name!r} has columns: {', '.join(sorted(known))}; check the keys of "
                "the parameters passed to execute()")
        return params

    def _empty_insert(self) -> str:
        features = self.dialect.features
        if features.supports_default_values:
            return " DEFAULT VALUES"
        if features.supports_empty_insert:
            return " () VALUES ()"
        raise exc.CompileError(
            f"The {self.dialect.name} dialect cannot INSERT a row without any column values "
            "(features.supports_default_values and supports_empty_insert are False); give at "
            "least one value")

    def _insert_multi_values(self, stmt: Insert, **kw: Any) -> str:
        if not self.dialect.features.supports_multivalues_insert:
            raise exc.CompileError(
                f"The {self.dialect.name} dialect cannot insert several rows in one VALUES "
                "clause (features.supports_multivalues_insert is False); pass the rows to "
                "execute(insert(table), [{...}, {...}]) instead")
        rows = [dict(row.pairs) for row in stmt._multi_values]
        given_keys = set().union(*rows)
        columns = [c for c in stmt.table.c
                   if c.key in given_keys or getattr(c, "default", None) is not None]
        rendered_rows = []
        rendered_columns: list[Any] = []
        for index, row in enumerate(rows):
            parts = []
            names: dict[str, str] = {}
            for column in columns:
                sql = self._multi_value_sql(column, row, index, names, **kw)
                if sql is None:
                    continue
                if index == 0:
                    rendered_columns.append(column)
                parts.append(sql)
            if len(parts) != len(rendered_columns):
                raise exc.CompileError(
                    f"Row {index} of a multi-row values() leaves out a column the first row "
                    "gives; give every row the same keys")
            rendered_rows.append(f"({', '.join(parts)})")
            if self.statement is stmt:
                self.insert_row_params.append(names)
        col_sql = ", ".join(self._column_name(c) for c in rendered_columns)
        return f" ({col_sql}) VALUES {', '.join(rendered_rows)}"

    def _multi_value_sql(self, column: Any, row: dict[str, Any], index: int,
                         names: dict[str, str], **kw: Any) -> str | None:
        key = column.key
        name = f"{bind_name_for(key)}_m{index}"
        if key in row:
            value = row[key]
            if isinstance(value, BindParameter):
                names[key] = name
            return self.process(value.self_group(), **kw)
        default = getattr(column, "default", None)
        if default is None:
            raise exc.CompileError(
                f"Row {index} of a multi-row values() has no value for column {key!r}, "
                "which has no default; give every row the same keys")
        names[key] = name
        return self._default_sql(column, default, name, self.insert_prefetch, **kw)

    def _insert_from_select(self, stmt: Insert) -> tuple[list[str], Any]:
        table = stmt.table
        columns = [table.c[name] for name in stmt._select_names]
        select = stmt.select
        if stmt.include_insert_from_select_defaults:
            for column in table.c:
                if column.key in stmt._select_names:
                    continue
                extra = self._from_select_default(column)
                if extra is not None:
                    columns.append(column)
                    select = select.add_columns(extra)
        return [self._column_name(c) for c in columns], select

    def _from_select_default(self, column: Any) -> Any:
        default = getattr(column, "default", None)
        if default is None or getattr(default, "is_sequence", False):
            return None
        if getattr(default, "is_clause_element", False):
            return default.arg
        name = bind_name_for(column.key)
        if getattr(default, "is_callable", False):
            self.insert_prefetch.append((column, name))
            return BindParameter(name, None, type_=column.type, required=False)
        return BindParameter(name, default.arg, type_=column.type)

    # -- UPDATE -----------------------------------------------------------------------------
    def visit_update(self, stmt: Update, dml_all_columns: bool = False, **kw: Any) -> str:
        toplevel = self._dml_start(stmt, "update")
        if dml_all_columns and toplevel and not stmt._values:
            self.column_keys = tuple(c.key for c in stmt.table.c)
        self._push_target(stmt)
        try:
            sets = self._update_sets(stmt, **kw)
            if not sets:
                raise exc.CompileError(
                    f"This UPDATE of {stmt.table.name!r} sets no column; call "
                    ".values(col=...) or pass the new values to execute()")
            text = f"UPDATE {self.dml_table_sql(stmt.table)} SET " + ", ".join(sets)
            text += self._where_sql(stmt._where_criteria, **kw)
            text += self._returning_sql(stmt, "update", toplevel, **kw)
        finally:
            self.pop_correlation()
        return self._with_ctes(text, toplevel)

    def _update_sets(self, stmt: Update, **kw: Any) -> list[str]:
        table = stmt.table
        given = dict(stmt._values)
        order = list(given) if stmt._ordered else [c.key for c in table.c if c.key in given]
        sets = [f"{self._column_name(table.c[key])}={self.process(given[key].self_group(), **kw)}"
                for key in order]
        done = set(order)
        if self.column_keys:
            used = self._statement_bind_names(stmt)
            for column in table.c:
                if column.key in self.column_keys and column.key not in done \
                        and column.key not in used:
                    sql = self._bind_for(column, bind_name_for(column.key), required=True, **kw)
                    sets.append(f"{self._column_name(column)}={sql}")
                    done.add(column.key)
        for column in table.c:
            onupdate = getattr(column, "onupdate", None)
            if column.key in done or onupdate is None:
                continue
            found = self._default_sql(column, onupdate, bind_name_for(column.key),
                                      self.update_prefetch, **kw)
            if found is not None:
                sets.append(f"{self._column_name(column)}={found}")
        return sets

    # -- DELETE -----------------------------------------------------------------------------
    def visit_delete(self, stmt: Delete, dml_all_columns: bool = False, **kw: Any) -> str:
        toplevel = self._dml_start(stmt, "delete")
        self._push_target(stmt)
        try:
            text = "DELETE FROM " + self.dml_table_sql(stmt.table)
            text += self._where_sql(stmt._where_criteria, **kw)
            text += self._returning_sql(stmt, "delete", toplevel, **kw)
        finally:
            self.pop_correlation()
        return self._with_ctes(text, toplevel)

    def visit_next_value(self, element: Any, **kw: Any) -> str:
        """A sequence's next value (``element.sequence``): ANSI ``NEXT VALUE FOR name``."""
        sequence = element.sequence
        name = self.preparer.format_table_name(sequence.name, getattr(sequence, "schema", None))
        return f"NEXT VALUE FOR {name}"

    def visit_dml_values_row(self, row: Any, **kw: Any) -> str:
        raise exc.CompileError("A values() row is rendered by its INSERT, not on its own")

    # -- RETURNING --------------------------------------------------------------------------
    def _returning_sql(self, stmt: UpdateBase, kind: str, toplevel: bool, **kw: Any) -> str:
        columns = list(stmt._returning)
        if not columns:
            columns = self._implicit_returning(stmt, kind, toplevel)
            if not columns:
                return ""
        else:
            self._check_returning(kind)
            if toplevel and self.for_executemany:
                raise exc.CompileError(
                    "RETURNING cannot be combined with executemany (a list of parameter "
                    "sets); use insert().values([...]) with several rows, or execute one "
                    "row at a time")
        expanded = list(self._expand_returning(columns))
        rendered = self.render_select_columns(expanded, populate_result_map=toplevel, **kw)
        if toplevel:
            self.returning = expanded
        return self.returning_clause(rendered)

    def returning_clause(self, rendered: Sequence[str]) -> str:
        """The RETURNING clause from rendered columns; dialects with OUTPUT override this."""
        return " RETURNING " + ", ".join(rendered)

    def _check_returning(self, kind: str) -> None:
        flag = _RETURNING_FLAGS[kind]
        if not getattr(self.dialect.features, flag):
            raise exc.CompileError(
                f"The {self.dialect.name} dialect does not support RETURNING on "
                f"{kind.upper()} (features.{flag} is False); drop .returning() and query "
                "the rows with a SELECT instead")

    def _implicit_returning(self, stmt: UpdateBase, kind: str, toplevel: bool) -> list[Any]:
        """Columns to fetch without an explicit returning(): return_defaults(), or the new
        primary key where the cursor has no lastrowid."""
        if not toplevel or self.for_executemany or getattr(stmt, "_inline", False):
            return []
        if kind == "insert" and getattr(stmt, "select", None) is not None:
            return []  # INSERT ... SELECT: no single new key to report (and Oracle forbids it)
        features = self.dialect.features
        if not getattr(features, _RETURNING_FLAGS[kind]):
            return []
        table = stmt.table
        wanted: list[Any] = []
        if stmt._return_defaults:
            wanted = list(stmt._return_defaults_columns)
            if kind == "delete":
                self.implicit_returning = wanted
                return wanted
            attr = "server_onupdate" if kind == "update" else "server_default"
            pk_columns = self._pk_columns(table) if kind == "insert" else []
            for column in table.c:
                generated = getattr(column, attr, None) is not None or any(
                    column is c for c in pk_columns)
                if generated and not any(column is w for w in wanted):
                    wanted.append(column)
        elif kind == "insert" and not features.postfetch_lastrowid and \
                not getattr(stmt, "_multi_values", ()):
            wanted = [c for c in self._pk_columns(table) if c not in self.pk_param_names]
        self.implicit_returning = wanted
        return wanted

    @staticmethod
    def _pk_columns(table: Any) -> list[Any]:
        primary_key = getattr(table, "primary_key", None)
        return list(getattr(primary_key, "columns", ()) or ())

    @staticmethod
    def _expand_returning(columns: Iterable[Any]) -> Iterable[Any]:
        for item in columns:
            if getattr(item, "_is_from_clause", False) or (
                    not hasattr(item, "type") and hasattr(item, "c")):
                yield from item.c
            else:
                yield item
