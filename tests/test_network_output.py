"""Network outputs: GraphML/GEXF that other tools read back, PNG figures, the offline
HTML view. The graphs are built here with the schema of ``kg.network`` from a seeded
synthetic set of actions (about 30 expert and 40 partner countries)."""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import network_output as out

ID = "https://w3id.org/coopgraph/id"


def words(text: str) -> list[str]:
    return text.split()


EU = words("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK")
PARTNERS = {  # region (M49) -> partner countries
    "419": words("AR BO BR CL CO CR CU DO EC GT HN MX PA PE PY SV UY"),
    "002": words("AO BJ CI CM CV ET GH KE MA MZ NG SN TG TN ZA"),
    "142": words("BD ID KH LA MN NP PH VN"),
}
REGION = {c: r for r, cs in PARTNERS.items() for c in cs} | dict.fromkeys(EU, "150")
#: Which experts favour which partners (the rest are drawn evenly).
AFFINITY = {
    "ES": PARTNERS["419"],
    "PT": ["AO", "BR", "CV", "MZ"],
    "FR": ["BJ", "CI", "CM", "MA", "SN", "TG", "TN"],
    "BE": ["BJ", "CM", "SN"],
    "IT": ["AR", "BR", "ET", "TN"],
    "DE": ["KH", "LA", "VN", "GH", "KE"],
}
THEMES = words("employment pensions social-dialogue labour-inspection skills health-insurance")


def synthetic_actions(seed: int = 7, count: int = 400) -> list[dict]:
    """Seeded actions, each with one partner, 1-3 expert countries and a theme."""
    rng = random.Random(seed)
    partners = sorted(REGION.keys() - set(EU))
    experts = [*EU, "CL", "CO", "UY"]
    heavy = ["ES", "FR", "PT", "IT", "DE", "BE"]
    actions = []
    for i in range(count):
        first = rng.choice(heavy) if rng.random() < 0.6 else rng.choice(experts)
        others = rng.sample(experts, rng.choice([0, 0, 1, 2]))
        team = sorted({first, *others})
        liked = AFFINITY.get(first, partners)
        partner = rng.choice(liked) if rng.random() < 0.75 else rng.choice(partners)
        while partner in team:
            partner = rng.choice(partners)
        actions.append(
            {
                "iri": f"{ID}/action/a{i:04d}",
                "year": 2015 + rng.randrange(10),
                "experts": team,
                "partner": partner,
                "theme": rng.choice(THEMES),
            }
        )
    return actions


def country_attributes(code: str, role: str) -> dict:
    return {
        "iri": f"{ID}/country/{code}",
        "label": pycountry.countries.get(alpha_2=code).name.split(",")[0],
        "alpha2": code,
        "eu_member": code in EU,
        "region": REGION.get(code, "419"),
        "role": role,
    }


def bipartite(actions: list[dict]) -> nx.DiGraph:
    """Expert -> partner, ``weight`` actions, sorted ``themes`` and ``actions``."""
    pairs: dict[tuple[str, str], list[dict]] = {}
    for action in actions:
        for expert in action["experts"]:
            pairs.setdefault((expert, action["partner"]), []).append(action)
    experts = {e for e, _ in pairs}
    partners = {p for _, p in pairs}
    G = nx.DiGraph()
    for code in sorted(experts | partners):
        role = "both" if code in experts and code in partners else "expert"
        G.add_node(code, **country_attributes(code, "partner" if code not in experts else role))
    for (expert, partner), done in sorted(pairs.items()):
        G.add_edge(
            expert,
            partner,
            weight=len(done),
            themes=sorted({a["theme"] for a in done}),
            actions=sorted(a["iri"] for a in done),
        )
    return G


def comobilisation(actions: list[dict]) -> nx.Graph:
    """Expert countries that served on the same action, ``weight`` actions together."""
    G = nx.Graph()
    for action in actions:
        for code in action["experts"]:
            G.add_node(code, **country_attributes(code, "expert"))
        for a, b in itertools.combinations(action["experts"], 2):
            weight = G.edges[a, b]["weight"] + 1 if G.has_edge(a, b) else 1
            G.add_edge(a, b, weight=weight)
    return G


