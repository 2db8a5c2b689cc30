"""The conformance suite (sqlwright.testing.suite) on a live SQL Server.

No SQL Server runs on the development machines, so the suite runs only when
SQLWRIGHT_TEST_MSSQL_URL (or --dburi mssql+pyodbc://...) names one, e.g. the server of
conformance/'s docker compose file. Otherwise every test here is deselected and the run's summary
shows "mssql: NOT RUN": never a silent pass.
"""

from sqlwright.testing.suite import *

sqlwright_dialect = "mssql"
