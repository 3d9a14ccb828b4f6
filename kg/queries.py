"""The canned query catalogue (queries/*.rq), parameter binding and result formats.

Each ``.rq`` file starts with comment lines giving its metadata::

    # title: Actions by theme
    # description: Every action tagged with a theme ...
    #   (an indented comment line continues the previous field)
    # param: theme | string | green_jobs | social_dialogue | the theme's notation

A ``param`` line gives ``name | type | default | example | description``; the name is
the SPARQL variable the value is bound to (``?theme``), the type one of
:data:`PARAM_TYPES`, an empty default makes the parameter required. Values are bound
as typed RDF terms in an inline ``VALUES`` block opening the query's top-level
``WHERE`` group (the same on the embedded store and on an endpoint), each term written
in N-Triples syntax, which escapes whatever it holds: a value with quotes, braces or
SPARQL keywords stays data. Parameters are therefore used at the top level of the
query's ``WHERE`` clause, not only inside a sub-query.

A query that reads the summary graph says so (``# reads: summary``); it is refused,
with the reason, on a store whose summary graph an older (or newer) coopgraph wrote,
or that holds actions but no summary graph (see :func:`summary_problem`).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TextIO

import pyoxigraph as ox

from kg.resources import resource_dir

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Parameter types and the XSD datatype of their literals (None: an IRI).
PARAM_TYPES = {
    "string": XSD + "string",
    "integer": XSD + "integer",
    "decimal": XSD + "decimal",
    "boolean": XSD + "boolean",
    "date": XSD + "date",
    "year": XSD + "gYear",
    "iri": None,
}


#: The most rows a page of a paged query holds.
MAX_PAGE = 1000

Bound = ox.NamedNode | ox.Literal | list[ox.Literal]


class QueryError(ValueError):
    """A canned query or parameter that cannot be used, with the reason."""


@dataclass(frozen=True)
class Param:
    """A parameter of a canned query."""

    name: str
    type: str
    default: str | None
    example: str
    description: str


@dataclass(frozen=True)
class CannedQuery:
    """A stored query and its metadata."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    #: The variable a paged query numbers its rows by (``# page: rank``): bound to the
    #: positions ``offset`` to ``offset + limit - 1``, so the store looks up the page's
    #: rows alone.
    page: str | None = None
    #: The filtered listing a paged query reads (``# page: key theme/{theme}``): the
    #: variable is then bound to the keys ``LISTING/N`` of the page's positions (the
    #: listing's ``{name}`` replaced by the parameter's value), not to integers.
    listing: str | None = None
    #: Whether the query reads the summary graph (``# reads: summary``).
    summary: bool = False

    @property
    def is_violation(self) -> bool:
        """A ``*-violation`` query must return no rows on a good build."""
        return self.name.endswith("-violation")


def parse_header(text: str) -> dict[str, list[str]]:
    """The ``# key: value`` metadata at the top of a query (a key may repeat).

    Examples
    --------
    >>> parse_header("# title: T\\n# description: a\\n#   b\\nSELECT * {}")
    {'title': ['T'], 'description': ['a b']}
    """
    meta: dict[str, list[str]] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s?(\w+):\s*(.*)$", line)
        if m:
            last = m.group(1)
            meta.setdefault(last, []).append(m.group(2).strip())
        elif last and line[1:].strip():
            meta[last][-1] += " " + line[1:].strip()
    return meta


def _param(spec: str, where: str) -> Param:
    parts = [p.strip() for p in spec.split("|")]
    if len(parts) != 5:
        raise QueryError(
            f"{where}: a param line needs 5 fields "
            f"(name | type | default | example | description): {spec!r}"
        )
    name, kind, default, example, description = parts
    if not re.fullmatch(r"[A-Za-z_]\w*", name) or kind not in PARAM_TYPES:
        raise QueryError(f"{where}: bad parameter name or type in {spec!r}")
    return Param(name, kind, default or None, example, description)


