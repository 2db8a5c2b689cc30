"""sqlwright.engine.url: parsing, building and rendering database URLs."""

from __future__ import annotations

import pickle

import pytest

from sqlwright.engine.url import URL, make_url
from sqlwright.exc import ArgumentError

# string -> (drivername, username, password, host, port, database, query)
PARSE_CASES = [
    ("sqlite://", ("sqlite", None, None, None, None, None, {})),
    ("sqlite:///:memory:", ("sqlite", None, None, None, None, ":memory:", {})),
    ("sqlite:///relative/path.db", ("sqlite", None, None, None, None, "relative/path.db", {})),
    ("sqlite:////absolute/path.db", ("sqlite", None, None, None, None, "/absolute/path.db", {})),
    ("sqlite:///file:data.db?mode=ro&uri=true",
     ("sqlite", None, None, None, None, "file:data.db", {"mode": "ro", "uri": "true"})),
    ("sqlite:////tmp/a@b.db", ("sqlite", None, None, None, None, "/tmp/a@b.db", {})),
    ("postgresql://user:password@localhost:5432/dbname",
     ("postgresql", "user", "password", "localhost", 5432, "dbname", {})),
    ("postgresql+psycopg2://scott@db.example.com/test",
     ("postgresql+psycopg2", "scott", None, "db.example.com", None, "test", {})),
    ("mysql+pymysql://root:@127.0.0.1:3306/test",
     ("mysql+pymysql", "root", "", "127.0.0.1", 3306, "test", {})),
    ("postgresql://localhost", ("postgresql", None, None, "localhost", None, None, {})),
    ("postgresql://[::1]:5432/test", ("postgresql", None, None, "::1", 5432, "test", {})),
    ("postgresql://u:p@[2001:db8::7]/test",
     ("postgresql", "u", "p", "2001:db8::7", None, "test", {})),
    ("postgresql://sc%40tt:p%40ss%2Fw%3Ard@host/my%20db",
     ("postgresql", "sc@tt", "p@ss/w:rd", "host", None, "my db", {})),
    # unencoded specials that can still be read unambiguously
    ("postgresql://u:p@ss@host/db", ("postgresql", "u", "p@ss", "host", None, "db", {})),
    ("postgresql://u:pa:ss@host/db", ("postgresql", "u", "pa:ss", "host", None, "db", {})),
    ("postgresql://u:se/cr?et@host:6432/db?sslmode=require",
     ("postgresql", "u", "se/cr?et", "host", 6432, "db", {"sslmode": "require"})),
    ("postgresql://host:5432/db?email=a@b.example",
     ("postgresql", None, None, "host", 5432, "db", {"email": "a@b.example"})),
    ("mssql+pyodbc://user:password@localhost/dbname?driver=ODBC+Driver+17+for+SQL+Server",
     ("mssql+pyodbc", "user", "password", "localhost", None, "dbname",
      {"driver": "ODBC Driver 17 for SQL Server"})),
    ("postgresql://h/db?opt=a&opt=b&x=%26%3D",
     ("postgresql", None, None, "h", None, "db", {"opt": ("a", "b"), "x": "&="})),
    ("oracle+oracledb://u:p@h:1521/?service_name=XEPDB1",
     ("oracle+oracledb", "u", "p", "h", 1521, None, {"service_name": "XEPDB1"})),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES, ids=[c[0] for c in PARSE_CASES])
def test_make_url_parses(text: str, expected: tuple) -> None:
    url = make_url(text)
    assert tuple(url) == expected
    assert isinstance(url.port, (int, type(None)))


@pytest.mark.parametrize("text", [c[0] for c in PARSE_CASES])
def test_render_with_password_parses_back_to_equal_url(text: str) -> None:
    url = make_url(text)
    assert make_url(url.render_as_string(hide_password=False)) == url


