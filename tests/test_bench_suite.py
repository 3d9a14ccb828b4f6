"""The benchmark suite (bench/suite.py) runs end to end at a tiny size and reports every
figure; its timings are reported by bench/, never asserted here."""

from __future__ import annotations

import json
import re

import pytest

from bench.suite import REQUIRED, finish_naive, main, table
from kg.queries import catalogue

RUNNABLE = {q.name for q in catalogue().values() if all(p.default or p.example for p in q.params)}


@pytest.fixture(scope="module")
def suite(tmp_path_factory) -> tuple[list[dict], str]:
    """One run of ``python -m bench --sizes 60`` (naive pipeline included): the JSON it
    wrote and what it printed."""
    import contextlib
    import io

    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "bench.json"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        main(["--sizes", "60", "--json", str(out), "--work", str(tmp / "work"), "--runs", "1"])
    assert not (tmp / "work" / "size-60").exists()  # scratch removed without --keep
    return json.loads(out.read_text(encoding="utf-8")), printed.getvalue()


@pytest.mark.slow
def test_every_required_figure_is_there_and_sane(suite):
    results, _ = suite
    assert len(results) == 1
    r = results[0]
    assert set(REQUIRED) <= set(r)
    assert r["size"] == 60 and r["actions"] == 60
    for key in REQUIRED:
        if key not in ("actions", "query_median_ms"):
            assert r[key] > 0, key
    assert r["triples"] > 14 * r["actions"]
    assert r["floor"]["quads"] == r["triples"] == r["floor_lenient"]["quads"]
    assert r["build_exit"] in (0, 1) and r["validate_exit"] in (0, 1)
    for key in ("extract_actions_per_s", "extract_mb_per_s", "regex_mb_per_s", "triples_per_s"):
        assert r[key] > 0, key
    for key in (
        "build_vs_floor",
        "build_vs_floor_lenient",
        "extract_vs_regex",
        "build_speedup_vs_naive",
    ):
        assert r[key] > 0, key
    for key in ("export_s", "network_s"):
        assert r[key] > 0, key
    # the build's own validation, a part of the build
    assert 0 < r["build_validate_s"] < r["build_s"]
    assert {"cpus", "python", "pyoxigraph", "date"} <= set(r["machine"])
    assert isinstance(r["tree_changed"], bool) and isinstance(r["query_run_once"], list)


@pytest.mark.slow
def test_naive_pipeline_was_measured(suite):
    r = suite[0][0]
    assert r["naive_extrapolated"] is False
    breakdown = r["naive_breakdown"]
    assert all(breakdown[k] > 0 for k in ("load_s", "shacl_s", "queries_s", "peak_rss_mb"))
    assert r["naive_detail"]["triples"] > 0
    assert set(r["naive_detail"]["queries"]) == RUNNABLE
    assert isinstance(r["naive_query_mismatch"], list)


@pytest.mark.slow
def test_every_runnable_canned_query_is_timed(suite):
    r = suite[0][0]
    assert set(r["query_median_ms"]) == RUNNABLE
    assert all(ms >= 0 for ms in r["query_median_ms"].values())
    assert set(r["query_rows"]) == RUNNABLE


@pytest.mark.slow
def test_the_table_is_printed(suite):
    _, printed = suite
    assert "build s" in printed and "naive / build time" in printed
    assert "query ms: action-summary" in printed


def _measured(size: int, naive_s: float | None) -> dict:
    r = {"size": size, "actions": size, "build_s": 2.0}
    if naive_s is not None:
        breakdown = {"load_s": 1.0, "shacl_s": 2.0, "queries_s": 1.0, "peak_rss_mb": 100.0}
        r.update(naive_s=naive_s, naive_extrapolated=False, naive_breakdown=breakdown)
    return r


def test_naive_above_the_limit_is_extrapolated_from_the_largest_measured_size():
    results = [_measured(100, 3.0), _measured(1000, 4.0), _measured(10_000, None)]
    finish_naive(results, naive_max=1000)
    big = results[-1]
    assert big["naive_extrapolated"] is True
    assert big["naive_basis"] == {"actions": 1000, "naive_s": 4.0}
    assert big["naive_s"] == pytest.approx(40.0)
    assert big["naive_breakdown"]["shacl_s"] == pytest.approx(20.0)
    assert big["build_speedup_vs_naive"] == pytest.approx(20.0)
    assert results[0]["build_speedup_vs_naive"] == pytest.approx(1.5)
    assert "naive / build time" in table(results)


def test_naive_without_a_measured_size_is_left_empty():
    results = [_measured(50_000, None)]
    finish_naive(results, naive_max=10_000)
    assert results[0]["naive_s"] is None and results[0]["build_speedup_vs_naive"] is None
    assert "above --naive-max 10000" in results[0]["naive_skipped"]
    table(results)  # missing figures print as "-"


def test_the_table_gives_the_slowest_report_and_check():
    medians = {"action-summary": 9.5, "data-quality": 12.3, "dangling-theme-violation": 400.0}
    text = table([{**_measured(1000, 4.0), "query_median_ms": medians}])
    assert re.search(r"slowest report ms +12\.3\n", text)
    assert re.search(r"slowest check ms +400\.0\n", text)


def test_a_query_over_its_budget_is_timed_once(demo_store):
    from bench.queries import time_queries
    from kg.store import EmbeddedStore

    medians, rows, once = time_queries(EmbeddedStore(demo_store[0], read_only=True), 3, 0.0)
    assert set(medians) == set(rows) == set(once) == RUNNABLE


def test_a_naive_run_stopped_at_its_limit_counts_as_at_least_the_limit():
    results = [_measured(1000, 4.0), {**_measured(10_000, None), "naive_timed_out": 600.0}]
    finish_naive(results, naive_max=10_000)
    big = results[-1]
    assert big["naive_at_least"] is True and big["naive_s"] == 600.0  # not the 40 s guess
    assert big["naive_skipped"] == "stopped after 600 s"
    assert "at least x300.00" in table(results)
