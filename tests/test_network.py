"""Network analytics (kg.network, kg.analytics).

The metrics are checked on small hand-built graphs against values computed by hand;
the graphs built from the seeds and the demo corpus are checked against the canned
queries, which count the same things in SPARQL; the filters, the report and the
write-back of its results as RDF are checked on the seeds.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import pytest

from kg import analytics
from kg.network import (
    ANALYTICS_GRAPH,
    QUERIES,
    FilterError,
    Filters,
    Institution,
    NoSummaryError,
    bipartite,
    comobilisation,
    example_cooperation,
    fetch,
    institutions,
    region_ancestors,
    render_report,
    report,
    select,
    write_back,
)
from kg.queries import catalogue, run_all, run_canned, run_query, violation_rows
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/coopgraph/id/"
PREFIXES = """
PREFIX cg: <https://w3id.org/coopgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
COUNTRY_ATTRS = {"iri", "label", "alpha2", "eu_member", "region"}


def values(db, text: str, **bound) -> list[list[str | None]]:
    """The rows of a SELECT as plain strings (None when unbound)."""
    _, rows = run_query(db, PREFIXES + text, bound)
    return [[None if t is None else t.value for t in row] for row in rows]


# -- metrics on a hand-built graph ----------------------------------------------------------


@pytest.fixture
def hand() -> nx.DiGraph:
    """FR -> PE (a1 a2 a3), FR -> CO (a4), ES -> PE (a1 a5), CR -> CO (a6): expert pairs
    FR 4, ES 2, CR 1 (7 in all); CR is the only expert country outside the EU."""
    G = nx.DiGraph()
    for code, eu in [("CO", False), ("CR", False), ("ES", True), ("FR", True), ("PE", False)]:
        G.add_node(code, eu_member=eu)
    for u, v, actions in [
        ("FR", "PE", ["a1", "a2", "a3"]),
        ("FR", "CO", ["a4"]),
        ("ES", "PE", ["a1", "a5"]),
        ("CR", "CO", ["a6"]),
    ]:
        G.add_edge(u, v, weight=len(actions), actions=actions, themes=[])
    return G


def test_strength_in_and_out(hand):
    assert analytics.strength(hand, direction="out") == {
        "CO": 0,
        "CR": 1,
        "ES": 2,
        "FR": 4,
        "PE": 0,
    }
    assert analytics.strength(hand, direction="in") == {
        "CO": 2,
        "CR": 0,
        "ES": 0,
        "FR": 0,
        "PE": 5,
    }
    assert analytics.strength(hand)["FR"] == 4
    with pytest.raises(ValueError, match="direction"):
        analytics.strength(nx.Graph(hand), direction="out")


def test_expert_pairs_count_distinct_actions(hand):
    # FR's actions are a1-a4 across its two edges; a1 counts once for ES too
    assert analytics.expert_pairs(hand) == {"CR": 1, "ES": 2, "FR": 4}
    hand.nodes["FR"]["expert_actions"] = 5  # one more action, partner country unknown
    assert analytics.expert_pairs(hand)["FR"] == 5


def test_concentration_by_hand(hand):
    c = analytics.concentration(hand)
    assert (c["pairs"], c["top"], c["top_pairs"]) == (7, "FR", 4)
    assert c["top_share"] == pytest.approx(4 / 7)
    assert c["hhi"] == pytest.approx((4**2 + 2**2 + 1**2) / 7**2)
    hand.nodes["FR"]["expert_actions"] = 5
    c = analytics.concentration(hand)
    assert c["top_share"] == pytest.approx(5 / 8)
    assert c["hhi"] == pytest.approx((25 + 4 + 1) / 64)


def test_concentration_tie_goes_to_the_smaller_code():
    G = nx.DiGraph()
    G.add_nodes_from([("FR", {"expert_actions": 2}), ("ES", {"expert_actions": 2})])
    c = analytics.concentration(G)
    assert (c["top"], c["top_share"], c["hhi"]) == ("ES", 0.5, 0.5)


def test_triangular_share_by_hand(hand):
    t = analytics.triangular_share(hand)
    assert (t["pairs"], t["non_eu_pairs"], t["countries"]) == (7, 1, ["CR"])
    assert t["share"] == pytest.approx(1 / 7)
    assert analytics.triangular_share(nx.DiGraph())["share"] is None


