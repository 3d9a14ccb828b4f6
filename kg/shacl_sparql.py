"""The SHACL shapes compiled to SPARQL and run inside Oxigraph.

pySHACL over a whole store is slow (minutes at a hundred thousand actions, hours
beyond) and wrong over an Oxigraph-backed graph (see MEASURED.md). The shapes are
local to their focus nodes, so each constraint of each shape becomes one SPARQL
``SELECT`` that returns the focus nodes violating it; Oxigraph evaluates those over
the union of the store's graphs (the data, the vocabularies and the ontology, whose
``rdfs:subClassOf`` triples give SHACL's class semantics). The report is the same
:class:`~kg.validate.ValidationReport` pySHACL gives; the test suite checks that both
report the same results on every shape fixture.

Supported: targets by class; predicate, inverse and alternative paths; the core
components the shapes use (min/max count, datatype, class, node kind, pattern, in,
has value, min/max inclusive, unique language, language in, disjoint, less than or
equals, or, qualified value shape with min/max count, nested property shapes) and
SPARQL-based constraints. A shape that uses anything else raises
:class:`UnsupportedShape` rather than being skipped.

The build runs the document-local shapes (evidence) on each document's graph instead
(:mod:`kg.shacl_local`) and these checks for the rest (``skip``); ``coopgraph validate
--store`` runs their checks here, on one graph at a time (``per_graph``).
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.validate import (
    VIOLATION,
    ValidationReport,
    Violation,
    render_path,
    shapes_graph,
)

RDFS_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
CC = "http://www.w3.org/ns/shacl#"
#: A count no result reaches.
NO_LIMIT = 1000000000000000
#: A LIMIT no result reaches: it only stops the optimiser moving filters across it.
BARRIER = f"LIMIT {NO_LIMIT}"
#: Stands for the value variable in an expression built before the variable is named.
VALUE = "?__value__"
#: Marks, in a check grouping every statement of a property by focus node, where a
#: list of focus nodes restricts it before the grouping (see _restricted): a comment.
LISTED = "#listed\n"

#: Focus nodes fewer than this are looked up one by one rather than found from a scan
#: of the values (a look-up costs tens of microseconds; a scan of a property stated of
#: every action, seconds at a million).
FEW_FOCUS_NODES = 10_000
#: Statements fewer than this are held in memory to find the focus nodes lacking one
#: (an anti-join: a tenth of the time of a look-up per focus node, but Oxigraph holds
#: ~300 bytes a statement, and the 21M derivations of a million actions took 6 GB).
HELD_STATEMENTS = 3_000_000
#: A check starts from its focus nodes, however many, when the property has this many
#: times more statements than there are focus nodes.
PART = 5


@dataclass(frozen=True)
class Limits:
    """When :func:`validate_store` takes a check's other plans (see :class:`Check`);
    the report does not depend on them."""

    few: int = FEW_FOCUS_NODES
    held: int = HELD_STATEMENTS
    #: focus nodes up to this many are counted, to compare with the statements
    counted: int = 200_000


#: Components whose violations are focus nodes *lacking* something: these start from
#: the focus nodes; all others start from the values that break them.
FOCUS_FIRST = {
    "MinCountConstraintComponent",
    "HasValueConstraintComponent",
    "QualifiedMinCountConstraintComponent",
}


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature this compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query selecting ``?this`` (and message variables)."""

    query: str
    shape: str
    path: str | None
    component: str
    severity: str
    message: str
    #: the node shape it belongs to (a property shape can be shared by several)
    node_shape: str = ""
    #: the pattern binding its focus nodes, and ``query`` starting from them instead
    #: of from the values (for constraints whose query starts from the values; empty
    #: otherwise): taken when the focus nodes are fewer than :attr:`Limits.few`, or
    #: fewer than 1/:data:`PART` of the statements of the path
    focus: str = ""
    focus_first: str = ""
    #: the pattern of the statements of the path; for a focus node lacking one (min
    #: count 1, has value), ``query`` as an anti-join with them instead of a look-up
    #: per focus node: taken when they are fewer than :attr:`Limits.held` and at most
    #: twice the focus nodes
    statements: str = ""
    anti_join: str = ""
    #: for a nested shape's check, the pattern binding the outer shape's focus nodes
    #: and ``query`` with the values found from them (not each distinct value first):
    #: taken when they are fewer than :attr:`Limits.few`
    outer: str = ""
    outer_first: str = ""


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShape(f"a blank node as a constraint value: {node!r}")


