"""Network outputs: GraphML/GEXF files, PNG figures and a self-contained HTML view.

Takes the networkx graphs of the cooperation network (country keys or institution
IRIs as nodes, ``weight`` on edges) and the metrics computed from them as plain dicts,
and writes what people open: Gephi, Cytoscape and igraph files, matplotlib figures and
an offline interactive page. Everything is deterministic: the same graph gives the same
bytes (no dates, fixed layout seeds, sorted output).

The ``*_bytes``, ``export_graph``, ``layout`` and ``html_page`` functions are pure; the
``write_*``, figure and ``html_view`` functions write one file and return its path.
Figures are drawn on matplotlib's Agg canvas directly (never ``pyplot``), so they work
the same whatever backend the caller has chosen.
"""

from __future__ import annotations

import html
import io
import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from matplotlib import colormaps, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

#: Joins list-valued attributes (``themes``, ``actions``), which GraphML and GEXF cannot hold.
LIST_SEPARATOR = "|"
#: Seed of every layout.
SEED = 42
#: Largest graph whose overlapping nodes :func:`layout` pushes apart (the cost is n² a round).
SEPARATE_MAX_NODES = 400
#: Resolution of the PNG figures.
DPI = 150
#: Community colours (Tableau 20, strong shades first); nodes in no community are grey.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#bcbd22", "#17becf", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896",
    "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5", "#393b79",
)  # fmt: skip
NO_COMMUNITY = "#c7c7c7"
#: Marker of each ``role`` (bipartite graph) or ``kind`` (institution graph) of node:
#: (matplotlib marker, legend text).
ROLE_MARKERS = {
    "expert": ("o", "sends experts"),
    "partner": ("s", "receives experts"),
    "both": ("D", "both"),
    "institution": ("o", "institution"),
    "country": ("s", "country"),
}
#: Attributes the GEXF 1.2 schema allows on ``<graph>`` (``name`` is not one of them).
GEXF_GRAPH_ATTRIBUTES = frozenset(
    {"timeformat", "start", "startopen", "end", "endopen", "defaultedgetype", "idtype", "mode"}
)


# --- GraphML and GEXF ---------------------------------------------------------------------


def flat_value(value: Any) -> str | bool | int | float | None:
    """One attribute value as GraphML/GEXF can hold it.

    Booleans and numbers are kept; lists and tuples are joined with
    :data:`LIST_SEPARATOR` (sets sorted first); ``None`` gives ``None`` (left out);
    anything else becomes its string.

    Examples
    --------
    >>> flat_value(["education", "employment"])
    'education|employment'
    >>> flat_value(True), flat_value(3), flat_value(None)
    (True, 3, None)
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, set | frozenset):
        value = sorted(value, key=str)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _flat_attributes(data: Mapping[str, Any]) -> dict[str, str | bool | int | float]:
    flat = {str(k): flat_value(v) for k, v in sorted(data.items(), key=lambda kv: str(kv[0]))}
    return {k: v for k, v in flat.items() if v is not None}


def export_graph(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` ready to be written: ids ``n0``, ``n1``… and flat attributes.

    Nodes are numbered in the order of their sorted keys; each keeps its original key
    as the ``node_key`` attribute (``key`` means a multigraph key to networkx's GEXF
    reader), next to ``iri`` and the rest, and gets a ``label`` (the key when it had
    none). Attributes are sorted by name and flattened by
    :func:`flat_value`; edges are added in sorted order, so the copy of two equal
    graphs iterates identically however they were built.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        Any of the cooperation graphs.

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        A new graph of the same class.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("FR", "PE", weight=2, themes=["pensions", "employment"])
    >>> H = export_graph(G)
    >>> dict(H.nodes(data="node_key"))
    {'n0': 'FR', 'n1': 'PE'}
    >>> H.edges["n0", "n1"]
    {'themes': 'pensions|employment', 'weight': 2}
    """
    keys = sorted(G.nodes, key=str)
    ids = {key: f"n{i}" for i, key in enumerate(keys)}
    H = G.__class__()
    H.graph.update(_flat_attributes(G.graph))
    for key in keys:
        data = {"label": str(key), **_flat_attributes(G.nodes[key]), "node_key": str(key)}
        H.add_node(ids[key], **dict(sorted(data.items())))
    edges = []
    for u, v, data in G.edges(data=True):
        i, j = int(ids[u][1:]), int(ids[v][1:])
        if not G.is_directed() and j < i:
            i, j = j, i
        edges.append((i, j, data))
    for i, j, data in sorted(edges, key=lambda e: (e[0], e[1])):
        H.add_edge(f"n{i}", f"n{j}", **_flat_attributes(data))
    return H


def graphml_bytes(G: nx.Graph) -> bytes:
    """``G`` as GraphML that Gephi, Cytoscape, yEd and igraph read.

    Node ids are ``n0``, ``n1``… (valid ``NMTOKEN``\\ s, unlike IRIs), booleans are
    written ``true``/``false`` and the ``<key>`` declarations come in id order.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("https://w3id.org/coopgraph/id/org/x", eu_member=True)
    >>> text = graphml_bytes(G).decode()
    >>> '<node id="n0">' in text, ">true</data>" in text
    (True, True)
    """
    H = export_graph(G)
    H.graph["id"] = "G"
    writer = nx.readwrite.graphml.GraphMLWriter(graph=H, infer_numeric_types=True)
    _lowercase_booleans(writer.xml)
    _sort_keys(writer.xml)
    buffer = io.BytesIO()
    writer.dump(buffer)
    return buffer.getvalue()


def _lowercase_booleans(root: ET.Element) -> None:
    booleans = {k.get("id") for k in root.iter("key") if k.get("attr.type") == "boolean"}
    for data in root.iter("data"):
        if data.get("key") in booleans and data.text:
            data.text = data.text.lower()


def _sort_keys(root: ET.Element) -> None:
    keys = [child for child in root if child.tag == "key"]
    for key in keys:
        root.remove(key)
    for position, key in enumerate(sorted(keys, key=lambda k: int(k.get("id", "d0")[1:]))):
        root.insert(position, key)


