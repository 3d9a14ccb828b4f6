"""A plain set of rdflib triples that writes itself as N-Triples.

The build makes one graph per document, hundreds of triples per action, and only adds
to them, iterates them and writes them out. rdflib's ``Graph`` indexes every triple
three ways as it is added (tens of microseconds a triple); this set does not, which
made the rdfize stage several times faster. It offers the few ``Graph`` methods the
pipeline uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
_XSD_STRING = str(XSD.string)
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(term: Node) -> str:
    """A term in N-Triples syntax.

    Examples
    --------
    >>> nt_term(Literal('say "hi"\\n', lang="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    >>> nt_term(Literal(3))
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    >>> nt_term(URIRef("https://w3id.org/coopgraph/id/x"))
    '<https://w3id.org/coopgraph/id/x>'
    """
    # (the exact types first: isinstance() on rdflib's terms goes through the ABC
    # machinery, and a build writes tens of millions of terms)
    kind = type(term)
    if kind is URIRef or (kind is not Literal and isinstance(term, URIRef)):
        return f"<{term}>"
    if kind is Literal or isinstance(term, Literal):
        if '"' in term or "\\" in term or "\n" in term or "\r" in term:
            text = '"' + str.translate(term, _ESCAPES) + '"'
        else:  # (most literals: translate() looks up each character)
            text = f'"{term}"'
        if term.language:
            return f"{text}@{term.language}"
        datatype = term.datatype
        if datatype is not None and not str.__eq__(datatype, _XSD_STRING):
            return f"{text}^^<{datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


class Triples:
    """A set of triples with ``add``, iteration, ``len``, ``in`` and an N-Triples
    ``serialize``.

    Examples
    --------
    >>> t = Triples()
    >>> t.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    >>> len(t), t.serialize(format="nt", encoding="utf-8")
    (1, b'<urn:a> <urn:p> "x" .\\n')
    """

    def __init__(self) -> None:
        self._triples: set[Triple] = set()

    def add(self, triple: Triple) -> None:
        self._triples.add(triple)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples

    def serialize(self, format: str = "nt", encoding: str | None = None) -> bytes | str:
        """N-Triples, one line per triple, sorted (so the output is deterministic)."""
        if format not in ("nt", "ntriples"):
            raise ValueError(f"Triples writes N-Triples only, not {format}")
        text = "".join(
            sorted(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in self._triples)
        )
        return text.encode(encoding) if encoding else text

    def nquads(self, graph: URIRef) -> bytes:
        """The triples as N-Quads in graph ``graph``, in no particular order.

        Examples
        --------
        >>> t = Triples()
        >>> t.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
        >>> t.nquads(URIRef("urn:g"))
        b'<urn:a> <urn:p> "x" <urn:g> .\\n'
        """
        return "".join(_quad_lines(self._triples, graph)).encode("utf-8")


def _quad_lines(triples: Iterable[Triple], graph: URIRef) -> list[str]:
    """Each of ``triples`` as an N-Quads line in graph ``graph``."""
    g = f" {nt_term(graph)} .\n"
    return [f"{nt_term(s)} {nt_term(p)} {nt_term(o)}{g}" for s, p, o in triples]


class Terms:
    """A namespace whose terms, once looked up, are plain attributes.

    An rdflib namespace makes a new ``URIRef`` at every lookup (about a microsecond,
    and millions of lookups in a build); a closed one still refuses an unknown name,
    at the first lookup.

    Examples
    --------
    >>> from rdflib import RDF
    >>> rdf = Terms(RDF)
    >>> rdf.type is rdf.type, rdf.type == RDF.type, rdf["type"] is rdf.type
    (True, True, True)
    """

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)


def nquad_chunks(triples: Iterable[Triple], graph: URIRef, lines: int = 10_000) -> Iterator[bytes]:
    """``triples`` as N-Quads in graph ``graph``, ``lines`` statements a chunk.

    Examples
    --------
    >>> list(nquad_chunks([(URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b"))], URIRef("urn:g")))
    [b'<urn:a> <urn:p> <urn:b> <urn:g> .\\n']
    """
    triples = iter(triples)
    while batch := list(islice(triples, lines)):
        yield "".join(_quad_lines(batch, graph)).encode("utf-8")
