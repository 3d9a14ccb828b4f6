"""The prose extractor (kg.prose): hand-checked records from hand-written pages, the
contract every fact keeps, and recall on the development seeds' gold annotation."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import pytest
from conftest import DATA, SEEDS, SEEDS_GOLD

import kg.figures
import kg.mentions
import kg.prose
import kg.reports
import kg.sentences
from kg.countries import load_countries
from kg.documents import read_document, read_path
from kg.mentions import load_entries
from kg.prose import extract_prose
from kg.prose_rules import PROSE_RULES
from kg.records import Record
from kg.segment import segment
from kg.text import fold, normalise_key
from kg.vocabulary import concept_labels

FIXTURES = sorted((DATA / "loader").glob("prose-*.txt"))
PREFIXES = (
    "text",
    "lang",
    "date",
    "number",
    "country",
    "theme",
    "orgkind",
    "programme",
    "code",
    "ref",
    "class",
)


def extract(path: Path) -> tuple[str, list[Record]]:
    doc = read_path(path)
    return doc.text, extract_prose(doc, segment(doc))


@pytest.fixture(scope="module")
def pages() -> dict[str, tuple[str, list[Record]]]:
    return {p.stem.removeprefix("prose-"): extract(p) for p in FIXTURES}


def of_kind(records: list[Record], kind: str) -> list[Record]:
    return [r for r in records if r.kind == kind]


def texts(record: Record, prop: str) -> list[str]:
    """The values of ``prop`` without their prefix (and language tag)."""
    out = []
    for value in record.values(prop):
        prefix, _, rest = value.partition(":")
        out.append(rest.split(":", 1)[1] if prefix == "lang" else rest)
    return out


def named(records: list[Record], local_ids: list[str]) -> list[str]:
    """The first name (or acronym) of each record referred to."""
    by_id = {r.local_id: r for r in records}
    return [(texts(by_id[i], "name") or texts(by_id[i], "acronym"))[0] for i in local_ids]


def refs(record: Record, prop: str) -> list[str]:
    return [v.removeprefix("ref:") for v in record.values(prop)]


def event_titled(records: list[Record], words: str) -> Record:
    found = [r for r in of_kind(records, "event") if any(words in t for t in texts(r, "title"))]
    assert len(found) == 1, [texts(r, "title") for r in of_kind(records, "event")]
    return found[0]


def test_the_fixtures_are_found() -> None:
    assert len(FIXTURES) >= 4, FIXTURES


# --- the contract every fact keeps ------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_every_fact_has_evidence_a_rule_and_a_typed_value(path: Path) -> None:
    text, records = extract(path)
    ids = [r.local_id for r in records]
    assert len(ids) == len(set(ids))
    assert ids[0] == "doc"
    kinds = {r.local_id: r.kind for r in records}
    for r in records:
        assert r.layout == "prose" and 0 <= r.start <= r.end <= len(text)
        assert r.facts, r.local_id
        for f in r.facts:
            assert 0 <= f.start < f.end <= len(text), f
            assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", f.rule), f.rule
            assert 0 < f.confidence <= 1, f
            assert f.value.split(":", 1)[0] in PREFIXES, f.value
            if f.value.startswith("ref:"):
                assert kinds[f.value[4:]] in ("organisation", "figure"), f


@pytest.mark.parametrize(
    "module",
    [kg.prose, kg.sentences, kg.figures, kg.mentions, kg.reports],
    ids=lambda m: m.__name__,
)
def test_the_examples_in_the_docstrings_run(module) -> None:
    failed, attempted = doctest.testmod(module)
    assert attempted and not failed


def test_every_rule_is_documented(pages) -> None:
    used = {f.rule for _, records in pages.values() for r in records for f in r.facts}
    assert used - set(PROSE_RULES) == set()


def test_the_gazetteers_are_well_formed() -> None:
    entries = load_entries()
    kinds = set(concept_labels("orgkind"))
    countries = set(load_countries())
    assert {e.table for e in entries} == {"organisation", "programme"}
    for e in entries:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", e.slug) and e.name, e
        assert e.country in countries or e.country == "", e
        assert e.table == "programme" or e.kind in kinds, e
    owners: dict[tuple[str, str], set[str]] = {}
    for e in entries:
        for alias in filter(None, (e.name, e.acronym, *e.aliases)):
            owners.setdefault((e.table, normalise_key(alias)), set()).add(e.slug)
    assert [k for k, slugs in owners.items() if len(slugs) > 1] == []


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_extraction_is_deterministic(path: Path) -> None:
    assert extract(path) == extract(path)


def test_other_layouts_and_empty_prose_give_nothing() -> None:
    bullets = read_document(
        "b.txt",
        "• Workshop on skills held on 3 May 2022 with 40 "
        "participants\n\n  Ministry of Labour\n  Training\n".encode(),
    )
    assert [s.layout for s in segment(bullets)] == ["bullet"]
    assert extract_prose(bullets, segment(bullets)) == []
    assert extract_prose(bullets, []) == []


# --- a news page: events, organisers, attendees, figures, an action code ---------------


def test_news_page_document_facts(pages) -> None:
    _, records = pages["news-ghana"]
    doc = records[0]
    assert doc.values("date") == ["date:2022-03-21"]
    assert doc.values("actionCode") == ["code:2021-14"]
    assert set(doc.values("mentionedCountry")) == {"country:GH", "country:PT", "country:EE"}
    assert {"theme:social_protection", "theme:informal_economy"} <= set(doc.values("theme"))


def test_news_page_workshop(pages) -> None:
    text, records = pages["news-ghana"]
    ws = event_titled(records, "Extending social insurance to informal economy workers")
    assert ws.values("type") == ["class:Workshop"]
    assert ws.values("startDate") == ["date:2022-03-08"]
    assert ws.values("endDate") == ["date:2022-03-10"]
    assert ws.values("location") == ["text:Accra"] and ws.values("country") == ["country:GH"]
    assert named(records, refs(ws, "organizer")) == [
        "Ministry of Employment and Labour Relations",
        "National Pensions Regulatory Authority",
    ]
    assert named(records, refs(ws, "sponsor")) == [
        "SOCIEUX+ EU Expertise on Social Protection, Labour and Employment"
    ]
    assert named(records, refs(ws, "attendee")) == [
        "Ghana Statistical Service",
        "Social Security and National Insurance Trust",
        "Trades Union Congress",
    ]
    assert "programme:socieux-plus" in ws.values("programme")
    link = ws.first("forAction")
    assert link.value == "code:2021-14" and link.confidence < 1
    assert text[link.start : link.end] == "2021-14"
    figures = {r.local_id: r for r in of_kind(records, "figure")}
    attendance = [
        figures[i]
        for i in refs(ws, "figure")
        if figures[i].values("unitText") == ["text:participants"]
    ]
    assert [(f.values("value"), f.values("qualifier")) for f in attendance] == [
        (["number:45"], ["text:more than"])
    ]


def test_news_page_other_events(pages) -> None:
    _, records = pages["news-ghana"]
    events = of_kind(records, "event")
    assert len(events) == 3  # the workshop, the meeting, the study visit; no "Congress"
    meeting, visit = events[1], events[2]
    assert meeting.values("type") == ["class:Event"]
    assert texts(meeting, "title") == ["follow-up meeting with the informal economy associations"]
    assert meeting.first("title").confidence < 1
    assert meeting.values("startDate") == ["date:2022-03-17"]  # year from the page
    assert visit.values("type") == ["class:StudyVisit"]
    assert texts(visit, "title") == ["study visit to Lisbon"]
    assert (visit.values("startDate"), visit.values("endDate")) == (
        ["date:2022-10-03"],
        ["date:2022-10-07"],
    )
    assert visit.values("location") == ["text:Lisbon"]
    assert "country:PT" in visit.values("country")


def test_news_page_organisations(pages) -> None:
    _, records = pages["news-ghana"]
    orgs = {texts(r, "name")[0]: r for r in of_kind(records, "organisation")}
    melr = orgs["Ministry of Employment and Labour Relations"]
    assert melr.values("acronym") == ["text:MELR"]
    assert melr.values("country") == ["country:GH"]  # "Ghana’s Ministry ..."
    assert melr.values("classification") == ["orgkind:ministry"]
    assert orgs["Trades Union Congress"].values("classification") == ["orgkind:trade_union"]
    npra = orgs["National Pensions Regulatory Authority"].first("country")
    assert npra.value == "country:GH" and npra.confidence < 1  # from the page's country


# --- a report page: titles in two languages, date, publisher, figures, programmes -------


def test_report_page_report(pages) -> None:
    _, records = pages["report-uruguay"]
    study, brief = of_kind(records, "report")
    assert study.values("title") == [
        "lang:en:Skills for green jobs in the renewable energy sector of Uruguay",
        "lang:es:Competencias para empleos verdes en el sector de energías renovables de Uruguay",
    ]
    assert study.values("date") == ["date:2023-11-09"]
    assert study.values("country") == ["country:UY"]
    assert named(records, refs(study, "publisher")) == [
        "National Institute of Employment and Vocational Training"
    ]
    assert {"theme:green_jobs", "theme:vocational_training_skills"} <= set(study.values("theme"))
    assert brief.values("title") == ["lang:en:Policy brief: Skills for green jobs in Uruguay"]


def test_report_page_launch_event_and_figures(pages) -> None:
    _, records = pages["report-uruguay"]
    (forum,) = of_kind(records, "event")
    assert forum.values("type") == ["class:Forum"]
    assert forum.values("startDate") == ["date:2023-11-09"]
    assert forum.values("location") == ["text:Montevideo"]
    assert texts(forum, "title") == [
        "Launch of the report ‘Skills for green jobs in the renewable energy sector of Uruguay’"
    ]
    figures = {
        r.local_id: (r.values("value"), r.values("unitText"), r.values("qualifier"))
        for r in of_kind(records, "figure")
    }
    assert sorted(figures.values()) == [
        (["number:120"], ["text:participants"], []),
        (["number:1200"], ["text:workers"], ["text:some"]),
        (["number:8500"], ["text:new jobs"], ["text:about"]),
    ]
    assert [figures[i][0] for i in refs(forum, "figure")] == [["number:120"]]


def test_report_page_programmes_and_organisations(pages) -> None:
    _, records = pages["report-uruguay"]
    page, chapter = of_kind(records, "programme")
    assert page.values("programme") == ["programme:page"]
    assert page.values("acronym") == ["text:PAGE"]
    assert chapter.values("name") == ["lang:en:PAGE Uruguay"]
    assert chapter.values("country") == ["country:UY"]
    mtss = next(r for r in of_kind(records, "organisation") if r.values("acronym") == ["text:MTSS"])
    assert mtss.values("country") == ["country:UY"]
    assert records[0].values("date") == ["date:2023-11-14"]


# --- a programme page: national programmes, an Arabic page date, a webinar ------------


def test_programme_page(pages) -> None:
    _, records = pages["programme-morocco"]
    assert records[0].values("date") == ["date:2019-11-05"]  # "٥ نوفمبر ٢٠١٩"
    programmes = [
        (texts(r, "name"), texts(r, "altName"), r.values("country"))
        for r in of_kind(records, "programme")
    ]
    assert programmes == [
        (["Idmaj"], ["Integration"], ["country:MA"]),
        (["Taehil"], ["Qualification"], ["country:MA"]),
        (["Moukawalati"], ["My Enterprise"], ["country:MA"]),
    ]
    (webinar,) = of_kind(records, "event")  # "Workshops and seminars ..." is no event
    assert webinar.values("type") == ["class:Webinar"]
    assert webinar.values("startDate") == ["date:2019-10-28"]
    assert texts(webinar, "title") == [
        "webinar on digital job-matching tools for employment counsellors"
    ]
    assert named(records, refs(webinar, "organizer")) == [  # "ANAPEC and the ILO held a ..."
        "National Agency for the Promotion of Employment and Skills",
        "International Labour Organization",
    ]
    anapec = next(
        r for r in of_kind(records, "organisation") if r.values("acronym") == ["text:ANAPEC"]
    )
    assert anapec.values("classification") == ["orgkind:public_employment_service"]
    values = sorted(r.values("value")[0] for r in of_kind(records, "figure"))
    assert values == ["number:100000", "number:3500", "number:60"]


# --- edge cases -------------------------------------------------------------------------


def test_edge_cases(pages) -> None:
    _, records = pages["edge-cases"]
    assert of_kind(records, "programme") == []  # "page 3" is not PAGE
    assert records[0].values("actionCode") == []  # "Law No. 2019-12" is not an action
    (seminar,) = of_kind(records, "event")  # not "The conference will ..." nor "Meetings"
    assert seminar.values("type") == ["class:Seminar"]
    assert texts(seminar, "title") == ["Women in Green Jobs"]
    assert seminar.values("startDate") == ["date:2024-06-05"]
    assert seminar.values("country") == ["country:KE"]
    figures = [(r.values("value"), r.values("unitText")) for r in of_kind(records, "figure")]
    assert figures == [(["number:35"], ["text:women"])]  # not "14 ... offices", not years


# --- recall on the development seeds ----------------------------------------------------


def _similar(a: str, b: str) -> bool:
    wa, wb = set(normalise_key(a).split()), set(normalise_key(b).split())
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def _recall(gold: dict, records: list[Record]) -> dict[str, tuple[int, int]]:
    events = of_kind(records, "event")
    reports = of_kind(records, "report")
    figures = of_kind(records, "figure")
    programmes = of_kind(records, "programme")

    def event_found(g: dict) -> bool:
        return any(
            any(_similar(g["name"], t) for t in texts(e, "title"))
            and e.values("startDate") == [f"date:{g['start']}"]
            and e.values("endDate") == [f"date:{g['end']}"]
            for e in events
        )

    def report_found(g: dict) -> bool:
        return any(
            any(fold(g["title"]) == fold(t) for t in texts(r, "title"))
            and (g["date"] is None or r.values("date") == [f"date:{g['date']}"])
            for r in reports
        )

    def figure_found(g: dict) -> bool:
        return any(
            f.values("value") == [f"number:{g['value']}"]
            and g["unit"].endswith(texts(f, "unitText")[0])
            for f in figures
        )

    def programme_found(g: dict) -> bool:
        key = normalise_key(g["name"])
        return any(
            key
            in {normalise_key(n) for prop in ("name", "altName", "acronym") for n in texts(p, prop)}
            and (g["country"] is None or f"country:{g['country']}" in p.values("country"))
            for p in programmes
        )

    checks = {
        "events": event_found,
        "reports": report_found,
        "figures": figure_found,
        "programmes": programme_found,
    }
    return {
        kind: (sum(check(g) for g in gold[kind]), len(gold[kind])) for kind, check in checks.items()
    }


@pytest.mark.slow
def test_recall_on_the_prose_seeds(record_property) -> None:
    if not SEEDS.is_dir() or not SEEDS_GOLD.is_file():
        pytest.skip(f"development seeds not present at {SEEDS}")
    gold = {d["file"]: d for d in json.loads(SEEDS_GOLD.read_text("utf-8"))["documents"]}
    prose = [name for name in sorted(gold) if (SEEDS / name).is_file()]
    assert prose, "no prose seed found"
    totals: dict[str, list[int]] = {}
    for name in prose:
        _, records = extract(SEEDS / name)
        for kind, (hit, n) in _recall(gold[name], records).items():
            totals.setdefault(kind, [0, 0])
            totals[kind][0] += hit
            totals[kind][1] += n
    recall = {kind: f"{hit}/{n}" for kind, (hit, n) in totals.items()}
    record_property("prose_recall", recall)
    print(f"prose recall per type on {len(prose)} seeds: {recall}")
    assert all(hit == n for hit, n in totals.values()), recall


def test_initials_and_gazetteer_names_in_organiser_lists() -> None:
    # initials (accented too) are no sentence end and belong to the name; a gazetteer
    # name holding a comma and an "and" is one item of a list, not three
    text = (
        "Wage policy week in Chennai\n\n"
        "Chennai, 3 May 2022 – A seminar on minimum wages was organised by India's A.K. "
        "Sen Labour Research Institute (AKSLRI) with the support of SOCIEUX+ EU Expertise "
        "on Social Protection, Labour and Employment and the International Labour "
        "Organization (ILO). The É.J. Durand Foundation funded the field visits.\n"
    )
    doc = read_document("initials.txt", text.encode())
    records = extract_prose(doc, segment(doc))
    orgs = {
        (texts(r, "name") or texts(r, "acronym"))[0]: r for r in of_kind(records, "organisation")
    }
    assert sorted(orgs) == [
        "A.K. Sen Labour Research Institute",
        "International Labour Organization",
        "SOCIEUX+ EU Expertise on Social Protection, Labour and Employment",
        "É.J. Durand Foundation",
    ]
    institute = orgs["A.K. Sen Labour Research Institute"]
    assert institute.values("country") == ["country:IN"]
    assert texts(institute, "acronym") == ["AKSLRI"]
    (seminar,) = of_kind(records, "event")
    assert sorted(named(records, refs(seminar, "organizer"))) == [
        "A.K. Sen Labour Research Institute"
    ]
    assert sorted(named(records, refs(seminar, "sponsor"))) == [
        "International Labour Organization",
        "SOCIEUX+ EU Expertise on Social Protection, Labour and Employment",
    ]
