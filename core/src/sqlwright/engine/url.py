"""Database URLs: parsing, building, rendering.

A :class:`URL` names a database and how to reach it:
``dialect[+driver]://[user[:password]@][host][:port][/database][?key=value&...]``.
It is an immutable value; the ``set`` / ``update_query_*`` methods return new URLs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, Union
from urllib.parse import parse_qsl, quote, quote_plus, unquote

from sqlwright.exc import ArgumentError

__all__ = ["URL", "make_url"]

QueryValue = Union[str, tuple[str, ...]]

_MASK = "***"

#: The form every URL string must have; quoted in parse errors.
_EXPECTED_FORM = "dialect[+driver]://[user[:password]@][host][:port][/database][?key=value&...]"

#: Query keys whose values are secrets: masked like the password when the URL is shown.
_SECRET_QUERY_KEYS = frozenset({"password", "passwd", "pwd", "sslpassword", "odbc_connect"})

_SCHEME = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9_.\-]*(?:\+[A-Za-z0-9_.\-]+)?)://(?P<rest>.*)\Z",
                     re.DOTALL)

# Used only to hide a password inside a string that could not be parsed, so it errs on the side
# of masking too much.
_PASSWORD_IN_TEXT = re.compile(r"(?P<head>://[^:/?@]*:)[^@]*(?P<tail>@)")

# "user:password@rest" where the password may hold '/' and '?' but not '@'.
_LENIENT_USERINFO = re.compile(r"(?P<user>[^:/?@]*):(?P<password>[^@]*)@(?P<after>.*)\Z", re.DOTALL)

# Characters left readable in a rendered database name (a file path, ":memory:", ...).
_DATABASE_SAFE = "/:@!$&'()*+,;=-._~\\"


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


class _QueryDict(Mapping[str, QueryValue]):
    """An immutable, hashable mapping of query parameters (name -> str or tuple of str)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[str, QueryValue] | None = None) -> None:
        self._data: dict[str, QueryValue] = dict(data or {})
        self._hash: int | None = None

    def __getitem__(self, key: str) -> QueryValue:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _QueryDict):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return repr(self._data)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_QueryDict, (self._data,))


def _query_value(name: str, value: object) -> QueryValue:
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ArgumentError(
        f"URL query parameter {name!r} has the value {value!r}; query values must be strings "
        f"or sequences of strings, e.g. {{{name!r}: {str(value)!r}}}."
    )


def _query_from_mapping(query: Mapping[str, object]) -> _QueryDict:
    if isinstance(query, _QueryDict):
        return query
    data: dict[str, QueryValue] = {}
    for name, value in query.items():
        if not isinstance(name, str):
            raise ArgumentError(f"URL query parameter names must be strings, got {name!r}.")
        data[name] = _query_value(name, value)
    return _QueryDict(data)


