"""coopgraph export: every format re-imports to the store's graph, canonically.

The reference each export is compared with is read straight from the store's quads
here (not through kg.export); JSON-LD is read back with pyld, and Debian's ``rapper``
(raptor2-utils) parses the other formats a second time where it is installed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import ACTION_SUMMARY_COLUMNS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from kg.cli import cli
from kg.jsonld import CONTEXT_IRI, document_loader

ID = "https://w3id.org/coopgraph/id/"
CG = Namespace("https://w3id.org/coopgraph/ontology#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOCABULARY_GRAPHS = {ID + k for k in ("theme", "assistance-type", "organisation-kind", "country")}
ONTOLOGY_GRAPH = "https://w3id.org/coopgraph/ontology"
RDF_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")
RAPPER_SYNTAX = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig"}


# -- the reference: the store's quads, chosen here independently of kg.export -------------
def _is_evidence(subject: str) -> bool:
    return subject.startswith((ID + "evidence/", ID + "rule/"))


def reference(store: Path, *, data_only: bool = False) -> dict[str, set[tuple]]:
    """Graph IRI -> set of (s, p, o) rdflib terms, read from the store's quads."""
    db = ox.Store.read_only(str(store / "oxigraph"))
    text = db.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    ds = Dataset()
    ds.parse(data=text, format="nquads")
    graphs: dict[str, set[tuple]] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = str(g.identifier if hasattr(g, "identifier") else g)
        if data_only and ("/id/document/" not in name or _is_evidence(str(s))):
            continue  # the data alone: the documents' graphs, without their evidence
        graphs.setdefault(name, set()).add((s, p, plain(o)))
    return graphs


