"""The ``action`` frame: one nested JSON-LD object per action, the shape a web page wants.

Each action object holds the action's own statements, with the nodes it links to
embedded as small objects (partner institution with its country, themes and assistance
types with their labels, expert countries, programme, source documents), its expert
mobilisations, and the evidence of every fact (``evidence``: the reverse of
``rdf:subject``). Every statement in the output is a statement of the store: expanding
the document with the context gives a subset of the store's triples.

Actions are read in batches, so memory holds one batch, not the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any, BinaryIO

import pyoxigraph as ox

from kg.jsonld import JSON, Compactor, context, write_document

CG = "https://w3id.org/coopgraph/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"

#: Properties of an action whose objects are embedded, and the properties of the
#: embedded node that come with it.
SUMMARY = (
    RDF + "type",
    SKOS + "prefLabel",
    SKOS + "notation",
    CG + "acronym",
    CG + "country",
    CG + "alpha2",
    DCTERMS + "title",
)
EMBED = (
    CG + "partnerInstitution",
    CG + "partnerCountry",
    CG + "expertCountry",
    CG + "expertInstitution",
    CG + "theme",
    CG + "assistanceType",
    CG + "programme",
    PROV + "wasDerivedFrom",
)
BATCH = 500


def _values(iris: list[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _rows(store: ox.Store, query: str) -> Iterator[tuple]:
    for row in store.query(query, use_default_graph_as_union=True):
        yield tuple(row)


def _statements(store: ox.Store, query: str, found: dict[str, set[tuple]]) -> None:
    for s, p, o in _rows(store, query):
        found[s.value].add((p, o))


def _summary(store: ox.Store, iris: set[str], cache: dict[str, set[tuple]]) -> None:
    """Add to ``cache`` the :data:`SUMMARY` statements of ``iris`` not yet in it."""
    wanted = sorted(i for i in iris if i not in cache)
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        found: dict[str, set[tuple]] = defaultdict(set)
        query = f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {_values(chunk)} }} ?s ?p ?o }}"
        _statements(store, query, found)
        for iri in chunk:
            cache[iri] = {
                (p, o)
                for p, o in found.get(iri, ())
                if p.value in SUMMARY
                and not (p.value == SKOS + "prefLabel" and getattr(o, "language", None) != "en")
            }


def _linked(found: dict[str, set[tuple]], subjects: list[str], predicates) -> set[str]:
    return {
        o.value
        for s in subjects
        for p, o in found.get(s, ())
        if p.value in predicates and isinstance(o, ox.NamedNode)
    }


def _batch_statements(
    store: ox.Store, actions: list[str], cache: dict[str, set[tuple]]
) -> dict[str, list[tuple]]:
    """Subject IRI -> sorted (predicate, object) pairs for the actions of a batch, their
    mobilisations, the evidence of both and the summaries of what they link to
    (``cache`` keeps summaries across batches: countries and themes recur)."""
    values = _values(actions)
    found: dict[str, set[tuple]] = defaultdict(set)
    # the actions and their mobilisations
    _statements(
        store,
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?a {{ {values} }} "
        f"{{ ?a ?p ?o BIND(?a AS ?s) }} UNION {{ ?a <{CG}expertMobilisation> ?s . ?s ?p ?o }} }}",
        found,
    )
    # the evidence of both
    _statements(
        store,
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?a {{ {values} }} "
        f"{{ ?s <{RDF}subject> ?a }} UNION "
        f"{{ ?a <{CG}expertMobilisation> ?m . ?s <{RDF}subject> ?m }} ?s ?p ?o }}",
        found,
    )
    mobilisations = list(_linked(found, actions, {CG + "expertMobilisation"}))
    linked = _linked(found, actions + mobilisations, set(EMBED))
    _summary(store, linked, cache)
    _summary(store, _linked(cache, sorted(linked), {CG + "country"}), cache)
    for iri in cache.keys() & (linked | _linked(cache, sorted(linked), {CG + "country"})):
        found[iri] |= cache[iri]
    return {
        s: sorted(pairs, key=lambda po: (po[0].value, str(po[1]))) for s, pairs in found.items()
    }


class _Builder:
    """Turns a batch's statements into nested node objects."""

    def __init__(self, statements: dict[str, list[tuple]], compactor: Compactor):
        self.statements = statements
        self.compactor = compactor
        self.evidence: dict[str, list[str]] = defaultdict(list)
        for subject, pairs in statements.items():
            for p, o in pairs:
                if p.value == RDF + "subject" and isinstance(o, ox.NamedNode):
                    self.evidence[o.value].append(subject)

    def _evidence(self, subject: str) -> list[JSON]:
        return [
            self.compactor.node(ox.NamedNode(e), self.statements[e])
            for e in sorted(self.evidence.get(subject, ()))
        ]

    def _embedded(self, iri: str, depth: int) -> JSON | ox.NamedNode:
        pairs = self.statements.get(iri)
        if not pairs or depth > 2:
            return ox.NamedNode(iri)
        kept = [(p, self._object(p, o, depth + 1)) for p, o in pairs if p.value in SUMMARY]
        return self.compactor.node(ox.NamedNode(iri), kept)

    def _object(self, predicate: ox.NamedNode, obj: Any, depth: int) -> Any:
        if isinstance(obj, ox.NamedNode) and predicate.value in (*EMBED, CG + "country"):
            return self._embedded(obj.value, depth)
        return obj

    def _mobilisation(self, iri: str) -> JSON:
        pairs = [(p, self._object(p, o, 1)) for p, o in self.statements.get(iri, [])]
        return self.compactor.node(
            ox.NamedNode(iri), pairs, reverse={RDF + "subject": self._evidence(iri)}
        )

    def action(self, iri: str) -> JSON:
        pairs = []
        for p, o in self.statements.get(iri, []):
            if p.value == CG + "expertMobilisation" and isinstance(o, ox.NamedNode):
                pairs.append((p, self._mobilisation(o.value)))
            else:
                pairs.append((p, self._object(p, o, 1)))
        return self.compactor.node(
            ox.NamedNode(iri), pairs, reverse={RDF + "subject": self._evidence(iri)}
        )


def action_iris(store: ox.Store) -> list[str]:
    """Every action's IRI, sorted."""
    query = f"SELECT DISTINCT ?a WHERE {{ ?a a <{CG}Action> }}"
    return sorted(row[0].value for row in _rows(store, query))


def action_nodes(store: ox.Store, *, batch: int = BATCH) -> Iterator[JSON]:
    """One framed node object per action, in IRI order."""
    compactor = Compactor(context())
    actions = action_iris(store)
    cache: dict[str, set[tuple]] = {}
    for start in range(0, len(actions), batch):
        chunk = actions[start : start + batch]
        builder = _Builder(_batch_statements(store, chunk, cache), compactor)
        for iri in chunk:
            yield builder.action(iri)


def write_actions(store: ox.Store, out: BinaryIO, *, embed_context: bool = False) -> int:
    """Write the ``action`` frame to ``out``; return the number of actions written."""
    count = 0

    def counted() -> Iterator[JSON]:
        nonlocal count
        for node in action_nodes(store):
            count += 1
            yield node

    write_document(counted(), out, embed_context=embed_context)
    return count
