"""The sqlwright pytest plugin: the database the conformance suite runs on, and its fixtures.

Opt in from a ``conftest.py`` with ``pytest_plugins = ["sqlwright.testing.plugin"]`` (or
``-p sqlwright.testing.plugin``). What it adds:

- options ``--dburi URL`` (repeatable, one per dialect), ``--capability-matrix PATH`` and
  ``--no-fresh-database``;
- fixtures ``dburi``, ``engine``, ``make_engine``, ``dialect``, ``connection``, ``metadata``,
  ``text_table`` and ``suite_schema``;
- ``suite_target(config, dialect_name, default_uri)`` for fixtures that use several databases;
- the marker ``@pytest.mark.requires("flag", ...)``: skip unless every named Features flag of
  the dialect is true; an unknown flag name fails the test;
- ``Features.known_failures``: those suite tests run as strict xfail;
- provisioning through the dialect plugin's provision.py before the first test, cleanup after;
- a summary line per database, and NOT RUN lines for dialects with no configured URL.

How a folder picks its database is described in :mod:`sqlwright.testing.config`; the user guide
is docs/conformance.md.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sqlwright import exc
from sqlwright.testing.config import (
    DBURI_DECLARATION,
    DIALECT_DECLARATION,
    TMPDIR_PLACEHOLDER,
    SuiteTarget,
    env_var_for,
    resolve_target,
)
from sqlwright.testing.matrix import MatrixColumn, render_matrix, summarize_counts
from sqlwright.testing.nplusone import nplusone  # noqa: F401 - the N+1 fixture

__all__ = [
    "connection",
    "dburi",
    "dialect",
    "engine",
    "make_engine",
    "metadata",
    "suite_schema",
    "suite_target",
    "text_table",
]

_REQUIRES_HELP = "requires(*flags): skip unless the dialect's Features flags are all true"


class _RunState:
    """Everything the plugin tracks for one pytest run."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.dburi_options: list[str] = list(config.getoption("dburi") or [])
        self.fresh_database = not config.getoption("no_fresh_database")
        self.targets: dict[Any, SuiteTarget] = {}
        self.by_declaration: dict[Any, SuiteTarget | None] = {}
        self.active: dict[Any, SuiteTarget] = {}
        self.shared: dict[Any, SuiteTarget] = {}  # asked for by suite_target(), cleaned up too
        self.not_run: dict[Any, int] = {}
        self.suite_items: dict[str, tuple[Any, str]] = {}
        self.outcomes: dict[str, str] = {}
        self.problems: list[str] = []
        self._tmpdir: str | None = None
        self._conftests: list[tuple[Path, ModuleType]] | None = None

    # -- where a test's database comes from ---------------------------------------------------
    @property
    def tmpdir(self) -> str:
        if self._tmpdir is None:
            self._tmpdir = tempfile.mkdtemp(prefix="sqlwright-suite-")
        return self._tmpdir

    def _conftest_modules(self) -> list[tuple[Path, ModuleType]]:
        if self._conftests is None:
            found = []
            for plugin in self.config.pluginmanager.get_plugins():
                filename = getattr(plugin, "__file__", None)
                if isinstance(plugin, ModuleType) and filename and \
                        os.path.basename(filename) == "conftest.py":
                    found.append((Path(filename).resolve().parent, plugin))
            # nearest first when searched from a test's folder upwards
            self._conftests = sorted(found, key=lambda pair: len(pair[0].parts), reverse=True)
        return self._conftests

    def _declared(self, item: pytest.Item, name: str) -> tuple[Any, str | None]:
        module = getattr(item, "module", None)
        if module is not None and getattr(module, name, None) is not None:
            return getattr(module, name), module.__file__
        path = Path(str(item.path)).resolve()
        for folder, conftest in self._conftest_modules():
            if folder in path.parents and getattr(conftest, name, None) is not None:
                return getattr(conftest, name), conftest.__file__
        return None, None

    def target_for(self, item: pytest.Item) -> SuiteTarget | None:
        """The database ``item`` runs on, or None when nothing configures one for it."""
        dialect_name, dialect_where = self._declared(item, DIALECT_DECLARATION)
        default_uri, uri_where = self._declared(item, DBURI_DECLARATION)
        where = _relative(dialect_where or uri_where or str(item.path))
        return self.resolve(dialect_name, default_uri, where)

    def resolve(self, dialect_name: str | None, default_uri: str | None,
                where: str) -> SuiteTarget | None:
        """The target of a declaration found in ``where``; one object per (dialect, URL)."""
        key = (dialect_name, default_uri, where)
        if key in self.by_declaration:
            return self.by_declaration[key]
        tmpdir = self.tmpdir if default_uri and TMPDIR_PLACEHOLDER in default_uri else ""
        try:
            target = resolve_target(dialect_name, default_uri, self.dburi_options,
                                    tmpdir=tmpdir, where=where,
                                    fresh_database=self.fresh_database)
        except exc.ArgumentError as err:
            raise pytest.UsageError(str(err)) from None
        if target is not None:
            target = self.targets.setdefault(target.key, target)
        self.by_declaration[key] = target
        return target

    # -- results ------------------------------------------------------------------------------
    def record(self, report: pytest.TestReport) -> None:
        if report.nodeid not in self.suite_items:
            return
        outcome = _outcome_of(report)
        if outcome is None:
            return
        previous = self.outcomes.get(report.nodeid)
        if previous in ("failed", "error") and outcome != "failed":
            return
        self.outcomes[report.nodeid] = outcome

    def counts(self, target_key: Any) -> dict[str, dict[str, int]]:
        per_module: dict[str, dict[str, int]] = {}
        for nodeid, (key, module) in self.suite_items.items():
            outcome = self.outcomes.get(nodeid)
            if key != target_key or outcome is None:
                continue
            module_counts = per_module.setdefault(module, {})
            module_counts[outcome] = module_counts.get(outcome, 0) + 1
        return per_module

    def cleanup(self) -> None:
        for target in {**self.shared, **self.active}.values():
            self.problems += [f"{target.dialect_name}: {p}" for p in target.cleanup()]
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    # -- run hooks (this object is registered as a plugin) ---------------------------------
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Attach each test's database; deselect tests of dialects with no URL (NOT RUN);
        turn known failures into strict xfails."""
        keep: list[pytest.Item] = []
        dropped: list[pytest.Item] = []
        checked: set[Any] = set()
        for item in items:
            target = self.target_for(item)
            item.stash[_TARGET] = target
            if target is None or "dburi" not in getattr(item, "fixturenames", ()):
                keep.append(item)
                continue
            if not target.runnable:
                self.not_run[target.key] = self.not_run.get(target.key, 0) + 1
                dropped.append(item)
                continue
            self.active[target.key] = target
            module = _suite_module(item)
            if module is not None and self._plugin_loads(target):
                if target.key not in checked:
                    _check_known_failures(target)
                    checked.add(target.key)
                self.suite_items[item.nodeid] = (target.key, module)
                item.extra_keyword_matches.add(module)  # so `-k test_transactions` works
                _mark_known_failure(item, target, module)
            keep.append(item)
        if dropped:
            self.config.hook.pytest_deselected(items=dropped)
            items[:] = keep

    @staticmethod
    def _plugin_loads(target: SuiteTarget) -> bool:
        try:
            target.dialect_class()
        except Exception:  # not installed: every test's dburi fixture reports it
            return False
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> None:
        """Provision every database the selected tests use, before the first test runs."""
        if not session.config.option.collectonly:
            for target in self.active.values():
                target.prepare()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count suite outcomes per database and suite module."""
        self.record(report)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Drop the provisioned databases and write the capability matrix."""
        self.cleanup()
        path = self.config.getoption("capability_matrix")
        if path:
            Path(path).write_text(self.render_matrix(), encoding="utf-8")

    def _reported_targets(self) -> list[SuiteTarget]:
        """The databases that ran (by name), then those that did not."""
        return sorted(self.targets.values(),
                      key=lambda t: (t.key not in self.active, t.dialect_name, str(t.key)))

    def render_matrix(self) -> str:
        """The capability and results matrix of this run, as Markdown."""
        columns = []
        flag_order: list[str] = []
        for target in self._reported_targets():
            if target.key in self.active:
                flags = target.flag_values()
                flag_order += [name for name in flags if name not in flag_order]
                columns.append(MatrixColumn(target.label, flags, self.counts(target.key),
                                            "" if flags else "unreachable"))
            elif target.key in self.not_run:
                columns.append(MatrixColumn(target.dialect_name, status="NOT RUN"))
        return render_matrix(columns, flag_order)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """One line per database the suite ran on, and a NOT RUN line per dialect it did not."""
        if not self.active and not self.not_run:
            return
        write = terminalreporter.write_line
        terminalreporter.section("sqlwright conformance suite")
        for target in self._reported_targets():
            if target.key in self.active:
                self._summarize(write, target)
            elif target.key in self.not_run:
                write(f"{target.dialect_name}: NOT RUN ({self.not_run[target.key]} tests): set "
                      f"{env_var_for(target.dialect_name)} or pass --dburi "
                      f"{target.dialect_name}://... to run them", yellow=True, bold=True)
        used = {t.url.get_backend_name() for t in self.targets.values()
                if t.url is not None and t.origin == "--dburi"}
        for uri in self.dburi_options:
            if _backend(uri) not in used:
                write(f"--dburi for {_backend(uri)} applied to no test folder", yellow=True)
        for problem in self.problems:
            write(f"cleanup: {problem}", yellow=True)
        path = self.config.getoption("capability_matrix")
        if path:
            write(f"capability matrix written to {path}")

    def _summarize(self, write: Callable[..., None], target: SuiteTarget) -> None:
        total: dict[str, int] = {}
        for counts in self.counts(target.key).values():
            for name, number in counts.items():
                total[name] = total.get(name, 0) + number
        notes = "".join(f"; {note}" for note in target.notes)
        bad = bool(target.error or total.get("failed") or total.get("error"))
        write(f"{target.label}: {summarize_counts(total)} ({target.url!r} from "
              f"{target.origin}{notes})", red=bad, green=not bad)
        if target.error:
            write(f"  {target.error}", red=True)


_STATE = pytest.StashKey[_RunState]()
_TARGET = pytest.StashKey["SuiteTarget | None"]()
_SUITE_PACKAGE = "sqlwright.testing.suite"


def _relative(filename: str) -> str:
    try:
        return os.path.relpath(filename)
    except ValueError:  # another drive on Windows
        return filename


def _outcome_of(report: pytest.TestReport) -> str | None:
    xfail = hasattr(report, "wasxfail")
    if report.when == "call":
        if report.passed:
            return "xpassed" if xfail else "passed"
        if report.skipped:
            return "xfailed" if xfail else "skipped"
        return "failed"
    if report.failed:
        return "error"
    if report.when == "setup" and report.skipped:
        return "xfailed" if xfail else "skipped"
    return None


def _state(config: pytest.Config) -> _RunState:
    return config.stash[_STATE]


def _backend(uri: str) -> str:
    from sqlwright.engine.url import make_url

    try:
        return make_url(uri).get_backend_name()
    except exc.ArgumentError:
        return uri.partition(":")[0]


# -- suite test ids ---------------------------------------------------------------------------
def _suite_module(item: pytest.Item) -> str | None:
    """``test_transactions`` for a test defined in sqlwright.testing.suite.test_transactions."""
    function = getattr(item, "function", None)
    module = getattr(function, "__module__", "") or ""
    if module.startswith(_SUITE_PACKAGE + "."):
        return module.rpartition(".")[2]
    return None


def _suite_ids(item: pytest.Item, module: str) -> tuple[str, str]:
    """The item's suite id with and without its parameters: ``test_types::test_x[Integer]``
    and ``test_types::test_x``."""
    in_module = item.nodeid.split("::", 1)[1]
    return f"{module}::{in_module}", f"{module}::{in_module.split('[', 1)[0]}"


def _all_suite_ids() -> set[str]:
    """Every test the suite defines, as ``module::test`` or ``module::Class::test``."""
    import importlib
    import pkgutil

    package = importlib.import_module(_SUITE_PACKAGE)
    ids: set[str] = set()
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"{_SUITE_PACKAGE}.{info.name}")
        for name, value in vars(module).items():
            if getattr(value, "__module__", None) != module.__name__:
                continue
            if name.startswith("test") and callable(value):
                ids.add(f"{info.name}::{name}")
            elif name.startswith("Test") and isinstance(value, type):
                ids.update(f"{info.name}::{name}::{method}" for method in vars(value)
                           if method.startswith("test"))
    return ids


def _check_known_failures(target: SuiteTarget) -> None:
    features_class = target.dialect_class().features_class
    known = _all_suite_ids()
    for reason, test_ids in features_class.known_failures.items():
        for test_id in test_ids:
            if test_id.split("[", 1)[0] not in known:
                close = difflib.get_close_matches(test_id, sorted(known), n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise pytest.UsageError(
                    f"{features_class.__name__}.known_failures[{reason!r}] lists {test_id!r}, "
                    f"which is no conformance suite test.{hint} Ids read '<suite module>::"
                    "<test name>', e.g. 'test_transactions::test_begin_block_commits'.")


def _mark_known_failure(item: pytest.Item, target: SuiteTarget, module: str) -> None:
    full_id, base_id = _suite_ids(item, module)
    for reason, test_ids in target.dialect_class().features_class.known_failures.items():
        if full_id in test_ids or base_id in test_ids:
            item.add_marker(pytest.mark.xfail(reason=f"known failure: {reason}", strict=True))
            return


# -- hooks ------------------------------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --dburi, --capability-matrix and --no-fresh-database."""
    group = parser.getgroup("sqlwright", "sqlwright conformance suite")
    group.addoption(
        "--dburi", action="append", default=[], metavar="URL",
        help="database URL for the conformance suite; repeat it for several dialects. A test "
             "folder uses the one whose backend matches its declared sqlwright_dialect.")
    group.addoption(
        "--capability-matrix", metavar="PATH", default=None,
        help="write a Markdown table of Features flags and suite results per database to PATH")
    group.addoption(
        "--no-fresh-database", action="store_true", default=False,
        help="run in the database the URL names instead of a fresh one created for the run")


