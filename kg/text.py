"""Text normalisation that keeps character offsets, and phrase matching over it.

:func:`fold` maps every character to exactly one character (lower case, no accent,
plain quotes and dashes), so a match found in the folded text has the same span in
the original text. Every evidence span the loader records comes from such a match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

_SPECIAL = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\t": " ",
    "\u00df": "s",
    "\u0131": "i",  # dotless i: no decomposition, and a case variant of i
    "\u00e6": "a",
    "\u0153": "o",
    "\u00f8": "o",
    "\u0142": "l",
    "\u0111": "d",
}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    low = base.lower()
    return low if len(low) == 1 else base


def fold(text: str) -> str:
    """Lower-case ``text``, strip accents and unify quotes, dashes and spaces, keeping
    its length: ``fold(t)[i]`` is the folded form of ``t[i]``.

    Examples
    --------
    >>> fold("Perú’s São Tomé")
    "peru's sao tome"
    >>> len(fold("Ministère")) == len("Ministère")
    True
    """
    return text.translate(_FOLDING)


class _Folding(dict):
    """``str.translate``'s table for :func:`fold`, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLDING = _Folding()


_SPELLING = [
    (re.compile(r"\blabor\b"), "labour"),
    (re.compile(r"\b(organi)z(ation|ational|ations|e|ed|ing)\b"), r"\1s\2"),
    (re.compile(r"\bcenter(s)?\b"), r"centre\1"),
    (re.compile(r"\bprogram(s)?\b"), r"programme\1"),
    (re.compile(r"\bmobiliz(e|ed|ing|ation)\b"), r"mobilis\1"),
]


def normalise_key(text: str) -> str:
    """A matching key: folded, UK spelling, punctuation removed, spaces collapsed.

    Examples
    --------
    >>> normalise_key("Ministry of Labor & Employment-Promotion")
    'ministry of labour and employment promotion'
    """
    text = fold(text).replace("&", " and ")
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    text = re.sub(r"[^\w]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1 << 14)  # the same few names ("e", "m") mint millions of IRIs
def slug(text: str, *, limit: int = 60) -> str:
    """An IRI-safe slug of ``text`` (``normalise_key`` with hyphens), cut at ``limit``.

    Examples
    --------
    >>> slug("Ministerio del Trabajo y Promoción del Empleo")
    'ministerio-del-trabajo-y-promocion-del-empleo'
    """
    words = normalise_key(text).split()
    out = "-".join(words)
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0]
    return out or "x"


def trie_pattern(keys: Iterable[str], *, plurals: bool) -> str:
    r"""One regular expression for ``keys`` (folded phrases, words apart by one space),
    as a trie: at each character the expression branches only on the characters that
    can follow, so a position is tried against each phrase at most once (an
    alternation of the phrases tried them one by one: four times slower on the
    countries' thousands of names).

    A longer phrase is tried before one it extends, as in an alternation sorted longest
    first; phrases that are not prefixes of each other cannot match the same text
    (their inner spaces match runs of spaces and hyphens, which no phrase holds). A
    phrase of four letters or more ending in a letter may take a plural ``s``/``es``
    (when ``plurals``), tried after any longer phrase.

    Examples
    --------
    >>> print(trie_pattern(["peru", "per"], plurals=True))
    per(?:u(?:e?s)?|)
    >>> print(trie_pattern(["costa rica", "chad"], plurals=False))
    c(?:had|osta[\s\-]+rica)
    >>> print(trie_pattern([], plurals=False))  # matches nothing
    (?!)
    """
    root = _TrieNode()
    for key in keys:
        node = root
        for char in key:
            node = node.next.setdefault(char, _TrieNode())
        node.plural = plurals and len(key) >= 4 and key[-1].isalpha()
    return root.pattern() if root.next else r"(?!)"


class _TrieNode:
    __slots__ = ("next", "plural")

    def __init__(self) -> None:
        self.next: dict[str, _TrieNode] = {}
        #: None where no phrase ends, else whether the phrase ending here takes a plural
        self.plural: bool | None = None

    def pattern(self) -> str:
        alternatives = [
            (r"[\s\-]+" if char == " " else re.escape(char)) + node.pattern()
            for char, node in sorted(self.next.items())
        ]
        if self.plural is not None:  # a phrase ends here: after any that goes on
            alternatives.append(r"(?:e?s)?" if self.plural else "")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"


@dataclass(frozen=True)
class Match:
    """A phrase found in a text: ``text[start:end]`` is the surface form."""

    start: int
    end: int
    value: str
    kind: str


class PhraseMatcher:
    """Find many phrases at once, case- and accent-insensitively, on word boundaries.

    Phrases are folded and their inner spaces match any run of spaces, hyphens or a
    line break; a trailing ``s`` is optional for phrases of four letters or more, so
    plural forms match. The longest phrase wins where several overlap.

    Examples
    --------
    >>> m = PhraseMatcher([("green job", "green_jobs", "label")])
    >>> [(x.start, x.end, x.value) for x in m.find("New Green-Jobs and green jobs")]
    [(4, 14, 'green_jobs'), (19, 29, 'green_jobs')]
    """

    def __init__(self, phrases: Iterable[tuple[str, str, str]], *, plurals: bool = True):
        table: dict[str, tuple[str, str]] = {}
        for phrase, value, kind in phrases:
            key = re.sub(r"[\s\-]+", " ", fold(phrase)).strip()
            if key and key not in table:
                table[key] = (value, kind)
        self._table = table
        self._regex = re.compile(r"(?<![\w])" + trie_pattern(table, plurals=plurals) + r"(?![\w])")

    def _lookup(self, surface: str) -> tuple[str, str]:
        key = re.sub(r"[\s\-]+", " ", surface)
        for candidate in (key, key[:-1], key[:-2]):
            if candidate in self._table:
                return self._table[candidate]
        raise KeyError(surface)

    def find(
        self, text: str, *, start: int = 0, end: int | None = None, folded: str | None = None
    ) -> Iterator[Match]:
        """Yield the matches in ``text[start:end]`` with offsets into ``text``.

        ``folded`` may pass ``fold(text)`` when the caller already has it.
        """
        folded = folded if folded is not None else fold(text)
        end = len(text) if end is None else end
        for m in self._regex.finditer(folded, start, end):
            value, kind = self._lookup(m.group(0))
            yield Match(m.start(), m.end(), value, kind)
