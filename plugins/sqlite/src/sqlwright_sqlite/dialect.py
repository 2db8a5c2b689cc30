"""The SQLite dialect base shared by its drivers."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlwright.dialects.base import Dialect
from sqlwright.sql.quoting import IdentifierPreparer
from sqlwright_sqlite.compiler import SQLiteCompiler
from sqlwright_sqlite.ddl import SQLiteDDLCompiler
from sqlwright_sqlite.features import SQLiteFeatures
from sqlwright_sqlite.reflection import SQLiteInspector
from sqlwright_sqlite.types import SQLITE_COLSPECS, SQLITE_ISCHEMA_NAMES, SQLiteTypeCompiler

SQLITE_RESERVED = IdentifierPreparer.reserved_words | frozenset("""
abort action add after attach autoincrement before begin cascade column commit conflict database
deferred detach each escape exclusive explain fail glob if ignore immediate indexed instead
match no of plan pragma query raise recursive regexp reindex release rename replace restrict
rollback row savepoint temp temporary transaction trigger vacuum view virtual without
""".split())


class SQLitePreparer(IdentifierPreparer):
    """SQLite quoting: double quotes, SQLite's keyword list."""

    reserved_words = SQLITE_RESERVED


class SQLiteDialect(Dialect):
    """SQLite, for any driver."""

    name = "sqlite"
    features_class = SQLiteFeatures
    statement_compiler = SQLiteCompiler
    ddl_compiler = SQLiteDDLCompiler
    type_compiler = SQLiteTypeCompiler
    preparer = SQLitePreparer
    inspector = SQLiteInspector
    colspecs = SQLITE_COLSPECS
    ischema_names = SQLITE_ISCHEMA_NAMES
    isolation_levels: ClassVar[tuple[str, ...]] = ("SERIALIZABLE", "READ UNCOMMITTED",
                                                   "AUTOCOMMIT")
    disconnect_messages = ("cannot operate on a closed database",
                           "cannot operate on a closed cursor")

    def __init__(self, *, foreign_keys: bool = True, **kwargs: Any) -> None:
        """``foreign_keys=True`` (the default) turns on SQLite's foreign key enforcement."""
        super().__init__(**kwargs)
        self.foreign_keys = foreign_keys
