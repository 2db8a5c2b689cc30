"""Golden compile tests: every case of the Core compile tables, compiled for Oracle.

Each case's SQL must equal the recorded one in golden_oracle.json and parse with sqlglot.
After a deliberate compiler change, rerun with SQLWRIGHT_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import oracle_sqlcheck as check

CASES = check.core_cases()
GOLDEN = check.golden()
_rendered: dict[str, str] = {}


@pytest.mark.parametrize(("case_id", "stmt"), CASES, ids=[c[0] for c in CASES])
def test_core_case_matches_golden_sql(case_id: str, stmt: Any) -> None:
    sql = check.render_case(stmt, check.dialect())
    _rendered[case_id] = sql
    if check.update_requested():
        return
    assert case_id in GOLDEN, (
        f"No golden SQL for {case_id!r}: a Core compile table gained a case. Rerun with "
        "SQLWRIGHT_UPDATE_GOLDEN=1 and review the new entry.")
    assert sql == GOLDEN[case_id]


@pytest.mark.parametrize(("case_id", "stmt"), CASES, ids=[c[0] for c in CASES])
def test_core_case_parses(case_id: str, stmt: Any) -> None:
    sql = check.render_case(stmt, check.dialect())
    if sql.startswith("!"):
        assert GOLDEN.get(case_id, sql) == sql  # a refusal is recorded, and stays one
        return
    check.parse(sql, fragment=case_id.startswith("compile_expr::"))


def test_golden_file_has_no_stale_cases() -> None:
    ids = {case_id for case_id, _ in CASES}
    if check.update_requested():
        for case_id, stmt in CASES:
            _rendered.setdefault(case_id, check.render_case(stmt, check.dialect()))
        check.write_golden(dict(_rendered))
        return
    stale = sorted(set(GOLDEN) - ids)
    assert not stale, f"golden_oracle.json names cases that no longer exist: {stale}"
