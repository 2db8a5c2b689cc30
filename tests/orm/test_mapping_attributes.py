"""Instrumented attributes on real objects: change tracking and history, object states,
expiry and loading, deferred columns, column_property, hybrids and ORM expressions."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import Column, ForeignKey, LargeBinary, String, func, inspect, select, update
from sqlwright.orm import (
    NO_VALUE,
    DeclarativeBase,
    Mapped,
    Session,
    column_property,
    deferred,
    flag_modified,
    hybrid_method,
    hybrid_property,
    mapped_column,
    set_committed_value,
)
from sqlwright.orm import exc as orm_exc


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "ma_users"
        id: Mapped[int] = mapped_column(primary_key=True)
        first: Mapped[str] = mapped_column(String(30))
        last: Mapped[str] = mapped_column(String(30))
        email: Mapped[str | None] = mapped_column(String(100))
        photo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
        upper_last: Mapped[str] = column_property(func.upper(last))

        @hybrid_property
        def full_name(self) -> str:
            return self.first + " " + self.last

        @full_name.setter
        def full_name(self, value: str) -> None:
            self.first, self.last = value.split(" ", 1)

        @hybrid_property
        def email_key(self) -> str:
            return (self.email or "").lower()

        @email_key.inplace.expression
        @classmethod
        def _email_key_sql(cls) -> Any:
            return func.lower(func.coalesce(cls.email, ""))

        @hybrid_method
        def named(self, name: str) -> bool:
            return self.first == name

    class Post(Base):
        __tablename__ = "ma_posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        user_id: Mapped[int] = mapped_column(ForeignKey("ma_users.id"))
        title: Mapped[str] = mapped_column(String(50))
        body = deferred(Column(String(200)), group="text")
        summary = deferred(Column(String(50)), group="text")

    Base.metadata.create_all(engine)
    yield SimpleNamespace(Base=Base, User=User, Post=Post, engine=engine)
    Base.metadata.drop_all(engine)


def add_user(m: SimpleNamespace, **kw: Any) -> int:
    values = {"first": "Ann", "last": "Lee", "email": "ann@example.com", **kw}
    with Session(m.engine) as session:
        user = m.User(**values)
        session.add(user)
        session.commit()
        return user.id  # type: ignore[no-any-return]


# -- history and states ---------------------------------------------------------------------
def test_history_on_a_transient_object(m: SimpleNamespace) -> None:
    user = m.User(first="Ann")
    history = inspect(user).attrs.first.history
    assert history == (("Ann",), (), ())
    assert inspect(user).attrs.last.history.empty()
    assert inspect(user).attrs.last.loaded_value is NO_VALUE


def test_history_of_a_loaded_object_and_commit_clears_it(m: SimpleNamespace) -> None:
    user_id = add_user(m)
    with Session(m.engine) as session:
        user = session.get(m.User, user_id)
        state = inspect(user)
        assert state.attrs.first.history == ((), ("Ann",), ())
        user.first = "Bea"
        user.first = "Cy"
        assert state.attrs.first.history == (("Cy",), (), ("Ann",))
        assert state.committed_state == {"first": "Ann"} and state.modified
        assert session.is_modified(user) and user in session.dirty
        user.first = "Ann"  # back to the loaded value: no net change
        assert not state.attrs.first.history.has_changes()
        user.email = None
        session.commit()
        assert state.committed_state == {} and not state.modified
    with Session(m.engine) as session:
        assert session.get(m.User, user_id).email is None


def test_object_states_through_a_session(m: SimpleNamespace) -> None:
    user = m.User(first="Ann", last="Lee")
    state = inspect(user)
    assert state.transient and not state.has_identity
    session = Session(m.engine)
    session.add(user)
    assert state.pending and state.session is session
    session.flush()
    assert state.persistent and state.identity == (user.id,)
    assert state.key == (m.User, (user.id,), None)
    session.delete(user)
    session.flush()
    assert state.deleted and state.was_deleted
    session.commit()
    assert state.detached and state.was_deleted
    session.close()


def test_expired_attribute_reloads_and_detached_raises(m: SimpleNamespace) -> None:
    user_id = add_user(m)
    with Session(m.engine) as session:
        user = session.get(m.User, user_id)
        session.execute(update(m.User).where(m.User.id == user_id).values(first="Zed"))
        inspect(user)._expire(["first"])
        assert "first" not in user.__dict__
        assert user.first == "Zed"
        session.commit()  # expire_on_commit expires everything
        assert inspect(user).expired_attributes >= {"first", "last"}
    with pytest.raises(orm_exc.DetachedInstanceError, match=r"'first'.*detached.*Session"):
        _ = user.first


def test_set_on_expired_attribute_is_not_overwritten_by_reload(m: SimpleNamespace) -> None:
    user_id = add_user(m)
    with Session(m.engine) as session:
        user = session.get(m.User, user_id)
        inspect(user)._expire()
        user.first = "New"
        assert user.last == "Lee"  # loads the other expired attributes
        assert user.first == "New"
        session.commit()
    with Session(m.engine) as session:
        assert session.get(m.User, user_id).first == "New"


def test_flag_modified_forces_a_write(m: SimpleNamespace) -> None:
    user_id = add_user(m)
    with Session(m.engine) as session:
        user = session.get(m.User, user_id)
        user.__dict__["email"] = "changed@example.com"  # behind the ORM's back
        assert not session.is_modified(user)
        flag_modified(user, "email")
        assert inspect(user).attrs.email.history.added == ("changed@example.com",)
        session.commit()
    with Session(m.engine) as session:
        assert session.get(m.User, user_id).email == "changed@example.com"


def test_set_committed_value_records_no_change(m: SimpleNamespace) -> None:
    user = m.User(first="Ann")
    set_committed_value(user, "last", "Lee")
    assert user.last == "Lee"
    assert inspect(user).attrs.last.history == ((), ("Lee",), ())


# -- deferred and column_property -----------------------------------------------------------
def test_deferred_column_loads_on_first_access(m: SimpleNamespace,
                                               engine: Any) -> None:
    user_id = add_user(m, photo=b"\x00\x01")
    statements: list[str] = []
    from sqlwright import event

    event.listen(engine, "before_cursor_execute",
                 lambda conn, cur, stmt, *a: statements.append(stmt))
    with Session(m.engine) as session:
        user = session.scalars(select(m.User).where(m.User.id == user_id)).one()
        assert "photo" not in user.__dict__
        assert not any("photo" in s for s in statements)
        assert user.photo == b"\x00\x01"
        assert any("photo" in s for s in statements)


def test_deferred_group_loads_together(m: SimpleNamespace) -> None:
    add_user(m)
    with Session(m.engine) as session:
        session.add(m.Post(user_id=1, title="t", body="long body", summary="short"))
        session.commit()
    with Session(m.engine) as session:
        post = session.scalars(select(m.Post)).one()
        assert "body" not in post.__dict__ and "summary" not in post.__dict__
        assert post.body == "long body"
        assert post.__dict__["summary"] == "short"


def test_column_property_is_loaded_and_read_only(m: SimpleNamespace) -> None:
    user_id = add_user(m)
    with Session(m.engine) as session:
        user = session.get(m.User, user_id)
        assert user.upper_last == "LEE"
        with pytest.raises(AttributeError, match="column_property.*cannot be assigned"):
            user.upper_last = "X"
        found = session.scalars(select(m.User).where(m.User.upper_last == "LEE")).all()
        assert found == [user]


# -- hybrids ----------------------------------------------------------------------------------
def test_hybrid_property_on_instances_and_in_queries(m: SimpleNamespace) -> None:
    add_user(m)
    add_user(m, first="Bob", last="Ray", email="Bob@Test.org")
    user = m.User(first="Cy", last="Doe", email="CY@x.io")
    assert user.full_name == "Cy Doe" and user.email_key == "cy@x.io"
    user.full_name = "Dee Fox"
    assert (user.first, user.last) == ("Dee", "Fox")
    with Session(m.engine) as session:
        names = session.scalars(
            select(m.User.first).where(m.User.full_name == "Bob Ray")).all()
        assert names == ["Bob"]
        keys = session.execute(select(m.User.email_key).order_by(m.User.id)).all()
        assert [row.email_key for row in keys] == ["ann@example.com", "bob@test.org"]
        ann = session.scalars(select(m.User).where(m.User.named("Ann"))).one()
        assert ann.named("Ann") and not ann.named("Bob")


def test_hybrid_without_setter_says_so(m: SimpleNamespace) -> None:
    user = m.User(email="a@b.c")
    with pytest.raises(AttributeError, match="has no setter"):
        user.email_key = "x"


# -- attributes as SQL expressions ----------------------------------------------------------
def test_attribute_expression_carries_its_entity(m: SimpleNamespace) -> None:
    mapper = inspect(m.User)
    clause = m.User.first.__clause_element__()
    assert clause._annotations["parententity"] is mapper
    assert clause._deannotate() is m.User.__table__.c.first
    assert m.User.__table__.c.first in clause.base_columns
    entity = m.User.__clause_element__()
    assert entity._annotations["parententity"] is mapper
    assert not hasattr(m.User(first="x"), "__clause_element__")


@pytest.mark.parametrize(("build", "sql"), [
    (lambda U: U.first == "x", "ma_users.first = :first_1"),
    (lambda U: U.email.is_(None), "ma_users.email IS NULL"),
    (lambda U: U.first.like("a%"), "ma_users.first LIKE :first_1"),
    (lambda U: U.id.desc(), "ma_users.id DESC"),
    (lambda U: U.first.label("n"), "ma_users.first"),
    (lambda U: U.id + 1, "ma_users.id + :id_1"),
    (lambda U: 1 + U.id, ":id_1 + ma_users.id"),
])
def test_attribute_operators_compile(m: SimpleNamespace, build: Any, sql: str) -> None:
    assert str(build(m.User)) == sql


def test_select_of_entity_and_join_has_no_duplicate_from(m: SimpleNamespace) -> None:
    stmt = select(m.User, m.Post).join(m.Post, m.User.id == m.Post.user_id)
    compiled = str(stmt)
    assert compiled.count("ma_users") >= 1
    assert " FROM ma_users JOIN ma_posts ON ma_users.id = ma_posts.user_id" in compiled
    assert "ma_posts," not in compiled
    inferred = str(select(m.User).join(m.Post))
    assert "JOIN ma_posts ON ma_users.id = ma_posts.user_id" in inferred


def test_orm_update_statement_on_entity(m: SimpleNamespace) -> None:
    add_user(m)
    with m.engine.begin() as conn:
        result = conn.execute(update(m.User).where(m.User.first == "Ann")
                              .values(last=m.User.last + "!"))
        assert result.rowcount == 1
        assert conn.execute(select(m.User.last)).scalar() == "Lee!"



class PickleBase(DeclarativeBase):
    pass


class Pickled(PickleBase):
    """Module level, so pickle can find the class."""

    __tablename__ = "ma_pickled"
    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[str] = mapped_column(String(30))
    last: Mapped[str] = mapped_column(String(30))


def test_mapped_objects_pickle_and_come_back_detached(engine: Any) -> None:
    import pickle

    PickleBase.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            session.add(Pickled(id=1, first="Ann", last="Lee"))
            session.commit()
            user = session.get(Pickled, 1)
            user.first = "Changed"
            copy = pickle.loads(pickle.dumps(user))
        state = inspect(copy)
        assert state is not inspect(user) and state.detached
        assert state.key == (Pickled, (1,), None)
        assert (copy.first, copy.last) == ("Changed", "Lee")
        assert state.attrs.first.history.deleted == ("Ann",)
        with Session(engine) as session:
            merged = session.merge(copy)
            session.commit()
            assert merged.first == "Changed"
    finally:
        PickleBase.metadata.drop_all(engine)