def gexf_bytes(G: nx.Graph) -> bytes:
    """``G`` as GEXF 1.2 that Gephi reads, valid against the GEXF 1.2 schema.

    networkx's writer is used with two fixes: ``<graph name="">`` (an attribute the
    schema does not allow) is dropped, and ``<meta>`` carries no ``lastmodifieddate``
    and names ``coopgraph`` as creator, so the output does not change from day to day
    or with the networkx version.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("ES", "FR", weight=3)
    >>> text = gexf_bytes(G).decode()
    >>> 'name=""' in text, "lastmodifieddate" in text, 'weight="3"' in text
    (False, False, True)
    """
    writer = nx.readwrite.gexf.GEXFWriter(graph=export_graph(G), version="1.2draft")
    for meta in writer.xml.iter("meta"):
        meta.attrib.pop("lastmodifieddate", None)
        for creator in meta.iter("creator"):
            creator.text = "coopgraph"
    for graph in writer.xml.iter("graph"):
        for name in set(graph.attrib) - GEXF_GRAPH_ATTRIBUTES:
            del graph.attrib[name]
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write_graphml(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` as GraphML (see :func:`graphml_bytes`) and return the path.

    Examples
    --------
    >>> import tempfile
    >>> G = nx.Graph()
    >>> G.add_edge("ES", "FR", weight=3)
    >>> out = write_graphml(G, Path(tempfile.mkdtemp()) / "network.graphml")
    >>> sorted(nx.read_graphml(out).edges(data="weight"))
    [('n0', 'n1', 3)]
    """
    path = Path(path)
    path.write_bytes(graphml_bytes(G))
    return path


def write_gexf(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` as GEXF 1.2 (see :func:`gexf_bytes`) and return the path.

    Examples
    --------
    >>> import tempfile
    >>> G = nx.Graph()
    >>> G.add_edge("ES", "FR", weight=3)
    >>> out = write_gexf(G, Path(tempfile.mkdtemp()) / "network.gexf")
    >>> dict(nx.read_gexf(out).nodes(data="node_key"))
    {'n0': 'ES', 'n1': 'FR'}
    """
    path = Path(path)
    path.write_bytes(gexf_bytes(G))
    return path


# --- shared by the figures and the HTML view ----------------------------------------------


def layout(
    G: nx.Graph,
    *,
    seed: int = SEED,
    radii: Mapping[Any, float] | None = None,
) -> dict[Any, tuple[float, float]]:
    """Fixed-seed spring layout of ``G`` (edge weights pull), scaled into [0, 1]².

    Nodes are laid out in sorted order, so the positions depend on the graph only,
    not on the order it was built in. Directed graphs are laid out undirected. Given
    ``radii`` (node -> radius, as a fraction of the square's side), overlapping nodes
    are then pushed apart (see :func:`separate`; up to :data:`SEPARATE_MAX_NODES`
    nodes). networkx lays out graphs of 500 nodes or more with scipy: without it they
    are laid out on a circle.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("ES", "FR", weight=3)
    >>> pos = layout(G)
    >>> pos == layout(G), all(0 <= c <= 1 for xy in pos.values() for c in xy)
    (True, True)
    """
    U = nx.Graph()
    U.add_nodes_from(sorted(G.nodes, key=str))
    for u, v, w in weighted_edges(G):
        previous = U.edges[u, v]["weight"] if U.has_edge(u, v) else 0
        U.add_edge(u, v, weight=previous + w)
    if len(U) == 0:
        return {}
    try:
        rounds = 200 if len(U) < 500 else 50  # beyond 500, networkx minimises with scipy
        raw = nx.spring_layout(U, seed=seed, weight="weight", iterations=rounds)
    except ImportError:  # networkx needs scipy for 500 nodes or more
        raw = nx.circular_layout(U)
    points = _unit_square(np.array([raw[n] for n in U], dtype=float))
    if radii is not None and len(U) <= SEPARATE_MAX_NODES:
        points = separate(points, np.array([radii.get(n, 0.0) for n in U], dtype=float))
    return {n: (float(x), float(y)) for n, (x, y) in zip(U, points, strict=True)}


def _unit_square(points: np.ndarray) -> np.ndarray:
    """``points`` shifted and scaled (keeping their aspect) into [0, 1]²."""
    low, high = points.min(axis=0), points.max(axis=0)
    span = float((high - low).max()) or 1.0
    return (points - (low + high) / 2) / span + 0.5


def separate(points: np.ndarray, radii: np.ndarray, *, rounds: int = 300) -> np.ndarray:
    """Push apart the discs (``points``, ``radii``) that overlap, then rescale into [0, 1]².

    Each round moves both discs of every overlapping pair half the overlap away from
    each other; it stops when none overlap or after ``rounds``. Deterministic.

    Examples
    --------
    >>> points = separate(np.array([[0.0, 0.0], [0.01, 0.0], [1.0, 1.0]]),
    ...                   np.array([0.05, 0.05, 0.05]))
    >>> bool(np.hypot(*(points[0] - points[1])) >= 0.0999)
    True
    """
    points = points.copy()
    n = len(points)
    if n < 2:
        return points
    nudge = np.stack([np.cos(np.arange(n)), np.sin(np.arange(n))], axis=1)
    need = radii[:, None] + radii[None, :]
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        delta = points[:, None, :] - points[None, :, :]
        distance = np.hypot(delta[..., 0], delta[..., 1])
        overlap = np.clip(need - distance, 0.0, None)
        np.fill_diagonal(overlap, 0.0)
        if not overlap.any():
            break
        safe = np.where(distance > 1e-9, distance, 1.0)
        direction = np.where(distance[..., None] > 1e-9, delta / safe[..., None], nudge[:, None, :])
        points = points + (direction * (overlap / 2)[..., None]).sum(axis=1)
        points = _unit_square(points)
    return points


def weighted_edges(G: nx.Graph) -> list[tuple[Any, Any, float]]:
    """``(u, v, weight)`` of every edge (weight 1 when missing), in a fixed order.

    Sorted by key; an undirected edge is given with its smaller key first, so the
    order does not depend on how the graph was built.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("FR", "ES", weight=3)
    >>> G.add_edge("FR", "BE")
    >>> weighted_edges(G)
    [('BE', 'FR', 1), ('ES', 'FR', 3)]
    """
    edges = []
    for u, v, w in G.edges(data="weight", default=1):
        if not G.is_directed() and str(v) < str(u):
            u, v = v, u
        edges.append((u, v, w))
    return sorted(edges, key=lambda e: (str(e[0]), str(e[1])))


def community_index(communities: Iterable[Iterable[Any]]) -> dict[Any, int]:
    """Node -> index of its community (in the order given; a node's first one wins).

    Examples
    --------
    >>> community_index([["ES", "FR"], ["BE", "NL"]])
    {'ES': 0, 'FR': 0, 'BE': 1, 'NL': 1}
    """
    index: dict[Any, int] = {}
    for i, members in enumerate(communities):
        for node in members:
            index.setdefault(node, i)
    return index


def community_colour(index: int | None) -> str:
    """Colour of community ``index`` (:data:`PALETTE`, cycling); grey for ``None``.

    Examples
    --------
    >>> community_colour(0), community_colour(None)
    ('#1f77b4', '#c7c7c7')
    """
    return NO_COMMUNITY if index is None else PALETTE[index % len(PALETTE)]


def node_text(G: nx.Graph, node: Any, *, names: bool = False) -> str:
    """Text that stands for ``node``: its country code, or its name.

    Without ``names``: the ``alpha2`` attribute, else the key unless it is an IRI,
    else the ``label``. With ``names``: the ``label``, else the key.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("ES", label="Spain", alpha2="ES")
    >>> G.add_node("https://w3id.org/coopgraph/id/org/sepe", label="SEPE")
    >>> [node_text(G, n) for n in G], node_text(G, "ES", names=True)
    (['ES', 'SEPE'], 'Spain')
    """
    data = G.nodes[node]
    if names:
        return str(data.get("label") or node)
    if data.get("alpha2"):
        return str(data["alpha2"])
    return str(data.get("label") or node) if ":" in str(node) else str(node)


def neighbour_weights(G: nx.Graph, node: Any) -> list[tuple[Any, float]]:
    """Neighbours of ``node`` (both directions) with the weight that links them,
    strongest first (ties by key).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("ES", "PE", weight=11)
    >>> G.add_edge("ES", "CO", weight=4)
    >>> G.add_edge("FR", "PE", weight=2)
    >>> neighbour_weights(G, "ES"), neighbour_weights(G, "PE")
    ([('PE', 11), ('CO', 4)], [('ES', 11), ('FR', 2)])
    """
    weights: dict[Any, float] = {}
    adjacency = [G.succ[node], G.pred[node]] if G.is_directed() else [G.adj[node]]
    for neighbours in adjacency:
        for other, data in neighbours.items():
            weights[other] = weights.get(other, 0) + data.get("weight", 1)
    return sorted(weights.items(), key=lambda kv: (-kv[1], str(kv[0])))


# --- PNG figures --------------------------------------------------------------------------


def _figure(width: float, height: float) -> Figure:
    """A figure on an Agg canvas, with no pyplot state."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: str | Path) -> Path:
    path = Path(path)
    fig.savefig(
        path,
        format="png",
        dpi=DPI,
        bbox_inches="tight",
        pad_inches=0.2,
        metadata={"Software": None},
    )
    return path


def _no_data(title: str, path: str | Path) -> Path:
    """A small figure that says there is nothing to show."""
    fig = _figure(5, 2)
    fig.suptitle(title, fontsize=12)
    fig.text(0.5, 0.4, "No data", ha="center", va="center", color="#666666")
    return _save(fig, path)


def _scale(values: Sequence[float], smallest: float, largest: float) -> list[float]:
    """``values`` mapped linearly onto [smallest, largest] (0 -> smallest, max -> largest)."""
    top = max(values, default=0) or 1
    return [smallest + (largest - smallest) * max(v, 0) / top for v in values]


#: Points per unit of layout in :func:`network_figure` (the unit square is ~8.3 in high).
_POINTS_PER_UNIT = 8.3 * 72


def network_figure(
    G: nx.Graph,
    strength: Mapping[Any, float],
    communities: Iterable[Iterable[Any]],
    path: str | Path,
    *,
    title: str = "Technical cooperation network",
    names: bool = False,
    seed: int = SEED,
) -> Path:
    """Draw the collaboration network as a PNG.

    Node area follows ``strength``, colour the community, marker the ``role`` (when the
    nodes have one); edge width follows ``weight``; the layout is :func:`layout`.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        Co-mobilisation, bipartite or institution graph.
    strength : mapping
        Node -> strength (weighted degree); missing nodes count 0.
    communities : iterable of iterables
        Groups of nodes; nodes in none are grey.
    path : str or Path
        Where the PNG goes.
    title : str
        Figure title.
    names : bool
        Label nodes with names instead of codes (see :func:`node_text`).
    seed : int
        Layout seed.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> G = nx.Graph()
    >>> G.add_edge("ES", "FR", weight=3)
    >>> out = network_figure(G, {"ES": 3, "FR": 3}, [["ES", "FR"]],
    ...                      Path(tempfile.mkdtemp()) / "net.png")
    >>> out.read_bytes()[:4]
    b'\\x89PNG'
    """
    communities = [list(members) for members in communities]
    fig = _figure(12, 9.6)
    ax = fig.add_axes((0.01, 0.02, 0.74, 0.9))
    ax.set_axis_off()
    fig.suptitle(title, fontsize=14, x=0.38, y=0.975)
    nodes = sorted(G.nodes, key=str)
    # marker areas in points², proportional to strength; radii as layout fractions
    sizes = dict(zip(nodes, _scale([strength.get(n, 0) for n in nodes], 140, 1500), strict=True))
    radii = {n: (math.sqrt(s) / 2 * 1.15 + 2) / _POINTS_PER_UNIT for n, s in sizes.items()}
    pos = layout(G, seed=seed, radii=radii)
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.04, 1.04)
    ax.set_aspect("equal")
    _draw_edges(ax, G, pos)
    groups = community_index(communities)
    roles = {n: G.nodes[n].get("role") or G.nodes[n].get("kind") for n in nodes}
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    # largest first, so a small node is never hidden under a large one
    for n in sorted(nodes, key=lambda n: (-sizes[n], str(n))):
        ax.scatter(
            [pos[n][0]],
            [pos[n][1]],
            s=[sizes[n] * (1.0 if ROLE_MARKERS.get(roles[n], "o")[0] == "o" else 0.8)],
            c=[community_colour(groups.get(n))],
            marker=ROLE_MARKERS.get(roles[n], ("o", ""))[0],
            edgecolors="white",
            linewidths=0.8,
        )
        ax.annotate(
            node_text(G, n, names=names),
            pos[n],
            ha="center",
            va="center",
            fontsize=7.5 + 2.5 * (sizes[n] - 140) / 1360,
            path_effects=halo,
        )
    _network_legend(fig, G, nodes, communities, roles, names)
    return _save(fig, path)


def _draw_edges(ax: Any, G: nx.Graph, pos: Mapping[Any, tuple[float, float]]) -> None:
    edges = weighted_edges(G)
    if not edges:
        return
    top = max(w for _, _, w in edges) or 1
    lines = LineCollection(
        [(pos[u], pos[v]) for u, v, _ in edges],
        linewidths=[0.4 + 5.0 * w / top for _, _, w in edges],
        colors="#55606e",
        alpha=0.35,
        zorder=1,
    )
    ax.add_collection(lines)


def _network_legend(
    fig: Figure,
    G: nx.Graph,
    nodes: Sequence[Any],
    communities: Iterable[Iterable[Any]],
    roles: Mapping[Any, Any],
    names: bool,
) -> None:
    communities = [list(members) for members in communities]
    handles = []
    for i, members in enumerate(communities):
        members = sorted(members, key=str)
        shown = ", ".join(node_text(G, n, names=names) for n in members[:8] if n in G)
        more = f" +{len(members) - 8}" if len(members) > 8 else ""
        handles.append(_legend_marker("o", community_colour(i), f"{shown}{more}"))
    if communities and any(n not in community_index(communities) for n in nodes):
        handles.append(_legend_marker("o", NO_COMMUNITY, "no community"))
    present = [r for r in ROLE_MARKERS if r in set(roles.values())]
    for role in present if len(present) > 1 else []:
        marker, text = ROLE_MARKERS[role]
        handles.append(_legend_marker(marker, "white", text, edge="#333333"))
    if handles:
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.75, 0.93),
            fontsize=8,
            frameon=False,
            title="Communities" if communities else None,
            title_fontsize=9,
            alignment="left",
        )


