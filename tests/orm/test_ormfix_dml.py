"""ORM-enabled INSERT / UPDATE / DELETE ... RETURNING(entity) return objects through the
identity map; deleting an object expired by a commit loads its attributes first, so delete
listeners and the version check see them."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import String, delete, event, insert, inspect, select, update
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlwright.orm import exc as orm_exc
from sqlwright.testing.assertions import assert_sql_count


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "ofx_users"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        email: Mapped[str | None] = mapped_column(String(100))
        logins: Mapped[int] = mapped_column(default=0)

    class Doc(Base):
        __tablename__ = "ofx_docs"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str] = mapped_column(String(50))
        version: Mapped[int] = mapped_column(nullable=False)
        __mapper_args__ = {"version_id_col": version}

    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([User(name="ann", email="a@x"), User(name="bob", email="b@x")])
        session.commit()
    yield SimpleNamespace(User=User, Doc=Doc)
    Base.metadata.drop_all(engine)


def _needs(engine: Any, flag: str) -> None:
    if not getattr(engine.dialect.features, flag):
        pytest.skip(f"{flag} is false for this database")


def test_update_returning_entity_gives_the_loaded_object_refreshed(
        engine: Any, m: SimpleNamespace) -> None:
    _needs(engine, "supports_update_returning")
    with Session(engine) as session:
        ann = session.scalars(select(m.User).where(m.User.name == "ann")).one()
        with assert_sql_count(engine, 1):
            found = session.scalar(update(m.User).where(m.User.name == "ann")
                                   .values(logins=m.User.logins + 5).returning(m.User))
        assert found is ann
        assert (ann.logins, ann.email) == (5, "a@x")
        session.commit()
    with Session(engine) as session:
        assert session.scalar(select(m.User.logins).where(m.User.name == "ann")) == 5


def test_update_returning_entity_and_column_builds_new_objects(
        engine: Any, m: SimpleNamespace) -> None:
    _needs(engine, "supports_update_returning")
    with Session(engine) as session:
        rows = session.execute(update(m.User).values(email=None)
                               .returning(m.User, m.User.name)).all()
        by_name = {name: user for user, name in rows}
        assert set(by_name) == {"ann", "bob"}
        assert all(isinstance(u, m.User) and u.email is None for u in by_name.values())
        with assert_sql_count(engine, 0):  # every column came back with the row
            assert by_name["bob"].logins == 0
        assert session.get(m.User, by_name["bob"].id) is by_name["bob"]


def test_insert_returning_entity_makes_a_persistent_object(
        engine: Any, m: SimpleNamespace) -> None:
    _needs(engine, "supports_insert_returning")
    with Session(engine) as session:
        carl: Any = session.scalar(insert(m.User).values(name="carl").returning(m.User))
        assert carl is not None and isinstance(carl, m.User)
        assert carl.id is not None and carl.logins == 0
        carl.email = "c@x"
        assert session.get(m.User, carl.id) is carl
        session.commit()
    with Session(engine) as session:
        assert session.scalar(select(m.User.email).where(m.User.name == "carl")) == "c@x"


def test_delete_returning_entity_marks_the_objects_deleted(
        engine: Any, m: SimpleNamespace) -> None:
    _needs(engine, "supports_delete_returning")
    with Session(engine) as session:
        bob = session.scalars(select(m.User).where(m.User.name == "bob")).one()
        gone = session.scalars(delete(m.User).where(m.User.email.like("%@x"))
                               .returning(m.User)).all()
        assert bob in gone and len(gone) == 2
        assert session.get(m.User, bob.id) is None
        session.commit()
    with Session(engine) as session:
        assert session.scalars(select(m.User)).all() == []


def test_returning_plain_columns_is_unchanged(engine: Any, m: SimpleNamespace) -> None:
    _needs(engine, "supports_delete_returning")
    with Session(engine) as session:
        names = session.scalars(delete(m.User).returning(m.User.name)).all()
        assert sorted(names) == ["ann", "bob"]


def test_delete_of_expired_object_loads_it_for_after_delete(
        engine: Any, m: SimpleNamespace) -> None:
    seen: list[tuple[int, str]] = []

    def listener(mapper: Any, connection: Any, target: Any) -> None:
        seen.append((target.id, target.name))

    event.listen(m.User, "after_delete", listener)
    try:
        with Session(engine) as session:
            users = session.scalars(select(m.User).order_by(m.User.id)).all()
            ids = [u.id for u in users]
            session.commit()  # expires both
            for user in users:
                session.delete(user)
            with assert_sql_count(engine, 2):  # one SELECT for both, one DELETE
                session.flush()
            session.commit()
        assert sorted(seen) == [(ids[0], "ann"), (ids[1], "bob")]
    finally:
        event.remove(m.User, "after_delete", listener)


def test_delete_of_expired_versioned_object_checks_the_version(
        engine: Any, m: SimpleNamespace) -> None:
    with Session(engine) as session:
        doc = m.Doc(title="spec")
        session.add(doc)
        session.flush()
        doc_id = doc.id
        session.commit()  # expires doc and ends the transaction
        with engine.begin() as other:  # another writer bumps the version
            other.execute(update(m.Doc.__table__).where(m.Doc.__table__.c.id == doc_id)
                          .values(version=7))
        session.delete(doc)  # expired by the commit: the current version is loaded
        session.commit()
    with Session(engine) as session:
        assert session.get(m.Doc, doc_id) is None


def test_delete_of_expired_object_whose_row_is_gone(engine: Any, m: SimpleNamespace) -> None:
    with Session(engine) as session:
        ann = session.scalars(select(m.User).where(m.User.name == "ann")).one()
        session.commit()
        with engine.begin() as other:
            other.execute(delete(m.User.__table__).where(m.User.__table__.c.name == "ann"))
        session.delete(ann)
        session.commit()  # the DELETE matches nothing; no error for an unversioned row
        assert inspect(ann).was_deleted
        with pytest.raises(orm_exc.DetachedInstanceError):
            _ = ann.name  # never loaded (the row was already gone), and now detached
    with Session(engine) as session:
        assert session.scalars(select(m.User.name)).all() == ["bob"]
