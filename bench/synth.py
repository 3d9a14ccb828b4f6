"""A seeded, deterministic synthetic corpus for benchmarks, with its gold annotation.

The corpus is written like the real sources, in their three layouts:

- *bullet* files: ``  • Title``, a blank line, then the partner institution, the type of
  assistance and a description (any of the three may be missing);
- *labelled* files: label lines (``Start activities``, ``Partner Institution``, ``Type of
  Assistance``, ``Code``, ``Description``...) in sections of several styles: bulleted
  blocks with each value on the line after its label, bulleted or unbulleted blocks with
  ``Label: value``, ``Label<TAB>value`` or ``Label - value`` lines;
- *prose* pages: news of an event of one of the actions, report launches and programme
  pages, with events, reports, figures, organisations and countries.

Actions are split evenly between bullet and labelled files (files alternate, about 1,000
actions each); prose pages are extra documents, one per 50 actions (12 in 20 are news of an
event of an action already listed, 5 report launches, 3 programme pages; about 3 % of the
bytes), rather than 10 % of the actions told only in prose: the loader takes actions from
bullet and labelled blocks only, so prose-only actions could not be scored.

Every action has a unique title (a counter picks its opener, object, scope and variant),
a partner institution whose country is given by a possessive, "of", a demonym, a place, the
title, the institution line, a gazetteer institution name, or not at all; expert countries
given by country lists, demonyms, possessives, institutions or triangular cooperation;
themes written with the labels of ``ontology/themes.ttl``; types of assistance from
``ontology/assistance-types.ttl``; dates in a dozen forms; action codes (own and earlier
ones); distractor countries (study visits, practices shown, funders); occasional typos.
The names come from ``ontology/src`` (countries, institutions, places, programmes) and
the country vocabulary; the sentences are this module's own.

Same seed, size and ``per_file`` give byte-identical files: each file draws from its own
``random.Random`` seeded with ``(seed, file number)``, inputs are read sorted, and the
output holds no timestamps.

Gold: one ``gold.json`` in the format of ``corpus/gold.json`` (``actions`` and
``documents``, the conventions of ``seeds_gold_README.md``: a partner country told only by
the institution's name is null with ``partner_country_likely``), which ``coopgraph
evaluate`` reads. It is written streaming, one record per line, so it doubles as a JSON
lines file: :func:`iter_gold` reads it record by record where ``json.load`` of a 1M-action
gold (about 700 MB) would not fit; no separate ``gold.jsonl`` is written. Action records
stream straight to the file; document records wait in a side file until the end.
``manifest.json`` holds the counts. The loader reads ``*.txt`` only, so neither is built.

Usage::

    python -m bench.synth --actions 10000 --out /tmp/synth [--seed 0] [--per-file 1000]
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import json
import math
import random
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
PROSE_EVERY = 50  #: one prose page per this many actions
_GENERATED = ("actions-*.txt", "news-*.txt", "report-*.txt", "programme-*.txt")
_GOLD_PART = ".gold-documents.part"


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    """What :func:`generate` wrote.

    ``files`` are the document names (relative to ``out``), ``bytes`` their total size;
    ``layouts`` counts actions per layout (``bullet``, ``labelled``) and prose pages per
    kind (``news``, ``report``, ``programme``); ``gold`` is the gold annotation (see
    :func:`iter_gold`).
    """

    out: Path
    seed: int
    per_file: int
    files: tuple[str, ...]
    actions: int
    bytes: int
    gold: Path
    gold_bytes: int
    layouts: dict[str, int] = field(hash=False)

    @property
    def bytes_per_action(self) -> float:
        """Document bytes per action (prose pages included)."""
        return self.bytes / self.actions if self.actions else 0.0


# --- the project's data -------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    """A country as the generator writes it."""

    code: str
    name: str
    the: bool  #: written "the Netherlands"
    demonym: str  #: "" when another country shares it
    eu: bool
    language: str  #: en, es, fr or pt: the language of its institutions' own names
    places: tuple[str, ...]  #: cities named nowhere else, capital first

    @property
    def ref(self) -> str:
        """The name as it stands in a sentence."""
        return f"the {self.name}" if self.the else self.name


@dataclass(frozen=True)
class Tables:
    """Everything the generator draws from, parsed once (see :func:`tables`)."""

    countries: dict[str, Country]
    partners: tuple[str, ...]
    partner_weights: tuple[float, ...]
    experts_eu: tuple[str, ...]
    expert_weights: tuple[float, ...]
    experts_south: tuple[str, ...]
    mentioned: tuple[str, ...]
    gazetteer_partners: dict[str, tuple[str, ...]]  #: country -> institutions.csv names
    expert_bodies: dict[str, tuple[str, ...]]  #: EU country -> institutions.csv names
    themes: dict[str, tuple[str, ...]]  #: theme id -> phrases that name it alone
    theme_words: dict[str, frozenset[str]]  #: theme id -> every label, as :func:`_words`
    assistance: tuple[str, ...]
    assistance_local: dict[str, tuple[str, ...]]  #: language -> assistance labels
    programmes: tuple[tuple[str, str], ...]  #: (name, acronym)
    taken: frozenset[str]  #: folded names an invented acronym must not be


def fold(text: str) -> str:
    """Lower case without accents (to compare names).

    >>> fold("Pôle Emploi")
    'pole emploi'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _list(text: str) -> tuple[str, ...]:
    """The words of ``text``: a table written as one string."""
    return tuple(text.split())


def _codes(text: str) -> frozenset[str]:
    """A set of words (country codes) written as one string."""
    return frozenset(text.split())


#: Territories and micro-states: never partners, experts or countries named in passing.
_TERRITORIES = _codes(
    "AD AI AQ AS AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE KY"
    " LI MC MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SM SX TC TF TK UM VA VG VI WF YT"
)
#: Non-EU countries that are not partners of the facilities (high-income or unlikely).
_NOT_PARTNERS = _TERRITORIES | _codes(
    "AE AU BH BN BY CA CH CN GB IL IS JP KN KP KR KW NO NZ QA RU SA SG SO TW US"
)
_THE = _codes("BS CD CF DO GM KM MH MV NL PH PS SB")
_SPANISH = _codes("AR BO CL CO CR CU DO EC GQ GT HN MX NI PA PE PY SV UY VE")
_FRENCH = _codes("BF BI BJ CD CF CG CI CM DJ DZ GA GN HT KM MA MG ML MR NE RW SN TD TG TN")
_PORTUGUESE = _codes("AO BR CV GW MZ ST TL")
#: Non-EU countries whose experts join through South-South or triangular cooperation.
_SOUTH = ("AR", "BR", "CL", "CO", "CR", "CV", "MA", "MX", "SN", "TN", "UY", "ZA")
_EXPERT_WEIGHT = {"ES": 9, "FR": 8, "PT": 7, "IT": 7, "BE": 6, "DE": 5, "NL": 4, "RO": 3}


