"""Sequence.next_value() as an expression."""

from __future__ import annotations

from sqlwright import insert, select
from sqlwright.schema import Column, MetaData, Sequence, Table
from sqlwright.types import Integer


def test_next_value_compiles_in_select_and_insert() -> None:
    seq = Sequence("order_seq")
    orders = Table("orders", MetaData(), Column("id", Integer, primary_key=True))
    assert str(select(seq.next_value())) == "SELECT NEXT VALUE FOR order_seq AS anon_1"
    stmt = insert(orders).values(id=seq.next_value())
    assert str(stmt) == "INSERT INTO orders (id) VALUES (NEXT VALUE FOR order_seq)"


def test_next_value_is_typed_and_cache_keys_by_sequence() -> None:
    a, b = Sequence("a"), Sequence("b")
    assert isinstance(a.next_value().type, Integer)
    key_a = select(a.next_value())._generate_cache_key()
    key_b = select(b.next_value())._generate_cache_key()
    assert key_a is not None and key_b is not None and key_a != key_b
