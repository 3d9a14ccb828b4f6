"""The summary graph (kg/summary.py) and the canned queries that read it.

Every canned query rewritten to read the summary graph gives exactly the rows its
original text gave: the originals are kept in ``tests/data/summary/`` and run on the
same stores (the demo corpus, the development seeds) with every parameter value that
matters. The summary is the same whether documents come in one build or several, and
follows a document that changes or goes. Its sorting, joining and extremes are those of
Oxigraph, checked against Oxigraph on generated values.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest
from conftest import DATA, ROOT, store_quads
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from kg.build import build
from kg.endpoint import SHARED_GRAPHS
from kg.export import PARTS, graph_part
from kg.iri import SUMMARY_GRAPH
from kg.queries import MAX_PAGE, bindings, catalogue, load_query, run_all, run_canned, run_query
from kg.store import EmbeddedStore
from kg.summary import SummaryAccumulator, joined, order_key, ranks, smallest, summary_graph

REFERENCES = DATA / "summary"
CORPUS = ROOT / "corpus"
REWRITTEN = sorted(p.stem for p in REFERENCES.glob("*.rq"))
CG = "https://w3id.org/coopgraph/ontology#"


def test_references_are_found():
    assert len(REWRITTEN) >= 12, REWRITTEN  # a glob that finds nothing must not pass
    assert set(REWRITTEN) <= set(catalogue())


def _terms(rows) -> list[tuple[str | None, ...]]:
    """Rows as tuples of N-Triples terms (datatype and language tag included)."""
    return [tuple(None if t is None else str(t) for t in row) for row in rows]


def _parameter_values(db, name: str) -> list[dict[str, str]]:
    """The query's default and example, and every value the store gives its parameter."""
    query = catalogue()[name]
    params = [p for p in query.params if not (query.page and p.name in ("offset", "limit"))]
    if not params:
        return [{}]
    (param,) = params
    skos = "http://www.w3.org/2004/02/skos/core#"
    lookups = {
        "country": f"SELECT DISTINCT ?v WHERE {{ ?c <{CG}alpha2> ?v }}",
        "theme": f"SELECT DISTINCT ?v WHERE {{ ?c <{skos}notation> ?v ;"
        f" <{skos}inScheme> <https://w3id.org/coopgraph/id/theme> }}",
    }
    found = {row[0].value for row in run_query(db, lookups[param.name])[1]}
    return [{param.name: v} for v in sorted({param.default, param.example, *found})]


def _assert_same_as_reference(db) -> int:
    """Every rewritten query gives its reference's rows, in the same order (a paged
    query all its pages: 3 and 1000 positions at a time, and as run_all reads them);
    returns the number of (query, parameters) compared."""
    compared = 0
    for name in REWRITTEN:
        reference = load_query(name, (REFERENCES / f"{name}.rq").read_text(encoding="utf-8"))
        for given_ in _parameter_values(db, name):
            expected_vars, expected = run_query(db, reference.text, bindings(reference, given_))
            for size in (3, MAX_PAGE, None):
                variables, rows = run_all(db, name, given_, size)
                assert variables == expected_vars, name
                assert _terms(rows) == _terms(expected), (name, given_, size)
            compared += 1
    return compared


def test_rewritten_queries_give_the_original_rows_on_the_demo(demo_store):
    path, _ = demo_store
    assert _assert_same_as_reference(EmbeddedStore(path, read_only=True)) > 200


def test_rewritten_queries_give_the_original_rows_on_the_seeds(seeds_store):
    path, _ = seeds_store
    db = EmbeddedStore(path, read_only=True)
    assert _assert_same_as_reference(db) > 200
    # the seeds hold the cases worth having: actions read from two documents, several
    # partner institutions, non-EU experts, dated and undated actions
    _, rows = run_all(db, "action-summary")
    assert any(" " in r[10].value for r in rows)  # two sources
    assert run_canned(db, "triangular-cooperation")[1]


# -- the summary graph in the store ---------------------------------------------------


