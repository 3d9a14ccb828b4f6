"""Median latency of every canned query on a built store.

Usage::

    python -m bench.queries [CORPUS ...] [--runs 20] [--json OUT.json]

With no corpus, the development seeds (../shared/seeds) when present, else the demo
corpus, are built into a temporary store first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from kg.build import build
from kg.queries import bindings, catalogue, run_query
from kg.resources import repo_root, resource_dir
from kg.store import EmbeddedStore


def default_corpus() -> Path:
    root = repo_root()
    seeds = root.parent / "shared" / "seeds" if root else None
    return seeds if seeds and seeds.is_dir() else resource_dir("corpus")


def measure(store: EmbeddedStore, runs: int) -> dict[str, float]:
    """Query name -> median latency in milliseconds over ``runs`` runs (after one warm-up);
    queries whose parameters have neither default nor example are left out."""
    return time_queries(store, runs, budget_s=float("inf"))[0]


def time_queries(
    store: EmbeddedStore, runs: int, budget_s: float = 30.0
) -> tuple[dict[str, float], dict[str, int], list[str]]:
    """Median latency (ms) and row count of every runnable canned query: one warm-up,
    then ``runs`` runs, except that a query whose warm-up takes longer than
    ``budget_s`` is not run again: its one time stands for the median, and its name is
    in the third value returned."""
    medians, rows, once = {}, {}, []
    for query in catalogue().values():
        given = {p.name: p.default or p.example for p in query.params}
        if any(not v for v in given.values()):
            continue
        bound = bindings(query, given)
        started = time.perf_counter()
        rows[query.name] = len(run_query(store, query.text, bound)[1])
        times = [(time.perf_counter() - started) * 1000]
        if times[0] > budget_s * 1000:
            once.append(query.name)
        else:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                run_query(store, query.text, bound)
                times.append((time.perf_counter() - started) * 1000)
        medians[query.name] = round(statistics.median(times), 2)
    return medians, rows, once


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    corpus = args.corpus or [default_corpus()]
    with tempfile.TemporaryDirectory() as tmp:
        summary = build(corpus, store=Path(tmp) / "store")
        medians = measure(EmbeddedStore(Path(tmp) / "store", read_only=True), args.runs)
    print(f"{summary.actions} actions, {summary.triples} triples; median of {args.runs} runs")
    for name, ms in medians.items():
        print(f"  {name:32} {ms:8.2f} ms")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "actions": summary.actions,
                    "triples": summary.triples,
                    "query_median_ms": medians,
                },
                indent=2,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