def _lacking(body: str) -> str:
    """The pattern of ``FILTER NOT EXISTS { pattern }`` when ``body`` is only that."""
    head = "FILTER NOT EXISTS {"
    if not (body.startswith(head) and body.endswith("}")):
        return ""
    inner = body[len(head) : -1]
    return inner if "{" not in inner else ""


def _string(text: str) -> str:
    """A SPARQL string literal holding ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _by_text(pair: tuple[Node, Node]) -> tuple[str, str]:
    return str(pair[0]), str(pair[1])


class _Vars:
    """Fresh variable names, so nested patterns never capture each other's variables."""

    def __init__(self) -> None:
        self._n = itertools.count()

    def __call__(self, stem: str) -> str:
        return f"?{stem}{next(self._n)}"


def subclasses_of(subclasses: dict[Node, set[Node]], cls: Node) -> set[Node]:
    """``cls`` and its sub-classes, direct or not, given each class's direct ones."""
    found, todo = {cls}, [cls]
    while todo:
        for sub in subclasses.get(todo.pop(), ()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


class Compiler:
    """Compiles a shapes graph into :class:`Check` queries."""

    def __init__(self, shapes: Graph, ontology: Graph | None = None):
        self.g = shapes
        self.vars = _Vars()
        #: class -> itself and its sub-classes, from the ontology's rdfs:subClassOf
        self.subclasses: dict[Node, set[Node]] = {}
        if ontology is not None:
            for sub, sup in ontology.subject_objects(RDFS.subClassOf):
                self.subclasses.setdefault(sup, set()).add(sub)

    def _instances(self, cls: Node) -> set[Node]:
        return subclasses_of(self.subclasses, cls)

    def _typed(self, v: str, cls: Node) -> str:
        """A pattern matching when node ``v`` is an instance of ``cls``: a look-up of
        its types among the classes' closure when the ontology was given (a third of
        the time of following rdfs:subClassOf* in the store), as for the targets."""
        if not self.subclasses:
            return f"{v} {RDF_TYPE}/{RDFS_SUBCLASS}* {_term(cls)}"
        classes = sorted(self._instances(cls), key=str)
        if len(classes) == 1:
            return f"{v} {RDF_TYPE} {_term(classes[0])}"
        t = self.vars("t")
        return f"VALUES {t} {{ {' '.join(_term(c) for c in classes)} }} {v} {RDF_TYPE} {t}"

    def _focus(self, targets: list[Node]) -> str:
        """``?this`` bound to the instances of ``targets`` (sub-classes included: from
        the ontology when it was given, else through rdfs:subClassOf* in the data)."""
        if not self.subclasses:
            return " UNION ".join(
                f"{{ ?this {RDF_TYPE}/{RDFS_SUBCLASS}* {_term(c)} }}" for c in targets
            )
        classes = sorted({c for t in targets for c in self._instances(t)}, key=str)
        if len(classes) == 1:
            return f"?this {RDF_TYPE} {_term(classes[0])} ."
        return f"VALUES ?cls {{ {' '.join(_term(c) for c in classes)} }} ?this {RDF_TYPE} ?cls ."

    # -- the shapes ------------------------------------------------------------
    def checks(self) -> list[Check]:
        found: list[Check] = []
        for shape in sorted(set(self.g.subjects(RDF.type, SH.NodeShape)), key=str):
            targets = sorted(self.g.objects(shape, SH.targetClass), key=str)
            if not targets:
                continue
            for other in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
                if self.g.value(shape, other) is not None:
                    raise UnsupportedShape(f"{shape}: {other} targets")
            focus = self._focus(targets)
            mine: list[Check] = []
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                mine.extend(self._property_checks(prop, focus))
            for sparql in sorted(self.g.objects(shape, SH.sparql), key=str):
                mine.append(self._sparql_check(shape, sparql, focus))
            found.extend(replace(check, node_shape=str(shape)) for check in mine)
            self._refuse_node_constraints(shape)
        return found

    def _refuse_node_constraints(self, shape: Node) -> None:
        allowed = {
            RDF.type,
            SH.targetClass,
            SH.property,
            SH.sparql,
            SH.message,
            SH.severity,
            SH.name,
            SH.description,
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
            URIRef("http://www.w3.org/2004/02/skos/core#definition"),
        }
        for p in set(self.g.predicates(shape, None)) - allowed:
            if str(p).startswith(CC):
                raise UnsupportedShape(f"{shape}: node-level {p}")

    def _meta(self, node: Node, default_severity: str = VIOLATION) -> tuple[str, str, str]:
        severity = self.g.value(node, SH.severity)
        messages = sorted(str(m) for m in self.g.objects(node, SH.message))
        return (
            str(severity) if severity is not None else default_severity,
            messages[0] if messages else "",
            str(node) if isinstance(node, URIRef) else "_:",
        )

    def _property_checks(self, prop: Node, focus: str, nested: bool = False) -> Iterator[Check]:
        path_node = self.g.value(prop, SH.path)
        path = render_path(self.g, path_node)
        shown = render_path(self.g, path_node, top=True)
        severity, message, shape = self._meta(prop)
        for component, body in self._constraints(prop, "?this", path):
            check = Check("", shape, shown, CC + component, severity, message, focus=focus)
            if component in FOCUS_FIRST:
                # (no anti-join of a nested shape's values: Oxigraph took minutes over
                # their subquery; nor of a qualified shape: its statements are tested)
                lacking = ""
                if not nested and component != "QualifiedMinCountConstraintComponent":
                    lacking = _lacking(body)
                anti_join = f"SELECT DISTINCT ?this WHERE {{ {{ {focus} }} MINUS {{ {lacking} }} }}"
                yield replace(
                    check,
                    query=f"SELECT DISTINCT ?this WHERE {{ {{ {focus} }} {body} }}",
                    statements=lacking,
                    anti_join=anti_join if lacking else "",
                )
                continue
            # the offending values first (a scan of the property), then their
            # subjects' classes: cheaper than looking up every focus node's values,
            # unless the focus nodes are few and the property is everyone's (the
            # titles of a few events among a million actions': 0.23 s -> 8 ms at 10k)
            yield replace(
                check,
                query=(
                    f"SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {body} }} }}"
                    f" {{ {focus} }} }}"
                ),
                focus_first=(
                    f"SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }}"
                    f" {BARRIER} }} {body} }}"
                ),
                statements=f"[] {path} [] .",
            )
        # a property shape's own sh:property applies to its value nodes, which are
        # then the focus nodes of the nested shape's results
        for inner in sorted(self.g.objects(prop, SH.property), key=str):
            outer = self.vars("f")
            renamed = focus.replace("?this", outer)
            # each distinct value of the path once (a scan of the property), kept when
            # some outer focus node names it: the outer focus nodes are many (every
            # action) and their values few (a vocabulary's terms), and joining the
            # first to the path took 54 s at a million actions...
            distinct = f"SELECT DISTINCT ?this WHERE {{ [] {path} ?this }} {BARRIER}"
            by_values = f"{{ {distinct} }} FILTER EXISTS {{ {outer} {path} ?this . {renamed} }}"
            # ...or the values of the outer focus nodes when these are few: the themes
            # of a few events, which every action names too, took minutes the other way
            outer_focus = f"SELECT DISTINCT {outer} WHERE {{ {{ {renamed} }} }}"
            by_outer = f"SELECT DISTINCT ?this WHERE {{ {{ {outer_focus} }} {outer} {path} ?this }}"
            both = zip(
                self._property_checks(inner, by_values, nested=True),
                self._property_checks(inner, by_outer, nested=True),
                strict=True,
            )
            for check, other in both:
                yield replace(check, outer=focus, outer_first=other.query)

    # -- constraints -----------------------------------------------------------
    def _constraints(self, prop: Node, this: str, path: str) -> Iterator[tuple[str, str]]:
        """(component local name, violation pattern over ``this``) per constraint."""
        g = self.g
        v = self.vars("v")
        values = f"{this} {path} {v} ."
        handled = {RDF.type, SH.path, SH.message, SH.severity, SH.name, SH.description}
        for p, o in sorted(g.predicate_objects(prop), key=_by_text):
            if p in handled or p in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
                continue
            if p == SH.minCount:
                if int(o) > 0:
                    yield "MinCountConstraintComponent", self._count(this, path, "<", int(o))
            elif p == SH.maxCount:
                yield "MaxCountConstraintComponent", self._count(this, path, ">", int(o))
            elif p == SH.qualifiedValueShape:
                yield from self._qualified(prop, o, this, path)
            elif p == SH.hasValue:
                yield (
                    "HasValueConstraintComponent",
                    (f"FILTER NOT EXISTS {{ {this} {path} {_term(o)} }}"),
                )
            elif p == SH.uniqueLang:
                if o.toPython() is not True:
                    continue
                if this == "?this":
                    # grouped over distinct values: the union repeats a label once per
                    # document stating it, and a self-join of those repeats grew with
                    # their square (120 s at 100k actions)
                    lang = self.vars("l")
                    distinct = (
                        f"SELECT DISTINCT ?this {v} WHERE {{ {LISTED}?this {path} {v} . "
                        f'FILTER(isLiteral({v}) && LANG({v}) != "") }}'
                    )
                    yield (
                        "UniqueLangConstraintComponent",
                        f"{{ SELECT ?this WHERE {{ {{ {distinct} }} }} "
                        f"GROUP BY ?this (LCASE(LANG({v})) AS {lang}) HAVING (COUNT({v}) > 1) }}",
                    )
                    continue
                w = self.vars("w")
                yield (
                    "UniqueLangConstraintComponent",
                    (
                        f"{values} {this} {path} {w} . FILTER(!sameTerm({v}, {w}) && "
                        f'LANG({v}) != "" && LCASE(LANG({v})) = LCASE(LANG({w})))'
                    ),
                )
            elif p == SH.disjoint:
                yield "DisjointConstraintComponent", f"{values} {this} {_term(o)} {v} ."
            elif p == SH.lessThanOrEquals:
                w = self.vars("w")
                yield (
                    "LessThanOrEqualsConstraintComponent",
                    (f"{values} {this} {_term(o)} {w} . FILTER(!COALESCE({v} <= {w}, false))"),
                )
            elif p == SH.property:
                continue  # see _property_checks: it applies to the value nodes
            else:
                component, test = self._value_test(p, o, v)
                if component == "ClassConstraintComponent" and this == "?this":
                    # the values are a few nodes named many times (a rule, a source
                    # document): test each distinct value once, then find who names
                    # the failing ones
                    # (a LIMIT keeps Oxigraph from pushing the test back into the
                    # scan, where it would run once per statement again)
                    distinct = f"SELECT DISTINCT {v} WHERE {{ [] {path} {v} }} {BARRIER}"
                    failing = f"SELECT {v} WHERE {{ {{ {distinct} }} FILTER(!({test})) }} {BARRIER}"
                    yield component, f"{{ {failing} }} {values}"
                else:
                    yield component, f"{values} FILTER(!({test}))"

    def _count(self, this: str, path: str, op: str, limit: int, test: str = "") -> str:
        """A pattern matching ``this`` when its number of distinct values along ``path``
        (those passing the expression ``test``, if given) is ``op`` ``limit``."""
        v, w = self.vars("v"), self.vars("v")
        only_v = f"FILTER({test.replace(VALUE, v)})" if test else ""
        only_w = f"FILTER({test.replace(VALUE, w)})" if test else ""
        # (not MINUS of a scan of the property: Oxigraph holds that scan in memory,
        # every subject that has the property, and at a million actions the one of
        # prov:wasDerivedFrom passed 6 GB; a look-up per focus node needs none, and
        # was faster too once evidence was checked apart, 145 -> 46 ms at 10k)
        if op == "<" and limit == 1:
            return f"FILTER NOT EXISTS {{ {this} {path} {v} . {only_v} }}"
        if op == ">" and limit == 0:
            return f"FILTER EXISTS {{ {this} {path} {v} . {only_v} }}"
        if op == ">" and limit == 1 and this == "?this" and not test:
            # one grouped scan of the property beats a self-join of its values
            return (
                f"{{ SELECT ?this WHERE {{ {LISTED}?this {path} {v} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) > 1) }}"
            )
        if op == ">" and limit == 1:
            return (
                f"{this} {path} {v} . {only_v} {this} {path} {w} . {only_w} "
                f"FILTER(!sameTerm({v}, {w}))"
            )
        raise UnsupportedShape(f"a count bound of {limit} (only 0 and 1 are compiled)")

    def _value_test(self, p: Node, o: Node, v: str) -> tuple[str, str]:
        """(component, expression true when value ``v`` satisfies the constraint)."""
        g = self.g
        if p == SH.datatype:
            return "DatatypeConstraintComponent", (
                f"isLiteral({v}) && sameTerm(DATATYPE({v}), {_term(o)})"
            )
        if p == SH["class"]:
            return "ClassConstraintComponent", f"EXISTS {{ {self._typed(v, o)} }}"
        if p == SH.nodeKind:
            kinds = {
                SH.IRI: f"isIRI({v})",
                SH.Literal: f"isLiteral({v})",
                SH.BlankNode: f"isBlank({v})",
                SH.BlankNodeOrIRI: f"!isLiteral({v})",
                SH.BlankNodeOrLiteral: f"!isIRI({v})",
                SH.IRIOrLiteral: f"!isBlank({v})",
            }
            return "NodeKindConstraintComponent", kinds[o]
        if p == SH.pattern:
            flags = g.value(next(iter(g.subjects(SH.pattern, o))), SH.flags)
            args = f", {_string(str(flags))}" if flags is not None else ""
            return "PatternConstraintComponent", (
                f"!isBlank({v}) && REGEX(STR({v}), {_string(str(o))}{args})"
            )
        if p == SH["in"]:
            members = ", ".join(_term(m) for m in Collection(g, o))
            return "InConstraintComponent", f"{v} IN ({members})"
        if p == SH.minInclusive:
            return "MinInclusiveConstraintComponent", f"COALESCE({v} >= {_term(o)}, false)"
        if p == SH.maxInclusive:
            return "MaxInclusiveConstraintComponent", f"COALESCE({v} <= {_term(o)}, false)"
        if p == SH.minExclusive:
            return "MinExclusiveConstraintComponent", f"COALESCE({v} > {_term(o)}, false)"
        if p == SH.maxExclusive:
            return "MaxExclusiveConstraintComponent", f"COALESCE({v} < {_term(o)}, false)"
        if p == SH.minLength:
            return "MinLengthConstraintComponent", (
                f"!isBlank({v}) && STRLEN(STR({v})) >= {int(o)}"
            )
        if p == SH.maxLength:
            return "MaxLengthConstraintComponent", (
                f"!isBlank({v}) && STRLEN(STR({v})) <= {int(o)}"
            )
        if p == SH.languageIn:
            tags = " || ".join(
                f"LANGMATCHES(LANG({v}), {_string(str(t))})" for t in Collection(g, o)
            )
            return "LanguageInConstraintComponent", f'isLiteral({v}) && LANG({v}) != "" && ({tags})'
        if p == SH["or"]:
            tests = [self._conforms(member, v) for member in Collection(g, o)]
            return "OrConstraintComponent", " || ".join(f"({t})" for t in tests)
        raise UnsupportedShape(f"constraint {p}")

    def _conforms(self, shape: Node, v: str) -> str:
        """An expression true when node ``v`` conforms to the (value) shape ``shape``."""
        parts = []
        for p, o in sorted(self.g.predicate_objects(shape), key=_by_text):
            if p in (RDF.type, SH.message, SH.severity, SH.name):
                continue
            if p == SH.property:
                inner = render_path(self.g, self.g.value(o, SH.path))
                for _, pattern in self._constraints(o, v, inner):
                    parts.append(f"NOT EXISTS {{ {pattern} }}")
            else:
                parts.append(f"({self._value_test(p, o, v)[1]})")
        return " && ".join(parts) if parts else "true"

    def _qualified(
        self, prop: Node, shape: Node, this: str, path: str
    ) -> Iterator[tuple[str, str]]:
        if self.g.value(prop, SH.qualifiedValueShapesDisjoint) is not None:
            raise UnsupportedShape(f"{prop}: sh:qualifiedValueShapesDisjoint")
        for bound, component, op in (
            (SH.qualifiedMinCount, "QualifiedMinCountConstraintComponent", "<"),
            (SH.qualifiedMaxCount, "QualifiedMaxCountConstraintComponent", ">"),
        ):
            limit = self.g.value(prop, bound)
            if limit is None:
                continue
            test = self._conforms(shape, VALUE)
            yield component, self._count(this, path, op, int(limit), test)

    # -- SPARQL-based constraints ---------------------------------------------
    def _sparql_check(self, shape: Node, constraint: Node, focus: str) -> Check:
        select = str(self.g.value(constraint, SH.select))
        prefixes = []
        for source in self.g.objects(constraint, SH.prefixes):
            for decl in self.g.objects(source, SH.declare):
                prefix = self.g.value(decl, SH.prefix)
                namespace = self.g.value(decl, SH.namespace)
                prefixes.append(f"PREFIX {prefix}: <{namespace}>")
        inner = re.sub(r"\$this\b", "?this", select)
        # (a restricted check lists its focus nodes in the constraint's own group too,
        # when its SELECT clause holds no brace, quote or comment: joined after it,
        # the 54 events a million actions' build sent read every date, 44 s)
        if head := re.match(r"\s*SELECT\b[^{#\"']*\{", inner, re.IGNORECASE):
            inner = inner[: head.end()] + LISTED + inner[head.end() :]
        severity, message, _ = self._meta(constraint, self._meta(shape)[0])
        variables = sorted(set(re.findall(r"\{[?$](\w+)\}", message)))
        projected = " ".join(f"?{name}" for name in variables)
        query = (
            "\n".join(sorted(set(prefixes)))
            + f"\nSELECT DISTINCT ?this {projected} WHERE {{ {{ {focus} }} {{ {inner} }} }}"
        )
        return Check(query, str(shape), None, CC + "SPARQLConstraintComponent", severity, message)


@lru_cache(maxsize=1)
def compiled() -> tuple[Check, ...]:
    """The project's shapes, compiled against the project's ontology (once a process)."""
    from kg.ontology import load_ontology

    return tuple(Compiler(shapes_graph(), load_ontology(vocabularies=False)).checks())


def _message(template: str, row) -> str:
    def value(m: re.Match[str]) -> str:
        term = row[m.group(1)]
        return term.value if term is not None else m.group(0)

    return re.sub(r"\{[?$](\w+)\}", value, template)


def validate_store(
    store,
    checks: Iterable[Check] | None = None,
    *,
    path: Path | None = None,
    workers: int = 1,
    skip: Iterable[str] = (),
    skipped_results: Iterable[Violation] = (),
    only: Mapping[tuple[str, str], set[str]] | None = None,
    limits: Limits = Limits(),
    per_graph: Iterable[str] = (),
    progress: Callable[[str, int, int], None] | None = None,
) -> ValidationReport:
    """Validate a pyoxigraph store (the union of its graphs) against the shapes.

    Parameters
    ----------
    store
        A ``pyoxigraph.Store``.
    checks
        Compiled checks; by default the project's shapes (:func:`compiled`).
    path, workers
        With the store's folder and more than one worker, the checks are shared among
        that many processes, each reading the database read-only (checks are
        independent queries; Oxigraph runs each on one core).
    skip, skipped_results
        Node shapes (IRIs) whose checks are not run, and what they found when run
        elsewhere (the build checks the document-local shapes on each document's
        graph: see :mod:`kg.shacl_local`); the report holds both.
    only
        (Property shape, constraint component) (IRIs) -> the only focus nodes (IRIs)
        its checks are run on: the others were found to meet it elsewhere (the build
        checks :class:`kg.shacl_local.GraphFirst`'s constraints on each graph first,
        and sends here the focus nodes no graph showed to meet them). A set holding
        :data:`EVERY_NODE` runs them on every focus node.
    limits
        When a check runs as another, equivalent query (counted in the store first:
        see :class:`Limits`).
    per_graph
        Node shapes (IRIs) whose checks run on each graph of the store on its own, as
        the query's default graph, rather than on the union of them all. That gives
        the same results when each focus node and everything its constraints read are
        in one graph, which is true of the document-local shapes
        (:data:`kg.shacl_local.LOCAL_SHAPES`) in a store coopgraph built; it bounds
        the memory of a check by the largest graph rather than by the store (evidence
        grouped per node over a million actions' store took more than 10 GB).
    progress
        Called as ``progress("validate", done, total)`` as the queries finish (a
        million actions' store takes minutes).
    """
    skipped = frozenset(skip)
    checks = tuple(
        c for c in (compiled() if checks is None else checks) if c.node_shape not in skipped
    )
    if only is not None:
        checks = tuple(
            part
            for c in checks
            for part in (
                _restricted(c, only[c.shape, c.component])
                if (c.shape, c.component) in only
                else [c]
            )
        )
    jobs = _jobs(store, checks, frozenset(per_graph))
    found: set[Violation] = set()
    with contextlib.ExitStack() as stack:
        if path is None or workers <= 1 or len(jobs) < 2:
            done: Iterable[list[Violation]] = (_run(store, checks, limits, job) for job in jobs)
        else:
            context = multiprocessing.get_context("fork")
            pool = stack.enter_context(
                context.Pool(workers, _open_worker_store, (str(path), checks, limits))
            )
            done = pool.imap_unordered(_worker_check, jobs)
        for i, violations in enumerate(done, 1):
            found.update(violations)
            if progress:
                progress("validate", i, len(jobs))
    violations = sorted(found | set(skipped_results), key=Violation.sort_key)
    return ValidationReport(
        conforms=not any(v.severity == VIOLATION for v in violations),
        violations=tuple(violations),
    )


#: A job: checks (their indices) and the graph they run on (None: the union of the
#: store's graphs; ``""``: its default graph).
Job = tuple[tuple[int, ...], "str | None"]


def _jobs(store, checks: tuple[Check, ...], per_graph: frozenset[str]) -> list[Job]:
    """Each check on its own over the union of the graphs, but those of the
    ``per_graph`` node shapes: together, on each graph holding their focus nodes."""
    jobs: list[Job] = [((i,), None) for i, c in enumerate(checks) if c.node_shape not in per_graph]
    for shape in sorted({c.node_shape for c in checks} & per_graph):
        mine = tuple(i for i, c in enumerate(checks) if c.node_shape == shape)
        jobs.extend((mine, graph) for graph in _graphs(store, _focus_of(checks, shape)))
    return jobs


def _focus_of(checks: tuple[Check, ...], node_shape: str) -> str:
    """The pattern binding the focus nodes of ``node_shape`` (from any of its checks
    that states it)."""
    for check in checks:
        if check.node_shape == node_shape and check.focus:
            return check.focus
    raise UnsupportedShape(f"{node_shape}: no check states its focus nodes, to run per graph")


def _graphs(store, focus: str) -> list[str]:
    """The graphs holding focus nodes (``""`` is the default graph), those with the
    most first, so that the longest jobs start first."""
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {focus} }} }} GROUP BY ?g"
    sizes = [(int(r["n"].value), r["g"].value) for r in store.query(query)]
    default = _count(store, focus, NO_LIMIT, graph="")
    sizes += [(default, "")] if default else []
    return [graph for _, graph in sorted(sizes, key=lambda s: (-s[0], s[1]))]


