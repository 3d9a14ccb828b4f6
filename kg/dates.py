"""Dates and periods in free text, with their spans.

Understands the forms met in cooperation documents: ``24-04-2023``, ``16/08/2016``,
``2016-08-16``, ``19 April 2018``, ``April 19, 2018``, ``23-24 May 2024``,
``9 to 20 April 2018``, ``30 May - 2 June 2023``, ``from May to November 2023``,
``June 2022``, ``2022-2027``, ``since 2018``, ``9-20/04/2018``, month names in English,
Spanish, French and Portuguese, and a day and month with no year (the year is taken
from the surrounding text when the caller gives one).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.text import fold, trie_pattern

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan enero janvier janeiro",
        "february feb febrero fevrier fevereiro",
        "march mar marzo mars marco",
        "april apr abril avril",
        "may mayo mai maio",
        "june jun junio juin junho",
        "july jul julio juillet julho",
        "august aug agosto aout",
        "september sep sept septiembre setiembre septembre setembro",
        "october oct octubre octobre outubro",
        "november nov noviembre novembre novembro",
        "december dec diciembre decembre dezembro",
    ],
    1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

# (the names as a trie: an alternation of sixty names tried each at every position)
_M = r"(?P<{}>" + trie_pattern(MONTHS, plurals=False) + r")\.?"
_Y = r"(?P<{}>(?:19|20)\d\d)"
_D = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th|er)?"
_SEP = r"\s*(?:-|to|until|till|a|al|au|ate|and|y|et|e)\s*"
_OF = r"(?:\s+(?:of|de))?\s+"

#: The date forms, matched against folded text (:func:`kg.text.fold`), which is lower
#: case: without ``re.IGNORECASE``, which made them three times slower.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(rx))
    for name, rx in [
        # 30 May - 2 June 2023
        (
            "dmy-dmy",
            _D.format("d1")
            + _OF
            + _M.format("m1")
            + _SEP
            + _D.format("d2")
            + _OF
            + _M.format("m2")
            + r",?\s+"
            + _Y.format("y"),
        ),
        # 9-20 April 2018, 9 to 20 April 2018, 23-24 May 2024
        (
            "dd-my",
            _D.format("d1")
            + _SEP
            + _D.format("d2")
            + _OF
            + _M.format("m")
            + r",?\s+(?:of\s+|de\s+)?"
            + _Y.format("y"),
        ),
        # 9-20/04/2018
        ("dd/m/y", r"(?P<d1>[0-3]?\d)\s*-\s*(?P<d2>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>(?:19|20)\d\d)"),
        # 19 April 2018
        ("dmy", _D.format("d") + _OF + _M.format("m") + r",?\s+(?:of\s+|de\s+)?" + _Y.format("y")),
        # April 19, 2018
        ("mdy", _M.format("m") + r"\s+" + _D.format("d") + r",?\s+" + _Y.format("y")),
        # 2016-08-16
        ("iso", r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"),
        # 24-04-2023, 16/08/2016, 16.08.2016
        ("d/m/y", r"(?P<d>[0-3]?\d)[-/.](?P<m>[01]?\d)[-/.](?P<y>(?:19|20)\d\d)"),
        # from May to November 2023, May-November 2023
        (
            "mm-y",
            r"(?:from\s+|between\s+|de\s+|entre\s+)?"
            + _M.format("m1")
            + r"(?:\s+"
            + _Y.format("y1")
            + r")?"
            + _SEP
            + _M.format("m2")
            + r",?\s+"
            + _Y.format("y"),
        ),
        # the second half of 2021, the first quarter of 2022
        (
            "part-y",
            r"(?P<part>(?:first|second)\s+half|(?:first|second|third|fourth|last)\s+quarter)"
            r"\s+of\s+" + _Y.format("y"),
        ),
        # June 2022
        ("my", _M.format("m") + r",?\s+(?:of\s+|de\s+)?" + _Y.format("y")),
        # 2022-2027, 2022/2027, from 2019 to 2021
        (
            "y-y",
            r"(?:(?:from\s+)?"
            + _Y.format("y1")
            + r"\s*(?:-|/|to|until)\s*|between\s+"
            + r"(?P<b1>(?:19|20)\d\d)\s+and\s+)(?P<y2>(?:19|20)\d\d)(?![-/]\d)",
        ),
        # since 2018, in 2021, by 2020
        (
            "y",
            # (a year ahead first: it fails at once where the look-behinds would be tried)
            r"(?=(?:19|20)\d\d)"
            r"(?:(?<=since )|(?<=in )|(?<=by )|(?<=during )|(?<=year )|(?<=until )|"
            r"(?<=desde )|(?<=en )|(?<=depuis )|(?<=conference )|(?<=forum )|(?<=summit )|"
            r"(?<=meeting )|(?<=congress )|(?<=for ))" + _Y.format("y") + r"(?![-/]\d)",
        ),
        # 2 to 5 March (no year)
        (
            "dd-m",
            _D.format("d1")
            + _SEP
            + _D.format("d2")
            + _OF
            + _M.format("m")
            + r"(?!\s*,?\s*(?:of\s+|de\s+)?(?:19|20)\d\d)",
        ),
        # the 2014 South Asia Labour Conference
        (
            "y",
            _Y.format("y") + r"(?=\s+(?:[\w\-]+\s+){0,4}(?:conference|forum|summit|meeting|"
            r"congress|seminar|workshop|edition)\b)",
        ),
        # a day and month with no year: 19 April
        (
            "dm",
            _D.format("d") + _OF + _M.format("m") + r"(?!\s*,?\s*(?:of\s+|de\s+)?(?:19|20)\d\d)",
        ),
    ]
]


#: Parts of a year, as (first month, last month).
_PARTS = {
    "first half": (1, 6),
    "second half": (7, 12),
    "first quarter": (1, 3),
    "second quarter": (4, 6),
    "third quarter": (7, 9),
    "fourth quarter": (10, 12),
    "last quarter": (10, 12),
}
#: The names of the date forms, in the order they are tried.
FORMS = tuple(dict.fromkeys(name for name, _ in _PATTERNS))


@dataclass(frozen=True)
class Period:
    """A date or a period found in a text.

    ``start``/``end`` are ISO 8601 dates of the precision the text gives
    (``2018-04-09``, ``2023-05``, ``2018``); equal for a single date.
    """

    start: str
    end: str
    span_start: int
    span_end: int
    form: str

    @property
    def iso(self) -> str:
        """``start`` or ``start/end``, as an ISO 8601 interval."""
        return self.start if self.start == self.end else f"{self.start}/{self.end}"


def _ymd(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _month(value: str) -> int:
    return int(value) if value.isdigit() else MONTHS[fold(value).rstrip(".")]


def _convert(form: str, g: dict[str, str], year: int | None) -> tuple[str, str] | None:
    def n(key: str) -> int:
        return int(g[key])

    if form == "dmy-dmy":
        y = n("y")
        return _pair(_ymd(y, _month(g["m1"]), n("d1")), _ymd(y, _month(g["m2"]), n("d2")))
    if form in ("dd-my", "dd/m/y"):
        y, m = n("y"), _month(g["m"])
        return _pair(_ymd(y, m, n("d1")), _ymd(y, m, n("d2")))
    if form in ("dmy", "mdy", "iso", "d/m/y"):
        one = _ymd(n("y"), _month(g["m"]), n("d"))
        return _pair(one, one)
    if form == "mm-y":
        y2 = n("y")
        y1 = int(g["y1"]) if g.get("y1") else y2
        return _pair(_ymd(y1, _month(g["m1"])), _ymd(y2, _month(g["m2"])))
    if form == "part-y":
        months = _PARTS[re.sub(r"\s+", " ", g["part"].lower())]
        return _pair(_ymd(n("y"), months[0]), _ymd(n("y"), months[1]))
    if form == "my":
        one = _ymd(n("y"), _month(g["m"]))
        return _pair(one, one)
    if form == "y-y":
        return _pair(_ymd(int(g.get("y1") or g["b1"])), _ymd(n("y2")))
    if form == "y":
        return _pair(_ymd(n("y")), _ymd(n("y")))
    if form == "dd-m" and year is not None:
        m = _month(g["m"])
        return _pair(_ymd(year, m, n("d1")), _ymd(year, m, n("d2")))
    if form == "dm" and year is not None:
        one = _ymd(year, _month(g["m"]), n("d"))
        return _pair(one, one)
    return None


def _pair(start: str | None, end: str | None) -> tuple[str, str] | None:
    if start is None or end is None or end < start[: len(end)]:
        return None
    return start, end


def find_periods(
    text: str,
    *,
    start: int = 0,
    end: int | None = None,
    year: int | None = None,
    folded: str | None = None,
    matches: list[PeriodMatch] | None = None,
) -> Iterator[Period]:
    """Yield the dates and periods in ``text[start:end]``, left to right, without
    overlaps (the longest form wins).

    Parameters
    ----------
    year
        The year to give a day and month written without one; such dates are skipped
        when it is None.
    matches
        :func:`period_matches` of the same span, when the caller reads it more than
        once (with and without ``year``): the patterns then run once.

    Examples
    --------
    >>> [p.iso for p in find_periods("held from 9 to 20 April 2018, and on 19 April 2018")]
    ['2018-04-09/2018-04-20', '2018-04-19']
    >>> [p.iso for p in find_periods("Action 2023-11 ran from May to November 2023")]
    ['2023-05/2023-11']
    >>> [p.iso for p in find_periods("on 24-04-2023 and 2016-08-16; 23-24 May 2024")]
    ['2023-04-24', '2016-08-16', '2024-05-23/2024-05-24']
    """
    if matches is None:
        folded = folded if folded is not None else fold(text)
        end = len(text) if end is None else end
        # all forms but two have a year, and those two need ``year``
        if year is None and not _ANY_YEAR.search(folded, start, end):
            return
        matches = period_matches(folded, start, end)
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for form, a, b, groups in matches:
        if any(a < tb and ta < b for ta, tb in taken):
            continue
        converted = _convert(form, groups, year)
        if converted is None:
            continue
        taken.append((a, b))
        found.append(Period(converted[0], converted[1], a, b, form))
    yield from sorted(found, key=lambda p: p.span_start)


#: A candidate date: its form, span and the named parts it gave.
PeriodMatch = tuple[str, int, int, dict[str, str]]


def period_matches(folded: str, start: int, end: int) -> list[PeriodMatch]:
    """Every match of every date form in ``folded[start:end]`` (a text folded by
    :func:`kg.text.fold`), form by form in the order they are tried, that stands
    apart from the words around it and is not an action code: what
    :func:`find_periods` chooses from."""
    # every form has a number
    if not _ANY_DIGIT.search(folded, start, end):
        return []
    out = []
    for form, pattern in _PATTERNS:
        for m in pattern.finditer(folded, start, end):
            a, b = m.span()
            if (a > 0 and folded[a - 1].isalnum()) or (b < len(folded) and folded[b].isalnum()):
                continue
            if _is_action_code(folded, a, b, form):
                continue
            out.append((form, a, b, {k: v for k, v in m.groupdict().items() if v}))
    return out


_ANY_DIGIT = re.compile(r"\d")
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")
_CODE_CONTEXT = re.compile(r"(action|accion|socieux\s*\+?|code|ref\.?|n[o°º]\.?)\s*$")


def _is_action_code(folded: str, a: int, b: int, form: str) -> bool:
    """``2023-11`` after "Action" is a code, not a period."""
    return form == "y-y" and bool(_CODE_CONTEXT.search(folded[max(0, a - 20) : a]))


def parse_date(value: str) -> Period | None:
    """The single date or period ``value`` holds (a label's value), or None.

    Examples
    --------
    >>> parse_date("16/08/2016").iso
    '2016-08-16'
    >>> parse_date("no date") is None
    True
    """
    found = list(find_periods(value))
    return found[0] if len(found) == 1 else None
