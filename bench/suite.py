"""The benchmark suite: build, its floors, the naive pipeline and every command, by size.

For each size (a number of actions) a seeded synthetic corpus (``bench.synth``) is
generated and measured:

- ``coopgraph build`` in a fresh process: wall time, peak RSS, quads and actions stored,
  and the part of the time it spent validating the store (``build_validate_s``, from
  the store's ``build.json``: the shapes checked on each graph as it is made, then in
  the store what no graph decided);
- extraction alone, in this process (read, segment, extract, prose: what the build does
  before resolving), and a single ``\\w+`` regex pass over the same bytes as the floor
  for reading text at all;
- the floor for storing: Oxigraph's own ``bulk_load`` (+ ``optimize``) of the built
  store's N-Quads dump into a fresh on-disk store, in a fresh process; and again
  without Oxigraph's syntax checks (``lenient``), as the build loads what it wrote;
- the naive pipeline (``bench.naive``: rdflib + pySHACL over the whole graph + the
  canned queries on rdflib) on the built store's triples, in a fresh process; above
  ``--naive-max`` actions it is extrapolated linearly from the largest size measured;
- ``coopgraph validate`` (the whole store validated again from scratch: ``validate_s``),
  ``export --format nq`` and ``network --json``, each in a fresh process; the median
  latency of every canned query on the built store (one slower than
  ``--query-budget`` seconds is timed once), with its row count, which the naive run's
  must equal.

Each child process reports its own peak RSS (``VmHWM`` of /proc/self/status, read at
exit); ``ru_maxrss`` would not do, as Linux carries the parent's high-water mark
across fork and exec. Wall times are taken around the child, interpreter start-up and
imports included: what a user waits for. Timings are reported, never asserted.

Usage::

    python -m bench --sizes 1000,10000 --json OUT.json [--work DIR] [--keep]
        [--naive-max 10000] [--naive-timeout 3600] [--runs 5] [--query-budget 30]

The JSON is a list with one object per size; ``bench.suite.REQUIRED`` names the keys
every object has. Ratios are times over times: ``build_vs_floor`` = build / floor
(``build_vs_floor_lenient``: over the floor loading as the build does, without
Oxigraph's syntax checks),
``extract_vs_regex`` = extraction / regex pass, ``build_speedup_vs_naive`` = naive /
build. ``naive_s`` counts load + SHACL + queries, not extraction, while ``build_s``
includes extraction and the interpreter's start-up: the speed-up is understated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

SEED = 0
#: The keys every size's result holds (the smoke test checks them).
REQUIRED = (
    "actions",
    "triples",
    "build_s",
    "naive_s",
    "floor_s",
    "validate_s",
    "build_validate_s",
    "peak_rss_mb",
    "extract_docs_per_s",
    "query_median_ms",
)

#: Run ``module:function`` with the remaining arguments as ``sys.argv[1:]``, then write
#: the process's own peak RSS and its children's largest (both in kB) to a report file.
_CHILD = r"""
import importlib, resource, sys
report, target, *args = sys.argv[1:]
sys.argv = [target, *args]
module, _, function = target.partition(":")
try:
    getattr(importlib.import_module(module), function)()
finally:
    with open("/proc/self/status", encoding="ascii") as status:
        hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(report, "w", encoding="ascii") as out:
        out.write(f"{hwm} {children}\n")
"""

ACTIONS_QUERY = (
    "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <https://w3id.org/coopgraph/ontology#Action> }"
)


@dataclass(frozen=True)
class Child:
    """A finished child process: wall seconds, exit code, its own peak RSS and its
    children's largest (MB), and what it printed."""

    seconds: float
    returncode: int
    peak_rss_mb: float
    children_rss_mb: float
    stdout: str
    stderr: str


def run_child(target: str, *args: str, timeout: float | None = None) -> Child:
    """Run ``target`` (``module:function``) in a fresh interpreter with ``args``.

    Raises
    ------
    subprocess.TimeoutExpired
        When it runs longer than ``timeout`` seconds (it is killed).
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss", encoding="ascii") as report:
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, report.name, target, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_child_env(),
        )
        seconds = time.perf_counter() - started
        own, children = (int(x) for x in (report.read().split() or ["0", "0"]))
    return Child(seconds, proc.returncode, own / 1024, children / 1024, proc.stdout, proc.stderr)


def _child_env() -> dict[str, str]:
    """This environment, with the checkout on the path (``bench`` is not installed)."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}


