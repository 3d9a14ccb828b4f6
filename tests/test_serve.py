"""``coopgraph serve`` over real HTTP: the SPARQL 1.1 Protocol (formats, errors, the
update token, the result-size limit and the time-out), resource pages with content
negotiation, search, lists, the network page, CORS, and the load bench.

Servers are started as ``coopgraph serve --port 0`` subprocesses on 127.0.0.1 and
stopped by their pid.
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import shlex
import shutil
import time
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pyoxigraph as ox
import pytest
from conftest import ROOT
from rdflib import Graph
from rdflib.compare import to_isomorphic

from bench.load import Server

pytestmark = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"  # rdflib's JSON-LD parser
)
TOKEN = "test-token-0123456789"
CG = "https://w3id.org/coopgraph/ontology#"
#: A query that counts a three-way cross product of the store: minutes of work before
#: its only row.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


def call(
    url: str,
    path: str,
    *,
    method: str = "GET",
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Reply:
    """One request with http.client (any status is returned, none raises)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        data = body.encode("utf-8") if isinstance(body, str) else body
        conn.request(method, path, body=data, headers=headers or {})
        response = conn.getresponse()
        return Reply(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
    finally:
        conn.close()


def get_query(url: str, query: str, accept: str | None = None, **params: str) -> Reply:
    qs = urllib.parse.urlencode({"query": query, **params})
    return call(url, f"/sparql?{qs}", headers={"Accept": accept} if accept else {})


def post_form(url: str, headers: dict[str, str] | None = None, **fields: str) -> Reply:
    return call(
        url,
        "/sparql",
        method="POST",
        body=urllib.parse.urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
    )


@pytest.fixture(scope="module")
def server(demo_store):
    """A read-only server on the demo store, with small limits to test them."""
    store, _ = demo_store
    with Server(
        store, extra=("--timeout", "6", "--max-rows", "500", "--cors", "https://a.example")
    ) as s:
        yield s


@pytest.fixture(scope="module")
def writable(demo_store, tmp_path_factory):
    """A server that takes updates with :data:`TOKEN`, on a copy of the demo store."""
    store, _ = demo_store
    copy = tmp_path_factory.mktemp("writable") / "store"
    shutil.copytree(store, copy)
    with Server(copy, extra=("--allow-update", "--token", TOKEN)) as s:
        yield s


@pytest.fixture(scope="module")
def action(server) -> tuple[str, str]:
    """(IRI, title) of an action with a partner country, from the server itself."""
    reply = get_query(
        server.url,
        f"PREFIX cg: <{CG}> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?a ?t WHERE { ?a a cg:Action ; dcterms:title ?t ; cg:partnerCountry ?c } "
        "ORDER BY ?a LIMIT 1",
    )
    row = reply.json()["results"]["bindings"][0]
    return row["a"]["value"], row["t"]["value"]


# -- the protocol ---------------------------------------------------------------------------


def test_select_by_get_gives_sparql_json(server):
    reply = get_query(
        server.url, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{CG}Action> }}"
    )
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/sparql-results+json"
    data = reply.json()
    assert data["head"]["vars"] == ["n"]
    assert int(data["results"]["bindings"][0]["n"]["value"]) == 40


@pytest.mark.parametrize(
    ("accept", "fmt", "media_type"),
    [
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv; charset=utf-8"),
        ("text/tab-separated-values", None, "text/tab-separated-values; charset=utf-8"),
        ("application/json", None, "application/sparql-results+json"),
        ("text/html, */*;q=0.1", None, "application/sparql-results+json"),
        (None, "csv", "text/csv; charset=utf-8"),
    ],
)
def test_select_formats_by_negotiation(server, accept, fmt, media_type):
    query = f"SELECT ?a WHERE {{ ?a a <{CG}Action> }} ORDER BY ?a LIMIT 3"
    reply = get_query(server.url, query, accept, **({"format": fmt} if fmt else {}))
    assert reply.status == 200, reply.text
    assert reply.headers["content-type"] == media_type
    assert "accept" in reply.headers["vary"].lower()
    if "xml" in media_type:
        results = ET.fromstring(reply.body).iter("{http://www.w3.org/2005/sparql-results#}result")
        assert len(list(results)) == 3
    elif "csv" in media_type:
        lines = reply.text.splitlines()
        assert lines[0] == "a" and len(lines) == 4
    elif "tab-separated" in media_type:
        lines = reply.text.splitlines()
        assert lines[0] == "?a" and lines[1].startswith("<https://w3id.org/coopgraph/id/action/")
    else:
        assert len(reply.json()["results"]["bindings"]) == 3


