"""Export time and peak memory against the process's own baseline.

Each measurement runs in a fresh Python process that reports its own peak RSS
(``VmHWM`` of /proc/self/status; ``ru_maxrss`` would not do, as Linux carries the
parent's high-water mark across fork and exec). The *baseline* process imports
coopgraph, opens the store, counts its quads and named graphs, then reads every named
graph once and throws it away: what any export has to do at the least, including the
memory Oxigraph's block cache takes for reading the whole store (≈150 MB at 100k
actions, whoever reads). Each *export* process runs ``coopgraph export`` in-process
to a file.
An export that streams stays near the baseline whatever the size of the store; one
that copies the graph into memory grows with it. The ratio export / baseline is the
figure to watch (the issue's bound: 2).

Usage::

    python -m bench.export --store DIR [--formats nq,nt,ttl,trig,jsonld,frame,csv]
    python -m bench.export --actions 100000 [--keep DIR]   # replicate the seeds first
    ... [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEAK = """
def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
"""

BASELINE = (
    PEAK
    + """
import sys
from pathlib import Path
from kg.store import EmbeddedStore
import kg.cli, kg.export, kg.jsonld, kg.frame, kg.describe, kg.publish
import pyoxigraph as ox
store = EmbeddedStore(Path(sys.argv[1]), read_only=True)
print(len(store), len(store.graph_names()), file=sys.stderr)
opened = peak_kb()
for name in store.graph_names():  # read all the data once, as any export must
    store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
print(opened, peak_kb())
"""
)

EXPORT = (
    PEAK
    + """
import sys
from kg.cli import cli
try:
    cli.main(sys.argv[1:], standalone_mode=False)
finally:
    print(peak_kb())
"""
)

FORMATS = {
    "nq": ["--format", "nq"],
    "nt": ["--format", "nt"],
    "ttl": ["--format", "ttl"],
    "trig": ["--format", "trig"],
    "jsonld": ["--format", "jsonld"],
    "frame": ["--format", "jsonld", "--frame", "action"],
    "csv": ["--format", "csv"],
}


def _peak_mb(script: str, *args: str) -> tuple[float, float, float]:
    """Run ``script`` in a fresh interpreter; return (peak RSS in MB, wall seconds, and
    the first figure the script printed on its last line, in MB)."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - started
    figures = [int(x) / 1024 for x in proc.stdout.strip().splitlines()[-1].split()]
    return figures[-1], wall, figures[0]


def measure(store: Path, formats: list[str], folder: Path) -> dict:
    """Baseline and per-format peak RSS, wall time and output size."""
    base_mb, base_s, opened_mb = _peak_mb(BASELINE, str(store))
    result: dict = {
        "opened_rss_mb": round(opened_mb, 1),
        "baseline_rss_mb": round(base_mb, 1),
        "baseline_s": round(base_s, 2),
    }
    for name in formats:
        out = folder / f"export.{name}"
        args = ["export", "--store", str(store), *FORMATS[name], "--out", str(out)]
        peak, wall, _ = _peak_mb(EXPORT, *args)
        result[name] = {
            "s": round(wall, 2),
            "peak_rss_mb": round(peak, 1),
            "ratio_to_baseline": round(peak / base_mb, 2),
            "bytes": out.stat().st_size,
        }
        out.unlink()
    return result


def _replicated(actions: int, keep: Path | None, tmp: Path) -> Path:
    from bench.scale import main as scale

    target = keep or tmp / "big"
    if not (target / "oxigraph").is_dir():
        scale(["--actions", str(actions), "--runs", "0", "--keep", str(target)])
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="A built store to export.")
    parser.add_argument("--actions", type=int, help="Replicate the seeds to this many actions.")
    parser.add_argument("--keep", type=Path, help="Keep (or reuse) the replicated store here.")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    with tempfile.TemporaryDirectory() as tmp:
        if args.store is not None:
            store = args.store
        elif args.actions:
            store = _replicated(args.actions, args.keep, Path(tmp))
        else:
            parser.error("give --store DIR or --actions N")
        result = {"store": str(store), **measure(store, formats, Path(tmp))}
    print(
        f"store opened: {result['opened_rss_mb']} MB; baseline (every graph read once): "
        f"{result['baseline_rss_mb']} MB peak RSS"
    )
    for name in formats:
        r = result[name]
        print(
            f"  {name:7} {r['s']:8.1f} s  {r['peak_rss_mb']:8.1f} MB  "
            f"x{r['ratio_to_baseline']:.2f} of baseline  {r['bytes'] / 1e6:9.1f} MB written"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
