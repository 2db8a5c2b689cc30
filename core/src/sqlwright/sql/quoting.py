"""Identifier quoting: when a name needs quotes, and how a dialect writes them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = ["ANSI_RESERVED_WORDS", "IdentifierPreparer"]

#: Words the SQL standard reserves (a practical subset every dialect extends).
ANSI_RESERVED_WORDS = frozenset("""
all analyse analyze and any array as asc asymmetric authorization between binary both case cast
check collate column constraint create cross current_date current_role current_time
current_timestamp current_user default deferrable desc distinct do else end except false for
foreign freeze from full grant group having ilike in initially inner intersect into is isnull join
lateral leading left like limit localtime localtimestamp natural new not notnull null off offset
old on only or order outer overlaps placing primary references returning right select
session_user similar some symmetric table then to trailing true union unique user using verbose
when where window with values set update delete insert index key by exists primary
""".split())


class IdentifierPreparer:
    """Quotes identifiers by a dialect's rules.

    A name is quoted when it is a reserved word, is not all lower case (so mixed case survives),
    starts with a digit or ``$``, or holds characters outside ``[a-z0-9_$]``.
    """

    reserved_words: ClassVar[frozenset[str]] = ANSI_RESERVED_WORDS
    initial_quote: ClassVar[str] = '"'
    final_quote: ClassVar[str] = '"'
    legal_characters: ClassVar[re.Pattern[str]] = re.compile(r"^[a-z_][a-z0-9_$]*$")
    #: Names the database folds to when unquoted: "lower" (ANSI practice), "upper" (Oracle).
    case_folding: ClassVar[str] = "lower"

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._cache: dict[str, str] = {}

    def _escape(self, name: str) -> str:
        return name.replace(self.final_quote, self.final_quote * 2)

    def quote_identifier(self, name: str) -> str:
        """Always quote ``name``."""
        return f"{self.initial_quote}{self._escape(name)}{self.final_quote}"

    def requires_quotes(self, name: str) -> bool:
        """True when ``name`` must be quoted to be read back exactly."""
        lower = name.lower()
        return (
            lower in self.reserved_words
            or not self.legal_characters.match(name)
            or (lower != name and self.case_folding == "lower")
        )

    def quote(self, name: str, force: bool | None = None) -> str:
        """Quote ``name`` if it needs it (or when ``force`` is true)."""
        if force:
            return self.quote_identifier(name)
        cached = self._cache.get(name)
        if cached is None:
            cached = self.quote_identifier(name) if self.requires_quotes(name) else name
            self._cache[name] = cached
        return cached

    def format_table_name(self, name: str, schema: str | None = None) -> str:
        """``schema.name`` with each part quoted as needed."""
        if schema:
            return f"{self.quote_schema(schema)}.{self.quote(name)}"
        return self.quote(name)

    def quote_schema(self, schema: str) -> str:
        """Quote a (possibly dotted ``database.owner``) schema name part by part."""
        return ".".join(self.quote(part) for part in schema.split("."))
