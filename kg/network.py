"""Networks of country-expert collaboration, built from the knowledge graph.

Everything comes from the store through SPARQL (``queries/network-*.rq``), never from
the documents: :func:`fetch` runs four queries once, whatever the size of the store,
and returns a :class:`Cooperation` (actions with their facets, countries, institutions,
regions, themes, programmes); :func:`select` keeps the actions that pass the
:class:`Filters`; three builders make networkx graphs of them:

- :func:`bipartite` -- a ``DiGraph`` of countries, an edge from an expert country to a
  partner country for every pair that shares an action;
- :func:`comobilisation` -- a ``Graph`` of expert countries, an edge between two whose
  experts served on the same action;
- :func:`institutions` -- a ``Graph`` of partner institutions linked to their own
  country and to the expert countries of their actions.

Each builder takes a store (embedded or remote) or a :class:`Cooperation` already
fetched; given a store, it queries it anew, so fetch once and pass the result when
making several graphs and a report of the same store. :func:`report` gathers the
metrics of :mod:`kg.analytics` into plain data, :func:`render_report` turns them into
rich tables for the terminal, and :func:`write_back` stores them as RDF in the named
graph :data:`ANALYTICS_GRAPH`.

An action's year is that of its ``schema:startDate`` or, when it has none, of its
earliest ``cg:mentionedDate`` (as in the ``actions-per-year`` query).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

from kg import analytics
from kg.iri import ANALYTICS_GRAPH as ANALYTICS_GRAPH_IRI
from kg.queries import catalogue, runner, summary_problem

ID = "https://w3id.org/coopgraph/id/"
CG = "https://w3id.org/coopgraph/ontology#"
#: The named graph :func:`write_back` replaces.
ANALYTICS_GRAPH = str(ANALYTICS_GRAPH_IRI)
#: The queries :func:`fetch` runs (names in ``queries/``).
QUERIES = (
    "network-actions",
    "network-partner-institutions",
    "network-countries",
    "network-vocabulary",
)


class FilterError(ValueError):
    """A filter naming no theme, programme or region of the store, or an empty range."""


class NoSummaryError(ValueError):
    """A store holding actions but no summary graph that this coopgraph reads (none,
    or one an older build wrote), where the network reads them."""


# -- data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Which actions a network is made of; None means no restriction.

    ``theme`` is a theme's notation (``green_jobs``); ``since`` and ``until`` are
    years, both included (an action without a year is left out only when one is
    given); ``programme`` a programme's IRI, the last segment of it (``page``) or its
    acronym; ``partner_region`` a UN M49 code (``419``) or the English name of a
    region (``Latin America and the Caribbean``): an action passes when one of its
    partner countries lies in that region or a region inside it.
    """

    theme: str | None = None
    since: int | None = None
    until: int | None = None
    programme: str | None = None
    partner_region: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, int):
                if not str(value).strip().isdigit():
                    raise FilterError(f"{name} {value!r}: not a year")
                object.__setattr__(self, name, int(value))

    def parameters(self) -> dict[str, str]:
        """The filters given, by name, as strings.

        Examples
        --------
        >>> Filters(theme="green_jobs", since=2020).parameters()
        {'theme': 'green_jobs', 'since': '2020'}
        >>> Filters(until="2023").until  # years given as text become numbers
        2023
        """
        return {k: str(v) for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class Country:
    """A country of the vocabulary; ``iri`` defaults to ``id:country/{alpha2}``."""

    alpha2: str
    label: str
    eu_member: bool = False
    region: str | None = None
    iri: str = ""

    def __post_init__(self) -> None:
        if not self.iri:
            object.__setattr__(self, "iri", f"{ID}country/{self.alpha2}")


@dataclass(frozen=True)
class Action:
    """An action and its facets: partner and expert countries (alpha-2 codes), theme
    notations, programme IRIs and partner institution IRIs, each sorted."""

    iri: str
    year: int | None = None
    partners: tuple[str, ...] = ()
    experts: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Institution:
    """A partner institution: IRI, name, country code (None when unknown)."""

    iri: str
    label: str
    country: str | None = None


@dataclass(frozen=True)
class Region:
    """A UN M49 region: code, English name, codes of the regions directly above it."""

    code: str
    label: str
    broader: tuple[str, ...] = ()


@dataclass(frozen=True)
class Programme:
    """A programme: IRI, name and acronym (None when it has none)."""

    iri: str
    label: str
    acronym: str | None = None


@dataclass(frozen=True)
class Cooperation:
    """What the network builders need from the store, as plain tables.

    ``actions`` sorted by IRI; the mappings are keyed by alpha-2 code (countries), IRI
    (institutions, programmes), M49 code (regions) and notation (themes -> name).
    """

    actions: tuple[Action, ...] = ()
    countries: Mapping[str, Country] = field(default_factory=dict)
    institutions: Mapping[str, Institution] = field(default_factory=dict)
    regions: Mapping[str, Region] = field(default_factory=dict)
    themes: Mapping[str, str] = field(default_factory=dict)
    programmes: Mapping[str, Programme] = field(default_factory=dict)


def example_cooperation() -> Cooperation:
    """A small hand-made :class:`Cooperation` for examples and tests.

    Four actions: a1 (2022, Peru, experts from Spain and France, green jobs and social
    dialogue), a2 (2023, Peru, Spain, green jobs), a3 (2023, Colombia, Costa Rica,
    social protection) and a4 (undated, partner country unknown, France).

    Examples
    --------
    >>> [a.iri.rsplit("/", 1)[1] for a in example_cooperation().actions]
    ['a1', 'a2', 'a3', 'a4']
    """
    countries = [
        Country("CO", "Colombia", False, "005"),
        Country("CR", "Costa Rica", False, "013"),
        Country("ES", "Spain", True, "039"),
        Country("FR", "France", True, "155"),
        Country("PE", "Peru", False, "005"),
    ]
    regions = [
        Region("001", "World"),
        Region("005", "South America", ("419",)),
        Region("013", "Central America", ("419",)),
        Region("019", "Americas", ("001",)),
        Region("039", "Southern Europe", ("150",)),
        Region("150", "Europe", ("001",)),
        Region("155", "Western Europe", ("150",)),
        Region("419", "Latin America and the Caribbean", ("019",)),
    ]
    mtpe, mintrabajo, pes = (f"{ID}organisation/{n}" for n in ("mtpe", "mintrabajo", "pes"))
    page = f"{ID}programme/page"
    actions = [
        Action(
            f"{ID}action/a1",
            2022,
            ("PE",),
            ("ES", "FR"),
            ("green_jobs", "social_dialogue"),
            (page,),
            (mtpe,),
        ),
        Action(f"{ID}action/a2", 2023, ("PE",), ("ES",), ("green_jobs",), (page,), (mtpe,)),
        Action(f"{ID}action/a3", 2023, ("CO",), ("CR",), ("social_protection",), (), (mintrabajo,)),
        Action(f"{ID}action/a4", None, (), ("FR",), ("public_employment_services",), (), (pes,)),
    ]
    return Cooperation(
        actions=tuple(actions),
        countries={c.alpha2: c for c in countries},
        institutions={
            mtpe: Institution(mtpe, "Ministry of Labour and Employment Promotion", "PE"),
            mintrabajo: Institution(mintrabajo, "Ministry of Labour", "CO"),
            pes: Institution(pes, "Public Employment Service"),
        },
        regions={r.code: r for r in regions},
        themes={
            t: t.replace("_", " ").capitalize()
            for t in (
                "green_jobs",
                "public_employment_services",
                "social_dialogue",
                "social_protection",
            )
        },
        programmes={page: Programme(page, "Partnership for Action on Green Economy", "PAGE")},
    )


# -- reading the store -------------------------------------------------------------------


#: ``ORDER BY`` and the variables it sorts on (the network queries use no other form).
_ORDER_BY = re.compile(r"\bORDER\s+BY(\s+\?\w+)+", re.IGNORECASE)


def unordered(text: str) -> str:
    """``text`` without its ``ORDER BY ?var ...`` clauses.

    The network queries sort their rows and lists for whoever runs them by hand;
    :func:`fetch` sorts in Python instead, since sorting in the store took three
    quarters of the time of ``network-actions`` at 100k actions on disk.

    Examples
    --------
    >>> unordered("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?c } } ORDER BY ?a")
    'SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?b ?c }  } } '
    """
    return _ORDER_BY.sub("", text)


def _select(store, name: str) -> list[dict[str, Any]]:
    """The rows of network query ``name`` (unordered) as dicts of pyoxigraph terms
    (or None): all of them, a paged query's page variable being left unbound."""
    return _rows(store, unordered(catalogue()[name].text))


def _rows(store, text: str) -> list[dict[str, Any]]:
    variables, rows = runner(store)(text, {})
    return [dict(zip(variables, row, strict=True)) for row in rows]


def _text(term) -> str | None:
    return None if term is None else term.value


def _words(term) -> tuple[str, ...]:
    return tuple(sorted(set(term.value.split()))) if term is not None else ()


def _year(term) -> int | None:
    value = _text(term)
    return int(value) if value and value.isdigit() else None


def _vocabulary(rows: list[dict]) -> tuple[dict, dict, dict]:
    """Regions, themes and programmes from the rows of ``network-vocabulary``, whatever
    their order: of several names the English one wins, then the smallest."""
    names: dict[tuple[str, str], set[tuple[bool, str]]] = defaultdict(set)
    codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    broader: dict[str, set[str]] = defaultdict(set)
    keys = set()
    for row in rows:
        key = (row["kind"].value, row["concept"].value)
        keys.add(key)
        if row["code"] is not None:
            codes[key].add(row["code"].value)
        if row["label"] is not None:
            names[key].add((row["label"].language != "en", row["label"].value))
        if row["broader"] is not None:
            broader[key[1]].add(row["broader"].value)
    regions, themes, programmes = {}, {}, {}
    for kind, iri in sorted(keys):
        code = min(codes[kind, iri]) if codes[kind, iri] else None
        name = min(names[kind, iri])[1] if names[kind, iri] else (code or iri)
        if kind == "region" and code:
            regions[code] = Region(code, name, tuple(sorted(broader[iri])))
        elif kind == "theme" and code:
            themes[code] = name
        elif kind == "programme":
            programmes[iri] = Programme(iri, name, code)
    return regions, themes, programmes


def fetch(store) -> Cooperation:
    """Read what the networks need from ``store`` (a :class:`kg.store.EmbeddedStore`,
    a :class:`kg.endpoint.RemoteStore` or anything with ``ox`` or ``select``): the
    :data:`QUERIES`, each run once."""
    problem = summary_problem(runner(store))
    if problem:
        raise NoSummaryError(f"{problem} (the network reads it)")
    rows = {name: _select(store, name) for name in QUERIES}
    actions = tuple(
        Action(
            iri=row["action"].value,
            year=_year(row["year"]),
            partners=_words(row["partnerCountries"]),
            experts=_words(row["expertCountries"]),
            themes=_words(row["themes"]),
            programmes=_words(row["programmes"]),
            institutions=_words(row["partnerInstitutions"]),
        )
        for row in sorted(rows["network-actions"], key=lambda r: r["action"].value)
    )
    institutions = {
        row["institution"].value: Institution(
            row["institution"].value,
            _text(row["label"]) or _text(row["anyLabel"]) or row["institution"].value,
            _text(row["country"]),
        )
        for row in rows["network-partner-institutions"]
    }
    countries = {
        row["alpha2"].value: Country(
            row["alpha2"].value,
            _text(row["label"]) or row["alpha2"].value,
            _text(row["euMember"]) == "true",
            _text(row["region"]),
            row["country"].value,
        )
        for row in rows["network-countries"]
    }
    regions, themes, programmes = _vocabulary(rows["network-vocabulary"])
    return Cooperation(actions, countries, institutions, regions, themes, programmes)


def _data(store) -> Cooperation:
    return store if isinstance(store, Cooperation) else fetch(store)


# -- filters -------------------------------------------------------------------------------


def region_ancestors(regions: Mapping[str, Region], code: str | None) -> set[str]:
    """``code`` and every region above it (``skos:broader``, transitively).

    Examples
    --------
    >>> sorted(region_ancestors(example_cooperation().regions, "005"))
    ['001', '005', '019', '419']
    >>> region_ancestors({}, None)
    set()
    """
    found: set[str] = set()
    todo = [code] if code else []
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            region = regions.get(current)
            todo.extend(region.broader if region else ())
    return found


def resolve_region(data: Cooperation, value: str) -> str:
    """The M49 code of the region ``value`` names: a code (``419``, ``19``), the
    region's IRI or its English name (any case).

    Raises
    ------
    FilterError
        When no region of the vocabulary has that code or name.

    Examples
    --------
    >>> data = example_cooperation()
    >>> resolve_region(data, "latin america and the caribbean"), resolve_region(data, "19")
    ('419', '019')
    """
    given = value.strip().rsplit("/", 1)[-1]
    code = given.zfill(3) if given.isdigit() else None
    if code and (code in data.regions or not data.regions):
        return code
    by_name = {r.label.casefold(): r.code for r in data.regions.values()}
    if given.casefold() in by_name:
        return by_name[given.casefold()]
    raise FilterError(f"partner_region {value!r}: no UN M49 region has that code or name")


def resolve_programme(data: Cooperation, value: str) -> str:
    """The IRI of the programme ``value`` names: its IRI, the last segment of its IRI
    (``page``) or its acronym (any case).

    Raises
    ------
    FilterError
        When no programme of the store matches.

    Examples
    --------
    >>> resolve_programme(example_cooperation(), "page").rsplit("/", 1)[1]
    'page'
    """
    given = value.strip()
    for p in sorted(data.programmes.values(), key=lambda p: p.iri):
        if given in (p.iri, p.iri.rsplit("/", 1)[-1]) or (
            p.acronym and p.acronym.casefold() == given.casefold()
        ):
            return p.iri
    known = ", ".join(sorted(p.iri.rsplit("/", 1)[-1] for p in data.programmes.values()))
    raise FilterError(f"programme {value!r}: no such programme (known: {known or 'none'})")


def _tests(data: Cooperation, f: Filters) -> list[Callable[[Action], bool]]:
    """One predicate per filter given."""
    tests: list[Callable[[Action], bool]] = []
    if f.since is not None and f.until is not None and f.since > f.until:
        raise FilterError(f"since {f.since} is after until {f.until}")
    if f.theme is not None:
        if data.themes and f.theme not in data.themes:
            known = ", ".join(sorted(data.themes))
            raise FilterError(f"theme {f.theme!r}: no theme has that notation (known: {known})")
        tests.append(lambda a: f.theme in a.themes)
    if f.since is not None:
        tests.append(lambda a: a.year is not None and a.year >= f.since)
    if f.until is not None:
        tests.append(lambda a: a.year is not None and a.year <= f.until)
    if f.programme is not None:
        programme = resolve_programme(data, f.programme)
        tests.append(lambda a: programme in a.programmes)
    if f.partner_region is not None:
        region = resolve_region(data, f.partner_region)
        inside = {
            code
            for code, c in data.countries.items()
            if region in region_ancestors(data.regions, c.region)
        }
        tests.append(lambda a: any(p in inside for p in a.partners))
    return tests


def select(data: Cooperation, filters: Filters | None = None) -> list[Action]:
    """The actions of ``data`` that pass every filter, sorted by IRI.

    Raises
    ------
    FilterError
        When a filter names no theme, programme or region, or since > until.

    Examples
    --------
    >>> data = example_cooperation()
    >>> [a.iri[-2:] for a in select(data, Filters(theme="green_jobs", since=2023))]
    ['a2']
    >>> [a.iri[-2:] for a in select(data, Filters(partner_region="South America"))]
    ['a1', 'a2', 'a3']
    >>> select(data, Filters(partner_region="013"))  # Costa Rica served only as expert
    []
    >>> len(select(data)), len(select(data, Filters(until=2030)))
    (4, 3)
    """
    tests = _tests(data, filters or Filters())
    return [a for a in data.actions if all(test(a) for test in tests)]


# -- graphs ------------------------------------------------------------------------------


def _country(data: Cooperation, code: str) -> dict[str, Any]:
    c = data.countries.get(code) or Country(code, code)
    return {
        "iri": c.iri,
        "label": c.label,
        "alpha2": code,
        "eu_member": c.eu_member,
        "region": c.region,
    }


def _bipartite(data: Cooperation, actions: Iterable[Action], filters: Filters) -> nx.DiGraph:
    actions = list(actions)
    expert_n: Counter[str] = Counter()
    partner_n: Counter[str] = Counter()
    edges: dict[tuple[str, str], tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for a in actions:
        expert_n.update(a.experts)
        partner_n.update(a.partners)
        for e in a.experts:
            for p in a.partners:
                edges[e, p][0].add(a.iri)
                edges[e, p][1].update(a.themes)
    G = nx.DiGraph(filters=filters.parameters(), actions=len(actions))
    for code in sorted(expert_n.keys() | partner_n.keys()):
        role = (
            "both"
            if expert_n[code] and partner_n[code]
            else ("expert" if expert_n[code] else "partner")
        )
        G.add_node(
            code,
            **_country(data, code),
            role=role,
            expert_actions=expert_n[code],
            partner_actions=partner_n[code],
        )
    for (e, p), (iris, themes) in sorted(edges.items()):
        G.add_edge(e, p, weight=len(iris), themes=sorted(themes), actions=sorted(iris))
    return G


def bipartite(store, filters: Filters | None = None) -> nx.DiGraph:
    """The expert -> partner network of countries.

    Nodes are the countries of the selected actions, keyed by ISO 3166-1 alpha-2 code,
    with ``iri``, ``label`` (English name), ``alpha2``, ``eu_member`` (bool),
    ``region`` (M49 code of the country's most specific region, or None), ``role``
    (``"expert"``, ``"partner"`` or ``"both"``), ``expert_actions`` and
    ``partner_actions`` (the numbers of selected actions it served as expert country,
    as partner country). An edge runs from each expert country of an action to each
    of its partner countries, with ``weight`` (the number of distinct actions),
    ``themes`` (their theme notations, sorted) and ``actions`` (their IRIs, sorted).
    An action whose partner country is unknown gives no edge but still counts in its
    expert countries' ``expert_actions``. The graph's ``filters`` and ``actions`` (the
    number of selected actions) say what it was built from.

    Parameters
    ----------
    store : an embedded or remote store, or a :class:`Cooperation`
    filters : which actions to use (all by default)

    Examples
    --------
    >>> G = bipartite(example_cooperation())
    >>> sorted(G.edges(data="weight"))
    [('CR', 'CO', 1), ('ES', 'PE', 2), ('FR', 'PE', 1)]
    >>> G.nodes["FR"]["role"], G.nodes["FR"]["expert_actions"], G.nodes["FR"]["eu_member"]
    ('expert', 2, True)
    >>> G.edges["ES", "PE"]["themes"]
    ['green_jobs', 'social_dialogue']
    """
    data = _data(store)
    f = filters or Filters()
    return _bipartite(data, select(data, f), f)


def _comobilisation(data: Cooperation, actions: Iterable[Action], filters: Filters) -> nx.Graph:
    actions = list(actions)
    expert_n: Counter[str] = Counter()
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in actions:
        expert_n.update(a.experts)
        for pair in combinations(a.experts, 2):
            shared[pair].add(a.iri)
    G = nx.Graph(filters=filters.parameters(), actions=len(actions))
    for code in sorted(expert_n):
        G.add_node(code, **_country(data, code), expert_actions=expert_n[code])
    for (u, v), iris in sorted(shared.items()):
        G.add_edge(u, v, weight=len(iris), actions=sorted(iris))
    return G


def comobilisation(store, filters: Filters | None = None) -> nx.Graph:
    """The network of expert countries that served together.

    Nodes are the expert countries of the selected actions (attributes as in
    :func:`bipartite`, without ``role`` and ``partner_actions``); an edge joins two
    countries whose experts served on the same action, with ``weight`` (the number of
    such actions) and ``actions`` (their IRIs, sorted).

    Examples
    --------
    >>> G = comobilisation(example_cooperation())
    >>> sorted(G.nodes), list(G.edges(data="weight"))
    (['CR', 'ES', 'FR'], [('ES', 'FR', 1)])
    """
    data = _data(store)
    f = filters or Filters()
    return _comobilisation(data, select(data, f), f)


def _institutions(data: Cooperation, actions: Iterable[Action], filters: Filters) -> nx.Graph:
    actions = list(actions)
    partnered: Counter[str] = Counter()
    links: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for a in actions:
        for i in a.institutions:
            partnered[i] += 1
            own = data.institutions[i].country if i in data.institutions else None
            if own:
                links[i, own]["country"].add(a.iri)
            for e in a.experts:
                links[i, e]["expert"].add(a.iri)
    G = nx.Graph(filters=filters.parameters(), actions=len(actions))
    for i in sorted(partnered):
        inst = data.institutions.get(i) or Institution(i, i)
        G.add_node(
            i,
            kind="institution",
            label=inst.label,
            country=inst.country,
            partner_actions=partnered[i],
        )
    for code in sorted({c for _, c in links}):
        G.add_node(code, kind="country", **_country(data, code))
    for (i, code), by in sorted(links.items()):
        iris = set().union(*by.values())
        relation = "both" if len(by) == 2 else next(iter(by))
        G.add_edge(i, code, weight=len(iris), relation=relation, actions=sorted(iris))
    return G


def institutions(store, filters: Filters | None = None) -> nx.Graph:
    """The network of partner institutions and countries.

    Institution nodes are keyed by IRI, with ``kind="institution"``, ``label``,
    ``country`` (alpha-2 code, None when unknown) and ``partner_actions`` (the number of
    selected actions it was a partner institution of); country nodes are keyed by
    alpha-2 code with ``kind="country"`` and the attributes of :func:`bipartite`'s
    nodes (without ``role`` and the counts). An institution is linked to its own
    country and to the expert countries of its actions; an edge has ``weight`` (the
    number of distinct actions behind it), ``relation`` (``"country"``, ``"expert"``
    or ``"both"``) and ``actions`` (their IRIs, sorted).

    Examples
    --------
    >>> G = institutions(example_cooperation())
    >>> mtpe = "https://w3id.org/coopgraph/id/organisation/mtpe"
    >>> sorted((v, d["weight"], d["relation"]) for _, v, d in G.edges(mtpe, data=True))
    [('ES', 2, 'expert'), ('FR', 1, 'expert'), ('PE', 2, 'country')]
    """
    data = _data(store)
    f = filters or Filters()
    return _institutions(data, select(data, f), f)


# -- the report ----------------------------------------------------------------------------


def _country_metrics(G: nx.DiGraph) -> tuple[dict[str, dict], list[list[str]], str | None]:
    """Per-country metrics of the bipartite graph ``G``; centralities and communities
    are computed on its undirected view (reciprocal weights summed)."""
    U = analytics.undirected(G)
    out, into = (analytics.strength(G, direction=d) for d in ("out", "in"))
    between, rank = analytics.betweenness(U), analytics.pagerank(U)
    eigen = analytics.eigenvector(U)
    groups = analytics.communities(U)
    community = {code: k for k, members in enumerate(groups, 1) for code in members}
    metrics = {
        code: {
            "iri": d["iri"],
            "label": d["label"],
            "role": d["role"],
            "eu_member": d["eu_member"],
            "expert_actions": d["expert_actions"],
            "partner_actions": d["partner_actions"],
            "strength_out": out[code],
            "strength_in": into[code],
            "betweenness": between[code],
            "pagerank": rank[code],
            "eigenvector": None if eigen is None else eigen[code],
            "community": community[code],
        }
        for code, d in sorted(G.nodes(data=True))
    }
    note = None if eigen is not None else "eigenvector centrality did not converge: left out"
    return metrics, groups, note


def report(store, filters: Filters | None = None, *, top: int = 10) -> dict:
    """The network analysis as plain data (JSON-ready).

    Keys: ``filters`` (those given), ``counts`` (actions, dated actions, actions
    without a known partner country, expert and partner countries, corridors,
    mobilisations i.e. expert-country–action pairs, co-mobilised pairs, partner
    institutions), ``corridors`` (the ``top`` strongest, see
    :func:`kg.analytics.corridors`), ``central`` (the ``top`` countries by PageRank),
    ``metrics`` (every country's metrics: strengths, betweenness, PageRank, eigenvector
    centrality, community; centralities on the undirected view of :func:`bipartite`),
    ``eigenvector_note`` (None, or why eigenvector centrality is missing),
    ``communities`` (lists of codes, Louvain), ``co_mobilisation`` (the ``top`` pairs
    of expert countries that served together), ``concentration``, ``triangular`` (see
    :mod:`kg.analytics`) and ``per_year`` (:func:`kg.analytics.evolution` of each
    year's bipartite graph, for the dated actions).

    Examples
    --------
    >>> data = report(example_cooperation())
    >>> data["counts"]["actions"], data["counts"]["mobilisations"], data["concentration"]["top"]
    (4, 5, 'ES')
    >>> round(data["triangular"]["share"], 2), [y["year"] for y in data["per_year"]]
    (0.2, [2022, 2023])
    """
    data = _data(store)
    f = filters or Filters()
    actions = select(data, f)
    G = _bipartite(data, actions, f)
    C = _comobilisation(data, actions, f)
    metrics, groups, note = _country_metrics(G)
    by_year: dict[int, list[Action]] = defaultdict(list)
    for a in actions:
        if a.year is not None:
            by_year[a.year].append(a)
    yearly = {
        y: _bipartite(data, acts, replace(f, since=y, until=y)) for y, acts in by_year.items()
    }
    roles = Counter(d["role"] for _, d in G.nodes(data=True))
    pairs = sorted(C.edges(data="weight"), key=lambda e: (-e[2], *sorted(e[:2])))
    return {
        "filters": f.parameters(),
        "counts": {
            "actions": len(actions),
            "dated_actions": sum(len(a) for a in by_year.values()),
            "actions_without_partner_country": sum(1 for a in actions if not a.partners),
            "expert_countries": roles["expert"] + roles["both"],
            "partner_countries": roles["partner"] + roles["both"],
            "corridors": G.number_of_edges(),
            "mobilisations": sum(len(a.experts) for a in actions),
            "co_mobilised_pairs": C.number_of_edges(),
            "partner_institutions": len({i for a in actions for i in a.institutions}),
        },
        "corridors": analytics.corridors(G, top=top),
        "central": [
            {"country": code, **{k: v for k, v in m.items() if k != "iri"}}
            for code, m in sorted(metrics.items(), key=lambda i: (-i[1]["pagerank"], i[0]))
        ][:top],
        "metrics": metrics,
        "eigenvector_note": note,
        "communities": groups,
        "co_mobilisation": [{"countries": sorted((u, v)), "actions": w} for u, v, w in pairs[:top]],
        "concentration": analytics.concentration(G),
        "triangular": analytics.triangular_share(G),
        "per_year": analytics.evolution(yearly),
    }


def _named(data: Mapping[str, Any], code: str) -> str:
    metrics = data["metrics"].get(code)
    return f"{code} {metrics['label']}" if metrics else code


def _corridor(c: Mapping | None) -> str:
    return "–" if c is None else f"{c['expert']} -> {c['partner']} ({c['actions']})"


def _corridor_rows(data: Mapping[str, Any]) -> list[list]:
    return [
        [
            str(k),
            _named(data, r["expert"]),
            _named(data, r["partner"]),
            r["actions"],
            " ".join(r["themes"]),
        ]
        for k, r in enumerate(data["corridors"], 1)
    ]


def _central_rows(data: Mapping[str, Any]) -> list[list]:
    keys = ("strength_out", "strength_in", "betweenness", "pagerank", "eigenvector", "community")
    return [[_named(data, r["country"]), r["role"], *(r[k] for k in keys)] for r in data["central"]]


def _community_rows(data: Mapping[str, Any]) -> list[list]:
    return [[str(k), len(g), " ".join(g)] for k, g in enumerate(data["communities"], 1)]


def _concentration_rows(data: Mapping[str, Any]) -> list[list]:
    c, t = data["concentration"], data["triangular"]
    return [
        ["expert-country–action pairs", c["pairs"]],
        ["top expert country", _named(data, c["top"]) if c["top"] else "–"],
        ["its share of pairs", c["top_share"]],
        ["HHI over expert countries", c["hhi"]],
        ["triangular share (non-EU experts)", t["share"]],
        ["non-EU expert countries", " ".join(t["countries"]) or "–"],
    ]


def _year_rows(data: Mapping[str, Any]) -> list[list]:
    keys = ("actions", "pairs", "top", "top_share", "hhi", "triangular_share")
    return [
        [str(y["year"]), *(y[k] for k in keys), _corridor(y["top_corridor"])]
        for y in data["per_year"]
    ]


#: The tables :func:`render_report` prints: title, column headings, rows of a report.
TABLES = (
    ("Top corridors", ("#", "expert", "partner", "actions", "themes"), _corridor_rows),
    (
        "Central countries",
        ("country", "role", "out", "in", "betweenness", "PageRank", "eigenvector", "community"),
        _central_rows,
    ),
    ("Communities (Louvain)", ("#", "size", "countries"), _community_rows),
    ("Concentration", ("measure", "value"), _concentration_rows),
    (
        "Per year",
        ("year", "actions", "pairs", "top", "top share", "HHI", "triangular", "top corridor"),
        _year_rows,
    ),
)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render_report(data: Mapping[str, Any]):
    """Rich tables of a :func:`report` for the terminal, one per entry of
    :data:`TABLES`, after a line of filters and counts: one renderable to print.

    Examples
    --------
    >>> import io
    >>> from rich.console import Console
    >>> console = Console(width=120, record=True, file=io.StringIO())
    >>> console.print(render_report(report(example_cooperation())))
    >>> text = console.export_text()
    >>> [title for title, _, _ in TABLES if title not in text]
    []
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    shown = ", ".join(f"{k}={v}" for k, v in data["filters"].items()) or "none"
    counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in data["counts"].items())
    parts: list[Any] = [Text(f"Filters: {shown}\n{counts}")]
    for title, columns, rows in TABLES:
        table = Table(*columns, title=title, title_justify="left")
        for row in rows(data):
            table.add_row(*(_cell(v) for v in row))
        parts.append(table)
    if data.get("eigenvector_note"):
        parts.append(Text(data["eigenvector_note"]))
    return Group(*parts)


# -- writing the results back -----------------------------------------------------------


def _digest(*parts: object) -> str:
    text = "\x1f".join(json.dumps(p, sort_keys=True, default=str) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


#: Per-country metrics written back (keys of ``report()["metrics"][code]``).
COUNTRY_METRICS = (
    "expert_actions",
    "partner_actions",
    "strength_out",
    "strength_in",
    "betweenness",
    "pagerank",
    "eigenvector",
    "community",
)
#: Network-wide metrics written back, for the whole period and for each year.
NETWORK_METRICS = ("pairs", "top_share", "hhi", "triangular_share")


def _network_values(data: Mapping[str, Any]) -> list[tuple[str, Any, str | None, int | None]]:
    """(metric, value, about: country code or None, year or None) of the network-wide
    metrics, overall and per year."""
    c, t = data["concentration"], data["triangular"]
    rows = [
        ("actions", data["counts"]["actions"], None, None),
        ("pairs", c["pairs"], None, None),
        ("top_share", c["top_share"], c["top"], None),
        ("hhi", c["hhi"], None, None),
        ("triangular_share", t["share"], None, None),
    ]
    for y in data["per_year"]:
        rows += [("actions", y["actions"], None, y["year"])]
        rows += [
            (m, y[m], y["top"] if m == "top_share" else None, y["year"]) for m in NETWORK_METRICS
        ]
    return rows


def analytics_graph(
    data: Mapping[str, Any],
    *,
    parameters: Mapping[str, Any],
    software_version: str,
    when: datetime | str,
):
    """The RDF of a :func:`report` (an rdflib ``Graph``; see :func:`write_back`).

    Examples
    --------
    >>> g = analytics_graph(report(example_cooperation()), parameters={},
    ...                     software_version="0.1.0", when="2025-01-02T03:04:05+00:00")
    >>> from rdflib.namespace import PROV, RDF
    >>> len(list(g.subjects(RDF.type, PROV.Activity)))
    1
    """
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import PROV, RDF, SDO, XSD

    stamp = (when if isinstance(when, datetime) else datetime.fromisoformat(when)).isoformat()
    params = {k: str(v) for k, v in sorted(parameters.items()) if v is not None}
    g = Graph()
    activity = URIRef(f"{ID}analysis/{_digest(params, stamp, software_version)}")
    agent = URIRef(f"{ID}software/coopgraph-{_digest(software_version)}")
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, SDO.name, Literal("coopgraph network analysis")))
    g.add((activity, PROV.startedAtTime, Literal(stamp, datatype=XSD.dateTime)))
    g.add((activity, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, SDO.name, Literal("coopgraph")))
    g.add((agent, SDO.softwareVersion, Literal(software_version)))
    for name, value in params.items():
        node = URIRef(f"{ID}parameter/{_digest(activity, name)}")
        g.add((activity, PROV.used, node))
        g.add((node, RDF.type, SDO.PropertyValue))
        g.add((node, SDO.name, Literal(name)))
        g.add((node, SDO.value, Literal(value)))
    iri = {code: m["iri"] for code, m in data["metrics"].items()}
    values = [(m, v[m], code, None) for code, v in data["metrics"].items() for m in COUNTRY_METRICS]
    for name, value, about, year in values + _network_values(data):
        if value is None:
            continue
        node = URIRef(f"{ID}metric/{_digest(activity, name, about, year)}")
        g.add((node, RDF.type, SDO.PropertyValue))
        g.add((node, SDO.name, Literal(name)))
        g.add((node, SDO.value, Literal(value)))
        g.add((node, PROV.wasGeneratedBy, activity))
        if about is not None:
            g.add((node, SDO.about, URIRef(iri.get(about, f"{ID}country/{about}"))))
        if year is not None:
            g.add((node, SDO.temporalCoverage, Literal(str(year), datatype=XSD.gYear)))
    return g


def write_back(
    store_path: Path,
    data: Mapping[str, Any],
    *,
    parameters: Mapping[str, Any],
    software_version: str,
    when: datetime | str,
) -> int:
    """Store a :func:`report` as RDF in the named graph :data:`ANALYTICS_GRAPH` of the
    embedded store at ``store_path``, replacing what it held in one update (see
    :meth:`kg.store.EmbeddedStore.replace`); returns the number of triples written.

    Each metric value is a ``schema:PropertyValue`` with ``schema:name`` (the metric:
    one of :data:`COUNTRY_METRICS`, ``actions`` or :data:`NETWORK_METRICS`),
    ``schema:value``, ``schema:about`` (the country, for a country's metric and for
    ``top_share``), ``schema:temporalCoverage`` (an ``xsd:gYear``, for a year's
    metric) and ``prov:wasGeneratedBy`` a ``prov:Activity`` that has
    ``prov:startedAtTime`` ``when``, ``prov:used`` one ``schema:PropertyValue`` per
    parameter (name, value) and ``prov:wasAssociatedWith`` a ``prov:SoftwareAgent``
    with ``schema:softwareVersion``. IRIs are minted from the inputs: the same report,
    parameters, version and time give the same triples.

    Raises
    ------
    FileNotFoundError
        When there is no store at ``store_path``.
    ValueError
        When ``when`` is not an ISO 8601 date-time.
    """
    from rdflib import URIRef

    from kg.store import EmbeddedStore

    if not (Path(store_path) / "oxigraph").is_dir():
        raise FileNotFoundError(f"{store_path}: no coopgraph store here (run `coopgraph build`)")

    g = analytics_graph(data, parameters=parameters, software_version=software_version, when=when)
    db = EmbeddedStore(Path(store_path))
    db.replace({URIRef(ANALYTICS_GRAPH): g})
    del db
    return len(g)