def coopgraph(*args: str, ok: tuple[int, ...] = (0, 1)) -> Child:
    """Run a ``coopgraph`` command in a fresh process; an exit code outside ``ok``
    raises RuntimeError with what it printed."""
    child = run_child("kg.cli:main", *args)
    if child.returncode not in ok:
        raise RuntimeError(
            f"coopgraph {' '.join(args)} exited {child.returncode}:\n{child.stderr[-2000:]}"
        )
    return child


# --- the stages -------------------------------------------------------------------------


def measure_extraction(corpus: Path) -> dict:
    """Extraction alone (decode, segment, extract, prose) over the corpus's documents,
    after a warm-up call on the first one, and a ``\\w+`` regex pass over the same
    bytes (decoded the same way): their times and counts."""
    from kg.build import extract_document
    from kg.documents import discover, read_document

    files = [(p.relative_to(corpus).as_posix(), p.read_bytes()) for p in discover([corpus])]
    size = sum(len(data) for _, data in files)
    # the first call loads the gazetteers and rule tables: timed apart on the first
    # lines of the first document, and left out of the rate
    name, data = files[0]
    started = time.perf_counter()
    extract_document(read_document(name, data[: data.find(b"\n\n", 2000) + 1 or None]))
    warmup_s = time.perf_counter() - started
    started = time.perf_counter()
    records = 0
    for name, data in files:
        records += len(extract_document(read_document(name, data))[0])
    extract_s = time.perf_counter() - started
    token = re.compile(r"\w+")
    started = time.perf_counter()
    tokens = 0
    for _, data in files:
        tokens += sum(1 for _ in token.finditer(data.decode("utf-8")))
    regex_s = time.perf_counter() - started
    return {
        "documents": len(files),
        "corpus_mb": round(size / 1e6, 3),
        "records": records,
        "warmup_s": round(warmup_s, 3),
        "extract_s": round(extract_s, 3),
        "regex_s": round(regex_s, 4),
        "regex_tokens": tokens,
    }


def floor_main() -> None:
    """Child process: ``NQUADS FOLDER OUT.json [lenient]`` — bulk-load the N-Quads file
    into a fresh on-disk store in FOLDER (without Oxigraph's syntax checks when
    ``lenient``, as the build loads), optimize it, and write the times."""
    nquads, folder, out = sys.argv[1:4]
    lenient = sys.argv[4:5] == ["lenient"]
    Path(folder).mkdir(parents=True)
    store = ox.Store(folder)
    started = time.perf_counter()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS, lenient=lenient)
    loaded = time.perf_counter()
    store.optimize()
    done = time.perf_counter()
    result = {"quads": len(store), "bulk_load_s": loaded - started, "optimize_s": done - loaded}
    Path(out).write_text(json.dumps(result) + "\n", encoding="utf-8")


def dump(store: Path, nquads: Path, ntriples: Path) -> None:
    """The store's quads as N-Quads, and the same triples without graph names as
    N-Triples (a triple stated in several graphs is written once per graph)."""
    from kg.store import EmbeddedStore

    db = EmbeddedStore(store, read_only=True)
    db.ox.dump(str(nquads), format=ox.RdfFormat.N_QUADS)
    del db
    quads = ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    ox.serialize(triples, output=str(ntriples), format=ox.RdfFormat.N_TRIPLES)


def measure_naive(ntriples: Path, folder: Path, timeout: float | None) -> dict:
    """The naive pipeline (``bench.naive``) in a fresh process: its own stage times
    plus the child's wall time and peak RSS."""
    out = folder / "naive.json"
    child = run_child("bench.naive:main", str(ntriples), "--json", str(out), timeout=timeout)
    if child.returncode != 0:
        raise RuntimeError(f"bench.naive exited {child.returncode}:\n{child.stderr[-2000:]}")
    result = json.loads(out.read_text(encoding="utf-8"))
    result["wall_s"] = round(child.seconds, 3)
    result["peak_rss_mb"] = round(child.peak_rss_mb, 1)
    return result


