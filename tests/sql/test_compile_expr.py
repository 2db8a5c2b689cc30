"""Column expressions, operators and functions compiled for the default and SQLite dialects."""

from __future__ import annotations

from typing import Any

import pytest

import sqlwright
from sqlwright import (
    Boolean,
    Integer,
    String,
    and_,
    asc,
    between,
    case,
    cast,
    collate,
    column,
    distinct,
    exc,
    extract,
    false,
    func,
    literal,
    literal_column,
    not_,
    null,
    nulls_first,
    nulls_last,
    or_,
    over,
    true,
    tuple_,
    type_coerce,
    within_group,
)
from sqlwright.dialects.base import DefaultDialect
from sqlwright.sql.elements import bindparam, text
from sqlwright.sql.selectable import table

t = table("t", column("a", Integer), column("b", String(20)), column("flag", Boolean))
u = table("order", column("Id", Integer), column("x", Integer))
a, b, flag = t.c.a, t.c.b, t.c.flag

# (id, expression, default dialect SQL, SQLite SQL)
CASES: list[tuple[str, Any, str, str]] = [
    # comparisons
    ("eq", a == 5, "t.a = :a_1", "t.a = ?"),
    ("ne", a != 5, "t.a != :a_1", "t.a != ?"),
    ("lt", a < 5, "t.a < :a_1", "t.a < ?"),
    ("le", a <= 5, "t.a <= :a_1", "t.a <= ?"),
    ("gt", a > 5, "t.a > :a_1", "t.a > ?"),
    ("ge", a >= 5, "t.a >= :a_1", "t.a >= ?"),
    ("reflected", a > 5, "t.a > :a_1", "t.a > ?"),
    ("eq_none", a == None, "t.a IS NULL", "t.a IS NULL"),  # noqa: E711
    ("ne_none", a != None, "t.a IS NOT NULL", "t.a IS NOT NULL"),  # noqa: E711
    ("col_col", a == u.c.x, 't.a = "order".x', 't.a = "order".x'),
    ("quoted", u.c.Id == 1, '"order"."Id" = :Id_1', '"order"."Id" = ?'),
    ("is_", a.is_(None), "t.a IS NULL", "t.a IS NULL"),
    ("is_not", a.is_not(None), "t.a IS NOT NULL", "t.a IS NOT NULL"),
    ("is_true", flag.is_(True), "t.flag IS 1", "t.flag IS 1"),
    ("distinct_from", a.is_distinct_from(b), "t.a IS DISTINCT FROM t.b",
     "t.a IS DISTINCT FROM t.b"),
    ("not_distinct_from", a.is_not_distinct_from(3), "t.a IS NOT DISTINCT FROM :a_1",
     "t.a IS NOT DISTINCT FROM ?"),
    # arithmetic and concatenation
    ("add", a + 1, "t.a + :a_1", "t.a + ?"),
    ("radd", 1 + a, ":a_1 + t.a", "? + t.a"),
    ("sub_group", a - (a - 1), "t.a - (t.a - :a_1)", "t.a - (t.a - ?)"),
    ("mul_group", (a + 1) * 2, "(t.a + :a_1) * :param_1", "(t.a + ?) * ?"),
    ("assoc", a + a + a, "t.a + t.a + t.a", "t.a + t.a + t.a"),
    ("div", a / 2, "t.a / :a_1", "t.a / ?"),
    ("mod", a % 3, "t.a % :a_1", "t.a % ?"),
    ("neg", -a, "-t.a", "-t.a"),
    ("concat_plus", b + "x", "t.b || :b_1", "t.b || ?"),
    ("concat", b.concat(b), "t.b || t.b", "t.b || t.b"),
    ("custom_op", a.op("&")(4), "t.a & :a_1", "t.a & ?"),
    ("custom_op_nested", a.op("&")(4) == 4, "(t.a & :a_1) = :param_1", "(t.a & ?) = ?"),
    # boolean composition
    ("and", and_(a > 1, b == "x"), "t.a > :a_1 AND t.b = :b_1", "t.a > ? AND t.b = ?"),
    ("or_in_and", and_(a > 1, or_(b == "x", b == "y")),
     "t.a > :a_1 AND (t.b = :b_1 OR t.b = :b_2)", "t.a > ? AND (t.b = ? OR t.b = ?)"),
    ("and_in_or", or_(a > 1, and_(b == "x", a < 0)),
     "t.a > :a_1 OR t.b = :b_1 AND t.a < :a_2", "t.a > ? OR t.b = ? AND t.a < ?"),
    ("amp_pipe", (a > 1) & ((a < 0) | flag), "t.a > :a_1 AND (t.a < :a_2 OR t.flag)",
     "t.a > ? AND (t.a < ? OR t.flag)"),
    ("and_flatten", and_(and_(a == 1, a == 2), a == 3),
     "t.a = :a_1 AND t.a = :a_2 AND t.a = :a_3", "t.a = ? AND t.a = ? AND t.a = ?"),
    ("and_true", and_(true(), a == 1), "t.a = :a_1", "t.a = ?"),
    ("and_false", and_(false(), a == 1), "0", "0"),
    ("or_empty", or_(), "0", "0"),
    ("not_eq", ~(a == 1), "t.a != :a_1", "t.a != ?"),
    ("not_lt", not_(a < 1), "t.a >= :a_1", "t.a >= ?"),
    ("not_col", not_(flag), "NOT t.flag", "NOT t.flag"),
    ("not_and", ~and_(a == 1, b == "x"), "NOT (t.a = :a_1 AND t.b = :b_1)",
     "NOT (t.a = ? AND t.b = ?)"),
    ("not_not", ~~flag, "t.flag", "t.flag"),
    ("text_in_and", and_(text("a = 1 OR a = 2"), a > 0), "(a = 1 OR a = 2) AND t.a > :a_1",
     "(a = 1 OR a = 2) AND t.a > ?"),
    # IN
    ("in_list", a.in_([1, 2, 3]), "t.a IN (__[EXPANDING_a_1])", "t.a IN (__[EXPANDING_a_1])"),
    ("not_in_list", a.not_in([1, 2]), "t.a NOT IN (__[EXPANDING_a_1])",
     "t.a NOT IN (__[EXPANDING_a_1])"),
    ("in_invert", ~a.in_([1]), "t.a NOT IN (__[EXPANDING_a_1])",
     "t.a NOT IN (__[EXPANDING_a_1])"),
    ("in_empty", a.in_([]), "1 != 1", "1 != 1"),
    ("not_in_empty", a.not_in([]), "1 = 1", "1 = 1"),
    ("in_exprs", a.in_([u.c.x, 5]), 't.a IN ("order".x, :a_1)', 't.a IN ("order".x, ?)'),
    ("in_bindparam", a.in_(bindparam("ids", expanding=True)), "t.a IN (__[EXPANDING_ids])",
     "t.a IN (__[EXPANDING_ids])"),
    ("tuple_in", tuple_(a, b).in_([(1, "x"), (2, "y")]),
     "(t.a, t.b) IN (__[EXPANDING_param_1])", "(t.a, t.b) IN (__[EXPANDING_param_1])"),
    ("tuple_eq", tuple_(a, b) == (1, "x"), "(t.a, t.b) = (:a_1, :b_1)", "(t.a, t.b) = (?, ?)"),
    # BETWEEN, LIKE and friends
    ("between", a.between(1, 5), "t.a BETWEEN :a_1 AND :a_2", "t.a BETWEEN ? AND ?"),
    ("between_fn", between(a, 1, 5), "t.a BETWEEN :a_1 AND :a_2", "t.a BETWEEN ? AND ?"),
    ("not_between", ~a.between(1, 5), "t.a NOT BETWEEN :a_1 AND :a_2",
     "t.a NOT BETWEEN ? AND ?"),
    ("like", b.like("x%"), "t.b LIKE :b_1", "t.b LIKE ?"),
    ("like_escape", b.like("x!%", escape="!"), "t.b LIKE :b_1 ESCAPE '!'",
     "t.b LIKE ? ESCAPE '!'"),
    ("not_like", b.not_like("x%"), "t.b NOT LIKE :b_1", "t.b NOT LIKE ?"),
    ("like_invert", ~b.like("x%"), "t.b NOT LIKE :b_1", "t.b NOT LIKE ?"),
    ("ilike", b.ilike("X%"), "lower(t.b) LIKE lower(:b_1)", "lower(t.b) LIKE lower(?)"),
    ("not_ilike", b.not_ilike("X%"), "lower(t.b) NOT LIKE lower(:b_1)",
     "lower(t.b) NOT LIKE lower(?)"),
    ("contains", b.contains("x"), "t.b LIKE '%' || :b_1 || '%'", "t.b LIKE '%' || ? || '%'"),
    ("startswith", b.startswith("x"), "t.b LIKE :b_1 || '%'", "t.b LIKE ? || '%'"),
    ("endswith", b.endswith("x"), "t.b LIKE '%' || :b_1", "t.b LIKE '%' || ?"),
    ("contains_autoescape", b.contains("5%", autoescape=True),
     "t.b LIKE '%' || :b_1 || '%' ESCAPE '/'", "t.b LIKE '%' || ? || '%' ESCAPE '/'"),
    ("not_startswith", ~b.startswith("x"), "t.b NOT LIKE :b_1 || '%'",
     "t.b NOT LIKE ? || '%'"),
    ("collate", b.collate("NOCASE") == "x", "t.b COLLATE NOCASE = :param_1",
     "t.b COLLATE NOCASE = ?"),
    ("collate_fn", collate(b, "en-US"), 't.b COLLATE "en-US"', 't.b COLLATE "en-US"'),
    # ordering modifiers
    ("desc", a.desc(), "t.a DESC", "t.a DESC"),
    ("asc_fn", asc(a), "t.a ASC", "t.a ASC"),
    ("nulls_first", nulls_first(a.desc()), "t.a DESC NULLS FIRST", "t.a DESC NULLS FIRST"),
    ("nulls_last", a.asc().nulls_last(), "t.a ASC NULLS LAST", "t.a ASC NULLS LAST"),
    ("distinct", distinct(a), "DISTINCT t.a", "DISTINCT t.a"),
    # literals, casts, CASE
    ("literal", literal(5), ":param_1", "?"),
    ("literal_column", literal_column("max(a)") + 1, "max(a) + :param_1", "max(a) + ?"),
    ("null", a == null(), "t.a IS NULL", "t.a IS NULL"),
    ("true", true(), "1", "1"),
    ("cast", cast(a, String(10)), "CAST(t.a AS VARCHAR(10))", "CAST(t.a AS VARCHAR(10))"),
    ("cast_method", a.cast(String), "CAST(t.a AS VARCHAR)", "CAST(t.a AS VARCHAR)"),
    ("type_coerce", type_coerce(a, String), "t.a", "t.a"),
    ("case", case((a > 5, "big"), (a > 1, "mid"), else_="small"),
     "CASE WHEN t.a > :a_1 THEN :param_1 WHEN t.a > :a_2 THEN :param_2 ELSE :param_3 END",
     "CASE WHEN t.a > ? THEN ? WHEN t.a > ? THEN ? ELSE ? END"),
    ("case_value", case({1: "one", 2: "two"}, value=a),
     "CASE t.a WHEN :a_1 THEN :param_1 WHEN :a_2 THEN :param_2 END",
     "CASE t.a WHEN ? THEN ? WHEN ? THEN ? END"),
    ("label", (a + 1).label("next"), "t.a + :a_1", "t.a + ?"),
    ("extract", extract("year", a), "EXTRACT(year FROM t.a)",
     "CAST(STRFTIME('%Y', t.a) AS INTEGER)"),
    ("char_length", func.char_length(b), "char_length(t.b)", "length(t.b)"),
    # functions
    ("count_star", func.count(), "count(*)", "count(*)"),
    ("count_col", func.count(a), "count(t.a)", "count(t.a)"),
    ("count_distinct", func.count(distinct(a)), "count(DISTINCT t.a)", "count(DISTINCT t.a)"),
    ("count_func_distinct", func.count(func.distinct(a)), "count(distinct(t.a))",
     "count(distinct(t.a))"),
    ("fn_args", func.coalesce(a, 0), "coalesce(t.a, :coalesce_1)", "coalesce(t.a, ?)"),
    ("fn_any", func.date_trunc("day", a), "date_trunc(:date_trunc_1, t.a)",
     "date_trunc(?, t.a)"),
    ("fn_package", func.pkg.fn(a), "pkg.fn(t.a)", "pkg.fn(t.a)"),
    ("fn_desc", func.count(a).desc(), "count(t.a) DESC", "count(t.a) DESC"),
    ("fn_compare", func.count(a) > 5, "count(t.a) > :count_1", "count(t.a) > ?"),
    ("now", func.now(), "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"),
    ("current_date", func.current_date(), "CURRENT_DATE", "CURRENT_DATE"),
    ("lower", func.lower(b), "lower(t.b)", "lower(t.b)"),
    ("over", func.row_number().over(partition_by=b, order_by=a.desc()),
     "row_number() OVER (PARTITION BY t.b ORDER BY t.a DESC)",
     "row_number() OVER (PARTITION BY t.b ORDER BY t.a DESC)"),
    ("over_rows", func.sum(a).over(order_by=a, rows=(None, 0)),
     "sum(t.a) OVER (ORDER BY t.a ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
     "sum(t.a) OVER (ORDER BY t.a ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"),
    ("over_range", over(func.sum(a), order_by=[a, b], range_=(-2, 3)),
     "sum(t.a) OVER (ORDER BY t.a, t.b RANGE BETWEEN 2 PRECEDING AND 3 FOLLOWING)",
     "sum(t.a) OVER (ORDER BY t.a, t.b RANGE BETWEEN 2 PRECEDING AND 3 FOLLOWING)"),
    ("filter", func.count(a).filter(a > 1),
     "count(CASE WHEN t.a > :a_1 THEN t.a END)", "count(t.a) FILTER (WHERE t.a > ?)"),
    ("filter_star", func.count().filter(a > 1, b == "x"),
     "count(CASE WHEN t.a > :a_1 AND t.b = :b_1 THEN 1 END)",
     "count(*) FILTER (WHERE t.a > ? AND t.b = ?)"),
    ("within_group", within_group(func.percentile_cont(0.5), a.desc()),
     "percentile_cont(:percentile_cont_1) WITHIN GROUP (ORDER BY t.a DESC)",
     "percentile_cont(?) WITHIN GROUP (ORDER BY t.a DESC)"),
]


