"""The loader measured on the development seeds against their hand annotation.

Runs only where ../shared/seeds and ../shared/gold are present; the thresholds are the
ones the loader issue sets.
"""

from __future__ import annotations

import pytest
from conftest import SEEDS_GOLD

from kg.evaluate import evaluate_store
from kg.store import EmbeddedStore


@pytest.fixture(scope="module")
def scores(seeds_store):
    if not SEEDS_GOLD.is_file():
        pytest.skip(f"seed gold annotation not present at {SEEDS_GOLD}")
    store, _ = seeds_store
    return {s.field: s for s in evaluate_store(SEEDS_GOLD, EmbeddedStore(store, read_only=True))}


def test_seed_build_is_clean(seeds_store):
    _, summary = seeds_store
    assert summary.problems == ()
    assert summary.documents == 5
    assert summary.actions == 88  # 92 bullets, 4 repeated word for word
    assert summary.validation.conforms


def test_every_action_found_and_duplicates_merged(scores):
    assert (scores["actions"].tp, scores["actions"].fp, scores["actions"].fn) == (88, 0, 0)


@pytest.mark.parametrize(
    "field,minimum",
    [
        ("partner_country", 0.97),
        ("expert_countries", 0.97),
        ("themes", 0.85),
        ("action_codes", 0.9),
        ("dates", 0.8),
    ],
)
def test_field_f1(scores, field, minimum):
    assert scores[field].f1 >= minimum, scores[field]
