"""A second hand-annotated corpus, in other wording than the seeds: a regression guard
for the loader's generality (see tests/data/heldout/README.md)."""

from __future__ import annotations

import pytest
from conftest import DATA

from kg.build import build
from kg.evaluate import evaluate_store
from kg.store import EmbeddedStore

HELDOUT = DATA / "heldout"


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    store = tmp_path_factory.mktemp("heldout") / "store"
    summary = build([HELDOUT], store=store)
    assert summary.documents == 3
    # one bullet has no partner line and no institution its description opens with
    assert [p.message for p in summary.problems] == [
        "bullet block 20 has no partner institution line"
    ]
    gold = HELDOUT / "gold.json"
    return {s.field: s for s in evaluate_store(gold, EmbeddedStore(store, read_only=True))}


@pytest.mark.parametrize(
    "field,minimum",
    [
        ("actions", 0.95),
        ("partner_country", 0.9),
        ("expert_countries", 0.95),
        ("themes", 0.8),
        ("dates", 0.9),
        ("action_codes", 0.9),
    ],
)
def test_field_f1(scores, field, minimum):
    assert scores[field].f1 >= minimum, scores[field]