def _legend_marker(marker: str, colour: str, text: str, *, edge: str = "white") -> Line2D:
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=marker,
        markersize=8,
        markerfacecolor=colour,
        markeredgecolor=edge,
        label=text,
    )


def top_corridors(corridors: Iterable[Mapping[str, Any]], top: int = 15) -> list[dict[str, Any]]:
    """The ``top`` strongest corridors, strongest first (ties by expert, then partner).

    Examples
    --------
    >>> top_corridors([{"expert": "FR", "partner": "SN", "weight": 3},
    ...                {"expert": "ES", "partner": "PE", "weight": 11}], top=1)
    [{'expert': 'ES', 'partner': 'PE', 'weight': 11}]
    """
    ranked = sorted(corridors, key=lambda c: (-c["weight"], str(c["expert"]), str(c["partner"])))
    return [dict(c) for c in ranked[:top]]


def corridor_chart(
    corridors: Iterable[Mapping[str, Any]],
    path: str | Path,
    *,
    top: int = 15,
    title: str = "Strongest cooperation corridors",
) -> Path:
    """Horizontal bar chart of the strongest corridors ("ES → PE"), strongest on top.

    Parameters
    ----------
    corridors : iterable of mappings
        Each with ``expert``, ``partner`` (codes) and ``weight`` (number of actions).
    path : str or Path
        Where the PNG goes.
    top : int
        How many corridors to show.
    title : str
        Figure title.

    Examples
    --------
    >>> import tempfile
    >>> out = corridor_chart([{"expert": "ES", "partner": "PE", "weight": 11}],
    ...                      Path(tempfile.mkdtemp()) / "corridors.png")
    >>> out.stat().st_size > 1000
    True
    """
    shown = top_corridors(corridors, top)
    fig = _figure(7, 1.4 + 0.32 * max(len(shown), 1))
    ax = fig.add_subplot()
    labels = [f"{c['expert']} → {c['partner']}" for c in shown]
    weights = [c["weight"] for c in shown]
    bars = ax.barh(range(len(shown)), weights, color=PALETTE[0], height=0.7)
    ax.bar_label(bars, padding=3, fontsize=8)
    ax.set_yticks(range(len(shown)), labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("Actions")
    ax.set_title(title, fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.1)
    fig.tight_layout()
    return _save(fig, path)


def pivot(
    matrix_rows: Iterable[Mapping[str, Any]] | Mapping[str, Mapping[str, float]],
) -> tuple[list[str], list[str], list[list[float]]]:
    """Expert x partner matrix of ``matrix_rows``.

    ``matrix_rows`` is either records with ``expert``, ``partner`` and ``weight`` (the
    shape of the corridors), or a nested mapping expert -> partner -> weight. Rows and
    columns are ordered by their totals, largest first (ties by code); repeated pairs
    add up.

    Returns
    -------
    tuple
        (experts, partners, matrix) with ``matrix[i][j]`` the weight from expert
        ``i`` to partner ``j``.

    Examples
    --------
    >>> pivot([{"expert": "ES", "partner": "PE", "weight": 11},
    ...        {"expert": "FR", "partner": "SN", "weight": 3},
    ...        {"expert": "FR", "partner": "PE", "weight": 1}])
    (['ES', 'FR'], ['PE', 'SN'], [[11, 0], [1, 3]])
    >>> pivot({"ES": {"PE": 11}, "FR": {"SN": 3, "PE": 1}})[2]
    [[11, 0], [1, 3]]
    """
    if isinstance(matrix_rows, Mapping):
        matrix_rows = [
            {"expert": e, "partner": p, "weight": w}
            for e, row in matrix_rows.items()
            for p, w in row.items()
        ]
    cells: dict[tuple[str, str], float] = {}
    for row in matrix_rows:
        pair = (str(row["expert"]), str(row["partner"]))
        cells[pair] = cells.get(pair, 0) + row["weight"]
    experts = _by_total(cells, 0)
    partners = _by_total(cells, 1)
    matrix = [[cells.get((e, p), 0) for p in partners] for e in experts]
    return experts, partners, matrix


def _by_total(cells: Mapping[tuple[str, str], float], axis: int) -> list[str]:
    totals: dict[str, float] = {}
    for pair, weight in cells.items():
        totals[pair[axis]] = totals.get(pair[axis], 0) + weight
    return sorted(totals, key=lambda k: (-totals[k], k))


def heatmap(
    matrix_rows: Iterable[Mapping[str, Any]] | Mapping[str, Mapping[str, float]],
    path: str | Path,
    *,
    title: str = "Actions by expert and partner country",
    max_experts: int = 40,
    max_partners: int = 60,
    annotate_max: int = 2400,
) -> Path:
    """Heat map of the expert x partner matrix (rows experts, columns partners).

    Rows and columns are ordered by total, largest first; past ``max_experts`` rows or
    ``max_partners`` columns the smallest are left out (the title says so). Cells hold
    their count while the matrix has at most ``annotate_max`` cells.

    Parameters
    ----------
    matrix_rows : iterable of mappings, or mapping
        Records with ``expert``, ``partner`` and ``weight``, or expert -> partner ->
        weight (see :func:`pivot`).
    path : str or Path
        Where the PNG goes.
    title : str
        Figure title.
    max_experts, max_partners : int
        How many rows and columns at most.
    annotate_max : int
        Largest number of cells that still get their count written in.

    Examples
    --------
    >>> import tempfile
    >>> out = heatmap([{"expert": "ES", "partner": "PE", "weight": 11}],
    ...               Path(tempfile.mkdtemp()) / "heatmap.png")
    >>> out.read_bytes()[:4]
    b'\\x89PNG'
    """
    experts, partners, matrix = pivot(matrix_rows)
    if not experts:
        return _no_data(title, path)
    if len(experts) > max_experts or len(partners) > max_partners:
        title = (
            f"{title} (top {min(len(experts), max_experts)} x {min(len(partners), max_partners)})"
        )
        experts, partners = experts[:max_experts], partners[:max_partners]
        matrix = [row[:max_partners] for row in matrix[:max_experts]]
    fig = _figure(2.8 + 0.3 * len(partners), 2.4 + 0.3 * len(experts))
    ax = fig.add_subplot()
    top = max((v for row in matrix for v in row), default=0) or 1
    masked = [[v if v else math.nan for v in row] for row in matrix]
    image = ax.imshow(masked, cmap=_BLUES, vmin=0, vmax=top, aspect="equal")
    ax.set_xticks(range(len(partners)), partners, rotation=90, fontsize=8)
    ax.set_yticks(range(len(experts)), experts, fontsize=8)
    ax.set_xlabel("Partner country (receives experts)")
    ax.set_ylabel("Expert country (sends experts)")
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    ax.set_xticks([x - 0.5 for x in range(1, len(partners))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(experts))], minor=True)
    ax.grid(which="minor", color="#e6e6e6", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    if len(experts) * len(partners) <= annotate_max:
        _annotate_cells(ax, matrix, top)
    fig.colorbar(image, ax=ax, shrink=0.5, pad=0.02, label="Actions")
    ax.set_title(title, fontsize=12, pad=12)
    fig.tight_layout()
    return _save(fig, path)


#: Light to dark blue: the lightest (count 1) still stands out from an empty cell.
_BLUES = ListedColormap(colormaps["Blues"](np.linspace(0.18, 1.0, 256)))


def _annotate_cells(ax: Any, matrix: Sequence[Sequence[float]], top: float) -> None:
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                colour = "white" if value > top / 2 else "#1a1a1a"
                ax.text(j, i, f"{value:g}", ha="center", va="center", fontsize=6.5, color=colour)


def year_series(
    per_year_counts: Mapping[Any, float | Mapping[str, float]], *, count: str = "actions"
) -> tuple[list[str], list[float]]:
    """Years and counts in order, with the missing years in between given 0.

    A year's value is its count, or a mapping (the ``timeline`` metric,
    ``{"2021": {"actions": 5, ...}}``) whose ``count`` entry is taken.

    Examples
    --------
    >>> year_series({"2023": 4, 2021: 5})
    (['2021', '2022', '2023'], [5, 0, 4])
    >>> year_series({"2021": {"actions": 5, "experts": 9}}, count="experts")
    (['2021'], [9])
    """
    counts = {
        str(k): v.get(count, 0) if isinstance(v, Mapping) else v for k, v in per_year_counts.items()
    }
    if counts and all(k.isdigit() for k in counts):
        first, last = min(map(int, counts)), max(map(int, counts))
        years = [str(y) for y in range(first, last + 1)]
    else:
        years = sorted(counts)
    return years, [counts.get(y, 0) for y in years]


def timeline(
    per_year_counts: Mapping[Any, float | Mapping[str, float]],
    path: str | Path,
    *,
    count: str = "actions",
    title: str = "Actions per year",
    ylabel: str = "Actions",
) -> Path:
    """Bar chart of a count per year (gaps between years shown as 0).

    Parameters
    ----------
    per_year_counts : mapping
        Year (``"2021"`` or ``2021``) -> count, or -> mapping holding the count under
        ``count`` (see :func:`year_series`).
    path : str or Path
        Where the PNG goes.
    count : str
        Which count to chart when the years map to mappings.
    title, ylabel : str
        Figure title and axis label.

    Examples
    --------
    >>> import tempfile
    >>> out = timeline({"2021": 5, "2022": 8}, Path(tempfile.mkdtemp()) / "timeline.png")
    >>> out.read_bytes()[:4]
    b'\\x89PNG'
    """
    years, counts = year_series(per_year_counts, count=count)
    fig = _figure(max(5.0, 1.5 + 0.45 * len(years)), 3.6)
    ax = fig.add_subplot()
    bars = ax.bar(range(len(years)), counts, color=PALETTE[0], width=0.7)
    ax.bar_label(bars, padding=2, fontsize=8)
    rotation = 45 if len(years) > 12 else 0
    ax.set_xticks(range(len(years)), years, rotation=rotation, fontsize=9)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.12)
    fig.tight_layout()
    return _save(fig, path)


