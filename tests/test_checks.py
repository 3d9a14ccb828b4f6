"""The store's checks as the build finds them (kg/checks.py).

The canned ``*-violation`` queries read the rows the build found (``cg:CheckRow``); they
must be, row for row and in the same order, what the checks' full queries
(``queries/checks/``) give over the union of the store's graphs. Compared here on the
faulty fixture, on generated graphs (actions stated by one document or by several,
values of every kind: strings, tagged strings, numbers written oddly, IRIs, blank
nodes) and on builds with faults put into the documents' graphs.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from test_canned_queries import EXPECTED_OFFENDERS, FAULTY, memory_store

import kg.build
from kg.build import build
from kg.checks import NAMES, Found, checks, full_checks, index, row_triples, settle
from kg.iri import BASE, SUMMARY_GRAPH
from kg.namespace import CG
from kg.ontology import VOCABULARY_FILES
from kg.queries import canned, run_all, run_canned, run_query
from kg.store import EmbeddedStore
from kg.summary import SummaryAccumulator, from_oxigraph
from kg.triples import Triples

CORPUS = ROOT / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"


def _graphs(db) -> dict[str, list[tuple]]:
    """The store's statements as rdflib triples, graph by graph."""
    graphs: dict[str, list[tuple]] = defaultdict(list)
    for quad in db.ox:
        triple = tuple(from_oxigraph(t) for t in (quad.subject, quad.predicate, quad.object))
        graphs[quad.graph_name.value].append(triple)
    return graphs


def _with_check_rows(db) -> None:
    """Find the checks' rows graph by graph, as a build does, settle them in ``db``
    and write them to its summary graph."""
    found, summary = Found(), SummaryAccumulator()
    for triples in _graphs(db).values():
        found.merge(checks().find(index(triples)))
        summary.add(triples)
    rows = settle(found, db.ox, summary.shared_actions(), whole=False)
    data = Triples()
    for triple in row_triples(rows):
        data.add(triple)
    db.ox.load(
        data.serialize(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(SUMMARY_GRAPH))
    )


def _rows(db, text: str) -> list[tuple[str, str | None]]:
    return [tuple(None if t is None else str(t) for t in row) for row in run_query(db, text)[1]]


def _compare(db) -> dict[str, list]:
    """Each check's rows from the summary and from its full query, which must agree
    (in order); the rows, by check."""
    out = {}
    for name in NAMES:
        expected = _rows(db, full_checks()[name])
        assert _rows(db, canned(name).text) == expected, name
        out[name] = expected
    return out


# -- the faulty fixture -----------------------------------------------------------------


def test_every_check_is_in_the_catalogue_and_reads_the_summary():
    assert set(full_checks()) == set(NAMES) == set(EXPECTED_OFFENDERS)
    for name in NAMES:
        assert canned(name).summary and canned(name).is_violation
        assert "cg:CheckRow" not in full_checks()[name]  # the full query scans the store


def test_the_faulty_fixture_gives_the_same_rows_both_ways():
    db = memory_store(FAULTY)
    _with_check_rows(db)
    rows = _compare(db)
    for name, offenders in EXPECTED_OFFENDERS.items():
        assert {focus.strip("<>").removeprefix(BASE) for focus, _ in rows[name]} == offenders, name


# -- generated graphs -------------------------------------------------------------------

COUNTRY = BASE + "country/"
INT = XSD.integer
COUNTRIES = [
    URIRef(COUNTRY + "ES"),  # in the EU
    URIRef(COUNTRY + "PE"),  # outside it
    URIRef(COUNTRY + "ZZ"),  # in no scheme
    Literal("PE"),
    Literal("PE", lang="es"),
    Literal("7", datatype=INT),
    BNode("c"),
]
THEMES = [URIRef(BASE + "theme/green_jobs"), URIRef(BASE + "theme/nope"), Literal("green")]
TITLES = [
    Literal("Plan"),
    Literal("Plan", lang="fr"),
    Literal("Zoë"),
    Literal("5", datatype=INT),
    URIRef("http://x/title"),
]
QUOTES = [
    Literal(""),
    Literal("abc"),
    Literal("é€x"),
    Literal("ab", lang="en"),
    Literal("3", datatype=INT),
]
NUMBERS = [
    *(Literal(n) for n in (-1, 0, 1, 2, 3, 5)),
    Literal("03", datatype=INT),
    Literal("2.0", datatype=XSD.decimal),
    Literal("3", datatype=XSD.int),
    Literal("x"),
]
TYPES = [CG.Action, CG.Evidence, CG.ExpertMobilisation, CG.TriangularMobilisation]


