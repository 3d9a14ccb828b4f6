"""The SPARQL 1.1 Protocol: reading a request, choosing a result format, running the
operation on a pyoxigraph store and serialising what it gives.

Pure functions and tables: nothing here opens a socket or a store. The HTTP layer
(:mod:`kg.server.app`) reads the request with :func:`parse_request`; a query worker
(:mod:`kg.server.tasks`) runs it with :func:`execute_query` or :func:`execute_update`.
Every refusal is a :class:`ProtocolError` carrying the HTTP status and a message that
says what was wrong.

Result formats, by content negotiation (``Accept``) or ``?format=``:

- ``SELECT`` / ``ASK``: SPARQL 1.1 Query Results JSON (the default), XML, CSV, TSV;
- ``CONSTRUCT`` / ``DESCRIBE``: Turtle (the default), JSON-LD (compacted with the
  coopgraph context), N-Triples, RDF/XML.

The default graph of a query is the union of the store's named graphs (as for
``coopgraph query``) unless the request names ``default-graph-uri``s.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from kg.codegen import PREFIXES
from kg.resources import resource_dir

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class ProtocolError(Exception):
    """A request the server refuses: ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message

    def __reduce__(self):  # keep both arguments when sent back from a worker process
        return (type(self), (self.status, self.message))


@dataclass(frozen=True)
class Format:
    """A result format: ``name`` for ``?format=``, its media type and what writes it."""

    name: str
    media_type: str
    writer: str


#: SELECT and ASK result formats, the default first.
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", "json"),
    Format("xml", "application/sparql-results+xml", "xml"),
    Format("csv", "text/csv", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv"),
)
#: CONSTRUCT and DESCRIBE result formats (and entity descriptions), the default first.
GRAPH_FORMATS = (
    Format("ttl", "text/turtle", "turtle"),
    Format("jsonld", "application/ld+json", "jsonld"),
    Format("nt", "application/n-triples", "ntriples"),
    Format("rdfxml", "application/rdf+xml", "rdfxml"),
)
#: Media types clients send that mean one of the formats above.
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
}
#: Alternative spellings of ``?format=`` values.
FORMAT_NAMES = {"turtle": "ttl", "json-ld": "jsonld", "ntriples": "nt", "rdf": "rdfxml"}

