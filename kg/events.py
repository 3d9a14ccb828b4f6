"""Events in prose: workshops, seminars, forums, webinars, conferences, study visits.

An event is introduced by a mention of an event noun that has a name ("a workshop
entitled X", "the “X” seminar", "National Forum for Green Jobs in Peru") or a date in
its sentence; a later definite mention ("the workshop", "The Forum") refers back to
the last event of the same type and adds what its sentence says. A sentence holding
several mentions is cut into regions, one per mention, and each fact (date, place,
organisers, sponsors, attendees, attendance figure, programme, theme) goes to the
event whose region holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.dates import MONTHS, Period, find_periods
from kg.draft import Book, Context, Found, Organisations, Span
from kg.gazetteer import find_countries
from kg.mentions import org_list
from kg.sentences import Sentence, cap_phrases
from kg.text import Match, PhraseMatcher, fold, normalise_key
from kg.vocabulary import find_concepts

#: Event nouns (en, es, fr, pt) -> the class of event they name.
EVENT_NOUNS: dict[str, str] = {
    "workshop": "Workshop",
    "seminar-workshop": "Workshop",
    "seminar workshop": "Workshop",
    "training workshop": "Workshop",
    "taller": "Workshop",
    "atelier": "Workshop",
    "oficina de trabalho": "Workshop",
    "seminar": "Seminar",
    "seminario": "Seminar",
    "seminaire": "Seminar",
    "forum": "Forum",
    "foro": "Forum",
    "webinar": "Webinar",
    "webinaire": "Webinar",
    "online seminar": "Webinar",
    "conference": "Conference",
    "conferencia": "Conference",
    "summit": "Conference",
    "congress": "Conference",
    "congreso": "Conference",
    "symposium": "Conference",
    "study visit": "StudyVisit",
    "study tour": "StudyVisit",
    "exchange visit": "StudyVisit",
    "visita de estudio": "StudyVisit",
    "visite d'etude": "StudyVisit",
    "visita de estudo": "StudyVisit",
    "meeting": "Event",
    "launch": "Event",
    "presentation": "Event",
    "event": "Event",
    "round table": "Event",
    "roundtable": "Event",
    "reunion": "Event",
    "encuentro": "Event",
}
#: Cues that introduce a list of organisations with a role in the event.
ROLE_CUES: list[tuple[str, re.Pattern[str], float]] = [
    (
        "organizer",
        re.compile(
            r"\b(?:co-?|jointly\s+)?organi[sz]ed\s+(?:jointly\s+)?by\s+|"
            r"\b(?:hosted|convened|co-hosted)\s+by\s+|"
            r"\b(?:organi[sz]ad[oa]s?|organisee?s?|co-organisee?s?)\s+(?:por|par)"
            r"\s+"
        ),
        1.0,
    ),
    ("organizer", re.compile(r"\bin\s+(?:partnership|collaboration|cooperation)\s+with\s+"), 0.8),
    (
        "sponsor",
        re.compile(
            r"\b(?:with|had|received|has|have|thanks\s+to)\s+(?:the\s+)?"
            r"(?:[a-z-]+\s+){0,2}(?:support|backing|funding)\s+(?:of|from)\s+|"
            r"\b(?:supported|funded|financed|sponsored)\s+by\s+|"
            r"\b(?:con|avec|com)\s+(?:el|l'|o)\s*(?:apoyo|appui|apoio|soutien)\s+"
            r"(?:de|del|da|do|du)\s+|\b(?:financiad[oa]|finance)\s+(?:por|par)\s+"
        ),
        1.0,
    ),
    (
        "attendee",
        re.compile(
            r"\battended\s+by\s+|\b(?:participants|participantes|attendees)"
            r"\s*,?\s+(?:from|included|including|were|dont|incluant|"
            r"incluyendo|entre\s+ellos|among\s+them)\s+|\bbrought\s+together\s+|"
            r"\bgathered\s+|\b(?:taking|took)\s+part\s+(?:included|were)\s+"
        ),
        0.9,
    ),
]
#: An organiser named as the subject: "The Council organised a seminar ...".
_ACTIVE = re.compile(
    r"\b(?:co-?)?(?:organi[sz]ed|hosted|convened|held|co-hosted|organizaron|"
    r"organizo|realizaron|realizo|celebraron|organisent|(?:ont|a)\s+organise"
    r"|organizaram|organizou|realizaram|realizou)\s+(?:a|an|the|its|their|our|"
    r"el|la|los|las|un|una|le|les|une|o|os|um|uma)\s+(?:[\w-]+\s+){0,3}$"
)
_TITLE_CUE = re.compile(
    r"\s*,?\s*(?:entitled|titled|called|named|under\s+the\s+(?:theme|title)"
    r"|on\s+the\s+theme)\s*:?\s*"
)
_QUOTED = re.compile(r"\s*[\"'](?P<q>[^\"\n]{3,200}?)[\"'](?!\w)")
_QUOTED_BEFORE = re.compile(r"[\"'](?P<q>[^\"\n]{3,200}?)[\"']\s+(?:[a-z-]+\s+)?$")
_UNQUOTED_END = re.compile(r"[,;.(]|\s(?:held|which|organi[sz]ed|hosted|that|where|with)\s")
_TOPIC = re.compile(
    r"\s+(?:on|about|of|sur|sobre|de|del|da|do)\s+(?P<t>[a-z][^,;.()]{3,90}?)"
    r"(?=[,;.(]|\s(?:held|which|organi[sz]ed|hosted|that|where|with|from|at|"
    r"in|to|by|on|for\s+the\s+\w+\s+of)\s|$)"
)
_MODIFIERS = re.compile(
    r"(?:^|[^\w-])(?P<m>(?:(?!(?:a|an|the|this|that|its|their|our|in|at|on|"
    r"of|to|and|with|for|by|from|was|were|is|are|un|une|una|uno|um|uma|"
    r"le|la|les|el|los|las|o|os|des|du|del|de)\s)[a-z][\w-]*\s+){0,2})$"
)
_COMPLEMENT = re.compile(
    r"\s+(?:on|about|of|to|with|for)\s+(?P<c>[^,;.()\n]{2,80}?)"
    r"(?=[,;.(\n]|\s(?:held|which|organi[sz]ed|hosted|that|where|took|"
    r"is|was|will|has|from|in|on)\s|$)"
)
_DEFINITE = re.compile(r"\b(?:the|this|that|said)\s+(?:[\w-]+\s+)?$")
_PLACE_CUE = re.compile(r"\b(?:in|at|en|em|visit\s+to|trip\s+to)\s+(?:the\s+city\s+of\s+)?$")
_PRESENTS = re.compile(r"\b(?:presented|launched|validated|unveiled|discussed|released)\b")
_PRESENTATION = {
    "presented": "Presentation",
    "launched": "Launch",
    "validated": "Validation",
    "unveiled": "Launch",
    "discussed": "Discussion",
    "released": "Launch",
}


@dataclass
class _Event:
    rid: str
    cls: str
    key: str


_NOUNS = PhraseMatcher((noun, cls, noun) for noun, cls in EVENT_NOUNS.items())


def _title(ctx: Context, sent: Sentence, m: Match) -> tuple[Span, str, float] | None:
    """The event's name: after "entitled", in quotes, or the capitalised phrase
    around the noun; else the topic after "workshop on"."""
    text, folded = ctx.text, ctx.folded
    cue = _TITLE_CUE.match(folded, m.end, sent.end)
    quoted = _QUOTED.match(folded, cue.end() if cue else m.end, sent.end)
    if quoted:
        return quoted.span("q"), "event-quoted-title", 1.0
    if cue and text[cue.end() : cue.end() + 1].isupper():
        stop = _UNQUOTED_END.search(folded, cue.end(), sent.end)
        end = ctx.until_date(cue.end(), stop.start() if stop else sent.end)
        return (cue.end(), end), "event-entitled", 1.0
    before = _QUOTED_BEFORE.search(folded, max(sent.start, m.start - 120), m.start)
    if before:
        return before.span("q"), "event-quoted-title", 1.0
    named = _named(ctx, sent, m)
    if named:
        return named, "event-named", 0.9
    topic = _TOPIC.match(folded, m.end, sent.end)
    if topic and not re.match(r"[\d(]", topic.group("t")) and len(topic.group("t").split()) > 1:
        return (m.start, topic.end("t")), "event-noun-topic", 0.7
    return None


def _named(ctx: Context, sent: Sentence, m: Match) -> Span | None:
    """The capitalised phrase holding a capitalised event noun, without a leading
    article or a trailing month ("Paris Climate Change Conference")."""
    text = ctx.text
    if not text[m.start].isupper():
        return None
    for a, b in cap_phrases(text, sent.start, sent.end, allow_in=True):
        if a <= m.start and m.end <= b:
            words = list(re.finditer(r"\S+", text[a:b]))
            for i, w in enumerate(words):
                if fold(w.group()).rstrip(".,") in MONTHS or w.group()[:1].isdigit():
                    cut = words[i - 1] if i and fold(words[i - 1].group()) in ("in", "of") else w
                    b = a + cut.start() - 1
                    break
            if a <= m.start and m.end <= b and len(text[a:b].split()) >= 2:
                return a, b
    return None


def _regions(sent: Sentence, mentions: list[Match]) -> list[Span]:
    """The part of the sentence each mention owns."""
    return [
        (
            sent.start if i == 0 else m.start,
            mentions[i + 1].start if i + 1 < len(mentions) else sent.end,
        )
        for i, m in enumerate(mentions)
    ]


def _periods(ctx: Context, region: Span) -> list[Period]:
    return list(
        find_periods(ctx.text, start=region[0], end=region[1], year=ctx.year, folded=ctx.folded)
    )


class _Events:
    """The events of one document, in the order they are introduced."""

    def __init__(self, ctx: Context, book: Book, orgs: Organisations, found: Found) -> None:
        self.ctx, self.book, self.orgs, self.found = ctx, book, orgs, found
        self.events: list[_Event] = []
        self.last: tuple[_Event, Sentence] | None = None

    def read(self, sent: Sentence) -> None:
        """Read one sentence: resolve its event mentions and attach its facts."""
        mentions = [
            m
            for m in _NOUNS.find(
                self.ctx.text, start=sent.start, end=sent.end, folded=self.ctx.folded
            )
            if not self._in_body_name(sent, m)
        ]
        if not mentions:
            self._follow_on(sent)
            return
        self.last = None
        for m, region in zip(mentions, _regions(sent, mentions), strict=True):
            event = self._resolve(sent, m, region)
            if event is not None:
                self._attach(event, m, region)
                self.last = event, sent

    def _follow_on(self, sent: Sentence) -> None:
        """A sentence naming no event, right after one in the same paragraph, may still
        list its participants or organisers ("Participants included ...")."""
        if self.last is None or "\n" in self.ctx.text[self.last[1].end : sent.start]:
            self.last = None
            return
        event = self.last[0]
        self._roles(event, (sent.start, sent.end), 0.8)
        self._figures(event, (sent.start, sent.end), 0.8)
        self.last = event, sent

    def _in_body_name(self, sent: Sentence, m: Match) -> bool:
        """Whether the noun is part of an organisation's name ("Trades Union Congress")."""
        named = _named(self.ctx, sent, m)
        if named is None:
            return False
        return any(
            k.start <= m.start and m.end <= k.end and (k.start, k.end) != (m.start, m.end)
            for k in find_concepts(
                "orgkind", self.ctx.text, start=named[0], end=named[1], folded=self.ctx.folded
            )
        )

    def _resolve(self, sent: Sentence, m: Match, region: Span) -> _Event | None:
        folded = self.ctx.folded
        title = _title(self.ctx, sent, m)
        if sent.heading and (title is None or title[1] == "event-noun-topic"):
            return None  # a headline's "a workshop on X" is the event the text reports
        plural = len(re.sub(r"[\s-]+", " ", folded[m.start : m.end])) > len(m.kind)
        if title:
            (a, b), rule, conf = title
            key = normalise_key(self.ctx.text[a:b])
            same = next((e for e in self.events if e.key == key), None)
            if same:
                return same
            if plural and rule == "event-noun-topic":
                return None
            event = self._new(m, key)
            self.book.add(event.rid, "title", f"text:{self.ctx.text[a:b]}", (a, b), rule, conf)
            return event
        if plural:
            return None
        dated = any(len(p.start) >= 7 for p in _periods(self.ctx, region))
        if _DEFINITE.search(folded, max(0, m.start - 30), m.start):
            earlier = [e for e in self.events if m.value in (e.cls, "Event")]
            if earlier:
                return earlier[-1]
        return self._new(m, "") if dated else None

    def _new(self, m: Match, key: str) -> _Event:
        event = _Event(self.book.new("event", (m.start, m.end)), m.value, key)
        self.book.add(event.rid, "type", f"class:{m.value}", (m.start, m.end), "event-noun")
        self.events.append(event)
        return event

    def _attach(self, event: _Event, m: Match, region: Span) -> None:
        self._dates(event, m, region)
        self._places(event, region)
        self._roles(event, region)
        self._subject(event, m, region)
        self._figures(event, region)
        rid, book = event.rid, self.book
        for span, _, slug in self.found.programmes:
            if slug and region[0] <= span[0] < region[1]:
                book.add(rid, "programme", f"programme:{slug}", span, "event-programme", 0.8)
        for c in find_concepts(
            "theme", self.ctx.text, start=region[0], end=region[1], folded=self.ctx.folded
        ):
            book.add(rid, "theme", f"theme:{c.value}", (c.start, c.end), "event-theme", 0.8)

    def _figures(self, event: _Event, region: Span, weight: float = 1.0) -> None:
        for fig, fid in self.found.figures:
            if region[0] <= fig.start < region[1] and fig.counts_people:
                self.book.add(
                    event.rid, "figure", f"ref:{fid}", (fig.start, fig.end), "event-figure", weight
                )

    def _dates(self, event: _Event, m: Match, region: Span) -> None:
        if self.book.values(event.rid, "startDate"):
            return
        periods = _periods(self.ctx, region)
        if not periods:
            return
        p = min(periods, key=lambda p: (p.span_start < m.start, abs(p.span_start - m.end)))
        span = (p.span_start, p.span_end)
        self.book.add(event.rid, "startDate", f"date:{p.start}", span, "event-date")
        self.book.add(event.rid, "endDate", f"date:{p.end}", span, "event-date")

    def _places(self, event: _Event, region: Span) -> None:
        text, folded = self.ctx.text, self.ctx.folded
        spans = [region, *((f.start, f.end) for f in self.book.facts(event.rid, "title"))]
        for i, (a, b) in enumerate(spans):
            for c in find_countries(text, start=a, end=b, folded=folded):
                cued = (
                    i > 0
                    or _PLACE_CUE.search(folded, max(0, c.start - 20), c.start)
                    or text[max(0, c.start - 2) : c.start] == "à "
                )
                if not cued or c.kind == "demonym":
                    continue
                rule = "event-place-in-title" if i else "event-place"
                if c.kind == "place":
                    self.book.add(
                        event.rid,
                        "location",
                        f"text:{text[c.start : c.end]}",
                        (c.start, c.end),
                        rule,
                        0.9,
                    )
                self.book.add(
                    event.rid, "country", f"country:{c.alpha2}", (c.start, c.end), rule, 0.9
                )

    def _subject(self, event: _Event, m: Match, region: Span) -> None:
        """The organisers named as the subject of "organised a workshop"."""
        verb = _ACTIVE.search(self.ctx.folded, region[0], m.start)
        if verb is None:
            return
        for name in org_list(self.ctx.text, region[0], verb.start()):
            rid = self.orgs.named(name)
            self.book.add(
                event.rid,
                "organizer",
                f"ref:{rid}",
                (name.start, name.end),
                "event-organizer-subject",
                0.9,
            )

    def _roles(self, event: _Event, region: Span, weight: float = 1.0) -> None:
        folded = self.ctx.folded
        cues = sorted(
            (c.start(), c.end(), prop, conf)
            for prop, rx, conf in ROLE_CUES
            for c in rx.finditer(folded, region[0], region[1])
        )
        for i, (_, end, prop, conf) in enumerate(cues):
            stop = cues[i + 1][0] if i + 1 < len(cues) else region[1]
            for name in org_list(self.ctx.text, end, stop):
                rid = self.orgs.named(name)
                self.book.add(
                    event.rid,
                    prop,
                    f"ref:{rid}",
                    (name.start, name.end),
                    f"event-{prop}-list",
                    conf * weight,
                )

    def finish(self) -> None:
        """Name untitled events after the report they present, and link every event to
        the action codes the document names (a candidate link)."""
        for event in self.events:
            if not self.book.values(event.rid, "title"):
                self._report_title(event)
            if not self.book.values(event.rid, "title"):
                self._noun_phrase_title(event)
            for code, span in self.found.codes:
                self.book.add(
                    event.rid, "forAction", f"code:{code}", span, "event-document-action-code", 0.6
                )

    def _noun_phrase_title(self, event: _Event) -> None:
        """Name an event still untitled by its noun phrase as written: the noun with up to
        two modifiers before it and a complement after it ("study visit to Lisbon")."""
        folded = self.ctx.folded
        a, b = self.book.span(event.rid)
        before = _MODIFIERS.search(folded, max(0, a - 40), a)
        start = before.start("m") if before and before.group("m") else a
        after = _COMPLEMENT.match(folded, b)
        end = after.end("c") if after else b
        self.book.add(
            event.rid,
            "title",
            f"text:{self.ctx.text[start:end]}",
            (start, end),
            "event-noun-phrase",
            0.5,
        )

    def _report_title(self, event: _Event) -> None:
        a = self.book.span(event.rid)[0]
        for _, title, sentences in self.found.reports:
            for sa, sb in sentences:
                verb = _PRESENTS.search(self.ctx.folded, sa, sb)
                if sa <= a < sb and verb:
                    value = f"{_PRESENTATION[verb.group()]} of the report ‘{title}’"
                    self.book.add(
                        event.rid,
                        "title",
                        f"text:{value}",
                        verb.span(),
                        "event-report-presentation",
                        0.7,
                    )
                    return


def find_events(ctx: Context, book: Book, orgs: Organisations, found: Found) -> None:
    """Add the events of the document's prose to ``book``."""
    events = _Events(ctx, book, orgs, found)
    for sent in ctx.sentences:
        events.read(sent)
    events.finish()
