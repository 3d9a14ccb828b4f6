"""Evaluate: compare the built graph with a gold annotation, field by field.

The gold file has the format of ``seeds_gold.json``: a list of ``actions``, each with
``file``, ``title``, ``partner_country`` (or ``partner_country_likely`` where that is
null), ``expert_countries``, ``themes``, ``dates``, ``action_codes`` and
``duplicate_of``. Scores are micro-averaged over (action, value) pairs; a gold action
the graph lacks counts all its values as missed, a built action the gold lacks counts
all its values as spurious.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kg.text import normalise_key

FIELDS = ("actions", "partner_country", "expert_countries", "themes", "dates", "action_codes")

_ACTIONS = """
PREFIX cg: <https://w3id.org/coopgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?action ?field ?value WHERE {
  ?action a cg:Action .
  {
    ?action dcterms:title ?value BIND("title" AS ?field)
  } UNION {
    ?action prov:wasDerivedFrom/dcterms:title ?value BIND("source" AS ?field)
  } UNION {
    ?action cg:partnerCountry/cg:alpha2 ?value BIND("partner_country" AS ?field)
  } UNION {
    ?action cg:expertCountry/cg:alpha2 ?value BIND("expert_countries" AS ?field)
  } UNION {
    ?action cg:theme/skos:notation ?value BIND("themes" AS ?field)
  } UNION {
    ?action cg:mentionedDate ?value BIND("dates" AS ?field)
  } UNION {
    { ?action cg:actionCode ?value }
    UNION { ?action cg:buildsOn|cg:runsInParallelWith|cg:relatedAction ?o .
            ?o cg:actionCode ?value }
    BIND("action_codes" AS ?field)
  }
}
"""


@dataclass(frozen=True)
class Score:
    """Counts and scores of one field."""

    field: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def built_actions(rows) -> dict[str, dict[str, set[str]]]:
    """Action IRI -> field -> values, from the rows of the evaluation query."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for action, field, value in rows:
        out[action][field].add(value)
    return out


def _gold_values(action: dict, field: str) -> set[str]:
    if field == "partner_country":
        value = action.get("partner_country") or action.get("partner_country_likely")
        return {value} if value else set()
    return set(action.get(field) or [])


def score(gold: dict, built: dict[str, dict[str, set[str]]]) -> list[Score]:
    """Scores of every field in :data:`FIELDS` (see the module docstring)."""
    gold_actions = [a for a in gold["actions"] if not a.get("duplicate_of")]
    files = {PurePosixPath(a["file"]).name for a in gold["actions"]}
    in_scope = {
        iri: fields
        for iri, fields in built.items()
        if any(PurePosixPath(s).name in files for s in fields["source"])
    }
    by_key: dict[tuple[str, str], str] = {}
    for iri, fields in sorted(in_scope.items()):
        for title in fields["title"]:
            for source in fields["source"]:
                by_key.setdefault((PurePosixPath(source).name, normalise_key(title)), iri)
    matched: dict[int, str] = {}
    for i, action in enumerate(gold_actions):
        iri = by_key.get((PurePosixPath(action["file"]).name, normalise_key(action["title"])))
        if iri is not None and iri not in matched.values():
            matched[i] = iri
    scores = [
        Score(
            "actions", len(matched), len(in_scope) - len(matched), len(gold_actions) - len(matched)
        )
    ]
    for field in FIELDS[1:]:
        tp = fp = fn = 0
        for i, action in enumerate(gold_actions):
            expected = _gold_values(action, field)
            found = in_scope[matched[i]][field] if i in matched else set()
            tp += len(expected & found)
            fp += len(found - expected)
            fn += len(expected - found)
        for iri in set(in_scope) - set(matched.values()):
            fp += len(in_scope[iri][field])
        scores.append(Score(field, tp, fp, fn))
    return scores


def evaluate_store(gold_path, store) -> list[Score]:
    """Score the store's graph against the gold file at ``gold_path``."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    rows = [(r["action"].value, r["field"].value, r["value"].value) for r in store.query(_ACTIONS)]
    return score(gold, built_actions(rows))
