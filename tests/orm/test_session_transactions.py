"""Session transactions: autobegin, begin(), rollback restoring objects, savepoints, a failed
flush, binding to a Connection, and the session events."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import String, event, exc, inspect, select, text, update
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class Account(Base):
        __tablename__ = "tx_accounts"
        id: Mapped[int] = mapped_column(primary_key=True)
        owner: Mapped[str] = mapped_column(String(50), unique=True)
        balance: Mapped[int] = mapped_column(default=0)

    Base.metadata.create_all(engine)
    yield SimpleNamespace(Base=Base, Account=Account, engine=engine)
    Base.metadata.drop_all(engine)


def _owners(engine: Any) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT owner FROM tx_accounts ORDER BY id"))]


def test_autobegin_and_in_transaction(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        assert not session.in_transaction()
        session.scalars(select(m.Account)).all()
        assert session.in_transaction()
        session.commit()
        assert not session.in_transaction()


def test_begin_block_commits_or_rolls_back(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        with session.begin():
            session.add(m.Account(owner="ann"))
        assert _owners(m.engine) == ["ann"]
        with pytest.raises(RuntimeError), session.begin():
            session.add(m.Account(owner="ben"))
            session.flush()
            raise RuntimeError("boom")
        assert _owners(m.engine) == ["ann"]
        session.begin()
        with pytest.raises(exc.InvalidRequestError, match="already begun"):
            session.begin()


def test_rollback_restores_last_committed_state(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        kept = m.Account(owner="kept", balance=10)
        session.add(kept)
        session.commit()
        kept.balance = 99
        new = m.Account(owner="new")
        session.add(new)
        session.flush()
        assert new.id is not None
        session.delete(kept)
        session.flush()
        session.rollback()
        assert kept.balance == 10 and inspect(kept).persistent
        assert inspect(new).transient and new.id is None
        assert new not in session
        assert _owners(m.engine) == ["kept"]


def test_savepoint_rollback_restores_objects(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        acct = m.Account(owner="sp", balance=1)
        session.add(acct)
        session.flush()
        nested = session.begin_nested()
        assert session.in_nested_transaction()
        acct.balance = 2
        inner = m.Account(owner="inner")
        session.add(inner)
        session.flush()
        nested.rollback()
        assert acct.balance == 1
        assert inspect(inner).transient
        assert inspect(acct).persistent
        session.commit()
    assert _owners(m.engine) == ["sp"]


def test_savepoint_rollback_undoes_orm_update_in_memory(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        acct = m.Account(owner="bulk", balance=5)
        session.add(acct)
        session.commit()
        assert acct.balance == 5
        savepoint = session.begin_nested()
        session.execute(update(m.Account).values(balance=0))
        assert acct.balance == 0
        savepoint.rollback()
        assert acct.balance == 5


def test_savepoint_commit_keeps_work(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        with session.begin_nested():
            session.add(m.Account(owner="a1"))
        with pytest.raises(ValueError), session.begin_nested():
            session.add(m.Account(owner="a2"))
            session.flush()
            raise ValueError("undo a2")
        session.commit()
    assert _owners(m.engine) == ["a1"]


def test_failed_flush_needs_rollback(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        session.add(m.Account(owner="dup"))
        session.commit()
        session.add(m.Account(owner="other"))
        session.flush()
        session.add(m.Account(owner="dup"))
        with pytest.raises(exc.IntegrityError):
            session.commit()
        assert not session.is_active
        with pytest.raises(exc.PendingRollbackError, match="rollback"):
            session.scalars(select(m.Account)).all()
        session.rollback()
        assert session.is_active
        assert [a.owner for a in session.scalars(select(m.Account))] == ["dup"]
    assert _owners(m.engine) == ["dup"]


def test_session_bound_to_connection_joins_its_transaction(m: SimpleNamespace) -> None:
    with m.engine.connect() as conn:
        trans = conn.begin()
        session = Session(bind=conn)
        session.add(m.Account(owner="joined"))
        session.commit()
        session.close()
        trans.rollback()
    assert _owners(m.engine) == []


def test_session_events_on_class_instance_and_maker(m: SimpleNamespace) -> None:
    calls: list[str] = []
    maker = sessionmaker(bind=m.engine)

    def on_maker(session: Any) -> None:
        calls.append("maker before_commit")

    event.listen(maker, "before_commit", on_maker)
    try:
        session = maker()

        @event.listens_for(session, "after_commit")
        def after_commit(sess: Any) -> None:
            calls.append("instance after_commit")

        @event.listens_for(session, "before_flush")
        def before_flush(sess: Any, ctx: Any, instances: Any) -> None:
            calls.append(f"before_flush new={len(sess.new)}")

        @event.listens_for(session, "after_flush")
        def after_flush(sess: Any, ctx: Any) -> None:
            calls.append("after_flush")

        @event.listens_for(session, "after_flush_postexec")
        def postexec(sess: Any, ctx: Any) -> None:
            calls.append(f"postexec new={len(sess.new)}")

        @event.listens_for(session, "after_begin")
        def after_begin(sess: Any, trans: Any, conn: Any) -> None:
            calls.append("after_begin")

        @event.listens_for(session, "after_rollback")
        def after_rollback(sess: Any) -> None:
            calls.append("after_rollback")

        @event.listens_for(session, "after_soft_rollback")
        def soft(sess: Any, previous: Any) -> None:
            calls.append("after_soft_rollback")

        session.add(m.Account(owner="ev"))
        session.commit()
        session.add(m.Account(owner="ev2"))
        session.flush()
        session.rollback()
        session.close()
        other = Session(m.engine)
        other.add(m.Account(owner="plain"))
        other.commit()
        other.close()
    finally:
        event.remove(maker, "before_commit", on_maker)
    assert calls == [
        "maker before_commit", "before_flush new=1", "after_begin", "after_flush",
        "postexec new=0", "instance after_commit",
        "before_flush new=1", "after_begin", "after_flush", "postexec new=0",
        "after_rollback", "after_soft_rollback",
    ]


def test_before_flush_may_add_objects(m: SimpleNamespace) -> None:
    session = Session(m.engine)

    @event.listens_for(session, "before_flush")
    def add_audit(sess: Any, ctx: Any, instances: Any) -> None:
        if not any(a.owner == "audit" for a in sess.new):
            sess.add(m.Account(owner="audit"))

    session.add(m.Account(owner="main"))
    session.commit()
    session.close()
    assert sorted(_owners(m.engine)) == ["audit", "main"]


def test_listen_on_session_class(m: SimpleNamespace) -> None:
    seen: list[Any] = []

    def record(session: Any) -> None:
        seen.append(session)

    event.listen(Session, "after_commit", record)
    try:
        with Session(m.engine) as session:
            session.commit()
    finally:
        event.remove(Session, "after_commit", record)
    assert seen == [session]
