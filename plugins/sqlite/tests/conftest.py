"""The SQLite plugin's tests: the conformance suite runs on a file database in a directory the
suite plugin creates for the run (``{tmpdir}``), or on ``--dburi sqlite:///...`` /
SQLWRIGHT_TEST_SQLITE_URL when given."""

from __future__ import annotations

sqlwright_dialect = "sqlite"
sqlwright_dburi = "sqlite:///{tmpdir}/suite.db"
