"""The HTML pages of ``coopgraph serve``, rendered from plain data.

Each ``*_page`` function takes what :mod:`kg.server.explore` (or the network task)
found and returns a whole page in the layout ``kg/web/templates/layout.html``.
Everything from the store is escaped on the way in (:func:`esc`); links to resources
under the IRI base are local paths (``/id/...``), so the pages work wherever the
server runs, and the IRIs dereference when it runs under the base.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg.codegen import PREFIXES
from kg.server.explore import BASE, KINDS, RDF_TYPE, Entity, Evidence, Fact, Hit

WEB = Path(__file__).resolve().parent.parent / "web"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: Quotes longer than this are folded away under a summary line.
LONG_QUOTE = 280


def esc(value: object) -> str:
    """HTML-escaped text (quotes too, so it is safe in attributes).

    Examples
    --------
    >>> esc('<a href="x">')
    '&lt;a href=&quot;x&quot;&gt;'
    """
    return html.escape(str(value), quote=True)


@lru_cache(maxsize=1)
def _layout() -> Template:
    return Template((WEB / "templates" / "layout.html").read_text(encoding="utf-8"))


def layout(title: str, body: str, *, page: str = "page", q: str = "", head: str = "") -> str:
    """A whole page: ``body`` (HTML) in the shared layout, ``title`` (text) escaped."""
    return _layout().substitute(
        title=esc(title), body=body, page=esc(page), q=esc(q), head=head, version=__version__
    )


# -- terms --------------------------------------------------------------------------------------


def href(iri: str) -> str:
    """Where the page of ``iri`` is on this server: its path for IRIs under the base
    (without a fragment), else ``/resource?iri=...``.

    Examples
    --------
    >>> href("https://w3id.org/coopgraph/id/country/PE")
    '/id/country/PE'
    >>> href("https://w3id.org/coopgraph/ontology#Action")
    '/resource?iri=https%3A%2F%2Fw3id.org%2Fcoopgraph%2Fontology%23Action'
    """
    if iri.startswith(BASE) and "#" not in iri and "?" not in iri:
        return "/" + urllib.parse.quote(iri[len(BASE) :], safe="/:@!$&'()*+,;=-._~")
    return "/resource?" + urllib.parse.urlencode({"iri": iri})


def curie(iri: str) -> str:
    """``iri`` shortened with the coopgraph prefixes, when one fits.

    Examples
    --------
    >>> curie("https://w3id.org/coopgraph/ontology#partnerCountry")
    'cg:partnerCountry'
    """
    best = max(
        ((name, ns) for name, ns in PREFIXES.items() if iri.startswith(ns)),
        key=lambda item: len(item[1]),
        default=None,
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri


def link(iri: str, labels: Mapping[str, str]) -> str:
    """A link to ``iri``'s page, named by its label (or its short form)."""
    text = labels.get(iri) or curie(iri)
    return f'<a href="{esc(href(iri))}" title="{esc(iri)}">{esc(text)}</a>'


def term_html(term: Any, labels: Mapping[str, str]) -> str:
    """A term as HTML: IRIs as links, literals with their language or datatype."""
    if isinstance(term, ox.NamedNode):
        return link(term.value, labels)
    if isinstance(term, ox.BlankNode):
        return f"<code>_:{esc(term.value)}</code>"
    if isinstance(term, ox.Literal):
        tag = ""
        if term.language:
            tag = f'<span class="lit-tag">@{esc(term.language)}</span>'
        elif term.datatype.value != XSD_STRING:
            tag = f'<span class="lit-tag">{esc(curie(term.datatype.value))}</span>'
        return f"{esc(term.value)}{tag}"
    return f"<code>{esc(term)}</code>"


# -- evidence -------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def evidence_html(ev: Evidence, labels: Mapping[str, str]) -> str:
    """One piece of evidence: the quote marked in its source text, then where it is
    (document, characters, rule)."""
    quote = esc(ev.quote or "")
    before = esc(_squash(ev.before).lstrip()) if ev.before else ""
    after = esc(_squash(ev.after).rstrip()) if ev.after else ""
    text = (
        (f'<span class="ctx">…{before}</span>' if before else "")
        + f"<mark>{quote}</mark>"
        + (f'<span class="ctx">{after}…</span>' if after else "")
    )
    block = f"<blockquote>{text}</blockquote>"
    if len(ev.quote or "") > LONG_QUOTE:
        size = f"quote, {len(ev.quote or ''):,} characters"
        block = f"<details><summary>{size}</summary>{block}</details>"
    where = []
    if ev.document:
        where.append(link(ev.document, {ev.document: ev.document_title or ""} | dict(labels)))
    if ev.start is not None and ev.end is not None:
        where.append(f"characters {ev.start:,}–{ev.end:,}")
    if ev.rule:
        where.append("rule " + link(ev.rule, labels))
    return f'<figure class="evidence">{block}<figcaption>{", ".join(where)}</figcaption></figure>'


