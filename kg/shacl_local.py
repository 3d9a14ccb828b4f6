"""Document-local shapes, checked in Python on each document's graph as the build
makes it.

A ``cg:Evidence`` node is minted from its document's name and statement, and only
that document's graph says anything about it; the nodes its constraints reach (the
document's ``cg:SourceDocument`` node, the ``cg:ExtractionRule`` nodes it names) are
typed in that graph too. So the shapes that target evidence (:data:`LOCAL_SHAPES`)
give the same results on one document's triples as over the union of the store's
graphs, and the build checks them on each document's graph in the worker that makes
it, before it reaches the store. Evidence is nine statements in ten of a built store:
checked in the store, its thirty-odd constraints were three fifths of the validation
time. The test suite checks, on every shape fixture, that these checks report what
the compiled SPARQL (:mod:`kg.shacl_sparql`) and pySHACL report.

Supported: targets by class (sub-classes from the ontology); predicate paths; min and
max count, datatype, node kind, class, min/max inclusive/exclusive and less than or
equals. A local shape using anything else raises
:class:`~kg.shacl_sparql.UnsupportedShape`.

Other shapes' constraints that one graph can decide are checked on each graph too
(:class:`GraphFirst`), and the store checks only the nodes no graph decided:

- those one graph can show a node meets (a minimum count, values in a class, a value
  in a concept scheme, a qualified value on evidence), or a value breaks (datatype,
  node kind, pattern, length, bounds, ``sh:or`` of datatypes);
- those on all of a node's values together (a maximum count, one value per language,
  a SPARQL constraint reading only ``$this``'s statements), for the nodes that one
  graph alone types or gives values of (or that every graph gives the same values of):
  :class:`Spread` finds the others.

Values are compared as the store will hold them: Oxigraph stores an integer of any
integer-derived datatype (``xsd:int``, ``xsd:nonNegativeInteger``...) as
``xsd:integer``, so that is its datatype here too.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from operator import ge, itemgetter, le
from pathlib import Path
from typing import NamedTuple

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from kg.shacl_sparql import EVERY_NODE, Check, UnsupportedShape, compiled, subclasses_of
from kg.validate import VIOLATION, Violation, render_path, shapes_graph

#: The node shapes whose focus nodes and everything their constraints read are in one
#: document's graph.
LOCAL_SHAPES = frozenset({"https://w3id.org/coopgraph/shapes#EvidenceShape"})

CC = "http://www.w3.org/ns/shacl#"
_INTEGERS = frozenset(
    str(XSD) + t
    for t in [
        "integer",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
)
_INTEGER = str(XSD.integer)
_NUMBERS = _INTEGERS | {str(XSD.decimal), str(XSD.float), str(XSD.double)}
_DATES = frozenset({str(XSD.date), str(XSD.dateTime)})
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_TYPE = str(RDF.type)

Triple = tuple[Node, Node, Node]


def datatype(term: Node) -> str | None:
    """The datatype IRI of ``term`` as the store holds it (None for an IRI or a blank
    node).

    Examples
    --------
    >>> datatype(Literal("7", datatype=XSD.unsignedByte))
    'http://www.w3.org/2001/XMLSchema#integer'
    >>> datatype(Literal("hi")), datatype(Literal("hi", lang="en"))
    ('http://www.w3.org/2001/XMLSchema#string', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString')
    """
    if not isinstance(term, Literal):
        return None
    if term.language:
        return _LANG_STRING
    dt = term.datatype
    if dt is None:
        return _STRING
    dt = str(dt)
    if dt in _INTEGERS and dt != _INTEGER and _INTEGER_TEXT.fullmatch(term):
        return _INTEGER
    return dt


def _order(a: Node, b: Node) -> int | None:
    """-1, 0 or 1 as SPARQL orders ``a`` and ``b`` with ``<`` and ``=``; None where
    the comparison is an error (an IRI, a number against a string, an ill-formed
    value)."""
    if not (isinstance(a, Literal) and isinstance(b, Literal)):
        return None
    # (two xsd:integer values, most of what a build compares: every evidence node's
    # span, against 0 and against each other)
    if str.__eq__(a.datatype or "", _INTEGER) and str.__eq__(b.datatype or "", _INTEGER):
        x, y = a.value, b.value
        if type(x) is int and type(y) is int:
            return (x > y) - (x < y)
    da, db = datatype(a), datatype(b)
    if da in _NUMBERS and db in _NUMBERS:
        x, y = a.value, b.value
        if not isinstance(x, int | float | Decimal) or not isinstance(y, int | float | Decimal):
            return None
        if isinstance(x, bool) or isinstance(y, bool):
            return None
    elif da == db == _STRING:
        x, y = str(a), str(b)
    elif da == db and da in _DATES:
        x, y = a.value, b.value
        if x is None or y is None:
            return None
    else:
        return None
    if x != x or y != y:  # NaN: every comparison is false
        return None
    try:
        return (x > y) - (x < y)
    except TypeError:  # a date-time with a time zone against one without
        return None


_KINDS: dict[Node, Callable[[Node], bool]] = {
    SH.IRI: lambda v: isinstance(v, URIRef),
    SH.Literal: lambda v: isinstance(v, Literal),
    SH.BlankNode: lambda v: isinstance(v, BNode),
    SH.BlankNodeOrIRI: lambda v: not isinstance(v, Literal),
    SH.BlankNodeOrLiteral: lambda v: not isinstance(v, URIRef),
    SH.IRIOrLiteral: lambda v: not isinstance(v, BNode),
}
_BOUNDS = {
    SH.minInclusive: ("MinInclusiveConstraintComponent", lambda o: o >= 0),
    SH.maxInclusive: ("MaxInclusiveConstraintComponent", lambda o: o <= 0),
    SH.minExclusive: ("MinExclusiveConstraintComponent", lambda o: o > 0),
    SH.maxExclusive: ("MaxExclusiveConstraintComponent", lambda o: o < 0),
}


@dataclass(frozen=True)
class _Constraint:
    """One constraint of a property shape: a bound on the number of values (``least``
    or ``most``), a test of each value (``value``: value, types by node -> conforms?)
    or a comparison with the values of another predicate (``reads``)."""

    component: str
    least: int | None = None
    most: int | None = None
    value: Callable[[Node, dict[Node, list[Node]]], bool] | None = None
    reads: str | None = None


@dataclass(frozen=True)
class _Property:
    key: str  # the predicate
    path: str
    shape: str
    severity: str
    message: str
    constraints: tuple[_Constraint, ...]


class Indexed(NamedTuple):
    """A document's statements as the checks read them (see :meth:`LocalShapes.index`)."""

    types: dict[Node, list[Node]]
    pairs: dict[str, list[tuple[Node, Node]]]


@dataclass(frozen=True)
class _NodeShape:
    classes: frozenset[Node]
    properties: tuple[_Property, ...]


class LocalShapes:
    """The constraints of ``node_shapes`` (IRIs) in ``shapes``, ready to check a
    document's triples; ``ontology`` gives the sub-classes of the classes named.

    Examples
    --------
    >>> checker = local_shapes()
    >>> from kg.namespace import CG
    >>> ev = URIRef("https://w3id.org/coopgraph/id/e")
    >>> found = checker.violations([(ev, RDF.type, CG.Evidence)])
    >>> sorted(v.path.rsplit("#", 1)[1] for v in found)  # each lacking
    ['charEnd', 'charStart', 'object', 'predicate', 'rule', 'subject', 'wasDerivedFrom']
    """

    def __init__(self, shapes: Graph, ontology: Graph, node_shapes: Iterable[str]):
        self.g = shapes
        self._subclasses: dict[Node, set[Node]] = defaultdict(set)
        for sub, sup in ontology.subject_objects(RDFS.subClassOf):
            self._subclasses[sup].add(sub)
        self.shapes = tuple(self._node_shape(URIRef(s)) for s in sorted(node_shapes))
        #: the predicates whose statements a check reads
        self._wanted = frozenset(
            p
            for shape in self.shapes
            for prop in shape.properties
            for p in (prop.key, *(c.reads for c in prop.constraints if c.reads))
        )

    def _instances(self, cls: Node) -> frozenset[Node]:
        return frozenset(subclasses_of(self._subclasses, cls))

    def _node_shape(self, shape: URIRef) -> _NodeShape:
        g = self.g
        if (shape, RDF.type, SH.NodeShape) not in g:
            raise UnsupportedShape(f"{shape}: no such node shape")
        allowed = {RDF.type, SH.targetClass, SH.property, SH.message, SH.severity, SH.name}
        for p in set(g.predicates(shape, None)) - allowed:
            if str(p).startswith(CC):
                raise UnsupportedShape(f"{shape}: {p} (not checked locally)")
        classes = frozenset(
            c for target in g.objects(shape, SH.targetClass) for c in self._instances(target)
        )
        if not classes:
            raise UnsupportedShape(f"{shape}: no sh:targetClass")
        properties = tuple(
            self._property(prop) for prop in sorted(g.objects(shape, SH.property), key=str)
        )
        return _NodeShape(classes, properties)

    def _property(self, prop: Node) -> _Property:
        g = self.g
        path = g.value(prop, SH.path)
        if not isinstance(path, URIRef) or str(path) == _TYPE:
            # (rdf:type statements are read apart, as the nodes' types)
            raise UnsupportedShape(f"{prop}: a path other than a predicate, or rdf:type")
        severity = g.value(prop, SH.severity)
        messages = sorted(str(m) for m in g.objects(prop, SH.message))
        if messages and re.search(r"\{[?$]\w+\}", messages[0]):
            raise UnsupportedShape(f"{prop}: a message with variables")
        constraints = []
        structural = {RDF.type, SH.path, SH.message, SH.severity, SH.name, SH.description}
        for p, o in sorted(g.predicate_objects(prop), key=lambda po: (str(po[0]), str(po[1]))):
            if p not in structural:
                constraints.append(self._constraint(prop, p, o))
        return _Property(
            str(path),
            render_path(g, path, top=True),
            str(prop) if isinstance(prop, URIRef) else "_:",
            str(severity) if severity is not None else VIOLATION,
            messages[0] if messages else "",
            tuple(constraints),
        )

    def _constraint(self, prop: Node, p: Node, o: Node) -> _Constraint:
        if p == SH.minCount:
            return _Constraint("MinCountConstraintComponent", least=int(o))
        if p == SH.maxCount:
            return _Constraint("MaxCountConstraintComponent", most=int(o))
        if p == SH.datatype:
            wanted = str(o)
            return _Constraint(
                "DatatypeConstraintComponent", value=lambda v, _t: datatype(v) == wanted
            )
        if p == SH.nodeKind:
            kind = _KINDS[o]
            return _Constraint("NodeKindConstraintComponent", value=lambda v, _t: kind(v))
        if p == SH["class"]:
            classes = self._instances(o)
            return _Constraint(
                "ClassConstraintComponent",
                value=lambda v, types: any(t in classes for t in types.get(v, ())),
            )
        if p in _BOUNDS:
            component, holds = _BOUNDS[p]
            bound = o
            return _Constraint(
                component,
                value=lambda v, _t: (c := _order(v, bound)) is not None and holds(c),
            )
        if p == SH.lessThanOrEquals and isinstance(o, URIRef):
            return _Constraint("LessThanOrEqualsConstraintComponent", reads=str(o))
        raise UnsupportedShape(f"{prop}: {p} (not checked locally)")

    def index(self, triples: Iterable[Triple], also: Iterable[str] = ()) -> Indexed:
        """The statements of ``triples`` that the checks read: the types of each node,
        and (subject, object) pairs of the predicates of the shapes and of ``also``."""
        types: dict[Node, list[Node]] = {}
        # (subject, object) by predicate, as a plain string: a plain string compares
        # in C, a URIRef in Python
        pairs: dict[str, list[tuple[Node, Node]]] = {key: [] for key in self._wanted}
        pairs.update((key, []) for key in also if key not in pairs)
        for s, p, o in triples:
            key = str(p)
            if key == _TYPE:
                listed = types.get(s)
                if listed is None:
                    types[s] = [o]
                else:
                    listed.append(o)
            else:
                bucket = pairs.get(key)
                if bucket is not None:
                    bucket.append((s, o))
        return Indexed(types, pairs)

    def violations(self, triples: Iterable[Triple] | Indexed) -> list[Violation]:
        """What the local shapes report on ``triples`` (one document's graph, or its
        :meth:`index`).

        Each constraint runs over all the focus nodes' values of its predicate at
        once, not focus node by focus node: most of a document's graph is evidence.

        Returns
        -------
        list of Violation
            Without duplicates, in no particular order.
        """
        types, pairs = triples if isinstance(triples, Indexed) else self.index(triples)
        found: set[Violation] = set()
        for shape in self.shapes:
            classes = shape.classes
            focus = {s for s, listed in types.items() if not classes.isdisjoint(listed)}
            if not focus:
                continue
            for prop in shape.properties:
                mine = [(s, v) for s, v in pairs[prop.key] if s in focus]
                counts = Counter(map(itemgetter(0), mine))
                for c in prop.constraints:
                    for node in self._failing(c, focus, mine, counts, pairs, types):
                        found.add(
                            Violation(
                                focus=str(node),
                                path=prop.path,
                                component=CC + c.component,
                                severity=prop.severity,
                                message=prop.message,
                                shape=prop.shape,
                            )
                        )
        return list(found)

    @staticmethod
    def _failing(
        c: _Constraint,
        focus: set[Node],
        mine: list[tuple[Node, Node]],
        counts: Counter[Node],
        pairs: dict[str, list[tuple[Node, Node]]],
        types: dict[Node, list[Node]],
    ) -> Iterable[Node]:
        """The focus nodes ``c`` finds broken, given their values ``mine``."""
        # (the usual bounds at once, in C: a document has thousands of focus nodes)
        if (least := c.least) is not None:
            if least == 1:  # those without a value
                return focus.difference(counts)
            # (the focus nodes without values break a bound above 0 too)
            return {s for s in focus if counts.get(s, 0) < least}
        if (most := c.most) is not None:
            if max(counts.values(), default=0) <= most:
                return ()
            return {s for s, n in counts.items() if n > most}
        if c.value is not None:
            conforms = c.value
            return {s for s, v in mine if not conforms(v, types)}
        assert c.reads is not None  # neither a count nor a value test: a comparison
        others: dict[Node, list[Node]] = {}
        for s, w in pairs[c.reads]:
            if s in focus:
                others.setdefault(s, []).append(w)
        return {
            s
            for s, v in mine
            for w in others.get(s, ())
            if (order := _order(v, w)) is None or order > 0
        }


#: Property shapes asking each focus node for at least one value, along an inverse
#: path, that conforms to a qualified shape on nodes of the local shapes: "an action
#: needs at least one evidence node naming it, derived from a source document".
LOCAL_QUALIFIED = frozenset({"https://w3id.org/coopgraph/shapes#Action-evidence"})

#: The constraints :class:`GraphFirst` decides on each graph first.
QUALIFIED, CLASS, COUNT, DATATYPE, NODE_KIND = (
    CC + "QualifiedMinCountConstraintComponent",
    CC + "ClassConstraintComponent",
    CC + "MinCountConstraintComponent",
    CC + "DatatypeConstraintComponent",
    CC + "NodeKindConstraintComponent",
)
#: ... those a statement's value alone decides, as the datatype's ...
PATTERN, OR, MIN_LENGTH, MAX_LENGTH = (
    CC + "PatternConstraintComponent",
    CC + "OrConstraintComponent",
    CC + "MinLengthConstraintComponent",
    CC + "MaxLengthConstraintComponent",
)
#: ... and those on all of a focus node's values together (:class:`_Aggregate`).
MAX_COUNT, UNIQUE_LANG, SPARQL = (
    CC + "MaxCountConstraintComponent",
    CC + "UniqueLangConstraintComponent",
    CC + "SPARQLConstraintComponent",
)
#: SPARQL regular-expression flags, as Python's (others are not checked on a graph).
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}

