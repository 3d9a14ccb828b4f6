"""Extract: the prose segments of a document -> Records of what the prose speaks of.

News pages, report pages and programme pages name organisations, programmes, stated
figures, reports and events, and the document as a whole has themes, countries,
action codes and a date. Every fact carries the span of the words it came from and the
rule that read it. The rules live in :mod:`kg.mentions` (organisations, programmes),
:mod:`kg.figures`, :mod:`kg.reports` and :mod:`kg.events`; this module runs them in
order and adds the document-level facts.

Local ids: ``doc`` for the document, ``p.<kind><n>`` for the rest.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter

from kg.dates import find_periods
from kg.documents import Document
from kg.draft import Book, Context, Found, Organisations, read_context
from kg.events import find_events
from kg.figures import find_figures
from kg.gazetteer import find_countries
from kg.mentions import (
    Name,
    acronym_names,
    find_known,
    head_noun_names,
    named_programmes,
    programme_list,
)
from kg.records import Record
from kg.reports import find_reports
from kg.segment import Segment
from kg.sentences import guess_language
from kg.text import fold, normalise_key
from kg.vocabulary import find_concepts

_CODE = re.compile(
    r"\b(?:action|accion|socieux\s*\+?|action code|code|ref\.?)\s*"
    r"(?:n[o°º]\.?\s*|#\s*)?(?P<code>(?:19|20)\d\d-\d{2,3})(?![\d-])"
)
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
#: Arabic month names (Egyptian/Gulf and Levantine forms), folded -> month number.
ARABIC_MONTHS = {
    fold(name): n
    for n, names in enumerate(
        [
            ("يناير", "كانون الثاني"),
            ("فبراير", "شباط"),
            ("مارس", "آذار"),
            ("أبريل", "إبريل", "ابريل", "نيسان"),
            ("مايو", "أيار"),
            ("يونيو", "حزيران"),
            ("يوليو", "تموز"),
            ("أغسطس", "اغسطس", "آب"),
            ("سبتمبر", "أيلول"),
            ("أكتوبر", "اكتوبر", "تشرين الأول"),
            ("نوفمبر", "تشرين الثاني"),
            ("ديسمبر", "كانون الأول"),
        ],
        1,
    )
    for name in names
}
_ARABIC_DATE = re.compile(
    r"(?P<d>\d{1,2})\s*(?P<m>"
    + "|".join(sorted(map(re.escape, ARABIC_MONTHS), key=len, reverse=True))
    + r")\s*[,،]?\s*(?P<y>\d{4})"
)
#: After a demonym, words that make it a language's name ("Spanish title").
_LANGUAGE_USE = re.compile(
    r"\s*(?:\)|title|version|translation|language|edition|original"
    r"|-speaking|speaking)",
    re.IGNORECASE,
)
#: How many first lines may carry the page date.
_HEADER_LINES = 3


def extract_prose(doc: Document, segments: list[Segment]) -> list[Record]:
    """The records of the prose segments of ``doc`` (other layouts are ignored).

    Examples
    --------
    >>> from kg.documents import read_document
    >>> from kg.segment import segment
    >>> d = read_document("n.txt", "A webinar on skills held on 3 May 2022 drew "
    ...                   "120 participants.\\n".encode())
    >>> [(r.kind, r.values("value") + r.values("startDate")) for r in
    ...  extract_prose(d, segment(d)) if r.kind in ("figure", "event")]
    [('figure', ['number:120']), ('event', ['date:2022-05-03'])]
    """
    ctx = read_context(doc, segments)
    if not ctx.sentences:
        return []
    book, found = Book(), Found()
    book.new("document", (0, 0), local_id="doc")
    orgs = Organisations(ctx, book)
    _codes(ctx, book, found)
    _known(ctx, book, orgs, found)
    _organisations(ctx, orgs)
    _programmes(ctx, book, found)
    _figures(ctx, book, found)
    find_reports(ctx, book, orgs, found)
    find_events(ctx, book, orgs, found)
    orgs.finish()
    _document(ctx, book)
    return book.records()


def _known(ctx: Context, book: Book, orgs: Organisations, found: Found) -> None:
    """Gazetteer organisations and programmes; a programme followed by a country name
    ("PAGE Ghana") is also that country's chapter of the programme."""
    programmes: dict[str, str] = {}
    for s in ctx.sentences:
        for k in find_known(ctx.text, start=s.start, end=s.end, folded=ctx.folded):
            if k.entry.table == "organisation":
                orgs.known(k, "organisation-gazetteer")
                continue
            rid = programmes.get(k.entry.slug)
            span = (k.start, k.end)
            if rid is None:
                rid = programmes[k.entry.slug] = book.new("programme", span)
                book.add(rid, "programme", f"programme:{k.entry.slug}", span, "programme-gazetteer")
                book.add(rid, "name", f"lang:en:{k.entry.name}", span, "programme-gazetteer")
            surface = ctx.text[k.start : k.end]
            if k.acronym:
                book.add(rid, "acronym", f"text:{surface}", span, "programme-gazetteer")
            elif surface != k.entry.name:
                book.add(
                    rid,
                    "altName",
                    f"lang:{guess_language(surface)}:{surface}",
                    span,
                    "programme-gazetteer",
                )
            found.programmes.append((span, rid, k.entry.slug))
            _chapter(ctx, book, found, k.start, k.end, s.end)