def pytest_configure(config: pytest.Config) -> None:
    """Register the requires marker and the run's state (itself a plugin of run hooks)."""
    if not any(line.startswith("requires") for line in config.getini("markers")):
        config.addinivalue_line("markers", _REQUIRES_HELP)
    state = _RunState(config)
    config.stash[_STATE] = state
    config.pluginmanager.register(state, "sqlwright-suite-run")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Forget the run's state."""
    state = config.stash.get(_STATE, None)
    if state is not None and config.pluginmanager.is_registered(state):
        config.pluginmanager.unregister(state)


def suite_target(config: pytest.Config, dialect_name: str,
                 default_uri: str | None = None) -> SuiteTarget:
    """The run's database for ``dialect_name``, for fixtures of folders that use several.

    It is the database a folder declaring ``sqlwright_dialect = dialect_name`` and
    ``sqlwright_dburi = default_uri`` gets (``--dburi``, else the environment variable named by
    :func:`~sqlwright.testing.config.env_var_for`, else ``default_uri``), and the same object
    when such a folder runs too. Call :meth:`SuiteTarget.prepare` before use and check
    :attr:`SuiteTarget.error`; what it provisions is dropped at the end of the run. Raises
    ``pytest.UsageError`` when the options conflict.
    """
    state = _state(config)
    target = state.resolve(dialect_name, default_uri, f"suite_target({dialect_name!r})")
    assert target is not None  # a declared dialect always resolves
    state.shared.setdefault(target.key, target)
    return target


