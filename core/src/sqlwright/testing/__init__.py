"""sqlwright.testing: helpers for testing code that uses sqlwright, and the conformance suite.

The pytest plugin is :mod:`sqlwright.testing.plugin` (opt in with
``pytest_plugins = ["sqlwright.testing.plugin"]``); the suite is :mod:`sqlwright.testing.suite`.
Importing this package does not import pytest.
"""

from __future__ import annotations

from sqlwright.testing.assertions import (
    RecordedStatement,
    SQLRecorder,
    assert_sql_count,
    record_sql,
)
from sqlwright.testing.provision import kill_connection

__all__ = ["RecordedStatement", "SQLRecorder", "assert_sql_count", "kill_connection",
           "record_sql"]
