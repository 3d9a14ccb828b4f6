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
from collections.abc import Mapping
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


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Key, Key] = {}

    def find(self, x: Key) -> Key:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


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


def _org_clusters(orgs: dict[Key, Record]) -> tuple[_UnionFind, dict[Key, Counter[str]]]:
    countries: dict[Key, Counter[str]] = {}
    names: dict[Key, set[str]] = {}
    for key, rec in orgs.items():
        countries[key] = Counter()
        for f in rec.facts:
            if f.prop == "country":
                countries[key][f.value.split(":", 1)[1]] += f.confidence
        names[key] = {
            _name_key(_text(f.value)) for f in rec.facts if f.prop in ("name", "altName")
        } - {""}
    rep = _canonical_keys({n for ns in names.values() for n in ns})
    uf = _UnionFind()
    buckets: dict[str, list[Key]] = defaultdict(list)
    for key in sorted(orgs):
        uf.find(key)
        for n in names[key]:
            buckets[rep[n]].append(key)
    for members in buckets.values():
        known = {c for m in members for c in countries[m]}
        if len(known) <= 1:
            for m in members[1:]:
                uf.union(members[0], m)
        else:
            for country in sorted(known):
                same = [m for m in members if country in countries[m]]
                for m in same[1:]:
                    uf.union(same[0], m)
    by_acronym: dict[tuple[str, str], list[Key]] = defaultdict(list)
    for key, rec in sorted(orgs.items()):
        for acronym in rec.values("acronym"):
            for country in countries[key]:
                by_acronym[(_text(acronym).upper(), country)].append(key)
    for members in by_acronym.values():
        for m in members[1:]:
            uf.union(members[0], m)
    return uf, countries


def _resolve_organisations(
    records: Mapping[str, list[Record]], res: Resolution
) -> dict[URIRef, str]:
    orgs = {
        (doc, r.local_id): r
        for doc, recs in records.items()
        for r in recs
        if r.kind == "organisation"
    }
    uf, countries = _org_clusters(orgs)
    clusters: dict[Key, list[Key]] = defaultdict(list)
    for key in sorted(orgs):
        clusters[uf.find(key)].append(key)
    country_of: dict[URIRef, str] = {}
    for members in clusters.values():
        votes: Counter[str] = Counter()
        for m in members:
            votes.update(countries[m])
        names = Counter(_text(f.value) for m in members for f in orgs[m].facts if f.prop == "name")
        canonical = min(names, key=lambda n: (-names[n], len(n), n)) if names else members[0][1]
        country = min(votes, key=lambda c: (-votes[c], c)) if votes else ""
        iri = mint("organisation", country, _name_key(canonical), readable=canonical)
        for m in members:
            res.iris[m] = iri
        res.labels[iri] = canonical
        if country:
            country_of[iri] = country
        if len(votes) > 1:
            docs = tuple(sorted({m[0] for m in members}))
            res.findings.append(
                Finding(
                    "country-conflict",
                    iri,
                    f"{canonical}: documents give the countries "
                    + ", ".join(f"{c} ({votes[c]:g})" for c in sorted(votes))
                    + f"; kept {country}",
                    docs,
                )
            )
    return country_of


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


def resolve(records: Mapping[str, list[Record]]) -> Resolution:
    """Give every record of every document its IRI and add what other documents say.

    Parameters
    ----------
    records
        Document name -> the records extracted from it.

    Returns
    -------
    Resolution
        ``iris`` maps (document, local id) to IRIs; ``records`` holds each document's
        records with facts derived from other documents added (an action's partner
        country read from its institution's country elsewhere); ``findings`` the
        conflicts met.
    """
    res = Resolution()
    country_of = _resolve_organisations(records, res)
    for doc in sorted(records):
        for rec in records[doc]:
            if rec.kind != "organisation":
                res.iris[(doc, rec.local_id)] = _entity_key(doc, rec, res)
    for doc in sorted(records):
        out = []
        for rec in records[doc]:
            partner = rec.first("partnerInstitution")
            if rec.kind == "action" and partner and rec.first("partnerCountry") is None:
                org = res.iris.get((doc, partner.value[4:]))
                country = country_of.get(org) if org else None
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
                    rec = Record(
                        rec.kind, rec.local_id, rec.start, rec.end, rec.layout, (*kept, extra)
                    )
            out.append(rec)
        res.records[doc] = out
    res.findings.sort(key=lambda f: (f.kind, str(f.about)))
    return res
