"""Canned-query latency on a large graph made by replicating a built one.

The documents' graphs of a built store (the seeds, or the demo corpus) are copied
``copies`` times, every coopgraph data IRI that is not a shared concept (countries,
themes, types of assistance...) given a copy suffix, and bulk-loaded into a fresh
Oxigraph store; the canned queries are then timed on it. The graph keeps the real
loader's shape and value distributions, at the size asked for. The summary graph the
queries read (kg/summary.py) is not copied: it is made anew from the copied graphs,
streamed one graph at a time through :class:`kg.summary.SummaryAccumulator`, as a build
of that many documents would make it.

Usage::

    python -m bench.scale --actions 100000 [--runs 5] [--json OUT.json] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from bench.queries import default_corpus, measure
from kg.build import build
from kg.iri import SUMMARY_GRAPH
from kg.namespace import CG
from kg.store import EmbeddedStore
from kg.summary import READ, SummaryAccumulator, from_oxigraph

#: IRIs that name one thing in every copy (vocabulary concepts, rules, the ontology).
_SHARED = re.compile(
    r"<https://w3id\.org/coopgraph/id/(?:country|region|theme|assistance-type|"
    r"organisation-kind|rule|programme)/[^>]*>"
)
_DATA_IRI = re.compile(r"<(https://w3id\.org/coopgraph/id/[^>]*)>")


def _rename(m: re.Match[str], k: int) -> str:
    """A data IRI with the copy's suffix; a shared concept's IRI as it is."""
    return m.group(0) if _SHARED.fullmatch(m.group(0)) else f"<{m.group(1)}-{k}>"


def replicate(source: EmbeddedStore, copies: int, out: Path) -> int:
    """Write ``copies`` renamed copies of the source's document graphs, and its other
    graphs once, to ``out`` as N-Quads; return the number of quads written."""
    documents = [g for g in source.graph_names() if "/id/document/" in g]
    others = [g for g in source.graph_names() if g not in documents and g != str(SUMMARY_GRAPH)]
    written = 0
    with out.open("w", encoding="utf-8") as handle:
        for graph in others:
            for line in source.ntriples(graph).decode().splitlines():
                handle.write(f"{line[:-1]} <{graph}> .\n")
                written += 1
        lines = [(g, source.ntriples(g).decode().splitlines()) for g in documents]
        for k in range(copies):
            for graph, triples in lines:
                name = f"<{graph}-{k}>"
                for line in triples:
                    renamed = _DATA_IRI.sub(partial(_rename, k=k), line)
                    handle.write(f"{renamed[:-1]} {name} .\n")
                    written += 1
    return written


#: The rdf:type objects the accumulator looks at; other typings are left out early.
_TYPES = {str(CG.Action), str(CG.Evidence)}
_READ = {str(p) for p in READ}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _oxigraph(term: Node):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def summarise(nquads: Path) -> int:
    """Append to ``nquads`` the summary graph of the graphs it holds (read one graph
    at a time: the file holds each graph's quads together); return the number of quads
    appended."""
    acc = SummaryAccumulator()
    current, triples = None, []
    for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        predicate = quad.predicate.value
        if predicate not in _READ:
            continue
        if predicate == _RDF_TYPE and quad.object.value not in _TYPES:
            continue
        if quad.graph_name != current:
            acc.add(triples)
            current, triples = quad.graph_name, []
        triples.append((from_oxigraph(quad.subject), URIRef(predicate), from_oxigraph(quad.object)))
    acc.add(triples)
    graph = ox.NamedNode(str(SUMMARY_GRAPH))
    quads = [ox.Quad(_oxigraph(s), _oxigraph(p), _oxigraph(o), graph) for s, p, o in acc.triples()]
    with nquads.open("ab") as handle:
        ox.serialize(quads, handle, format=ox.RdfFormat.N_QUADS)
    return len(quads)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="Keep the large store in this folder.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        summary = build([default_corpus()], store=base)
        copies = max(1, round(args.actions / summary.actions))
        nquads = Path(tmp) / "big.nq"
        started = time.perf_counter()
        quads = replicate(EmbeddedStore(base, read_only=True), copies, nquads)
        replicated = time.perf_counter()
        quads += summarise(nquads)
        target = args.keep or Path(tmp) / "big"
        (target / "oxigraph").mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(target / "oxigraph"))
        loaded = time.perf_counter()
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        store.optimize()
        done = time.perf_counter()
        del store
        medians = measure(EmbeddedStore(target, read_only=True), args.runs) if args.runs else {}
    result = {
        "actions": summary.actions * copies,
        "quads": quads,
        "replicate_s": round(replicated - started, 1),
        "summary_s": round(loaded - replicated, 1),
        "bulk_load_s": round(done - loaded, 1),
        "query_median_ms": medians,
    }
    print(
        f"{result['actions']} actions, {quads} quads; replicate {result['replicate_s']} s, "
        f"summary {result['summary_s']} s, bulk load {result['bulk_load_s']} s; "
        f"median of {args.runs} runs:"
    )
    for name, ms in medians.items():
        print(f"  {name:32} {ms:10.1f} ms")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
