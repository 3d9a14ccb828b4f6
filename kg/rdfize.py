"""Rdfize: resolved records -> triples, one graph per source document.

Every fact becomes a triple plus a ``cg:Evidence`` node naming the document, the
character span, the quoted text and the rule. The table :data:`PROPERTIES` says which
property each record field becomes; values are converted by their prefix (see
:mod:`kg.records`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cache, lru_cache

from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS
from rdflib.term import Node

from kg.gazetteer import is_eu_member
from kg.iri import document_iri, mint, named
from kg.mentions import programme_entries
from kg.namespace import CG
from kg.records import Fact, Record
from kg.resolve import Finding, Resolution
from kg.rules import RULES
from kg.triples import Terms, Triples
from kg.vocabulary import SCHEMES

# looked up once each: a namespace attribute costs about a microsecond, and a document
# of a thousand actions writes 150,000 statements
CG, RDF, RDFS, XSD, DCTERMS, ORG, PROV, SKOS = map(  # type: ignore[assignment]
    Terms, (CG, RDF, RDFS, XSD, DCTERMS, ORG, PROV, SKOS)
)
SCHEMA = Terms(Namespace("https://schema.org/"))
COUNTRY = "https://w3id.org/coopgraph/id/country/"

#: (record kind or "*", field) -> property.
PROPERTIES: dict[tuple[str, str], URIRef] = {
    ("*", "title"): DCTERMS.title,
    ("*", "description"): DCTERMS.description,
    ("*", "theme"): CG.theme,
    ("*", "startDate"): SCHEMA.startDate,
    ("*", "endDate"): SCHEMA.endDate,
    ("*", "mentionedDate"): CG.mentionedDate,
    ("*", "mentionedCountry"): CG.mentionedCountry,
    ("*", "country"): CG.country,
    ("*", "programme"): CG.programme,
    ("*", "figure"): CG.figure,
    ("*", "date"): DCTERMS.date,
    ("action", "actionCode"): CG.actionCode,
    ("action", "partnerInstitution"): CG.partnerInstitution,
    ("action", "partnerCountry"): CG.partnerCountry,
    ("action", "assistanceType"): CG.assistanceType,
    ("action", "expertCountry"): CG.expertCountry,
    ("action", "buildsOn"): CG.buildsOn,
    ("action", "runsInParallelWith"): CG.runsInParallelWith,
    ("action", "relatedAction"): CG.relatedAction,
    ("action", "fundedBy"): CG.fundedBy,
    ("organisation", "name"): SKOS.prefLabel,
    ("organisation", "altName"): SKOS.altLabel,
    ("organisation", "acronym"): CG.acronym,
    ("organisation", "classification"): ORG.classification,
    ("organisation", "subOrganizationOf"): ORG.subOrganizationOf,
    ("programme", "name"): SKOS.prefLabel,
    ("programme", "altName"): SKOS.altLabel,
    ("programme", "acronym"): CG.acronym,
    ("programme", "implementedBy"): CG.implementedBy,
    ("programme", "fundedBy"): CG.fundedBy,
    ("event", "type"): RDF.type,
    ("event", "location"): SCHEMA.location,
    ("event", "organizer"): SCHEMA.organizer,
    ("event", "attendee"): SCHEMA.attendee,
    ("event", "sponsor"): SCHEMA.sponsor,
    ("report", "publisher"): DCTERMS.publisher,
    ("figure", "value"): SCHEMA.value,
    ("figure", "unitText"): SCHEMA.unitText,
    ("figure", "qualifier"): RDFS.comment,
    ("document", "actionCode"): DCTERMS.references,
}
#: Record kind -> the class its node gets.
CLASSES = {
    "action": CG.Action,
    "organisation": ORG.Organization,
    "event": CG.Event,
    "report": CG.Report,
    "programme": CG.Programme,
    "figure": CG.StatedFigure,
    "document": CG.SourceDocument,
}
#: Fields that become findings instead of triples.
FINDING_FIELDS = {"unknownAssistanceType": "unknown-assistance-type"}
#: Fields whose facts are candidate links (the value is probable, not certain).
CANDIDATE_FIELDS = {"forAction": CG.forAction}
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


@lru_cache(maxsize=1 << 16)
def _integer(value: int) -> Literal:
    """An xsd:integer literal (making one takes rdflib a few microseconds)."""
    return Literal(value)


@lru_cache(maxsize=1024)
def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


@lru_cache(maxsize=4096)
def _rule_node(rule: str) -> URIRef:
    return named("rule", rule)


_CONCEPT_BASES = {prefix: base for prefix, (_, base) in SCHEMES.items()}


def _code_node(code: str) -> URIRef:
    return named("action", f"code/{code}")


def convert(value: str, doc: str, res: Resolution) -> Node | None:
    """The RDF term for a prefixed fact value (None for a dangling reference)."""
    prefix, _, rest = value.partition(":")
    if prefix == "text" or prefix == "period":
        return Literal(rest)
    if prefix == "lang":
        lang, _, text = rest.partition(":")
        return Literal(text, lang=lang)
    if prefix == "date":
        return Literal(rest, datatype=_DATE_TYPES[len(rest)])
    if prefix == "number":
        number = Decimal(rest)
        return Literal(int(number)) if number == number.to_integral_value() else Literal(number)
    if prefix == "country":
        return URIRef(COUNTRY + rest)
    if prefix in _CONCEPT_BASES:
        return URIRef(_CONCEPT_BASES[prefix] + rest)
    if prefix == "programme":
        return named("programme", rest)
    if prefix == "code":
        return _code_node(rest)
    if prefix == "class":
        return CG[rest]
    if prefix == "ref":
        return res.iris.get((doc, rest))
    raise ValueError(f"unknown value prefix in {value!r}")


class _Writer:
    """Adds one document's triples and their evidence to a graph."""

    def __init__(self, graph: Triples, doc: str, text: str, doc_iri: URIRef):
        self.graph, self.doc, self.text, self.doc_iri = graph, doc, text, doc_iri
        self.rules: set[str] = set()

    def evidence(self, s: URIRef, p: URIRef, o: Node, fact: Fact) -> None:
        g = self.graph
        ev = mint(
            "evidence",
            str(s),
            str(p),
            str(o),
            self.doc,
            str(fact.start),
            str(fact.end),
            readable="e",
        )
        # (written as they are made: nine statements in ten of a build are evidence)
        about = [
            (RDF.type, CG.Evidence),
            (RDF.subject, s),
            (RDF.predicate, p),
            (RDF.object, o),
            (PROV.wasDerivedFrom, self.doc_iri),
            (CG.charStart, _integer(fact.start)),
            (CG.charEnd, _integer(fact.end)),
            (CG.quote, Literal(self.text[fact.start : fact.end])),
            (CG.rule, _rule_node(fact.rule)),
        ]
        if fact.confidence < 1:
            about.append((CG.confidence, _decimal(fact.confidence)))
        g.add_about(ev, about)
        self.rules.add(fact.rule)

    def fact(self, s: URIRef, p: URIRef, o: Node, fact: Fact) -> None:
        self.graph.add((s, p, o))
        self.evidence(s, p, o, fact)