def test_post_form_and_direct_body_give_the_same_rows(server):
    query = f"SELECT ?a WHERE {{ ?a a <{CG}Action> }} ORDER BY ?a LIMIT 5"
    form = post_form(server.url, query=query)
    direct = call(
        server.url,
        "/sparql",
        method="POST",
        body=query,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert form.status == direct.status == 200
    assert form.json() == direct.json() == get_query(server.url, query).json()


def test_ask(server):
    reply = get_query(server.url, f"ASK {{ ?a a <{CG}Action> }}")
    assert reply.status == 200 and reply.json()["boolean"] is True
    xml = get_query(server.url, "ASK { ?a a <urn:nothing> }", "application/sparql-results+xml")
    assert b"<boolean>false</boolean>" in xml.body


def test_construct_as_turtle_and_json_ld_is_the_same_graph(server, action):
    query = f"CONSTRUCT {{ <{action[0]}> ?p ?o }} WHERE {{ <{action[0]}> ?p ?o }}"
    turtle = get_query(server.url, query)
    assert turtle.status == 200
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    jsonld = get_query(server.url, query, "application/ld+json")
    assert jsonld.headers["content-type"] == "application/ld+json"
    assert "@context" in jsonld.json()
    a = Graph().parse(data=turtle.text, format="turtle")
    b = Graph().parse(data=jsonld.text, format="json-ld")
    assert len(a) >= 5
    assert to_isomorphic(a) == to_isomorphic(b)
    described = get_query(server.url, f"DESCRIBE <{action[0]}>", "text/turtle")
    assert described.status == 200
    assert len(Graph().parse(data=described.text, format="turtle")) >= len(a)


def test_default_graph_uri_narrows_the_dataset(server):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a a <{CG}Action> }}"
    reply = get_query(server.url, query, **{"default-graph-uri": "urn:no-such-graph"})
    assert reply.status == 200
    assert reply.json()["results"]["bindings"][0]["n"]["value"] == "0"


def test_malformed_query_is_400_with_the_parsers_message(server):
    bad = "SELECT ?a WHERE { ?a ?b }"
    try:
        ox.Store().query(bad)
    except SyntaxError as err:
        expected = err.msg
    reply = get_query(server.url, bad)
    assert reply.status == 400
    assert reply.headers["content-type"].startswith("text/plain")
    assert expected in reply.text and "syntax error" in reply.text


@pytest.mark.parametrize(
    ("request_args", "status", "words"),
    [
        ({"path": "/sparql"}, 400, "no query"),
        ({"path": "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"}, 400, "2 times"),
        ({"path": "/sparql?update=CLEAR%20ALL"}, 405, "POST"),
        (
            {"path": "/sparql", "method": "POST", "body": "x",
             "headers": {"Content-Type": "text/plain"}},
            415,
            "application/sparql-query",
        ),
        (
            {"path": "/sparql?query=ASK%7B%7D", "headers": {"Accept": "image/png"}},
            406,
            "application/sparql-results+json",
        ),
        ({"path": "/sparql?query=ASK%7B%7D&format=pdf"}, 406, "choose one of"),
        (
            {"path": "/sparql?" + urllib.parse.urlencode(
                {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})},
            400,
            "SERVICE is not allowed",
        ),
        ({"path": "/sparql", "method": "DELETE"}, 501, ""),
    ],
)  # fmt: skip
def test_protocol_errors_say_what_is_wrong(server, request_args, status, words):
    args = dict(request_args)
    reply = call(server.url, args.pop("path"), **args)
    assert reply.status == status, reply.text
    assert words in reply.text


def test_request_body_over_the_limit_is_413(server):
    reply = post_form(server.url, query="ASK {}" + " " * 1_100_000)
    assert reply.status == 413
    assert "at most" in reply.text


