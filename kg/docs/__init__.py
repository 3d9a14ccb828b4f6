"""Offline HTML documentation of the ontology, its vocabularies, the SHACL shapes and the
canned queries (``coopgraph docs --out DIR``).

The ontology page is pyLODE's (OntPub profile); the vocabulary pages and the index
(which lists every SHACL node shape and every canned query with its SPARQL text) are
written here with pyLODE's stylesheet, so the pages look alike. Every page stands alone:
styles are inline, and no page loads a script, stylesheet, font or image from anywhere
(the only ``<script>`` is pyLODE's inline JSON-LD block), so the folder opens from disk.
Nothing touches the network, and the same inputs give byte-identical files.

- :mod:`kg.docs.ontology` -- the ontology page, and the English labels every page shows;
- :mod:`kg.docs.vocabularies` -- concept schemes read as trees, and their pages;
- :mod:`kg.docs.shapes` -- SHACL node shapes read into summaries;
- :mod:`kg.docs.index` -- the index page: pages, shapes and canned queries;
- :mod:`kg.docs.html` -- pyLODE's layout and stylesheet, escaping, links, offline checks;
- :mod:`kg.docs.errors` -- :class:`DocsError`.

pyLODE 3.3.4 quirks handled here:

- its ``VocPub`` profile is a copy of ``OntPub``: it shows a concept scheme's metadata
  and silently drops every ``skos:Concept``, so the vocabulary pages are tables made
  here (label, notation, definition, broader);
- importing it runs ``logging.basicConfig(level=DEBUG)`` (in
  ``pylode.profiles.supermodel.loader``), which turns on every library's debug log: the
  root logger is put back as it was after the import;
- an entity's heading runs all its ``rdfs:label`` values together whatever their
  language ("ActionAcciónActionAção"): it is given English labels and definitions only,
  and the labels in other languages become a ``skos:note``;
- a string input starting with ``http`` is fetched, and a file that does not parse ends
  the process with ``exit()``: it is only ever given an rdflib ``Graph`` parsed here;
- entities come in rdflib's triple order unless ``sort_subjects=True``, which is used;
- on first use it writes a pickle cache into its own package folder; where that folder
  is read-only the error says so (:class:`DocsError`).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, Graph
from rdflib.namespace import DCTERMS

from kg.docs.errors import DocsError
from kg.docs.html import INDEX, check_offline, external_resources
from kg.docs.index import Page, index_page, shape_id
from kg.docs.ontology import english_only, english_text, ontology_page
from kg.docs.shapes import Part, PropertyDoc, ShapeDoc, SparqlDoc, read_shapes
from kg.docs.vocabularies import Concept, Scheme, anchor, read_schemes, vocabulary_page
from kg.ontology import ONTOLOGY_FILE, VOCABULARY_FILES
from kg.queries import catalogue
from kg.resources import resource_dir

__all__ = [
    "Concept",
    "DocsError",
    "Page",
    "Part",
    "PropertyDoc",
    "Scheme",
    "ShapeDoc",
    "SparqlDoc",
    "anchor",
    "check_offline",
    "english_only",
    "external_resources",
    "index_page",
    "ontology_page",
    "read_schemes",
    "read_shapes",
    "render_docs",
    "vocabulary_page",
    "write_docs",
]

ONTOLOGY_PAGE = "ontology.html"
#: The rdf:type of the entities the ontology page documents, and how the index counts them.
ONTOLOGY_TYPES = {
    OWL.Class: "classes",
    OWL.ObjectProperty: "object properties",
    OWL.DatatypeProperty: "datatype properties",
    OWL.AnnotationProperty: "annotation properties",
    RDF.Property: "properties",
}


def render_docs() -> dict[str, str]:
    """Every page of the documentation, by file name (``index.html`` first)."""
    folder = resource_dir("ontology")
    ontology_html, fids = ontology_page(folder / ONTOLOGY_FILE)
    ontology = Graph().parse(folder / ONTOLOGY_FILE, format="turtle")
    links = {iri: f"{ONTOLOGY_PAGE}#{fid}" for iri, fid in fids.items() if fid}
    counts = {
        label: len(set(ontology.subjects(RDF.type, kind))) for kind, label in ONTOLOGY_TYPES.items()
    }
    title = english_text(
        ontology, next(ontology.subjects(RDF.type, OWL.Ontology), None), DCTERMS.title
    )
    pages = [
        Page(
            ONTOLOGY_PAGE,
            title or ONTOLOGY_FILE,
            ", ".join(f"{n} {label}" for label, n in counts.items() if n) + "; made by pyLODE",
        )
    ]
    out = {ONTOLOGY_PAGE: ontology_html}
    for name in VOCABULARY_FILES.values():
        schemes = read_schemes(Graph().parse(folder / name, format="turtle"))
        file = name.removesuffix(".ttl") + ".html"
        out[file], vocabulary_links = vocabulary_page(schemes, file=file, source=name)
        for iri, href in vocabulary_links.items():
            links.setdefault(iri, href)
        size = sum(len(s.concepts) for s in schemes)
        pages.append(Page(file, " and ".join(s.title for s in schemes), f"{size} concepts"))
    shapes, names = read_shapes(resource_dir("shapes"))
    for prefix, namespace in ontology.namespaces():
        names.bind(prefix, namespace, override=False)
    for shape in shapes:
        links.setdefault(shape.iri, f"{INDEX}#{shape_id(shape)}")
    index = index_page(pages, shapes, catalogue(), links=links, names=names)
    pages_out = {INDEX: index, **out}
    for file, text in pages_out.items():
        check_offline(text, file)
    return pages_out


def write_docs(out: Path) -> list[Path]:
    """Write the documentation into the folder ``out`` (made if missing).

    Existing files of the same names are replaced; other files are left alone.

    Returns
    -------
    list of Path
        The files written, ``index.html`` first.

    Raises
    ------
    DocsError
        When ``out`` exists and is not a folder.
    """
    if out.exists() and not out.is_dir():
        raise DocsError(f"{out}: exists and is not a folder")
    pages = render_docs()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file, text in pages.items():
        path = out / file
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
