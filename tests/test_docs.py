"""``coopgraph docs``: offline HTML documentation of the ontology, the vocabularies, the
SHACL shapes and the canned queries.

The pages are generated once per module (with every network connection refused) and
read back with ``html.parser``: what they must show is taken from the Turtle files and
the query catalogue, not from the generator.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef

from kg.cli import cli
from kg.docs import (
    DocsError,
    check_offline,
    external_resources,
    read_schemes,
    read_shapes,
    write_docs,
)
from kg.ontology import ONTOLOGY_FILE, VOCABULARY_FILES
from kg.queries import catalogue
from kg.resources import resource_dir

SH = Namespace("http://www.w3.org/ns/shacl#")
CG = "https://w3id.org/coopgraph/ontology#"
PAGES = {"index.html", "ontology.html"} | {
    name.removesuffix(".ttl") + ".html" for name in VOCABULARY_FILES.values()
}
#: Elements whose URL attributes the browser loads when the page opens.
LOADED = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src"}


class Parsed(HTMLParser):
    """A page read back: its start tags, its text, the text of each ``<code>``, ``<h3>``,
    ``<pre>`` and ``<style>``, the text inside each ``<div class="entity">`` and every
    ``id``."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {"code": [], "h3": [], "pre": [], "style": []}
        self.entities: dict[str, str] = {}
        self.ids: set[str] = set()
        self.text = ""
        self._open: list[str] = []
        self._entity: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "div" and "entity" in (attributes.get("class") or "").split():
            self._entity = attributes.get("id")
            self.entities[self._entity] = ""
        if tag in self.texts:
            self.texts[tag].append("")
            self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in self._open:
            self._open.remove(tag)

    def handle_data(self, data):
        self.text += data
        for tag in self._open:
            self.texts[tag][-1] += data
        if self._entity is not None:
            self.entities[self._entity] += data


def _refuse(*args, **kwargs):
    raise OSError("network access attempted while generating the documentation")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, list[tuple]]:
    """The documentation written once, with every connection attempt refused and recorded."""
    out = tmp_path_factory.mktemp("docs") / "ontology-docs"
    attempts: list[tuple] = []

    def record(*args, **kwargs):
        attempts.append(args)
        _refuse()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", record)
        patch.setattr(socket, "create_connection", record)
        patch.setattr(socket, "getaddrinfo", record)
        write_docs(out)
    return out, attempts


@pytest.fixture(scope="module")
def docs(generated) -> Path:
    return generated[0]


@pytest.fixture(scope="module")
def pages(docs) -> dict[str, Parsed]:
    return {p.name: Parsed(p.read_text(encoding="utf-8")) for p in sorted(docs.glob("*.html"))}


def test_writes_the_index_the_ontology_and_one_page_per_vocabulary(docs, pages):
    assert {p.name for p in docs.iterdir()} == PAGES
    for name, page in pages.items():
        assert any(tag == "title" for tag, _ in page.tags), name


def test_generation_makes_no_network_connection(generated):
    assert generated[1] == []