def load_query(name: str, text: str) -> CannedQuery:
    """Read one query file's text and metadata."""
    meta = parse_header(text)
    params = tuple(_param(p, f"{name}.rq") for p in meta.get("param", []))
    # "# page: VARIABLE" or "# page: VARIABLE LISTING"
    page, _, listing = meta.get("page", [""])[0].partition(" ")
    listing = listing.strip() or None
    names = {p.name for p in params}
    if page and not {"offset", "limit"} <= names:
        raise QueryError(f"{name}.rq: a paged query needs the parameters offset and limit")
    if listing:
        unknown = set(re.findall(r"\{(\w+)\}", listing)) - names
        if unknown or set("{}") & set(re.sub(r"\{\w+\}", "", listing)):
            raise QueryError(f"{name}.rq: the listing {listing!r} names an unknown parameter")
    return CannedQuery(
        name,
        meta.get("title", [name])[0],
        meta.get("description", [""])[0],
        params,
        text,
        page or None,
        listing,
        summary=meta.get("reads", [""])[0] == "summary",
    )


@lru_cache(maxsize=1)
def catalogue() -> dict[str, CannedQuery]:
    """Every canned query by name (the file name without ``.rq``), sorted."""
    out = {}
    for path in sorted(resource_dir("queries").glob("*.rq")):
        out[path.stem] = load_query(path.stem, path.read_text(encoding="utf-8"))
    return out


def term(param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term for ``value`` given as ``param``.

    Examples
    --------
    >>> term(Param("n", "integer", None, "", ""), "12")
    <Literal value=12 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>

    Raises
    ------
    QueryError
        When the value is not of the parameter's type.
    """
    if param.type == "iri":
        try:
            return ox.NamedNode(value)
        except ValueError as err:
            raise QueryError(f"--param {param.name}: not an IRI: {value!r}") from err
    checks = {
        "integer": r"[+-]?\d+",
        "decimal": r"[+-]?(\d+\.?\d*|\.\d+)",
        "boolean": r"true|false|1|0",
        "date": r"\d{4}-\d\d-\d\d",
        "year": r"\d{4}",
    }
    if param.type in checks and not re.fullmatch(checks[param.type], value):
        raise QueryError(f"--param {param.name}: {value!r} is not a valid {param.type}")
    return ox.Literal(value, datatype=ox.NamedNode(PARAM_TYPES[param.type]))


def bindings(query: CannedQuery, given: dict[str, str]) -> dict[str, Bound]:
    """The terms to bind: given values, else defaults; unknown or missing ones raise."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise QueryError(
            f"{query.name} has no parameter {unknown[0]!r} (it has: {', '.join(known) or 'none'})"
        )
    out = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value is None:
            raise QueryError(f"{query.name} needs --param {p.name}=... ({p.description})")
        out[p.name] = term(p, value)
    if query.page:
        offset, limit = int(out["offset"].value), int(out["limit"].value)
        if offset < 0 or not 1 <= limit <= MAX_PAGE:
            raise QueryError(f"a page starts at 0 or more and holds 1 to {MAX_PAGE} rows")
        positions = range(offset, offset + limit)
        if query.listing:
            listing = re.sub(r"\{(\w+)\}", lambda m: out[m.group(1)].value, query.listing)
            out[query.page] = [ox.Literal(f"{listing}/{i}") for i in positions]
        else:
            integer = ox.NamedNode(PARAM_TYPES["integer"])
            out[query.page] = [ox.Literal(str(i), datatype=integer) for i in positions]
    return out