def _add_record(w: _Writer, rec: Record, subject: URIRef, res: Resolution) -> None:
    g = w.graph
    if rec.kind != "document":
        g.add((subject, RDF.type, CLASSES[rec.kind]))
        g.add((subject, PROV.wasDerivedFrom, w.doc_iri))
    for fact in rec.facts:
        if fact.prop in FINDING_FIELDS:
            _finding(w, subject, FINDING_FIELDS[fact.prop], fact)
            continue
        obj = convert(fact.value, w.doc, res)
        if obj is None:
            continue
        if fact.prop in CANDIDATE_FIELDS:
            _candidate(w, subject, CANDIDATE_FIELDS[fact.prop], obj, fact)
            continue
        prop = PROPERTIES.get((rec.kind, fact.prop)) or PROPERTIES.get(("*", fact.prop))
        if prop is None:
            raise KeyError(f"no property for {rec.kind}.{fact.prop}")
        if prop == SKOS.prefLabel and subject in res.labels and str(obj) != res.labels[subject]:
            prop = SKOS.altLabel
        w.fact(subject, prop, obj, fact)
        if fact.value.startswith("code:"):
            code = fact.value[5:]
            g.add((obj, CG.actionCode, Literal(code)))
            g.add((obj, RDFS.label, Literal(f"Action {code}")))
        if rec.kind == "action" and prop == CG.expertCountry:
            _mobilisation(w, subject, obj, fact)
        if fact.value.startswith("programme:"):
            _programme(g, obj, fact.value[10:])