def _summary(path: Path) -> set[tuple[str, str, str, str]]:
    found = {q for q in store_quads(path) if q[3] == f"<{SUMMARY_GRAPH}>"}
    assert found, f"{path} has no summary graph"
    return found


def _copy(names, folder: Path, edit: tuple[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        text = (CORPUS / name).read_text(encoding="utf-8")
        if edit and name == "actions-labelled.txt":
            assert edit[0] in text
            text = text.replace(edit[0], edit[1])
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _count(path: Path, name: str) -> dict[tuple[str, ...], str]:
    _, rows = run_all(EmbeddedStore(path, read_only=True), name)
    return {tuple("" if t is None else t.value for t in row[:-1]): row[-1].value for row in rows}


def test_build_writes_the_summary_graph(demo_store):
    path, summary = demo_store
    db = EmbeddedStore(path, read_only=True)
    assert str(SUMMARY_GRAPH) in db.graph_names()
    rows_in_summary = f"GRAPH <{SUMMARY_GRAPH}> {{ ?r a <{CG}ActionSummary> }}"
    _, rows = run_query(db, f"SELECT (COUNT(*) AS ?n) WHERE {{ {rows_in_summary} }}")
    assert int(rows[0][0].value) == summary.actions == 40
    # the year tallies count every distinct action once
    assert sum(int(n) for n in _count(path, "actions-per-year").values()) == 40


def test_the_summary_graph_says_nothing_the_graph_first_checks_read(demo_store):
    # the build runs them on every other graph, not on this one (kg.build)
    from kg.shacl_local import graph_first

    path, _ = demo_store
    db = EmbeddedStore(path, read_only=True)
    inside = f"GRAPH <{SUMMARY_GRAPH}> {{ ?x ?p ?o OPTIONAL {{ ?x a ?c }} }}"
    _, rows = run_query(db, f"SELECT DISTINCT ?p ?c WHERE {{ {inside} }}")
    said = {row[0].value for row in rows}
    typed = {row[1].value for row in rows if row[1] is not None}
    checker = graph_first()
    assert f"{CG}ActionSummary" in typed and f"{CG}summarises" in said
    assert not typed & {str(c) for c in checker.classes}
    assert not said & checker.predicates


def test_incremental_build_gives_the_summary_of_a_full_build(tmp_path):
    first = _copy(["actions-bullets.txt"], tmp_path / "a")
    second = _copy(["actions-labelled.txt", "news-peru-green-jobs.txt"], tmp_path / "b")
    both = _copy(
        ["actions-bullets.txt", "actions-labelled.txt", "news-peru-green-jobs.txt"],
        tmp_path / "ab",
    )
    step, full = tmp_path / "step", tmp_path / "full"
    build([first], store=step)
    alone = _summary(step)
    build([second], store=step)
    build([both], store=full)
    assert _summary(step) == _summary(full)
    assert _summary(step) != alone
    # actions stated in both documents are counted once
    per_year = sum(int(n) for n in _count(full, "actions-per-year").values())
    assert per_year == len(_count(full, "action-summary")) < 44


def test_a_changed_document_changes_the_counts(tmp_path):
    edit = ("Experts from France, Germany and Spain", "Experts from France, Germany and Italy")
    names = ["actions-bullets.txt", "actions-labelled.txt"]
    store = tmp_path / "store"
    build([_copy(names, tmp_path / "v1")], store=store)
    before = _count(store, "co-mobilised-countries")
    build([_copy(["actions-labelled.txt"], tmp_path / "v2", edit)], store=store)
    after = _count(store, "co-mobilised-countries")
    fresh = tmp_path / "fresh"
    build([_copy(names, tmp_path / "v3", edit)], store=fresh)
    assert _summary(store) == _summary(fresh)
    assert after != before
    assert int(after.get(("DE", "IT"), 0)) == int(before.get(("DE", "IT"), 0)) + 1
    # (the bullet list states the same action with Spanish experts: ES stays)
    assert after[("DE", "ES")] == before[("DE", "ES")]


def test_a_removed_document_leaves_the_counts(tmp_path):
    store = tmp_path / "store"
    build([_copy(["actions-bullets.txt", "actions-labelled.txt"], tmp_path / "ab")], store=store)
    both = _count(store, "expert-partner-matrix")
    build([_copy(["actions-bullets.txt"], tmp_path / "a")], store=store, clean=True)
    alone = tmp_path / "alone"
    build([tmp_path / "a"], store=alone)
    assert _summary(store) == _summary(alone)
    assert _count(store, "expert-partner-matrix") != both


BULLET = """\
• {title}

    Start activities
    March 2022
    End activities
    June 2022
    Partner Institution
    National Employment Agency (NEA)
    Type of Assistance
    {assistance}
    Description
    {country}'s National Employment Agency (NEA) received experts from {experts}.
"""


def test_data_quality_has_the_findings_of_documents_and_of_the_corpus(tmp_path, monkeypatch):
    # a finding in a document's graph (a type of assistance no vocabulary knows) and
    # one in the findings graph, about an institution: given here, as resolution
    # makes one when documents disagree on an institution's country
    import kg.build
    from kg.resolve import Finding

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, title, assistance, country, experts in (
        ("a.txt", "Risk-based labour inspection", "Capacity bulding of staf", "Peru", "Spain"),
        ("b.txt", "Green skills for job counsellors", "Capacity building", "Colombia", "France"),
        ("c.txt", "A youth employment pilot", "Capacity building", "Colombia", "Italy"),
    ):
        text = BULLET.format(title=title, assistance=assistance, country=country, experts=experts)
        (docs / name).write_text(text, encoding="utf-8")
    resolve = kg.build.resolve_organisations

    def with_a_conflict(index):
        orgs = resolve(index)
        colombian = next(iri for iri, code in orgs.country_of.items() if code == "CO")
        orgs.findings.append(Finding("country-conflict", colombian, "CO (2), PE (1)", ("b.txt",)))
        return orgs

    monkeypatch.setattr(kg.build, "resolve_organisations", with_a_conflict)
    store = tmp_path / "store"
    build([docs], store=store, clean=True, workers=1)
    db = EmbeddedStore(store, read_only=True)
    rows = [tuple(t.value for t in row) for row in run_all(db, "data-quality")[1]]
    titles = {row[0].value: row[1].value for row in run_all(db, "action-summary")[1]}
    found = sorted((titles[action], problem, detail) for action, problem, detail in rows)
    assert found == [
        ("A youth employment pilot", "conflicting-evidence", "country-conflict: CO (2), PE (1)"),
        (
            "Green skills for job counsellors",
            "conflicting-evidence",
            "country-conflict: CO (2), PE (1)",
        ),
        (
            "Risk-based labour inspection",
            "conflicting-evidence",
            "unknown-assistance-type: Capacity bulding of staf",
        ),
    ]
    reference = (REFERENCES / "data-quality.rq").read_text(encoding="utf-8")
    assert _terms(run_all(db, "data-quality")[1]) == _terms(run_query(db, reference)[1])


# -- the accumulator ---------------------------------------------------------------------


def _demo_graphs(path: Path) -> dict[URIRef, Graph]:
    db = EmbeddedStore(path, read_only=True)
    return {
        URIRef(name): Graph().parse(data=db.ntriples(name), format="nt")
        for name in db.graph_names()
    }


def test_summary_of_the_stored_graphs_is_the_stored_summary(demo_store):
    path, _ = demo_store
    graphs = _demo_graphs(path)
    stored = graphs[SUMMARY_GRAPH]
    made = summary_graph(graphs)  # the stored summary among them is left out
    assert set(made) == set(stored)
    # the order of the graphs and a graph given twice change nothing
    acc = SummaryAccumulator()
    for name in sorted(graphs, reverse=True) + sorted(graphs):
        if name != SUMMARY_GRAPH:
            acc.add(graphs[name])
    assert set(acc.triples()) == set(stored)


def test_facts_of_nodes_the_summary_never_reads_are_not_kept():
    g = Graph().parse(
        format="turtle",
        data="""
        @prefix cg: <https://w3id.org/coopgraph/ontology#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix org: <http://www.w3.org/ns/org#> .
        @prefix id: <https://w3id.org/coopgraph/id/> .
        id:a a cg:Action ; dcterms:title "A" ; prov:wasDerivedFrom id:d ;
            cg:expertCountry id:es ; cg:partnerInstitution id:o .
        id:e a cg:Evidence ; prov:wasDerivedFrom id:d .
        id:m a cg:TriangularMobilisation ; cg:expertCountry id:fr .
        id:o a org:Organization ; prov:wasDerivedFrom id:d .
        id:u prov:wasDerivedFrom id:d .
        id:d dcterms:title "d.txt" .
        """,
    )
    acc = SummaryAccumulator()
    acc.add(g)
    assert acc.actions == 1
    ids = "https://w3id.org/coopgraph/id/"
    # sources are read for actions, and for nodes this graph does not type
    assert set(acc._derived) == {URIRef(ids + "a"), URIRef(ids + "u")}
    assert set(acc._facts[URIRef(CG + "expertCountry")]) == {URIRef(ids + "a")}


def test_a_subject_with_many_values_keeps_each_once():
    acc = SummaryAccumulator()
    titles = [f"title {n}" for n in (5, 3, 9, 1, 7, 2, 8, 4, 6, 0, 11, 10)]
    for title in [*titles, *titles]:  # each stated by two documents
        acc.add(
            Graph().parse(
                format="turtle",
                data=f"""@prefix cg: <https://w3id.org/coopgraph/ontology#> .
                <http://x/a> a cg:Action ; <http://purl.org/dc/terms/title> "{title}" .""",
            )
        )
    held = acc._facts[URIRef("http://purl.org/dc/terms/title")][URIRef("http://x/a")]
    assert sorted(map(str, held)) == sorted(titles)
    title = next(o for _, p, o in acc.triples() if p == URIRef(CG + "summaryTitle"))
    assert title == Literal("title 0")


# -- SPARQL's order, joins and extremes, checked against Oxigraph ------------------------

TEXTS = st.text(alphabet="aAbBzZ é-1_", max_size=3)
LANGUAGES = st.sampled_from([None, "en", "es", "fr"])
STRINGS = st.lists(
    st.builds(lambda t, lang: Literal(t, lang=lang) if lang else Literal(t), TEXTS, LANGUAGES),
    min_size=1,
    max_size=6,
)


def _oxigraph_rows(values: list[Literal], select: str):
    store = ox.Store()
    subject, predicate = ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p")
    for v in values:
        term = (
            ox.Literal(str(v), language=v.language)
            if v.language
            else (
                ox.Literal(str(v), datatype=ox.NamedNode(str(v.datatype)))
                if v.datatype
                else ox.Literal(str(v))
            )
        )
        store.add(ox.Quad(subject, predicate, term))
    return list(store.query(select))


@settings(max_examples=200, deadline=None)
@given(values=STRINGS)
def test_strings_sort_join_and_compare_as_in_oxigraph(values):
    pattern = "<http://x/s> <http://x/p> ?v"
    order = _oxigraph_rows(values, f"SELECT ?v WHERE {{ {pattern} }} ORDER BY ?v")
    assert [str(r[0].value) for r in order] == [str(v) for v in sorted(set(values), key=order_key)]
    (row,) = _oxigraph_rows(
        values,
        "SELECT (MIN(?v) AS ?min) (MAX(?v) AS ?max) "
        '(GROUP_CONCAT(?v; separator=" | ") AS ?all) WHERE { { SELECT DISTINCT ?v WHERE { '
        f"{pattern} }} ORDER BY ?v }} }}",
    )
    for got, mine in (
        (row["min"], smallest(values)),
        (row["max"], smallest(values, largest=True)),
        (row["all"], joined(values, " | ")),
    ):
        assert (got.value, got.language) == (str(mine), mine.language)


DATES = [
    Literal("2023", datatype=XSD.gYear),
    Literal("2024", datatype=XSD.gYear),
    Literal("2023-05", datatype=XSD.gYearMonth),
    Literal("2023-05-02", datatype=XSD.date),
    Literal("2022-12-31", datatype=XSD.date),
]


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.sampled_from(DATES), min_size=1, max_size=4))
def test_dates_are_compared_by_oxigraph(values):
    (row,) = _oxigraph_rows(
        values, "SELECT (MIN(?v) AS ?min) WHERE { <http://x/s> <http://x/p> ?v }"
    )
    mine = smallest(values)
    assert (row["min"].value, row["min"].datatype.value) == (str(mine), str(mine.datatype))


