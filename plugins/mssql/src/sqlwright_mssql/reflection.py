"""SQL Server reflection: INFORMATION_SCHEMA and the sys.* catalog views.

Every query is in :data:`REFLECTION_QUERIES` (qmark parameters). A schema parameter of None
means the login's default schema (``COALESCE(?, SCHEMA_NAME())``), so no extra round trip is
needed to learn it.
"""

from __future__ import annotations

from typing import Any

from sqlwright.dialects.reflection import Inspector, ReflectedDict
from sqlwright_mssql.types import type_for_reflected

__all__ = ["REFLECTION_QUERIES", "MSInspector", "strip_default_parens"]

_SCHEMA = "COALESCE(?, SCHEMA_NAME())"
_OBJECT = f"OBJECT_ID(QUOTENAME({_SCHEMA}) + '.' + QUOTENAME(?))"

#: name -> SQL of every query the inspector sends
REFLECTION_QUERIES: dict[str, str] = {
    "schema_names": "SELECT name FROM sys.schemas ORDER BY name",
    "table_names": (
        "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
        f"WHERE TABLE_SCHEMA = {_SCHEMA} AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME"),
    "view_names": (
        "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
        f"WHERE TABLE_SCHEMA = {_SCHEMA} AND TABLE_TYPE = 'VIEW' ORDER BY TABLE_NAME"),
    "temp_table_names": (
        "SELECT name FROM tempdb.sys.tables WHERE name LIKE '#%' ORDER BY name"),
    "view_definition": f"SELECT OBJECT_DEFINITION({_OBJECT})",
    "has_table": (
        "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
        f"WHERE TABLE_SCHEMA = {_SCHEMA} AND TABLE_NAME = ?"),
    "sequence_names": (
        "SELECT s.name FROM sys.sequences AS s JOIN sys.schemas AS sc "
        f"ON sc.schema_id = s.schema_id WHERE sc.name = {_SCHEMA} ORDER BY s.name"),
    "columns": (
        "SELECT c.COLUMN_NAME, c.DATA_TYPE, c.IS_NULLABLE, c.CHARACTER_MAXIMUM_LENGTH, "
        "c.NUMERIC_PRECISION, c.NUMERIC_SCALE, c.DATETIME_PRECISION, c.COLUMN_DEFAULT, "
        "sc.is_identity, cc.definition, cc.is_persisted, CAST(ep.value AS NVARCHAR(4000)) "
        "FROM INFORMATION_SCHEMA.COLUMNS AS c "
        "JOIN sys.columns AS sc ON sc.object_id = OBJECT_ID(QUOTENAME(c.TABLE_SCHEMA) + '.' + "
        "QUOTENAME(c.TABLE_NAME)) AND sc.name = c.COLUMN_NAME "
        "LEFT JOIN sys.computed_columns AS cc ON cc.object_id = sc.object_id "
        "AND cc.column_id = sc.column_id "
        "LEFT JOIN sys.extended_properties AS ep ON ep.major_id = sc.object_id "
        "AND ep.minor_id = sc.column_id AND ep.name = 'MS_Description' "
        f"WHERE c.TABLE_SCHEMA = {_SCHEMA} AND c.TABLE_NAME = ? ORDER BY c.ORDINAL_POSITION"),
    "pk_constraint": (
        "SELECT tc.CONSTRAINT_NAME, kcu.COLUMN_NAME "
        "FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS AS tc "
        "JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE AS kcu "
        "ON kcu.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA "
        "AND kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
        f"WHERE tc.TABLE_SCHEMA = {_SCHEMA} AND tc.TABLE_NAME = ? "
        "AND tc.CONSTRAINT_TYPE = 'PRIMARY KEY' ORDER BY kcu.ORDINAL_POSITION"),
    "unique_constraints": (
        "SELECT tc.CONSTRAINT_NAME, kcu.COLUMN_NAME "
        "FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS AS tc "
        "JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE AS kcu "
        "ON kcu.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA "
        "AND kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
        f"WHERE tc.TABLE_SCHEMA = {_SCHEMA} AND tc.TABLE_NAME = ? "
        "AND tc.CONSTRAINT_TYPE = 'UNIQUE' ORDER BY tc.CONSTRAINT_NAME, kcu.ORDINAL_POSITION"),
    "foreign_keys": (
        "SELECT fk.name, pc.name, rs.name, rt.name, rc.name, "
        "fk.delete_referential_action_desc, fk.update_referential_action_desc "
        "FROM sys.foreign_keys AS fk "
        "JOIN sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id "
        "JOIN sys.columns AS pc ON pc.object_id = fkc.parent_object_id "
        "AND pc.column_id = fkc.parent_column_id "
        "JOIN sys.tables AS rt ON rt.object_id = fkc.referenced_object_id "
        "JOIN sys.schemas AS rs ON rs.schema_id = rt.schema_id "
        "JOIN sys.columns AS rc ON rc.object_id = fkc.referenced_object_id "
        "AND rc.column_id = fkc.referenced_column_id "
        f"WHERE fk.parent_object_id = {_OBJECT} ORDER BY fk.name, fkc.constraint_column_id"),
    "indexes": (
        "SELECT i.name, i.is_unique, c.name, i.filter_definition "
        "FROM sys.indexes AS i "
        "JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id "
        "JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id "
        f"WHERE i.object_id = {_OBJECT} AND i.is_primary_key = 0 "
        "AND i.is_unique_constraint = 0 AND i.type > 0 AND ic.is_included_column = 0 "
        "ORDER BY i.name, ic.key_ordinal"),
    "check_constraints": (
        "SELECT name, definition FROM sys.check_constraints "
        f"WHERE parent_object_id = {_OBJECT} ORDER BY name"),
    "table_comment": (
        "SELECT CAST(value AS NVARCHAR(4000)) FROM sys.extended_properties "
        f"WHERE major_id = {_OBJECT} AND minor_id = 0 AND name = 'MS_Description'"),
}

