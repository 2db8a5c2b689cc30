"""Benchmarks: sqlwright against the raw DBAPI driver (the floor) and SQLAlchemy, as ratios.

Run with `make bench` (it installs SQLAlchemy, a benchmark-only peer). Each workload does the
same work through the raw driver, sqlwright and SQLAlchemy in one process on one SQLite file,
takes the best of several rounds, and reports each library's time as a multiple of the raw
driver's. Benchmarks are not tests: nothing here asserts, and no test reads these numbers.
"""

# No `from __future__ import annotations`: the models below are built inside a function, and
# both ORMs must evaluate their annotations there.

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROWS = 20_000
INSERTS = 2_000
ROUNDS = 5

Workload = dict[str, Callable[[], Any]]
#: connections the library workloads hold open, closed at the end of the run
_open: list[Any] = []



def best_of(fn: Callable[[], Any], rounds: int) -> float:
    """The fastest of ``rounds`` runs, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def setup_db(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50), karma INTEGER)")
    con.execute("CREATE TABLE sink (id INTEGER PRIMARY KEY, name VARCHAR(50), karma INTEGER)")
    con.executemany("INSERT INTO users (name, karma) VALUES (?, ?)",
                    [(f"user{i}", i % 100) for i in range(ROWS)])
    con.commit()
    con.close()


def raw_workloads(path: Path) -> Workload:
    con = sqlite3.connect(path)

    def insert_many() -> None:
        con.executemany("INSERT INTO sink (name, karma) VALUES (?, ?)",
                        [(f"n{i}", i) for i in range(INSERTS)])
        con.rollback()

    return {
        "fetch 20k rows (text)": lambda: con.execute(
            "SELECT id, name, karma FROM users WHERE karma >= ?", (0,)).fetchall(),
        "1000 single-row selects (Core)": lambda: [con.execute(
            "SELECT users.name FROM users WHERE users.id = ?", (i,)).fetchone()
            for i in range(1, 1001)],
        "load 20k rows as objects (ORM)": lambda: con.execute(
            "SELECT id, name, karma FROM users").fetchall(),
        "executemany 2000 inserts (Core)": insert_many,
        "flush 2000 new objects (ORM)": insert_many,
    }


def library_workloads(lib: Any, orm: Any, path: Path) -> Workload:
    """The same workloads through sqlwright or SQLAlchemy (their APIs match name for name)."""
    engine = lib.create_engine(f"sqlite:///{path}")
    conn = engine.connect()
    _open.append(conn)

    class Base(orm.DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "users"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[str] = orm.mapped_column(lib.String(50))
        karma: orm.Mapped[int]

    class Sink(Base):
        __tablename__ = "sink"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[str] = orm.mapped_column(lib.String(50))
        karma: orm.Mapped[int]

    users = User.__table__
    sink = Sink.__table__
    text_select = lib.text("SELECT id, name, karma FROM users WHERE karma >= :k")

    def core_selects() -> None:
        for i in range(1, 1001):
            conn.execute(lib.select(users.c.name).where(users.c.id == i)).first()

    def load_objects() -> None:
        with orm.Session(engine) as session:
            session.scalars(lib.select(User)).all()

    def insert_many() -> None:
        conn.execute(lib.insert(sink), [{"name": f"n{i}", "karma": i} for i in range(INSERTS)])
        conn.rollback()

    def flush_objects() -> None:
        with orm.Session(engine) as session:
            session.add_all([Sink(name=f"n{i}", karma=i) for i in range(INSERTS)])
            session.flush()
            session.rollback()

    return {
        "fetch 20k rows (text)": lambda: conn.execute(text_select, {"k": 0}).all(),
        "1000 single-row selects (Core)": core_selects,
        "load 20k rows as objects (ORM)": load_objects,
        "executemany 2000 inserts (Core)": insert_many,
        "flush 2000 new objects (ORM)": flush_objects,
    }


def main() -> None:
    """Run every workload and print a table of times and ratios to the raw driver."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    import sqlwright
    import sqlwright.orm

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        setup_db(path)
        libraries: dict[str, Workload] = {
            "raw": raw_workloads(path),
            "sqlwright": library_workloads(sqlwright, sqlwright.orm, path),
        }
        try:
            import sqlalchemy
            import sqlalchemy.orm
        except ImportError:
            print("(SQLAlchemy not installed: `make bench` installs it)")
        else:
            libraries["sqlalchemy"] = library_workloads(sqlalchemy, sqlalchemy.orm, path)
        print(f"{'workload':<34}{'library':<12}{'best ms':>10}{'x raw':>8}")
        for name, floor_fn in libraries["raw"].items():
            floor = best_of(floor_fn, args.rounds)
            print(f"{name:<34}{'raw':<12}{floor * 1000:>10.2f}{1.0:>8.2f}")
            for library, workloads in libraries.items():
                if library == "raw":
                    continue
                t = best_of(workloads[name], args.rounds)
                print(f"{name:<34}{library:<12}{t * 1000:>10.2f}{t / floor:>8.2f}")
        for conn in _open:
            conn.close()


if __name__ == "__main__":
    main()
