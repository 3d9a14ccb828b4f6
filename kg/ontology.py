"""Load the ontology and its vocabularies; summarise what they hold."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, SKOS, Graph, URIRef

from kg.resources import resource_dir

ONTOLOGY_IRI = URIRef("https://w3id.org/coopgraph/ontology")
ONTOLOGY_FILE = "coopgraph.ttl"
#: Vocabulary files, each a SKOS concept scheme, by the scheme's IRI.
VOCABULARY_FILES = {
    "https://w3id.org/coopgraph/id/theme": "themes.ttl",
    "https://w3id.org/coopgraph/id/assistance-type": "assistance-types.ttl",
    "https://w3id.org/coopgraph/id/organisation-kind": "organisation-kinds.ttl",
    "https://w3id.org/coopgraph/id/country": "countries.ttl",
}


def ontology_files() -> list[Path]:
    """The ontology file followed by every vocabulary file, in a fixed order."""
    folder = resource_dir("ontology")
    return [folder / ONTOLOGY_FILE, *(folder / name for name in VOCABULARY_FILES.values())]


@lru_cache(maxsize=1)
def _load() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def vocabulary_graphs() -> dict[URIRef, Graph]:
    """The ontology and each vocabulary in a graph of its own (parsed once a process;
    the graphs are shared, not to be changed)."""
    return dict(_vocabulary_graphs())


@lru_cache(maxsize=1)
def _vocabulary_graphs() -> dict[URIRef, Graph]:
    names = [ONTOLOGY_IRI, *(URIRef(s) for s in VOCABULARY_FILES)]
    return {
        name: Graph().parse(path, format="turtle")
        for name, path in zip(names, ontology_files(), strict=True)
    }


def load_ontology(*, vocabularies: bool = True) -> Graph:
    """Return a fresh graph with the ontology (and, by default, every vocabulary).

    Examples
    --------
    >>> from rdflib import OWL, RDF
    >>> g = load_ontology(vocabularies=False)
    >>> (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    True
    """
    if not vocabularies:
        return Graph().parse(resource_dir("ontology") / ONTOLOGY_FILE, format="turtle")
    graph = Graph()
    for triple in _load():
        graph.add(triple)
    return graph


@dataclass(frozen=True)
class OntologySummary:
    """Counts describing the ontology and its vocabularies."""

    classes: int
    object_properties: int
    datatype_properties: int
    concepts_per_scheme: dict[str, int]
    triples: int


def summarise(graph: Graph | None = None) -> OntologySummary:
    """Count the classes, properties and concepts per scheme of ``graph``."""
    graph = graph if graph is not None else _load()
    per_scheme: Counter[str] = Counter()
    for _, scheme in graph.subject_objects(SKOS.inScheme):
        per_scheme[str(scheme)] += 1
    return OntologySummary(
        classes=len(set(graph.subjects(RDF.type, OWL.Class))),
        object_properties=len(set(graph.subjects(RDF.type, OWL.ObjectProperty))),
        datatype_properties=len(set(graph.subjects(RDF.type, OWL.DatatypeProperty))),
        concepts_per_scheme=dict(sorted(per_scheme.items())),
        triples=len(graph),
    )