_ACTIONS = {"CASCADE": "CASCADE", "SET_NULL": "SET NULL", "SET_DEFAULT": "SET DEFAULT"}


def strip_default_parens(text: str | None) -> str | None:
    """SQL Server stores ``DEFAULT 0`` as ``((0))``: remove the wrapping parentheses."""
    if text is None:
        return None
    while text.startswith("(") and text.endswith(")") and _wraps(text):
        text = text[1:-1]
    return text


def _wraps(text: str) -> bool:
    """True when the first parenthesis of ``text`` closes at its last character."""
    depth = 0
    quoted = False
    for i, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                return i == len(text) - 1
    return False


class MSInspector(Inspector):
    """Reflection for SQL Server."""

    def _rows(self, connection: Any, query: str, *params: Any) -> list[Any]:
        return list(connection.exec_driver_sql(REFLECTION_QUERIES[query], params).fetchall())

    def fetch_schema_names(self, connection: Any) -> list[str]:
        return [r[0] for r in self._rows(connection, "schema_names")]

    def fetch_table_names(self, connection: Any, schema: str | None) -> list[str]:
        return [r[0] for r in self._rows(connection, "table_names", schema)]

    def fetch_view_names(self, connection: Any, schema: str | None) -> list[str]:
        return [r[0] for r in self._rows(connection, "view_names", schema)]

    def fetch_temp_table_names(self, connection: Any) -> list[str]:
        # tempdb appends padding and a suffix to ``#name``: keep the part the user wrote
        return [r[0].split("___")[0].rstrip("_") for r in
                self._rows(connection, "temp_table_names")]

    def fetch_view_definition(self, connection: Any, view_name: str,
                              schema: str | None) -> str | None:
        rows = self._rows(connection, "view_definition", schema, view_name)
        return rows[0][0] if rows else None

    def fetch_has_table(self, connection: Any, table_name: str, schema: str | None) -> bool:
        rows = self._rows(connection, "has_table", schema, table_name)
        return bool(rows and rows[0][0])

    def fetch_sequence_names(self, connection: Any, schema: str | None) -> list[str]:
        return [r[0] for r in self._rows(connection, "sequence_names", schema)]

    def fetch_columns(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        columns = []
        for (name, data_type, nullable, length, precision, scale, dt_precision, default,
             identity, computed, persisted, comment) in self._rows(
                connection, "columns", schema, table_name):
            scale_arg = dt_precision if data_type in ("datetime2", "datetimeoffset") else scale
            info: ReflectedDict = {
                "name": name,
                "type": type_for_reflected(data_type, length, precision, scale_arg),
                "nullable": nullable == "YES",
                "default": strip_default_parens(default),
                "autoincrement": bool(identity),
                "comment": comment,
            }
            if computed is not None:
                info["computed"] = {"sqltext": strip_default_parens(computed),
                                    "persisted": bool(persisted)}
            columns.append(info)
        return columns

    def fetch_pk_constraint(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        rows = self._rows(connection, "pk_constraint", schema, table_name)
        return {"name": rows[0][0] if rows else None,
                "constrained_columns": [r[1] for r in rows]}

    def fetch_unique_constraints(self, connection: Any, table_name: str,
                                 schema: str | None) -> list[ReflectedDict]:
        grouped: dict[str, list[str]] = {}
        for name, column in self._rows(connection, "unique_constraints", schema, table_name):
            grouped.setdefault(name, []).append(column)
        return [{"name": n, "column_names": cols} for n, cols in grouped.items()]

    def fetch_foreign_keys(self, connection: Any, table_name: str,
                           schema: str | None) -> list[ReflectedDict]:
        grouped: dict[str, ReflectedDict] = {}
        for name, local, ref_schema, ref_table, remote, on_delete, on_update in self._rows(
                connection, "foreign_keys", schema, table_name):
            entry = grouped.get(name)
            if entry is None:
                options = {}
                if on_delete in _ACTIONS:
                    options["ondelete"] = _ACTIONS[on_delete]
                if on_update in _ACTIONS:
                    options["onupdate"] = _ACTIONS[on_update]
                entry = grouped[name] = {
                    "name": name, "constrained_columns": [],
                    "referred_schema": ref_schema if schema is not None else None,
                    "referred_table": ref_table, "referred_columns": [], "options": options}
            entry["constrained_columns"].append(local)
            entry["referred_columns"].append(remote)
        return list(grouped.values())

    def fetch_indexes(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        grouped: dict[str, ReflectedDict] = {}
        for name, unique, column, where in self._rows(connection, "indexes", schema, table_name):
            entry = grouped.get(name)
            if entry is None:
                options = {"mssql_where": strip_default_parens(where)} if where else {}
                entry = grouped[name] = {"name": name, "column_names": [],
                                         "unique": bool(unique), "dialect_options": options}
            entry["column_names"].append(column)
        return list(grouped.values())

    def fetch_check_constraints(self, connection: Any, table_name: str,
                                schema: str | None) -> list[ReflectedDict]:
        return [{"name": name, "sqltext": strip_default_parens(definition)}
                for name, definition in self._rows(
                    connection, "check_constraints", schema, table_name)]

    def fetch_table_comment(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        rows = self._rows(connection, "table_comment", schema, table_name)
        return {"text": rows[0][0] if rows else None}
