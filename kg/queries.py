"""The canned query catalogue (queries/*.rq) and result formatting.

Each ``.rq`` file starts with comment lines giving its metadata::

    # title: Action summary
    # description: One row per distinct action ...
    #   (an indented comment line continues the previous field)
    # parameters: none
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TextIO

import pyoxigraph as ox

from kg.resources import resource_dir


@dataclass(frozen=True)
class CannedQuery:
    """A stored query and its metadata."""

    name: str
    title: str
    description: str
    parameters: str
    text: str


def parse_header(text: str) -> dict[str, str]:
    """The ``# key: value`` metadata at the top of a query.

    Examples
    --------
    >>> parse_header("# title: T\\n# description: a\\n#   b\\nSELECT * {}")
    {'title': 'T', 'description': 'a b'}
    """
    meta: dict[str, str] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s{0,1}(\w+):\s*(.*)$", line)
        if m:
            last = m.group(1)
            meta[last] = m.group(2).strip()
        elif last and line[1:].strip():
            meta[last] += " " + line[1:].strip()
    return meta


@lru_cache(maxsize=1)
def catalogue() -> dict[str, CannedQuery]:
    """Every canned query by name (the file name without ``.rq``), sorted."""
    out = {}
    for path in sorted(resource_dir("queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta = parse_header(text)
        out[path.stem] = CannedQuery(
            path.stem,
            meta.get("title", path.stem),
            meta.get("description", ""),
            meta.get("parameters", "none"),
            text,
        )
    return out


def run_query(store, text: str) -> tuple[list[str], list[list[object]]]:
    """Run a SELECT ``text`` on an embedded store: (variables, rows of pyoxigraph terms
    or None)."""
    solutions = store.query(text)
    variables = [v.value for v in solutions.variables]
    rows = [[solution[v] for v in variables] for solution in solutions]
    return variables, rows


def _json_term(term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def write_results(variables: list[str], rows: list[list[object]], fmt: str, out: TextIO) -> None:
    """Write results as ``table``, ``csv``, ``tsv`` or ``json`` (SPARQL 1.1 Query
    Results JSON)."""
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        json.dump(
            {"head": {"vars": variables}, "results": {"bindings": bindings}},
            out,
            indent=1,
            ensure_ascii=False,
        )
        out.write("\n")
        return
    plain = [["" if t is None else t.value for t in row] for row in rows]
    if fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(variables)
        writer.writerows(plain)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*variables, show_lines=False)
    for row in plain:
        table.add_row(*row)
    Console(file=out, width=200).print(table)
