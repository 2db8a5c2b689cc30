"""The Session: identity map, unit of work and transactions of the ORM.

A Session begins a transaction on first use (autobegin), holds the objects it loaded or was
given in its identity map, and writes their changes in one flush before queries and on commit.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, overload

from sqlwright import exc
from sqlwright.event.base import dispatcher
from sqlwright.orm.identity import IdentitySet, WeakInstanceDict
from sqlwright.orm.session_events import SessionEvents

if TYPE_CHECKING:
    from sqlwright.engine.base import Connection, Engine
    from sqlwright.engine.result import CursorResult, Result, ScalarResult
    from sqlwright.sql.dml import UpdateBase

__all__ = [
    "Session",
    "SessionTransaction",
    "close_all_sessions",
    "object_session",
    "scoped_session",
    "sessionmaker",
]

_T = TypeVar("_T")
_S = TypeVar("_S", bound="Session")

#: Every open Session by ``hash_key``; states find their session through it.
_sessions: weakref.WeakValueDictionary[int, Session] = weakref.WeakValueDictionary()
_session_ids = itertools.count(1)

_ACTIVE, _DEACTIVE, _CLOSED = "active", "deactive", "closed"


def _state_session(state: Any) -> Session | None:
    """The Session ``state`` is attached to, or None."""
    session_id = getattr(state, "session_id", None)
    return _sessions.get(session_id) if session_id is not None else None


def _instance_state(obj: Any) -> Any:
    from sqlwright.orm.base import instance_state

    return instance_state(obj)


def _orm_exc() -> Any:
    from sqlwright.orm import exc as orm_exc

    return orm_exc


def _describe(obj: Any) -> str:
    return f"<{type(obj).__name__} at 0x{id(obj):x}>"


def object_session(instance: object) -> Session | None:
    """The Session ``instance`` belongs to, or None when it is transient or detached."""
    return _state_session(_instance_state(instance))


def close_all_sessions() -> None:
    """Close every Session in memory (what a test teardown or a forked worker wants)."""
    for session in list(_sessions.values()):
        session.close()


class SessionTransaction:
    """The Session's transaction (``nested=True`` for a savepoint made by begin_nested()).

    A context manager: leaving the block commits it, or rolls it back on an exception. It
    records what its flushes did, so a rollback can return the objects to their earlier state.
    """

    def __init__(self, session: Session, parent: SessionTransaction | None = None,
                 nested: bool = False) -> None:
        self.session = session
        self.parent = parent
        self.nested = nested
        self._state = _ACTIVE
        self._connections: dict[Any, tuple[Connection, Any, bool]] = {}
        self._new: dict[Any, Any] = {}        # state -> snapshot taken before its INSERT
        self._deleted: dict[Any, Any] = {}    # state -> object whose DELETE was flushed
        self._dirty: dict[Any, Any] = {}      # state -> object whose UPDATE was flushed
        self._rollback_exception: BaseException | None = None
        session._transaction = self
        if session.dispatch.after_transaction_create:
            session.dispatch.after_transaction_create(session, self)
        if nested:
            assert parent is not None
            self._take_savepoint()

    # -- state ---------------------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        """True until the transaction ends or a failed flush deactivates it."""
        return self._state == _ACTIVE

    def _assert_active(self) -> None:
        if self._state == _DEACTIVE:
            cause = self._rollback_exception
            detail = f" Original exception was: {cause!r}" if cause is not None else ""
            raise exc.PendingRollbackError(
                "This Session's transaction has been rolled back due to a previous exception "
                "during flush. To begin a new transaction with this Session, first issue "
                "Session.rollback()." + detail)
        if self._state == _CLOSED:
            raise exc.ResourceClosedError(
                "This transaction is closed; begin a new one with session.begin() or just use "
                "the session (it begins one automatically)")

    # -- connections ---------------------------------------------------------------------------
    def _connection_for_bind(self, bind: Any) -> Connection:
        self._assert_active()
        found = self._connections.get(bind)
        if found is not None:
            return found[0]
        if self.parent is not None:
            conn = self.parent._connection_for_bind(bind)
            self._connections[bind] = (conn, None, False)
            return conn
        from sqlwright.engine.base import Connection

        if isinstance(bind, Connection):
            conn, owned = bind, False
            trans = None if conn.in_transaction() else conn.begin()
        else:
            conn, owned = bind.connect(), True
            trans = conn.begin()
        self._connections[bind] = (conn, trans, owned)
        if self.session.dispatch.after_begin:
            self.session.dispatch.after_begin(self.session, self, conn)
        return conn

    def _take_savepoint(self) -> None:
        bind = self.session.get_bind()
        assert self.parent is not None
        conn = self.parent._connection_for_bind(bind)
        self._connections[bind] = (conn, conn.begin_nested(), False)

    def connection(self) -> Connection:
        """The Connection this transaction uses for the session's bind."""
        return self._connection_for_bind(self.session.get_bind())

    # -- commit --------------------------------------------------------------------------------
    def commit(self) -> None:
        """Flush, then release the savepoint or commit the database transaction."""
        self._assert_active()
        session = self.session
        if session._transaction is not self:
            raise exc.InvalidRequestError(
                "This transaction is not the Session's innermost one; commit or roll back the "
                "savepoint begun after it first")
        if not self.nested and session.dispatch.before_commit:
            session.dispatch.before_commit(session)
        session._flush_until_clean()
        if self.nested:
            for _conn, trans, _owned in self._connections.values():
                if trans is not None:
                    trans.commit()
            self._merge_into_parent()
        else:
            for _conn, trans, _owned in self._connections.values():
                if trans is not None and trans.is_active:
                    trans.commit()
            for state in self._deleted:
                if state.session_id == session.hash_key:
                    state.session_id = None
            if session.dispatch.after_commit:
                session.dispatch.after_commit(session)
            if session.expire_on_commit:
                for state in session.identity_map.all_states():
                    state._expire(None)
            self._forget_history()
        self._end()

    def _merge_into_parent(self) -> None:
        parent = self.parent
        assert parent is not None
        for state, snapshot in self._new.items():
            parent._new.setdefault(state, snapshot)
        parent._deleted.update(self._deleted)
        parent._dirty.update(self._dirty)

    def _forget_history(self) -> None:
        self._new.clear()
        self._deleted.clear()
        self._dirty.clear()

    # -- rollback ------------------------------------------------------------------------------
    def rollback(self) -> None:
        """Roll back to the savepoint (or the whole database transaction) and return the
        session's objects to their state at that point."""
        session = self.session
        if self._state == _CLOSED:
            return
        while session._transaction is not None and session._transaction is not self:
            session._transaction.rollback()
        if self._state == _ACTIVE:
            self._rollback_database()
            self._restore_objects()
        self._end()
        if session.dispatch.after_soft_rollback:
            session.dispatch.after_soft_rollback(session, self)

    def _rollback_database(self) -> None:
        for _conn, trans, _owned in self._connections.values():
            if trans is not None and trans.is_active:
                trans.rollback()
        if not self.nested:
            for conn, trans, owned in self._connections.values():
                if trans is None and not owned and conn.in_transaction():
                    conn.rollback()  # joined an outer transaction the caller began
        session = self.session
        if session.dispatch.after_rollback:
            session.dispatch.after_rollback(session)

    def _deactivate(self, error: BaseException) -> None:
        """A flush failed: roll back the database now and wait for rollback()."""
        if self._state != _ACTIVE:
            return
        try:
            self._rollback_database()
        finally:
            self._restore_objects()
            self._state = _DEACTIVE
            self._rollback_exception = error

    def _restore_objects(self) -> None:
        """Undo this transaction's effect on objects: inserted ones become transient again,
        deleted ones persistent, and changed ones expire to reload what the database has."""
        session = self.session
        for state, snapshot in self._new.items():
            session._forget_state(state)
            state.key = None
            if snapshot is not None and hasattr(state, "_restore"):
                state._restore(snapshot)
        for state in list(session._new):
            session._forget_state(state)
        for state, obj in self._deleted.items():
            state._deleted = False
            state.session_id = session.hash_key
            session.identity_map._add(state, obj)
        session._deleted.clear()
        if self.nested:
            for state in self._dirty:
                if state.key is not None and state.session_id == session.hash_key:
                    state._expire(None)
        else:
            for state in session.identity_map.all_states():
                state._expire(None)
        self._forget_history()

    # -- ending --------------------------------------------------------------------------------
    def close(self) -> None:
        """Roll back the database work if still open and release the connections; unlike
        rollback(), the objects keep their current attribute values."""
        session = self.session
        while session._transaction is not None and session._transaction is not self:
            session._transaction.close()
        if self._state == _ACTIVE:
            self._rollback_database()
        if self._state != _CLOSED:
            self._end()

    def _end(self) -> None:
        session = self.session
        if not self.nested:
            for conn, _trans, owned in self._connections.values():
                if owned:
                    conn.close()
        self._connections.clear()
        self._state = _CLOSED
        if session._transaction is self:
            session._transaction = self.parent
        if session.dispatch.after_transaction_end:
            session.dispatch.after_transaction_end(session, self)

    def __enter__(self) -> SessionTransaction:
        return self

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        if self._state == _CLOSED:
            return
        if type_ is None and self._state == _ACTIVE:
            try:
                self.commit()
            except BaseException:
                self.rollback()
                raise
        else:
            self.rollback()

    def __repr__(self) -> str:
        kind = "savepoint" if self.nested else "transaction"
        return f"<SessionTransaction {kind} {self._state}>"


