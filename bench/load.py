"""A bounded load test of ``coopgraph serve``: concurrent clients on loopback send a
fixed number of SPARQL queries and the latencies are reported.

Usage::

    python -m bench.load --store DIR [--clients 8] [--queries 400] [--workers 2]
                         [--json OUT.json]
    python -m bench.load --url http://127.0.0.1:8000/ [--clients 8] [--queries 400]

With ``--store``, a server is started on a free loopback port for the run and stopped
after it; with ``--url``, an already running server is used. Each client keeps one
HTTP/1.1 connection open and sends, in turn, the canned report queries (parameters
bound to their defaults or examples) as form POSTs asking for SPARQL JSON results.
Prints p50, p90, p99 and maximum latency, throughput and errors (any answer but 200,
or a failed connection). Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import selectors
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.queries import QueryError, bind, bindings, catalogue


def workload() -> list[tuple[str, str]]:
    """(name, text) of every canned query that is neither a check nor a network query,
    its parameters bound to their defaults or examples."""
    out = []
    for query in catalogue().values():
        if query.is_violation or query.name.startswith("network-"):
            continue
        given = {p.name: p.default or p.example for p in query.params}
        try:
            out.append((query.name, bind(query.text, bindings(query, given))))
        except QueryError:
            continue
    return out


@dataclass
class Tally:
    """What the clients saw: latencies in milliseconds, statuses, failures."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float, status: int | None, failure: str | None = None) -> None:
        with self.lock:
            self.latencies.append(ms)
            if status is not None:
                self.statuses[status] += 1
            if failure is not None:
                self.failures[failure] += 1


def _client(url: str, jobs: list[tuple[str, str]], tally: Tally, timeout: float) -> None:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json",
    }
    for _, text in jobs:
        body = urllib.parse.urlencode({"query": text})
        started = time.perf_counter()
        try:
            conn.request("POST", "/sparql", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            tally.add((time.perf_counter() - started) * 1000, response.status)
        except (OSError, http.client.HTTPException) as err:
            tally.add((time.perf_counter() - started) * 1000, None, type(err).__name__)
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    conn.close()


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, nearest rank.

    Examples
    --------
    >>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([1.0, 2.0, 3.0, 4.0], 99)
    (2.0, 4.0)
    """
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def run(url: str, *, clients: int = 8, queries: int = 400, timeout: float = 60.0) -> dict:
    """Send ``queries`` queries from ``clients`` concurrent clients to the server at
    ``url``; return the figures."""
    work = workload()
    jobs = [work[i % len(work)] for i in range(queries)]
    shares = [jobs[i::clients] for i in range(clients)]
    tally = Tally()
    threads = [
        threading.Thread(target=_client, args=(url, share, tally, timeout)) for share in shares
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    ok = tally.statuses.get(200, 0)
    lat = tally.latencies or [0.0]
    return {
        "url": url,
        "clients": clients,
        "queries": queries,
        "distinct_queries": len(work),
        "seconds": round(seconds, 3),
        "queries_per_second": round(queries / seconds, 1) if seconds else None,
        "p50_ms": round(percentile(lat, 50), 2),
        "p90_ms": round(percentile(lat, 90), 2),
        "p99_ms": round(percentile(lat, 99), 2),
        "max_ms": round(max(lat), 2),
        "mean_ms": round(statistics.fmean(lat), 2),
        "ok": ok,
        "errors": queries - ok,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "failures": dict(tally.failures),
    }


class Server:
    """``coopgraph serve`` on a free loopback port, for the length of a ``with``."""

    def __init__(
        self,
        store: Path,
        *,
        workers: int = 2,
        extra: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ):
        self.env = env
        self.args = [
            str(Path(sys.executable).parent / "coopgraph"),
            "serve",
            "--store",
            str(store),
            "--port",
            "0",
            "--workers",
            str(workers),
            "--quiet",
            *extra,
        ]
        self.process: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env
        )
        self.url = wait_ready(self.process)
        return self

    def __exit__(self, *exc) -> None:
        stop(self.process)


def wait_ready(process: subprocess.Popen, timeout: float = 60.0) -> str:
    """The URL a starting ``coopgraph serve`` prints once it answers.

    Raises
    ------
    RuntimeError
        When the server ends or says nothing in ``timeout`` seconds (with its stderr).
    """
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector.select(timeout=0.2):
            line = process.stdout.readline()
            found = re.search(r"http://\S+/", line)
            if found:
                return found.group(0)
            if not line:
                break
        if process.poll() is not None:
            break
    stop(process)
    raise RuntimeError(f"coopgraph serve did not start: {process.stderr.read()}")


def stop(process: subprocess.Popen | None) -> None:
    """End a server started here (SIGTERM, then SIGKILL after 10 s)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", type=Path, help="serve this store for the run")
    where.add_argument("--url", help="use the server running at this URL")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2, help="server workers (with --store)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.store:
        with Server(args.store, workers=args.workers) as server:
            result = run(server.url, clients=args.clients, queries=args.queries)
        result["workers"] = args.workers
    else:
        result = run(args.url, clients=args.clients, queries=args.queries)
    print(
        f"{result['queries']} queries ({result['distinct_queries']} distinct) from "
        f"{result['clients']} clients in {result['seconds']} s "
        f"({result['queries_per_second']}/s): p50 {result['p50_ms']} ms, "
        f"p90 {result['p90_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms; "
        f"errors {result['errors']}"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
