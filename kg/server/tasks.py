"""The work a query worker process does, and its loop.

A worker opens the store (read-only, or writable for the one process that applies an
update), then answers messages ``(task name, arguments)`` from its pipe with
``("ok", value)`` or ``("err", exception)`` until the pipe closes. :data:`TASKS` maps
each task name to the function that does it; every function takes the store first.

Everything that touches the store runs here, never in the HTTP process, so a query
that runs too long can be stopped by ending its process (see :mod:`kg.server.pool`).
"""

from __future__ import annotations

import signal
import traceback
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.server import explore
from kg.server.protocol import (
    GRAPH_FORMATS,
    Payload,
    ProtocolError,
    SparqlRequest,
    content_type,
    execute_query,
    execute_update,
    take,
    write_triples,
)
from kg.store import EmbeddedStore


def sparql(
    store: EmbeddedStore, request: SparqlRequest, accept: str | None, fmt: str | None, rows: int
) -> Payload:
    """A SPARQL protocol query, serialised (see :func:`kg.server.protocol.execute_query`)."""
    return execute_query(store.ox, request, accept=accept, fmt=fmt, max_rows=rows)


def update(store: EmbeddedStore, request: SparqlRequest) -> None:
    """A SPARQL update, applied and flushed."""
    execute_update(store.ox, request)


def describe(store: EmbeddedStore, iri: str, fmt_name: str, rows: int) -> Payload | None:
    """The RDF description of ``iri`` in the graph format ``fmt_name``; None when the
    store says nothing about it."""
    fmt = next(f for f in GRAPH_FORMATS if f.name == fmt_name)
    triples = explore.describe(store, iri)
    if not triples:
        return None
    return Payload(content_type(fmt), write_triples(take(triples, rows, "triples"), fmt))


def network(store: EmbeddedStore, filters: Mapping[str, str], top: int) -> dict[str, Any]:
    """The network analysis for the web page: ``report`` (:func:`kg.network.report`),
    ``graph`` (the self-contained HTML drawing of the expert -> partner network),
    ``themes`` (notation -> name) and ``programmes`` (IRI -> name) to filter by."""
    from kg import network as net
    from kg.network_output import html_page

    fetched = net.fetch(store)
    try:
        chosen = net.Filters(**filters)
        report = net.report(fetched, chosen, top=top)
        graph = net.bipartite(fetched, chosen)
    except (net.FilterError, TypeError, ValueError) as err:
        raise ProtocolError(400, f"network filters: {err}") from err
    strength = {c: m["strength_out"] + m["strength_in"] for c, m in report["metrics"].items()}
    return {
        "report": report,
        "graph": html_page(graph, strength, report["communities"]),
        "themes": dict(fetched.themes),
        "programmes": {iri: p.label for iri, p in fetched.programmes.items()},
    }


def ping(store: EmbeddedStore) -> int:
    """The number of quads in the store (a readiness check)."""
    return len(store)


#: Task name -> function(store, *arguments).
TASKS: dict[str, Callable[..., Any]] = {
    "sparql": sparql,
    "update": update,
    "entity": explore.entity,
    "describe": describe,
    "search": explore.search,
    "browse": explore.browse,
    "overview": explore.overview,
    "network": network,
    "ping": ping,
}


def _open(path: str, writable: bool) -> EmbeddedStore:
    return EmbeddedStore(Path(path), read_only=not writable)


def _answer(store: EmbeddedStore | None, opened: BaseException | None, task: str, args) -> tuple:
    if opened is not None:
        return ("err", ProtocolError(500, f"the store could not be opened: {opened}"))
    try:
        return ("ok", TASKS[task](store, *args))
    except ProtocolError as err:
        return ("err", err)
    except Exception as err:  # a bug: say where, keep serving
        detail = "".join(traceback.format_exception_only(type(err), err)).strip()
        return ("err", ProtocolError(500, f"internal error in task {task!r}: {detail}"))


def serve_worker(conn: Connection, path: str, writable: bool = False) -> None:
    """A worker process's loop: open the store, answer tasks until the pipe closes.

    Ctrl-C in a terminal reaches the whole process group: a worker leaves it to the
    server, which closes the pipes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store, opened = None, None
    try:
        store = _open(path, writable)
    except Exception as err:  # reported with each task
        opened = err
    while True:
        try:
            task, args = conn.recv()
        except (EOFError, OSError):
            return
        reply = _answer(store, opened, task, args)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as err:  # an answer that cannot be pickled
            conn.send(("err", ProtocolError(500, f"task {task!r} gave no sendable answer: {err}")))
