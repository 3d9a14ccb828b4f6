"""The vocabulary pages: each SKOS concept scheme as a table of its concepts, listed as a
tree under their broader concepts.

pyLODE 3.3.4's ``VocPub`` profile is a copy of ``OntPub``: it shows a concept scheme's
metadata and silently drops every ``skos:Concept``, so these pages are made here (label,
notation, definition, broader), in pyLODE's layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import RDF, RDFS, SKOS, Graph
from rdflib.namespace import DCTERMS

from kg.docs.html import esc, link, page
from kg.docs.ontology import english_text


@dataclass(frozen=True)
class Concept:
    """One concept of a vocabulary page, in tree order (``depth`` 0 for a top concept)."""

    iri: str
    label: str
    notation: str
    definition: str
    broader: tuple[str, ...]
    depth: int


@dataclass(frozen=True)
class Scheme:
    """A concept scheme and its concepts."""

    iri: str
    title: str
    definition: str
    concepts: tuple[Concept, ...]


def read_schemes(graph: Graph) -> list[Scheme]:
    """The concept schemes of a vocabulary graph, each concept listed under its broader one.

    A concept belongs to every scheme it is ``skos:inScheme`` or ``skos:topConceptOf``;
    siblings are sorted by label. Concepts of no scheme form a last, untitled scheme.
    """
    schemes = sorted(set(graph.subjects(RDF.type, SKOS.ConceptScheme)), key=str)
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    members: dict[str, set] = {}
    for scheme in schemes:
        members[str(scheme)] = set(graph.subjects(SKOS.inScheme, scheme)) | set(
            graph.subjects(SKOS.topConceptOf, scheme)
        )
    orphans = concepts - set().union(*members.values()) if members else concepts
    out = [
        Scheme(
            str(s),
            english_text(graph, s, DCTERMS.title, SKOS.prefLabel, RDFS.label) or str(s),
            english_text(graph, s, SKOS.definition, DCTERMS.description, RDFS.comment),
            tuple(_tree(graph, members[str(s)])),
        )
        for s in schemes
    ]
    if orphans:
        out.append(Scheme("", "Concepts in no scheme", "", tuple(_tree(graph, orphans))))
    return out


def _tree(graph: Graph, nodes: set) -> Iterable[Concept]:
    """``nodes`` depth first, each after its first broader concept among ``nodes``."""

    def label(node) -> str:
        return english_text(graph, node, SKOS.prefLabel, RDFS.label) or str(node)

    def key(node) -> tuple[str, str]:
        return (label(node).casefold(), str(node))

    parent = {}
    for node in nodes:
        inside = sorted((b for b in graph.objects(node, SKOS.broader) if b in nodes), key=str)
        if inside:
            parent[node] = inside[0]
    children: dict = {}
    for node, up in parent.items():
        children.setdefault(up, []).append(node)
    seen: set = set()

    def walk(node, depth: int) -> Iterable[Concept]:
        if node in seen:
            return
        seen.add(node)
        yield Concept(
            str(node),
            label(node),
            " ".join(sorted(str(n) for n in graph.objects(node, SKOS.notation))),
            english_text(graph, node, SKOS.definition),
            tuple(sorted(str(b) for b in graph.objects(node, SKOS.broader))),
            depth,
        )
        for child in sorted(children.get(node, []), key=key):
            yield from walk(child, depth + 1)

    for root in sorted((n for n in nodes if n not in parent), key=key):
        yield from walk(root, 0)
    for node in sorted(nodes - seen, key=key):  # a broader cycle: list what is left
        yield from walk(node, 0)


def anchor(iri: str, taken: set[str]) -> str:
    """A fragment id for ``iri``: its last two path segments, made unique in ``taken``.

    Examples
    --------
    >>> taken = set()
    >>> anchor("https://w3id.org/coopgraph/id/country/PE", taken)
    'country-PE'
    >>> anchor("https://example.org/a/country/PE", taken)
    'country-PE-2'
    """
    parts = [p for p in re.split(r"[/#]", iri) if p][-2:]
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join(parts)) or "c"
    fid, n = base, 1
    while fid in taken:
        n += 1
        fid = f"{base}-{n}"
    taken.add(fid)
    return fid


def vocabulary_page(
    schemes: Sequence[Scheme], *, file: str, source: str
) -> tuple[str, dict[str, str]]:
    """The page of one vocabulary file: a table of concepts per scheme.

    Returns
    -------
    tuple
        The HTML, and the link to each scheme and concept (``file#fragment``) by IRI.
    """
    taken: set[str] = set()
    fids = {s.iri: anchor(s.iri, taken) if s.iri else anchor("no-scheme", taken) for s in schemes}
    for scheme in schemes:
        for c in scheme.concepts:
            if c.iri not in fids:
                fids[c.iri] = anchor(c.iri, taken)
    labels = {c.iri: c.label for s in schemes for c in s.concepts}
    local = {iri: f"#{fid}" for iri, fid in fids.items()}
    title = " and ".join(s.title for s in schemes) or source
    body = [f"<h1>{esc(title)}</h1>", f"<p>The SKOS vocabulary in <code>{esc(source)}</code>.</p>"]
    shown: set[str] = set()  # a concept of two schemes is listed twice, its anchor once

    def row_id(iri: str) -> str:
        first = iri not in shown
        shown.add(iri)
        return f' id="{fids[iri]}"' if first else ""

    for scheme in schemes:
        rows = "\n".join(
            f"<tr{row_id(c.iri)}>"
            f'<td style="padding-left: {6 + 18 * c.depth}px">{esc(c.label)}<br>'
            f"<code>{esc(c.iri)}</code></td><td><code>{esc(c.notation)}</code></td>"
            f"<td>{esc(c.definition)}</td><td>"
            + ", ".join(link(b, labels.get(b, b), local) for b in c.broader)
            + "</td></tr>"
            for c in scheme.concepts
        )
        body.append(
            f'<div class="section" id="{fids[scheme.iri]}"><h2>{esc(scheme.title)}</h2>'
            + (f"<p>IRI: <code>{esc(scheme.iri)}</code></p>" if scheme.iri else "")
            + (f"<p>{esc(scheme.definition)}</p>" if scheme.definition else "")
            + f"<p>{len(scheme.concepts)} concepts.</p>"
            + '<table class="listing"><colgroup><col style="width: 28%">'
            '<col style="width: 14%"><col><col style="width: 18%"></colgroup>'
            "<tr><th>label</th><th>notation</th><th>definition</th><th>broader</th></tr>\n"
            + rows
            + "</table></div>"
        )
    toc = [
        (
            "Concept schemes",
            "#" + fids[schemes[0].iri] if schemes else "#",
            [(f"#{fids[s.iri]}", s.title) for s in schemes],
        )
    ]
    return page(title, body, toc), {iri: f"{file}#{fid}" for iri, fid in fids.items() if iri}
