"""The build: documents -> graphs -> the store, in one transaction -> validation.

``build`` reads the given documents, re-reads the documents already in the store from
their saved text, extracts and resolves the whole corpus (so the result depends on
the set of documents, never on the order of builds), replaces the store's graphs at
once and validates what was stored against the SHACL shapes, compiled to SPARQL and
run inside Oxigraph (:mod:`kg.shacl_sparql`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef

from kg.documents import Document, DocumentError, discover, read_document
from kg.extract import extract_actions
from kg.iri import FINDINGS_GRAPH, SUMMARY_GRAPH, document_iri
from kg.ontology import ONTOLOGY_IRI, VOCABULARY_FILES, ontology_files
from kg.prose import extract_prose
from kg.rdfize import document_graph, findings_graph
from kg.records import Problem, Record
from kg.resolve import resolve
from kg.resources import resource_dir
from kg.segment import segment
from kg.shacl_sparql import validate_store
from kg.store import EmbeddedStore
from kg.summary import summary_graph
from kg.triples import Triples
from kg.validate import ValidationReport

Progress = Callable[[str, int, int], None]


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


def _read_inputs(
    paths: list[Path], problems: list[Problem], warnings: list[str]
) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for path, name in _named_files(paths):
        try:
            doc = read_document(name, path.read_bytes())
        except DocumentError as err:
            problems.append(Problem(name, err.message, err.line))
            continue
        except OSError as err:
            problems.append(Problem(name, f"cannot read: {err.strerror or err}"))
            continue
        warnings.extend(doc.warnings)
        docs[name] = doc
    return docs


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


def vocabulary_graphs() -> dict[URIRef, Graph]:
    """The ontology and each vocabulary in a graph of its own (parsed once a process;
    the graphs are shared, not to be changed)."""
    return dict(_vocabulary_graphs())


@lru_cache(maxsize=1)
def _vocabulary_graphs() -> dict[URIRef, Graph]:
    names = [ONTOLOGY_IRI, *(URIRef(s) for s in VOCABULARY_FILES)]
    return {
        name: Graph().parse(path, format="turtle")
        for name, path in zip(names, ontology_files(), strict=True)
    }


def build(
    paths: list[Path] | None, *, store: Path, clean: bool = False, progress: Progress | None = None
) -> BuildSummary:
    """Build ``paths`` (files or folders; the demo corpus when None) into ``store``.

    Parameters
    ----------
    clean
        Start from an empty store instead of adding to what it holds.
    progress
        Called as ``progress(stage, done, total)`` while documents are processed.

    Returns
    -------
    BuildSummary
    """
    started = time.perf_counter()
    paths = paths or [resource_dir("corpus")]
    problems: list[Problem] = []
    warnings: list[str] = []
    db = EmbeddedStore(store)
    docs = _read_inputs(paths, problems, warnings)
    stored = {} if clean else db.documents()
    for name, sha in sorted(stored.items()):
        if name not in docs:
            text = db.load_source(sha)
            if text is None:
                warnings.append(f"{name}: its saved text is missing; its graph is kept as is")
                continue
            docs[name] = Document(name, text, sha)
    records: dict[str, list[Record]] = {}
    layouts: dict[str, set[str]] = {}
    names = sorted(docs)
    for i, name in enumerate(names, 1):
        recs, trouble, layouts[name] = extract_document(docs[name])
        records[name] = recs
        problems += trouble
        if progress:
            progress("extract", i, len(names))
    res = resolve(records)
    graphs: dict[URIRef, Graph | Triples] = {}
    for name in names:
        doc = docs[name]
        graphs[document_iri(name)] = document_graph(
            name, doc.text, doc.sha256, layouts[name], res.records[name], res
        )
    graphs[FINDINGS_GRAPH] = findings_graph(res.findings)
    graphs[SUMMARY_GRAPH] = summary_graph({**graphs, **vocabulary_graphs()})
    graphs.update(vocabulary_graphs())
    for doc in docs.values():
        db.save_source(doc.sha256, doc.text)
    db.rewrite(graphs, clean=clean)
    db.prune_sources(doc.sha256 for doc in docs.values())
    db.record_build(datetime.now(UTC).replace(microsecond=0))
    # the shapes compiled to SPARQL, run over what was stored (see kg.shacl_sparql)
    report = validate_store(db.ox)
    if progress:
        progress("validate", 1, 1)
    entities = Counter(str(iri).split("/id/")[1].split("/")[0] for iri in set(res.iris.values()))
    countries = len(
        {
            f.value
            for recs in res.records.values()
            for r in recs
            for f in r.facts
            if f.value.startswith("country:")
        }
    )
    rejected_docs = sum(1 for p in problems if p.line is None or p.source not in docs)
    return BuildSummary(
        documents=len(docs),
        actions=entities["action"],
        organisations=entities["organisation"],
        countries=countries,
        triples=len(db),
        rejected_documents=rejected_docs,
        rejected_blocks=len(problems) - rejected_docs,
        problems=tuple(problems),
        warnings=tuple(warnings),
        validation=report,
        store=store,
        seconds=time.perf_counter() - started,
    )