def extrapolate(basis: dict, actions: int) -> dict:
    """A naive result scaled linearly from ``basis`` (a measured size) to ``actions``."""
    k = actions / basis["actions"]
    breakdown = {
        key: round(basis["naive_breakdown"][key] * k, 3)
        for key in ("load_s", "shacl_s", "queries_s", "peak_rss_mb")
    }
    return {
        "naive_s": round(basis["naive_s"] * k, 3),
        "naive_extrapolated": True,
        "naive_basis": {"actions": basis["actions"], "naive_s": basis["naive_s"]},
        "naive_breakdown": breakdown,
    }


def measure_build(corpus: Path, store: Path) -> dict:
    """``coopgraph build`` in a fresh process, and what it stored."""
    from kg.store import EmbeddedStore

    built = coopgraph("build", str(corpus), "--store", str(store), "--clean", "-q")
    record = json.loads((store / "build.json").read_text(encoding="utf-8"))
    db = EmbeddedStore(store, read_only=True)
    triples = len(db)
    actions = int(next(iter(db.query(ACTIONS_QUERY)))["n"].value)
    return {
        "actions": actions,
        "triples": triples,
        "build_s": round(built.seconds, 3),
        "build_exit": built.returncode,
        # (the build's own validation of the store: the shapes on each graph as it is
        # made, then in the store what no graph decided)
        "build_validate_s": record.get("validation_s"),
        "peak_rss_mb": round(built.peak_rss_mb, 1),
        "build_children_rss_mb": round(built.children_rss_mb, 1),
        "triples_per_s": round(triples / built.seconds, 1),
    }


def extraction_rates(corpus: Path, size: int) -> dict:
    """:func:`measure_extraction` and the rates and ratio derived from it."""
    extraction = measure_extraction(corpus)
    mb, seconds = extraction["corpus_mb"], extraction["extract_s"]
    return {
        "extraction": extraction,
        "extract_docs_per_s": round(extraction["documents"] / seconds, 2),
        "extract_actions_per_s": round(size / seconds, 1),
        "extract_mb_per_s": round(mb / seconds, 3),
        "regex_mb_per_s": round(mb / extraction["regex_s"], 2),
        "extract_vs_regex": round(seconds / extraction["regex_s"], 1),
    }


def measure_floor(nquads: Path, folder: Path, *, lenient: bool = False) -> dict:
    """Oxigraph's ``bulk_load`` + ``optimize`` of ``nquads`` into a fresh store in
    ``folder``, in a fresh process (``lenient``: without its syntax checks, as the
    build loads what it wrote; ``kg.build.LENIENT``). The store is removed after."""
    out = folder.with_suffix(".json")
    args = [str(nquads), str(folder), str(out), *(["lenient"] if lenient else [])]
    child = run_child("bench.suite:floor_main", *args)
    shutil.rmtree(folder, ignore_errors=True)
    if child.returncode != 0:
        raise RuntimeError(f"floor load exited {child.returncode}:\n{child.stderr[-2000:]}")
    loaded = json.loads(out.read_text(encoding="utf-8"))
    key = "floor_lenient" if lenient else "floor"
    return {
        f"{key}_s": round(loaded["bulk_load_s"] + loaded["optimize_s"], 3),
        key: {
            "bulk_load_s": round(loaded["bulk_load_s"], 3),
            "optimize_s": round(loaded["optimize_s"], 3),
            "wall_s": round(child.seconds, 3),
            "peak_rss_mb": round(child.peak_rss_mb, 1),
            "quads": loaded["quads"],
        },
    }


def naive_fields(ntriples: Path, folder: Path, timeout: float | None) -> dict:
    """The naive pipeline's figures for the result (``naive_timed_out`` if it ran out
    of time)."""
    try:
        n = measure_naive(ntriples, folder, timeout)
    except subprocess.TimeoutExpired:
        return {"naive_timed_out": timeout}
    breakdown = {k: n[k] for k in ("load_s", "shacl_s", "queries_s", "wall_s")}
    breakdown.update(rss_after_load_mb=n["rss_after_load_mb"], peak_rss_mb=n["peak_rss_mb"])
    return {
        "naive_s": n["total_s"],
        "naive_extrapolated": False,
        "naive_breakdown": breakdown,
        "naive_detail": {k: n[k] for k in ("triples", "pyshacl_conforms", "results", "queries")},
    }


