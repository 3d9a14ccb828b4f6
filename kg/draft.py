"""The working state of one document's prose extraction.

:class:`Context` is what every rule reads (the text, its sentences, the year and the
main country of the document); :class:`Book` is where the rules write (records under
construction, with their facts); :class:`Organisations` gives one record per
organisation however often and however it is named.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kg.dates import find_periods
from kg.documents import Document
from kg.figures import Figure
from kg.gazetteer import CountryMention, find_countries
from kg.mentions import NATIONAL_KINDS, Known, Name, find_known, org_kind
from kg.records import Fact, Record
from kg.segment import Segment
from kg.sentences import Sentence, guess_language, split_sentences
from kg.text import fold, normalise_key

Span = tuple[int, int]
_BEFORE_DATE = re.compile(
    r"\s*(?:,\s*)?(?:\b(?:in|on|from|since|of|en|el|le|du|del|de|des|em|"
    r"no|na)\s+)?$"
)


@dataclass(frozen=True)
class Context:
    """A document's prose as the rules see it."""

    doc: Document
    folded: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[CountryMention, ...]
    year: int | None
    country: str | None
    language: str

    @property
    def text(self) -> str:
        """The document text every span points into."""
        return self.doc.text

    def until_date(self, start: int, end: int) -> int:
        """Where an unquoted title ``text[start:end]`` ends: before the first date in it
        and the preposition that introduces the date ("... Sites in March 2020")."""
        for p in find_periods(self.text, start=start, end=end, folded=self.folded):
            cut = _BEFORE_DATE.search(self.folded, start, p.span_start)
            return max(start, cut.start() if cut else p.span_start)
        return end


def read_context(doc: Document, segments: list[Segment]) -> Context:
    """The sentences of the prose ``segments`` of ``doc`` and what they say overall:
    the year most dates give, the country most often named, the language."""
    text, folded = doc.text, fold(doc.text)
    sentences = tuple(
        s
        for seg in segments
        if seg.layout == "prose"
        for line in seg.lines
        for s in split_sentences(text, line.start, line.end)
    )
    mentions = tuple(
        m for s in sentences for m in find_countries(text, start=s.start, end=s.end, folded=folded)
    )
    years = Counter(
        int(p.start[:4])
        for s in sentences
        for p in find_periods(text, start=s.start, end=s.end, folded=folded)
    )
    countries = Counter(m.alpha2 for m in mentions)
    first = {m.alpha2: i for i, m in reversed(list(enumerate(mentions)))}
    prose = " ".join(text[s.start : s.end] for s in sentences if not s.heading)
    return Context(
        doc=doc,
        folded=folded,
        sentences=sentences,
        mentions=mentions,
        year=min(years, key=lambda y: (-years[y], -y)) if years else None,
        country=min(countries, key=lambda c: (-countries[c], first[c])) if countries else None,
        language=guess_language(prose[:3000]),
    )


@dataclass
class _Draft:
    kind: str
    start: int
    end: int
    facts: list[Fact] = field(default_factory=list)
    keys: set[tuple[str, str]] = field(default_factory=set)


#: Facts that point elsewhere in the document, so do not widen their record's span.
_LINKS = frozenset({"forAction"})


class Book:
    """Records under construction, in creation order; local ids ``p.<kind><n>``."""

    def __init__(self) -> None:
        self._drafts: dict[str, _Draft] = {}
        self._counts: Counter[str] = Counter()

    def new(self, kind: str, span: Span, *, local_id: str | None = None) -> str:
        """Open a record of ``kind`` found at ``span``; return its local id."""
        self._counts[kind] += 1
        rid = local_id or f"p.{kind}{self._counts[kind]}"
        self._drafts[rid] = _Draft(kind, *span)
        return rid

    def add(
        self, rid: str, prop: str, value: str, span: Span, rule: str, confidence: float = 1.0
    ) -> None:
        """Add a fact to record ``rid`` unless it already has ``prop`` = ``value``."""
        draft = self._drafts[rid]
        if (prop, value) in draft.keys:
            return
        draft.keys.add((prop, value))
        draft.facts.append(Fact(prop, value, span[0], span[1], rule, round(confidence, 3)))

    def values(self, rid: str, prop: str) -> list[str]:
        """The values of ``prop`` on record ``rid``."""
        return [f.value for f in self._drafts[rid].facts if f.prop == prop]

    def facts(self, rid: str, prop: str) -> list[Fact]:
        """The facts with property ``prop`` on record ``rid``."""
        return [f for f in self._drafts[rid].facts if f.prop == prop]

    def span(self, rid: str) -> Span:
        """The span record ``rid`` was found at."""
        return self._drafts[rid].start, self._drafts[rid].end

    def ids(self, kind: str) -> list[str]:
        """The local ids of the records of ``kind``, in creation order."""
        return [rid for rid, d in self._drafts.items() if d.kind == kind]

    def records(self) -> list[Record]:
        """The finished records (only those with facts), spans covering their facts."""
        out = []
        for rid, d in self._drafts.items():
            if not d.facts:
                continue
            own = [f for f in d.facts if f.prop not in _LINKS]
            start = min(d.start, *(f.start for f in own))
            end = max(d.end, *(f.end for f in own))
            out.append(Record(d.kind, rid, start, end, "prose", tuple(d.facts)))
        return out


