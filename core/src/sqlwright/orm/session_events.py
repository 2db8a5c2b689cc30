"""Session events: listen on the Session class, a Session instance, a sessionmaker or a
scoped_session.

Listening on a sessionmaker attaches to the Session subclass it creates, so the listener applies
to every session that maker makes and to no other.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlwright.event.base import Events

__all__ = ["SessionEvents"]


class SessionEvents(Events):
    """The events of a :class:`~sqlwright.orm.Session`'s life: flushes and transactions."""

    _target_description: ClassVar[str] = (
        "the Session class or a subclass, a Session, a sessionmaker or a scoped_session"
    )

    @classmethod
    def _accept_with(cls, target: object, identifier: str) -> object | None:
        from sqlwright.orm.session import Session, scoped_session, sessionmaker

        if isinstance(target, scoped_session):
            target = target.session_factory
        if isinstance(target, sessionmaker):
            return target.class_
        if isinstance(target, type) and issubclass(target, Session):
            return target
        if isinstance(target, Session):
            return target
        return None

    def before_flush(self, session: Any, flush_context: Any, instances: Any) -> None:
        """A flush is about to start; ``session.new`` / ``dirty`` / ``deleted`` may still be
        changed (objects added here are flushed too). ``instances`` is always None."""

    def after_flush(self, session: Any, flush_context: Any) -> None:
        """The flush has emitted its SQL; ``session.new`` / ``dirty`` / ``deleted`` still
        show what was flushed."""

    def after_flush_postexec(self, session: Any, flush_context: Any) -> None:
        """The flush is complete and the objects' states are updated."""

    def before_commit(self, session: Any) -> None:
        """``commit()`` is about to flush and commit the outermost transaction."""

    def after_commit(self, session: Any) -> None:
        """The database transaction was committed. Do not emit SQL from here."""

    def after_rollback(self, session: Any) -> None:
        """The database transaction (or a savepoint) was rolled back."""

    def after_soft_rollback(self, session: Any, previous_transaction: Any) -> None:
        """A SessionTransaction ended by rollback, whether or not the database rolled back."""

    def after_begin(self, session: Any, transaction: Any, connection: Any) -> None:
        """A transaction began on ``connection`` for the session's ``transaction``."""

    def after_transaction_create(self, session: Any, transaction: Any) -> None:
        """A SessionTransaction (outermost or savepoint) was created."""

    def after_transaction_end(self, session: Any, transaction: Any) -> None:
        """A SessionTransaction ended (committed, rolled back or closed)."""

    def before_attach(self, session: Any, instance: Any) -> None:
        """``instance`` is about to be added to the session."""

    def after_attach(self, session: Any, instance: Any) -> None:
        """``instance`` was added to the session."""

    def after_bulk_update(self, update_context: Any) -> None:
        """An ORM-enabled ``update()`` ran; ``update_context`` has ``session``, ``mapper``,
        ``result``."""

    def after_bulk_delete(self, delete_context: Any) -> None:
        """An ORM-enabled ``delete()`` ran; ``delete_context`` has ``session``, ``mapper``,
        ``result``."""


