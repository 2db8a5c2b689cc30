"""The conformance suite (sqlwright.testing.suite) on this plugin's database; conftest.py says
which one (and --dburi / the SQLWRIGHT_TEST_*_URL variables override it)."""

from sqlwright.testing.suite import *
