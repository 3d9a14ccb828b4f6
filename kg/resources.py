"""Locate the data folders coopgraph ships: ontology/, shapes/, queries/, corpus/.

In a source checkout (and an editable install) they are top-level folders beside
the package; a built wheel ships them inside the package as ``kg/_data/<name>``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
FOLDERS = ("ontology", "shapes", "queries", "corpus")


def resource_dir(name: str) -> Path:
    """Return the folder ``name`` (one of :data:`FOLDERS`).

    Raises
    ------
    FileNotFoundError
        When neither the shipped nor the checkout copy exists.

    Examples
    --------
    >>> resource_dir("ontology").joinpath("coopgraph.ttl").is_file()
    True
    """
    if name not in FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}; expected one of {FOLDERS}")
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"coopgraph data folder {name!r} not found (broken installation?)")


def repo_root() -> Path | None:
    """The source checkout holding the package, or None when installed from a wheel."""
    root = _PACKAGE.parent
    return root if (root / "pyproject.toml").is_file() else None
