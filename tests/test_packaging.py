"""A built wheel carries the ontology, shapes, queries and demo corpus, and works
without the source checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    wheels = list(out.glob("coopgraph-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_ships_data_folders(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "kg/_data/ontology/coopgraph.ttl",
        "kg/_data/ontology/context.jsonld",
        "kg/_data/ontology/countries.ttl",
        "kg/py.typed",
        "kg/docs/__init__.py",
        "kg/server/app.py",
        "kg/web/static/vendor/yasgui/yasgui.min.js",
        "kg/web/static/vendor/yasgui/yasgui.min.css",
    ):
        assert required in names
    assert any(n.startswith("kg/_data/shapes/") and n.endswith(".ttl") for n in names)


@pytest.mark.slow
def test_wheel_runs_in_fresh_venv(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # Dependencies come from this environment's site-packages (a plain path entry, so
    # its .pth files, and with them any editable install of kg, are not processed).
    fresh_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(fresh_site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    where = subprocess.run(
        [str(python), "-c", "import kg; print(kg.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.strip()
    assert where.startswith(str(env_dir)), f"kg imported from {where}, not the wheel"
    coopgraph = env_dir / "bin" / "coopgraph"
    help_run = subprocess.run(
        [str(coopgraph), "--help"], capture_output=True, text=True, cwd=tmp_path
    )
    assert help_run.returncode == 0 and "build" in help_run.stdout
    run = subprocess.run(
        [str(coopgraph), "validate", "--ontology"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert "conforms" in run.stdout
