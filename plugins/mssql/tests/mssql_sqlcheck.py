"""Test helpers: compile statements for SQL Server and check the SQL with sqlglot's T-SQL reader.

A string sqlglot rejects is a failure: it is an independent parser's opinion that the SQL is
not T-SQL. Golden SQL lives in ``golden_mssql.json``; set SQLWRIGHT_UPDATE_GOLDEN=1 to rewrite
it after a deliberate change (and review the diff).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlglot
from sqlglot.errors import ParseError

from sqlwright.dialects import load

HERE = Path(__file__).parent
REPO = HERE.parent.parent.parent
GOLDEN = HERE / "golden_mssql.json"
READ = "tsql"
#: Valid T-SQL that sqlglot's reader does not know, rewritten to an equivalent form it does
#: know before parsing (the rest of the statement is still checked). Each entry names the gap.
PARSER_GAPS: list[tuple[str, str, str]] = [
    # T-SQL allows OUTPUT in ``DELETE FROM t OUTPUT ... WHERE``; sqlglot only in ``DELETE t``
    (r"^DELETE FROM (\S+) OUTPUT ", r"DELETE \1 OUTPUT ", "DELETE FROM ... OUTPUT ... WHERE"),
]
PLACEHOLDER = "?"
#: contexts an expression fragment (a compile_expr case) is parsed in, first that parses wins
FRAGMENT_CONTEXTS = ("SELECT {}", "SELECT 1 FROM t WHERE {}", "SELECT 1 FROM t ORDER BY {}",
                     "SELECT COUNT({}) FROM t")
_EXPANDING = re.compile(r"__\[EXPANDING_\w+?\]")
#: the Core compile tables whose cases every dialect compiles
CORE_TABLES = ("tests/sql/test_compile_select.py", "tests/sql/test_compile_expr.py",
               "tests/sql/test_compile_dml.py", "tests/schema/test_ddl_compile.py")


def dialect(version: tuple[int, ...] | None = None) -> Any:
    """A fresh SQL Server dialect; ``version`` pretends a connected server of that version."""
    d = load("mssql")()
    if version is not None:
        d.server_version_info = version
    return d


def parse(sql: str, fragment: bool = False) -> Any:
    """Parse ``sql`` (an expression when ``fragment``) as T-SQL; raise AssertionError naming the SQL when sqlglot rejects it."""
    # an expanding IN's marker becomes one placeholder, as at execution with one value
    text = _EXPANDING.sub(PLACEHOLDER, sql)
    for pattern, replacement, _gap in PARSER_GAPS:
        text = re.sub(pattern, replacement, text)
    error: Exception | None = None
    for template in (FRAGMENT_CONTEXTS if fragment else ("{}",)):
        try:
            return sqlglot.parse_one(template.format(text), read=READ)
        except ParseError as err:
            error = error or err
    raise AssertionError(f"sqlglot ({READ}) rejects:\n{sql}\n{error}")


def compile_checked(stmt: Any, d: Any = None) -> str:
    """Compile ``stmt`` for SQL Server (DDL elements with the DDL compiler) and parse it."""
    d = d if d is not None else dialect()
    if getattr(stmt, "is_ddl", False):
        sql = str(d.ddl_compiler(d, stmt))
    else:
        sql = str(stmt.compile(dialect=d))
    parse(sql)
    return sql


def core_cases() -> list[tuple[str, Any]]:
    """(id, statement) of every case in the Core compile tables, ids prefixed by table."""
    cases = []
    for relative in CORE_TABLES:
        module = _load(REPO / relative)
        stem = Path(relative).stem.replace("test_", "")
        for case in module.CASES:
            cases.append((f"{stem}::{case[0]}", case[1]))
    return cases


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_mssql_golden_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_case(stmt: Any, d: Any) -> str:
    """The golden text of one case: the SQL, or ``!ErrorClass`` when compiling refuses."""
    try:
        built = stmt() if callable(stmt) and not hasattr(stmt, "compile") else stmt
        if getattr(built, "is_ddl", False):
            return str(d.ddl_compiler(d, built))
        return str(built.compile(dialect=d))
    except Exception as err:
        return f"!{type(err).__name__}"


def golden() -> dict[str, str]:
    """The recorded SQL per case id (empty when the file does not exist yet)."""
    if not GOLDEN.exists():
        return {}
    return dict(json.loads(GOLDEN.read_text()))


def update_requested() -> bool:
    """True when the run should rewrite the golden file instead of comparing with it."""
    return os.environ.get("SQLWRIGHT_UPDATE_GOLDEN") == "1"


def write_golden(values: dict[str, str]) -> None:
    """Rewrite the golden file (sorted, one case per line)."""
    GOLDEN.write_text(json.dumps(values, indent=1, sort_keys=True) + "\n")
