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

Other shapes' constraints that one graph can show a node meets (a minimum count,
values in a class, a qualified value on evidence) are checked on each graph too
(:class:`GraphFirst`), and the store checks only the nodes no graph showed to meet
them.

Values are compared as the store will hold them: Oxigraph stores an integer of any
integer-derived datatype (``xsd:int``, ``xsd:nonNegativeInteger``...) as
``xsd:integer``, so that is its datatype here too.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from operator import itemgetter
from typing import NamedTuple

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from kg.shacl_sparql import UnsupportedShape, subclasses_of
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


class GraphFirst:
    """Constraints that one graph can show a focus node meets, checked on each graph
    of a build; the store checks only the focus nodes no graph showed to meet them.

    - at least ``n`` values of a property (``sh:minCount``), or values in a class
      (``sh:class``): what a graph holds, the store holds too. A node lacking values
      in a graph that types it, or with a value not in the class in that graph (nor
      in the vocabularies, which every store holds), goes to the store;
    - a value's datatype or node kind: the statement alone decides it, and a subject
      with a failing value in a graph goes to the store (whether it is a focus node
      may take another graph);
    - at least one value conforming to a qualified shape on nodes of the local shapes
      (:data:`LOCAL_QUALIFIED`: an evidence node, all of whose statements are in its
      own document's graph, that statement linking it to the focus node included).

    Taken for property shapes whose path is a predicate or an inverse predicate and
    that only node shapes targeting classes (and used by no other shape) hold. At a
    million actions these checks read tens of millions of statements in the store
    (the evidence of each action alone: 38 s).

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
    ):
        self.g = shapes
        self._local = local
        checks = [self._qualified(URIRef(n)) for n in sorted(qualified)]
        for prop in sorted({p for p in shapes.objects(None, SH.property) if isinstance(p, URIRef)}):
            if str(prop) not in qualified:
                checks += self._plain(prop)
        self.checks = tuple(checks)
        self._targets = frozenset().union(*(c.focus for c in self.checks))
        #: the types the vocabularies give (held by every store the build writes)
        self._known: dict[Node, list[Node]] = defaultdict(list)
        for graph in known:
            for s, o in graph.subject_objects(RDF.type):
                self._known[s].append(o)

    @property
    def keys(self) -> frozenset[Key]:
        return frozenset(c.key for c in self.checks)

    def _owners(self, prop: URIRef) -> frozenset[Node] | None:
        """The classes targeted by the node shapes holding ``prop``, or None unless
        only node shapes targeting classes, and used by no other shape, hold it."""
        g = self.g
        owners = set(g.subjects(SH.property, prop))
        if not owners or set(g.subject_predicates(prop)) != {(o, SH.property) for o in owners}:
            return None
        focus: set[Node] = set()
        for owner in owners:
            if str(owner) in LOCAL_SHAPES or (owner, RDF.type, SH.NodeShape) not in g:
                return None
            if next(g.subjects(None, owner), None) is not None:  # used by another shape
                return None
            for p in set(g.predicates(owner, None)):
                if str(p).startswith(CC + "target") and p != SH.targetClass:
                    return None
                if p == SH.deactivated:
                    return None
            for target in g.objects(owner, SH.targetClass):
                focus |= self._local._instances(target)
        return frozenset(focus) if focus else None

    def _path(self, prop: Node) -> tuple[str, bool] | None:
        g = self.g
        path = g.value(prop, SH.path)
        if isinstance(path, URIRef) and str(path) != _TYPE:
            return str(path), False
        inverse = g.value(path, SH.inversePath) if isinstance(path, BNode) else None
        if isinstance(inverse, URIRef) and len(set(g.predicates(path, None))) == 1:
            return str(inverse), True
        return None

    def _plain(self, prop: URIRef) -> list[_GraphCheck]:
        g = self.g
        focus, path = self._owners(prop), self._path(prop)
        if focus is None or path is None or (prop, SH.deactivated, None) in g:
            return []
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
        return out

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
        return self._local.index(triples, also=[*(c.predicate for c in self.checks), *also])

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
        return out

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


@lru_cache(maxsize=1)
def graph_first() -> GraphFirst:
    """The project's :class:`GraphFirst` checks, ready (once a process)."""
    from kg.ontology import vocabulary_graphs

    return GraphFirst(shapes_graph(), local_shapes(), LOCAL_QUALIFIED, vocabulary_graphs().values())


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
    "datatype",
    "graph_first",
    "local_shapes",
]
