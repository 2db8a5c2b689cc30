"""selectinload(..., recursion_depth=N) on a self-referential relationship."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest

from sqlwright import ForeignKey, String, exc, select
from sqlwright.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    selectinload,
)
from sqlwright.testing.assertions import assert_sql_count


class Base(DeclarativeBase):
    pass


class Node(Base):
    __tablename__ = "f7r_nodes"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("f7r_nodes.id"))
    name: Mapped[str] = mapped_column(String(20))
    children: Mapped[list[Node]] = relationship()
    tags: Mapped[list[Tag]] = relationship()


class Tag(Base):
    __tablename__ = "f7r_tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("f7r_nodes.id"))


@pytest.fixture
def tree(engine: Any) -> Iterator[None]:
    """A chain of 6 nodes (n1 -> n2 -> ... -> n6); n1 also has a second child n7."""
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        nodes = [Node(id=i, name=f"n{i}") for i in range(1, 7)]
        for parent, child in pairwise(nodes):
            parent.children.append(child)
        nodes[0].children.append(Node(id=7, name="n7"))
        session.add(nodes[0])
        session.commit()
    yield
    Base.metadata.drop_all(engine)


def _loaded_depth(node: Node) -> int:
    """How many levels below ``node`` are in memory already (following the first child)."""
    depth = 0
    while node.__dict__.get("children"):
        depth += 1
        node = node.__dict__["children"][0]
    return depth


def _root(session: Session, depth: int) -> Node:
    stmt = (select(Node).where(Node.id == 1)
            .options(selectinload(Node.children, recursion_depth=depth)))
    return session.scalars(stmt).one()


@pytest.mark.parametrize("depth", [1, 3])
def test_loads_the_requested_number_of_levels(tree: None, engine: Any, depth: int) -> None:
    with Session(engine) as session:
        with assert_sql_count(engine, 1 + depth):  # the root, then one SELECT per level
            root = _root(session, depth)
        assert _loaded_depth(root) == depth
        assert sorted(c.name for c in root.children) == ["n2", "n7"]


def test_minus_one_loads_every_level(tree: None, engine: Any) -> None:
    with Session(engine) as session:
        root = _root(session, -1)
        assert _loaded_depth(root) == 5
        leaf = root
        while leaf.__dict__["children"]:
            leaf = leaf.__dict__["children"][0]
        with assert_sql_count(engine, 0):
            assert leaf.name == "n6" and leaf.children == []


def test_without_recursion_depth_deeper_levels_load_lazily(tree: None, engine: Any) -> None:
    with Session(engine) as session:
        stmt = select(Node).where(Node.id == 1).options(selectinload(Node.children))
        root = session.scalars(stmt).one()
        assert _loaded_depth(root) == 1
        with assert_sql_count(engine, 1):
            assert [c.name for c in root.children[0].children] == ["n3"]


def test_invalid_depth_and_non_self_referential_are_refused(tree: None) -> None:
    with pytest.raises(exc.ArgumentError, match="positive number of levels"):
        selectinload(Node.children, recursion_depth=0)
    with pytest.raises(exc.ArgumentError, match="positive number of levels"):
        selectinload(Node.children, recursion_depth=-2)
    from sqlwright.orm.strategy_options import build_tree

    with pytest.raises(exc.ArgumentError, match="self-referential"):
        build_tree(Node.__mapper__, [selectinload(Node.tags, recursion_depth=2)])
