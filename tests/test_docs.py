"""Every ```python block in docs/ runs: blocks of one page share a namespace, in order."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if _BLOCK.search(p.read_text()))


def extract_blocks(text: str) -> list[tuple[int, str]]:
    """(line number, code) of each runnable block."""
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in _BLOCK.finditer(text)]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_doc_examples_run(page: Path, tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
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