def test_values_that_are_not_strings_are_ordered_by_oxigraph():
    # Oxigraph's GROUP_CONCAT takes strings only: of numbers it gives no value, and so
    # did the original queries
    assert joined([Literal(10), Literal(9)], " ") is None
    assert joined([Literal("x"), Literal(9)], " ") is None
    # numbers sort by value, not as text
    nodes = [URIRef(f"http://x/{n}") for n in "abcd"]
    keys = dict(zip(nodes, [Literal(10), Literal(9), None, Literal(9)], strict=True))
    order = ranks(nodes, lambda n: (keys[n],), "?k0")
    # unbound first, then by value, then by IRI
    assert sorted(order, key=order.get) == [nodes[2], nodes[1], nodes[3], nodes[0]]


def test_string_ranks_put_unbound_first_then_sparql_order():
    nodes = [URIRef(f"http://x/{n}") for n in "abcd"]
    names = dict(
        zip(nodes, [Literal("b"), Literal("a"), None, Literal("a", lang="en")], strict=True)
    )
    order = ranks(nodes, lambda n: (names[n],), "?k0")
    assert sorted(order, key=order.get) == [nodes[2], nodes[3], nodes[1], nodes[0]]


# -- where the summary graph goes ---------------------------------------------------------


def test_summary_graph_is_pushed_and_exported_as_its_own_part():
    assert str(SUMMARY_GRAPH) in SHARED_GRAPHS
    assert "summary" in PARTS
    assert graph_part(str(SUMMARY_GRAPH)) == "summary"


