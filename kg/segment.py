"""Split: Document -> Segments (bullet blocks, labelled blocks, prose).

The layout is detected from the content of each block, never from the file name:

- a *labelled* block has label lines ("Partner Institution", "Type of Assistance",
  "Code: 2022-21", ...), each followed by its value or by nothing;
- a *bullet* block is a bullet line (the title) followed by short lines (institution,
  type of assistance) and a description;
- everything else is *prose*; a bullet that holds one line of prose is a list item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.documents import Document
from kg.text import fold

#: Label variants (folded, no trailing colon) -> the field they introduce.
LABELS: dict[str, str] = {}
for _field, _variants in {
    "start": [
        "start activities",
        "start of activities",
        "start date",
        "starting date",
        "start",
        "date of start",
        "fecha de inicio",
        "inicio de actividades",
        "debut des activites",
        "date de debut",
        "inicio das atividades",
    ],
    "end": [
        "end activities",
        "end of activities",
        "end date",
        "end",
        "ending date",
        "fecha de fin",
        "fecha de finalizacion",
        "fin de actividades",
        "fin des activites",
        "date de fin",
        "fim das atividades",
    ],
    "partner": [
        "partner institution",
        "partner institutions",
        "partner institution(s)",
        "partner",
        "partners",
        "beneficiary institution",
        "beneficiary",
        "institucion socia",
        "institucion beneficiaria",
        "institution partenaire",
        "institution beneficiaire",
        "instituicao parceira",
    ],
    "assistance": [
        "type of assistance",
        "types of assistance",
        "type(s) of assistance",
        "assistance type",
        "assistance",
        "tipo de asistencia",
        "type d'assistance",
        "tipo de assistencia",
    ],
    "code": [
        "code",
        "action code",
        "action number",
        "reference",
        "ref",
        "codigo",
        "code de l'action",
        "action",
    ],
    "description": [
        "description",
        "summary",
        "descripcion",
        "resume",
        "descricao",
        "objective",
        "objectives",
    ],
    "country": ["country", "partner country", "pais", "pays"],
    "title": ["title", "action title", "titulo", "titre"],
}.items():
    for _variant in _variants:
        LABELS[_variant] = _field

_LABEL_LINE = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(v) for v in sorted(LABELS, key=len, reverse=True))
    + r")(?:$|(?P<sep>\s*:\s*|\s+-\s+|\s+)(?P<value>.*?)\s*$)"
)
_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[•▪◦●○■□►▶‣⁃∙·*\-–—]|\d{1,3}[.)])"
    r"(?:[ \t]+(?P<rest>\S.*?))?[ \t]*$"
)


@dataclass(frozen=True)
class Line:
    """One non-empty line: ``text`` is stripped, ``start``/``end`` its offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Labelled:
    """A label line, its field and the line holding its value (None when empty)."""

    line: Line
    field: str
    value: Line | None


@dataclass(frozen=True)
class Segment:
    """A block of a document in one layout.

    ``index`` numbers action blocks (bullet and labelled) from 1 in document order;
    prose segments have index 0. ``title`` is the bullet line (None for prose or a
    bullet with no text); ``lines`` are the block's other non-empty lines;
    ``labels`` the label lines of a labelled block.
    """

    layout: str
    index: int
    start: int
    end: int
    title: Line | None
    lines: tuple[Line, ...]
    labels: tuple[Labelled, ...] = ()


def split_lines(text: str) -> list[Line | None]:
    """Every line of ``text``; blank lines are None."""
    out: list[Line | None] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        else:
            out.append(None)
        pos += len(raw) + 1
    return out


