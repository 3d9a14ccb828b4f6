"""The rules of the prose extractor (:mod:`kg.prose`), each with the sentence that
explains it; the build writes them as the ``skos:definition`` of each ``cg:ExtractionRule``.
"""

from __future__ import annotations

PROSE_RULES: dict[str, str] = {
    # the document as a whole
    "document-action-code": "A code YYYY-NN after a programme name, 'Action' or 'Code' "
    "names an action the page reports on.",
    "document-country": "A country named in the prose, by name or demonym (not a language).",
    "document-date-header": "A date on one of the first lines that is not a sentence (a page "
    "header), in Latin or Arabic script, is the page's date.",
    "document-figure": "A figure stated in the page.",
    "document-theme": "A theme label found twice or more, or in the page title.",
    "document-theme-once": "A theme label found once in the page (weak).",
    # organisations
    "organisation-gazetteer": "A name, alias or acronym of the organisation or programme "
    "gazetteer (ontology/src/organisations.csv, programmes.csv).",
    "organisation-acronym": "A capitalised name followed by an acronym in brackets.",
    "organisation-head-noun": "A capitalised name holding an organisation word (Ministry, "
    "Agency, Network, Institute...).",
    "organisation-list": "An item of a list after a role cue such as 'organised by' or "
    "'attended by officials from'.",
    "organisation-country-possessive": "A country before the name in the possessive: "
    "'Kenya's Ministry of ...'.",
    "organisation-country-in-name": "A country, demonym or place inside the name.",
    "organisation-country-context": "A national body (ministry, agency...) named with no "
    "country belongs to the country the page names most.",
    # programmes
    "programme-gazetteer": "A name, alias or acronym of the programme gazetteer.",
    "programme-country-chapter": "A gazetteer programme followed by a country name is that "
    "country's chapter of it: 'PAGE Ghana'.",
    "programme-list": "An item after 'programmes such as', with its translation in brackets.",
    "programme-name": "A capitalised name ending in Programme, Initiative or Project.",
    "programme-country-in-name": "A country or place inside the programme's name.",
    "programme-country-context": "A national programme listed without a country belongs to "
    "the country the page names most.",
    # figures
    "figure-unit-noun": "A number followed by a counted noun (participants, workers, jobs, "
    "countries...).",
    "figure-qualifier": "A word before the number that qualifies it (more than, about...).",
    # reports
    "report-quoted-title": "A title in quotes next to a report noun (report, study, guide...).",
    "report-entitled": "A capitalised title after 'report entitled'.",
    "report-heading-label": "A heading 'Report: Title' or 'Fact sheet: Title'.",
    "report-heading-translation": "A translation in brackets after a report heading's title.",
    "report-language-title": "A quoted title after 'Spanish title:' or the like.",
    "report-alternative-title": "A heading line resembling a report's title in another language.",
    "report-date-published": "The date after 'published' or 'issued' in a sentence about "
    "the report.",
    "report-date-launch": "The date after 'launched' or 'presented' in a sentence about the "
    "report.",
    "report-publisher": "The organisations after 'prepared by', 'conducted through'... in a "
    "sentence about the report.",
    "report-publisher-subject": "The organisations that are the subject of 'published a "
    "guide', 'issued a report'...",
    "report-figure": "A figure stated in a sentence about the report.",
    "report-theme": "A theme label in the report's title.",
    "report-theme-sentence": "A theme label in a sentence about the report.",
    "report-title-country": "A country named in the report's title.",
    # events
    "event-noun": "An event noun (workshop, seminar, forum, webinar, conference, study "
    "visit, meeting...) gives the type of event.",
    "event-entitled": "A capitalised title after 'entitled' or 'titled'.",
    "event-quoted-title": "A title in quotes next to the event noun.",
    "event-named": "A capitalised name holding the event noun: 'National Youth Forum'.",
    "event-noun-topic": "The event noun with its topic: 'workshop on social insurance'.",
    "event-noun-phrase": "An event with no name is called by its noun phrase as written: "
    "'study visit to Lisbon' (weak).",
    "event-report-presentation": "An untitled event at which a report was presented or "
    "launched is named after the report.",
    "event-date": "The date or period nearest the event noun in the same sentence.",
    "event-place": "A place or country after 'in' or 'at' in the event's sentence.",
    "event-place-in-title": "A place or country named in the event's title.",
    "event-organizer-list": "The organisations after 'organised by', 'hosted by'...",
    "event-organizer-subject": "The organisations that are the subject of 'organised a "
    "workshop', 'held a webinar'...",
    "event-sponsor-list": "The organisations after 'with the support of', 'funded by'...",
    "event-attendee-list": "The organisations after 'attended by', 'participants included'...",
    "event-figure": "A number of people stated in the event's sentence.",
    "event-programme": "A gazetteer programme named in the event's sentence.",
    "event-theme": "A theme label in the event's sentence.",
    "event-document-action-code": "An event of a page that names an action code is probably "
    "part of that action (a candidate link).",
}