@pytest.mark.parametrize("name", REWRITTEN)
def test_rewritten_query_has_no_grouping(name):
    """The point of the summary: the report scans rows, it does not aggregate."""
    text = catalogue()[name].text
    assert "GROUP BY" not in text and "GROUP_CONCAT" not in text, name


def _with_summary(graphs: dict[URIRef, Graph]) -> SimpleNamespace:
    """An in-memory store holding ``graphs`` and their summary graph, for queries."""
    store = ox.Store()
    for name, graph in {**graphs, SUMMARY_GRAPH: summary_graph(graphs)}.items():
        data = graph.serialize(format="nt").encode()
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
    return SimpleNamespace(ox=store)


def test_a_theme_outside_the_theme_scheme_lists_no_action():
    # as the original queries read it: actions-by-theme names concepts of the theme
    # scheme, the network's theme column their notations
    graph = Graph().parse(
        format="turtle",
        data="""@prefix cg: <https://w3id.org/coopgraph/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <http://x/a> a cg:Action ; <http://purl.org/dc/terms/title> "A" ;
            cg:theme <http://x/in>, <http://x/out> .
        <http://x/in> skos:notation "in" ; skos:inScheme <https://w3id.org/coopgraph/id/theme> .
        <http://x/out> skos:notation "out" ; skos:inScheme <http://x/other-scheme> .""",
    )
    db = _with_summary({URIRef("http://x/graph"): graph})
    for name, given_ in (
        ("actions-by-theme", {"theme": "in"}),
        ("actions-by-theme", {"theme": "out"}),
        ("network-actions", {}),
    ):
        reference = load_query(name, (REFERENCES / f"{name}.rq").read_text(encoding="utf-8"))
        expected = run_query(db, reference.text, bindings(reference, given_))[1]
        assert _terms(run_all(db, name, given_)[1]) == _terms(expected), (name, given_)
    assert run_all(db, "actions-by-theme", {"theme": "in"})[1]
    assert not run_all(db, "actions-by-theme", {"theme": "out"})[1]


