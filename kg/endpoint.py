"""Remote stores: any SPARQL 1.1 endpoint, through SPARQLWrapper and the Graph Store
Protocol.

A user names a server by its base URL; :func:`discover` finds its query, update and
graph-store URLs by probing the layouts of Oxigraph (``/query``, ``/update``,
``/store``), Fuseki (``/DATASET/sparql``, ``/DATASET/update``, ``/DATASET/data``),
Virtuoso (``/sparql``, ``/sparql-auth``, ``/sparql-graph-crud-auth``) and GraphDB
(``/repositories/REPO``, ``.../statements``, ``.../rdf-graphs/service``); URLs given
explicitly win. Credentials come only from the environment:
``COOPGRAPH_ENDPOINT_USER`` and ``COOPGRAPH_ENDPOINT_PASSWORD`` (basic or digest
authentication, whichever the server asks for).

Queries name the coopgraph graphs as the default graph (``default-graph-uri``), so they
see the union of the documents' graphs whatever the server's default graph is.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from SPARQLWrapper import DIGEST, JSON, POST, SELECT, SPARQLWrapper

from kg.iri import FINDINGS_GRAPH, SUMMARY_GRAPH
from kg.ontology import ONTOLOGY_IRI, VOCABULARY_FILES
from kg.queries import bind

#: The graphs every coopgraph store has besides the documents' own.
SHARED_GRAPHS = (
    str(ONTOLOGY_IRI),
    *VOCABULARY_FILES,
    str(FINDINGS_GRAPH),
    str(SUMMARY_GRAPH),
)

ENV_USER = "COOPGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "COOPGRAPH_ENDPOINT_PASSWORD"
#: Candidate (query, update, graph store) paths, relative to the base URL, in the order
#: they are probed.
LAYOUTS = (
    # Virtuoso, Fuseki and Oxigraph all answer queries at /sparql: discover() takes the
    # Virtuoso layout only when /sparql-auth exists too, and Fuseki's only when its
    # /data graph store does (see _TELLTALE).
    ("virtuoso", "sparql", "sparql-auth", "sparql-graph-crud-auth"),
    ("fuseki", "sparql", "update", "data"),
    ("oxigraph", "query", "update", "store"),
    ("graphdb", "", "statements", "rdf-graphs/service"),
    ("generic", "", "", ""),
)
#: The documents' graphs: each document node is stated in its own graph.
_DOCUMENT_GRAPHS = (
    "PREFIX cg: <https://w3id.org/coopgraph/ontology#>\n"
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a cg:SourceDocument } }"
)


class EndpointError(RuntimeError):
    """A remote store that could not be reached or refused a request."""


@dataclass(frozen=True)
class Endpoint:
    """The URLs of a SPARQL service; ``store_url`` is None when it has no graph store."""

    query_url: str
    update_url: str | None = None
    store_url: str | None = None
    kind: str = "generic"


def _credentials() -> tuple[str, str] | None:
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    return (user, password or "") if user else None


def _opener(url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    creds = _credentials()
    if creds:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, *creds)
        handlers += [
            urllib.request.HTTPBasicAuthHandler(manager),
            urllib.request.HTTPDigestAuthHandler(manager),
        ]
    return urllib.request.build_opener(*handlers)


def _request(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    try:
        try:
            with _opener(url).open(req, timeout=timeout) as response:
                return response.status, response.read()
        except (urllib.error.URLError, ConnectionError) as err:
            if data is None or not isinstance(getattr(err, "reason", err), ConnectionError):
                raise
            # Virtuoso answers a request to its -auth paths with 401 and closes the
            # connection without reading the body, so sending a large body breaks the
            # pipe before urllib's digest handler ever sees the challenge. Ask for the
            # challenge without a body (HEAD, anonymous) and send the request again
            # with its digest Authorization header computed in advance.
            status, challenge = _challenge(url, timeout)
            if not challenge.lower().startswith("digest ") or _credentials() is None:
                return status, b""  # e.g. 401/403 to an anonymous client: say so
            _authorize_digest(req, challenge)
            with _opener(url).open(req, timeout=timeout) as response:
                return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()
    except (urllib.error.URLError, OSError) as err:
        raise EndpointError(f"{url}: {getattr(err, 'reason', err)}") from err


def _challenge(url: str, timeout: float) -> tuple[int, str]:
    """The status and ``WWW-Authenticate`` header of an anonymous HEAD of ``url``."""
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, method="HEAD"), timeout=timeout
        ) as response:
            return response.status, response.headers.get("WWW-Authenticate", "")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("WWW-Authenticate", "")


def _authorize_digest(req: urllib.request.Request, challenge: str) -> None:
    """Add to ``req`` the digest ``Authorization`` answering ``challenge``, with the
    credentials from the environment (urllib's own digest computation)."""
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, req.full_url, *(_credentials() or ("", "")))
    handler = urllib.request.HTTPDigestAuthHandler(manager)
    fields = urllib.request.parse_http_list(challenge.split(" ", 1)[1])
    auth = handler.get_authorization(req, urllib.request.parse_keqv_list(fields))
    if auth:
        req.add_unredirected_header("Authorization", f"Digest {auth}")