def test_corridors_by_weight_then_codes(hand):
    found = [(c["expert"], c["partner"], c["actions"]) for c in analytics.corridors(hand)]
    assert found == [("FR", "PE", 3), ("ES", "PE", 2), ("CR", "CO", 1), ("FR", "CO", 1)]
    assert len(analytics.corridors(hand, top=2)) == 2


def test_betweenness_on_a_star_and_a_path():
    star = nx.star_graph(4)  # centre 0: on the path of all 6 pairs of leaves
    assert analytics.betweenness(star) == {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}
    assert analytics.betweenness(star, normalized=False)[0] == 6
    path = nx.path_graph("abcd")  # b lies between a-c, a-d; c between a-d, b-d
    assert analytics.betweenness(path, normalized=False) == {"a": 0, "b": 2, "c": 2, "d": 0}
    directed = nx.DiGraph([("a", "b"), ("b", "c")])  # 1 of (n-1)(n-2) = 2 ordered pairs
    assert analytics.betweenness(directed) == {"a": 0.0, "b": 0.5, "c": 0.0}


def test_betweenness_takes_one_over_weight_as_length():
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 1), ("a", "c", 4), ("b", "c", 4)])
    assert analytics.betweenness(G) == {"a": 0.0, "b": 0.0, "c": 1.0}
    G["a"]["c"]["weight"] = G["b"]["c"]["weight"] = 1  # now a - b is the shorter way
    assert analytics.betweenness(G)["c"] == 0.0


def test_pagerank_and_eigenvector_by_hand():
    path = nx.path_graph("abc")
    # x = 0.05 + 0.85 * 2y and y = 0.05 + 0.85 * x / 2  =>  x = 0.135 / 0.2775
    rank = analytics.pagerank(path)
    assert rank["b"] == pytest.approx(0.135 / 0.2775, abs=1e-6)
    assert rank["a"] == pytest.approx((1 - 0.135 / 0.2775) / 2, abs=1e-6)
    eigen = analytics.eigenvector(path)
    assert eigen == pytest.approx({"a": 0.5, "b": math.sqrt(2) / 2, "c": 0.5}, abs=1e-4)
    assert analytics.eigenvector(path, max_iter=1) is None


def test_undirected_sums_reciprocal_weights():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("PE", "FR", 1), ("FR", "PE", 2), ("ES", "PE", 1)])
    assert sorted(analytics.undirected(G).edges(data="weight")) == [
        ("ES", "PE", 1),
        ("FR", "PE", 3),
    ]


def test_communities_do_not_depend_on_insertion_order():
    edges = [
        ("a", "b", 3),
        ("b", "c", 3),
        ("a", "c", 3),
        ("d", "e", 3),
        ("e", "f", 3),
        ("d", "f", 3),
        ("c", "d", 1),
        ("g", "h", 2),
    ]
    forward, backward = nx.Graph(), nx.Graph()
    forward.add_weighted_edges_from(edges)
    backward.add_weighted_edges_from(reversed([(v, u, w) for u, v, w in edges]))
    expected = [["a", "b", "c"], ["d", "e", "f"], ["g", "h"]]
    assert analytics.communities(forward) == analytics.communities(backward) == expected


def test_evolution_per_year(hand):
    early = nx.DiGraph(actions=2)
    early.add_node("CR", eu_member=False)
    early.add_edge("CR", "CO", weight=1, actions=["a6"])
    rows = analytics.evolution({2024: hand, 2020: early})
    assert [r["year"] for r in rows] == [2020, 2024]
    assert (rows[0]["actions"], rows[0]["top"], rows[0]["triangular_share"]) == (2, "CR", 1.0)
    assert rows[1]["top_corridor"] == {"expert": "FR", "partner": "PE", "actions": 3, "themes": []}
    assert rows[1]["hhi"] == pytest.approx(21 / 49)


# -- graphs of a hand-made cooperation -------------------------------------------------------