def _dataset(graph: str | None) -> dict:
    """The query options for the union of the store's graphs (None), or for
    ``graph`` alone as the default graph (``""``: the store's default graph).

    (One graph at a time: Oxigraph joins over a default graph of several graphs
    slowly, 15 s for twelve action lists that took 1.2 s one after the other.)"""
    import pyoxigraph as ox

    if graph is None:
        return {"use_default_graph_as_union": True}
    return {"default_graph": ox.NamedNode(graph) if graph else ox.DefaultGraph()}


#: The most focus nodes a check is restricted to: with more, it runs on all of them
#: (the same results, from a query that does not list them).
RESTRICT_MAX = 50_000
#: Focus nodes a restricted query lists: Oxigraph looked up 1,000 listed actions in
#: 10 ms, and took 23 s over 2,000 (it then read every action), at a million actions.
RESTRICT_CHUNK = 500


#: In a set of focus nodes to restrict a check to (``validate_store``'s ``only``): all
#: of them (one may be a literal, which a query cannot list).
EVERY_NODE = ""


def _restricted(check: Check, focus: set[str]) -> list[Check]:
    """``check`` on the focus nodes ``focus`` alone: queries of a few hundred each
    (none when there are none)."""
    if len(focus) > RESTRICT_MAX or EVERY_NODE in focus:
        return [check]
    # from the focus nodes: in the form that starts from them (inside its first
    # sub-query, which selects them), else at the top of the query's group; and before
    # a grouping of the property's statements by node, where that is marked (grouping
    # them all to keep a few took 0.34 s a query for 500 organisations at 100k
    # actions, 0.03 s listed there too)
    query, nth = (check.focus_first, 2) if check.focus_first else (check.query, 1)
    at = -1
    for _ in range(nth):
        at = query.index("WHERE {", at + 1)
    at += len("WHERE {")
    nodes = sorted(focus)
    out = []
    for i in range(0, len(nodes), RESTRICT_CHUNK):
        listed = " ".join(f"<{iri}>" for iri in nodes[i : i + RESTRICT_CHUNK])
        values = f" VALUES ?this {{ {listed} }}"
        restricted = f"{query[:at]}{values}{query[at:]}".replace(LISTED, values + "\n")
        # (its other plans start from all the focus nodes or values: not these)
        out.append(replace(check, query=restricted, focus_first="", anti_join="", outer_first=""))
    return out


