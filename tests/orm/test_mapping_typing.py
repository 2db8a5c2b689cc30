"""mypy sees Mapped[...] attributes as their Python types on instances and as SQL expressions
on the class: it passes on the guide's models (typing_sample.py) and catches misuse."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def run_mypy(path: Path, cache: Path) -> tuple[str, int]:
    stdout, stderr, status = mypy_api.run([
        "--config-file", str(ROOT / "pyproject.toml"), "--no-error-summary",
        "--cache-dir", str(cache), "--follow-imports", "silent", str(path),
    ])
    return stdout + stderr, status


def test_typing_sample_passes_mypy(tmp_path: Path) -> None:
    output, status = run_mypy(HERE / "typing_sample.py", tmp_path / "cache")
    assert status == 0, output


def test_typing_sample_runs() -> None:
    namespace = runpy.run_path(str(HERE / "typing_sample.py"), run_name="typing_sample_run")
    namespace["check"]()
    assert namespace["Event"].__table__.c.created.type.__class__.__name__ == "DateTime"


def test_mypy_catches_wrong_attribute_types(tmp_path: Path) -> None:
    bad = tmp_path / "bad_sample.py"
    bad.write_text(
        "from sqlwright.orm import DeclarativeBase, Mapped, mapped_column\n"
        "class Base(DeclarativeBase):\n"
        "    pass\n"
        "class User(Base):\n"
        "    __tablename__ = 'users'\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    name: Mapped[str]\n"
        "u = User()\n"
        "u.id = 'not an int'\n"
        "n: int = u.name\n"
    )
    output, status = run_mypy(bad, tmp_path / "cache")
    assert status == 1
    assert "bad_sample.py:9: error: Incompatible types in assignment" in output
    assert "bad_sample.py:10: error: Incompatible types in assignment" in output
