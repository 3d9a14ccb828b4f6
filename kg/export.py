"""Export the store: Turtle, N-Triples, N-Quads, TriG, JSON-LD or CSV, streamed.

An export is canonical: the same store gives byte-identical output. Each named graph is
dumped from Oxigraph on its own as canonical N-Triples and its lines are sorted; the
quad formats (N-Quads, TriG) write the graphs in IRI order, each sorted. The graph
formats (N-Triples, Turtle, JSON-LD) need the union without the triples that several
graphs state (an organisation named in two documents): the sorted graphs are merged
with an external merge sort (sorted runs in temporary files, then a k-way merge that
drops duplicates), so memory stays bounded by one run whatever the size of the store.
A graph is sorted the same way, as Oxigraph dumps it (the summary graph of a million
actions is tens of millions of lines). The quad formats need the union only for the
dataset description's counts (distinct triples, subjects, class instances): they sort
a short fixed-size key per line instead (:meth:`Tally.key`), a fifth of the bytes.

What is exported is chosen by *parts*: the data (one graph per source document) always,
plus any of :data:`PARTS`.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.codegen import PREFIXES
from kg.iri import ANALYTICS_GRAPH, BASE, FINDINGS_GRAPH, SUMMARY_GRAPH
from kg.ontology import ONTOLOGY_IRI, VOCABULARY_FILES

#: Optional parts of an export, besides the data graphs.
PARTS = ("evidence", "findings", "analytics", "summary", "vocabularies", "ontology")

#: Subjects of these IRI spaces are evidence: the cg:Evidence nodes and the rules
#: they cite.
EVIDENCE_SUBJECTS = tuple(f"<{BASE}{kind}/".encode() for kind in ("evidence", "rule"))

#: The kinds of coopgraph IRIs (``id:KIND/...``); Turtle and TriG get a prefix for
#: each, so ``action:support-to-peru-0123456789`` reads better than ``id:action\\/...``.
KINDS = (
    "action",
    "assistance-type",
    "country",
    "document",
    "event",
    "evidence",
    "figure",
    "finding",
    "graph",
    "link",
    "mobilisation",
    "organisation",
    "organisation-kind",
    "programme",
    "region",
    "report",
    "rule",
    "summary",
    "theme",
)
TURTLE_PREFIXES = {**PREFIXES, **{kind: f"{BASE}{kind}/" for kind in KINDS}}

#: Lines per sorted run of the external merge sort (some 100 MB held; a million actions'
#: export, 200M lines, is then 400 runs, merged in one pass).
RUN_LINES = 500_000
#: Runs merged at once: a merge holds a file open per run, and a process may commonly
#: have 1,024 open. More runs are first merged this many at a time into longer ones.
MERGE_WIDTH = 500
#: The parts of a tally key (:meth:`Tally.key`), in bytes: the subject's digest, the
#: class number, the line's digest.
SUBJECT_DIGEST, CLASS_NUMBER, LINE_DIGEST = 12, 4, 12
KEY_BYTES = SUBJECT_DIGEST + CLASS_NUMBER + LINE_DIGEST


class ExportError(ValueError):
    """An export that cannot be made as asked, with the reason."""


@dataclass(frozen=True)
class Format:
    """An export format: its name, file extension, media type and kind of output."""

    name: str
    extension: str
    media_type: str
    #: ``graph``: the merged graph; ``dataset``: one named graph per source; ``table``.
    kind: str
    #: The W3C format IRI (http://www.w3.org/ns/formats/), when there is one.
    w3c: str | None


FORMATS = {
    f.name: f
    for f in (
        Format("ttl", "ttl", "text/turtle", "graph", "Turtle"),
        Format("nt", "nt", "application/n-triples", "graph", "N-Triples"),
        Format("nq", "nq", "application/n-quads", "dataset", "N-Quads"),
        Format("trig", "trig", "application/trig", "dataset", "TriG"),
        Format("jsonld", "jsonld", "application/ld+json", "graph", "JSON-LD"),
        Format("csv", "csv", "text/csv", "table", None),
    )
}


def parse_parts(value: str) -> frozenset[str]:
    """Parse ``--include``: a comma-separated list of :data:`PARTS`, ``all`` or ``none``.

    Examples
    --------
    >>> sorted(parse_parts("evidence, ontology"))
    ['evidence', 'ontology']
    >>> parse_parts("none")
    frozenset()
    >>> len(parse_parts("all")) == len(PARTS)
    True
    """
    names = {p.strip() for p in value.split(",") if p.strip()}
    if names == {"all"}:
        return frozenset(PARTS)
    if names in ({"none"}, {"data"}, set()):
        return frozenset()
    unknown = sorted(names - set(PARTS))
    if unknown:
        raise ExportError(
            f"unknown part {', '.join(unknown)}: choose from {', '.join(PARTS)}, all or none"
        )
    return frozenset(names)


def graph_part(graph: str) -> str:
    """The part a named graph belongs to: ``data`` or one of :data:`PARTS`.

    Examples
    --------
    >>> graph_part("https://w3id.org/coopgraph/id/document/a-txt-0123456789")
    'data'
    >>> graph_part("https://w3id.org/coopgraph/id/theme")
    'vocabularies'
    """
    if graph == str(ONTOLOGY_IRI):
        return "ontology"
    if graph in VOCABULARY_FILES:
        return "vocabularies"
    if graph == str(FINDINGS_GRAPH):
        return "findings"
    if graph == str(ANALYTICS_GRAPH):
        return "analytics"
    if graph == str(SUMMARY_GRAPH):
        return "summary"
    return "data"


@dataclass(frozen=True)
class Selection:
    """What an export holds: the named graphs, and whether evidence is kept."""

    graphs: tuple[str, ...]
    evidence: bool

    @classmethod
    def of(cls, graph_names: Iterable[str], parts: Iterable[str]) -> Selection:
        parts = frozenset(parts)
        chosen = sorted(g for g in graph_names if graph_part(g) in parts | {"data"})
        return cls(tuple(chosen), "evidence" in parts)

    def keep(self, line: bytes) -> bool:
        """Whether an N-Triples line of a selected graph is exported."""
        return self.evidence or not line.startswith(EVIDENCE_SUBJECTS)


def graph_lines(store: ox.Store, graph: str, selection: Selection) -> Iterator[bytes]:
    """The sorted canonical N-Triples lines (with their newline) of one named graph,
    as they come: memory holds a run of them."""
    merger = Merger()
    try:
        dump_into(merger, store, graph, selection)
        yield from merger.lines()
    finally:
        merger.close()


def dump_into(merger: Merger, store: ox.Store, graph: str, selection: Selection) -> int:
    """Give ``merger`` the canonical N-Triples lines of one named graph that
    ``selection`` keeps, as Oxigraph writes them, and return how many there were."""
    feed = _Feed(merger, selection)
    store.dump(feed, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    feed.write(b"\n" if feed.rest else b"")  # (a last line without its end)
    return feed.count


class _Feed:
    """A binary file that gives the complete lines written to it to a :class:`Merger`
    (those ``selection`` keeps): a graph's dump goes to the sort as Oxigraph writes it."""

    def __init__(self, merger: Merger, selection: Selection):
        self.merger, self.selection, self.rest, self.count = merger, selection, b"", 0

    def write(self, data: bytes) -> int:
        lines = (self.rest + bytes(data)).splitlines(keepends=True)
        self.rest = lines.pop() if lines and not lines[-1].endswith(b"\n") else b""
        keep = self.selection
        if not keep.evidence:
            lines = list(filter(keep.keep, lines))
        self.count += len(lines)
        self.merger.extend(lines)
        return len(data)

    def flush(self) -> None:
        pass