# --- HTML view ----------------------------------------------------------------------------

#: Size of the SVG drawing area of the HTML view (viewBox units).
VIEW_WIDTH, VIEW_HEIGHT, VIEW_MARGIN = 1000, 760, 50


def view_data(
    G: nx.Graph,
    strength: Mapping[Any, float],
    communities: Iterable[Iterable[Any]],
    *,
    seed: int = SEED,
    partners: int = 5,
) -> dict[str, Any]:
    """Everything the HTML view draws, as plain JSON-ready data.

    Returns
    -------
    dict
        ``nodes``: list (sorted by key) of dicts with ``id`` (``n0``…), ``key``,
        ``code``, ``label``, ``iri``, ``strength``, ``community`` (index or ``None``),
        ``role``, ``x``, ``y``, ``r`` (radius), ``top`` (up to ``partners``
        ``[label, weight]`` pairs); ``edges``: list of ``[source id, target id, weight,
        width]``; ``communities``: list of ``{"colour", "members"}``.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("ES", "FR", weight=3)
    >>> data = view_data(G, {"ES": 3, "FR": 3}, [["ES", "FR"]])
    >>> [(n["id"], n["key"], n["top"]) for n in data["nodes"]]
    [('n0', 'ES', [['FR', 3]]), ('n1', 'FR', [['ES', 3]])]
    >>> data["edges"]
    [['n0', 'n1', 3, 6.0]]
    """
    communities = [list(members) for members in communities]
    keys = sorted(G.nodes, key=str)
    ids = {k: f"n{i}" for i, k in enumerate(keys)}
    areas = _scale([strength.get(k, 0) for k in keys], 10**2, 30**2)
    radii = [math.sqrt(a) for a in areas]
    span = min(VIEW_WIDTH, VIEW_HEIGHT) - 2 * VIEW_MARGIN
    pos = layout(G, seed=seed, radii={k: (r + 3) / span for k, r in zip(keys, radii, strict=True)})
    groups = community_index(communities)
    x_off = (VIEW_WIDTH - span) / 2
    nodes = []
    for key, radius in zip(keys, radii, strict=True):
        data = G.nodes[key]
        x, y = pos[key]
        top = neighbour_weights(G, key)[:partners]
        nodes.append(
            {
                "id": ids[key],
                "key": str(key),
                "code": node_text(G, key),
                "label": str(data.get("label") or key),
                "iri": str(data.get("iri", key if ":" in str(key) else "")),
                "strength": _number(strength.get(key, 0)),
                "community": groups.get(key),
                "role": data.get("role") or data.get("kind"),
                "x": round(x_off + x * span, 1),
                "y": round(VIEW_MARGIN + (1 - y) * span, 1),
                "r": round(radius, 1),
                "top": [[node_text(G, other, names=True), _number(w)] for other, w in top],
            }
        )
    return {
        "nodes": nodes,
        "edges": _view_edges(G, ids),
        "communities": [
            {"colour": community_colour(i), "members": sorted(map(str, members))}
            for i, members in enumerate(communities)
        ],
    }


