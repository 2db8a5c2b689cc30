"""The conformance suite (sqlwright.testing.suite) on a live Oracle Database.

No Oracle server runs on the development machines, so the suite runs only when
SQLWRIGHT_TEST_ORACLE_URL (or --dburi oracle+oracledb://...) names one, e.g. the server of
conformance/'s docker compose file. Otherwise every test here is deselected and the run's summary
shows "oracle: NOT RUN": never a silent pass.
"""

from sqlwright.testing.suite import *

sqlwright_dialect = "oracle"
