"""SHACL node shapes read into summaries for the index: what each targets, its own
constraints, its property shapes and its SPARQL constraints (:class:`ShapeDoc`).

A summary is a sequence of :data:`Part`: text, or an IRI the index shows as a CURIE and
links where the documentation defines it. Paths read as SPARQL property paths and
constraints as ``name value``, with shapes used as values summarised inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import XSD, NamespaceManager

from kg.docs.errors import DocsError
from kg.docs.ontology import english_text

SH = Namespace("http://www.w3.org/ns/shacl#")
#: SHACL predicates that are not constraints (shown in their own columns, or not at all).
NOT_CONSTRAINTS = {
    SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property,
    SH.sparql, SH.prefixes, SH.declare,
}  # fmt: skip
#: Constraints listed first (cardinality, then the kind of value); the others follow A-Z.
CONSTRAINT_ORDER = {
    name: i for i, name in enumerate(["minCount", "maxCount", "class", "datatype", "nodeKind"])
}
#: Target predicates, as the index names them.
TARGETS = {
    SH.targetClass: "class",
    SH.targetNode: "node",
    SH.targetSubjectsOf: "subjects of",
    SH.targetObjectsOf: "objects of",
}
#: Literals written bare, as in Turtle.
BARE_DATATYPES = {XSD.integer, XSD.decimal, XSD.double, XSD.boolean}
#: Suffixes of SHACL's unary path operators.
PATH_SUFFIX = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}

#: A piece of a summary: text, or an IRI (shown as a CURIE, linked where the docs define it).
Part = str | URIRef


@dataclass(frozen=True)
class PropertyDoc:
    """One property shape of a node shape, summarised."""

    shape: str
    path: tuple[Part, ...]
    constraints: tuple[tuple[Part, ...], ...]
    message: str
    severity: str


@dataclass(frozen=True)
class SparqlDoc:
    """A SPARQL-based constraint of a node shape."""

    iri: str
    message: str
    severity: str
    select: str


@dataclass(frozen=True)
class ShapeDoc:
    """A SHACL node shape: what it targets, its own constraints and its property shapes."""

    iri: str
    name: str
    source: str
    targets: tuple[tuple[Part, ...], ...]
    constraints: tuple[tuple[Part, ...], ...]
    properties: tuple[PropertyDoc, ...]
    sparql: tuple[SparqlDoc, ...]
    message: str
    severity: str


def read_shapes(folder: Path) -> tuple[list[ShapeDoc], NamespaceManager]:
    """Every ``sh:NodeShape`` of the Turtle files in ``folder``, by file then name.

    The files are read into one graph (a shape may use property shapes of another file).

    Raises
    ------
    DocsError
        When the folder holds no shapes file.
    """
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise DocsError(f"{folder}: no SHACL shapes (*.ttl) found")
    graph = Graph(bind_namespaces="core")
    source: dict = {}
    for path in files:
        part = Graph(bind_namespaces="core").parse(path, format="turtle")
        for node in part.subjects(RDF.type, SH.NodeShape):
            source.setdefault(node, path.name)
        graph += part
        for prefix, namespace in part.namespaces():
            graph.bind(prefix, namespace, override=False)
    names = graph.namespace_manager
    shapes = [_shape(graph, node, source[node], names) for node in source]
    return sorted(shapes, key=lambda s: (s.source, s.name)), names


def curie(node: URIRef, names: NamespaceManager) -> str:
    try:
        return names.curie(node, generate=False)
    except (KeyError, ValueError):
        return f"<{node}>"


def _severity(graph: Graph, node) -> str:
    value = graph.value(node, SH.severity)
    return str(value).rsplit("#", 1)[-1] if value is not None else "Violation"


def _shape(graph: Graph, node, source: str, names: NamespaceManager) -> ShapeDoc:
    properties = [
        PropertyDoc(
            str(p) if isinstance(p, URIRef) else "",
            tuple(_path(graph, graph.value(p, SH.path))),
            tuple(_constraints(graph, p)),
            english_text(graph, p, SH.message),
            _severity(graph, p),
        )
        for p in graph.objects(node, SH.property)
    ]
    sparql = [
        SparqlDoc(
            str(c) if isinstance(c, URIRef) else "",
            english_text(graph, c, SH.message),
            _severity(graph, c),
            _dedent(str(graph.value(c, SH.select) or graph.value(c, SH.ask) or "")),
        )
        for c in graph.objects(node, SH.sparql)
    ]
    return ShapeDoc(
        str(node),
        curie(node, names) if isinstance(node, URIRef) else "[ ]",
        source,
        tuple(
            (label + " ", t)
            for predicate, label in TARGETS.items()
            for t in sorted(graph.objects(node, predicate), key=str)
        ),
        tuple(_constraints(graph, node, nested=False)),
        tuple(
            sorted(
                properties,
                key=lambda p: (
                    _plain(p.path, names),
                    curie_or_blank(p.shape, names),
                    _key(*p.constraints),
                ),
            )
        ),
        tuple(sorted(sparql, key=lambda s: (s.iri, s.message, s.select))),
        english_text(graph, node, SH.message),
        _severity(graph, node),
    )


def _plain(parts: Sequence[Part], names: NamespaceManager) -> str:
    return "".join(curie(p, names) if isinstance(p, URIRef) else p for p in parts)


def curie_or_blank(iri: str, names: NamespaceManager) -> str:
    return curie(URIRef(iri), names) if iri else ""


def _key(*parts: Sequence[Part]) -> str:
    """A sort key for summaries that does not depend on blank node ids."""
    return "\n".join("".join(str(p) for p in ps) for ps in parts)


def _path(graph: Graph, path) -> list[Part]:
    """A SHACL path in SPARQL property-path syntax."""
    if isinstance(path, URIRef):
        return [path]
    if path is None:
        return ["(no path)"]
    if graph.value(path, RDF.first) is not None:
        steps = [_path(graph, step) for step in Collection(graph, path)]
        return [x for i, step in enumerate(steps) for x in ([" / "] if i else []) + step]
    if graph.value(path, SH.inversePath) is not None:
        return ["^", *_path(graph, graph.value(path, SH.inversePath))]
    if graph.value(path, SH.alternativePath) is not None:
        steps = [_path(graph, s) for s in Collection(graph, graph.value(path, SH.alternativePath))]
        return ["(", *[x for i, s in enumerate(steps) for x in ([" | "] if i else []) + s], ")"]
    for predicate, suffix in PATH_SUFFIX.items():
        if graph.value(path, predicate) is not None:
            return ["(", *_path(graph, graph.value(path, predicate)), ")" + suffix]
    return ["(unknown path)"]


def _constraints(
    graph: Graph, node, *, depth: int = 0, nested: bool = True
) -> list[tuple[Part, ...]]:
    """Each constraint of a shape as ``name value`` (the local name of the SHACL
    predicate), sorted; shapes used as values are summarised inline, ``[ ... ]``.
    With ``nested``, the shape's own ``sh:property`` shapes are constraints too."""
    found = [
        (predicate[len(SH) :] + " ", *_value(graph, value, depth))
        for predicate, value in graph.predicate_objects(node)
        if predicate.startswith(SH) and predicate not in NOT_CONSTRAINTS
    ]
    if nested:
        found += [("property ", *_value(graph, p, depth)) for p in graph.objects(node, SH.property)]
    return sorted(found, key=lambda c: (CONSTRAINT_ORDER.get(str(c[0]).strip(), 99), _key(c)))


