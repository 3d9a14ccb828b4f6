"""The HTTP side of ``coopgraph serve``: routes, content negotiation, CORS, the update
token, and the standard library's threading HTTP server.

Routes (:data:`App.routes`):

============================  ===============================================================
``GET|POST /sparql``          SPARQL 1.1 Protocol (query; update only with a token)
``GET /query``                the query editor (YASGUI, vendored) with the canned queries
``GET /id/...``, ``/ontology``  a resource's page; Turtle, JSON-LD, N-Triples or RDF/XML by
                              ``Accept`` or ``?format=`` (IRIs dereference under the base)
``GET /resource?iri=``        the same for any IRI
``GET /search?q=``            resources whose title, name or acronym contains the text
``GET /browse/KIND``          the actions, organisations, countries, themes, events ...
``GET /network``              the collaboration network (``/network/graph``: its drawing)
``GET /health``               ``ok`` and the number of quads, once a worker answers
``GET /static/...``           style sheet, scripts, vendored YASGUI
============================  ===============================================================

Status codes: 400 malformed request or query (with the parser's message), 403 update
without the token (or on a read-only server), 404 unknown resource or path, 405 method
not allowed, 406 no acceptable format, 413 request body over the limit, 415 body of an
unknown media type, 422 result over ``--max-rows``, 503 time-out or every worker busy.
Errors are ``text/plain`` on ``/sparql`` and HTML pages elsewhere.
"""

from __future__ import annotations

import hmac
import json
import re
import sys
import threading
import traceback
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg.queries import QueryError, bind, bindings, catalogue
from kg.server import pages
from kg.server.explore import BASE, KINDS
from kg.server.pool import WorkerPool
from kg.server.protocol import (
    GRAPH_FORMATS,
    Format,
    ProtocolError,
    choose,
    parse_request,
)

STATIC = pages.WEB / "static"
HTML = Format("html", "text/html", "html")
#: Content types of the static files, by suffix.
STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".md": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",
}
#: The network filters the page passes on (the fields of kg.network.Filters).
NETWORK_FILTERS = ("theme", "since", "until", "programme", "partner_region")


class ConfigError(ValueError):
    """A server configuration that cannot be used, with the reason."""


@dataclass(frozen=True)
class ServeConfig:
    """How to serve: the store, the address, the limits and who may update.

    ``timeout`` (seconds) bounds every store task, the wait for a worker included;
    ``max_rows`` bounds the rows (SELECT) or triples (CONSTRUCT, DESCRIBE) of a result;
    ``max_body`` the bytes of a request body; ``cors`` lists the origins allowed to
    call from a browser (``*`` for any).
    """

    store: Path
    host: str = "127.0.0.1"
    port: int = 8000
    allow_update: bool = False
    token: str | None = None
    timeout: float = 30.0
    max_rows: int = 50_000
    cors: tuple[str, ...] = ()
    workers: int = 2
    max_body: int = 1_000_000
    quiet: bool = False

    def __post_init__(self) -> None:
        if self.allow_update and not self.token:
            raise ConfigError(
                "--allow-update needs a token (--token or $COOPGRAPH_SERVE_TOKEN): "
                "clients send it as 'Authorization: Bearer TOKEN'"
            )
        if self.token is not None and len(self.token) < 8:
            raise ConfigError("the update token is too short: use at least 8 characters")
        for name in ("timeout", "max_rows", "workers", "max_body"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"--{name.replace('_', '-')} must be positive")
        if not (Path(self.store) / "oxigraph").is_dir():
            raise ConfigError(f"{self.store}: no coopgraph store here (run `coopgraph build`)")