def _evidence_cell(fact: Fact, labels: Mapping[str, str]) -> str:
    if not fact.evidence:
        return '<span class="none">—</span>'
    return "".join(evidence_html(ev, labels) for ev in fact.evidence)


# -- pages ----------------------------------------------------------------------------------------


#: The RDF forms a resource's page links to: (``?format=`` name, what to call it).
ALTERNATES = (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))


def alternate(iri: str, fmt: str) -> str:
    """The local URL of ``iri``'s description in format ``fmt`` (a ``?format=`` name).

    Examples
    --------
    >>> alternate("https://w3id.org/coopgraph/id/theme/green_jobs", "ttl")
    '/id/theme/green_jobs?format=ttl'
    >>> alternate("urn:x", "jsonld")
    '/resource?iri=urn%3Ax&format=jsonld'
    """
    where = href(iri)
    return f"{where}{'&' if '?' in where else '?'}format={fmt}"


def _alternates(iri: str) -> str:
    return " ".join(
        f'<a href="{esc(alternate(iri, name))}">{label}</a>' for name, label in ALTERNATES
    )


#: Properties shown first on a resource's page (names, then descriptions), by rank.
FIRST = {
    "http://purl.org/dc/terms/title": 0,
    "http://www.w3.org/2004/02/skos/core#prefLabel": 0,
    "http://www.w3.org/2000/01/rdf-schema#label": 0,
    "https://w3id.org/coopgraph/ontology#acronym": 1,
    "http://www.w3.org/2004/02/skos/core#altLabel": 1,
    "http://purl.org/dc/terms/description": 2,
}


def _fact_rows(facts: Sequence[Fact], labels: Mapping[str, str], *, incoming: bool) -> str:
    rows = []
    ordered = sorted(
        facts,
        key=lambda f: (
            FIRST.get(f.predicate.value, 3),
            (labels.get(f.predicate.value) or curie(f.predicate.value)).casefold(),
        ),
    )
    for fact in ordered:
        other = fact.subject if incoming else fact.object
        rows.append(
            f'<tr><td class="prop">{link(fact.predicate.value, labels)}</td>'
            f"<td>{term_html(other, labels)}</td><td>{_evidence_cell(fact, labels)}</td></tr>"
        )
    return "\n".join(rows)


def _facts_table(facts: Sequence[Fact], labels: Mapping[str, str], *, incoming: bool) -> str:
    head = "<th>from</th>" if incoming else "<th>value</th>"
    return (
        f'<table class="facts {"incoming" if incoming else "outgoing"}"><thead><tr>'
        f"<th>property</th>{head}<th>evidence (quoted from the source)</th></tr></thead>"
        f"<tbody>{_fact_rows(facts, labels, incoming=incoming)}</tbody></table>"
    )


def entity_page(entity: Entity) -> str:
    """The page of one resource: label, types, IRI, its facts with their evidence,
    the facts that point to it, and links to its Turtle and JSON-LD."""
    labels = entity.labels
    kinds = (
        "".join(f'<span class="kind">{link(t, labels)}</span>' for t in entity.types)
        or '<span class="none">no type</span>'
    )
    facts = [f for f in entity.outgoing if f.predicate.value != RDF_TYPE]
    body = [
        f"<h1>{esc(entity.label)}</h1>",
        f'<p class="meta">{kinds} <code class="iri">{esc(entity.iri)}</code></p>',
        f'<p class="meta">As data: {_alternates(entity.iri)}</p>',
        f"<h2>Facts ({len(facts)})</h2>",
        _facts_table(facts, labels, incoming=False) if facts else "<p>None stated.</p>",
    ]
    if entity.incoming:
        body += [
            f"<h2>Referenced by ({len(entity.incoming)})</h2>",
            _facts_table(entity.incoming, labels, incoming=True),
        ]
    if entity.truncated:
        body.append('<p class="meta">Only the first facts are shown; query /sparql for all.</p>')
    return layout(entity.label, "\n".join(body), page="entity")


