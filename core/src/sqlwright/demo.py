"""The main job: a short, real session on an embedded SQLite database, printing what it does.

It uses only public API and follows the ORM quickstart (docs/orm/quickstart.md): declare models,
create the tables, add objects, query, update, roll back to a savepoint, and see a constraint
violation rolled back.
"""

from __future__ import annotations

import os
from typing import Any

from sqlwright import create_engine, func, select, update

__all__ = ["run_demo"]


def _say(message: str) -> None:
    print(message, flush=True)


def _models() -> tuple[Any, Any, Any]:
    """The quickstart's models (declared on demand so importing this module stays cheap)."""
    from sqlwright import ForeignKey, String
    from sqlwright.orm import DeclarativeBase, Mapped, mapped_column

    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "users"

        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50), unique=True)
        karma: Mapped[int] = mapped_column(default=0)

    class Post(Base):
        __tablename__ = "posts"

        id: Mapped[int] = mapped_column(primary_key=True)
        user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
        title: Mapped[str] = mapped_column(String(200))

    return Base, User, Post


def run_demo(database: str = "sqlwright_demo.db", *, echo: bool = False) -> None:
    """Create ``database`` afresh, map two classes, write and query objects, print each step."""
    if os.path.exists(database):
        os.remove(database)
    from sqlwright.orm import Session

    _Base, _User, _Post = _models()
    engine = create_engine(f"sqlite:///{database}", echo=echo)
    _say(f"engine: {engine!r} (dialect {engine.dialect.name}+{engine.dialect.driver})")

    _Base.metadata.create_all(engine)
    _say("created tables users and posts from the mapped classes")

    with Session(engine) as session:
        users = [_User(name="alice", karma=10), _User(name="bob", karma=3),
                 _User(name="carol", karma=7)]
        session.add_all(users)
        session.commit()
        _say(f"inserted 3 users in one flush; their ids: {[u.id for u in users]}")
        session.add_all([_Post(user_id=users[0].id, title="Hello"),
                         _Post(user_id=users[0].id, title="ORM tips"),
                         _Post(user_id=users[2].id, title="Savepoints")])
        session.commit()

    with Session(engine) as session:
        for user in session.scalars(select(_User).order_by(_User.karma.desc())):
            _say(f"  user #{user.id}: {user.name:<6} karma={user.karma}")
        top = session.scalars(select(_User).where(_User.karma >= 5)
                              .order_by(_User.karma.desc())).first()
        _say(f"top user with karma >= 5: {top.name if top else None}")
        counts = session.execute(
            select(_User.name, func.count(_Post.id))
            .outerjoin(_Post, _User.id == _Post.user_id)
            .group_by(_User.name).order_by(_User.name)).all()
        _say("posts per user: " + ", ".join(f"{name}={n}" for name, n in counts))

    with Session(engine) as session:
        bob = session.scalars(select(_User).where(_User.name == "bob")).one()
        bob.karma += 1
        savepoint = session.begin_nested()
        session.execute(update(_User).values(karma=0))
        savepoint.rollback()
        karma = bob.karma
        session.commit()
        remaining = session.scalar(select(func.count()).select_from(_User))
        _say(f"a savepoint undid an UPDATE of every row: {remaining} users, "
             f"bob's karma is now {karma}")

    from sqlwright.exc import IntegrityError

    with Session(engine) as session:
        session.add(_User(name="alice"))
        try:
            session.commit()
        except IntegrityError as err:
            session.rollback()
            _say(f"duplicate name refused: IntegrityError ({err.orig})")

    engine.dispose()
    _say(f"done: the database is in {database}")
