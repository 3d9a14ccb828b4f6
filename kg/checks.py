"""The store's checks, found by the build as it writes each document's graph.

The seven checks (``queries/checks/*.rq``, the ``*-violation`` queries: "every action
names a partner institution", "every evidence quote is as long as its span"...) each
list the statements of the store that break a rule. Run over the store they read every
statement they check: 0.1 to 30 s at 100k actions, and ten times that at a million.
``coopgraph validate`` still runs them so, in full; the build finds their rows as it
goes and writes them to the summary graph (``cg:CheckRow``), where the canned checks
of ``queries/`` read them in milliseconds.

How the build finds the rows a check would give on the union of the store's graphs:

- In pass 2's workers, :meth:`Checks.find` runs each check on one document's graph,
  in Python, giving its rows on that graph. A check whose rows are made from one
  statement and the vocabularies (a country or theme outside its scheme) or from the
  statements of a node only its document's graph holds (evidence, minted from the
  document's name and span: see :mod:`kg.shacl_local`) gives on the union the rows it
  gives on each graph. The rest read an action's statements together (its partner
  institutions and titles, partner and expert countries, expert mobilisations and
  theirs): an action stated by one document is stated in its graph alone, with its
  mobilisations (minted from the action), so there too the graph's rows are the
  union's.
- An action stated by two documents or more (``prov:wasDerivedFrom`` both) is checked
  again, with its mobilisations, on every statement the store holds about them, once
  the graphs are loaded (:func:`settle`).
- A value the Python does not decide as SPARQL would (a literal where an IRI is
  expected, a number that is not a plain ``xsd:integer``, a blank node...) leaves
  its focus node *undecided*: the original query is run in the store with its focus
  bound to those nodes.
- When the store keeps graphs the build did not make (a document whose saved text is
  gone), the original queries run in full.

The vocabularies' statements the checks read (``skos:inScheme``, ``cg:alpha2``,
``cg:euMember``) are taken from the vocabulary graphs, the only graphs that state them
(tested on built stores). ``tests/test_checks.py`` compares the rows with the original
queries' on the faulty fixture, on generated graphs and on built stores.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from kg.iri import BASE, mint
from kg.namespace import CG
from kg.queries import bind
from kg.resources import resource_dir
from kg.shacl_local import Indexed, graph_first
from kg.summary import from_oxigraph

_CG = "https://w3id.org/coopgraph/ontology#"
_TITLE = "http://purl.org/dc/terms/title"
_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"
_STRING = str(XSD.string)
_INTEGER = str(XSD.integer)
_BOOLEAN = str(XSD.boolean)
_CANONICAL_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")

#: The checks, by the name of their query.
WITHOUT_PARTNER = "action-without-partner-violation"
DANGLING_COUNTRY = "dangling-country-violation"
DANGLING_THEME = "dangling-theme-violation"
QUOTE_MISMATCH = "evidence-quote-mismatch-violation"
EXPERT_IS_PARTNER = "expert-country-is-partner-violation"
SHORTCUT = "expert-country-shortcut-violation"
TRIANGULAR = "triangular-mobilisation-violation"
NAMES = (
    WITHOUT_PARTNER,
    DANGLING_COUNTRY,
    DANGLING_THEME,
    QUOTE_MISMATCH,
    EXPERT_IS_PARTNER,
    SHORTCUT,
    TRIANGULAR,
)
#: The checks that read an action's statements (or its mobilisations') together.
ACTION_CHECKS = frozenset({WITHOUT_PARTNER, EXPERT_IS_PARTNER, SHORTCUT, TRIANGULAR})

#: The predicates the checks read (besides rdf:type).
COUNTRY_PROPERTIES = tuple(
    _CG + p for p in ("partnerCountry", "expertCountry", "mentionedCountry", "country")
)
PREDICATES = (
    *COUNTRY_PROPERTIES,
    _CG + "partnerInstitution",
    _CG + "theme",
    _CG + "expertMobilisation",
    _CG + "quote",
    _CG + "charStart",
    _CG + "charEnd",
    _TITLE,
)

_TYPED = "typed as a triangular mobilisation"
#: The classes of the checks' focus nodes.
_CLASSES = tuple(
    _CG + c for c in ("Action", "Evidence", "ExpertMobilisation", "TriangularMobilisation")
)


class _View(NamedTuple):
    """What a check reads of a graph: the pairs of :data:`PREDICATES`, the nodes of
    each class of :data:`_CLASSES`, and the focus nodes it is about (None: all)."""

    pairs: dict[str, list[tuple[Node, Node]]]
    typed: dict[str, list[Node]]
    focus: set[Node] | None


#: A row: (check, focus node, message; None where the query leaves it unbound).
Row = tuple[str, Node, str | None]


@dataclass
class Found:
    """Rows found, and the focus nodes left for the store to decide, check by check."""

    rows: set[Row] = field(default_factory=set)
    undecided: dict[str, set[Node]] = field(default_factory=dict)

    def leave(self, name: str, node: Node) -> None:
        """Leave ``node`` for the store to decide, for check ``name``."""
        self.undecided.setdefault(name, set()).add(node)

    def merge(self, other: Found) -> None:
        self.rows |= other.rows
        for name, nodes in other.undecided.items():
            self.undecided.setdefault(name, set()).update(nodes)


def index(triples: Iterable[tuple[Node, Node, Node]]) -> Indexed:
    """``triples`` as :meth:`Checks.find` reads them: each node's types, and the
    (subject, object) pairs of :data:`PREDICATES` (and of the shapes' predicates: the
    build indexes a graph once for both)."""
    return graph_first().index(triples, also=PREDICATES)


def _string(term: Node) -> str | None:
    """The text of a string or language-tagged string (what CONCAT takes), else None."""
    if isinstance(term, Literal) and (
        term.language is not None or term.datatype is None or str(term.datatype) == _STRING
    ):
        return str(term)
    return None


def _integer(term: Node) -> int | None:
    """The value of an ``xsd:integer`` written as SPARQL's STR writes it back, else
    None (the check is then left to the store)."""
    # (C-level comparisons: the build reads two of these for every evidence node)
    if (
        isinstance(term, Literal)
        and str.__eq__(term.datatype or "", _INTEGER)
        and 0 < len(term) <= 18  # (well inside Oxigraph's 64-bit integers)
        and _CANONICAL_INTEGER.fullmatch(term)
    ):
        return int(term)
    return None


def _by_subject(pairs: list[tuple[Node, Node]]) -> Callable[[Node], tuple[Node, ...]]:
    """A node's values among ``pairs`` (a node with one value, as most have, looked up
    in a plain dict)."""
    one = dict(pairs)
    if len(one) == len(pairs):
        return lambda node: () if (value := one.get(node)) is None else (value,)
    many: dict[Node, tuple[Node, ...]] = {}
    for s, o in pairs:
        many[s] = (*many.get(s, ()), o)
    return lambda node: many.get(node, ())


class Checks:
    """The checks in Python, given the vocabularies' statements."""

    def __init__(self, vocabularies: Iterable[Iterable[tuple[Node, Node, Node]]]):
        self.countries: set[str] = set()
        self.themes: set[str] = set()
        self.codes: dict[Node, list[Node]] = {}
        self.eu: dict[Node, list[Node]] = {}
        country_scheme, theme_scheme = BASE + "country", BASE + "theme"
        for graph in vocabularies:
            for s, p, o in graph:
                key = str(p)
                if key == _IN_SCHEME and isinstance(s, URIRef):
                    if str(o) == country_scheme and isinstance(o, URIRef):
                        self.countries.add(str(s))
                    elif str(o) == theme_scheme and isinstance(o, URIRef):
                        self.themes.add(str(s))
                elif key == _CG + "alpha2":
                    self.codes.setdefault(s, []).append(o)
                elif key == _CG + "euMember":
                    self.eu.setdefault(s, []).append(o)

    def find(
        self,
        graph: Indexed,
        *,
        names: Iterable[str] = NAMES,
        focus: set[Node] | None = None,
    ) -> Found:
        """The rows of checks ``names`` on ``graph`` (:func:`index`-ed), about the nodes
        of ``focus`` alone when given."""
        found = Found()
        types, pairs = graph
        typed: dict[str, list[Node]] = {c: [] for c in _CLASSES}
        for node, listed in types.items():
            if focus is None or node in focus:
                for t in listed:
                    if (nodes := typed.get(str(t))) is not None:
                        nodes.append(node)
        view = _View(pairs, typed, focus)
        run = {
            WITHOUT_PARTNER: self._without_partner,
            DANGLING_COUNTRY: self._dangling_country,
            DANGLING_THEME: self._dangling_theme,
            QUOTE_MISMATCH: self._quote_mismatch,
            EXPERT_IS_PARTNER: self._expert_is_partner,
            SHORTCUT: self._shortcut,
            TRIANGULAR: self._triangular,
        }
        for name in set(names):
            run[name](found, view)
        return found

    # -- the checks, each as its query in queries/checks/ says --------------------------

    def _without_partner(self, found: Found, view: _View) -> None:
        partnered = {s for s, _ in view.pairs[_CG + "partnerInstitution"]}
        titles = _by_subject(view.pairs[_TITLE])
        for action in view.typed[_CG + "Action"]:
            if action in partnered:
                continue
            shown = titles(action) or (None,)
            texts = [str(action) if t is None else _string(t) for t in shown]
            if not isinstance(action, URIRef) or None in texts:
                found.leave(WITHOUT_PARTNER, action)
                continue
            for text in texts:
                message = f'action "{text}" has no partner institution'
                found.rows.add((WITHOUT_PARTNER, action, message))

    @staticmethod
    def _dangling(found: Found, view: _View, name, properties, members, what) -> None:
        for prop in properties:
            for node, value in view.pairs[prop]:
                if view.focus is not None and node not in view.focus:
                    continue
                if isinstance(value, URIRef) and str(value) in members:
                    continue
                text = str(value) if isinstance(value, URIRef) else _string(value)
                if not isinstance(node, URIRef) or text is None:
                    found.leave(name, node)
                    continue
                found.rows.add((name, node, what(prop, text)))

    def _dangling_country(self, found: Found, view: _View) -> None:
        self._dangling(
            found,
            view,
            DANGLING_COUNTRY,
            COUNTRY_PROPERTIES,
            self.countries,
            lambda prop, text: f"{prop} {text} is not in the country scheme",
        )

    def _dangling_theme(self, found: Found, view: _View) -> None:
        self._dangling(
            found,
            view,
            DANGLING_THEME,
            (_CG + "theme",),
            self.themes,
            lambda prop, text: f"theme {text} is not in the theme scheme",
        )

    def _quote_mismatch(self, found: Found, view: _View) -> None:
        quotes = _by_subject(view.pairs[_CG + "quote"])
        starts = _by_subject(view.pairs[_CG + "charStart"])
        ends = _by_subject(view.pairs[_CG + "charEnd"])
        for node in view.typed[_CG + "Evidence"]:
            q = [_string(t) for t in quotes(node)]
            s = [_integer(t) for t in starts(node)]
            e = [_integer(t) for t in ends(node)]
            if len(q) == len(s) == len(e) == 1 and not _mismatch(q[0], s[0], e[0]):
                continue  # (most evidence: one quote as long as its span)
            if not isinstance(node, URIRef) or None in q or None in s or None in e:
                found.leave(QUOTE_MISMATCH, node)
                continue
            for quote in q or [None]:
                for start in s or [None]:
                    for end in e or [None]:
                        message = _mismatch(quote, start, end)
                        if message:
                            found.rows.add((QUOTE_MISMATCH, node, message))

    def _expert_is_partner(self, found: Found, view: _View) -> None:
        partner = _by_subject(view.pairs[_CG + "partnerCountry"])
        expert = _by_subject(view.pairs[_CG + "expertCountry"])
        for action in view.typed[_CG + "Action"]:
            both = set(partner(action)) & set(expert(action))
            if not both:
                continue
            # (the country's code, or its IRI when it has none)
            texts = [
                text
                for c in both
                for text in ([_string(k) for k in self.codes[c]] if c in self.codes else [str(c)])
            ]
            if not isinstance(action, URIRef) or None in texts or not _all_iris(both):
                found.leave(EXPERT_IS_PARTNER, action)
                continue
            for text in texts:
                message = f"partner country {text} is also an expert country of the action"
                found.rows.add((EXPERT_IS_PARTNER, action, message))

    def _shortcut(self, found: Found, view: _View) -> None:
        expert = _by_subject(view.pairs[_CG + "expertCountry"])
        mobilised = _by_subject(view.pairs[_CG + "expertMobilisation"])
        for action in view.typed[_CG + "Action"]:
            stated = set(expert(action))
            through = {c for m in mobilised(action) for c in expert(m)}
            if stated == through:
                continue
            if not isinstance(action, URIRef) or not _all_iris(stated | through):
                found.leave(SHORTCUT, action)
                continue
            for country in stated - through:
                message = f"expert country {country} has no expert mobilisation"
                found.rows.add((SHORTCUT, action, message))
            for country in through - stated:
                message = f"expert country {country} is missing from the action's cg:expertCountry"
                found.rows.add((SHORTCUT, action, message))

    def _triangular(self, found: Found, view: _View) -> None:
        expert = _by_subject(view.pairs[_CG + "expertCountry"])
        triangular = set(view.typed[_CG + "TriangularMobilisation"])
        for node in view.typed[_CG + "ExpertMobilisation"]:
            rows = []
            for country in expert(node):
                for member in self.eu.get(country, ()):
                    value = _boolean(member)
                    if value is not (node in triangular):
                        continue  # (not a boolean: the comparison is an error)
                    for code in self.codes.get(country, ()):
                        text = _string(code)
                        if text is None:
                            rows.append(None)
                        elif value:
                            rows.append(f"experts from EU member {text} {_TYPED}")
                        else:
                            rows.append(f"experts from non-EU {text} not {_TYPED}")
            if rows and (not isinstance(node, URIRef) or None in rows):
                found.leave(TRIANGULAR, node)
                continue
            found.rows |= {(TRIANGULAR, node, message) for message in rows}


