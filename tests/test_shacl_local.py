"""The document-local shapes checked in Python (kg.shacl_local) report what the compiled
SPARQL and pySHACL report: on every shape fixture, and on hand-made evidence that
breaks each constraint in the ways values can (types the store rewrites, ill-formed
numbers, NaN, strings against numbers)."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, XSD
from test_shacl_sparql import sparql_report
from test_shapes import CASES, Case, ontology, pyshacl_report

import kg.shacl_sparql
from kg.namespace import CG
from kg.shacl_local import (
    LOCAL_QUALIFIED,
    LOCAL_SHAPES,
    GraphFirst,
    LocalShapes,
    Spread,
    local_shapes,
)
from kg.shacl_sparql import UnsupportedShape, compiled, validate_store
from kg.validate import shapes_graph

LOCAL_CHECKS = [c for c in compiled() if c.node_shape in LOCAL_SHAPES]


def local_sparql(graph: Graph) -> set:
    """What the compiled SPARQL of the local shapes reports on ``graph`` (with the
    ontology in a graph of its own, as in a store)."""
    store = ox.Store()
    for i, g in enumerate((graph, ontology())):
        data = g.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(f"urn:g:{i}"))
    return set(validate_store(store, LOCAL_CHECKS).violations)


def test_the_local_shapes_have_checks():
    assert len(LOCAL_CHECKS) >= 25
    assert {c.node_shape for c in LOCAL_CHECKS} == LOCAL_SHAPES


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_local_checks_report_what_the_compiled_sparql_reports(case: Case):
    assert set(local_shapes().violations(case.graph())) == local_sparql(case.graph())


def stored(*graphs: Graph) -> ox.Store:
    """A store of ``graphs`` and the ontology, each in a named graph of its own."""
    store = ox.Store()
    for i, g in enumerate((*graphs, ontology())):
        data = g.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(f"urn:g:{i}"))
    return store


@cache
def checker() -> GraphFirst:
    """The build's graph-first checks, knowing the types of what a test store holds
    besides its graphs: the ontology (a build's store holds the vocabularies too)."""
    return GraphFirst(
        shapes_graph(), local_shapes(), LOCAL_QUALIFIED, [ontology()], sparql=compiled()
    )


def as_built(store: ox.Store, *graphs: Graph) -> set:
    """What the build reports for ``graphs`` (its documents' graphs, in ``store``
    with the ontology): the local shapes on each graph; the graph-first checks on each
    graph (the ontology's too), and in the store on the focus nodes no graph showed to
    meet them or several graphs give; the rest in the store."""
    found: set = set()
    lacking: dict = {key: set() for key in checker().keys}
    with tempfile.TemporaryDirectory() as folder:
        spread = Spread(checker(), Path(folder))
        for g in (*graphs, ontology()):
            indexed = checker().index(g)
            local = local_shapes().violations(indexed)
            found |= set(local)
            for key, nodes in checker().unsatisfied(indexed, local).items():
                lacking[key] |= nodes
            spread.add(checker().stated(indexed))
        for key, nodes in spread.shared().items():
            lacking[key] |= nodes
    rest = validate_store(store, skip=LOCAL_SHAPES, only=lacking).violations
    return found | set(rest)


def test_the_graph_first_checks_include_the_costly_ones():
    keys = {
        (shape.rsplit("#", 1)[1], component.rsplit("#", 1)[1])
        for shape, component in checker().keys
    }
    assert {
        ("Action-evidence", "QualifiedMinCountConstraintComponent"),
        ("Action-expertMobilisation", "ClassConstraintComponent"),
        ("ExpertMobilisation-action", "ClassConstraintComponent"),
        ("ExpertMobilisation-expertCountry", "MinCountConstraintComponent"),
        ("Action-source", "MinCountConstraintComponent"),
        ("Action-title", "DatatypeConstraintComponent"),
    } <= keys
    # a property shape a node shape targeting no class holds is not one of them
    assert not {shape for shape, _ in keys} & {"Evidence-source", "Evidence-subject"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_local_and_remaining_checks_together_report_what_pyshacl_reports(case: Case):
    split = as_built(stored(case.graph()), case.graph())
    assert split == set(pyshacl_report(case).violations)
    assert split == set(sparql_report(case).violations)


@pytest.mark.parametrize("chunk, most", [(500, 50_000), (1, 50_000), (500, 0)])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_graph_first_checks_split_across_graphs_report_what_pyshacl_reports(
    case: Case, chunk: int, most: int, monkeypatch
):
    # (the store's queries list the focus nodes a few at a time, or, past a number,
    # run on all of them)
    monkeypatch.setattr(kg.shacl_sparql, "RESTRICT_CHUNK", chunk)
    monkeypatch.setattr(kg.shacl_sparql, "RESTRICT_MAX", most)
    # the types in one graph, the other statements in another: what one graph shows
    # to hold still holds, and the store decides the rest. (Evidence, with the types
    # of the nodes it names, stays in one graph: the local shapes rely on it.)
    graph = case.graph()
    evidence = set(graph.subjects(RDF.type, CG.Evidence))
    statements, types = Graph(), Graph()
    for s, p, o in graph:
        (types if p == RDF.type and s not in evidence else statements).add((s, p, o))
        if s in evidence:
            for t in graph.objects(o, RDF.type):
                statements.add((o, RDF.type, t))
    split = as_built(stored(statements, types), statements, types)
    assert split == set(pyshacl_report(case).violations)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_values_split_across_graphs_that_each_type_their_nodes_report_what_pyshacl_reports(
    case: Case,
):
    # every node typed in both graphs, its other statements dealt between them: no
    # graph holds all the values of a node (two titles, a start and an end date...),
    # so the nodes stated in both go to the store (kg.shacl_local.Spread). (Evidence,
    # with the types of the nodes it names, stays in the first.)
    graph = case.graph()
    evidence = set(graph.subjects(RDF.type, CG.Evidence))
    graphs = Graph(), Graph()
    told = sorted((t for t in graph if t[1] != RDF.type and t[0] not in evidence), key=str)
    for i, triple in enumerate(told):
        graphs[i % 2].add(triple)
    for s, p, o in graph:
        if s in evidence:
            graphs[0].add((s, p, o))
            for t in graph.objects(o, RDF.type):
                graphs[0].add((o, RDF.type, t))
        elif p == RDF.type:
            for g in graphs:
                g.add((s, p, o))
    assert as_built(stored(*graphs), *graphs) == set(pyshacl_report(case).violations)


def test_the_aggregates_include_the_costly_ones():
    keys = {
        (shape.rsplit("#", 1)[1], component.rsplit("#", 1)[1])
        for shape, component in (a.key for a in checker().aggregates)
    }
    assert {
        ("ActionShape", "SPARQLConstraintComponent"),
        ("EventShape", "SPARQLConstraintComponent"),
        ("ExpertMobilisation-expertCountry", "MaxCountConstraintComponent"),
        ("Action-title", "MaxCountConstraintComponent"),
        ("title", "UniqueLangConstraintComponent"),
        # (shared with the evidence shape, checked on each graph apart)
        ("confidence", "MaxCountConstraintComponent"),
    } <= keys


SPARQL_SHAPES = """
    @prefix sh: <http://www.w3.org/ns/shacl#> .
    @prefix ex: <https://example.org/> .
    ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql ex:Q .
    ex:Q a sh:SPARQLConstraint ; sh:select "SELECT $this WHERE { %s }" .
"""


@pytest.mark.parametrize(
    "where, predicates",
    [
        ("$this ex:a ?a ; ex:b ?b . FILTER (?a > ?b)", ["a", "b"]),
        ("$this ex:a ?a . FILTER NOT EXISTS { $this ex:b ?a }", ["a", "b"]),
        ("$this ex:a ?a . VALUES ?a { 1 2 }", ["a"]),
        # what another node says, a path, the types, sub-queries, other graphs: no
        ("$this ex:a ?a . ?a ex:b ?b", None),
        ("$this ex:a/ex:b ?a", None),
        ("$this a ex:D", None),
        ("$this ?p ?a", None),
        ("{ SELECT ?this WHERE { ?this ex:a ?a } }", None),
        ("GRAPH ?g { $this ex:a ?a }", None),
        ("$this ex:a ?a . FILTER EXISTS { ?a ex:b ?b }", None),
        ("$this ex:a ?a . FILTER EXISTS { GRAPH ?g { $this ex:b ?b } }", None),
        ("$this ex:a ?a . FILTER EXISTS { $this ex:b/ex:c ?b }", None),
    ],
)
def test_a_sparql_constraint_is_taken_when_it_reads_only_the_focus_nodes_statements(
    where: str, predicates: list[str] | None
):
    shapes = Graph().parse(
        format="turtle",
        data=SPARQL_SHAPES.replace('sh:select "', 'sh:select "PREFIX ex_: <https://example.org/> ')
        % where.replace("ex:", "ex_:"),
    )
    from kg.shacl_sparql import Compiler

    checker = GraphFirst(shapes, local_shapes(), [], sparql=Compiler(shapes).checks())
    taken = [a.predicates for a in checker.aggregates]
    if predicates is None:
        assert taken == []
    else:
        assert taken == [tuple(f"https://example.org/{p}" for p in predicates)]


def test_the_qualified_shape_sends_the_store_only_what_its_graph_lacks():
    # the invalid fixtures of the qualified shape: their actions go to the store; in
    # the valid ones every action has evidence in its own graph
    qualified = {
        key for key in checker().keys if key[1].endswith("QualifiedMinCountConstraintComponent")
    }
    for case in CASES:
        indexed = checker().index(case.graph())
        lacking = checker().unsatisfied(indexed, local_shapes().violations(indexed))
        if case.name in (
            "ActionShape.invalid-no-evidence",
            "ActionShape.invalid-evidence-without-source",
        ):
            assert set(lacking) & qualified == qualified, case.name
        elif case.name.startswith("ActionShape.valid"):
            assert not set(lacking) & qualified, case.name


def test_an_action_evidenced_in_another_graph_conforms_and_one_evidenced_nowhere_does_not():
    action, other = URIRef(ID + "action/a"), URIRef(ID + "action/b")
    typed = Graph()
    for a in (action, other):
        typed.add((a, RDF.type, CG.Action))
    told = evidence()  # evidence of action a (its rdf:subject), in a graph of its own
    store = stored(typed, told)
    (key,) = [k for k in checker().keys if k[0] in LOCAL_QUALIFIED]
    assert checker().unsatisfied(checker().index(typed), [])[key] == {str(action), str(other)}
    found = {v.focus for v in as_built(store, typed, told) if v.shape in LOCAL_QUALIFIED}
    assert found == {str(other)}
    full = validate_store(store).violations
    assert {v.focus for v in full if v.shape in LOCAL_QUALIFIED} == found


def test_only_property_shapes_held_by_class_targets_with_one_value_each_are_taken():
    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix cg: <https://w3id.org/coopgraph/ontology#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass cg:Action ; sh:property ex:Two, ex:One .
        ex:Two sh:path dcterms:title ; sh:datatype xsd:string, xsd:integer ; sh:minCount 1 .
        ex:One sh:path cg:theme ; sh:nodeKind sh:IRI .
        ex:N a sh:NodeShape ; sh:targetNode ex:x ; sh:property ex:Targeted .
        ex:Targeted sh:path cg:theme ; sh:minCount 1 .
        """,
    )
    keys = {
        (shape.rsplit("/", 1)[1], component.rsplit("#", 1)[1])
        for shape, component in GraphFirst(shapes, local_shapes(), []).keys
    }
    assert keys == {("Two", "MinCountConstraintComponent"), ("One", "NodeKindConstraintComponent")}


def shapes_of(turtle: str) -> Graph:
    """Shapes in ``turtle``, with the prefixes sh:, cg: and ex: declared."""
    prefixes = """
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix cg: <https://w3id.org/coopgraph/ontology#> .
        @prefix ex: <https://example.org/> .
    """
    return Graph().parse(format="turtle", data=prefixes + turtle)


def test_a_qualified_shape_the_graphs_cannot_decide_is_refused():
    shapes = shapes_of(
        """
        ex:S a sh:NodeShape ; sh:targetClass cg:Action ; sh:property ex:P .
        ex:P sh:path cg:theme ; sh:qualifiedMinCount 1 ;
            sh:qualifiedValueShape [ sh:class cg:Evidence ] .
        """
    )
    with pytest.raises(UnsupportedShape, match="inverse predicate"):
        GraphFirst(shapes, local_shapes(), ["https://example.org/P"])


ID = "https://w3id.org/coopgraph/id/"
CC = "http://www.w3.org/ns/shacl#"
DOC, RULE = URIRef(ID + "document/d"), URIRef(ID + "rule/r")


def evidence(**values) -> Graph:
    """One evidence node (with its document and rule typed), with ``values`` in place
    of the well-formed defaults (None: left out)."""
    g = Graph()
    ev = URIRef(ID + "evidence/e")
    g.add((DOC, RDF.type, CG.SourceDocument))
    g.add((RULE, RDF.type, CG.ExtractionRule))
    g.add((ev, RDF.type, CG.Evidence))
    defaults = {
        "subject": (RDF.subject, URIRef(ID + "action/a")),
        "predicate": (RDF.predicate, CG.theme),
        "object": (RDF.object, URIRef(ID + "theme/t")),
        "source": (PROV.wasDerivedFrom, DOC),
        "start": (CG.charStart, Literal(3)),
        "end": (CG.charEnd, Literal(9)),
        "quote": (CG.quote, Literal("Ghana!")),
        "rule": (CG.rule, RULE),
    }
    for key, (p, o) in defaults.items():
        given = values.get(key, o)
        for value in given if isinstance(given, list) else [given]:
            if value is not None:
                g.add((ev, p, value))
    if "confidence" in values:
        g.add((ev, CG.confidence, values["confidence"]))
    return g


INT, DEC, DBL = XSD.int, XSD.decimal, XSD.double
#: the cases that break nothing (the store keeps an xsd:int as an xsd:integer)
VALID = {
    "well-formed",
    "int-stored-as-integer",
    "unsigned-byte-end",
    "confidence-zero",
    "no-quote-is-allowed",
}
BREAKS = {
    "well-formed": {},
    "int-stored-as-integer": {"start": Literal("3", datatype=INT)},
    "unsigned-byte-end": {"end": Literal("9", datatype=XSD.unsignedByte)},
    "ill-formed-integer": {"start": Literal("three", datatype=XSD.integer)},
    "ill-formed-int": {"end": Literal("x", datatype=INT)},
    "decimal-offset": {"start": Literal("3.0", datatype=DEC)},
    "string-offset": {"start": Literal("3")},
    "negative-start": {"start": Literal(-1)},
    "reversed": {"start": Literal(10), "end": Literal(2)},
    "two-ends": {"end": [Literal(9), Literal(12)]},
    "no-span": {"start": None, "end": None},
    "iri-start": {"start": URIRef(ID + "x")},
    "lang-quote": {"quote": Literal("Ghana!", lang="en")},
    "no-quote-is-allowed": {"quote": None},
    "literal-subject": {"subject": Literal("a")},
    "two-predicates": {"predicate": [CG.theme, CG.partnerCountry]},
    "untyped-rule": {"rule": URIRef(ID + "rule/unknown")},
    "source-not-a-document": {"source": RULE},
    "nan-confidence": {"confidence": Literal("NaN", datatype=DBL)},
    "confidence-above-one": {"confidence": Literal("1.5", datatype=DEC)},
    "confidence-as-string": {"confidence": Literal("0.5")},
    "confidence-boolean": {"confidence": Literal(True)},
    "confidence-zero": {"confidence": Literal("0", datatype=DEC)},
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_local_checks_agree_with_the_store_on_each_kind_of_value(name):
    graph = evidence(**BREAKS[name])
    found = set(local_shapes().violations(graph))
    assert found == local_sparql(graph)
    assert bool(found) == (name not in VALID)


def test_a_shape_using_what_is_not_checked_locally_is_refused():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:pattern "^a" ] .
        """,
        format="turtle",
    )
    with pytest.raises(UnsupportedShape):
        LocalShapes(shapes, Graph(), ["urn:s"])


def test_a_local_shape_on_rdf_type_is_refused():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path rdf:type ; sh:maxCount 1 ] .
        """,
        format="turtle",
    )
    with pytest.raises(UnsupportedShape):
        LocalShapes(shapes, Graph(), ["urn:s"])


ORG = URIRef(ID + "org/o")
ORG_CLASS = URIRef("http://www.w3.org/ns/org#Organization")
LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


def described(*labels: str, typed: bool = True) -> Graph:
    """A graph typing the organisation ORG (or not) and giving it ``labels`` (English)."""
    g = Graph()
    if typed:
        g.add((ORG, RDF.type, ORG_CLASS))
    for label in labels:
        g.add((ORG, LABEL, Literal(label, lang="en")))
    return g


def shared(*graphs: Graph) -> set[str]:
    """The aggregates (property shape names) that the store must decide on ORG when
    ``graphs`` are a build's graphs."""
    with tempfile.TemporaryDirectory() as folder:
        spread = Spread(checker(), Path(folder))
        for g in graphs:
            spread.add(checker().stated(checker().index(g)))
        return {
            key[0].rsplit("#", 1)[1] for key, nodes in spread.shared().items() if str(ORG) in nodes
        }


