"""Sentences, headings, capitalised names and the language of short texts, with offsets.

The prose extractors read a document one sentence at a time; a *heading* is a line
that is not a sentence (a title, a sub-title, a download link). Capitalised phrases
("Ministry of Labour and Social Affairs", "National Youth Forum for Decent Work") are
the candidates for names of organisations, events and programmes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.text import fold

#: Words that end with a full stop without ending a sentence (folded, no stop).
ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "no",
        "nos",
        "st",
        "vs",
        "etc",
        "art",
        "para",
        "fig",
        "approx",
        "dept",
        "inc",
        "ltd",
        "co",
        "jr",
        "sr",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "op",
        "cf",
        "al",
    }
)
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘'(¿¡]?[A-Z0-9À-Þ])")
_TERMINAL = ".!?;:,"
_INITIALS_TOKEN = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
#: initials before a name ("V.V. Giri", "J. P. Morgan")
_INITIALS = r"(?:(?:[A-ZÀ-ÖØ-Þ]\.\s?){1,3}(?=[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]))?"
_FIRST = rf"{_INITIALS}[A-ZÀ-ÖØ-Þ][\w+\-/&]*(?:['’][A-Za-z]+)?"
_NEXT = rf"{_INITIALS}[A-ZÀ-ÖØ-Þ0-9][\w+\-/&]*(?:['’][A-Za-z]+)?"
_JOIN = (
    r"(?:and|y|et|e|und|the|(?:of|for|on|de|del|des|du|da|do|dos|das|em|für|pour|sur"
    r"|in)(?:\s+(?:the|la|las|los|el|le|les))?)"
)
_CAP_PHRASE = re.compile(rf"{_FIRST}(?:\s+(?:{_JOIN}\s+{_FIRST}|{_NEXT}))*")


@dataclass(frozen=True)
class Sentence:
    """``text[start:end]`` is one sentence, or one heading line when ``heading``."""

    start: int
    end: int
    heading: bool


def is_heading(line: str) -> bool:
    """Whether ``line`` is a heading: short, capitalised, with no closing punctuation.

    Examples
    --------
    >>> is_heading("Regional Forum on Skills for Green Jobs")
    True
    >>> is_heading("The forum was held in Accra.")
    False
    """
    stripped = line.strip()
    return (
        bool(stripped)
        and len(stripped) <= 160
        and len(stripped.split()) <= 24
        and stripped[-1] not in _TERMINAL
        and not stripped[0].islower()
    )


def split_sentences(text: str, start: int, end: int) -> Iterator[Sentence]:
    """Split the line ``text[start:end]`` into sentences (one heading when it is one)."""
    if is_heading(text[start:end]):
        yield Sentence(start, end, True)
        return
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        word = re.search(r"([\w.]+)[.!?]$", text[pos : m.start() + 1])
        token = fold(word.group(1)) if word else ""
        # an abbreviation or initials ("V.", "V.V."): no sentence ends there
        if token in ABBREVIATIONS or _INITIALS_TOKEN.fullmatch(token):
            continue
        yield Sentence(pos, m.start() + 1, False)
        pos = m.end()
    if pos < end:
        yield Sentence(pos, end, False)


def cap_phrases(
    text: str, start: int, end: int, *, allow_in: bool = False
) -> Iterator[tuple[int, int]]:
    """The spans of capitalised phrases in ``text[start:end]``: capitalised words joined
    by at most two small connectors (``of the``, ``de la``), trimmed of a trailing
    connector and possessive. ``in`` joins words only when ``allow_in``.

    Examples
    --------
    >>> t = "the Ministry of Labour and Social Affairs (MOLSA) and Kenya’s Treasury"
    >>> [t[a:b] for a, b in cap_phrases(t, 0, len(t))]
    ['Ministry of Labour and Social Affairs', 'MOLSA', 'Kenya', 'Treasury']
    """
    for m in _CAP_PHRASE.finditer(text, start, end):
        a, b = m.span()
        if a > 0 and (text[a - 1].isalnum() or text[a - 1] in "-/"):
            continue
        yield from _trim(text, a, b, allow_in)


#: Capitalised words that open a sentence without opening a name.
_OPENERS = re.compile(
    r"(?:(?:The|A|An|This|These|That|Its|Their|Our|El|La|Los|Las|Le|Les|O|Os|During|In|At|On"
    r"|After|Before|For|From|With|By|Since|Through|Under|While|When|Following|Between|Among"
    r"|As|Last|Next|Today|Also|However|Meanwhile|Then|Both|Each|Every|Some|All|What|Which"
    r"|Who|How|Why|Where|There|Here|It|We|They|He|She|Your|My)\s+"
    r"(?:(?:the|a|an)\s+)?)+(?=\S)"
)


def _trim(text: str, a: int, b: int, allow_in: bool) -> Iterator[tuple[int, int]]:
    """Cut a phrase at ``in`` (unless allowed) and at a possessive ``'s``; drop a
    leading article."""
    article = _OPENERS.match(text, a, b)
    a = article.end() if article else a
    parts = [(a, b)]
    if not allow_in:
        parts = []
        pos = a
        for m in re.finditer(r"\s+in\s+", text[a:b]):
            parts.append((pos, a + m.start()))
            pos = a + m.end()
        parts.append((pos, b))
    for pa, pb in parts:
        poss = re.search(r"['’]s\b", text[pa:pb])
        if poss and pa + poss.start() > pa:
            yield pa, pa + poss.start()
            rest = pa + poss.end()
            while rest < pb and text[rest] == " ":
                rest += 1
            if rest < pb:
                yield rest, pb
        else:
            yield pa, pb


#: Function words of each language (folded); ``de``/``la``/``en`` are shared.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        {
            "the",
            "of",
            "and",
            "in",
            "for",
            "to",
            "on",
            "with",
            "from",
            "by",
            "a",
            "an",
            "its",
            "their",
        }
    ),
    "es": frozenset(
        {
            "de",
            "del",
            "la",
            "el",
            "los",
            "las",
            "y",
            "en",
            "para",
            "por",
            "con",
            "un",
            "una",
            "su",
            "sus",
            "al",
        }
    ),
    "fr": frozenset(
        {
            "de",
            "du",
            "la",
            "le",
            "les",
            "des",
            "et",
            "en",
            "pour",
            "par",
            "avec",
            "un",
            "une",
            "sur",
            "au",
            "aux",
        }
    ),
    "pt": frozenset(
        {
            "de",
            "do",
            "da",
            "dos",
            "das",
            "e",
            "em",
            "para",
            "por",
            "com",
            "um",
            "uma",
            "no",
            "na",
            "nos",
            "nas",
            "ao",
        }
    ),
}
#: Word endings typical of a language (folded), as extra evidence.
_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("tion", "ment", "ing", "ship", "ness"),
    "es": ("cion", "ciones", "dad", "idad", "os", "ado", "ada"),
    "fr": ("eur", "eaux", "aux", "ique", "ee", "ees"),
    "pt": ("cao", "coes", "dade", "ado", "ada"),
}
#: Letters typical of a language -> their weight as evidence.
_MARKS: dict[str, dict[str, int]] = {
    "es": dict.fromkeys("ñ¿¡", 3),
    "pt": dict.fromkeys("ãõç", 3),
    "fr": dict.fromkeys("èêëàçœîû", 3) | {"é": 1},
}


def guess_language(text: str, *, default: str = "en") -> str:
    """The language of a short text (``en``, ``es``, ``fr`` or ``pt``) by its small
    words, word endings and letters; ``default`` when nothing decides.

    Examples
    --------
    >>> guess_language("Estudio de empleos verdes en Colombia")
    'es'
    >>> guess_language("Skills for a just transition in Ghana")
    'en'
    >>> guess_language("Guide pratique des emplois verts au Sénégal")
    'fr'
    """
    words = re.findall(r"\w+", fold(text))
    scores = dict.fromkeys(_FUNCTION_WORDS, 0.0)
    for lang, small in _FUNCTION_WORDS.items():
        scores[lang] += 2 * sum(w in small for w in words)
        scores[lang] += sum(len(w) > 4 and w.endswith(_ENDINGS[lang]) for w in words)
        marks = _MARKS.get(lang, {})
        scores[lang] += sum(marks.get(ch, 0) for ch in text.lower())
    best = max(scores.values())
    winners = [lang for lang, s in scores.items() if s == best]
    return default if best == 0 or default in winners else sorted(winners)[0]


def word_set(words: str) -> frozenset[str]:
    """The set of the space-separated ``words`` (how word tables are written)."""
    return frozenset(words.split())
