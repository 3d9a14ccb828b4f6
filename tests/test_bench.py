"""The benchmarks run (a smoke test at the smallest size, so they cannot rot); their
timings are reported by bench/, never asserted here."""

from __future__ import annotations

import json

from bench.queries import main, measure
from kg.queries import catalogue
from kg.store import EmbeddedStore


def test_query_bench_measures_every_runnable_query(demo_store):
    path, _ = demo_store
    medians = measure(EmbeddedStore(path, read_only=True), runs=1)
    runnable = {
        q.name for q in catalogue().values() if all(p.default or p.example for p in q.params)
    }
    assert set(medians) == runnable
    assert all(ms >= 0 for ms in medians.values())


def test_query_bench_command_writes_json(tmp_path, capsys):
    from conftest import ROOT

    out = tmp_path / "q.json"
    main([str(ROOT / "corpus"), "--runs", "1", "--json", str(out)])
    assert '"query_median_ms"' in out.read_text()
    assert "actions" in capsys.readouterr().out


def test_scaled_graph_bench_runs(tmp_path, capsys):
    from bench.scale import main as scale_main

    out = tmp_path / "scale.json"
    scale_main(["--actions", "100", "--runs", "1", "--json", str(out)])
    result = json_load(out)
    assert result["actions"] >= 80
    assert result["quads"] > 0
    assert "action-summary" in result["query_median_ms"]


def json_load(path):
    return json.loads(path.read_text())