def _count(store, pattern: str, limit: int, graph: str | None = None) -> int:
    """The solutions of ``pattern`` (in ``graph``, by default in the union of the
    graphs), counted up to ``limit``."""
    first = f"SELECT * WHERE {{ {pattern} }} LIMIT {limit}"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {first} }} }}"
    solution = next(iter(store.query(query, **_dataset(graph))))
    return int(solution["n"].value)


def planned(store, check: Check, limits: Limits = Limits(), graph: str | None = None) -> str:
    """The query that runs ``check`` on ``store`` (on ``graph``, by default on the
    union of the graphs): its own, or one of its equivalents when the counts favour
    it."""

    def count(pattern: str, limit: int) -> int:
        return _count(store, pattern, limit, graph)

    if check.outer_first and count(check.outer, limits.few) < limits.few:
        return check.outer_first
    if check.focus_first:
        # from the focus nodes when they are few, or a small part of the property's
        # subjects (the titles of 21,000 documents among a million actions')
        focus = count(check.focus, limits.counted)
        if focus < limits.few or (
            focus < limits.counted and count(check.statements, PART * focus + 1) > PART * focus
        ):
            return check.focus_first
    if check.anti_join:
        # the anti-join costs about a tenth of a look-up for each statement and focus
        # node: it pays while the statements are not many more than the focus nodes
        # (the derivations of evidence, twenty for each action, took 3.5 times longer)
        focus = count(check.focus, limits.held)
        most = min(limits.held, 2 * focus + 1)  # counted no further than that
        if count(check.statements, most) < most:
            return check.anti_join
    return check.query