def institutions() -> nx.Graph:
    G = nx.Graph()
    G.add_node("ES", kind="country", label="Spain", country="ES")
    G.add_node(f"{ID}/org/sepe", kind="institution", label="SEPE", country="ES")
    G.add_node(f"{ID}/org/mtpe", kind="institution", label="Ministerio de Trabajo", country="PE")
    G.add_node(f"{ID}/org/eu", kind="institution", label="European Commission", country="")
    G.add_edge(f"{ID}/org/sepe", f"{ID}/org/mtpe", weight=4)
    G.add_edge(f"{ID}/org/sepe", "ES", weight=1)
    G.add_edge(f"{ID}/org/eu", f"{ID}/org/mtpe", weight=2)
    return G


def strength(G: nx.Graph) -> dict[str, int]:
    return dict(G.degree(weight="weight"))


def communities(G: nx.Graph) -> list[list[str]]:
    found = nx.community.louvain_communities(G.to_undirected(), weight="weight", seed=1)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c))


def corridors(G: nx.DiGraph) -> list[dict]:
    return [{"expert": u, "partner": v, "weight": w} for u, v, w in G.edges(data="weight")]


def per_year(actions: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for action in actions:
        counts[str(action["year"])] = counts.get(str(action["year"]), 0) + 1
    return dict(sorted(counts.items()))


@pytest.fixture(scope="module")
def actions() -> list[dict]:
    return synthetic_actions()


@pytest.fixture(scope="module", params=["bipartite", "comobilisation", "institutions"])
def graph(request, actions) -> nx.Graph:
    build = {"bipartite": bipartite, "comobilisation": comobilisation}
    return build[request.param](actions) if request.param in build else institutions()


def test_synthetic_network_is_realistic(actions):
    G = bipartite(actions)
    roles = [r for _, r in G.nodes(data="role")]
    assert 28 <= roles.count("expert") + roles.count("both") <= 30
    assert 38 <= roles.count("partner") + roles.count("both") <= 40
    assert G.number_of_edges() > 150


# --- GraphML ------------------------------------------------------------------------------


def test_graphml_round_trips_through_networkx(graph, tmp_path):
    path = out.write_graphml(graph, tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert type(back) is type(graph)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )
    assert all(re.fullmatch(r"n\d+", n) for n in back)
    key = dict(back.nodes(data="node_key"))
    assert sorted(key.values()) == sorted(graph.nodes)
    assert list(key.values()) == sorted(graph.nodes)  # n0, n1... in sorted key order
    for n, data in back.nodes(data=True):
        original = graph.nodes[key[n]]
        for name, value in original.items():
            assert data[name] == value, (name, data[name], value)
    weights = {frozenset((key[u], key[v])): w for u, v, w in back.edges(data="weight")}
    assert weights == {frozenset((u, v)): w for u, v, w in graph.edges(data="weight")}


def test_graphml_joins_lists_and_keeps_booleans(actions, tmp_path):
    G = bipartite(actions)
    back = nx.read_graphml(out.write_graphml(G, tmp_path / "g.graphml"))
    key = dict(back.nodes(data="node_key"))
    u, v, data = next(iter(back.edges(data=True)))
    original = G.edges[key[u], key[v]]
    assert data["themes"] == "|".join(original["themes"])
    assert data["actions"].split(out.LIST_SEPARATOR) == original["actions"]
    assert {type(e) for _, e in back.nodes(data="eu_member")} == {bool}
    text = path_text(tmp_path / "g.graphml")
    assert 'attr.type="boolean"' in text and ">True<" not in text and ">true<" in text


def test_graphml_reads_in_igraph(graph, tmp_path):
    import igraph  # in the [test] extra: a missing one fails, it is not skipped

    path = out.write_graphml(graph, tmp_path / "g.graphml")
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert g.is_directed() == graph.is_directed()
    assert all(re.fullmatch(r"n\d+", i) for i in g.vs["id"])
    keys = g.vs["node_key"]
    assert keys == sorted(graph.nodes)
    if "iri" in g.vs.attributes():
        assert g.vs["iri"] == [graph.nodes[k]["iri"] for k in keys]
    weights = {frozenset((keys[e.source], keys[e.target])): e["weight"] for e in g.es}
    assert weights == {frozenset((u, v)): w for u, v, w in graph.edges(data="weight")}
    if "eu_member" in g.vs.attributes():
        assert g.vs["eu_member"] == [graph.nodes[k]["eu_member"] for k in keys]


def test_graphml_node_ids_fit_the_schema_and_iris_are_kept(tmp_path):
    G = institutions()
    text = out.graphml_bytes(G).decode()
    ids = re.findall(r'<node id="([^"]*)"', text)
    assert ids == [f"n{i}" for i in range(len(G))]
    assert f"{ID}/org/sepe" in text  # as an attribute value
    assert '<graph edgedefault="undirected" id="G">' in text


# --- GEXF ---------------------------------------------------------------------------------

GEXF_NS = "http://www.gexf.net/1.2draft"


def test_gexf_is_gexf_1_2_without_name_or_date(graph, tmp_path):
    from lxml import etree

    path = out.write_gexf(graph, tmp_path / "g.gexf")
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{GEXF_NS}}}gexf" and root.get("version") == "1.2"
    (element,) = root.findall(f"{{{GEXF_NS}}}graph")
    assert "name" not in element.attrib
    assert set(element.attrib) <= out.GEXF_GRAPH_ATTRIBUTES
    assert element.get("defaultedgetype") == ("directed" if graph.is_directed() else "undirected")
    for meta in root.iter(f"{{{GEXF_NS}}}meta"):
        assert "lastmodifieddate" not in meta.attrib
    assert [c.text for c in root.iter(f"{{{GEXF_NS}}}creator")] == ["coopgraph"]
    text = path.read_text(encoding="utf-8")
    assert 'name=""' not in text and time.strftime("%Y-%m-%d") not in text
    ids = [n.get("id") for n in root.iter(f"{{{GEXF_NS}}}node")]
    assert ids == [f"n{i}" for i in range(len(graph))]
    labels = [n.get("label") for n in root.iter(f"{{{GEXF_NS}}}node")]
    assert labels == [graph.nodes[k].get("label", k) for k in sorted(graph.nodes)]


