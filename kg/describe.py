"""A VoID + DCAT description of an exported dataset.

The description says what the export holds (triples, distinct subjects, properties,
entities per class, the source documents it was read from, the named graphs as VoID
subsets), under which licence, and which file carries it (a ``dcat:Distribution`` with
media type, size and SHA-256). It holds no time unless asked for: the same export gives
the same description.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, VOID

from kg import __version__
from kg.codegen import PREFIXES
from kg.export import ExportResult, graph_part
from kg.iri import BASE

SPDX = Namespace("http://spdx.org/rdf/terms#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
MEDIA = "https://www.iana.org/assignments/media-types/"
#: The data's licence (the code is Apache-2.0; data and vocabularies CC BY 4.0).
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DATASET = URIRef(BASE + "dataset")
VOCABULARIES = (
    "https://w3id.org/coopgraph/ontology#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "https://schema.org/",
)


@dataclass(frozen=True)
class Distribution:
    """The file an export wrote."""

    path: Path
    media_type: str
    w3c_format: str | None

    def digest(self) -> str:
        sha = hashlib.sha256()
        with self.path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                sha.update(block)
        return sha.hexdigest()


def _documents(store: ox.Store, graphs: tuple[str, ...]) -> dict[str, str]:
    """Graph IRI -> file name of each source document among ``graphs``."""
    query = (
        "SELECT ?g ?name WHERE { GRAPH ?g { ?g a <https://w3id.org/coopgraph/ontology#"
        "SourceDocument> ; <http://purl.org/dc/terms/title> ?name } }"
    )
    chosen = set(graphs)
    found = {}
    for row in store.query(query):
        if row["g"].value in chosen:
            found[row["g"].value] = row["name"].value
    return found


def describe(
    store: ox.Store,
    result: ExportResult,
    *,
    distribution: Distribution | None = None,
    modified: datetime | None = None,
) -> Graph:
    """The VoID + DCAT description of an export.

    Parameters
    ----------
    result
        What :func:`kg.export.export_rdf` (or the CSV export) returned.
    distribution
        The file written, when the export went to a file.
    modified
        The build time to state as ``dcterms:modified``; none by default.
    """
    g = Graph()
    for prefix, ns in {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "spdx": str(SPDX)}.items():
        g.bind(prefix, ns)
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal("coopgraph: international technical cooperation", lang="en")))
    g.add(
        (
            d,
            DCTERMS.description,
            Literal(
                "Actions, partner institutions, countries, themes and expert mobilisations "
                "of technical cooperation on labour, employment and social protection, "
                "extracted from text documents with the evidence of every fact.",
                lang="en",
            ),
        )
    )
    g.add((d, DCTERMS.license, LICENSE))
    g.add((d, DCTERMS.creator, Literal(f"coopgraph {__version__}")))
    g.add((d, VOID.uriSpace, Literal(BASE)))
    g.add((d, FOAF.homepage, URIRef("https://w3id.org/coopgraph")))
    for vocabulary in VOCABULARIES:
        g.add((d, VOID.vocabulary, URIRef(vocabulary)))
    tally = result.tally
    g.add((d, VOID.triples, Literal(tally.triples)))
    g.add((d, VOID.distinctSubjects, Literal(tally.subjects)))
    g.add((d, VOID.properties, Literal(len(tally.properties))))
    g.add((d, VOID.classes, Literal(len(tally.classes))))
    g.add((d, VOID.entities, Literal(sum(tally.classes.values()))))
    for cls, count in sorted(tally.classes.items()):
        part = URIRef(f"{d}/class/{_local(cls)}")
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(count)))
    _subsets(g, store, result.selection.graphs, result.tally.graphs)
    if modified is not None:
        g.add((d, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.dateTime)))
    if distribution is not None:
        _distribution(g, distribution)
    return g


def _local(iri: str) -> str:
    """A readable, IRI-safe name for a class IRI (``cg-Action``, ``skos-Concept``)."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns):
            return f"{prefix}-{iri[len(ns) :]}"
    return hashlib.sha256(iri.encode()).hexdigest()[:12]


def _subsets(g: Graph, store: ox.Store, graphs: tuple[str, ...], sizes: Mapping[str, int]) -> None:
    documents = _documents(store, graphs)
    for graph in graphs:
        subset = URIRef(graph)
        g.add((DATASET, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(sizes.get(graph, 0))))
        g.add((subset, DCTERMS.type, Literal(graph_part(graph))))
        if graph in documents:
            g.add((DATASET, DCTERMS.source, subset))
            g.add((DATASET, PROV.wasDerivedFrom, subset))
            g.add((subset, DCTERMS.title, Literal(documents[graph])))


def _distribution(g: Graph, dist: Distribution) -> None:
    node = URIRef(f"{DATASET}/distribution/{dist.path.name}")
    g.add((DATASET, DCAT.distribution, node))
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCAT.downloadURL, URIRef(dist.path.name)))
    g.add((node, DCAT.mediaType, URIRef(MEDIA + dist.media_type)))
    if dist.w3c_format:
        g.add((node, DCTERMS["format"], FORMATS_NS[dist.w3c_format]))
    g.add((node, DCAT.byteSize, Literal(dist.path.stat().st_size, datatype=XSD.nonNegativeInteger)))
    checksum = URIRef(f"{node}/sha256")
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(dist.digest(), datatype=XSD.hexBinary)))


def description_path(out: Path) -> Path:
    """Where the description of an export written to ``out`` goes: ``OUT.void.ttl``
    (``graph.nq`` and ``graph.ttl`` exported side by side keep a description each).

    Examples
    --------
    >>> description_path(Path("graph.ttl")).name
    'graph.ttl.void.ttl'
    """
    return out.with_name(f"{out.name}.void.ttl")


def write_description(graph: Graph, path: Path) -> None:
    """Write the description as Turtle (rdflib's sorted output: deterministic)."""
    path.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
