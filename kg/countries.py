"""Country vocabulary, M49 regions and place gazetteer.

The hand-kept tables live in ``ontology/src`` (``countries.csv``, ``regions.csv``,
``places.csv``); names and codes come from :mod:`pycountry`. Running this module
writes the SKOS vocabulary to ``ontology/countries.ttl``::

    python -m kg.countries
"""

from __future__ import annotations

import csv
import gettext
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

REPO_ROOT = Path(__file__).resolve().parent.parent
CG = Namespace("https://w3id.org/coopgraph/ontology#")
SCHEMA = Namespace("https://schema.org/")
COUNTRY_SCHEME = URIRef("https://w3id.org/coopgraph/id/country")
REGION_SCHEME = URIRef("https://w3id.org/coopgraph/id/region")
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
LANGUAGES = ("en", "es", "fr", "pt")
PLACE_KINDS = frozenset({"capital", "city", "region"})

#: English names in common use that pycountry does not carry.
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "BN": ("Brunei",),
    "BS": ("The Bahamas",),
    "CD": ("DR Congo", "DRC", "Congo-Kinshasa"),
    "CG": ("Republic of the Congo", "Congo-Brazzaville"),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "FK": ("Falkland Islands",),
    "GB": ("Great Britain", "Britain", "UK"),
    "GM": ("The Gambia",),
    "MK": ("Republic of Macedonia", "former Yugoslav Republic of Macedonia", "FYROM"),
    "MM": ("Burma",),
    "NL": ("Holland",),
    "PS": ("Palestine",),
    "RU": ("Russia",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "TR": ("Turkey",),
    "US": ("USA", "United States of America"),
    "VA": ("Vatican City",),
    "VI": ("U.S. Virgin Islands", "US Virgin Islands"),
}


@dataclass(frozen=True)
class Country:
    """One ISO 3166-1 country (or Kosovo, ``XK``).

    Attributes
    ----------
    alpha2, alpha3, numeric : str
        ISO 3166-1 codes; ``numeric`` is empty for Kosovo.
    name_en : str
        Short English name.
    names : dict[str, str]
        Short names keyed by language (``en``, ``es``, ``fr``, ``pt``).
    alt_names : tuple[str, ...]
        Other English names (official, common, inverted and customary names).
    demonyms : tuple[str, ...]
        English demonyms and adjectives, the main adjective first.
    eu_member : bool
        Whether the country is an EU member state.
    m49_code : str
        UN M49 code of the most specific region containing the country.
    """

    alpha2: str
    alpha3: str
    numeric: str
    name_en: str
    names: dict[str, str] = field(hash=False)
    alt_names: tuple[str, ...]
    demonyms: tuple[str, ...]
    eu_member: bool
    m49_code: str

    @property
    def iri(self) -> URIRef:
        """IRI of the country concept."""
        return URIRef(f"{COUNTRY_SCHEME}/{self.alpha2}")


