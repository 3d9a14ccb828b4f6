"""Consistency checks for the SKOS vocabularies in ontology/.

themes.ttl, assistance-types.ttl and organisation-kinds.ttl are hand-maintained;
these tests guard the conventions the loader relies on.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
GOLD = Path(os.environ.get("COOPGRAPH_SEEDS_GOLD", "/work/shared/gold/seeds_gold.json"))
CG = rdflib.Namespace("https://w3id.org/coopgraph/ontology#")
LANGS = ("en", "es", "fr", "pt")

VOCABS = {
    "themes.ttl": ("https://w3id.org/coopgraph/id/theme", CG.Theme),
    "assistance-types.ttl": ("https://w3id.org/coopgraph/id/assistance-type", CG.AssistanceType),
    "organisation-kinds.ttl": (
        "https://w3id.org/coopgraph/id/organisation-kind",
        CG.OrganisationKind,
    ),
}

THEME_NOTATIONS = {
    "green_jobs",
    "social_dialogue",
    "disability_inclusion",
    "occupational_safety_health",
    "public_employment_services",
    "vocational_training_skills",
    "youth_employment",
    "gender_equality",
    "informal_economy",
    "child_labour",
    "social_protection",
    "labour_market_information",
    "entrepreneurship",
    "labour_migration",
    "labour_law_inspection",
    "poverty_reduction",
    "health_protection",
    "digital_platform_work",
    "civil_service",
    "covid19_response",
}

ORGANISATION_KINDS = {
    "ministry",
    "agency",
    "regional_government",
    "local_government",
    "trade_union",
    "employers_organisation",
    "university",
    "research_institute",
    "international_organisation",
    "ngo",
    "programme_office",
    "national_council",
    "parliament",
    "public_employment_service",
    "social_security_institution",
    "government_office",
}

SDG_TARGET = re.compile(r"^http://metadata\.un\.org/sdg/\d+\.\w+$")
LABEL_PROPS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


def fold(text: str) -> str:
    """Case-insensitive, accent-folded, whitespace-normalised form of a label."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split())


def squash(text: str) -> str:
    """Case-insensitive, whitespace-normalised form (accents kept)."""
    return " ".join(text.casefold().split())


_GRAPHS: dict[str, rdflib.Graph] = {}


def graph(name: str) -> rdflib.Graph:
    if name not in _GRAPHS:
        _GRAPHS[name] = rdflib.Graph().parse(ONTOLOGY / name, format="turtle")
    return _GRAPHS[name]


def concepts(g: rdflib.Graph) -> list[URIRef]:
    return sorted(set(g.subjects(RDF.type, SKOS.Concept)))


def labels(g: rdflib.Graph, c: URIRef) -> list[Literal]:
    return [o for p in LABEL_PROPS for o in g.objects(c, p)]


@pytest.mark.parametrize("name", sorted(VOCABS))
def test_parses_and_has_scheme(name):
    g = graph(name)
    scheme_iri, _ = VOCABS[name]
    scheme = URIRef(scheme_iri)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    titles = [t for t in g.objects(scheme, DCTERMS.title) if t.language == "en"]
    assert len(titles) == 1, "scheme needs one dcterms:title @en"
    defs = [d for d in g.objects(scheme, SKOS.definition) if d.language == "en"]
    assert len(defs) == 1, "scheme needs one skos:definition @en"
    assert set(g.subjects(RDF.type, SKOS.ConceptScheme)) == {scheme}


@pytest.mark.parametrize("name", sorted(VOCABS))
def test_concept_conventions(name):
    g = graph(name)
    scheme_iri, cls = VOCABS[name]
    scheme = URIRef(scheme_iri)
    cs = concepts(g)
    assert cs, "no concepts"
    assert set(g.subjects(RDF.type, cls)) == set(cs), (
        "skos:Concept and vocabulary class must coincide"
    )
    assert set(g.objects(scheme, SKOS.hasTopConcept)) == set(cs), (
        "scheme must list every concept as top concept"
    )
    for c in cs:
        assert (c, SKOS.inScheme, scheme) in g, c
        assert (c, SKOS.topConceptOf, scheme) in g, c
        notations = list(g.objects(c, SKOS.notation))
        assert len(notations) == 1, f"{c}: exactly one skos:notation"
        n = notations[0]
        assert isinstance(n, Literal) and n.datatype is None and n.language is None, (
            f"{c}: notation must be a plain literal"
        )
        assert str(c) == f"{scheme_iri}/{n}", f"{c}: IRI must be scheme IRI + '/' + notation"
        for lang in LANGS:
            prefs = [p for p in g.objects(c, SKOS.prefLabel) if p.language == lang]
            assert len(prefs) == 1, f"{c}: needs exactly one skos:prefLabel @{lang}"
        assert {p.language for p in g.objects(c, SKOS.prefLabel)} == set(LANGS), (
            f"{c}: unexpected prefLabel language"
        )
        defs = [d for d in g.objects(c, SKOS.definition) if d.language == "en" and str(d).strip()]
        assert len(defs) == 1, f"{c}: needs one skos:definition @en"
        for lab in labels(g, c):
            assert isinstance(lab, Literal) and str(lab).strip() == str(lab) and str(lab), (
                f"{c}: bad label {lab!r}"
            )


