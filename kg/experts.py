"""Expert origins: which countries' experts served on an action.

A country counts only when a phrase says experts, expertise, peers or a team came
from it: "experts from France and Spain", "Swedish, French and Spanish expertise",
"a Dutch expert", "a team from Latvia and Lithuania", "peers from Estonia", "regional
experts from Cameroon", "expertise mobilised from Swedish and Polish institutions".
A country named elsewhere (a study-visit destination, a country whose practice was
presented, the partner country, a donor's home) is not an expert country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.gazetteer import CountryMention, find_countries

#: Nouns that name the people or knowledge mobilised.
EXPERT_NOUNS = (
    "e+xperts?",
    "e+xpertise",
    "peers?",
    "peer[- ]experts?",
    "specialists?",
    "practitioners?",
    "consultants?",
    "teams?",
    "team of experts",
    "professionals?",
    "trainers?",
    "advis[eo]rs?",
    "speakers?",
    "lecturers?",
    "facilitators?",
    "know-how",
    "counsell?ors?",
    "actuar(?:y|ies)",
    "inspectors?",
    "professors?",
    "researchers?",
    "academics?",
    "economists?",
    "statisticians?",
    "lawyers?",
    "jurists?",
    "judges?",
    "mediators?",
    "auditors?",
    "evaluators?",
    "instructors?",
    "coaches",
    "engineers?",
    "doctors?",
    "physicians?",
    "psychologists?",
    "civil servants?",
    "practitioner-experts?",
)
_NOUN = r"(?:" + "|".join(EXPERT_NOUNS) + r")"
#: Words that may stand between a demonym list and the noun: "Spanish peer experts",
#: "a Finnish occupational health specialist", "Latvian labour inspectors".
_FILLER = (
    r"(?:(?:public|senior|junior|peer|pes|eu|national|independent|technical|labou?r|"
    r"employment|regional|international|high[- ]level|experienced|ministry|government|"
    r"short[- ]term|long[- ]term|key|two|three|four|several|various|different|other|"
    r"occupational|health|safety|social|security|insurance|law|legal|statistical|pension|"
    r"gender|disability|inspection|training|vocational|career|guidance|former|retired|"
    r"academic|university|certified|leading|expert|team|data|it|policy|the|and|of)"
    r"[\s\-]+){0,4}"
)
_LIST_SEP = re.compile(
    r"(?:\s*,\s*(?:and\s+|as well as\s+|&\s+)?|\s+and\s+|\s*&\s*|\s*[-/–]\s*|"
    r"\s+as well as\s+|\s+y\s+|\s+et\s+|\s+e\s+|\s*,?\s*along with\s+)"
    r"(?:the\s+)?",
    re.IGNORECASE,
)
#: An expert noun, then "of" or, a few words on, "from": "experts mobilised by SOCIEUX+
#: from", "Experts' teams - from", "specialists of".
_NOUN_THEN_FROM = re.compile(
    r"\b" + _NOUN + r"(?:\s+of\s+|(?:[\s\-–—’'\)]+(?:[\w+’'\-]+\s+){0,6}?)?(?:came\s+|"
    r"coming\s+|drawn\s+|mobili[sz]ed\s+|deployed\s+|recruited\s+)?(?:from|based\s+in)\s+)"
    r"(?:the\s+)?",
    re.IGNORECASE,
)
_MOBILISED_FROM = re.compile(
    r"\b(?:mobili[sz]ed|enlisted|drawn|brought|came|come|sourced|seconded|recruited)\s+"
    r"from\s+(?:the\s+)?",
    re.IGNORECASE,
)
#: "Expertise provided by Austria and Slovenia", "practitioners seconded by Portugal's IEFP".
_NOUN_BY = re.compile(
    r"\b" + _NOUN + r"(?:\s+[\w’'\-]+){0,3}?\s+(?:provided|seconded|contributed|offered|"
    r"shared|delivered|made available|lent|sent|deployed|mobili[sz]ed|supplied|brought in)"
    r"\s+by\s+(?:the\s+)?",
    re.IGNORECASE,
)
#: "..., and from the region, namely Serbia": a further list in the same sentence.
_AND_FROM = re.compile(
    r"[^.;!?]{0,80}?(?:,\s*|\s+)(?:and|as well as|plus)\s+(?:also\s+)?(?:from|by)\s+"
    r"(?:the\s+)?",
    re.IGNORECASE,
)
#: An aside before a list's next item: "[EU and regional]".
_ASIDE = re.compile(r"\s*(?:\[[^\]]{0,40}\]\s*)?")
#: A country in the possessive a few words on: "from Sodra, Lithuania's social insurance".
_POSSESSIVE = re.compile(r"^\s*[’']s\b")
#: After "from": words naming a kind of institution, then the countries: "from public
#: employment services of France", "from EU member states, namely Spain".
_THEN_COUNTRIES = re.compile(
    r"\b(?:of|in|namely|including|notably|such as|i\.e\.,?)\s+"
    r"(?:the\s+)?",
    re.IGNORECASE,
)
#: Words before a demonym that make the people the partner's own: "their Peruvian peers".
_OWN_PEOPLE = re.compile(r"\b(?:their|its|his|her|local|partner|national|host)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class ExpertMention:
    """Experts from country ``alpha2``: ``start``/``end`` is the whole phrase."""

    alpha2: str
    start: int
    end: int
    rule: str


def _country_list(
    text: str, pos: int, mentions: list[CountryMention], *, limit: int = 12
) -> tuple[list[CountryMention], int]:
    """The country mentions that form a list starting at ``pos``: "France, Italy and
    Spain", "Swedish, Polish, and French"; returns them and where the list ends."""
    by_start = {m.start: m for m in mentions}
    found: list[CountryMention] = []
    while len(found) < limit:
        # skip "[EU and regional]"-style asides and brackets before an item
        # (matched in place: a slice from ``pos`` copied the rest of the document)
        at = _ASIDE.match(text, pos).end()
        mention = by_start.get(at)
        if mention is None:
            break
        found.append(mention)
        pos = mention.end
        sep = _LIST_SEP.match(text, pos)
        if not sep or not sep.group(0):
            break
        nxt = sep.end()
        if nxt not in by_start:
            break
        pos = nxt
    return found, pos


