"""``coopgraph export`` as one library call: write the export, then its description."""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kg.describe import Distribution, describe, description_path, write_description
from kg.export import FORMATS, PARTS, ExportError, atomic_output, export_rdf
from kg.store import EmbeddedStore

FRAMES = ("action",)


@dataclass(frozen=True)
class ExportSummary:
    """What :func:`export` wrote."""

    format: str
    out: Path | None
    #: distinct triples of the export (for CSV: of the data it was read from)
    triples: int
    graphs: int
    #: rows for CSV, actions for the action frame, None otherwise
    records: int | None
    description: Path | None


def export(
    store: EmbeddedStore,
    fmt: str,
    out: Path | None,
    *,
    parts: frozenset[str] = frozenset(PARTS),
    frame: str | None = None,
    embed_context: bool = False,
    description: Path | None = None,
    timestamp: bool = False,
    stdout: BinaryIO | None = None,
) -> ExportSummary:
    """Export ``store`` as ``fmt`` to ``out`` (None: standard output) and describe it.

    The description (VoID + DCAT, Turtle) goes to ``description``, by default beside
    ``out`` as ``NAME.void.ttl``; an export to standard output is described only when
    ``description`` is given.

    Raises
    ------
    ExportError
        For an option that does not fit the format (``frame`` on a non-JSON-LD export).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    if frame is not None and (fmt != "jsonld" or frame not in FRAMES):
        raise ExportError(f"--frame {frame} needs --format jsonld (frames: {', '.join(FRAMES)})")
    spec = FORMATS[fmt]
    stdout = stdout if stdout is not None else sys.stdout.buffer
    records = None
    with atomic_output(out, stdout) as sink:
        if fmt == "csv":
            records = _write_csv(store, sink)
        elif frame == "action":
            from kg.frame import write_actions

            records = write_actions(store.ox, sink, embed_context=embed_context)
        else:
            from kg.jsonld import graph_writer

            result = export_rdf(
                store.ox,
                spec,
                sink,
                parts=parts,
                jsonld_writer=graph_writer(embed_context=embed_context),
            )
    if fmt == "csv" or frame is not None:
        # describe the data the table or frame was read from
        with open(os.devnull, "wb") as null:
            result = export_rdf(store.ox, FORMATS["nt"], null, parts=parts)
    target = description if description is not None else (description_path(out) if out else None)
    if target is not None:
        dist = Distribution(out, spec.media_type, spec.w3c) if out else None
        modified = store.last_build() if timestamp else None
        write_description(describe(store.ox, result, distribution=dist, modified=modified), target)
    return ExportSummary(
        fmt, out, result.tally.triples, len(result.selection.graphs), records, target
    )


def _write_csv(store: EmbeddedStore, sink: BinaryIO) -> int:
    from kg.queries import run_all, write_results

    variables, rows = run_all(store, "action-summary")
    text = io.TextIOWrapper(sink, encoding="utf-8", newline="", write_through=True)
    write_results(variables, rows, "csv", text)
    text.detach()
    return len(rows)