def test_make_url_returns_url_objects_unchanged() -> None:
    url = make_url("sqlite://")
    assert make_url(url) is url


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("not a url", "does not start with 'dialect://'"),
        ("postgresql:/localhost/db", "does not start with"),
        ("postgresql://localhost:port/db", "the port 'port' is not an integer"),
        ("postgresql://localhost:99999/db", "out of range"),
        ("postgresql://[::1/db", "no closing ']'"),
        ("postgresql://::1:5432/db", "IPv6 addresses in brackets"),
        ("postgresql://h/db?a&&b", "key=value"),
    ],
)
def test_make_url_rejects_bad_strings_with_expected_form(text: str, fragment: str) -> None:
    with pytest.raises(ArgumentError) as info:
        make_url(text)
    message = str(info.value)
    assert fragment in message
    assert "dialect[+driver]://[user[:password]@][host][:port][/database]" in message
    assert repr(text) in message  # the offending string is quoted


def test_parse_error_masks_the_password() -> None:
    with pytest.raises(ArgumentError) as info:
        make_url("postgresql://scott:tiger123@localhost:badport/test")
    message = str(info.value)
    assert "tiger123" not in message
    assert "postgresql://scott:***@localhost:badport/test" in message
    assert "'badport'" in message


def test_parse_error_never_shows_a_password_fragment_as_port() -> None:
    # "se" would look like a port if the '/' inside the password ended the host part
    with pytest.raises(ArgumentError) as info:
        make_url("postgresql://u:se/cret@host:nope/db")
    message = str(info.value)
    assert "cret" not in message
    assert "'nope'" in message


def test_make_url_rejects_non_strings() -> None:
    with pytest.raises(ArgumentError, match="URL string or a URL object"):
        make_url(42)  # type: ignore[arg-type]


def test_create_builds_and_validates() -> None:
    url = URL.create("postgresql+psycopg2", username="scott", password="tiger",
                     host="localhost", port=5432, database="test",
                     query={"sslmode": "require", "options": ["a", "b"]})
    assert url.drivername == "postgresql+psycopg2"
    assert url.port == 5432
    assert url.query == {"sslmode": "require", "options": ("a", "b")}
    assert url == make_url(url.render_as_string(hide_password=False))
    with pytest.raises(ArgumentError, match="port must be an integer"):
        URL.create("postgresql", port="5432")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="non-empty string"):
        URL.create("")
    with pytest.raises(ArgumentError, match="query values must be strings"):
        URL.create("postgresql", query={"timeout": 5})  # type: ignore[dict-item]
    with pytest.raises(ArgumentError, match="out of range"):
        URL.create("postgresql", port=70000)


def test_query_is_immutable() -> None:
    url = make_url("sqlite:///x.db?a=1")
    with pytest.raises(TypeError):
        url.query["a"] = "2"  # type: ignore[index]
    with pytest.raises(AttributeError):
        url.database = "y.db"  # type: ignore[misc]


def test_backend_and_driver_names() -> None:
    assert make_url("postgresql+psycopg2://h/db").get_backend_name() == "postgresql"
    assert make_url("postgresql+psycopg2://h/db").get_driver_name() == "psycopg2"
    assert make_url("postgresql://h/db").get_driver_name() == ""
    assert make_url("sqlite://").get_backend_name() == "sqlite"


def test_password_never_in_str_or_repr() -> None:
    url = make_url("postgresql://scott:s3cr%40t@localhost/test?password=other&sslmode=x")
    for shown in (str(url), repr(url), f"{url}", str([url]), str({"u": url})):
        assert "s3cr" not in shown
        assert "other" not in shown
    assert str(url) == "postgresql://scott:***@localhost/test?password=***&sslmode=x"
    assert repr(url) == str(url)
    assert url.render_as_string(hide_password=False) == (
        "postgresql://scott:s3cr%40t@localhost/test?password=other&sslmode=x"
    )