# -- fixtures ---------------------------------------------------------------------------------
def _target_of(request: pytest.FixtureRequest) -> SuiteTarget | None:
    node = request.node
    try:
        return node.stash[_TARGET]
    except KeyError:
        return _state(request.config).target_for(node)


@pytest.fixture
def dburi(request: pytest.FixtureRequest) -> Any:
    """The URL of this run's test database for the test's folder (provisioned, reachable).

    Fails (never skips) when the server cannot be reached or nothing configures a URL.
    """
    target = _target_of(request)
    if target is None:
        pytest.fail(
            "No database is configured for this test: pass --dburi URL, or declare "
            f"`{DIALECT_DECLARATION} = \"<name>\"` (and optionally `{DBURI_DECLARATION} = "
            "\"<default url>\"`) in the folder's conftest.py", pytrace=False)
    target.prepare()
    if target.error is not None:
        pytest.fail(target.error, pytrace=False)
    return target.test_url


@pytest.fixture
def engine(dburi: Any) -> Iterator[Any]:
    """A new Engine on the test database, disposed after the test."""
    from sqlwright import create_engine

    eng = create_engine(dburi)
    yield eng
    eng.dispose()


@pytest.fixture
def make_engine(dburi: Any) -> Iterator[Callable[..., Any]]:
    """``make_engine(url=None, **create_engine_kwargs)``: more engines (default: on the test
    database), all disposed after the test."""
    from sqlwright import create_engine

    made: list[Any] = []

    def factory(url: Any = None, **kwargs: Any) -> Any:
        eng = create_engine(url or dburi, **kwargs)
        made.append(eng)
        return eng

    yield factory
    for eng in made:
        eng.dispose()


