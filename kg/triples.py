"""A plain set of rdflib triples that writes itself as N-Triples.

The build makes one graph per document, hundreds of triples per action, and only adds
to them, iterates them and writes them out. rdflib's ``Graph`` indexes every triple
three ways as it is added (tens of microseconds a triple); this set does not, which
made the rdfize stage several times faster. It offers the few ``Graph`` methods the
pipeline uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
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
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^<{term.datatype}>"
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
        g = nt_term(graph)
        return "".join(
            f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {g} .\n" for s, p, o in self._triples
        ).encode("utf-8")


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
    g = nt_term(graph)
    batch: list[str] = []
    for s, p, o in triples:
        batch.append(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {g} .\n")
        if len(batch) >= lines:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")
