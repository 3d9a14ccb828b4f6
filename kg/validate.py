"""Validate RDF data against the coopgraph SHACL shapes (``shapes/*.ttl``) with pySHACL.

The results come back as plain, frozen values: a :class:`ValidationReport` holding
:class:`Violation` records (one per SHACL validation result, whatever its severity),
sorted so that two runs over the same data give the same report.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyshacl
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from kg.resources import resource_dir

__all__ = [
    "INFO",
    "VIOLATION",
    "WARNING",
    "ValidationReport",
    "Violation",
    "load_shapes",
    "validate_graph",
]

#: The three SHACL severities, as IRI strings (the values of :attr:`Violation.severity`).
VIOLATION = str(SH.Violation)
WARNING = str(SH.Warning)
INFO = str(SH.Info)


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    The name follows the STYLE guide's ``ValidationReport(conforms, violations)``; a
    result of severity ``sh:Warning`` or ``sh:Info`` is a ``Violation`` too, told apart
    by :attr:`severity`.

    Attributes
    ----------
    focus : str
        The focus node (an IRI, or the lexical form of a literal).
    path : str or None
        The result path: a plain IRI for a predicate path, SPARQL property-path
        syntax for any other (``^<iri>`` for an inverse path); None when the result
        has no path (node-level constraints, SPARQL constraints).
    component : str
        IRI of the constraint component, e.g. ``sh:MinCountConstraintComponent``.
    severity : str
        IRI of the severity: :data:`VIOLATION`, :data:`WARNING` or :data:`INFO`.
    message : str
        The result message (the shape's ``sh:message``), or ``""``.
    shape : str
        IRI of the source shape (``"_:"`` for an anonymous shape).
    """

    focus: str
    path: str | None
    component: str
    severity: str
    message: str
    shape: str

    def sort_key(self) -> tuple[str, str, str, str, str, str]:
        """A total order over results (``path`` None sorts first)."""
        return (
            self.focus,
            self.path or "",
            self.component,
            self.severity,
            self.shape,
            self.message,
        )


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph.

    Attributes
    ----------
    conforms : bool
        True when no result has severity ``sh:Violation``. Warnings (an action whose
        partner country is unknown, say) do not break conformance. This differs from
        pySHACL's own ``conforms``, which is False as soon as there is any result.
    violations : tuple of Violation
        Every result, whatever its severity, sorted by :meth:`Violation.sort_key`,
        without duplicates.
    """

    conforms: bool
    violations: tuple[Violation, ...]

    @property
    def errors(self) -> int:
        """The number of results of severity ``sh:Violation``."""
        return sum(1 for v in self.violations if v.severity == VIOLATION)

    @property
    def warnings(self) -> int:
        """The number of results of severity ``sh:Warning``."""
        return sum(1 for v in self.violations if v.severity == WARNING)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """Every shapes file parsed into one graph, once a process (shared: do not change
    it; :func:`load_shapes` gives a copy)."""
    graph = Graph()
    for path in sorted(resource_dir("shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def load_shapes() -> Graph:
    """Return a fresh graph holding every shapes file (``shapes/*.ttl``).

    Examples
    --------
    >>> from rdflib import URIRef
    >>> from rdflib.namespace import RDF, SH
    >>> shapes = load_shapes()
    >>> (URIRef("https://w3id.org/coopgraph/shapes#ActionShape"), RDF.type, SH.NodeShape) in shapes
    True
    """
    graph = Graph()
    for prefix, namespace in shapes_graph().namespaces():
        graph.bind(prefix, namespace, override=True)
    for triple in shapes_graph():
        graph.add(triple)
    return graph


def validate_graph(
    data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None
) -> ValidationReport:
    """Validate ``data`` against the SHACL shapes with pySHACL.

    Parameters
    ----------
    data : rdflib.Graph
        The data to check. It is not modified. Use a plain in-memory graph: pySHACL
        over an Oxigraph-backed graph is slow and gives wrong results.
    shapes : rdflib.Graph, optional
        The shapes; by default every file in ``shapes/`` (:func:`load_shapes`).
    ontology : rdflib.Graph, optional
        Mixed into a copy of the data before validation, so that the
        ``rdfs:subClassOf`` triples (``cg:Workshop`` is a ``cg:Event``) and the
        vocabulary concepts (themes, countries...) are visible. By default the
        ontology and all its vocabularies (:func:`kg.ontology.load_ontology`).
        It is there to be seen, not checked: a shape whose target class has no
        instance in ``data`` itself is left out, so the vocabularies are not validated
        again on every call (≈0.25 s each time). Pass them as ``data`` to check them.

    Returns
    -------
    ValidationReport
        ``conforms`` is True when no result has severity ``sh:Violation``.

    Examples
    --------
    >>> from rdflib import Graph
    >>> from kg.ontology import load_ontology
    >>> data = Graph().parse(data='''
    ...     @prefix cg: <https://w3id.org/coopgraph/ontology#> .
    ...     <https://w3id.org/coopgraph/id/finding/1> a cg:Finding ;
    ...         cg:findingKind "Country conflict" .
    ... ''', format="turtle")
    >>> report = validate_graph(data, ontology=load_ontology(vocabularies=False))
    >>> report.conforms, report.errors
    (False, 2)
    >>> sorted(v.component.rsplit("#", 1)[1] for v in report.violations)
    ['MinCountConstraintComponent', 'PatternConstraintComponent']
    """
    if ontology is None:
        from kg.ontology import load_ontology

        ontology = load_ontology()
    # Not pySHACL's ont_graph: it copies only the RDFS/OWL axioms of that graph into
    # the data (classes, sub-class and property triples), so the SKOS concepts of the
    # vocabularies would stay invisible and every cg:theme value would fail sh:class.
    mixed = _PreparedQueryGraph()
    mixed += data
    mixed += ontology
    _, results, _ = pyshacl.validate(
        mixed,
        shacl_graph=_targeting(shapes if shapes is not None else shapes_graph(), data, mixed),
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
    )
    violations = sorted(set(_violations(results)), key=Violation.sort_key)
    return ValidationReport(
        conforms=not any(v.severity == VIOLATION for v in violations),
        violations=tuple(violations),
    )


def _targeting(shapes: Graph, data: Graph, mixed: Graph) -> Graph:
    """``shapes`` without the sh:targetClass of classes that have no instance in ``data``.

    Sub-classes count (through the rdfs:subClassOf triples of ``mixed``): a cg:Workshop
    in the data keeps the target cg:Event.
    """
    in_data = set()
    for cls in set(data.objects(None, RDF.type)):
        in_data.update(mixed.transitive_objects(cls, RDFS.subClassOf))
    unused = [t for t in shapes.triples((None, SH.targetClass, None)) if t[2] not in in_data]
    if not unused:
        return shapes
    trimmed = Graph()
    trimmed += shapes
    for triple in unused:
        trimmed.remove(triple)
    return trimmed


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once, however often it is queried.

    pySHACL evaluates a SPARQL constraint once per focus node, with the same text and
    ``$this`` passed as a binding; rdflib parses the text anew on every call, which
    costs ≈10 ms a time and made the date-order rule most of a run.
    """

    def query(self, query_object, *args, **kwargs):  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepare(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=64)
def _prepare(text: str) -> Query:
    return prepareQuery(text)


def _violations(results: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(result, SH.resultPath)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        shape = results.value(result, SH.sourceShape)
        found.append(
            Violation(
                focus=str(results.value(result, SH.focusNode)),
                path=None if path is None else render_path(results, path, top=True),
                component=str(results.value(result, SH.sourceConstraintComponent)),
                severity=str(results.value(result, SH.resultSeverity)),
                message=messages[0] if messages else "",
                shape=str(shape) if isinstance(shape, URIRef) else "_:",
            )
        )
    return found


_UNARY_PATHS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def render_path(graph: Graph, node: Node, *, top: bool = False) -> str:
    """Write a SHACL path in SPARQL property-path syntax (a bare IRI at the top level)."""
    if isinstance(node, URIRef):
        return str(node) if top else f"<{node}>"
    if isinstance(node, Literal):
        raise ValueError(f"a literal is not a SHACL path: {node!r}")
    assert isinstance(node, BNode)
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + render_path(graph, inverse)
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        members = Collection(graph, alternatives)
        return "(" + "|".join(render_path(graph, m) for m in members) + ")"
    for predicate, suffix in _UNARY_PATHS.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return "(" + render_path(graph, inner) + ")" + suffix
    if graph.value(node, RDF.first) is not None:
        return "(" + "/".join(render_path(graph, m) for m in Collection(graph, node)) + ")"
    raise ValueError(f"unknown SHACL path form at {node!r}")