def test_bipartite_schema():
    G = bipartite(example_cooperation())
    for _, d in G.nodes(data=True):
        assert set(d) == COUNTRY_ATTRS | {"role", "expert_actions", "partner_actions"}
        assert d["role"] in ("expert", "partner", "both")
    for _, _, d in G.edges(data=True):
        assert set(d) == {"weight", "themes", "actions"}
        assert d["weight"] == len(d["actions"]) and d["actions"] == sorted(d["actions"])
    assert dict(G.nodes["ES"]) == {
        "iri": ID + "country/ES",
        "label": "Spain",
        "alpha2": "ES",
        "eu_member": True,
        "region": "039",
        "role": "expert",
        "expert_actions": 2,
        "partner_actions": 0,
    }
    assert G.graph == {"filters": {}, "actions": 4}


def test_comobilisation_and_institutions_schema():
    C = comobilisation(example_cooperation())
    assert {n: d["expert_actions"] for n, d in C.nodes(data=True)} == {"CR": 1, "ES": 2, "FR": 2}
    assert C.edges["ES", "FR"] == {"weight": 1, "actions": [ID + "action/a1"]}
    I = institutions(example_cooperation())  # noqa: E741
    kinds = {n: d["kind"] for n, d in I.nodes(data=True)}
    assert sorted(k for k in kinds if kinds[k] == "country") == ["CO", "CR", "ES", "FR", "PE"]
    pes = ID + "organisation/pes"
    assert I.nodes[pes] == {
        "kind": "institution",
        "label": "Public Employment Service",
        "country": None,
        "partner_actions": 1,
    }
    assert I.edges[pes, "FR"]["relation"] == "expert"
    for _, _, d in I.edges(data=True):
        assert set(d) == {"weight", "relation", "actions"}


def test_year_filters_drop_undated_actions_only_when_given():
    data = example_cooperation()
    assert len(select(data)) == 4
    assert [a.year for a in select(data, Filters(since=2000))] == [2022, 2023, 2023]
    assert [a.year for a in select(data, Filters(since=2023, until=2023))] == [2023, 2023]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (Filters(theme="green-jobs"), "theme 'green-jobs'"),
        (Filters(programme="nowhere"), "programme 'nowhere'"),
        (Filters(partner_region="Atlantis"), "partner_region 'Atlantis'"),
        (Filters(since=2024, until=2020), "since 2024 is after until 2020"),
    ],
)
def test_bad_filters_name_themselves(filters, message):
    with pytest.raises(FilterError, match=message):
        select(example_cooperation(), filters)


def test_programme_by_iri_slug_or_acronym():
    data = example_cooperation()
    for name in ("page", "PAGE", ID + "programme/page"):
        assert [a.iri[-2:] for a in select(data, Filters(programme=name))] == ["a1", "a2"]


