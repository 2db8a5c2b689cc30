"""Boolean values where a condition is expected, on databases without boolean expressions
(Features.supports_boolean_expressions false, e.g. SQL Server): compared with 1 or 0."""

from __future__ import annotations

from typing import Any

import pytest

from sqlwright import (
    Boolean,
    Column,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    delete,
    func,
    not_,
    or_,
    select,
    update,
)
from sqlwright.dialects.base import DefaultDialect, DefaultFeatures

md = MetaData()
users = Table("users", md, Column("id", Integer, primary_key=True), Column("active", Boolean),
              Column("admin", Boolean))
posts = Table("posts", md, Column("id", Integer, primary_key=True),
              Column("user_id", Integer), Column("visible", Boolean))


class NoBooleanFeatures(DefaultFeatures):
    supports_boolean_expressions = False


class NoBooleanDialect(DefaultDialect):
    features_class = NoBooleanFeatures


CASES = [
    ("where_column", select(users.c.id).where(users.c.active),
     "SELECT users.id FROM users WHERE users.active = 1"),
    ("where_not_column", select(users.c.id).where(~users.c.active),
     "SELECT users.id FROM users WHERE users.active = 0"),
    ("where_not_function", select(users.c.id).where(not_(users.c.admin)),
     "SELECT users.id FROM users WHERE users.admin = 0"),
    ("and_or_parts", select(users.c.id).where(or_(users.c.active, and_(users.c.admin,
                                                                     users.c.id > 5))),
     "SELECT users.id FROM users WHERE users.active = 1 OR users.admin = 1 AND users.id > :id_1"),
    ("comparison_untouched", select(users.c.id).where(users.c.active == True),  # noqa: E712
     "SELECT users.id FROM users WHERE users.active = :active_1"),
    ("case_when", select(case((users.c.admin, "a"), else_="u")),
     "SELECT CASE WHEN users.admin = 1 THEN :param_1 ELSE :param_2 END AS anon_1 FROM users"),
    ("having", select(users.c.active, func.count()).group_by(users.c.active)
     .having(users.c.active),
     "SELECT users.active, count(*) AS count_1 FROM users GROUP BY users.active "
     "HAVING users.active = 1"),
    ("join_on", select(posts.c.id).select_from(
        users.join(posts, and_(users.c.id == posts.c.user_id, posts.c.visible))),
     "SELECT posts.id FROM users JOIN posts ON users.id = posts.user_id AND posts.visible = 1"),
    ("update_where", update(users).where(users.c.admin).values(active=False),
     "UPDATE users SET active=:active WHERE users.admin = 1"),
    ("delete_where", delete(users).where(~users.c.active),
     "DELETE FROM users WHERE users.active = 0"),
    ("selected_value_untouched", select(users.c.active),
     "SELECT users.active FROM users"),
]


@pytest.mark.parametrize(("stmt", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_boolean_values_become_comparisons(stmt: Any, expected: str) -> None:
    assert stmt.compile(dialect=NoBooleanDialect()).string == expected


def test_native_boolean_databases_keep_bare_conditions() -> None:
    stmt = select(users.c.id).where(users.c.active, ~users.c.admin)
    assert stmt.compile(dialect=DefaultDialect()).string == (
        "SELECT users.id FROM users WHERE users.active AND NOT users.admin")
