"""Extract: action Segments (bullet and labelled) -> Records with evidence.

One action block gives an ``action`` record and the ``organisation`` records of its
partner institution (and that institution's parent, when the line names one). The
rules are named in every fact, so each fact can say why it was extracted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from kg.dates import find_periods, parse_date, period_matches
from kg.documents import Document
from kg.experts import ExpertMention, find_expert_sentences, find_experts
from kg.gazetteer import CountryMention, find_countries, is_eu_member
from kg.institutions import Institution, parse_institution
from kg.mentions import find_known
from kg.records import Fact, Problem, Record
from kg.segment import Line, Segment, is_prose, label_of
from kg.text import fold
from kg.vocabulary import find_concepts

_CODE = re.compile(
    r"\b(?:action|acci[oó]n|socieux\s*\+?|code|ref\.?)\s*(?:n[o°º]\.?\s*|#\s*)?"
    r"(?P<code>(?:19|20)\d\d-\d{2,3})\b",
    re.IGNORECASE,
)
_CODE_ALONE = re.compile(r"^\s*(?P<code>(?:19|20)\d\d-\d{2,3})\b")
#: Words before a code that make it another action's: relation and confidence.
_RELATION_CUES = [
    (
        re.compile(
            r"(?:previous|prior|earlier|former|preceding|first|building on|builds on|"
            r"built on|follow(?:s|ing)?(?:[- ]up)?(?: (?:of|to|on))?|continu\w+|"
            r"based on|results? of|extension of|phase)\W+(?:\w+\W+){0,6}$",
            re.I,
        ),
        "buildsOn",
    ),
    (
        re.compile(
            r"(?:parallel|in coordination with|alongside|together with|jointly with|"
            r"complement\w*)\W+(?:\w+\W+){0,6}$",
            re.I,
        ),
        "runsInParallelWith",
    ),
]
#: Context before a country name that makes it a place visited or a practice shown.
_MENTION_ONLY = re.compile(
    r"(?:study visits?|visit(?:ed|s)?|trip|travel(?:led)?|tour|experiences?|practices?|"
    r"examples?|models?|lessons|cases? stud(?:y|ies)|the case|cases|countries like|"
    r"countries such as|such as|like|cooperation agency|development agency|donors?|"
    r"funded by|financed by|contribution|grant|funding|financing|compared|comparison)"
    r"\W+(?:\w+\W+){0,4}$",
    re.IGNORECASE,
)
#: A country word naming a group of people or a thing rather than the partner country:
#: "Syrian refugees", "Brazil nuts", "a Russian-language version".
_GROUP_AFTER = re.compile(
    r"^[\s\-]+(?:refugees?|migrants?|asylum[- ]seekers?|diaspora|returnees?|nationals|"
    r"expatriates|immigrants?|emigrants?|citizens abroad|nuts?|cheese|language|version)\b",
    re.IGNORECASE,
)
_POSSESSIVE_OR_IN = re.compile(
    r"(?:\bof|\bin|\bfor|\bto|\bacross|\bthroughout)\s+(?:the\s+)?$", re.IGNORECASE
)
_GOV_WORDS = re.compile(
    r"^[\s’']*s?\s*(?:government|ministry|ministries|labour|labor|"
    r"public|national|institution|agency|employment|authorities|"
    r"social|workforce|commitment|recent|regional|department|office|"
    r"council|state|federal)",
    re.IGNORECASE,
)

#: Weights of the places a partner country may be read from.
WEIGHTS = {"label": 12.0, "institution": 6.0, "title": 3.0, "strong": 2.5, "plain": 1.0}


def _fact(prop: str, value: str, start: int, end: int, rule: str, confidence: float = 1.0) -> Fact:
    return Fact(prop, value, start, end, rule, round(confidence, 3))


def _assistance_parts(line: Line) -> tuple[list[Fact], list[Fact]] | None:
    """Facts for an assistance-type line, or None when ``line`` is not one.

    The line is taken for a list of types when the vocabulary's labels cover most of
    it; the parts no label covers are kept as unknown raw values.
    """
    text = line.text
    matches = find_concepts("assistance", text)
    covered = sum(m.end - m.start for m in matches)
    letters = len(re.sub(r"[\W\d_]", "", text))
    code = re.match(r"^[A-Z]\.\d{2}\b", text)
    if not matches or (covered < 0.6 * letters and not code):
        return None
    facts = [
        _fact(
            "assistanceType",
            f"assistance:{m.value}",
            line.start + m.start,
            line.start + m.end,
            "assistance-line",
        )
        for m in matches
    ]
    unknown = []
    pos = 0
    for m in [*matches, None]:
        stop = m.start if m else len(text)
        gap = text[pos:stop]
        piece = gap.strip(" ,;/&+-")
        if re.search(r"[A-Za-z]{4,}", piece) and piece.lower() not in {"and", "et", "y"}:
            off = line.start + pos + gap.index(piece)
            unknown.append(
                _fact(
                    "unknownAssistanceType",
                    f"text:{piece}",
                    off,
                    off + len(piece),
                    "assistance-line-unmatched",
                )
            )
        pos = m.end if m else pos
    return facts, unknown


def _institution_records(inst: Institution, local: str, rule: str) -> list[Record]:
    facts = [_fact("name", f"lang:en:{inst.name.text}", inst.name.start, inst.name.end, rule)]
    if inst.original:
        facts.append(
            _fact(
                "altName",
                f"lang:{inst.original_language}:{inst.original.text}",
                inst.original.start,
                inst.original.end,
                "bracketed-original-name",
            )
        )
    for acronym in inst.acronyms:
        facts.append(
            _fact(
                "acronym",
                f"text:{acronym.text}",
                acronym.start,
                acronym.end,
                "acronym-in-parentheses",
            )
        )
    kinds = find_concepts("orgkind", inst.name.text)
    if kinds:
        first = min(kinds, key=lambda m: (m.start, -m.end))
        facts.append(
            _fact(
                "classification",
                f"orgkind:{first.value}",
                inst.name.start + first.start,
                inst.name.start + first.end,
                "organisation-kind-word",
            )
        )
    records = []
    if inst.parent:
        parent_local = f"{local}.parent"
        parent_facts = [
            _fact(
                "name",
                f"lang:en:{inst.parent.text}",
                inst.parent.start,
                inst.parent.end,
                "parent-in-parentheses",
            )
        ]
        parent_kinds = find_concepts("orgkind", inst.parent.text)
        if parent_kinds:
            parent_facts.append(
                _fact(
                    "classification",
                    f"orgkind:{parent_kinds[0].value}",
                    inst.parent.start + parent_kinds[0].start,
                    inst.parent.start + parent_kinds[0].end,
                    "organisation-kind-word",
                )
            )
        records.append(
            Record(
                "organisation",
                parent_local,
                inst.parent.start,
                inst.parent.end,
                "",
                tuple(parent_facts),
            )
        )
        facts.append(
            _fact(
                "subOrganizationOf",
                f"ref:{parent_local}",
                inst.parent.start,
                inst.parent.end,
                "parent-in-parentheses",
            )
        )
    records.insert(
        0, Record("organisation", local, inst.line.start, inst.line.end, "", tuple(facts))
    )
    return records


class _Block:
    """The parts of one action block, found by labels first and position second."""

    def __init__(self, seg: Segment):
        self.seg = seg
        self.title: Line | None = seg.title
        self.labelled: dict[str, Line] = {}
        for lab in seg.labels:
            if lab.value is not None and lab.field not in self.labelled:
                self.labelled[lab.field] = lab.value
        if self.title is None and "title" in self.labelled:
            self.title = self.labelled.pop("title")
        self.partner: Line | None = self.labelled.get("partner")
        self.partner_rule = "label-partner" if self.partner else "institution-line"
        self.assistance: list[Line] = (
            [self.labelled["assistance"]] if "assistance" in self.labelled else []
        )
        rest = [ln for ln in seg.lines if label_of(ln) is None]
        description: list[Line] = []
        if "description" in self.labelled:
            description.append(self.labelled["description"])
        for line in rest:
            if description or is_prose(line.text):
                description.append(line)
            elif not self.assistance and _assistance_parts(line) is not None:
                self.assistance.append(line)
            elif self.partner is None:
                self.partner = line
            elif not self.assistance:
                self.assistance.append(line)
            else:
                description.append(line)
        self.description = description


def _line(doc: Document, seg: Segment) -> int:
    """The line ``seg`` starts on (counted only for a problem: counting before each
    block read a long document again and again)."""
    return doc.text.count("\n", 0, seg.start) + 1


def extract_action(
    doc: Document, seg: Segment, *, folded: str | None = None
) -> tuple[list[Record], list[Problem]]:
    """Records of one bullet or labelled block, or problems when it is unusable.

    ``folded`` may pass ``fold(doc.text)`` when the caller already has it (folding the
    document once, not once per block)."""
    block = _Block(seg)
    where = f"{seg.layout} block {seg.index}"
    if block.title is None:
        return [], [Problem(doc.name, f"{where} has no title", _line(doc, seg))]
    local = f"b{seg.index}"
    text = doc.text
    folded = folded if folded is not None else fold(text)
    t = block.title
    facts = [
        _fact(
            "title",
            f"text:{t.text}",
            t.start,
            t.end,
            "bullet-title" if seg.title else "label-title",
        )
    ]
    desc_start = block.description[0].start if block.description else None
    desc_end = block.description[-1].end if block.description else None
    if block.description:
        facts.append(
            _fact(
                "description",
                f"text:{text[desc_start:desc_end]}",
                desc_start,
                desc_end,
                "description-paragraph",
            )
        )
    problems: list[Problem] = []
    records: list[Record] = []
    inst = None
    if block.partner is not None:
        inst = parse_institution(block.partner.text, block.partner.start)
        records += _institution_records(inst, f"{local}.partner", block.partner_rule)
        facts.append(
            _fact(
                "partnerInstitution",
                f"ref:{local}.partner",
                block.partner.start,
                block.partner.end,
                block.partner_rule,
            )
        )
    else:
        found = _partner_in_description(block, text)
        if found is None:
            problems.append(
                Problem(
                    doc.name, f"{where} has no partner institution line", _line(doc, seg), "error"
                )
            )
            return [], problems
        inst = parse_institution(found[0], found[1])
        records += _institution_records(inst, f"{local}.partner", "institution-in-description")
        facts.append(
            _fact(
                "partnerInstitution",
                f"ref:{local}.partner",
                inst.line.start,
                inst.line.end,
                "institution-in-description",
                0.7,
            )
        )
    for line in block.assistance:
        parts = _assistance_parts(line)
        if parts is None:
            facts.append(
                _fact(
                    "unknownAssistanceType",
                    f"text:{line.text}",
                    line.start,
                    line.end,
                    "assistance-line-unmatched",
                )
            )
        else:
            facts += parts[0] + parts[1]
    spans = [(t.start, t.end)] + ([(desc_start, desc_end)] if block.description else [])
    facts += _codes_and_dates(block, spans, text, folded)
    mentions = [m for a, b in spans for m in find_countries(text, start=a, end=b, folded=folded)]
    experts = [
        e
        for a, b in spans[1:]
        for e in find_experts(
            text, start=a, end=b, mentions=[m for m in mentions if a <= m.start < b]
        )
    ]
    names = tuple(p.text for p in (inst.name, inst.original) if p)
    experts = _visiting(experts, text, (*names, *(a.text for a in inst.acronyms)))
    # a ministry's name lists portfolios ("Employment, Youth and Sports"): no theme there;
    # a specialised body's name (a labour inspectorate) does say what the action is about
    portfolios = names if _ORG_NAME.match(inst.name.text + " ") else ()
    facts += _themes(spans, text, folded, portfolios, [_clause(text, e) for e in experts])
    facts += _programmes(spans, text, folded)
    facts += _countries(block, inst, spans, text, folded, records, mentions, experts)
    records.insert(0, Record("action", local, seg.start, seg.end, seg.layout, tuple(facts)))
    return records, problems


_FIRST_ORG = re.compile(
    r"^(?:[\w’'\-]+\s+){0,3}?(?:the\s+)?(?P<name>(?:[A-Z][\w’'\-]*\s+){0,4}(?:Ministry|Agency|"
    r"Service|Office|Institute|Council|Directorate|Secretariat|Department|Fund|Bureau|Authority|"
    r"Centre|Center|Commission|Union|Confederation|Federation|Observatory)(?:\s+(?:of|for|"
    r"and|the|on|de|del|du|des|[A-Z][\w’'\-]*))*(?:\s+\([A-Z][\w&/\-]{1,12}\))?)"
)


def _partner_in_description(block: _Block, text: str) -> tuple[str, int] | None:
    """The institution the description opens with ("The Ministry of Labour of X asked"),
    for a block whose partner line is missing: (name, offset) or None."""
    if not block.description:
        return None
    first = block.description[0]
    m = _FIRST_ORG.match(first.text)
    if not m:
        return None
    name = m.group("name").rstrip()
    return name, first.start + m.start("name")


def _codes_and_dates(
    block: _Block, spans: list[tuple[int, int]], text: str, folded: str
) -> list[Fact]:
    facts: list[Fact] = []
    code_line = block.labelled.get("code")
    own: set[str] = set()
    if code_line:
        m = _CODE_ALONE.match(code_line.text) or _CODE.search(code_line.text)
        if m:
            own.add(m.group("code"))
            facts.append(
                _fact(
                    "actionCode",
                    f"text:{m.group('code')}",
                    code_line.start + m.start("code"),
                    code_line.start + m.end("code"),
                    "label-code",
                )
            )
    scan = [*spans, (code_line.start, code_line.end)] if code_line else spans
    for a, b in scan:
        for m in _CODE.finditer(text, a, b):
            code = m.group("code")
            before = text[max(a, m.start() - 90) : m.start()]
            relation = next((rel for cue, rel in _RELATION_CUES if cue.search(before)), None)
            if relation is None and ((own and code not in own) or _other_action(text, m, a)):
                relation = "relatedAction"
            if relation:
                facts.append(
                    _fact(
                        relation, f"code:{code}", m.start(), m.end(), "action-code-reference", 0.9
                    )
                )
            elif code not in own:
                own.add(code)
                facts.append(
                    _fact(
                        "actionCode",
                        f"text:{code}",
                        m.start("code"),
                        m.end("code"),
                        "action-code-in-text",
                        0.9,
                    )
                )
    labelled = {}
    for lab, prop in (("start", "startDate"), ("end", "endDate")):
        line = block.labelled.get(lab)
        period = parse_date(line.text) if line else None
        if period:
            value = period.start if prop == "startDate" else period.end
            labelled[lab] = (value, line)
            facts.append(_fact(prop, f"date:{value}", line.start, line.end, f"label-{lab}"))
    if labelled:
        first, last = (
            labelled.get("start") or labelled["end"],
            labelled.get("end") or labelled["start"],
        )
        iso = first[0] if first[0] == last[0] else f"{first[0]}/{last[0]}"
        facts.append(
            _fact("mentionedDate", f"period:{iso}", first[1].start, last[1].end, "label-period")
        )
    # (each span's candidates found once, read without a year and then with it)
    found = [(a, b, period_matches(folded, a, b)) for a, b in spans]
    year = next(
        (
            int(p.start[:4])
            for a, b, m in found
            for p in find_periods(text, start=a, end=b, folded=folded, matches=m)
        ),
        None,
    )
    periods = [
        p
        for a, b, m in found
        for p in find_periods(text, start=a, end=b, folded=folded, year=year, matches=m)
    ]
    # a bare year that a more precise date of the same year restates says nothing more
    periods = [
        p
        for p in periods
        if len(p.start) > 4
        or p.start != p.end
        or not any(q is not p and len(q.start) > 4 and q.start[:4] == p.start for q in periods)
    ]
    for p in periods:
        facts.append(
            _fact("mentionedDate", f"period:{p.iso}", p.span_start, p.span_end, f"date-{p.form}")
        )
    if not any(f.prop in ("startDate", "endDate") for f in facts):
        main = _action_period(periods, text)
        if main:
            facts.append(
                _fact(
                    "startDate",
                    f"date:{main.start}",
                    main.span_start,
                    main.span_end,
                    "action-period",
                    0.8,
                )
            )
            facts.append(
                _fact(
                    "endDate",
                    f"date:{main.end}",
                    main.span_start,
                    main.span_end,
                    "action-period",
                    0.8,
                )
            )
    return facts


def _other_action(text: str, m: re.Match[str], floor: int) -> bool:
    """A code in a sentence that speaks of other or earlier support."""
    sentence_start = max(floor, text.rfind(".", floor, m.start()) + 1)
    return bool(
        re.search(
            r"\b(?:previous|earlier|prior|another|other)\b",
            text[sentence_start : m.start()],
            re.IGNORECASE,
        )
    )


_PERIOD_CUE = re.compile(
    r"(?:implemented|carried out|took place|held|hosted|ran|run|"
    r"conducted|organi[sz]ed|delivered|from|between|during|on)\W+"
    r"(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)


def _action_period(periods: list, text: str):
    """The period the action itself ran: a day- or month-precise one introduced by
    words such as "implemented", "took place", "hosted from"."""
    for p in periods:
        if len(p.start) >= 7 and _PERIOD_CUE.search(text[max(0, p.span_start - 60) : p.span_start]):
            return p
    return None


#: An organisation's name in running text: its words say nothing about the action's
#: themes ("Ministry of Employment, Youth and Sports").
_ORG_NAME = re.compile(
    r"\b(?:Ministry|Minist[eè]re|Ministerio|Minist[eé]rio|Secretariat|Secretar[ií]a|Department)"
    r"\s+(?:of|for|de|del|du|da|do|des|pour)\s+(?:(?:[A-Z][\w’'\-]*|and|of|the|for|et|y|e|de|"
    r"la|du|des|del|&)[\s,]*){1,12}"
)


_ATTENDED = re.compile(r"\b(?:attended|visited|travell?ed to|were trained)\b", re.I)
#: "... counsellors and IT staff of the <partner institution>": the partner's own people.
_OWN_STAFF = re.compile(r"(?:\s+(?:and|or)(?:\s+[\w\-]+){1,2})?\s+(?:of|from|at|in)\s+(?:the\s+)?")


def _visiting(
    experts: list[ExpertMention], text: str, names: tuple[str, ...]
) -> list[ExpertMention]:
    """Drop expert mentions that speak of the partner's own people ("Ukrainian counsellors
    of the State Employment Service") or of people who only attended."""
    kept = []
    for e in experts:
        _, b = _clause(text, e)
        tail = _OWN_STAFF.match(text, e.end)
        own = tail and any(n and text.startswith(n, tail.end()) for n in names)
        if own or _ATTENDED.search(text, e.end, b):
            continue
        kept.append(e)
    return kept


