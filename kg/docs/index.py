"""The index page: links to the other pages, every SHACL node shape and every canned
query with its SPARQL text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import NamespaceManager

from kg.docs.html import esc, link, page
from kg.docs.shapes import Part, ShapeDoc, curie, curie_or_blank
from kg.queries import CannedQuery


@dataclass(frozen=True)
class Page:
    """A page of the documentation: its file name, title and what it holds."""

    file: str
    title: str
    summary: str


def index_page(
    pages: Sequence[Page],
    shapes: Sequence[ShapeDoc],
    queries: Mapping[str, CannedQuery],
    *,
    links: Mapping[str, str],
    names: NamespaceManager,
) -> str:
    """The index: links to the pages, every SHACL node shape and every canned query."""
    body = [
        "<h1>coopgraph: ontology, vocabularies, shapes and queries</h1>",
        '<div class="section" id="pages"><h2>Pages</h2><ul>',
        *(f'<li><a href="{esc(p.file)}">{esc(p.title)}</a> ({esc(p.summary)})</li>' for p in pages),
        "</ul></div>",
        f'<div class="section" id="shapes"><h2>SHACL shapes</h2><p>{len(shapes)} node shapes '
        "in <code>shapes/</code>. A constraint without <code>sh:severity</code> is a "
        "Violation; <code>coopgraph validate</code> applies them.</p>",
        *(_shape_html(s, links, names) for s in shapes),
        "</div>",
        f'<div class="section" id="queries"><h2>Canned queries</h2><p>{len(queries)} queries '
        "in <code>queries/</code>; run one with <code>coopgraph query NAME</code>. A "
        '<span class="violation-query">*-violation</span> query must return no rows.</p>',
        *(_query_html(q) for q in queries.values()),
        "</div>",
    ]
    toc = [
        ("Pages", "#pages", [(p.file, p.title) for p in pages]),
        ("SHACL shapes", "#shapes", [(f"#{shape_id(s)}", s.name) for s in shapes]),
        ("Queries", "#queries", [(f"#query-{q.name}", q.name) for q in queries.values()]),
    ]
    return page("coopgraph documentation", body, toc, nav=False)


def shape_id(shape: ShapeDoc) -> str:
    return "shape-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", shape.name.split(":")[-1])


def _shape_html(shape: ShapeDoc, links: Mapping[str, str], names: NamespaceManager) -> str:
    def parts(ps: Sequence[Part]) -> str:
        return _parts(ps, links, names)

    rows = "\n".join(
        f"<tr><td><code>{parts(p.path)}</code>"
        + (f"<br><small>{esc(curie_or_blank(p.shape, names))}</small>" if p.shape else "")
        + "</td><td>"
        + "<br>".join(f"<code>{parts(c)}</code>" for c in p.constraints)
        + f'</td><td>{esc(p.message)}</td><td class="severity-{esc(p.severity)}">'
        f"{esc(p.severity)}</td></tr>"
        for p in shape.properties
    )
    targets = ", ".join(f"<code>{parts(t)}</code>" for t in shape.targets) or "none"
    own = "".join(f"<li><code>{parts(c)}</code></li>" for c in shape.constraints)
    sparql = "".join(
        f"<li>SPARQL constraint <code>{esc(curie_or_blank(s.iri, names) or '[ ]')}"
        f"</code> ({esc(s.severity)}): {esc(s.message)}<pre><code>{esc(s.select)}</code></pre></li>"
        for s in shape.sparql
    )
    return (
        f'<div class="entity" id="{shape_id(shape)}"><h3>{esc(shape.name)}</h3>'
        f"<p>Target: {targets}. Defined in <code>shapes/{esc(shape.source)}</code>. "
        f"Severity: {esc(shape.severity)}."
        + (f" Message: {esc(shape.message)}" if shape.message else "")
        + "</p>"
        + (f"<ul>{own}{sparql}</ul>" if own or sparql else "")
        + (
            '<table class="listing"><colgroup><col style="width: 22%"><col style="width: 33%">'
            '<col><col style="width: 9%"></colgroup><tr><th>path</th><th>constraints</th>'
            f"<th>sh:message</th><th>severity</th></tr>\n{rows}</table>"
            if rows
            else "<p>No property shapes.</p>"
        )
        + "</div>"
    )


def _query_html(query: CannedQuery) -> str:
    params = "\n".join(
        f"<tr><td><code>{esc(p.name)}</code></td><td>{esc(p.type)}</td>"
        f"<td>{esc(p.default or '(required)')}</td><td><code>{esc(p.example)}</code></td>"
        f"<td>{esc(p.description)}</td></tr>"
        for p in query.params
    )
    return (
        f'<div class="entity" id="query-{esc(query.name)}"><h3>{esc(query.name)}</h3>'
        f"<p><strong>{esc(query.title)}</strong>"
        + (
            ' <span class="violation-query">(must return no rows)</span>'
            if query.is_violation
            else ""
        )
        + f"</p><p>{esc(query.description)}</p>"
        + (
            '<table class="listing"><tr><th>parameter</th><th>type</th><th>default</th>'
            f"<th>example</th><th>description</th></tr>\n{params}</table>"
            if params
            else "<p>No parameters.</p>"
        )
        + f"<pre><code>{esc(query.text.rstrip())}</code></pre></div>"
    )


def _parts(parts: Sequence[Part], links: Mapping[str, str], names: NamespaceManager) -> str:
    return "".join(
        link(str(p), curie(p, names), links) if isinstance(p, URIRef) else esc(p) for p in parts
    )
