"""Oracle reflection: the ALL_* dictionary views.

Every query is in :data:`REFLECTION_QUERIES` (named parameters). Names go to Oracle
denormalized (``users`` -> ``USERS``) and come back normalized (``USERS`` -> ``users``); an
owner of None means the session's current schema.
"""

from __future__ import annotations

from typing import Any

from sqlwright.dialects.reflection import Inspector, ReflectedDict
from sqlwright_oracle.types import type_for_reflected

__all__ = ["REFLECTION_QUERIES", "OracleInspector"]

_OWNER = "NVL(:owner, SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA'))"

#: name -> SQL of every query the inspector sends
REFLECTION_QUERIES: dict[str, str] = {
    "schema_names": "SELECT username FROM all_users ORDER BY username",
    "table_names": (
        f"SELECT table_name FROM all_tables WHERE owner = {_OWNER} "
        "AND nested = 'NO' AND secondary = 'N' AND temporary = 'N' "
        "AND table_name NOT LIKE 'BIN$%' ORDER BY table_name"),
    "temp_table_names": (
        "SELECT table_name FROM user_tables WHERE temporary = 'Y' ORDER BY table_name"),
    "view_names": f"SELECT view_name FROM all_views WHERE owner = {_OWNER} ORDER BY view_name",
    "view_definition": (
        f"SELECT text FROM all_views WHERE owner = {_OWNER} AND view_name = :table_name"),
    "has_table": (
        f"SELECT COUNT(*) FROM all_objects WHERE owner = {_OWNER} "
        "AND object_name = :table_name AND object_type IN ('TABLE', 'VIEW')"),
    "sequence_names": (
        f"SELECT sequence_name FROM all_sequences WHERE sequence_owner = {_OWNER} "
        "ORDER BY sequence_name"),
    "columns": (
        "SELECT c.column_name, c.data_type, c.char_length, c.data_precision, c.data_scale, "
        "c.nullable, c.data_default, c.virtual_column, c.identity_column, cc.comments "
        "FROM all_tab_cols c LEFT JOIN all_col_comments cc ON cc.owner = c.owner "
        "AND cc.table_name = c.table_name AND cc.column_name = c.column_name "
        f"WHERE c.owner = {_OWNER} AND c.table_name = :table_name AND c.hidden_column = 'NO' "
        "ORDER BY c.column_id"),
    "constraints": (
        "SELECT ac.constraint_name, ac.constraint_type, acc.column_name, "
        "rc.owner, rc.table_name, rcc.column_name, ac.delete_rule, ac.search_condition "
        "FROM all_constraints ac "
        "LEFT JOIN all_cons_columns acc ON acc.owner = ac.owner "
        "AND acc.constraint_name = ac.constraint_name "
        "LEFT JOIN all_constraints rc ON rc.owner = ac.r_owner "
        "AND rc.constraint_name = ac.r_constraint_name "
        "LEFT JOIN all_cons_columns rcc ON rcc.owner = rc.owner "
        "AND rcc.constraint_name = rc.constraint_name AND rcc.position = acc.position "
        f"WHERE ac.owner = {_OWNER} AND ac.table_name = :table_name "
        "AND ac.constraint_type IN ('P', 'U', 'R', 'C') "
        "ORDER BY ac.constraint_name, acc.position"),
    "indexes": (
        "SELECT i.index_name, i.uniqueness, ic.column_name, ie.column_expression "
        "FROM all_indexes i JOIN all_ind_columns ic ON ic.index_owner = i.owner "
        "AND ic.index_name = i.index_name "
        "LEFT JOIN all_ind_expressions ie ON ie.index_owner = ic.index_owner "
        "AND ie.index_name = ic.index_name AND ie.column_position = ic.column_position "
        f"WHERE i.table_owner = {_OWNER} AND i.table_name = :table_name "
        "AND NOT EXISTS (SELECT 1 FROM all_constraints c WHERE c.owner = i.table_owner "
        "AND c.table_name = i.table_name AND c.index_name = i.index_name "
        "AND c.constraint_type IN ('P', 'U')) "
        "ORDER BY i.index_name, ic.column_position"),
    "table_comment": (
        f"SELECT comments FROM all_tab_comments WHERE owner = {_OWNER} "
        "AND table_name = :table_name"),
}