def _programmes(spans: list[tuple[int, int]], text: str, folded: str) -> list[Fact]:
    """The programmes of the gazetteer the block names ("SOCIEUX+ mobilised...")."""
    seen: dict[str, Fact] = {}
    for a, b in spans:
        for known in find_known(text, start=a, end=b, folded=folded):
            if known.entry.table == "programme":
                seen.setdefault(
                    known.entry.slug,
                    _fact(
                        "programme",
                        f"programme:{known.entry.slug}",
                        known.start,
                        known.end,
                        "programme-named",
                    ),
                )
    return sorted(seen.values(), key=lambda f: f.start)


def _clause(text: str, e: ExpertMention) -> tuple[int, int]:
    """The expert phrase and the rest of its clause: "peers from the Estonian
    Unemployment Insurance Fund" says who came, not what the action is about."""
    stop = re.search(r"[.;,(]|\s(?:to|and|who|which|that)\s", text[e.end : e.end + 80])
    return e.start, e.end + (stop.start() if stop else 0)


def _themes(
    spans: list[tuple[int, int]],
    text: str,
    folded: str,
    names: tuple[str, ...] = (),
    hidden: Iterable[tuple[int, int]] = (),
) -> list[Fact]:
    masked = [m.span() for a, b in spans for m in _ORG_NAME.finditer(text, a, b)]
    masked += hidden
    for name in names:
        for a, b in spans:
            at = text.find(name, a, b)
            while at >= 0:
                masked.append((at, at + len(name)))
                at = text.find(name, at + 1, b)
    seen: dict[str, Fact] = {}
    for a, b in spans:
        for m in find_concepts("theme", text, start=a, end=b, folded=folded):
            if any(x <= m.start < y for x, y in masked):
                continue
            seen.setdefault(
                m.value, _fact("theme", f"theme:{m.value}", m.start, m.end, "theme-label")
            )
    return sorted(seen.values(), key=lambda f: f.start)


