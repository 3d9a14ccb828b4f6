"""The SHACL shapes: every shape has fixtures that say which constraints fire, the shapes
are documented and use only declared terms, and a second validator (pyrudof) agrees.

Fixtures live in ``tests/data/shapes/`` and are named ``<NodeShape>.valid[-what].ttl`` or
``<NodeShape>.invalid-<what>.ttl``. An invalid fixture lists its expected results at the
top, one line each::

    # expect: sh:MinCountConstraintComponent cg:partnerInstitution
    # expect: sh:QualifiedMinCountConstraintComponent ^rdf:subject
    # expect: sh:SPARQLConstraintComponent -
    # expect: sh:MinCountConstraintComponent cg:partnerCountry sh:Warning

(constraint component, result path with CURIEs in SPARQL path syntax -- ``^`` for an
inverse path, ``(a|b)`` for alternatives -- or ``-`` for none, and the severity when it is
not ``sh:Violation``).
"""

from __future__ import annotations

import doctest
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, URIRef
from rdflib.namespace import SH

from kg.ontology import VOCABULARY_FILES, load_ontology
from kg.resources import resource_dir
from kg.validate import VIOLATION, WARNING, ValidationReport, load_shapes, validate_graph

FIXTURES = Path(__file__).parent / "data" / "shapes"
CG = "https://w3id.org/coopgraph/ontology#"
CGSH = "https://w3id.org/coopgraph/shapes#"
#: The prefixes expectation lines may use.
PREFIXES = {
    "sh": str(SH),
    "cg": CG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
}
FILE_NAME = re.compile(
    r"^(?P<shape>[A-Z][A-Za-z]*Shape)\.(?:valid(?:-[a-z0-9-]+)?|(?P<invalid>invalid-[a-z0-9-]+))\.ttl$"
)
EXPECT = re.compile(r"^# expect: (?P<component>\S+) (?P<path>\S+)(?: (?P<severity>\S+))?\s*$")

#: Fixtures on which pyrudof reports other results than pySHACL, and why. Conformance and
#: focus nodes must agree on every fixture all the same. pyrudof 0.3.35 handles every
#: construct the shapes use (SPARQL constraints, qualified value shapes, inverse and
#: alternative paths, sh:or, nested sh:property, rdfs:subClassOf targets).
PYRUDOF_GAPS: dict[str, str] = {}


def _curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def _path_curie(path: str | None) -> str:
    """Write a kg.validate path (a bare IRI, or SPARQL path syntax) with CURIEs."""
    if path is None:
        return "-"
    if not path.startswith(("^", "(")):
        return _curie(path)
    return re.sub(r"<([^<>]+)>", lambda m: _curie(m[1]), path)


def describe(component: str, path: str | None, severity: str) -> str:
    """One result as an expectation line body (severity only when not sh:Violation)."""
    text = f"{_curie(component)} {_path_curie(path)}"
    return text if severity == VIOLATION else f"{text} {_curie(severity)}"


@dataclass(frozen=True)
class Case:
    """One fixture file and what validating it must report."""

    path: Path
    shape: str
    valid: bool
    expected: frozenset[str]

    @property
    def name(self) -> str:
        return self.path.name.removesuffix(".ttl")

    def graph(self) -> Graph:
        return Graph().parse(self.path, format="turtle")


def load_case(path: Path) -> Case:
    match = FILE_NAME.match(path.name)
    if match is None:
        raise ValueError(f"{path.name}: not <Shape>.valid[-what].ttl or <Shape>.invalid-what.ttl")
    expected = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("# expect:"):
            found = EXPECT.match(line)
            if found is None:
                raise ValueError(f"{path.name}:{number}: malformed expectation {line!r}")
            severity = found["severity"] or "sh:Violation"
            body = f"{found['component']} {found['path']}"
            expected.add(body if severity == "sh:Violation" else f"{body} {severity}")
    valid = match["invalid"] is None
    if valid == bool(expected):
        raise ValueError(f"{path.name}: valid fixtures expect nothing, invalid ones something")
    return Case(path, match["shape"], valid, frozenset(expected))


CASE_FILES = sorted(FIXTURES.glob("*.ttl"))
CASES = [load_case(p) for p in CASE_FILES]


@cache
def shapes() -> Graph:
    return load_shapes()


@cache
def ontology() -> Graph:
    # The vocabulary files are not needed: fixtures carry the concepts they use.
    return load_ontology(vocabularies=False)