@pytest.fixture(scope="module")
def dialects() -> dict[str, Any]:
    engine = sqlwright.create_engine("sqlite://")
    return {"default": DefaultDialect(), "sqlite": engine.dialect}


@pytest.mark.parametrize(("expr", "default_sql", "sqlite_sql"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_compile(expr: Any, default_sql: str, sqlite_sql: str, dialects: dict[str, Any]) -> None:
    assert str(expr.compile(dialect=dialects["default"])) == default_sql
    assert str(expr.compile(dialect=dialects["sqlite"])) == sqlite_sql


LITERAL_CASES: list[tuple[str, Any, str]] = [
    ("int", a == 5, "t.a = 5"),
    ("string_quote", b == "O'Brien", "t.b = 'O''Brien'"),
    ("in_list", a.in_([1, 2]), "t.a IN (1, 2)"),
    ("between", a.between(1, 3), "t.a BETWEEN 1 AND 3"),
    ("none", a.is_(None), "t.a IS NULL"),
    ("case", case((a > 1, "x"), else_="y"), "CASE WHEN t.a > 1 THEN 'x' ELSE 'y' END"),
]


@pytest.mark.parametrize(("expr", "sql"), [c[1:] for c in LITERAL_CASES],
                         ids=[c[0] for c in LITERAL_CASES])
def test_literal_binds(expr: Any, sql: str) -> None:
    assert str(expr.compile(compile_kwargs={"literal_binds": True})) == sql


def test_bind_values_travel_as_parameters() -> None:
    compiled = ((a == 5) & b.in_(["x", "y"]) & b.contains("q")).compile()
    assert compiled.params == {"a_1": 5, "b_1": ["x", "y"], "b_2": "q"}


def test_autoescape_escapes_the_value() -> None:
    compiled = b.contains("5%_/x", autoescape=True).compile()
    assert compiled.params == {"b_1": "5/%/_//x"}


def test_types_of_expressions() -> None:
    assert isinstance((a + 1).type, Integer)
    assert isinstance((a == 1).type, Boolean)
    assert isinstance(a.in_([1]).type, Boolean)
    assert isinstance((b + "x").type, String)
    assert isinstance(func.count().type, Integer)
    assert isinstance(func.max(b).type, String)
    assert isinstance(func.sum(a).type, Integer)
    assert isinstance(cast(b, Integer).type, Integer)
    assert isinstance(type_coerce(a, String).type, String)
    assert isinstance(case((a > 1, "x")).type, String)
    assert isinstance(func.lower(b).type, String)
    assert isinstance(func.foo(a, type_=Integer).type, Integer)
    assert isinstance(a.op("@>", is_comparison=True)(b).type, Boolean)
    assert isinstance(literal(1.5).type, sqlwright.Float)


def test_cache_key_ignores_values_but_not_structure() -> None:
    def key(expr: Any) -> Any:
        return expr._generate_cache_key()

    assert key(a == 5) == key(a == 6)
    assert key(a.in_([1, 2])) == key(a.in_([3, 4, 5]))
    assert key(func.count(a).filter(a > 1)) == key(func.count(a).filter(a > 9))
    assert key(a == 5) != key(a > 5)
    assert key(a == 5) != key(b == "5")
    assert key(a.in_([])) != key(a.in_([1]))
    assert key(func.sum(a).over(rows=(None, 0))) != key(func.sum(a).over(rows=(None, 1)))
    assert key(case((a > 1, "x"))) != key(case((a > 1, "x"), else_="y"))
    assert key(a.op("&")(1)) != key(a.op("|")(1))
    assert len(key(a.between(1, 2)).bindparams) == 2


def test_column_identity_comparisons_keep_python_semantics() -> None:
    # == / != between column objects answer by identity when Python needs a bool
    assert bool(a == a) is True and bool(a != a) is False
    assert bool(a == b) is False
    assert a in [b, a] and b not in [a]
    assert {a: 1, b: 2}[b] == 2


@pytest.mark.parametrize(("build", "message"), [
    (lambda: a.is_(5), "is_()"),
    (lambda: a.in_("abc"), "list of values"),
    (lambda: a.in_(5), "list of values"),
    (lambda: tuple_(a, b).in_([(1,)]), "tuples of 2"),
    (lambda: case(), "at least one WHEN"),
    (lambda: case({1: "x"}), "value="),
    (lambda: case((a > 1,)), "(condition, result)"),
    (lambda: func(), "function name"),
    (lambda: b.contains(a, autoescape=True), "literal string"),
    (lambda: and_("a = 1"), "text("),
    (lambda: over(func.rank(), rows=(1, 2), range_=(1, 2)), "not both"),
    (lambda: over(func.rank(), rows=5), "(start, end)"),
    (lambda: extract("year from", a), "field name"),
    (lambda: a["key"], "JSON"),
    (lambda: func.count().filter(), "criterion"),
])
def test_argument_errors(build: Any, message: str) -> None:
    with pytest.raises(exc.ArgumentError, match=None) as info:
        build()
    assert message in str(info.value)


def test_unknown_attribute_names_the_type() -> None:
    with pytest.raises(AttributeError, match="Integer"):
        a.no_such_method  # noqa: B018


def test_boolean_value_of_criteria_is_an_error() -> None:
    with pytest.raises(TypeError, match="and_"):
        bool(a > 1)


def test_regexp_without_support_is_a_clear_compile_error() -> None:
    with pytest.raises(exc.CompileError, match="supports_regexp"):
        str(b.regexp_match("^x"))


def test_nulls_ordering_is_emulated_without_support() -> None:
    dialect = DefaultDialect()
    dialect.features.supports_nulls_ordering = False  # type: ignore[misc]
    sql = str(nulls_last(a.desc()).compile(dialect=dialect))
    assert sql == "CASE WHEN t.a IS NULL THEN 1 ELSE 0 END, t.a DESC"


def test_anonymous_label_names_are_stable_per_statement() -> None:
    from sqlwright.sql.compiler import SQLCompiler

    lbl = (a + 1).label(None)
    compiler = SQLCompiler(DefaultDialect(), None)
    assert compiler.label_name(lbl) == compiler.label_name(lbl) == "anon_1"
    assert compiler.process(lbl, within_columns_clause=True) == "t.a + :a_1 AS anon_1"


def test_clause_element_protocol_is_accepted_everywhere() -> None:
    class Attribute:
        def __clause_element__(self) -> Any:
            return a

    wrapped = Attribute()
    assert str(and_(a == wrapped, b.in_(["x"]))) == "t.a = t.a AND t.b IN (__[EXPANDING_b_1])"
    assert str(func.max(wrapped)) == "max(t.a)"
    assert str(case((a > wrapped, wrapped))) == "CASE WHEN t.a > t.a THEN t.a END"