def measure_commands(store: Path, folder: Path, runs: int, budget_s: float) -> dict:
    """``coopgraph validate``, ``export --format nq`` and ``network --json`` in fresh
    processes, and the canned queries' median latencies and row counts here (see
    :func:`bench.queries.time_queries`)."""
    from bench.queries import time_queries
    from kg.store import EmbeddedStore

    checked = coopgraph("validate", "--store", str(store))
    db = EmbeddedStore(store, read_only=True)
    medians, rows, once = time_queries(db, runs, budget_s)
    del db
    out = str(folder / "export.nq")
    exported = coopgraph("export", "--store", str(store), "--format", "nq", "--out", out)
    network = coopgraph("network", "--store", str(store), "--json")
    return {
        "validate_s": round(checked.seconds, 3),
        "validate_exit": checked.returncode,
        "validate_rss_mb": round(checked.peak_rss_mb, 1),
        "validate_said": (checked.stdout.strip().splitlines() or [""])[-1],
        "query_median_ms": medians,
        "query_rows": rows,
        "query_run_once": once,
        "export_s": round(exported.seconds, 3),
        "export_rss_mb": round(exported.peak_rss_mb, 1),
        "network_s": round(network.seconds, 3),
        "network_rss_mb": round(network.peak_rss_mb, 1),
    }


def run_size(
    size: int,
    folder: Path,
    *,
    runs: int,
    naive: bool,
    naive_timeout: float | None = None,
    query_budget: float = 30.0,
    log=print,
) -> dict:
    """Every measurement at ``size`` actions, with ``folder`` as scratch space. The
    naive fields are left out when ``naive`` is False (see :func:`finish_naive`)."""
    from bench.synth import generate

    folder.mkdir(parents=True, exist_ok=True)
    corpus, store = folder / "corpus", folder / "store"
    log(f"[{size}] generating the corpus (seed {SEED})")
    manifest = generate(corpus, size, seed=SEED)
    result: dict = {
        "size": size,
        "documents": len(manifest.files),
        "corpus_mb": round(manifest.bytes / 1e6, 3),
    }
    log(f"[{size}] coopgraph build")
    result.update(measure_build(corpus, store))
    log(f"[{size}] extraction alone")
    result.update(extraction_rates(corpus, size))
    log(f"[{size}] floor: Oxigraph bulk_load of the store's N-Quads")
    nquads, ntriples = folder / "store.nq", folder / "store.nt"
    dump(store, nquads, ntriples)
    result.update(measure_floor(nquads, folder / "floor-store"))
    result["build_vs_floor"] = round(result["build_s"] / result["floor_s"], 2)
    log(f"[{size}] floor without Oxigraph's syntax checks (as the build loads)")
    result.update(measure_floor(nquads, folder / "floor-lenient-store", lenient=True))
    result["build_vs_floor_lenient"] = round(result["build_s"] / result["floor_lenient_s"], 2)
    if naive:
        log(f"[{size}] naive pipeline (rdflib + pySHACL + queries on rdflib)")
        result.update(naive_fields(ntriples, folder, naive_timeout))
    log(f"[{size}] coopgraph validate, canned queries ({runs} runs), export nq, network")
    result.update(measure_commands(store, folder, runs, query_budget))
    if "naive_detail" in result:
        naive_rows = {k: v["rows"] for k, v in result["naive_detail"]["queries"].items()}
        result["naive_query_mismatch"] = sorted(
            name for name, rows in result["query_rows"].items() if naive_rows.get(name) != rows
        )
    return result


def finish_naive(results: list[dict], naive_max: int) -> None:
    """Fill in the naive figures of sizes not measured (extrapolated from the largest
    measured size) and the speed-up of the build over the naive pipeline.

    A naive run stopped at its time limit took longer than the limit: when the linear
    extrapolation says less, ``naive_s`` is the limit and ``naive_at_least`` is True
    (the speed-up is then a lower bound too).
    """
    measured = [r for r in results if r.get("naive_extrapolated") is False]
    for r in results:
        if "naive_s" not in r:
            if measured:
                r.update(extrapolate(max(measured, key=lambda m: m["actions"]), r["size"]))
            else:
                r.update(naive_s=None, naive_extrapolated=None, naive_breakdown=None)
            limit = r.get("naive_timed_out")
            r["naive_skipped"] = (
                f"stopped after {limit:g} s" if limit else f"above --naive-max {naive_max}"
            )
            r["naive_at_least"] = bool(limit) and (r["naive_s"] or 0) < limit
            if r["naive_at_least"]:
                r["naive_s"] = limit
        naive_s = r["naive_s"]
        r["build_speedup_vs_naive"] = round(naive_s / r["build_s"], 2) if naive_s else None