def label_of(line: Line) -> tuple[str, str | None] | None:
    """(field, inline value or None) when ``line`` is a label line: the label alone, or
    followed by its value after a colon, a tab or a spaced dash.

    Examples
    --------
    >>> label_of(Line(0, 22, "Code: 2022-14"))
    ('code', '2022-14')
    >>> label_of(Line(0, 24, "Partner Institution\\tMinistry"))
    ('partner', 'Ministry')
    >>> label_of(Line(0, 19, "Code of conduct")) is None
    True
    """
    m = _LABEL_LINE.match(fold(line.text))
    if not m:
        return None
    sep = line.text[m.start("sep") : m.end("sep")] if m.group("sep") is not None else ""
    if sep and not (":" in sep or "\t" in sep or sep.strip() in ("-", "–", "—")):
        return None  # "Code of conduct": a label word starting a sentence
    value = m.group("value") or None
    if value is not None:
        value = line.text[m.start("value") : m.end("value")]
    return LABELS[m.group("label")], value


def is_prose(text: str) -> bool:
    """A sentence or more, rather than a name or a short phrase.

    Examples
    --------
    >>> is_prose("Ministry of Labour [Ministerio del Trabajo]")
    False
    >>> is_prose("In short, the approach of the programme is the following:")
    True
    """
    return (
        len(text) > 250
        or bool(re.search(r"[a-z)]{2}[.;!?]\s+[A-Z]", text))
        or (text.rstrip().endswith((".", ":")) and len(text.split()) > 8)
    )


def _value_fits(field: str, text: str) -> bool:
    if label_of(Line(0, len(text), text)):
        return False
    if field in ("start", "end"):
        return bool(re.search(r"\d", text)) and len(text) <= 60
    if field == "code":
        return bool(re.search(r"\d", text)) and len(text) <= 60
    if field in ("partner", "assistance", "country", "title"):
        return not is_prose(text)
    return True


def _labelled(lines: list[Line]) -> tuple[tuple[Labelled, ...], tuple[Line, ...]]:
    """Pair label lines with their values; return (labels, lines left over)."""
    labels: list[Labelled] = []
    rest: list[Line] = []
    used: set[int] = set()
    for i, line in enumerate(lines):
        if i in used:
            continue
        found = label_of(line)
        if found is None:
            rest.append(line)
            continue
        field, inline = found
        if inline is not None:
            offset = line.text.index(inline)
            value = Line(line.start + offset, line.start + offset + len(inline), inline)
            labels.append(Labelled(line, field, value))
        elif i + 1 < len(lines) and _value_fits(field, lines[i + 1].text):
            labels.append(Labelled(line, field, lines[i + 1]))
            used.add(i + 1)
        else:
            labels.append(Labelled(line, field, None))
    return tuple(labels), tuple(rest)


def looks_like_name(text: str) -> bool:
    """A name or a short label line (an institution, a type of assistance), not a
    sentence: short, no full stop or colon at the end, not starting in lower case.

    Examples
    --------
    >>> looks_like_name("Ministry of Labour [Ministerio del Trabajo] (MT)")
    True
    >>> looks_like_name("Put briefly, the programme takes a holistic approach.")
    False
    """
    if is_prose(text) or text.rstrip().endswith((".", ":", ";", "?", "!")) or len(text) > 250:
        return False
    first = re.search(r"\w", text)
    return bool(first) and not first.group(0).islower()


def _looks_like_action(title: str, body: list[Line]) -> bool:
    """A bullet that opens an action: a title, then a name-like line (the institution,
    or the type of assistance)."""
    return bool(body) and len(title) <= 400 and looks_like_name(body[0].text)