def _counted(graph: str, lines: Iterable[bytes], keys: Merger, tally: Tally) -> Iterator[bytes]:
    """``lines`` of ``graph``, the key of each given to ``keys``, their number to ``tally``."""
    count = 0
    key = tally.key
    for line in lines:
        keys.add(key(line))
        count += 1
        yield line
    tally.graphs[graph] = count


@dataclass
class Tally:
    """Counts gathered from the merged, duplicate-free triples of an export."""

    triples: int = 0
    #: class IRI -> number of instances
    classes: dict[str, int] = field(default_factory=dict)
    subjects: int = 0
    properties: set[bytes] = field(default_factory=set)
    #: named graph -> triples exported from it
    graphs: dict[str, int] = field(default_factory=dict)
    _last_subject: bytes = b""
    #: for keys: the last subject seen and its digest; class IRI <-> number
    _digested: tuple[bytes, bytes] = (b"", b"")
    _class_numbers: dict[str, int] = field(default_factory=dict)
    _class_names: list[str] = field(default_factory=lambda: [""])

    def add(self, line: bytes) -> None:
        """Count a line of the sorted, duplicate-free union."""
        self.triples += 1
        subject, rest = line.split(b" ", 1)
        predicate, obj = rest.split(b" ", 1)
        if subject != self._last_subject:
            self.subjects += 1
            self._last_subject = subject
        self.properties.add(predicate)
        if predicate == RDF_TYPE and obj.startswith(b"<"):
            iri = obj[1 : obj.index(b">")].decode("utf-8")
            self.classes[iri] = self.classes.get(iri, 0) + 1

    def key(self, line: bytes) -> bytes:
        """A fixed-size key for a line of any graph, to be sorted for :meth:`add_key`.

        Keys sort by subject, as lines do, and equal lines have equal keys: the
        subject's digest, the number of the class an ``rdf:type`` line states (0 for
        other lines), and the line's digest. With 96-bit digests, the odds that two of
        a billion subjects, or two lines of one subject, share a digest (and are
        counted once) are under one in ten thousand million.
        """
        subject, predicate, obj = line.split(b" ", 2)
        self.properties.add(predicate)
        if subject != self._digested[0]:
            self._digested = (subject, _digest(subject, SUBJECT_DIGEST))
        number = 0
        if predicate == RDF_TYPE and obj.startswith(b"<"):
            iri = obj[1 : obj.index(b">")].decode("utf-8")
            number = self._class_numbers.get(iri, 0)
            if not number:
                number = self._class_numbers[iri] = len(self._class_names)
                self._class_names.append(iri)
        return self._digested[1] + number.to_bytes(CLASS_NUMBER, "big") + _digest(line)

    def add_key(self, key: bytes) -> None:
        """Count a key of the sorted, duplicate-free keys of every line."""
        self.triples += 1
        subject = key[:SUBJECT_DIGEST]
        if subject != self._last_subject:
            self.subjects += 1
            self._last_subject = subject
        number = int.from_bytes(key[SUBJECT_DIGEST : SUBJECT_DIGEST + CLASS_NUMBER], "big")
        if number:
            iri = self._class_names[number]
            self.classes[iri] = self.classes.get(iri, 0) + 1