def test_gexf_round_trips_through_networkx(graph, tmp_path):
    back = nx.read_gexf(out.write_gexf(graph, tmp_path / "g.gexf"))
    assert back.is_directed() == graph.is_directed()
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    key = dict(back.nodes(data="node_key"))
    for n, data in back.nodes(data=True):
        for name, value in graph.nodes[key[n]].items():
            assert data[name] == value, (name, data[name], value)
    weights = {frozenset((key[u], key[v])): w for u, v, w in back.edges(data="weight")}
    assert weights == {frozenset((u, v)): w for u, v, w in graph.edges(data="weight")}


# --- determinism --------------------------------------------------------------------------


def shuffled_copy(G: nx.Graph, seed: int) -> nx.Graph:
    """The same graph built in another order (nodes, edges and attribute keys)."""
    rng = random.Random(seed)
    H = G.__class__()
    nodes = list(G.nodes(data=True))
    rng.shuffle(nodes)
    for n, data in nodes:
        items = list(data.items())
        rng.shuffle(items)
        H.add_node(n, **dict(items))
    edges = list(G.edges(data=True))
    rng.shuffle(edges)
    for u, v, data in edges:
        items = list(data.items())
        rng.shuffle(items)
        H.add_edge(
            *((v, u) if not G.is_directed() and rng.random() < 0.5 else (u, v)), **dict(items)
        )
    return H