class OracleInspector(Inspector):
    """Reflection for Oracle Database."""

    def _rows(self, connection: Any, query: str, schema: str | None = None,
              table_name: str | None = None) -> list[Any]:
        params: dict[str, Any] = {}
        if ":owner" in REFLECTION_QUERIES[query]:
            params["owner"] = self.dialect.denormalize_name(schema)  # type: ignore[attr-defined]
        if table_name is not None:
            params["table_name"] = self.dialect.denormalize_name(  # type: ignore[attr-defined]
                table_name)
        return list(connection.exec_driver_sql(REFLECTION_QUERIES[query], params).fetchall())

    def _name(self, name: str | None) -> str | None:
        return self.dialect.normalize_name(name)  # type: ignore[attr-defined]

    def _names(self, rows: list[Any]) -> list[str]:
        return [str(self._name(r[0])) for r in rows]

    def fetch_schema_names(self, connection: Any) -> list[str]:
        return self._names(self._rows(connection, "schema_names"))

    def fetch_table_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._names(self._rows(connection, "table_names", schema))

    def fetch_temp_table_names(self, connection: Any) -> list[str]:
        return self._names(self._rows(connection, "temp_table_names"))

    def fetch_view_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._names(self._rows(connection, "view_names", schema))

    def fetch_view_definition(self, connection: Any, view_name: str,
                              schema: str | None) -> str | None:
        rows = self._rows(connection, "view_definition", schema, view_name)
        return rows[0][0] if rows else None

    def fetch_has_table(self, connection: Any, table_name: str, schema: str | None) -> bool:
        rows = self._rows(connection, "has_table", schema, table_name)
        return bool(rows and rows[0][0])

    def fetch_sequence_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._names(self._rows(connection, "sequence_names", schema))

    def fetch_columns(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        columns = []
        for (name, data_type, length, precision, scale, nullable, default, virtual,
             identity, comment) in self._rows(connection, "columns", schema, table_name):
            text = default.strip() if isinstance(default, str) else default
            info: ReflectedDict = {
                "name": self._name(name),
                "type": type_for_reflected(data_type, length, precision, scale),
                "nullable": nullable == "Y",
                "default": None if virtual == "YES" or identity == "YES" else text,
                "autoincrement": identity == "YES",
                "comment": comment,
            }
            if virtual == "YES":
                info["computed"] = {"sqltext": text, "persisted": False}
            columns.append(info)
        return columns

    def _constraints(self, connection: Any, table_name: str, schema: str | None,
                     kind: str) -> dict[str, ReflectedDict]:
        grouped: dict[str, ReflectedDict] = {}
        for (name, ctype, column, ref_owner, ref_table, ref_column, delete_rule,
             condition) in self._rows(connection, "constraints", schema, table_name):
            if ctype != kind:
                continue
            entry = grouped.setdefault(name, {
                "name": self._name(name), "columns": [], "referred_schema": ref_owner,
                "referred_table": self._name(ref_table), "referred_columns": [],
                "delete_rule": delete_rule, "condition": condition})
            if column is not None:
                entry["columns"].append(self._name(column))
            if ref_column is not None:
                entry["referred_columns"].append(self._name(ref_column))
        return grouped

    def fetch_pk_constraint(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        found = list(self._constraints(connection, table_name, schema, "P").values())
        if not found:
            return {"name": None, "constrained_columns": []}
        return {"name": found[0]["name"], "constrained_columns": found[0]["columns"]}

    def fetch_unique_constraints(self, connection: Any, table_name: str,
                                 schema: str | None) -> list[ReflectedDict]:
        return [{"name": c["name"], "column_names": c["columns"]}
                for c in self._constraints(connection, table_name, schema, "U").values()]

    def fetch_foreign_keys(self, connection: Any, table_name: str,
                           schema: str | None) -> list[ReflectedDict]:
        result = []
        for c in self._constraints(connection, table_name, schema, "R").values():
            options = {"ondelete": c["delete_rule"]} \
                if c["delete_rule"] in ("CASCADE", "SET NULL") else {}
            result.append({
                "name": c["name"], "constrained_columns": c["columns"],
                "referred_schema": self._name(c["referred_schema"]) if schema else None,
                "referred_table": c["referred_table"],
                "referred_columns": c["referred_columns"], "options": options})
        return result

    def fetch_check_constraints(self, connection: Any, table_name: str,
                                schema: str | None) -> list[ReflectedDict]:
        return [{"name": c["name"], "sqltext": c["condition"]}
                for c in self._constraints(connection, table_name, schema, "C").values()
                # NOT NULL columns show up as system-named checks: they are not constraints
                if not str(c["condition"] or "").endswith("IS NOT NULL")]

    def fetch_indexes(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        grouped: dict[str, ReflectedDict] = {}
        for name, uniqueness, column, expression in self._rows(
                connection, "indexes", schema, table_name):
            entry = grouped.setdefault(name, {
                "name": self._name(name), "column_names": [],
                "unique": uniqueness == "UNIQUE", "dialect_options": {}})
            if expression is not None:
                entry["column_names"].append(None)
                entry.setdefault("expressions", []).append(expression)
            else:
                entry["column_names"].append(self._name(column))
        return list(grouped.values())

    def fetch_table_comment(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        rows = self._rows(connection, "table_comment", schema, table_name)
        return {"text": rows[0][0] if rows else None}
