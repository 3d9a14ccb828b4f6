"""The shapes compiled to SPARQL report exactly what pySHACL reports, on every fixture."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from test_shapes import CASES, Case, ontology, pyshacl_report

from kg import shacl_sparql
from kg.shacl_local import LOCAL_SHAPES
from kg.shacl_sparql import (
    Compiler,
    Limits,
    UnsupportedShape,
    compiled,
    planned,
    validate_store,
)
from kg.validate import load_shapes

#: Limits under which every check runs as on a large store (nothing counts as few).
LARGE = Limits(few=0, held=0, counted=0)


def sparql_report(case: Case, limits: Limits | None = None, per_graph=()):
    store = ox.Store()
    for i, graph in enumerate((case.graph(), ontology())):
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(f"urn:g:{i}"))
    return validate_store(store, limits=limits or Limits(), per_graph=per_graph)


def test_every_constrained_property_shape_compiles():
    from rdflib import RDF
    from rdflib.namespace import SH

    shapes = load_shapes()
    structural = {RDF.type, SH.path, SH.message, SH.severity, SH.name, SH.description}
    constrained = {
        str(s)
        for s in shapes.subjects(RDF.type, SH.PropertyShape)
        if set(shapes.predicates(s, None)) - structural - {SH.property}
    }
    assert len(constrained) >= 60
    assert constrained <= {c.shape for c in compiled()}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_sparql_reports_what_pyshacl_reports(case):
    assert set(sparql_report(case).violations) == set(pyshacl_report(case).violations)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_plans_for_a_large_store_report_the_same(case):
    # a fixture's focus nodes and statements are always few, so its checks start from
    # the focus nodes and anti-join the statements; counted as many, they run as on a
    # large store: from the values, and with a look-up per focus node
    assert set(sparql_report(case, LARGE).violations) == set(pyshacl_report(case).violations)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_document_local_shapes_on_each_graph_report_what_pyshacl_reports(case):
    # as `coopgraph validate --store` runs them: in the fixture's graph, not the union
    report = sparql_report(case, per_graph=LOCAL_SHAPES)
    assert set(report.violations) == set(pyshacl_report(case).violations)


EVIDENCE = b"<https://w3id.org/coopgraph/id/evidence/"


def _invalid_fixtures_store(path=None) -> ox.Store:
    """Every invalid fixture in its own graph, an evidence one in the default graph;
    the evidence of each named apart, as a build names it after its document."""
    store = ox.Store() if path is None else ox.Store(str(path))
    invalid = sorted((c for c in CASES if not c.valid), key=lambda c: "Evidence" not in c.name)
    for i, graph in enumerate([*(case.graph() for case in invalid), ontology()]):
        data = graph.serialize(format="nt", encoding="utf-8")
        data = data.replace(EVIDENCE, EVIDENCE + f"{i}-".encode())
        to = ox.DefaultGraph() if i == 0 else ox.NamedNode(f"urn:g:{i}")
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=to)
    store.flush()
    return store


def test_shapes_run_per_graph_report_what_the_union_does():
    store = _invalid_fixtures_store()
    union = validate_store(store)
    local = {v for v in union.violations if "Evidence" in v.shape}
    assert len({v.focus for v in local}) >= 5
    assert validate_store(store, per_graph=LOCAL_SHAPES) == union


def test_graphs_holding_focus_nodes_come_those_with_most_first():
    store = ox.Store()
    ev = "https://w3id.org/coopgraph/ontology#Evidence"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for graph, n in [("urn:a", 1), ("urn:b", 3), ("urn:c", 2), ("", 2), ("urn:none", 0)]:
        to = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        for i in range(n):
            store.add(ox.Quad(ox.NamedNode(f"urn:e:{graph}{i}"), rdf_type, ox.NamedNode(ev), to))
        store.add(ox.Quad(ox.NamedNode("urn:x"), rdf_type, ox.NamedNode("urn:X"), to))
    focus = f"?this <{rdf_type.value}> <{ev}> ."
    assert shacl_sparql._graphs(store, focus) == ["urn:b", "", "urn:c", "urn:a"]


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_counts_the_queries_to_the_last(tmp_path, workers):
    store = _invalid_fixtures_store(tmp_path / "db")
    seen = []
    validate_store(
        store,
        path=tmp_path / "db",
        workers=workers,
        per_graph=LOCAL_SHAPES,
        progress=lambda *args: seen.append(args),
    )
    # each check over the union, but the evidence ones: together, once a graph
    evidence = "https://w3id.org/coopgraph/ontology#Evidence"
    graphs = store.query(f"SELECT DISTINCT ?g {{ GRAPH ?g {{ ?e a <{evidence}> }} }}")
    in_default = store.query(f"ASK {{ ?e a <{evidence}> }}")
    jobs = sum(c.node_shape not in LOCAL_SHAPES for c in compiled())
    jobs += len(list(graphs)) + bool(in_default)
    assert seen == [("validate", i, jobs) for i in range(1, jobs + 1)]


def test_a_document_local_shape_run_per_graph_reads_that_graph_alone():
    # evidence whose span is stated in another graph: whole in the union, lacking its
    # span in the graph that types it (coopgraph never splits evidence so)
    case = next(c for c in CASES if c.name == "EvidenceShape.valid")
    store = ox.Store()
    span = {
        "https://w3id.org/coopgraph/ontology#charStart",
        "https://w3id.org/coopgraph/ontology#charEnd",
    }
    for quad in ox.parse(
        case.graph().serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES
    ):
        graph = "urn:span" if quad.predicate.value in span else "urn:doc"
        store.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(graph)))
    assert validate_store(store).conforms
    lacking = validate_store(store, per_graph=LOCAL_SHAPES).violations
    assert {(v.component.rsplit("#")[-1], v.path) for v in lacking} == {
        ("MinCountConstraintComponent", p) for p in span
    }


def test_a_check_runs_as_the_counts_favour():
    store = ox.Store()
    for i, graph in enumerate((CASES[0].graph(), ontology())):
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(f"urn:g:{i}"))
    checks = compiled()
    assert sum(1 for c in checks if c.focus_first) >= 40
    assert sum(1 for c in checks if c.anti_join) >= 10
    plans = [planned(store, check) for check in checks]
    # on a small store: from the (outer) focus nodes whenever possible, some anti-joins
    assert all(
        p == (c.outer_first or c.focus_first)
        for p, c in zip(plans, checks, strict=True)
        if c.focus_first
    )
    assert sum(1 for c in checks if c.outer_first) >= 10
    assert sum(1 for p, c in zip(plans, checks, strict=True) if p == c.anti_join != "") >= 5
    assert [planned(store, c, LARGE) for c in checks] == [c.query for c in checks]


def test_every_plan_of_every_check_finds_the_same_focus_nodes(tmp_path):
    # every invalid fixture in one store, each in its own graph: each check's other
    # plans (taken on large stores by counts) agree with its own query
    store = ox.Store()
    invalid = [case for case in CASES if not case.valid]
    for i, graph in enumerate([*(case.graph() for case in invalid), ontology()]):
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(f"urn:g:{i}"))
    compared = found = 0
    for check in compiled():
        expected = {r["this"] for r in store.query(check.query, use_default_graph_as_union=True)}
        found += bool(expected)
        for other in (check.focus_first, check.anti_join, check.outer_first):
            if other:
                rows = store.query(other, use_default_graph_as_union=True)
                assert {r["this"] for r in rows} == expected, (check.shape, check.component)
                compared += 1
    assert compared >= 100 and found >= 20


def test_an_unsupported_feature_is_refused_not_skipped():
    from rdflib import Graph

    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:closed true ] .
        """,
        format="turtle",
    )
    with pytest.raises(UnsupportedShape):
        Compiler(shapes).checks()


