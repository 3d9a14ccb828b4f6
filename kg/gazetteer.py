"""Country mentions in text: names (en/es/fr/pt), demonyms and places, with spans.

The tables behind it are data (``ontology/src``, read by :mod:`kg.countries`); this
module only compiles them into one matcher.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.countries import data_dir, load_countries, load_places
from kg.text import PhraseMatcher, fold

#: Phrases that contain a country word without naming a country; matching them
#: first (longest match wins) keeps "Latin American" from reading as "American".
NOT_COUNTRIES = (
    "Latin America",
    "Latin American",
    "South America",
    "South American",
    "Central America",
    "Central American",
    "North America",
    "North American",
    "Sub-Saharan Africa",
    "West Africa",
    "West African",
    "East Africa",
    "East African",
    "Southern Africa",
    "North Africa",
    "Central Africa",
    "Central African",
    "Western Balkans",
    "Europe",
    "European",
    "European Union",
    "Asia",
    "Asian",
    "Africa",
    "African",
    "Caribbean",
    "Pacific",
    "Middle East",
    "South Asia",
    "South-East Asia",
    "Southeast Asia",
    "English language",
    "in English",
    "in French",
    "in Spanish",
    "in Portuguese",
    "French-speaking",
    "Spanish-speaking",
    "Portuguese-speaking",
    "English-speaking",
    "Indian Ocean",
    "New Mexico",
    "New Jersey",
    "New England",
    "Jordan River",
    "Georgia State",
    "Dominican Order",
)
#: Demonyms two countries share, read as the country that uses them far more often
#: (the first phrase given for a key wins in the matcher).
PREFERRED = (("Dominican", "DO"), ("Congolese", "CD"))
#: Names shorter than this, or written in capitals, must match case-exactly.
_CASE_SENSITIVE_MAX = 4


@dataclass(frozen=True)
class CountryMention:
    """``text[start:end]`` names country ``alpha2`` by its ``kind`` of word:
    ``name``, ``demonym``, ``place`` or ``institution``."""

    start: int
    end: int
    alpha2: str
    kind: str


@lru_cache(maxsize=1)
def load_institutions() -> tuple[tuple[str, str], ...]:
    """Public institutions whose name alone tells their country (public employment
    services, social security bodies): ``ontology/src/institutions.csv``."""
    with (data_dir() / "institutions.csv").open(encoding="utf-8", newline="") as handle:
        return tuple((row["name"], row["alpha2"]) for row in csv.DictReader(handle))


@lru_cache(maxsize=1)
def _matcher() -> tuple[PhraseMatcher, frozenset[str]]:
    phrases: list[tuple[str, str, str]] = [(p, "", "none") for p in NOT_COUNTRIES]
    phrases += [(name, code, "demonym") for name, code in PREFERRED]
    exact: set[str] = set()
    for code, country in sorted(load_countries().items()):
        names = {country.name_en, *country.names.values(), *country.alt_names}
        for name in sorted(names):
            if "," in name or "(" in name:
                continue
            phrases.append((name, code, "name"))
            if name.lower().startswith("the "):
                phrases.append((name[4:], code, "name"))
        for demonym in country.demonyms:
            phrases.append((demonym, code, "demonym"))
    for place in load_places():
        phrases.append((place.name, place.alpha2, "place"))
    for name, code in load_institutions():
        phrases.append((name, code, "institution"))
    for phrase, _, _ in phrases:
        if phrase.isupper() or len(phrase) <= _CASE_SENSITIVE_MAX:
            exact.add(re.sub(r"[\s\-]+", " ", fold(phrase)))
    return PhraseMatcher(phrases, plurals=False), frozenset(exact)


def find_countries(
    text: str, *, start: int = 0, end: int | None = None, folded: str | None = None
) -> list[CountryMention]:
    """Every country mention in ``text[start:end]``, left to right.

    Examples
    --------
    >>> [(m.alpha2, m.kind) for m in find_countries("Swedish experts went to Perú and Lima")]
    [('SE', 'demonym'), ('PE', 'name'), ('PE', 'place')]
    >>> find_countries("Latin American countries told us")
    []
    """
    matcher, exact = _matcher()
    out = []
    for m in matcher.find(text, start=start, end=end, folded=folded):
        if m.kind == "none":
            continue
        surface = text[m.start : m.end]
        if re.sub(r"[\s\-]+", " ", fold(surface)) in exact and not _same_case(surface):
            continue
        out.append(CountryMention(m.start, m.end, m.value, m.kind))
    return out


def _same_case(surface: str) -> bool:
    """An acronym-like name must be in capitals (US, not "us"); a short name
    capitalised (Chad, Peru)."""
    return surface.isupper() or surface[:1].isupper()


def is_eu_member(alpha2: str) -> bool:
    """Whether ``alpha2`` is an EU member state."""
    country = load_countries().get(alpha2)
    return bool(country and country.eu_member)
