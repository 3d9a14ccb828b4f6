"""Only tested documentation: the README's examples run, in order, and succeed."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHARED

README = ROOT / "README.md"


def examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- examples -->", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    return [line[2:] for line in block.splitlines() if line.startswith("$ ")]


def test_readme_has_examples():
    assert len(examples()) >= 5


@pytest.mark.slow
def test_readme_examples_run(tmp_path):
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"the examples use the development seeds in {SHARED}")
    coopgraph = Path(sys.executable).parent / "coopgraph"
    for line in examples():
        args = [a.replace("../shared", str(SHARED)) for a in shlex.split(line)]
        assert args[0] == "coopgraph"
        run = subprocess.run(
            [str(coopgraph), *args[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=600
        )
        assert run.returncode == 0, f"{line}\n{run.stdout}\n{run.stderr}"