def test_report_of_the_example_renders():
    from rich.console import Console

    data = report(example_cooperation())
    json.dumps(data)  # plain data
    console = Console(width=150, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(render_report(data))
    text = console.export_text()
    for title in ("Top corridors", "Central countries", "Communities", "Concentration"):
        assert title in text
    empty = report(example_cooperation(), Filters(theme="green_jobs", since=2030))
    assert empty["counts"]["actions"] == 0 and empty["concentration"]["top"] is None
    console.print(render_report(empty))


# -- the seeds and the demo store --------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(seeds_store):
    path, _ = seeds_store
    db = EmbeddedStore(path, read_only=True)
    return db, fetch(db)


@pytest.fixture(scope="module")
def demo(demo_store):
    path, _ = demo_store
    db = EmbeddedStore(path, read_only=True)
    return db, fetch(db)


def test_network_queries_are_canned_queries():
    for name in QUERIES:
        assert name in catalogue(), name


def _check_expert_countries(db, data) -> int:
    """Every expert country's out-weight and expert_actions agree with the canned query
    actions-by-expert-country; returns how many countries were checked."""
    G = bipartite(data)
    experts = [n for n, d in G.nodes(data=True) if d["expert_actions"]]
    for code in experts:
        _, rows = run_canned(db, "actions-by-expert-country", {"country": code})
        actions = {row[0].value for row in rows}
        with_partner = {row[0].value for row in rows if row[2] is not None}
        assert G.nodes[code]["expert_actions"] == len(actions), code
        assert G.out_degree(code, weight="weight") == len(with_partner), code
    return len(experts)


def test_expert_country_weights_agree_with_sparql(seeds, demo):
    assert _check_expert_countries(*seeds) >= 20
    assert _check_expert_countries(*demo) >= 10
    G = bipartite(seeds[1])
    _, rows = run_canned(seeds[0], "actions-by-expert-country", {"country": "FR"})
    assert len({row[0].value for row in rows}) == 51  # one has no known partner country
    assert G.out_degree("FR", weight="weight") == 50


def test_edges_agree_with_the_matrix_and_co_mobilisation_queries(seeds):
    db, data = seeds
    G, C = bipartite(data), comobilisation(data)
    _, rows = run_all(db, "expert-partner-matrix")
    matrix = {(r[0].value, r[1].value): int(r[2].value) for r in rows}
    assert matrix == {(u, v): w for u, v, w in G.edges(data="weight")}
    _, rows = run_canned(db, "co-mobilised-countries")
    pairs = {(r[0].value, r[1].value): int(r[2].value) for r in rows}
    assert pairs == {tuple(sorted((u, v))): w for u, v, w in C.edges(data="weight")}
    assert len(matrix) > 100 and len(pairs) > 50


def test_triangular_share_agrees_with_the_canned_query(seeds):
    db, data = seeds
    _, rows = run_canned(db, "triangular-cooperation")
    non_eu = [code for row in rows for code in row[3].value.split()]
    t = analytics.triangular_share(bipartite(data))
    assert t["non_eu_pairs"] == len(non_eu) > 0
    assert t["countries"] == sorted(set(non_eu))
    assert t["pairs"] == len(
        values(db, "SELECT DISTINCT ?a ?c WHERE { ?a a cg:Action ; cg:expertCountry ?c }")
    )


def test_theme_filter_keeps_the_actions_of_the_theme(seeds):
    db, data = seeds
    G = bipartite(data, Filters(theme="green_jobs"))
    _, rows = run_canned(db, "actions-by-theme", {"theme": "green_jobs"})
    themed = {row[0].value for row in rows}
    linked = {row[0].value for row in rows if row[2] is not None and row[3] is not None}
    assert G.graph["actions"] == len(themed) > 0
    assert {a for _, _, d in G.edges(data=True) for a in d["actions"]} == linked
    assert all("green_jobs" in d["themes"] for _, _, d in G.edges(data=True))


def test_year_filters_agree_with_actions_per_year(seeds):
    db, data = seeds
    _, rows = run_canned(db, "actions-per-year")
    per_year = {int(r[0].value): int(r[1].value) for r in rows if r[0] is not None}
    assert len(per_year) >= 3
    since, until = 2021, 2023
    G = bipartite(data, Filters(since=since, until=until))
    assert G.graph["actions"] == sum(n for y, n in per_year.items() if since <= y <= until)
    years = {a.iri: a.year for a in data.actions}
    for _, _, d in G.edges(data=True):
        assert all(since <= years[a] <= until for a in d["actions"])
    assert bipartite(data, Filters(since=2100)).number_of_nodes() == 0


def test_partner_region_keeps_partners_in_the_region(seeds):
    db, data = seeds
    # the countries of Latin America and the Caribbean, by a property path in SPARQL
    inside = {
        row[0]
        for row in values(
            db,
            "SELECT DISTINCT ?code WHERE { ?c cg:alpha2 ?code ; "
            "cg:m49Region/skos:broader* ?r . ?r skos:notation '419' }",
        )
    }
    assert {"PE", "CO", "CR", "EC"} <= inside and "FR" not in inside
    for region in ("419", "Latin America and the Caribbean"):
        G = bipartite(data, Filters(partner_region=region))
        partners = {n for n, d in G.nodes(data=True) if d["partner_actions"]}
        assert partners and partners <= inside
        codes = " ".join(f"'{c}'" for c in sorted(inside))
        expected = values(
            db,
            "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a cg:Action ; "
            f"cg:partnerCountry/cg:alpha2 ?code . VALUES ?code {{ {codes} }} }}",
        )
        assert G.graph["actions"] == int(expected[0][0])
    assert "419" in region_ancestors(data.regions, data.countries["PE"].region)


def test_institutions_graph_on_the_seeds(seeds):
    db, data = seeds
    I = institutions(data)  # noqa: E741
    kinds = [d["kind"] for _, d in I.nodes(data=True)]
    n = values(db, "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?a cg:partnerInstitution ?i }")
    assert kinds.count("institution") == int(n[0][0])
    for u, v in I.edges:
        assert {I.nodes[u]["kind"], I.nodes[v]["kind"]} == {"institution", "country"}


def test_report_on_the_seeds(seeds):
    db, data = seeds
    first, second = report(data), report(fetch(db))
    assert first == second  # communities and every figure identical across runs
    json.dumps(first)
    counts = first["counts"]
    assert counts["actions"] == 88
    assert counts["mobilisations"] == first["concentration"]["pairs"]
    assert counts["mobilisations"] == len(
        values(db, "SELECT DISTINCT ?a ?c WHERE { ?a a cg:Action ; cg:expertCountry ?c }")
    )
    assert [c["actions"] for c in first["corridors"]] == sorted(
        (c["actions"] for c in first["corridors"]), reverse=True
    )
    assert sum(len(g) for g in first["communities"]) == len(first["metrics"])
    assert sum(y["actions"] for y in first["per_year"]) == counts["dated_actions"]
    assert first["eigenvector_note"] is None or first["metrics"]["FR"]["eigenvector"] is None


def test_communities_are_the_same_in_fresh_processes(seeds_store):
    path, _ = seeds_store
    code = (
        "import json, sys; from kg.network import report; from kg.store import EmbeddedStore;"
        "print(json.dumps(report(EmbeddedStore(sys.argv[1], read_only=True))['communities']))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1] and len(json.loads(runs[0])) > 2


def test_fetch_through_a_select_method(seeds):
    """A remote store answers through ``select(text, bound)``: same data."""
    db, data = seeds

    class Remote:
        def select(self, text, bound):
            return run_query(db, text, bound)

    assert fetch(Remote()) == data


def test_write_back_then_query(seeds_store, tmp_path):
    source, _ = seeds_store
    path = tmp_path / "store"
    shutil.copytree(source, path)
    db = EmbeddedStore(path, read_only=True)
    data = report(db, Filters(partner_region="419"))
    before = len(db)
    del db
    when = "2025-03-01T12:00:00+00:00"
    options = {"parameters": {"partner_region": "419"}, "software_version": "0.1.0"}
    written = write_back(path, data, when=when, **options)
    assert written == write_back(path, data, when=when, **options)  # replaced, not added
    db = EmbeddedStore(path, read_only=True)
    assert len(db) == before + written
    assert ANALYTICS_GRAPH in db.graph_names()
    rows = values(
        db,
        """
        SELECT ?value ?time ?version ?filter WHERE {
          ?m a schema:PropertyValue ; schema:name "pagerank" ; schema:value ?value ;
             schema:about <https://w3id.org/coopgraph/id/country/FR> ;
             prov:wasGeneratedBy ?run .
          ?run a prov:Activity ; prov:startedAtTime ?time ;
               prov:used [ schema:name "partner_region" ; schema:value ?filter ] ;
               prov:wasAssociatedWith [ a prov:SoftwareAgent ; schema:softwareVersion ?version ]
        }""",
    )
    assert len(rows) == 1
    value, time, version, region = rows[0]
    assert float(value) == pytest.approx(data["metrics"]["FR"]["pagerank"])
    assert datetime.fromisoformat(time) == datetime.fromisoformat(when)
    assert (version, region) == ("0.1.0", "419")
    rows = values(
        db,
        """SELECT ?value WHERE { ?m schema:name "hhi" ; schema:value ?value .
                         FILTER NOT EXISTS { ?m schema:temporalCoverage ?y } }""",
    )
    assert [float(v) for (v,) in rows] == pytest.approx([data["concentration"]["hhi"]])
    n = values(db, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ANALYTICS_GRAPH}> {{ ?s ?p ?o }} }}")
    assert int(n[0][0]) == written
    assert violation_rows(db) == {}  # the metrics break none of the checks
    assert report(db, Filters(partner_region="419")) == data  # nor the figures


