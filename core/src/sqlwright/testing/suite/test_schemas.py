"""Suite: tables in another schema of the same database, provisioned for the run by the
dialect plugin's provision.py (``suite_schema``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from sqlwright import exc, text


@pytest.fixture
def schema_table(engine: Any, suite_schema: str) -> Iterator[str]:
    """A quoted ``schema.table`` name in the run's extra schema, dropped after the test."""
    quote = engine.dialect.identifier_preparer.quote
    name = f"{quote(suite_schema)}.{quote('sw_' + uuid.uuid4().hex[:8])}"
    yield name
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP TABLE {name}"))
    except exc.DBAPIError:
        pass


def test_table_in_another_schema(engine: Any, schema_table: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {schema_table} (id INTEGER PRIMARY KEY)"))
        conn.execute(text(f"INSERT INTO {schema_table} (id) VALUES (:id)"), [{"id": 1},
                                                                            {"id": 2}])
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {schema_table}")).scalar() == 2