# --- reporting --------------------------------------------------------------------------


def _git(*args: str) -> str:
    here = Path(__file__).resolve().parent
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=here)
    except OSError:
        return ""
    return done.stdout if done.returncode == 0 else ""


def uncommitted() -> str | None:
    """A digest of the checkout's uncommitted changes (tracked and untracked files),
    or None when there are none: the tree may be edited while a benchmark runs."""
    digest = hashlib.sha256(_git("diff", "HEAD").encode())
    root = Path(_git("rev-parse", "--show-toplevel").strip() or ".")
    for name in sorted(_git("ls-files", "--others", "--exclude-standard").split("\n")):
        if name and (root / name).is_file():
            digest.update(name.encode() + (root / name).read_bytes())
    return None if digest.hexdigest() == hashlib.sha256().hexdigest() else digest.hexdigest()[:12]


def machine() -> dict:
    """What the numbers were measured on."""
    import pyshacl
    import rdflib

    memory = Path("/proc/meminfo")
    total = memory.read_text().split()[1] if memory.exists() else "0"

    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gib": round(int(total) / 1024**2, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pyoxigraph": ox.__version__,
        "rdflib": rdflib.__version__,
        "pyshacl": pyshacl.__version__,
        "commit": _git("rev-parse", "--short", "HEAD").strip() or None,
        "uncommitted_sha256": uncommitted(),
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        # other work on the machine slows every figure: the 1-minute load before
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


#: Table rows: (label, how to get the value from a result, format).
ROWS = (
    ("actions (stored)", lambda r: r["actions"], "{:,}"),
    ("documents", lambda r: r["documents"], "{:,}"),
    ("corpus MB", lambda r: r["corpus_mb"], "{:.2f}"),
    ("triples (quads)", lambda r: r["triples"], "{:,}"),
    ("build s", lambda r: r["build_s"], "{:.2f}"),
    ("build peak RSS MB", lambda r: r["peak_rss_mb"], "{:,.0f}"),
    ("build triples/s", lambda r: r["triples_per_s"], "{:,.0f}"),
    ("extract docs/s", lambda r: r["extract_docs_per_s"], "{:,.1f}"),
    ("extract actions/s", lambda r: r["extract_actions_per_s"], "{:,.0f}"),
    ("extract MB/s", lambda r: r["extract_mb_per_s"], "{:.3f}"),
    ("regex \\w+ MB/s", lambda r: r["regex_mb_per_s"], "{:,.1f}"),
    ("extract / regex time", lambda r: r["extract_vs_regex"], "x{:,.0f}"),
    ("floor s (bulk_load+optimize)", lambda r: r["floor_s"], "{:.2f}"),
    ("build / floor time", lambda r: r["build_vs_floor"], "x{:,.2f}"),
    ("floor s, lenient load", lambda r: r["floor_lenient_s"], "{:.2f}"),
    ("build / lenient floor time", lambda r: r["build_vs_floor_lenient"], "x{:,.2f}"),
    (
        "naive s",
        lambda r: ("at least " if r.get("naive_at_least") else "") + f"{r['naive_s']:.1f}",
        "{}",
    ),
    ("naive not run", lambda r: r.get("naive_skipped", "no"), "{}"),
    ("  naive load s", lambda r: r["naive_breakdown"]["load_s"], "{:.1f}"),
    ("  naive SHACL s", lambda r: r["naive_breakdown"]["shacl_s"], "{:.1f}"),
    ("  naive queries s", lambda r: r["naive_breakdown"]["queries_s"], "{:.1f}"),
    ("  naive peak RSS MB", lambda r: r["naive_breakdown"]["peak_rss_mb"], "{:,.0f}"),
    ("naive extrapolated", lambda r: r["naive_extrapolated"], "{}"),
    (
        "naive / build time",
        lambda r: (
            ("at least " if r.get("naive_at_least") else "") + f"x{r['build_speedup_vs_naive']:.2f}"
        ),
        "{}",
    ),
    ("naive query rows differ", lambda r: ", ".join(r["naive_query_mismatch"]) or "none", "{}"),
    ("checkout changed meanwhile", lambda r: r["tree_changed"], "{}"),
    (
        "load average before, after",
        lambda r: f"{r['machine']['loadavg_1m']:.1f}, {r['loadavg_1m_after']:.1f}",
        "{}",
    ),
    ("queries timed once (slow)", lambda r: ", ".join(r["query_run_once"]) or "none", "{}"),
    ("build's validation s", lambda r: r["build_validate_s"], "{:.2f}"),
    ("validate s", lambda r: r["validate_s"], "{:.2f}"),
    ("validate peak RSS MB", lambda r: r["validate_rss_mb"], "{:,.0f}"),
    ("export nq s", lambda r: r["export_s"], "{:.2f}"),
    ("network --json s", lambda r: r["network_s"], "{:.2f}"),
    ("slowest report ms", lambda r: _slowest(r, checks=False), "{:,.1f}"),
    ("slowest check ms", lambda r: _slowest(r, checks=True), "{:,.1f}"),
)


