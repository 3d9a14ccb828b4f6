"""The build: documents -> graphs -> a new database swapped in at once -> validation.

``build`` reads the given documents, re-reads the documents already in the store from
their saved text, extracts and resolves the whole corpus (so the result depends on
the set of documents, never on the order of builds), writes the new database beside
the current one and swaps it in (:meth:`kg.store.EmbeddedStore.rewriting`), then
validates what was stored against the SHACL shapes, compiled to SPARQL and run inside
Oxigraph (:mod:`kg.shacl_sparql`).

The corpus streams: extraction and graph-making run one document at a time, spread
over processes, with records waiting on disk between the two passes; see
:func:`build`.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import pickle
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import TypeVar

from kg.checks import PREDICATES as CHECKED
from kg.checks import Found, checks, row_triples, settle
from kg.documents import Document, DocumentError, discover, read_document
from kg.extract import extract_actions
from kg.iri import FINDINGS_GRAPH, SUMMARY_GRAPH, document_iri
from kg.ontology import vocabulary_graphs
from kg.prose import extract_prose
from kg.rdfize import document_graph, findings_graph
from kg.records import Problem, Record
from kg.resolve import (
    Organisations,
    OrgIndex,
    OrgSignature,
    resolve_document,
    resolve_organisations,
    signatures,
)
from kg.resources import resource_dir
from kg.segment import segment
from kg.shacl_local import LOCAL_SHAPES, Key, Spread, graph_first, local_shapes
from kg.shacl_sparql import validate_store
from kg.store import EmbeddedStore, Statements
from kg.summary import READ_TEXT, SummaryAccumulator
from kg.triples import ntriples_chunks
from kg.validate import ValidationReport, Violation

Progress = Callable[[str, int, int], None]
T = TypeVar("T")
#: Whether the build's bulk loads skip Oxigraph's checks of the syntax they read (IRIs,
#: language tags): a tenth of the loader's CPU, on statements the build wrote itself
#: from IRIs it minted and rdflib literals. tests/test_build.py builds the demo, the
#: seeds and the loader fixtures with the checks on, to the same quads.
LENIENT = True
#: A document graph of this many statements or more is loaded on its own, as N-Triples
#: into its graph: a third fewer bytes to write, to send and for Oxigraph to parse
#: (the graph's IRI is not on every line). Each such load costs some 10 ms and a few
#: files of its own, so smaller graphs go as N-Quads, many to a load.
WHOLE_GRAPH = 50_000


@dataclass(frozen=True)
class BuildSummary:
    """What a build did."""

    documents: int
    actions: int
    organisations: int
    countries: int
    triples: int
    rejected_documents: int
    rejected_blocks: int
    problems: tuple[Problem, ...]
    warnings: tuple[str, ...]
    validation: ValidationReport
    store: Path
    seconds: float
    #: of them, those validating what was stored (the checks left to the store, and
    #: finding the nodes they are restricted to)
    validation_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """No rejected document or block and no SHACL violation."""
        return not self.problems and self.validation.conforms


def extract_document(doc: Document) -> tuple[list[Record], list[Problem], set[str]]:
    """Segment and extract one document: its records, problems and layouts."""
    segments = segment(doc)
    records, problems = extract_actions(doc, segments)
    records += extract_prose(doc, segments)
    return records, problems, {s.layout for s in segments}


@dataclass(frozen=True)
class _Source:
    """A document to build: a file given, or (``path`` None) a text saved in the store."""

    name: str
    path: Path | None = None
    sha256: str = ""


@dataclass(frozen=True)
class _Extracted:
    """What the first pass keeps of a document (its records wait on disk)."""

    name: str
    sha256: str = ""
    warnings: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    organisations: tuple[OrgSignature, ...] = ()
    countries: frozenset[str] = frozenset()
    #: Why the document could not be read (then nothing else is set).
    failure: Problem | None = None


def _stated(spill: Path) -> Path:
    """The folder of the nodes each graph states (see kg.shacl_local.Spread)."""
    return spill / "stated"


def _spill_file(spill: Path, name: str) -> Path:
    return spill / (hashlib.sha256(name.encode("utf-8")).hexdigest() + ".pickle")


def _extract(source: _Source, store: Path, spill: Path) -> _Extracted:
    """Pass 1, one document: read it, keep its text in the store, extract its records
    (written to ``spill``) and return what resolution needs of it."""
    if source.path is None:
        text = EmbeddedStore.saved_text(store, source.sha256)
        if text is None:
            return _Extracted(
                source.name, failure=Problem(source.name, "its saved text is missing")
            )
        doc = Document(source.name, text, source.sha256)
    else:
        try:
            doc = read_document(source.name, source.path.read_bytes())
        except DocumentError as err:
            return _Extracted(source.name, failure=Problem(source.name, err.message, err.line))
        except OSError as err:
            message = f"cannot read: {err.strerror or err}"
            return _Extracted(source.name, failure=Problem(source.name, message))
        EmbeddedStore.keep_text(store, doc.sha256, doc.text)
    records, problems, layouts = extract_document(doc)
    with _spill_file(spill, doc.name).open("wb") as out:
        pickle.dump((records, sorted(layouts)), out, protocol=pickle.HIGHEST_PROTOCOL)
    countries = {f.value[8:] for r in records for f in r.facts if f.value.startswith("country:")}
    return _Extracted(
        doc.name,
        doc.sha256,
        tuple(doc.warnings),
        tuple(problems),
        tuple(signatures(doc.name, records)),
        frozenset(countries),
    )


#: What pass 2 makes of a document: its graph's statements (see WHOLE_GRAPH), what the
#: summary takes of it, what the document-local shapes find in it, the focus nodes the
#: graph did not show to meet the graph-first checks (see kg.shacl_local.GraphFirst),
#: and the rows the store's checks give on it (see kg.checks).
_Made = tuple[Statements, SummaryAccumulator, list[Violation], dict[Key, set[str]], Found]
#: The predicates pass 2 indexes a graph's statements by, besides the shapes' own.
_INDEXED = (*CHECKED, *sorted(READ_TEXT))


def _rdfize(name: str, sha256: str, store: Path, spill: Path, orgs: Organisations) -> _Made:
    """Pass 2, one document (see :data:`_Made`)."""
    with _spill_file(spill, name).open("rb") as source:
        records, layouts = pickle.load(source)
    text = EmbeddedStore.saved_text(store, sha256)
    with _cycle_collector_paused():
        res = resolve_document(name, records, orgs)
        graph = document_graph(name, text, sha256, layouts, res.records[name], res)
        # (the graph's statements indexed once for the shapes, the checks and the
        # summary)
        indexed = graph_first().index(graph, also=_INDEXED)
        summary = SummaryAccumulator()
        summary.add_index(indexed.types, indexed.pairs)
        found = local_shapes().violations(indexed)
        lacking = graph_first().unsatisfied(indexed, found)
        Spread(graph_first(), _stated(spill)).add(graph_first().stated(indexed))
        checked = checks().find(indexed)
        iri = document_iri(name)
        if len(graph) >= WHOLE_GRAPH:
            statements: Statements = (str(iri), graph.ntriples())
        else:
            statements = (None, graph.nquads(iri))
        return statements, summary, found, lacking, checked


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the block: a document's graph is hundreds of
    thousands of small objects, none in a cycle, and the collections their making
    set off scanned every object alive (a third of pass 2's time on a document of a
    thousand actions; reference counting still frees them)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: The pool's per-process state: (store, spill folder, organisations).
_WORKER: dict[str, object] = {}


def _init_worker(store: Path, spill: Path, orgs: Organisations | None) -> None:
    _WORKER.update(store=store, spill=spill, orgs=orgs)


def _init_pool_worker(store: Path, spill: Path, orgs: Organisations | None) -> None:
    _init_worker(store, spill, orgs)
    gc.enable()  # forked from a process that may have paused it (_rdfize pauses it)


def _extract_job(source: _Source) -> _Extracted:
    return _extract(source, _WORKER["store"], _WORKER["spill"])  # type: ignore[arg-type]


def _rdfize_job(job: tuple[str, str]) -> _Made:
    w = _WORKER
    return _rdfize(*job, w["store"], w["spill"], w["orgs"])  # type: ignore[arg-type]


@contextmanager
def _mapper(workers: int, store: Path, spill: Path, orgs: Organisations | None = None):
    """``map(job, items)`` over worker processes (in order), or in this process."""
    if workers <= 1:
        _init_worker(store, spill, orgs)
        try:
            yield map
        finally:
            _WORKER.clear()
        return
    # forked: the workers start with the gazetteers already loaded, and a caller's
    # script is never imported again (as spawn and forkserver do)
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, _init_pool_worker, (store, spill, orgs)) as pool:

        def run(job, items):
            # at most two tasks a worker in flight: Pool.imap hands out every task at
            # once, and results the loader had not yet taken piled up in memory
            # (8 KB an action, measured at 1M actions)
            pending: deque = deque()
            for item in items:
                pending.append(pool.apply_async(job, (item,)))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()

        yield run


def _quads(
    made: Iterable[_Made],
    total: int,
    summary: SummaryAccumulator,
    found: list[Violation],
    lacking: dict[Key, set[str]],
    checked: Found,
    progress: Progress | None,
) -> Iterator[Statements]:
    """The statements of the graphs pass 2 ``made``, each graph's part of the summary merged
    into ``summary``, its local violations added to ``found``, the focus nodes to
    check again to ``lacking`` and its check rows to ``checked`` as it passes."""
    for i, (data, part, violations, unsatisfied, rows) in enumerate(made, 1):
        summary.merge(part)
        found.extend(violations)
        _merge(lacking, unsatisfied)
        checked.merge(rows)
        yield data
        if progress:
            progress("load", i, total)


def _timed(function: Callable[..., T], *args, **kwargs) -> tuple[T, float]:
    """What ``function(*args, **kwargs)`` returns, and the seconds it took."""
    begun = time.perf_counter()
    return function(*args, **kwargs), time.perf_counter() - begun


def _merge(into: dict[Key, set[str]], more: dict[Key, set[str]]) -> None:
    for key, values in more.items():
        into.setdefault(key, set()).update(values)


def _sources(paths: list[Path], stored: dict[str, str]) -> list[_Source]:
    """The documents of a build, by name: the files given, then the documents of the
    store (name -> SHA-256) that no file replaces."""
    sources = {name: _Source(name, path) for path, name in _named_files(paths)}
    for name, sha in stored.items():
        sources.setdefault(name, _Source(name, None, sha))
    return [sources[name] for name in sorted(sources)]


def _workers(sources: list[_Source], store: Path, workers: int | None) -> int:
    """The processes a build uses: as asked, else one per core when there is enough to
    share (2 MB of text, given or saved in the store), else none but this one."""
    if workers is not None:
        return max(1, workers)
    size = 0
    for s in sources:
        path = s.path or EmbeddedStore.saved_path(store, s.sha256)
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    return (os.cpu_count() or 1) if size >= 2_000_000 else 1


def _named_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """Each input file with the name it is known by: its path below the folder given,
    or its file name."""
    out = []
    for path in paths:
        if path.is_dir():
            out += [(f, f.relative_to(path).as_posix()) for f in discover([path])]
        else:
            out += [(f, f.name) for f in discover([path])]
    return out


def build(
    paths: list[Path] | None,
    *,
    store: Path,
    clean: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildSummary:
    """Build ``paths`` (files or folders; the demo corpus when None) into ``store``.

    Documents stream through two passes, each spread over ``workers`` processes: the
    first extracts each document's records (kept on disk, not in memory) and the names
    of its organisations; the organisations of the whole corpus are then resolved; the
    second makes each document's graph and writes it straight into Oxigraph's bulk
    loader, while the summary graph collects what it needs. What stays in memory is
    the distinct organisations and the summary's facts, not the corpus.

    Parameters
    ----------
    clean
        Start from an empty store instead of adding to what it holds.
    progress
        Called as ``progress(stage, done, total)`` while documents are processed.
    workers
        Processes to use; by default one per core for inputs over 2 MB, else none but
        this one. The result does not depend on it.

    Returns
    -------
    BuildSummary
    """
    started = time.perf_counter()
    paths = paths or [resource_dir("corpus")]
    problems: list[Problem] = []
    warnings: list[str] = []
    db = EmbeddedStore(store)
    stored = {} if clean else db.documents()
    sources = _sources(paths, stored)
    n_workers = _workers(sources, store, workers)
    index = OrgIndex()
    kept: list[_Extracted] = []
    countries: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="build-", dir=db.path) as tmp:
        spill = Path(tmp)
        with _mapper(n_workers, store, spill) as run:
            retry = []
            for i, done in enumerate(run(_extract_job, sources), 1):
                if done.failure is not None and sources[i - 1].path is None:
                    warnings.append(
                        f"{done.name}: its saved text is missing; its graph is kept as is"
                    )
                elif done.failure is not None:
                    problems.append(done.failure)
                    if done.name in stored:
                        # a broken new version: the stored one stays
                        retry.append(_Source(done.name, None, stored[done.name]))
                else:
                    # the organisations go into the index now: kept, each would hold
                    # a copy of names the index holds once
                    index.add(done.name, done.organisations)
                    kept.append(replace(done, organisations=()))
                if progress:
                    progress("extract", i, len(sources))
            for done in (_extract(s, store, spill) for s in retry):
                if done.failure is None:
                    index.add(done.name, done.organisations)
                    kept.append(replace(done, organisations=()))
        kept.sort(key=lambda d: d.name)
        for done in kept:
            warnings.extend(done.warnings)
            problems.extend(done.problems)
            countries |= done.countries
        orgs = resolve_organisations(index)
        summary = SummaryAccumulator()
        found_locally: list[Violation] = []
        lacking: dict[Key, set[str]] = {}
        checked = Found()
        # graphs of the store not replaced stay (a document whose saved text is gone)
        replaced = [document_iri(d.name) for d in kept]
        replaced += [FINDINGS_GRAPH, SUMMARY_GRAPH, *vocabulary_graphs()]
        # graphs carried over as stored: the document-local shapes were not checked on
        # them in this build
        carried = not clean and bool(set(db.graph_names()) - {str(g) for g in replaced})
        # (the cycle collector paused here too: the summary's facts are millions of
        # small objects, and merging the documents' parts took half as long without
        # the collections they set off, at 10k actions)
        spread = Spread(graph_first(), _stated(spill))
        spread.folder.mkdir()
        with _cycle_collector_paused(), db.rewriting(replaced, clean=clean) as staging:
            jobs = [(d.name, d.sha256) for d in kept]
            with _mapper(n_workers, store, spill, orgs) as run:
                made = run(_rdfize_job, jobs)
                staging.load(
                    _quads(made, len(jobs), summary, found_locally, lacking, checked, progress),
                    lenient=LENIENT,
                )
            # the workers are gone before the summary is made: at a million actions
            # the summary stage is the build's largest, and they held 300 MB each
            findings = findings_graph(orgs.findings)
            staging.load_graph(FINDINGS_GRAPH, findings, lenient=LENIENT)
            summary.add(findings)  # (for the data-quality rows)
            for name, graph in vocabulary_graphs().items():
                summary.add(graph)
                staging.load_graph(name, graph, lenient=LENIENT)
            # (the graph-first checks see every graph but the summary's, which says
            # nothing they read: tested in test_summary)
            for graph in (findings, *vocabulary_graphs().values()):
                indexed = graph_first().index(graph, also=CHECKED)
                _merge(lacking, graph_first().unsatisfied(indexed, []))
                spread.add(graph_first().stated(indexed))
                checked.merge(checks().find(indexed))
            # the checks' rows on the union of the graphs now stored (see kg.checks),
            # with the graphs carried over, which no check has seen, checked in full
            if carried:
                staging.carry_over()
            rows = settle(checked, staging.ox, summary.shared_actions(), whole=carried)
            summarised = ntriples_chunks(chain(summary.triples(), row_triples(rows)))
            staging.load(((SUMMARY_GRAPH, c) for c in summarised), lenient=LENIENT)
            actions = summary.actions
            # the summary's facts (1.5 KB an action) are let go before the store is
            # validated
            del summary

            # the shapes compiled to SPARQL, run over what was stored (see
            # kg.shacl_sparql), but for the document-local ones, checked on each graph
            # made (see kg.shacl_local) when every graph was made in this build; the
            # graph-first checks then run in the store on the focus nodes no graph
            # decided. Which nodes those are is worked out while Oxigraph compacts the
            # new database, on the core it leaves idle; the store is queried once
            # compacted: beside the compaction, the queries of a million actions'
            # build waited on the disk it kept busy (178 s, against 22 s after it with
            # nothing in the page cache).
            if carried:
                # (every graph checked in the store: a long job, kept beside)
                report, validation_seconds = staging.finish(
                    lambda database: _timed(validate_store, database, per_graph=LOCAL_SHAPES)
                )
            else:
                shared, validation_seconds = staging.finish(lambda _: _timed(spread.shared))
                _merge(lacking, shared)
                report, seconds = _timed(
                    validate_store,
                    staging.ox,
                    skip=LOCAL_SHAPES,
                    skipped_results=found_locally,
                    only={k: lacking.get(k, set()) for k in graph_first().keys},
                )
                validation_seconds += seconds
    db.prune_sources(d.sha256 for d in kept)
    db.record_build(datetime.now(UTC).replace(microsecond=0), validation_seconds=validation_seconds)
    if progress:
        progress("validate", 1, 1)
    built = {d.name for d in kept}
    rejected_docs = sum(1 for p in problems if p.line is None or p.source not in built)
    return BuildSummary(
        documents=len(kept),
        actions=actions,
        organisations=len(orgs.labels),
        countries=len(countries),
        triples=len(db),
        rejected_documents=rejected_docs,
        rejected_blocks=len(problems) - rejected_docs,
        problems=tuple(problems),
        warnings=tuple(warnings),
        validation=report,
        store=store,
        seconds=time.perf_counter() - started,
        validation_seconds=validation_seconds,
    )
