"""Boolean and Enum with create_constraint=True get a CHECK where the type is not native."""

from __future__ import annotations

import enum
from typing import Any

import pytest

from sqlwright import Boolean, Column, Enum, Integer, MetaData, Table, exc, insert
from sqlwright.schema import CreateTable


class Mood(enum.Enum):
    happy = "h"
    sad = "s"


def make_table() -> Table:
    return Table("feelings", MetaData(),
                 Column("id", Integer, primary_key=True),
                 Column("ok", Boolean(create_constraint=True, name="ck_ok")),
                 Column("mood", Enum(Mood, create_constraint=True)))


def test_checks_rendered_for_sqlite() -> None:
    from sqlwright.dialects import load

    ddl = str(CreateTable(make_table()).compile(dialect=load("sqlite")()))
    assert "CONSTRAINT ck_ok CHECK (ok IN (0, 1))" in ddl
    assert "CHECK (mood IN ('happy', 'sad'))" in ddl


def test_checks_enforced(engine: Any) -> None:
    features = engine.dialect.features
    table = make_table()
    table.metadata.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.execute(insert(table).values(ok=True, mood=Mood.sad))
        if not features.supports_native_boolean:
            with engine.connect() as conn, pytest.raises(exc.IntegrityError):
                conn.exec_driver_sql("INSERT INTO feelings (ok, mood) VALUES (2, 'happy')")
        if not features.supports_native_enum:
            with engine.connect() as conn, pytest.raises(exc.IntegrityError):
                conn.exec_driver_sql("INSERT INTO feelings (ok, mood) VALUES (1, 'angry')")
    finally:
        table.metadata.drop_all(engine)


def test_no_check_without_create_constraint(engine: Any) -> None:
    table = Table("plain", MetaData(), Column("id", Integer, primary_key=True),
                  Column("ok", Boolean), Column("mood", Enum(Mood, name="mood")))
    assert "CHECK" not in str(CreateTable(table).compile(engine))