def _hit_list(hits: Iterable[Hit]) -> str:
    items = []
    for hit in hits:
        kinds = "".join(
            f'<span class="kind">{esc(curie(t))}</span>'
            for t in hit.types
            if "coopgraph" in t or "org#" in t
        )
        items.append(f"<li>{link(hit.iri, {hit.iri: hit.label})} {kinds}</li>")
    return '<ul class="hits">' + "\n".join(items) + "</ul>"


def search_page(text: str, hits: Sequence[Hit]) -> str:
    """Search results for ``text``."""
    if not text.strip():
        body = "<h1>Search</h1><p>Type part of a title, a name or an acronym above.</p>"
    elif not hits:
        body = f"<h1>Search</h1><p>Nothing is called anything like “{esc(text)}”.</p>"
    else:
        body = f"<h1>{len(hits)} found for “{esc(text)}”</h1>" + _hit_list(hits)
    return layout(f"Search: {text}", body, page="search", q=text)


def browse_page(kind: str, hits: Sequence[Hit]) -> str:
    """The resources of one kind of :data:`kg.server.explore.KINDS`."""
    title = KINDS[kind][0]
    body = f"<h1>{esc(title)} ({len(hits)})</h1>" + (_hit_list(hits) if hits else "<p>None.</p>")
    return layout(title, body, page="browse")


def first_clause(text: str) -> str:
    """The beginning of a description, up to its first colon, full stop or bracket.

    Examples
    --------
    >>> first_clause("One row per action: its title (and more). Then...")
    'One row per action'
    """
    return re.split(r": | \(|\. ", text, maxsplit=1)[0].rstrip(".")


def index_page(counts: Mapping[str, int], queries: Sequence[Mapping[str, str]]) -> str:
    """The home page: what the store holds, and where to go from there."""
    cards = "".join(
        f'<a class="card" href="/browse/{esc(kind)}"><b>{counts.get(kind, 0):,}</b>{esc(title)}</a>'
        for kind, (title, _) in KINDS.items()
    )
    listed = "".join(
        f'<li><a href="/query#{esc(q["name"])}">{esc(q["title"])}</a> '
        f'<span class="meta">{esc(first_clause(q["description"]))}</span></li>'
        for q in queries
        if q["group"] == "Reports"
    )
    body = f"""<h1>International technical cooperation, as a knowledge graph</h1>
<p>Actions of SOCIEUX+, the ILO Green Jobs Programme and PAGE, the institutions, countries,
themes and events behind them — every fact with the words of the document it was read from.</p>
<div class="cards">{cards}</div>
<h2>Ask</h2>
<p><a href="/query">The SPARQL editor</a> has every canned query; the endpoint is
<code>/sparql</code> (SPARQL 1.1 Protocol). <a href="/network">The collaboration network</a>
shows who sends experts to whom.</p>
<ul>{listed}</ul>"""
    return layout("coopgraph", body, page="home")


def editor_page(queries: Sequence[Mapping[str, str]]) -> str:
    """The SPARQL editor: YASGUI on this server's endpoint, the canned queries in a
    picker (``/query#NAME`` opens one)."""
    groups: dict[str, list[Mapping[str, str]]] = {}
    for q in queries:
        groups.setdefault(q["group"], []).append(q)
    options = "".join(
        f'<optgroup label="{esc(group)}">'
        + "".join(f'<option value="{esc(q["name"])}">{esc(q["title"])}</option>' for q in items)
        + "</optgroup>"
        for group, items in groups.items()
    )
    payload = json.dumps(list(queries), ensure_ascii=False)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    body = f"""<h1>SPARQL</h1>
<div class="picker">
  <label>Canned query <select id="picker"><option value="">— open one in a new tab —</option>
  {options}</select></label>
  <button type="button" id="run">Run</button>
</div>
<p id="about"></p>
<div id="yasgui"></div>
<script type="application/json" id="canned">{payload}</script>
<script src="/static/vendor/yasgui/yasgui.min.js"></script>
<script src="/static/editor.js"></script>"""
    head = '<link rel="stylesheet" href="/static/vendor/yasgui/yasgui.min.css">'
    return layout("SPARQL editor", body, page="editor", head=head)


def error_page(status: int, message: str) -> str:
    """A page saying what went wrong."""
    body = f'<h1>{status}</h1><p class="error">{esc(message)}</p><p><a href="/">Home</a></p>'
    return layout(f"Error {status}", body, page="error")


