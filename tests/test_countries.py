"""Tests for the country vocabulary, M49 regions and place gazetteer."""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict

import pycountry
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SKOS

from kg.countries import (
    CG,
    PLACE_KINDS,
    REPO_ROOT,
    countries_graph,
    data_dir,
    load_countries,
    load_places,
    load_regions,
)

EU_MEMBERS = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
    "HU",
}
#: Territories without a capital: uninhabited, or no seat of government of their own.
NO_CAPITAL = {"AQ", "BV", "HM", "UM", "IO", "TK"}
#: Demonyms genuinely shared by two countries.
SHARED_DEMONYMS = {"Congolese": {"CD", "CG"}, "Dominican": {"DO", "DM"}}


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.replace("ı", "i")).casefold()
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (data_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_iso_country_and_kosovo_present() -> None:
    countries = load_countries()
    assert {c.alpha_2 for c in pycountry.countries} | {"XK"} == set(countries)
    assert len(countries) == 250


def test_csv_rows_are_known_and_unique() -> None:
    rows = _csv_rows("countries.csv")
    codes = [row["alpha2"] for row in rows]
    assert len(codes) == len(set(codes))
    known = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    assert set(codes) <= known
    assert all(row["eu_member"] in {"true", "false"} for row in rows)


def test_exactly_the_27_eu_members() -> None:
    members = {a for a, c in load_countries().items() if c.eu_member}
    assert members == EU_MEMBERS
    assert len(members) == 27


def test_m49_codes_and_region_tree() -> None:
    regions = load_regions()
    assert regions["001"].parent_code == ""
    for country in load_countries().values():
        assert country.m49_code in regions, country.alpha2
    for region in regions.values():
        seen, code = set(), region.code
        while code != "001":
            assert code not in seen and code in regions, region.code
            seen.add(code)
            code = regions[code].parent_code
    assert {regions[r].name for r in ("005", "013", "029", "039", "145")} == {
        "South America",
        "Central America",
        "Caribbean",
        "Southern Europe",
        "Western Asia",
    }


@pytest.mark.parametrize(
    ("alpha2", "m49"),
    [
        ("PE", "005"),
        ("SR", "005"),
        ("CR", "013"),
        ("MX", "013"),
        ("HT", "029"),
        ("XK", "039"),
        ("MK", "039"),
        ("GE", "145"),
        ("CY", "145"),
        ("UA", "151"),
        ("KZ", "143"),
        ("VN", "035"),
        ("SN", "011"),
        ("CM", "017"),
        ("KE", "014"),
        ("ZA", "018"),
        ("MA", "015"),
        ("JE", "830"),
    ],
)
def test_m49_spot_checks(alpha2: str, m49: str) -> None:
    assert load_countries()[alpha2].m49_code == m49


def test_every_country_has_a_demonym() -> None:
    for country in load_countries().values():
        assert country.demonyms and all(country.demonyms), country.alpha2


def test_demonyms_name_one_country_except_known_shared() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for country in load_countries().values():
        for demonym in country.demonyms:
            owners[demonym].add(country.alpha2)
    shared = {d: a for d, a in owners.items() if len(a) > 1}
    assert shared == SHARED_DEMONYMS


@pytest.mark.parametrize(
    ("demonym", "alpha2"),
    [
        ("Dutch", "NL"),
        ("Costa Rican", "CR"),
        ("Gabonese", "GA"),
        ("Swedish", "SE"),
        ("Czech", "CZ"),
        ("Kosovar", "XK"),
        ("Peruvian", "PE"),
        ("Ivorian", "CI"),
        ("British", "GB"),
        ("Filipino", "PH"),
        ("Burkinabè", "BF"),
        ("Malagasy", "MG"),
        ("Basotho", "LS"),
        ("Nigerien", "NE"),
        ("Nigerian", "NG"),
        ("Korean", "KR"),
    ],
)
def test_demonym_spot_checks(demonym: str, alpha2: str) -> None:
    assert demonym in load_countries()[alpha2].demonyms


def test_main_adjective_first() -> None:
    countries = load_countries()
    assert countries["NL"].demonyms[0] == "Dutch"
    assert countries["GB"].demonyms[0] == "British"
    assert countries["KR"].demonyms[0] == "South Korean"


def test_names_in_four_languages() -> None:
    peru = load_countries()["PE"]
    assert peru.names == {"en": "Peru", "es": "Perú", "fr": "Pérou", "pt": "Peru"}
    assert load_countries()["DE"].names["fr"] == "Allemagne"
    for country in load_countries().values():
        assert set(country.names) == {"en", "es", "fr", "pt"}
        assert all(country.names.values()), country.alpha2


def test_alt_names_and_kosovo() -> None:
    countries = load_countries()
    assert "Czech Republic" in countries["CZ"].alt_names
    assert "Republic of Korea" in countries["KR"].alt_names
    assert countries["KR"].name_en == "South Korea"
    assert "Turkey" in countries["TR"].alt_names
    kosovo = countries["XK"]
    assert (kosovo.alpha3, kosovo.numeric, kosovo.alt_names) == ("XKX", "", ("Kosovo*",))
    assert set(kosovo.names.values()) == {"Kosovo"}
    for country in countries.values():
        assert country.name_en not in country.alt_names


def test_places_known_countries_and_kinds() -> None:
    countries = load_countries()
    places = load_places()
    assert len(places) > 1500
    for place in places:
        assert place.alpha2 in countries, place
        assert place.kind in PLACE_KINDS, place
        assert place.name == place.name.strip() and place.name, place


def test_no_place_name_maps_to_two_countries() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for place in load_places():
        owners[_fold(place.name)].add(place.alpha2)
    assert {name: a for name, a in owners.items() if len(a) > 1} == {}


def test_place_names_are_not_country_names_or_demonyms_of_others() -> None:
    labels: dict[str, set[str]] = defaultdict(set)
    for country in load_countries().values():
        for label in (*country.names.values(), *country.alt_names, *country.demonyms):
            labels[_fold(label)].add(country.alpha2)
    for place in load_places():
        assert labels.get(_fold(place.name), {place.alpha2}) <= {place.alpha2}, place


def test_every_inhabited_country_has_a_capital() -> None:
    with_capital = {p.alpha2 for p in load_places() if p.kind == "capital"}
    assert with_capital == set(load_countries()) - NO_CAPITAL


@pytest.mark.parametrize(
    ("name", "alpha2"),
    [
        ("Lima", "PE"),
        ("Loreto", "PE"),
        ("Arequipa", "PE"),
        ("Bogotá", "CO"),
        ("Bogota", "CO"),
        ("São Paulo", "BR"),
        ("Sao Paulo", "BR"),
        ("Lomé", "TG"),
        ("Lome", "TG"),
        ("Pristina", "XK"),
        ("Chisinau", "MD"),
        ("Yaoundé", "CM"),
        ("Santiago de Chile", "CL"),
        ("Malé City", "MV"),
    ],
)
def test_place_spot_checks(name: str, alpha2: str) -> None:
    assert any(p.name == name and p.alpha2 == alpha2 for p in load_places())


@pytest.mark.parametrize(
    "name",
    [
        "San Martin",
        "San Martín",
        "Georgia",
        "Santiago",
        "Córdoba",
        "Cordoba",
        "La Paz",
        "Granada",
        "Victoria",
        "Ilo",
        "Male",
    ],
)
def test_ambiguous_names_left_out(name: str) -> None:
    assert all(_fold(p.name) != _fold(name) for p in load_places())


def test_graph_terms() -> None:
    from rdflib.namespace import XSD  # not at module level: pytest probes module attributes

    g = countries_graph()
    pe = URIRef("https://w3id.org/coopgraph/id/country/PE")
    scheme = URIRef("https://w3id.org/coopgraph/id/country")
    assert (pe, RDF.type, CG.Country) in g
    assert (pe, RDF.type, SKOS.Concept) in g
    assert (pe, SKOS.topConceptOf, scheme) in g
    assert (scheme, SKOS.hasTopConcept, pe) in g
    assert (pe, SKOS.notation, Literal("PE")) in g
    assert (pe, CG.alpha3, Literal("PER")) in g
    assert (pe, CG.numericCode, Literal("604")) in g
    assert (pe, SKOS.prefLabel, Literal("Pérou", lang="fr")) in g
    assert (pe, CG.demonym, Literal("Peruvian", lang="en")) in g
    assert (pe, CG.euMember, Literal(False, datatype=XSD.boolean)) in g
    assert (pe, CG.m49Region, URIRef("https://w3id.org/coopgraph/id/region/005")) in g
    assert (
        pe,
        OWL.sameAs,
        URIRef("http://publications.europa.eu/resource/authority/country/PER"),
    ) in g
    xk = URIRef("https://w3id.org/coopgraph/id/country/XK")
    assert list(g.objects(xk, CG.numericCode)) == []
    south_america = URIRef("https://w3id.org/coopgraph/id/region/005")
    assert (south_america, SKOS.broader, URIRef("https://w3id.org/coopgraph/id/region/419")) in g
    world = URIRef("https://w3id.org/coopgraph/id/region/001")
    assert list(g.objects(world, SKOS.broader)) == []
    assert len(set(g.subjects(RDF.type, CG.Country))) == 250


def test_committed_turtle_is_up_to_date() -> None:
    committed = Graph().parse(REPO_ROOT / "ontology" / "countries.ttl", format="turtle")
    assert isomorphic(countries_graph(), committed), "run: python -m kg.countries"


def test_serialization_is_deterministic() -> None:
    first = countries_graph().serialize(format="longturtle")
    assert first == countries_graph().serialize(format="longturtle")
    assert first == (REPO_ROOT / "ontology" / "countries.ttl").read_text(encoding="utf-8")
