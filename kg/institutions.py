"""Partner-institution lines: name, original-language name, acronym, parent, kind.

``Ministry of Labour [Ministerio del Trabajo] (MT)`` gives the English name, the
bracketed name in its own language (also when the bracket is never closed) and the
acronym; ``State Employment Agency (Ministry of Labour and Social Protection)`` gives
a parent organisation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.text import fold

#: Function words that reveal the language of a name.
LANGUAGE_WORDS = {
    "es": {
        "de",
        "del",
        "la",
        "las",
        "el",
        "los",
        "y",
        "para",
        "nacional",
        "trabajo",
        "ministerio",
        "servicio",
        "empleo",
        "publico",
        "direccion",
        "general",
        "unidad",
        "secretaria",
        "instituto",
        "agencia",
        "economia",
        "social",
        "oficina",
    },
    "fr": {
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "et",
        "pour",
        "l",
        "d",
        "nationale",
        "ministere",
        "emploi",
        "agence",
        "travail",
        "fonds",
        "fond",
        "office",
        "direction",
        "promotion",
        "jeunesse",
        "pole",
        "formation",
        "professionnelle",
    },
    "pt": {
        "de",
        "do",
        "da",
        "dos",
        "das",
        "e",
        "para",
        "ministerio",
        "trabalho",
        "emprego",
        "observatorio",
        "mercado",
        "instituto",
        "nacional",
        "publico",
        "servico",
    },
}
_EN_WORDS = {
    "of",
    "and",
    "the",
    "for",
    "ministry",
    "national",
    "agency",
    "employment",
    "labour",
    "labor",
    "service",
    "services",
    "office",
    "social",
    "public",
}
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&/.\-+]{1,14}$")
_PARENT_HEAD = re.compile(
    r"^(?:the\s+)?(?:ministry|ministere|ministerio|ministerio|department|"
    r"government|office|presidency|prime minister)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Part:
    """A piece of an institution line with its offsets in the document."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Institution:
    """An institution line taken apart."""

    line: Part
    name: Part
    original: Part | None = None
    original_language: str | None = None
    acronyms: tuple[Part, ...] = ()
    parent: Part | None = None


def language_of(name: str) -> str:
    """``en``, ``es``, ``fr`` or ``pt``: the language whose function words ``name`` uses
    most (ties favour English); ``und`` (undetermined) for a name mostly in another
    script than the Latin one.

    Examples
    --------
    >>> language_of("Державна служба зайнятості")
    'und'

    >>> language_of("Ministerio del Trabajo y Promoción del Empleo")
    'es'
    >>> language_of("Agence Nationale pour l'Emploi")
    'fr'
    """
    letters = [c for c in name if c.isalpha()]
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    if letters and latin < 0.5 * len(letters):
        return "und"
    words = re.findall(r"[a-z]+", fold(name))
    scores = {"en": sum(w in _EN_WORDS for w in words)}
    for lang, vocab in LANGUAGE_WORDS.items():
        scores[lang] = sum(w in vocab for w in words)
    best = max(scores.values())
    if best == 0 or scores["en"] == best:
        return "en"
    return min((lang for lang, s in scores.items() if s == best), key=("es", "pt", "fr").index)


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(_ACRONYM.match(text)) and sum(c.isupper() for c in letters) >= 0.6 * len(letters)


def parse_institution(text: str, start: int) -> Institution:
    """Take apart an institution line found at ``start`` in the document.

    Examples
    --------
    >>> i = parse_institution("Public Employment Services [Unidad del Servicio] (UAESPE)", 0)
    >>> i.name.text, i.original.text, i.original_language, [a.text for a in i.acronyms]
    ('Public Employment Services', 'Unidad del Servicio', 'es', ['UAESPE'])
    >>> parse_institution("Ministry of the Interior [Ministerio del Interior", 0).original.text
    'Ministerio del Interior'
    >>> i = parse_institution("State Agency (Ministry of Labour and Social Protection)", 0)
    >>> i.name.text, i.parent.text
    ('State Agency', 'Ministry of Labour and Social Protection')
    """
    line = Part(text, start, start + len(text))
    original = parent = None
    acronyms: list[Part] = []
    cut: list[tuple[int, int]] = []
    for m in re.finditer(r"\[([^\]\[]*)(?:\]|$)|\(([^()]*)(?:\)|$)", text):
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        group = 1 if m.group(1) is not None else 2
        lead = len(inner) - len(inner.lstrip())
        inner_text = inner.strip()
        if not inner_text:
            cut.append(m.span())
            continue
        part = Part(
            inner_text,
            start + m.start(group) + lead,
            start + m.start(group) + lead + len(inner_text),
        )
        # an acronym inside the bracket: "[Fonds National (FNAS)]" or "(UNTM)"
        nested = re.search(r"\(([^()]+)\)\s*$", inner_text)
        if _is_acronym(inner_text):
            acronyms.append(part)
        elif original is None and language_of(inner_text) != "en":
            if nested and _is_acronym(nested.group(1).strip()):
                ac = nested.group(1).strip()
                offset = (
                    part.start
                    + nested.start(1)
                    + (len(nested.group(1)) - len(nested.group(1).lstrip()))
                )
                acronyms.append(Part(ac, offset, offset + len(ac)))
                head = inner_text[: nested.start()].rstrip()
                part = Part(head, part.start, part.start + len(head))
            original = part
        elif parent is None and _PARENT_HEAD.match(inner_text):
            parent = part
        else:
            continue
        cut.append(m.span())
    name_text = _without(text, cut)
    name_text = re.sub(r"^(?:the)\s+", "", name_text, flags=re.IGNORECASE)
    offset = text.find(name_text) if name_text else 0
    name = Part(
        name_text or text, start + max(offset, 0), start + max(offset, 0) + len(name_text or text)
    )
    return Institution(
        line,
        name,
        original,
        language_of(original.text) if original else None,
        tuple(acronyms),
        parent,
    )


def _without(text: str, cut: list[tuple[int, int]]) -> str:
    """``text`` with the ``cut`` spans removed, tidied; the name is the part before the
    first cut when that part is long enough, else everything left."""
    if not cut:
        return text.strip(" ,;-")
    first = min(a for a, _ in cut)
    head = text[:first].strip(" ,;-")
    if len(head) >= 3:
        return head
    kept = "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in cut))
    return re.sub(r"\s+", " ", kept).strip(" ,;-")