def _chapter(ctx: Context, book: Book, found: Found, a: int, b: int, limit: int) -> None:
    country = next(
        (
            c
            for c in find_countries(ctx.text, start=b, end=min(limit, b + 40), folded=ctx.folded)
            if c.kind == "name" and ctx.text[b : c.start] == " "
        ),
        None,
    )
    if country is None:
        return
    span = (a, country.end)
    name = ctx.text[a : country.end]
    if any(
        normalise_key(name) == normalise_key(v.split(":", 2)[2])
        for rid in book.ids("programme")
        for v in book.values(rid, "name")
    ):
        return
    rid = book.new("programme", span)
    book.add(rid, "name", f"lang:en:{name}", span, "programme-country-chapter", 0.8)
    book.add(
        rid,
        "country",
        f"country:{country.alpha2}",
        (country.start, country.end),
        "programme-country-chapter",
        0.8,
    )
    found.programmes.append((span, rid, ""))


def _taken(found: Found, a: int, b: int) -> bool:
    return any(s[0] < b and a < s[1] for s, _, _ in found.programmes)


def _organisations(ctx: Context, orgs: Organisations) -> None:
    """Organisations named with an acronym or a head noun anywhere in the prose."""
    for s in ctx.sentences:
        names: list[Name] = [
            *acronym_names(ctx.text, s.start, s.end),
            *head_noun_names(ctx.text, s.start, s.end),
        ]
        taken = [
            (k.start, k.end)
            for k in find_known(ctx.text, start=s.start, end=s.end, folded=ctx.folded)
        ]
        for name in names:
            if any(a < name.end and name.start < b for a, b in taken):
                continue
            taken.append((name.start, name.end))
            orgs.named(name, 1.0 if name.acronym else 0.8)


def _programmes(ctx: Context, book: Book, found: Found) -> None:
    """National programmes named in a list ("programmes such as A (Translation), B")
    or by a name shaped like a programme's."""
    text = ctx.text
    by_name: dict[str, str] = {}
    for s in ctx.sentences:
        items = [
            (i.start, i.end, i.translation, None, "programme-list")
            for i in programme_list(text, s.start, s.end)
        ]
        items += [
            (n.start, n.end, None, n.acronym, n.rule)
            for n in named_programmes(text, s.start, s.end)
        ]
        for a, b, translation, acronym, rule in items:
            name = text[a:b]
            if _taken(found, a, b):
                continue
            if normalise_key(name) in by_name:
                rid = by_name[normalise_key(name)]
                found.programmes.append(((a, b), rid, ""))
                continue
            rid = by_name[normalise_key(name)] = book.new("programme", (a, b))
            lang = guess_language(name, default="" if translation else ctx.language)
            book.add(rid, "name", f"lang:{lang}:{name}" if lang else f"text:{name}", (a, b), rule)
            if translation:
                book.add(
                    rid,
                    "altName",
                    f"lang:en:{text[translation[0] : translation[1]]}",
                    translation,
                    rule,
                )
            if acronym:
                book.add(rid, "acronym", f"text:{text[acronym[0] : acronym[1]]}", acronym, rule)
            _programme_country(ctx, book, rid, a, b, rule)
            found.programmes.append(((a, b), rid, ""))