def _value(graph: Graph, value, depth: int) -> list[Part]:
    if isinstance(value, Literal):
        return _literal(value)
    if value == RDF.nil or graph.value(value, RDF.first) is not None:
        items = [x for v in Collection(graph, value) for x in [*_value(graph, v, depth), " "]]
        return ["( ", *items, ")"]
    has_path = (value, SH.path, None) in graph
    if isinstance(value, BNode) and not has_path and (value, None, None) not in graph:
        return ["[ ]"]
    if not (has_path or isinstance(value, BNode)) or depth > 3:
        return [value]
    inner: list[Part] = ["path ", *_path(graph, graph.value(value, SH.path))] if has_path else []
    for constraint in _constraints(graph, value, depth=depth + 1):
        inner += ["; " if inner else "", *constraint]
    named: list[Part] = [value, " "] if isinstance(value, URIRef) else []
    return [*named, "[ ", *inner, " ]"]


def _literal(value: Literal) -> list[Part]:
    """A literal as in Turtle, but with regular expressions left unescaped."""
    if value.datatype in BARE_DATATYPES:
        return [str(value)]
    quoted = f'"{value}"'
    if value.language:
        return [f"{quoted}@{value.language}"]
    if value.datatype in (None, XSD.string):
        return [quoted]
    return [quoted + "^^", value.datatype]


def _dedent(text: str) -> str:
    lines = text.strip("\n").splitlines()
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "\n".join(x[indent:] for x in lines).rstrip()