def _slowest(result: dict, *, checks: bool) -> float | None:
    """The largest query median (ms) among the reports, or among the ``*-violation``
    checks: the figure the latency targets are read from (the rows below name each
    query's)."""
    medians = [
        ms
        for name, ms in result["query_median_ms"].items()
        if name.endswith("-violation") == checks
    ]
    return max(medians, default=None)


def _cell(get, fmt: str, result: dict) -> str:
    try:
        value = get(result)
    except (KeyError, TypeError):
        return "-"
    return "-" if value is None else fmt.format(value)


def table(results: list[dict]) -> str:
    """The results as a text table: one row per metric, one column per size; query
    medians (ms) at the end."""
    rows = [(label, [_cell(get, fmt, r) for r in results]) for label, get, fmt in ROWS]
    names = sorted({name for r in results for name in r.get("query_median_ms", {})})
    rows += [
        (
            f"query ms: {name}",
            [_cell(lambda r, n=name: r["query_median_ms"][n], "{:,.1f}", r) for r in results],
        )
        for name in names
    ]
    head = ("size", [f"{r['size']:,}" for r in results])
    width = max(len(label) for label, _ in [head, *rows])
    cols = [max(len(cells[i]) for _, cells in [head, *rows]) for i in range(len(results))]
    lines = []
    for label, cells in [head, *rows]:
        lines.append(
            f"{label:<{width}}  " + "  ".join(f"{c:>{w}}" for c, w in zip(cells, cols, strict=True))
        )
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


# --- the command ------------------------------------------------------------------------


def _log(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from err
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive: {text!r}")
    return sizes


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[1000], help="e.g. 1000,10000")
    parser.add_argument("--json", type=Path, required=True, help="Write the results here.")
    parser.add_argument("--work", type=Path, help="Scratch folder (default: a temporary one).")
    parser.add_argument("--keep", action="store_true", help="Keep corpora, stores and dumps.")
    parser.add_argument(
        "--naive-max",
        type=int,
        default=10_000,
        metavar="N",
        help="Above N actions extrapolate the naive pipeline instead of running it.",
    )
    parser.add_argument(
        "--naive-timeout",
        type=float,
        default=3600,
        metavar="S",
        help="Stop a naive run after S seconds (it then counts as at least S).",
    )
    parser.add_argument("--runs", type=int, default=5, help="Runs per canned query.")
    parser.add_argument(
        "--query-budget",
        type=float,
        default=30.0,
        metavar="S",
        help="A canned query slower than this is timed once, not --runs times.",
    )
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="coopgraph-bench-"))
    results = []
    try:
        for size in args.sizes:
            folder = work / f"size-{size}"
            if folder.exists():
                shutil.rmtree(folder)
            info = machine()
            result = run_size(
                size,
                folder,
                runs=args.runs,
                naive=size <= args.naive_max,
                naive_timeout=args.naive_timeout,
                query_budget=args.query_budget,
                log=_log,
            )
            changed = uncommitted() != info["uncommitted_sha256"]
            settings = {"runs": args.runs, "seed": SEED, "tree_changed": changed}
            settings["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
            results.append({**result, **settings, "machine": info})
            finish_naive(results, args.naive_max)
            print(table(results[-1:]) + "\n", flush=True)
            if changed:
                _log(f"[{size}] the checkout changed while it was measured")
            # written after every size, so a long run that is stopped keeps what it did
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
            if not args.keep:
                shutil.rmtree(folder)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if len(results) > 1:
        print(table(results))
    print(f"wrote {args.json}" + (f"; kept {work}" if args.keep else ""), file=sys.stderr)
    return results
