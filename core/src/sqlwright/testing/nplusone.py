"""The ``nplusone`` pytest fixture: fail a test whose code lazy loads in a loop (N+1).

Registered by :mod:`sqlwright.testing.plugin`. While the test runs, every Session reports
N+1 lazy loads (see :mod:`sqlwright.orm.nplusone`); at teardown the test fails listing each
one, with the attribute and the line that read it. ``nplusone.reports`` lets a test assert on
them itself (clear the list to accept them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

__all__ = ["nplusone"]


@pytest.fixture
def nplusone() -> Iterator[Any]:
    """An N+1 detector active for every Session during the test; the test fails at
    teardown if ``nplusone.reports`` is not empty."""
    from sqlwright.orm.nplusone import disable_nplusone, enable_nplusone

    detector = enable_nplusone(None, mode="record")
    try:
        yield detector
    finally:
        disable_nplusone(detector)
    if detector.reports:
        lines = "\n".join(f"  - {report.message()}" for report in detector.reports)
        pytest.fail(f"N+1 lazy loading detected:\n{lines}", pytrace=False)