def plain(term):
    """RDF 1.1: a literal without datatype is an xsd:string; rdflib tells them apart."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def merged(graphs: dict[str, set[tuple]]) -> set[tuple]:
    return set().union(*graphs.values())


# -- reading an export back -----------------------------------------------------------
def read_graphs(path: Path, fmt: str) -> dict[str, set[tuple]]:
    """Graph IRI ("" for the default graph) -> triples of an exported file."""
    if fmt == "jsonld":
        doc = json.loads(path.read_text(encoding="utf-8"))
        nquads = jsonld.to_rdf(
            doc, {"format": "application/n-quads", "documentLoader": document_loader}
        )
        return read_text(nquads, "nquads")
    syntax = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig"}[fmt]
    return read_text(path.read_text(encoding="utf-8"), syntax)


def read_text(text: str, syntax: str) -> dict[str, set[tuple]]:
    if syntax in ("nquads", "trig"):
        ds = Dataset()
        ds.parse(data=text, format=syntax)
        graphs: dict[str, set[tuple]] = {}
        for s, p, o, g in ds.quads((None, None, None, None)):
            name = str(g.identifier if hasattr(g, "identifier") else g)
            name = "" if name.startswith("urn:x-rdflib:") else name
            graphs.setdefault(name, set()).add((s, p, plain(o)))
        return graphs
    g = Graph()
    g.parse(data=text, format=syntax)
    return {"": {(s, p, plain(o)) for s, p, o in g}}


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def export(store: Path, out: Path, fmt: str, *extra: str) -> Path:
    result = run("export", "--store", str(store), "--format", fmt, "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out


# -- round trips ----------------------------------------------------------------------
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_every_format_reimports_to_the_stores_graph(demo_store, tmp_path, fmt):
    store, _ = demo_store
    out = export(store, tmp_path / f"graph.{fmt}", fmt)
    found = read_graphs(out, fmt)
    expected = reference(store)
    if fmt in ("nq", "trig"):
        assert found == expected  # one named graph per source, none lost or merged
    else:
        assert set(found) == {""}
        assert found[""] == merged(expected)


@pytest.mark.parametrize("fmt", ("nt", "nq", "jsonld"))
def test_include_none_exports_the_data_alone(demo_store, tmp_path, fmt):
    store, _ = demo_store
    out = export(store, tmp_path / f"data.{fmt}", fmt, "--include", "none")
    found = read_graphs(out, fmt)
    expected = reference(store, data_only=True)
    if fmt == "nq":
        assert found == expected
    else:
        assert found[""] == merged(expected)
    triples = merged(found)
    assert not any(_is_evidence(str(s)) for s, _, _ in triples)
    assert any(o == CG.Action for _, _, o in triples)


def test_include_chooses_parts(demo_store, tmp_path):
    store, _ = demo_store
    out = export(store, tmp_path / "ev.nq", "nq", "--include", "evidence")
    graphs = read_graphs(out, "nq")
    assert not set(graphs) & (VOCABULARY_GRAPHS | {ONTOLOGY_GRAPH})
    assert any(_is_evidence(str(s)) for s, _, _ in merged(graphs))
    out = export(store, tmp_path / "onto.nq", "nq", "--include", "ontology,vocabularies")
    graphs = read_graphs(out, "nq")
    assert VOCABULARY_GRAPHS | {ONTOLOGY_GRAPH} <= set(graphs)
    assert not any(_is_evidence(str(s)) for s, _, _ in merged(graphs))


def test_unknown_part_is_a_usage_error(demo_store, tmp_path):
    store, _ = demo_store
    result = run("export", "--store", str(store), "--include", "evidense", "--out", "-")
    assert result.exit_code == 2
    assert "unknown part evidense" in result.output


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) not installed")
@pytest.mark.parametrize("fmt", sorted(RAPPER_SYNTAX))
def test_rapper_reads_every_export(demo_store, tmp_path, fmt):
    store, _ = demo_store
    out = export(store, tmp_path / f"graph.{fmt}", fmt)
    target = "nquads" if fmt in ("nq", "trig") else "ntriples"
    proc = subprocess.run(
        ["rapper", "-q", "-i", RAPPER_SYNTAX[fmt], "-o", target, str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert read_text(proc.stdout, "nquads" if target == "nquads" else "nt") == read_graphs(out, fmt)


def test_jsonld_uses_the_project_context(demo_store, tmp_path):
    store, _ = demo_store
    out = export(store, tmp_path / "graph.jsonld", "jsonld")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"] == CONTEXT_IRI
    action = next(n for n in doc["@graph"] if n.get("@type") == "Action")
    assert action["@id"].startswith("id:action/")
    assert isinstance(action["title"], str)
    # the embedded context gives the same triples as the referenced one
    embedded = export(store, tmp_path / "embedded.jsonld", "jsonld", "--embed-context")
    assert isinstance(json.loads(embedded.read_text())["@context"], dict)
    assert read_graphs(embedded, "jsonld") == read_graphs(out, "jsonld")
    # and rdflib reads the embedded one too
    g = Graph().parse(embedded, format="json-ld")
    assert set(g) == merged(read_graphs(out, "jsonld"))


# -- determinism ----------------------------------------------------------------------
def test_two_exports_of_a_build_are_byte_identical(demo_store, tmp_path):
    store, _ = demo_store
    for fmt in (*RDF_FORMATS, "csv"):
        a = export(store, tmp_path / "a" / f"g.{fmt}", fmt)
        b = export(store, tmp_path / "b" / f"g.{fmt}", fmt)
        assert a.read_bytes() == b.read_bytes(), fmt
        void_a, void_b = (p.with_name(p.name + ".void.ttl") for p in (a, b))
        assert void_a.read_bytes() == void_b.read_bytes(), fmt
    a = export(store, tmp_path / "a" / "f.jsonld", "jsonld", "--frame", "action")
    b = export(store, tmp_path / "b" / "f.jsonld", "jsonld", "--frame", "action")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.slow
def test_two_builds_export_identically(demo_store, tmp_path):
    from kg.build import build

    store, _ = demo_store
    other = tmp_path / "again"
    build(None, store=other)
    for fmt in ("nq", "ttl", "jsonld"):
        a = export(store, tmp_path / f"a.{fmt}", fmt)
        b = export(other, tmp_path / f"b.{fmt}", fmt)
        assert a.read_bytes() == b.read_bytes(), fmt


# -- property: arbitrary literals survive every format --------------------------------
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
literals = st.one_of(
    text.map(Literal),
    st.tuples(text, st.sampled_from(["en", "fr", "pt-BR", "es-419"])).map(
        lambda t: Literal(t[0], lang=t[1])
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(Literal),
    st.booleans().map(Literal),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(Literal),
    st.dates().map(Literal),
    st.sampled_from(["042", "+7", "1.50"]).map(
        lambda v: Literal(v, datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))
    ),
)
#: IRIs as kg.iri mints them: slugs, digests, "/"-separated kinds
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-/", min_size=1, max_size=12)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(names, st.sampled_from(["title", "quote", "theme", "charStart"]), literals),
        min_size=1,
        max_size=12,
    )
)
def test_any_literal_round_trips_through_every_format(tmp_path_factory, statements):
    from kg.export import FORMATS, export_rdf
    from kg.jsonld import graph_writer

    store = ox.Store()
    doc = ox.NamedNode(ID + "document/x-txt-0123456789")
    for name, prop, lit in statements:
        subject = ox.NamedNode(ID + "action/" + (name.strip("/").replace("//", "/") or "a"))
        store.add(ox.Quad(subject, ox.NamedNode(str(CG[prop])), _ox_literal(lit), doc))
    expected = {
        (URIRef(q.subject.value), URIRef(q.predicate.value), plain(_rdflib_literal(q.object)))
        for q in store
    }
    folder = tmp_path_factory.mktemp("prop")
    for fmt in RDF_FORMATS:
        path = folder / f"x.{fmt}"
        with path.open("wb") as out:
            export_rdf(store, FORMATS[fmt], out, jsonld_writer=graph_writer())
        assert merged(read_graphs(path, fmt)) == expected, (fmt, path.read_text())


def _ox_literal(lit: Literal) -> ox.Literal:
    if lit.language:
        return ox.Literal(str(lit), language=lit.language)
    return ox.Literal(str(lit), datatype=ox.NamedNode(str(lit.datatype or XSD.string)))


def _rdflib_literal(lit: ox.Literal) -> Literal:
    if lit.language:
        return Literal(lit.value, lang=lit.language)
    return Literal(lit.value, datatype=URIRef(lit.datatype.value))


# -- the action frame -----------------------------------------------------------------
def test_action_frame_nests_each_action_once_with_true_statements(demo_store, tmp_path):
    store, summary = demo_store
    out = export(store, tmp_path / "actions.jsonld", "jsonld", "--frame", "action")
    doc = json.loads(out.read_text(encoding="utf-8"))
    actions = doc["@graph"]
    assert len(actions) == summary.actions
    assert len({a["@id"] for a in actions}) == len(actions)
    # every statement the frame makes is a statement of the store
    framed = merged(read_graphs(out, "jsonld"))
    assert framed <= merged(reference(store))
    # hand-checked against corpus/actions-bullets.txt: the Barranquilla and Cali action
    action = next(a for a in actions if a["title"].startswith("Barranquilla and Cali pilot"))
    assert action["partnerCountry"]["@id"] == "id:country/CO"
    assert action["partnerCountry"]["name"] == "Colombia"
    assert sorted(c["name"] for c in action["expertCountry"]) == ["France", "Spain"]
    assert action["partnerInstitution"]["country"]["name"] == "Colombia"
    assert "Ministry of the Interior" in action["partnerInstitution"]["name"]
    evidence = action["evidence"]
    quotes = {e["quote"] for e in evidence}
    assert "Experts from France and Spain" in quotes
    assert all(isinstance(e["charStart"], int) for e in evidence)
    for e in evidence:
        assert e["statementSubject"] == action["@id"]


def test_frame_needs_jsonld(demo_store):
    store, _ = demo_store
    result = run("export", "--store", str(store), "--format", "ttl", "--frame", "action")
    assert result.exit_code == 2
    assert "--frame action needs --format jsonld" in result.output


# -- CSV ------------------------------------------------------------------------------
def test_csv_has_the_action_summary_columns(demo_store, tmp_path):
    store, summary = demo_store
    out = export(store, tmp_path / "actions.csv", "csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == summary.actions
    assert list(rows[0]) == ACTION_SUMMARY_COLUMNS
    row = next(r for r in rows if r["title"].startswith("Barranquilla and Cali pilot"))
    assert (row["partnerCountry"], row["expertCountries"]) == ("CO", "ES FR")


# -- the dataset description ----------------------------------------------------------
def test_description_counts_what_the_export_holds(demo_store, tmp_path):
    store, summary = demo_store
    out = export(store, tmp_path / "graph.nt", "nt")
    void = Graph().parse(tmp_path / "graph.nt.void.ttl", format="turtle")
    dataset = URIRef(ID + "dataset")
    exported = Graph().parse(out, format="nt")
    assert int(void.value(dataset, VOID.triples)) == len(exported)
    actions = set(exported.subjects(RDF.type, CG.Action))
    partitions = {
        void.value(p, VOID["class"]): p for p in void.objects(dataset, VOID.classPartition)
    }
    assert int(void.value(partitions[CG.Action], VOID.entities)) == len(actions) == summary.actions
    subsets = {str(s): int(void.value(s, VOID.triples)) for s in void.objects(dataset, VOID.subset)}
    assert subsets == {name: len(triples) for name, triples in reference(store).items()}
    assert (
        str(void.value(dataset, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    )
    sources = {str(void.value(s, DCTERMS.title)) for s in void.objects(dataset, DCTERMS.source)}
    assert sources == {p.name for p in (Path(__file__).parents[1] / "corpus").glob("*.txt")}
    dist = void.value(dataset, DCAT.distribution)
    assert int(void.value(dist, DCAT.byteSize)) == out.stat().st_size
    checksum = void.value(dist, SPDX.checksum)
    assert (
        str(void.value(checksum, SPDX.checksumValue))
        == hashlib.sha256(out.read_bytes()).hexdigest()
    )
    assert str(void.value(dist, DCAT.mediaType)).endswith("application/n-triples")
    assert void.value(dataset, DCTERMS.modified) is None  # no time unless asked for


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_every_format_counts_each_distinct_triple_once(demo_store, tmp_path, fmt):
    # the quad formats count from a key per line, the graph formats from the merged lines
    store, _ = demo_store
    export(store, tmp_path / f"g.{fmt}", fmt)
    void = Graph().parse(tmp_path / f"g.{fmt}.void.ttl", format="turtle")
    dataset = URIRef(ID + "dataset")
    graphs = reference(store)
    union = merged(graphs)
    assert sum(map(len, graphs.values())) > len(union)  # several graphs state some triples
    counts = {p: int(void.value(dataset, p)) for p in (VOID.triples, VOID.distinctSubjects)}
    assert counts == {VOID.triples: len(union), VOID.distinctSubjects: len({t[0] for t in union})}
    assert int(void.value(dataset, VOID.properties)) == len({t[1] for t in union})
    instances: dict[URIRef, int] = {}
    for _, p, o in union:
        if p == RDF.type and isinstance(o, URIRef):
            instances[o] = instances.get(o, 0) + 1
    partitions = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(dataset, VOID.classPartition)
    }
    assert partitions == instances


def test_timestamp_is_the_build_time_when_asked(demo_store, tmp_path):
    store, _ = demo_store
    export(store, tmp_path / "g.ttl", "ttl", "--timestamp")
    void = Graph().parse(tmp_path / "g.ttl.void.ttl", format="turtle")
    modified = void.value(URIRef(ID + "dataset"), DCTERMS.modified)
    recorded = json.loads((store / "build.json").read_text())["finished"]
    assert modified is not None and modified.toPython().isoformat() == recorded


def test_stdout_export_is_described_only_when_asked(demo_store, tmp_path):
    store, _ = demo_store
    result = run("export", "--store", str(store), "--format", "nt", "--include", "none")
    assert result.exit_code == 0
    assert "<https://w3id.org/coopgraph/id/action/" in result.output
    assert "described in" not in result.output
    result = run(
        "export", "--store", str(store), "--format", "nt", "--description", str(tmp_path / "d.ttl")
    )
    assert result.exit_code == 0
    assert (tmp_path / "d.ttl").exists()


# -- failures leave nothing half-written ----------------------------------------------
def test_a_failed_export_keeps_the_previous_file(tmp_path):
    from kg.export import atomic_output

    target = tmp_path / "graph.ttl"
    target.write_text("previous\n")
    with pytest.raises(RuntimeError), atomic_output(target, io.BytesIO()) as out:
        out.write(b"partial")
        raise RuntimeError("disk full")
    assert target.read_text() == "previous\n"
    assert list(tmp_path.iterdir()) == [target]


def test_missing_store_is_a_clear_error(tmp_path):
    result = run("export", "--store", str(tmp_path / "nowhere"), "--out", "-")
    assert result.exit_code == 2
    assert "no coopgraph store here" in " ".join(result.output.split())


def test_merger_spills_runs_and_merges_them_in_order():
    from kg.export import Merger

    lines = [f"<s{i % 37:03d}> <p> <o{i % 11}> .\n".encode() for i in range(1000)]
    merger = Merger(run_lines=50)
    merger.extend(lines)
    assert len(merger._runs) == 20  # it really went through temporary files
    assert list(merger.lines()) == sorted(set(lines))
    assert merger._runs == []


def test_merger_merges_at_most_width_runs_at_once(tmp_path):
    from kg.export import Merger

    lines = [f"<s{i % 101:03d}> <p> <o{i % 7}> .\n".encode() for i in range(1000)]
    merger = Merger(run_lines=10, width=3, folder=str(tmp_path))
    merger.extend(lines)
    assert len(merger._runs) == 100
    merged = merger.lines()
    first = next(merged)
    fds = Path("/proc/self/fd")
    held = [p for p in fds.iterdir() if str(tmp_path) in str(p.resolve(strict=False))]
    assert 1 < len(held) <= 3  # the last merge, of at most three runs
    assert [first, *merged] == sorted(set(lines))
    assert list(tmp_path.iterdir()) == []  # every run removed, the merged ones too


def test_merger_sorts_fixed_size_records_that_hold_newlines():
    from kg.export import Merger

    records = [bytes([i % 13, 10, i % 7, 10]) for i in range(300)]  # 10 is b"\n"
    merger = Merger(run_lines=20, record=4)
    merger.extend(records)
    assert len(merger._runs) == 15
    assert list(merger.lines()) == sorted(set(records))


def test_tally_keys_group_a_subjects_lines_and_equal_lines():
    from kg.export import Tally

    lines = [
        b"<s1> <p> <o1> .\n",
        b"<s1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <C> .\n",
        b"<s2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <C> .\n",
        b'<s2> <p> "a" .\n',
    ]
    tally = Tally()
    keys = [tally.key(line) for line in lines + lines[::-1]]  # each line twice
    assert len(set(keys)) == 4 and len({k[:12] for k in keys}) == 2
    for key in sorted(set(keys)):
        tally.add_key(key)
    assert (tally.triples, tally.subjects, tally.classes) == (4, 2, {"C": 2})
    assert tally.properties == {b"<p>", b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"}


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_an_export_sorted_on_disk_is_the_same(demo_store, tmp_path, monkeypatch, fmt):
    import kg.export

    store, _ = demo_store
    expected = export(store, tmp_path / "a" / f"g.{fmt}", fmt)
    runs = []
    written = kg.export.Merger._run

    def spied(self, lines):
        runs.append(1)
        return written(self, lines)

    # graphs sorted in runs of 7 lines, 3 runs merged at a time
    monkeypatch.setattr(kg.export, "RUN_LINES", 7)
    monkeypatch.setattr(kg.export, "MERGE_WIDTH", 3)
    monkeypatch.setattr(kg.export.Merger, "_run", spied)
    found = export(store, tmp_path / "b" / f"g.{fmt}", fmt)
    assert len(runs) > 1000
    assert found.read_bytes() == expected.read_bytes()
    void_a, void_b = (p.with_name(p.name + ".void.ttl") for p in (expected, found))
    assert void_a.read_bytes() == void_b.read_bytes()
