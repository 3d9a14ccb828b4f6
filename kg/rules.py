"""The extraction rules: every fact names one, and the graph explains each.

A rule name appears in every ``cg:Evidence`` (``cg:rule id:rule/NAME``); the build
writes each rule used with this table's text as its ``skos:definition``. A rule
missing here makes the build's SHACL check fail, so the table cannot fall behind.
"""

from __future__ import annotations

from kg.dates import FORMS
from kg.prose_rules import PROSE_RULES

RULES: dict[str, str] = {
    # action blocks: titles, institutions, types of assistance
    "bullet-title": "The text of a bullet line that opens an action block is the action's title.",
    "label-title": "The value after a Title label is the action's title.",
    "description-paragraph": "The sentences of an action block are its description.",
    "institution-line": "The first short line of a bullet block that is not a type of "
    "assistance names the partner institution.",
    "institution-in-description": "With no partner line, the institution a description opens "
    "with ('The Ministry of Labour of ... asked') is the partner.",
    "label-period": "The Start and End label values together are a period the action states.",
    "label-partner": "The value after a Partner Institution label names the partner institution.",
    "bracketed-original-name": "A name in square brackets (or non-English parentheses) "
    "after an institution is its name in its own language.",
    "acronym-in-parentheses": "An upper-case word in parentheses after a name is its acronym.",
    "parent-in-parentheses": "A ministry or government named in parentheses after an "
    "institution is its parent organisation.",
    "organisation-kind-word": "A word of the organisation-kind vocabulary in a name "
    "(Ministry, Agency, Union...) gives the kind of organisation.",
    "assistance-line": "A line whose words are labels of the assistance-type vocabulary "
    "gives the action's types of assistance.",
    "assistance-line-unmatched": "Part of a type-of-assistance line no vocabulary label "
    "covers; kept as a finding so nothing is lost.",
    # codes and dates
    "label-code": "The value after a Code label is the action's code.",
    "action-code-in-text": "A code of the form YYYY-NN after the word Action names the action "
    "itself when nothing marks it as another action.",
    "action-code-reference": "A code after words such as 'building on the previous' names "
    "another action this one refers to.",
    "label-start": "The date after a Start label is the action's start.",
    "label-end": "The date after an End label is the action's end.",
    "action-period": "A day- or month-precise period introduced by 'implemented', 'took "
    "place', 'hosted from'... is the period the action ran.",
    "programme-named": "A programme of the programme gazetteer (SOCIEUX+, PAGE...) named in "
    "the title or description is the action's programme.",
    # themes
    "theme-label": "A label of the theme vocabulary in the title or description gives a theme.",
    # countries
    "label-country": "The value after a Country label is the partner country.",
    "country-in-institution": "A country, demonym or place in the partner institution's name "
    "gives the partner country.",
    "country-in-title": "A country, demonym or place in the title points to the partner country.",
    "country-of-partner-context": "A country after 'of' or 'in', or a demonym before "
    "'Ministry', 'Government'..., points to the partner country.",
    "country-mentioned-in-description": "A country named in the description (not as a "
    "visit destination or an example) weakly points to "
    "the partner country.",
    "partner-country-of-action": "The partner institution belongs to the action's partner country.",
    "institution-country-elsewhere": "The partner country is the country other documents "
    "give for the same partner institution.",
    "country-mentioned": "A country named in the text that is neither the partner country "
    "nor an expert country.",
    # experts
    "experts-from-list": "Experts, expertise, peers or a team 'from' a list of countries, "
    "or from institutions 'of' (or 'namely') a list of countries.",
    "mobilised-from-list": "Expertise 'mobilised from' a list of countries or their institutions.",
    "experts-provided-by-list": "Experts or expertise 'provided by', 'seconded by'... a list "
    "of countries or their institutions.",
    "country-in-expert-sentence": "In a sentence saying people were mobilised, a country "
    "named as the origin of people or of an institution "
    "('a colleague from Romania's inspectorate').",
    "demonym-experts": "Demonyms before an expert noun: 'Swedish and French experts'.",
}
for _form in FORMS:
    RULES[f"date-{_form}"] = f"A date or period written in the form '{_form}'."
RULES.update(PROSE_RULES)
