"""The build: demo corpus, determinism, incremental builds, bad input, atomic writes."""

from __future__ import annotations

import codecs
import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import ACTION_SUMMARY_COLUMNS, DATA, ROOT, SEEDS, store_quads
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.build import build
from kg.cli import cli
from kg.evaluate import evaluate_store
from kg.iri import SUMMARY_GRAPH
from kg.store import EmbeddedStore

CORPUS = ROOT / "corpus"


def test_demo_build_loads_every_document(demo_store):
    _, summary = demo_store
    assert summary.problems == ()
    assert summary.documents == 5
    assert summary.actions == 40  # corpus/gold.json: 44 bullets, 4 repeated
    assert summary.validation.conforms, summary.validation.violations[:5]


def test_demo_build_scores_against_its_gold(demo_store):
    store, _ = demo_store
    scores = {
        s.field: s
        for s in evaluate_store(CORPUS / "gold.json", EmbeddedStore(store, read_only=True))
    }
    assert scores["actions"].f1 == 1.0
    assert scores["partner_country"].f1 >= 0.9
    assert scores["expert_countries"].f1 >= 0.9
    assert scores["themes"].f1 >= 0.8
    assert scores["action_codes"].f1 >= 0.9


def test_building_twice_gives_the_same_quads(demo_store, tmp_path):
    store, _ = demo_store
    again = tmp_path / "again"
    build(None, store=again)
    assert store_quads(again) == store_quads(store)
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(store, rebuilt)
    build(None, store=rebuilt)
    assert store_quads(rebuilt) == store_quads(store)


@pytest.mark.parametrize("corpus", ["demo", "seeds", "loader"])
def test_what_the_build_writes_passes_oxigraphs_checks(corpus, request, tmp_path, monkeypatch):
    """The build's bulk loads skip Oxigraph's syntax checks (kg.build.LENIENT): with
    them on, the same corpora build, to the same quads."""
    import kg.build

    if corpus == "loader":
        paths = [DATA / "loader"]
        lenient = tmp_path / "lenient"
        build(paths, store=lenient)
    else:
        lenient, _ = request.getfixturevalue(f"{corpus}_store")
        paths = None if corpus == "demo" else [SEEDS]
    monkeypatch.setattr(kg.build, "LENIENT", False)
    strict = tmp_path / "strict"
    build(paths, store=strict)
    assert store_quads(strict) == store_quads(lenient)


def test_graphs_loaded_whole_as_ntriples_give_the_same_quads(demo_store, tmp_path, monkeypatch):
    """Every document graph loaded on its own as N-Triples into its graph
    (kg.build.WHOLE_GRAPH; the demo's graphs are small enough to go as N-Quads)."""
    import kg.build

    store, _ = demo_store
    monkeypatch.setattr(kg.build, "WHOLE_GRAPH", 0)
    whole = tmp_path / "whole"
    build(None, store=whole)
    assert store_quads(whole) == store_quads(store)


