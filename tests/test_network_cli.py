"""The network command end to end on the demo store: report, files, write-back."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from kg.cli import cli

FILES = {
    "bipartite.graphml",
    "bipartite.gexf",
    "comobilisation.graphml",
    "comobilisation.gexf",
    "institutions.graphml",
    "institutions.gexf",
    "network.png",
    "corridors.png",
    "heatmap.png",
    "timeline.png",
    "network.html",
    "report.json",
}


def test_network_report_files_and_write_back(demo_store, tmp_path):
    path, _ = demo_store
    store = tmp_path / "store"
    shutil.copytree(path, store)  # write-back changes the store: work on a copy
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["network", "--store", str(store), "--out", str(out), "--write-back", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[: result.output.rindex("}") + 1])
    assert data["counts"]["actions"] == 40
    assert {p.name for p in out.iterdir()} == FILES
    assert json.loads((out / "report.json").read_text())["counts"] == data["counts"]
    values = CliRunner().invoke(
        cli,
        [
            "query",
            "--store",
            str(store),
            "--format",
            "csv",
            "--sparql",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/coopgraph/id/graph/analytics>"
            " { ?v a <https://schema.org/PropertyValue> } }",
        ],
    )
    assert values.exit_code == 0, values.output
    assert int(values.output.splitlines()[1]) > 0


def test_network_filters_and_errors(demo_store):
    path, _ = demo_store
    runner = CliRunner()
    green = runner.invoke(cli, ["network", "--store", str(path), "--theme", "green_jobs", "--json"])
    assert green.exit_code == 0, green.output
    everything = runner.invoke(cli, ["network", "--store", str(path), "--json"])
    assert (
        json.loads(green.output)["counts"]["actions"]
        < json.loads(everything.output)["counts"]["actions"]
    )
    bad = runner.invoke(cli, ["network", "--store", str(path), "--partner-region", "Atlantis"])
    assert bad.exit_code == 2
    assert "Atlantis" in bad.output
