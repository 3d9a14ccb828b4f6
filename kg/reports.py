"""Reports in prose: studies, guides, fact sheets, with their titles, dates, publishers.

A report is found by its title: quoted next to a report noun ("the ‘X’ report", "a
study entitled “X”"), after "entitled" ("a guide entitled X,"), or on a heading line
labelled with a report noun ("Fact sheet: X"). A later "the report" refers back to it;
the sentences that do give its date ("presented on 18 May 2021"), its publisher
("prepared by ...") and themes. A heading line that repeats a report's title in
another language ("Estudio de ...", a download link) becomes an alternative title.
"""

from __future__ import annotations

import re

from kg.dates import find_periods
from kg.draft import Book, Context, Found, Organisations, Span
from kg.gazetteer import find_countries
from kg.mentions import org_list
from kg.sentences import Sentence, guess_language, word_set
from kg.text import fold
from kg.vocabulary import find_concepts

#: Report nouns (folded).
REPORT_NOUNS = (
    "report",
    "study",
    "publication",
    "guide",
    "guidebook",
    "handbook",
    "manual",
    "toolkit",
    "fact sheet",
    "factsheet",
    "policy brief",
    "brief",
    "assessment",
    "working paper",
    "diagnostic",
    "informe",
    "estudio",
    "guia",
    "rapport",
    "etude",
    "relatorio",
    "estudo",
)
#: Heading labels naming a publication of its own: the label is part of its title ("Fact
#: sheet: X" is not X itself, "Full report (Spanish): X" is).
OWN_TITLE_LABELS = ("fact sheet", "factsheet", "brief", "summary", "infographic")
_NOUN = "(?:" + "|".join(sorted(REPORT_NOUNS, key=len, reverse=True)) + ")s?"
_QUOTE = r"[\"'](?P<q>[^\"\n]{3,200}?)[\"'](?!\w)"
_PATTERNS = [
    (
        "report-quoted-title",
        re.compile(
            r"\b(?:the|a|an|its|their|new|latest)\s+(?:[a-z-]+\s+)?"
            + _QUOTE
            + r"\s+"
            + _NOUN
            + r"\b"
        ),
    ),
    (
        "report-quoted-title",
        re.compile(
            r"\b" + _NOUN + r"\s*,?\s*(?:(?:entitled|titled|called|named)\s*:?\s*)?" + _QUOTE
        ),
    ),
    (
        "report-entitled",
        re.compile(
            r"\b" + _NOUN + r"\s*,?\s*(?:entitled|titled)\s+(?P<u>[^,;.()\"']{3,200}?)"
            r"(?=[,;.(]|\s(?:was|is|which|that|has|will)\s|$)"
        ),
    ),
]
_LABEL = re.compile(
    r"(?P<label>(?:[\w-]+\s+){0,2}(?:" + _NOUN + r"|downloads?)"
    r"(?:\s*\([^)]{1,30}\))?)\s*:\s*(?P<rest>\S.{2,200})$"
)
_REST = re.compile(r"[\"']?(?P<t>[^\"(]{3,200}?)[\"']?\s*(?:\((?P<tr>[^()]{3,200})\))?\s*$")
_LANGUAGE_TITLE = re.compile(
    r"\b(?:spanish|french|portuguese|english|original)\s+(?:title|"
    r"version)\s*:?\s*" + _QUOTE
)
_ANAPHOR = re.compile(r"\b(?:the|this|that|its)\s+(?:[a-z-]+\s+)?" + _NOUN + r"\b")
#: Verbs that date a report -> the rule and its confidence (a launch may follow the
#: publication by some days).
_DATE_VERBS = {
    **dict.fromkeys(("published", "issued", "publicado", "publie"), ("report-date-published", 1.0)),
    **dict.fromkeys(
        (
            "released",
            "launched",
            "presented",
            "unveiled",
            "validated",
            "presentado",
            "lanzado",
            "presente",
        ),
        ("report-date-launch", 0.8),
    ),
}
_DATE_VERB = re.compile(r"\b(?:" + "|".join(_DATE_VERBS) + r")\b")
_PUBLISHER = re.compile(
    r"\b(?P<v>published|prepared|produced|conducted|developed|written|"
    r"commissioned|carried out|elaborated|authored)\s+(?:jointly\s+)?"
    r"(?:by|through)\s+"
)
_PUBLISHED = re.compile(
    r"\b(?:published|issued|released|produced|publico|publie)\s+(?:a|an|the|"
    r"its|their|new|un|una|une|le|la|el|o|um|uma)\s+(?:[\w-]+\s+){0,2}" + _NOUN + r"\b"
)
_SMALL = word_set(
    "the of and in for to on with from by a an de del la el los las y en para"
    " le les des du et pour da do das dos e em"
)


