"""The Oracle configuration of sqlwright.testing.sqlcheck (sqlglot's ``oracle`` reader).

Golden SQL lives in ``golden_oracle.json``; set SQLWRIGHT_UPDATE_GOLDEN=1 to rewrite it after a
deliberate change (and review the diff).
"""

from __future__ import annotations

from pathlib import Path

from sqlwright.testing.sqlcheck import SQLChecker

check = SQLChecker(
    "oracle",
    read="oracle",
    golden_path=Path(__file__).parent / "golden_oracle.json",
    placeholder=":expanded",
    parser_gaps=[
        # Oracle allows several out-binds after RETURNING ... INTO; sqlglot reads only one
        (r" INTO (:\w+)(?:, :\w+)+$", r" INTO \1", "RETURNING a, b INTO :x, :y"),
    ],
)