def test_write_back_needs_a_store(tmp_path):
    with pytest.raises(FileNotFoundError, match="no coopgraph store"):
        write_back(
            tmp_path,
            report(example_cooperation()),
            parameters={},
            software_version="0",
            when="2025-01-01T00:00:00",
        )
    assert not (tmp_path / "oxigraph").exists()


TRIG = """
@prefix cg: <https://w3id.org/coopgraph/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/coopgraph/id/> .

id:document-1 {
  id:action-x1 a cg:Action ; cg:programme id:programme-page ;
      cg:partnerCountry <https://w3id.org/coopgraph/id/country/PE> ;
      cg:expertCountry <https://w3id.org/coopgraph/id/country/ES>,
                       <https://w3id.org/coopgraph/id/country/FR> ;
      cg:theme <https://w3id.org/coopgraph/id/theme/green_jobs> ;
      schema:startDate "2021-05"^^xsd:gYearMonth ; cg:partnerInstitution id:mtpe .
  id:mtpe skos:prefLabel "Ministerio de Trabajo"@es, "Ministry of Labour"@en ;
      cg:country <https://w3id.org/coopgraph/id/country/PE> .
  id:programme-page a cg:Programme ; cg:acronym "PAGE" ;
      skos:prefLabel "Partnership for Action on Green Economy"@en .
  id:event-e1 cg:forAction id:action-x2 ; cg:programme id:programme-page ;
      schema:startDate "2015-01-01"^^xsd:date .
  id:action-x2 a cg:Action ; cg:partnerCountry <https://w3id.org/coopgraph/id/country/CO> ;
      cg:expertCountry <https://w3id.org/coopgraph/id/country/CR> ; cg:mentionedDate "2019/2020" .
}
id:document-2 {
  id:action-x1 a cg:Action ; cg:partnerCountry <https://w3id.org/coopgraph/id/country/PE> ;
      cg:expertCountry <https://w3id.org/coopgraph/id/country/ES> ;
      schema:startDate "2020-11-02"^^xsd:date .
  id:programme-page a cg:Programme ; cg:acronym "PAGE" ;
      skos:prefLabel "Alianza para la Acción hacia una Economía Verde"@es .
  id:mtpe skos:prefLabel "Ministry of Labour"@en .
  id:action-x3 a cg:Action ; cg:partnerCountry <https://w3id.org/coopgraph/id/country/KE> ;
      cg:expertCountry <https://w3id.org/coopgraph/id/country/IE> .
}
"""


