"""Phrase matching: the one expression PhraseMatcher compiles finds what trying each
phrase in turn, longest first, at every word start finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text import PhraseMatcher, fold

# few letters, so that phrases share prefixes, extend one another and take plurals
WORD = st.text(alphabet="abes", min_size=1, max_size=5)
PHRASE = st.lists(WORD, min_size=1, max_size=3).map(" ".join)


def _one_by_one(phrases: list[str], plurals: bool):
    """The phrases' expressions, longest first (then by text), each on its own."""
    table = sorted({fold(p) for p in phrases}, key=lambda k: (-len(k), k))
    out = []
    for key in table:
        body = r"[\s\-]+".join(re.escape(part) for part in key.split(" "))
        if plurals and len(key) >= 4 and key[-1].isalpha():
            body += r"(?:e?s)?"
        out.append(re.compile(r"(?<!\w)" + body + r"(?!\w)"))
    return out


def _reference(phrases: list[str], plurals: bool, text: str) -> list[tuple[int, int]]:
    """Left to right, at each position the first phrase (longest first) that matches;
    the search goes on after the match."""
    expressions = _one_by_one(phrases, plurals)
    found, at = [], 0
    while at < len(text):
        match = next((m for e in expressions if (m := e.match(text, at))), None)
        if match is None:
            at += 1
        else:
            found.append(match.span())
            at = match.end()
    return found


@st.composite
def _texts(draw, phrases: list[str]) -> str:
    """Text made of the phrases, cut short or run on, their spaces written as spaces,
    hyphens or line breaks, with plural endings, other words and punctuation."""
    pieces = []
    for _ in range(draw(st.integers(0, 8))):
        phrase = draw(st.one_of(st.sampled_from(phrases), WORD))
        phrase = phrase[: draw(st.integers(1, len(phrase)))] if draw(st.booleans()) else phrase
        phrase = phrase.replace(" ", draw(st.sampled_from([" ", "-", " - ", "\n", "  "])))
        phrase += draw(st.sampled_from(["", "", "s", "es", "e", "x", "'s", "."]))
        pieces.append(phrase + draw(st.sampled_from([" ", "", ", ", "-", "\n"])))
    return "".join(pieces)


@settings(max_examples=500, deadline=None)
@given(phrases=st.lists(PHRASE, min_size=1, max_size=12), plurals=st.booleans(), data=st.data())
def test_matches_as_phrases_tried_longest_first(phrases, plurals, data):
    text = data.draw(_texts(phrases))
    matcher = PhraseMatcher([(p, p, "k") for p in phrases], plurals=plurals)
    found = [(m.start, m.end) for m in matcher.find(text)]
    assert found == _reference(phrases, plurals, text)


def test_a_phrase_and_its_extensions():
    matcher = PhraseMatcher(
        [("bank", "bank", "k"), ("banks of x", "banks-of-x", "k"), ("ban", "ban", "k")]
    )
    text = "Banks of X, banks, the banks of y, a ban"
    assert [(text[m.start : m.end], m.value) for m in matcher.find(text)] == [
        ("Banks of X", "banks-of-x"),
        ("banks", "bank"),
        ("banks", "bank"),
        ("ban", "ban"),
    ]