def _all_iris(nodes: Iterable[Node]) -> bool:
    return all(isinstance(n, URIRef) for n in nodes)


def _boolean(term: Node) -> bool | None:
    if isinstance(term, Literal) and str(term.datatype) == _BOOLEAN and term.language is None:
        text = str(term)
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
    return None


def _mismatch(quote: str | None, start: int | None, end: int | None) -> str:
    """The evidence check's message for one quote and span ("" when they agree)."""
    if quote is None or len(quote) == 0:
        return "the quote is missing or empty"
    if start is None or end is None:
        return "the character span is missing"
    if start < 0 or end < start:
        return f"the character span {start}-{end} is negative or reversed"
    if len(quote) != end - start:
        return f"the quote has {len(quote)} characters but the span {start}-{end} has {end - start}"
    return ""


@lru_cache(maxsize=1)
def checks() -> Checks:
    """The checks, with the vocabularies coopgraph ships (once a process)."""
    from kg.ontology import vocabulary_graphs

    return Checks(vocabulary_graphs().values())


# -- in the store ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def full_checks() -> dict[str, str]:
    """Each check's query as it scans the whole store (``queries/checks/``), by name."""
    folder = resource_dir("queries") / "checks"
    return {name: (folder / f"{name}.rq").read_text(encoding="utf-8") for name in NAMES}


