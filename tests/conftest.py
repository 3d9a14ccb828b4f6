"""Shared fixtures: one build of the demo corpus, paths to the development seeds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(os.environ.get("COOPGRAPH_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
SEEDS_GOLD = SHARED / "gold" / "seeds_gold.json"

#: The columns of queries/action-summary.rq, in order: the contract its users rely on.
ACTION_SUMMARY_COLUMNS = [
    "action",
    "title",
    "partnerInstitution",
    "partnerCountry",
    "expertCountries",
    "themes",
    "assistanceTypes",
    "actionCodes",
    "startDate",
    "endDate",
    "sources",
]


def store_quads(path: Path) -> set[tuple[str, str, str, str]]:
    """Every quad of a store folder, as strings (IRIs are deterministic and the graphs
    hold no blank nodes, so set equality is isomorphism with identical IRIs)."""
    from kg.store import EmbeddedStore

    db = EmbeddedStore(path, read_only=True)
    return {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in db.ox.quads_for_pattern(None, None, None, None)
    }


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> tuple[Path, object]:
    """The demo corpus built once into a store: (store path, BuildSummary)."""
    from kg.build import build

    store = tmp_path_factory.mktemp("demo") / "store"
    summary = build(None, store=store)
    return store, summary


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory) -> tuple[Path, object]:
    """The development seeds built once into a store (skipped when they are absent)."""
    if not SEEDS.is_dir():
        pytest.skip(f"development seeds not present at {SEEDS}")
    from kg.build import build

    store = tmp_path_factory.mktemp("seeds") / "store"
    return store, build([SEEDS], store=store)
