"""Suite: Core insert(), update() and delete() on real tables, with Python and SQL defaults,
executemany, multi-row VALUES, INSERT FROM SELECT and RETURNING where the database has it.

Tables give their primary keys explicitly, so these tests need no autoincrement support.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from sqlwright import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)


@pytest.fixture
def accounts(engine: Any, metadata: MetaData) -> Table:
    """(id, owner, balance) with three rows: ada 100, bob 50, cy 0."""
    table = Table("sw_accounts", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("owner", String(50), nullable=False),
                  Column("balance", Integer, nullable=False, default=0))
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(table), [{"id": 1, "owner": "ada", "balance": 100},
                                     {"id": 2, "owner": "bob", "balance": 50},
                                     {"id": 3, "owner": "cy", "balance": 0}])
    return table


def _state(conn: Any, table: Table) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.execute(select(table).order_by(table.c.id))]


# -- insert --------------------------------------------------------------------------------------
def test_insert_values(connection: Any, accounts: Table) -> None:
    result = connection.execute(insert(accounts).values(id=4, owner="dee", balance=5))
    assert result.rowcount == 1
    assert result.inserted_primary_key == (4,)
    assert _state(connection, accounts)[-1] == (4, "dee", 5)


def test_insert_parameters_at_execution(connection: Any, accounts: Table) -> None:
    connection.execute(insert(accounts), {"id": 4, "owner": "dee"})
    assert _state(connection, accounts)[-1] == (4, "dee", 0)  # the Python default


def test_insert_executemany(connection: Any, accounts: Table) -> None:
    rows = [{"id": n, "owner": f"o{n}", "balance": n} for n in range(10, 30)]
    connection.execute(insert(accounts), rows)
    assert connection.execute(select(func.count()).select_from(accounts)).scalar() == 23
    assert connection.execute(
        select(func.sum(accounts.c.balance)).where(accounts.c.id >= 10)).scalar() == sum(
            range(10, 30))


@pytest.mark.requires("supports_multivalues_insert")
def test_insert_multi_row_values(connection: Any, accounts: Table) -> None:
    connection.execute(insert(accounts).values([
        {"id": 4, "owner": "dee", "balance": 1}, {"id": 5, "owner": "eve", "balance": 2}]))
    assert _state(connection, accounts)[3:] == [(4, "dee", 1), (5, "eve", 2)]


def test_python_default_runs_per_row(engine: Any, metadata: MetaData) -> None:
    counter = itertools.count(1)
    table = Table("sw_defaults", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("seq", Integer, default=lambda: next(counter)),
                  Column("label", String(20), default="new"))
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(table), [{"id": 1}, {"id": 2}, {"id": 3, "label": "given"}])
        assert _state(conn, table) == [(1, 1, "new"), (2, 2, "new"), (3, 3, "given")]


def test_sql_expression_default_and_onupdate(engine: Any, metadata: MetaData) -> None:
    table = Table("sw_sqldefaults", metadata,
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("name", String(20)),
                  Column("shout", String(20), default=func.upper("hello"),
                         onupdate=func.lower("CHANGED")))
    metadata.create_all(engine, checkfirst=False)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, name="a"))
        assert _state(conn, table) == [(1, "a", "HELLO")]
        conn.execute(update(table).values(name="b"))
        assert _state(conn, table) == [(1, "b", "changed")]


def test_insert_from_select(connection: Any, accounts: Table, metadata: MetaData,
                            engine: Any) -> None:
    archive = Table("sw_archive", metadata,
                    Column("id", Integer, primary_key=True, autoincrement=False),
                    Column("owner", String(50)))
    archive.create(engine)
    source = select(accounts.c.id, accounts.c.owner).where(accounts.c.balance > 0)
    connection.execute(insert(archive).from_select(["id", "owner"], source))
    assert _state(connection, archive) == [(1, "ada"), (2, "bob")]


# -- update and delete ---------------------------------------------------------------------------
def test_update_where(connection: Any, accounts: Table) -> None:
    result = connection.execute(
        update(accounts).where(accounts.c.owner == "bob").values(balance=75))
    assert result.rowcount == 1
    assert _state(connection, accounts)[1] == (2, "bob", 75)


def test_update_with_column_expression(connection: Any, accounts: Table) -> None:
    connection.execute(update(accounts).values(balance=accounts.c.balance * 2 + 1))
    assert [row[2] for row in _state(connection, accounts)] == [201, 101, 1]


def test_update_executemany_with_bindparam(connection: Any, accounts: Table) -> None:
    stmt = (update(accounts).where(accounts.c.id == bindparam("account_id"))
            .values(balance=bindparam("new_balance")))
    connection.execute(stmt, [{"account_id": 1, "new_balance": 7},
                              {"account_id": 3, "new_balance": 9}])
    assert [row[2] for row in _state(connection, accounts)] == [7, 50, 9]


def test_update_from_correlated_subquery(connection: Any, accounts: Table, engine: Any,
                                         metadata: MetaData) -> None:
    deposits = Table("sw_deposits", metadata,
                     Column("id", Integer, primary_key=True, autoincrement=False),
                     Column("account_id", Integer, ForeignKey("sw_accounts.id")),
                     Column("amount", Integer))
    deposits.create(engine)
    connection.execute(insert(deposits), [{"id": 1, "account_id": 2, "amount": 5},
                                          {"id": 2, "account_id": 2, "amount": 6}])
    total = (select(func.coalesce(func.sum(deposits.c.amount), 0))
             .where(deposits.c.account_id == accounts.c.id).scalar_subquery())
    connection.execute(update(accounts).values(balance=accounts.c.balance + total))
    assert [row[2] for row in _state(connection, accounts)] == [100, 61, 0]


def test_delete_where(connection: Any, accounts: Table) -> None:
    result = connection.execute(delete(accounts).where(accounts.c.balance < 60))
    assert result.rowcount == 2
    assert _state(connection, accounts) == [(1, "ada", 100)]


# -- RETURNING -----------------------------------------------------------------------------------
@pytest.mark.requires("supports_insert_returning")
def test_insert_returning(connection: Any, accounts: Table) -> None:
    result = connection.execute(insert(accounts).values(id=4, owner="dee")
                                .returning(accounts.c.id, accounts.c.balance))
    assert [tuple(row) for row in result] == [(4, 0)]


@pytest.mark.requires("supports_update_returning")
def test_update_returning(connection: Any, accounts: Table) -> None:
    result = connection.execute(update(accounts).where(accounts.c.balance > 0)
                                .values(balance=accounts.c.balance - 10)
                                .returning(accounts.c.owner, accounts.c.balance))
    assert sorted(tuple(row) for row in result) == [("ada", 90), ("bob", 40)]


@pytest.mark.requires("supports_delete_returning")
def test_delete_returning(connection: Any, accounts: Table) -> None:
    result = connection.execute(delete(accounts).where(accounts.c.balance == 0)
                                .returning(accounts.c.id, accounts.c.owner))
    assert [tuple(row) for row in result] == [(3, "cy")]
    assert len(_state(connection, accounts)) == 2


# -- generated primary keys ----------------------------------------------------------------------
@pytest.fixture
def tickets(engine: Any, metadata: MetaData) -> Table:
    """(id autoincrement, title): an empty table whose keys the database generates."""
    table = Table("sw_tickets", metadata, Column("id", Integer, primary_key=True),
                  Column("title", String(50)))
    metadata.create_all(engine)
    return table


def test_autoincrement_primary_key(connection: Any, tickets: Table) -> None:
    first = connection.execute(insert(tickets).values(title="a")).inserted_primary_key
    second = connection.execute(insert(tickets).values(title="b")).inserted_primary_key
    assert first[0] is not None and second[0] == first[0] + 1
    stored = connection.execute(select(tickets.c.id).where(tickets.c.title == "b")).scalar()
    assert stored == second[0]


def test_autoincrement_in_executemany(connection: Any, tickets: Table) -> None:
    connection.execute(insert(tickets), [{"title": f"t{n}"} for n in range(5)])
    ids = list(connection.execute(select(tickets.c.id).order_by(tickets.c.id)).scalars())
    assert len(set(ids)) == 5 and all(isinstance(id_, int) for id_ in ids)
