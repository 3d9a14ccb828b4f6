"""The summary graph: per-action rows and counts of distinct actions, made at build time.

The canned queries run over the union of the store's named graphs, one per source
document, where a fact appears once for every document that states it: every report
had to make its rows distinct and group them, which at 100k actions took seconds. The
summary graph (:data:`kg.iri.SUMMARY_GRAPH`) holds the answers in a form a query only
has to scan:

- a ``cg:ActionSummary`` per action (``id:summary/action-...``): its smallest title,
  its partner countries, expert countries, themes and partner institutions (one value
  each, for filters), and the columns the reports and the network show, already
  sorted and joined (``cg:expertCountryCodes "ES FR"``, ``cg:partnerInstitutionNames``,
  ``cg:programmeIris``...), and its place in the orders the reports sort by
  (``cg:titleRank``, ``cg:timelineRank``, ``cg:iriRank``):
  sorting on an integer compares no text, which on disk means no string lookups;
  and its place in each filtered listing it is in (``cg:listPosition
  "theme/green_jobs/17"``), by which a paged report looks up its page's rows alone;
- a ``cg:InstitutionSummary`` per partner institution: its smallest name (and, for
  the network, its smallest English name and smallest name as text), its country's
  code, the number of distinct actions it is the partner of, its place by name and
  by IRI and, with two actions or more, in the institution timeline;
- a ``cg:ReviewItem`` per row of the data-quality report: the action, the kind of
  problem, the detail and the row's place in the report (``cg:reviewRank``), made from
  the actions' facts and the findings (``cg:Finding``) about them or their partner
  institutions;
- a ``cg:CheckRow`` per row of a ``*-violation`` check, found by the build as it
  writes (:mod:`kg.checks`; the rows are given to :meth:`SummaryAccumulator.triples`'s
  reader apart, by :func:`kg.checks.row_triples`);
- a ``cg:Tally`` per theme, year, (expert country, partner country) and pair of
  co-mobilised expert countries: the number of distinct actions (``cg:actionCount``).

:class:`SummaryAccumulator` takes the graphs one at a time and keeps only the facts the
summary is made of; :meth:`SummaryAccumulator.triples` then joins them. A build derives
every document's graph afresh from all the documents of the store, so a summary made
from the graphs it writes is exact by construction: an added, changed or removed
document changes it as it changes the documents' graphs.

The values are those the original queries gave (``tests/data/summary/`` keeps them, and
``tests/test_summary.py`` compares): sorted and smallest in SPARQL's order, joined as
``GROUP_CONCAT`` joins (with the language tag the installed Oxigraph gives a list of
strings that share one), dates and years as ``STR``/``SUBSTR`` give them. A value that
is not a string or a language-tagged string (a date, say) is compared by Oxigraph
itself.

Three readings differ from the union, on purpose, so that a million actions' facts fit
in memory: a finding's kind, subject and comment are read from the graph that types it
``cg:Finding`` (every graph the build writes says them together); a
``prov:wasDerivedFrom`` statement about a node typed in the same graph, but not as
``cg:Action``, is not kept (the sources are read for actions alone); and no statement
about a node typed there as evidence or an expert mobilisation (:data:`UNREAD`, and not
``cg:Action``) is kept. Evidence and mobilisations are most of a graph's nodes, and the
summary reads neither.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import combinations

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from kg.iri import BASE, SUMMARY_GRAPH, mint
from kg.namespace import CG
from kg.triples import Terms

# looked up once each (the summary writes a dozen terms for each of a million rows)
CG, RDF, RDFS, XSD, DCTERMS, PROV, SKOS = map(  # type: ignore[assignment]
    Terms, (CG, RDF, RDFS, XSD, DCTERMS, PROV, SKOS)
)
SCHEMA = Terms(Namespace("https://schema.org/"))
Triple = tuple[Node, Node, Node]

#: The predicates whose statements the summary is made of (rdf:type and
#: prov:wasDerivedFrom are read apart).
KEPT = frozenset(
    {
        DCTERMS.title,
        CG.partnerInstitution,
        CG.partnerCountry,
        CG.expertCountry,
        CG.theme,
        CG.assistanceType,
        CG.actionCode,
        CG.buildsOn,
        CG.runsInParallelWith,
        CG.relatedAction,
        SCHEMA.startDate,
        SCHEMA.endDate,
        CG.mentionedDate,
        SKOS.prefLabel,
        SKOS.notation,
        SKOS.inScheme,
        CG.alpha2,
        CG.euMember,
        CG.country,
        CG.programme,
        CG.forAction,
        CG.heldEvent,
    }
)
#: The statements of a finding (``cg:Finding``) the data-quality rows are made of, kept
#: about the nodes the same graph types as findings.
FINDING = frozenset({CG.findingKind, CG.about, RDFS.comment})
#: Every predicate :meth:`SummaryAccumulator.add` looks at (of ``dcterms:description``,
#: only whether a node has one).
READ = KEPT | FINDING | {RDF.type, PROV.wasDerivedFrom, DCTERMS.description}
#: The relations through which an action states the codes of other actions.
REFERENCES = (CG.buildsOn, CG.runsInParallelWith, CG.relatedAction)
#: The scheme of the themes the network reads.
THEME_SCHEME = URIRef(f"{BASE}theme")
#: The layout of the summary graph, stated in it (``cg:summaryFormat``) and raised
#: whenever the queries start reading something an older build did not write, so
#: that they refuse an older summary rather than give too few rows: 1, the action
#: and institution rows and the tallies; 2, the listing positions and IRI ranks, and
#: the institutions' English names; 3, the review items and the tally ranks; 4, the
#: check rows (kg.checks).
FORMAT = 4
#: The fewest distinct actions an institution is the partner of to be in the
#: institution timeline (which lists those of its actions that have a title).
TIMELINE_MIN = 2


# -- SPARQL's order, joins and extremes -------------------------------------------------


_XSD_STRING = str(XSD.string)


def _is_string(term: Node) -> bool:
    # (datatypes compared as plain strings, in C: the summary reads millions of terms)
    if not isinstance(term, Literal):
        return False
    datatype = term.datatype
    return term.language is not None or datatype is None or str.__eq__(datatype, _XSD_STRING)


def _plain(term: Node) -> Node:
    """``term`` with ``xsd:string`` written as a simple literal (the same RDF term)."""
    if isinstance(term, Literal) and str.__eq__(term.datatype or "", _XSD_STRING):
        return Literal(str(term))
    return term


#: Blank nodes sort before IRIs, and IRIs before literals (as rdflib's terms sort).
_KIND_ORDER = {BNode: 0, URIRef: 1, Literal: 2}


def node_order(node: Node) -> tuple[int, str]:
    """A key that sorts IRIs and blank nodes as rdflib sorts them, by kind, then by
    text (literals come after them, by text; rdflib compares their values). Comparing
    rdflib's terms runs Python code at each comparison, and the summary sorts a
    million actions.

    Examples
    --------
    >>> nodes = [URIRef("urn:b"), Literal("a"), BNode("z"), URIRef("urn:a")]
    >>> sorted(nodes, key=node_order) == sorted(nodes)
    True
    """
    return (_KIND_ORDER.get(type(node), -1), str(node))


def order_key(term: Literal) -> tuple[str, bool, str]:
    """Where a string or language-tagged string sorts in Oxigraph's ``ORDER BY`` and
    ``MIN``: by its text, then tagged before untagged, then by tag.

    Examples
    --------
    >>> [str(t) for t in sorted([Literal("b"), Literal("a"), Literal("a", lang="en")],
    ...                         key=order_key)]
    ['a', 'a', 'b']
    >>> sorted([Literal("a"), Literal("a", lang="es")], key=order_key)[0].language
    'es'
    """
    return (str(term), term.language is None, term.language or "")


def from_oxigraph(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """The rdflib term for a pyoxigraph term (``xsd:string`` as a simple literal).

    Examples
    --------
    >>> from_oxigraph(ox.Literal("2023", datatype=ox.NamedNode(str(XSD.gYear))))
    rdflib.term.Literal('2023', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _oxigraph(select: str, terms: Iterable[Node]) -> Literal | None:
    """Evaluate ``select`` (binding ``?r``) with ``?v`` bound to each of ``terms``."""
    values = " ".join(t.n3() for t in terms)
    query = select.replace("VALUES", f"VALUES ?v {{ {values} }}")
    solution = next(iter(ox.Store().query(query)))
    return None if solution["r"] is None else from_oxigraph(solution["r"])


@lru_cache(maxsize=1)
def concat_keeps_language() -> bool:
    """Whether the installed Oxigraph tags a ``GROUP_CONCAT`` of strings that share a
    language with that language (0.5 does; later versions drop it).

    Examples
    --------
    >>> isinstance(concat_keeps_language(), bool)
    True
    """
    joined = _oxigraph(
        'SELECT (GROUP_CONCAT(?v; separator=" ") AS ?r) WHERE { VALUES }',
        [Literal("a", lang="en"), Literal("b", lang="en")],
    )
    return joined is not None and joined.language == "en"


def smallest(terms: Iterable[Node], *, largest: bool = False) -> Node | None:
    """What SPARQL's ``MIN`` (``MAX`` when ``largest``) gives for ``terms``; None for
    none.

    Examples
    --------
    >>> smallest([Literal("b"), Literal("a", lang="fr"), Literal("c")])
    rdflib.term.Literal('a', lang='fr')
    >>> str(smallest([Literal("2024", datatype=XSD.gYear),
    ...               Literal("2023-05-02", datatype=XSD.date)]))
    '2023-05-02'
    """
    terms = {_plain(t) for t in terms}
    if len(terms) <= 1:
        return next(iter(terms), None)
    if all(_is_string(t) for t in terms):
        pick = max if largest else min
        return pick(terms, key=order_key)  # type: ignore[arg-type]
    aggregate = "MAX" if largest else "MIN"
    return _oxigraph(f"SELECT ({aggregate}(?v) AS ?r) WHERE {{ VALUES }}", terms)


def joined(terms: Iterable[Node], separator: str, *, as_text: bool = False) -> Literal | None:
    """What ``GROUP_CONCAT`` gives for the distinct ``terms`` sorted by ``ORDER BY``
    (the pattern every report used for its list columns), of ``STR`` of each when
    ``as_text`` (for IRIs); None for none.

    Examples
    --------
    >>> joined([Literal("PE"), Literal("ES"), Literal("PE")], " ")
    rdflib.term.Literal('ES PE')
    >>> joined([URIRef("http://x/b"), URIRef("http://x/a")], " ", as_text=True)
    rdflib.term.Literal('http://x/a http://x/b')
    >>> joined([], " ") is None
    True
    """
    terms = {_plain(t) for t in terms}
    if not terms:
        return None
    if len(terms) == 1 and not as_text:
        (term,) = terms
        if type(term) is Literal and term.language is None and term.datatype is None:
            return term  # (a simple literal joined alone: itself)
    if as_text and all(isinstance(t, URIRef) for t in terms):
        # IRIs sort by their text
        return Literal(separator.join(sorted(str(t) for t in terms)))
    if as_text or not all(_is_string(t) for t in terms):
        sep = Literal(separator).n3()
        value = "STR(?v)" if as_text else "?v"
        return _oxigraph(
            f"SELECT (GROUP_CONCAT({value}; separator={sep}) AS ?r) WHERE {{ "
            "{ SELECT DISTINCT ?v WHERE { VALUES } ORDER BY ?v } }",
            terms,
        )
    text = separator.join(str(t) for t in sorted(terms, key=order_key))  # type: ignore[arg-type]
    languages = {t.language for t in terms}  # type: ignore[union-attr]
    if len(languages) == 1 and None not in languages and concat_keeps_language():
        return Literal(text, lang=languages.pop())
    return Literal(text)


def _text_extreme(terms: set[Node], *, largest: bool = False) -> Literal | None:
    """``MIN(STR(?x))`` (``MAX`` when ``largest``): the smallest lexical form."""
    if not terms:
        return None
    texts = [str(t) for t in terms]
    return Literal(max(texts) if largest else min(texts))


# -- the accumulator ---------------------------------------------------------------------

#: The objects of a subject and predicate: one term, a tuple of a few, or a set of many
#: (a set costs 216 bytes, a pair 56, and most subjects hold one or two values).
Values = Node | tuple[Node, ...] | set[Node]
#: Values held as a tuple up to this many (each addition compares with each).
_FEW = 8


def _put(table: dict[Node, Values], subject: Node, value: Node) -> None:
    held = table.get(subject)
    if held is None:
        table[subject] = value
    elif type(held) is tuple:
        if value not in held:
            table[subject] = (*held, value) if len(held) < _FEW else {*held, value}
    elif type(held) is set:
        held.add(value)
    elif held != value:
        table[subject] = (held, value)


def _members(values: Values | None) -> set[Node]:
    if values is None:
        return set()
    if type(values) is set:
        return values
    return set(values) if type(values) is tuple else {values}


#: Nodes the summary never reads: a statement about a node typed one of these in the
#: graph that states it (and not cg:Action there) is not kept. Evidence and expert
#: mobilisations are most of a graph's nodes and would be most of the facts held.
UNREAD = frozenset({CG.Evidence, CG.ExpertMobilisation, CG.TriangularMobilisation})
_UNREAD_TEXT = frozenset(str(c) for c in UNREAD)
_KEPT_BY_TEXT = {str(p): p for p in KEPT}
_FINDING_BY_TEXT = {str(p): p for p in FINDING}
_TYPE, _ACTION, _DERIVED = str(RDF.type), str(CG.Action), str(PROV.wasDerivedFrom)
#: The predicates of READ but rdf:type, as plain strings (see SummaryAccumulator.add_index).
READ_TEXT = frozenset(str(p) for p in READ - {RDF.type})
_FINDING, _DESCRIPTION = str(CG.Finding), str(DCTERMS.description)


class SummaryAccumulator:
    """Collects the facts of the summary one graph at a time; :meth:`triples` gives it.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix cg: <https://w3id.org/coopgraph/ontology#> .
    ...     @prefix dcterms: <http://purl.org/dc/terms/> .
    ...     <https://w3id.org/coopgraph/id/action/a> a cg:Action ; dcterms:title "A" .
    ... ''')
    >>> acc = SummaryAccumulator()
    >>> acc.add(g)
    >>> acc.add(g)  # a second document stating the same: still one action
    >>> acc.actions
    1
    >>> row = next(s for s, p, o in acc.triples() if o == CG.ActionSummary)
    >>> str(row)
    'https://w3id.org/coopgraph/id/summary/action-a-0e494ebabd'
    """

    def __init__(self) -> None:
        self._actions: set[Node] = set()
        #: predicate -> subject -> objects
        #: predicate -> subject -> its object, or a set of them when there are several
        #: (most subjects have one value of a predicate, and a set costs 200 bytes)
        self._facts: dict[Node, dict[Node, Values]] = {p: {} for p in KEPT | FINDING}
        self._derived: dict[Node, Values] = {}
        #: the nodes with a dcterms:description (the text is not kept)
        self._described: set[Node] = set()
        #: one object per distinct term: a million actions' terms each appear many
        #: times, in many graphs
        self._terms: dict[Node, Node] = {}

    def _intern(self, term: Node) -> Node:
        return self._terms.setdefault(term, term)

    @property
    def actions(self) -> int:
        """The number of distinct actions seen so far."""
        return len(self._actions)

    def add(self, triples: Iterable[Triple]) -> None:
        """Take the statements of one graph (an rdflib ``Graph`` or any iterable of
        rdflib triples)."""
        types: dict[Node, list[Node]] = {}
        pairs: dict[str, list[tuple[Node, Node]]] = {key: [] for key in READ_TEXT}
        # (predicates compared as plain strings, in C: an rdflib term compares in
        # Python)
        for s, p, o in triples:
            key = str(p)
            if key == _TYPE:
                types.setdefault(s, []).append(o)
            elif (bucket := pairs.get(key)) is not None:
                bucket.append((s, o))
        self.add_index(types, pairs)

    def add_index(
        self, types: Mapping[Node, list[Node]], pairs: Mapping[str, list[tuple[Node, Node]]]
    ) -> None:
        """Take the statements of one graph, read already: the classes of each node
        (``rdf:type``), and for each predicate of :data:`READ_TEXT` its (subject,
        object) pairs (as :meth:`kg.shacl_local.LocalShapes.index` gives them, which
        the build makes once for the shapes, the checks and the summary)."""
        actions_here: set[Node] = set()
        unread_here: set[Node] = set()
        findings_here: set[Node] = set()
        for s, classes in types.items():
            for o in classes:
                if isinstance(o, URIRef):
                    cls = str(o)
                    if cls == _ACTION:
                        actions_here.add(s)
                    elif cls in _UNREAD_TEXT:
                        unread_here.add(s)
                    elif cls == _FINDING:
                        findings_here.add(s)
        intern = self._intern
        self._actions |= {intern(s) for s in actions_here}
        skip = unread_here - actions_here
        facts = self._facts
        for key, predicate in _KEPT_BY_TEXT.items():
            table = facts[predicate]
            for s, o in pairs[key]:
                if s not in skip:
                    _put(table, intern(s), intern(_plain(o)))
        for key, predicate in _FINDING_BY_TEXT.items():
            table = facts[predicate]
            for s, o in pairs[key]:
                if s in findings_here:
                    _put(table, intern(s), intern(_plain(o)))
        self._described |= {intern(s) for s, _ in pairs[_DESCRIPTION] if s not in skip}
        # the sources are read for actions alone: a node typed here, but not as an
        # action, is not one
        for s, o in pairs[_DERIVED]:
            if s in actions_here or s not in types:
                _put(self._derived, intern(s), intern(o))

    def merge(self, other: SummaryAccumulator) -> None:
        """Take what ``other`` collected (from other graphs), as if its graphs had been
        added here."""
        intern = self._intern
        self._actions |= {intern(a) for a in other._actions}
        self._described |= {intern(d) for d in other._described}
        for predicate, subjects in other._facts.items():
            mine = self._facts[predicate]
            for subject, objects in subjects.items():
                for o in _members(objects):
                    _put(mine, intern(subject), intern(o))
        for subject, sources in other._derived.items():
            for o in _members(sources):
                _put(self._derived, intern(subject), intern(o))

    def shared_actions(self) -> list[Node]:
        """The nodes derived from (``prov:wasDerivedFrom``) two documents or more, of
        those whose sources are read (actions, and nodes typed in no graph that states
        their source)."""
        return [node for node, sources in self._derived.items() if len(_members(sources)) > 1]

    def _objects(self, predicate: Node, subject: Node) -> set[Node]:
        return _members(self._facts[predicate].get(subject))

    def _values(self, predicate: Node, subjects: Iterable[Node]) -> set[Node]:
        found: set[Node] = set()
        for subject in subjects:
            found |= self._objects(predicate, subject)
        return found

    def _codes(self, countries: Iterable[Node]) -> set[Node]:
        return self._values(CG.alpha2, countries)

    def _non_eu(self, countries: Iterable[Node]) -> set[Node]:
        return {
            c
            for c in countries
            if any(
                isinstance(m, Literal) and m.datatype == XSD.boolean and m.toPython() is False
                for m in self._objects(CG.euMember, c)
            )
        }

    def triples(self) -> Iterator[Triple]:
        """The summary's statements: its format, then action by action, then
        institutions, review items and tallies."""
        yield SUMMARY_GRAPH, CG.summaryFormat, Literal(FORMAT)
        actions = sorted(self._actions, key=node_order)
        titles = {a: smallest(self._objects(DCTERMS.title, a)) for a in actions}
        starts = {a: smallest(self._objects(SCHEMA.startDate, a)) for a in actions}
        titled = [a for a in actions if titles[a] is not None]
        # the orders the reports sort by, as integers: sorting on them needs no string
        title_rank = ranks(titled, lambda a: (titles[a],), "?k0")
        start_texts = {a: None if starts[a] is None else Literal(str(starts[a])) for a in titled}
        timeline_rank = ranks(
            titled,
            lambda a: (start_texts[a], titles[a]),
            "(!BOUND(?k0)) ?k0 ?k1",
            lambda a: (starts[a] is None, str(starts[a] or ""), order_key(titles[a])),
        )
        themes: Counter[Node] = Counter()
        years: Counter[Node | None] = Counter()
        corridors: Counter[tuple[Node, Node]] = Counter()
        pairs: Counter[tuple[Node, Node]] = Counter()
        partners_of: dict[Node, set[Node]] = defaultdict(set)
        # the events naming an action (cg:forAction), for its programmes
        events_for: dict[Node, set[Node]] = defaultdict(set)
        for event, named in self._facts[CG.forAction].items():
            for action in _members(named):
                events_for[action].add(event)
        for position, action in enumerate(actions):
            year = self._year(action)
            row = summary_iri("action", action)
            yield from self._action_row(
                row, action, titles[action], starts[action], year, events_for.get(action, set())
            )
            yield row, CG.iriRank, Literal(position)
            if action in title_rank:
                yield row, CG.titleRank, Literal(title_rank[action])
                yield row, CG.timelineRank, Literal(timeline_rank[action])
            experts = self._codes(self._objects(CG.expertCountry, action))
            partners = self._codes(self._objects(CG.partnerCountry, action))
            themes.update(self._objects(CG.theme, action))
            years[year] += 1
            corridors.update((e, p) for e in experts for p in partners)
            pairs.update(
                (a, b) for a, b in combinations(sorted(experts, key=str), 2) if str(a) < str(b)
            )
            for institution in self._objects(CG.partnerInstitution, action):
                partners_of[institution].add(action)
        # each filtered listing's actions numbered in the order of their titles
        listed: Counter[str] = Counter()
        for action in sorted(titled, key=title_rank.__getitem__):
            row = summary_iri("action", action)
            for listing in self._listings(action):
                yield row, CG.listPosition, Literal(f"{listing}/{listed[listing]}")
                listed[listing] += 1
        institutions = sorted(partners_of, key=node_order)
        names = {i: smallest(self._objects(SKOS.prefLabel, i)) for i in institutions}
        name_rank = ranks(institutions, lambda i: (names[i],), "?k0")
        in_timeline = 0
        iri_rank = {institution: n for n, institution in enumerate(institutions)}
        for institution in sorted(institutions, key=name_rank.__getitem__):
            row = summary_iri("institution", institution)
            yield from self._institution_row(
                row, institution, names[institution], len(partners_of[institution])
            )
            yield row, CG.titleRank, Literal(name_rank[institution])
            yield row, CG.iriRank, Literal(iri_rank[institution])
            actions_of = partners_of[institution]
            if len(actions_of) >= TIMELINE_MIN and any(a in title_rank for a in actions_of):
                yield row, CG.listPosition, Literal(f"institution-timeline/{in_timeline}")
                in_timeline += 1
        yield from self._review(actions, partners_of)
        for theme, n in sorted(themes.items()):
            yield from _tally("theme", n, [(CG.summaryTheme, theme)])
        for year, n in sorted(years.items(), key=lambda kv: (kv[0] is None, str(kv[0]))):
            yield from _tally("year", n, [] if year is None else [(CG.year, year)])
        # the corridors numbered strongest first, as the matrix report lists them
        matrix = {
            _tally_iri("expert-partner", _corridor(*c)): (n, *c)
            for c, n in sorted(corridors.items(), key=lambda kv: tuple(map(node_order, kv[0])))
        }
        strongest = ranks(
            list(matrix),
            lambda node: (Literal(matrix[node][0]), *matrix[node][1:]),
            "DESC(?k0) ?k1 ?k2",
        )
        for node, (n, expert, partner) in matrix.items():
            yield from _tally("expert-partner", n, _corridor(expert, partner), node)
            yield node, CG.tallyRank, Literal(strongest[node])
        for (a, b), n in sorted(pairs.items(), key=lambda kv: tuple(map(node_order, kv[0]))):
            dims = [(CG.expertCountryCode, a), (CG.expertCountryCode, b)]
            yield from _tally("co-mobilised", n, dims)

    def _review(self, actions: list[Node], partners_of: dict[Node, set[Node]]) -> Iterator[Triple]:
        """The rows of the data-quality report (``cg:ReviewItem``), numbered in its order
        (action IRI, kind of problem, detail): each value as the report's original query
        computes it, ``CONCAT`` giving a simple literal and no row's detail when a part
        is not a string."""
        items: set[tuple[Node, str, Node | None]] = set()
        for action in actions:
            partners = self._objects(CG.partnerCountry, action)
            if not partners:
                institutions = self._objects(CG.partnerInstitution, action)
                names = joined(self._values(SKOS.prefLabel, institutions), " | ")
                # (no name: GROUP_CONCAT of an unbound value, an error)
                detail = None if names is None else Literal(f"partner institution: {names}")
                items.add((action, "unknown-partner-country", detail))
            codes = self._codes(partners)
            if len(codes) > 1:
                detail = f"partner countries: {joined(codes, ' ')}"
                items.add((action, "conflicting-evidence", Literal(detail)))
            if action not in self._described:
                for title in self._objects(DCTERMS.title, action) or {Literal("")}:
                    items.add((action, "no-description", title))
        for finding, kinds in self._facts[CG.findingKind].items():
            comments: set[Node | None] = set(self._objects(RDFS.comment, finding)) or {None}
            for about in self._objects(CG.about, finding):
                on = partners_of.get(about, set()) | ({about} & self._actions)
                for kind in _members(kinds):
                    for comment in comments:
                        detail = _finding_detail(kind, comment, about)
                        items.update((action, "conflicting-evidence", detail) for action in on)
        nodes = {_review_iri(*item): item for item in items}
        order = ranks(
            list(nodes),
            lambda n: (Literal(str(nodes[n][0])), Literal(nodes[n][1]), nodes[n][2]),
            "?k0 ?k1 ?k2",
        )
        for node in sorted(nodes, key=order.__getitem__):
            action, kind, detail = nodes[node]
            yield node, RDF.type, CG.ReviewItem
            yield node, CG.reviewOf, action
            yield node, CG.problemKind, Literal(kind)
            if detail is not None:
                yield node, CG.problemDetail, detail
            yield node, CG.reviewRank, Literal(order[node])

    def _in_scheme(self, themes: set[Node]) -> set[Node]:
        """The ``themes`` in the theme scheme (those the network and the listings read)."""
        return {t for t in themes if THEME_SCHEME in self._objects(SKOS.inScheme, t)}

    def _listings(self, action: Node) -> list[str]:
        """The filtered listings ``action`` is in: ``theme/NOTATION`` for each notation
        of its themes in the theme scheme, ``partner-country/CODE`` and
        ``expert-country/CODE`` for the alpha-2 codes of its countries, and
        ``triangular`` when an expert country is outside the EU (only values a query
        parameter, a plain string, can name)."""
        themes = self._in_scheme(self._objects(CG.theme, action))
        experts = self._objects(CG.expertCountry, action)
        found = [f"theme/{n}" for n in _named(self._values(SKOS.notation, themes))]
        for kind, countries in (
            ("partner-country", self._objects(CG.partnerCountry, action)),
            ("expert-country", experts),
        ):
            found += [f"{kind}/{code}" for code in _named(self._codes(countries))]
        if self._codes(self._non_eu(experts)):
            found.append("triangular")
        return found

    def _year(self, action: Node) -> Literal | None:
        """``COALESCE`` of the first four characters of the smallest start date, then of
        the smallest mentioned date (as actions-per-year computes it)."""
        for predicate in (SCHEMA.startDate, CG.mentionedDate):
            dates = self._objects(predicate, action)
            if dates:
                return Literal(min(str(d)[:4] for d in dates))
        return None

    def _action_row(
        self,
        row: URIRef,
        action: Node,
        title: Node | None,
        earliest: Node | None,
        year: Literal | None,
        events: set[Node],
    ) -> Iterator[Triple]:
        """The statements of ``action``'s row, ``row`` (its summary_iri)."""
        yield row, RDF.type, CG.ActionSummary
        yield row, CG.summarises, action
        partners = self._objects(CG.partnerCountry, action)
        experts = self._objects(CG.expertCountry, action)
        themes = self._objects(CG.theme, action)
        institutions = self._objects(CG.partnerInstitution, action)
        for predicate, nodes in (
            (CG.summaryPartnerCountry, partners),
            (CG.summaryExpertCountry, experts),
            (CG.summaryTheme, themes),
            (CG.summaryPartnerInstitution, institutions),
        ):
            for node in sorted(nodes):
                yield row, predicate, node
        english = {
            label
            for label in self._values(SKOS.prefLabel, self._objects(CG.assistanceType, action))
            if isinstance(label, Literal) and label.language == "en"
        }
        codes = set(self._objects(CG.actionCode, action))
        for relation in REFERENCES:
            codes |= self._values(CG.actionCode, self._objects(relation, action))
        starts = self._objects(SCHEMA.startDate, action)
        sources = _members(self._derived.get(action))
        in_scheme = self._in_scheme(themes)
        events = events | self._objects(CG.heldEvent, action)
        programmes = self._objects(CG.programme, action) | self._values(CG.programme, events)
        columns = (
            (CG.summaryTitle, title),
            (CG.partnerCountryCode, smallest(self._codes(partners))),
            (CG.expertCountryCodes, joined(self._codes(experts), " ")),
            (CG.nonEuExpertCountryCodes, joined(self._codes(self._non_eu(experts)), " ")),
            (CG.themeNotations, joined(self._values(SKOS.notation, themes), " ")),
            (CG.partnerInstitutionNames, joined(self._values(SKOS.prefLabel, institutions), " | ")),
            (CG.assistanceTypeLabels, joined(english, " | ")),
            (CG.statedActionCodes, joined(codes, " ")),
            (CG.startDateText, _text_extreme(starts)),
            (CG.endDateText, _text_extreme(self._objects(SCHEMA.endDate, action), largest=True)),
            (CG.earliestStartDate, earliest),
            (CG.sourceNames, joined(self._values(DCTERMS.title, sources), " ")),
            # the network's columns
            (CG.year, year),
            (CG.partnerCountryCodes, joined(self._codes(partners), " ")),
            (CG.schemeThemeNotations, joined(self._values(SKOS.notation, in_scheme), " ")),
            (CG.programmeIris, joined(programmes, " ", as_text=True)),
            (CG.partnerInstitutionIris, joined(institutions, " ", as_text=True)),
        )
        for predicate, value in columns:
            if value is not None:
                yield row, predicate, value

    def _institution_row(
        self, row: URIRef, institution: Node, name: Node | None, actions: int
    ) -> Iterator[Triple]:
        """The statements of ``institution``'s row, ``row`` (its summary_iri)."""
        yield row, RDF.type, CG.InstitutionSummary
        yield row, CG.summarises, institution
        yield row, CG.actionCount, Literal(actions)
        if name is not None:
            yield row, CG.summaryTitle, name
        # the network's columns
        labels = self._objects(SKOS.prefLabel, institution)
        english = smallest(label for label in labels if _english(label))
        if english is not None:
            yield row, CG.englishName, english
        text = _text_extreme(labels)
        if text is not None:
            yield row, CG.nameText, text
        code = smallest(self._codes(self._objects(CG.country, institution)))
        if code is not None:
            yield row, CG.partnerCountryCode, code

    def graph(self) -> Graph:
        """The summary as an rdflib graph."""
        graph = Graph()
        for triple in self.triples():
            graph.add(triple)
        return graph


def ranks(
    nodes: list[Node],
    keys: Callable[[Node], tuple[Node | None, ...]],
    order: str,
    python_key: Callable[[Node], tuple] | None = None,
) -> dict[Node, int]:
    """The position of each of ``nodes`` when sorted as ``ORDER BY order, ?node`` sorts
    (``order`` names the values ``keys`` gives as ``?k0``, ``?k1``...).

    In Python when every value is a string or a language-tagged string (``python_key``
    gives the key when ``order`` is not the values themselves, unbound first);
    otherwise by Oxigraph.

    Examples
    --------
    >>> a, b, c = (URIRef(f"http://x/{n}") for n in "abc")
    >>> titles = {a: Literal("b"), b: Literal("a"), c: Literal("a")}
    >>> order = ranks([a, b, c], lambda n: (titles[n],), "?k0")
    >>> [str(n) for n in sorted(order, key=order.get)]
    ['http://x/b', 'http://x/c', 'http://x/a']
    """
    values = {n: keys(n) for n in nodes}
    strings = all(v is None or _is_string(v) for key in values.values() for v in key)
    if strings and python_key is None:

        def python_key(n: Node) -> tuple:
            return tuple(
                (False, ("", False, "")) if v is None else (True, order_key(v)) for v in values[n]
            )

    if strings:
        ordered = sorted(nodes, key=lambda n: (python_key(n), str(n)))
    else:
        ordered = _oxigraph_order(values, order)
    return {n: i for i, n in enumerate(ordered)}


def _oxigraph_order(values: dict[Node, tuple[Node | None, ...]], order: str) -> list[Node]:
    width = len(next(iter(values.values()), ()))
    names = " ".join(f"?k{i}" for i in range(width))
    rows = " ".join(
        "(" + " ".join([n.n3(), *("UNDEF" if v is None else v.n3() for v in key)]) + ")"
        for n, key in values.items()
    )
    query = f"SELECT ?n WHERE {{ VALUES (?n {names}) {{ {rows} }} }} ORDER BY {order} ?n"
    return [URIRef(s["n"].value) for s in ox.Store().query(query)]


def _review_iri(action: Node, kind: str, detail: Node | None) -> URIRef:
    key = "" if detail is None else detail.n3()
    return mint("summary", "review", str(action), kind, key, readable=kind)


def _finding_detail(kind: Node, comment: Node | None, about: Node) -> Literal | None:
    """``CONCAT(?kind, ": ", COALESCE(?comment, STR(?about)))``: None (an error) when a
    part is not a string."""
    said = comment
    if said is None and not isinstance(about, BNode):
        said = Literal(str(about))
    if said is None or not (_is_string(kind) and _is_string(said)):
        return None
    return Literal(f"{kind}: {said}")


def _english(term: Node) -> bool:
    """``LANGMATCHES(LANG(term), "en")``: tagged ``en`` or ``en-*``."""
    language = term.language if isinstance(term, Literal) else None
    return bool(language) and language.lower().split("-")[0] == "en"


def _named(values: set[Node]) -> list[str]:
    """The plain strings among ``values`` (those a string parameter matches), sorted."""
    return sorted(
        str(v)
        for v in values
        if isinstance(v, Literal) and v.language is None and v.datatype in (None, XSD.string)
    )


def summary_iri(kind: str, node: Node) -> URIRef:
    """The IRI of the summary row about ``node`` (an action or an institution).

    Examples
    --------
    >>> str(summary_iri("action", URIRef("https://w3id.org/coopgraph/id/action/x-0123456789")))
    'https://w3id.org/coopgraph/id/summary/action-x-0123456789-1bcce25cbf'
    """
    tail = str(node).rsplit("/", 1)[-1]
    return mint("summary", kind, str(node), readable=f"{kind} {tail}")


def _corridor(expert: Node, partner: Node) -> list[tuple[URIRef, Node]]:
    return [(CG.expertCountryCode, expert), (CG.partnerCountryCode, partner)]


def _tally_iri(kind: str, dimensions: list[tuple[URIRef, Node]]) -> URIRef:
    key = [kind, *(f"{p}={v}" for p, v in dimensions)]
    readable = " ".join([kind, *(str(v).rsplit("/", 1)[-1] for _, v in dimensions)])
    return mint("summary", "tally", *key, readable=readable)


def _tally(
    kind: str, count: int, dimensions: list[tuple[URIRef, Node]], node: URIRef | None = None
) -> Iterator[Triple]:
    node = node or _tally_iri(kind, dimensions)
    yield node, RDF.type, CG.Tally
    yield node, CG.tallyKind, Literal(kind)
    yield node, CG.actionCount, Literal(count)
    for predicate, value in dimensions:
        yield node, predicate, value


def summary_graph(graphs: Mapping[URIRef, Graph]) -> Graph:
    """The summary graph of ``graphs`` (the documents' graphs, with the vocabularies they
    use; a summary graph among them is left out).

    Examples
    --------
    >>> len(summary_graph({}))  # its format alone
    1
    """
    acc = SummaryAccumulator()
    for name, graph in graphs.items():
        if name != SUMMARY_GRAPH:
            acc.add(graph)
    return acc.graph()
