"""IRIs minted from normalised keys: the same key always gives the same IRI."""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from kg.text import slug

BASE = "https://w3id.org/coopgraph/id/"


def digest(*parts: str, size: int = 10) -> str:
    """A short, stable hexadecimal digest of ``parts``.

    Examples
    --------
    >>> digest("a", "b") == digest("a", "b") != digest("ab")
    True
    >>> len(digest("a", "b"))
    10
    """
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:size]


#: Kinds minted by the million under one fixed slug ("e", "m"...): only the digest
#: tells them apart, and 10 hex digits (40 bits) collide among the ~1.9M evidence
#: nodes of 100k actions (found so: two evidence nodes merged, a build that did not
#: conform). 16 digits keep a collision improbable at billions.
WIDE_DIGEST = frozenset({"evidence", "mobilisation", "link", "finding"})


def mint(kind: str, *key: str, readable: str | None = None) -> URIRef:
    """``id:{kind}/{slug}-{digest}``: a readable slug plus a digest of the full key.

    Examples
    --------
    >>> iri = mint("action", "key", "org", readable="Support to Perú")
    >>> iri.startswith("https://w3id.org/coopgraph/id/action/support-to-peru-")
    True
    >>> len(mint("evidence", "s", "p", "o", readable="e").rsplit("-", 1)[1])
    16
    """
    head = slug(readable if readable is not None else key[0], limit=50)
    size = 16 if kind in WIDE_DIGEST else 10
    return URIRef(f"{BASE}{kind}/{head}-{digest(*key, size=size)}")


def named(kind: str, name: str) -> URIRef:
    """``id:{kind}/{name}`` for names that are already identifiers (codes, slugs)."""
    return URIRef(f"{BASE}{kind}/{name}")


#: The graph of findings that compare documents (conflicting countries, say).
FINDINGS_GRAPH = URIRef(f"{BASE}graph/findings")
#: The graph of per-action rows and counts the canned queries read (kg.summary), made
#: anew by every build.
SUMMARY_GRAPH = URIRef(f"{BASE}graph/summary")
#: The graph of network metrics that ``coopgraph network --write-back`` replaces.
ANALYTICS_GRAPH = URIRef(f"{BASE}graph/analytics")


def document_iri(name: str) -> URIRef:
    """The IRI of a source document, which also names its graph."""
    return mint("document", name, readable=name)