def _countries(
    block: _Block,
    inst: Institution | None,
    spans: list[tuple[int, int]],
    text: str,
    folded: str,
    records: list[Record],
    mentions: list[CountryMention],
    experts: list[ExpertMention],
) -> list[Fact]:
    """Partner, expert and merely mentioned countries of one action block."""
    expert_spans = [(e.start, e.end) for e in experts]
    votes: dict[str, float] = defaultdict(float)
    first_seen: dict[str, CountryMention] = {}
    evidence: dict[str, tuple[CountryMention, str]] = {}

    def vote(m: CountryMention, weight: float, rule: str) -> None:
        if is_eu_member(m.alpha2):
            weight *= 0.15
        votes[m.alpha2] += weight
        first_seen.setdefault(m.alpha2, m)
        best = evidence.get(m.alpha2)
        if best is None or WEIGHTS.get(best[1], 0) < weight:
            evidence[m.alpha2] = (m, rule)

    label = block.labelled.get("country")
    if label:
        for m in find_countries(text, start=label.start, end=label.end, folded=folded):
            vote(m, WEIGHTS["label"], "label-country")
    inst_mentions = []
    if inst is not None:
        inst_mentions = find_countries(
            text, start=inst.line.start, end=inst.line.end, folded=folded
        )
        for m in inst_mentions:
            vote(m, WEIGHTS["institution"], "country-in-institution")
    title_span = spans[0]
    for m in mentions:
        if any(a <= m.start < b for a, b in expert_spans):
            continue
        before = text[max(0, m.start - 50) : m.start]
        if _MENTION_ONLY.search(before) or _GROUP_AFTER.match(text[m.end : m.end + 30]):
            continue
        if title_span[0] <= m.start < title_span[1]:
            vote(m, WEIGHTS["title"], "country-in-title")
        elif (
            _POSSESSIVE_OR_IN.search(before)
            or (m.kind == "demonym" and _GOV_WORDS.match(text[m.end : m.end + 40]))
            or (
                _GOV_WORDS.match(text[m.end : m.end + 40])
                and text[m.end : m.end + 2] in ("’s", "'s")
            )
        ):
            vote(m, WEIGHTS["strong"], "country-of-partner-context")
        else:
            vote(m, WEIGHTS["plain"], "country-mentioned-in-description")
    facts: list[Fact] = []
    partner = None
    if votes:
        total = sum(votes.values())
        partner = max(votes, key=lambda c: (votes[c], -first_seen[c].start))
        if votes[partner] >= 1.0:
            m, rule = evidence[partner]
            facts.append(
                _fact(
                    "partnerCountry",
                    f"country:{partner}",
                    m.start,
                    m.end,
                    rule,
                    min(1.0, 0.5 + 0.5 * votes[partner] / total),
                )
            )
        else:
            partner = None
    skip = [
        (m.start, m.end)
        for m in mentions
        if _MENTION_ONLY.search(text[max(0, m.start - 50) : m.start])
    ]
    for a, b in spans[1:]:
        experts += find_expert_sentences(
            text,
            start=a,
            end=b,
            mentions=mentions,
            skip=skip,
            exclude={partner or "", *(e.alpha2 for e in experts)},
        )
    for e in experts:
        if e.alpha2 == partner:
            continue
        confidence = 0.7 if e.rule == "country-in-expert-sentence" else 1.0
        facts.append(
            _fact("expertCountry", f"country:{e.alpha2}", e.start, e.end, e.rule, confidence)
        )
    expert_codes = {e.alpha2 for e in experts}
    for m in mentions:
        if m.alpha2 not in expert_codes and m.alpha2 != partner:
            facts.append(
                _fact(
                    "mentionedCountry", f"country:{m.alpha2}", m.start, m.end, "country-mentioned"
                )
            )
            expert_codes.add(m.alpha2)
    if partner and records:
        org = records[0]
        rule = (
            "country-in-institution"
            if any(m.alpha2 == partner for m in inst_mentions)
            else "partner-country-of-action"
        )
        src = next((m for m in inst_mentions if m.alpha2 == partner), evidence[partner][0])
        records[0] = Record(
            org.kind,
            org.local_id,
            org.start,
            org.end,
            org.layout,
            (
                *org.facts,
                _fact(
                    "country",
                    f"country:{partner}",
                    src.start,
                    src.end,
                    rule,
                    0.9 if rule != "country-in-institution" else 1.0,
                ),
            ),
        )
    return facts


def extract_actions(
    doc: Document, segments: Iterable[Segment]
) -> tuple[list[Record], list[Problem]]:
    """Records of every bullet and labelled segment of ``doc``, and the problems met."""
    records: list[Record] = []
    problems: list[Problem] = []
    folded = fold(doc.text)
    for seg in segments:
        if seg.layout in ("bullet", "labelled"):
            found, trouble = extract_action(doc, seg, folded=folded)
            records += found
            problems += trouble
    return records, problems
