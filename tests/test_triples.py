"""The N-Triples / N-Quads writer of kg.triples, read back by Oxigraph's parser."""

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.triples import Triples, nquad_chunks, nt_term

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


def test_a_graph_as_nquads_and_in_chunks_reads_back_whole():
    t = Triples()
    for i, obj in enumerate(OBJECTS):
        t.add((URIRef(f"{S}{i}"), P, obj))
    t.add((BNode("b1"), P, Literal("blank subject")))
    expected = {
        ox.Quad(ox.NamedNode(f"{S}{i}"), ox.NamedNode(str(P)), _as_ox(o), ox.NamedNode(str(G)))
        for i, o in enumerate(OBJECTS)
    }
    whole = list(ox.parse(t.nquads(G), format=ox.RdfFormat.N_QUADS))
    chunks = list(nquad_chunks(t, G, lines=3))
    assert len(chunks) == -(-len(t) // 3)
    chunked = [q for c in chunks for q in ox.parse(c, format=ox.RdfFormat.N_QUADS)]
    for quads in (whole, chunked):
        assert len(quads) == len(t)
        assert {q for q in quads if isinstance(q.subject, ox.NamedNode)} == expected
        (blank,) = [q for q in quads if isinstance(q.subject, ox.BlankNode)]
        assert blank.object == ox.Literal("blank subject")


def test_a_node_that_is_not_a_term_is_refused():
    with pytest.raises(TypeError, match="not an RDF term"):
        nt_term("just a string")
