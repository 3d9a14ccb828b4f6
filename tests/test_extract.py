"""Extraction from the hand-written fixtures, per layout, against hand-checked values."""

from __future__ import annotations

import pytest
from conftest import DATA

from kg.documents import read_path
from kg.extract import extract_actions
from kg.segment import segment


def actions(name: str):
    doc = read_path(DATA / "loader" / name)
    records, problems = extract_actions(doc, segment(doc))
    found = {}
    for rec in records:
        if rec.kind == "action":
            found[rec.values("title")[0][5:]] = (rec, doc.text)
    orgs = {r.local_id: r for r in records if r.kind == "organisation"}
    return found, orgs, problems


def values(rec, prop):
    return sorted(v.split(":", 1)[1] for v in rec.values(prop))


def test_every_fact_quotes_its_source():
    found, _orgs, _ = actions("bullets-mixed.txt")
    for rec, text in found.values():
        for fact in rec.facts:
            assert 0 <= fact.start <= fact.end <= len(text)
            assert text[fact.start : fact.end].strip(), fact
            assert fact.rule


BULLETS = {
    "Modernising the employment counselling model in Ghana": dict(
        partner=["GH"],
        experts=["DK", "FI"],
        mentioned=["PT"],
        assistance=["institutional_capacity_building", "policy_development"],
        start=["2022-03"],
        end=["2022-06"],
        codes=[],
    ),
    "Occupational safety inspection checklists for the mining sector": dict(
        partner=["BF"],
        experts=["BE", "FR"],
        mentioned=[],
        assistance=["organisational_capacity_building"],
        start=["2023-03-14"],
        end=["2023-03-16"],
        codes=[],
    ),
    "Social insurance for platform workers": dict(
        partner=[],
        experts=[],
        mentioned=[],
        assistance=["policy_development"],
        start=[],
        end=[],
        codes=[],
    ),
    "Green skills observatory for the Andean region": dict(
        partner=["CO"],
        experts=["LT", "LV", "PE"],
        mentioned=[],
        assistance=["information_management_systems"],
        start=[],
        end=[],
        codes=[],
    ),
}


@pytest.mark.parametrize("title", sorted(BULLETS))
def test_bullet_layout(title):
    found, _, problems = actions("bullets-mixed.txt")
    assert problems == []
    assert set(found) == set(BULLETS)
    rec, _ = found[title]
    want = BULLETS[title]
    assert values(rec, "partnerCountry") == want["partner"]
    assert values(rec, "expertCountry") == want["experts"]
    assert values(rec, "mentionedCountry") == want["mentioned"]
    assert values(rec, "assistanceType") == want["assistance"]
    assert values(rec, "startDate") == want["start"]
    assert values(rec, "endDate") == want["end"]


def test_reference_to_a_previous_action():
    found, _, _ = actions("bullets-mixed.txt")
    rec, _ = found["Occupational safety inspection checklists for the mining sector"]
    assert rec.values("buildsOn") == ["code:2021-07"]
    assert rec.values("actionCode") == []


def test_institution_lines():
    _found, orgs, _ = actions("bullets-mixed.txt")
    names = {r.values("name")[0]: r for r in orgs.values()}
    dit = names["lang:en:Directorate of Labour Inspection"]
    assert dit.values("altName") == ["lang:fr:Direction de l'Inspection du Travail"]
    assert dit.values("acronym") == ["text:DIT"]
    sena = names["lang:en:National Training Service"]  # the bracket is never closed
    assert sena.values("altName") == ["lang:es:Servicio Nacional de Aprendizaje"]
    assert sena.values("acronym") == ["text:SENA"]
    assert sena.values("country") == ["country:CO"]


def test_labelled_layout():
    found, _orgs, problems = actions("labelled-mixed.txt")
    assert [(p.line, p.message) for p in problems] == [(22, "labelled block 3 has no title")]
    rec, _ = found["Youth employment guarantee pilot"]
    assert values(rec, "startDate") == ["2022-09-12"]
    assert values(rec, "endDate") == ["2023-03-31"]
    assert values(rec, "actionCode") == ["2022-14"]
    assert values(rec, "partnerCountry") == ["MD"]
    assert values(rec, "expertCountry") == ["EE", "SE"]
    assert "youth_employment" in values(rec, "theme")
    rec, _ = found["Strengthening social dialogue councils"]
    # the empty Type of Assistance label is followed by the description, not a value
    assert values(rec, "assistanceType") == []
    assert values(rec, "expertCountry") == ["HR", "SI"]
    assert values(rec, "partnerCountry") == ["AZ"]
    assert "social_dialogue" in values(rec, "theme")


def test_labelled_layout_without_bullets():
    found, _, problems = actions("labelled-unbulleted.txt")
    assert [(p.line, p.message) for p in problems] == [(21, "labelled block 3 has no title")]
    assert set(found) == {
        "Youth guarantee pilot in Moldova",
        "Labour inspection checklists for construction sites",
    }
    rec, _ = found["Labour inspection checklists for construction sites"]
    assert values(rec, "partnerCountry") == ["AM"]
    assert values(rec, "expertCountry") == ["CZ", "SK"]
    assert values(rec, "actionCode") == ["2022-31"]
    assert values(rec, "startDate") == ["2022-09-12"]