def _copy(names, folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def test_incremental_build_equals_full_build(tmp_path):
    first = _copy(["actions-bullets.txt"], tmp_path / "a")
    second = _copy(["actions-labelled.txt"], tmp_path / "b")
    both = _copy(["actions-bullets.txt", "actions-labelled.txt"], tmp_path / "ab")
    step = tmp_path / "step"
    build([first], store=step)
    build([second], store=step)
    full = tmp_path / "full"
    build([both], store=full)
    assert store_quads(step) == store_quads(full)


def test_adding_an_unrelated_document_adds_only_its_facts(tmp_path):
    store = tmp_path / "s"
    build([DATA / "loader" / "bullets-mixed.txt"], store=store)
    before = store_quads(store)
    build([DATA / "loader" / "labelled-mixed.txt"], store=store)
    after = store_quads(store)
    # the summary graph's tallies are recounted (tests/test_summary.py checks them)
    summary = f"<{SUMMARY_GRAPH}>"
    before = {q for q in before if q[3] != summary}
    after = {q for q in after if q[3] != summary}
    added = after - before
    assert before <= after
    graphs = {q[3] for q in added}
    assert len(graphs) <= 3, graphs  # the new document, the vocabularies, the findings
    assert any("labelled-mixed" in g for g in graphs)


def test_rebuilding_a_changed_document_replaces_its_facts(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    doc = folder / "one.txt"
    doc.write_text((DATA / "loader" / "bullets-mixed.txt").read_text(encoding="utf-8"))
    store = tmp_path / "s"
    build([folder], store=store)
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("Ghanaian", "Zambian").replace("Ghana", "Zambia"),
        encoding="utf-8",
    )
    build([folder], store=store)
    fresh = tmp_path / "fresh"
    build([folder], store=fresh)
    assert store_quads(store) == store_quads(fresh)
    own = [q for q in store_quads(store) if "/id/document/one-txt-" in q[3]]
    assert own
    assert not any("Ghana" in q[2] for q in own)
    assert any(q[2] == "<https://w3id.org/coopgraph/id/country/ZM>" for q in own)


BAD = {
    "empty.txt": b"",
    "binary.txt": b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00" * 20,
    "page.txt": b"<!DOCTYPE html>\n<html><body>Action</body></html>\n",
    "truncated.txt": "• Support to the Ministry of Labour of Perú".encode()[:-1],
    "huge-line.txt": b"x" * 5_000_000,
}


def test_bad_documents_are_reported_and_the_rest_loads(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, data in BAD.items():
        (folder / name).write_bytes(data)
    text = (DATA / "loader" / "bullets-mixed.txt").read_text(encoding="utf-8")
    (folder / "good.txt").write_text(text, encoding="utf-8")
    (folder / "latin1.txt").write_bytes(
        ("Cooperación técnica\n" + text.replace("•", "-")).encode("cp1252")
    )
    (folder / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (folder / "labelled.txt").write_bytes((DATA / "loader" / "labelled-mixed.txt").read_bytes())
    summary = build([folder], store=tmp_path / "s")
    rejected = {p.source: p.message for p in summary.problems}
    assert set(BAD) <= set(rejected)
    assert "empty" in rejected["empty.txt"]
    assert "binary" in rejected["binary.txt"]
    assert "HTML" in rejected["page.txt"]
    assert "truncated" in rejected["truncated.txt"]
    assert "5,000,000 characters" in rejected["huge-line.txt"]
    assert summary.rejected_documents == len(BAD)
    # the block with no title in labelled.txt is rejected, its line named
    block = [p for p in summary.problems if p.source == "labelled.txt"]
    assert [(p.line, p.message) for p in block] == [(22, "labelled block 3 has no title")]
    assert summary.rejected_blocks == 1
    assert summary.documents == 4  # good, latin1, utf16, labelled
    assert any("latin1.txt" in w and "cp1252" in w for w in summary.warnings)


def test_worker_processes_build_the_same_store(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, data in BAD.items():
        (folder / name).write_bytes(data)
    for source in sorted((DATA / "loader").glob("*.txt")):
        shutil.copy(source, folder / source.name)
    alone = build([folder], store=tmp_path / "one", workers=1)
    shared = build([folder], store=tmp_path / "two", workers=2)
    assert store_quads(tmp_path / "one") == store_quads(tmp_path / "two")
    assert (alone.problems, alone.warnings) == (shared.problems, shared.warnings)
    assert (alone.actions, alone.organisations, alone.countries, alone.triples) == (
        shared.actions,
        shared.organisations,
        shared.countries,
        shared.triples,
    )
    assert alone.actions >= 8 and alone.rejected_documents == len(BAD)
    # the records spilled between the passes are gone
    for store in ("one", "two"):
        assert not list((tmp_path / store).glob("build-*"))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_broken_new_version_keeps_the_stored_one(tmp_path, workers):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(DATA / "loader" / "bullets-mixed.txt", folder / "one.txt")
    shutil.copy(DATA / "loader" / "labelled-mixed.txt", folder / "two.txt")
    store = tmp_path / "s"
    build([folder], store=store, workers=workers)
    before = store_quads(store)
    (folder / "one.txt").write_bytes(b"")
    summary = build([folder], store=store, workers=workers)
    assert "one.txt: empty document" in [str(p) for p in summary.problems]
    assert summary.documents == 2
    assert store_quads(store) == before


def test_a_stored_document_whose_text_is_gone_keeps_its_graph(tmp_path):
    store = tmp_path / "s"
    build([DATA / "loader" / "bullets-mixed.txt"], store=store)
    own = {q for q in store_quads(store) if "/id/document/bullets-mixed-txt-" in q[3]}
    assert own
    for saved in (store / "sources").glob("*.txt"):
        saved.unlink()
    summary = build([DATA / "loader" / "labelled-mixed.txt"], store=store)
    assert any(
        "bullets-mixed.txt: its saved text is missing; its graph is kept as is" in w
        for w in summary.warnings
    )
    assert own <= store_quads(store)
    assert not summary.rejected_documents


def _reversed_spans(monkeypatch) -> None:
    """Make every evidence span end before it starts (offsets written as -end)."""
    import kg.rdfize

    real = kg.rdfize._integer
    monkeypatch.setattr(kg.rdfize, "_integer", lambda n: real(-n))


def _sourceless_evidence(monkeypatch, documents: str) -> None:
    """Make the evidence of the documents whose names contain ``documents`` derive from
    a node that is no source document."""
    import kg.rdfize

    real = kg.rdfize._Writer.evidence

    def evidence(self, *args):
        if documents not in self.doc:
            return real(self, *args)
        kept, self.doc_iri = self.doc_iri, URIRef("https://w3id.org/coopgraph/id/nowhere")
        try:
            return real(self, *args)
        finally:
            self.doc_iri = kept

    monkeypatch.setattr(kg.rdfize._Writer, "evidence", evidence)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_build_reports_what_validating_its_store_reports(tmp_path, monkeypatch, workers):
    # the build checks evidence on each document's graph (kg.shacl_local) and the rest
    # in the store: together, what every shape run over the store reports
    from kg.shacl_sparql import validate_store

    _reversed_spans(monkeypatch)
    store = tmp_path / "s"
    summary = build([DATA / "loader"], store=store, workers=workers)
    full = validate_store(EmbeddedStore(store, read_only=True).ox)
    evidence = {v for v in full.violations if "Evidence-char" in v.shape}
    assert len(evidence) >= 100 and not summary.validation.conforms
    assert {v.shape for v in full.violations} - {v.shape for v in evidence}  # not only these
    assert summary.validation == full


@pytest.mark.parametrize("workers", [1, 2])
def test_actions_without_good_evidence_in_their_graph_are_checked_in_the_store(
    tmp_path, monkeypatch, workers
):
    # the evidence of the labelled documents derives from no source document: their
    # actions lack good evidence in their own graphs, and the store finds which of
    # them have it in another graph (kg.shacl_local.GraphFirst)
    from kg.shacl_sparql import validate_store

    _sourceless_evidence(monkeypatch, "labelled")
    store = tmp_path / "s"
    summary = build([DATA / "loader"], store=store, workers=workers)
    full = validate_store(EmbeddedStore(store, read_only=True).ox)
    lacking = {v.focus for v in full.violations if v.shape.endswith("#Action-evidence")}
    assert len(lacking) >= 3
    assert summary.validation == full


@pytest.mark.parametrize("workers", [1, 2])
def test_values_that_only_the_union_of_the_graphs_has_too_many_of_are_found(
    tmp_path, monkeypatch, workers
):
    # each document titles its actions after itself: an action two documents state
    # has two titles in the store, one in each graph; the build sends it to the store
    # (kg.shacl_local.Spread), which finds it breaking the maximum count
    import kg.rdfize
    from kg.shacl_sparql import validate_store

    real = kg.rdfize._Writer.fact

    def fact(self, s, p, o, found):
        if p == DCTERMS.title:
            o = Literal(f"{o} ({self.doc})")
        return real(self, s, p, o, found)

    monkeypatch.setattr(kg.rdfize._Writer, "fact", fact)
    store = tmp_path / "s"
    both = [CORPUS / "actions-bullets.txt", CORPUS / "actions-labelled.txt"]
    summary = build(both, store=store, workers=workers)
    full = validate_store(EmbeddedStore(store, read_only=True).ox)
    twice = {v.focus for v in full.violations if v.shape.endswith("#Action-title")}
    assert len(twice) >= 3
    assert summary.validation == full
    assert 0 < summary.validation_seconds < summary.seconds
    record = json.loads((store / "build.json").read_text(encoding="utf-8"))
    assert record["validation_s"] == round(summary.validation_seconds, 3)


def test_a_graph_kept_as_stored_is_validated_in_the_store(tmp_path, monkeypatch):
    # its evidence was not checked in this build: every shape runs over the store
    store = tmp_path / "s"
    with monkeypatch.context() as patched:
        _reversed_spans(patched)
        build([DATA / "loader" / "bullets-mixed.txt"], store=store)
    for saved in (store / "sources").glob("*.txt"):
        saved.unlink()
    summary = build([DATA / "loader" / "labelled-mixed.txt"], store=store)
    assert any("Evidence-char" in v.shape for v in summary.validation.violations)
    assert not summary.validation.conforms


def test_a_build_failing_midway_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    import kg.build

    store = tmp_path / "s"
    build([DATA / "loader" / "bullets-mixed.txt"], store=store)
    before = store_quads(store)

    def broken(*args, **kwargs):
        raise RuntimeError("stopped while making a graph")

    monkeypatch.setattr(kg.build, "document_graph", broken)
    with pytest.raises(RuntimeError, match="stopped while making a graph"):
        build([DATA / "loader"], store=store, workers=1)
    assert store_quads(store) == before
    assert sorted(p.name for p in store.iterdir() if p.name.startswith(("oxigraph", "build-"))) == [
        "oxigraph"
    ]


def test_cli_exit_code_and_summary_for_bad_input(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    shutil.copy(DATA / "loader" / "bullets-mixed.txt", folder / "good.txt")
    result = CliRunner().invoke(cli, ["build", str(folder), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "empty.txt: empty document" in result.output
    assert "rejected documents" in result.output


def test_a_failed_write_leaves_the_store_as_it_was(tmp_path):
    store = tmp_path / "s"
    build([DATA / "loader" / "bullets-mixed.txt"], store=store)
    before = store_quads(store)
    broken = Graph()
    broken.add(
        (
            URIRef("https://w3id.org/coopgraph/id/x"),
            URIRef("https://example.org/p"),
            Literal("fine"),
        )
    )
    # rdflib writes a relative IRI as it is; Oxigraph refuses the whole update
    broken.add((URIRef("relative/iri"), URIRef("https://example.org/p"), Literal("refused")))
    db = EmbeddedStore(store)
    graph_names = [URIRef(g) for g in db.graph_names()]
    with pytest.raises(SyntaxError):
        db.replace({URIRef("https://w3id.org/coopgraph/id/graph/new"): broken}, drop=graph_names)
    del db
    assert store_quads(store) == before


def test_a_failed_rewrite_leaves_the_store_as_it_was(tmp_path):
    store = tmp_path / "s"
    build([DATA / "loader" / "bullets-mixed.txt"], store=store)
    before = store_quads(store)
    broken = Graph()
    broken.add((URIRef("relative/iri"), URIRef("https://example.org/p"), Literal("refused")))
    db = EmbeddedStore(store)
    with pytest.raises(SyntaxError):
        db.rewrite({URIRef("https://w3id.org/coopgraph/id/graph/new"): broken}, clean=True)
    del db
    assert store_quads(store) == before
    assert sorted(p.name for p in store.iterdir() if p.name.startswith("oxigraph")) == ["oxigraph"]


@pytest.mark.parametrize("staged", [True, False])
def test_a_swap_cut_short_is_finished_or_undone_on_open(tmp_path, staged):
    from kg.store import READY

    store = tmp_path / "s"
    build([DATA / "loader" / "bullets-mixed.txt"], store=store)
    before = store_quads(store)
    # the state between the two renames of a rewrite: no oxigraph/, the old one
    # beside a staging copy (complete or not)
    (store / "oxigraph").rename(store / "oxigraph.old")
    if staged:
        shutil.copytree(store / "oxigraph.old", store / "oxigraph.staging")
        (store / "oxigraph.staging" / READY).touch()
    EmbeddedStore(store)  # opening it for writing repairs it (and closes at once)
    assert store_quads(store) == before
    assert sorted(p.name for p in store.iterdir() if p.name.startswith("oxigraph")) == ["oxigraph"]


def _a_graph_and_two_names() -> tuple[Graph, URIRef, URIRef]:
    g = Graph()
    g.add(
        (URIRef("https://w3id.org/coopgraph/id/x"), URIRef("https://example.org/p"), Literal("1"))
    )
    names = (URIRef(f"https://w3id.org/coopgraph/id/graph/{n}") for n in "ab")
    return g, *names


def test_rewrite_keeps_graphs_it_is_not_given_unless_clean(tmp_path):
    store = tmp_path / "s"
    db = EmbeddedStore(store)
    g, a, b = _a_graph_and_two_names()
    db.rewrite({a: g})
    db.rewrite({b: g})
    assert db.graph_names() == [str(a), str(b)]
    db.rewrite({b: g}, clean=True)
    assert db.graph_names() == [str(b)]


def test_finish_runs_beside_the_compaction_on_the_whole_new_database(tmp_path):
    """What runs beside the compaction sees the graphs carried over too, its result is
    returned, and an error in it leaves the store as it was."""
    db = EmbeddedStore(tmp_path / "s")
    g, a, b = _a_graph_and_two_names()
    db.rewrite({a: g})
    with db.rewriting([b]) as staging:
        staging.load_graph(b, g)
        seen = staging.finish(
            lambda database: sorted(str(n.value) for n in database.named_graphs())
        )
    assert seen == [str(a), str(b)] == db.graph_names()

    def failing(database):
        raise RuntimeError("the validation failed")

    with pytest.raises(RuntimeError, match="validation failed"), db.rewriting([a]) as staging:
        staging.load_graph(URIRef("https://w3id.org/coopgraph/id/graph/c"), g)
        staging.finish(failing)
    assert db.graph_names() == [str(a), str(b)]
    assert not (tmp_path / "s" / "oxigraph.staging").exists()
    # (the Staging kept past its block has let go of its database)
    db.rewrite({a: g}, clean=True)
    assert db.graph_names() == [str(a)]


def test_action_summary_contract(demo_store):
    store, _ = demo_store
    result = CliRunner().invoke(
        cli, ["query", "action-summary", "--format", "json", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["head"]["vars"] == ACTION_SUMMARY_COLUMNS
    rows = data["results"]["bindings"]
    assert len(rows) == 40
    assert len({r["action"]["value"] for r in rows}) == 40
    for row in rows:
        for var in ("expertCountries", "themes", "actionCodes"):
            if var in row:
                values = row[var]["value"].split(" ")
                assert values == sorted(values)
    merged = [r for r in rows if len(r["sources"]["value"].split(" ")) == 2]
    assert len(merged) == 4  # the actions both demo lists describe


def test_quads_load_in_batches_side_by_side(tmp_path):
    """Batches of every size, chunks larger than a batch, loads side by side into one
    database on disk (terms shared between batches), and what goes wrong on either
    side of the loader (the statements, or the Python that makes them) comes out as
    the error, not a hang."""
    import pyoxigraph as ox

    from kg.store import Staging

    lines = [
        f'<urn:s{i}> <urn:p{i % 5}> "{i % 11}" <urn:g{i % 3}> .\n'.encode() for i in range(500)
    ]
    chunks = [b"".join(lines[i : i + 7]) for i in range(0, 500, 7)]
    expected = ox.Store()
    expected.bulk_load(b"".join(lines), format=ox.RdfFormat.N_QUADS)
    for batch in (1, 100, 1_000, 10**9):
        store = ox.Store(str(tmp_path / f"b{batch}"))
        Staging(store).load(((None, c) for c in chunks), batch=batch)
        assert sorted(map(str, store)) == sorted(map(str, expected))
        assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode("urn:g1")))) == 167

    def failing():
        yield from chunks[:20]
        raise RuntimeError("the graph-making failed")

    store = ox.Store()
    with pytest.raises(RuntimeError, match="graph-making failed"):
        Staging(store).load(((None, c) for c in failing()), batch=100)
    with pytest.raises(SyntaxError):
        bad = [*chunks[:30], b"<urn:a> <urn:p> oops .\n"]
        Staging(ox.Store()).load(((None, c) for c in bad), 50)


def test_statements_of_named_graphs_load_into_their_graphs(tmp_path):
    """N-Triples of a graph, in runs broken by other graphs and by N-Quads, with
    batches of every size: each statement lands in its graph, once, whether its run
    was gathered into one load or split over several."""
    import pyoxigraph as ox

    from kg.store import Staging

    def line(i: int, graph: str | None) -> bytes:
        end = " ." if graph is None else f" <{graph}> ."
        return f'<urn:s{i}> <urn:p{i % 4}> "{i % 9}"{end}\n'.encode()

    # (graph, first statement): runs of graphs a, b, a again, with N-Quads between
    runs = [("urn:a", 0), (None, 40), ("urn:b", 80), (None, 120), ("urn:a", 160), ("urn:b", 200)]
    items, expected = [], ox.Store()
    for graph, first in runs:
        for i in range(first, first + 40, 8):
            if graph is None:
                quads = b"".join(line(n, f"urn:q{n % 3}") for n in range(i, i + 8))
                items.append((None, quads))
                expected.bulk_load(quads, format=ox.RdfFormat.N_QUADS)
            else:
                items.append((graph, b"".join(line(n, None) for n in range(i, i + 8))))
                quads = b"".join(line(n, graph) for n in range(i, i + 8))
                expected.bulk_load(quads, format=ox.RdfFormat.N_QUADS)
    for batch in (1, 300, 1_000, 10**9):
        store = ox.Store(str(tmp_path / f"g{batch}"))
        Staging(store).load(iter(items), batch=batch)
        assert sorted(map(str, store)) == sorted(map(str, expected))
        assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode("urn:a")))) == 80
    with pytest.raises(SyntaxError):
        Staging(ox.Store()).load(iter([*items[:3], ("urn:a", b"<urn:a> <urn:p> oops .\n")]))