class Session:
    """Manages persistence for ORM objects: an identity map, a unit of work and a transaction.

    ``bind`` is an Engine (or a Connection whose transaction the session joins). With
    ``autoflush`` pending changes are flushed before queries; with ``expire_on_commit`` every
    object reloads its attributes after commit. Use as a context manager to close it.
    """

    dispatch = dispatcher(SessionEvents)

    def __init__(self, bind: Engine | Connection | None = None, *, autoflush: bool = True,
                 expire_on_commit: bool = True, autobegin: bool = True,
                 info: Mapping[str, Any] | None = None, autocommit: bool = False,
                 **unsupported: Any) -> None:
        if autocommit:
            raise exc.ArgumentError(
                "autocommit=True is not supported; the Session always works in a transaction. "
                "Use `with session.begin():` to commit a block of work")
        if unsupported:
            raise exc.ArgumentError(
                f"Session() got unexpected argument(s) {', '.join(sorted(unsupported))}; it "
                "accepts bind, autoflush, expire_on_commit, autobegin and info")
        self.bind = bind
        self.autoflush = autoflush
        self.expire_on_commit = expire_on_commit
        self.autobegin = autobegin
        self.info: dict[str, Any] = dict(info or {})
        self.hash_key = next(_session_ids)
        self.identity_map = WeakInstanceDict()
        self._new: dict[Any, Any] = {}
        self._deleted: dict[Any, Any] = {}
        self._transaction: SessionTransaction | None = None
        self._flushing = False
        self._autoflush_blocked = 0
        _sessions[self.hash_key] = self

    # -- context manager -----------------------------------------------------------------------
    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.hash_key}>"

    # -- binds and transactions ----------------------------------------------------------------
    def get_bind(self, mapper: Any = None, clause: Any = None, **kw: Any) -> Any:
        """The Engine or Connection statements run on."""
        if self.bind is None:
            raise exc.InvalidRequestError(
                "This Session is not bound to an engine; create it with Session(engine) or "
                "sessionmaker(bind=engine)")
        return self.bind

    def _autobegin_t(self) -> SessionTransaction:
        trans = self._transaction
        if trans is None:
            if not self.autobegin:
                raise exc.InvalidRequestError(
                    "Autobegin is disabled on this Session; call session.begin() first")
            trans = SessionTransaction(self)
        return trans

    def begin(self) -> SessionTransaction:
        """Begin the transaction explicitly; use ``with session.begin():`` to commit the block
        (or roll it back on an exception)."""
        if self._transaction is not None:
            raise exc.InvalidRequestError(
                "A transaction is already begun on this Session (it begins one automatically "
                "on first use); commit() or rollback() it first, or use begin_nested() for a "
                "savepoint")
        return SessionTransaction(self)

    def begin_nested(self) -> SessionTransaction:
        """Flush, then open a SAVEPOINT; rolling it back undoes the work (and the objects'
        changes) since this call."""
        parent = self._autobegin_t()
        parent._assert_active()
        self._autoflush()
        return SessionTransaction(self, parent, nested=True)

    def commit(self) -> None:
        """Flush and commit the outermost transaction (savepoints included)."""
        trans = self._autobegin_t()
        while trans.nested:
            trans.commit()
            assert trans.parent is not None
            trans = trans.parent
        trans.commit()

    def rollback(self) -> None:
        """Roll back the outermost transaction; objects return to their last committed state
        and objects added since are removed from the session."""
        trans = self._transaction
        if trans is None:
            return
        while trans.parent is not None:
            trans = trans.parent
        trans.rollback()

    def in_transaction(self) -> bool:
        """True while a transaction is begun."""
        return self._transaction is not None

    def in_nested_transaction(self) -> bool:
        """True while a savepoint is open."""
        return self._transaction is not None and self._transaction.nested

    def get_transaction(self) -> SessionTransaction | None:
        """The outermost transaction, or None."""
        trans = self._transaction
        while trans is not None and trans.parent is not None:
            trans = trans.parent
        return trans

    def get_nested_transaction(self) -> SessionTransaction | None:
        """The innermost savepoint transaction, or None."""
        trans = self._transaction
        return trans if trans is not None and trans.nested else None

    @property
    def is_active(self) -> bool:
        """False after a failed flush until rollback() is called."""
        trans = self._transaction
        return trans is None or trans.is_active

    def connection(self, **kw: Any) -> Connection:
        """The Connection of the current transaction (beginning it if needed)."""
        return self._autobegin_t()._connection_for_bind(self.get_bind())

    def close(self) -> None:
        """Roll back any transaction, release connections and expunge every object."""
        trans = self.get_transaction()
        if trans is not None:
            trans.close()
        self.expunge_all()

    def reset(self) -> None:
        """Same as close(): the session can be used again afterwards."""
        self.close()

    # -- object collections --------------------------------------------------------------------
    @property
    def new(self) -> IdentitySet:
        """Pending objects: added and not yet flushed."""
        return IdentitySet(self._new.values())

    @property
    def deleted(self) -> IdentitySet:
        """Objects marked with delete() and not yet flushed."""
        return IdentitySet(self._deleted.values())

    @property
    def dirty(self) -> IdentitySet:
        """Persistent objects with changed attributes (use is_modified() for a net check)."""
        return IdentitySet(
            obj for state in self.identity_map.all_states()
            if state.modified and state not in self._deleted and (obj := state.obj()) is not None)

    def __contains__(self, instance: object) -> bool:
        state = _instance_state(instance)
        return state.session_id == self.hash_key and (
            state in self._new or self.identity_map.get(state.key) is instance)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._new.values()) + self.identity_map.values())

    # -- adding and removing -------------------------------------------------------------------
    def add(self, instance: object) -> None:
        """Attach ``instance``: a new object becomes pending (inserted at the next flush), a
        detached one persistent again."""
        state = _instance_state(instance)
        self._check_attachable(state, instance)
        if state.session_id == self.hash_key:
            if state in self._deleted:
                del self._deleted[state]
            return
        if self.dispatch.before_attach:
            self.dispatch.before_attach(self, instance)
        if state.key is None:
            self._new[state] = instance
        else:
            existing = self.identity_map._state_for(state.key)
            if existing is not None and existing is not state:
                raise exc.InvalidRequestError(
                    f"Can't attach {_describe(instance)}: this Session already holds another "
                    f"object with identity {state.key[1]!r}. Use session.merge(obj) to copy "
                    "its state onto the object the session has")
            self.identity_map._add(state, instance)
        state.session_id = self.hash_key
        if self.dispatch.after_attach:
            self.dispatch.after_attach(self, instance)
        if state.mapper.relationships:  # REL: save-update cascade
            from sqlwright.orm import dependency

            dependency.cascade_add(self, state)

    def _check_attachable(self, state: Any, instance: object) -> None:
        other = state.session_id
        if other is not None and other != self.hash_key and other in _sessions:
            raise exc.InvalidRequestError(
                f"{_describe(instance)} is already attached to session {other} (this is "
                f"{self.hash_key}); expunge() it from that session first, or use merge()")
        if getattr(state, "_deleted", False) and state.session_id is None:
            raise exc.InvalidRequestError(
                f"{_describe(instance)} was deleted and that deletion was committed; it "
                "cannot be added again. Create a new object, or use make_transient() first")

    def add_all(self, instances: Iterable[object]) -> None:
        """add() every object of ``instances``."""
        for instance in instances:
            self.add(instance)

    def delete(self, instance: object) -> None:
        """Mark a persistent object for deletion at the next flush."""
        state = _instance_state(instance)
        if state.key is None:
            raise exc.InvalidRequestError(
                f"{_describe(instance)} is not persisted, so it cannot be deleted; use "
                "session.expunge(obj) to drop a pending object from the session")
        if state.session_id != self.hash_key:
            self.add(instance)
        if getattr(state, "_deleted", False):
            return
        self._deleted[state] = instance
        if state.mapper.relationships:  # REL: delete cascade
            from sqlwright.orm import dependency

            dependency.cascade_delete(self, state)

    def expunge(self, instance: object) -> None:
        """Detach ``instance`` from this session (its changes are no longer tracked)."""
        state = _instance_state(instance)
        if state.session_id != self.hash_key:
            raise exc.InvalidRequestError(
                f"{_describe(instance)} is not in this Session; nothing to expunge")
        self._forget_state(state)
        if state.mapper.relationships:  # REL: expunge cascade
            from sqlwright.orm import dependency

            dependency.cascade_expunge(self, state)

    def _forget_state(self, state: Any) -> None:
        self._new.pop(state, None)
        self._deleted.pop(state, None)
        self.identity_map._discard(state)
        if state.session_id == self.hash_key:
            state.session_id = None

    def expunge_all(self) -> None:
        """Detach every object from this session."""
        for state in list(self._new) + self.identity_map.all_states():
            if state.session_id == self.hash_key:
                state.session_id = None
        self._new.clear()
        self._deleted.clear()
        self.identity_map._clear()

    # -- expiring and refreshing ---------------------------------------------------------------
    def _persistent_state(self, instance: object, verb: str) -> Any:
        state = _instance_state(instance)
        if state.key is None or state.session_id != self.hash_key:
            raise exc.InvalidRequestError(
                f"Can't {verb} {_describe(instance)}: it is not persistent in this Session; "
                "add() it (if it was loaded by another session) or flush it first")
        return state

    def expire(self, instance: object, attribute_names: Iterable[str] | None = None) -> None:
        """Forget the loaded values of ``instance`` (or only ``attribute_names``); they are
        loaded again on next access."""
        state = self._persistent_state(instance, "expire")
        if attribute_names is None and state.mapper.relationships:  # REL: refresh-expire
            from sqlwright.orm import dependency

            dependency.cascade_expire(self, state)
        state._expire(list(attribute_names) if attribute_names is not None else None)

    def expire_all(self) -> None:
        """Expire every persistent object of the session."""
        for state in self.identity_map.all_states():
            state._expire(None)

    def refresh(self, instance: object, attribute_names: Iterable[str] | None = None,
                with_for_update: Any = None) -> None:
        """Load ``instance``'s attributes (or only ``attribute_names``) from the database now,
        discarding unflushed changes to them."""
        from sqlwright.orm import loading

        state = self._persistent_state(instance, "refresh")
        names = list(attribute_names) if attribute_names is not None else None
        relationships = state.mapper.relationships
        if relationships:  # REL: relationships reload on next access; refresh-expire cascade
            from sqlwright.orm import dependency

            if names is None:
                dependency.cascade_expire(self, state)
            rel_names = [k for k in relationships if names is None or k in names]
            for key in rel_names:
                state.dict.pop(key, None)
                state.committed_state.pop(key, None)
            if names is not None:
                names = [n for n in names if n not in relationships] or None
                if names is None:
                    return
        loading.refresh_state(self, state, names, with_for_update=with_for_update)

    def _load_on_state(self, state: Any, keys: Iterable[str] | None = None) -> None:
        """Load expired / deferred attributes of a persistent ``state`` with one SELECT."""
        from sqlwright.orm import loading

        loading.load_expired(self, state, list(keys or ()))

    def _register_modified(self, state: Any) -> None:
        """An attribute of ``state`` changed: keep the object alive until the next flush."""
        if state.key is not None:
            self.identity_map._hold(state)

    def is_modified(self, instance: object, include_collections: bool = True) -> bool:
        """True when an attribute of ``instance`` has a value different from the loaded one;
        with ``include_collections=False`` changes to collections (one-to-many, many-to-many)
        do not count."""
        from sqlwright.orm.unitofwork import changed_column_keys

        state = _instance_state(instance)
        changed = changed_column_keys(state)
        if not include_collections:
            relationships = state.mapper.relationships
            changed = [key for key in changed
                       if key not in relationships or not relationships[key].uselist]
        return bool(changed)

    # -- flush ---------------------------------------------------------------------------------
    @property
    @contextmanager
    def no_autoflush(self) -> Iterator[Session]:
        """``with session.no_autoflush:`` runs queries without flushing first."""
        self._autoflush_blocked += 1
        try:
            yield self
        finally:
            self._autoflush_blocked -= 1

    def _autoflush(self) -> None:
        if self.autoflush and not self._flushing and not self._autoflush_blocked:
            self.flush()

    def flush(self, objects: Sequence[object] | None = None) -> None:
        """Write pending inserts, updates and deletes to the database in dependency order.

        On failure the transaction is rolled back and the session needs rollback() before it
        can be used again; the error is re-raised.
        """
        if self._flushing:
            raise exc.InvalidRequestError(
                "Session is already flushing; don't call flush() (or run queries that "
                "autoflush) from flush event handlers, use session.no_autoflush")
        if not self._has_changes():
            return
        from sqlwright.orm.unitofwork import UOWTransaction

        trans = self._autobegin_t()
        trans._assert_active()
        self._flushing = True
        try:
            UOWTransaction(self, trans).run(objects)
        except BaseException as err:
            trans._deactivate(err)
            raise
        finally:
            self._flushing = False

    def _has_changes(self) -> bool:
        if self._new or self._deleted:
            return True
        return any(state.modified for state in self.identity_map.all_states())

    def _flush_until_clean(self) -> None:
        for _ in range(100):
            if not self._has_changes():
                return
            self.flush()
        raise exc.InvalidRequestError(
            "Flushing did not settle after 100 rounds; a flush event handler keeps changing "
            "objects")

    # -- statements ----------------------------------------------------------------------------
    @overload
    def execute(self, statement: UpdateBase, params: Any = None, *,
                execution_options: Mapping[str, Any] | None = None,
                bind_arguments: Mapping[str, Any] | None = None) -> CursorResult: ...

    @overload
    def execute(self, statement: Any, params: Any = None, *,
                execution_options: Mapping[str, Any] | None = None,
                bind_arguments: Mapping[str, Any] | None = None) -> Result[Any]: ...

    def execute(self, statement: Any, params: Any = None, *,
                execution_options: Mapping[str, Any] | None = None,
                bind_arguments: Mapping[str, Any] | None = None) -> Any:
        """Execute a Core or ORM statement in the session's transaction.

        ``select(User)`` returns rows of User objects (through the identity map); ORM-enabled
        ``update()`` / ``delete()`` keep loaded objects in step per ``synchronize_session``.
        """
        from sqlwright.orm import context

        return context.execute(self, statement, params, dict(execution_options or {}))

    def scalar(self, statement: Any, params: Any = None, *,
               execution_options: Mapping[str, Any] | None = None,
               bind_arguments: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row, or None."""
        return self.execute(statement, params, execution_options=execution_options).scalar()

    def scalars(self, statement: Any, params: Any = None, *,
                execution_options: Mapping[str, Any] | None = None,
                bind_arguments: Mapping[str, Any] | None = None) -> ScalarResult[Any]:
        """A ScalarResult of the first column (the objects of ``select(User)``)."""
        return self.execute(statement, params, execution_options=execution_options).scalars()

    def get(self, entity: type[_T], ident: Any, *, populate_existing: bool = False,
            with_for_update: Any = None, options: Sequence[Any] | None = None,
            execution_options: Mapping[str, Any] | None = None) -> _T | None:
        """The object with primary key ``ident`` (a value, a tuple, or a dict by attribute
        name): from the identity map when present, else loaded with one SELECT; None when no
        row has it."""
        from sqlwright.orm import loading

        return loading.get(self, entity, ident, populate_existing=populate_existing,
                           with_for_update=with_for_update)

    def get_one(self, entity: type[_T], ident: Any, **kw: Any) -> _T:
        """Like get(), but raise NoResultFound when there is no such row."""
        found = self.get(entity, ident, **kw)
        if found is None:
            raise exc.NoResultFound(
                f"No {entity.__name__} with primary key {ident!r}; use session.get() to get "
                "None instead of an error")
        return found

    def merge(self, instance: _T, *, load: bool = True, options: Any = None) -> _T:
        """Copy ``instance``'s state onto the session's object with the same primary key
        (loading it, or creating a pending one) and return that object; ``instance`` itself
        is not attached."""
        from sqlwright.orm import loading

        self._autoflush()
        if _instance_state(instance).mapper.relationships:  # REL: merge cascade
            from sqlwright.orm import dependency

            return dependency.merge_cascade(self, instance, load, {})
        return loading.merge(self, instance, load=load)

    # -- bulk operations -----------------------------------------------------------------------
    def bulk_insert_mappings(self, mapper: Any, mappings: Iterable[Mapping[str, Any]],
                             return_defaults: bool = False, render_nulls: bool = False) -> None:
        """INSERT rows given as dicts keyed by attribute name, batched, without objects."""
        from sqlwright.orm import persistence

        persistence.bulk_insert(self, mapper, list(mappings), render_nulls=render_nulls)

    def bulk_update_mappings(self, mapper: Any, mappings: Iterable[Mapping[str, Any]]) -> None:
        """UPDATE rows given as dicts that include the primary key, batched, without
        objects."""
        from sqlwright.orm import persistence

        persistence.bulk_update(self, mapper, list(mappings))

    def bulk_save_objects(self, objects: Iterable[object], return_defaults: bool = False,
                          update_changed_only: bool = True) -> None:
        """INSERT new objects and UPDATE persistent ones in batches; the objects are not
        attached to the session (and get no generated keys unless ``return_defaults``)."""
        from sqlwright.orm import persistence

        persistence.bulk_save_objects(self, list(objects), return_defaults=return_defaults,
                                      update_changed_only=update_changed_only)


class sessionmaker:
    """A factory of Sessions sharing configuration: ``SessionLocal = sessionmaker(bind=engine)``
    then ``with SessionLocal() as session: ...`` or ``with SessionLocal.begin() as session:``.

    Each maker uses its own Session subclass, so event listeners given the maker apply to its
    sessions only.
    """

    def __init__(self, bind: Engine | Connection | None = None, *,
                 class_: type[Session] = Session, autoflush: bool = True,
                 expire_on_commit: bool = True, info: Mapping[str, Any] | None = None,
                 **kw: Any) -> None:
        kw.update(bind=bind, autoflush=autoflush, expire_on_commit=expire_on_commit)
        if kw.get("autocommit"):
            raise exc.ArgumentError(
                "autocommit=True is not supported; sessions always work in a transaction. Use "
                "`with SessionLocal.begin() as session:` to commit a block of work")
        kw.pop("autocommit", None)
        self.kw = kw
        if info is not None:
            self.kw["info"] = dict(info)
        self.class_: type[Session] = type(class_.__name__, (class_,), {})

    def __call__(self, **local_kw: Any) -> Session:
        """A new Session; keyword arguments override the maker's configuration."""
        kw = dict(self.kw)
        if "info" in kw and "info" in local_kw:
            kw["info"] = {**kw["info"], **local_kw.pop("info")}
        kw.update(local_kw)
        return self.class_(**kw)

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A new Session inside a transaction: committed at the end of the block, rolled back
        on an exception, then closed."""
        with self() as session, session.begin():
            yield session

    def configure(self, **new_kw: Any) -> None:
        """Change the configuration for Sessions made from now on."""
        self.kw.update(new_kw)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.kw.items() if k != "bind")
        return f"sessionmaker(class_={self.class_.__name__}, {args})"


class scoped_session:
    """A registry giving each thread (or each scope of ``scopefunc``) its own Session.

    Calling it returns the current scope's Session, creating it on first use; ``remove()``
    closes and forgets it. Session methods called on the registry act on the current Session.
    """

    def __init__(self, session_factory: sessionmaker | Callable[..., Session],
                 scopefunc: Callable[[], Any] | None = None) -> None:
        self.session_factory = session_factory
        self.scopefunc = scopefunc
        self._local = threading.local()
        self._by_scope: dict[Any, Session] = {}

    def __call__(self, **kw: Any) -> Session:
        """The current scope's Session (keyword arguments only when creating it)."""
        existing = self._current()
        if existing is not None:
            if kw:
                raise exc.InvalidRequestError(
                    "This scope already has a Session, so configuration arguments are ignored; "
                    "call remove() first to get a new one")
            return existing
        session = self.session_factory(**kw)
        if self.scopefunc is None:
            self._local.session = session
        else:
            self._by_scope[self.scopefunc()] = session
        return session

    def _current(self) -> Session | None:
        if self.scopefunc is None:
            return getattr(self._local, "session", None)
        return self._by_scope.get(self.scopefunc())

    def has(self) -> bool:
        """True when the current scope already has a Session."""
        return self._current() is not None

    def remove(self) -> None:
        """Close the current scope's Session and forget it."""
        session = self._current()
        if session is not None:
            session.close()
        if self.scopefunc is None:
            self._local.session = None
        else:
            self._by_scope.pop(self.scopefunc(), None)

    def configure(self, **kw: Any) -> None:
        """Configure the underlying sessionmaker (before any Session is made)."""
        if self.has():
            raise exc.InvalidRequestError(
                "A Session already exists in this scope; call remove() before configure()")
        configure = getattr(self.session_factory, "configure", None)
        if configure is None:
            raise exc.ArgumentError("The session factory has no configure(); use a sessionmaker")
        configure(**kw)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self(), name)