@dataclass(frozen=True)
class Region:
    """A UN M49 region: ``code``, English ``name`` and ``parent_code`` ('' for World)."""

    code: str
    name: str
    parent_code: str

    @property
    def iri(self) -> URIRef:
        """IRI of the region concept."""
        return URIRef(f"{REGION_SCHEME}/{self.code}")


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: a place ``name`` lying in country ``alpha2``.

    ``kind`` is one of ``capital``, ``city`` or ``region``.
    """

    name: str
    alpha2: str
    kind: str


def data_dir() -> Path:
    """Return the folder holding the source CSV tables.

    Returns
    -------
    Path
        ``kg/_data/ontology/src`` when shipped in a wheel, else ``<repo>/ontology/src``.
    """
    packaged = Path(__file__).resolve().parent / "_data" / "ontology" / "src"
    return packaged if packaged.is_dir() else REPO_ROOT / "ontology" / "src"


def _read_csv(name: str) -> list[dict[str, str]]:
    with (data_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _strip_the(name: str) -> str:
    """Drop a leading article: "the State of Eritrea" -> "State of Eritrea"."""
    return name[4:] if name.lower().startswith("the ") else name


def _english_names(record: Any) -> tuple[str, str, tuple[str, ...]]:
    """Pick the short English name of a pycountry record.

    Parameters
    ----------
    record
        A ``pycountry.countries`` entry.

    Returns
    -------
    tuple
        ``(msgid, name_en, alt_names)``: the pycountry name to translate, the short
        English name (no inverted "Korea, Republic of" forms) and the other names.
    """
    name = record.name
    official = getattr(record, "official_name", None)
    common = getattr(record, "common_name", None)
    head, _, tail = name.partition(", ")
    inverted = _strip_the(f"{tail} {head}") if tail.endswith((" of", " of the")) else None
    if common:
        msgid, name_en = common, common
    elif tail and official and "," not in official:  # "Virgin Islands, British"
        msgid, name_en = official, _strip_the(official)
    else:
        msgid, name_en = name, inverted or name
    names = [_strip_the(n) for n in (name, official, common, inverted) if n]
    names.extend(EXTRA_NAMES.get(record.alpha_2, ()))
    return msgid, name_en, tuple(dict.fromkeys(n for n in names if n != name_en))


@lru_cache(maxsize=1)
def load_countries() -> dict[str, Country]:
    """Load every ISO 3166-1 country plus Kosovo.

    Returns
    -------
    dict[str, Country]
        Countries keyed by alpha-2 code, in code order.
    """
    rows = {row["alpha2"]: row for row in _read_csv("countries.csv")}
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in LANGUAGES[1:]
    }
    countries: dict[str, Country] = {}
    for alpha2, row in sorted(rows.items()):
        record = pycountry.countries.get(alpha_2=alpha2)
        if record is None:
            if alpha2 != "XK":
                raise ValueError(f"countries.csv: unknown country code {alpha2!r}")
            alpha3, numeric, name_en = "XKX", "", "Kosovo"
            names = dict.fromkeys(LANGUAGES, name_en)
            alt_names: tuple[str, ...] = ("Kosovo*",)
        else:
            alpha3, numeric = record.alpha_3, record.numeric
            msgid, name_en, alt_names = _english_names(record)
            names = {"en": name_en} | {k: t.gettext(msgid) for k, t in translations.items()}
        countries[alpha2] = Country(
            alpha2=alpha2,
            alpha3=alpha3,
            numeric=numeric,
            name_en=name_en,
            names=names,
            alt_names=alt_names,
            demonyms=tuple(d.strip() for d in row["demonyms"].split("|") if d.strip()),
            eu_member=row["eu_member"] == "true",
            m49_code=row["m49_code"],
        )
    return countries


@lru_cache(maxsize=1)
def load_regions() -> dict[str, Region]:
    """Load the UN M49 regions keyed by code."""
    return {row["code"]: Region(**row) for row in _read_csv("regions.csv")}


@lru_cache(maxsize=1)
def load_places() -> tuple[Place, ...]:
    """Load the place gazetteer (places lying in a single country)."""
    return tuple(Place(**row) for row in _read_csv("places.csv"))


def countries_graph() -> Graph:
    """Build the SKOS vocabulary of countries and M49 regions.

    Returns
    -------
    rdflib.Graph
        Two concept schemes: countries (``cg:Country``) and regions (``cg:Region``).
    """
    g = Graph()
    for prefix, ns in (
        ("cg", CG),
        ("skos", SKOS),
        ("owl", OWL),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("dcterms", DCTERMS),
        ("schema", SCHEMA),
    ):
        g.bind(prefix, ns)

    for scheme, title, definition in (
        (COUNTRY_SCHEME, "Countries", "ISO 3166-1 countries and territories, plus Kosovo (XK)."),
        (REGION_SCHEME, "Regions", "Geographic regions of the UN M49 standard."),
    ):
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, DCTERMS.title, Literal(title, lang="en")))
        g.add((scheme, SKOS.definition, Literal(definition, lang="en")))

    for c in load_countries().values():
        s = c.iri
        g.add((s, RDF.type, CG.Country))
        g.add((s, RDF.type, SKOS.Concept))
        g.add((s, SKOS.inScheme, COUNTRY_SCHEME))
        g.add((s, SKOS.topConceptOf, COUNTRY_SCHEME))
        g.add((COUNTRY_SCHEME, SKOS.hasTopConcept, s))
        g.add((s, SKOS.notation, Literal(c.alpha2)))
        g.add((s, CG.alpha2, Literal(c.alpha2)))
        g.add((s, CG.alpha3, Literal(c.alpha3)))
        if c.numeric:
            g.add((s, CG.numericCode, Literal(c.numeric)))
        for lang, name in c.names.items():
            g.add((s, SKOS.prefLabel, Literal(name, lang=lang)))
        for name in c.alt_names:
            g.add((s, SKOS.altLabel, Literal(name, lang="en")))
        for demonym in c.demonyms:
            g.add((s, CG.demonym, Literal(demonym, lang="en")))
        g.add((s, CG.euMember, Literal(c.eu_member, datatype=XSD.boolean)))
        g.add((s, CG.m49Region, URIRef(f"{REGION_SCHEME}/{c.m49_code}")))
        g.add((s, OWL.sameAs, URIRef(EU_COUNTRY + c.alpha3)))
        g.add(
            (
                s,
                SKOS.definition,
                Literal(f"The country {c.name_en} (ISO 3166-1 {c.alpha2}).", lang="en"),
            )
        )

    for r in load_regions().values():
        s = r.iri
        g.add((s, RDF.type, CG.Region))
        g.add((s, RDF.type, SKOS.Concept))
        g.add((s, SKOS.inScheme, REGION_SCHEME))
        g.add((s, SKOS.notation, Literal(r.code)))
        g.add((s, SKOS.prefLabel, Literal(r.name, lang="en")))
        g.add(
            (s, SKOS.definition, Literal(f"The UN M49 region {r.name} (code {r.code}).", lang="en"))
        )
        if r.parent_code:
            g.add((s, SKOS.broader, URIRef(f"{REGION_SCHEME}/{r.parent_code}")))
        else:
            g.add((s, SKOS.topConceptOf, REGION_SCHEME))
            g.add((REGION_SCHEME, SKOS.hasTopConcept, s))
    return g


def main() -> None:
    """Write the vocabulary to ``ontology/countries.ttl`` (deterministic output)."""
    target = REPO_ROOT / "ontology" / "countries.ttl"
    target.write_text(countries_graph().serialize(format="longturtle"), encoding="utf-8")
    print(f"wrote {target.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
