"""Names of organisations and programmes in prose, with their spans.

Three sources, from surest to least sure:

- the gazetteers ``ontology/src/organisations.csv`` and ``programmes.csv`` (shared
  international organisations and programmes, by name, acronym and alias);
- patterns: "Name (ACRONYM)", a capitalised phrase holding an organisation head noun
  ("... Network", "Ministry of ..."), "programmes such as A (Translation), B ...";
- lists after a role cue ("organised by A, B and C"), parsed item by item.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg.countries import data_dir
from kg.gazetteer import find_countries
from kg.sentences import cap_phrases, word_set
from kg.text import PhraseMatcher, fold
from kg.vocabulary import find_concepts

#: Head words that make a capitalised phrase the name of an organisation (folded).
HEAD_WORDS = word_set("""
ministry ministries ministerio ministere department departments office offices agency
agencies institute institutes council secretariat directorate commission network
association federation confederation union university centre center fund foundation bank
organisation organization service services authority chamber government municipality
instituto institut servicio direccion direction secretaria board
""")
#: Last words that make a name an event's, unless a kind label says it is a body.
EVENT_WORDS = word_set(
    "conference summit congress forum workshop seminar webinar meeting symposium dialogue"
)
#: Organisation kinds that name a programme rather than a body.
NOT_BODIES = frozenset({"programme_office"})
#: Kinds of body that belong to one country (a ministry is some country's ministry).
NATIONAL_KINDS = frozenset(
    {
        "ministry",
        "agency",
        "public_employment_service",
        "regional_government",
        "local_government",
        "parliament",
        "government_office",
        "national_council",
        "social_security_institution",
    }
)
_ACRONYM = r"[A-Z][A-Za-z/&\-]{0,4}[A-Z][A-Z0-9+&/\-]{0,9}"
_AFTER_NAME = re.compile(rf"\s*\(\s*(?P<acr>{_ACRONYM})\s*\)")
_PROGRAMME_LIST = re.compile(
    r"\b(?:programmes?|programs?|programas?|initiatives?|schemes?)(?:\s+[\w'’-]+){0,4}?"
    r"(?:\s*:|\s*,?\s+(?:such as|like|including|called|named|known as|entitled))\s+"
)
_PROGRAMME_HEAD = re.compile(
    r"(?:^(?:Programa|Programme|Program)\s+\S)|"
    r"\b(?:Programme|Program|Programa|Initiative|Project)$"
)
_TRANSLATION = re.compile(r"\s*\((?:in English[,:]?\s*)?([^()]{2,80})\)")
_TAIL = re.compile(r"\s[a-z]{4,}(?<!ed)(?=\s*(?:[,;.(]|\sand\s)|$)")
_AND = re.compile(r"\s+(?:and|et|y|e|as well as|together with|along with)\s+")
_ARTICLES = ("the ", "la ", "le ", "les ", "el ", "los ", "las ", "l'", "de ", "of ")
_OWNER = re.compile(r"(?:[A-Z][\w-]*\s){0,2}[A-Z][\w-]*['’]s\s+(?=[A-Z])")
_ITEM_SEP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)")
_LEAD = re.compile(
    r"\s*(?:,\s*)?(?:(?:and|as well as|together with|along with|plus|such as|including|"
    r"with|from|of|de|du|del|da|do|among them|among others|notably|in particular|"
    r"especially|namely)\s+|"
    r"(?:(?:senior|high-level|government|other|two|three|several)\s+)?"
    r"(?:officials?|representatives?|delegates?|delegations?|members?|staff|experts?|"
    r"specialists?|officers?|technicians?|managers?|directors?|heads?|representants?|"
    r"representantes?|delegues?|delegados?|funcionarios|fonctionnaires|membres|miembros)"
    r"\s+(?:from|of|de|del|da|do|des|du)\s+|"
    r"(?:the|its|their|a|an|des|les|la|le|el|los|las|os|as)\s+|l'\s*)*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Entry:
    """A row of the organisation or programme gazetteer (``table`` says which)."""

    table: str
    slug: str
    name: str
    acronym: str
    aliases: tuple[str, ...]
    country: str
    kind: str


@dataclass(frozen=True)
class Known:
    """``text[start:end]`` names gazetteer ``entry``; ``acronym`` when by its acronym."""

    start: int
    end: int
    entry: Entry
    acronym: bool


@dataclass(frozen=True)
class Name:
    """A name found by a pattern: ``text[start:end]``, with its acronym span (or None)
    and the rule that found it."""

    start: int
    end: int
    acronym: tuple[int, int] | None
    rule: str


@dataclass(frozen=True)
class ProgrammeItem:
    """A programme named in a list: its name span and the span of the translation
    given in brackets after it (or None)."""

    start: int
    end: int
    translation: tuple[int, int] | None


def _rows(filename: str) -> list[dict[str, str]]:
    with (data_dir() / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def load_entries() -> tuple[Entry, ...]:
    """Every entry of ``organisations.csv`` and ``programmes.csv``."""
    out = []
    for table, filename in (("organisation", "organisations.csv"), ("programme", "programmes.csv")):
        for row in _rows(filename):
            aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
            out.append(
                Entry(
                    table,
                    row["slug"],
                    row["name"],
                    row["acronym"],
                    aliases,
                    row["country"],
                    row.get("kind", ""),
                )
            )
    return tuple(out)


@lru_cache(maxsize=1)
def programme_entries() -> dict[str, Entry]:
    """The programme gazetteer by slug."""
    return {e.slug: e for e in load_entries() if e.table == "programme"}


@lru_cache(maxsize=1)
def _matcher() -> tuple[PhraseMatcher, dict[str, Entry]]:
    by_slug = {f"{e.table}/{e.slug}": e for e in load_entries()}
    phrases = [
        (alias, key, "name" if any(ch.islower() for ch in alias) else "caps")
        for key, e in by_slug.items()
        for alias in (e.name, e.acronym, *e.aliases)
        if alias
    ]
    return PhraseMatcher(phrases, plurals=False), by_slug


def find_known(
    text: str, *, start: int = 0, end: int | None = None, folded: str | None = None
) -> list[Known]:
    """The gazetteer's organisations and programmes named in ``text[start:end]``.

    An alias in capitals matches only in capitals (PAGE, not "page"); a name only
    when it starts with a capital.

    Examples
    --------
    >>> [(k.entry.slug, k.acronym) for k in find_known("the ILO and PAGE; see page 2")]
    [('ilo', True), ('page', True)]
    """
    matcher, by_slug = _matcher()
    out = []
    for m in matcher.find(text, start=start, end=end, folded=folded):
        surface = text[m.start : m.end]
        caps = m.kind == "caps"
        if (caps and any(ch.islower() for ch in surface)) or not surface[:1].isupper():
            continue
        out.append(Known(m.start, m.end, by_slug[m.value], caps))
    return out


def org_kind(text: str, start: int, end: int) -> str | None:
    """The organisation kind of the name ``text[start:end]`` (its leftmost kind label),
    or None."""
    for m in find_concepts("orgkind", text[start:end]):
        return m.value
    return None


def _acronym_after(text: str, end: int, limit: int) -> tuple[int, int] | None:
    m = _AFTER_NAME.match(text, end, limit)
    return m.span("acr") if m else None


def _is_country(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` names only countries or places ("Ghana", "Peruvian
    and Ecuadorian"), joined by "and" or commas."""
    piece = text[start:end]
    for c in find_countries(piece):
        if c.kind == "institution":  # an institution's name is no country
            continue
        piece = piece[: c.start] + " " * (c.end - c.start) + piece[c.end :]
    return not re.sub(r"\b(?:and|y|et|e)\b|[,\s]", "", piece)