@dataclass
class Found:
    """What earlier rules found that later ones link to: figures, programme mentions,
    reports (with the sentences that speak of them) and action codes."""

    figures: list[tuple[Figure, str]] = field(default_factory=list)
    programmes: list[tuple[Span, str, str]] = field(default_factory=list)
    reports: list[tuple[str, str, list[Span]]] = field(default_factory=list)
    codes: list[tuple[str, Span]] = field(default_factory=list)


_POSSESSIVE = re.compile(r"([A-Z][\w ]{1,40}?)['’]s\s+$")


class Organisations:
    """One organisation record per organisation, found by its key (normalised name,
    acronym or gazetteer slug)."""

    def __init__(self, ctx: Context, book: Book) -> None:
        self.ctx, self.book = ctx, book
        self._by_key: dict[str, str] = {}

    def lookup(self, span: Span) -> str | None:
        """The record already holding the name or acronym ``text[span]``."""
        return self._by_key.get(normalise_key(self.ctx.text[span[0] : span[1]]))

    def known(self, k: Known, rule: str) -> str:
        """The record of the gazetteer organisation (or programme acting as one) ``k``."""
        entry, span = k.entry, (k.start, k.end)
        key = f"#{entry.table}/{entry.slug}"
        rid = self._by_key.get(key)
        if rid is None:
            rid = self.book.new("organisation", span)
            for alias in (
                key,
                normalise_key(entry.name),
                normalise_key(entry.acronym),
                *(normalise_key(a) for a in entry.aliases),
            ):
                if alias:
                    self._by_key.setdefault(alias, rid)
            self.book.add(rid, "name", f"lang:en:{entry.name}", span, rule)
            if entry.kind:
                self.book.add(rid, "classification", f"orgkind:{entry.kind}", span, rule)
            if entry.country:
                self.book.add(rid, "country", f"country:{entry.country}", span, rule)
        surface = self.ctx.text[k.start : k.end]
        if k.acronym:
            self.book.add(rid, "acronym", f"text:{surface}", span, rule)
        elif surface != entry.name:
            lang = guess_language(surface, default="en")
            self.book.add(rid, "altName", f"lang:{lang}:{surface}", span, rule)
        return rid

    def named(self, name: Name, confidence: float = 1.0) -> str:
        """The record of the organisation ``name`` (a pattern's find)."""
        text = self.ctx.text
        span = (name.start, name.end)
        keys = [normalise_key(text[name.start : name.end])]
        if name.acronym:
            keys.append(normalise_key(text[name.acronym[0] : name.acronym[1]]))
        rid = next((self._by_key[k] for k in keys if k in self._by_key), None)
        known = next(
            (
                k
                for k in find_known(text, start=name.start, end=name.end, folded=self.ctx.folded)
                if (k.start, k.end) == span
            ),
            None,
        )
        if known is not None:
            rid = self.known(known, "organisation-gazetteer")
        elif rid is None:
            rid = self.book.new("organisation", span)
            surface = text[name.start : name.end]
            acronym_only = name.acronym is None and surface.isupper() and " " not in surface
            prop = "acronym" if acronym_only else "name"
            value = (
                f"text:{surface}"
                if acronym_only
                else f"lang:{guess_language(surface, default=self.ctx.language)}:{surface}"
            )
            self.book.add(rid, prop, value, span, name.rule, confidence)
            self._country(rid, span, name.rule)
            kind = org_kind(text, *span)
            if kind:
                self.book.add(rid, "classification", f"orgkind:{kind}", span, name.rule)
        if name.acronym:
            acr = text[name.acronym[0] : name.acronym[1]]
            self.book.add(rid, "acronym", f"text:{acr}", name.acronym, name.rule)
        for k in keys:
            self._by_key.setdefault(k, rid)
        return rid

    def _country(self, rid: str, span: Span, rule: str) -> None:
        """The country a name says: "Kenya's Ministry...", "Ministry ... of Kenya"."""
        text = self.ctx.text
        before = _POSSESSIVE.search(text, max(0, span[0] - 42), span[0])
        for m in (
            find_countries(text, start=before.start(1), end=before.end(1), folded=self.ctx.folded)
            if before
            else []
        ):
            self.book.add(
                rid,
                "country",
                f"country:{m.alpha2}",
                (m.start, m.end),
                "organisation-country-possessive",
            )
            return
        for m in find_countries(text, start=span[0], end=span[1], folded=self.ctx.folded):
            self.book.add(
                rid,
                "country",
                f"country:{m.alpha2}",
                (m.start, m.end),
                "organisation-country-in-name",
            )
            return

    def finish(self) -> None:
        """Give a national body named with no country the document's main country."""
        if self.ctx.country is None:
            return
        for rid in self.book.ids("organisation"):
            kinds = {v.split(":", 1)[1] for v in self.book.values(rid, "classification")}
            if kinds & NATIONAL_KINDS and not self.book.values(rid, "country"):
                self.book.add(
                    rid,
                    "country",
                    f"country:{self.ctx.country}",
                    self.book.span(rid),
                    "organisation-country-context",
                    0.6,
                )
