"""MySQL / MariaDB reflection from ``information_schema``.

A schema is a database on the server; ``schema=None`` means the connection's current database.
Notes on what the server reports: MySQL names every primary key PRIMARY (reflected as no
name); unique constraints and unique indexes are the same thing there and reflect as unique
constraints; the index InnoDB adds by itself for a foreign key is left out; MariaDB's JSON is a
LONGTEXT with a ``json_valid()`` check, which reflects as JSON (and the check is left out).
"""

from __future__ import annotations

import re
from typing import Any

from sqlwright.dialects.reflection import Inspector, ReflectedDict
from sqlwright.types import JSON, TypeEngine
from sqlwright_mysql.types import type_for_column_type

__all__ = ["MySQLInspector"]

_IS = "information_schema"
_JSON_CHECK = re.compile(r"^\s*json_valid\(\s*`?([^`)]+)`?\s*\)\s*$", re.I)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_DEFAULT_RULES = frozenset({"RESTRICT", "NO ACTION"})


class MySQLInspector(Inspector):
    """Reflection for MySQL and MariaDB (any driver)."""

    # -- helpers -----------------------------------------------------------------------------
    @property
    def _is_mariadb(self) -> bool:
        return bool(getattr(self.dialect, "is_mariadb", False))

    @staticmethod
    def _where_schema(schema: str | None, column: str = "TABLE_SCHEMA") -> str:
        return f"{column} = %(schema)s" if schema else f"{column} = DATABASE()"

    def _rows(self, connection: Any, sql: str, **params: Any) -> list[Any]:
        return list(connection.exec_driver_sql(sql, params).fetchall())

    def _table_names_of(self, connection: Any, schema: str | None, kinds: str) -> list[str]:
        sql = (f"SELECT TABLE_NAME FROM {_IS}.TABLES WHERE {self._where_schema(schema)} "
               f"AND TABLE_TYPE IN ({kinds}) ORDER BY TABLE_NAME")
        return [row[0] for row in self._rows(connection, sql, schema=schema)]

    def _current_schema(self, connection: Any, schema: str | None) -> str:
        if schema:
            return schema
        return str(connection.exec_driver_sql("SELECT DATABASE()").scalar())

    # -- names -------------------------------------------------------------------------------
    def fetch_schema_names(self, connection: Any) -> list[str]:
        sql = f"SELECT SCHEMA_NAME FROM {_IS}.SCHEMATA ORDER BY SCHEMA_NAME"
        return [row[0] for row in self._rows(connection, sql)]

    def fetch_table_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._table_names_of(connection, schema, "'BASE TABLE', 'SYSTEM VERSIONED'")

    def fetch_view_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._table_names_of(connection, schema, "'VIEW'")

    def fetch_sequence_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._table_names_of(connection, schema, "'SEQUENCE'")

    def fetch_view_definition(self, connection: Any, view_name: str,
                              schema: str | None) -> str | None:
        sql = (f"SELECT VIEW_DEFINITION FROM {_IS}.VIEWS WHERE {self._where_schema(schema)} "
               "AND TABLE_NAME = %(name)s")
        rows = self._rows(connection, sql, schema=schema, name=view_name)
        return rows[0][0] if rows else None

    def fetch_has_table(self, connection: Any, table_name: str, schema: str | None) -> bool:
        sql = (f"SELECT COUNT(*) FROM {_IS}.TABLES WHERE {self._where_schema(schema)} "
               "AND TABLE_NAME = %(name)s AND TABLE_TYPE != 'SEQUENCE'")
        return bool(self._rows(connection, sql, schema=schema, name=table_name)[0][0])

    # -- columns -----------------------------------------------------------------------------
    def fetch_columns(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        sql = ("SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
               f"COLUMN_COMMENT, GENERATION_EXPRESSION FROM {_IS}.COLUMNS "
               f"WHERE {self._where_schema(schema)} AND TABLE_NAME = %(name)s "
               "ORDER BY ORDINAL_POSITION")
        json_columns = self._json_columns(connection, table_name, schema)
        columns = []
        for name, column_type, nullable, default, extra, comment, generated in self._rows(
                connection, sql, schema=schema, name=table_name):
            extra = (extra or "").upper()
            type_: TypeEngine = JSON() if name in json_columns else \
                type_for_column_type(column_type)
            info: ReflectedDict = {
                "name": name, "type": type_, "nullable": nullable == "YES",
                "default": self._default(default, extra, column_type),
                "autoincrement": "AUTO_INCREMENT" in extra, "comment": comment or None,
            }
            if "GENERATED" in extra and generated:
                info["computed"] = {"sqltext": generated, "persisted": "STORED" in extra}
                info["default"] = None
            columns.append(info)
        return columns

    def _default(self, raw: str | None, extra: str, column_type: str) -> str | None:
        """The server default as SQL text (MariaDB reports SQL already; MySQL the bare
        value, with DEFAULT_GENERATED marking an expression)."""
        if raw is None:
            return None
        if self._is_mariadb:
            return None if raw == "NULL" else raw
        if raw.upper().startswith("CURRENT_TIMESTAMP"):
            return raw
        if "DEFAULT_GENERATED" in extra:
            return f"({raw})"
        kind = column_type.split("(")[0].lower()
        if _NUMBER.match(raw) and kind not in ("char", "varchar", "text", "enum", "set"):
            return raw
        return "'" + raw.replace("'", "''") + "'"

    def _json_columns(self, connection: Any, table_name: str, schema: str | None) -> set[str]:
        """MariaDB's JSON columns: those carrying their own ``json_valid(col)`` check."""
        if not self._is_mariadb:
            return set()
        found = set()
        for name, clause in self._check_rows(connection, table_name, schema):
            match = _JSON_CHECK.match(clause or "")
            if match is not None and match.group(1) == name:
                found.add(name)
        return found

    # -- keys --------------------------------------------------------------------------------
    def _statistics(self, connection: Any, table_name: str, schema: str | None) -> list[Any]:
        expression = "EXPRESSION" if self._has_index_expressions() else "NULL"
        sql = ("SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE, "
               f"{expression} FROM {_IS}.STATISTICS WHERE {self._where_schema(schema)} "
               "AND TABLE_NAME = %(name)s ORDER BY INDEX_NAME, SEQ_IN_INDEX")
        return self._rows(connection, sql, schema=schema, name=table_name)

    def _has_index_expressions(self) -> bool:
        info = self.dialect.server_version_info
        return not self._is_mariadb and info is not None and tuple(info) >= (8, 0, 13)

    def fetch_pk_constraint(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        columns = [row[2] for row in self._statistics(connection, table_name, schema)
                   if row[0] == "PRIMARY"]
        return {"constrained_columns": columns, "name": None}

    def fetch_foreign_keys(self, connection: Any, table_name: str,
                           schema: str | None) -> list[ReflectedDict]:
        sql = ("SELECT k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
               "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, "
               f"r.DELETE_RULE FROM {_IS}.KEY_COLUMN_USAGE k JOIN "
               f"{_IS}.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA "
               "AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME "
               f"WHERE {self._where_schema(schema, 'k.TABLE_SCHEMA')} "
               "AND k.TABLE_NAME = %(name)s AND k.REFERENCED_TABLE_NAME IS NOT NULL "
               "ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION")
        here = self._current_schema(connection, schema)
        found: dict[str, ReflectedDict] = {}
        for name, column, ref_schema, ref_table, ref_column, on_update, on_delete in \
                self._rows(connection, sql, schema=schema, name=table_name):
            entry = found.get(name)
            if entry is None:
                options = {}
                if on_update and on_update.upper() not in _DEFAULT_RULES:
                    options["onupdate"] = on_update
                if on_delete and on_delete.upper() not in _DEFAULT_RULES:
                    options["ondelete"] = on_delete
                entry = found[name] = {
                    "name": name, "constrained_columns": [], "referred_table": ref_table,
                    "referred_schema": schema if ref_schema == here else ref_schema,
                    "referred_columns": [], "options": options}
            entry["constrained_columns"].append(column)
            entry["referred_columns"].append(ref_column)
        return list(found.values())

    def _grouped_indexes(self, connection: Any, table_name: str,
                         schema: str | None) -> dict[str, ReflectedDict]:
        grouped: dict[str, ReflectedDict] = {}
        for name, non_unique, column, sub_part, index_type, expression in self._statistics(
                connection, table_name, schema):
            if name == "PRIMARY":
                continue
            entry = grouped.setdefault(name, {
                "name": name, "unique": not int(non_unique), "column_names": [],
                "expressions": [], "lengths": {}, "type": (index_type or "").upper()})
            entry["column_names"].append(column)
            entry["expressions"].append(expression if column is None else column)
            if sub_part is not None and column is not None:
                entry["lengths"][column] = int(sub_part)
        return grouped

    def fetch_indexes(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        fk_indexes = {(fk["name"], tuple(fk["constrained_columns"]))
                      for fk in self.fetch_foreign_keys(connection, table_name, schema)}
        result = []
        for name, entry in sorted(self._grouped_indexes(connection, table_name, schema).items()):
            if entry["unique"] or (name, tuple(entry["column_names"])) in fk_indexes:
                continue
            options: dict[str, Any] = {}
            if entry["lengths"]:
                options["length"] = dict(entry["lengths"])
            if entry["type"] in ("FULLTEXT", "SPATIAL"):
                options["prefix"] = entry["type"]
            elif entry["type"] == "HASH":
                options["using"] = "HASH"
            info: ReflectedDict = {"name": name, "unique": False,
                                   "column_names": entry["column_names"],
                                   "dialect_options": {"mysql": options} if options else {}}
            if any(c is None for c in entry["column_names"]):
                info["expressions"] = entry["expressions"]
            result.append(info)
        return result

    def fetch_unique_constraints(self, connection: Any, table_name: str,
                                 schema: str | None) -> list[ReflectedDict]:
        return [{"name": name, "column_names": entry["column_names"]}
                for name, entry in sorted(self._grouped_indexes(
                    connection, table_name, schema).items()) if entry["unique"]]

    # -- checks, comments, options ------------------------------------------------------------
    def _check_rows(self, connection: Any, table_name: str,
                    schema: str | None) -> list[tuple[str, str]]:
        if not self.dialect.features.supports_check_constraints:
            return []
        if self._is_mariadb:
            sql = (f"SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM {_IS}.CHECK_CONSTRAINTS WHERE "
                   f"{self._where_schema(schema, 'CONSTRAINT_SCHEMA')} "
                   "AND TABLE_NAME = %(name)s ORDER BY CONSTRAINT_NAME")
        else:
            sql = ("SELECT cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM "
                   f"{_IS}.TABLE_CONSTRAINTS tc JOIN {_IS}.CHECK_CONSTRAINTS cc ON "
                   "cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND "
                   "cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME WHERE "
                   f"{self._where_schema(schema, 'tc.TABLE_SCHEMA')} AND tc.TABLE_NAME = "
                   "%(name)s AND tc.CONSTRAINT_TYPE = 'CHECK' ORDER BY cc.CONSTRAINT_NAME")
        return [(row[0], row[1]) for row in self._rows(
            connection, sql, schema=schema, name=table_name)]

    def fetch_check_constraints(self, connection: Any, table_name: str,
                                schema: str | None) -> list[ReflectedDict]:
        json_columns = self._json_columns(connection, table_name, schema)
        result = []
        for name, clause in self._check_rows(connection, table_name, schema):
            match = _JSON_CHECK.match(clause or "")
            if match is not None and name in json_columns and match.group(1) == name:
                continue
            result.append({"name": name, "sqltext": clause})
        return result

    def _table_row(self, connection: Any, table_name: str, schema: str | None) -> Any:
        sql = ("SELECT t.TABLE_COMMENT, t.ENGINE, c.CHARACTER_SET_NAME, c.IS_DEFAULT, "
               f"t.TABLE_COLLATION FROM {_IS}.TABLES t LEFT JOIN {_IS}.COLLATIONS c ON "
               "c.COLLATION_NAME = t.TABLE_COLLATION "
               f"WHERE {self._where_schema(schema, 't.TABLE_SCHEMA')} "
               "AND t.TABLE_NAME = %(name)s")
        rows = self._rows(connection, sql, schema=schema, name=table_name)
        return rows[0] if rows else (None, None, None, None, None)

    def fetch_table_comment(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        comment = self._table_row(connection, table_name, schema)[0]
        return {"text": comment or None}

    def fetch_table_options(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        """``mysql_engine``, ``mysql_charset`` and (when not the charset's default)
        ``mysql_collate``."""
        _, engine, charset, is_default, collation = self._table_row(
            connection, table_name, schema)
        options: ReflectedDict = {}
        if engine:
            options["mysql_engine"] = engine
        if charset is None and collation:
            charset = collation.split("_")[0]
        if charset:
            options["mysql_charset"] = charset
        if collation and (is_default or "").lower() != "yes":
            options["mysql_collate"] = collation
        return options