def _content(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", fold(text)) if len(w) > 2 and w not in _SMALL]


def similarity(a: str, b: str) -> tuple[float, int]:
    """How alike two titles are across languages: the share of content words that match
    on their first five letters ("conceptualizacion" ~ "conceptualization"), and how
    many match.

    Examples
    --------
    >>> similarity("Skills for green jobs in Ghana", "Competencias para empleos verdes en Ghana")
    (0.25, 1)
    """
    wa, wb = _content(a), _content(b)
    if not wa or not wb:
        return 0.0, 0
    hits = sum(any(x[:5] == y[:5] for y in wb) for x in wa)
    return hits / max(len(wa), len(wb)), hits


class _Reports:
    def __init__(self, ctx: Context, book: Book, orgs: Organisations, found: Found) -> None:
        self.ctx, self.book, self.orgs, self.found = ctx, book, orgs, found
        self.body: list[tuple[str, str, list[Span]]] = []

    def read(self, sent: Sentence) -> None:
        """Read one sentence: new reports by title, or "the report" referring back."""
        text, folded = self.ctx.text, self.ctx.folded
        if sent.heading:
            self._heading(sent)
            return
        new = False
        for rule, rx in _PATTERNS:
            for m in rx.finditer(folded, sent.start, sent.end):
                group = "q" if "q" in rx.groupindex else "u"
                a, b = m.span(group)
                if rule == "report-entitled":
                    if not text[a].isupper():
                        continue
                    b = self.ctx.until_date(a, b)
                if not self._is_alternative(m.start(), sent):
                    self._new(text[a:b], (a, b), rule, sent)
                    new = True
        if not new and self.body and _ANAPHOR.search(folded, sent.start, sent.end):
            self.body[-1][2].append((sent.start, sent.end))

    def _is_alternative(self, a: int, sent: Sentence) -> bool:
        """Whether the title at ``a`` is given as another language's ("Spanish title: X")."""
        alt = _LANGUAGE_TITLE.search(self.ctx.folded, max(sent.start, a - 20), sent.end)
        if alt is None or not self.body or alt.start("q") - a > 40:
            return False
        qa, qb = alt.span("q")
        lang = guess_language(self.ctx.text[qa:qb], default=self.ctx.language)
        self._title(self.body[-1][0], lang, (qa, qb), "report-language-title", 1.0)
        return True

    def _same(self, title: str) -> tuple[str, str, list[Span]] | None:
        """The report already read one of whose titles is ``title``."""
        key = fold(title)
        return next(
            (
                r
                for r in self.body
                if any(fold(v.split(":", 2)[2]) == key for v in self.book.values(r[0], "title"))
            ),
            None,
        )

    def _new(
        self, title: str, span: Span, rule: str, sent: Sentence | None, *, body: bool = True
    ) -> str:
        same = self._same(title)
        if same is not None:
            if sent is not None:
                same[2].append((sent.start, sent.end))
            return same[0]
        rid = self.book.new("report", span)
        lang = guess_language(title, default=self.ctx.language)
        self.book.add(rid, "title", f"lang:{lang}:{title}", span, rule)
        for c in find_countries(self.ctx.text, start=span[0], end=span[1], folded=self.ctx.folded):
            self.book.add(
                rid, "country", f"country:{c.alpha2}", (c.start, c.end), "report-title-country"
            )
        for c in find_concepts(
            "theme", self.ctx.text, start=span[0], end=span[1], folded=self.ctx.folded
        ):
            self.book.add(rid, "theme", f"theme:{c.value}", (c.start, c.end), "report-theme")
        if body:
            self.body.append((rid, title, [(sent.start, sent.end)] if sent else []))
        return rid

    def _heading(self, sent: Sentence) -> None:
        """A heading "Label: Title (Translation)" names a report; an unlabelled heading
        may repeat a report's title in another language."""
        text, folded = self.ctx.text, self.ctx.folded
        m = _LABEL.match(folded, sent.start, sent.end)
        if m is None:
            if sent.start != self._first_line():
                self._alternative(sent.start, sent.end)
            return
        if any(w in m.group("label") for w in OWN_TITLE_LABELS):
            self._new(
                text[sent.start : sent.end],
                (sent.start, sent.end),
                "report-heading-label",
                None,
                body=False,
            )
            return
        rest = _REST.match(folded, m.start("rest"), sent.end)
        a, b = rest.span("t") if rest else m.span("rest")
        if self._alternative(a, b):
            return
        rid = self._new(text[a:b], (a, b), "report-heading-label", None)
        if rest and rest.group("tr"):
            ta, tb = rest.span("tr")
            lang = guess_language(text[ta:tb], default=self.ctx.language)
            self._title(rid, lang, (ta, tb), "report-heading-translation", 0.9)

    def _alternative(self, a: int, b: int) -> bool:
        """Take ``text[a:b]`` for a title in another language of the report it resembles
        (a report keeps one title per language)."""
        line = self.ctx.text[a:b]
        lang = guess_language(line, default=self.ctx.language)
        best = max(
            (
                (similarity(line, t), rid)
                for rid, t, _ in self.body
                if guess_language(t, default=self.ctx.language) != lang
            ),
            default=None,
        )
        if best is None or best[0][0] < 0.4 or best[0][1] < 2:
            return False
        self._title(best[1], lang, (a, b), "report-alternative-title", 0.8)
        return True

    def _title(self, rid: str, lang: str, span: Span, rule: str, confidence: float) -> None:
        """Add a title in ``lang`` unless the report has one in that language."""
        if not any(v.startswith(f"lang:{lang}:") for v in self.book.values(rid, "title")):
            text = self.ctx.text[span[0] : span[1]]
            self.book.add(rid, "title", f"lang:{lang}:{text}", span, rule, confidence)

    def _first_line(self) -> int:
        return self.ctx.sentences[0].start if self.ctx.sentences else -1

    def finish(self) -> None:
        """Dates, publishers and themes from the sentences that speak of each report."""
        for rid, title, sentences in self.body:
            for a, b in sentences:
                for fig, fid in self.found.figures:
                    if a <= fig.start < b:
                        self.book.add(
                            rid, "figure", f"ref:{fid}", (fig.start, fig.end), "report-figure", 0.8
                        )
                self._date(rid, a, b)
                self._publisher(rid, a, b)
                for c in find_concepts(
                    "theme", self.ctx.text, start=a, end=b, folded=self.ctx.folded
                ):
                    self.book.add(
                        rid,
                        "theme",
                        f"theme:{c.value}",
                        (c.start, c.end),
                        "report-theme-sentence",
                        0.8,
                    )
            self.found.reports.append((rid, title, sentences))

    def _date(self, rid: str, a: int, b: int) -> None:
        verb = _DATE_VERB.search(self.ctx.folded, a, b)
        if verb is None or self.book.values(rid, "date"):
            return
        for p in find_periods(
            self.ctx.text, start=verb.end(), end=b, year=self.ctx.year, folded=self.ctx.folded
        ):
            rule, confidence = _DATE_VERBS[verb.group()]
            self.book.add(
                rid, "date", f"date:{p.start}", (p.span_start, p.span_end), rule, confidence
            )
            return

    def _publisher(self, rid: str, a: int, b: int) -> None:
        verb = _PUBLISHED.search(self.ctx.folded, a, b)
        for name in org_list(self.ctx.text, a, verb.start()) if verb else []:
            org = self.orgs.named(name)
            self.book.add(
                rid,
                "publisher",
                f"ref:{org}",
                (name.start, name.end),
                "report-publisher-subject",
                0.9,
            )
        for cue in _PUBLISHER.finditer(self.ctx.folded, a, b):
            conf = 1.0 if cue.group("v") == "published" else 0.8
            for name in org_list(self.ctx.text, cue.end(), b):
                org = self.orgs.named(name)
                self.book.add(
                    rid, "publisher", f"ref:{org}", (name.start, name.end), "report-publisher", conf
                )


def find_reports(ctx: Context, book: Book, orgs: Organisations, found: Found) -> None:
    """Add the reports of the document's prose to ``book`` and to ``found.reports``."""
    reports = _Reports(ctx, book, orgs, found)
    for sent in ctx.sentences:
        reports.read(sent)
    reports.finish()
