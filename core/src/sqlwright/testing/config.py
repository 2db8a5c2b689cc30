"""Which database the conformance suite runs on, per test folder, and that database's life cycle.

A test folder opts in by declaring, in its ``conftest.py`` or in the test module itself::

    sqlwright_dialect = "postgresql"                      # the --dburi / env var that applies
    sqlwright_dburi = "postgresql://postgres@localhost/test"   # optional default

The URL a folder runs on is, first found: a ``--dburi`` whose backend is the declared dialect,
the environment variable named by :func:`env_var_for`, the declared default. A folder that
declares a dialect but ends up with no URL is *not run*: the plugin reports it in the summary.

One :class:`SuiteTarget` exists per (dialect, URL) in a pytest run. Before the first test it is
*prepared*: it connects, creates a fresh database for the run (when the plugin's provision.py
can) and the test schema, and keeps a connected dialect whose Features flags answer
``requires`` markers. After the run it drops what it created.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlwright import exc
from sqlwright.engine.url import URL, make_url
from sqlwright.testing import provision

if TYPE_CHECKING:
    from sqlwright.dialects.base import Dialect

__all__ = [
    "DIALECT_DECLARATION",
    "DBURI_DECLARATION",
    "TMPDIR_PLACEHOLDER",
    "SuiteTarget",
    "env_var_for",
    "resolve_target",
]

#: Module attribute naming the dialect a folder's suite runs on.
DIALECT_DECLARATION = "sqlwright_dialect"
#: Module attribute giving the folder's default database URL.
DBURI_DECLARATION = "sqlwright_dburi"
#: Replaced in a declared default URL by a temporary directory that lives for the run.
TMPDIR_PLACEHOLDER = "{tmpdir}"

#: Environment variable name parts that differ from the upper-cased dialect name.
_ENV_ALIASES = {"postgresql": "PG"}


def env_var_for(dialect_name: str) -> str:
    """The environment variable holding a dialect's test URL, e.g. ``SQLWRIGHT_TEST_PG_URL``."""
    part = _ENV_ALIASES.get(dialect_name, dialect_name.upper().replace("-", "_"))
    return f"SQLWRIGHT_TEST_{part}_URL"


def _backend_of(url: str | URL) -> str:
    return make_url(url).get_backend_name()


