"""SQLite reflection: PRAGMA table_xinfo / foreign_key_list / index_list and the stored
CREATE statements (for constraint names and CHECK conditions, which no PRAGMA reports)."""

from __future__ import annotations

import re
from typing import Any

from sqlwright.dialects.reflection import Inspector, ReflectedDict
from sqlwright_sqlite.types import type_for_declared_name

__all__ = ["INSPECTOR", "SQLiteInspector"]

_NAME = r'(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|(\w+))'
_CONSTRAINT = re.compile(
    r"\bCONSTRAINT\s+" + _NAME + r"\s+(PRIMARY\s+KEY|UNIQUE|CHECK|FOREIGN\s+KEY)", re.I)
_GENERATED = re.compile(r"\bGENERATED\s+ALWAYS\s+AS\s*\(|\bAS\s*\(", re.I)


def _unquote(match: re.Match[str], start: int = 1) -> str:
    for group in match.groups()[start - 1:start + 3]:
        if group is not None:
            return group.replace('""', '"')
    return ""


def _balanced(sql: str, open_at: int) -> tuple[str, int]:
    """The text inside the parenthesis opening at ``open_at`` and the index after it."""
    depth = 0
    i = open_at
    quote: str | None = None
    while i < len(sql):
        ch = sql[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return sql[open_at + 1:i], i + 1
        i += 1
    return sql[open_at + 1:], len(sql)


def _split_names(text: str) -> list[str]:
    names = []
    for part in text.split(","):
        part = part.strip()
        match = re.match(_NAME, part)
        if match:
            names.append(_unquote(match))
    return names


class SQLiteInspector(Inspector):
    """Reflection for SQLite (any driver)."""

    # -- helpers -----------------------------------------------------------------------------
    def _schema(self, schema: str | None) -> str:
        return f"{self.dialect.identifier_preparer.quote_identifier(schema)}." if schema else ""

    def _pragma(self, connection: Any, pragma: str, table: str,
                schema: str | None) -> list[Any]:
        quote = self.dialect.identifier_preparer.quote_identifier
        sql = f"PRAGMA {self._schema(schema)}{pragma}({quote(table)})"
        return list(connection.exec_driver_sql(sql).fetchall())

    def _master(self, schema: str | None) -> str:
        return f"{self._schema(schema)}sqlite_master" if schema else "sqlite_master"

    def _table_sql(self, connection: Any, table_name: str, schema: str | None) -> str:
        sql = (f"SELECT sql FROM {self._master(schema)} WHERE name = ? "
               "AND type IN ('table', 'view')")
        row = connection.exec_driver_sql(sql, (table_name,)).fetchone()
        if row is None and schema is None:
            row = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_temp_master WHERE name = ?", (table_name,)).fetchone()
        return (row[0] or "") if row is not None else ""

    def _named_constraints(self, connection: Any, table_name: str,
                           schema: str | None) -> list[tuple[str, str, str]]:
        """(name, kind, body) of each CONSTRAINT clause of the CREATE TABLE."""
        sql = self._table_sql(connection, table_name, schema)
        found = []
        for match in _CONSTRAINT.finditer(sql):
            kind = re.sub(r"\s+", " ", match.group(5).upper())
            open_at = sql.find("(", match.end())
            body = _balanced(sql, open_at)[0] if open_at >= 0 else ""
            found.append((_unquote(match), kind, body))
        return found

    # -- names -------------------------------------------------------------------------------
    def fetch_schema_names(self, connection: Any) -> list[str]:
        rows = connection.exec_driver_sql("PRAGMA database_list").fetchall()
        return [row[1] for row in rows if row[1] != "temp"]

    def _names(self, connection: Any, kind: str, schema: str | None) -> list[str]:
        sql = (f"SELECT name FROM {self._master(schema)} WHERE type = ? "
               "AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name")
        return [row[0] for row in connection.exec_driver_sql(sql, (kind,)).fetchall()]

    def fetch_table_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._names(connection, "table", schema)

    def fetch_view_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._names(connection, "view", schema)

    def fetch_temp_table_names(self, connection: Any) -> list[str]:
        sql = ("SELECT name FROM sqlite_temp_master WHERE type = 'table' "
               "AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name")
        return [row[0] for row in connection.exec_driver_sql(sql).fetchall()]

    def fetch_view_definition(self, connection: Any, view_name: str,
                              schema: str | None) -> str | None:
        sql = f"SELECT sql FROM {self._master(schema)} WHERE type = 'view' AND name = ?"
        row = connection.exec_driver_sql(sql, (view_name,)).fetchone()
        return row[0] if row is not None else None

    def fetch_has_table(self, connection: Any, table_name: str, schema: str | None) -> bool:
        return bool(self._pragma(connection, "table_info", table_name, schema))

    # -- columns and keys --------------------------------------------------------------------
    def fetch_columns(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        rows = self._pragma(connection, "table_xinfo", table_name, schema)
        pk_count = sum(1 for row in rows if row[5])
        sql = self._table_sql(connection, table_name, schema)
        columns = []
        for _cid, name, declared, notnull, default, pk, hidden in rows:
            if hidden == 1:
                continue
            type_ = type_for_declared_name(declared)
            info: ReflectedDict = {
                "name": name, "type": type_, "nullable": not notnull and not pk,
                "default": default, "comment": None,
                "autoincrement": bool(pk) and pk_count == 1 and
                (declared or "").upper() == "INTEGER",
            }
            if hidden in (2, 3):
                info["computed"] = {"sqltext": self._generated_sql(sql, name),
                                    "persisted": hidden == 3}
                info["default"] = None
            columns.append(info)
        return columns

    def _generated_sql(self, sql: str, column: str) -> str:
        pattern = re.compile(r'(?:^|[(,\s])"?' + re.escape(column) + r'"?\s', re.I)
        match = pattern.search(sql)
        if match is None:
            return ""
        gen = _GENERATED.search(sql, match.end())
        if gen is None:
            return ""
        return _balanced(sql, gen.end() - 1)[0].strip()

    def fetch_pk_constraint(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        rows = self._pragma(connection, "table_info", table_name, schema)
        keyed = sorted((row[5], row[1]) for row in rows if row[5])
        name = next((n for n, kind, _ in self._named_constraints(
            connection, table_name, schema) if kind == "PRIMARY KEY"), None)
        return {"constrained_columns": [n for _, n in keyed], "name": name}

    def fetch_foreign_keys(self, connection: Any, table_name: str,
                           schema: str | None) -> list[ReflectedDict]:
        rows = self._pragma(connection, "foreign_key_list", table_name, schema)
        grouped: dict[int, ReflectedDict] = {}
        for fk_id, _seq, target, local, remote, on_update, on_delete, match in rows:
            entry = grouped.setdefault(fk_id, {
                "name": None, "constrained_columns": [], "referred_schema": schema,
                "referred_table": target, "referred_columns": [],
                "options": _fk_options(on_update, on_delete, match)})
            entry["constrained_columns"].append(local)
            entry["referred_columns"].append(remote)
        result = [grouped[k] for k in sorted(grouped, reverse=True)]
        for entry in result:
            if any(c is None for c in entry["referred_columns"]):
                pk = self.fetch_pk_constraint(connection, entry["referred_table"], schema)
                entry["referred_columns"] = pk["constrained_columns"]
        named = [(n, body) for n, kind, body in self._named_constraints(
            connection, table_name, schema) if kind == "FOREIGN KEY"]
        for name, body in named:
            cols = _split_names(body)
            for entry in result:
                if entry["name"] is None and entry["constrained_columns"] == cols:
                    entry["name"] = name
                    break
        return result

    def fetch_indexes(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        result = []
        for row in self._pragma(connection, "index_list", table_name, schema):
            _seq, name, unique, origin, partial = row[:5]
            if origin != "c" or name.startswith("sqlite_"):
                continue
            info = self._pragma(connection, "index_xinfo", name, schema)
            keys = sorted((r for r in info if r[5]), key=lambda r: r[0])
            entry: ReflectedDict = {"name": name, "unique": bool(unique),
                                    "column_names": [r[2] for r in keys],
                                    "dialect_options": {}}
            index_sql = self._index_sql(connection, name, schema)
            if any(r[1] == -2 for r in keys):
                exprs = _split_top(_balanced(index_sql, index_sql.find("("))[0]) \
                    if "(" in index_sql else []
                entry["expressions"] = [
                    r[2] if r[1] != -2 else (exprs[i] if i < len(exprs) else None)
                    for i, r in enumerate(keys)]
            if partial:
                where = re.search(r"\bWHERE\b(.*)$", index_sql, re.I | re.S)
                if where:
                    entry["dialect_options"] = {"sqlite": {"where": where.group(1).strip()}}
            result.append(entry)
        return sorted(result, key=lambda e: e["name"])

    def _index_sql(self, connection: Any, name: str, schema: str | None) -> str:
        sql = f"SELECT sql FROM {self._master(schema)} WHERE type = 'index' AND name = ?"
        row = connection.exec_driver_sql(sql, (name,)).fetchone()
        return (row[0] or "") if row is not None else ""

    def fetch_unique_constraints(self, connection: Any, table_name: str,
                                 schema: str | None) -> list[ReflectedDict]:
        named = {tuple(_split_names(body)): n for n, kind, body in self._named_constraints(
            connection, table_name, schema) if kind == "UNIQUE"}
        result = []
        for row in self._pragma(connection, "index_list", table_name, schema):
            name, origin = row[1], row[3]
            if origin != "u":
                continue
            info = self._pragma(connection, "index_info", name, schema)
            cols = [r[2] for r in sorted(info, key=lambda r: r[0])]
            result.append({"name": named.get(tuple(cols)), "column_names": cols})
        return sorted(result, key=lambda e: (e["name"] or "", e["column_names"]))

    def fetch_check_constraints(self, connection: Any, table_name: str,
                                schema: str | None) -> list[ReflectedDict]:
        sql = self._table_sql(connection, table_name, schema)
        result = []
        for match in re.finditer(r"(?:\bCONSTRAINT\s+" + _NAME + r"\s+)?\bCHECK\s*\(", sql, re.I):
            name = _unquote(match) if any(match.groups()[:4]) else None
            body = _balanced(sql, match.end() - 1)[0]
            result.append({"name": name or None, "sqltext": body.strip()})
        return result

    def fetch_table_options(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        sql = self._table_sql(connection, table_name, schema)
        if re.search(r"\bAUTOINCREMENT\b", sql, re.I):
            return {"sqlite_autoincrement": True}
        return {}


def _fk_options(on_update: str, on_delete: str, match: str) -> ReflectedDict:
    options: ReflectedDict = {}
    if on_update and on_update.upper() != "NO ACTION":
        options["onupdate"] = on_update
    if on_delete and on_delete.upper() != "NO ACTION":
        options["ondelete"] = on_delete
    if match and match.upper() != "NONE":
        options["match"] = match
    return options


def _split_top(text: str) -> list[str]:
    """Split on commas that are not inside parentheses or quotes."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    quote: str | None = None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    if current:
        parts.append("".join(current).strip())
    return parts


#: the Inspector class core finds for this plugin until the dialect names it itself
INSPECTOR = SQLiteInspector
