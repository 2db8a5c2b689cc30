"""The unit of work: dependency order between tables and rows, batching, changed-columns-only
updates, generated values, version counters and the bulk methods."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from sqlwright import ForeignKey, Integer, String, event, func, select, text
from sqlwright.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlwright.orm import exc as orm_exc
from sqlwright.orm.unitofwork import sort_mappers


@pytest.fixture
def m(engine: Any) -> Iterator[SimpleNamespace]:
    class Base(DeclarativeBase):
        pass

    # Declared child-first on purpose: the flush must still insert parents first.
    class Comment(Base):
        __tablename__ = "fl_comments"
        id: Mapped[int] = mapped_column(primary_key=True)
        post_id: Mapped[int] = mapped_column(ForeignKey("fl_posts.id"))
        body: Mapped[str] = mapped_column(String(100))

    class Post(Base):
        __tablename__ = "fl_posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        author_id: Mapped[int] = mapped_column(ForeignKey("fl_authors.id"))
        title: Mapped[str] = mapped_column(String(100))

    class Author(Base):
        __tablename__ = "fl_authors"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50))
        status: Mapped[str] = mapped_column(String(20), server_default=text("'new'"))
        created: Mapped[datetime.datetime] = mapped_column(server_default=func.now())
        score: Mapped[int] = mapped_column(default=lambda: 41 + 1)

    class Node(Base):
        __tablename__ = "fl_nodes"
        id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
        parent_id: Mapped[int | None] = mapped_column(ForeignKey("fl_nodes.id"))
        label: Mapped[str] = mapped_column(String(20))

    class Doc(Base):
        __tablename__ = "fl_docs"
        id: Mapped[int] = mapped_column(primary_key=True)
        text: Mapped[str] = mapped_column(String(100))
        version: Mapped[int] = mapped_column(Integer, nullable=False)
        __mapper_args__ = {"version_id_col": version}

    Base.metadata.create_all(engine)
    yield SimpleNamespace(Base=Base, Author=Author, Post=Post, Comment=Comment, Node=Node,
                          Doc=Doc, engine=engine)
    Base.metadata.drop_all(engine)


@pytest.fixture
def statements(engine: Any) -> Iterator[list[tuple[str, bool]]]:
    """(SQL, executemany) of every statement the engine runs."""
    seen: list[tuple[str, bool]] = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, context: Any,
               executemany: bool) -> None:
        seen.append((statement, executemany))

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def _dml(seen: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    return [(s.split()[0] + " " + s.split()[2 if s.startswith(("INSERT", "DELETE")) else 1], many)
            for s, many in seen if s.startswith(("INSERT", "UPDATE", "DELETE"))]


def test_sort_mappers_parents_first(m: SimpleNamespace) -> None:
    order = sort_mappers([m.Comment.__mapper__, m.Post.__mapper__, m.Author.__mapper__])
    assert [mp.class_ for mp in order] == [m.Author, m.Post, m.Comment]


def test_insert_and_delete_in_dependency_order(m: SimpleNamespace,
                                                statements: list[tuple[str, bool]]) -> None:
    with Session(m.engine) as session:
        session.add(m.Comment(id=1, post_id=1, body="first!"))
        session.add(m.Post(id=1, author_id=1, title="hello"))
        session.add(m.Author(id=1, name="ann"))
        session.commit()
        tables = [s.split()[2] for s, _ in statements if s.startswith("INSERT")]
        assert tables == ["fl_authors", "fl_posts", "fl_comments"]
        statements.clear()
        loaded = [session.get(cls, 1) for cls in (m.Author, m.Post, m.Comment)]
        for obj in loaded:
            session.delete(obj)
        session.commit()
        tables = [s.split()[2] for s, _ in statements if s.startswith("DELETE")]
        assert tables == ["fl_comments", "fl_posts", "fl_authors"]


def test_self_referential_rows_ordered(m: SimpleNamespace) -> None:
    with m.engine.connect() as conn:
        with Session(bind=conn) as session:
            session.add_all([
                m.Node(id=3, parent_id=2, label="grandchild"),
                m.Node(id=2, parent_id=1, label="child"),
                m.Node(id=1, parent_id=None, label="root"),
            ])
            session.commit()
            rows = session.execute(select(m.Node.id, m.Node.parent_id)
                                   .order_by(m.Node.id)).all()
            assert [tuple(r) for r in rows] == [(1, None), (2, 1), (3, 2)]
            for node in session.scalars(select(m.Node)).all():
                session.delete(node)
            session.commit()
            assert session.scalars(select(m.Node)).all() == []


def test_inserts_with_known_keys_are_one_executemany(
        m: SimpleNamespace, statements: list[tuple[str, bool]]) -> None:
    with Session(m.engine) as session:
        session.add_all([m.Node(id=i, label=f"n{i}") for i in range(1, 6)])
        session.flush()
        inserts = [(s, many) for s, many in statements if s.startswith("INSERT")]
        assert len(inserts) == 1 and inserts[0][1] is True


def test_generated_keys_and_defaults_come_back(m: SimpleNamespace,
                                               statements: list[tuple[str, bool]]) -> None:
    with Session(m.engine) as session:
        authors = [m.Author(name=f"a{i}") for i in range(3)]
        session.add_all(authors)
        session.flush()
        assert len({a.id for a in authors}) == 3 and all(a.id for a in authors)
        assert all(a.score == 42 for a in authors)
        assert [a.status for a in authors] == ["new"] * 3
        assert all(a.created is not None for a in authors)
        inserts = [s for s, _ in statements if s.startswith("INSERT")]
        if m.engine.dialect.features.supports_multirow_insert_returning:
            assert len(inserts) == 1 and "RETURNING" in inserts[0]


def test_update_writes_only_changed_columns(m: SimpleNamespace,
                                            statements: list[tuple[str, bool]]) -> None:
    with Session(m.engine) as session:
        session.add_all([m.Author(id=1, name="x"), m.Author(id=2, name="y"),
                         m.Author(id=3, name="z")])
        session.commit()
        statements.clear()
        for a in session.scalars(select(m.Author)).all():
            a.name = a.name.upper()
        session.flush()
        updates = [(s, many) for s, many in statements if s.startswith("UPDATE")]
        assert len(updates) == 1 and updates[0][1] is True
        set_clause = updates[0][0].split(" SET ")[1].split(" WHERE ")[0]
        assert set_clause.count("=") == 1 and "name" in set_clause
        session.commit()
        assert session.scalars(select(m.Author.name).order_by(m.Author.id)).all() == \
            ["X", "Y", "Z"]


def test_no_update_without_net_change(m: SimpleNamespace,
                                      statements: list[tuple[str, bool]]) -> None:
    with Session(m.engine) as session:
        author = m.Author(id=1, name="same")
        session.add(author)
        session.commit()
        assert author.name == "same"   # loaded again after the commit expired it
        author.name = "same"
        statements.clear()
        session.commit()
        assert not [s for s, _ in statements if s.startswith("UPDATE")]


def test_primary_key_change_rekeys_identity(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        node = m.Node(id=1, label="n")
        session.add(node)
        session.commit()
        node.id = 10
        session.commit()
        assert session.get(m.Node, 10) is node
        assert session.scalars(select(m.Node.id)).all() == [10]


def test_version_counter_and_stale_data(m: SimpleNamespace) -> None:
    # expire_on_commit=False: objects keep their values between transactions, so neither
    # session holds a read transaction open while the other writes (SQLite locks the file).
    with Session(m.engine, expire_on_commit=False) as one, \
            Session(m.engine, expire_on_commit=False) as two:
        doc = m.Doc(text="v1")
        one.add(doc)
        one.commit()
        assert doc.version == 1
        doc.text = "v2"
        one.commit()
        assert doc.version == 2
        other = two.get(m.Doc, doc.id)
        assert other is not None and other.version == 2
        other.text = "theirs"
        two.commit()
        doc.text = "mine"
        with pytest.raises(orm_exc.StaleDataError, match="expected to update 1 row"):
            one.flush()
        one.rollback()
        assert doc.text == "theirs" and doc.version == 3
        one.commit()
        other.text = "again"
        two.commit()
        one.delete(doc)
        with pytest.raises(orm_exc.StaleDataError, match="DELETE"):
            one.commit()
        one.rollback()


def test_update_of_deleted_row_is_stale(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        author = m.Author(id=5, name="temp")
        session.add(author)
        session.commit()
        _ = author.name
        session.execute(text("DELETE FROM fl_authors"))
        author.name = "lost"
        with pytest.raises(orm_exc.StaleDataError):
            session.flush()


def test_flush_failure_leaves_nothing_written(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        session.add(m.Node(id=1, label="ok"))
        session.add(m.Node(id=1, label="duplicate key"))
        with pytest.raises(Exception, match="(?i)unique|duplicate|constraint"):
            session.commit()
        session.rollback()
    with m.engine.connect() as conn:
        assert conn.scalar(text("SELECT COUNT(*) FROM fl_nodes")) == 0


def test_mapper_events_fire_around_statements(m: SimpleNamespace) -> None:
    calls: list[str] = []

    @event.listens_for(m.Author, "before_insert")
    def before_insert(mapper: Any, connection: Any, target: Any) -> None:
        target.name = target.name.title()
        calls.append("before_insert")

    @event.listens_for(m.Author, "after_insert")
    def after_insert(mapper: Any, connection: Any, target: Any) -> None:
        calls.append(f"after_insert id={target.id}")

    @event.listens_for(m.Author, "before_update")
    def before_update(mapper: Any, connection: Any, target: Any) -> None:
        calls.append("before_update")

    @event.listens_for(m.Author, "after_update")
    def after_update(mapper: Any, connection: Any, target: Any) -> None:
        calls.append("after_update")

    @event.listens_for(m.Author, "before_delete")
    def before_delete(mapper: Any, connection: Any, target: Any) -> None:
        calls.append("before_delete")

    @event.listens_for(m.Author, "after_delete")
    def after_delete(mapper: Any, connection: Any, target: Any) -> None:
        calls.append("after_delete")

    with Session(m.engine) as session:
        author = m.Author(id=9, name="ann lee")
        session.add(author)
        session.commit()
        assert author.name == "Ann Lee"
        author.name = "Other"
        session.commit()
        session.delete(author)
        session.commit()
    assert calls == ["before_insert", "after_insert id=9", "before_update", "after_update",
                     "before_delete", "after_delete"]


def test_bulk_insert_and_update_mappings(m: SimpleNamespace,
                                         statements: list[tuple[str, bool]]) -> None:
    with Session(m.engine) as session:
        session.bulk_insert_mappings(m.Node, [{"id": i, "label": f"l{i}"} for i in range(5)])
        session.bulk_update_mappings(m.Node, [{"id": 0, "label": "zero"},
                                              {"id": 1, "label": "one"}])
        session.commit()
        assert [(s.split()[0], many) for s, many in statements
                if s.startswith(("INSERT", "UPDATE"))] == [("INSERT", True), ("UPDATE", True)]
        labels = session.scalars(select(m.Node.label).order_by(m.Node.id)).all()
        assert labels == ["zero", "one", "l2", "l3", "l4"]
        with pytest.raises(Exception, match="primary key"):
            session.bulk_update_mappings(m.Node, [{"label": "no key"}])


def test_bulk_save_objects(m: SimpleNamespace) -> None:
    with Session(m.engine) as session:
        nodes = [m.Node(id=i, label=f"b{i}") for i in range(3)]
        session.bulk_save_objects(nodes)
        authors = [m.Author(name="ra"), m.Author(name="rb")]
        session.bulk_save_objects(authors, return_defaults=True)
        assert all(a.id is not None for a in authors)
        session.commit()
        assert session.scalar(select(func.count()).select_from(m.Node)) == 3
        assert not session.new