@st.composite
def corpora(draw) -> list[list[tuple]]:
    """Graphs as a build writes them: an action (with its mobilisation) is stated in
    the graphs of the documents it is derived from, and only there; an evidence node
    in one graph."""
    n_graphs = draw(st.integers(1, 3))
    graphs: list[list[tuple]] = [[] for _ in range(n_graphs)]
    some = st.lists
    for i in range(3):
        action = URIRef(f"{BASE}action/a{i}")
        mobilisation = URIRef(f"{BASE}mobilisation/m{i}")
        for g in sorted(draw(st.sets(st.integers(0, n_graphs - 1), max_size=n_graphs))):
            out = graphs[g]
            out.append((action, PROV.wasDerivedFrom, URIRef(f"http://x/doc{g}")))
            if draw(st.integers(0, 4)):
                out.append((action, RDF.type, CG.Action))
            for p, values in (
                (DCTERMS.title, TITLES),
                (CG.partnerInstitution, [URIRef("http://x/org")]),
                (CG.partnerCountry, COUNTRIES),
                (CG.expertCountry, COUNTRIES),
                (CG.mentionedCountry, COUNTRIES),
                (CG.theme, THEMES),
            ):
                out += [(action, p, v) for v in draw(some(st.sampled_from(values), max_size=2))]
            if draw(st.booleans()):  # (a mobilisation is stated with its action's link)
                out.append((action, CG.expertMobilisation, mobilisation))
                types = draw(some(st.sampled_from(TYPES[2:])))
                out += [(mobilisation, RDF.type, t) for t in types]
                countries = draw(some(st.sampled_from(COUNTRIES), max_size=2))
                out += [(mobilisation, CG.expertCountry, c) for c in countries]
        evidence = URIRef(f"{BASE}evidence/e{i}")
        out = graphs[draw(st.integers(0, n_graphs - 1))]
        out += [(evidence, RDF.type, t) for t in draw(some(st.sampled_from(TYPES), max_size=2))]
        for p, values in ((CG.quote, QUOTES), (CG.charStart, NUMBERS), (CG.charEnd, NUMBERS)):
            out += [(evidence, p, v) for v in draw(some(st.sampled_from(values), max_size=2))]
        institution = URIRef(f"{BASE}organisation/o{i}")
        out += [
            (institution, CG.country, c) for c in draw(some(st.sampled_from(COUNTRIES), max_size=1))
        ]
    return graphs


def _store_of(graphs: list[list[tuple]]) -> SimpleNamespace:
    db = memory_store("")
    for g, triples in enumerate(graphs):
        name = ox.NamedNode(f"http://x/graph{g}")
        db.ox.extend(ox.Quad(*(_ox(t) for t in triple), name) for triple in triples)
    return db


def _ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


@settings(max_examples=300, deadline=None)
@given(corpora())
def test_generated_graphs_give_the_same_rows_both_ways(graphs):
    db = _store_of(graphs)
    _with_check_rows(db)
    _compare(db)


# -- builds -----------------------------------------------------------------------------

PE, ES, XK = (URIRef(COUNTRY + c) for c in ("PE", "ES", "XK"))


def _shared_actions(store: Path) -> list[URIRef]:
    """The actions two documents of ``store`` state."""
    text = """SELECT ?a WHERE { ?a a <https://w3id.org/coopgraph/ontology#Action> ;
        <http://www.w3.org/ns/prov#wasDerivedFrom> ?d1, ?d2 FILTER(?d1 != ?d2) }
        GROUP BY ?a ORDER BY ?a"""
    return [
        URIRef(row[0].value) for row in run_query(EmbeddedStore(store, read_only=True), text)[1]
    ]


