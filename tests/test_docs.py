"""Every ```python block in docs/ runs: blocks of one page share a namespace, in order.

A portable page runs once per backend (ids ``[page-sqlite]``, ``[page-postgresql]``,
``[page-mysql]``): on a server backend every ``create_engine("sqlite...")`` of the page opens the
run's test database instead (see tests/conftest.py), and the tables it leaves are dropped after
it. docs/dialects/<name>.md runs on its own database only (its URLs are in the page), and the
pages in NOT_PORTABLE skip the backends listed there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sqlwright
from sqlwright import make_url

DOCS = Path(__file__).resolve().parent.parent / "docs"
_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)

_SERVERS = ("postgresql", "mysql")
_RAW_DDL = "its raw CREATE TABLE relies on SQLite's INTEGER PRIMARY KEY autoincrement"
#: page -> (backends its examples cannot run on as written, why); the rest run everywhere
NOT_PORTABLE: dict[str, tuple[tuple[str, ...], str]] = {
    "core-tutorial.md": (_SERVERS, _RAW_DDL),
    "engine.md": (_SERVERS, _RAW_DDL),
    "getting-started.md": (_SERVERS, _RAW_DDL),
    "dml.md": (_SERVERS, "it asserts the SQL compiled for SQLite (qmark parameters)"),
    "events.md": (_SERVERS, "it asserts the SQL SQLite receives (qmark parameters)"),
    "types.md": (_SERVERS, "it asserts SQLite's DDL type names and storage"),
    "schema.md": (_SERVERS, "its foreign key cycle has unnamed constraints, which a server "
                            "must drop by name with ALTER TABLE"),
    "orm/models.md": (("mysql",), "it maps String columns without a length (MySQL needs one)"),
    "orm/quickstart.md": (("mysql",), "it maps String columns without a length"),
    "orm/session.md": (("mysql",), "it maps String columns without a length"),
    "expressions.md": (("mysql",), "the aggregate example (line 103) asserts SQLite's "
                                   "results; not investigated on MariaDB"),
}


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if _BLOCK.search(p.read_text()))


def _backends_of(page: Path, selected: list[str]) -> list[str]:
    """The backends a page runs on: a dialect page on its own database (no database at all
    for dialects without a server here), a SQLite-only page on SQLite, the others on all."""
    name = str(page.relative_to(DOCS))
    if name.startswith("dialects/"):
        return [page.stem] if page.stem in selected else ["nodb"] if page.stem not in (
            "postgresql", "mysql") else []
    excluded, _why = NOT_PORTABLE.get(name, ((), ""))
    return [backend for backend in selected if backend not in excluded]


def _conftest(config: pytest.Config) -> Any:
    """tests/conftest.py, loaded by pytest (it has the backend selection and the servers)."""
    wanted = Path(__file__).with_name("conftest.py")
    for plugin in config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__) == wanted:
            return plugin
    raise RuntimeError(f"{wanted} is not loaded; run pytest from the repository root")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.name != "test_doc_examples_run":
        return
    selected = _conftest(metafunc.config).selected_backends(metafunc.config)
    cases = [pytest.param(page, backend, id=f"{page.relative_to(DOCS)}-{backend}")
             for page in _pages() for backend in _backends_of(page, selected)]
    metafunc.parametrize(("page", "page_backend"), cases)


@pytest.fixture
def docs_database(request: pytest.FixtureRequest, monkeypatch: Any) -> Iterator[Any]:
    """For a server backend: send the page's SQLite engines to the run's test database."""
    backend = request.node.callspec.params["page_backend"]
    if backend in ("sqlite", "nodb") or request.node.callspec.params["page"].parent == DOCS / "dialects":
        yield None
        return
    conftest = _conftest(request.config)
    url = conftest.server_url(request.config, backend)
    real_create_engine = sqlwright.create_engine
    made: list[Any] = []

    def create_engine(target: Any, *args: Any, **kwargs: Any) -> Any:
        if make_url(target).get_backend_name() != "sqlite":
            return real_create_engine(target, *args, **kwargs)
        made.append(conftest.track_connections(real_create_engine(url, *args, **kwargs)))
        return made[-1]

    monkeypatch.setattr(sqlwright, "create_engine", create_engine)
    yield url
    for eng in made:  # also what a failed example still holds, which would block the drop
        conftest.close_every_connection(eng)
    conftest.drop_leftover_tables(url)


def extract_blocks(text: str) -> list[tuple[int, str]]:
    """(line number, code) of each runnable block."""
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in _BLOCK.finditer(text)]


def test_doc_examples_run(page: Path, page_backend: str, docs_database: Any, tmp_path: Path,
                          monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    for line, code in extract_blocks(page.read_text()):
        try:
            exec(compile(code, f"{page}:{line}", "exec", dont_inherit=True), namespace)
        except Exception as err:  # pragma: no cover - the failure message is the point
            raise AssertionError(f"{page.name} block at line {line} failed: {err!r}") from err
    # engines created by the examples must not leak open files across tests
    for value in namespace.values():
        dispose = getattr(value, "dispose", None)
        if callable(dispose) and type(value).__name__ == "Engine":
            dispose()
    assert os.getcwd() == str(tmp_path)


def test_extract_blocks_skips_other_languages() -> None:
    text = "```py\nnot run\n```\n\n```python\nx = 1\n```\n"
    assert extract_blocks(text) == [(6, "x = 1\n")]
