"""The ``coopgraph`` command: a thin layer over the library, one call per command.

Exit codes: 0 ok; 1 the data does not conform or some documents were rejected;
2 usage or runtime error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from kg import __version__

EXIT_OK, EXIT_DATA, EXIT_ERROR = 0, 1, 2

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
    if size < 2_000_000 or not console.is_terminal:
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
def validate(paths: tuple[Path, ...], store: Path | None, check_ontology: bool) -> None:
    """Check RDF data (files, or the store) against the SHACL shapes.

    Exits 1 when the data does not conform.

    \b
    Example:
      coopgraph validate data.ttl
      coopgraph validate --ontology
    """
    from rdflib import Graph

    from kg.ontology import load_ontology
    from kg.validate import validate_graph

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
        data = Graph().parse(data=_store_ntriples(db), format="nt")
    report = validate_graph(data, ontology=load_ontology())
    for v in report.violations:
        console.print(
            f"{v.severity.rsplit('#', 1)[-1].lower()} {v.focus} {v.path or ''}: {v.message}"
        )
    state = "conforms" if report.conforms else "does not conform"
    click.echo(f"{state}: {report.errors} violations, {report.warnings} warnings")
    if not report.conforms:
        sys.exit(EXIT_DATA)


def _store_ntriples(db) -> str:
    """Every triple of the store's named graphs, as N-Triples."""
    lines = []
    for quad in db.ox.quads_for_pattern(None, None, None, None):
        lines.append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return "\n".join(lines)


@cli.command()
@click.argument("name", required=False)
@_store_option
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
def query(name: str | None, store: Path | None, list_queries: bool, fmt: str) -> None:
    """Run a canned SPARQL query from queries/ against the store.

    \b
    Example:
      coopgraph query action-summary --format json
    """
    from kg.queries import catalogue, run_query, write_results

    queries = catalogue()
    if list_queries or not name:
        for q in queries.values():
            click.echo(f"{q.name:32} {q.title}")
        return
    if name not in queries:
        raise CoopgraphError(f"no canned query {name!r} (see `coopgraph query --list`)")
    from kg.store import EmbeddedStore

    try:
        db = EmbeddedStore(_store_path(store), read_only=True)
    except (OSError, FileNotFoundError) as err:
        raise CoopgraphError(str(err)) from err
    variables, rows = run_query(db, queries[name].text)
    write_results(variables, rows, fmt, sys.stdout)


@cli.command()
def export() -> None:
    """Export the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or CSV.

    \b
    Example:
      coopgraph export --format ttl --out graph.ttl
    """
    _pending("exports")


@cli.command()
def network() -> None:
    """Analyse the network of expert and partner countries.

    \b
    Example:
      coopgraph network --theme green_jobs --out network/
    """
    _pending("network analytics")


@cli.command()
def serve() -> None:
    """Serve a SPARQL endpoint and a web interface over the store.

    \b
    Example:
      coopgraph serve --port 8000
    """
    _pending("serve")


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