def test_fetch_reads_facts_stated_twice_once():
    """Facts repeated across documents count once; programmes come from the action or
    an event held for it; the year from the start date, else the mentioned date."""
    import pyoxigraph as ox
    from rdflib import Dataset, Graph

    from kg.iri import SUMMARY_GRAPH
    from kg.resources import resource_dir
    from kg.summary import summary_graph

    db = ox.Store()
    graphs = {}
    for name in ("themes.ttl", "countries.ttl"):
        path = str(resource_dir("ontology") / name)
        db.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ID + name))
        graphs[ID + name] = Graph().parse(path, format="turtle")
    db.load(TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)
    # the summary graph a build writes beside the documents' graphs (the network reads
    # its actions' rows)
    dataset = Dataset().parse(data=TRIG, format="trig")
    graphs.update({g.identifier: g for g in dataset.graphs()})
    summary = summary_graph(graphs).serialize(format="nt", encoding="utf-8")
    db.load(summary, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(SUMMARY_GRAPH)))
    data = fetch(SimpleNamespace(ox=db))
    x1, x2, x3 = data.actions
    assert (x1.year, x1.experts, x1.partners, x1.themes) == (
        2020,
        ("ES", "FR"),
        ("PE",),
        ("green_jobs",),
    )
    assert (x2.year, x2.programmes, x3.year) == (2019, (ID + "programme-page",), None)
    assert data.institutions[ID + "mtpe"] == Institution(ID + "mtpe", "Ministry of Labour", "PE")
    page = data.programmes[ID + "programme-page"]
    assert (page.label, page.acronym) == ("Partnership for Action on Green Economy", "PAGE")
    G = bipartite(data, Filters(programme="PAGE"))
    assert sorted(G.edges(data="weight")) == [("CR", "CO", 1), ("ES", "PE", 1), ("FR", "PE", 1)]
    assert bipartite(data, Filters(since=2020)).graph["actions"] == 1


def test_a_store_without_its_summary_graph_is_refused_with_a_reason():
    import pyoxigraph as ox

    db = ox.Store()
    db.load(TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)  # the documents' graphs alone
    with pytest.raises(NoSummaryError, match="no summary graph"):
        fetch(SimpleNamespace(ox=db))
    # an empty store is an empty network, not an error
    assert fetch(SimpleNamespace(ox=ox.Store())).actions == ()
