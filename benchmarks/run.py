"""Benchmarks: sqlwright against the raw DBAPI driver (the floor) and SQLAlchemy, as ratios.

Run with `make bench`. Each workload runs the same work through the raw driver, sqlwright and
SQLAlchemy (when installed) in one process, takes the best of several rounds, and reports each
library's time as a multiple of the raw driver's. Benchmarks are not tests: nothing here asserts.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROWS = 20_000
ROUNDS = 5


def best_of(fn: Callable[[], Any], rounds: int = ROUNDS) -> float:
    """The fastest of ``rounds`` runs, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def setup_db(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, karma INTEGER)")
    con.executemany("INSERT INTO users (name, karma) VALUES (?, ?)",
                    [(f"user{i}", i % 100) for i in range(ROWS)])
    con.commit()
    con.close()


def workloads(path: Path) -> dict[str, dict[str, Callable[[], Any]]]:
    import sqlwright

    raw = sqlite3.connect(path)
    sw_engine = sqlwright.create_engine(f"sqlite:///{path}")
    sw_conn = sw_engine.connect()
    sw_select = sqlwright.text("SELECT id, name, karma FROM users WHERE karma >= :k")
    work: dict[str, dict[str, Callable[[], Any]]] = {
        "fetch 20k rows (text)": {
            "raw": lambda: raw.execute(
                "SELECT id, name, karma FROM users WHERE karma >= ?", (0,)).fetchall(),
            "sqlwright": lambda: sw_conn.execute(sw_select, {"k": 0}).all(),
        },
        "1000 single-row queries": {
            "raw": lambda: [raw.execute("SELECT name FROM users WHERE id = ?", (i,)).fetchone()
                            for i in range(1, 1001)],
            "sqlwright": lambda: [sw_conn.execute(
                sqlwright.text("SELECT name FROM users WHERE id = :i"), {"i": i}).first()
                for i in range(1, 1001)],
        },
    }
    try:
        import sqlalchemy as sa
    except ImportError:
        return work
    sa_engine = sa.create_engine(f"sqlite:///{path}")
    sa_conn = sa_engine.connect()
    sa_select = sa.text("SELECT id, name, karma FROM users WHERE karma >= :k")
    work["fetch 20k rows (text)"]["sqlalchemy"] = lambda: sa_conn.execute(
        sa_select, {"k": 0}).all()
    work["1000 single-row queries"]["sqlalchemy"] = lambda: [sa_conn.execute(
        sa.text("SELECT name FROM users WHERE id = :i"), {"i": i}).first()
        for i in range(1, 1001)]
    return work


def main() -> None:
    """Run every workload and print a table of times and ratios to the raw driver."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        setup_db(path)
        print(f"{'workload':<28}{'library':<12}{'best ms':>10}{'x raw':>8}")
        for name, impls in workloads(path).items():
            floor = best_of(impls["raw"], args.rounds)
            for library, fn in impls.items():
                t = floor if library == "raw" else best_of(fn, args.rounds)
                print(f"{name:<28}{library:<12}{t * 1000:>10.2f}{t / floor:>8.2f}")


if __name__ == "__main__":
    main()