def values_clause(bound: dict[str, Bound]) -> str:
    """``VALUES`` blocks binding ``bound``, the terms in N-Triples syntax: one row for
    the single values, and a block of its own for a variable given a list.

    Examples
    --------
    >>> print(values_clause({"t": ox.Literal('a "b" } x')}))
    VALUES (?t) { ("a \\"b\\" } x") }
    >>> print(values_clause({"n": [ox.Literal("1"), ox.Literal("2")]}))
    VALUES ?n { "1" "2" }
    """
    single = {n: t for n, t in bound.items() if not isinstance(t, list)}
    blocks = []
    if single:
        names = " ".join(f"?{n}" for n in single)
        terms = " ".join(str(t) for t in single.values())
        blocks.append(f"VALUES ({names}) {{ ({terms}) }}")
    for name, terms in bound.items():
        if isinstance(terms, list):
            blocks.append(f"VALUES ?{name} {{ {' '.join(str(t) for t in terms)} }}")
    return " ".join(blocks)


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind(text: str, bound: dict[str, Bound]) -> str:
    """``text`` with ``bound`` given as a ``VALUES`` block opening its first ``WHERE``
    group (comment lines are skipped when looking for it).

    Examples
    --------
    >>> print(bind("SELECT ?a WHERE { ?a ?b ?t }", {"t": ox.Literal("x")}))
    SELECT ?a WHERE { VALUES (?t) { ("x") }
     ?a ?b ?t }

    Raises
    ------
    QueryError
        When the query has parameters but no ``WHERE {``.
    """
    if not bound:
        return text
    body = re.sub(r"(?m)^#.*$", lambda m: " " * len(m.group(0)), text)
    m = _WHERE.search(body)
    if m is None:
        raise QueryError("a query with parameters needs an explicit WHERE { ... }")
    return text[: m.end()] + " " + values_clause(bound) + "\n" + text[m.end() :]


def run_query(store, text: str, bound: dict | None = None) -> tuple[list[str], list[list[object]]]:
    """Run a SELECT ``text`` on an embedded store: (variables, rows of pyoxigraph terms
    or None)."""
    solutions = store.ox.query(bind(text, bound or {}), use_default_graph_as_union=True)
    if isinstance(solutions, bool) or not hasattr(solutions, "variables"):
        raise QueryError("only SELECT queries give rows")
    variables = [v.value for v in solutions.variables]
    rows = [[solution[v] for v in variables] for solution in solutions]
    return variables, rows


Runner = Callable[[str, dict[str, Bound]], tuple[list[str], list[list[object]]]]


def runner(store) -> Runner:
    """``run(text, bound)`` on ``store``: an endpoint's ``select`` (a
    :class:`kg.endpoint.RemoteStore`), else :func:`run_query` on an embedded store."""
    if hasattr(store, "select"):
        return store.select
    return lambda text, bound: run_query(store, text, bound)


def canned(name: str) -> CannedQuery:
    """Canned query ``name``; :class:`QueryError` when there is none."""
    query = catalogue().get(name)
    if query is None:
        raise QueryError(f"no canned query {name!r} (see `coopgraph query --list`)")
    return query


def run_canned(
    store, name: str, given: dict[str, str] | None = None
) -> tuple[list[str], list[list[object]]]:
    """Run canned query ``name`` with parameters ``given`` on an embedded store (one
    page of a paged query: see :func:`every_page`).

    Raises
    ------
    QueryError
        For an unknown query or parameter, or a summary the query cannot read
        (:func:`summary_problem`).
    """
    query, run = canned(name), runner(store)
    bound = bindings(query, given or {})
    check_summary(run, query)
    return run(query.text, bound)


def summary_problem(run: Runner) -> str | None:
    """Why the summary graph of the store ``run`` queries cannot be read by this
    coopgraph's queries, or None: it states another format than
    :data:`kg.summary.FORMAT` (an older build wrote it, and the reports would miss
    what it lacks), or the store holds actions but no summary graph."""
    from kg.iri import SUMMARY_GRAPH
    from kg.summary import FORMAT

    cg = "https://w3id.org/coopgraph/ontology#"
    _, rows = run(f"SELECT ?format WHERE {{ <{SUMMARY_GRAPH}> <{cg}summaryFormat> ?format }}", {})
    formats = sorted({row[0].value for row in rows if row[0] is not None})
    if formats == [str(FORMAT)]:
        return None
    rebuild = "build it again (coopgraph build), or push it again after a build"
    if formats:
        return (
            f"the store's summary graph has format {', '.join(formats)}, and this coopgraph "
            f"reads format {FORMAT}: {rebuild}"
        )
    rows_or_actions = f"{{ ?node a <{cg}ActionSummary> }} UNION {{ ?node a <{cg}Action> }}"
    _, rows = run(f"SELECT ?node WHERE {{ {rows_or_actions} }} LIMIT 1", {})
    if rows:
        return f"the store holds actions but no summary graph of format {FORMAT}: {rebuild}"
    return None