@pytest.mark.parametrize("name", sorted(VOCABS))
def test_label_properties_disjoint_within_concept(name):
    """SKOS integrity: pref/alt/hidden labels of a concept are pairwise disjoint."""
    g = graph(name)
    for c in concepts(g):
        sets = [set(g.objects(c, p)) for p in LABEL_PROPS]
        assert not (sets[0] & sets[1] or sets[0] & sets[2] or sets[1] & sets[2]), c


@pytest.mark.parametrize("name", sorted(VOCABS))
def test_no_label_shared_between_concepts(name):
    g = graph(name)
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for c in concepts(g):
        for lab in labels(g, c):
            owners[fold(str(lab))].add(c)
    clashes = {k: sorted(str(x) for x in v) for k, v in owners.items() if len(v) > 1}
    assert not clashes, f"labels shared between concepts: {clashes}"


@pytest.mark.parametrize("name", sorted(VOCABS))
def test_semantic_relations_stay_in_scheme(name):
    g = graph(name)
    cs = set(concepts(g))
    for p in (SKOS.broader, SKOS.narrower, SKOS.related):
        for s, o in g.subject_objects(p):
            assert s in cs and o in cs and s != o, (s, p, o)
    for s, o in g.subject_objects(SKOS.broader):
        assert (o, SKOS.narrower, s) in g, f"missing inverse skos:narrower for {s} -> {o}"
    for s, o in g.subject_objects(SKOS.narrower):
        assert (o, SKOS.broader, s) in g, f"missing inverse skos:broader for {s} -> {o}"
    for s, o in g.subject_objects(SKOS.related):
        assert (o, SKOS.related, s) in g, f"skos:related must be symmetric: {s} -> {o}"


def test_theme_notations_exact():
    g = graph("themes.ttl")
    got = {str(n) for c in concepts(g) for n in g.objects(c, SKOS.notation)}
    assert got == THEME_NOTATIONS


def test_theme_sdg_close_matches():
    g = graph("themes.ttl")
    targets = list(g.objects(None, SKOS.closeMatch))
    assert targets, "expected SDG close matches"
    for t in targets:
        assert isinstance(t, URIRef) and SDG_TARGET.match(str(t)), t


def test_themes_have_matcher_labels():
    g = graph("themes.ttl")
    for c in concepts(g):
        assert list(g.objects(c, SKOS.altLabel)), f"{c}: no altLabel"
        assert list(g.objects(c, SKOS.hiddenLabel)), f"{c}: no hiddenLabel"


def test_organisation_kind_notations_exact():
    g = graph("organisation-kinds.ttl")
    got = {str(n) for c in concepts(g) for n in g.objects(c, SKOS.notation)}
    assert got == ORGANISATION_KINDS


def test_gold_assistance_variants_map_to_one_concept():
    if not GOLD.is_file():
        pytest.skip(
            f"gold annotation file not found: {GOLD} "
            "(set COOPGRAPH_SEEDS_GOLD to point at seeds_gold.json)"
        )
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    variants = {v for a in gold.get("actions", []) for v in a.get("assistance_types") or []}
    assert variants, "gold file lists no assistance_types"
    g = graph("assistance-types.ttl")
    index: dict[str, set[URIRef]] = defaultdict(set)
    for c in concepts(g):
        for lab in labels(g, c):
            index[squash(str(lab))].add(c)
    problems = {
        v: sorted(str(c) for c in index.get(squash(v), ()))
        for v in sorted(variants)
        if len(index.get(squash(v), ())) != 1
    }
    assert not problems, f"variants not mapped to exactly one concept: {problems}"
