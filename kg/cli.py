"""The ``coopgraph`` command: a thin layer over the library, one call per command.

Exit codes: 0 ok; 1 the data does not conform or some documents were rejected;
2 usage or runtime error.
"""

from __future__ import annotations

import sys

import click
from rich.console import Console

from kg import __version__

EXIT_OK, EXIT_DATA, EXIT_ERROR = 0, 1, 2

console = Console(stderr=True, highlight=False)


class CoopgraphError(click.ClickException):
    """A runtime error reported as ``coopgraph: message`` with exit code 2."""

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:  # noqa: ARG002 - click's signature
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


@cli.command()
def build() -> None:
    """Build the graph from text documents into the embedded store.

    \b
    Example:
      coopgraph build corpus/ --store ./.coopgraph
    """
    from kg.ontology import summarise

    summary = summarise()
    click.echo(
        f"ontology: {summary.classes} classes, {summary.object_properties} object properties, "
        f"{summary.datatype_properties} datatype properties, {summary.triples} triples"
    )
    for scheme, count in summary.concepts_per_scheme.items():
        click.echo(f"  {scheme}: {count} concepts")


@cli.command()
def validate() -> None:
    """Check RDF data against the SHACL shapes.

    \b
    Example:
      coopgraph validate data.ttl
    """
    _pending("loader")


@cli.command()
def query() -> None:
    """Run a canned SPARQL query or your own.

    \b
    Example:
      coopgraph query action-summary --format json
    """
    _pending("query layer")


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
def evaluate() -> None:
    """Score the built graph against a gold annotation.

    \b
    Example:
      coopgraph evaluate gold.json
    """
    _pending("loader")


def main() -> None:
    """Entry point of the ``coopgraph`` console script."""
    sys.exit(cli.main(prog_name="coopgraph", standalone_mode=True))