class SuiteTarget:
    """One database the suite runs on in this pytest run.

    ``url`` is None when nothing configured one (the suite is then reported as not run).
    ``test_url`` (after :meth:`prepare`) is the URL tests connect to: a fresh per-run database
    when the plugin can create one, else ``url`` itself.
    """

    def __init__(self, dialect_name: str, url: URL | None, origin: str, *,
                 fresh_database: bool = True) -> None:
        self.dialect_name = dialect_name
        self.url = url
        self.origin = origin
        self.fresh_database = fresh_database
        self.run_id = f"sw_suite_{secrets.token_hex(4)}"
        self.test_url: URL | None = None
        self.test_schema: str | None = None
        self.dialect: Dialect | None = None
        self.error: str | None = None
        self.notes: list[str] = []
        self._prepared = False
        self._created_database: str | None = None
        self._dialect_cls: type[Dialect] | None = None

    # -- identity ---------------------------------------------------------------------------
    @property
    def key(self) -> tuple[str, str | None]:
        """What makes two folders share one target: the dialect and the URL."""
        rendered = None if self.url is None else self.url.render_as_string(hide_password=False)
        return (self.dialect_name, rendered)

    @property
    def runnable(self) -> bool:
        """True when a URL was configured (the suite runs, and fails if it cannot connect)."""
        return self.url is not None

    @property
    def label(self) -> str:
        """``postgresql 15.4`` once connected, else the dialect name."""
        if self.dialect is not None and self.dialect.server_version_info:
            version = ".".join(str(part) for part in self.dialect.server_version_info)
            return f"{self.dialect_name} {version}"
        return self.dialect_name

    def dialect_class(self) -> type[Dialect]:
        """The Dialect class of the URL (no connection needed); raises if none is configured."""
        if self._dialect_cls is None:
            from sqlwright.dialects import load

            if self.url is None:
                self._dialect_cls = load(self.dialect_name)
            else:
                self._dialect_cls = load(self.url.drivername)
        return self._dialect_cls

    # -- life cycle -------------------------------------------------------------------------
    def prepare(self) -> None:
        """Connect, provision the run's database and test schema; idempotent.

        Failures are not raised: they are kept in :attr:`error` for every test to report.
        """
        if self._prepared:
            return
        self._prepared = True
        if self.url is None:
            self.error = (f"No database URL is configured for the {self.dialect_name} suite; "
                          f"pass --dburi or set {env_var_for(self.dialect_name)}")
            return
        try:
            self._connect_check(self.url)
            self.test_url = self._provision_database(self.url)
            self.dialect = self._connect_check(self.test_url)
            self._provision_schema(self.test_url)
        except Exception as err:  # reported by every test of this target
            self.error = (
                f"The {self.dialect_name} test database is unreachable or could not be "
                f"provisioned at {self.url!r} (from {self.origin}): "
                f"({type(err).__name__}) {err}. Start the server, or point the suite at a "
                f"reachable one with --dburi URL or {env_var_for(self.dialect_name)}.")

    def _connect_check(self, url: URL) -> Dialect:
        from sqlwright import create_engine
        from sqlwright.pool import NullPool

        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.connect():
                pass
        finally:
            engine.dispose()
        return engine.dialect

    def _provision_database(self, url: URL) -> URL:
        if not self.fresh_database:
            return url
        created = provision.create_test_database(self.dialect_class(), url, self.run_id)
        if created is None:
            return url
        self._created_database = self.run_id
        self.notes.append(f"ran in the fresh database {self.run_id}")
        return created

    def _provision_schema(self, url: URL) -> None:
        assert self.dialect is not None
        if not self.dialect.features.supports_schemas:
            return
        name = f"{self.run_id}_s"
        if provision.create_test_schema(self.dialect_class(), url, name):
            self.test_schema = name

    def cleanup(self) -> list[str]:
        """Drop the run's schema and database; returns problems met (never raises)."""
        problems: list[str] = []
        if self.test_url is None:
            return problems
        cls = self.dialect_class()
        if self.test_schema is not None:
            try:
                provision.drop_test_schema(cls, self.test_url, self.test_schema)
            except Exception as err:
                problems.append(f"could not drop test schema {self.test_schema}: {err}")
        if self._created_database is not None and self.url is not None:
            try:
                provision.drop_test_database(cls, self.url, self._created_database)
            except Exception as err:
                problems.append(f"could not drop database {self._created_database}: {err}")
        return problems

    def flag_values(self) -> dict[str, Any]:
        """Every Features flag of the connected dialect (empty before a connection)."""
        if self.dialect is None:
            return {}
        features = self.dialect.features
        return {name: getattr(features, name) for name in features.flag_names()}

    def __repr__(self) -> str:
        where = "not configured" if self.url is None else repr(self.url)
        return f"<SuiteTarget {self.dialect_name} {where}>"


def resolve_target(declared_dialect: str | None, declared_dburi: str | None,
                   dburi_options: Sequence[str], environ: Mapping[str, str] | None = None,
                   *, tmpdir: str = "", where: str = "the conftest",
                   fresh_database: bool = True) -> SuiteTarget | None:
    """Decide which database a folder's tests run on; None when nothing applies to it.

    ``declared_*`` come from the folder's declarations, ``dburi_options`` from ``--dburi``.
    """
    env = os.environ if environ is None else environ
    if declared_dialect is None and declared_dburi is not None:
        declared_dialect = _backend_of(declared_dburi)
    if declared_dialect is None:
        if not dburi_options:
            return None
        if len(dburi_options) > 1:
            raise exc.ArgumentError(
                f"Several --dburi values were given but {where} does not say which applies: "
                f"add `{DIALECT_DECLARATION} = \"<name>\"` to it")
        return SuiteTarget(_backend_of(dburi_options[0]), make_url(dburi_options[0]),
                           "--dburi", fresh_database=fresh_database)
    matching = [u for u in dburi_options if _backend_of(u) == declared_dialect]
    if len(matching) > 1:
        raise exc.ArgumentError(
            f"Several --dburi values name the {declared_dialect} dialect; give one")
    env_var = env_var_for(declared_dialect)
    if matching:
        url, origin = make_url(matching[0]), "--dburi"
    elif env.get(env_var):
        url, origin = make_url(env[env_var]), f"${env_var}"
    elif declared_dburi:
        url = make_url(declared_dburi.replace(TMPDIR_PLACEHOLDER, tmpdir))
        origin = f"the default in {where}"
    else:
        return SuiteTarget(declared_dialect, None, f"nothing (set {env_var})",
                           fresh_database=fresh_database)
    if url.get_backend_name() != declared_dialect:
        raise exc.ArgumentError(
            f"{where} declares the {declared_dialect} dialect but its URL from {origin} is "
            f"for {url.get_backend_name()}; fix one of them")
    return SuiteTarget(declared_dialect, url, origin, fresh_database=fresh_database)