_RESULTS = {
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_TEXT_TYPES = ("text/", "application/n-triples")


@dataclass(frozen=True)
class Payload:
    """A response body and its ``Content-Type``."""

    content_type: str
    body: bytes


# -- content negotiation --------------------------------------------------------------


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their weights, best first.

    Examples
    --------
    >>> parse_accept("text/csv;q=0.5, application/json")
    [('application/json', 1.0), ('text/csv', 0.5)]
    >>> parse_accept(None)
    [('*/*', 1.0)]
    """
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        weight = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = max(0.0, min(1.0, float(value)))
                except ValueError:
                    weight = 0.0
        ranges.append((media, weight, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, weight) for media, weight, _ in ranges]


def _weight(media_type: str, ranges: Sequence[tuple[str, float]]) -> float:
    """The weight the most specific matching range gives ``media_type`` (0: none)."""
    kind = media_type.split("/")[0]
    best = (-1, 0.0)
    for media, weight in ranges:
        media = ALIASES.get(media, media)
        specificity = (
            2 if media == media_type else 1 if media == f"{kind}/*" else 0 if media == "*/*" else -1
        )
        if specificity > best[0]:
            best = (specificity, weight)
    return best[1]


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """The offer the ``Accept`` header prefers (ties go to the earlier offer), or None
    when it accepts none of them.

    Examples
    --------
    >>> negotiate("text/csv, */*;q=0.1", RESULT_FORMATS).name
    'csv'
    >>> negotiate("application/json", RESULT_FORMATS).name
    'json'
    >>> negotiate("text/html, */*;q=0.8", GRAPH_FORMATS).name
    'ttl'
    >>> negotiate("image/png", RESULT_FORMATS) is None
    True
    """
    ranges = parse_accept(accept)
    scored = [(_weight(offer.media_type, ranges), -i, offer) for i, offer in enumerate(offers)]
    weight, _, offer = max(scored, key=lambda s: (s[0], s[1]))
    return offer if weight > 0 else None


def by_name(name: str, offers: Sequence[Format]) -> Format:
    """The offer called ``name`` (``?format=``).

    Raises
    ------
    ProtocolError
        406 when no offer has that name.

    Examples
    --------
    >>> by_name("turtle", GRAPH_FORMATS).media_type
    'text/turtle'
    """
    wanted = FORMAT_NAMES.get(name.lower(), name.lower())
    for offer in offers:
        if offer.name == wanted or offer.media_type == name.lower():
            return offer
    raise ProtocolError(406, f"format={name!r}: choose one of {', '.join(o.name for o in offers)}")


def choose(accept: str | None, fmt: str | None, offers: Sequence[Format]) -> Format:
    """``?format=`` if given, else the negotiated offer.

    Raises
    ------
    ProtocolError
        406 when neither names an offer.
    """
    if fmt:
        return by_name(fmt, offers)
    found = negotiate(accept, offers)
    if found is None:
        raise ProtocolError(
            406,
            f"Accept: {accept}: this result can be sent as "
            + ", ".join(o.media_type for o in offers),
        )
    return found


def content_type(fmt: Format) -> str:
    """``fmt``'s media type, with ``charset=utf-8`` for the textual ones."""
    text = fmt.media_type.startswith(_TEXT_TYPES)
    return fmt.media_type + ("; charset=utf-8" if text else "")


# -- reading a request ------------------------------------------------------------------


@dataclass(frozen=True)
class SparqlRequest:
    """One protocol operation: ``operation`` is ``query`` or ``update``."""

    operation: str
    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def _one(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(400, f"the {name!r} parameter is given {len(values)} times")
    return values[0] if values else None


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ProtocolError(400, f"{what} is not UTF-8: {err}") from err


def parse_request(
    method: str, params: Mapping[str, list[str]], media_type: str, body: bytes
) -> SparqlRequest:
    """Read a SPARQL protocol request: ``params`` from the URL, ``media_type`` of the
    body (without parameters), the body.

    Raises
    ------
    ProtocolError
        400 for a missing, repeated or conflicting operation, 405 for an update sent
        with GET, 415 for a body of another media type.

    Examples
    --------
    >>> parse_request("GET", {"query": ["ASK {}"]}, "", b"").text
    'ASK {}'
    >>> parse_request("POST", {}, "application/sparql-update", b"CLEAR ALL").operation
    'update'
    """
    params = {k: list(v) for k, v in params.items()}
    if method == "POST":
        if media_type == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(_decode(body, "the form"), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media_type == "application/sparql-query":
            params["query"] = [*params.get("query", []), _decode(body, "the query")]
        elif media_type == "application/sparql-update":
            params["update"] = [*params.get("update", []), _decode(body, "the update")]
        else:
            raise ProtocolError(
                415,
                f"Content-Type {media_type or '(none)'}: POST a query or update as "
                "application/x-www-form-urlencoded, application/sparql-query or "
                "application/sparql-update",
            )
    query, update = _one(params, "query"), _one(params, "update")
    if query is not None and update is not None:
        raise ProtocolError(400, "give either a query or an update, not both")
    if update is not None:
        if method != "POST":
            raise ProtocolError(405, "an update must be sent with POST")
        if params.get("using-graph-uri") or params.get("using-named-graph-uri"):
            raise ProtocolError(400, "using-graph-uri and using-named-graph-uri are not supported")
        return SparqlRequest("update", _nonblank(update, "update"))
    if query is None:
        raise ProtocolError(400, "no query: pass it as the 'query' parameter")
    return SparqlRequest(
        "query",
        _nonblank(query, "query"),
        tuple(params.get("default-graph-uri", [])),
        tuple(params.get("named-graph-uri", [])),
    )


def _nonblank(text: str, what: str) -> str:
    if not text.strip():
        raise ProtocolError(400, f"the {what} is empty")
    return text


#: What :func:`refuse_remote` looks for, after strings, IRIs and comments are blanked.
_REMOTE = {
    "query": ("SERVICE",),
    "update": ("SERVICE", "LOAD"),
}
_LEXICAL = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)


def keywords(text: str) -> str:
    """``text`` with its strings, IRIs and comments blanked out (what is left is
    keywords, names, variables and punctuation).

    Examples
    --------
    >>> keywords('SELECT * { ?s <urn:SERVICE> "SERVICE" } # SERVICE')
    'SELECT * { ?s _ _ } _'
    """
    return _LEXICAL.sub("_", text)


def refuse_remote(operation: str, text: str) -> None:
    """Refuse operations that would make the server fetch from the network:
    ``SERVICE`` (federated query) and, in updates, ``LOAD``.

    Raises
    ------
    ProtocolError
        400 naming the keyword.

    Examples
    --------
    >>> refuse_remote("query", 'SELECT * { ?s ?p "use SERVICE" }')
    >>> refuse_remote("query", "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.server.protocol.ProtocolError: SERVICE is not allowed here: this server answers \
from its own store and never fetches from the network
    """
    bare = keywords(text)
    for word in _REMOTE[operation]:
        if re.search(rf"(?<![\w?$:]){word}(?![\w:-])", bare, re.IGNORECASE):
            raise ProtocolError(
                400,
                f"{word} is not allowed here: this server answers from its own store "
                "and never fetches from the network",
            )


# -- running it ---------------------------------------------------------------------------


class ResultTooLarge(ProtocolError):
    """More rows or triples than the server's limit (status 422)."""

    def __init__(self, status: int = 422, message: str = "result too large"):
        super().__init__(status, message)


def _too_large(limit: int, what: str) -> ResultTooLarge:
    return ResultTooLarge(
        422,
        f"the result has more than {limit:,} {what} (the server's --max-rows): "
        "add a LIMIT or narrow the query",
    )


def _dataset(request: SparqlRequest) -> dict[str, Any]:
    """pyoxigraph ``query()`` keywords for the request's dataset."""
    try:
        kwargs: dict[str, Any] = {}
        if request.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if request.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
        return kwargs
    except ValueError as err:
        raise ProtocolError(400, f"default-graph-uri / named-graph-uri: {err}") from err


def execute_query(
    store: ox.Store,
    request: SparqlRequest,
    *,
    accept: str | None,
    fmt: str | None = None,
    max_rows: int,
) -> Payload:
    """Run a query and serialise its result as the client asked.

    Raises
    ------
    ProtocolError
        400 with the parser's message for a malformed query, 406 for a format the
        result cannot be sent in, 422 (:class:`ResultTooLarge`) when the result holds
        more than ``max_rows`` rows or triples.
    """
    refuse_remote("query", request.text)
    try:
        result = store.query(request.text, **_dataset(request))
        if isinstance(result, ox.QueryBoolean):
            chosen = choose(accept, fmt, RESULT_FORMATS)
            return Payload(content_type(chosen), _boolean(bool(result), chosen))
        if isinstance(result, ox.QuerySolutions):
            chosen = choose(accept, fmt, RESULT_FORMATS)
            variables = [v.value for v in result.variables]
            rows = take(result, max_rows, "rows")
            return Payload(content_type(chosen), write_solutions(variables, rows, chosen))
        chosen = choose(accept, fmt, GRAPH_FORMATS)
        triples = unique(result, max_rows)
        return Payload(content_type(chosen), write_triples(triples, chosen))
    except SyntaxError as err:
        raise ProtocolError(400, f"SPARQL syntax error: {err.msg or err}") from err
    except OSError as err:
        raise ProtocolError(500, f"the store failed while answering: {err}") from err


def execute_update(store: ox.Store, request: SparqlRequest) -> None:
    """Run an update (one transaction) and flush it to disk.

    Raises
    ------
    ProtocolError
        400 with the parser's message for a malformed update.
    """
    refuse_remote("update", request.text)
    try:
        store.update(request.text)
    except SyntaxError as err:
        raise ProtocolError(400, f"SPARQL syntax error: {err.msg or err}") from err
    except OSError as err:
        raise ProtocolError(500, f"the update failed and was not applied: {err}") from err
    store.flush()
    store.optimize()


def take(items: Iterable[Any], limit: int, what: str) -> list[Any]:
    """The first ``limit`` items; :class:`ResultTooLarge` if there are more.

    Examples
    --------
    >>> take(range(3), 3, "rows")
    [0, 1, 2]
    >>> take(range(4), 3, "rows")
    Traceback (most recent call last):
    ...
    kg.server.protocol.ResultTooLarge: the result has more than 3 rows (the server's \
--max-rows): add a LIMIT or narrow the query
    """
    out = []
    for item in items:
        if len(out) == limit:
            raise _too_large(limit, what)
        out.append(item)
    return out


def unique(triples: Iterable[ox.Triple], limit: int) -> list[ox.Triple]:
    """The distinct triples, in first-seen order (the union default graph repeats a
    triple once per graph stating it); :class:`ResultTooLarge` past ``limit``."""
    seen: dict[ox.Triple, None] = {}
    for triple in triples:
        if triple not in seen:
            if len(seen) == limit:
                raise _too_large(limit, "triples")
            seen[triple] = None
    return list(seen)


# -- writing results ------------------------------------------------------------------------


def json_term(term: Any) -> dict[str, Any]:
    """A term in SPARQL 1.1 Query Results JSON (with the SPARQL 1.2 form of triples).

    Examples
    --------
    >>> json_term(ox.Literal("hola", language="es"))
    {'type': 'literal', 'value': 'hola', 'xml:lang': 'es'}
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": json_term(term.subject),
                "predicate": json_term(term.predicate),
                "object": json_term(term.object),
            },
        }
    out: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def results_json(variables: Sequence[str], rows: Iterable[ox.QuerySolution]) -> bytes:
    """SELECT results as SPARQL 1.1 Query Results JSON."""
    bindings = [
        {v: json_term(solution[v]) for v in variables if solution[v] is not None}
        for solution in rows
    ]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_solutions(
    variables: Sequence[str], rows: Sequence[ox.QuerySolution], fmt: Format
) -> bytes:
    """SELECT results in ``fmt``: JSON written here, the other formats by pyoxigraph's
    own serialisers (from that JSON)."""
    data = results_json(variables, rows)
    if fmt.writer == "json":
        return data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=_RESULTS[fmt.writer])


def _boolean(value: bool, fmt: Format) -> bytes:
    """An ASK result in ``fmt`` (CSV and TSV: ``true`` or ``false``, as pyoxigraph
    writes them)."""
    data = json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt.writer == "json":
        return data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=_RESULTS[fmt.writer])


def write_triples(triples: Sequence[ox.Triple], fmt: Format) -> bytes:
    """A graph in ``fmt``: Turtle with the coopgraph prefixes, JSON-LD compacted with
    the coopgraph context, N-Triples or RDF/XML."""
    if fmt.writer == "jsonld":
        return jsonld(triples)
    prefixes = PREFIXES if fmt.writer in ("turtle", "rdfxml") else None
    out = ox.serialize(triples, format=_RDF[fmt.writer], prefixes=prefixes)
    return out if out is not None else b""


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The coopgraph JSON-LD context (``ontology/context.jsonld``)."""
    path = resource_dir("ontology") / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


def jsonld(triples: Sequence[ox.Triple]) -> bytes:
    """``triples`` as JSON-LD compacted with the coopgraph context (through rdflib)."""
    from rdflib import Graph

    graph = Graph()
    if triples:
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        graph.parse(data=data.decode("utf-8"), format="nt")
    text = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    return text.encode("utf-8")
