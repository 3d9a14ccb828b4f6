"""The embedded store: a persistent Oxigraph database, one named graph per source.

Layout of a store folder::

    DIR/oxigraph/         the Oxigraph database
    DIR/sources/SHA.txt   the decoded text of every document version stored, by digest
    DIR/build.json        when the last build finished (kept out of the graph, which
                          holds no time, so two builds of the same input are identical)

A build writes a whole new database beside the current one and swaps the folders
(:meth:`EmbeddedStore.rewriting`); other writes replace named graphs in one SPARQL
update, which Oxigraph applies as one transaction. Either way a failed write leaves
the previous contents as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph, URIRef

T = TypeVar("T")
DEFAULT_STORE = Path(".coopgraph")
ENV_STORE = "COOPGRAPH_STORE"


def default_store_path() -> Path:
    """``$COOPGRAPH_STORE`` or ``./.coopgraph``."""
    return Path(os.environ.get(ENV_STORE) or DEFAULT_STORE)


class EmbeddedStore:
    """A coopgraph store folder (see the module docstring)."""

    def __init__(self, path: Path, *, read_only: bool = False):
        self.path = Path(path)
        db = self.path / "oxigraph"
        if read_only:
            _await_swap(db)  # a reader never moves folders: the writer may be mid-swap
        else:
            _finish_swap(self.path)
        if read_only:
            if not db.is_dir():
                raise FileNotFoundError(
                    f"{self.path}: no coopgraph store here (run `coopgraph build` first)"
                )
            self.ox = _open_read_only(db)
        else:
            db.mkdir(parents=True, exist_ok=True)
            self.ox = ox.Store(str(db))

    # -- sources ---------------------------------------------------------------
    def save_source(self, sha256: str, text: str) -> None:
        """Keep the decoded text of a document version (content-addressed)."""
        self.keep_text(self.path, sha256, text)

    def load_source(self, sha256: str) -> str | None:
        """The text saved for ``sha256``, or None."""
        return self.saved_text(self.path, sha256)

    @staticmethod
    def keep_text(store: Path, sha256: str, text: str) -> None:
        """:meth:`save_source` for the store folder ``store`` without opening its
        database (safe for several processes at once)."""
        folder = Path(store) / "sources"
        folder.mkdir(parents=True, exist_ok=True)
        target = EmbeddedStore.saved_path(store, sha256)
        if not target.exists():
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)

    @staticmethod
    def saved_text(store: Path, sha256: str) -> str | None:
        """:meth:`load_source` for the store folder ``store``."""
        target = EmbeddedStore.saved_path(store, sha256)
        return target.read_text(encoding="utf-8") if target.exists() else None

    @staticmethod
    def saved_path(store: Path, sha256: str) -> Path:
        """Where the store folder ``store`` keeps the text of ``sha256``."""
        return Path(store) / "sources" / f"{sha256}.txt"

    def prune_sources(self, keep: Iterable[str]) -> None:
        """Remove saved texts of document versions no longer in the store."""
        keep = set(keep)
        for path in (self.path / "sources").glob("*.txt"):
            if path.stem not in keep:
                path.unlink()

    # -- build record ----------------------------------------------------------
    def record_build(self, finished: datetime, validation_seconds: float | None = None) -> None:
        """Note when a build finished, and how long it took to validate the store
        (``DIR/build.json``)."""
        target = self.path / "build.json"
        tmp = target.with_suffix(".tmp")
        record: dict[str, object] = {"finished": finished.isoformat()}
        if validation_seconds is not None:
            record["validation_s"] = round(validation_seconds, 3)
        tmp.write_text(json.dumps(record) + "\n", encoding="utf-8")
        tmp.replace(target)

    def last_build(self) -> datetime | None:
        """When the last build finished, if the store says.

        Examples
        --------
        >>> import tempfile
        >>> from datetime import UTC
        >>> store = EmbeddedStore(Path(tempfile.mkdtemp()))
        >>> store.last_build() is None
        True
        >>> store.record_build(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
        >>> store.last_build().isoformat()
        '2026-01-02T03:04:05+00:00'
        """
        target = self.path / "build.json"
        if not target.exists():
            return None
        return datetime.fromisoformat(json.loads(target.read_text(encoding="utf-8"))["finished"])

    # -- graphs ----------------------------------------------------------------
    def documents(self) -> dict[str, str]:
        """Name -> SHA-256 of every source document in the store."""
        rows = self.ox.query(
            "PREFIX cg: <https://w3id.org/coopgraph/ontology#> "
            "PREFIX dcterms: <http://purl.org/dc/terms/> "
            "SELECT ?name ?sha WHERE { GRAPH ?g { ?d a cg:SourceDocument ; "
            "dcterms:title ?name ; cg:sha256 ?sha } }"
        )
        return {row["name"].value: row["sha"].value for row in rows}

    def replace(self, graphs: Mapping[URIRef, Graph], *, drop: Iterable[URIRef] = ()) -> None:
        """Atomically drop the graphs ``drop`` and set each graph of ``graphs``.

        Raises
        ------
        OSError or SyntaxError
            When Oxigraph refuses the update; nothing is then written.
        """
        parts = [f"DROP SILENT GRAPH <{g}>" for g in sorted({*drop, *graphs})]
        body = []
        for name in sorted(graphs):
            triples = graphs[name].serialize(format="nt", encoding="utf-8").decode("utf-8")
            body.append(f"GRAPH <{name}> {{\n{triples}}}")
        if body:
            parts.append("INSERT DATA {\n" + "\n".join(body) + "\n}")
        if parts:
            self.ox.update(" ;\n".join(parts))
            self.ox.flush()
            # compact now rather than in the background: a read-only store opened
            # right after (even in this process) then never sees files vanish
            self.ox.optimize()

    def rewrite(self, graphs: Mapping[URIRef, Graph], *, clean: bool = False) -> None:
        """Replace the whole database by ``graphs`` plus, unless ``clean``, the graphs
        of the current one that ``graphs`` does not name (see :meth:`rewriting`).

        Raises
        ------
        OSError or SyntaxError
            When Oxigraph refuses the data; the store is then as it was.
        """
        with self.rewriting(graphs, clean=clean) as staging:
            for name in sorted(graphs):
                staging.load_graph(name, graphs[name])

    @contextmanager
    def rewriting(self, replaced: Iterable[URIRef], *, clean: bool = False) -> Iterator[Staging]:
        """Write a new database and swap it in when the block ends without an error.

        The new database is bulk-loaded (Oxigraph's fast, non-transactional path) into
        ``DIR/oxigraph.staging``; at the end of the block (or when the block calls
        :meth:`Staging.carry_over`) the graphs of the current database that are not in
        ``replaced`` are copied over (none when ``clean``), and
        the folders are swapped by renaming. Until the swap the current database is
        untouched, so a failure leaves it as it was. A swap cut short (a crash between
        the two renames) is finished when the store is next opened for writing.

        Raises
        ------
        OSError or SyntaxError
            When Oxigraph refuses the data; the store is then as it was.
        """
        replaced = {str(name) for name in replaced}
        root = self.path / "oxigraph"
        staging = self.path / "oxigraph.staging"
        shutil.rmtree(staging, ignore_errors=True)
        new = writing = None
        try:
            new = ox.Store(str(staging))

            def carry(into: ox.Store) -> None:
                keep = [] if clean else [g for g in self.graph_names() if g not in replaced]
                for name in keep:
                    into.bulk_load(
                        self.ntriples(name),
                        format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode(name),
                    )

            writing = Staging(new, carry)
            yield writing
            writing.carry_over()
            new.flush()
            new.optimize()
            writing.close()
            new = None  # closes it
            (staging / READY).touch()
        except BaseException:
            if writing is not None:
                writing.close()
            new = None
            shutil.rmtree(staging, ignore_errors=True)
            raise
        old = self.path / "oxigraph.old"
        self.ox = None  # release the current database before its folder moves
        root.rename(old)
        staging.rename(root)
        (root / READY).unlink()
        shutil.rmtree(old)
        self.ox = ox.Store(str(root))

    def ntriples(self, graph: str) -> bytes:
        """The triples of named graph ``graph`` as N-Triples."""
        return self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self.ox)

    def query(self, sparql: str):
        """Run a SPARQL query over the union of all graphs."""
        return self.ox.query(sparql, use_default_graph_as_union=True)

    def dataset(self):
        """The store as an rdflib Dataset (through oxrdflib), for rdflib users.

        Examples
        --------
        >>> import tempfile
        >>> store = EmbeddedStore(Path(tempfile.mkdtemp()))
        >>> len(store.dataset())
        0
        """
        from rdflib import Dataset

        return Dataset(store=_OxrdflibStore(self.ox))


#: Bytes of statements per bulk load (about 200k statements). One call with 2M statements
#: peaked at 1.5 GB; at 100k actions, calls of 48 MB peak the build at 1.4 GB and calls
#: of 128 MB at 2.0 GB, in the same time (the load waits on making the graphs).
BULK_BATCH = 48 << 20
#: Bulk loads run at once by :meth:`Staging.load`. At 100k actions (20M
#: statements, batches of 48 MB, 2 cores), two loads side by side took 107 s and 206
#: CPU-s against 144 s and 254 CPU-s one after the other, and 113 s for the whole file
#: in one call, which peaked at 2.1 GB against 0.6 GB. In the build, pass 2 took
#: 208 s against 223 s, and the build 340 s against 359 s.
LOADERS = 2
#: Statements to load: ``(None, N-Quads)`` or ``(graph, N-Triples)``, each whole
#: statements. Writing a large graph's statements as N-Triples, and loading them into
#: their graph, gives Oxigraph a third fewer bytes to parse (the graph's IRI is not on
#: every line), and took its loader 12 % less CPU.
Statements = tuple[str | None, bytes]


class Staging:
    """The database :meth:`EmbeddedStore.rewriting` is writing."""

    def __init__(self, store: ox.Store, carry: Callable[[ox.Store], None] | None = None):
        self._store = store
        #: The database, to query what was loaded so far.
        self.ox = store
        self._carry = carry

    def close(self) -> None:
        """Let go of the database (the block has ended): a Staging kept past its
        block must not hold it open while its folder moves."""
        self._store = self.ox = None  # type: ignore[assignment]

    def carry_over(self) -> None:
        """Copy in now the current database's graphs that are kept (not replaced),
        rather than when the block ends (at most once)."""
        carry, self._carry = self._carry, None
        if carry is not None:
            carry(self._store)

    def finish(self, beside: Callable[[ox.Store], T]) -> T:
        """Carry over the kept graphs (see :meth:`carry_over`), then compact the
        database while ``beside(database)`` runs in this thread, and return what it
        returns: the last step of the block, whose end then has nothing left to do.

        Oxigraph compacts on one core and lets go of the interpreter as it does; a
        database compacted already is compacted again in no time.
        """
        self.carry_over()
        self._store.flush()
        # (an error in ``beside`` leaves once the compaction has ended)
        with ThreadPoolExecutor(1, thread_name_prefix="coopgraph-optimize") as pool:
            compacting = pool.submit(self._store.optimize)
            result = beside(self._store)
            compacting.result()
        return result

    def load_graph(self, name: URIRef | str, graph: Graph, *, lenient: bool = False) -> None:
        """Add ``graph`` (an rdflib graph or :class:`kg.triples.Triples`) as graph
        ``name`` (``lenient``: without Oxigraph's syntax checks, for statements known
        to be well formed)."""
        self.load([(str(name), graph.serialize(format="nt", encoding="utf-8"))], lenient=lenient)

    def load(
        self, items: Iterable[Statements], batch: int = BULK_BATCH, *, lenient: bool = False
    ) -> None:
        """Add the statements ``items`` give as they come (see :data:`Statements`: N-Quads,
        or N-Triples of one named graph), in bulk loads of about ``batch`` bytes each:
        nothing holds them all, and Oxigraph's loader, which buffers what one call gives
        it, holds one batch. ``lenient`` skips Oxigraph's syntax checks (IRIs, language
        tags), for statements known to be well formed.

        N-Quads are gathered into batches. N-Triples are gathered while they are of
        one graph: a batch of them ends where another graph's statements begin (a bulk
        load of N-Triples goes into one graph, and costs some 10 ms and a few files of
        its own, so only a large graph's statements are worth loading that way).

        :data:`LOADERS` batches load at once, in threads (Oxigraph lets go of the
        interpreter as it loads, and its bulk loads of one store may run side by
        side), while this thread gathers the next: the Python that makes the
        statements (the summary, the merging of the documents' parts) runs beside
        the loads instead of between them, and one load's parsing beside another's
        indexing, which a single call does only within batches of a million
        statements. At most ``LOADERS + 2`` batches are held.
        """

        def load(graph: str | None, data: bytes) -> None:
            if graph is None:
                self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=lenient)
            else:
                self._store.bulk_load(
                    data,
                    format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(graph),
                    lenient=lenient,
                )

        # (an error, in a load or in the gathering, leaves the block once the loads
        # under way have ended: the first one met is raised)
        with ThreadPoolExecutor(LOADERS, thread_name_prefix="coopgraph-load") as pool:
            loading: deque[Future[None]] = deque()

            # what is gathered for the next loads: N-Quads (under None), and the
            # N-Triples of one graph
            gathered: dict[str | None, list[bytes]] = {}
            sizes: dict[str | None, int] = {}

            def submit(graph: str | None) -> None:
                data = b"".join(gathered.pop(graph))
                del sizes[graph]
                if len(loading) == LOADERS:
                    loading.popleft().result()
                loading.append(pool.submit(load, graph, data))

            for graph, data in items:
                if graph is not None:
                    graph = str(graph)
                    for other in [g for g in gathered if g is not None and g != graph]:
                        submit(other)
                gathered.setdefault(graph, []).append(data)
                sizes[graph] = sizes.get(graph, 0) + len(data)
                if sizes[graph] >= batch:
                    submit(graph)
            for graph in list(gathered):
                submit(graph)
            while loading:
                loading.popleft().result()


#: Marks a staging database as complete (see :meth:`EmbeddedStore.rewrite`).
READY = "COOPGRAPH-READY"


def _finish_swap(path: Path) -> None:
    """Finish or undo a :meth:`EmbeddedStore.rewrite` that stopped between renames."""
    root, staging, old = path / "oxigraph", path / "oxigraph.staging", path / "oxigraph.old"
    if root.exists():
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
        return
    if staging.joinpath(READY).exists():
        staging.rename(root)
        root.joinpath(READY).unlink()
        shutil.rmtree(old, ignore_errors=True)
    elif old.exists():
        old.rename(root)


def _await_swap(db: Path, attempts: int = 20) -> None:
    """Wait (up to a second) for a writer between the two renames of a swap."""
    staging = db.with_name("oxigraph.staging")
    for _ in range(attempts):
        if db.exists() or not staging.exists():
            return
        time.sleep(0.05)


def _open_read_only(db: Path, attempts: int = 5) -> ox.Store:
    """Open an Oxigraph database read-only. A read-only opener lists the database's
    files and then opens them; a writer finishing a compaction at that moment may
    delete one in between (RocksDB reports it as "Corruption ... No such file"), so
    such a failure is retried on the new file list."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(db))
        except (OSError, RuntimeError) as err:
            if "No such file" not in str(err) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _OxrdflibStore(store: ox.Store):
    from oxrdflib import OxigraphStore

    return OxigraphStore(store=store)