@pytest.fixture
def dialect(engine: Any) -> Any:
    """The engine's dialect, connected once so version-dependent flags are known."""
    if getattr(engine.dialect, "server_version_info", None) is None:
        with engine.connect():
            pass
    return engine.dialect


@pytest.fixture
def metadata(engine: Any) -> Iterator[Any]:
    """A fresh MetaData; every table created from it is dropped after the test."""
    from sqlwright.schema import MetaData

    md = MetaData()
    yield md
    try:
        md.drop_all(engine)
    except NotImplementedError:
        # the dialect cannot reflect table existence yet: drop what exists, table by table
        for table in reversed(md.sorted_tables):
            try:
                table.drop(engine)
            except exc.DBAPIError:
                pass


@pytest.fixture
def text_table(engine: Any) -> Iterator[Callable[[str], str]]:
    """``text_table("id INTEGER PRIMARY KEY, name VARCHAR(50)")`` creates a table with a unique
    name from portable SQL column definitions, returns the name, and drops it after the test."""
    from sqlwright import text

    created: list[str] = []

    def create(columns_sql: str) -> str:
        name = f"sw_{uuid.uuid4().hex[:10]}"
        with engine.begin() as conn:
            conn.execute(text(f"CREATE TABLE {name} ({columns_sql})"))
        created.append(name)
        return name

    yield create
    for name in reversed(created):
        try:
            with engine.begin() as conn:
                conn.execute(text(f"DROP TABLE {name}"))
        except exc.DBAPIError:
            pass  # already gone: dropped by the test or rolled back with transactional DDL