@cache
def pyshacl_report(case: Case) -> ValidationReport:
    return validate_graph(case.graph(), shapes=shapes(), ontology=ontology())


def node_shapes() -> dict[str, URIRef]:
    """Every sh:NodeShape of the shapes graph, by local name."""
    found = {}
    for shape in shapes().subjects(RDF.type, SH.NodeShape):
        assert isinstance(shape, URIRef) and str(shape).startswith(CGSH), shape
        found[str(shape)[len(CGSH) :]] = shape
    return found


# ------------------------------------------------------------------ the fixtures themselves


def test_fixture_glob_finds_cases():
    assert len(CASE_FILES) >= 30, f"expected the shapes fixtures in {FIXTURES}"
    assert any(c.valid for c in CASES)
    assert any(not c.valid for c in CASES)
    assert set(PYRUDOF_GAPS) <= {c.name for c in CASES}, "stale PYRUDOF_GAPS entry"


def test_every_node_shape_has_a_valid_and_an_invalid_fixture():
    names = node_shapes()
    assert len(names) >= 10
    for name in names:
        kinds = {c.valid for c in CASES if c.shape == name}
        assert True in kinds, f"no {name}.valid.ttl"
        assert False in kinds, f"no {name}.invalid-*.ttl"
        assert (FIXTURES / f"{name}.valid.ttl").is_file()


def test_every_fixture_is_named_after_a_node_shape():
    names = node_shapes()
    assert {c.shape for c in CASES} <= set(names)


# ------------------------------------------------------------------ pySHACL


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_pyshacl_reports_exactly_the_expected_results(case: Case):
    report = pyshacl_report(case)
    got = {describe(v.component, v.path, v.severity) for v in report.violations}
    assert got == case.expected
    if case.valid:
        assert report.violations == ()
        assert report.conforms
    else:
        assert report.conforms == all(e.endswith(("sh:Warning", "sh:Info")) for e in case.expected)
        assert report.errors == sum(1 for v in report.violations if v.severity == VIOLATION)


def test_report_is_sorted_and_carries_messages():
    case = next(c for c in CASES if c.name == "ActionShape.invalid-evidence-without-source")
    report = pyshacl_report(case)
    assert list(report.violations) == sorted(report.violations, key=lambda v: v.sort_key())
    assert all(v.message and v.shape.startswith(CGSH) for v in report.violations)


def test_warnings_do_not_break_conformance():
    case = next(c for c in CASES if c.name == "ActionShape.invalid-partner-country-unknown")
    report = pyshacl_report(case)
    assert report.conforms
    assert report.errors == 0
    assert report.warnings == 1
    (warning,) = report.violations
    assert warning.severity == WARNING
    assert warning.focus == "https://w3id.org/coopgraph/id/action/a1"
    assert warning.shape == CGSH + "Action-partnerCountry-known"


@pytest.mark.parametrize("scheme,filename", sorted(VOCABULARY_FILES.items()))
def test_shipped_vocabularies_conform(scheme, filename):
    path = resource_dir("ontology") / filename
    if not path.is_file():
        pytest.skip(f"ontology/{filename} is not written yet")
    data = Graph().parse(path, format="turtle")
    report = validate_graph(data, shapes=shapes(), ontology=ontology())
    assert report.violations == (), report.violations[:5]


def test_validate_module_examples_run():
    import kg.validate

    failed, attempted = doctest.testmod(kg.validate)
    assert attempted >= 3 and failed == 0