def _ontology_terms() -> dict[URIRef, Graph]:
    graph = Graph().parse(resource_dir("ontology") / ONTOLOGY_FILE, format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {
        s: graph
        for kind in (*kinds, RDF.Property)
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(CG)
    }
    return terms


def test_ontology_page_shows_every_class_and_property(pages):
    terms = _ontology_terms()
    graph = next(iter(terms.values()))
    assert len(set(graph.subjects(RDF.type, OWL.Class))) >= 20
    assert len(terms) >= 60, "the ontology should declare its classes and properties"
    shown = {text.strip() for text in pages["ontology.html"].texts["code"]}
    missing = sorted(str(t) for t in terms if str(t) not in shown)
    assert not missing, f"not on the ontology page: {missing[:5]}"


def test_ontology_headings_are_english_labels_not_every_language_run_together(pages):
    graph = Graph().parse(resource_dir("ontology") / ONTOLOGY_FILE, format="turtle")
    headings = [" ".join(h.split()) for h in pages["ontology.html"].texts["h3"]]
    action = URIRef(CG + "Action")
    english = {str(x) for x in graph.objects(action, RDFS.label) if x.language == "en"}
    others = {str(x) for x in graph.objects(action, RDFS.label) if x.language not in ("en", None)}
    assert english == {"Action"} and "Acción" in others
    assert any(h.startswith("Action") for h in headings)
    assert not any("Acción" in h for h in headings)
    # the translations are kept, as a note
    assert "Acción (es)" in pages["ontology.html"].text


@pytest.mark.parametrize("source", sorted(VOCABULARY_FILES.values()))
def test_vocabulary_page_lists_every_concept(pages, source):
    graph = Graph().parse(resource_dir("ontology") / source, format="turtle")
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts, f"{source} holds no skos:Concept"
    page = pages[source.removesuffix(".ttl") + ".html"]
    codes = {text.strip() for text in page.texts["code"]}
    for concept in concepts:
        assert str(concept) in codes, f"{concept} missing from the {source} page"
        for notation in graph.objects(concept, SKOS.notation):
            assert str(notation) in codes
    labels = [
        str(x)
        for c in concepts
        for x in graph.objects(c, SKOS.prefLabel)
        if isinstance(x, Literal) and x.language == "en"
    ]
    assert len(labels) == len(concepts)
    missing = [label for label in labels if label not in page.text]
    assert not missing, f"English labels missing from the {source} page: {missing[:5]}"


def test_vocabulary_pages_show_english_labels_and_link_broader_concepts(docs, pages):
    graph = Graph().parse(resource_dir("ontology") / "assistance-types.ttl", format="turtle")
    page = pages["assistance-types.html"]
    html_text = (docs / "assistance-types.html").read_text(encoding="utf-8")
    broader_concepts = set(graph.objects(None, SKOS.broader))
    assert broader_concepts, "assistance-types.ttl has a hierarchy"
    for broader in broader_concepts:
        label = next(x for x in graph.objects(broader, SKOS.prefLabel) if x.language == "en")
        assert str(label) in html_text
    # every in-page link to a broader concept lands on a row of the page
    targets = [a["href"][1:] for tag, a in page.tags if tag == "a" and a.get("href", "")[:1] == "#"]
    assert targets and all(t in page.ids for t in targets)


def _node_shapes() -> dict[URIRef, Graph]:
    graph = Graph()
    files = sorted(resource_dir("shapes").glob("*.ttl"))
    assert files
    for path in files:
        graph.parse(path, format="turtle")
    return {s: graph for s in graph.subjects(RDF.type, SH.NodeShape)}


def test_index_lists_every_node_shape_with_its_target_and_property_messages(pages):
    shapes = _node_shapes()
    assert len(shapes) >= 10
    index = pages["index.html"]
    for shape, graph in shapes.items():
        name = str(shape).rsplit("#", 1)[-1]
        block = index.entities.get(f"shape-{name}")
        assert block is not None, f"{name} is not listed in index.html"
        for target in graph.objects(shape, SH.targetClass):
            assert str(target).rsplit("#", 1)[-1] in block
        properties = list(graph.objects(shape, SH.property))
        assert properties
        for prop in properties:
            for message in graph.objects(prop, SH.message):
                assert " ".join(str(message).split()) in " ".join(block.split()), (name, prop)
            severity = graph.value(prop, SH.severity)
            if severity is not None:
                assert str(severity).rsplit("#", 1)[-1] in block


def test_index_summarises_constraints(pages):
    block = " ".join(pages["index.html"].entities["shape-ActionShape"].split())
    assert "minCount 1" in block and "maxCount 1" in block
    assert "datatype xsd:string" in block
    assert "^rdf:subject" in block  # an inverse path
    assert "or ( [ datatype xsd:date ] [ datatype xsd:gYearMonth ] [ datatype xsd:gYear ] )" in (
        block
    )
    assert "StartNotAfterEnd" in block  # the SPARQL constraint, with its query
    assert "SUBSTR(?s, 1, ?n) > SUBSTR(?e, 1, ?n)" in block


def test_index_lists_every_query_with_its_sparql(pages):
    queries = catalogue()
    assert len(queries) >= 10
    index = pages["index.html"]
    pres = {text.strip() for text in index.texts["pre"]}
    for name, query in queries.items():
        block = index.entities.get(f"query-{name}")
        assert block is not None, f"{name} is not listed in index.html"
        assert query.title in block and " ".join(query.description.split()) in " ".join(
            block.split()
        )
        for param in query.params:
            assert param.name in block and param.type in block
        assert query.text.strip() in pres, f"the SPARQL text of {name} is not shown"


def test_index_links_every_page(pages):
    hrefs = {a.get("href") for tag, a in pages["index.html"].tags if tag == "a"}
    assert PAGES - {"index.html"} <= hrefs


def _resource_urls(page: Parsed) -> list[str]:
    urls = [a[LOADED[tag]] for tag, a in page.tags if tag in LOADED and a.get(LOADED[tag])]
    for css in page.texts["style"]:
        lowered = css.lower()
        assert "@import" not in lowered and "@font-face" not in lowered
        urls += [part.split(")", 1)[0].strip("'\" ") for part in lowered.split("url(")[1:]]
    return urls


def test_no_page_loads_anything_from_outside_its_folder(docs, pages):
    checked = 0
    for name, page in pages.items():
        for url in _resource_urls(page):
            checked += 1
            parts = urlsplit(url)
            if parts.scheme == "data":
                continue
            assert not parts.scheme and not parts.netloc, f"{name} loads {url}"
            target = (docs / parts.path).resolve()
            assert target.is_relative_to(docs.resolve()) and target.is_file(), f"{name}: {url}"
    assert checked, "the pages should at least carry pyLODE's inline icons and styles"


def test_links_between_pages_land_on_an_existing_anchor(pages):
    followed = 0
    for name, page in pages.items():
        for tag, attributes in page.tags:
            href = attributes.get("href") or ""
            if tag != "a" or urlsplit(href).scheme or not href:
                continue
            file, _, fragment = href.partition("#")
            target = pages[file or name]
            assert not fragment or fragment in target.ids, f"{name}: broken link {href}"
            followed += 1
    assert followed > 100


def test_external_resources_finds_cdn_references():
    page = (
        '<link rel="stylesheet" href="https://www.w3.org/StyleSheets/TR/base.css">'
        '<link rel="icon" href="data:image/png;base64,AAAA"><script src="js/local.js"></script>'
        '<img src="//cdn.example/x.png"><img src="../outside.png">'
        "<style>@import url('https://fonts.example/f.css'); @import \"/abs.css\";"
        " a { background: url(img/ok.png) }</style>"
    )
    assert external_resources(page) == [
        "https://www.w3.org/StyleSheets/TR/base.css",
        "//cdn.example/x.png",
        "../outside.png",
        "https://fonts.example/f.css",
        "/abs.css",
    ]
    with pytest.raises(DocsError, match=r"w3\.org"):
        check_offline(page, "page.html")


def test_write_docs_refuses_a_file_as_the_folder(tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a folder")
    with pytest.raises(DocsError, match="not a folder"):
        write_docs(target)
    assert target.read_text() == "not a folder"


def test_cli_out_is_a_file_is_an_error(tmp_path):
    target = tmp_path / "taken.html"
    target.write_text("x")
    result = CliRunner().invoke(cli, ["docs", "--out", str(target)])
    assert result.exit_code == 2
    assert "taken.html" in result.output and "is a file" in result.output


def test_cli_in_a_fresh_process_reports_its_pages_and_writes_the_same_bytes(docs, tmp_path):
    coopgraph = Path(sys.executable).parent / "coopgraph"
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    run = subprocess.run(
        [str(coopgraph), "docs", "--out", "again"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    again = tmp_path / "again"
    assert f"wrote {len(PAGES)} pages to again" in run.stderr
    for name in PAGES:
        assert str(again / name) in run.stderr or f"again/{name}" in run.stderr
    # pyLODE's import-time logging.basicConfig(level=DEBUG) must not leak out
    assert "INFO:" not in run.stderr and "DEBUG:" not in run.stderr, run.stderr
    for path in sorted(docs.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), f"{path.name} differs"


def test_read_shapes_writes_paths_as_sparql_property_paths(tmp_path):
    (tmp_path / "x.ttl").write_text(
        """
        @prefix ex: <https://example.org/> .
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ( ex:a ex:b ) ; sh:minCount 1 ; sh:in ( "x" "y" ) ] ,
                [ sh:path [ sh:alternativePath ( ex:c [ sh:inversePath ex:d ] ) ] ;
                  sh:severity sh:Warning ; sh:message "alt"@en ] ,
                [ sh:path [ sh:zeroOrMorePath ex:e ] ; sh:node ex:Other ] .
        """,
        encoding="utf-8",
    )
    (tmp_path / "y.ttl").write_text(
        "@prefix ex: <https://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "ex:Other a sh:NodeShape ; sh:targetNode ex:n .\n",
        encoding="utf-8",
    )
    shapes, names = read_shapes(tmp_path)
    assert [(s.name, s.source) for s in shapes] == [("ex:S", "x.ttl"), ("ex:Other", "y.ttl")]

    def text(parts) -> str:
        return "".join(names.curie(p) if isinstance(p, URIRef) else p for p in parts)

    rows = {
        text(p.path): ([text(c) for c in p.constraints], p.message, p.severity)
        for p in shapes[0].properties
    }
    assert rows == {
        "ex:a / ex:b": (["minCount 1", 'in ( "x" "y" )'], "", "Violation"),
        "(ex:c | ^ex:d)": ([], "alt", "Warning"),
        "(ex:e)*": (["node ex:Other"], "", "Violation"),
    }
    assert [text(t) for t in shapes[0].targets] == ["class ex:C"]
    assert [text(t) for t in shapes[1].targets] == ["node ex:n"]


def test_read_schemes_nests_narrower_concepts_and_keeps_orphans():
    graph = Graph().parse(
        data="""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <https://example.org/> .
        ex:s a skos:ConceptScheme ; skos:prefLabel "Scheme"@en .
        ex:top a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "Top"@en, "Haut"@fr ;
            skos:notation "t" .
        ex:b a skos:Concept ; skos:inScheme ex:s ; skos:broader ex:top ; skos:prefLabel "B"@en .
        ex:a a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "A"@en .
        ex:lost a skos:Concept ; skos:prefLabel "Lost"@en .
        """,
        format="turtle",
    )
    scheme, orphans = read_schemes(graph)
    assert scheme.title == "Scheme"
    assert [(c.label, c.depth) for c in scheme.concepts] == [("A", 0), ("Top", 0), ("B", 1)]
    assert scheme.concepts[1].notation == "t"
    assert scheme.concepts[2].broader == ("https://example.org/top",)
    assert [c.label for c in orphans.concepts] == ["Lost"]