# -- network --------------------------------------------------------------------------------


def _options(chosen: str | None, choices: Mapping[str, str]) -> str:
    items = ['<option value="">any</option>']
    for value, label in sorted(choices.items(), key=lambda kv: kv[1].casefold()):
        selected = " selected" if value == chosen else ""
        items.append(f'<option value="{esc(value)}"{selected}>{esc(label)}</option>')
    return "".join(items)


def _filter_form(filters: Mapping[str, str], view: Mapping[str, Any]) -> str:
    def field(name: str, label: str, size: int = 6) -> str:
        value = esc(filters.get(name, ""))
        return f'<label>{label}<input name="{name}" value="{value}" size="{size}"></label>'

    return f"""<form class="filters" method="get" action="/network">
<label>Theme<select name="theme">{_options(filters.get("theme"), view["themes"])}</select></label>
<label>Programme<select name="programme">
{_options(filters.get("programme"), view["programmes"])}</select></label>
{field("since", "From year")}{field("until", "To year")}
{field("partner_region", "Partner region (M49 code or name)", 22)}
<button type="submit">Show</button></form>"""


def _country(code: str, metrics: Mapping[str, Any]) -> str:
    m = metrics.get(code, {})
    iri = m.get("iri") or f"{BASE}id/country/{code}"
    return f'<a href="{esc(href(iri))}">{esc(m.get("label") or code)}</a>'


def _corridor_table(report: Mapping[str, Any], themes: Mapping[str, str]) -> str:
    metrics = report["metrics"]
    rows = "".join(
        f"<tr><td>{_country(c['expert'], metrics)}</td><td>{_country(c['partner'], metrics)}</td>"
        f'<td class="num">{c["actions"]}</td>'
        f"<td>{esc(', '.join(themes.get(t, t) for t in c.get('themes', [])))}</td></tr>"
        for c in report["corridors"]
    )
    return (
        "<table><thead><tr><th>experts from</th><th>to partner</th><th>actions</th>"
        f"<th>themes</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _central_table(report: Mapping[str, Any]) -> str:
    metrics = report["metrics"]
    rows = "".join(
        f"<tr><td>{_country(c['country'], metrics)}</td><td>{esc(c['role'])}</td>"
        f'<td class="num">{c["pagerank"]:.3f}</td><td class="num">{c["betweenness"]:.3f}</td>'
        f'<td class="num">{c["expert_actions"]}</td>'
        f'<td class="num">{c["partner_actions"]}</td></tr>'
        for c in report["central"]
    )
    return (
        "<table><thead><tr><th>country</th><th>role</th><th>PageRank</th><th>betweenness</th>"
        "<th>actions as expert</th><th>actions as partner</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _pairs_table(report: Mapping[str, Any]) -> str:
    metrics = report["metrics"]
    rows = "".join(
        f"<tr><td>{' + '.join(_country(c, metrics) for c in pair['countries'])}</td>"
        f'<td class="num">{pair["actions"]}</td></tr>'
        for pair in report["co_mobilisation"]
    )
    return (
        "<table><thead><tr><th>expert countries serving together</th><th>actions</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def network_page(view: Mapping[str, Any], filters: Mapping[str, str], graph_url: str) -> str:
    """The collaboration network: filters, counts, the drawing (``graph_url``, in a
    frame) and the tables of corridors, central countries and co-mobilisation."""
    report = view["report"]
    counts = "".join(
        f'<div class="card"><b>{value:,}</b>{esc(name.replace("_", " "))}</div>'
        for name, value in report["counts"].items()
    )
    share = report["triangular"].get("share")
    body = f"""<h1>Collaboration network</h1>
<p class="meta">Expert countries and the partner countries they worked with, from the
actions in the graph (the same analysis as <code>coopgraph network</code>).</p>
{_filter_form(filters, view)}
<div class="cards">{counts}</div>
<iframe class="graph" src="{esc(graph_url)}" title="Network drawing"></iframe>
<h2>Strongest corridors</h2>{_corridor_table(report, view["themes"])}
<h2>Most central countries</h2>{_central_table(report)}
<h2>Co-mobilised expert countries</h2>{_pairs_table(report)}
<p class="meta">Triangular cooperation share: {"—" if share is None else f"{share:.1%}"}.</p>"""
    return layout("Collaboration network", body, page="network")
