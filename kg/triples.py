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
#: The end of an N-Triples line.
_END = " .\n"
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
    """A set of triples with ``add``, iteration (in the order first added), ``len``,
    ``in`` and an N-Triples ``serialize``.

    The order matters for speed, not for the result: a graph's triples are made in
    runs that share their subject and sit side by side in memory, and reading them in
    that order rather than a hash order made writing a document's N-Quads 40 %
    faster, and pass 2 of the build 14 % (10k actions).

    Triples about one subject may be written as they are added (:meth:`add_about`),
    while their terms are at hand (an evidence node's statements), as N-Triples.

    Examples
    --------
    >>> t = Triples()
    >>> t.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    >>> len(t), t.serialize(format="nt", encoding="utf-8")
    (1, b'<urn:a> <urn:p> "x" .\\n')
    """

    def __init__(self) -> None:
        # (a set in the order first added; True for a triple a written block holds)
        self._triples: dict[Triple, bool] = {}
        #: N-Triples written by add_about
        self._blocks: list[str] = []
        self._blocked: set[Node] = set()

    def add(self, triple: Triple) -> None:
        self._triples.setdefault(triple, False)

    def add_about(self, subject: Node, pairs: Iterable[tuple[Node, Node]]) -> None:
        """Add a triple ``(subject, p, o)`` for each of ``pairs``, and write them now.

        Examples
        --------
        >>> t = Triples()
        >>> a, p, b = URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b")
        >>> t.add_about(a, [(p, b)])
        >>> t.nquads(URIRef("urn:g")), t.serialize(), (a, p, b) in t
        (b'<urn:a> <urn:p> <urn:b> <urn:g> .\\n', '<urn:a> <urn:p> <urn:b> .\\n', True)
        """
        if subject in self._blocked:
            # a second block about the subject: its triples are written one by one,
            # but for those the first holds
            for p, o in pairs:
                self.add((subject, p, o))
            return
        self._blocked.add(subject)
        pairs = list(pairs)
        if len({p for p, _ in pairs}) < len(pairs):  # (a predicate twice: one line a pair)
            pairs = list(dict.fromkeys(pairs))
        triples = self._triples
        for p, o in pairs:
            triples[(subject, p, o)] = True
        self._blocks.append("".join(_statements(((subject, p, o) for p, o in pairs), _END)))

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
        text = "".join(sorted(self._lines(_END, whole=False)))
        return text.encode(encoding) if encoding else text

    def ntriples(self) -> bytes:
        """The triples as N-Triples, in no particular order (:meth:`serialize` sorts).

        Examples
        --------
        >>> t = Triples()
        >>> t.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
        >>> t.ntriples()
        b'<urn:a> <urn:p> "x" .\\n'
        """
        return "".join(self._lines(_END)).encode()

    def nquads(self, graph: URIRef) -> bytes:
        """The triples as N-Quads in graph ``graph``.

        Examples
        --------
        >>> t = Triples()
        >>> t.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
        >>> t.nquads(URIRef("urn:g"))
        b'<urn:a> <urn:p> "x" <urn:g> .\\n'
        """
        return "".join(self._lines(f" {nt_term(graph)} .\n")).encode()

    def _lines(self, end: str, *, whole: bool = True) -> list[str]:
        """The triples, those of the written blocks included, as lines ending in
        ``end`` (several lines to an item where a block is, when ``whole``)."""
        lines = _statements((t for t, held in self._triples.items() if not held), end)
        if whole and end == _END:
            lines += self._blocks
        else:  # (no term holds a line break: each is a line's end)
            lines += (line + end for b in self._blocks for line in b.split(_END) if line)
        return lines


#: Predicates in N-Triples (the vocabulary's few, written once each).
_VERBS: dict[Node, str] = {}


def _statements(triples: Iterable[Triple], end: str) -> list[str]:
    """Each of ``triples`` as a line ending in ``end``."""
    # (a subject written once for the run of triples that share it: triples come
    # grouped by subject)
    verbs = _VERBS
    lines = []
    subject = written = None
    for s, p, o in triples:
        if s is not subject:
            subject, written = s, nt_term(s)
        if (verb := verbs.get(p)) is None:
            verb = verbs[p] = nt_term(p)
        lines.append(f"{written} {verb} {nt_term(o)}{end}")
    return lines


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


def ntriples_chunks(triples: Iterable[Triple], lines: int = 10_000) -> Iterator[bytes]:
    """``triples`` as N-Triples, ``lines`` statements a chunk.

    Examples
    --------
    >>> list(ntriples_chunks([(URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b"))]))
    [b'<urn:a> <urn:p> <urn:b> .\\n']
    """
    triples = iter(triples)
    while batch := list(islice(triples, lines)):
        yield "".join(_statements(batch, _END)).encode()
