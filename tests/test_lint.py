"""The code stays ruff-clean (lint and format), as configured in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def _ruff() -> str:
    found = Path(sys.executable).parent / "ruff"
    if found.exists():
        return str(found)
    which = shutil.which("ruff")
    if which is None:
        pytest.fail("ruff is not installed (it is in the [test] extra)")
    return which


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]])
def test_ruff(args):
    run = subprocess.run(
        [_ruff(), *args, "kg", "tests", "bench"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
