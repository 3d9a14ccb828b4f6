"""Resolve: Records of every document -> stable IRIs, one node per real thing.

- Organisations written differently (English or original-language name, US/UK
  spelling, a typo, an acronym with the same country) are one organisation; the same
  name in two countries ("Ministry of Labour" of Suriname and of Ecuador) is two.
- An action is its normalised title and its partner organisation: the same action in
  two documents is one node with both sources.
- What one document says about an institution's country serves the others; where the
  documents disagree the best-supported country wins and a finding records the conflict.

Resolution looks at the whole corpus at once, so the result depends on the set of
documents, never on their order.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.iri import document_iri, mint, named
from kg.records import Fact, Record
from kg.text import normalise_key

Key = tuple[str, str]  # (document name, record local id)


@dataclass(frozen=True)
class Finding:
    """A data-quality observation about a resolved entity."""

    kind: str
    about: URIRef
    comment: str
    documents: tuple[str, ...] = ()


@dataclass
class Resolution:
    """What resolution decided: an IRI per record, extra facts per document, findings."""

    iris: dict[Key, URIRef] = field(default_factory=dict)
    records: dict[str, list[Record]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: The preferred name of each organisation (its other names become alternatives).
    labels: dict[URIRef, str] = field(default_factory=dict)


def _text(value: str) -> str:
    """The text of a ``text:`` or ``lang:xx:`` value."""
    if value.startswith("lang:"):
        return value.split(":", 2)[2]
    return value.split(":", 1)[1]


def _name_key(name: str) -> str:
    key = normalise_key(name)
    return key[4:] if key.startswith("the ") else key


def _canonical_keys(keys: set[str]) -> dict[str, str]:
    """Map near-identical name keys (one typo apart) onto one representative."""
    ordered = sorted(keys, key=lambda k: (-len(k), k))
    rep: dict[str, str] = {}
    by_shape: dict[tuple[int, str], list[str]] = defaultdict(list)
    for key in ordered:
        words = key.split()
        shape = (len(words), words[-1] if words else "")
        match = None
        if len(key) >= 12:
            for other in by_shape[shape]:
                if difflib.SequenceMatcher(None, key, other).ratio() >= 0.93:
                    match = other
                    break
        rep[key] = rep[match] if match else key
        by_shape[shape].append(key)
    return rep


@dataclass(frozen=True)
class OrgSignature:
    """What resolution reads of an organisation record; records with equal signatures
    resolve alike, so the corpus is resolved from its distinct signatures, not its
    records (a million actions name a few thousand distinct organisations)."""

    #: The name keys of its names and alternative names.
    names: frozenset[str]
    #: (country code, confidence) of each country fact, sorted.
    countries: tuple[tuple[str, float], ...]
    #: Its acronyms, upper-cased, sorted.
    acronyms: tuple[str, ...]
    #: The texts of its ``name`` facts, sorted (with repeats).
    labels: tuple[str, ...]
    #: (document, local id) of a record with no ``name`` fact: the fallback name.
    nameless: tuple[str, ...] = ()

    @classmethod
    def of(cls, doc: str, rec: Record) -> OrgSignature:
        names = frozenset(
            _name_key(_text(f.value)) for f in rec.facts if f.prop in ("name", "altName")
        ) - {""}
        labels = tuple(sorted(_text(f.value) for f in rec.facts if f.prop == "name"))
        return cls(
            names=names,
            countries=tuple(
                sorted(
                    (f.value.split(":", 1)[1], f.confidence)
                    for f in rec.facts
                    if f.prop == "country"
                )
            ),
            acronyms=tuple(sorted(_text(a).upper() for a in rec.values("acronym"))),
            labels=labels,
            nameless=() if labels else (doc, rec.local_id),
        )

    def votes(self) -> Counter[str]:
        """Its countries weighed by confidence."""
        counts: Counter[str] = Counter()
        for country, confidence in self.countries:
            counts[country] += confidence
        return counts


@dataclass
class OrgIndex:
    """The distinct organisation signatures of a corpus, with how many records and which
    documents have each; filled one document at a time (:meth:`add`)."""

    records: Counter[OrgSignature] = field(default_factory=Counter)
    documents: dict[OrgSignature, set[str]] = field(default_factory=dict)

    def add(self, doc: str, signatures: Iterable[OrgSignature]) -> None:
        for sig in signatures:
            self.records[sig] += 1
            self.documents.setdefault(sig, set()).add(doc)


@dataclass
class Organisations:
    """The organisations of a corpus as resolution decided them."""

    iris: dict[OrgSignature, URIRef] = field(default_factory=dict)
    #: The preferred name of each organisation (its other names become alternatives).
    labels: dict[URIRef, str] = field(default_factory=dict)
    country_of: dict[URIRef, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _sort_key(sig: OrgSignature) -> tuple:
    return (sorted(sig.names), sig.countries, sig.acronyms, sig.labels, sig.nameless)


def resolve_organisations(index: OrgIndex) -> Organisations:
    """Cluster the organisations of a corpus (see the module's description) and give each
    cluster its IRI, preferred name and country."""
    sigs = sorted(index.records, key=_sort_key)
    countries = {sig: sig.votes() for sig in sigs}
    rep = _canonical_keys({n for sig in sigs for n in sig.names})
    parent = list(range(len(sigs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    buckets: dict[str, list[int]] = defaultdict(list)
    by_acronym: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, sig in enumerate(sigs):
        for n in sig.names:
            buckets[rep[n]].append(i)
        for acronym in sig.acronyms:
            for country in countries[sig]:
                by_acronym[(acronym, country)].append(i)
    for members in buckets.values():
        known = {c for m in members for c in countries[sigs[m]]}
        if len(known) <= 1:
            for m in members[1:]:
                union(members[0], m)
        else:
            for country in sorted(known):
                same = [m for m in members if country in countries[sigs[m]]]
                for m in same[1:]:
                    union(same[0], m)
    for members in by_acronym.values():
        for m in members[1:]:
            union(members[0], m)
    clusters: dict[int, list[OrgSignature]] = defaultdict(list)
    for i, sig in enumerate(sigs):
        clusters[find(i)].append(sig)
    out = Organisations()
    named_as: dict[URIRef, Counter[str]] = defaultdict(Counter)
    for members in clusters.values():
        votes: Counter[str] = Counter()
        names: Counter[str] = Counter()
        for m in members:
            weight = index.records[m]
            for country, n in countries[m].items():
                votes[country] += n * weight
            for label in m.labels:
                names[label] += weight
        if names:
            canonical = min(names, key=lambda n: (-names[n], len(n), n))
        else:
            canonical = min(m.nameless for m in members)[1]
        country = min(votes, key=lambda c: (-votes[c], c)) if votes else ""
        iri = mint("organisation", country, _name_key(canonical), readable=canonical)
        for m in members:
            out.iris[m] = iri
        # clusters kept apart can still mint one IRI (same name, same or no country):
        # its preferred name is then chosen among all their names
        named_as[iri].update(names)
        out.labels[iri] = (
            min(named_as[iri], key=lambda n: (-named_as[iri][n], len(n), n))
            if named_as[iri]
            else canonical
        )
        if country:
            out.country_of[iri] = country
        if len(votes) > 1:
            docs = tuple(sorted({d for m in members for d in index.documents[m]}))
            out.findings.append(
                Finding(
                    "country-conflict",
                    iri,
                    f"{canonical}: documents give the countries "
                    + ", ".join(f"{c} ({votes[c]:g})" for c in sorted(votes))
                    + f"; kept {country}",
                    docs,
                )
            )
    out.findings.sort(key=lambda f: (f.kind, str(f.about)))
    return out


def _entity_key(doc: str, rec: Record, res: Resolution) -> URIRef:
    """The IRI of a record that is not an organisation."""
    if rec.kind == "document":
        return document_iri(doc)
    if rec.kind == "action":
        title = normalise_key(_text(rec.values("title")[0])) if rec.values("title") else ""
        partner = rec.values("partnerInstitution")
        org = str(res.iris.get((doc, partner[0][4:]), "")) if partner else ""
        return mint("action", title, org, readable=title)
    if rec.kind == "programme":
        known = rec.values("programme")
        if known:
            return named("programme", known[0].split(":", 1)[1])
        names = rec.values("name")
        return mint(
            "programme",
            _name_key(_text(names[0])) if names else rec.local_id,
            readable=_text(names[0]) if names else rec.local_id,
        )
    if rec.kind in ("event", "report"):
        titles = rec.values("title")
        title = _name_key(_text(titles[0])) if titles else rec.local_id
        when = (rec.values("startDate") or rec.values("date") or [""])[0]
        return mint(
            rec.kind,
            title,
            when if titles else doc,
            readable=_text(titles[0]) if titles else rec.kind,
        )
    return mint(rec.kind, doc, rec.local_id, readable=rec.kind)


def signatures(doc: str, records: Iterable[Record]) -> list[OrgSignature]:
    """The signature of each organisation record among ``records`` (of document
    ``doc``)."""
    return [OrgSignature.of(doc, r) for r in records if r.kind == "organisation"]


def resolve_document(doc: str, records: list[Record], orgs: Organisations) -> Resolution:
    """Resolve one document's records against the corpus's organisations.

    Returns
    -------
    Resolution
        ``iris`` for this document's records, ``records`` with the facts other
        documents add (an action's partner country read from its institution's country
        elsewhere), the organisations' ``labels``; no findings (they are the corpus's).
    """
    res = Resolution(labels=orgs.labels)
    for rec in records:
        if rec.kind == "organisation":
            res.iris[(doc, rec.local_id)] = orgs.iris[OrgSignature.of(doc, rec)]
    for rec in records:
        if rec.kind != "organisation":
            res.iris[(doc, rec.local_id)] = _entity_key(doc, rec, res)
    out = []
    for rec in records:
        partner = rec.first("partnerInstitution")
        if rec.kind == "action" and partner and rec.first("partnerCountry") is None:
            org = res.iris.get((doc, partner.value[4:]))
            country = orgs.country_of.get(org) if org else None
            if country:
                extra = Fact(
                    "partnerCountry",
                    f"country:{country}",
                    partner.start,
                    partner.end,
                    "institution-country-elsewhere",
                    0.8,
                )
                # the partner country itself is never an expert country
                kept = tuple(
                    f
                    for f in rec.facts
                    if not (f.prop == "expertCountry" and f.value == extra.value)
                )
                rec = Record(rec.kind, rec.local_id, rec.start, rec.end, rec.layout, (*kept, extra))
        out.append(rec)
    res.records[doc] = out
    return res
