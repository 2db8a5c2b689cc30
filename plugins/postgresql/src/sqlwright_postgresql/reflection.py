"""PostgreSQL reflection from the system catalogs (pg_class, pg_attribute, pg_constraint,
pg_index ...). Tables are found by OID once; every other question is asked about that OID."""

from __future__ import annotations

import re
from typing import Any

from sqlwright import exc
from sqlwright.dialects.reflection import Inspector, ReflectedDict
from sqlwright.types import TypeEngine
from sqlwright.types.base import NULLTYPE
from sqlwright_postgresql.types import ARRAY, ENUM, INTERVAL, PG_ISCHEMA_NAMES

__all__ = ["PGInspector", "type_for_format"]

_TABLE_KINDS = "('r', 'p', 'v', 'm', 'f')"
_FORMAT = re.compile(r"^(?P<name>[^(\[]+?)\s*(?:\((?P<args>[\d,\s]+)\))?(?P<rest>[^\[(]*)"
                     r"(?P<dims>(?:\[\])*)$")
_FK_ACTIONS = {"a": None, "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_FK_MATCH = {"f": "FULL", "p": "PARTIAL", "s": None}
_SERIAL_DEFAULT = re.compile(r"^nextval\('[^']+'::regclass\)$")


def type_for_format(formatted: str, enum_labels: list[str] | None = None,
                    enum_name: str | None = None, enum_schema: str | None = None
                    ) -> TypeEngine:
    """The type for a column whose ``format_type()`` is ``formatted`` (``"numeric(10,2)"``,
    ``"timestamp(3) with time zone"``, ``"integer[]"``); enum types come with their labels.
    Unknown names give NullType."""
    match = _FORMAT.match(formatted.strip())
    if match is None:
        return NULLTYPE
    name = " ".join(f"{match['name']}{match['rest']}".split())
    args = [int(a) for a in (match["args"] or "").replace(" ", "").split(",") if a]
    dims = len(match["dims"]) // 2
    if enum_labels is not None:
        item: TypeEngine = ENUM(*enum_labels, name=enum_name, schema=enum_schema)
    else:
        item = _named_type(name, args)
    if dims:
        return ARRAY(item, dimensions=dims if dims > 1 else None)
    return item


def _named_type(name: str, args: list[int]) -> TypeEngine:
    if name.startswith("interval"):
        fields = name[len("interval"):].strip() or None
        if fields is None and not args:
            return PG_ISCHEMA_NAMES["interval"]()
        return INTERVAL(precision=args[0] if args else None, fields=fields)
    cls = PG_ISCHEMA_NAMES.get(name)
    if cls is None:
        return NULLTYPE
    kwargs: dict[str, Any] = {}
    if name in ("character varying", "character"):
        kwargs["length"] = args[0] if args else None
    elif name == "numeric" and args:
        kwargs["precision"] = args[0]
        kwargs["scale"] = args[1] if len(args) > 1 else 0
    elif name.endswith("with time zone"):
        kwargs["timezone"] = True
    return cls(**kwargs)


class PGInspector(Inspector):
    """Reflection for PostgreSQL (any driver)."""

    # -- helpers -----------------------------------------------------------------------------
    def _rows(self, connection: Any, sql: str, **params: Any) -> list[Any]:
        return list(connection.exec_driver_sql(sql, params).fetchall())

    def _namespace(self, schema: str | None) -> str:
        return "n.nspname = %(schema)s" if schema else "n.nspname = current_schema()"

    def _oid(self, connection: Any, table_name: str, schema: str | None) -> int:
        key = ("pg_oid", table_name, schema)
        if key in self.info_cache:
            return int(self.info_cache[key])
        where = "n.nspname = %(schema)s" if schema else "pg_table_is_visible(c.oid)"
        rows = self._rows(
            connection,
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            f"WHERE c.relname = %(name)s AND {where} AND c.relkind IN {_TABLE_KINDS}",
            name=table_name, schema=schema)
        if not rows:
            where_text = f" in schema {schema!r}" if schema else ""
            raise exc.NoSuchTableError(f"Table {table_name!r} does not exist{where_text}")
        self.info_cache[key] = rows[0][0]
        return int(rows[0][0])

    def _relation_names(self, connection: Any, kinds: str, schema: str | None) -> list[str]:
        return [r[0] for r in self._rows(
            connection,
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            f"WHERE {self._namespace(schema)} AND c.relkind IN {kinds} ORDER BY c.relname",
            schema=schema)]

    # -- names -------------------------------------------------------------------------------
    def fetch_schema_names(self, connection: Any) -> list[str]:
        return [r[0] for r in self._rows(
            connection,
            "SELECT nspname FROM pg_namespace WHERE left(nspname, 3) <> 'pg_' "
            "AND nspname <> 'information_schema' ORDER BY nspname")]

    def fetch_table_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._relation_names(connection, "('r', 'p', 'f')", schema)

    def fetch_view_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._relation_names(connection, "('v', 'm')", schema)

    def fetch_sequence_names(self, connection: Any, schema: str | None) -> list[str]:
        return self._relation_names(connection, "('S')", schema)

    def fetch_temp_table_names(self, connection: Any) -> list[str]:
        return [r[0] for r in self._rows(
            connection,
            "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() "
            "AND relkind IN ('r', 'p') ORDER BY relname")]

    def fetch_view_definition(self, connection: Any, view_name: str,
                              schema: str | None) -> str | None:
        rows = self._rows(
            connection,
            "SELECT pg_get_viewdef(c.oid, true) FROM pg_class c JOIN pg_namespace n "
            f"ON n.oid = c.relnamespace WHERE c.relname = %(name)s AND {self._namespace(schema)}"
            " AND c.relkind IN ('v', 'm')", name=view_name, schema=schema)
        return rows[0][0] if rows else None

    def fetch_has_table(self, connection: Any, table_name: str, schema: str | None) -> bool:
        try:
            self._oid(connection, table_name, schema)
        except exc.NoSuchTableError:
            return False
        return True

    # -- columns -----------------------------------------------------------------------------
    def fetch_columns(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        oid = self._oid(connection, table_name, schema)
        version = self.dialect.server_version_info or (15,)
        identity = "a.attidentity" if version >= (10,) else "''"
        generated = "a.attgenerated" if version >= (12,) else "''"
        rows = self._rows(
            connection,
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            f"pg_get_expr(d.adbin, d.adrelid), {identity}, {generated}, "
            "col_description(a.attrelid, a.attnum), "
            "CASE WHEN t.typtype = 'e' THEN t.oid WHEN et.typtype = 'e' THEN et.oid END, "
            "coalesce(et.typname, t.typname), coalesce(etn.nspname, tn.nspname) "
            "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "JOIN pg_namespace tn ON tn.oid = t.typnamespace "
            "LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A' "
            "LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = %(oid)s AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY a.attnum", oid=oid)
        return [self._column(connection, row) for row in rows]

    def _column(self, connection: Any, row: Any) -> ReflectedDict:
        name, formatted, notnull, default, ident, gen, comment, enum_oid, typname, nsp = row
        if enum_oid is not None:
            labels = [r[0] for r in self._rows(
                connection, "SELECT enumlabel FROM pg_enum WHERE enumtypid = %(oid)s "
                "ORDER BY enumsortorder", oid=enum_oid)]
            enum_schema = None if nsp in ("public", self.default_schema_name) else nsp
            bare = formatted.split(".")[-1]
            type_ = type_for_format(bare.replace(typname, "enum", 1), labels, typname,
                                    enum_schema)
        else:
            type_ = type_for_format(formatted)
        info: ReflectedDict = {"name": name, "type": type_, "nullable": not notnull,
                               "default": default, "autoincrement": False, "comment": comment}
        if gen == "s":
            info["computed"] = {"sqltext": default, "persisted": True}
            info["default"] = None
        elif ident in ("a", "d"):
            info["autoincrement"] = True
            info["identity"] = {"always": ident == "a"}
        elif default is not None and _SERIAL_DEFAULT.match(default):
            info["autoincrement"] = True
            info["default"] = None
            info["sequence_default"] = default
        return info

    # -- constraints -------------------------------------------------------------------------
    def _constraints(self, connection: Any, oid: int, kind: str) -> list[Any]:
        return self._rows(
            connection,
            "SELECT con.conname, con.oid, "
            "ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o) "
            "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n "
            "ORDER BY k.o), "
            "ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o) "
            "JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n "
            "ORDER BY k.o), "
            "rc.relname, rn.nspname, con.confupdtype, con.confdeltype, con.confmatchtype, "
            "con.condeferrable, con.condeferred, pg_get_constraintdef(con.oid, true) "
            "FROM pg_constraint con LEFT JOIN pg_class rc ON rc.oid = con.confrelid "
            "LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
            "WHERE con.conrelid = %(oid)s AND con.contype = %(kind)s ORDER BY con.conname",
            oid=oid, kind=kind)

    def fetch_pk_constraint(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        oid = self._oid(connection, table_name, schema)
        rows = self._constraints(connection, oid, "p")
        if not rows:
            return {"name": None, "constrained_columns": []}
        return {"name": rows[0][0], "constrained_columns": list(rows[0][2])}

    def fetch_foreign_keys(self, connection: Any, table_name: str,
                           schema: str | None) -> list[ReflectedDict]:
        oid = self._oid(connection, table_name, schema)
        result = []
        for row in self._constraints(connection, oid, "f"):
            name, _, local, remote, ref_table, ref_schema, upd, dele, match, defer, initially, \
                _ = row
            options: ReflectedDict = {}
            if _FK_ACTIONS.get(upd):
                options["onupdate"] = _FK_ACTIONS[upd]
            if _FK_ACTIONS.get(dele):
                options["ondelete"] = _FK_ACTIONS[dele]
            if _FK_MATCH.get(match):
                options["match"] = _FK_MATCH[match]
            if defer:
                options["deferrable"] = True
                options["initially"] = "DEFERRED" if initially else "IMMEDIATE"
            if schema is None and ref_schema == self.default_schema_name:
                ref_schema = None
            result.append({"name": name, "constrained_columns": list(local),
                           "referred_schema": ref_schema, "referred_table": ref_table,
                           "referred_columns": list(remote), "options": options})
        return result

    def fetch_unique_constraints(self, connection: Any, table_name: str,
                                 schema: str | None) -> list[ReflectedDict]:
        oid = self._oid(connection, table_name, schema)
        return [{"name": row[0], "column_names": list(row[2])}
                for row in self._constraints(connection, oid, "u")]

    def fetch_check_constraints(self, connection: Any, table_name: str,
                                schema: str | None) -> list[ReflectedDict]:
        oid = self._oid(connection, table_name, schema)
        result = []
        for row in self._constraints(connection, oid, "c"):
            definition = re.sub(r"\s+NOT VALID$", "", row[-1])
            match = re.match(r"^CHECK \((.*)\)$", definition, re.S)
            result.append({"name": row[0], "sqltext": match.group(1) if match else definition})
        return result

    def fetch_indexes(self, connection: Any, table_name: str,
                      schema: str | None) -> list[ReflectedDict]:
        oid = self._oid(connection, table_name, schema)
        version = self.dialect.server_version_info or (15,)
        keyatts = "ix.indnkeyatts" if version >= (11,) else "ix.indnatts"
        rows = self._rows(
            connection,
            "SELECT i.relname, ix.indisunique, am.amname, pg_get_expr(ix.indpred, ix.indrelid), "
            f"{keyatts}, ARRAY(SELECT a.attname FROM unnest(ix.indkey::int2[]) "
            "WITH ORDINALITY k(n, o) LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid "
            "AND a.attnum = k.n ORDER BY k.o), "
            "ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k::int, true) "
            "FROM generate_series(1, ix.indnatts) k) "
            "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid "
            "JOIN pg_am am ON am.oid = i.relam "
            "WHERE ix.indrelid = %(oid)s AND NOT ix.indisprimary AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid "
            "AND c.contype IN ('p', 'u', 'x')) ORDER BY i.relname", oid=oid)
        return [_index_entry(row) for row in rows]

    def fetch_table_comment(self, connection: Any, table_name: str,
                            schema: str | None) -> ReflectedDict:
        oid = self._oid(connection, table_name, schema)
        rows = self._rows(connection, "SELECT obj_description(%(oid)s, 'pg_class')", oid=oid)
        return {"text": rows[0][0] if rows else None}


def _index_entry(row: Any) -> ReflectedDict:
    name, unique, method, predicate, nkeys, columns, definitions = row
    key_columns = list(columns)[:nkeys]
    entry: ReflectedDict = {"name": name, "unique": bool(unique),
                            "column_names": key_columns, "dialect_options": {}}
    if any(c is None for c in key_columns):
        entry["expressions"] = [c if c is not None else definitions[i]
                                for i, c in enumerate(key_columns)]
    options: ReflectedDict = {}
    if method != "btree":
        options["using"] = method
    if predicate is not None:
        options["where"] = predicate
    included = [c for c in list(columns)[nkeys:] if c is not None]
    if included:
        options["include"] = included
    if options:
        entry["dialect_options"] = {"postgresql": options}
    return entry