@pytest.mark.parametrize("write", [out.write_graphml, out.write_gexf])
def test_files_are_byte_identical_for_the_same_graph(graph, write, tmp_path):
    first = write(graph, tmp_path / "first").read_bytes()
    second = write(graph, tmp_path / "second").read_bytes()
    rebuilt = write(shuffled_copy(graph, 3), tmp_path / "rebuilt").read_bytes()
    assert first == second == rebuilt


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(REGION)),
            st.sampled_from(sorted(REGION)),
            st.integers(min_value=1, max_value=50),
        ),
        max_size=25,
    ),
    st.booleans(),
)
def test_any_graph_round_trips_through_both_formats(edges, directed):
    G = nx.DiGraph() if directed else nx.Graph()
    for u, v, w in edges:
        if u != v:
            for code in (u, v):
                G.add_node(code, **country_attributes(code, "both"))
            G.add_edge(u, v, weight=w, themes=["b", "a"])
    for data, read in ((out.graphml_bytes(G), nx.read_graphml), (out.gexf_bytes(G), nx.read_gexf)):
        back = read(io.BytesIO(data))
        key = dict(back.nodes(data="node_key"))
        assert sorted(key.values()) == sorted(G.nodes)
        got = {(key[u], key[v]): (w, t) for u, v, w, t in _edge_rows(back)}
        want = {(u, v): (w, "b|a") for u, v, w, _ in _edge_rows(G)}
        if not directed:
            got = {tuple(sorted(p)): x for p, x in got.items()}
            want = {tuple(sorted(p)): x for p, x in want.items()}
        assert got == want


def _edge_rows(G: nx.Graph):
    return [(u, v, d["weight"], d["themes"]) for u, v, d in G.edges(data=True)]