def _check_optional_str(field: str, value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ArgumentError(f"URL {field} must be a string or None, got {value!r}.")


def _check_port(port: object) -> int | None:
    if port is None:
        return None
    if isinstance(port, bool) or not isinstance(port, int):
        raise ArgumentError(f"URL port must be an integer or None, got {port!r}.")
    if not 0 <= port <= 65535:
        raise ArgumentError(f"URL port {port} is out of range; use a port between 0 and 65535.")
    return port


class URL(NamedTuple):
    """An immutable database URL.

    Build one with :meth:`URL.create` or :func:`make_url`; derive new ones with :meth:`set` and
    the ``update_query_*`` methods. Two URLs are equal (and hash equal) when all their fields are.
    ``str()`` and ``repr()`` show the password (and secret query values) as ``***``; use
    ``render_as_string(hide_password=False)`` to get a string a driver can connect with.
    """

    drivername: str
    username: str | None
    password: str | None
    host: str | None
    port: int | None
    database: str | None
    query: Mapping[str, QueryValue]

    @classmethod
    def create(
        cls,
        drivername: str,
        username: str | None = None,
        password: str | None = None,
        host: str | None = None,
        port: int | None = None,
        database: str | None = None,
        query: Mapping[str, Sequence[str] | str] = {},
    ) -> URL:
        """Return a URL from its parts, validated.

        ``query`` maps names to a string, or to a sequence of strings for a repeated name.
        Raises :class:`~sqlwright.exc.ArgumentError` when a part has the wrong type or the port
        is out of range. Values are taken as they are: no percent-decoding happens here.
        """
        if not isinstance(drivername, str) or not drivername:
            raise ArgumentError(
                f"URL drivername must be a non-empty string such as 'postgresql' or "
                f"'mysql+pymysql', got {drivername!r}."
            )
        return cls(
            drivername,
            _check_optional_str("username", username),
            _check_optional_str("password", password),
            _check_optional_str("host", host),
            _check_port(port),
            _check_optional_str("database", database),
            _query_from_mapping(query),
        )

    # -- names ------------------------------------------------------------------------------

    def get_backend_name(self) -> str:
        """Return the database part of ``drivername``: ``"postgresql"`` for
        ``postgresql+psycopg2``."""
        return self.drivername.partition("+")[0]

    def get_driver_name(self) -> str:
        """Return the driver part of ``drivername``, or ``""`` when none was given (the dialect
        registry then picks the database's default driver)."""
        return self.drivername.partition("+")[2]

    # -- derived URLs -----------------------------------------------------------------------

    def set(
        self,
        *,
        drivername: str = _MISSING,
        username: str | None = _MISSING,
        password: str | None = _MISSING,
        host: str | None = _MISSING,
        port: int | None = _MISSING,
        database: str | None = _MISSING,
        query: Mapping[str, Sequence[str] | str] = _MISSING,
    ) -> URL:
        """Return a copy with the given fields replaced (validated as in :meth:`create`)."""
        given = {
            "drivername": drivername, "username": username, "password": password, "host": host,
            "port": port, "database": database, "query": query,
        }
        current = self._asdict()
        current.update({k: v for k, v in given.items() if v is not _MISSING})
        return URL.create(**current)

    def update_query_pairs(
        self, key_value_pairs: Iterable[tuple[str, str | Sequence[str]]], append: bool = False
    ) -> URL:
        """Return a copy with the given query parameters set.

        A name given several times collects its values into a tuple. With ``append=False`` a
        name already in the URL is replaced; with ``append=True`` the new values are added after
        the existing ones.
        """
        new: dict[str, list[str]] = {}
        for name, value in key_value_pairs:
            checked = _query_value(name, value)
            values = [checked] if isinstance(checked, str) else list(checked)
            new.setdefault(name, []).extend(values)
        merged: dict[str, QueryValue] = dict(self.query)
        for name, values in new.items():
            if append and name in merged:
                existing = merged[name]
                values = ([existing] if isinstance(existing, str) else list(existing)) + values
            merged[name] = values[0] if len(values) == 1 else tuple(values)
        return self._replace(query=_QueryDict(merged))

    def update_query_dict(
        self, query_parameters: Mapping[str, str | Sequence[str]], append: bool = False
    ) -> URL:
        """Return a copy with the parameters of the mapping set (see
        :meth:`update_query_pairs` for ``append``)."""
        return self.update_query_pairs(query_parameters.items(), append=append)

    def update_query_string(self, query_string: str, append: bool = False) -> URL:
        """Return a copy with the parameters of ``"a=1&b=2"`` set; names and values are
        percent-decoded (see :meth:`update_query_pairs` for ``append``)."""
        return self.update_query_pairs(
            parse_qsl(query_string.lstrip("?"), keep_blank_values=True), append=append
        )

    def difference_update_query(self, names: Iterable[str]) -> URL:
        """Return a copy without the named query parameters (names not present are ignored)."""
        drop = set(names)
        if not drop.intersection(self.query):
            return self
        kept = {k: v for k, v in self.query.items() if k not in drop}
        return self._replace(query=_QueryDict(kept))

    def translate_connect_args(
        self, names: Sequence[str] | None = None, **kw: str
    ) -> dict[str, Any]:
        """Return ``host``, ``database``, ``username``, ``password`` and ``port`` as a dict of
        connect arguments, leaving out the ones that are None.

        Keywords rename an entry (``username="user"`` gives the key ``"user"``). ``names``
        renames positionally, in the order host, database, username, password, port.
        """
        attributes = ("host", "database", "username", "password", "port")
        renames = dict(zip(attributes, names or ()))
        unknown = set(kw) - set(attributes)
        if unknown:
            raise ArgumentError(
                f"translate_connect_args() got unknown names {sorted(unknown)}; rename only "
                f"{', '.join(attributes)}."
            )
        renames.update(kw)
        args: dict[str, Any] = {}
        for attribute in attributes:
            value = getattr(self, attribute)
            if value is not None:
                args[renames.get(attribute, attribute)] = value
        return args

    # -- rendering --------------------------------------------------------------------------

    def render_as_string(self, hide_password: bool = True) -> str:
        """Return the URL as a string that :func:`make_url` parses back to an equal URL.

        Username, password, database and query are percent-encoded where needed. With
        ``hide_password`` (the default) the password and secret query values (``password``,
        ``pwd``, ...) show as ``***``.
        """
        parts = [self.drivername, "://"]
        if self.username is not None:
            parts.append(quote(self.username, safe=""))
            if self.password is not None:
                parts.append(":" + (_MASK if hide_password else quote(self.password, safe="")))
            parts.append("@")
        if self.host is not None:
            parts.append(f"[{self.host}]" if ":" in self.host else self.host)
        if self.port is not None:
            parts.append(f":{self.port}")
        if self.database is not None:
            parts.append("/" + quote(self.database, safe=_DATABASE_SAFE))
        if self.query:
            parts.append("?" + self._render_query(hide_password))
        return "".join(parts)

    def _render_query(self, hide_secrets: bool) -> str:
        pairs = []
        for name, value in self.query.items():
            values = (value,) if isinstance(value, str) else value
            for item in values:
                shown = _MASK if hide_secrets and name.lower() in _SECRET_QUERY_KEYS else item
                pairs.append(f"{quote_plus(name)}={quote_plus(shown, safe='*')}")
        return "&".join(pairs)

    def __str__(self) -> str:
        return self.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return self.render_as_string(hide_password=True)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, URL) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return tuple.__hash__(self)


