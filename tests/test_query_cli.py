"""The query command: canned queries with typed parameters, ad hoc queries, formats,
clear errors; validate runs the violation queries next to SHACL."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from conftest import ROOT

from kg.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_list_shows_every_query_with_its_parameters(demo_store):
    result = run("query", "--list")
    assert result.exit_code == 0
    assert "actions-by-theme" in result.output
    assert "--param theme=" in result.output


def test_parameter_binding_and_formats(demo_store):
    path, _ = demo_store
    out = run(
        "query",
        "actions-by-partner-country",
        "--param",
        "country=CR",
        "--format",
        "csv",
        "--store",
        str(path),
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    gold = json.loads((ROOT / "corpus" / "gold.json").read_text(encoding="utf-8"))
    costa_rica = {
        a["title"]
        for a in gold["actions"]
        if not a["duplicate_of"] and (a["partner_country"] or a["partner_country_likely"]) == "CR"
    }
    assert costa_rica  # the gold names at least one
    assert {r["title"] for r in rows} == costa_rica
    tsv = run(
        "query",
        "actions-by-partner-country",
        "--param",
        "country=CR",
        "--format",
        "tsv",
        "--store",
        str(path),
    )
    assert tsv.output.splitlines()[0].split("\t") == list(rows[0].keys())


def test_bad_parameters_are_usage_errors(demo_store):
    path, _ = demo_store
    unknown = run("query", "actions-by-theme", "--param", "colour=red", "--store", str(path))
    assert unknown.exit_code == 2 and "has no parameter 'colour'" in unknown.output
    malformed = run("query", "actions-by-theme", "--param", "theme", "--store", str(path))
    assert malformed.exit_code == 2 and "key=value" in malformed.output
    missing = run("query", "entity-card", "--store", str(path))
    assert missing.exit_code == 2 and "needs --param iri=" in missing.output
    not_iri = run("query", "entity-card", "--param", "iri=not an iri", "--store", str(path))
    assert not_iri.exit_code == 2 and "not an IRI" in not_iri.output


def test_ad_hoc_queries_from_text_and_file(demo_store, tmp_path):
    path, _ = demo_store
    text = (
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE "
        "{ ?a a <https://w3id.org/coopgraph/ontology#Action> }"
    )
    out = run("query", "--sparql", text, "--format", "json", "--store", str(path))
    assert json.loads(out.output)["results"]["bindings"][0]["n"]["value"] == "40"
    file = tmp_path / "q.rq"
    file.write_text(text)
    assert run(
        "query", "--file", str(file), "--format", "csv", "--store", str(path)
    ).output.splitlines() == ["n", "40"]
    broken = run("query", "--sparql", "SELECT WHERE {", "--store", str(path))
    assert broken.exit_code == 2 and "coopgraph:" in broken.output


def test_query_without_a_store_is_a_clear_error(tmp_path):
    out = run("query", "action-summary", "--store", str(tmp_path / "none"))
    assert out.exit_code == 2
    # (the message wraps at the terminal's width, and the path before it may be long)
    assert "no coopgraph store here" in " ".join(out.output.split())


def test_validate_runs_violation_queries(demo_store, tmp_path):
    from kg.store import EmbeddedStore

    path, _ = demo_store
    db = EmbeddedStore(path, read_only=True)
    graph = next(g for g in db.graph_names() if "actions-bullets" in g)
    good = tmp_path / "good.nt"
    good.write_bytes(db.ntriples(graph))
    assert run("validate", str(good)).exit_code == 0
    # an action that also names its partner country as an expert country: the shapes
    # cannot see that, expert-country-is-partner-violation does
    line = next(
        x
        for x in good.read_text().splitlines()
        if "ontology#partnerCountry>" in x and "/id/action/" in x.split(" ")[0]
    )
    subject, _, country = line.rstrip(" .").split(" ", 2)
    bad = tmp_path / "bad.nt"
    bad.write_text(
        good.read_text() + f"{subject} "
        f"<https://w3id.org/coopgraph/ontology#expertCountry> {country} .\n"
    )
    result = run("validate", str(bad))
    assert result.exit_code == 1, result.output
    assert "expert-country-is-partner-violation" in result.output


def test_a_page_says_where_the_next_starts_and_all_gives_every_row(demo_store):
    path, _ = demo_store
    gold = json.loads((ROOT / "corpus" / "gold.json").read_text(encoding="utf-8"))
    actions = [a for a in gold["actions"] if not a["duplicate_of"]]
    runner = CliRunner()
    args = ["query", "action-summary", "--format", "csv", "--store", str(path)]
    page = runner.invoke(cli, [*args, "--param", "offset=3", "--param", "limit=5"])
    assert page.exit_code == 0, page.output
    assert len(list(csv.DictReader(io.StringIO(page.stdout)))) == 5
    assert "--param offset=8" in page.stderr
    every = runner.invoke(cli, [*args, "--all"])
    titles = [r["title"] for r in csv.DictReader(io.StringIO(every.stdout))]
    assert len(titles) == len(actions) and titles == sorted(titles)
    assert every.stderr == ""
    # a listing's pages, walked from an offset
    rest = runner.invoke(
        cli, [*args[:1], "actions-by-theme", *args[3:], "--all", "--param", "offset=2"]
    )
    whole = runner.invoke(cli, [*args[:1], "actions-by-theme", *args[3:], "--all"])
    assert rest.stdout.splitlines()[1:] == whole.stdout.splitlines()[3:]