def _read_csv(name: str) -> list[dict[str, str]]:
    with (ONTOLOGY / "src" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _country_names() -> dict[str, tuple[str, tuple[str, ...]]]:
    """alpha2 -> (English name, other labels), from the country vocabulary."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import SKOS

    cg = Namespace("https://w3id.org/coopgraph/ontology#")
    graph = Graph().parse(ONTOLOGY / "countries.ttl", format="turtle")
    out = {}
    for concept in sorted(graph.subjects(cg.alpha2, None)):
        code = str(graph.value(concept, cg.alpha2))
        labels = sorted(str(x) for x in graph.objects(concept, SKOS.prefLabel))
        alt = sorted(str(x) for x in graph.objects(concept, SKOS.altLabel))
        english = [str(x) for x in graph.objects(concept, SKOS.prefLabel) if x.language == "en"]
        out[code] = (english[0], tuple(labels + alt))
    return out


def _concept_labels(filename: str) -> dict[str, dict[str, list[str]]]:
    """concept id -> {"pref@lang" / "alt@lang" / "hidden": labels}, sorted."""
    from rdflib import RDF, Graph
    from rdflib.namespace import SKOS

    graph = Graph().parse(ONTOLOGY / filename, format="turtle")
    out: dict[str, dict[str, list[str]]] = {}
    for concept in sorted(graph.subjects(RDF.type, SKOS.Concept)):
        notation = str(graph.value(concept, SKOS.notation))
        labels: dict[str, list[str]] = {}
        for prop, key in ((SKOS.prefLabel, "pref"), (SKOS.altLabel, "alt")):
            for label in graph.objects(concept, prop):
                labels.setdefault(f"{key}@{label.language or ''}", []).append(str(label))
        labels["hidden"] = [str(x) for x in graph.objects(concept, SKOS.hiddenLabel)]
        out[notation] = {k: sorted(v) for k, v in sorted(labels.items())}
    return out


def _words(text: str) -> str:
    """``text`` folded, its words between single spaces: " green jobs " (to find a
    phrase in another on word boundaries with ``in``)."""
    return " " + " ".join(re.findall(r"\w+", fold(text))) + " "


def _sentence_case(label: str) -> str:
    """A label as it stands inside a sentence: "Green jobs" -> "green jobs", acronyms
    and words with inner capitals kept ("COVID-19 response", "SME development")."""
    words = label.split(" ")
    first = words[0]
    if sum(c.isupper() for c in first) == 1 and first[0].isupper():
        words[0] = first[0].lower() + first[1:]
    return " ".join(words)


def _theme_words() -> dict[str, frozenset[str]]:
    """Theme id -> all its labels (every language), as :func:`_words`."""
    return {
        theme: frozenset(_words(x) for labels in parts.values() for x in labels)
        for theme, parts in _concept_labels("themes.ttl").items()
    }


def _theme_phrases(every: dict[str, frozenset[str]]) -> dict[str, tuple[str, ...]]:
    """Theme id -> English labels that name that theme and no other one."""
    concepts = _concept_labels("themes.ttl")
    out = {}
    for theme, parts in concepts.items():
        phrases = []
        for label in parts.get("pref@en", []) + parts.get("alt@en", []):
            words = _words(label)
            if "," in label or any(
                other in words for t, labels in every.items() if t != theme for other in labels
            ):
                continue
            phrases.append(_sentence_case(label))
        out[theme] = tuple(phrases)
    return {k: v for k, v in out.items() if v}


def _places(names: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """alpha2 -> cities named once in ``places.csv`` and not like a country, capital first."""
    rows = _read_csv("places.csv")
    count: dict[str, int] = {}
    for row in rows:
        count[fold(row["name"])] = count.get(fold(row["name"]), 0) + 1
    country_words = {fold(n) for _, labels in names.values() for n in labels}
    for row in _read_csv("countries.csv"):
        country_words |= {fold(d) for d in row["demonyms"].split("|") if d}
    places: dict[str, list[str]] = {}
    for row in sorted(rows, key=lambda r: (r["alpha2"], r["kind"] != "capital", r["name"])):
        name = row["name"]
        if (
            row["kind"] in ("capital", "city")
            and count[fold(name)] == 1
            and len(name) >= 5
            and fold(name) not in country_words
            and name[0].isupper()
            and not re.search(r"[,.()]", name)
        ):
            places.setdefault(row["alpha2"], []).append(name)
    return {code: tuple(names) for code, names in places.items()}


def _countries() -> dict[str, Country]:
    """Every country of the vocabulary, with its name, demonym, language and places."""
    names = _country_names()
    places = _places(names)
    rows = _read_csv("countries.csv")
    demonyms = [d for row in rows for d in row["demonyms"].split("|")]
    languages = {
        **dict.fromkeys(_SPANISH, "es"),
        **dict.fromkeys(_FRENCH, "fr"),
        **dict.fromkeys(_PORTUGUESE, "pt"),
    }
    countries = {}
    for row in rows:
        code = row["alpha2"]
        if code not in names:
            continue
        demonym = row["demonyms"].split("|")[0]
        if demonyms.count(demonym) != 1 or code in ("CG", "DM"):  # Congolese, Dominican
            demonym = ""
        countries[code] = Country(
            code,
            names[code][0],
            code in _THE,
            demonym,
            row["eu_member"] == "true",
            languages.get(code, "en"),
            places.get(code, ()),
        )
    return countries


def _taken(countries: dict[str, Country]) -> frozenset[str]:
    """Folded names an invented acronym must not be: countries, places, institutions."""
    taken = {fold(c.name) for c in countries.values()}
    for _, labels in _country_names().values():
        taken |= {fold(x) for x in labels}
    for row in _read_csv("countries.csv"):
        taken |= {fold(d) for d in row["demonyms"].split("|") if d}
    taken |= {fold(r["name"]) for r in _read_csv("places.csv")}
    taken |= {fold(r["name"]) for r in _read_csv("institutions.csv")}
    taken |= {fold(r["acronym"]) for r in _read_csv("organisations.csv") if r["acronym"]}
    return frozenset(taken)


def _assistance() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Types of assistance as written in English (labels and the sources' own spellings),
    and in Spanish, French and Portuguese."""
    english: set[str] = set()
    local: dict[str, set[str]] = {"es": set(), "fr": set(), "pt": set()}
    for parts in _concept_labels("assistance-types.ttl").values():
        english |= set(parts.get("pref@en", []) + parts.get("alt@en", []))
        english |= {h for h in parts["hidden"] if h[:1].isupper() and not h.isupper()}
        for lang, labels in local.items():
            labels |= set(parts.get(f"pref@{lang}", []))
    return tuple(sorted(english)), {k: tuple(sorted(v)) for k, v in local.items()}


@lru_cache(maxsize=1)
def tables() -> Tables:
    """The generator's tables, built from ``ontology/`` once a process."""
    countries = _countries()
    partners = tuple(
        sorted(
            c.code
            for c in countries.values()
            if not c.eu and c.code not in _NOT_PARTNERS and c.places
        )
    )
    experts_eu = tuple(sorted(c.code for c in countries.values() if c.eu))
    gazetteer: dict[str, list[str]] = {}
    bodies: dict[str, list[str]] = {}
    for row in _read_csv("institutions.csv"):
        name, code = row["name"], row["alpha2"]
        if code in experts_eu and len(name) >= 3 and name[0].isupper():
            bodies.setdefault(code, []).append(name)
        elif code in partners and len(name) >= 8 and not name.isupper():
            gazetteer.setdefault(code, []).append(name)
    theme_words = _theme_words()
    assistance, assistance_local = _assistance()
    return Tables(
        countries=countries,
        partners=partners,
        # a skewed, seed-independent popularity: every fifth country a frequent partner
        partner_weights=tuple(3.0 if i % 5 == 0 else 1.0 for i in range(len(partners))),
        experts_eu=experts_eu,
        expert_weights=tuple(float(_EXPERT_WEIGHT.get(c, 2)) for c in experts_eu),
        experts_south=tuple(c for c in _SOUTH if c in countries),
        mentioned=tuple(
            sorted(c.code for c in countries.values() if c.code not in _TERRITORIES and c.places)
        ),
        gazetteer_partners={k: tuple(sorted(v)) for k, v in sorted(gazetteer.items())},
        expert_bodies={k: tuple(sorted(v)) for k, v in sorted(bodies.items())},
        themes=_theme_phrases(theme_words),
        theme_words=theme_words,
        assistance=assistance,
        assistance_local=assistance_local,
        programmes=tuple(
            (row["name"], row["acronym"]) for row in _read_csv("programmes.csv") if row["name"]
        ),
        taken=_taken(countries),
    )


# --- vocabulary of the sentences ----------------------------------------------------------

MONTHS = _list(
    "January February March April May June July August September October November December"
)
_MONTH_ABBR = _list("Jan. Feb. Mar. Apr. May Jun. Jul. Aug. Sept. Oct. Nov. Dec.")

#: Title parts; a counter picks one of each, so titles are unique (see :func:`title_parts`).
OPENERS = (
    "Strengthening", "Modernising", "Reviewing", "Designing", "Piloting", "Scaling up",
    "Assessing", "Reforming", "Improving", "Updating", "Developing", "Rolling out",
    "Upgrading", "Evaluating", "Mapping", "Consolidating", "Harmonising", "Digitalising",
    "Decentralising", "Costing", "Overhauling", "Institutionalising", "Expanding",
    "Streamlining", "Redesigning", "Validating", "Testing", "Revising", "Standardising",
    "Simplifying",
)  # fmt: skip
OBJECTS = (
    "the operational guidelines for", "the case-management tools for",
    "the monitoring framework for", "the curriculum on", "the service standards for",
    "the data-sharing protocols for", "the costing model for", "the national action plan on",
    "the quality criteria for", "the outreach methods for", "the performance indicators for",
    "the complaint procedures for", "the staff competency profiles for",
    "the coordination mechanism for", "the information campaign on",
    "the risk assessment method for", "the e-learning modules on",
    "the practitioners' toolkit on", "inter-agency cooperation on", "a pilot scheme on",
    "a feasibility study on", "the road map for", "the code of practice on",
    "the service catalogue for", "the evaluation method for", "the business processes for",
    "the registration procedures for", "the communication strategy on",
    "the referral pathways for", "the quality assurance system for",
    "the reporting templates for", "the budget planning cycle for",
    "the methodological handbook on", "the peer learning network on",
    "the statistical indicators on", "the digital services for",
    "the management dashboard for", "the cooperation agreements on",
    "the internal regulations on", "the induction programme on",
)  # fmt: skip
#: (plain, with the partner country: "{c}" its name, "{c's}" its possessive)
SCOPES = (
    ("at national level", "at national level in {c}"),
    ("at regional level", "at regional level in {c}"),
    ("in rural districts", "in rural districts of {c}"),
    ("in secondary cities", "in the secondary cities of {c}"),
    ("for small enterprises", "for small enterprises in {c}"),
    ("in the agricultural sector", "in {c's} agricultural sector"),
    ("in the construction sector", "in {c's} construction sector"),
    ("in the garment industry", "in {c's} garment industry"),
    ("in the mining sector", "in {c's} mining sector"),
    ("in the fisheries sector", "in {c's} fisheries sector"),
    ("in the tourism sector", "in {c's} tourism sector"),
    ("in the transport sector", "in {c's} transport sector"),
    ("in urban areas", "in the urban areas of {c}"),
    ("in coastal provinces", "in the coastal provinces of {c}"),
    ("in border areas", "in the border areas of {c}"),
    ("across local offices", "across local offices in {c}"),
    ("in the capital region", "in the capital region of {c}"),
    ("for front-line staff", "for front-line staff in {c}"),
    ("for senior managers", "for senior managers in {c}"),
    ("in the textile industry", "in {c's} textile industry"),
    ("in the logistics sector", "in {c's} logistics sector"),
    ("in the energy sector", "in {c's} energy sector"),
    ("in the retail sector", "in {c's} retail sector"),
    ("in the hospitality sector", "in {c's} hospitality sector"),
    ("in the care sector", "in {c's} care sector"),
    ("for field offices", "for field offices in {c}"),
    ("in pilot municipalities", "in pilot municipalities of {c}"),
    ("in the northern provinces", "in the northern provinces of {c}"),
    ("in the southern provinces", "in the southern provinces of {c}"),
    ("in mountain areas", "in the mountain areas of {c}"),
    ("in island communities", "in the island communities of {c}"),
    ("in export processing zones", "in {c's} export processing zones"),
    ("in the automotive sector", "in {c's} automotive sector"),
    ("in the food-processing industry", "in {c's} food-processing industry"),
    ("for district administrations", "for district administrations in {c}"),
    ("for regional directorates", "for regional directorates in {c}"),
)
VARIANTS = (
    "", ": a first assessment", ": a second phase", ": design and testing",
    ": lessons and next steps", ": from diagnosis to action", ": options and recommendations",
    ": a peer review", ": building on earlier work", ": a practical guide", ": scoping mission",
    ": follow-up mission", ": validation and roll-out", ": a comparative review",
    ": a needs assessment", ": the way forward", ": preparing the ground", ": taking stock",
    ": an implementation plan", " (phase two)", " (phase three)", " (pilot phase)",
    " (scoping phase)", " (final phase)", " – remote support", " – in-country mission",
    " with regional partners", " with local authorities", " in two stages",
    " through peer exchange", " through on-the-job coaching", " through learning by doing",
    " and its follow-up", " and related tools", " and staff coaching", " and a pilot test",
    " and a validation workshop", ": what works", ": a roadmap", ": proposals for reform",
)  # fmt: skip
_RADICES = (len(OPENERS), len(OBJECTS), len(SCOPES), len(VARIANTS))
TITLE_SPACE = math.prod(_RADICES)
_STRIDE = 7_919_993  #: prime to TITLE_SPACE, so n -> n * _STRIDE permutes it


def title_parts(n: int, seed: int = 0) -> tuple[int, int, int, int, int]:
    """The title components of action number ``n`` (0-based): opener, object, scope and
    variant indices, and a round (0 below :data:`TITLE_SPACE` actions).

    ``n`` is permuted (times a stride prime to :data:`TITLE_SPACE`), written in mixed
    radix, and each digit shifted by the faster ones, so that neighbours share few parts.
    Both steps are bijections: distinct ``n`` below :data:`TITLE_SPACE` give distinct
    components.

    >>> title_parts(0) != title_parts(1)
    True
    """
    k = (n % TITLE_SPACE * _STRIDE + seed * 104_729) % TITLE_SPACE
    d = []
    for radix in _RADICES:
        k, digit = divmod(k, radix)
        d.append(digit)
    r = _RADICES
    return (
        d[0],
        (d[1] + _scramble(d[0])) % r[1],
        (d[2] + _scramble(d[0] * 41 + d[1])) % r[2],
        (d[3] + _scramble(d[0] * 1681 + d[1] * 41 + d[2])) % r[3],
        n // TITLE_SPACE,
    )


def _scramble(x: int) -> int:
    """An irregular function of ``x`` (any function keeps :func:`title_parts` bijective)."""
    return (x * x * 31 + x * 17 + 7) % 1_000_003


#: Partner institutions: English name, Spanish, French and Portuguese names, short reference.
INSTITUTIONS = (
    ("Ministry of Labour and Social Protection", "Ministerio de Trabajo y Protección Social",
     "Ministère du Travail et de la Protection Sociale",
     "Ministério do Trabalho e da Protecção Social", "the Ministry"),
    ("Ministry of Labour and Employment", "Ministerio de Trabajo y Empleo",
     "Ministère du Travail et de l'Emploi", "Ministério do Trabalho e Emprego", "the Ministry"),
    ("Ministry of Employment and Vocational Training",
     "Ministerio de Empleo y Formación Profesional",
     "Ministère de l'Emploi et de la Formation Professionnelle",
     "Ministério do Emprego e Formação Profissional", "the Ministry"),
    ("Ministry of Social Affairs", "Ministerio de Asuntos Sociales",
     "Ministère des Affaires Sociales", "Ministério dos Assuntos Sociais", "the Ministry"),
    ("Ministry of Public Service, Labour and Social Welfare",
     "Ministerio de Función Pública, Trabajo y Bienestar Social",
     "Ministère de la Fonction Publique, du Travail et de la Sécurité Sociale",
     "Ministério da Função Pública, Trabalho e Segurança Social", "the Ministry"),
    ("National Employment Agency", "Agencia Nacional de Empleo",
     "Agence Nationale pour l'Emploi", "Agência Nacional de Emprego", "the Agency"),
    ("National Social Security Institute", "Instituto Nacional de Seguridad Social",
     "Institut National de Sécurité Sociale", "Instituto Nacional de Segurança Social",
     "the Institute"),
    ("National Social Security Fund", "Fondo Nacional de Seguridad Social",
     "Caisse Nationale de Sécurité Sociale", "Caixa Nacional de Segurança Social", "the Fund"),
    ("General Labour Inspectorate", "Inspección General del Trabajo",
     "Inspection Générale du Travail", "Inspecção-Geral do Trabalho", "the Inspectorate"),
    ("National Vocational Training Authority", "Autoridad Nacional de Formación Técnica",
     "Office National de la Formation Technique", "Autoridade Nacional de Formação Técnica",
     "the Authority"),
    ("Directorate-General for Employment", "Dirección General de Empleo",
     "Direction Générale de l'Emploi", "Direcção-Geral do Emprego", "the Directorate"),
    ("National Institute of Statistics", "Instituto Nacional de Estadística y Censos",
     "Institut National de la Statistique", "Instituto Nacional de Estatística",
     "the Institute"),
    ("Social Welfare Department", "Departamento de Bienestar Social",
     "Département de l'Action Sociale", "Departamento de Acção Social", "the Department"),
    ("National Council for Social Dialogue", "Consejo Nacional de Diálogo Social",
     "Conseil National du Dialogue Social", "Conselho Nacional de Diálogo Social",
     "the Council"),
    ("State Employment Service", "Servicio Estatal de Empleo", "Service Public de l'Emploi",
     "Serviço Público de Emprego", "the Service"),
    ("National Pension Agency", "Administración Nacional de Pensiones",
     "Caisse Nationale de Retraite", "Instituto Nacional de Pensões", "the Agency"),
    ("Occupational Safety and Health Directorate",
     "Dirección de Seguridad y Salud en el Trabajo",
     "Direction de la Santé et de la Sécurité au Travail",
     "Direcção de Segurança e Saúde no Trabalho", "the Directorate"),
    ("Regional Directorate of Labour", "Dirección Regional de Trabajo",
     "Direction Régionale du Travail", "Direcção Regional do Trabalho", "the Directorate"),
    ("Ministry of Gender and Social Development", "Ministerio de la Mujer y Desarrollo Social",
     "Ministère de la Femme et du Développement Social",
     "Ministério da Mulher e Desenvolvimento Social", "the Ministry"),
    ("National Disability Council", "Consejo Nacional de Discapacidad",
     "Conseil National des Personnes Handicapées", "Conselho Nacional para a Deficiência",
     "the Council"),
)  # fmt: skip
_LANG_INDEX = {"es": 1, "fr": 2, "pt": 3}
_SMALL_WORDS = _codes("of and for the on de del la y du des et l d do da e dos em en au pour a")

#: What the partner asked for; "{t}" is the first theme's phrase.
GOALS = (
    "review its procedures on {t}", "design a new approach to {t}",
    "build the capacity of its staff in {t}", "prepare a national strategy on {t}",
    "improve the way it delivers {t}", "set up a pilot programme on {t}",
    "bring its rules on {t} in line with international standards",
    "build an evidence base on {t}", "modernise its services related to {t}",
    "assess options for reforming {t}", "draft guidelines on {t}",
    "update its legal texts on {t}", "develop a monitoring system for {t}",
    "plan the roll-out of a programme on {t}",
)  # fmt: skip
#: Opening sentences: "{P}" the partner at the start of a sentence, "{p}" inside one.
OPENINGS = (
    "{P} asked SOCIEUX+ for support to {g}.",
    "{P} requested peer-to-peer support to {g}.",
    "At the request of {p}, the action set out to {g}.",
    "{P} wanted to {g} and turned to SOCIEUX+ for expertise.",
    "This action helped {p} to {g}.",
    "Responding to a request from {p}, SOCIEUX+ worked to {g}.",
    "{P} sought advice on how to {g}.",
    "The aim was to help {p} {g}.",
)
#: What the experts did.
DEEDS = (
    "reviewed the existing procedures and proposed improvements",
    "assessed current practice and drafted recommendations",
    "ran a series of workshops with managers and staff",
    "prepared a road map together with the partner's working group",
    "compared the available options and wrote a technical note",
    "trained a core group of officials",
    "co-designed the new tools with the partner's teams",
    "analysed the available data and presented their findings",
    "facilitated a validation workshop with the main stakeholders",
    "drafted operational guidelines and tested them in two offices",
    "coached the partner's team over several remote sessions",
    "shared their own institutions' experience and adapted it to the local context",
)
#: Expert sentences; "{L}" a list of countries, "{D}" of demonyms, "{d}" the deed.
EXPERT_LISTS = (
    "Experts from {L} {d}.",
    "{D} experts {d}.",
    "A team of specialists from {L} {d}.",
    "SOCIEUX+ mobilised peers from {L}, who {d}.",
    "The expertise was provided by {L}; the team {d}.",
    "Peer experts drawn from {L} {d}.",
    "{D} practitioners {d}.",
    "Consultants from {L} {d}.",
)
#: One expert; "{aD}" a demonym with its article ("An Italian").
EXPERT_ONE = (
    "{aD} adviser {d}.",
    "An expert from {L} {d}.",
    "A senior {D} specialist {d}.",
    "{aD} peer expert {d}.",
)
EXPERT_BODIES = (
    "public employment service", "labour inspectorate", "social security institute",
    "ministry of labour", "pension fund", "statistical office", "vocational training agency",
)  # fmt: skip
#: The partner's own people, named by their demonym (they are not experts).
OWN_PEOPLE = (
    "Some twenty {D} officials took part in the sessions.",
    "{D} managers and front-line staff tested the new procedures.",
    "The sessions were attended by {D} officials from several regions.",
)
SECOND_THEME = (
    "Particular attention went to {t}.",
    "The work also covered {t}.",
    "Links with {t} were examined as well.",
    "A component on {t} was added at the partner's request.",
    "The partner also wished to make progress on {t}.",
)
DATE_SENTENCES = (
    "The mission took place {w}.",
    "Activities ran {w}.",
    "A validation workshop was held {w}.",
    "The action was implemented {w}.",
    "The experts' visit took place {w}.",
    "The final seminar was organised {w}.",
)
#: Countries named in passing: "{c}" a country reference or place.
DISTRACTORS = (
    "Practices from {c} were presented as a reference.",
    "A study visit to {c} gave the partner's staff a first-hand view of a similar service.",
    "The experience of {c} served as a point of comparison.",
    "The action was co-financed by {c}'s development agency.",
    "Examples from {c} were discussed during the workshops.",
)
OWN_CODE = (
    "This is Action {k}.",
    "(Action {k})",
    "Reference: SOCIEUX+ {k}.",
    "It was registered as Action {k}.",
)
EARLIER_CODE = (
    "It follows up on Action {k}.",
    "It builds on the results of Action {k}.",
    "This action continues the work of Action {k}.",
)
PLACE_SENTENCES = (
    "Workshops were held in {c}.",
    "The team met the partner's regional office in {c}.",
    "A pilot was run in the branch office of {c}.",
)
#: A name that can open a description in place of the partner line: capitalised words,
#: a head noun, then no comma ("National Employment Agency", "Ministry of Labour").
_OPENS_WITH_ORG = re.compile(
    r"^(?:[A-Z][\w'-]*\s+){0,4}(?:Ministry|Agency|Service|Institute|Council|Directorate|Fund|"
    r"Department)(?:\s[^,]*)?$"
)
HEADERS = (
    "Actions",
    "Completed actions",
    "Actions in progress",
    "List of actions (continued)",
    "Cooperation actions by partner",
)


# --- one action ---------------------------------------------------------------------------


@dataclass
class Partner:
    """The partner institution of one action."""

    line: str | None  #: the partner line as written (None: no line)
    name: str  #: its name in running text
    short: str  #: a short reference: "the Ministry", an acronym
    country: Country
    line_has_country: bool = False
    gazetteer: bool = False


@dataclass
class Action:
    """One action: what is written about it and what the gold says."""

    number: int
    title: str
    partner: Partner
    assistance: list[str]
    themes: list[str]
    sentences: list[str]  #: the description, without dates
    dates: list[tuple[str, str]]  #: (sentence, ISO) mentioned in the description
    start: tuple[str, str] | None = None  #: labelled start (text, ISO)
    end: tuple[str, str] | None = None
    code: str | None = None
    code_in_text: bool = False
    evidence: str | None = None
    experts: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _pick(rng: random.Random, seq):
    return seq[int(rng.random() * len(seq))]


def _join(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _a(word: str, *, start: bool = False) -> str:
    """ "a Spanish", "an Italian"; "A Spanish" at the ``start`` of a sentence."""
    article = "an" if word[:1] in "AEIOU" else "a"
    return f"{article.capitalize() if start else article} {word}"


def _possessive(c: Country) -> str:
    return f"{c.ref}'s" if not c.the else f"the {c.name}'"


_MINISTRY = re.compile(r"(?:Minist|Secretar|Department|Départ)")


@lru_cache(maxsize=4096)
def name_themes(name: str) -> tuple[str, ...]:
    """The themes a specialised body's name speaks of ("National Disability Council":
    disability inclusion); none for a ministry, whose name lists its portfolios. Such a
    body's actions are about its field, so the planner gives them its themes.

    >>> name_themes("General Labour Inspectorate")
    ('labour_law_inspection',)
    >>> name_themes("Ministry of Labour and Social Protection")
    ()
    """
    if _MINISTRY.match(name):
        return ()
    words = _words(name)
    return tuple(
        theme
        for theme, labels in sorted(tables().theme_words.items())
        if theme in tables().themes and any(label in words for label in labels)
    )


@lru_cache(maxsize=4096)
def _acronym(name: str) -> str | None:
    """The initials of ``name``'s main words, unless they spell a known name."""
    taken = tables().taken
    words = re.findall(r"[\w’'-]+", name)
    letters = "".join(
        w[0].upper() for w in words if w.lower() not in _SMALL_WORDS and w[0].isalpha()
    )
    if len(letters) < 3 or fold(letters) in taken:
        return None
    return letters


def _day(rng: random.Random) -> int:
    return 1 + int(rng.random() * 28)


def _description_date(rng: random.Random, year: int) -> tuple[str, str]:
    """A date or period as written in a description, and its ISO value."""
    m = 1 + int(rng.random() * 12)
    d = _day(rng)
    month = MONTHS[m - 1]
    form = int(rng.random() * 10)
    if form == 0:
        d = min(d, 24)
        d2 = d + 1 + int(rng.random() * 4)
        return f"from {d} to {d2} {month} {year}", f"{year}-{m:02}-{d:02}/{year}-{m:02}-{d2:02}"
    if form == 1:
        d = min(d, 26)
        d2 = d + 1 + int(rng.random() * 2)
        dash = "–" if rng.random() < 0.5 else "-"
        return f"on {d}{dash}{d2} {month} {year}", f"{year}-{m:02}-{d:02}/{year}-{m:02}-{d2:02}"
    if form == 2:
        return f"on {d} {month} {year}", f"{year}-{m:02}-{d:02}"
    if form == 3:
        return f"on {month} {d}, {year}", f"{year}-{m:02}-{d:02}"
    if form == 4:
        return f"on {year}-{m:02}-{d:02}", f"{year}-{m:02}-{d:02}"
    if form == 5:
        return f"on {d:02}/{m:02}/{year}", f"{year}-{m:02}-{d:02}"
    if form == 6:
        return f"in {month} {year}", f"{year}-{m:02}"
    if form == 7:
        m = min(m, 11)
        month = MONTHS[m - 1]
        m2 = min(12, m + 1 + int(rng.random() * 5))
        return f"between {month} and {MONTHS[m2 - 1]} {year}", f"{year}-{m:02}/{year}-{m2:02}"
    if form == 8:
        m2 = 1 + int(rng.random() * 12)
        return (
            f"from {month} {year} to {MONTHS[m2 - 1]} {year + 1}",
            f"{year}-{m:02}/{year + 1}-{m2:02}",
        )
    return f"in {year}", f"{year}"


def _label_date(rng: random.Random, year: int, month: int) -> tuple[str, str]:
    """A Start/End value as written after a label, and its ISO value."""
    d = _day(rng)
    form = int(rng.random() * 6)
    if form == 0:
        return f"{d:02}/{month:02}/{year}", f"{year}-{month:02}-{d:02}"
    if form == 1:
        return f"{year}-{month:02}-{d:02}", f"{year}-{month:02}-{d:02}"
    if form == 2:
        return f"{MONTHS[month - 1]} {year}", f"{year}-{month:02}"
    if form == 3:
        return f"{d} {MONTHS[month - 1]} {year}", f"{year}-{month:02}-{d:02}"
    if form == 4:
        return f"{_MONTH_ABBR[month - 1]} {year}", f"{year}-{month:02}"
    return f"{d:02}.{month:02}.{year}", f"{year}-{month:02}-{d:02}"


def _typo(rng: random.Random, text: str) -> tuple[str, str, str] | None:
    """``text`` with one misspelt word: (new text, word, misspelling), or None."""
    words = text.split(" ")
    candidates = [k for k, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not candidates:
        return None
    k = _pick(rng, candidates)
    word = words[k]
    j = 1 + int(rng.random() * (len(word) - 3))
    kind = int(rng.random() * 3)
    if kind == 0:
        new = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif kind == 1:
        new = word[:j] + word[j + 1 :]
    else:
        new = word[:j] + word[j] + word[j:]
    if new == word:
        return None
    words[k] = new
    return " ".join(words), word, new


#: How the partner country is told, with cumulative probabilities (see _Planner.how).
HOW = (
    (0.28, "possessive"),  # "Peru's Ministry of Labour"
    (0.45, "of"),  # "the Ministry of Labour of Peru"
    (0.60, "demonym"),  # "the Peruvian Ministry of Labour"
    (0.68, "in"),  # "the Ministry of Labour in Peru"
    (0.80, "place"),  # "Workshops were held in Arequipa."
    (0.90, "title"),  # "... in Peru's mining sector"
    (0.94, "none"),  # not told: gold null, likely given
    (1.00, "of"),
)


class _Planner:
    """Draws actions: every choice goes through one ``random.Random``."""

    def __init__(self, rng: random.Random, seed: int):
        self.rng = rng
        self.random = rng.random
        self.seed = seed
        self.t = tables()
        self.partner_cum = list(itertools.accumulate(self.t.partner_weights))
        self.expert_cum = list(itertools.accumulate(self.t.expert_weights))
        self.theme_ids = tuple(sorted(self.t.themes))

    def pick(self, seq):
        """One item of ``seq``."""
        return seq[int(self.random() * len(seq))]

    def country(self, codes: tuple[str, ...], cum: list[float]) -> Country:
        """A country of ``codes``, drawn with the cumulative weights ``cum``."""
        return self.t.countries[codes[bisect.bisect_right(cum, self.rng.random() * cum[-1])]]

    def partner(self, country: Country) -> Partner:
        """A partner institution of ``country`` and its line: English, bracketed own-language
        name, acronym, "of <country>", or a name of the institutions gazetteer."""
        rng = self.rng
        gazetteer = self.t.gazetteer_partners.get(country.code)
        if gazetteer and rng.random() < 0.12:
            name = self.pick(gazetteer)
            return Partner(name, name, f"the {name}", country, gazetteer=True)
        en, *local, short = self.pick(INSTITUTIONS)
        if rng.random() < 0.1:
            en = en.replace("Labour", "Labor")
        original = local[_LANG_INDEX[country.language] - 1] if country.language != "en" else None
        acronym = _acronym(original or en) if rng.random() < 0.6 else None
        tail = f" ({acronym})" if acronym else ""
        form = rng.random()
        if form < 0.1:
            line = f"{en} of {country.ref}"
        elif original and form < 0.35:
            line = f"{en} [{original}]{tail}"
        elif original and form < 0.45:
            line = f"{original} [{en}]"
        elif original and form < 0.5:
            line = f"{original}{tail}"
        else:
            line = f"{en}{tail}"
        ref = acronym if acronym and rng.random() < 0.3 else short
        return Partner(line, en, ref, country, line_has_country=form < 0.1)

    def themes(self, partner: Partner) -> list[str]:
        """One or two themes; a specialised body's own field first."""
        themes = list(name_themes(partner.name)[:2])
        wanted = max(len(themes), 1 if self.rng.random() < 0.55 else 2)
        while len(themes) < wanted:
            theme = self.pick(self.theme_ids)
            if theme not in themes:
                themes.append(theme)
        return themes

    def how(self, partner: Partner, labelled: bool) -> str:
        """How the description tells the partner country (see :data:`HOW`)."""
        if partner.gazetteer:
            return "gazetteer"
        if partner.line_has_country:
            return "line"
        x = self.rng.random()
        if not labelled and x < 0.025 and _OPENS_WITH_ORG.match(partner.name):
            partner.line = None  # no partner line: the description opens with the name
            return "no line"
        how = next(h for limit, h in HOW if x < limit)
        country = partner.country
        if (how == "possessive" and country.the) or (how == "demonym" and not country.demonym):
            return "of"
        return "of" if how == "place" and not country.places else how

    def opening(self, action: Action, how: str, phrase: str) -> None:
        """The first sentence (the partner asks for help with the first theme), and the
        place sentence; sets the gold evidence of the partner country."""
        partner, country = action.partner, action.partner.country
        name = partner.name
        if how in ("of", "no line"):
            p, action.evidence = f"the {name} of {country.ref}", f"{name} of {country.ref}"
        elif how == "possessive":
            p = action.evidence = f"{country.ref}'s {name}"
        elif how == "demonym":
            p, action.evidence = f"the {country.demonym} {name}", f"{country.demonym} {name}"
        elif how == "in":
            p, action.evidence = f"the {name} in {country.ref}", f"in {country.ref}"
        elif how == "line":
            p, action.evidence = f"the {name}", partner.line
        elif how == "gazetteer":
            p = f"the {name}"  # the institutions gazetteer knows it: gold null, likely given
        else:  # title, place, none
            p = partner.short if self.rng.random() < 0.4 else f"the {name}"
            action.evidence = country.ref if how == "title" else None
        template = self.pick(OPENINGS[:2] if how == "no line" else OPENINGS)
        goal = self.pick(GOALS).format(t=phrase)
        action.sentences.append(
            template.replace("{P}", p[0].upper() + p[1:]).replace("{p}", p).replace("{g}", goal)
        )
        if how == "place":
            action.evidence = self.pick(country.places)
            action.sentences.append(self.pick(PLACE_SENTENCES).format(c=action.evidence))
        action.notes.append(f"partner country: {how}")

    def experts(self, partner: Country) -> list[Country]:
        """Zero to four expert countries: EU members, sometimes a country of the South."""
        rng = self.rng
        r = rng.random()
        n = 0 if r < 0.1 else 1 if r < 0.5 else 2 if r < 0.85 else 3 if r < 0.97 else 4
        chosen: list[Country] = []
        while len(chosen) < n:
            if rng.random() < 0.08:
                c = self.t.countries[self.pick(self.t.experts_south)]
            else:
                c = self.country(self.t.experts_eu, self.expert_cum)
            if c.code != partner.code and c not in chosen:
                chosen.append(c)
        return chosen

    def expert_sentences(self, experts: list[Country]) -> tuple[list[str], str]:
        """Sentences naming the experts' countries, and a note on the phrasing."""
        deed = self.pick(DEEDS)
        with_demonyms = all(c.demonym for c in experts)
        r = self.rng.random()
        if len(experts) >= 2 and r < 0.15:
            first = experts[0]
            a = (
                f"{_a(first.demonym, start=True)} adviser first {self.pick(DEEDS)}."
                if first.demonym
                else f"An adviser from {first.ref} first {self.pick(DEEDS)}."
            )
            b = f"Experts from {_join([c.ref for c in experts[1:]])} then {deed}."
            return [a, b], "experts in two sentences"
        if r < 0.27:
            parts = []
            for c in experts:
                bodies = self.t.expert_bodies.get(c.code)
                if bodies and self.rng.random() < 0.6:
                    parts.append(f"an expert from {self.pick(bodies)}")
                else:
                    parts.append(f"a practitioner from {_possessive(c)} {self.pick(EXPERT_BODIES)}")
            text = _join(parts)
            return [f"{text[0].upper()}{text[1:]} {deed}."], "experts through institutions"
        if len(experts) == 1 and experts[0].code in self.t.experts_south and with_demonyms:
            sentence = (
                f"Through triangular cooperation, {_a(experts[0].demonym)} specialist {deed}."
            )
            return [sentence], "triangular expert"
        if len(experts) == 1:
            template = self.pick(EXPERT_ONE) if with_demonyms else EXPERT_ONE[1]
            demonym = experts[0].demonym
            text = template.format(aD=_a(demonym, start=True), D=demonym, L=experts[0].ref, d=deed)
            return [text], "one expert"
        template = self.pick(EXPERT_LISTS)
        if "{D}" in template and not with_demonyms:
            template = EXPERT_LISTS[0]
        countries = _join([c.ref for c in experts])
        text = template.format(L=countries, D=_join([c.demonym for c in experts]), d=deed)
        return [text], "experts by demonym" if "{D}" in template else "experts by country"

    def distractor(self, action: Action) -> None:
        """A country named in passing: a study visit, a practice shown, a funder."""
        other = self.t.countries[self.pick(self.t.mentioned)]
        if other.code == action.partner.country.code or other.code in action.experts:
            return
        template = self.pick(DISTRACTORS)
        if "study visit" in template and other.places and self.rng.random() < 0.5:
            where = other.places[0]
        elif "{c}'s" in template and other.the:
            template, where = DISTRACTORS[0], other.ref
        else:
            where = other.ref
        text = template.format(c=where)
        action.sentences.append(text[0].upper() + text[1:])
        action.others.append(other.code)

    def dates(self, action: Action, labelled: bool, year: int) -> None:
        """Start and End values (labelled layout) or a date in the description."""
        rng = self.rng
        r = rng.random()
        if labelled:
            if r < 0.55:
                m1 = 1 + int(rng.random() * 10)
                m2 = min(12, m1 + 1 + int(rng.random() * 6))
                action.start = _label_date(rng, year, m1)
                action.end = _label_date(rng, year, m2)
            elif r < 0.7:
                action.start = _label_date(rng, year, 1 + int(rng.random() * 12))
            elif rng.random() < 0.33:
                text, iso = _description_date(rng, year)
                action.dates.append((self.pick(DATE_SENTENCES).format(w=text), iso))
        elif r < 0.6:
            text, iso = _description_date(rng, year)
            action.dates.append((self.pick(DATE_SENTENCES).format(w=text), iso))

    def codes(self, action: Action, labelled: bool, year: int) -> None:
        """The action's own code (a Code line or in the text), an earlier action's code."""
        rng = self.rng
        if rng.random() < 0.15:
            action.code = f"{year}-{1 + int(rng.random() * 60):02}"
            action.codes.append(action.code)
            action.code_in_text = not labelled or rng.random() < 0.3
        if rng.random() < 0.05:
            earlier = f"{year - 1 - int(rng.random() * 3)}-{1 + int(rng.random() * 60):02}"
            action.sentences.append(self.pick(EARLIER_CODE).format(k=earlier))
            action.codes.append(earlier)

    def assistance(self, country: Country) -> list[str]:
        """One or two types of assistance, sometimes in the partner's language."""
        r = self.rng.random()
        first = self.pick(self.t.assistance)
        if r < 0.2:
            second = self.pick(self.t.assistance)
            return [first, second] if second.lower() != first.lower() else [first]
        if r < 0.27 and country.language in self.t.assistance_local:
            return [self.pick(self.t.assistance_local[country.language])]
        return [first]

    def title(self, n: int, theme: str, country: Country | None) -> str:
        """The unique title of action ``n`` (see :func:`title_parts`)."""
        o, b, s, v, round_ = title_parts(n, self.seed)
        scope = SCOPES[s][0]
        if country is not None:
            scope = SCOPES[s][1].replace("{c's}", _possessive(country)).replace("{c}", country.ref)
        title = f"{OPENERS[o]} {OBJECTS[b]} {theme} {scope}{VARIANTS[v]}"
        return title + (f" (round {round_ + 1})" if round_ else "")

    def action(self, n: int, labelled: bool) -> Action:
        """Plan action number ``n`` (its text is written by the layout's renderer)."""
        country = self.country(self.t.partners, self.partner_cum)
        partner = self.partner(country)
        themes = self.themes(partner)
        phrases = [self.pick(self.t.themes[theme]) for theme in themes]
        how = self.how(partner, labelled)
        title = self.title(n, phrases[0], country if how == "title" else None)
        action = Action(n, title, partner, [], themes, [], [])
        self.opening(action, how, phrases[0])
        experts = self.experts(country)
        action.experts = sorted(c.code for c in experts)
        if experts:
            sentences, note = self.expert_sentences(experts)
            action.sentences += sentences
            action.notes.append(note)
        else:
            action.notes.append("no experts named")
        if country.demonym and self.rng.random() < 0.08:
            action.sentences.append(self.pick(OWN_PEOPLE).format(D=country.demonym))
            action.notes.append("partner's own staff named by demonym")
        if len(phrases) > 1:
            action.sentences.append(self.pick(SECOND_THEME).format(t=phrases[1]))
        if self.rng.random() < 0.22:
            self.distractor(action)
        year = 2014 + int(self.rng.random() * 12)
        self.dates(action, labelled, year)
        self.codes(action, labelled, year)
        action.assistance = self.assistance(country)
        return action


# --- layouts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelStyle:
    """The label words of one labelled file."""

    start: str
    end: str
    partner: str
    assistance: str
    code: str
    description: str
    country: str | None


LABEL_STYLES = (
    LabelStyle("Start activities", "End activities", "Partner Institution",
               "Type of Assistance", "Code", "Description", None),
    LabelStyle("Start date", "End date", "Partner institution", "Type of assistance",
               "Action code", "Description", None),
    LabelStyle("Start of activities", "End of activities", "Beneficiary institution",
               "Assistance type", "Reference", "Summary", "Country"),
    LabelStyle("Starting date", "Ending date", "Partner institution(s)",
               "Type(s) of assistance", "Action number", "Objectives", None),
    LabelStyle("Start activities", "End activities", "Partner", "Type of Assistance",
               "Code", "Description", "Partner country"),
)  # fmt: skip
#: Sections of a labelled file: (bullet marker or "", separator: "\n" value on the next line)
SECTION_STYLES = (("•", "\n"), ("•", ": "), ("", ": "), ("", "\t"), ("", " - "), ("▪", "\n"))
BULLET_STYLES = (("  • ", "    "), ("• ", "  "), ("- ", "  "), ("* ", "  "), ("▪ ", "    "))


def _description(action: Action, rng: random.Random) -> tuple[list[str], str | None]:
    """The description's paragraphs (one, sometimes two; dates and codes in place), and
    a typo note."""
    sentences = list(action.sentences)
    for sentence, _ in action.dates:
        sentences.insert(min(len(sentences), 1 + int(rng.random() * len(sentences))), sentence)
    if action.code and action.code_in_text:
        own = _pick(rng, OWN_CODE).format(k=action.code)
        if own.startswith("("):
            sentences[0] = sentences[0][:-1] + f" {own}."
        else:
            sentences.append(own)
    if len(sentences) >= 4 and rng.random() < 0.15:
        half = len(sentences) // 2
        text = " ".join(sentences[:half]) + "\n" + " ".join(sentences[half:])
    else:
        text = " ".join(sentences)
    note = None
    if rng.random() < 0.04:
        typo = _typo(rng, text)
        if typo:
            evidence = action.evidence
            if evidence and evidence in text and evidence not in typo[0]:  # the typo is in it
                action.evidence = evidence.replace(typo[1], typo[2], 1)
            text, note = typo[0], f"typo '{typo[2]}' for '{typo[1]}'"
    return text.split("\n"), note


def _gold(action: Action, file: str, index: int, typo: str | None) -> dict:
    """The gold record of ``action``, in the format of ``corpus/gold.json``."""
    partner = action.partner
    known = action.evidence is not None
    notes = [*action.notes, *([typo] if typo else [])]
    dates = []
    if action.start or action.end:
        first = (action.start or action.end)[1]  # type: ignore[index]
        last = (action.end or action.start)[1]  # type: ignore[index]
        dates.append(first if first == last else f"{first}/{last}")
    dates += [iso for _, iso in action.dates]
    return {
        "file": file,
        "index": index,
        "title": action.title,
        "partner_institution": partner.line if partner.line is not None else partner.name,
        "partner_country": partner.country.code if known else None,
        "partner_country_evidence": action.evidence,
        "partner_country_likely": partner.country.code,
        "expert_countries": action.experts,
        "other_countries_mentioned": sorted(action.others),
        "themes": sorted(action.themes),
        "assistance_types": action.assistance,
        "dates": dates,
        "action_codes": action.codes,
        "duplicate_of": None,
        "notes": "synthetic; " + "; ".join(notes),
    }


def render_bullet(action: Action, rng: random.Random, style: tuple[str, str]) -> tuple[str, str]:
    """One action in the bullet layout: (text, typo note)."""
    marker, indent = style
    description, typo = _description(action, rng)
    lines = [f"{marker}{action.title}", ""]
    r = rng.random()
    partner_line = action.partner.line
    if partner_line is not None:  # None: the description opens with the institution
        lines.append(indent + partner_line)
    if r >= 0.05 or partner_line is None:
        lines.append(indent + ", ".join(action.assistance))
    else:
        action.assistance = []
        action.notes.append("no assistance line")
    if 0.05 <= r < 0.1 and partner_line is not None:
        _drop_description(action)
        typo = None
    else:
        lines += [indent + paragraph for paragraph in description]
    return "\n".join(lines) + "\n", typo


def _drop_description(action: Action) -> None:
    """What the gold says when the description is left out."""
    action.notes.append("no description")
    action.experts, action.others, action.dates = [], [], []
    action.codes = [action.code] if action.code and not action.code_in_text else []
    action.themes = action.themes[:1]
    if (
        action.evidence
        and action.evidence not in (action.partner.line or "")
        and action.evidence not in action.title
    ):
        action.evidence = None
    if action.partner.gazetteer:
        action.evidence = None  # the institution alone: null, likely given


def render_labelled(
    action: Action, rng: random.Random, labels: LabelStyle, section: tuple[str, str]
) -> tuple[str, str]:
    """One action in the labelled layout: (text, typo note)."""
    marker, sep = section
    description, typo = _description(action, rng)
    head = f"{marker} {action.title}" if marker else action.title
    rows: list[tuple[str, str]] = [
        (labels.start, action.start[0] if action.start else ""),
        (labels.end, action.end[0] if action.end else ""),
        (labels.partner, action.partner.line or ""),
    ]
    if labels.country:
        rows.append((labels.country, action.partner.country.name))
        action.evidence = action.partner.country.name
        action.notes.append("country label")
    if rng.random() < 0.04 and action.end is None:
        del rows[1]  # no End line at all
    if rng.random() > 0.03:
        rows.append((labels.assistance, ", ".join(action.assistance)))
    else:
        action.assistance = []
        action.notes.append("no assistance line")
    if action.code and not action.code_in_text:
        rows.append((labels.code, action.code if rng.random() < 0.6 else f"Action {action.code}"))
    elif sep == "\n" and rng.random() < 0.3:
        rows.append((labels.code, ""))
    unlabelled = rng.random() < 0.15
    if not unlabelled:
        rows.append((labels.description, description[0]))
    lines = [head]
    if marker:
        lines.append("")
    indent = "    " if marker else ""
    for label, value in rows:
        if sep == "\n":
            lines.append(indent + label)
            if value:
                lines.append(indent + value)
        else:
            empty = f"{label}:" if sep == ": " else label  # "Label -" would not read as a label
            lines.append(indent + (f"{label}{sep}{value}" if value else empty))
    lines += [indent + paragraph for paragraph in description[0 if unlabelled else 1 :]]
    return "\n".join(lines) + "\n", typo


# --- prose pages --------------------------------------------------------------------------

EVENT_KINDS = ("seminar", "workshop", "forum", "conference", "round table")
PARTICIPANTS = ("participants", "officials and practitioners", "delegates")
POPULATIONS = (
    ("of registered jobseekers found work within six months", "registered jobseekers placed"),
    ("of workers in the sector were covered by social insurance", "workers covered"),
    ("of enterprises were inspected at least once", "enterprises inspected"),
    ("of young graduates were still looking for work a year later", "young graduates jobless"),
)


#: The kind of prose page number n is PAGE_KINDS[n % 20]: 12 news, 5 reports, 3 programmes.
PAGE_KINDS = _list(
    "news report news programme news news report news news report"
    " news programme news report news news news report news programme"
)


def _event_dates(rng: random.Random) -> tuple[int, int, int]:
    """Month, first and last day of a two- to four-day event."""
    m = 1 + int(rng.random() * 12)
    d1 = 1 + int(rng.random() * 25)
    return m, d1, d1 + 1 + int(rng.random() * 3)


def render_news(action: Action, rng: random.Random, name: str) -> tuple[str, dict]:
    """A news page about an event of ``action``: (text, gold document)."""
    c = action.partner.country
    theme = _pick(rng, tables().themes[action.themes[0]])
    kind = _pick(rng, EVENT_KINDS)
    place = c.places[0]
    year = 2015 + int(rng.random() * 10)
    m, d1, d2 = _event_dates(rng)
    month = MONTHS[m - 1]
    n = 20 + int(rng.random() * 180)
    who = _pick(rng, PARTICIPANTS)
    pct = 10 + int(rng.random() * 80)
    ref_year = year - 1
    code = action.code or f"{year}-{1 + int(rng.random() * 60):02}"
    inst = action.partner.name
    acronym = _acronym(inst)
    named = f"{inst} ({acronym})" if acronym else inst
    source = acronym or action.partner.short
    headline = _pick(
        rng,
        (
            f"SOCIEUX+ in {c.name}: {kind} on {theme}",
            f"{c.name} hosts a {kind} on {theme}",
            f"{theme[0].upper()}{theme[1:]} at the centre of a {kind} in {place}",
        ),
    )
    guests = [
        g
        for g in (
            tables().countries[_pick(rng, tables().partners)],
            tables().countries[_pick(rng, tables().partners)],
        )
        if g.code != c.code
    ]
    guests = list({g.code: g for g in guests}.values())
    experts = [tables().countries[e] for e in action.experts if e != c.code]
    paragraphs = [
        headline,
        f"{place}, {d2} {month} {year} – More than {n} {who} met in "
        f"{place} from {d1} to {d2} {month} {year} for a {kind} on {theme}. The {kind} was "
        f"organised by {_possessive(c)} {named} with the support of SOCIEUX+ EU "
        "Expertise on Social Protection, Labour and Employment and the International Labour "
        "Organization (ILO).",
    ]
    if experts:
        paragraphs.append(
            f"Experts from {_join([e.ref for e in experts])} presented the tools developed "
            "during the action and discussed how they could be used in other regions."
        )
    population, quantity = _pick(rng, POPULATIONS)
    paragraphs.append(
        f"According to {source}, only {pct} per cent {population} in {ref_year}. "
        f"The participants agreed on a set of recommendations for the coming years."
    )
    if guests:
        paragraphs.append(
            f"Delegations from {_join([g.ref for g in guests])} also took part in the discussions."
        )
    paragraphs.append(f"SOCIEUX+ {code} {c.name.upper()} ({d1}-{d2}/{m:02}/{year})")
    start, end = f"{year}-{m:02}-{d1:02}", f"{year}-{m:02}-{d2:02}"
    gold = {
        "file": name,
        "kind": "news",
        "title": headline,
        "date": end,
        "organisations": [
            {"name": inst, "acronym": acronym,
             "country": c.code, "role": "organiser", "role_detail": None},
            {"name": "SOCIEUX+ EU Expertise on Social Protection, Labour and Employment",
             "acronym": "SOCIEUX+", "country": None, "role": "supporter", "role_detail": None},
            {"name": "International Labour Organization", "acronym": "ILO", "country": None,
             "role": "supporter", "role_detail": None},
        ],
        "programmes": [{"name": "SOCIEUX+", "country": None, "note": "EU facility"}],
        "events": [
            {"name": f"{kind[0].upper()}{kind[1:]} on {theme}", "type": kind, "start": start,
             "end": end, "place": place, "organisers": [inst],
             "supporters": ["SOCIEUX+", "International Labour Organization (ILO)"]},
        ],
        "reports": [],
        "themes": [action.themes[0]],
        "countries_mentioned": sorted({c.code, *(e.code for e in experts),
                                       *(g.code for g in guests)}),
        "figures": [
            {"quantity": f"participants in the {kind}", "value": n, "unit": who,
             "qualifier": "more than", "text": f"More than {n} {who}"},
            {"quantity": quantity, "value": pct, "unit": "per cent", "text": f"{pct} per cent"},
        ],
        "dates": [
            {"date": end, "what": "dateline"},
            {"date": f"{start}/{end}", "what": kind},
            {"date": str(ref_year), "what": "reference year of the figure"},
        ],
        "action_codes": [code],
        "notes": f"synthetic; reports an event of the action '{action.title}'",
    }  # fmt: skip
    return "\n\n".join(paragraphs) + "\n", gold


def render_report(action: Action, rng: random.Random, name: str) -> tuple[str, dict]:
    """A report launch page: (text, gold document)."""
    c = action.partner.country
    theme = _pick(rng, tables().themes[action.themes[0]])
    subtitle = _pick(rng, ("a first assessment", "state of play", "options for the future",
                           "evidence from the regions", "a diagnostic"))  # fmt: skip
    report = f"{theme[0].upper()}{theme[1:]} in {c.name}: {subtitle}"
    joined = 2013 + int(rng.random() * 6)
    year = joined + 2 + int(rng.random() * 6)
    m, d, _ = _event_dates(rng)
    n = 30 + int(rng.random() * 120)
    million = 1 + int(rng.random() * 9)
    horizon = year + 5 + int(rng.random() * 6)
    inst = action.partner.name
    iso = f"{year}-{m:02}-{d:02}"
    text = "\n\n".join(
        [
            f'New report: "{report}"',
            f"{c.ref[0].upper()}{c.ref[1:]} joined the Partnership for Action on Green Economy "
            f"(PAGE) in {joined}. Since then, {theme} has been one of the priorities of the "
            "partnership in the country.",
            f'The report "{report}" was presented on {d} {MONTHS[m - 1]} {year} at an event '
            f"attended by {n} participants, among them representatives of the government, "
            "of workers' and employers' organisations and of civil society.",
            f"The study estimates that up to {million} million jobs could be created or "
            f"transformed by {horizon} if the recommended measures are taken.",
            f"It was prepared by {_possessive(c)} {inst} with technical support from PAGE and "
            "the International Labour Organization (ILO).",
            f"Downloads\nFull report: {report}",
        ]
    )
    gold = {
        "file": name,
        "kind": "news",
        "title": f'New report: "{report}"',
        "date": None,
        "organisations": [
            {"name": "Partnership for Action on Green Economy", "acronym": "PAGE",
             "country": None, "role": "supporter", "role_detail": None},
            {"name": inst, "acronym": None, "country": c.code, "role": "implementer",
             "role_detail": None},
            {"name": "International Labour Organization", "acronym": "ILO", "country": None,
             "role": "supporter", "role_detail": None},
        ],
        "programmes": [{"name": "PAGE", "country": None,
                        "note": "Partnership for Action on Green Economy"}],
        "events": [
            {"name": f"Presentation of the report '{report}'", "type": "report launch",
             "start": iso, "end": iso, "place": None, "organisers": []},
        ],
        "reports": [{"title": report, "date": iso, "publisher": inst}],
        "themes": [action.themes[0]],
        "countries_mentioned": [c.code],
        "figures": [
            {"quantity": "participants at the presentation", "value": n,
             "unit": "participants", "text": f"{n} participants"},
            {"quantity": "jobs created or transformed", "value": million * 1_000_000,
             "unit": "jobs", "qualifier": "up to", "text": f"up to {million} million jobs"},
        ],
        "dates": [
            {"date": str(joined), "what": f"{c.name} joined PAGE"},
            {"date": iso, "what": "report presentation"},
            {"date": str(horizon), "what": "horizon of the estimate"},
        ],
        "action_codes": [],
        "notes": "synthetic report page",
    }  # fmt: skip
    return text + "\n", gold


PROGRAMME_SERVICES = (
    "Research: country studies and guides on how labour and social policies are linked.",
    "Advocacy: partnerships and dialogue for more coherent international policy.",
    "Training: courses for officials and social partners at national and regional level.",
    "Diagnostics: national assessments of the sectors with the most potential.",
    "Pilot projects: tools tested with local institutions before they are scaled up.",
    "Policy advice: support to design and implement national and sectoral policies.",
    "Knowledge sharing: good practices and country experience made available to all.",
)


def render_programme(rng: random.Random, name: str) -> tuple[str, dict]:
    """A programme page: (text, gold document)."""
    t = tables()
    programme, acronym = _pick(rng, t.programmes)
    year = 2014 + int(rng.random() * 11)
    m, d, _ = _event_dates(rng)
    since = year - 3 - int(rng.random() * 8)
    n = 10 + int(rng.random() * 50)
    countries = []
    while len(countries) < 3:
        c = t.countries[_pick(rng, t.partners)]
        if c not in countries:
            countries.append(c)
    services = sorted(rng.sample(range(len(PROGRAMME_SERVICES)), 3 + int(rng.random() * 3)))
    iso = f"{year}-{m:02}-{d:02}"
    text = "\n\n".join(
        [
            programme,
            f"Published {d} {MONTHS[m - 1]} {year}",
            f"Since {since}, the {programme} has assisted over {n} countries, among them "
            f"{_join([c.ref for c in countries])}, in making decent work part of their "
            "development plans.",
            "What the programme offers:\n"
            + "\n".join(f"- {PROGRAMME_SERVICES[s]}" for s in services),
            "In short, the programme works with governments, workers and employers and "
            "combines research, advice and training so that reforms last.",
        ]
    )
    gold = {
        "file": name,
        "kind": "programme description",
        "title": programme,
        "date": iso,
        "organisations": [],
        "programmes": [{"name": programme, "country": None, "note": acronym or None}],
        "events": [],
        "reports": [],
        "themes": [],
        "countries_mentioned": sorted(c.code for c in countries),
        "figures": [
            {"quantity": "countries assisted", "value": n, "unit": "countries",
             "qualifier": "over", "text": f"over {n} countries"},
        ],
        "dates": [{"date": iso, "what": "page date"},
                  {"date": str(since), "what": "start of the assistance"}],
        "action_codes": [],
        "notes": "synthetic programme page",
    }  # fmt: skip
    return text + "\n", gold


# --- writing ------------------------------------------------------------------------------


class _GoldWriter:
    """Writes ``gold.json`` one record per line; documents wait in a side file."""

    def __init__(self, out: Path):
        self.path = out / "gold.json"
        self.actions = self.path.open("w", encoding="utf-8", newline="\n")
        self.actions.write('{"actions": [\n')
        self.part = out / _GOLD_PART
        self.documents = self.part.open("w", encoding="utf-8", newline="\n")
        self.n_actions = self.n_documents = 0

    def add(self, actions: list[str], documents: list[str]) -> None:
        """Append records (JSON texts), in order."""
        if actions:
            self.actions.write((",\n" if self.n_actions else "") + ",\n".join(actions))
            self.n_actions += len(actions)
        if documents:
            self.documents.write((",\n" if self.n_documents else "") + ",\n".join(documents))
            self.n_documents += len(documents)

    def close(self) -> int:
        """Finish ``gold.json``; return its size in bytes."""
        self.documents.close()
        self.actions.write('\n],\n"documents": [\n' if self.n_actions else '],\n"documents": [\n')
        with self.part.open(encoding="utf-8") as handle:
            shutil.copyfileobj(handle, self.actions)
        self.actions.write("\n]}\n" if self.n_documents else "]}\n")
        self.actions.close()
        self.part.unlink()
        return self.path.stat().st_size


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def _dumps(record: dict) -> str:
    """``record`` as one line of JSON (one encoder for all: ``json.dumps`` with options
    builds a new one each call)."""
    return _ENCODER.encode(record)


def iter_gold(path: Path) -> Iterator[tuple[str, dict]]:
    """Stream a ``gold.json`` written by :func:`generate`: ("actions" or "documents",
    record) pairs, without loading the file whole."""
    section = ""
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith('{"actions"'):
                section = "actions"
            elif line.startswith('"documents"'):
                section = "documents"
            elif line.startswith("{"):
                yield section, json.loads(line.rstrip(","))


@dataclass(frozen=True)
class _Job:
    """One action file to write: its number, first action and size, first prose page."""

    out: Path
    seed: int
    number: int
    first: int
    size: int
    first_page: int


@dataclass(frozen=True)
class _Written:
    """What one job wrote: document names and bytes, gold records, counts per layout."""

    names: tuple[str, ...]
    bytes: int
    actions: list[str]
    documents: list[str]
    layouts: dict[str, int]


def _jobs(out: Path, seed: int, actions: int, per_file: int) -> list[_Job]:
    """The action files: as even as possible, at least two (one per layout)."""
    files = max(math.ceil(actions / per_file), 2 if actions >= 2 else 1)
    base, extra = divmod(actions, files)
    jobs, first = [], 0
    for k in range(files):
        size = base + (1 if k < extra else 0)
        jobs.append(_Job(out, seed, k, first, size, first // PROSE_EVERY + 1))
        first += size
    return jobs


def _write_file(job: _Job) -> _Written:
    """Write one action file and the prose pages of its actions (one per
    :data:`PROSE_EVERY` actions); every choice comes from the file's own generator."""
    rng = random.Random(f"coopgraph-synth:{job.seed}:{job.number}")
    planner = _Planner(rng, job.seed)
    labelled = job.number % 2 == 1
    name = f"actions-{'labelled' if labelled else 'bullets'}-{job.number + 1:05}.txt"
    parts = [f"{_pick(rng, HEADERS)} – page {job.number + 1}\n"]
    label_style = _pick(rng, LABEL_STYLES)
    bullet_style = _pick(rng, BULLET_STYLES)
    # labelled files: sections in every style, in a shuffled order, of random sizes
    sections = rng.sample(SECTION_STYLES, len(SECTION_STYLES))
    section_size = max(1, job.size // len(sections))
    number, left_in_section = 0, section_size
    gold: list[str] = []
    reported: list[Action] = []
    for index in range(1, job.size + 1):
        n = job.first + index - 1
        action = planner.action(n, labelled)
        if labelled:
            if left_in_section == 0:
                number += 1
                left_in_section = section_size // 2 + int(rng.random() * section_size)
            left_in_section -= 1
            section = sections[number % len(sections)]
            text, typo = render_labelled(action, rng, label_style, section)
        else:
            text, typo = render_bullet(action, rng, bullet_style)
        parts.append(text)
        gold.append(_dumps(_gold(action, name, index, typo)))
        if (n + 1) % PROSE_EVERY == 0:
            reported.append(action)
    data = "\n".join(parts).encode("utf-8")
    (job.out / name).write_bytes(data)
    names, total = [name], len(data)
    layouts = {"labelled" if labelled else "bullet": job.size}
    documents = []
    for page_number, action in enumerate(reported, job.first_page):
        kind = PAGE_KINDS[page_number % len(PAGE_KINDS)]
        page = f"{kind}-{page_number:06}.txt"
        if kind == "news":
            text, record = render_news(action, rng, page)
        elif kind == "report":
            text, record = render_report(action, rng, page)
        else:
            text, record = render_programme(rng, page)
        data = text.encode("utf-8")
        (job.out / page).write_bytes(data)
        names.append(page)
        total += len(data)
        layouts[kind] = layouts.get(kind, 0) + 1
        documents.append(_dumps(record))
    return _Written(tuple(names), total, gold, documents, layouts)


def _prepare(out: Path, overwrite: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    mine = [p for pattern in _GENERATED for p in out.glob(pattern)]
    mine += [out / n for n in ("gold.json", "manifest.json", _GOLD_PART) if (out / n).exists()]
    others = [p for p in out.iterdir() if p not in mine]
    if others:
        raise FileExistsError(f"{out}: not empty ({others[0].name}); give an empty folder")
    if mine and not overwrite:
        raise FileExistsError(f"{out}: holds a generated corpus; pass overwrite=True (--force)")
    for p in mine:
        p.unlink()


def generate(
    out: Path,
    actions: int,
    *,
    seed: int = 0,
    per_file: int = 1000,
    overwrite: bool = False,
) -> Manifest:
    """Write a synthetic corpus of ``actions`` actions and its gold annotation to ``out``.

    Parameters
    ----------
    out
        An empty (or new) folder; with ``overwrite``, a folder holding an earlier corpus
        (only generated files are removed).
    actions
        How many actions; prose pages come on top (one per :data:`PROSE_EVERY`).
    seed
        Same seed, ``actions`` and ``per_file``: byte-identical files.
    per_file
        Actions per action file, at most (files are balanced; at least two files).

    Returns
    -------
    Manifest

    Raises
    ------
    FileExistsError
        When ``out`` holds other files (or, without ``overwrite``, a generated corpus).
    ValueError
        When ``actions`` is negative or ``per_file`` below 1.
    """
    if actions < 0 or per_file < 1:
        raise ValueError("actions must be >= 0 and per_file >= 1")
    out = Path(out)
    _prepare(out, overwrite)
    gold = _GoldWriter(out)
    names: list[str] = []
    layouts = dict.fromkeys(("bullet", "labelled", "news", "report", "programme"), 0)
    total = 0
    # files are independent (each has its own generator) and could be written in worker
    # processes; on 2 cores that measured slower (the gold records travel back to here)
    for job in _jobs(out, seed, actions, per_file):
        done = _write_file(job)
        gold.add(done.actions, done.documents)
        names += done.names
        total += done.bytes
        for kind, count in done.layouts.items():
            layouts[kind] += count
    gold_bytes = gold.close()
    summary = {
        "seed": seed,
        "actions": actions,
        "per_file": per_file,
        "files": len(names),
        "bytes": total,
        "gold_bytes": gold_bytes,
        "layouts": layouts,
    }
    (out / "manifest.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return Manifest(
        out, seed, per_file, tuple(names), actions, total, gold.path, gold_bytes, layouts
    )


def main(argv: list[str] | None = None) -> int:
    """The command line: ``python -m bench.synth --actions N --out DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth",
        description="Write a seeded synthetic corpus and its gold annotation.",
        epilog="Example: python -m bench.synth --actions 10000 --out /tmp/synth",
    )
    parser.add_argument("--actions", type=int, required=True, help="number of actions")
    parser.add_argument("--out", type=Path, required=True, help="an empty or new folder")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--per-file", type=int, default=1000, help="actions per file")
    parser.add_argument("--force", action="store_true", help="replace a generated corpus")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        m = generate(
            args.out,
            args.actions,
            seed=args.seed,
            per_file=args.per_file,
            overwrite=args.force,
        )
    except (FileExistsError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    rate = m.actions / seconds if seconds else 0.0
    print(
        f"{m.actions} actions in {len(m.files)} files ({m.layouts}), {m.bytes:,} bytes "
        f"({m.bytes_per_action:.0f} per action), gold {m.gold_bytes:,} bytes; "
        f"{seconds:.2f} s ({rate:,.0f} actions/s) -> {m.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