def acronym_names(text: str, start: int, end: int) -> Iterator[Name]:
    """Capitalised names of two words or more followed by "(ACRONYM)", other than
    names of programmes, events and countries."""
    for a, b in cap_phrases(text, start, end):
        acr = _acronym_after(text, b, end)
        words = fold(text[a:b]).split()
        if (
            acr is None
            or len(words) < 2
            or _PROGRAMME_HEAD.search(text[a:b])
            or (words[-1] in EVENT_WORDS and org_kind(text, a, b) is None)
            or _is_country(text, a, b)
        ):
            continue
        yield Name(a, b, acr, "organisation-acronym")


def head_noun_names(text: str, start: int, end: int) -> Iterator[Name]:
    """Capitalised names of two words or more whose words include an organisation
    kind label or head word ("Labour Innovation Laboratory", "Ministry of Health")."""
    for a, b in cap_phrases(text, start, end):
        b = _with_tail(text, b, end)
        words = fold(text[a:b]).replace("/", " ").split()
        if len(words) < 2 or words[-1] in ("programme", "programmes", "program"):
            continue
        kind = org_kind(text, a, b)
        if (kind and kind not in NOT_BODIES) or HEAD_WORDS & set(words):
            yield Name(a, b, _acronym_after(text, b, end), "organisation-head-noun")