INSTITUTION_LABELS = st.lists(
    st.builds(
        lambda t, lang: Literal(t, lang=lang) if lang else Literal(t),
        TEXTS,
        st.sampled_from([None, "en", "en-GB", "EN", "es", "fr"]),
    ),
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(
    documents=st.lists(
        st.lists(st.tuples(INSTITUTION_LABELS, st.sets(st.sampled_from(["PE", "CO"]))), max_size=3),
        min_size=1,
        max_size=2,
    )
)
def test_institution_names_are_those_the_original_network_query_gives(documents):
    # names in several languages and variants of "en", spread over documents, some
    # institutions with no name or no country: the summary's columns give the rows the
    # original grouping gave
    graphs = {}
    for d, institutions in enumerate(documents):
        graph = Graph()
        action = URIRef(f"http://x/action{d}")
        graph.add((action, URIRef(CG + "partnerInstitution"), URIRef("http://x/i0")))
        graph.add((action, RDF.type, URIRef(CG + "Action")))
        for i, (labels, codes) in enumerate(institutions):
            institution = URIRef(f"http://x/i{i}")
            graph.add((action, URIRef(CG + "partnerInstitution"), institution))
            for label in labels:
                graph.add((institution, SKOS.prefLabel, label))
            for code in codes:
                country = URIRef(f"http://x/country/{code}")
                graph.add((institution, URIRef(CG + "country"), country))
                graph.add((country, URIRef(CG + "alpha2"), Literal(code)))
        graphs[URIRef(f"http://x/graph{d}")] = graph
    db = _with_summary(graphs)
    name = "network-partner-institutions"
    reference = (REFERENCES / f"{name}.rq").read_text(encoding="utf-8")
    assert _terms(run_all(db, name)[1]) == _terms(run_query(db, reference)[1])


FINDING_TERMS = st.one_of(
    st.none(),
    TEXTS.map(Literal),
    TEXTS.map(lambda t: Literal(t, lang="en")),
    st.integers(0, 9).map(Literal),
)


@settings(max_examples=80, deadline=None)
@given(
    documents=st.lists(
        st.lists(
            st.tuples(
                st.lists(st.sampled_from([Literal("T"), Literal("T", lang="en"), Literal("b")])),
                st.booleans(),  # a description
                st.sets(st.sampled_from(["PE", "CO", "EC"])),
                st.sets(st.integers(0, 2)),  # partner institutions
            ),
            max_size=3,
        ),
        min_size=1,
        max_size=2,
    ),
    labels=st.lists(INSTITUTION_LABELS, min_size=3, max_size=3),
    findings=st.lists(
        st.tuples(FINDING_TERMS, FINDING_TERMS, st.sampled_from(["a0", "a1", "i0", "i1", "b"])),
        max_size=4,
    ),
)
def test_data_quality_rows_are_those_the_original_query_gives(documents, labels, findings):
    # actions spread over documents with several titles (tagged or not) or none, with
    # and without a description, no, one or two partner countries, institutions named
    # in several languages; findings about actions, institutions and a blank node, with
    # kinds and comments that are strings, tagged strings, numbers (no detail) or absent
    cg = Namespace(CG)
    graphs = {}
    for d, actions in enumerate(documents):
        graph = Graph()
        for a, (titles, described, codes, institutions) in enumerate(actions):
            action = URIRef(f"http://x/a{a}")
            graph.add((action, RDF.type, cg.Action))
            for title in titles:
                graph.add((action, DCTERMS.title, title))
            if described:
                graph.add((action, DCTERMS.description, Literal("d")))
            for code in codes:
                country = URIRef(f"http://x/country/{code}")
                graph.add((action, cg.partnerCountry, country))
                graph.add((country, cg.alpha2, Literal(code)))
            for i in institutions:
                graph.add((action, cg.partnerInstitution, URIRef(f"http://x/i{i}")))
                for label in labels[i]:
                    graph.add((URIRef(f"http://x/i{i}"), SKOS.prefLabel, label))
        graphs[URIRef(f"http://x/graph{d}")] = graph
    noted = Graph()
    for n, (kind, comment, about) in enumerate(findings):
        finding = URIRef(f"http://x/finding{n}")
        noted.add((finding, RDF.type, cg.Finding))
        noted.add((finding, cg.about, BNode("b") if about == "b" else URIRef(f"http://x/{about}")))
        if kind is not None:
            noted.add((finding, cg.findingKind, kind))
        if comment is not None:
            noted.add((finding, RDFS.comment, comment))
    graphs[URIRef("http://x/findings")] = noted
    db = _with_summary(graphs)
    reference = (REFERENCES / "data-quality.rq").read_text(encoding="utf-8")
    expected = run_query(db, reference)[1]
    assert _terms(run_all(db, "data-quality")[1]) == _terms(expected)
    assert _terms(run_all(db, "data-quality", size=2)[1]) == _terms(expected)


# -- the summary's format -----------------------------------------------------------------


def test_the_queries_that_read_the_summary_say_so():
    from kg.checks import NAMES as CHECKS  # (the checks' rows: see test_checks)

    assert {n for n, q in catalogue().items() if q.summary} == set(REWRITTEN) | set(CHECKS)


def _set_format(path: Path, value: int | None) -> None:
    """Give the stored summary graph format ``value`` (None: no format statement, as
    a build before formats wrote it)."""
    db = ox.Store(str(path / "oxigraph"))
    graph = ox.NamedNode(str(SUMMARY_GRAPH))
    predicate = ox.NamedNode(CG + "summaryFormat")
    for quad in list(db.quads_for_pattern(graph, predicate, None, graph)):
        db.remove(quad)
    if value is not None:
        db.add(
            ox.Quad(
                graph,
                predicate,
                ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer))),
                graph,
            )
        )
    db.flush()


