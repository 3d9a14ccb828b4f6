"""The ``coopgraph`` command: a thin layer over the library, one call per command.

Exit codes: 0 ok; 1 the data does not conform or some documents were rejected;
2 usage or runtime error.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC
from pathlib import Path

import click
from rich.console import Console

from kg import __version__

EXIT_DATA, EXIT_ERROR = 1, 2  # and 0 for success

console = Console(stderr=True, highlight=False)


class CoopgraphError(click.ClickException):
    """A runtime error reported as ``coopgraph: message`` with exit code 2."""

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:
        console.print(f"[red]coopgraph:[/red] {self.format_message()}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coopgraph")
def cli() -> None:
    """coopgraph: build, check, query and publish a knowledge graph of international
    technical cooperation on labour, employment and social protection.

    \b
    Example:
      coopgraph build            # build the shipped demo corpus into ./.coopgraph/
      coopgraph query --list     # the canned questions
    """


def _pending(issue: str) -> None:
    raise CoopgraphError(f"this command is not available yet ({issue})")


def _store_option(f):
    return click.option(
        "--store",
        "store",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Store folder (default: $COOPGRAPH_STORE or ./.coopgraph).",
    )(f)


def _store_path(store: Path | None) -> Path:
    from kg.store import default_store_path

    return store if store is not None else default_store_path()


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_store_option
@click.option("--clean", is_flag=True, help="Empty the store first instead of adding to it.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems.")
def build(paths: tuple[Path, ...], store: Path | None, clean: bool, quiet: bool) -> None:
    """Build the graph from text documents (files or folders) into the store.

    With no PATH, builds the demo corpus coopgraph ships. Documents already in the
    store stay (a document given again replaces its earlier version) unless --clean.
    Exits 1 when a document or block was rejected or the graph does not conform.

    \b
    Example:
      coopgraph build corpus/ --store ./.coopgraph
    """
    from kg.build import build as run_build

    target = _store_path(store)
    progress = _progress_bar(paths)
    try:
        with progress or _null():
            summary = run_build(
                list(paths) or None,
                store=target,
                clean=clean,
                progress=_advance(progress) if progress else None,
            )
    except (OSError, ValueError) as err:
        raise CoopgraphError(str(err)) from err
    for problem in summary.problems:
        console.print(f"[yellow]rejected[/yellow] {problem}")
    for warning in summary.warnings:
        console.print(f"[yellow]warning[/yellow] {warning}")
    if not quiet:
        _print_summary(summary)
    if not summary.ok:
        sys.exit(EXIT_DATA)


def _null():
    import contextlib

    return contextlib.nullcontext()


def _progress_bar(paths: tuple[Path, ...]):
    """A progress bar when the input is large (over 2 MB) and stderr is a terminal."""
    from kg.documents import discover

    try:
        size = sum(p.stat().st_size for p in discover(list(paths)))
    except (OSError, FileNotFoundError):
        return None
    if size < 2_000_000:
        return None
    return _progress_bar_on_terminal()


def _progress_bar_on_terminal():
    """A progress bar when stderr is a terminal."""
    if not console.is_terminal:
        return None
    from rich.progress import Progress

    return Progress(console=console, transient=True)


def _advance(progress):
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done)

    return update


def _print_summary(summary) -> None:
    from rich.table import Table

    table = Table(title=f"coopgraph build -> {summary.store}", show_header=False)
    rows = [
        ("documents", summary.documents),
        ("actions", summary.actions),
        ("organisations", summary.organisations),
        ("countries", summary.countries),
        ("triples in store", summary.triples),
        ("rejected documents", summary.rejected_documents),
        ("rejected blocks", summary.rejected_blocks),
        (
            "SHACL",
            ("conforms" if summary.validation.conforms else "does not conform")
            + f" ({summary.validation.errors} violations, "
            f"{summary.validation.warnings} warnings)",
        ),
        ("time", f"{summary.seconds:.1f} s"),
    ]
    for key, value in rows:
        table.add_row(key, str(value))
    Console(highlight=False).print(table)
    if summary.validation.errors:
        for v in [v for v in summary.validation.violations if v.severity.endswith("Violation")][
            :20
        ]:
            console.print(f"[red]violation[/red] {v.focus} {v.path or ''}: {v.message}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_store_option
@click.option(
    "--ontology",
    "check_ontology",
    is_flag=True,
    help="Check the shipped ontology and vocabularies instead of data.",
)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Processes sharing the checks of a store (default: one per core).",
)
def validate(
    paths: tuple[Path, ...], store: Path | None, check_ontology: bool, workers: int | None
) -> None:
    """Check RDF data (files, or the store) against the SHACL shapes and the
    checks of queries/checks/ (the *-violation queries, run over all the data; they
    must return no rows).

    Exits 1 when the data does not conform or a violation query returns rows.

    \b
    Example:
      coopgraph validate data.ttl
      coopgraph validate --ontology
    """
    from rdflib import Graph

    from kg.ontology import load_ontology
    from kg.queries import MemoryStore, violation_rows
    from kg.validate import validate_graph

    db = None
    if check_ontology:
        data = load_ontology()
    elif paths:
        data = Graph()
        for path in paths:
            try:
                data.parse(path)
            except Exception as err:  # rdflib raises many kinds of parser errors
                raise CoopgraphError(f"{path}: {err}") from err
    else:
        from kg.store import EmbeddedStore

        try:
            db = EmbeddedStore(_store_path(store), read_only=True)
        except (OSError, FileNotFoundError) as err:
            raise CoopgraphError(str(err)) from err
    if db is not None:
        from kg.shacl_local import LOCAL_SHAPES
        from kg.shacl_sparql import validate_store

        # the shapes as SPARQL, inside the store; the document-local ones on one
        # document's graph at a time (minutes at a million actions: a progress bar on
        # a terminal)
        progress = _progress_bar_on_terminal()
        with progress or _null():
            report = validate_store(
                db.ox,
                path=db.path / "oxigraph",
                workers=workers or os.cpu_count() or 1,
                per_graph=LOCAL_SHAPES,
                progress=_advance(progress) if progress else None,
            )
    else:
        report = validate_graph(data, ontology=load_ontology())
    for v in report.violations:
        console.print(
            f"{v.severity.rsplit('#', 1)[-1].lower()} {v.focus} {v.path or ''}: {v.message}"
        )
    found = violation_rows(db if db is not None else MemoryStore(data))
    for name, rows in found.items():
        for row in rows:
            console.print(
                f"violation {name}: " + " ".join("" if t is None else t.value for t in row)
            )
    state = "conforms" if report.conforms and not found else "does not conform"
    click.echo(
        f"{state}: {report.errors} SHACL violations, {report.warnings} warnings, "
        f"{sum(len(r) for r in found.values())} violation-query rows"
    )
    if state != "conforms":
        sys.exit(EXIT_DATA)


def _endpoint_options(f):
    """--endpoint and the explicit service URLs, shared by query, push and validate."""
    for option in reversed(
        [
            click.option(
                "--endpoint",
                metavar="URL",
                help="A SPARQL server's base URL (Oxigraph, Fuseki, Virtuoso, GraphDB: "
                "its paths are probed) instead of the embedded store.",
            ),
            click.option("--query-url", metavar="URL", help="Explicit SPARQL query URL."),
            click.option("--update-url", metavar="URL", help="Explicit SPARQL update URL."),
            click.option("--store-url", metavar="URL", help="Explicit Graph Store Protocol URL."),
        ]
    ):
        f = option(f)
    return f


def _remote(endpoint, query_url, update_url, store_url):
    from kg.endpoint import EndpointError, RemoteStore, discover

    try:
        return RemoteStore(
            discover(
                endpoint or query_url,
                query_url=query_url,
                update_url=update_url,
                store_url=store_url,
            )
        )
    except EndpointError as err:
        raise CoopgraphError(str(err)) from err


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param wants key=value, not {pair!r}")
        out[key] = value
    return out


@cli.command()
@click.argument("name", required=False)
@_store_option
@_endpoint_options
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries.")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Bind a parameter of the query (repeatable); typed as the query says.",
)
@click.option("--sparql", "sparql", metavar="QUERY", help="Run this SPARQL SELECT instead.")
@click.option(
    "--file",
    "query_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Run the SPARQL SELECT in this file instead.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="Output format (json: SPARQL 1.1 Query Results JSON).",
)
@click.option(
    "--all",
    "all_pages",
    is_flag=True,
    help="Every row of a paged query: its pages from --param offset (0 unless given) on.",
)
def query(
    name,
    store,
    endpoint,
    query_url,
    update_url,
    store_url,
    list_queries,
    params,
    sparql,
    query_file,
    fmt,
    all_pages,
) -> None:
    """Run a canned SPARQL query from queries/ (or your own) on the store or an endpoint.

    The reports that list actions give a page of rows (100 unless --param limit=N says
    otherwise, up to 1000); a full page ends with a note on standard error saying
    where the next one starts, and --all gives every row.

    \b
    Example:
      coopgraph query --list
      coopgraph query actions-by-theme --param theme=social_dialogue --format csv
      coopgraph query action-summary --param offset=100 --param limit=50
      coopgraph query action-summary --all --format csv
      coopgraph query action-summary --format json --endpoint http://127.0.0.1:7878
    """
    from kg.queries import (
        QueryError,
        bindings,
        catalogue,
        check_summary,
        every_page,
        load_query,
        runner,
        write_results,
    )
    from kg.queries import canned as named_query

    queries = catalogue()
    if list_queries or not (name or sparql or query_file):
        for q in queries.values():
            args = " ".join(f"--param {p.name}={p.example}" for p in q.params)
            click.echo(f"{q.name:30} {q.title}" + (f"   [{args}]" if args else ""))
        return
    try:
        if sparql or query_file:
            text = sparql if sparql else query_file.read_text(encoding="utf-8")
            canned = load_query("ad-hoc", text)
        else:
            canned = named_query(name)
        given = _params(params)
        bound = bindings(canned, given)
        if endpoint or query_url:
            run = runner(_remote(endpoint, query_url, update_url, store_url))
        else:
            run = runner(_open_store(store))
        if all_pages:
            variables, rows = every_page(run, canned, given)
        else:
            check_summary(run, canned)
            variables, rows = run(canned.text, bound)
    except (QueryError, SyntaxError) as err:
        raise CoopgraphError(str(err)) from err
    except OSError as err:
        raise CoopgraphError(str(err)) from err
    write_results(variables, rows, fmt, sys.stdout)
    if canned.page and not all_pages:
        offset, limit = int(bound["offset"].value), int(bound["limit"].value)
        if len(rows) >= limit:
            click.echo(
                f"rows of positions {offset} to {offset + limit - 1}; the next page: "
                f"--param offset={offset + limit} (or --all for every row)",
                err=True,
            )


def _open_store(store: Path | None):
    from kg.store import EmbeddedStore

    try:
        return EmbeddedStore(_store_path(store), read_only=True)
    except (OSError, FileNotFoundError) as err:
        raise CoopgraphError(str(err)) from err


@cli.command()
@_store_option
@_endpoint_options
def push(store, endpoint, query_url, update_url, store_url) -> None:
    """Upload the store's graphs to a SPARQL server, one named graph per document
    (Graph Store Protocol, or SPARQL UPDATE where that is all the server offers).

    \b
    Example:
      coopgraph push --endpoint http://127.0.0.1:7878
    """
    from kg.endpoint import EndpointError

    if not (endpoint or query_url):
        raise click.UsageError("push needs --endpoint URL (or --query-url)")
    db = _open_store(store)
    remote = _remote(endpoint, query_url, update_url, store_url)
    graphs = {name: db.ntriples(name) for name in db.graph_names()}
    try:
        protocol = remote.push(graphs)
    except EndpointError as err:
        raise CoopgraphError(str(err)) from err
    click.echo(
        f"pushed {len(graphs)} graphs to {remote.endpoint.query_url} "
        f"({remote.endpoint.kind}, {protocol})"
    )


@cli.command()
@_store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "csv"]),
    default="ttl",
    show_default=True,
    help="ttl/nt: the merged graph; nq/trig: one named graph per source document; "
    "jsonld: compacted with the coopgraph context; csv: the action-summary table.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default="-",
    show_default=True,
    help="Output file (- for standard output). Written whole or not at all.",
)
@click.option(
    "--include",
    default="all",
    show_default=True,
    metavar="PARTS",
    help="What to export besides the data, comma-separated: evidence, findings, analytics, "
    "vocabularies, ontology; or all, or none (the data alone).",
)
@click.option(
    "--frame",
    type=click.Choice(["action"]),
    help="JSON-LD: one nested object per action (institution, themes, countries, evidence).",
)
@click.option(
    "--embed-context",
    is_flag=True,
    help="JSON-LD: put the context in the file instead of referencing its IRI.",
)
@click.option(
    "--description",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the VoID + DCAT description (default: beside --out as "
    "NAME.void.ttl; an export to standard output is described only with this option).",
)
@click.option("--timestamp", is_flag=True, help="State the last build time in the description.")
def export(store, fmt, out, include, frame, embed_context, description, timestamp) -> None:
    """Export the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or CSV, with a
    VoID + DCAT description of the dataset. Output is canonical: the same store gives
    byte-identical files.

    \b
    Example:
      coopgraph export --format ttl --out graph.ttl
      coopgraph export --format nq --include none --out data.nq
      coopgraph export --format jsonld --frame action --out actions.jsonld
    """
    from kg.export import ExportError, parse_parts
    from kg.publish import export as run_export
    from kg.queries import QueryError

    target = None if str(out) == "-" else out
    try:
        summary = run_export(
            _open_store(store),
            fmt,
            target,
            parts=parse_parts(include),
            frame=frame,
            embed_context=embed_context,
            description=description,
            timestamp=timestamp,
        )
    except (ExportError, QueryError, OSError) as err:  # (the CSV reads the summary graph)
        raise CoopgraphError(str(err)) from err
    where = str(summary.out) if summary.out else "standard output"
    what = f"{summary.triples:,} triples from {summary.graphs} graphs"
    if summary.records is not None:
        what = f"{summary.records:,} {'rows' if fmt == 'csv' else 'actions'} ({what})"
    console.print(f"exported {what} as {fmt} to {where}")
    if summary.description:
        console.print(f"described in {summary.description}")


@cli.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the HTML pages into (made if missing; same-named files replaced).",
)
def docs(out: Path) -> None:
    """Write offline HTML documentation: the ontology (by pyLODE), one page per
    vocabulary, and an index listing every SHACL shape and canned query.

    The pages load nothing from the network; the same inputs give identical files.

    \b
    Example:
      coopgraph docs --out ontology-docs
    """
    from kg.docs import DocsError, write_docs

    try:
        files = write_docs(out)
    except (DocsError, OSError) as err:
        raise CoopgraphError(str(err)) from err
    console.print(f"wrote {len(files)} pages to {out}", markup=False, soft_wrap=True)
    for path in files:
        console.print(f"  {path}", markup=False, soft_wrap=True)


@cli.command()
@_store_option
@_endpoint_options
@click.option("--theme", metavar="NOTATION", help="Only actions with this theme.")
@click.option("--since", type=int, metavar="YEAR", help="Only actions from this year on.")
@click.option("--until", type=int, metavar="YEAR", help="Only actions up to this year.")
@click.option("--programme", metavar="SLUG|IRI", help="Only actions of this programme.")
@click.option(
    "--partner-region",
    metavar="M49|NAME",
    help="Only partners in this UN M49 region (code or English name).",
)
@click.option("--top", type=int, default=10, show_default=True, help="Rows per table.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write GraphML, GEXF, PNG figures, an offline HTML view and report.json.",
)
@click.option(
    "--write-back",
    is_flag=True,
    help="Store the metrics in the store's analytics graph (with PROV-O).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def network(
    store,
    endpoint,
    query_url,
    update_url,
    store_url,
    theme,
    since,
    until,
    programme,
    partner_region,
    top,
    out,
    write_back,
    as_json,
) -> None:
    """Analyse who works with whom: expert -> partner country corridors, centrality,
    communities, concentration and triangular cooperation, built through SPARQL.

    \b
    Example:
      coopgraph network --theme green_jobs --out network/
      coopgraph network --since 2020 --until 2024 --partner-region 419
    """
    import json
    from datetime import datetime

    from kg import __version__
    from kg import network as net

    source = (
        _remote(endpoint, query_url, update_url, store_url)
        if endpoint or query_url
        else _open_store(store)
    )
    try:
        filters = net.Filters(
            theme=theme,
            since=since,
            until=until,
            programme=programme,
            partner_region=partner_region,
        )
        fetched = net.fetch(source)  # one round of queries serves every graph
        data = net.report(fetched, filters, top=top)
        graphs = {
            "bipartite": net.bipartite(fetched, filters),
            "comobilisation": net.comobilisation(fetched, filters),
            "institutions": net.institutions(fetched, filters),
        }
    except (net.FilterError, ValueError) as err:
        raise CoopgraphError(str(err)) from err
    if as_json:
        click.echo(json.dumps(data, indent=2, sort_keys=True, default=str))
    else:
        Console(highlight=False).print(net.render_report(data))
    if out:
        from kg.network_output import write_outputs

        files = write_outputs(out, graphs, data)
        console.print(f"wrote {len(files)} files to {out}")
    if write_back:
        if endpoint or query_url:
            raise CoopgraphError("--write-back writes to the embedded store, not an endpoint")
        count = net.write_back(
            _store_path(store),
            data,
            parameters=data["filters"],
            software_version=__version__,
            when=datetime.now(UTC).replace(microsecond=0),
        )
        console.print(f"wrote {count} triples to the analytics graph")


@cli.command()
@_store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port (0: any free port).")
@click.option(
    "--allow-update",
    is_flag=True,
    help="Accept SPARQL updates from clients that send the token.",
)
@click.option(
    "--token",
    envvar="COOPGRAPH_SERVE_TOKEN",
    metavar="TOKEN",
    help="The update token (prefer $COOPGRAPH_SERVE_TOKEN: options show in `ps`).",
)
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds a query may take; past that it is stopped (503).",
)
@click.option(
    "--max-rows",
    type=int,
    default=50_000,
    show_default=True,
    help="Most rows (or triples) a result may have; more is refused (422).",
)
@click.option(
    "--cors",
    "cors",
    multiple=True,
    metavar="ORIGIN",
    help="Let browser pages from ORIGIN call the endpoint (repeatable; * for any).",
)
@click.option("--workers", type=int, default=2, show_default=True, help="Query worker processes.")
@click.option("--quiet", "-q", is_flag=True, help="Do not log each request.")
def serve(store, host, port, allow_update, token, timeout, max_rows, cors, workers, quiet) -> None:
    """Serve a SPARQL 1.1 endpoint (/sparql) and a web interface over the store: a
    query editor with the canned queries, a page per resource with the evidence for
    each fact (Turtle and JSON-LD by content negotiation), search, and the
    collaboration network. Works offline. Read-only unless --allow-update is given
    with a token; clients then send 'Authorization: Bearer TOKEN'.

    \b
    Example:
      coopgraph serve --store seeds-store --port 8000
      COOPGRAPH_SERVE_TOKEN=s3cret-token coopgraph serve --allow-update --cors '*'
    """
    from kg.server import ConfigError, ServeConfig
    from kg.server import serve as run_server
    from kg.server.protocol import ProtocolError

    try:
        config = ServeConfig(
            store=_store_path(store),
            host=host,
            port=port,
            allow_update=allow_update,
            token=token if allow_update else None,
            timeout=timeout,
            max_rows=max_rows,
            cors=tuple(cors),
            workers=workers,
            quiet=quiet,
        )
    except ConfigError as err:
        raise CoopgraphError(str(err)) from err

    def ready(url: str) -> None:
        mode = "updates with the token" if allow_update else "read-only"
        click.echo(f"serving {config.store} at {url} ({mode}); Ctrl-C stops", nl=True)
        sys.stdout.flush()

    try:
        run_server(config, ready=ready)
    except (OSError, ProtocolError) as err:
        raise CoopgraphError(f"{host}:{port}: {err}") from err


@cli.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_store_option
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(gold: Path, store: Path | None, as_json: bool) -> None:
    """Score the built graph against a gold annotation (seeds_gold.json format):
    precision, recall and F1 per field.

    \b
    Example:
      coopgraph evaluate ../shared/gold/seeds_gold.json --store /tmp/seeds-store
    """
    import json

    from kg.evaluate import evaluate_store
    from kg.store import EmbeddedStore

    try:
        db = EmbeddedStore(_store_path(store), read_only=True)
        scores = evaluate_store(gold, db)
    except (OSError, ValueError, KeyError) as err:
        raise CoopgraphError(f"{gold}: {err}") from err
    if as_json:
        click.echo(
            json.dumps(
                {
                    s.field: {
                        "precision": round(s.precision, 4),
                        "recall": round(s.recall, 4),
                        "f1": round(s.f1, 4),
                        "tp": s.tp,
                        "fp": s.fp,
                        "fn": s.fn,
                    }
                    for s in scores
                },
                indent=2,
            )
        )
        return
    click.echo(
        f"{'field':18} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}"
    )
    for s in scores:
        click.echo(
            f"{s.field:18} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} "
            f"{s.tp:5d} {s.fp:4d} {s.fn:4d}"
        )


def main() -> None:
    """Entry point of the ``coopgraph`` console script."""
    sys.exit(cli.main(prog_name="coopgraph", standalone_mode=True))
