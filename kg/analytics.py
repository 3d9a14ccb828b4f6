"""Metrics on the cooperation networks of :mod:`kg.network`: graphs in, plain dicts out.

The graphs are those :mod:`kg.network` builds, or any graph shaped like them: edges
carry a ``weight`` (a number of actions); in the bipartite graph an edge runs from an
expert country to a partner country and may carry the sorted ``actions`` and ``themes``
it stands for, and a country node carries ``eu_member`` and, optionally,
``expert_actions`` (the number of actions its experts served on).

Words used throughout:

*expert-country–action pair*
    one country whose experts served on one action, counted once however many experts
    or institutions of that country served (a mobilisation). A country's pairs are its
    node's ``expert_actions`` when set, else the distinct actions on its out-edges; the
    first also counts actions whose partner country is unknown, which have no edge.
*strength*
    the weighted degree: the sum of the weights of a node's edges.

Every result is ordered deterministically: dicts by node, lists by the ranking they
state and then by node. Floats are returned as computed; round them when printing.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

#: The seed of the Louvain method, so that communities are the same on every run.
SEED = 42


def undirected(G: nx.Graph) -> nx.Graph:
    """``G`` as an undirected graph with the nodes and edges in sorted order.

    The weights of the two edges of a reciprocal pair (u -> v and v -> u) are summed;
    node attributes are kept, edges keep only their ``weight``. An undirected graph
    comes back as a sorted copy.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("FR", "PE", weight=2)
    >>> G.add_edge("PE", "FR", weight=1)
    >>> G.add_edge("ES", "PE", weight=1)
    >>> sorted(undirected(G).edges(data="weight"))
    [('ES', 'PE', 1), ('FR', 'PE', 3)]
    """
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes(data=True), key=lambda item: item[0]))
    for u, v, w in sorted(G.edges(data="weight", default=1)):
        if H.has_edge(u, v):
            H[u][v]["weight"] += w
        else:
            H.add_edge(u, v, weight=w)
    return H


def strength(G: nx.Graph, *, direction: str = "total") -> dict:
    """The weighted degree of every node: node -> sum of its edges' weights.

    Parameters
    ----------
    G : networkx graph, edges weighted by ``weight`` (1 when absent)
    direction : ``"out"``, ``"in"`` or ``"total"``; ``"out"`` and ``"in"`` need a
        directed graph.

    Raises
    ------
    ValueError
        For an unknown direction, or ``in``/``out`` on an undirected graph.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("FR", "PE", weight=3)
    >>> G.add_edge("ES", "PE", weight=2)
    >>> strength(G, direction="in")
    {'ES': 0, 'FR': 0, 'PE': 5}
    >>> strength(G)
    {'ES': 2, 'FR': 3, 'PE': 5}
    """
    if direction == "total":
        degrees = G.degree(weight="weight")
    elif direction in ("in", "out") and G.is_directed():
        degrees = getattr(G, f"{direction}_degree")(weight="weight")
    else:
        raise ValueError(f"direction {direction!r}: use 'in' or 'out' (directed) or 'total'")
    return {n: degrees[n] for n in sorted(G)}


def _with_distance(G: nx.Graph) -> nx.Graph:
    H = G.copy()
    for _, _, d in H.edges(data=True):
        d["distance"] = 1 / d.get("weight", 1)
    return H


def betweenness(G: nx.Graph, *, normalized: bool = True) -> dict:
    """Weighted betweenness centrality: node -> share of shortest paths through it.

    A stronger tie is a shorter one: an edge's length is ``1 / weight``. Paths follow
    the edges' direction in a directed graph. Normalised as networkx does (by the
    number of pairs of other nodes) unless ``normalized=False``.

    Examples
    --------
    The centre of a star lies on the path between every two leaves:

    >>> betweenness(nx.star_graph(3))
    {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0}

    Two strong ties (length 1/4 each) beat one weak tie (length 1), so the shortest
    path from a to b goes through c:

    >>> G = nx.Graph([("a", "b", {"weight": 1}), ("a", "c", {"weight": 4}),
    ...               ("b", "c", {"weight": 4})])
    >>> betweenness(G)
    {'a': 0.0, 'b': 0.0, 'c': 1.0}
    """
    values = nx.betweenness_centrality(_with_distance(G), weight="distance", normalized=normalized)
    return {n: values[n] for n in sorted(G)}


def pagerank(G: nx.Graph, *, alpha: float = 0.85) -> dict:
    """Weighted PageRank: node -> score, the scores summing to 1.

    Examples
    --------
    On the path a - b - c the middle node scores x = 0.135 / 0.2775 (solve
    x = 0.05 + 0.85 * 2y, y = 0.05 + 0.85 * x / 2):

    >>> {n: round(v, 4) for n, v in pagerank(nx.path_graph("abc")).items()}
    {'a': 0.2568, 'b': 0.4865, 'c': 0.2568}
    >>> pagerank(nx.Graph())
    {}
    """
    if len(G) == 0:
        return {}
    values = nx.pagerank(G, alpha=alpha, weight="weight")
    return {n: values[n] for n in sorted(G)}


def eigenvector(G: nx.Graph, *, max_iter: int = 1000) -> dict | None:
    """Weighted eigenvector centrality (Euclidean norm 1), or None when the power
    iteration does not converge within ``max_iter`` steps.

    Examples
    --------
    On the path a - b - c the leading eigenvector is (1, √2, 1) / 2:

    >>> {n: round(v, 4) for n, v in eigenvector(nx.path_graph("abc")).items()}
    {'a': 0.5, 'b': 0.7071, 'c': 0.5}
    >>> eigenvector(nx.path_graph("abc"), max_iter=1) is None
    True
    """
    if len(G) == 0:
        return {}
    try:
        values = nx.eigenvector_centrality(G, max_iter=max_iter, weight="weight")
    except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
        return None
    return {n: values[n] for n in sorted(G)}


def communities(G: nx.Graph, *, seed: int = SEED) -> list[list]:
    """Communities by networkx's Louvain method (weighted, seeded): a list of sorted
    lists of nodes, largest first, ties broken by their first node.

    The graph is first rebuilt with its nodes and edges in sorted order, so the result
    does not depend on the order they were added in.

    Examples
    --------
    Two triangles joined by one weak edge:

    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "b", 3), ("b", "c", 3), ("a", "c", 3),
    ...                            ("d", "e", 3), ("e", "f", 3), ("d", "f", 3),
    ...                            ("c", "d", 1)])
    >>> communities(G)
    [['a', 'b', 'c'], ['d', 'e', 'f']]
    """
    H = G.__class__()
    H.add_nodes_from(sorted(G))
    H.add_weighted_edges_from(sorted(G.edges(data="weight", default=1)))
    found = nx.community.louvain_communities(H, weight="weight", seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def corridors(G: nx.DiGraph, *, top: int | None = None) -> list[dict]:
    """The expert -> partner edges, strongest first (ties by expert, then partner
    code): ``{"expert", "partner", "actions" (the weight), "themes"}``.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("FR", "PE", weight=1, themes=["green_jobs"])
    >>> G.add_edge("ES", "PE", weight=2)
    >>> G.add_edge("CR", "CO", weight=1)
    >>> [(c["expert"], c["partner"], c["actions"]) for c in corridors(G)]
    [('ES', 'PE', 2), ('CR', 'CO', 1), ('FR', 'PE', 1)]
    >>> corridors(G, top=1)[0]["themes"]
    []
    """
    edges = sorted(G.edges(data=True), key=lambda e: (-e[2].get("weight", 1), e[0], e[1]))
    return [
        {
            "expert": u,
            "partner": v,
            "actions": d.get("weight", 1),
            "themes": list(d.get("themes", [])),
        }
        for u, v, d in edges[:top]
    ]


def expert_pairs(G: nx.DiGraph) -> dict:
    """Expert country -> its number of expert-country–action pairs (see the module
    docstring): the node's ``expert_actions`` when set, else the number of distinct
    actions on its out-edges (their ``actions`` lists, or their weights summed when
    the edges carry no lists). Countries with no pair are left out.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("FR", "PE", actions=["a1", "a2"])
    >>> G.add_edge("FR", "CO", actions=["a2"])
    >>> G.add_node("ES", expert_actions=4)
    >>> expert_pairs(G)
    {'ES': 4, 'FR': 2}
    """
    out = {}
    for n, attrs in sorted(G.nodes(data=True), key=lambda item: item[0]):
        count = attrs.get("expert_actions")
        if count is None:
            edges = G.out_edges(n, data=True) if G.is_directed() else G.edges(n, data=True)
            lists = [d.get("actions") for _, _, d in edges]
            if all(a is not None for a in lists):
                count = len({a for actions in lists for a in actions})
            else:
                count = sum(d.get("weight", 1) for _, _, d in edges)
        if count:
            out[n] = count
    return out


def concentration(G: nx.DiGraph) -> dict:
    """How concentrated the expert side is, over expert-country–action pairs.

    Returns ``{"pairs", "top", "top_pairs", "top_share", "hhi"}``: the number of
    pairs, the expert country with most pairs (ties: smallest code), its pairs and its
    share of all pairs, and the Herfindahl–Hirschman index, the sum of the squared
    shares of every expert country (from 1/n for n equal countries to 1 for one; on
    a 0-1 scale, not 0-10,000). With no pair, ``top`` and the ratios are None.

    Examples
    --------
    FR has 4 of 7 pairs, ES 2, CR 1: HHI = (16 + 4 + 1) / 49 = 3/7.

    >>> G = nx.DiGraph()
    >>> G.add_nodes_from([("FR", {"expert_actions": 4}), ("ES", {"expert_actions": 2}),
    ...                   ("CR", {"expert_actions": 1})])
    >>> c = concentration(G)
    >>> c["pairs"], c["top"], c["top_pairs"], round(c["top_share"], 4), round(c["hhi"], 4)
    (7, 'FR', 4, 0.5714, 0.4286)
    >>> concentration(nx.DiGraph())["hhi"] is None
    True
    """
    pairs = expert_pairs(G)
    total = sum(pairs.values())
    if not total:
        return {"pairs": 0, "top": None, "top_pairs": 0, "top_share": None, "hhi": None}
    top = min(pairs, key=lambda n: (-pairs[n], n))
    return {
        "pairs": total,
        "top": top,
        "top_pairs": pairs[top],
        "top_share": pairs[top] / total,
        "hhi": sum((count / total) ** 2 for count in pairs.values()),
    }


def triangular_share(G: nx.DiGraph) -> dict:
    """The share of triangular cooperation: of all expert-country–action pairs, the
    share whose expert country is not a member of the European Union (its node's
    ``eu_member`` is false; a node without it counts as EU, so unknowns never inflate
    the share).

    Returns ``{"pairs", "non_eu_pairs", "share", "countries"}``, ``countries`` being
    the non-EU expert countries, sorted; ``share`` is None when there is no pair.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_nodes_from([("FR", {"expert_actions": 4, "eu_member": True}),
    ...                   ("ES", {"expert_actions": 2, "eu_member": True}),
    ...                   ("CR", {"expert_actions": 1, "eu_member": False})])
    >>> t = triangular_share(G)
    >>> t["pairs"], t["non_eu_pairs"], round(t["share"], 4), t["countries"]
    (7, 1, 0.1429, ['CR'])
    """
    pairs = expert_pairs(G)
    non_eu = sorted(n for n in pairs if G.nodes[n].get("eu_member", True) is False)
    total = sum(pairs.values())
    outside = sum(pairs[n] for n in non_eu)
    return {
        "pairs": total,
        "non_eu_pairs": outside,
        "share": outside / total if total else None,
        "countries": non_eu,
    }


def evolution(graphs: Mapping[int, nx.DiGraph]) -> list[dict]:
    """The concentration, triangular share and strongest corridor of each year's
    graph, by year: ``{"year", "actions", "pairs", "top", "top_share", "hhi",
    "triangular_share", "top_corridor"}``, where ``actions`` is the graph's
    ``actions`` attribute (None when unset) and ``top_corridor`` the first of
    :func:`corridors` (None when the year has no edge).

    Examples
    --------
    >>> G = nx.DiGraph(actions=1)
    >>> G.add_node("CR", eu_member=False)
    >>> G.add_edge("CR", "CO", weight=1, actions=["a3"])
    >>> [(y["year"], y["top"], y["triangular_share"], y["top_corridor"])
    ...  for y in evolution({2023: G, 2022: nx.DiGraph()})][0]
    (2022, None, None, None)
    >>> evolution({2023: G})[0]["top_corridor"]
    {'expert': 'CR', 'partner': 'CO', 'actions': 1, 'themes': []}
    >>> evolution({2023: G})[0]["triangular_share"]
    1.0
    >>> [y["year"] for y in evolution({2023: G, 2022: nx.DiGraph()})]
    [2022, 2023]
    """
    out = []
    for year in sorted(graphs):
        G = graphs[year]
        shares = concentration(G)
        top = corridors(G, top=1)
        out.append(
            {
                "year": year,
                "actions": G.graph.get("actions"),
                "pairs": shares["pairs"],
                "top": shares["top"],
                "top_share": shares["top_share"],
                "hhi": shares["hhi"],
                "triangular_share": triangular_share(G)["share"],
                "top_corridor": top[0] if top else None,
            }
        )
    return out
