"""Compile tables: expression -> SQL on MySQL 8 and on MariaDB 10.11 (no server needed)."""

from __future__ import annotations

from typing import Any

import pytest

import sqlwright_mysql as mysql
from sqlwright import (
    JSON,
    Boolean,
    Column,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    bindparam,
    cast,
    delete,
    exc,
    extract,
    func,
    insert,
    literal_column,
    select,
)
from sqlwright.dialects import load
from sqlwright.types import Float, Uuid
from sqlwright_mysql.dialect import parse_server_version

metadata = MetaData()
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(30)),
    Column("select", String(10)),
    Column("doc", JSON),
    Column("flag", Boolean),
)
orders = Table("order", metadata, Column("id", Integer, primary_key=True),
               Column("user_id", Integer))


def _dialect(version: str) -> Any:
    dialect: Any = load("mysql")()
    dialect.server_version_string = version
    dialect.server_version_info = parse_server_version(version)[0]
    return dialect


MYSQL8 = _dialect("8.0.36")
MARIADB = _dialect("10.11.6-MariaDB")
MARIADB_OLD = _dialect("10.4.30-MariaDB")
c = users.c
stmt_upsert = mysql.insert(users).values(id=1, name="a")

#: (id, statement, SQL on MySQL 8, SQL on MariaDB 10.11); None: same as MySQL 8
CASES: list[tuple[str, Any, str, str | None]] = [
    ("quote_reserved", select(c.select).select_from(orders),
     "SELECT users.`select` FROM users, `order`", None),
    ("limit_offset", select(c.id).limit(5).offset(10),
     "SELECT users.id FROM users LIMIT %(param_1)s OFFSET %(param_2)s", None),
    ("offset_only", select(c.id).offset(10),
     "SELECT users.id FROM users LIMIT 18446744073709551615 OFFSET %(param_1)s", None),
    ("ilike", select(c.id).where(c.name.ilike("a%")),
     "SELECT users.id FROM users WHERE lower(users.name) LIKE lower(%(name_1)s)", None),
    ("not_ilike", select(c.id).where(c.name.not_ilike("a%")),
     "SELECT users.id FROM users WHERE lower(users.name) NOT LIKE lower(%(name_1)s)", None),
    ("is_distinct_from", select(c.id).where(c.name.is_distinct_from("x")),
     "SELECT users.id FROM users WHERE NOT (users.name <=> %(name_1)s)", None),
    ("is_not_distinct_from", select(c.id).where(c.name.is_not_distinct_from(None)),
     "SELECT users.id FROM users WHERE users.name <=> NULL", None),
    ("concat", select(c.name + "-" + c.name),
     "SELECT CONCAT(users.name, %(name_1)s, users.name) AS anon_1 FROM users", None),
    ("contains", select(c.id).where(c.name.contains("b")),
     "SELECT users.id FROM users WHERE users.name LIKE CONCAT('%%', %(name_1)s, '%%')", None),
    ("regexp", select(c.id).where(c.name.regexp_match("^a")),
     "SELECT users.id FROM users WHERE users.name REGEXP %(name_1)s", None),
    ("not_regexp", select(c.id).where(~c.name.regexp_match("^a")),
     "SELECT users.id FROM users WHERE users.name NOT REGEXP %(name_1)s", None),
    ("regexp_flags", select(c.id).where(c.name.regexp_match("^a", flags="i")),
     "SELECT users.id FROM users WHERE REGEXP_LIKE(users.name, %(name_1)s, 'i')",
     "SELECT users.id FROM users WHERE users.name REGEXP CONCAT('(?i)', %(name_1)s)"),
    ("boolean_literal", select(c.id).where(c.flag.is_(True)),
     "SELECT users.id FROM users WHERE users.flag IS true", None),
    ("empty_in", select(c.id).where(c.id.in_([])),
     "SELECT users.id FROM users WHERE 1 != 1", None),
    ("empty_not_in", select(c.id).where(c.id.not_in([])),
     "SELECT users.id FROM users WHERE 1 = 1", None),
    ("json_index", select(c.doc["a"]),
     "SELECT JSON_EXTRACT(users.doc, %(key_1)s) AS anon_1 FROM users", None),
    ("json_path_string", select(c.doc[("a", 0)].as_string()),
     "SELECT JSON_VALUE(users.doc, %(path_1)s) AS anon_1 FROM users", None),
    ("json_integer", select(c.doc["n"].as_integer()),
     "SELECT CAST(JSON_VALUE(users.doc, %(key_1)s) AS SIGNED) AS anon_1 FROM users", None),
    ("json_boolean", select(c.doc["b"].as_boolean()),
     "SELECT CASE WHEN JSON_VALUE(users.doc, %(key_1)s) IN ('true', '1') THEN 1 "
     "WHEN JSON_VALUE(users.doc, %(key_1)s) IN ('false', '0') THEN 0 END AS anon_1 "
     "FROM users", None),
    ("for_update", select(c.id).with_for_update(),
     "SELECT users.id FROM users FOR UPDATE", None),
    ("for_share", select(c.id).with_for_update(read=True),
     "SELECT users.id FROM users FOR SHARE",
     "SELECT users.id FROM users LOCK IN SHARE MODE"),
    ("for_update_of_nowait", select(c.id).with_for_update(of=users, nowait=True),
     "SELECT users.id FROM users FOR UPDATE OF users NOWAIT",
     "SELECT users.id FROM users FOR UPDATE NOWAIT"),
    ("skip_locked", select(c.id).with_for_update(skip_locked=True),
     "SELECT users.id FROM users FOR UPDATE SKIP LOCKED", None),
    ("cast_int", select(cast(c.name, Integer)),
     "SELECT CAST(users.name AS SIGNED) AS anon_1 FROM users", None),
    ("cast_unsigned", select(cast(c.name, mysql.INTEGER(unsigned=True))),
     "SELECT CAST(users.name AS UNSIGNED) AS anon_1 FROM users", None),
    ("cast_string", select(cast(c.id, String(5))),
     "SELECT CAST(users.id AS CHAR(5)) AS anon_1 FROM users", None),
    ("cast_numeric", select(cast(c.id, Numeric(10, 2))),
     "SELECT CAST(users.id AS DECIMAL(10, 2)) AS anon_1 FROM users", None),
    ("cast_float", select(cast(c.id, Float())),
     "SELECT CAST(users.id AS DOUBLE) AS anon_1 FROM users", None),
    ("cast_uncastable", select(cast(c.id, Uuid())), "SELECT users.id AS anon_1 FROM users",
     None),
    ("floordiv_int", select(c.id // 2), "SELECT users.id DIV %(id_1)s AS anon_1 FROM users",
     None),
    ("extract_year", select(extract("year", func.now())),
     "SELECT EXTRACT(YEAR FROM CURRENT_TIMESTAMP) AS anon_1", None),
    ("extract_dow", select(extract("dow", func.now())),
     "SELECT (DAYOFWEEK(CURRENT_TIMESTAMP) - 1) AS anon_1", None),
    ("percent_literal", select(literal_column("'50%'")), "SELECT '50%%'", None),
    ("upsert", stmt_upsert.on_duplicate_key_update(name=stmt_upsert.inserted.name),
     "INSERT INTO users (id, name) VALUES (%(id)s, %(name)s) AS `new` "
     "ON DUPLICATE KEY UPDATE name = `new`.name",
     "INSERT INTO users (id, name) VALUES (%(id)s, %(name)s) "
     "ON DUPLICATE KEY UPDATE name = VALUES(name)"),
    ("upsert_expression", stmt_upsert.on_duplicate_key_update(
        [(c.name, func.concat(c.name, stmt_upsert.inserted.name)), ("flag", True)]),
     "INSERT INTO users (id, name) VALUES (%(id)s, %(name)s) AS `new` "
     "ON DUPLICATE KEY UPDATE name = concat(users.name, `new`.name), flag = %(flag_update_1)s",
     "INSERT INTO users (id, name) VALUES (%(id)s, %(name)s) "
     "ON DUPLICATE KEY UPDATE name = concat(users.name, VALUES(name)), "
     "flag = %(flag_update_1)s"),
    ("delete_returning", delete(users).where(c.id == 1).returning(c.id),
     "", "DELETE FROM users WHERE users.id = %(id_1)s RETURNING users.id"),
    ("insert_returning", insert(users).values(name="a").returning(c.id),
     "", "INSERT INTO users (name) VALUES (%(name)s) RETURNING users.id"),
    ("upsert_returning", stmt_upsert.on_duplicate_key_update(
        name=stmt_upsert.inserted.name).returning(c.id),
     "", "INSERT INTO users (id, name) VALUES (%(id)s, %(name)s) "
     "ON DUPLICATE KEY UPDATE name = VALUES(name) RETURNING users.id"),
]


@pytest.mark.parametrize(("stmt", "mysql_sql", "mariadb_sql"),
                         [pytest.param(s, m, d, id=i) for i, s, m, d in CASES])
def test_compile(stmt: Any, mysql_sql: str, mariadb_sql: str | None) -> None:
    if mysql_sql:
        assert str(stmt.compile(dialect=MYSQL8)) == mysql_sql
    else:  # MySQL has no RETURNING: the error names the flag
        with pytest.raises(exc.CompileError, match="supports_"):
            stmt.compile(dialect=MYSQL8)
    assert str(stmt.compile(dialect=MARIADB)) == (mariadb_sql or mysql_sql)


def test_json_scalars_before_json_value() -> None:
    old_mysql = _dialect("8.0.20")
    assert str(select(c.doc["k"].as_string()).compile(dialect=old_mysql)) == (
        "SELECT JSON_UNQUOTE(JSON_EXTRACT(users.doc, %(key_1)s)) AS anon_1 FROM users")


def test_nowait_needs_a_server_that_has_it() -> None:
    with pytest.raises(exc.CompileError, match="supports_for_update_nowait"):
        select(c.id).with_for_update(nowait=True).compile(dialect=MARIADB_OLD)


def test_distinct_on_is_refused_with_the_flag_name() -> None:
    with pytest.raises(exc.CompileError, match="supports_distinct_on"):
        select(c.id).distinct(c.name).compile(dialect=MARIADB)


def test_expanding_empty_in_renders_an_empty_subquery() -> None:
    compiled: Any = select(c.id).where(c.id.in_(bindparam("ids", expanding=True))).compile(
        dialect=MARIADB)
    sql = compiled.expand({"ids": []})[0]
    assert sql == ("SELECT users.id FROM users WHERE users.id IN "
                   "(SELECT NULL FROM DUAL WHERE 1 != 1)")


def test_upsert_rejects_unknown_columns_and_empty_calls() -> None:
    stmt = mysql.insert(users)
    with pytest.raises(exc.ArgumentError, match="no column 'nope'"):
        stmt.on_duplicate_key_update(nope=1)
    with pytest.raises(exc.ArgumentError, match="needs the columns"):
        stmt.on_duplicate_key_update()
    with pytest.raises(AttributeError, match="its columns are"):
        stmt.inserted.nope  # noqa: B018


def test_upsert_statements_share_compiled_forms_by_shape() -> None:
    one = mysql.insert(users).values(id=1).on_duplicate_key_update(name="a")
    two = mysql.insert(users).values(id=2).on_duplicate_key_update(name="b")
    other = mysql.insert(users).values(id=2).on_duplicate_key_update(flag=True)
    key_one, key_two = one._generate_cache_key(), two._generate_cache_key()
    assert key_one == key_two
    assert other._generate_cache_key() != key_one
    assert [b.value for b in key_two.bindparams] == [2, "b"]