@pytest.mark.parametrize(
    "graphs, to_store",
    [
        # each graph typing it and giving the same label: the first decided it
        ((described("A"), described("A")), False),
        # a graph typing it with no label, another typing it with one: the second did
        ((described("A"), described()), False),
        ((described(), described()), False),
        # two labels, one in each graph: no graph saw both
        ((described("A"), described("B")), True),
        # the labels given where it is not typed, the type elsewhere
        ((described("A", typed=False), described("A", typed=False), described()), True),
        ((described("A", typed=False), described()), True),
    ],
)
def test_the_store_decides_a_node_whose_values_no_one_graph_typing_it_holds(graphs, to_store):
    assert ("prefLabel" in shared(*graphs)) == to_store


def test_labels_given_by_two_graphs_break_the_unique_language_in_the_union():
    graphs = described("A"), described("B")
    found = as_built(stored(*graphs), *graphs)
    assert any(
        v.focus == str(ORG) and v.component.endswith("UniqueLangConstraintComponent") for v in found
    )
    assert not any(
        v.component.endswith("UniqueLangConstraintComponent")
        for g in graphs
        for v in as_built(stored(g), g)
    )


def test_a_graph_showing_a_value_in_its_scheme_sends_the_store_none():
    action, peru, stray = URIRef(ID + "action/a"), URIRef(ID + "country/pe"), URIRef(ID + "x")
    scheme = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    graph = Graph()
    graph.add((action, RDF.type, CG.Action))
    graph.add((action, CG.partnerCountry, peru))
    graph.add((stray, CG.partnerCountry, action))  # (whatever names it)
    key = ("https://w3id.org/coopgraph/shapes#inCountryScheme", CC + "HasValueConstraintComponent")
    assert checker().unsatisfied(checker().index(graph), [])[key] == {str(peru), str(action)}
    graph.add((peru, scheme, URIRef(ID + "country")))
    graph.add((action, scheme, URIRef(ID + "country")))
    assert key not in checker().unsatisfied(checker().index(graph), [])