def _digest(data: bytes, size: int = LINE_DIGEST) -> bytes:
    return hashlib.blake2b(data, digest_size=size).digest()


RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


class Merger:
    """An external merge sort of N-Triples lines (or of ``record``-byte keys) that
    drops duplicates.

    Feed sorted or unsorted lines with :meth:`add`; iterate :meth:`lines` once for the
    sorted union. More than ``width`` runs are merged ``width`` at a time first.

    Examples
    --------
    >>> m = Merger(run_lines=2)
    >>> for line in [b"c\\n", b"a\\n", b"b\\n", b"a\\n", b"c\\n"]:
    ...     m.add(line)
    >>> list(m.lines())
    [b'a\\n', b'b\\n', b'c\\n']
    """

    def __init__(
        self,
        *,
        run_lines: int | None = None,
        width: int | None = None,
        folder: str | None = None,
        record: int | None = None,
    ):
        self.run_lines = run_lines or RUN_LINES
        self.width = width or MERGE_WIDTH
        self.folder = folder
        self.record = record
        self._buffer: list[bytes] = []
        self._runs: list[str] = []

    def add(self, line: bytes) -> None:
        self._buffer.append(line)
        if len(self._buffer) >= self.run_lines:
            self._spill()

    def extend(self, lines: Iterable[bytes]) -> None:
        lines = iter(lines)
        while part := list(islice(lines, self.run_lines - len(self._buffer))):
            self._buffer += part
            if len(self._buffer) >= self.run_lines:
                self._spill()

    def _spill(self) -> None:
        self._runs.append(self._run(_unique(sorted(self._buffer))))
        self._buffer = []

    def _run(self, lines: Iterable[bytes]) -> str:
        fd, path = tempfile.mkstemp(prefix="coopgraph-run-", suffix=".nt", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as run:
                run.writelines(lines)
        except BaseException:
            Path(path).unlink(missing_ok=True)
            raise
        return path

    def _merged(self, paths: list[str]) -> Iterator[bytes]:
        with ExitStack() as stack:
            runs: list[Iterable[bytes]] = [stack.enter_context(open(path, "rb")) for path in paths]
            if self.record:
                runs = [_records(run, self.record) for run in runs]
            yield from _unique(heapq.merge(*runs))

    def lines(self) -> Iterator[bytes]:
        """The sorted union of every line added, each once."""
        if not self._runs:
            yield from _unique(sorted(self._buffer))
            self._buffer = []
            return
        if self._buffer:
            self._spill()
        while len(self._runs) > self.width:
            group = self._runs[: self.width]
            merged = self._run(self._merged(group))
            self._runs = [*self._runs[self.width :], merged]
            for path in group:
                Path(path).unlink()
        yield from self._merged(self._runs)
        self.close()

    def close(self) -> None:
        for path in self._runs:
            Path(path).unlink(missing_ok=True)
        self._runs = []


def _records(run: BinaryIO, size: int) -> Iterator[bytes]:
    while block := run.read(size * 4096):
        yield from (block[i : i + size] for i in range(0, len(block), size))


def _unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    last = None
    for line in lines:
        if line != last:
            yield line
            last = line


def _nquad(line: bytes, graph: bytes) -> bytes:
    # a canonical N-Triples line ends with " .\n"
    return line[:-3] + graph + b" .\n"


def _quads(lines: Iterable[bytes], graph: str) -> Iterator[ox.Quad]:
    name = ox.NamedNode(graph)
    lines = iter(lines)
    # (parsed a run at a time: N-Triples lines stand alone)
    while run := b"".join(islice(lines, RUN_LINES)):
        for t in ox.parse(run, format=ox.RdfFormat.N_TRIPLES):
            yield ox.Quad(t.subject, t.predicate, t.object, name)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the selection and the tally of its merged triples."""

    format: Format
    selection: Selection
    tally: Tally


def export_rdf(
    store: ox.Store,
    fmt: Format,
    out: BinaryIO,
    *,
    parts: Iterable[str] = PARTS,
    jsonld_writer: Callable[[Iterator[ox.Triple], BinaryIO], None] | None = None,
) -> ExportResult:
    """Write the store's selected graphs to ``out`` in an RDF format ``fmt``.

    Parameters
    ----------
    parts
        The optional parts to include besides the data (see :data:`PARTS`).
    jsonld_writer
        For JSON-LD: called with the merged triples (sorted by subject) and ``out``.

    Returns
    -------
    ExportResult
        The selection and the counts of distinct triples, subjects, classes.
    """
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    selection = Selection.of(names, parts)
    tally = Tally()
    if fmt.kind == "dataset":
        with closing(Merger(record=KEY_BYTES)) as keys:
            _write_dataset(store, selection, fmt, out, keys, tally)
            for key in keys.lines():
                tally.add_key(key)
    else:
        with closing(Merger()) as merger:
            # (the union's order alone matters: each graph goes straight to its sort)
            for graph in selection.graphs:
                tally.graphs[graph] = dump_into(merger, store, graph, selection)
            _write_graph(fmt, merger.lines(), out, tally, jsonld_writer)
    return ExportResult(fmt, selection, tally)


def _write_dataset(
    store: ox.Store, selection: Selection, fmt: Format, out: BinaryIO, keys: Merger, tally: Tally
) -> None:
    def per_graph() -> Iterator[tuple[str, Iterator[bytes]]]:
        for graph in selection.graphs:
            yield graph, _counted(graph, graph_lines(store, graph, selection), keys, tally)

    if fmt.name == "nq":
        for graph, lines in per_graph():
            name = f"<{graph}>".encode()
            out.writelines(_nquad(line, name) for line in lines)
        return
    quads = (q for graph, lines in per_graph() for q in _quads(lines, graph))
    ox.serialize(quads, out, ox.RdfFormat.TRIG, prefixes=TURTLE_PREFIXES)


def _write_graph(
    fmt: Format,
    lines: Iterator[bytes],
    out: BinaryIO,
    tally: Tally,
    jsonld_writer: Callable[[Iterator[ox.Triple], BinaryIO], None] | None,
) -> None:
    if fmt.name == "nt":
        for line in lines:
            tally.add(line)
            out.write(line)
        return
    with _spooled(lines, tally) as path:
        triples = ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)
        if fmt.name == "ttl":
            ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)
        elif fmt.name == "jsonld" and jsonld_writer is not None:
            jsonld_writer(triples, out)
        else:
            raise ExportError(f"{fmt.name} is not a graph format this exporter writes")


@contextmanager
def _spooled(lines: Iterable[bytes], tally: Tally) -> Iterator[str]:
    """Write ``lines`` to a temporary N-Triples file (counting them) and give its path."""
    fd, path = tempfile.mkstemp(prefix="coopgraph-merged-", suffix=".nt")
    try:
        with os.fdopen(fd, "wb") as spool:
            for line in lines:
                tally.add(line)
                spool.write(line)
        yield path
    finally:
        Path(path).unlink(missing_ok=True)


@contextmanager
def atomic_output(path: Path | None, stdout: BinaryIO) -> Iterator[BinaryIO]:
    """A binary file written in full or not at all (``path`` None: ``stdout``)."""
    if path is None:
        yield stdout
        stdout.flush()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
