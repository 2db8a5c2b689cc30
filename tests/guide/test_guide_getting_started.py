"""API guide, "Getting Started" and "Core Concepts": setup, engine, connection, declarative base.

Each test runs the guide's example with ``sqlalchemy`` renamed to ``sqlwright`` and the URL taken
from the ``engine`` fixture (SQLite, PostgreSQL or MariaDB), then asserts what the example implies.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sqlwright import Column, Integer, String, create_engine, exc, inspect, select, text
from sqlwright.engine import make_url


@pytest.fixture
def users_table(engine: Any) -> Iterator[None]:
    """A plain ``users (id, name)`` table for the raw-SQL examples, dropped afterwards."""
    from sqlwright import MetaData, Table

    md = MetaData()
    Table("users", md, Column("id", Integer, primary_key=True), Column("name", String(50)))
    md.drop_all(engine)
    md.create_all(engine)
    yield
    md.drop_all(engine)


def test_basic_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The guide hard-codes a relative SQLite file; run it in a scratch directory.
    monkeypatch.chdir(tmp_path)
    from sqlwright.orm import declarative_base, sessionmaker

    engine = create_engine("sqlite:///example.db", echo=True)
    Base = declarative_base()

    class Note(Base):  # one model, so that create_all has something to create
        __tablename__ = "notes"
        id = Column(Integer, primary_key=True)

    SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)
    Base.metadata.create_all(bind=engine)

    assert (tmp_path / "example.db").exists()
    assert inspect(engine).get_table_names() == ["notes"]
    with SessionLocal() as session:
        assert session.autoflush is False
        session.add(Note())
        session.commit()
        assert session.scalar(text("SELECT COUNT(*) FROM notes")) == 1
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "drivername", "host", "port", "database"),
    [
        ("sqlite:///path/to/database.db", "sqlite", None, None, "path/to/database.db"),
        ("sqlite:////absolute/path/to/database.db", "sqlite", None, None,
         "/absolute/path/to/database.db"),
        ("postgresql://user:password@localhost:5432/dbname", "postgresql", "localhost", 5432,
         "dbname"),
        ("mysql+pymysql://user:password@localhost:3306/dbname", "mysql+pymysql", "localhost",
         3306, "dbname"),
        ("mssql+pyodbc://user:password@localhost/dbname?driver=ODBC+Driver+17+for+SQL+Server",
         "mssql+pyodbc", "localhost", None, "dbname"),
    ],
)
def test_connection_string_formats(url: str, drivername: str, host: str | None,
                                   port: int | None, database: str) -> None:
    parsed = make_url(url)
    assert parsed.drivername == drivername
    assert parsed.host == host
    assert parsed.port == port
    assert parsed.database == database
    if parsed.password is not None:
        assert "password" not in repr(parsed)
    if drivername == "mssql+pyodbc":
        assert parsed.query["driver"] == "ODBC Driver 17 for SQL Server"


def test_engine_parameters(engine: Any) -> None:
    tuned = create_engine(engine.url, echo=True, pool_size=5, max_overflow=10,
                          pool_pre_ping=True)
    try:
        assert tuned.echo is True
        assert tuned.pool.size() == 5
        with tuned.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
            assert tuned.pool.checkedout() == 1
        assert tuned.pool.checkedout() == 0
    finally:
        tuned.dispose()


def test_engine_and_connection(engine: Any, users_table: None,
                               capsys: pytest.CaptureFixture[str]) -> None:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO users (name) VALUES (:name)"), {"name": "Alice"})

    with engine.connect() as connection:
        result = connection.execute(text("SELECT * FROM users"))
        for row in result:
            print(row)
    assert "'Alice'" in capsys.readouterr().out

    # engine.begin() rolls back when the block raises.
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.execute(text("INSERT INTO users (name) VALUES (:name)"), {"name": "Bob"})
        raise RuntimeError("boom")
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM users")).scalars().all()
    assert names == ["Alice"]


def test_declarative_base_classic(engine: Any) -> None:
    from sqlwright.orm import declarative_base

    Base = declarative_base()

    class User(Base):
        __tablename__ = "users"

        id = Column(Integer, primary_key=True)
        name = Column(String(50))

    Base.metadata.drop_all(bind=engine)
    Base.metadata.create_all(bind=engine)
    try:
        assert "users" in inspect(engine).get_table_names()
        assert User.__table__.c.name.type.length == 50
        assert list(Base.metadata.tables) == ["users"]
    finally:
        Base.metadata.drop_all(bind=engine)


def test_declarative_base_modern(engine: Any) -> None:
    from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column

    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "users"

        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        email: Mapped[str | None]  # Optional field

    table = User.__table__
    assert table.c.name.nullable is False
    assert table.c.email.nullable is True
    assert isinstance(table.c.email.type, String)

    Base.metadata.drop_all(engine)
    if engine.dialect.features.requires_varchar_length:
        # MySQL/MariaDB: a bare ``Mapped[str]`` has no VARCHAR length (docs/guide-differences.md)
        with pytest.raises(exc.CompileError, match=r"String\(50\)"):
            Base.metadata.create_all(engine)
        return
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            session.add(User(name="Alice"))
            session.commit()
        with Session(engine) as session:
            user = session.scalars(select(User)).one()
            assert (user.name, user.email) == ("Alice", None)
    finally:
        Base.metadata.drop_all(engine)
