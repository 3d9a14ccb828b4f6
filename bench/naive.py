"""The naive pipeline: what a user would write with rdflib and pySHACL alone.

The triples coopgraph's extractor produced for a corpus are loaded into one in-memory
rdflib ``Graph``; ``pyshacl.validate`` checks the whole graph against the project's
shapes (``shapes/*.ttl``); the canned queries (``queries/*.rq``, parameters bound as
``bench.queries`` binds them) run on rdflib. Each stage is timed; the process reports
its own peak RSS (``VmHWM``: see ``bench/export.py`` for why not ``ru_maxrss``).

The input stands in for "the extraction output, rdfized": an N-Triples file holding
every triple of a built store (``bench.suite`` writes it from the store's N-Quads dump,
the graph names dropped). It holds the ontology and vocabularies too, as the store does,
so the SHACL run sees them mixed into the data, as ``kg.validate.validate_graph`` mixes
them (``sh:class`` on themes and countries needs the SKOS concepts in the data graph).
Unlike ``validate_graph`` this validates the whole graph in one call, with no trimming
of unused targets and no cache of parsed SPARQL constraints: the plain library calls.

Usage::

    python -m bench.naive TRIPLES.nt [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.queries import bind, bindings, catalogue
from kg.resources import resource_dir


def vm_kb(field: str) -> int:
    """A ``Vm*`` figure of this process from /proc/self/status, in kB (0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def load(path: Path) -> Graph:
    """The triples of an N-Triples file in one in-memory rdflib graph."""
    graph = Graph()
    graph.parse(path, format="nt")
    return graph


def shapes() -> Graph:
    """Every shapes file of the project in one graph."""
    graph = Graph()
    for path in sorted(resource_dir("shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def validate(graph: Graph) -> dict:
    """pySHACL over the whole graph, with the options ``kg.validate`` uses: the
    conformance and the number of results by severity."""
    conforms, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes(), inference="none", advanced=True, allow_warnings=True
    )
    severities: dict[str, int] = {}
    for result in results.subjects(RDF.type, SH.ValidationResult):
        name = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        severities[name] = severities.get(name, 0) + 1
    return {"pyshacl_conforms": bool(conforms), "results": severities}


def run_queries(graph: Graph) -> dict[str, dict]:
    """Each runnable canned query once on rdflib: name -> milliseconds and row count.
    A query runs when every parameter has a default or an example (as in
    ``bench.queries.measure``); one that rdflib cannot evaluate gets its error instead
    of a row count."""
    out = {}
    for query in catalogue().values():
        given = {p.name: p.default or p.example for p in query.params}
        if any(not v for v in given.values()):
            continue
        text = bind(query.text, bindings(query, given))
        started = time.perf_counter()
        try:
            found: dict = {"rows": len(list(graph.query(text)))}
        except Exception as err:  # rdflib raises many kinds; the bench reports, not fails
            found = {"rows": None, "error": f"{type(err).__name__}: {err}"}
        out[query.name] = {"ms": round((time.perf_counter() - started) * 1000, 2), **found}
    return out


def run(triples: Path) -> dict:
    """Load, validate and query ``triples``; the stage times, counts and memory."""
    started = time.perf_counter()
    graph = load(triples)
    loaded = time.perf_counter()
    rss_loaded = vm_kb("VmRSS")
    report = validate(graph)
    validated = time.perf_counter()
    queries = run_queries(graph)
    done = time.perf_counter()
    return {
        "triples": len(graph),
        "load_s": round(loaded - started, 3),
        "shacl_s": round(validated - loaded, 3),
        "queries_s": round(done - validated, 3),
        "total_s": round(done - started, 3),
        "rss_after_load_mb": round(rss_loaded / 1024, 1),
        "peak_rss_mb": round(vm_kb("VmHWM") / 1024, 1),
        **report,
        "queries": queries,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("triples", type=Path, help="An N-Triples file.")
    parser.add_argument("--json", type=Path, help="Write the result here.")
    args = parser.parse_args(argv)
    result = run(args.triples)
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