def _oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode:
    return ox.NamedNode(str(term)) if isinstance(term, URIRef) else ox.BlankNode(str(term))


def _rows_in_store(store: ox.Store, name: str, focus: list[Node] | None) -> set[Row]:
    """The rows of check ``name`` run in ``store`` (on the ``focus`` nodes alone when
    given)."""
    text = full_checks()[name]
    batches = [None] if focus is None else [focus[i : i + 500] for i in range(0, len(focus), 500)]
    rows: set[Row] = set()
    for batch in batches:
        bound = {} if batch is None else {"focus": [_oxigraph(n) for n in batch]}
        for solution in store.query(bind(text, bound), use_default_graph_as_union=True):
            focus, message = solution["focus"], solution["message"]
            rows.add((name, from_oxigraph(focus), None if message is None else message.value))
    return rows


def _about(store: ox.Store, actions: list[Node]) -> tuple[list[tuple[Node, Node, Node]], set[Node]]:
    """Every statement ``store`` holds about ``actions`` and their expert mobilisations,
    and the mobilisations."""
    out: set[tuple[Node, Node, Node]] = set()
    mobilisations: set[Node] = set()
    link = _CG + "expertMobilisation"
    for action in actions:
        for quad in store.quads_for_pattern(_oxigraph(action), None, None, None):
            triple = (action, from_oxigraph(quad.predicate), from_oxigraph(quad.object))
            out.add(triple)
            if quad.predicate.value == link and not isinstance(quad.object, ox.Literal):
                mobilisations.add(triple[2])
    for node in mobilisations:
        for quad in store.quads_for_pattern(_oxigraph(node), None, None, None):
            out.add((node, from_oxigraph(quad.predicate), from_oxigraph(quad.object)))
    return list(out), mobilisations