def _programme_country(ctx: Context, book: Book, rid: str, a: int, b: int, rule: str) -> None:
    inside = find_countries(ctx.text, start=a, end=b, folded=ctx.folded)
    if inside:
        c = inside[0]
        book.add(
            rid, "country", f"country:{c.alpha2}", (c.start, c.end), "programme-country-in-name"
        )
    elif rule == "programme-list" and ctx.country:
        book.add(rid, "country", f"country:{ctx.country}", (a, b), "programme-country-context", 0.7)


def _figures(ctx: Context, book: Book, found: Found) -> None:
    for s in ctx.sentences:
        for fig in find_figures(ctx.text, start=s.start, end=s.end, folded=ctx.folded):
            rid = book.new("figure", (fig.start, fig.end))
            book.add(rid, "value", f"number:{fig.value}", fig.value_span, "figure-unit-noun")
            book.add(rid, "unitText", f"text:{fig.unit}", fig.unit_span, "figure-unit-noun")
            if fig.qualifier_span:
                book.add(
                    rid,
                    "qualifier",
                    f"text:{fig.qualifier}",
                    fig.qualifier_span,
                    "figure-qualifier",
                )
            book.add("doc", "figure", f"ref:{rid}", (fig.start, fig.end), "document-figure")
            found.figures.append((fig, rid))


def _codes(ctx: Context, book: Book, found: Found) -> None:
    for s in ctx.sentences:
        for m in _CODE.finditer(ctx.folded, s.start, s.end):
            code = m.group("code")
            found.codes.append((code, m.span("code")))
            book.add("doc", "actionCode", f"code:{code}", m.span("code"), "document-action-code")


def _document(ctx: Context, book: Book) -> None:
    """Themes, countries named and the page date."""
    text, folded = ctx.text, ctx.folded
    for m in ctx.mentions:
        if m.kind != "place" and not (m.kind == "demonym" and _LANGUAGE_USE.match(text, m.end)):
            book.add(
                "doc",
                "mentionedCountry",
                f"country:{m.alpha2}",
                (m.start, m.end),
                "document-country",
            )
    matches = [
        c
        for s in ctx.sentences
        for c in find_concepts("theme", text, start=s.start, end=s.end, folded=folded)
    ]
    counts = Counter(c.value for c in matches)
    title = ctx.sentences[0] if ctx.sentences[0].heading else None
    for c in matches:
        strong = counts[c.value] > 1 or (title and title.start <= c.start < title.end)
        book.add(
            "doc",
            "theme",
            f"theme:{c.value}",
            (c.start, c.end),
            "document-theme" if strong else "document-theme-once",
            1.0 if strong else 0.5,
        )
    _page_date(ctx, book)


def arabic_date(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The first day-month-year date in Arabic words and digits in ``text[start:end]``:
    (ISO date, start, end), or None.

    Examples
    --------
    >>> arabic_date("أخبار | ٣ آذار ٢٠٢١", 0, 19)
    ('2021-03-03', 8, 19)
    """
    m = _ARABIC_DATE.search(fold(text[start:end]).translate(_ARABIC_DIGITS))
    if m is None:
        return None
    year, month, day = int(m.group("y")), ARABIC_MONTHS[m.group("m")], int(m.group("d"))
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", start + m.start(), start + m.end()


def _page_date(ctx: Context, book: Book) -> None:
    """The date on a header line (one of the first lines, not a sentence)."""
    for s in ctx.sentences[:_HEADER_LINES]:
        if not s.heading:
            continue
        arabic = arabic_date(ctx.text, s.start, s.end)
        if arabic:
            book.add("doc", "date", f"date:{arabic[0]}", arabic[1:], "document-date-header")
            return
        periods = [
            p
            for p in find_periods(ctx.text, start=s.start, end=s.end, folded=ctx.folded)
            if len(p.start) == 10 and p.start == p.end
        ]
        if len(periods) == 1:
            p = periods[0]
            book.add(
                "doc", "date", f"date:{p.start}", (p.span_start, p.span_end), "document-date-header"
            )
            return