def _with_tail(text: str, end: int, limit: int) -> int:
    """Extend a name ending in a capitalised adjective by the lowercase noun after it
    when the item ends there ("Ministry of Development and Social inclusion")."""
    if not re.search(r"(?:al|ic|ive|ary|ian|ish)$", text[:end][-12:]):
        return end
    tail = _TAIL.match(text, end, limit)
    return tail.end() if tail else end


def _split_parts(
    text: str, start: int, end: int, whole: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Split a list at top-level commas and at "and" before a new item, never inside
    one of the spans ``whole`` (names that hold a comma or an "and")."""
    parts, depth, pos = [], 0, start
    for i in range(start, end):
        ch = text[i]
        depth += (ch == "(") - (ch == ")")
        if ch in ",;" and depth == 0 and not _inside(i, whole):
            parts.append((pos, i))
            pos = i + 1
    parts.append((pos, end))
    out = []
    for a, b in parts:
        out += _split_and(text, a, b, whole)
    return out


def _inside(i: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a < i < b for a, b in spans)


def _split_and(
    text: str, a: int, b: int, whole: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    cuts = []
    for m in _AND.finditer(text[a:b]):
        if text[a : a + m.start()].count("(") != text[a : a + m.start()].count(")"):
            continue
        if _inside(a + m.start(), whole):
            continue
        right = text[a + m.end() : b]
        first = re.match(r"(?:the\s+)?([\w/'’-]+)", right)
        word = fold(first.group(1)).split("/")[0] if first else ""
        if (
            not right[:1].isupper()
            or word in HEAD_WORDS
            or right.startswith(_ARTICLES)
            or find_known(right[:40])
        ):
            cuts.append((a + m.start(), a + m.end()))
    out, pos = [], a
    for ca, cb in cuts:
        out.append((pos, ca))
        pos = cb
    out.append((pos, b))
    return out


def org_list(text: str, start: int, end: int) -> list[Name]:
    """The organisations of a list ``text[start:end]`` that follows a role cue
    ("organised by ..."), item by item; the list stops at an item that runs on.

    Examples
    --------
    >>> t = "the Ministry of Health, the World Bank and officials from Accra City Council."
    >>> [t[n.start:n.end] for n in org_list(t, 0, len(t) - 1)]
    ['Ministry of Health', 'World Bank', 'Accra City Council']
    """
    out: list[Name] = []
    # a gazetteer name is one item, commas and "and" included
    known: dict[int, int] = {}
    for k in find_known(text, start=start, end=end):
        known[k.start] = max(k.end, known.get(k.start, k.end))
    for a, b in _split_parts(text, start, end, sorted(known.items())):
        lead = _LEAD.match(fold(text[a:b]))
        a += lead.end() if lead else 0
        owner = _OWNER.match(text, a, b)
        a = owner.end() if owner else a
        phrase = next(cap_phrases(text, a, b), None)
        if a in known:
            phrase = (a, known[a])
        elif phrase is None or phrase[0] != a:
            if len(re.sub(r"\([^)]*\)", "", text[a:b]).split()) > 12:
                break
            continue
        name_end = phrase[1] if a in known else _with_tail(text, phrase[1], b)
        acr = _acronym_after(text, name_end, b)
        if a in known or not _is_country(text, a, phrase[1]):
            out.append(Name(a, name_end, acr, "organisation-list"))
        rest = text[acr[1] + 1 if acr else name_end : b]
        if len(re.sub(r"\([^)]*\)", "", rest).split()) > 2:
            break
    return out


def programme_list(text: str, start: int, end: int) -> Iterator[ProgrammeItem]:
    """Programmes named after "programmes such as|like|including|called": each a
    capitalised name, optionally with a translation in brackets."""
    for cue in _PROGRAMME_LIST.finditer(text, start, end):
        pos = cue.end()
        while True:
            phrase = next(cap_phrases(text, pos, end), None)
            if phrase is None or phrase[0] != pos:
                break
            tr = _TRANSLATION.match(text, phrase[1], end)
            yield ProgrammeItem(phrase[0], phrase[1], tr.span(1) if tr else None)
            sep = _ITEM_SEP.match(text, tr.end() if tr else phrase[1], end)
            if not sep:
                break
            pos = sep.end()


def named_programmes(text: str, start: int, end: int) -> Iterator[Name]:
    """Capitalised names shaped like a programme's ("... Programme", "Programa ..."),
    with the acronym in brackets after them if any."""
    for a, b in cap_phrases(text, start, end, allow_in=True):
        name = text[a:b]
        if len(name.split()) >= 2 and _PROGRAMME_HEAD.search(name):
            yield Name(a, b, _acronym_after(text, b, end), "programme-name")
