"""API guide, "Event System": mapper, attribute, session and pool events, and the audit log.

Listeners are registered inside each test on freshly defined classes, so no listener outlives
its test. Where the guide differs from what works, see docs/guide-differences.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from sqlwright import String, event, insert, select, text
from sqlwright.exc import InvalidRequestError
from sqlwright.orm import DeclarativeBase, Mapped, Session, attributes, mapped_column


@pytest.fixture
def models(engine: Any) -> Iterator[Any]:
    """A fresh Base with the guide's User and AuditLog, tables created and dropped."""

    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "users"

        id: Mapped[int] = mapped_column(primary_key=True)
        username: Mapped[str] = mapped_column(String(50))
        email: Mapped[str] = mapped_column(String(100))
        created_at: Mapped[datetime | None] = mapped_column(default=None)
        updated_at: Mapped[datetime | None] = mapped_column(default=None)

    class AuditLog(Base):
        __tablename__ = "audit_log"

        id: Mapped[int] = mapped_column(primary_key=True)
        table_name: Mapped[str] = mapped_column(String(50))
        action: Mapped[str] = mapped_column(String(10))
        record_id: Mapped[int]
        timestamp: Mapped[datetime] = mapped_column(default=datetime.utcnow)
        user_id: Mapped[int | None]

    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield User, AuditLog
    Base.metadata.drop_all(engine)


def test_mapper_events(engine: Any, models: Any, capsys: pytest.CaptureFixture[str]) -> None:
    User, _ = models

    # Before insert
    @event.listens_for(User, "before_insert")
    def before_insert(mapper, connection, target):
        print(f"About to insert: {target.username}")
        target.created_at = datetime.utcnow()

    # After insert
    @event.listens_for(User, "after_insert")
    def after_insert(mapper, connection, target):
        print(f"Inserted user with ID: {target.id}")

    # Before update
    @event.listens_for(User, "before_update")
    def before_update(mapper, connection, target):
        target.updated_at = datetime.utcnow()

    # After update
    @event.listens_for(User, "after_update")
    def after_update(mapper, connection, target):
        print(f"Updated user: {target.username}")

    # Before delete
    @event.listens_for(User, "before_delete")
    def before_delete(mapper, connection, target):
        print(f"About to delete: {target.username}")

    # After delete
    @event.listens_for(User, "after_delete")
    def after_delete(mapper, connection, target):
        print(f"Deleted user: {target.username}")

    start = datetime.utcnow() - timedelta(seconds=1)
    with Session(engine) as session:
        user = User(username="alice", email="a@example.com")
        session.add(user)
        session.commit()
        assert capsys.readouterr().out == (
            f"About to insert: alice\nInserted user with ID: {user.id}\n")
        assert user.created_at is not None and user.created_at >= start
        assert user.updated_at is None

        user.username = "alicia"
        session.commit()
        assert capsys.readouterr().out == "Updated user: alicia\n"
        assert user.updated_at is not None and user.updated_at >= start

        session.delete(user)
        session.commit()
        assert capsys.readouterr().out == "About to delete: alicia\nDeleted user: alicia\n"

    with Session(engine) as session:
        assert session.scalar(select(User)) is None