def _number(value: float) -> float | int:
    """Integral floats as ints, so JSON and the page show ``51``, not ``51.0``."""
    return int(value) if float(value).is_integer() else round(float(value), 4)


def _view_edges(G: nx.Graph, ids: Mapping[Any, str]) -> list[list[Any]]:
    edges = [(ids[u], ids[v], _number(w)) for u, v, w in weighted_edges(G)]
    top = max((w for _, _, w in edges), default=1) or 1
    return [[u, v, w, round(0.8 + 5.2 * w / top, 2)] for u, v, w in edges]


def html_page(
    G: nx.Graph,
    strength: Mapping[Any, float],
    communities: Iterable[Iterable[Any]],
    *,
    title: str = "Technical cooperation network",
    seed: int = SEED,
) -> str:
    """A self-contained interactive HTML page of the network (no external request).

    The SVG is drawn in the page itself (so it shows without scripts); a little inline
    JavaScript adds a tooltip on hover (name, strength, top partners), highlights a
    node's neighbours on click, a community on a legend click, and zooms with the wheel
    and pans by dragging.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("ES", label="Spain")
    >>> G.add_node("FR", label="France")
    >>> G.add_edge("ES", "FR", weight=3)
    >>> page = html_page(G, {"ES": 3, "FR": 3}, [["ES", "FR"]])
    >>> "Spain" in page, "<script src" in page, page == html_page(G, {"ES": 3, "FR": 3},
    ...                                                            [["ES", "FR"]])
    (True, False, True)
    """
    communities = [list(members) for members in communities]
    data = view_data(G, strength, communities, seed=seed)
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _PAGE.format(
        title=html.escape(title),
        width=VIEW_WIDTH,
        height=VIEW_HEIGHT,
        edges="\n".join(_svg_edge(e, data["nodes"]) for e in data["edges"]),
        nodes="\n".join(_svg_node(n) for n in data["nodes"]),
        legend="\n".join(_legend_item(G, i, c) for i, c in enumerate(data["communities"])),
        other=_other_item(data),
        count=f"{len(data['nodes'])} nodes, {len(data['edges'])} links",
        shapes=_shapes_key(data["nodes"]),
        style=_STYLE,
        script=_SCRIPT,
        payload=payload,
    )


