"""Proof without a server: compile statements for a dialect, parse the SQL with an independent
parser (sqlglot, a test-only dependency), and compare with recorded "golden" SQL.

A dialect plugin's tests configure one :class:`SQLChecker` and let :func:`make_golden_tests`
build the golden tests::

    check = SQLChecker("mssql", read="tsql", golden_path=HERE / "golden_mssql.json")
    (test_core_case_matches_golden_sql, test_core_case_parses,
     test_golden_file_has_no_stale_cases) = make_golden_tests(check)

A string the parser rejects is a failure: an independent parser's opinion that the SQL is not
valid for the database. After a deliberate compiler change, rerun with SQLWRIGHT_UPDATE_GOLDEN=1
to rewrite the golden file, and review the diff.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sqlwright.dialects import load

__all__ = ["CORE_TABLES", "SQLChecker", "make_golden_tests"]

#: The Core compile tables (repository paths) whose cases every dialect compiles.
CORE_TABLES = ("tests/sql/test_compile_select.py", "tests/sql/test_compile_expr.py",
               "tests/sql/test_compile_dml.py", "tests/schema/test_ddl_compile.py")
#: Contexts an expression fragment is parsed in; the first that parses wins.
FRAGMENT_CONTEXTS = ("SELECT {}", "SELECT 1 FROM t WHERE {}", "SELECT 1 FROM t ORDER BY {}",
                     "SELECT COUNT({}) FROM t")
_EXPANDING = re.compile(r"__\[EXPANDING_\w+?\]")


class SQLChecker:
    """Compiles for one dialect and parses the SQL with sqlglot's reader ``read``.

    ``parser_gaps`` are (pattern, replacement, description) rewrites of valid SQL the parser does
    not know, applied before parsing (the rest of the statement is still checked).
    ``placeholder`` stands in for an expanding IN's marker, as at execution with one value.
    """

    def __init__(self, dialect_name: str, *, read: str, golden_path: Path,
                 parser_gaps: Sequence[tuple[str, str, str]] = (), placeholder: str = "?",
                 repo: Path | None = None, core_tables: Sequence[str] = CORE_TABLES) -> None:
        self.dialect_name = dialect_name
        self.read = read
        self.golden_path = golden_path
        self.parser_gaps = list(parser_gaps)
        self.placeholder = placeholder
        self.repo = repo if repo is not None else golden_path.parent.parent.parent.parent
        self.core_tables = core_tables

    def dialect(self, version: tuple[int, ...] | None = None) -> Any:
        """A fresh dialect; ``version`` pretends a connected server of that version."""
        d = load(self.dialect_name)()
        if version is not None:
            d.server_version_info = version
        return d

    def parse(self, sql: str, fragment: bool = False) -> Any:
        """Parse ``sql`` (an expression when ``fragment``); AssertionError naming the SQL when
        the parser rejects it."""
        import sqlglot
        from sqlglot.errors import ParseError

        text = _EXPANDING.sub(self.placeholder, sql)
        for pattern, replacement, _gap in self.parser_gaps:
            text = re.sub(pattern, replacement, text)
        error: Exception | None = None
        for template in (FRAGMENT_CONTEXTS if fragment else ("{}",)):
            try:
                return sqlglot.parse_one(template.format(text), read=self.read)
            except ParseError as err:
                error = error or err
        raise AssertionError(f"sqlglot ({self.read}) rejects:\n{sql}\n{error}")

    def compile_checked(self, stmt: Any, d: Any = None) -> str:
        """Compile ``stmt`` (DDL elements with the DDL compiler) and parse the result."""
        d = d if d is not None else self.dialect()
        if getattr(stmt, "is_ddl", False):
            sql = str(d.ddl_compiler(d, stmt))
        else:
            sql = str(stmt.compile(dialect=d))
        self.parse(sql)
        return sql

    def core_cases(self) -> list[tuple[str, Any]]:
        """(id, statement) of every case in the Core compile tables, ids prefixed by table."""
        cases: list[tuple[str, Any]] = []
        for relative in self.core_tables:
            module = self._load(self.repo / relative)
            stem = Path(relative).stem.replace("test_", "")
            cases.extend((f"{stem}::{case[0]}", case[1]) for case in module.CASES)
        return cases

    def _load(self, path: Path) -> ModuleType:
        name = f"_{self.dialect_name}_golden_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def render_case(self, stmt: Any, d: Any) -> str:
        """The golden text of one case: the SQL, or ``!ErrorClass`` when compiling refuses."""
        try:
            built = stmt() if callable(stmt) and not hasattr(stmt, "compile") else stmt
            if getattr(built, "is_ddl", False):
                return str(d.ddl_compiler(d, built))
            return str(built.compile(dialect=d))
        except Exception as err:
            return f"!{type(err).__name__}"

    def golden(self) -> dict[str, str]:
        """The recorded SQL per case id (empty when the file does not exist yet)."""
        if not self.golden_path.exists():
            return {}
        return dict(json.loads(self.golden_path.read_text()))

    @staticmethod
    def update_requested() -> bool:
        """True when the run should rewrite the golden file instead of comparing with it."""
        return os.environ.get("SQLWRIGHT_UPDATE_GOLDEN") == "1"

    def write_golden(self, values: dict[str, str]) -> None:
        """Rewrite the golden file (sorted, one case per line)."""
        self.golden_path.write_text(json.dumps(values, indent=1, sort_keys=True) + "\n")


def make_golden_tests(check: SQLChecker) -> tuple[Callable[..., None], ...]:
    """The three golden tests for ``check``'s dialect: each Core case equals its recorded SQL,
    each parses, and the golden file names no case that no longer exists."""
    cases = check.core_cases()
    ids = [c[0] for c in cases]
    recorded = check.golden()
    rendered: dict[str, str] = {}
    name = check.golden_path.name

    @pytest.mark.parametrize(("case_id", "stmt"), cases, ids=ids)
    def test_core_case_matches_golden_sql(case_id: str, stmt: Any) -> None:
        sql = check.render_case(stmt, check.dialect())
        rendered[case_id] = sql
        if check.update_requested():
            return
        assert case_id in recorded, (
            f"No golden SQL for {case_id!r}: a Core compile table gained a case. Rerun with "
            "SQLWRIGHT_UPDATE_GOLDEN=1 and review the new entry.")
        assert sql == recorded[case_id]

    @pytest.mark.parametrize(("case_id", "stmt"), cases, ids=ids)
    def test_core_case_parses(case_id: str, stmt: Any) -> None:
        sql = check.render_case(stmt, check.dialect())
        if sql.startswith("!"):
            assert recorded.get(case_id, sql) == sql  # a refusal is recorded, and stays one
            return
        check.parse(sql, fragment=case_id.startswith("compile_expr::"))

    def test_golden_file_has_no_stale_cases() -> None:
        if check.update_requested():
            for case_id, stmt in cases:
                rendered.setdefault(case_id, check.render_case(stmt, check.dialect()))
            check.write_golden(dict(rendered))
            return
        stale = sorted(set(recorded) - set(ids))
        assert not stale, f"{name} names cases that no longer exist: {stale}"

    return (test_core_case_matches_golden_sql, test_core_case_parses,
            test_golden_file_has_no_stale_cases)