def test_attribute_set_event_normalizes_with_retval(engine: Any, models: Any,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    User, _ = models
    assert attributes.get_history is not None  # the guide imports the module

    # The guide omits retval=True; without it the returned value is ignored (see below).
    @event.listens_for(User.email, "set", retval=True)
    def receive_set(target, value, oldvalue, initiator):
        print(f"Email changed from {oldvalue} to {value}")
        return value.lower()  # Normalize email

    with Session(engine) as session:
        user = User(username="alice", email="Alice@Example.COM")
        session.add(user)
        session.commit()
        assert user.email == "alice@example.com"  # loads it: the next event sees the old value
        user.email = "ALICE@NEW.example"
        session.commit()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("to Alice@Example.COM")
    assert lines[1] == "Email changed from alice@example.com to ALICE@NEW.example"
    with Session(engine) as session:
        assert session.scalar(select(User.email)) == "alice@new.example"


def test_attribute_set_event_without_retval_keeps_value(engine: Any, models: Any) -> None:
    """As written in the guide (no retval=True): the listener runs, its return is ignored."""
    User, _ = models
    calls: list[str] = []

    @event.listens_for(User.email, "set")
    def receive_set(target, value, oldvalue, initiator):
        calls.append(value)
        return value.lower()  # Normalize email

    user = User(username="bob", email="Bob@Example.com")
    assert calls == ["Bob@Example.com"]
    assert user.email == "Bob@Example.com"


def test_session_events(engine: Any, models: Any, capsys: pytest.CaptureFixture[str]) -> None:
    User, _ = models

    class AppSession(Session):  # the guide listens on Session itself; a subclass keeps the
        pass                    # listeners local to this test

    # Session events
    @event.listens_for(AppSession, "before_commit")
    def before_commit(session):
        print("About to commit transaction")

    @event.listens_for(AppSession, "after_commit")
    def after_commit(session):
        print("Transaction committed")

    @event.listens_for(AppSession, "after_rollback")
    def after_rollback(session):
        print("Transaction rolled back")

    with AppSession(engine) as session:
        session.add(User(username="alice", email="a@x"))
        session.commit()
        assert capsys.readouterr().out == "About to commit transaction\nTransaction committed\n"
        session.add(User(username="bob", email="b@x"))
        session.flush()
        session.rollback()
        assert capsys.readouterr().out == "Transaction rolled back\n"
    with Session(engine) as session:
        assert session.scalars(select(User.username)).all() == ["alice"]


def test_connection_pool_events(engine: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlwright import create_engine

    engine = create_engine(engine.url)  # a fresh pool: the "connect" event fires once

    # Connection pool events
    @event.listens_for(engine, "connect")
    def connect(dbapi_conn, connection_record):
        print("New connection established")

    @event.listens_for(engine, "checkout")
    def checkout(dbapi_conn, connection_record, connection_proxy):
        print("Connection checked out")

    try:
        for _ in range(2):
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    assert capsys.readouterr().out.splitlines() == [
        "New connection established", "Connection checked out", "Connection checked out"]


def test_after_bulk_insert_is_not_an_event() -> None:
    """The guide listens for Session "after_bulk_insert"; no such event exists (in SQLAlchemy
    neither). Registering it fails at once rather than never firing."""
    with pytest.raises(InvalidRequestError, match="after_bulk_insert"):
        # Bulk operations
        @event.listens_for(Session, "after_bulk_insert")
        def after_bulk_insert(mapper, connection, target):
            print(f"Bulk insert into {mapper.class_.__name__}")


def test_bulk_insert_mappings_fire_no_mapper_events(engine: Any, models: Any) -> None:
    """What the guide's after_bulk_insert wanted: bulk_insert_mappings() skips per-object
    events, so the place to observe it is the Core statement (before_execute/after_cursor)."""
    User, _ = models
    fired: list[str] = []
    event.listen(User, "after_insert", lambda m, c, t: fired.append("after_insert"))
    with Session(engine) as session:
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute",
                     lambda conn, cursor, statement, *rest: statements.append(statement))
        session.bulk_insert_mappings(User, [{"username": "u1", "email": "e1"},
                                           {"username": "u2", "email": "e2"}])
        session.commit()
    assert fired == []
    assert any(s.startswith("INSERT INTO users") for s in statements)


def test_audit_log(engine: Any, models: Any) -> None:
    User, AuditLog = models

    # The guide builds an AuditLog object and stops at "# Log to database". Objects cannot be
    # added to the session during a flush; write the row through the flush's connection, and
    # tell the actions apart by registering one listener per event.
    def log_changes(action: str) -> Any:
        def listener(mapper, connection, target):
            connection.execute(insert(AuditLog).values(
                table_name="users",
                action=action,
                record_id=target.id,
                timestamp=datetime.utcnow(),
            ))
        return listener

    event.listen(User, "after_insert", log_changes("INSERT"))
    event.listen(User, "after_update", log_changes("UPDATE"))
    event.listen(User, "after_delete", log_changes("DELETE"))

    with Session(engine) as session:
        user = User(username="alice", email="a@x")
        session.add(user)
        session.commit()
        user_id = user.id
        user.email = "b@x"
        session.commit()
        assert user.email == "b@x"
        session.delete(user)
        session.commit()

        rows = session.execute(select(AuditLog.table_name, AuditLog.action, AuditLog.record_id)
                               .order_by(AuditLog.id)).all()
    assert [tuple(r) for r in rows] == [
        ("users", "INSERT", user_id), ("users", "UPDATE", user_id), ("users", "DELETE", user_id)]


def test_audit_log_stacked_decorators(engine: Any, models: Any) -> None:
    """The guide's stacked decorators register one function for all three events."""
    User, AuditLog = models
    seen: list[tuple[str, int]] = []

    @event.listens_for(User, "after_insert")
    @event.listens_for(User, "after_update")
    @event.listens_for(User, "after_delete")
    def log_changes(mapper, connection, target):
        audit = AuditLog(
            table_name="users",
            action="INSERT",  # Determine from context
            record_id=target.id,
        )
        seen.append((audit.action, audit.record_id))

    with Session(engine) as session:
        user = User(username="alice", email="a@x")
        session.add(user)
        session.commit()
        user.email = "b@x"
        session.commit()
        session.delete(user)
        session.commit()
    assert len(seen) == 3 and {rid for _a, rid in seen} == {user.id}
