"""Only tested documentation: the README's examples run, in order, and succeed."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHARED

README = ROOT / "README.md"


def block(marker: str, fence: str = "console") -> str:
    """The fenced block that follows ``<!-- marker -->`` in the README."""
    text = README.read_text(encoding="utf-8")
    return text.split(f"<!-- {marker} -->", 1)[1].split(f"```{fence}", 1)[1].split("```", 1)[0]


def examples(marker: str = "examples") -> list[str]:
    return [line[2:] for line in block(marker).splitlines() if line.startswith("$ ")]


def run_examples(lines: list[str], cwd: Path, replace: dict[str, str]) -> None:
    coopgraph = Path(sys.executable).parent / "coopgraph"
    for line in lines:
        for old, new in replace.items():
            line = line.replace(old, new)
        args = shlex.split(line)
        assert args[0] == "coopgraph"
        run = subprocess.run(
            [str(coopgraph), *args[1:]], cwd=cwd, capture_output=True, text=True, timeout=600
        )
        assert run.returncode == 0, f"{line}\n{run.stdout}\n{run.stderr}"


def test_readme_has_examples():
    assert len(examples()) >= 5


@pytest.mark.slow
def test_readme_examples_run(tmp_path):
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"the examples use the development seeds in {SHARED}")
    lines = examples() + examples("examples:queries") + examples("examples:export")
    assert len(lines) >= 8
    run_examples(lines, tmp_path, {"../shared": str(SHARED)})


def test_readme_python_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    namespace: dict = {}
    exec(compile(block("examples:python", "python"), "README.md", "exec"), namespace)
    assert namespace["summary"].actions == 40