def _programme(g: Triples, node: Node, slug: str) -> None:
    """A gazetteer programme named by a fact: typed and labelled where it is used."""
    entry = programme_entries().get(slug)
    g.add((node, RDF.type, CG.Programme))
    if entry is not None:
        g.add((node, SKOS.prefLabel, Literal(entry.name, lang="en")))
        if entry.acronym:
            g.add((node, CG.acronym, Literal(entry.acronym)))


def _mobilisation(w: _Writer, action: URIRef, country: Node, fact: Fact) -> None:
    g = w.graph
    mob = mint("mobilisation", str(action), str(country), readable="m")
    g.add((action, CG.expertMobilisation, mob))
    g.add((mob, RDF.type, CG.ExpertMobilisation))
    if not is_eu_member(str(country)[len(COUNTRY) :]):
        g.add((mob, RDF.type, CG.TriangularMobilisation))
    g.add((mob, CG.expertCountry, country))
    w.evidence(mob, CG.expertCountry, country, fact)


def _finding(w: _Writer, about: URIRef, kind: str, fact: Fact) -> None:
    g = w.graph
    node = mint("finding", kind, str(about), w.doc, str(fact.start), readable=kind)
    g.add((node, RDF.type, CG.Finding))
    g.add((node, CG.findingKind, Literal(kind)))
    g.add((node, CG.about, about))
    g.add((node, RDFS.comment, Literal(w.text[fact.start : fact.end])))
    g.add((node, PROV.wasDerivedFrom, w.doc_iri))


def _candidate(w: _Writer, source: URIRef, relation: URIRef, target: Node, fact: Fact) -> None:
    g = w.graph
    node = mint("link", str(source), str(relation), str(target), readable="link")
    g.add((node, RDF.type, CG.CandidateLink))
    g.add((node, CG.linkSource, source))
    g.add((node, CG.linkTarget, target))
    g.add((node, CG.linkRelation, relation))
    g.add((node, CG.confidence, _decimal(fact.confidence)))
    g.add((node, PROV.wasDerivedFrom, w.doc_iri))
    w.evidence(node, CG.linkTarget, target, fact)
    if fact.value.startswith("code:"):
        g.add((target, CG.actionCode, Literal(fact.value[5:])))
        g.add((target, RDFS.label, Literal(f"Action {fact.value[5:]}")))


@cache
def rule_description(rule: str) -> str:
    """A readable label for a rule name."""
    return rule.replace("-", " ")


def document_graph(
    name: str,
    text: str,
    sha256: str,
    layouts: Iterable[str],
    records: list[Record],
    res: Resolution,
) -> Triples:
    """The graph of one source document: its node, its records' facts and evidence."""
    doc_iri = document_iri(name)
    graph = Triples()
    w = _Writer(graph, name, text, doc_iri)
    graph.add((doc_iri, RDF.type, CG.SourceDocument))
    graph.add((doc_iri, DCTERMS.title, Literal(name)))
    graph.add((doc_iri, CG.sha256, Literal(sha256)))
    for layout in sorted(set(layouts)):
        graph.add((doc_iri, CG.layout, Literal(layout)))
    for rec in records:
        _add_record(w, rec, res.iris[(name, rec.local_id)], res)
    for rule in sorted(w.rules):
        node = named("rule", rule)
        graph.add((node, RDF.type, CG.ExtractionRule))
        graph.add((node, RDFS.label, Literal(rule.replace("-", " "), lang="en")))
        if rule in RULES:
            graph.add((node, SKOS.definition, Literal(RULES[rule], lang="en")))
    return graph


def findings_graph(findings: list[Finding]) -> Triples:
    """The graph of corpus-wide findings (conflicts between documents)."""
    graph = Triples()
    for f in findings:
        node = mint("finding", f.kind, str(f.about), readable=f.kind)
        graph.add((node, RDF.type, CG.Finding))
        graph.add((node, CG.findingKind, Literal(f.kind)))
        graph.add((node, CG.about, f.about))
        graph.add((node, RDFS.comment, Literal(f.comment)))
        for doc in f.documents:
            graph.add((node, PROV.wasDerivedFrom, document_iri(doc)))
    return graph