def test_a_literal_where_a_concept_belongs_is_checked_in_the_store():
    # its scheme is asked of the literal, which a query cannot list: the store checks
    # every value
    graph = Graph()
    action = URIRef(ID + "action/a")
    graph.add((action, RDF.type, CG.Action))
    graph.add((action, CG.partnerCountry, Literal("Peru")))
    found = {
        (v.focus, v.component.rsplit("#", 1)[1])
        for v in as_built(stored(graph), graph)
        if v.path.endswith("inScheme>") or "inScheme" in v.path
    }
    assert found == {("Peru", "HasValueConstraintComponent")}


def test_a_literal_on_the_focus_side_of_an_inverse_aggregate_is_not_kept():
    # (a maximum count along ^cg:theme: its statements' objects are the focus side)
    shapes = shapes_of(
        """
        ex:S a sh:NodeShape ; sh:targetClass cg:Theme ; sh:property ex:P .
        ex:P sh:path [ sh:inversePath cg:theme ] ; sh:maxCount 1 .
        """
    )
    checker = GraphFirst(shapes, local_shapes(), [])
    (aggregate,) = checker.aggregates
    assert aggregate.inverse
    action = URIRef(ID + "action/a")
    graph = Graph()
    graph.add((action, CG.theme, Literal("green\njobs")))
    graph.add((action, CG.theme, URIRef(ID + "theme/t")))
    assert set(checker.stated(checker.index(graph))) == {ID + "theme/t"}