def _answers_queries(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK {}"})
    try:
        status, body = _request(
            f"{url}?{query}", headers={"Accept": "application/sparql-results+json"}, timeout=5
        )
    except EndpointError:
        return False
    if status != 200:
        return False
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    # Virtuoso 7.2 answers ASK in JSON as a one-row table of ``__ASK_RETVAL`` instead
    # of a ``boolean``: still a SPARQL query service.
    return isinstance(answer, dict) and (
        "boolean" in answer or "__ASK_RETVAL" in answer.get("head", {}).get("vars", [])
    )


#: The path whose presence confirms a layout whose query path other servers share too.
_TELLTALE = {"virtuoso": "sparql-auth", "fuseki": "data"}


def _exists(url: str) -> bool:
    """Whether ``url`` is served at all (any status but 404, e.g. 401 to anonymous); a
    HEAD request, so a graph store does not send its data."""
    try:
        return _request(url, method="HEAD", timeout=5)[0] not in (404, 405)
    except EndpointError:
        return False


def discover(
    base: str,
    *,
    query_url: str | None = None,
    update_url: str | None = None,
    store_url: str | None = None,
) -> Endpoint:
    """The endpoint at ``base``, its paths probed (see the module docstring).

    Raises
    ------
    EndpointError
        When no known path answers a SPARQL query.
    """
    base = base.rstrip("/")
    if query_url:
        return Endpoint(query_url, update_url or query_url, store_url)
    for kind, q, u, s in LAYOUTS:
        candidate = f"{base}/{q}".rstrip("/")
        telltale = _TELLTALE.get(kind)
        if _answers_queries(candidate) and (not telltale or _exists(f"{base}/{telltale}")):
            return Endpoint(
                candidate,
                update_url or (f"{base}/{u}".rstrip("/")),
                store_url or (f"{base}/{s}" if s else None),
                kind,
            )
    raise EndpointError(
        f"{base}: no SPARQL query service found (tried "
        + ", ".join(sorted({f"/{q}" for _, q, _, _ in LAYOUTS}))
        + ")"
    )


def _wrapper(url: str) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(url)
    wrapper.setMethod(POST)
    creds = _credentials()
    if creds:
        wrapper.setCredentials(*creds)
        if "auth" in url:  # Virtuoso's authenticated paths use digest
            wrapper.setHTTPAuth(DIGEST)
    return wrapper


def _term(binding: Mapping[str, str]):
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


class RemoteStore:
    """A SPARQL endpoint used like the embedded store: push graphs, run queries."""

    def __init__(self, endpoint: Endpoint):
        self.endpoint = endpoint

    def graphs(self) -> list[str]:
        """The coopgraph graphs: the documents' graphs the endpoint holds, the
        ontology, vocabulary, findings and summary graphs; sorted."""
        wrapper = _wrapper(self.endpoint.query_url)
        wrapper.setQuery(_DOCUMENT_GRAPHS)
        wrapper.setReturnFormat(JSON)
        try:
            data = wrapper.query().convert()
        except Exception as err:  # SPARQLWrapper raises many exception types
            raise EndpointError(f"{self.endpoint.query_url}: {err}") from err
        found = {b["g"]["value"] for b in data["results"]["bindings"]}
        return sorted(found | set(SHARED_GRAPHS))

    def select(
        self, text: str, bound: Mapping | None = None
    ) -> tuple[list[str], list[list[object]]]:
        """Run a SELECT over the union of the coopgraph graphs: (variables, rows)."""
        wrapper = _wrapper(self.endpoint.query_url)
        # comment lines go: SPARQLWrapper guesses the query form from keywords, and an
        # "add" or "drop" in a comment would make it send the query as an update
        body = re.sub(r"(?m)^\s*#.*\n?", "", bind(text, dict(bound or {})))
        wrapper.setQuery(body)
        wrapper.queryType = SELECT
        wrapper.setReturnFormat(JSON)
        for graph in self.graphs():
            wrapper.addParameter("default-graph-uri", graph)
        try:
            data = wrapper.query().convert()
        except Exception as err:  # SPARQLWrapper raises many exception types
            raise EndpointError(f"{self.endpoint.query_url}: {err}") from err
        variables = data["head"]["vars"]
        rows = [
            [_term(b[v]) if v in b else None for v in variables]
            for b in data["results"]["bindings"]
        ]
        return variables, rows

    def push(self, graphs: Mapping[str, bytes]) -> str:
        """Replace each named graph of ``graphs`` (IRI -> N-Triples) on the endpoint;
        returns the protocol used (``graph-store`` or ``update``)."""
        if self.endpoint.store_url and self._push_gsp(graphs):
            return "graph-store"
        self._push_update(graphs)
        return "update"

    def _push_gsp(self, graphs: Mapping[str, bytes]) -> bool:
        for i, (name, data) in enumerate(sorted(graphs.items())):
            url = f"{self.endpoint.store_url}?{urllib.parse.urlencode({'graph': str(name)})}"
            status, body = _request(
                url,
                method="PUT",
                data=data,
                headers={"Content-Type": "application/n-triples"},
                timeout=300,
            )
            if status in (404, 405, 501) and i == 0:
                return False  # no graph store here after all: fall back to UPDATE
            if status >= 300:
                raise EndpointError(f"{url}: HTTP {status}: {body[:300].decode(errors='replace')}")
        return True

    def _push_update(self, graphs: Mapping[str, bytes]) -> None:
        if not self.endpoint.update_url:
            raise EndpointError("the endpoint offers neither a graph store nor SPARQL update")
        for name, data in sorted(graphs.items()):
            lines = data.decode("utf-8").split("\n")  # not splitlines(): U+2028 is data
            self._update(f"DROP SILENT GRAPH <{name}>")
            # Virtuoso's SPARQL parser gives up ("SP030 ... memory exhausted") on an
            # INSERT DATA of about 5,000 triples or more: send 1,000 at a time.
            for chunk in _chunks(lines, 1000):
                body = "\n".join(chunk)
                self._update(f"INSERT DATA {{ GRAPH <{name}> {{\n{body}\n}} }}")

    def _update(self, text: str) -> None:
        status, body = _request(
            self.endpoint.update_url,
            method="POST",
            data=urllib.parse.urlencode({"update": text}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=300,
        )
        if status >= 300:
            raise EndpointError(
                f"{self.endpoint.update_url}: HTTP {status}: {body[:300].decode(errors='replace')}"
            )


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