def test_oversized_result_is_422_and_says_the_limit(server):
    reply = get_query(server.url, "SELECT * WHERE { ?s ?p ?o }")
    assert reply.status == 422
    assert "more than 500 rows" in reply.text and "--max-rows" in reply.text
    graph = get_query(server.url, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert graph.status == 422 and "500 triples" in graph.text
    assert get_query(server.url, "SELECT * WHERE { ?s ?p ?o } LIMIT 500").status == 200


@pytest.mark.slow
def test_query_past_the_timeout_is_stopped_with_503_and_the_server_recovers(server):
    started = time.monotonic()
    reply = get_query(server.url, SLOW)
    took = time.monotonic() - started
    assert reply.status == 503
    assert "did not finish within 6 s" in reply.text
    assert took < 10, f"the time-out took {took:.1f} s"
    # the worker was replaced: both workers answer again
    for _ in range(4):
        assert get_query(server.url, "ASK { ?s ?p ?o }").status == 200


def test_update_on_a_read_only_server_is_403(server):
    reply = post_form(server.url, update="CLEAR ALL")
    assert reply.status == 403
    assert "read-only" in reply.text
    assert get_query(server.url, "ASK { ?s ?p ?o }").json()["boolean"] is True


@pytest.mark.slow
def test_update_needs_the_token(writable):
    insert = "INSERT DATA { GRAPH <urn:test> { <urn:a> <urn:b> 'added' } }"
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": TOKEN}):
        reply = post_form(writable.url, headers=headers, update=insert)
        assert reply.status == 403, headers
        assert "Bearer" in reply.text and reply.headers["www-authenticate"].startswith("Bearer")
    assert get_query(writable.url, "ASK { <urn:a> <urn:b> 'added' }").json()["boolean"] is False
    ok = post_form(writable.url, headers={"Authorization": f"Bearer {TOKEN}"}, update=insert)
    assert ok.status == 204, ok.text
    assert get_query(writable.url, "ASK { <urn:a> <urn:b> 'added' }").json()["boolean"] is True
    direct = call(
        writable.url,
        "/sparql",
        method="POST",
        body="DROP GRAPH <urn:test>",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert direct.status == 204
    assert get_query(writable.url, "ASK { <urn:a> <urn:b> 'added' }").json()["boolean"] is False
    bad = post_form(writable.url, headers={"Authorization": f"Bearer {TOKEN}"}, update="CLEAR")
    assert bad.status == 400 and "syntax error" in bad.text


# -- CORS ---------------------------------------------------------------------------------------


def test_cors_answers_the_configured_origin_only(server):
    allowed = get_query(server.url, "ASK {}", None)
    assert "access-control-allow-origin" not in allowed.headers
    ok = call(server.url, "/sparql?query=ASK%7B%7D", headers={"Origin": "https://a.example"})
    assert ok.headers["access-control-allow-origin"] == "https://a.example"
    other = call(server.url, "/sparql?query=ASK%7B%7D", headers={"Origin": "https://b.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = call(
        server.url,
        "/sparql",
        method="OPTIONS",
        headers={"Origin": "https://a.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "Content-Type" in preflight.headers["access-control-allow-headers"]


# -- pages ----------------------------------------------------------------------------------------


def _path(iri: str) -> str:
    return "/" + iri.removeprefix("https://w3id.org/coopgraph/")


def test_entity_page_shows_facts_with_quoted_evidence(server, action):
    iri, title = action
    reply = call(server.url, _path(iri), headers={"Accept": "text/html"})
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    page = reply.text
    assert f"<h1>{html.escape(title[:30], quote=True)}" in page
    assert '<figure class="evidence">' in page and "<mark>" in page
    assert 'href="/id/country/' in page  # linked entities are local pages
    assert "rule <a" in page and ".txt</a>" in page  # the rule and the source document


@pytest.mark.parametrize(
    ("accept", "fmt", "parse_as"),
    [
        ("text/turtle", None, "turtle"),
        ("application/ld+json", None, "json-ld"),
        ("application/n-triples", None, "nt"),
        (None, "ttl", "turtle"),
        (None, "jsonld", "json-ld"),
    ],
)
def test_entity_iri_dereferences_to_rdf(server, action, accept, fmt, parse_as):
    iri, title = action
    path = _path(iri) + (f"?format={fmt}" if fmt else "")
    reply = call(server.url, path, headers={"Accept": accept} if accept else {})
    assert reply.status == 200, reply.text
    assert "accept" in reply.headers["vary"].lower()
    graph = Graph().parse(data=reply.text, format=parse_as)
    titles = {str(o) for o in graph.objects(predicate=None) if str(o) == title}
    assert titles == {title}
    evidence = set(graph.subjects(predicate=None, object=None))
    assert any("/id/evidence/" in str(s) for s in evidence)


def test_unknown_entity_is_404_and_any_iri_has_a_page(server):
    assert call(server.url, "/id/action/no-such-action").status == 404
    term = urllib.parse.urlencode({"iri": CG + "Action"})
    page = call(server.url, f"/resource?{term}", headers={"Accept": "text/html"})
    assert page.status == 200 and "Referenced by" in page.text
    assert f'href="/resource?{term}&amp;format=ttl"' in page.text
    assert f"</resource?{term}&format=jsonld>" in page.headers["link"]
    turtle = call(server.url, f"/resource?{term}&format=ttl")
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert call(server.url, "/ontology", headers={"Accept": "text/turtle"}).status == 200
    assert call(server.url, "/resource?iri=not%20an%20iri").status == 400
    head = call(server.url, "/ontology", method="HEAD")
    assert head.status == 200 and head.body == b"" and int(head.headers["content-length"]) > 0


def test_search_finds_titles_and_names(server, action):
    iri, title = action
    word = max(re.findall(r"[A-Za-z]{5,}", title), key=len)
    reply = call(server.url, "/search?" + urllib.parse.urlencode({"q": word.upper()}))
    assert reply.status == 200
    assert f'href="{_path(iri)}"' in reply.text
    data = call(server.url, "/search?" + urllib.parse.urlencode({"q": word, "format": "json"}))
    assert iri in {hit["iri"] for hit in data.json()}
    empty = call(server.url, "/search?q=%22%7D%20zzzz-nothing")
    assert empty.status == 200 and "Nothing is called" in empty.text


def test_home_lists_and_editor(server):
    home = call(server.url, "/")
    assert home.status == 200 and "/browse/actions" in home.text
    actions = call(server.url, "/browse/actions")
    assert actions.status == 200 and actions.text.count('href="/id/action/') == 40
    for kind in ("organisations", "countries", "themes", "events"):
        assert call(server.url, f"/browse/{kind}").status == 200
    assert call(server.url, "/browse/unicorns").status == 404
    editor = call(server.url, "/query")
    assert "/static/vendor/yasgui/yasgui.min.js" in editor.text
    assert '<option value="action-summary">' in editor.text
    assert call(server.url, "/sparql", headers={"Accept": "text/html"}).status == 303


def test_static_files_stay_inside_the_static_folder(server):
    assert call(server.url, "/static/style.css").status == 200
    yasgui = call(server.url, "/static/vendor/yasgui/yasgui.min.js")
    assert yasgui.status == 200 and yasgui.headers["content-type"].startswith("text/javascript")
    assert call(server.url, "/static/../../server/app.py").status == 404
    assert call(server.url, "/static/%2e%2e/%2e%2e/server/app.py").status == 404


def test_network_page_has_tables_and_an_offline_drawing(server):
    reply = call(server.url, "/network?theme=green_jobs")
    assert reply.status == 200
    assert "Strongest corridors" in reply.text and '<iframe class="graph"' in reply.text
    graph = call(server.url, "/network/graph?theme=green_jobs")
    assert graph.status == 200 and "<svg" in graph.text and "<script src" not in graph.text
    bad = call(server.url, "/network?since=soon", headers={"Accept": "text/html"})
    assert bad.status == 400 and "not a year" in bad.text


def test_health(server):
    reply = call(server.url, "/health")
    assert reply.status == 200 and reply.text.startswith("ok ")


# -- the command, the README and the bench ------------------------------------------------------


def test_serve_refuses_updates_without_a_token(demo_store):
    from click.testing import CliRunner

    from kg.cli import cli

    store, _ = demo_store
    result = CliRunner().invoke(
        cli, ["serve", "--store", str(store), "--allow-update"], env={"COOPGRAPH_SERVE_TOKEN": ""}
    )
    assert result.exit_code == 2
    assert "needs a token" in result.output


def test_readme_serve_examples_start(demo_store):
    from test_readme import examples

    store, _ = demo_store
    lines = examples("examples:serve")
    assert lines, "README.md has no examples:serve block"
    for line in lines:
        words = shlex.split(line)
        env = dict(w.split("=", 1) for w in words[: words.index("coopgraph")])
        args = words[words.index("coopgraph") + 2 :]  # after "coopgraph serve"
        args = ["0" if a == "8000" else str(store) if a == "seeds-store" else a for a in args]
        with Server(store, extra=tuple(args), env={**os.environ, **env}) as s:
            assert call(s.url, "/health").status == 200, line


def test_load_bench_runs(server, tmp_path):
    from bench.load import main

    out = tmp_path / "load.json"
    result = main(["--url", server.url, "--clients", "2", "--queries", "10", "--json", str(out)])
    assert result["errors"] == 0 and result["ok"] == 10
    assert json.loads(out.read_text())["p99_ms"] >= result["p50_ms"] > 0


def test_web_assets_ship_with_the_package():
    vendor = ROOT / "kg" / "web" / "static" / "vendor" / "yasgui"
    for name in ("yasgui.min.js", "yasgui.min.css", "LICENSE", "README.md"):
        assert (vendor / name).is_file(), name
    assert "4.6.2" in (vendor / "README.md").read_text()
