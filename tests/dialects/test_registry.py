"""The dialect registry: entry point discovery, load(), available(), register() and errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import sqlwright
from sqlwright import dialects, exc
from sqlwright.cli import main
from sqlwright.dialects.base import Dialect
from sqlwright.dialects.registry import DialectRegistry
from sqlwright_sqlite.drivers.pysqlite import SQLiteDialect_pysqlite

ALL_PLUGINS = ("sqlite", "postgresql", "mysql", "mssql", "oracle")


def test_every_plugin_is_discovered_through_entry_points() -> None:
    names = {info.name for info in dialects.available()}
    assert set(ALL_PLUGINS) <= names


def test_load_default_and_named_driver() -> None:
    assert dialects.load("sqlite") is SQLiteDialect_pysqlite
    assert dialects.load("sqlite+pysqlite") is SQLiteDialect_pysqlite
    assert dialects.load("postgresql").driver == "psycopg2"
    assert dialects.load("mysql+pymysql").name == "mysql"
    assert dialects.load("mssql").driver == "pyodbc"
    assert dialects.load("oracle").driver == "oracledb"


def test_available_reports_plugin_version_and_dbapi() -> None:
    info = {i.name: i for i in dialects.available()}["sqlite"]
    assert (info.driver, info.plugin, info.version) == ("pysqlite", "sqlwright-sqlite", "0.1.0")
    assert info.dbapi_importable and info.is_default


def test_unknown_dialect_error() -> None:
    with pytest.raises(exc.NoSuchDialectError) as info:
        dialects.load("cockroach")
    text = str(info.value)
    assert "cockroach" in text and "sqlite" in text and "postgresql" in text
    assert "pip install" in text


def test_unknown_dialect_of_known_plugin_suggests_extra() -> None:
    reg = DialectRegistry()
    reg._loaded = True  # an empty registry: nothing installed
    with pytest.raises(exc.NoSuchDialectError, match=r'pip install "sqlwright\[mssql\]"'):
        reg.load("mssql")


def test_unknown_driver() -> None:
    with pytest.raises(exc.NoSuchDialectError, match="no driver 'asyncpg'.*psycopg2"):
        dialects.load("postgresql+asyncpg")


class _FakeDBAPIDialect(Dialect):
    name = "fakedb"
    driver = "fakedriver"
    dbapi_module = "sqlwright_no_such_module"
    dbapi_package = "fakedb-driver"


@pytest.fixture
def fake_registered() -> Iterator[type[Dialect]]:
    cls = dialects.register(_FakeDBAPIDialect)
    yield cls
    dialects.registry.unregister("fakedb", "fakedriver")


def test_register_at_run_time(fake_registered: Any) -> None:
    assert dialects.load("fakedb") is fake_registered
    assert dialects.load("fakedb+fakedriver") is fake_registered
    info = {i.name: i for i in dialects.available()}["fakedb"]
    assert not info.dbapi_importable and "ModuleNotFoundError" in (info.dbapi_error or "")


def test_missing_dbapi_names_the_package(fake_registered: Any) -> None:
    with pytest.raises(exc.MissingDBAPIError, match="pip install fakedb-driver"):
        sqlwright.create_engine("fakedb://u@h/db")


def test_register_by_module_path() -> None:
    cls = dialects.register("mylite+pysqlite", "sqlwright_sqlite.drivers.pysqlite",
                            "SQLiteDialect_pysqlite")
    try:
        assert dialects.load("mylite").name == "mylite"
        assert issubclass(cls, SQLiteDialect_pysqlite)
        eng = sqlwright.create_engine("mylite://")
        with eng.connect() as conn:
            assert conn.scalar(sqlwright.text("SELECT 1")) == 1
    finally:
        dialects.registry.unregister("mylite", "pysqlite")


def test_two_plugins_claiming_one_dialect() -> None:
    reg = DialectRegistry()
    reg._loaded = True
    reg._add_class(SQLiteDialect_pysqlite, "sqlwright-sqlite", "0.1.0")
    clone = type("OtherSQLite", (SQLiteDialect_pysqlite,), {})
    with pytest.raises(exc.DuplicateDialectError, match="sqlwright-sqlite.*other-dist"):
        reg._add_class(clone, "other-dist", "1.0")


def test_two_distributions_claiming_one_entry_point(monkeypatch: Any) -> None:
    class FakeDist:
        def __init__(self, name: str) -> None:
            self.name, self.version = name, "1"

    class FakeEP:
        def __init__(self, dist: str) -> None:
            self.name, self.dist = "sqlite", FakeDist(dist)

        def load(self) -> Any:  # pragma: no cover - never reached
            raise AssertionError

    import importlib

    registry_module = importlib.import_module("sqlwright.dialects.registry")

    monkeypatch.setattr(registry_module, "entry_points",
                        lambda group: [FakeEP("sqlwright-sqlite"), FakeEP("evil-sqlite")])
    with pytest.raises(exc.DuplicateDialectError, match="evil-sqlite, sqlwright-sqlite"):
        DialectRegistry().load("sqlite")


def test_cli_dialects_lists_everything(capsys: Any) -> None:
    assert main(["dialects"]) == 0
    out = capsys.readouterr().out
    for name in ALL_PLUGINS:
        assert name in out
    assert "psycopg2" in out and "sqlwright-postgresql" in out


def test_cli_demo_runs(tmp_path: Any, capsys: Any) -> None:
    db = tmp_path / "demo.db"
    assert main(["demo", "--database", str(db)]) == 0
    out = capsys.readouterr().out
    assert "inserted 3 users" in out and "IntegrityError" in out
    assert db.exists()