def _svg_edge(edge: Sequence[Any], nodes: Sequence[Mapping[str, Any]]) -> str:
    source, target, weight, width = edge
    a, b = nodes[int(source[1:])], nodes[int(target[1:])]
    return (
        f'<line class="edge" data-s="{source}" data-t="{target}" x1="{a["x"]}" y1="{a["y"]}"'
        f' x2="{b["x"]}" y2="{b["y"]}" stroke-width="{width}"><title>'
        f"{html.escape(a['label'])} – {html.escape(b['label'])}: {weight}</title></line>"
    )


#: SVG drawing and legend glyph of each matplotlib marker of :data:`ROLE_MARKERS`.
_SVG_MARKS = {
    "o": ('<circle r="{r:g}"/>', "●"),
    "s": ('<rect x="{m:g}" y="{m:g}" width="{s:g}" height="{s:g}"/>', "■"),
    "D": ('<rect x="{m:g}" y="{m:g}" width="{s:g}" height="{s:g}" transform="rotate(45)"/>', "◆"),
}


def _svg_node(node: Mapping[str, Any]) -> str:
    marker = ROLE_MARKERS.get(node["role"], ("o", ""))[0]
    r = node["r"]
    side = r * (1.6 if marker == "D" else 1.8)
    mark = _SVG_MARKS[marker][0].format(r=r, m=-side / 2, s=side)
    colour = community_colour(node["community"])
    return (
        f'<g class="node" id="{node["id"]}" tabindex="0" transform="translate({node["x"]},'
        f'{node["y"]})" fill="{colour}">{mark}<text dy="0.35em" font-size="{_font(r)}">'
        f"{html.escape(node['code'])}</text><title>{html.escape(node['label'])}</title></g>"
    )


def _shapes_key(nodes: Sequence[Mapping[str, Any]]) -> str:
    """The legend of node shapes, when the nodes have more than one role (or kind)."""
    present = {n["role"] for n in nodes}
    roles = [role for role in ROLE_MARKERS if role in present]
    if len(roles) < 2:
        return ""
    items = (f"{_SVG_MARKS[ROLE_MARKERS[role][0]][1]} {ROLE_MARKERS[role][1]}" for role in roles)
    return f'<p class="shapes">{" &nbsp; ".join(items)}</p>'