@pytest.fixture
def connection(engine: Any, metadata: Any, text_table: Any) -> Iterator[Any]:
    """A Connection of ``engine``, closed (rolling back) after the test, before the tables of
    ``metadata`` and ``text_table`` are dropped so no open transaction blocks the drop."""
    with engine.connect() as conn:
        yield conn


@pytest.fixture
def suite_schema(request: pytest.FixtureRequest, dialect: Any) -> str:
    """The name of the run's extra schema, for cross-schema tests; skips where the dialect
    has no schemas or its plugin's provision.py cannot create one."""
    if not dialect.features.supports_schemas:
        pytest.skip(f"{dialect.name} has no schemas (supports_schemas is false)")
    target = _target_of(request)
    if target is None or target.test_schema is None:
        pytest.skip(f"the {dialect.name} plugin's provision.py has no create_test_schema")
    return target.test_schema


@pytest.fixture(autouse=True)
def _sqlwright_requires(request: pytest.FixtureRequest) -> None:
    """Apply ``@pytest.mark.requires(...)``: skip on a false flag, fail on an unknown one."""
    markers = list(request.node.iter_markers("requires"))
    if not markers:
        return
    names = [flag for marker in markers for flag in marker.args]
    if not names or not all(isinstance(name, str) for name in names):
        pytest.fail("@pytest.mark.requires takes one or more Features flag names as strings, "
                    f"got {names!r}", pytrace=False)
    dialect_ = request.getfixturevalue("dialect")
    known = set(type(dialect_.features).flag_names())
    unknown = [name for name in names if name not in known]
    if unknown:
        hints = [f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name)
                 for name in unknown
                 for close in [difflib.get_close_matches(name, sorted(known), n=1)]]
        pytest.fail(f"@pytest.mark.requires names unknown Features flag(s): {', '.join(hints)}. "
                    "Flags are declared in sqlwright/dialects/features.py.", pytrace=False)
    missing = [name for name in names if not getattr(dialect_.features, name)]
    if missing:
        pytest.skip(f"{dialect_.name} lacks {', '.join(missing)}")