#: A check of :class:`GraphFirst`: (property shape, constraint component), as the
#: compiled :class:`~kg.shacl_sparql.Check` names it.
Key = tuple[str, str]


@dataclass(frozen=True)
class _GraphCheck:
    key: Key
    focus: frozenset[Node]  # the classes of its focus nodes
    predicate: str  # of its path
    inverse: bool  # the path is ^predicate: a value is the subject
    classes: tuple[frozenset[Node], ...] = ()  # a conforming value is in each
    properties: frozenset[str] = frozenset()  # and breaks none of these (qualified)
    least: int = 1  # values a focus node needs (min count)
    test: Callable[[Node], bool] | None = None  # each value passes (datatype, node kind)


@dataclass(frozen=True)
class _HasValue:
    """A property shape asking its focus nodes for the value ``value`` of
    ``predicate``, held by node shapes targeting the classes ``focus`` or nested in
    property shapes whose paths are the (predicate, inverse) pairs ``outer`` (its focus
    nodes are then their values). Met once a graph, or the vocabularies, say so."""

    key: Key
    predicate: str
    value: Node
    focus: frozenset[Node]
    outer: tuple[tuple[str, bool], ...]


#: (focus side, value) of each statement of a predicate in one graph
Links = list[tuple[Node, Node]]
#: What :meth:`GraphFirst.stated` gives of a node in one graph: bit masks of the
#: aggregates (bit i for the i-th of :attr:`GraphFirst.aggregates`) whose focus node
#: the graph types it, and that it types it or states values of it for; and a hash of
#: its values of the aggregates' predicates in the graph (None when it has none).
#: (Python's hash: graphs giving one set of values give one hash in processes forked
#: from one, as a build's workers are, and different hashes otherwise, which only
#: sends the node to the store; different sets give one hash once in 2**64.)
Stated = tuple[int, int, int | None]