def _list_after_from(
    text: str, pos: int, end: int, mentions: list[CountryMention]
) -> tuple[list[CountryMention], int]:
    """The country list right after "from", or after the words naming the kind of
    institution that follow it (at most eight words, within the sentence)."""
    listed, list_end = _country_list(text, pos, mentions)
    if listed:
        return listed, list_end
    stop = min(end, pos + 120)
    sentence_end = re.search(r"[.;!?](?:\s|$)", text[pos:stop])
    stop = pos + sentence_end.start() if sentence_end else stop
    # "from Sodra, Lithuania's insurance board": a possessive country a few words on
    near = [
        m
        for m in mentions
        if pos <= m.start < min(stop, pos + 60) and _POSSESSIVE.match(text[m.end : m.end + 3])
    ]
    if near and len(text[pos : near[0].start].split()) <= 6:
        return [near[0]], near[0].end
    for m in _THEN_COUNTRIES.finditer(text, pos, stop):
        if len(text[pos : m.start()].split()) > 8:
            break
        listed, list_end = _country_list(text, m.end(), mentions)
        if listed:
            return listed, list_end
    return [], pos


_AND_POSSESSIVE = re.compile(r"[^.;!?]{0,60}?\s+(?:and|as well as)\s+(?:the\s+)?", re.IGNORECASE)


def _more_after(
    text: str, pos: int, end: int, mentions: list[CountryMention]
) -> tuple[list[CountryMention], int]:
    """A further list in the same sentence: "..., and from Belgium's INAMI"; after a
    possessive ("Germany's DGUV"), also "... and Austria's AUVA"."""
    more = _AND_FROM.match(text, pos, end)
    if more:
        return _list_after_from(text, more.end(), end, mentions)
    after_possessive = _POSSESSIVE.match(text[pos : pos + 3])
    more = _AND_POSSESSIVE.match(text, pos, end) if after_possessive else None
    if more:
        at = {m.start: m for m in mentions}.get(more.end())
        if at and _POSSESSIVE.match(text[at.end : at.end + 3]):
            return [at], at.end
    return [], pos


def find_experts(
    text: str,
    *,
    start: int = 0,
    end: int | None = None,
    mentions: list[CountryMention] | None = None,
) -> list[ExpertMention]:
    """Expert countries stated in ``text[start:end]``.

    Examples
    --------
    >>> t = "Experts from France and Spain met the Ministry; Swedish and Dutch expertise too."
    >>> sorted({e.alpha2 for e in find_experts(t)})
    ['ES', 'FR', 'NL', 'SE']
    >>> find_experts("A study visit to Ireland showed Brazilian practice.")
    []
    """
    end = len(text) if end is None else end
    if mentions is None:
        mentions = find_countries(text, start=start, end=end)
    out: list[ExpertMention] = []
    # "experts from A, B and C" / "expertise mobilised from Swedish institutions"
    for pattern, rule in (
        (_NOUN_THEN_FROM, "experts-from-list"),
        (_MOBILISED_FROM, "mobilised-from-list"),
        (_NOUN_BY, "experts-provided-by-list"),
    ):
        for m in pattern.finditer(text, start, end):
            listed, list_end = _list_after_from(text, m.end(), end, mentions)
            while listed:
                for mention in listed:
                    out.append(ExpertMention(mention.alpha2, m.start(), list_end, rule))
                listed, list_end = _more_after(text, list_end, end, mentions)
    # "Swedish, French and Spanish expertise", "a Dutch expert", "Belgian and Dutch experts"
    for mention in mentions:
        if mention.kind != "demonym":
            continue
        listed, list_end = _country_list(text, mention.start, mentions)
        if not listed or any(m.kind != "demonym" for m in listed):
            continue
        if _OWN_PEOPLE.search(text[max(start, mention.start - 12) : mention.start]):
            continue
        tail = re.match(r"[\s\-]+" + _FILLER + _NOUN + r"\b", text[list_end:end], re.IGNORECASE)
        if tail:
            for item in listed:
                out.append(
                    ExpertMention(
                        item.alpha2, mention.start, list_end + tail.end(), "demonym-experts"
                    )
                )
    return _dedupe(out)


