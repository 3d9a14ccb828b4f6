"""Read: bytes -> Document. Decoding, sanity checks and clear errors for bad input.

A document that cannot be read raises :class:`DocumentError`, which names the file
and the position; a document that was read with a repair (another encoding, a very
long line cut into blocks) carries warnings instead.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

#: Longest line accepted, in characters. A longer one is not a document we know how
#: to read (minified data, a binary dump, a missing newline translation).
MAX_LINE = 100_000
#: Share of control characters above which text is taken for binary data.
MAX_CONTROL_SHARE = 0.01

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML = re.compile(r"<\s*(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
#: The control characters but the line feed and the tab: Unicode's category Cc is
#: U+0000-U+001F and U+007F-U+009F, and stays so (a stability policy). One regex scan
#: counts them (a category look-up per character was 5 % of extraction's time).
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Document:
    """A decoded text document.

    ``text`` is what every evidence span points into: offsets are code points of
    ``text``, which is the decoded file with line endings normalised to ``\\n``.
    """

    name: str
    text: str
    sha256: str
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = field(default=())


class DocumentError(ValueError):
    """A document that cannot be read; ``str()`` names the file and the position."""

    def __init__(
        self,
        name: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.name, self.message = name, message
        self.line, self.column, self.offset = line, column, offset
        where = name
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        elif offset is not None:
            where += f": byte {offset}"
        super().__init__(f"{where}: {message}")


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _decode(name: str, data: bytes) -> tuple[str, str, list[str]]:
    """Decode ``data``: BOM first, then UTF-8, then Windows-1252 with a warning."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, []
            except UnicodeDecodeError as err:
                raise DocumentError(
                    name, f"invalid {encoding} ({err.reason})", offset=err.start
                ) from None
    if b"\x00" in data[:4096]:
        raise DocumentError(
            name, "binary data (NUL bytes), not a text document", offset=data.index(b"\x00")
        )
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as err:
        if err.end >= len(data) and err.reason == "unexpected end of data":
            raise DocumentError(
                name, "truncated: the file ends inside a UTF-8 character", offset=err.start
            ) from None
        bad = err.start
    try:
        text = data.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    return text, encoding, [f"{name}: byte {bad}: not UTF-8; read as {encoding}"]


def read_document(name: str, data: bytes) -> Document:
    """Decode and check one document.

    Parameters
    ----------
    name
        How errors and evidence name the document (usually its file name).
    data
        The document's bytes.

    Returns
    -------
    Document

    Raises
    ------
    DocumentError
        For an empty, binary, HTML or truncated document, or one with a line longer
        than :data:`MAX_LINE` characters.

    Examples
    --------
    >>> read_document("a.txt", "Peru\\r\\n".encode()).text
    'Peru\\n'
    >>> read_document("e.txt", b"  \\n")
    Traceback (most recent call last):
    ...
    kg.documents.DocumentError: e.txt: empty document
    """
    text, encoding, warnings = _decode(name, data)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise DocumentError(name, "empty document")
    if len(CONTROLS.findall(text)) > MAX_CONTROL_SHARE * len(text):
        line, col = _line_col(text, CONTROLS.search(text).start())
        raise DocumentError(
            name, "binary data (control characters), not a text document", line=line, column=col
        )
    html = _HTML.search(text[:20_000])
    if html:
        line, col = _line_col(text, html.start())
        raise DocumentError(
            name, "HTML markup: save the page as plain text first", line=line, column=col
        )
    for number, line_text in enumerate(text.split("\n"), 1):
        if len(line_text) > MAX_LINE:
            raise DocumentError(
                name,
                f"line of {len(line_text):,} characters (limit {MAX_LINE:,}): "
                "not a document in a known layout",
                line=number,
                column=MAX_LINE + 1,
            )
    digest = hashlib.sha256(data).hexdigest()
    return Document(
        name=name, text=text, sha256=digest, encoding=encoding, warnings=tuple(warnings)
    )


def read_path(path: Path, *, name: str | None = None) -> Document:
    """Read the file at ``path`` (see :func:`read_document`)."""
    return read_document(name or path.name, path.read_bytes())


def discover(paths: list[Path]) -> list[Path]:
    """Expand folders into their ``*.txt``/``*.text`` files, sorted; keep files as given.

    Raises
    ------
    FileNotFoundError
        When a path does not exist.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in {".txt", ".text"}
            )
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return sorted(dict.fromkeys(found))