#: The shared actions checked again at a time.
SHARED_BATCH = 2000


def settle(found: Found, store: ox.Store, shared: Iterable[Node], *, whole: bool) -> set[Row]:
    """The rows of every check on the union of ``store``'s graphs, from what the
    graphs' :meth:`Checks.find` ``found``: the actions of ``shared`` (stated by more
    than one document) checked again on all their statements, the undecided nodes in
    the store. ``whole``: the store holds graphs not checked, so run every query in
    full."""
    if whole:
        return {row for name in NAMES for row in _rows_in_store(store, name, None)}
    rows = set(found.rows)
    undecided = {name: set(nodes) for name, nodes in found.undecided.items()}
    shared = sorted(shared, key=str)
    # (a batch at a time: what the store holds about them is read into memory)
    for batch in (shared[i : i + SHARED_BATCH] for i in range(0, len(shared), SHARED_BATCH)):
        triples, mobilisations = _about(store, batch)
        nodes = set(batch) | mobilisations
        again = checks().find(index(triples), names=ACTION_CHECKS, focus=nodes)
        rows = {r for r in rows if not (r[0] in ACTION_CHECKS and r[1] in nodes)}
        rows |= again.rows
        for name in ACTION_CHECKS:
            undecided.get(name, set()).difference_update(nodes)
        for name, left in again.undecided.items():
            undecided.setdefault(name, set()).update(left)
    for name, nodes in sorted(undecided.items()):
        if nodes:
            rows = {r for r in rows if not (r[0] == name and r[1] in nodes)}
            rows |= _rows_in_store(store, name, sorted(nodes, key=str))
    return rows


# -- in the summary graph --------------------------------------------------------------


def _order(row: Row) -> tuple:
    """A row's place in its query's ``ORDER BY ?focus ?message``."""
    _, focus, message = row
    return (isinstance(focus, URIRef), str(focus), message is not None, message or "")


def row_triples(rows: Iterable[Row]) -> Iterator[tuple[Node, Node, Node]]:
    """``rows`` as ``cg:CheckRow`` statements of the summary graph, each with its
    place in its check's order (``cg:checkRank``)."""
    by_check: Mapping[str, list[Row]] = {name: [] for name in NAMES}
    for row in rows:
        by_check[row[0]].append(row)
    for name, listed in by_check.items():
        for rank, (_, focus, message) in enumerate(sorted(listed, key=_order)):
            said = "-" if message is None else "+" + message
            node = mint("summary", "check", name, str(focus), said, readable="check")
            yield node, RDF.type, CG.CheckRow
            yield node, CG.checkName, Literal(name)
            yield node, CG.checkFocus, focus
            yield node, CG.checkRank, Literal(rank)
            if message is not None:
                yield node, CG.checkMessage, Literal(message)
