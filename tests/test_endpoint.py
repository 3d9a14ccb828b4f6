"""A real Oxigraph server on 127.0.0.1: discovery, push, and every canned query giving
the same rows remotely as on the embedded store."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.endpoint import Endpoint, EndpointError, RemoteStore, discover
from kg.queries import bindings, catalogue, run_query
from kg.store import EmbeddedStore


def _binary() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is not installed (it is in the [test] extra)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """An Oxigraph server on a free loopback port; stopped by its process id."""
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [_binary(), "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            discover(url)
            break
        except EndpointError:
            time.sleep(0.1)
    else:
        os.kill(proc.pid, signal.SIGKILL)
        pytest.fail(f"oxigraph did not start: {(tmp_path / 'server.log').read_text()}")
    yield url
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)
    log.close()


def _rows(variables, rows):
    return sorted(
        tuple((v, "" if t is None else str(t)) for v, t in zip(variables, row, strict=True))
        for row in rows
    )


def _same_everywhere(local: EmbeddedStore, remote: RemoteStore):
    checked = 0
    for query in catalogue().values():
        given = {p.name: p.default or p.example for p in query.params}
        if any(not v for v in given.values()):
            continue
        bound = bindings(query, given)
        assert _rows(*run_query(local, query.text, bound)) == _rows(
            *remote.select(query.text, bound)
        ), query.name
        checked += 1
    assert checked == len(catalogue()) - sum(
        1 for q in catalogue().values() if any(not (p.default or p.example) for p in q.params)
    )
    return checked


def test_discovery_finds_oxigraph_paths(server):
    endpoint = discover(server)
    assert endpoint.kind == "oxigraph"
    assert endpoint.query_url == f"{server}/query"
    assert endpoint.update_url == f"{server}/update"
    assert endpoint.store_url == f"{server}/store"


def test_push_with_graph_store_then_every_query_agrees(server, demo_store):
    path, _ = demo_store
    local = EmbeddedStore(path, read_only=True)
    remote = RemoteStore(discover(server))
    graphs = {name: local.ntriples(name) for name in local.graph_names()}
    assert remote.push(graphs) == "graph-store"
    assert set(remote.graphs()) >= {g for g in graphs if "/id/document/" in g}
    assert _same_everywhere(local, remote) >= 1


def test_push_with_sparql_update_only(server, demo_store):
    path, _ = demo_store
    local = EmbeddedStore(path, read_only=True)
    endpoint = discover(server)
    remote = RemoteStore(Endpoint(endpoint.query_url, endpoint.update_url, None))
    graphs = {name: local.ntriples(name) for name in local.graph_names()}
    assert remote.push(graphs) == "update"
    assert _same_everywhere(local, remote) >= 1


def test_cli_push_and_query_through_the_endpoint(server, demo_store):
    path, _ = demo_store
    runner = CliRunner()
    pushed = runner.invoke(cli, ["push", "--store", str(path), "--endpoint", server])
    assert pushed.exit_code == 0, pushed.output
    assert "oxigraph" in pushed.output
    args = ["query", "action-summary", "--format", "json"]
    remote = runner.invoke(cli, [*args, "--endpoint", server])
    local = runner.invoke(cli, [*args, "--store", str(path)])
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output)


def test_unreachable_endpoint_is_a_clear_error():
    result = CliRunner().invoke(
        cli, ["query", "action-summary", "--endpoint", f"http://127.0.0.1:{_free_port()}"]
    )
    assert result.exit_code == 2
    assert "no SPARQL query service found" in result.output


def test_readme_server_examples_run(server, seeds_store, tmp_path):
    from test_readme import examples, run_examples

    path, _ = seeds_store
    lines = examples("examples:server")
    assert lines and all("http://127.0.0.1:7878" in line for line in lines)
    (tmp_path / "seeds-store").symlink_to(path)
    run_examples(lines, tmp_path, {"http://127.0.0.1:7878": server})


def test_an_older_summary_on_the_endpoint_is_refused(server, demo_store):
    from kg.iri import SUMMARY_GRAPH

    path, _ = demo_store
    local = EmbeddedStore(path, read_only=True)
    remote = RemoteStore(discover(server))
    summary = local.ntriples(str(SUMMARY_GRAPH))
    older = b"".join(
        line for line in summary.splitlines(keepends=True) if b"summaryFormat" not in line
    )
    assert older != summary
    runner = CliRunner()
    try:
        remote.push({str(SUMMARY_GRAPH): older})
        refused = runner.invoke(cli, ["query", "data-quality", "--endpoint", server])
        assert refused.exit_code == 2
        assert "no summary graph of format" in " ".join(refused.output.split())
    finally:
        remote.push({str(SUMMARY_GRAPH): summary})
    assert runner.invoke(cli, ["query", "data-quality", "--endpoint", server]).exit_code == 0
