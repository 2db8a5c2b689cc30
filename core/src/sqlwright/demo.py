"""The main job: a short, real session on an embedded SQLite database, printing what it does.

It uses only public API, and grows with the library (Core today; the ORM quickstart later).
"""

from __future__ import annotations

import os

from sqlwright import create_engine, text

__all__ = ["run_demo"]


def _say(message: str) -> None:
    print(message, flush=True)


def run_demo(database: str = "sqlwright_demo.db", *, echo: bool = False) -> None:
    """Create ``database`` afresh, make a table, write rows, query them and print each step."""
    if os.path.exists(database):
        os.remove(database)
    engine = create_engine(f"sqlite:///{database}", echo=echo)
    _say(f"engine: {engine!r} (dialect {engine.dialect.name}+{engine.dialect.driver})")

    with engine.begin() as conn:
        conn.execute(text(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE, "
            "karma INTEGER NOT NULL DEFAULT 0)"))
    _say("created table users")

    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (name, karma) VALUES (:name, :karma)"),
                     [{"name": "alice", "karma": 10}, {"name": "bob", "karma": 3},
                      {"name": "carol", "karma": 7}])
    _say("inserted 3 users in one transaction (executemany)")

    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, name, karma FROM users ORDER BY karma DESC")).all()
        for row in rows:
            _say(f"  user #{row.id}: {row.name:<6} karma={row.karma}")
        top = conn.scalar(text("SELECT name FROM users WHERE karma >= :k ORDER BY karma DESC"),
                          {"k": 5})
        _say(f"top user with karma >= 5: {top}")

    with engine.connect() as conn:
        conn.execute(text("UPDATE users SET karma = karma + 1 WHERE name = :n"), {"n": "bob"})
        savepoint = conn.begin_nested()
        conn.execute(text("DELETE FROM users"))
        savepoint.rollback()
        conn.commit()
        remaining = conn.scalar(text("SELECT count(*) FROM users"))
        bob = conn.scalar(text("SELECT karma FROM users WHERE name = 'bob'"))
    _say(f"a savepoint undid a DELETE: {remaining} users remain; bob's karma is now {bob}")

    from sqlwright.exc import IntegrityError

    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO users (name) VALUES (:n)"), {"n": "alice"})
    except IntegrityError as err:
        _say(f"duplicate name refused: IntegrityError ({err.orig})")

    engine.dispose()
    _say(f"done: the database is in {database}")
