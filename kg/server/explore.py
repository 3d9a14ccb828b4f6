"""What the web pages show, read from the store through SPARQL as plain data.

:func:`entity` gathers one resource's facts (outgoing and incoming), the labels of
everything they mention and, for each fact, its ``cg:Evidence``: the quote, the
character span, the rule and the source document, with the text around the quote
taken from the document text the store keeps. :func:`describe` gives the same
resource as RDF triples (for Turtle and JSON-LD), :func:`search` finds resources by
title, name or label, :func:`browse` lists the resources of one kind and
:func:`overview` counts them.

Every query is ``SELECT DISTINCT`` or deduplicated, since the store's union default
graph repeats a triple once per named graph that states it. Values are bound as
N-Triples terms (:func:`kg.queries.values_clause`), never pasted in as text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.queries import values_clause

BASE = "https://w3id.org/coopgraph/"
ID = BASE + "id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREFIX = """PREFIX cg: <https://w3id.org/coopgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
#: Most facts listed for one resource, each way.
MAX_FACTS = 2000
#: Characters of source text shown on each side of a quote.
CONTEXT_CHARS = 100
#: The properties whose values name a resource, in order of preference.
LABEL_PATH = "skos:prefLabel|dcterms:title|rdfs:label|cg:acronym|skos:altLabel"


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the quote, its span in the document, the rule, and the
    source text around it (empty when the store does not hold the document text)."""

    quote: str | None
    start: int | None
    end: int | None
    rule: str | None
    document: str | None
    document_title: str | None
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Fact:
    """One triple about the resource and the evidence for it."""

    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    object: ox.NamedNode | ox.BlankNode | ox.Literal
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Entity:
    """A resource: its label and types, what it states (``outgoing``), what points
    to it (``incoming``, evidence nodes left out) and a label for every IRI either
    mentions."""

    iri: str
    label: str
    types: tuple[str, ...]
    outgoing: tuple[Fact, ...]
    incoming: tuple[Fact, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    truncated: bool = False


@dataclass(frozen=True)
class Hit:
    """A search result or a listed resource."""

    iri: str
    label: str
    types: tuple[str, ...] = ()


def _rows(store, query: str) -> list[ox.QuerySolution]:
    return list(store.ox.query(PREFIX + query, use_default_graph_as_union=True))


def _value(term) -> str | None:
    return None if term is None else term.value


def _int(term) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


# -- labels ---------------------------------------------------------------------------------


def pick_label(candidates: Iterable[ox.Literal]) -> str | None:
    """The label to show: English first, then untagged, then any; the shortest, then
    the first in code-point order among equals.

    Examples
    --------
    >>> pick_label([ox.Literal("Pérou", language="fr"), ox.Literal("Peru", language="en")])
    'Peru'
    >>> pick_label([]) is None
    True
    """
    ranked = sorted(
        candidates,
        key=lambda lit: (
            0 if (lit.language or "").startswith("en") else 1 if not lit.language else 2,
            len(lit.value),
            lit.value,
        ),
    )
    return ranked[0].value if ranked else None


def labels(store, iris: Iterable[str], *, batch: int = 400) -> dict[str, str]:
    """A label for each of ``iris`` that has one (see :func:`pick_label`); names
    (``skos:prefLabel``, ``dcterms:title``, ``rdfs:label``) win over acronyms and
    alternative names."""
    wanted = sorted(set(iris))
    found: dict[str, dict[int, list[ox.Literal]]] = defaultdict(lambda: defaultdict(list))
    rank = {
        "http://www.w3.org/2004/02/skos/core#prefLabel": 0,
        "http://purl.org/dc/terms/title": 0,
        "http://www.w3.org/2000/01/rdf-schema#label": 0,
        "https://w3id.org/coopgraph/ontology#acronym": 1,
        "http://www.w3.org/2004/02/skos/core#altLabel": 2,
    }
    for i in range(0, len(wanted), batch):
        values = " ".join(f"<{iri}>" for iri in wanted[i : i + batch])
        for row in _rows(
            store,
            f"SELECT DISTINCT ?x ?p ?label WHERE {{ VALUES ?x {{ {values} }} "
            f"?x ?p ?label . VALUES ?p {{ {' '.join(f'<{p}>' for p in rank)} }} "
            "FILTER(isLiteral(?label)) }",
        ):
            found[row["x"].value][rank[row["p"].value]].append(row["label"])
    out = {}
    for iri, by_rank in found.items():
        chosen = pick_label(by_rank[min(by_rank)])
        if chosen:
            out[iri] = chosen
    return out


# -- one resource -----------------------------------------------------------------------------


def _evidence_rows(store, pattern: str) -> list[ox.QuerySolution]:
    return _rows(
        store,
        "SELECT DISTINCT ?s ?p ?o ?quote ?start ?end ?rule ?doc ?title ?sha WHERE { "
        f"{pattern} "
        "OPTIONAL { ?e cg:quote ?quote } OPTIONAL { ?e cg:charStart ?start } "
        "OPTIONAL { ?e cg:charEnd ?end } OPTIONAL { ?e cg:rule ?rule } "
        "OPTIONAL { ?e prov:wasDerivedFrom ?doc "
        "  OPTIONAL { ?doc dcterms:title ?title } OPTIONAL { ?doc cg:sha256 ?sha } } "
        f"}} LIMIT {MAX_FACTS * 4}",
    )


class _Sources:
    """The document texts the store keeps, read once each."""

    def __init__(self, store):
        self.store = store
        self.texts: dict[str, str | None] = {}

    def context(self, sha: str | None, start: int | None, end: int | None, quote):
        """(before, after): source text around the span, when it holds the quote."""
        if sha is None or start is None or end is None or not hasattr(self.store, "load_source"):
            return "", ""
        if sha not in self.texts:
            self.texts[sha] = self.store.load_source(sha)
        text = self.texts[sha]
        if text is None or (quote is not None and text[start:end] != quote):
            return "", ""
        return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def _evidence(rows: Sequence[ox.QuerySolution], sources: _Sources) -> dict[tuple, list[Evidence]]:
    """Evidence by (subject, predicate, object), each list sorted by document and span."""
    out: dict[tuple, list[Evidence]] = defaultdict(list)
    for row in rows:
        start, end = _int(row["start"]), _int(row["end"])
        quote = _value(row["quote"])
        before, after = sources.context(_value(row["sha"]), start, end, quote)
        out[row["s"], row["p"], row["o"]].append(
            Evidence(
                quote,
                start,
                end,
                _value(row["rule"]),
                _value(row["doc"]),
                _value(row["title"]),
                before,
                after,
            )
        )
    for found in out.values():
        found.sort(key=lambda e: (e.document_title or "", e.start or 0, e.end or 0, e.rule or ""))
    return out


def _facts(rows, subject, obj, evidence) -> list[Fact]:
    facts = []
    for row in rows:
        s = subject if subject is not None else row["s"]
        o = obj if obj is not None else row["o"]
        key = (s, row["p"], o)
        facts.append(Fact(s, row["p"], o, tuple(dict.fromkeys(evidence.get(key, ())))))
    facts.sort(key=lambda f: (f.predicate.value, str(f.subject), str(f.object)))
    return facts


def entity(store, iri: str) -> Entity | None:
    """Everything the pages show about ``iri``, or None when the store says nothing
    about it (neither as subject nor as object)."""
    node = ox.NamedNode(iri)
    term = str(node)
    out_rows = _rows(store, f"SELECT DISTINCT ?p ?o WHERE {{ {term} ?p ?o }} LIMIT {MAX_FACTS}")
    in_rows = _rows(
        store,
        f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {term} "
        "FILTER NOT EXISTS { ?s a cg:Evidence } } "
        f"LIMIT {MAX_FACTS}",
    )
    if not out_rows and not in_rows:
        return None
    sources = _Sources(store)
    said = f"?e rdf:subject {term} ; rdf:predicate ?p ; rdf:object ?o . BIND({term} AS ?s)"
    told = f"?e rdf:object {term} ; rdf:subject ?s ; rdf:predicate ?p . BIND({term} AS ?o)"
    outgoing = _facts(out_rows, node, None, _evidence(_evidence_rows(store, said), sources))
    incoming = _facts(in_rows, None, node, _evidence(_evidence_rows(store, told), sources))
    mentioned = {iri}
    for fact in (*outgoing, *incoming):
        for t in (fact.subject, fact.predicate, fact.object):
            if isinstance(t, ox.NamedNode):
                mentioned.add(t.value)
        for ev in fact.evidence:
            mentioned.update(x for x in (ev.rule, ev.document) if x)
    named = labels(store, mentioned)
    types = tuple(sorted({f.object.value for f in outgoing if f.predicate.value == RDF_TYPE}))
    return Entity(
        iri=iri,
        label=named.get(iri) or iri.rsplit("/", 1)[-1],
        types=types,
        outgoing=tuple(outgoing),
        incoming=tuple(incoming),
        labels=named,
        truncated=len(out_rows) >= MAX_FACTS or len(in_rows) >= MAX_FACTS,
    )


def describe(store, iri: str) -> list[ox.Triple]:
    """The triples that describe ``iri`` for Turtle and JSON-LD: what it states, what
    points to it (evidence nodes left out), and the evidence nodes for its facts with
    all they state; deduplicated, in a stable order. Empty when the store says nothing
    about ``iri``."""
    term = str(ox.NamedNode(iri))
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { "
        f"{{ BIND({term} AS ?s) ?s ?p ?o }} "
        f"UNION {{ BIND({term} AS ?o) ?s ?p ?o FILTER NOT EXISTS {{ ?s a cg:Evidence }} }} "
        f"UNION {{ ?s rdf:subject {term} ; ?p ?o }} "
        "}"
    )
    triples = set(store.ox.query(PREFIX + query, use_default_graph_as_union=True))
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


# -- many resources ---------------------------------------------------------------------------

#: The kinds of resource the pages list: name -> (heading, SPARQL pattern on ?x).
KINDS: dict[str, tuple[str, str]] = {
    "actions": ("Actions", "?x a cg:Action ."),
    "organisations": ("Organisations", "?x a org:Organization ."),
    "countries": (
        "Countries",
        "?x a cg:Country . FILTER EXISTS { ?a cg:partnerCountry|cg:expertCountry|cg:country ?x }",
    ),
    "themes": ("Themes", "?x a cg:Theme ."),
    "events": ("Events", "?x a cg:Event ."),
    "programmes": ("Programmes", "?x a cg:Programme ."),
    "reports": ("Reports", "?x a cg:Report ."),
    "documents": ("Source documents", "?x a cg:SourceDocument ."),
}


def _hits(store, rows: Iterable[ox.QuerySolution]) -> list[Hit]:
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        types[row["x"].value]
        if row["type"] is not None:
            types[row["x"].value].add(row["type"].value)
    named = labels(store, types)
    hits = [
        Hit(iri, named.get(iri) or iri.rsplit("/", 1)[-1], tuple(sorted(types[iri])))
        for iri in types
    ]
    hits.sort(key=lambda h: (h.label.casefold(), h.iri))
    return hits


def browse(store, kind: str, *, limit: int = 5000) -> list[Hit]:
    """The resources of ``kind`` (a key of :data:`KINDS`), by label.

    Raises
    ------
    KeyError
        When ``kind`` is not one of :data:`KINDS`.
    """
    pattern = KINDS[kind][1]
    rows = _rows(
        store,
        f"SELECT DISTINCT ?x ?type WHERE {{ {pattern} OPTIONAL {{ ?x a ?type }} "
        f"FILTER(isIRI(?x)) }} LIMIT {limit}",
    )
    return _hits(store, rows)


def search(store, text: str, *, limit: int = 200) -> list[Hit]:
    """Resources whose title, name, label, alternative name or acronym contains
    ``text`` (case-insensitive); evidence and vocabulary-internal nodes have none, so
    they never show."""
    needle = text.strip()
    if not needle:
        return []
    bound = values_clause({"needle": ox.Literal(needle.lower())})
    rows = _rows(
        store,
        f"SELECT DISTINCT ?x ?type WHERE {{ {{ SELECT DISTINCT ?x WHERE {{ {bound} "
        f"?x {LABEL_PATH} ?label . FILTER(isIRI(?x) && CONTAINS(LCASE(STR(?label)), ?needle)) "
        f"}} LIMIT {limit} }} OPTIONAL {{ ?x a ?type }} }}",
    )
    return _hits(store, rows)


def overview(store) -> dict[str, int]:
    """How many resources of each of :data:`KINDS` the store holds."""
    counts = {}
    for kind, (_, pattern) in KINDS.items():
        rows = _rows(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
        counts[kind] = _int(rows[0]["n"]) or 0 if rows else 0
    return counts
