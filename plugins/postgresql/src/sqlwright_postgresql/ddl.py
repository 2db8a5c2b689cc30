"""PostgreSQL DDL rules: SERIAL columns, native enum types created and dropped with their
tables, index methods (``postgresql_using``), covering columns (``postgresql_include``) and
stored generated columns."""

from __future__ import annotations

from typing import Any

from sqlwright import exc
from sqlwright.sql.ddl_compiler import DDLCompiler
from sqlwright.types import BigInteger, Enum, Integer, SmallInteger
from sqlwright_postgresql.types import enum_type_name

__all__ = ["PGDDLCompiler", "native_enums"]

_SERIAL = ((BigInteger, "BIGSERIAL"), (SmallInteger, "SMALLSERIAL"), (Integer, "SERIAL"))


def native_enums(table: Any, dialect: Any) -> list[Any]:
    """The native enum types the columns of ``table`` use (arrays of enums included) that
    DDL should create and drop, one per type name."""
    found: dict[tuple[str | None, str | None], Any] = {}
    for column in table.c:
        type_ = column.type
        if hasattr(type_, "_dialect_adapt"):
            type_ = type_.dialect_impl(dialect)
        type_ = getattr(type_, "item_type", type_)
        if isinstance(type_, Enum) and type_.is_native(dialect) \
                and getattr(type_, "create_type", True):
            enum_type_name(type_, dialect)  # a CompileError when the enum has no name
            found.setdefault((type_.schema, type_.name), type_)
    return list(found.values())


class PGDDLCompiler(DDLCompiler):
    """DDL compiler for PostgreSQL."""

    # -- columns -----------------------------------------------------------------------------
    def _is_serial(self, column: Any) -> bool:
        table = column.table
        return (table is not None and column is table._autoincrement_column
                and column.server_default is None and column.identity is None
                and column.computed is None
                and not getattr(column.default, "is_sequence", False))

    def column_type(self, column: Any) -> str:
        """SERIAL / BIGSERIAL / SMALLSERIAL for the table's autoincrement integer key (unless
        it has an Identity, a Sequence or a server default), else the type's own name."""
        if self._is_serial(column):
            for klass, name in _SERIAL:
                if isinstance(column.type, klass):
                    return name
        return super().column_type(column)

    def visit_computed_column(self, computed: Any, **kw: Any) -> str:
        """PostgreSQL's generated columns are always STORED."""
        if computed.persisted is False:
            raise exc.CompileError(
                "PostgreSQL only has stored generated columns; drop persisted=False from "
                "Computed()")
        text = super().visit_computed_column(computed, **kw)
        return text if text.endswith(" STORED") else text + " STORED"

    # -- enum types with their tables ----------------------------------------------------------
    def create_enum_type(self, type_: Any) -> str:
        """``CREATE TYPE name AS ENUM (...)``, skipped when the type exists already."""
        values = ", ".join(self.sql_compiler.render_string_literal(v) for v in type_.enums)
        name = enum_type_name(type_, self.dialect)
        return (f"DO $sw$ BEGIN CREATE TYPE {name} AS ENUM ({values}); "
                "EXCEPTION WHEN duplicate_object THEN NULL; END $sw$")

    def drop_enum_type(self, type_: Any) -> str:
        """``DROP TYPE name``, skipped while another table still uses the type."""
        name = enum_type_name(type_, self.dialect)
        return (f"DO $sw$ BEGIN DROP TYPE IF EXISTS {name}; "
                "EXCEPTION WHEN dependent_objects_still_exist THEN NULL; END $sw$")

    def visit_create_table(self, create: Any, **kw: Any) -> str:
        """CREATE TABLE, preceded by CREATE TYPE for the native enums it uses."""
        text = super().visit_create_table(create, **kw)
        types = native_enums(create.element, self.dialect)
        return ";\n".join([*(self.create_enum_type(t) for t in types), text])

    def visit_drop_table(self, drop: Any, **kw: Any) -> str:
        """DROP TABLE, followed by DROP TYPE for the native enums no other table uses."""
        text = super().visit_drop_table(drop, **kw)
        types = native_enums(drop.element, self.dialect)
        return ";\n".join([text, *(self.drop_enum_type(t) for t in types)])

    # -- indexes -----------------------------------------------------------------------------
    def visit_create_index(self, create: Any, **kw: Any) -> str:
        """Core's CREATE INDEX plus ``USING method`` (``postgresql_using="gin"``) and
        ``INCLUDE (...)`` (``postgresql_include=[...]``); ``postgresql_where`` is core's."""
        text = super().visit_create_index(create, **kw)
        index = create.element
        options = index.dialect_options.get("postgresql", {})
        using = options.get("using")
        if using:
            if not str(using).replace("_", "").isalnum():
                raise exc.CompileError(
                    f"postgresql_using={using!r} is not an index method name (btree, hash, "
                    "gist, spgist, gin, brin)")
            on = f" ON {self.format_table(index.table)} ("
            text = text.replace(on, f" ON {self.format_table(index.table)} USING "
                                    f"{str(using).lower()} (", 1)
        include = options.get("include")
        if include:
            names = ", ".join(self.preparer.quote(getattr(c, "name", c)) for c in include)
            head, sep, tail = text.partition(" WHERE ")
            text = f"{head} INCLUDE ({names}){sep}{tail}"
        return text