def test_render_percent_encodes() -> None:
    url = URL.create("mysql+pymysql", username="us:er", password="p@ss/w?rd", host="h",
                     database="my db?", query={"init": "SET a=1&b"})
    rendered = url.render_as_string(hide_password=False)
    assert rendered == "mysql+pymysql://us%3Aer:p%40ss%2Fw%3Frd@h/my%20db%3F?init=SET+a%3D1%26b"
    assert make_url(rendered) == url


def test_render_ipv6_host_in_brackets() -> None:
    url = URL.create("postgresql", host="::1", port=5432, database="d")
    assert str(url) == "postgresql://[::1]:5432/d"


def test_equality_and_hash_by_value() -> None:
    a = make_url("postgresql://u:p@h:1/d?x=1&y=2")
    b = make_url("postgresql://u:p@h:1/d?y=2&x=1")
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != make_url("postgresql://u:other@h:1/d?x=1&y=2")
    assert a != tuple(a)  # a URL equals only URLs


def test_pickle_roundtrip() -> None:
    url = make_url("postgresql://u:p@h:1/d?x=1&x=2")
    assert pickle.loads(pickle.dumps(url)) == url


def test_set_replaces_fields_and_validates() -> None:
    url = make_url("postgresql://u:p@h/d")
    changed = url.set(drivername="postgresql+psycopg2", port=6543, password=None)
    assert tuple(changed) == ("postgresql+psycopg2", "u", None, "h", 6543, "d", {})
    assert url.port is None  # the original is untouched
    assert url.set(query={"a": "1"}).query == {"a": "1"}
    with pytest.raises(ArgumentError):
        url.set(port="x")  # type: ignore[arg-type]


def test_update_query_dict_replace_and_append() -> None:
    url = make_url("postgresql://h/d?a=1&b=2")
    assert url.update_query_dict({"a": "9", "c": "3"}).query == {"a": "9", "b": "2", "c": "3"}
    appended = url.update_query_dict({"a": "9", "c": ["3", "4"]}, append=True)
    assert appended.query == {"a": ("1", "9"), "b": "2", "c": ("3", "4")}
    assert url.query == {"a": "1", "b": "2"}


def test_update_query_string_and_pairs() -> None:
    url = make_url("sqlite:///x.db")
    with_string = url.update_query_string("mode=ro&uri=true&name=a+b")
    assert with_string.query == {"mode": "ro", "uri": "true", "name": "a b"}
    with_pairs = url.update_query_pairs([("k", "1"), ("k", "2"), ("j", "x")])
    assert with_pairs.query == {"k": ("1", "2"), "j": "x"}
    again = with_pairs.update_query_pairs([("k", "3")], append=True)
    assert again.query["k"] == ("1", "2", "3")
    assert with_pairs.update_query_pairs([("k", "3")]).query["k"] == "3"


def test_difference_update_query() -> None:
    url = make_url("postgresql://h/d?a=1&b=2&c=3")
    assert url.difference_update_query(["a", "c", "missing"]).query == {"b": "2"}
    assert url.difference_update_query(["missing"]) is url


def test_translate_connect_args() -> None:
    url = make_url("postgresql://scott:tiger@localhost:5432/test")
    assert url.translate_connect_args() == {
        "host": "localhost", "database": "test", "username": "scott", "password": "tiger",
        "port": 5432,
    }
    assert url.translate_connect_args(username="user", database="dbname") == {
        "host": "localhost", "dbname": "test", "user": "scott", "password": "tiger",
        "port": 5432,
    }
    assert make_url("sqlite:///app.db").translate_connect_args() == {"database": "app.db"}
    assert url.translate_connect_args(["hostaddr", "db"]) == {
        "hostaddr": "localhost", "db": "test", "username": "scott", "password": "tiger",
        "port": 5432,
    }
    with pytest.raises(ArgumentError, match="unknown names"):
        url.translate_connect_args(usr="x")