def _font(radius: float) -> float:
    """Font size (px) of a node's code: 10 on the smallest node, 15 on the largest."""
    return round(10 + 5 * (radius - 10) / 20, 1)


def _legend_item(G: nx.Graph, index: int, community: Mapping[str, Any]) -> str:
    members = [m for m in community["members"] if m in G]
    names = ", ".join(html.escape(node_text(G, m, names=True)) for m in members)
    return (
        f'<li data-c="{index}" tabindex="0"><span class="swatch" style="background:'
        f'{community["colour"]}"></span><b>{len(members)}</b> {names}</li>'
    )


def _other_item(data: Mapping[str, Any]) -> str:
    alone = [n for n in data["nodes"] if n["community"] is None]
    if not data["communities"]:
        return "<li>none given</li>"
    if not alone:
        return ""
    return (
        f'<li data-c="none" tabindex="0"><span class="swatch" style="background:{NO_COMMUNITY}">'
        f"</span><b>{len(alone)}</b> in no community</li>"
    )


def html_view(
    G: nx.Graph,
    strength: Mapping[Any, float],
    communities: Iterable[Iterable[Any]],
    path: str | Path,
    *,
    title: str = "Technical cooperation network",
    seed: int = SEED,
) -> Path:
    """Write :func:`html_page` to ``path`` (UTF-8) and return the path.

    Examples
    --------
    >>> import tempfile
    >>> G = nx.Graph()
    >>> G.add_edge("ES", "FR", weight=3)
    >>> out = html_view(G, {"ES": 3}, [], Path(tempfile.mkdtemp()) / "network.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    path = Path(path)
    page = html_page(G, strength, communities, title=title, seed=seed)
    path.write_text(page, encoding="utf-8", newline="\n")
    return path


_STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d2630; background: #f6f7f9; }
header { padding: 10px 18px 4px; }
h1 { font-size: 19px; margin: 0 0 2px; }
header p { margin: 0; color: #5b6673; font-size: 13px; }
main { display: flex; gap: 12px; padding: 8px 18px 18px; align-items: flex-start; }
#stage { flex: 1 1 auto; min-width: 0; background: #fff; border: 1px solid #dde1e6;
  border-radius: 6px; position: relative; }
svg { display: block; width: 100%; height: auto; cursor: grab; touch-action: none;
  user-select: none; }
svg.panning { cursor: grabbing; }
.edge { stroke: #7b8794; stroke-opacity: .35; stroke-linecap: round; }
.node { cursor: pointer; }
.node circle, .node rect { stroke: #fff; stroke-width: 1.5; }
.node text { fill: #1d2630; text-anchor: middle; paint-order: stroke;
  stroke: #fff; stroke-width: 3px; stroke-linejoin: round; pointer-events: none; }
.node:focus { outline: none; }
.node:focus circle, .node:focus rect { stroke: #1d2630; }
svg.dim .edge { stroke-opacity: .06; }
svg.dim .node { opacity: .18; }
svg.dim .edge.on { stroke-opacity: .8; stroke: #334; }
svg.dim .node.on { opacity: 1; }
.node.sel circle, .node.sel rect { stroke: #111; stroke-width: 3; }
aside { flex: 0 0 270px; background: #fff; border: 1px solid #dde1e6; border-radius: 6px;
  padding: 10px 12px; font-size: 13px; max-height: 92vh; overflow: auto; }
aside h2 { font-size: 14px; margin: 4px 0 6px; }
.legend { list-style: none; margin: 0; padding: 0; }
.legend li { padding: 3px 4px; border-radius: 4px; cursor: pointer; }
.legend li:hover, .legend li.on { background: #eef1f5; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  margin-right: 6px; vertical-align: -1px; }
.shapes { color: #5b6673; font-size: 12px; margin-top: 10px; }
#info { margin-top: 12px; border-top: 1px solid #dde1e6; padding-top: 8px; }
#info:empty { display: none; }
#tip { position: fixed; pointer-events: none; background: rgba(29, 38, 48, .94); color: #fff;
  padding: 7px 9px; border-radius: 5px; font-size: 12px; max-width: 280px; z-index: 5; }
#tip b, #info b { font-weight: 600; }
#tip ol, #info ol { margin: 3px 0 0 18px; padding: 0; }
.tools { position: absolute; right: 8px; top: 8px; }
.tools button { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid #c9ced6;
  background: #fff; border-radius: 4px; cursor: pointer; }
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("network-data").textContent);
  var svg = document.getElementById("net");
  var view = document.getElementById("viewport");
  var tip = document.getElementById("tip");
  var info = document.getElementById("info");
  var byId = {}, links = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; links[n.id] = []; });
  data.edges.forEach(function (e) { links[e[0]].push(e[1]); links[e[1]].push(e[0]); });

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c];
    });
  }
  function describe(n) {
    var html = "<b>" + esc(n.label) + "</b> (" + esc(n.code) + ")<br>Strength: " +
      esc(n.strength);
    if (n.community !== null) { html += "<br>Community " + (n.community + 1); }
    if (n.role) { html += "<br>Role: " + esc(n.role); }
    if (n.top.length) {
      html += "<br>Top partners:<ol>" + n.top.map(function (t) {
        return "<li>" + esc(t[0]) + " (" + esc(t[1]) + ")</li>";
      }).join("") + "</ol>";
    }
    return html;
  }

  // highlight: a set of node ids; edges between two lit nodes (or touching the
  // selected one) are lit too.
  function highlight(ids, centre) {
    var on = {};
    ids.forEach(function (id) { on[id] = true; });
    svg.classList.toggle("dim", ids.length > 0);
    svg.querySelectorAll(".node").forEach(function (g) {
      g.classList.toggle("on", !!on[g.id]);
      g.classList.toggle("sel", g.id === centre);
    });
    svg.querySelectorAll(".edge").forEach(function (l) {
      var s = l.getAttribute("data-s"), t = l.getAttribute("data-t");
      var lit = centre ? (s === centre || t === centre) : (on[s] && on[t]);
      l.classList.toggle("on", !!lit);
    });
  }
  var selected = null;
  function clear() {
    selected = null;
    info.innerHTML = "";
    document.querySelectorAll(".legend li").forEach(function (li) {
      li.classList.remove("on");
    });
    highlight([]);
  }
  function select(id) {
    var again = id === selected;
    clear();
    if (again) { return; }
    selected = id;
    highlight([id].concat(links[id]), id);
    info.innerHTML = describe(byId[id]);
  }
  function selectCommunity(li) {
    var wasOn = li.classList.contains("on");
    var c = li.getAttribute("data-c");
    clear();
    if (wasOn) { return; }
    li.classList.add("on");
    highlight(data.nodes.filter(function (n) {
      return c === "none" ? n.community === null : n.community === Number(c);
    }).map(function (n) { return n.id; }), null);
  }

  // zoom and pan: a translate + scale on the viewport group, in viewBox units
  var k = 1, tx = 0, ty = 0;
  function apply() {
    view.setAttribute("transform", "translate(" + tx + "," + ty + ") scale(" + k + ")");
  }
  function toViewBox(evt) {
    var p = svg.createSVGPoint();
    p.x = evt.clientX; p.y = evt.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }
  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var p = toViewBox(evt);
    var factor = Math.exp(-evt.deltaY * 0.0015);
    var next = Math.min(12, Math.max(0.3, k * factor));
    tx = p.x - (p.x - tx) * next / k;
    ty = p.y - (p.y - ty) * next / k;
    k = next;
    apply();
  }, {passive: false});
  var drag = null, moved = false;
  svg.addEventListener("pointerdown", function (evt) {
    if (evt.button !== 0) { return; }
    drag = {p: toViewBox(evt), tx: tx, ty: ty};
    moved = false;
  });
  window.addEventListener("pointermove", function (evt) {
    if (!drag) { return; }
    var p = toViewBox(evt);
    var dx = p.x - drag.p.x, dy = p.y - drag.p.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 3) { return; }
    moved = true;
    svg.classList.add("panning");
    tx = drag.tx + dx; ty = drag.ty + dy;
    apply();
  });
  window.addEventListener("pointerup", function () {
    drag = null;
    svg.classList.remove("panning");
  });
  svg.addEventListener("click", function (evt) {
    if (moved) { moved = false; return; }
    var g = evt.target.closest(".node");
    if (g) { select(g.id); } else { clear(); }
  });
  document.getElementById("reset").addEventListener("click", function (evt) {
    evt.stopPropagation();
    k = 1; tx = 0; ty = 0;
    apply();
  });

  // tooltip
  svg.querySelectorAll(".node").forEach(function (g) {
    var title = g.querySelector("title");
    if (title) { g.removeChild(title); }
    g.addEventListener("pointerenter", function () {
      tip.innerHTML = describe(byId[g.id]);
      tip.hidden = false;
    });
    g.addEventListener("pointermove", function (evt) {
      var x = evt.clientX + 14, y = evt.clientY + 14;
      if (x + tip.offsetWidth > window.innerWidth) { x = evt.clientX - tip.offsetWidth - 14; }
      if (y + tip.offsetHeight > window.innerHeight) { y = evt.clientY - tip.offsetHeight - 14; }
      tip.style.left = x + "px";
      tip.style.top = y + "px";
    });
    g.addEventListener("pointerleave", function () { tip.hidden = true; });
    g.addEventListener("keydown", function (evt) {
      if (evt.key === "Enter" || evt.key === " ") { evt.preventDefault(); select(g.id); }
    });
  });
  document.querySelectorAll(".legend li").forEach(function (li) {
    li.addEventListener("click", function () { selectCommunity(li); });
    li.addEventListener("keydown", function (evt) {
      if (evt.key === "Enter" || evt.key === " ") { evt.preventDefault(); selectCommunity(li); }
    });
  });
}());
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p>{count}. Node size: strength (weighted degree); colour: community; line width: number
of actions. Hover a node for details, click it to highlight its neighbours, scroll to
zoom, drag to pan.</p>
</header>
<main>
<div id="stage">
<div class="tools"><button type="button" id="reset">Reset view</button></div>
<svg id="net" viewBox="0 0 {width} {height}" role="img" aria-label="{title}">
<g id="viewport">
<g class="edges">
{edges}
</g>
<g class="nodes">
{nodes}
</g>
</g>
</svg>
</div>
<aside>
<h2>Communities</h2>
<ul class="legend">
{legend}
{other}
</ul>
{shapes}
<div id="info"></div>
</aside>
</main>
<div id="tip" hidden></div>
<script type="application/json" id="network-data">{payload}</script>
<script>{script}</script>
</body>
</html>
"""