@dataclass(frozen=True)
class Request:
    """An HTTP request as the routes see it (``path`` percent-decoded)."""

    method: str
    path: str
    params: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes = b""

    def param(self, name: str, default: str = "") -> str:
        values = self.params.get(name)
        return values[0] if values else default

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Response:
    """What to send back."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def text(status: int, message: str, **headers: str) -> Response:
    return Response(status, (message + "\n").encode("utf-8"), headers=dict(headers))


def page(status: int, html_text: str, **headers: str) -> Response:
    return Response(status, html_text.encode("utf-8"), "text/html; charset=utf-8", dict(headers))


def canned_queries() -> list[dict[str, str]]:
    """The canned queries for the editor, each with its parameters bound to their
    defaults or examples, grouped as reports, checks (``*-violation``) and the
    queries ``coopgraph network`` runs."""
    out = []
    for query in catalogue().values():
        given = {p.name: p.default or p.example for p in query.params}
        try:
            text_ = bind(query.text, bindings(query, given))
        except QueryError:
            text_ = query.text
        group = (
            "Checks (must return no rows)"
            if query.is_violation
            else "Network analysis"
            if query.name.startswith("network-")
            else "Reports"
        )
        out.append(
            {
                "name": query.name,
                "title": query.title,
                "description": query.description,
                "group": group,
                "query": text_,
            }
        )
    order = {"Reports": 0, "Network analysis": 1}
    return sorted(out, key=lambda q: (order.get(q["group"], 2), q["title"].casefold()))


class App:
    """The routes of the server, over a :class:`WorkerPool`."""

    def __init__(self, config: ServeConfig, pool: WorkerPool):
        self.config = config
        self.pool = pool
        self.queries = canned_queries()
        self._network: OrderedDict[tuple, dict] = OrderedDict()
        self._network_lock = threading.Lock()
        Route = Callable[["App", Request, re.Match], Response]
        self.routes: list[tuple[frozenset[str], re.Pattern, Route]] = [
            (frozenset({"GET", "POST"}), re.compile(r"/sparql"), App.sparql),
            (frozenset({"GET"}), re.compile(r"/"), App.home),
            (frozenset({"GET"}), re.compile(r"/query"), App.editor),
            (frozenset({"GET"}), re.compile(r"/(id/.+|ontology)"), App.resource_path),
            (frozenset({"GET"}), re.compile(r"/resource"), App.resource_param),
            (frozenset({"GET"}), re.compile(r"/search"), App.search),
            (frozenset({"GET"}), re.compile(r"/browse/([a-z]+)"), App.browse),
            (frozenset({"GET"}), re.compile(r"/network"), App.network),
            (frozenset({"GET"}), re.compile(r"/network/graph"), App.network_graph),
            (frozenset({"GET"}), re.compile(r"/health"), App.health),
            (frozenset({"GET"}), re.compile(r"/static/(.+)"), App.static),
        ]

    # -- dispatch --------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        """The response to ``request`` (never raises)."""
        try:
            response = self._route(request)
        except ProtocolError as err:
            response = self._error(request, err.status, err.message)
        except Exception as err:  # a bug: answer, log, keep serving
            traceback.print_exc(file=sys.stderr)
            response = self._error(request, 500, f"internal error: {err}")
        self._cors(request, response)
        return response

    def _route(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(204, b"", headers={"Allow": "GET, POST, OPTIONS"})
        method = "GET" if request.method == "HEAD" else request.method
        for methods, pattern, view in self.routes:
            match = pattern.fullmatch(request.path)
            if match:
                if method not in methods:
                    raise ProtocolError(405, f"{request.method} is not allowed on {request.path}")
                return view(self, request, match)
        raise ProtocolError(404, f"nothing at {request.path}")

    def _error(self, request: Request, status: int, message: str) -> Response:
        extra = {}
        if status == 403 and self.config.allow_update:
            extra["WWW-Authenticate"] = 'Bearer realm="coopgraph"'
        if status == 405:
            extra["Allow"] = "GET, POST, OPTIONS" if request.path == "/sparql" else "GET"
        if request.path == "/sparql" or "text/html" not in (request.header("accept") or ""):
            return text(status, f"{status} {HTTPStatus(status).phrase}: {message}", **extra)
        return page(status, pages.error_page(status, message), **extra)

    def _cors(self, request: Request, response: Response) -> None:
        origin = request.header("origin")
        allowed = self.config.cors
        if not origin or not allowed:
            return
        if "*" in allowed:
            response.headers["Access-Control-Allow-Origin"] = "*"
        elif origin in allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = ", ".join(
                v for v in (response.headers.get("Vary"), "Origin") if v
            )
        else:
            return
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Authorization, Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"

    # -- SPARQL ---------------------------------------------------------------------------------
    def sparql(self, request: Request, match: re.Match) -> Response:
        """SPARQL 1.1 Protocol: query by GET or POST, update by POST with the token."""
        params = {k: v for k, v in request.params.items() if k != "format"}
        if (
            request.method == "GET"
            and "query" not in params
            and "update" not in params
            and "text/html" in (request.header("accept") or "")
        ):
            return Response(303, b"", headers={"Location": "/query"})
        media_type = (request.header("content-type") or "").split(";")[0].strip().lower()
        operation = parse_request(request.method, params, media_type, request.body)
        if operation.operation == "update":
            self._authorise(request)
            self.pool.run_exclusive("update", operation)
            return Response(204, b"")
        payload = self.pool.run(
            "sparql",
            operation,
            request.header("accept"),
            request.param("format") or None,
            self.config.max_rows,
        )
        return Response(200, payload.body, payload.content_type, {"Vary": "Accept"})

    def _authorise(self, request: Request) -> None:
        if not self.config.allow_update:
            raise ProtocolError(
                403, "this server is read-only: start it with --allow-update and a token"
            )
        scheme, _, given = (request.header("authorization") or "").partition(" ")
        token = (self.config.token or "").encode("utf-8")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token):
            raise ProtocolError(
                403, "an update needs the server's token: send 'Authorization: Bearer TOKEN'"
            )

    # -- pages ------------------------------------------------------------------------------------
    def home(self, request: Request, match: re.Match) -> Response:
        return page(200, pages.index_page(self.pool.run("overview"), self.queries))

    def editor(self, request: Request, match: re.Match) -> Response:
        return page(200, pages.editor_page(self.queries))

    def resource_path(self, request: Request, match: re.Match) -> Response:
        return self._resource(request, BASE + match.group(1))

    def resource_param(self, request: Request, match: re.Match) -> Response:
        iri = request.param("iri")
        if not iri:
            raise ProtocolError(400, "which resource? pass ?iri=...")
        return self._resource(request, iri)

    def _resource(self, request: Request, iri: str) -> Response:
        """A resource as HTML, or as RDF when the client asks for it."""
        try:
            ox.NamedNode(iri)
        except ValueError as err:
            raise ProtocolError(400, f"{iri!r} is not an IRI: {err}") from err
        fmt = choose(
            request.header("accept"), request.param("format") or None, (HTML, *GRAPH_FORMATS)
        )
        alternates = ", ".join(
            f'<{pages.alternate(iri, f.name)}>; rel="alternate"; type="{f.media_type}"'
            for f in GRAPH_FORMATS
        )
        headers = {"Vary": "Accept", "Link": alternates}
        if fmt is HTML:
            found = self.pool.run("entity", iri)
            if found is None:
                raise ProtocolError(404, f"the graph says nothing about {iri}")
            return page(200, pages.entity_page(found), **headers)
        payload = self.pool.run("describe", iri, fmt.name, self.config.max_rows)
        if payload is None:
            raise ProtocolError(404, f"the graph says nothing about {iri}")
        return Response(200, payload.body, payload.content_type, headers)

    def search(self, request: Request, match: re.Match) -> Response:
        text_ = request.param("q")[:200]
        hits = self.pool.run("search", text_) if text_.strip() else []
        if request.param("format") == "json":
            data = [{"iri": h.iri, "label": h.label, "types": list(h.types)} for h in hits]
            return Response(200, json.dumps(data, ensure_ascii=False).encode(), "application/json")
        return page(200, pages.search_page(text_, hits))

    def browse(self, request: Request, match: re.Match) -> Response:
        kind = match.group(1)
        if kind not in KINDS:
            raise ProtocolError(404, f"no list of {kind!r}: try {', '.join(KINDS)}")
        return page(200, pages.browse_page(kind, self.pool.run("browse", kind)))

    def _network_view(self, request: Request) -> tuple[dict, dict[str, str]]:
        filters = {k: request.param(k).strip() for k in NETWORK_FILTERS if request.param(k).strip()}
        key = (self.pool.generation, tuple(sorted(filters.items())))
        with self._network_lock:
            if key in self._network:
                self._network.move_to_end(key)
                return self._network[key], filters
        view = self.pool.run("network", filters, 15)
        with self._network_lock:
            self._network[key] = view
            while len(self._network) > 16:
                self._network.popitem(last=False)
        return view, filters

    def network(self, request: Request, match: re.Match) -> Response:
        view, filters = self._network_view(request)
        graph_url = "/network/graph" + ("?" + urllib.parse.urlencode(filters) if filters else "")
        return page(200, pages.network_page(view, filters, graph_url))

    def network_graph(self, request: Request, match: re.Match) -> Response:
        view, _ = self._network_view(request)
        return page(200, view["graph"])

    def health(self, request: Request, match: re.Match) -> Response:
        return text(200, f"ok {self.pool.run('ping')} quads")

    def static(self, request: Request, match: re.Match) -> Response:
        root = STATIC.resolve()
        target = (root / match.group(1)).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            raise ProtocolError(404, f"no static file {match.group(1)}")
        return Response(
            200,
            target.read_bytes(),
            STATIC_TYPES.get(target.suffix, "application/octet-stream"),
            {"Cache-Control": "public, max-age=3600"},
        )


# -- the HTTP server ---------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    """Reads a request, asks the :class:`App`, writes the response (HTTP/1.1, kept
    open)."""

    protocol_version = "HTTP/1.1"
    server_version = f"coopgraph/{__version__}"
    #: Seconds an idle connection is kept open.
    timeout = 60
    #: Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
    #: algorithm and the client's delayed ACK hold the body back ~40 ms.
    disable_nagle_algorithm = True
    server: CoopgraphServer

    def _dispatch(self) -> None:
        app = self.server.app
        url = urllib.parse.urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self._send(
                text(411, "411 Length Required: send the body with a Content-Length"), close=True
            )
            return
        try:
            length = int(headers.get("content-length") or 0)
        except ValueError:
            self._send(text(400, "400 Bad Request: Content-Length is not a number"), close=True)
            return
        if length > app.config.max_body:
            self._send(
                text(
                    413,
                    f"413 Content Too Large: the request body has {length:,} bytes; "
                    f"the server takes at most {app.config.max_body:,}",
                ),
                close=True,
            )
            return
        body = self.rfile.read(length) if length > 0 else b""
        request = Request(
            self.command,
            urllib.parse.unquote(url.path) or "/",
            urllib.parse.parse_qs(url.query, keep_blank_values=True),
            headers,
            body,
        )
        self._send(app.handle(request))

    def _send(self, response: Response, *, close: bool = False) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            for name, value in response.headers.items():
                self.send_header(name, value)
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):  # the client left
            self.close_connection = True

    do_GET = do_POST = do_HEAD = do_OPTIONS = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.app.config.quiet:
            super().log_message(format, *args)


class CoopgraphServer(ThreadingHTTPServer):
    """A threading HTTP server carrying the :class:`App` its handlers ask."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App):
        self.app = app
        super().__init__(address, Handler)


def make_server(config: ServeConfig) -> CoopgraphServer:
    """A bound server (not yet serving) with its workers started; ``port=0`` picks a
    free port (see ``server.server_address``)."""
    pool = WorkerPool(config.store, workers=config.workers, timeout=config.timeout)
    try:
        return CoopgraphServer((config.host, config.port), App(config, pool))
    except BaseException:
        pool.close()
        raise


def serve(config: ServeConfig, *, ready: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); ``ready`` is called with the URL
    once the server listens and a worker has answered."""
    import signal

    server = make_server(config)

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.app.pool.run("ping")
        host, port = server.server_address[:2]
        if ready is not None:
            ready(f"http://{host}:{port}/")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        server.app.pool.close()
