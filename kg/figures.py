"""Stated figures in prose: "70 participants", "more than 2 million people".

A figure is a number (digits, a number word, a scale word) followed by at most two
words and a *unit noun* from :data:`UNITS`; a qualifier ("more than", "about") may
precede it. Without a unit noun a number is not a figure, so years, dates, codes and
list numbers are never taken for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from kg.sentences import word_set
from kg.text import fold

#: Unit nouns (folded, plural or mass forms; en, es, fr, pt): what a stated figure counts.
UNITS = word_set("""
participants people persons attendees delegates representatives experts specialists
officials civil-servants staff trainees trainers students teachers youths youth
young-people women men girls boys children workers employees employers jobs countries
institutions organisations organizations companies enterprises businesses firms
beneficiaries households families members inspectors entrepreneurs farmers migrants
professionals stakeholders ministries municipalities cooperatives graduates
jobseekers job-seekers apprentices volunteers consultants researchers
participantes personas personnes pessoas trabajadores travailleurs trabalhadores empleos
emplois empregos paises pays funcionarios fonctionnaires jovenes jeunes jovens mujeres
femmes mulheres empresas entreprises beneficiarios beneficiaires inspectores inspecteurs
expertos especialistas
""")
#: Words that stand for people, so a figure of them can be an event's attendance.
PEOPLE = UNITS - word_set(
    "jobs countries institutions organisations organizations companies enterprises businesses"
    " firms households families ministries municipalities cooperatives paises pays empleos"
    " emplois empregos empresas entreprises"
)
QUALIFIERS = (
    "more than",
    "over",
    "about",
    "around",
    "almost",
    "nearly",
    "some",
    "approximately",
    "up to",
    "at least",
    "less than",
    "fewer than",
    "under",
    "close to",
    "roughly",
    "an estimated",
    "as many as",
    "a total of",
    "a further",
    "another",
    "plus de",
    "pres de",
    "environ",
    "presque",
    "mas de",
    "cerca de",
    "alrededor de",
    "unos",
    "unas",
    "aproximadamente",
    "mais de",
    "quase",
)
SCALES = {
    "thousand": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "millones": 1_000_000,
    "milhoes": 1_000_000,
    "billion": 1_000_000_000,
}
_TO_TWENTY = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen"
    " fourteen fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS = {w: n for n, w in enumerate(_TO_TWENTY.split(" "))} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
}
#: Words after which a four-digit number is a year, not a count.
_YEAR_CUES = re.compile(r"\b(?:in|by|since|from|until|of|during|before|after|to|and)\s+$")

_UNIT = "|".join(
    re.escape(u).replace(r"\-", r"[\s-]") for u in sorted(UNITS, key=len, reverse=True)
)
_NUM = (
    r"(?P<num>\d{1,3}(?:[, ]\d{3})+(?![\d])|\d+(?:\.\d+)?|"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + ")"
)
_FIGURE = re.compile(
    r"(?<![\w\-/.,])(?:(?P<qual>"
    + "|".join(QUALIFIERS)
    + r")\s+)?"
    + _NUM
    + r"(?:\s+(?P<scale>"
    + "|".join(SCALES)
    + r"))?(?![\-/]\d)"
    + r"(?P<adj>(?:\s+(?!(?:of|the|and|in|to|for|from|on|at|by|with|or)\b)[a-z][a-z\-]*){0,2}?)"
    + r"\s+(?P<unit>"
    + _UNIT
    + r")(?![\w-])"
)


@dataclass(frozen=True)
class Figure:
    """A stated figure: ``value`` (a decimal string), ``unit`` (the unit noun with the
    words before it), ``qualifier`` (or ""), and the spans of each part."""

    value: str
    unit: str
    qualifier: str
    start: int
    end: int
    value_span: tuple[int, int]
    unit_span: tuple[int, int]
    qualifier_span: tuple[int, int] | None

    @property
    def counts_people(self) -> bool:
        """Whether the unit noun stands for people."""
        unit = re.sub(r"[\s-]+", "-", fold(self.unit))
        return any(unit == p or unit.endswith("-" + p) for p in PEOPLE)


def _value(number: str, scale: str | None) -> str | None:
    number = number.replace(",", "").replace(" ", "")
    amount = Decimal(NUMBER_WORDS[number]) if number in NUMBER_WORDS else Decimal(number)
    if scale:
        amount *= SCALES[scale]
    if amount == 0:
        return None
    return str(amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount)


def find_figures(
    text: str, *, start: int = 0, end: int | None = None, folded: str | None = None
) -> Iterator[Figure]:
    """Yield the stated figures of ``text[start:end]``, left to right.

    Examples
    --------
    >>> [(f.value, f.unit, f.qualifier) for f in find_figures(
    ...     "Over 1,200 young workers and about 15 million new jobs; in 2019 people")]
    [('1200', 'young workers', 'over'), ('15000000', 'new jobs', 'about')]
    """
    folded = folded if folded is not None else fold(text)
    end = len(text) if end is None else end
    for m in _FIGURE.finditer(folded, start, end):
        number = m.group("num")
        if (
            re.fullmatch(r"(?:19|20)\d\d", number)
            and not m.group("scale")
            and _YEAR_CUES.search(folded[max(0, m.start("num") - 12) : m.start("num")])
        ):
            continue
        value = _value(number, m.group("scale"))
        if value is None:
            continue
        unit_start = m.end("num") if not m.group("scale") else m.end("scale")
        unit_start += len(folded[unit_start : m.start("unit")]) - len(
            folded[unit_start : m.start("unit")].lstrip()
        )
        qual = m.group("qual")
        yield Figure(
            value=value,
            unit=text[unit_start : m.end("unit")],
            qualifier=qual or "",
            start=m.start(),
            end=m.end(),
            value_span=(m.start("num"), m.end("scale") if m.group("scale") else m.end("num")),
            unit_span=(unit_start, m.end("unit")),
            qualifier_span=m.span("qual") if qual else None,
        )