def _dedupe(found: list[ExpertMention]) -> list[ExpertMention]:
    best: dict[str, ExpertMention] = {}
    for e in sorted(found, key=lambda e: (e.start, e.end)):
        best.setdefault(e.alpha2, e)
    return sorted(best.values(), key=lambda e: (e.start, e.alpha2))


#: People who may be sent besides those EXPERT_NOUNS names.
_MORE_PEOPLE = r"colleagues?|officers?|developers?|assessors?|teachers?|managers?|analysts?"
#: Words that say, in a sentence, that people were mobilised for the action.
_CUE = re.compile(
    r"\b(?:" + "|".join(EXPERT_NOUNS) + "|" + _MORE_PEOPLE + r"|case workers?|"
    r"mobili[sz](?:ed|ing|ation)|seconded|input from|support from|contributed|joined)\b",
    re.IGNORECASE,
)
#: What may follow a demonym for it to name an institution or people: "the Croatian
#: Employment Service", "the Finnish unemployment insurance fund", "Danish VET teachers".
_HEAD_AFTER_DEMONYM = re.compile(
    r"^(?:[\s\-]+[\w’'\-]+){0,4}?[\s\-]+(?:service|agency|fund|ministry|office|institute|"
    r"inspectorate|inspection|authority|commission|council|court|board|centre|center|"
    r"administration|department|university|union|confederation|federation|chamber|"
    r"directorate|observatory|" + "|".join(EXPERT_NOUNS) + "|" + _MORE_PEOPLE + r")\b",
    re.IGNORECASE,
)
#: Words right after a country word that make it no origin of people: a language, a
#: model or practice shown, a product, a group of people, the country's own government.
_NOT_ORIGIN = re.compile(
    r"^[\s\-’']*s?\s*(?:language|version|models?|approach|experience|practices?|examples?|"
    r"case|cheese|nuts?|law|legislation|market|refugees?|migrants?|workers?|nationals|"
    r"citizens|government)\b",
    re.IGNORECASE,
)


def find_expert_sentences(
    text: str,
    *,
    start: int,
    end: int,
    mentions: list[CountryMention],
    exclude: set[str],
    skip: list[tuple[int, int]],
) -> list[ExpertMention]:
    """Countries named as the origin of people or institutions in a sentence that says
    people were mobilised, when no fixed phrase caught them: "a colleague from Romania's
    labour inspectorate", "one from the Croatian Employment Service", "Quality and
    Qualifications Ireland". ``exclude`` holds countries never to report (the partner's,
    the experts already found); ``skip`` spans whose mentions say something else
    (visits, practices shown).

    Examples
    --------
    >>> t = "A colleague from Romania's inspectorate and an officer of the Irish Intreo joined."
    >>> m = find_countries(t)
    >>> sorted(e.alpha2 for e in find_expert_sentences(t, start=0, end=len(t), mentions=m,
    ...                                                  exclude=set(), skip=[]))
    ['IE', 'RO']
    """
    out: list[ExpertMention] = []
    for sentence in re.finditer(r"[^.;!?]+(?:[.;!?]|$)", text[start:end]):
        a, b = start + sentence.start(), start + sentence.end()
        if not _CUE.search(text, a, b):
            continue
        for m in mentions:
            if not a <= m.start < b or m.alpha2 in exclude:
                continue
            if any(x <= m.start < y for x, y in skip) or _NOT_ORIGIN.match(
                text[m.end : m.end + 25]
            ):
                continue
            before = text[max(a, m.start - 25) : m.start]
            after = text[m.end : m.end + 60]
            origin = (
                m.kind in ("institution", "place")
                or re.search(r"\b(?:from|of|by)\s+(?:the\s+)?$", before, re.IGNORECASE)
                or _POSSESSIVE.match(after[:3])
                or (m.kind == "demonym" and _HEAD_AFTER_DEMONYM.match(after))
                or (m.kind == "name" and re.search(r"[A-Z][\w’'\-]*\s+(?:and\s+)?$", before))
            )
            if origin:
                out.append(ExpertMention(m.alpha2, m.start, m.end, "country-in-expert-sentence"))
    return _dedupe(out)
