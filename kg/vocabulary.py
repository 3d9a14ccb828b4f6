"""Matchers built from the SKOS vocabularies: the labels are the matching rules.

Every ``skos:prefLabel``, ``skos:altLabel`` and ``skos:hiddenLabel`` of a concept
(in any language) is a phrase that, found in a text, points to that concept.
"""

from __future__ import annotations

from functools import cache

from rdflib import RDF, SKOS, Graph, URIRef

from kg.resources import resource_dir
from kg.text import Match, PhraseMatcher

SCHEMES = {
    "theme": ("themes.ttl", "https://w3id.org/coopgraph/id/theme/"),
    "assistance": ("assistance-types.ttl", "https://w3id.org/coopgraph/id/assistance-type/"),
    "orgkind": ("organisation-kinds.ttl", "https://w3id.org/coopgraph/id/organisation-kind/"),
}
_LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


@cache
def concept_labels(scheme: str) -> dict[str, tuple[str, ...]]:
    """Concept id (the IRI's last segment) -> its labels, for ``scheme`` in
    :data:`SCHEMES`; ids and labels sorted."""
    filename, base = SCHEMES[scheme]
    graph = Graph().parse(resource_dir("ontology") / filename, format="turtle")
    out: dict[str, tuple[str, ...]] = {}
    for concept in sorted(graph.subjects(RDF.type, SKOS.Concept)):
        if not str(concept).startswith(base):
            continue
        labels = {str(label) for prop in _LABELS for label in graph.objects(concept, prop)}
        out[str(concept)[len(base) :]] = tuple(sorted(labels))
    return out


@cache
def matcher(scheme: str) -> PhraseMatcher:
    """A phrase matcher over every label of every concept of ``scheme``."""
    return PhraseMatcher(
        (label, concept, scheme)
        for concept, labels in concept_labels(scheme).items()
        for label in labels
    )


def find_concepts(
    scheme: str, text: str, *, start: int = 0, end: int | None = None, folded: str | None = None
) -> list[Match]:
    """The labels of ``scheme``'s concepts found in ``text[start:end]``.

    Examples
    --------
    >>> [m.value for m in find_concepts("theme", "support to green jobs for youth")][:1]
    ['green_jobs']
    """
    return list(matcher(scheme).find(text, start=start, end=end, folded=folded))


def concept_iri(scheme: str, concept: str) -> URIRef:
    """The IRI of ``concept`` in ``scheme``."""
    return URIRef(SCHEMES[scheme][1] + concept)