def _faults(monkeypatch, shared: list[URIRef]) -> None:
    """Make every document's graph break each check, some of them only once the
    graphs of two documents stating one action are taken together."""
    real = kg.build.document_graph

    def faulty(name, *args):
        graph = real(name, *args)
        actions = sorted(s for s, p, o in graph if p == RDF.type and o == CG.Action)
        alone = [a for a in actions if a not in shared]
        out = Triples()
        for t in graph:
            # a shared action left without partner institution in one document alone,
            # and an action of one document without any
            if t[1] == CG.partnerInstitution and (
                (name == "actions-labelled.txt" and t[0] == shared[1]) or t[0] in alone[:1]
            ):
                continue
            out.add(t)
        if name == "actions-bullets.txt":
            out.add((shared[0], CG.partnerCountry, XK))  # XK an expert country elsewhere
        if name == "actions-labelled.txt":
            mobilisation = URIRef(f"{BASE}mobilisation/xk")
            out.add((shared[0], CG.expertCountry, XK))
            out.add((shared[0], CG.expertMobilisation, mobilisation))
            out.add((mobilisation, RDF.type, CG.ExpertMobilisation))
            out.add((mobilisation, RDF.type, CG.TriangularMobilisation))
            out.add((mobilisation, CG.expertCountry, XK))
        if alone:
            a = alone[0]
            out.add((a, CG.theme, URIRef(BASE + "theme/nope")))
            out.add((a, CG.mentionedCountry, URIRef(COUNTRY + "ZZ")))
            out.add((a, CG.partnerCountry, Literal("7", datatype=INT)))  # left to the store
            experts = {o for s, p, o in graph if s == a and p == CG.expertCountry}
            other = next(c for c in (URIRef(COUNTRY + c) for c in ("IS", "MT")) if c not in experts)
            out.add((a, CG.expertCountry, other))  # no mobilisation
            out.add((a, CG.expertCountry, ES))
            mobilisation = URIRef(f"{BASE}mobilisation/{name}")
            out.add((a, CG.expertMobilisation, mobilisation))
            out.add((mobilisation, RDF.type, CG.ExpertMobilisation))
            out.add((mobilisation, RDF.type, CG.TriangularMobilisation))  # ES is in the EU
            out.add((mobilisation, CG.expertCountry, ES))
            evidence = next(s for s, p, o in graph if p == RDF.type and o == CG.Evidence)
            out.add((evidence, CG.quote, Literal("a quote of another length")))
            odd = URIRef(f"{BASE}evidence/{name}-odd")
            out.add((odd, RDF.type, CG.Evidence))
            out.add((odd, CG.quote, Literal("abcd")))
            out.add((odd, CG.charStart, Literal(0)))
            out.add((odd, CG.charEnd, Literal("03", datatype=INT)))  # left to the store
        return out

    monkeypatch.setattr(kg.build, "document_graph", faulty)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_build_writes_the_rows_the_full_checks_give(tmp_path, monkeypatch, workers):
    shared = _shared_actions_of_the_demo(tmp_path)
    assert len(shared) >= 2
    _faults(monkeypatch, shared)
    store = tmp_path / "store"
    build(None, store=store, clean=True, workers=workers)
    db = EmbeddedStore(store, read_only=True)
    rows = _compare(db)
    assert all(rows.values()), {n: r for n, r in rows.items() if not r}
    said = {(name, focus) for name, listed in rows.items() for focus, _ in listed}
    # seen only with both documents' graphs: a partner country that is an expert one
    assert ("expert-country-is-partner-violation", f"<{shared[0]}>") in said
    # and the other document names the partner institution
    assert ("action-without-partner-violation", f"<{shared[1]}>") not in said
    # a canned check runs as any canned query, a page at a time
    assert run_canned(db, "dangling-theme-violation")[1]
    for name, expected in rows.items():
        paged = [
            tuple(None if t is None else str(t) for t in r) for r in run_all(db, name, size=2)[1]
        ]
        assert paged == expected, name


def test_graphs_kept_from_an_earlier_build_are_checked_in_full(tmp_path, monkeypatch):
    _faults(monkeypatch, _shared_actions_of_the_demo(tmp_path))
    store = tmp_path / "store"
    build(None, store=store, clean=True)
    for saved in (store / "sources").glob("*.txt"):
        saved.unlink()  # the graphs are kept as they are, unchecked by the next build
    summary = build([CORPUS / "news-peru-green-jobs.txt"], store=store)
    assert any("its graph is kept as is" in w for w in summary.warnings)
    rows = _compare(EmbeddedStore(store, read_only=True))
    assert rows["dangling-theme-violation"]


def _shared_actions_of_the_demo(tmp_path: Path) -> list[URIRef]:
    build(None, store=tmp_path / "first", clean=True)
    return _shared_actions(tmp_path / "first")


@pytest.mark.parametrize("corpus", [CORPUS, SEEDS])
def test_what_the_checks_rely_on_holds_in_a_build(tmp_path, corpus):
    """Only the vocabulary graphs state what the checks read of the vocabularies; an
    action derived from one document is stated in its graph alone, a mobilisation only
    in graphs that link it from its action, and an evidence node in one graph."""
    if not corpus.is_dir():
        pytest.skip(f"corpus not present at {corpus}")
    store = tmp_path / "store"
    build([corpus], store=store, clean=True)
    db = EmbeddedStore(store, read_only=True)
    vocabulary = {str(g) for g in VOCABULARY_FILES} | {"https://w3id.org/coopgraph/ontology"}
    graphs_of: dict[str, set[str]] = defaultdict(set)
    sources: dict[str, set[str]] = defaultdict(set)
    mobilisations: dict[str, str] = {}
    evidence: set[str] = set()
    linked: set[tuple[str, str]] = set()
    read = {str(CG.alpha2), str(CG.euMember), "http://www.w3.org/2004/02/skos/core#inScheme"}
    for quad in db.ox:
        s, p, g = quad.subject.value, quad.predicate.value, quad.graph_name.value
        if p in read:
            assert g in vocabulary, (s, p, g)
        if g != str(SUMMARY_GRAPH):
            graphs_of[s].add(g)
        if p == str(PROV.wasDerivedFrom):
            sources[s].add(g)
        if p == str(CG.expertMobilisation):
            mobilisations[quad.object.value] = s
            linked.add((g, quad.object.value))
        if p == str(RDF.type) and quad.object.value == str(CG.Evidence):
            evidence.add(s)
    assert evidence and all(len(graphs_of[e]) == 1 for e in evidence)
    actions = [s for s, listed in sources.items() if "/id/action/" in s and len(listed) == 1]
    assert actions
    for action in actions:
        assert graphs_of[action] == sources[action], action
    assert mobilisations
    for mobilisation in mobilisations:
        # (stated only where its action's link to it is)
        assert all((g, mobilisation) in linked for g in graphs_of[mobilisation])
    assert _compare(db)  # and no check finds anything
