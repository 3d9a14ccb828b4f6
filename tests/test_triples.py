"""The N-Triples / N-Quads writer of kg.triples, read back by Oxigraph's parser."""

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.triples import Triples, nt_term, ntriples_chunks

S = URIRef("https://w3id.org/coopgraph/id/s")
P = URIRef("https://w3id.org/coopgraph/ontology#p")
G = URIRef("https://w3id.org/coopgraph/graph/doc")

OBJECTS = [
    URIRef("https://example.org/a?b=c#d"),
    Literal("plain"),
    Literal(""),
    Literal('quote " inside'),
    Literal("back\\slash"),
    Literal("line\nbreak and\rreturn"),
    Literal("carriage\rreturn"),
    Literal("tab\tand ünïcödé ✓"),
    Literal('mixed \\ " \n', lang="fr"),
    Literal("Accra", lang="en-GB"),
    Literal("x", datatype=XSD.string),
    Literal(42),
    Literal("007", datatype=XSD.integer),
    Literal("2024-03-01", datatype=XSD.date),
    Literal("1.5", datatype=XSD.decimal),
    Literal("odd", datatype=URIRef("https://example.org/type")),
    Literal("<b>", datatype=RDF.HTML),
]


def _as_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


@pytest.mark.parametrize("obj", OBJECTS, ids=repr)
def test_each_term_reads_back_as_itself(obj):
    line = f"{nt_term(S)} {nt_term(P)} {nt_term(obj)} .\n".encode()
    (parsed,) = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
    assert parsed.object == _as_ox(obj)


def test_a_graph_as_nquads_as_ntriples_and_in_chunks_reads_back_whole():
    t = Triples()
    for i, obj in enumerate(OBJECTS):
        t.add((URIRef(f"{S}{i}"), P, obj))
    t.add((BNode("b1"), P, Literal("blank subject")))
    expected = {
        ox.Quad(ox.NamedNode(f"{S}{i}"), ox.NamedNode(str(P)), _as_ox(o), ox.NamedNode(str(G)))
        for i, o in enumerate(OBJECTS)
    }
    whole = list(ox.parse(t.nquads(G), format=ox.RdfFormat.N_QUADS))
    chunks = list(ntriples_chunks(t, lines=3))
    assert len(chunks) == -(-len(t) // 3)
    chunked = [q for c in chunks for q in _into_g(c)]
    triples = _into_g(t.ntriples())
    for quads in (whole, chunked, triples):
        assert len(quads) == len(t)
        assert {q for q in quads if isinstance(q.subject, ox.NamedNode)} == expected
        (blank,) = [q for q in quads if isinstance(q.subject, ox.BlankNode)]
        assert blank.object == ox.Literal("blank subject")


def _into_g(ntriples: bytes) -> list:
    """N-Triples read back as quads of graph G."""
    parsed = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return [ox.Quad(q.subject, q.predicate, q.object, _as_ox(G)) for q in parsed]


def test_a_node_that_is_not_a_term_is_refused():
    with pytest.raises(TypeError, match="not an RDF term"):
        nt_term("just a string")


def _parsed(data: bytes | str, fmt=ox.RdfFormat.N_QUADS) -> list:
    return list(ox.parse(data.encode() if isinstance(data, str) else data, format=fmt))


def _one_by_one(triples, graph: URIRef | None) -> set:
    """The triples written one by one, by nt_term, and read back."""
    end = f" {nt_term(graph)} .\n" if graph is not None else " .\n"
    lines = "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}{end}" for s, p, o in triples)
    return set(_parsed(lines, ox.RdfFormat.N_QUADS if graph else ox.RdfFormat.N_TRIPLES))


def test_triples_written_ahead_read_back_as_the_triples_the_graph_holds():
    """Blocks written as added, a block naming a statement twice, a second block about a
    subject (sharing a statement with the first), a statement both added and in a
    block: every statement once, as N-Quads of two graphs and as N-Triples (sorted by
    line, and as written)."""
    a, b = URIRef(f"{S}/a"), URIRef(f"{S}/b")
    first = [(a, P, Literal('say "hi"\n', lang="en")), (a, RDF.type, P), (a, RDF.type, P)]
    second = [(a, RDF.type, P), (a, P, Literal(7))]
    other = URIRef("https://w3id.org/coopgraph/graph/other")
    t = Triples()
    t.add((b, P, Literal("before")))
    t.add(first[1])
    for subject, triples in ((a, first), (b, [(b, P, a)]), (a, second)):
        t.add_about(subject, [(p, o) for _, p, o in triples])
    t.add((b, P, a))
    assert len(t) == 5 == len(set(t))
    for graph in (G, other, None):
        data = t.nquads(graph) if graph is not None else t.serialize(format="nt")
        fmt = ox.RdfFormat.N_QUADS if graph is not None else ox.RdfFormat.N_TRIPLES
        statements = _parsed(data, fmt)
        assert len(statements) == len(t)
        assert set(statements) == _one_by_one(t, graph)
    statements = _parsed(t.ntriples(), ox.RdfFormat.N_TRIPLES)
    assert len(statements) == len(t)
    assert set(statements) == _one_by_one(t, None)
    lines = t.serialize(format="nt").splitlines()
    assert lines == sorted(lines)


def test_a_document_graph_writes_each_of_its_triples_once():
    """Read back, a document's N-Quads (its evidence written as added) are its
    triples, each once."""
    from conftest import SEEDS

    from kg.build import extract_document
    from kg.documents import discover, read_document
    from kg.iri import document_iri
    from kg.rdfize import document_graph
    from kg.resolve import OrgIndex, resolve_document, resolve_organisations, signatures
    from kg.resources import resource_dir

    paths = discover([resource_dir("corpus")]) + (discover([SEEDS]) if SEEDS.is_dir() else [])
    for path in paths:
        doc = read_document(path.name, path.read_bytes())
        records, _, layouts = extract_document(doc)
        index = OrgIndex()
        index.add(doc.name, signatures(doc.name, records))
        res = resolve_document(doc.name, records, resolve_organisations(index))
        graph = document_graph(doc.name, doc.text, doc.sha256, layouts, res.records[doc.name], res)
        quads = _parsed(graph.nquads(document_iri(doc.name)))
        assert len(quads) == len(graph), path.name
        assert set(quads) == _one_by_one(graph, document_iri(doc.name)), path.name
        triples = _parsed(graph.ntriples(), ox.RdfFormat.N_TRIPLES)
        assert len(triples) == len(graph), path.name
        assert set(triples) == _one_by_one(graph, None), path.name