def test_complex_paths_are_written_as_sparql_paths():
    from kg.validate import render_path

    graph = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:s sh:path ( [ sh:inversePath ex:a ] [ sh:alternativePath ( ex:b ex:c ) ]
                       [ sh:zeroOrMorePath ex:d ] ) .
        """,
        format="turtle",
    )
    path = graph.value(URIRef("http://example.org/s"), SH.path)
    assert render_path(graph, path, top=True) == (
        "(^<http://example.org/a>/(<http://example.org/b>|<http://example.org/c>)"
        "/(<http://example.org/d>)*)"
    )
    assert render_path(graph, URIRef("http://example.org/a"), top=True) == "http://example.org/a"


# ------------------------------------------------------------------ the shapes graph


def test_one_node_shape_per_target_class():
    targets: dict[URIRef, URIRef] = {}
    for shape in node_shapes().values():
        classes = list(shapes().objects(shape, SH.targetClass))
        assert len(classes) == 1, f"{shape} has {len(classes)} sh:targetClass"
        assert classes[0] not in targets, (
            f"{classes[0]} targeted by {shape} and {targets[classes[0]]}"
        )
        targets[classes[0]] = shape


def test_every_property_shape_and_sparql_constraint_has_message_and_severity():
    graph = shapes()
    property_shapes = set(graph.subjects(SH.path, None))
    constraints = set(graph.objects(None, SH.sparql))
    assert len(property_shapes) > 30 and constraints
    for node in property_shapes | constraints:
        assert graph.value(node, SH.message) is not None, f"{node} has no sh:message"
        assert graph.value(node, SH.severity) in (SH.Violation, SH.Warning, SH.Info), (
            f"{node} has no sh:severity"
        )


def test_sparql_constraint_severity_matches_its_shapes():
    # A SPARQL constraint's results take the severity of the shape that uses it.
    graph = shapes()
    for shape, constraint in graph.subject_objects(SH.sparql):
        shape_severity = graph.value(shape, SH.severity) or SH.Violation
        assert graph.value(constraint, SH.severity) == shape_severity, (shape, constraint)


def test_every_property_shape_is_named():
    # Named shapes make reports deterministic and say which rule fired.
    for node in shapes().objects(None, SH.property):
        assert isinstance(node, URIRef) and str(node).startswith(CGSH), node


def test_every_cg_term_in_the_shapes_is_declared():
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    declared = {t for k in kinds for t in ontology().subjects(RDF.type, k)}
    used = {
        term
        for triple in shapes()
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(CG)
    }
    assert len(used) > 30
    assert used <= declared, sorted(used - declared)


def test_every_node_shape_is_in_the_shapes_readme():
    readme = (resource_dir("shapes") / "README.md").read_text(encoding="utf-8")
    for name in node_shapes():
        assert f"`cgsh:{name}`" in readme, f"shapes/README.md does not describe cgsh:{name}"


def test_shape_files_are_one_per_domain_area():
    names = {p.name for p in resource_dir("shapes").glob("*.ttl")}
    assert {
        "actions.ttl",
        "organisations.ttl",
        "events.ttl",
        "reports.ttl",
        "evidence.ttl",
        "vocabularies.ttl",
    } <= names


# ------------------------------------------------------------------ pyrudof, a second opinion


@cache
def shapes_turtle() -> str:
    return shapes().serialize(format="turtle")


def _rudof_path(path: str | None) -> str | None:
    """pyrudof writes ``^(iri)`` and ``(iri1 | iri2)``; kg.validate ``^<iri>``, ``(<a>|<b>)``."""
    if path is None:
        return None
    if path.startswith("^(") and path.endswith(")"):
        return f"^<{path[2:-1]}>"
    if path.startswith("(") and " | " in path:
        return "(" + "|".join(f"<{iri}>" for iri in path[1:-1].split(" | ")) + ")"
    return path


@cache
def pyrudof_results(case: Case) -> frozenset[tuple[str, str | None, str, str]]:
    """(focus, path, component, severity) of every result pyrudof reports on ``case``."""
    pyrudof = pytest.importorskip("pyrudof")
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(case.path.read_text(encoding="utf-8"), reader_mode=pyrudof.ReaderMode.Strict)
    rudof.read_shacl(shapes_turtle(), reader_mode=pyrudof.ReaderMode.Strict)
    report = rudof.validate_shacl()
    return frozenset(
        (e.focus_node, _rudof_path(e.path), e.constraint_component, str(SH) + e.severity)
        for e in report.violations
    )


def _rudof_param(case: Case):
    if case.name in PYRUDOF_GAPS:
        return pytest.param(
            case,
            id=case.name,
            marks=pytest.mark.xfail(reason=PYRUDOF_GAPS[case.name], strict=True),
        )
    return pytest.param(case, id=case.name)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_pyrudof_agrees_on_conformance_and_focus_nodes(case: Case):
    ours = pyshacl_report(case)
    theirs = pyrudof_results(case)
    assert ours.conforms == (not any(s == VIOLATION for *_, s in theirs))
    assert bool(ours.violations) == bool(theirs)
    assert {v.focus for v in ours.violations} == {f for f, *_ in theirs}


@pytest.mark.parametrize("case", [_rudof_param(c) for c in CASES])
def test_pyrudof_reports_the_same_results(case: Case):
    ours = pyshacl_report(case)
    mine = {(v.focus, v.path, v.component, v.severity) for v in ours.violations}
    assert mine == pyrudof_results(case)