@dataclass(frozen=True)
class _Aggregate:
    """A constraint on all the values a focus node has of some predicates together: at
    most ``n`` values, one per language, or a SPARQL constraint reading only ``$this``'s
    statements of constant predicates. A graph decides it for the nodes that it alone
    types as focus nodes or states values of (see :meth:`GraphFirst.stated`)."""

    key: Key
    focus: frozenset[Node]  # the classes of its focus nodes
    predicates: tuple[str, ...]
    inverse: bool  # (one predicate) its path is ^predicate: a value is the subject
    #: the focus nodes (IRIs) breaking it, given the focus nodes, the links of each
    #: predicate and the nodes' types
    failing: Callable[[set[Node], list[Links], dict[Node, list[Node]]], set[str]]


def _more_than(most: int, focus: set[Node], links: list[Links], _types: object) -> set[str]:
    values: dict[Node, set[Node]] = {}
    for f, v in links[0]:
        if f in focus:
            values.setdefault(f, set()).add(v)
    return {str(f) for f, held in values.items() if len(held) > most}


def _repeated_language(focus: set[Node], links: list[Links], _types: object) -> set[str]:
    # (tags compared ignoring case, as the compiled query does: a graph may only find
    # more nodes broken than the store, which then decides)
    first: dict[tuple[Node, str], Node] = {}
    failing = set()
    for f, v in links[0]:
        if (
            f in focus
            and isinstance(v, Literal)
            and v.language
            and first.setdefault((f, v.language.lower()), v) != v
        ):
            failing.add(str(f))
    return failing