def write_outputs(
    out: str | Path,
    graphs: Mapping[str, nx.Graph],
    data: Mapping[str, Any],
) -> list[Path]:
    """Write every output of a network analysis into the folder ``out``.

    Parameters
    ----------
    graphs
        ``bipartite``, ``comobilisation`` and ``institutions`` graphs (see
        :mod:`kg.network`); each is written as GraphML and GEXF.
    data
        A :func:`kg.network.report`: its metrics size and colour the figures.

    Returns
    -------
    list of Path
        The files written, in a fixed order.
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, graph in graphs.items():
        written.append(write_graphml(graph, folder / f"{name}.graphml"))
        written.append(write_gexf(graph, folder / f"{name}.gexf"))
    bipartite = graphs["bipartite"]
    metrics = data["metrics"]
    strength = {c: m["strength_out"] + m["strength_in"] for c, m in metrics.items()}
    communities = data["communities"]
    corridors = [
        {"expert": u, "partner": v, "weight": w} for u, v, w in bipartite.edges(data="weight")
    ]
    # countries with no link (partners of actions whose experts are unknown) would be
    # flung to the figure's edges by the layout and shrink everything else
    linked = bipartite.subgraph(n for n in bipartite if bipartite.degree(n)).copy()
    isolated = bipartite.number_of_nodes() - linked.number_of_nodes()
    title = "Technical cooperation network" + (
        f" ({isolated} countries without expert links not shown)" if isolated else ""
    )
    written += [
        network_figure(
            linked,
            strength,
            [kept for group in communities if (kept := [c for c in group if c in linked])],
            folder / "network.png",
            title=title,
        ),
        corridor_chart(corridors, folder / "corridors.png"),
        heatmap(corridors, folder / "heatmap.png"),
        timeline({str(y["year"]): y["actions"] for y in data["per_year"]}, folder / "timeline.png"),
        html_view(bipartite, strength, communities, folder / "network.html"),
    ]
    report_file = folder / "report.json"
    report_file.write_text(
        json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
    written.append(report_file)
    return written
