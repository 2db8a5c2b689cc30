"""The SQL Server configuration of sqlwright.testing.sqlcheck (sqlglot's ``tsql`` reader).

Golden SQL lives in ``golden_mssql.json``; set SQLWRIGHT_UPDATE_GOLDEN=1 to rewrite it after a
deliberate change (and review the diff).
"""

from __future__ import annotations

from pathlib import Path

from sqlwright.testing.sqlcheck import SQLChecker

check = SQLChecker(
    "mssql",
    read="tsql",
    golden_path=Path(__file__).parent / "golden_mssql.json",
    placeholder="?",
    parser_gaps=[
        # T-SQL allows OUTPUT in ``DELETE FROM t OUTPUT ... WHERE``; sqlglot only in ``DELETE t``
        (r"^DELETE FROM (\S+) OUTPUT ", r"DELETE \1 OUTPUT ", "DELETE FROM ... OUTPUT ... WHERE"),
    ],
)
