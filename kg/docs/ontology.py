"""The ontology page (pyLODE's OntPub), and the English labels every page shows.

pyLODE runs an entity's ``rdfs:label`` values together whatever their language
("ActionAcciónActionAção"), so it is given English labels and definitions only
(:func:`english_only`); the pages made here pick the English value the same way
(:func:`english_text`).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.docs.errors import DocsError
from kg.docs.html import load_pylode, nav_link

#: Predicates whose literal values pyLODE shows; only the English ones are kept.
LANGUAGE_FILTERED = (RDFS.label, SKOS.prefLabel, SKOS.definition, RDFS.comment, DCTERMS.title)


def english_only(graph: Graph) -> Graph:
    """A copy of ``graph`` whose labels, definitions and titles are the English ones
    wherever an English one exists; labels in other languages become a ``skos:note``.

    Examples
    --------
    >>> g = Graph().parse(data='<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> '
    ...     '"Action"@en, "Acción"@es, "Ação"@pt .', format="turtle")
    >>> out = english_only(g)
    >>> sorted(str(o) for o in out.objects(URIRef("urn:x"), RDFS.label))
    ['Action']
    >>> str(out.value(URIRef("urn:x"), SKOS.note))
    'Labels in other languages: Acción (es), Ação (pt).'
    """
    out = Graph(bind_namespaces="core")
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True)
    dropped: dict[URIRef | BNode, list[Literal]] = {}
    for s, p, o in graph:
        if _translation(graph, s, p, o):
            if p in (RDFS.label, SKOS.prefLabel):
                dropped.setdefault(s, []).append(o)
        else:
            out.add((s, p, o))
    for subject, labels in dropped.items():
        names = ", ".join(f"{x} ({x.language})" for x in sorted(labels, key=_literal_key))
        out.add((subject, SKOS.note, Literal(f"Labels in other languages: {names}.", lang="en")))
    return out


def _translation(graph: Graph, s, p, o) -> bool:
    """Whether ``o`` is a non-English value of a filtered predicate that has an English one."""
    if p not in LANGUAGE_FILTERED or not isinstance(o, Literal) or o.language in (None, "en"):
        return False
    return any(getattr(x, "language", None) == "en" for x in graph.objects(s, p))


def _literal_key(literal: Literal) -> tuple[str, str]:
    return (literal.language or "", str(literal))


def english_text(graph: Graph, subject, *predicates: URIRef) -> str:
    """The English (else untagged, else any) value of the first predicate that has one."""
    for predicate in predicates:
        values = sorted(graph.objects(subject, predicate), key=str)
        for wanted in ("en", None):
            for value in values:
                if getattr(value, "language", None) == wanted:
                    return str(value)
        if values:
            return str(values[0])
    return ""


def ontology_page(path: Path) -> tuple[str, dict[str, str]]:
    """pyLODE's OntPub page for the ontology in ``path``, with a link back to the index.

    Returns
    -------
    tuple
        The HTML, and the fragment id pyLODE gave each entity, by IRI.

    Raises
    ------
    DocsError
        When pyLODE cannot write its cache, or its page is not laid out as expected.
    """
    pylode = load_pylode()
    graph = english_only(Graph().parse(path, format="turtle"))
    try:
        page = pylode.OntPub(graph, sort_subjects=True)
        text = page.make_html()
    except PermissionError as err:
        raise DocsError(
            f"pyLODE {pylode.__version__} caches its background ontologies in its own "
            f"folder, which is read-only here ({err.filename}): run `coopgraph docs` "
            "once as the owner of the installation"
        ) from err
    marker = '<div id="content">'
    if text.count(marker) != 1:
        raise DocsError(f"{path.name}: unexpected pyLODE page layout (no {marker})")
    return text.replace(marker, marker + nav_link(), 1), dict(page.fids)
