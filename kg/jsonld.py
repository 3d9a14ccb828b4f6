"""JSON-LD written with the project's context: compaction one node at a time, streamed.

The context (``ontology/context.jsonld``, generated from the ontology) is referenced by
its stable IRI :data:`CONTEXT_IRI`. Its term definitions are simple (an IRI, and at
most a ``@type`` coercion or a ``@language``), so a node can be compacted on its own:
each value goes under the term whose coercion fits it, or under a compact IRI with an
explicit value object. Expanding the output with the same context (pyld, rdflib) gives
back exactly the triples that were written; the tests check it for every export.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import groupby
from typing import Any, BinaryIO

import pyoxigraph as ox

from kg.resources import resource_dir

#: The stable IRI of the project's JSON-LD context (a copy ships in ontology/).
CONTEXT_IRI = "https://w3id.org/coopgraph/context.jsonld"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
#: JSON numbers are exact integers up to 2**53 in every JSON reader.
SAFE_INTEGER = 2**53
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
JSON = dict[str, Any]


@lru_cache(maxsize=1)
def context() -> JSON:
    """The ``@context`` object of ``ontology/context.jsonld``."""
    path = resource_dir("ontology") / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


def document_loader(url: str, options: Mapping | None = None) -> JSON:
    """A pyld document loader that serves :data:`CONTEXT_IRI` from the installed copy
    and refuses every other URL (coopgraph never goes to the network for JSON-LD).

    Examples
    --------
    >>> document_loader(CONTEXT_IRI)["document"]["@context"]["cg"]
    'https://w3id.org/coopgraph/ontology#'
    """
    if url != CONTEXT_IRI:
        raise ValueError(f"{url}: only the coopgraph context is loaded (no network access)")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": context()},
    }


class Compactor:
    """Compacts IRIs, values and whole nodes with a context of simple term definitions.

    Examples
    --------
    >>> c = Compactor(context())
    >>> c.iri("https://w3id.org/coopgraph/id/country/PE")
    'id:country/PE'
    >>> c.node(ox.NamedNode("https://w3id.org/coopgraph/id/country/PE"), [
    ...     (ox.NamedNode(RDF_TYPE), ox.NamedNode("https://w3id.org/coopgraph/ontology#Country")),
    ...     (ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation"), ox.Literal("PE")),
    ... ])
    {'@id': 'id:country/PE', '@type': 'Country', 'notation': 'PE'}
    """

    def __init__(self, ctx: Mapping[str, Any]):
        self.prefixes: list[tuple[str, str]] = []
        for name, value in ctx.items():
            if isinstance(value, str) and ":" not in name and value.endswith(("/", "#")):
                self.prefixes.append((value, name))
        # the longest namespace first, so the most specific prefix wins
        self.prefixes.sort(key=lambda p: (-len(p[0]), p[1]))
        self.classes: dict[str, str] = {}
        #: predicate IRI -> [(term, "@id" | datatype IRI | "@language:xx" | "")]
        self.terms: dict[str, list[tuple[str, str]]] = {}
        self.reverse: dict[str, str] = {}
        for name, value in sorted(ctx.items()):
            if isinstance(value, str):
                if not value.endswith(("/", "#")):
                    self.classes[self.expand(value)] = name
                continue
            if "@reverse" in value:
                self.reverse[self.expand(value["@reverse"])] = name
                continue
            iri = self.expand(value["@id"])
            if "@type" in value:
                coercion = value["@type"]
                coercion = coercion if coercion == "@id" else self.expand(coercion)
            elif "@language" in value:
                coercion = "@language:" + value["@language"]
            else:
                coercion = ""
            self.terms.setdefault(iri, []).append((name, coercion))

    def expand(self, value: str) -> str:
        """Expand a compact IRI (``prefix:suffix``) with the context's prefixes."""
        prefix, _, suffix = value.partition(":")
        for namespace, name in self.prefixes:
            if name == prefix:
                return namespace + suffix
        return value

    def iri(self, value: str) -> str:
        """The compact form of an IRI (``prefix:suffix``), or the IRI itself."""
        for namespace, name in self.prefixes:
            if value.startswith(namespace):
                suffix = value[len(namespace) :]
                if suffix and not suffix.startswith("//"):
                    return f"{name}:{suffix}"
        return value

    def type_name(self, value: str) -> str:
        return self.classes.get(value) or self.iri(value)

    def value(self, obj: ox.NamedNode | ox.Literal | ox.BlankNode | JSON) -> tuple[str, Any]:
        """The coercion ``obj`` fits (see :attr:`terms`) and its expanded JSON-LD value."""
        if isinstance(obj, dict):
            return "@id", obj
        if isinstance(obj, ox.NamedNode):
            return "@id", {"@id": self.iri(obj.value)}
        if isinstance(obj, ox.BlankNode):
            return "@id", {"@id": f"_:{obj.value}"}
        datatype = obj.datatype.value
        if obj.language:
            return "@language:" + obj.language, {"@value": obj.value, "@language": obj.language}
        if datatype == XSD_STRING:
            return "", {"@value": obj.value}
        return datatype, {"@value": _native(obj.value, datatype), "@type": self.iri(datatype)}

    def _key_and_value(self, predicate: str, obj) -> tuple[str, Any]:
        coercion, expanded = self.value(obj)
        candidates = self.terms.get(predicate, [])
        for name, wanted in candidates:
            if wanted == coercion:
                if coercion == "@id" and not isinstance(obj, dict):
                    return name, expanded["@id"]
                return name, expanded if isinstance(obj, dict) else expanded["@value"]
        for name, wanted in candidates:
            if wanted == "":  # an uncoerced term takes any value in its expanded form
                return name, expanded
        return self.iri(predicate), expanded

    def node(
        self,
        subject: ox.NamedNode | ox.BlankNode,
        pairs: Iterable[tuple[ox.NamedNode, Any]],
        *,
        reverse: Mapping[str, list[JSON]] | None = None,
    ) -> JSON:
        """A node object for ``subject`` with its (predicate, object) pairs.

        An object may be a ready node object (a ``dict``) to embed. ``reverse`` maps a
        predicate IRI with a reverse term in the context to the node objects that point
        to ``subject`` by it.
        """
        node_id = self.iri(subject.value) if isinstance(subject, ox.NamedNode) else None
        node: JSON = {"@id": node_id if node_id else f"_:{subject.value}"}
        types: list[str] = []
        values: dict[str, list[Any]] = {}
        for predicate, obj in pairs:
            if predicate.value == RDF_TYPE and isinstance(obj, ox.NamedNode):
                types.append(self.type_name(obj.value))
                continue
            key, value = self._key_and_value(predicate.value, obj)
            values.setdefault(key, []).append(value)
        if types:
            node["@type"] = types[0] if len(types) == 1 else sorted(types)
        for predicate, nodes in sorted((reverse or {}).items()):
            if nodes:
                values[self.reverse[predicate]] = nodes
        for key in sorted(values):
            found = values[key]
            node[key] = found[0] if len(found) == 1 else found
        return node


def _native(lexical: str, datatype: str) -> Any:
    """The JSON value of a literal: a number or boolean when JSON-LD reads it back as the
    same literal (canonical integers, booleans), else the lexical form.

    Examples
    --------
    >>> _native("42", XSD + "integer"), _native("042", XSD + "integer")
    (42, '042')
    >>> _native("true", XSD + "boolean"), _native("0.9", XSD + "decimal")
    (True, '0.9')
    """
    if datatype == XSD + "integer":
        try:
            number = int(lexical)
        except ValueError:
            return lexical
        return number if str(number) == lexical and abs(number) < SAFE_INTEGER else lexical
    if datatype == XSD + "boolean" and lexical in ("true", "false"):
        return lexical == "true"
    return lexical


def write_document(nodes: Iterable[JSON], out: BinaryIO, *, embed_context: bool = False) -> None:
    """Stream a JSON-LD document ``{"@context": ..., "@graph": [nodes]}`` to ``out``."""
    ctx = context() if embed_context else CONTEXT_IRI
    out.write(b'{\n"@context": ' + _dumps(ctx) + b',\n"@graph": [')
    first = True
    for node in nodes:
        out.write(b"\n" if first else b",\n")
        out.write(_dumps(node))
        first = False
    out.write(b"\n]\n}\n")


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=False).encode("utf-8")


def compact_nodes(triples: Iterable[ox.Triple], compactor: Compactor) -> Iterator[JSON]:
    """One node object per subject of ``triples`` (which must come grouped by subject)."""
    for subject, group in groupby(triples, key=lambda t: t.subject):
        yield compactor.node(subject, ((t.predicate, t.object) for t in group))


def graph_writer(*, embed_context: bool = False):
    """A writer for :func:`kg.export.export_rdf`: the merged graph, one node per subject."""

    def write(triples: Iterator[ox.Triple], out: BinaryIO) -> None:
        compactor = Compactor(context())
        write_document(compact_nodes(triples, compactor), out, embed_context=embed_context)

    return write