def _masked(text: str) -> str:
    return _PASSWORD_IN_TEXT.sub(lambda m: f"{m['head']}{_MASK}{m['tail']}", text)


def _parse_error(text: str, problem: str) -> ArgumentError:
    return ArgumentError(
        f"Could not parse the database URL {_masked(text)!r}: {problem}. "
        f"Expected the form {_EXPECTED_FORM}, e.g. 'postgresql://scott:tiger@localhost:5432/test' "
        f"or 'sqlite:///path/to/file.db'; percent-encode special characters in the user name "
        f"and password ('@' as %40, '/' as %2F, ':' as %3A)."
    )


def _parse_host_port(hostport: str) -> tuple[str | None, int | None]:
    """Split ``host[:port]`` / ``[ipv6][:port]``; raise ValueError describing the problem."""
    if hostport.startswith("["):
        end = hostport.find("]")
        if end == -1:
            raise ValueError(f"the IPv6 host {hostport!r} has no closing ']'")
        host, after = hostport[1:end], hostport[end + 1:]
        if after and not after.startswith(":"):
            raise ValueError(f"unexpected {after!r} after the IPv6 host [{host}]")
        port_text = after[1:] if after else ""
    else:
        host, _, port_text = hostport.partition(":")
        if ":" in port_text:
            raise ValueError(f"the host {hostport!r} has more than one ':'; write IPv6 addresses "
                             f"in brackets, e.g. [::1]:5432")
    if not port_text:
        return (host or None), None
    if not (port_text.isascii() and port_text.isdigit()):
        raise ValueError(f"the port {port_text!r} is not an integer")
    port = int(port_text)
    if port > 65535:
        raise ValueError(f"the port {port} is out of range (0-65535)")
    return (host or None), port


def _parse_query(query_text: str) -> dict[str, QueryValue]:
    """Parse ``a=1&b=2``; raise ValueError describing the problem."""
    try:
        pairs = parse_qsl(query_text, keep_blank_values=True, strict_parsing=bool(query_text))
    except ValueError:
        raise ValueError(f"the query {query_text!r} is not of the form key=value&key=value") \
            from None
    collected: dict[str, list[str]] = {}
    for name, value in pairs:
        collected.setdefault(name, []).append(value)
    return {k: v[0] if len(v) == 1 else tuple(v) for k, v in collected.items()}


def _parse_after_scheme(text: str, drivername: str, rest: str, lenient: bool) -> URL:
    rest, has_query, query_text = rest.partition("?")
    authority, slash, path = rest.partition("/")
    username = password = None
    if "@" in authority:
        userinfo, _, authority = authority.rpartition("@")
        raw_user, has_password, raw_password = userinfo.partition(":")
        username = unquote(raw_user)
        password = unquote(raw_password) if has_password else None
    try:
        host, port = _parse_host_port(authority)
        query = _parse_query(query_text) if has_query else {}
    except ValueError as problem:
        if lenient:
            raise
        raise _parse_error(text, str(problem)) from None
    database = unquote(path) if slash and path else None
    return URL(drivername, username, password, host, port, database, _QueryDict(query))


def _parse(text: str) -> URL:
    match = _SCHEME.match(text.strip())
    if match is None:
        raise _parse_error(text, "it does not start with 'dialect://' or 'dialect+driver://'")
    drivername, rest = match["name"], match["rest"]
    # A password holding an unencoded '/' or '?' ends the host part early and leaves
    # "user:pass" looking like "host:port"; when that reading fails, read up to the '@' as
    # user:password instead (never echoing the would-be port, which is part of the password).
    userinfo = _LENIENT_USERINFO.match(rest)
    try:
        return _parse_after_scheme(text, drivername, rest, lenient=userinfo is not None)
    except ValueError:
        assert userinfo is not None
    url = _parse_after_scheme(text, drivername, userinfo["after"], lenient=False)
    return url._replace(username=unquote(userinfo["user"]),
                        password=unquote(userinfo["password"]))


def make_url(name_or_url: str | URL) -> URL:
    """Return a :class:`URL` for a URL string, or the URL itself when given one.

    Parses ``dialect[+driver]://[user[:password]@][host][:port][/database][?key=value&...]``.
    User name, password, database and query are percent-decoded (``+`` in the query is a
    space). IPv6 hosts go in brackets. SQLite forms: ``sqlite://`` and ``sqlite:///:memory:``
    (in memory), ``sqlite:///relative.db``, ``sqlite:////absolute/path.db``,
    ``sqlite:///file:data.db?mode=ro&uri=true``. Raises :class:`~sqlwright.exc.ArgumentError`
    for a string that does not have that form, quoting it with the password masked.
    """
    if isinstance(name_or_url, URL):
        return name_or_url
    if not isinstance(name_or_url, str):
        raise ArgumentError(
            f"make_url() expects a URL string or a URL object, got {type(name_or_url).__name__}."
        )
    return _parse(name_or_url)