def check_summary(run: Runner, query: CannedQuery) -> None:
    """Raise :class:`QueryError` when ``query`` reads the summary graph and
    :func:`summary_problem` finds one."""
    problem = summary_problem(run) if query.summary else None
    if problem:
        raise QueryError(f"{query.name}: {problem}")


def every_page(
    run: Runner,
    query: CannedQuery,
    given: dict[str, str] | None = None,
    size: int | None = None,
) -> tuple[list[str], list[list[object]]]:
    """Every row of ``query`` from the page ``given`` starts at (offset 0 unless
    given) to the end, by ``run(text, bound)`` (``run_query`` bound to a store, or an
    endpoint's ``select``).

    A query that is not paged is run once, and so is a query paged by a rank read from
    its first position with no ``size`` given: its rank left unbound, it matches every
    row (at a million actions, one query for the action summary took 123 s, and a
    thousand pages 420 s). Otherwise the pages are read ``size`` positions
    (:data:`MAX_PAGE` unless given) at a time until one comes back short."""
    given = dict(given or {})
    if query.page:
        given.pop("limit", None)  # the pages' size is ``size``
    bound = bindings(query, given)
    check_summary(run, query)
    if not query.page:
        return run(query.text, bound)
    offset = int(bound["offset"].value)
    if offset == 0 and size is None and not query.listing:
        del bound[query.page]
        return run(query.text, bound)
    size = size or MAX_PAGE
    given["limit"] = str(size)
    variables: list[str] = []
    rows: list[list[object]] = []
    while True:
        variables, page = run(query.text, bindings(query, {**given, "offset": str(offset)}))
        rows += page
        # every position has a row or more (the institution timeline gives each
        # institution's actions): fewer rows than positions is the end
        if len(page) < size:
            return variables, rows
        offset += size


def run_all(
    store, name: str, given: dict[str, str] | None = None, size: int | None = None
) -> tuple[list[str], list[list[object]]]:
    """Every row of canned query ``name`` on an embedded store: all its pages (see
    :func:`every_page`)."""
    return every_page(runner(store), canned(name), given, size)


def prepare(name: str, given: dict[str, str] | None = None) -> tuple[str, dict[str, Bound]]:
    """The text and the bound terms of canned query ``name``."""
    query = canned(name)
    return query.text, bindings(query, given or {})


def violation_rows(store) -> dict[str, list[list[object]]]:
    """Run every check (``queries/checks/``, the ``*-violation`` queries as they scan
    the whole store) on an embedded store: name -> offending rows (only the checks
    that found something)."""
    from kg.checks import full_checks

    found = {}
    for name, text in full_checks().items():
        _, rows = run_query(store, text)
        if rows:
            found[name] = rows
    return found


class MemoryStore:
    """An in-memory Oxigraph store holding one rdflib graph next to the ontology and
    vocabularies, queryable like the embedded store (for checking files)."""

    def __init__(self, graph) -> None:
        from kg.ontology import ontology_files

        self.ox = ox.Store()
        data = graph.serialize(format="nt", encoding="utf-8")
        self.ox.load(
            data,
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode("https://w3id.org/coopgraph/id/graph/checked"),
        )
        for path in ontology_files():
            self.ox.load(
                path=str(path),
                format=ox.RdfFormat.TURTLE,
                to_graph=ox.NamedNode(f"https://w3id.org/coopgraph/id/graph/{path.stem}"),
            )


def _json_term(t) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != XSD + "string":
        out["datatype"] = t.datatype.value
    return out


def results_json(variables: list[str], rows: list[list[object]]) -> dict:
    """SPARQL 1.1 Query Results JSON for ``rows``."""
    bindings_ = [
        {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in rows
    ]
    return {"head": {"vars": variables}, "results": {"bindings": bindings_}}


def write_results(variables: list[str], rows: list[list[object]], fmt: str, out: TextIO) -> None:
    """Write results as ``table``, ``csv``, ``tsv`` or ``json`` (SPARQL 1.1 Query
    Results JSON)."""
    if fmt == "json":
        json.dump(results_json(variables, rows), out, indent=1, ensure_ascii=False)
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
