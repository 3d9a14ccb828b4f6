"""Records: what extraction finds in one segment, before identities are resolved.

A :class:`Record` is one thing a document speaks of (an action, an organisation, an
event, a report, a programme, a figure) with the :class:`Fact` s found about it.
Every fact carries its evidence: the character span in the document and the rule
that produced it. Values are typed by a prefix:

============================  ==================================================
``text:...``                  a literal string (title, description, name)
``lang:xx:...``               a literal string in language ``xx``
``date:...``                  an ISO 8601 date, year-month or year
``period:...``                an ISO 8601 date or interval (``2023-05/2023-11``)
``number:...``                a decimal number
``country:XX``                a country by ISO 3166-1 alpha-2 code
``theme:notation``            a concept of the theme scheme
``assistance:slug``           a concept of the assistance-type scheme
``orgkind:slug``              a concept of the organisation-kind scheme
``programme:slug``            a programme of the programme gazetteer
``code:YYYY-NN``              an action known only by its code
``ref:LOCAL``                 another record of the same document, by local id
``class:Name``                an ontology class (for ``type`` facts)
============================  ==================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fact:
    """One extracted statement about a record, with its evidence.

    ``prop`` names the property in the ontology's terms (``title``, ``partnerCountry``,
    ``expertCountry``, ``theme``...; see :mod:`kg.rdfize` for the table).
    """

    prop: str
    value: str
    start: int
    end: int
    rule: str
    confidence: float = 1.0


@dataclass(frozen=True)
class Record:
    """A thing found in a document: its kind, a local id unique within the document,
    the span of text it was found in, and its facts."""

    kind: str
    local_id: str
    start: int
    end: int
    layout: str
    facts: tuple[Fact, ...] = field(default=())

    def values(self, prop: str) -> list[str]:
        """The values of every fact with property ``prop``, in order."""
        return [f.value for f in self.facts if f.prop == prop]

    def first(self, prop: str) -> Fact | None:
        """The first fact with property ``prop``, or None."""
        return next((f for f in self.facts if f.prop == prop), None)


@dataclass(frozen=True)
class Problem:
    """A block or document the loader rejected or repaired, with where and why."""

    source: str
    message: str
    line: int | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"