def test_checks_shared_among_processes_report_the_same(tmp_path):
    # every invalid fixture in one database on disk: many shapes violated at once
    path = tmp_path / "db"
    store = _invalid_fixtures_store(path)
    alone = validate_store(store)
    shared = validate_store(store, path=path, workers=2)
    assert len({(v.shape, v.component) for v in alone.violations}) >= 20
    assert shared == alone
    assert validate_store(store, path=path, workers=2, per_graph=LOCAL_SHAPES) == alone


def test_a_restricted_grouping_lists_its_focus_nodes_before_it_groups():
    # (a max count or unique language groups every statement of its property by node;
    # restricted to a few nodes, it groups theirs alone)
    marked = [c for c in compiled() if shacl_sparql.LISTED in c.query]
    assert {c.component.rsplit("#", 1)[1] for c in marked} == {
        "MaxCountConstraintComponent",
        "UniqueLangConstraintComponent",
        "SPARQLConstraintComponent",
    }
    for check in marked:
        if check.component.endswith("SPARQLConstraintComponent"):
            # (in the constraint's own SELECT, as well as beside it)
            (restricted,) = shacl_sparql._restricted(check, {"https://example.org/a"})
            inner = restricted.query.index("SELECT", restricted.query.index("SELECT") + 1)
            assert "VALUES ?this { <https://example.org/a> }" in restricted.query[inner:]
            assert restricted.query.count("VALUES ?this") == 2
    grouped = [c for c in marked if not c.component.endswith("SPARQLConstraintComponent")]
    for check in grouped:
        (restricted,) = shacl_sparql._restricted(check, {"https://example.org/a"})
        assert shacl_sparql.LISTED not in restricted.query
        # in the grouping's own sub-query, and where the query selects its focus nodes
        grouping = restricted.query.index("GROUP BY")
        inner = restricted.query.rindex("SELECT", 0, grouping)
        assert "VALUES ?this { <https://example.org/a> }" in restricted.query[inner:grouping]
        assert restricted.query.count("VALUES ?this") == (2 if check.focus_first else 1)