def segment(doc: Document) -> list[Segment]:
    """Split ``doc`` into segments, in document order.

    Examples
    --------
    >>> from kg.documents import read_document
    >>> text = "Intro.\\n\\n• A title\\n\\n  Ministry of Labour\\n  Policy development\\n"
    >>> [(s.layout, s.index) for s in segment(read_document("d.txt", text.encode()))]
    [('prose', 0), ('bullet', 1)]
    """
    lines = split_lines(doc.text)
    starts = [
        i for i, line in enumerate(lines) if line is not None and _bullet_title(line) is not False
    ]
    blocks: list[tuple[int, int]] = []
    for n, i in enumerate(starts):
        blocks.append((i, starts[n + 1] if n + 1 < len(starts) else len(lines)))
    segments: list[Segment] = []
    prose: list[Line] = [ln for ln in lines[: starts[0] if starts else len(lines)] if ln]
    index = 0

    def flush_prose() -> None:
        nonlocal index
        for kind, piece in _split_unbulleted(prose):
            if kind == "prose":
                segments.append(
                    Segment("prose", 0, piece[0].start, piece[-1].end, None, tuple(piece))
                )
                continue
            index += 1
            head, body = (piece[0], piece[1:]) if label_of(piece[0]) is None else (None, piece)
            labels, rest = _labelled(body)
            segments.append(
                Segment("labelled", index, piece[0].start, piece[-1].end, head, rest, labels)
            )
        prose.clear()

    for first, stop in blocks:
        head = lines[first]
        assert head is not None
        title = _bullet_title(head)
        body = [ln for ln in lines[first + 1 : stop] if ln is not None]
        starts = _block_starts(body)
        extra = body[starts[1] :] if len(starts) > 1 else []  # unbulleted blocks follow
        body = body[: starts[1]] if extra else body
        labels, rest = _labelled(body)
        if (
            labels
            or (title is None and body)
            or _looks_like_action(title.text if title else "", body)
        ):
            flush_prose()
            index += 1
            layout = "labelled" if labels else "bullet"
            end = (body[-1] if body else head).end
            segments.append(
                Segment(
                    layout, index, head.start, end, title, rest if labels else tuple(body), labels
                )
            )
            prose.extend(extra)
        else:
            prose.extend(ln for ln in lines[first:stop] if ln is not None)
    flush_prose()
    return segments


def _block_starts(lines: list[Line]) -> list[int]:
    """Where labelled blocks start in ``lines``: the field of the first label met (say
    "Start activities") opens every block, and the line just before it is the block's
    title unless that line is a label, a label's value or a sentence (then the block has
    no title and starts at the label). Empty when the lines hold fewer than two labels
    or no partner or assistance label."""
    found = [label_of(line) for line in lines]
    labelled = [(i, lab) for i, lab in enumerate(found) if lab is not None]
    if len(labelled) < 2 or not {lab[0] for _, lab in labelled} & {"partner", "assistance"}:
        return []
    anchor = labelled[0][1][0]
    starts: list[int] = []
    for i, (field, inline) in labelled:
        if field != anchor:
            continue
        opens = i if anchor == "title" and inline else i - 1
        before = found[opens - 1] if opens >= 1 else None
        is_value = (
            before is not None and before[1] is None and _value_fits(before[0], lines[opens].text)
        )
        if (
            opens < 0
            or found[opens] is not None
            or is_value
            or is_prose(lines[opens].text)
            or (starts and opens <= starts[-1])
        ):
            opens = i  # a block with no title line
        starts.append(opens)
    return starts


def _split_unbulleted(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Cut labelled blocks written without bullets out of a run of lines; what is not
    in a block stays prose (see :func:`_block_starts`).

    Examples
    --------
    >>> ls = [Line(i, i + 1, t) for i, t in enumerate(["Intro text.", "A title",
    ...       "Start activities", "Partner Institution", "Ministry", "B title",
    ...       "Start activities", "Partner Institution", "Agency"])]
    >>> [(kind, [x.text for x in piece][:1]) for kind, piece in _split_unbulleted(ls)]
    [('prose', ['Intro text.']), ('labelled', ['A title']), ('labelled', ['B title'])]
    """
    starts = _block_starts(lines)
    if not starts:
        return [("prose", lines)] if lines else []
    pieces: list[tuple[str, list[Line]]] = []
    if starts[0] > 0:
        pieces.append(("prose", lines[: starts[0]]))
    for n, begin in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        pieces.append(("labelled", lines[begin:end]))
    return pieces


def _bullet_title(line: Line) -> Line | bool | None:
    """The title of a bullet line; None for a bare bullet; False when not a bullet."""
    m = _BULLET.match(line.text)
    if not m:
        return False
    rest = m.group("rest")
    if rest is None:
        return None
    if m.group("marker") in "-–—*" and rest.startswith(m.group("marker")):
        return False
    offset = m.start("rest")
    return Line(line.start + offset, line.start + offset + len(rest), rest)