def _violations(
    store, check: Check, limits: Limits = Limits(), graph: str | None = None
) -> list[Violation]:
    out = []
    query = planned(store, check, limits, graph)
    for row in store.query(query, **_dataset(graph)):
        out.append(
            Violation(
                focus=row["this"].value,
                path=check.path,
                component=check.component,
                severity=check.severity,
                message=_message(check.message, row) if "{" in check.message else check.message,
                shape=check.shape,
            )
        )
    return out


#: A validation worker's store and checks.
_WORKER: dict[str, object] = {}


def _open_worker_store(path: str, checks: tuple[Check, ...], limits: Limits) -> None:
    import pyoxigraph as ox

    _WORKER.update(store=ox.Store.read_only(path), checks=checks, limits=limits)


def _worker_check(job: Job) -> list[Violation]:
    w = _WORKER
    return _run(w["store"], w["checks"], w["limits"], job)  # type: ignore[arg-type]


def _run(store, checks: tuple[Check, ...], limits: Limits, job: Job) -> list[Violation]:
    indices, graph = job
    return [v for i in indices for v in _violations(store, checks[i], limits, graph)]


__all__ = [
    "Check",
    "Compiler",
    "Limits",
    "UnsupportedShape",
    "compiled",
    "planned",
    "subclasses_of",
    "validate_store",
]