def path_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- PNG figures --------------------------------------------------------------------------


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, after checking its signature and IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def figures(actions, tmp_path_factory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("figures")
    G = bipartite(actions)
    C = comobilisation(actions)
    rows = corridors(G)
    return {
        "network": out.network_figure(C, strength(C), communities(C), where / "network.png"),
        "bipartite": out.network_figure(G, strength(G), communities(G), where / "bipartite.png"),
        "institutions": out.network_figure(
            institutions(), strength(institutions()), [], where / "institutions.png"
        ),
        "corridors": out.corridor_chart(rows, where / "corridors.png", top=15),
        "heatmap": out.heatmap(rows, where / "heatmap.png"),
        "timeline": out.timeline(per_year(actions), where / "timeline.png"),
    }


def test_figures_are_png_of_reasonable_size(figures):
    assert len(figures) == 6
    for name, path in figures.items():
        width, height = png_size(path)
        assert 500 <= width <= 4000 and 300 <= height <= 4000, (name, width, height)
        assert 10_000 < path.stat().st_size < 3_000_000, (name, path.stat().st_size)


def test_figures_are_deterministic(actions, figures, tmp_path):
    C = comobilisation(actions)
    again = out.network_figure(
        shuffled_copy(C, 4), strength(C), communities(C), tmp_path / "network.png"
    )
    assert again.read_bytes() == figures["network"].read_bytes()
    rows = corridors(bipartite(actions))
    assert (
        out.heatmap(rows, tmp_path / "heatmap.png").read_bytes() == figures["heatmap"].read_bytes()
    )


def test_figures_draw_on_agg_whatever_the_backend(tmp_path):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    assert isinstance(out._figure(2, 2).canvas, FigureCanvasAgg)
    script = (
        "import sys\n"
        "from kg import network_output as out\n"
        f"out.timeline({{'2020': 3, '2022': 5}}, {str(tmp_path / 't.png')!r})\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    env = {**os.environ, "MPLBACKEND": "TkAgg", "DISPLAY": ""}
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert png_size(tmp_path / "t.png")[0] > 500


def test_corridors_and_heatmap_order(actions):
    rows = corridors(bipartite(actions))
    top = out.top_corridors(rows, 15)
    assert len(top) == 15
    assert [c["weight"] for c in top] == sorted((c["weight"] for c in top), reverse=True)
    experts, partners, matrix = out.pivot(rows)
    assert sum(map(sum, matrix)) == sum(r["weight"] for r in rows)
    assert len(experts) == 30 and len(partners) == 40


def test_layout_leaves_no_node_overlapping_another(actions):
    G = bipartite(actions)
    radii = dict(zip(sorted(G), [0.012 + 0.02 * (i % 3) for i in range(len(G))], strict=True))
    pos = out.layout(G, radii=radii)
    assert pos == out.layout(shuffled_copy(G, 9), radii=radii)
    for a, b in itertools.combinations(sorted(G), 2):
        gap = ((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5
        assert gap >= (radii[a] + radii[b]) * 0.98, (a, b)


def test_empty_inputs_still_give_files(tmp_path):
    empty = nx.Graph()
    made = [
        out.network_figure(empty, {}, [], tmp_path / "network.png"),
        out.corridor_chart([], tmp_path / "corridors.png"),
        out.heatmap([], tmp_path / "heatmap.png"),
        out.timeline({}, tmp_path / "timeline.png"),
    ]
    assert all(png_size(path)[0] > 100 for path in made)
    assert nx.read_graphml(out.write_graphml(empty, tmp_path / "e.graphml")).number_of_nodes() == 0
    assert nx.read_gexf(out.write_gexf(empty, tmp_path / "e.gexf")).number_of_nodes() == 0
    assert "none given" in out.html_page(empty, {}, [])


def test_timeline_fills_missing_years():
    assert out.year_series({"2019": 2, "2016": 1}) == (
        ["2016", "2017", "2018", "2019"],
        [1, 0, 0, 2],
    )
    metric = {"2021": {"actions": 5, "experts": 7}, "2023": {"actions": 2}}
    assert out.year_series(metric) == (["2021", "2022", "2023"], [5, 0, 2])


def test_heatmap_takes_records_or_a_nested_mapping(actions):
    rows = corridors(bipartite(actions))
    nested: dict[str, dict[str, int]] = {}
    for row in rows:
        nested.setdefault(row["expert"], {})[row["partner"]] = row["weight"]
    assert out.pivot(nested) == out.pivot(rows)


# --- HTML view ----------------------------------------------------------------------------


class _References(HTMLParser):
    """Every src/href/xlink:href/action attribute and every tag name of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in {"src", "href", "xlink:href", "action", "srcset", "data", "poster"}:
                self.references.append((tag, name, value or ""))


@pytest.fixture(scope="module")
def pages(actions, tmp_path_factory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("html")
    made = {}
    for name, G in (
        ("bipartite", bipartite(actions)),
        ("comobilisation", comobilisation(actions)),
        ("institutions", institutions()),
    ):
        made[name] = out.html_view(G, strength(G), communities(G), where / f"{name}.html")
    return made


def test_html_view_makes_no_external_request(pages):
    assert len(pages) == 3
    for path in pages.values():
        page = path.read_text(encoding="utf-8")
        parser = _References()
        parser.feed(page)
        assert parser.references == [], parser.references
        assert "link" not in parser.tags and "iframe" not in parser.tags
        assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.I)
        assert not re.search(r"<link[^>]*href\s*=\s*[\"']?https?:", page, re.I)
        assert not re.search(r"@import|url\(", page, re.I)
        # http(s) appears only inside the JSON data (IRIs), never in markup, CSS or code
        outside_data = re.sub(r'<script type="application/json".*?</script>', "", page, flags=re.S)
        outside_data = re.sub(r"<title>[^<]*</title>", "", outside_data)
        assert not re.search(r"https?://", outside_data)


def test_html_view_shows_every_node(pages, actions):
    from html import escape

    graphs = {"bipartite": bipartite(actions), "institutions": institutions()}
    for name, G in graphs.items():
        page = pages[name].read_text(encoding="utf-8")
        for _, label in G.nodes(data="label"):
            assert escape(label) in page, label
        data = json.loads(re.search(r'id="network-data">(.*?)</script>', page, re.S).group(1))
        assert len(data["nodes"]) == len(G) and len(data["edges"]) == G.number_of_edges()
        assert page.count('class="node"') == len(G)


def test_html_view_is_deterministic(actions, pages, tmp_path):
    # the same graphs built in another order, with the same metrics (louvain itself
    # depends on the order it visits nodes in)
    graphs = {
        "bipartite": bipartite(actions),
        "comobilisation": comobilisation(actions),
        "institutions": institutions(),
    }
    for name, G in graphs.items():
        again = out.html_view(
            shuffled_copy(G, 5), strength(G), communities(G), tmp_path / f"{name}.html"
        )
        assert again.read_bytes() == pages[name].read_bytes(), name


def test_html_view_runs_in_headless_chromium(pages, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    run = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=2000",
            "--dump-dom",
            pages["bipartite"].as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    assert dom.count('class="node"') > 60
    # the script ran to the end: it replaced the nodes' <title> fallbacks by its tooltip
    assert "<title>Spain</title>" not in dom and 'id="tip"' in dom
