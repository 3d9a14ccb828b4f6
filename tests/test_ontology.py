"""The ontology and vocabularies are documented, consistent and closed."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg import codegen
from kg.ontology import ONTOLOGY_IRI, VOCABULARY_FILES, load_ontology
from kg.resources import resource_dir

CG = "https://w3id.org/coopgraph/ontology#"
BASE = "https://w3id.org/coopgraph/"
VANN = "http://purl.org/vocab/vann/"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(vocabularies=False)


@pytest.fixture(scope="module")
def everything() -> Graph:
    return load_ontology()


def declared_terms(graph: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {t for k in kinds for t in graph.subjects(RDF.type, k) if str(t).startswith(CG)}


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) is not None
    assert str(ontology.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespacePrefix"))) == "cg"


def test_every_term_has_label_and_definition(ontology):
    terms = declared_terms(ontology)
    assert len(terms) > 40
    for term in terms:
        labels = [o for o in ontology.objects(term, RDFS.label) if o.language == "en"]
        definitions = list(ontology.objects(term, SKOS.definition))
        assert labels, f"{term} has no English rdfs:label"
        assert definitions, f"{term} has no skos:definition"


def _used_cg_terms_in_text(text: str) -> set[str]:
    names = set(re.findall(r"(?<![\w-])cg:([A-Za-z_][\w-]*)", text))
    names |= set(re.findall(re.escape(CG) + r"([A-Za-z_]\w*)", text))
    return names


@pytest.mark.parametrize(
    "folder,pattern", [("shapes", "*.ttl"), ("queries", "*.rq"), ("ontology", "*.ttl")]
)
def test_every_cg_term_used_is_declared(ontology, folder, pattern):
    declared = {str(t)[len(CG) :] for t in declared_terms(ontology)}
    files = sorted(resource_dir(folder).glob(pattern))
    if folder == "queries" and not files:
        pytest.skip("no canned queries yet")
    assert files, f"no {pattern} in {folder}/"
    for path in files:
        unknown = _used_cg_terms_in_text(path.read_text(encoding="utf-8")) - declared
        assert not unknown, f"{path.name} uses undeclared terms: {sorted(unknown)}"


def test_every_concept_is_in_a_declared_scheme(everything):
    schemes = set(everything.subjects(RDF.type, SKOS.ConceptScheme))
    assert {URIRef(s) for s in VOCABULARY_FILES} <= schemes
    concepts = set(everything.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 250
    for concept in concepts:
        in_schemes = set(everything.objects(concept, SKOS.inScheme))
        assert in_schemes, f"{concept} is in no scheme"
        assert in_schemes <= schemes, f"{concept} is in an undeclared scheme"
        assert everything.value(concept, SKOS.prefLabel) is not None, f"{concept} has no label"


def test_no_dangling_references(everything):
    subjects = set(everything.subjects())
    for s, p, o in everything:
        if isinstance(o, URIRef) and str(o).startswith(BASE) and p != OWL.versionIRI:
            if str(o) == str(ONTOLOGY_IRI):
                continue
            assert o in subjects, f"{s} {p} {o}: {o} is never described"


def test_every_object_property_range_class_is_known(ontology):
    known = set(ontology.subjects(RDF.type, OWL.Class))
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        for rng in ontology.objects(prop, RDFS.range):
            if str(rng).startswith(CG):
                assert rng in known, f"{prop} has undeclared range {rng}"


def test_generated_files_are_fresh():
    for path, expected in codegen.targets().items():
        assert path.read_text(encoding="utf-8") == expected, (
            f"{path} is stale: run `python -m kg.codegen`"
        )


def test_namespace_module_is_closed():
    from kg.namespace import CG as NS

    assert str(NS.Action) == CG + "Action"
    with pytest.raises(AttributeError):
        NS.Actoin  # noqa: B018 - the misspelling must fail


def test_jsonld_context_round_trips_through_pyld():
    pyld = pytest.importorskip("pyld.jsonld")
    context = json.loads((resource_dir("ontology") / "context.jsonld").read_text())
    doc = {
        **context,
        "@id": "id:action/x",
        "@type": "Action",
        "title": "A title",
        "partnerInstitution": "id:organisation/y",
        "actionCode": "2022-21",
        "euMember": True,
    }
    nquads = pyld.to_rdf(doc, {"format": "application/n-quads"})
    graph = Graph().parse(data=nquads, format="nquads")
    action = URIRef(BASE + "id/action/x")
    assert (action, RDF.type, URIRef(CG + "Action")) in graph
    assert (action, URIRef(CG + "partnerInstitution"), URIRef(BASE + "id/organisation/y")) in graph
    assert (action, URIRef(CG + "actionCode"), Literal("2022-21")) in graph
