"""conformance/run and compose.yaml: checked without a Docker engine (dry run, shell lint).

These cover every dialect of the runner, not only SQL Server; they live here because the
Docker conformance run was delivered with the SQL Server and Oracle plugins.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
RUN = ROOT / "conformance" / "run"
COMPOSE = ROOT / "conformance" / "compose.yaml"
DIALECTS = {"postgresql": ("postgresql", "postgresql+psycopg2://"),
            "mysql": ("mysql", "mysql+pymysql://"), "mariadb": ("mysql", "mysql+pymysql://"),
            "mssql": ("mssql", "mssql+pyodbc://"), "oracle": ("oracle", "oracle+oracledb://")}


def _dry_run(*args: str, results: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(RUN), "--dry-run", *args], capture_output=True,
                          text=True, check=False, env={"PATH": "/usr/bin:/bin",
                                                       "RESULTS": str(results)})


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_dry_run_prints_start_wait_suite_and_stop(dialect: str, tmp_path: Path) -> None:
    done = _dry_run(dialect, results=tmp_path)
    assert done.returncode == 0, done.stderr
    commands = [shlex.split(line[2:]) for line in done.stdout.splitlines()
                if line.startswith("+ ") and not line.startswith("+ write")]
    assert commands[0] == ["mkdir", "-p", str(tmp_path)]
    assert commands[1] == ["docker", "compose", "-f", str(COMPOSE), "up", "--detach", "--wait",
                           dialect]
    plugin, scheme = DIALECTS[dialect]
    pytest_cmd = commands[2]
    assert pytest_cmd[1:4] == ["-m", "pytest", str(ROOT / "plugins" / plugin / "tests" /
                                                   "test_suite.py")]
    assert pytest_cmd[pytest_cmd.index("--dburi") + 1].startswith(scheme)
    assert pytest_cmd[pytest_cmd.index("--capability-matrix") + 1] == \
        str(tmp_path / f"{dialect}.md")
    assert commands[3] == ["docker", "compose", "-f", str(COMPOSE), "stop", dialect]
    assert done.stdout.rstrip().endswith(f"+ write {tmp_path}/matrix.md")
    assert not list(tmp_path.iterdir())  # a dry run writes nothing


def test_unknown_dialect_is_refused_with_the_list(tmp_path: Path) -> None:
    done = _dry_run("db2", results=tmp_path)
    assert done.returncode == 2
    assert "unknown dialect: db2" in done.stderr and "mssql oracle" in done.stderr


def _services() -> dict[str, str]:
    """Service name -> its block of compose.yaml (two-space indented keys under services:)."""
    blocks: dict[str, list[str]] = {}
    current = None
    for line in COMPOSE.read_text().split("services:", 1)[1].splitlines():
        if line.startswith("  ") and not line.startswith("   ") and line.rstrip().endswith(":"):
            current = line.strip()[:-1]
            blocks[current] = []
        elif current is not None:
            blocks[current].append(line)
    return {name: "\n".join(lines) for name, lines in blocks.items()}


def test_compose_has_a_healthchecked_service_per_dialect() -> None:
    services = _services()
    assert set(services) == set(DIALECTS)
    assert "image: mcr.microsoft.com/mssql/server:" in services["mssql"]
    assert "image: gvenzl/oracle-free:" in services["oracle"]
    for name, block in services.items():
        assert "healthcheck:" in block, name
        assert 'ports: ["127.0.0.1:' in block, name


def test_runner_passes_bash_syntax_check() -> None:
    done = subprocess.run(["bash", "-n", str(RUN)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None,
                    reason="shellcheck is not installed (apt-get install shellcheck); "
                           "bash -n still checked the syntax")
def test_runner_passes_shellcheck() -> None:
    done = subprocess.run(["shellcheck", str(RUN)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
