"""Two more hand-annotated corpora, in other wording than the seeds: regression guards
for the loader's generality (see tests/data/heldout/README.md and blind/README.md)."""

from __future__ import annotations

import pytest
from conftest import DATA

from kg.build import build
from kg.evaluate import evaluate_store
from kg.store import EmbeddedStore

#: corpus -> (documents, the problems its build must report)
CORPORA = {
    # one bullet has no partner line and no institution its description opens with
    "heldout": (3, ["bullet block 20 has no partner institution line"]),
    "blind": (2, []),
}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def scores(request, tmp_path_factory):
    folder = DATA / request.param
    store = tmp_path_factory.mktemp(request.param) / "store"
    summary = build([folder], store=store)
    documents, problems = CORPORA[request.param]
    assert summary.documents == documents
    assert [p.message for p in summary.problems] == problems
    gold = folder / "gold.json"
    return {s.field: s for s in evaluate_store(gold, EmbeddedStore(store, read_only=True))}


@pytest.mark.parametrize(
    "field,minimum",
    [
        ("actions", 0.95),
        ("partner_country", 0.9),
        ("expert_countries", 0.95),
        ("themes", 0.8),
        ("dates", 0.75),
        ("action_codes", 0.9),
    ],
)
def test_field_f1(scores, field, minimum):
    assert scores[field].f1 >= minimum, scores[field]
