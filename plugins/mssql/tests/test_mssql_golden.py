"""Golden compile tests: every case of the Core compile tables, compiled for SQL Server.

Each case's SQL must equal the recorded one in golden_mssql.json and parse with sqlglot.
After a deliberate compiler change, rerun with SQLWRIGHT_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlwright.testing.sqlcheck import make_golden_tests

sys.path.insert(0, str(Path(__file__).parent))
from mssql_sqlcheck import check

(test_core_case_matches_golden_sql, test_core_case_parses,
 test_golden_file_has_no_stale_cases) = make_golden_tests(check)