@dataclass(frozen=True)
class _LocalSparql:
    """A compiled SPARQL constraint run on the focus nodes of one graph alone, in a
    store of their own: their types and statements of ``predicates``."""

    query: str
    predicates: tuple[str, ...]

    def __call__(
        self, focus: set[Node], links: list[Links], types: dict[Node, list[Node]]
    ) -> set[str]:
        lines = []
        for predicate, pairs in zip(self.predicates, links, strict=True):
            lines.extend(f"{s.n3()} <{predicate}> {o.n3()} .\n" for s, o in pairs if s in focus)
        # (every focus node, with values or not: the query may look for those without)
        for s in focus:
            lines.extend(f"{s.n3()} <{_TYPE}> {t.n3()} .\n" for t in types[s])
        import pyoxigraph as ox

        store = ox.Store()
        store.load("".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
        return {row["this"].value for row in store.query(self.query)}


def _this_predicates(select: str) -> tuple[str, ...] | None:
    """The predicates of the triple patterns of the SPARQL query ``select`` when each
    is ``$this <predicate> ...`` (no property path, no rdf:type, no sub-query, no
    GRAPH or SERVICE); None otherwise."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    this = Variable("this")
    found: set[str] = set()
    stack: list[object] = [prepareQuery(select).algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            # (the patterns inside EXISTS are left untranslated: GroupGraphPatternSub,
            # TriplesBlock, GraphGraphPattern, SubSelect)
            if node.name in ("Graph", "GraphGraphPattern", "ServiceGraphPattern", "SubSelect"):
                return None
            if node.name == "ToMultiSet" and getattr(node.p, "name", None) != "values":
                return None  # a sub-query: its ?this is not the focus node
            # (CompValue.get gives the key itself for a key it lacks)
            for triple in dict.get(node, "triples") or ():
                if len(triple) != 3:
                    return None
                s, p, _ = triple
                if s != this or not isinstance(p, URIRef) or str(p) == _TYPE:
                    return None
                found.add(str(p))
            stack.extend(v for k, v in node.items() if k != "triples")
        elif isinstance(node, list | tuple | set | frozenset):
            stack.extend(node)
    return tuple(sorted(found)) or None


class GraphFirst:
    """Constraints that one graph can decide for a focus node, checked on each graph
    of a build; the store checks only the focus nodes no graph decided.

    - at least ``n`` values of a property (``sh:minCount``), or values in a class
      (``sh:class``): what a graph holds, the store holds too. A node lacking values
      in a graph that types it, or with a value not in the class in that graph (nor
      in the vocabularies, which every store holds), goes to the store;
    - a value's datatype, node kind, pattern, length, bounds or ``sh:or`` of
      datatypes: the statement alone decides it, and a subject with a failing value
      in a graph goes to the store (whether it is a focus node may take another
      graph);
    - at least one value conforming to a qualified shape on nodes of the local shapes
      (:data:`LOCAL_QUALIFIED`: an evidence node, all of whose statements are in its
      own document's graph, that statement linking it to the focus node included);
    - a value (``sh:hasValue``: a concept in its scheme), of the node shapes' focus
      nodes or of the values of the property shapes nesting it: a value no graph,
      nor the vocabularies, shows to have it goes to the store;
    - at most ``n`` values, one per language, or a SPARQL constraint reading only
      ``$this``'s statements (:attr:`aggregates`): a node a graph shows to break one
      goes to the store, and so do the nodes no one graph decides (:meth:`stated`,
      :class:`Spread`).

    Taken for property shapes whose path is a predicate or an inverse predicate and
    that only node shapes targeting classes (and used by no other shape) hold, beside
    the local shapes. At a million actions these checks read tens of millions of
    statements in the store (the evidence of each action alone: 38 s).

    Examples
    --------
    >>> from kg.namespace import CG
    >>> action = URIRef("https://w3id.org/coopgraph/id/action/a")
    >>> checker = graph_first()
    >>> graph = checker.index([(action, RDF.type, CG.Action)])
    >>> lacking = checker.unsatisfied(graph, [])
    >>> sorted(shape.rsplit("#")[1] for shape, component in lacking if component == COUNT)
    ['Action-partnerCountry-known', 'Action-partnerInstitution', 'Action-source', 'Action-title']
    """

    def __init__(
        self,
        shapes: Graph,
        local: LocalShapes,
        qualified: Iterable[str],
        known: Iterable[Graph] = (),
        sparql: Iterable[Check] = (),
    ):
        self.g = shapes
        self._local = local
        checks = [self._qualified(URIRef(n)) for n in sorted(qualified)]
        aggregates = []
        for prop in sorted({p for p in shapes.objects(None, SH.property) if isinstance(p, URIRef)}):
            taken = None if str(prop) in qualified else self._taken(prop)
            if taken is not None:
                checks += self._plain(prop, *taken)
                aggregates += self._aggregates(prop, *taken)
        aggregates += filter(None, map(self._sparql, sparql))
        self.checks = tuple(checks)
        self.aggregates = tuple(aggregates)
        self.has_values = tuple(
            filter(None, map(self._has_value, sorted(set(shapes.subjects(SH.hasValue, None)))))
        )
        # the aggregates (bit i for the i-th) by class of their focus nodes, and by
        # (predicate, inverse) of their statements
        self._by_class: dict[Node, int] = defaultdict(int)
        self._by_predicate: dict[tuple[str, bool], int] = defaultdict(int)
        for i, a in enumerate(self.aggregates):
            for cls in a.focus:
                self._by_class[cls] |= 1 << i
            for predicate in a.predicates:
                self._by_predicate[predicate, a.inverse] |= 1 << i
        self._targets = frozenset().union(
            *(c.focus for c in (*self.checks, *self.aggregates, *self.has_values))
        )
        #: the types the vocabularies give (held by every store the build writes), and
        #: their statements of the values asked for
        self._known: dict[Node, list[Node]] = defaultdict(list)
        self._known_values: set[tuple[Node, str, Node]] = set()
        for graph in known:
            for s, o in graph.subject_objects(RDF.type):
                self._known[s].append(o)
            for h in self.has_values:
                self._known_values.update(
                    (s, h.predicate, h.value) for s in graph.subjects(URIRef(h.predicate), h.value)
                )

    @property
    def keys(self) -> frozenset[Key]:
        return frozenset(c.key for c in (*self.checks, *self.aggregates, *self.has_values))

    @property
    def predicates(self) -> frozenset[str]:
        """The predicates whose statements the checks read (but rdf:type)."""
        return frozenset(
            {c.predicate for c in self.checks}
            | {p for a in self.aggregates for p in a.predicates}
            | {h.predicate for h in self.has_values}
            | {p for h in self.has_values for p, _ in h.outer}
        )

    @property
    def classes(self) -> frozenset[Node]:
        """The classes of the checks' focus nodes."""
        return self._targets

    def _holders(self, prop: Node) -> set[Node]:
        """The shapes holding ``prop`` (``sh:property``); none unless that is the only
        way any node refers to it."""
        g = self.g
        owners = set(g.subjects(SH.property, prop))
        if set(g.subject_predicates(prop)) != {(o, SH.property) for o in owners}:
            return set()
        return owners

    def _owners(self, prop: URIRef) -> frozenset[Node] | None:
        """The classes targeted by the node shapes holding ``prop``, or None unless
        only node shapes targeting classes, and used by no other shape, hold it."""
        owners = self._holders(prop)
        if not owners:
            return None
        focus: set[Node] = set()
        # (a local shape's checks are made on each graph, and the store skips them
        # whenever it takes these)
        for owner in owners - {URIRef(s) for s in LOCAL_SHAPES}:
            targets = self._targeted(owner)
            if targets is None:
                return None
            focus |= targets
        return frozenset(focus) if focus else None

    def _targeted(self, owner: Node) -> frozenset[Node] | None:
        """The classes node shape ``owner`` targets, or None unless it is a node shape
        (not a local one) targeting classes alone and used by no other shape."""
        g = self.g
        if str(owner) in LOCAL_SHAPES or (owner, RDF.type, SH.NodeShape) not in g:
            return None
        if next(g.subjects(None, owner), None) is not None:  # used by another shape
            return None
        for p in set(g.predicates(owner, None)):
            if str(p).startswith(CC + "target") and p != SH.targetClass:
                return None
            if p == SH.deactivated:
                return None
        focus = frozenset().union(
            *(self._local._instances(t) for t in g.objects(owner, SH.targetClass))
        )
        return focus or None

    def _path(self, prop: Node) -> tuple[str, bool] | None:
        g = self.g
        path = g.value(prop, SH.path)
        if isinstance(path, URIRef) and str(path) != _TYPE:
            return str(path), False
        inverse = g.value(path, SH.inversePath) if isinstance(path, BNode) else None
        if isinstance(inverse, URIRef) and len(set(g.predicates(path, None))) == 1:
            return str(inverse), True
        return None

    def _taken(self, prop: URIRef) -> tuple[frozenset[Node], tuple[str, bool]] | None:
        """The focus classes and the path (predicate, inverse) of property shape
        ``prop`` when its checks are taken (see the class's docstring), else None."""
        focus, path = self._owners(prop), self._path(prop)
        if focus is None or path is None or (prop, SH.deactivated, None) in self.g:
            return None
        return focus, path

    def _plain(
        self, prop: URIRef, focus: frozenset[Node], path: tuple[str, bool]
    ) -> list[_GraphCheck]:
        g = self.g
        out = []
        classes = tuple(
            self._local._instances(c) for c in sorted(g.objects(prop, SH["class"]), key=str)
        )
        if classes:
            out.append(_GraphCheck((str(prop), CLASS), focus, *path, classes=classes))
        # (one value each: two would be two checks under one key, decided as one)
        least = _only(g.objects(prop, SH.minCount))
        if least is not None and int(least) > 0:
            out.append(_GraphCheck((str(prop), COUNT), focus, *path, least=int(least)))
        wanted = _only(g.objects(prop, SH.datatype))
        if wanted is not None:
            test = partial(_has_datatype, str(wanted))
            out.append(_GraphCheck((str(prop), DATATYPE), focus, *path, test=test))
        kind = _only(g.objects(prop, SH.nodeKind))
        if kind in _KINDS:
            out.append(_GraphCheck((str(prop), NODE_KIND), focus, *path, test=_KINDS[kind]))
        pattern = _only(g.objects(prop, SH.pattern))
        flags = g.value(prop, SH.flags)
        if pattern is not None and set(str(flags or "")) <= set(_FLAGS):
            test = partial(_matches, re.compile(str(pattern), _re_flags(flags)))
            out.append(_GraphCheck((str(prop), PATTERN), focus, *path, test=test))
        datatypes = self._datatypes_or(_only(g.objects(prop, SH["or"])))
        if datatypes:
            test = partial(_has_datatype_in, datatypes)
            out.append(_GraphCheck((str(prop), OR), focus, *path, test=test))
        for bound, key, keeps in ((SH.minLength, MIN_LENGTH, ge), (SH.maxLength, MAX_LENGTH, le)):
            length = _only(g.objects(prop, bound))
            if length is not None:
                test = partial(_length_is, keeps, int(length))
                out.append(_GraphCheck((str(prop), key), focus, *path, test=test))
        for bound, (component, holds) in _BOUNDS.items():
            limit = _only(g.objects(prop, bound))
            if limit is not None:
                test = partial(_within, holds, limit)
                out.append(_GraphCheck((str(prop), CC + component), focus, *path, test=test))
        return out

    def _has_value(self, prop: Node) -> _HasValue | None:
        """``prop``'s ``sh:hasValue`` when its path is a predicate and it is held only
        by node shapes targeting classes and by property shapes whose paths are
        predicates or inverse predicates."""
        g = self.g
        value = _only(g.objects(prop, SH.hasValue))
        path = self._path(prop)
        if value is None or path is None or path[1] or (prop, SH.deactivated, None) in g:
            return None
        owners = self._holders(prop)
        if not owners:
            return None
        focus: set[Node] = set()
        outer = []
        for owner in sorted(owners, key=str):
            if (owner, SH.path, None) in g:
                # (its values, whatever node has them: a superset of its focus nodes')
                if (through := self._path(owner)) is None:
                    return None
                outer.append(through)
            elif (targets := self._targeted(owner)) is not None:
                focus |= targets
            else:
                return None
        key = (str(prop), CC + "HasValueConstraintComponent")
        return _HasValue(key, path[0], value, frozenset(focus), tuple(sorted(set(outer))))

    def _datatypes_or(self, members: Node | None) -> frozenset[str]:
        """The datatypes of the list ``members`` of an ``sh:or`` when each member is a
        shape with one ``sh:datatype`` and nothing else; empty otherwise."""
        if members is None:
            return frozenset()
        found = set()
        for member in Collection(self.g, members):
            said = set(self.g.predicate_objects(member)) - {(RDF.type, SH.NodeShape)}
            if len(said) != 1 or next(iter(said))[0] != SH.datatype:
                return frozenset()
            found.add(str(next(iter(said))[1]))
        return frozenset(found)

    def _aggregates(
        self, prop: URIRef, focus: frozenset[Node], path: tuple[str, bool]
    ) -> list[_Aggregate]:
        """The max count and unique-language constraints of ``prop``."""
        g = self.g
        predicate, inverse = path
        out = []
        most = _only(g.objects(prop, SH.maxCount))
        if most is not None:
            failing = partial(_more_than, int(most))
            out.append(_Aggregate((str(prop), MAX_COUNT), focus, (predicate,), inverse, failing))
        if _only(g.objects(prop, SH.uniqueLang)) == Literal(True):
            key = (str(prop), UNIQUE_LANG)
            out.append(_Aggregate(key, focus, (predicate,), inverse, _repeated_language))
        return out

    def _sparql(self, check: Check) -> _Aggregate | None:
        """``check`` (compiled) as an aggregate, when it is the one SPARQL constraint of
        a node shape targeting classes and reads only ``$this``'s statements."""
        g = self.g
        if check.component != SPARQL:
            return None
        shape = URIRef(check.node_shape)
        focus = self._targeted(shape)
        constraint = _only(g.objects(shape, SH.sparql))
        if focus is None or constraint is None or (constraint, SH.deactivated, None) in g:
            return None
        prefixes = sorted(
            f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>"
            for source in g.objects(constraint, SH.prefixes)
            for d in g.objects(source, SH.declare)
        )
        select = "\n".join([*prefixes, str(g.value(constraint, SH.select))])
        predicates = _this_predicates(select)
        if predicates is None:
            return None
        failing = _LocalSparql(check.query, predicates)
        return _Aggregate((str(shape), SPARQL), focus, predicates, False, failing)

    def _qualified(self, prop: URIRef) -> _GraphCheck:
        g = self.g
        allowed = {RDF.type, SH.path, SH.qualifiedValueShape, SH.qualifiedMinCount}
        allowed |= {SH.message, SH.severity, SH.name, SH.description}
        for p in set(g.predicates(prop, None)) - allowed:
            if str(p).startswith(CC):
                raise UnsupportedShape(f"{prop}: {p} (not checked locally)")
        path = self._path(prop)
        if path is None or not path[1]:
            raise UnsupportedShape(f"{prop}: a path other than one inverse predicate")
        if g.value(prop, SH.qualifiedMinCount) != Literal(1):
            raise UnsupportedShape(f"{prop}: a qualified minimum count other than 1")
        qualified = g.value(prop, SH.qualifiedValueShape)
        for p in set(g.predicates(qualified, None)) - {RDF.type, SH["class"], SH.property}:
            raise UnsupportedShape(f"{prop}: {p} in the qualified shape")
        classes = tuple(
            self._local._instances(c) for c in sorted(g.objects(qualified, SH["class"]), key=str)
        )
        properties = frozenset(str(p) for p in g.objects(qualified, SH.property))
        # a value in the classes is a focus node of a local shape with those properties,
        # so its results are among the local shapes' results
        if not any(
            shape.classes >= members and properties <= {q.shape for q in shape.properties}
            for shape in self._local.shapes
            for members in classes
        ):
            raise UnsupportedShape(f"{prop}: its qualified shape is not on a local shape's nodes")
        focus = self._owners(prop)
        if focus is None:
            raise UnsupportedShape(f"{prop}: not only on node shapes targeting classes")
        return _GraphCheck((str(prop), QUALIFIED), focus, *path, classes, properties)

    def index(self, triples: Iterable[Triple], also: Iterable[str] = ()) -> Indexed:
        """``triples`` indexed for both these checks and the local shapes' (and the
        predicates ``also``)."""
        return self._local.index(triples, also=[*sorted(self.predicates), *also])

    def unsatisfied(
        self, graph: Indexed, local_violations: Iterable[Violation]
    ) -> dict[Key, set[str]]:
        """Check -> the focus nodes (IRIs) ``graph`` (one graph, :meth:`index`-ed) did
        not show to meet it; ``local_violations`` is what the local shapes report on
        the same graph."""
        types, pairs = graph
        broken: dict[str, set[str]] = defaultdict(set)
        for v in local_violations:
            broken[v.focus].add(v.shape)
        # (one pass over the typed nodes, most of them evidence no check here targets)
        targets = self._targets
        typed_here = {s: listed for s, listed in types.items() if not targets.isdisjoint(listed)}
        focus_of: dict[frozenset[Node], set[Node]] = {}  # (checks share their targets)
        counted: dict[tuple[str, bool], Counter[Node]] = {}
        out: dict[Key, set[str]] = {}
        for c in self.checks:
            # (focus side, value) of each statement of the path
            links = [(o, s) for s, o in pairs[c.predicate]] if c.inverse else pairs[c.predicate]
            if c.test is not None:
                # a statement's value alone decides: any subject with one that fails
                lacking = {str(f) for f, v in links if not c.test(v)}
            elif c.key[1] == CLASS:
                lacking = self._outside_classes(c, links, types)
            else:
                focus = focus_of.get(c.focus)
                if focus is None:
                    focus = focus_of[c.focus] = {
                        s for s, listed in typed_here.items() if not c.focus.isdisjoint(listed)
                    }
                if not focus:
                    continue
                if c.key[1] == COUNT:
                    side = (c.predicate, c.inverse)
                    if side not in counted:
                        counted[side] = Counter(map(itemgetter(0), links))
                    lacking = {str(f) for f in focus if counted[side][f] < c.least}
                else:
                    lacking = _without_qualified(c, links, focus, types, broken)
            if lacking:
                out[c.key] = lacking
        for h in self.has_values:
            focus = {s for s, listed in typed_here.items() if not h.focus.isdisjoint(listed)}
            for predicate, inverse in h.outer:
                focus.update(v for _, v in _oriented(pairs[predicate], inverse))
            if not focus:
                continue
            focus.difference_update(s for s, o in pairs[h.predicate] if o == h.value)
            known = self._known_values
            lacking = {f for f in focus if (f, h.predicate, h.value) not in known}
            if lacking:
                # (a literal has no statements, and a query cannot list it)
                every = any(not isinstance(f, URIRef) for f in lacking)
                out[h.key] = {EVERY_NODE} if every else set(map(str, lacking))
        # the aggregates: the nodes this graph shows breaking one (the nodes stated in
        # other graphs too are added later: see stated)
        for a in self.aggregates:
            focus = focus_of.get(a.focus)
            if focus is None:
                focus = focus_of[a.focus] = {
                    s for s, listed in typed_here.items() if not a.focus.isdisjoint(listed)
                }
            if focus:
                links = [_oriented(pairs[p], a.inverse) for p in a.predicates]
                if failing := a.failing(focus, links, types):
                    out[a.key] = failing
        return out

    def stated(self, graph: Indexed) -> dict[str, Stated]:
        """The nodes of ``graph`` (:meth:`index`-ed) that the aggregates' results
        depend on: each node typed here as a focus node of one, or stated here to have
        a value of one's predicates (on the focus side); see :data:`Stated`.

        A node no other graph gives (:class:`Spread`) is decided by this graph alone,
        where :meth:`unsatisfied` checked it: this graph holds all its values, and
        types it as a focus node if any graph does."""
        types, pairs = graph
        typed: dict[str, int] = {}
        values: dict[str, set[tuple[str, Node]]] = {}
        for node, listed in types.items():
            mask = 0
            for cls in listed:
                mask |= self._by_class.get(cls, 0)
            if mask:
                typed[str(node)] = mask
        involved = dict(typed)
        for (predicate, inverse), mask in self._by_predicate.items():
            for s, o in _oriented(pairs[predicate], inverse):
                if isinstance(s, Literal):
                    # (the subject of an inverse path's statement: never a focus node,
                    # which a class targets, and a text Spread's lines cannot hold)
                    continue
                node = str(s)
                involved[node] = involved.get(node, 0) | mask
                values.setdefault(node, set()).add((predicate, o))
        return {
            node: (
                typed.get(node, 0),
                mask,
                hash(frozenset(held)) if (held := values.get(node)) else None,
            )
            for node, mask in involved.items()
        }

    def _outside_classes(
        self, c: _GraphCheck, links: list[tuple[Node, Node]], types: dict[Node, list[Node]]
    ) -> set[str]:
        """Any subject with a value outside a class (here and in the vocabularies):
        whether it is a focus node may take another graph's statements."""
        verdicts: dict[Node, bool] = {}  # (a document names few values)
        lacking = set()
        for f, v in links:
            good = verdicts.get(v)
            if good is None:
                held = (*types.get(v, ()), *self._known.get(v, ()))
                good = verdicts[v] = all(not m.isdisjoint(held) for m in c.classes)
            if not good:
                lacking.add(str(f))
        return lacking


class Spread:
    """The nodes :meth:`GraphFirst.stated` gives, graph by graph, kept in files in
    ``folder`` (one per process writing to it); :meth:`shared` finds those stated in
    more than one graph, whose aggregates no one graph decides.

    At a million actions they are some three million nodes: as strings in a Python set
    they would take more memory than a build has to spare; here they are read back
    twice, counted the first time as a 64-bit hash each (24 MB).

    Examples
    --------
    >>> import tempfile
    >>> from rdflib.namespace import DCTERMS
    >>> from kg.namespace import CG
    >>> action = URIRef("https://w3id.org/coopgraph/id/action/a")
    >>> checker = graph_first()
    >>> typed = checker.index([(action, RDF.type, CG.Action)])
    >>> titled = checker.index([(action, DCTERMS.title, Literal("A"))])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     spread = Spread(checker, Path(folder))
    ...     spread.add(checker.stated(typed))
    ...     spread.add(checker.stated(titled))
    ...     shared = spread.shared()

    One graph types the action, another gives its title: the store decides the
    aggregates on its title (which the second graph alone could not: it does not
    type the action), not those on its other values, which the first graph holds.

    >>> sorted(shape.rsplit("#")[1] for shape, _ in shared)
    ['Action-title']
    """

    def __init__(self, checker: GraphFirst, folder: Path):
        self.checker = checker
        self.folder = folder

    def add(self, stated: dict[str, Stated]) -> None:
        """Keep what :meth:`GraphFirst.stated` gave on one graph."""
        if not stated:
            return
        text = "".join(
            f"{typed:x} {involved:x} {'-' if values is None else values} {node}\n"
            for node, (typed, involved, values) in stated.items()
        )
        with (self.folder / f"{os.getpid()}.txt").open("a", encoding="utf-8") as out:
            out.write(text)

    def _lines(self) -> Iterator[list[str]]:
        """[typed, involved, values, node] of each node kept."""
        for path in sorted(self.folder.glob("*.txt")):
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    yield line.rstrip("\n").split(" ", 3)

    def shared(self) -> dict[Key, set[str]]:
        """Aggregate -> the nodes (IRIs) it may find broken that no one graph decided:
        a focus node of it whose values of its predicates more than one graph gives,
        or that one graph gives and another types (unless every graph stating values
        of the aggregates states the same ones, and one of them types it)."""
        import numpy as np

        hashes = np.fromiter((hash(line[3]) for line in self._lines()), dtype=np.int64)
        hashes.sort()
        repeated = set(hashes[1:][hashes[1:] == hashes[:-1]].tolist())
        del hashes
        given: dict[str, list[tuple[int, int, str]]] = {}
        for typed, involved, values, node in self._lines():
            if hash(node) in repeated:
                given.setdefault(node, []).append((int(typed, 16), int(involved, 16), values))
        out: dict[Key, set[str]] = {}
        for node, lines in given.items():
            focus = 0
            for typed, _, _ in lines:
                focus |= typed
            valued = {values for _, _, values in lines if values != "-"}
            for i, a in enumerate(self.checker.aggregates):
                bit = 1 << i
                if not focus & bit or sum(1 for _, m, _ in lines if m & bit) < 2:
                    continue  # no graph types it, or one types it and holds its values
                if not valued:
                    continue  # no values anywhere: each graph typing it decided alike
                if len(valued) == 1 and any(t & bit and v in valued for t, _, v in lines):
                    continue  # the same values everywhere, in a graph typing it too
                out.setdefault(a.key, set()).add(node)
        return out


def _without_qualified(
    c: _GraphCheck,
    links: list[tuple[Node, Node]],
    focus: set[Node],
    types: dict[Node, list[Node]],
    broken: dict[str, set[str]],
) -> set[str]:
    """The focus nodes with no value of ``c``'s qualified shape among ``links``: in
    a class of each, breaking none of its local property shapes. (A loop over every
    evidence statement of a document: the cheap tests first, and a focus node's other
    values skipped once one conforms.)"""
    satisfied: set[Node] = set()
    for f, v in links:
        if f in satisfied or f not in focus:
            continue
        listed = types.get(v)
        if listed is None or any(m.isdisjoint(listed) for m in c.classes):
            continue
        if broken and not c.properties.isdisjoint(broken.get(str(v), ())):
            continue
        satisfied.add(f)
    return {str(f) for f in focus - satisfied}


def _only(values: Iterable[Node]) -> Node | None:
    """The one value of ``values``; None when there are none or several."""
    found = list(values)
    return found[0] if len(found) == 1 else None


def _has_datatype(wanted: str, value: Node) -> bool:
    return datatype(value) == wanted


def _has_datatype_in(wanted: frozenset[str], value: Node) -> bool:
    return datatype(value) in wanted


def _matches(pattern: re.Pattern[str], value: Node) -> bool:
    return not isinstance(value, BNode) and pattern.search(str(value)) is not None


def _length_is(keeps: Callable[[int, int], bool], length: int, value: Node) -> bool:
    return not isinstance(value, BNode) and keeps(len(str(value)), length)


def _within(holds: Callable[[int], bool], bound: Node, value: Node) -> bool:
    return (order := _order(value, bound)) is not None and holds(order)


def _re_flags(flags: Node | None) -> int:
    out = 0
    for flag in str(flags or ""):
        out |= _FLAGS[flag]
    return out


def _oriented(pairs: Links, inverse: bool) -> Links:
    """(focus side, value) of the statements ``pairs``."""
    return [(o, s) for s, o in pairs] if inverse else pairs


@lru_cache(maxsize=1)
def graph_first() -> GraphFirst:
    """The project's :class:`GraphFirst` checks, ready (once a process)."""
    from kg.ontology import vocabulary_graphs

    return GraphFirst(
        shapes_graph(),
        local_shapes(),
        LOCAL_QUALIFIED,
        vocabulary_graphs().values(),
        sparql=compiled(),
    )


@lru_cache(maxsize=1)
def local_shapes() -> LocalShapes:
    """The project's :data:`LOCAL_SHAPES`, compiled against its ontology (once a
    process)."""
    from kg.ontology import load_ontology

    return LocalShapes(shapes_graph(), load_ontology(vocabularies=False), LOCAL_SHAPES)


__all__ = [
    "LOCAL_QUALIFIED",
    "LOCAL_SHAPES",
    "GraphFirst",
    "Indexed",
    "LocalShapes",
    "Spread",
    "datatype",
    "graph_first",
    "local_shapes",
]
