"""Canned-query latency on a large graph made by replicating a built one.

The documents' graphs of a built store (the seeds, or the demo corpus) are copied
``copies`` times, every coopgraph data IRI that is not a shared concept (countries,
themes, types of assistance...) given a copy suffix, and bulk-loaded into a fresh
Oxigraph store; the canned queries are then timed on it. The graph keeps the real
loader's shape and value distributions, at the size asked for.

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

from bench.queries import default_corpus, measure
from kg.build import build
from kg.store import EmbeddedStore

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
    others = [g for g in source.graph_names() if g not in documents]
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
        "replicate_s": round(loaded - started, 1),
        "bulk_load_s": round(done - loaded, 1),
        "query_median_ms": medians,
    }
    print(
        f"{result['actions']} actions, {quads} quads; replicate {result['replicate_s']} s, "
        f"bulk load {result['bulk_load_s']} s; median of {args.runs} runs:"
    )
    for name, ms in medians.items():
        print(f"  {name:32} {ms:10.1f} ms")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