def test_a_summary_of_another_format_is_refused_with_the_reason(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.network import NoSummaryError, fetch
    from kg.queries import QueryError
    from kg.summary import FORMAT

    store = tmp_path / "store"
    build([_copy(["actions-bullets.txt"], tmp_path / "docs")], store=store)
    assert run_canned(EmbeddedStore(store, read_only=True), "data-quality")[1]
    for value, said in ((None, "no summary graph of format"), (FORMAT - 1, f"format {FORMAT - 1}")):
        _set_format(store, value)
        db = EmbeddedStore(store, read_only=True)
        for name in ("data-quality", "action-summary", "actions-per-year"):
            with pytest.raises(QueryError, match=said):
                run_canned(db, name)
        with pytest.raises(QueryError, match="coopgraph build"):
            run_all(db, "expert-partner-matrix")
        with pytest.raises(NoSummaryError, match=said):
            fetch(db)
        # the queries that read the documents' graphs still run
        assert run_canned(db, "network-countries")[1]
        out = CliRunner().invoke(cli, ["query", "data-quality", "--store", str(store)])
        said_there = " ".join(out.output.split())
        assert out.exit_code == 2 and said in said_there and "coopgraph build" in said_there
        csv = tmp_path / "actions.csv"
        args = ["export", "--format", "csv", "--out", str(csv), "--store", str(store)]
        out = CliRunner().invoke(cli, args)
        # (the message is wrapped to the terminal's width)
        assert out.exit_code == 2 and said in " ".join(out.output.split())
        assert not csv.exists()
        del db
    # a build makes it again
    build([tmp_path / "docs"], store=store)
    assert run_canned(EmbeddedStore(store, read_only=True), "data-quality")[1]


def test_a_store_without_actions_gives_no_rows_and_no_error(tmp_path):
    db = EmbeddedStore(tmp_path / "empty")
    assert run_canned(db, "action-summary")[1] == []
    assert run_all(db, "data-quality")[1] == []
