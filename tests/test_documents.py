"""Reading documents: every kind of bad input gets a clear error naming the place."""

from __future__ import annotations

import codecs
import sys
import unicodedata

import pytest

from kg.documents import CONTROLS, MAX_CONTROL_SHARE, MAX_LINE, DocumentError, read_document


def test_utf8_text_is_read_and_line_endings_normalised():
    doc = read_document("a.txt", "Perú\r\nLima\rX".encode())
    assert doc.text == "Perú\nLima\nX"
    assert doc.encoding == "utf-8" and not doc.warnings
    assert len(doc.sha256) == 64


def test_utf16_with_bom_is_decoded():
    data = codecs.BOM_UTF16_LE + "Ministerio del Trabajo".encode("utf-16-le")
    doc = read_document("u16.txt", data)
    assert doc.text == "Ministerio del Trabajo"


def test_latin1_is_read_with_a_warning_naming_the_byte():
    data = "Direcci\xf3n General".encode("latin-1")
    doc = read_document("l1.txt", data)
    assert doc.text == "Dirección General"
    assert doc.warnings == ("l1.txt: byte 7: not UTF-8; read as cp1252",)


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty document"),
        (b"  \n\t\n", "empty document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("Ministry of Labour and Employment Promoci\u00f3".encode()[:-1], "truncated"),
    ],
)
def test_unreadable_documents(data, message):
    with pytest.raises(DocumentError) as err:
        read_document("bad.txt", data)
    assert message in str(err.value)
    assert str(err.value).startswith("bad.txt")


def test_controls_are_unicodes_control_characters_but_line_feed_and_tab():
    every = (chr(c) for c in range(sys.maxunicode + 1))
    found = {ch for ch in every if CONTROLS.fullmatch(ch)}
    assert found == {
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cc" and chr(c) not in "\n\t"
    }


def test_binary_data_is_refused_at_its_first_control_character():
    text = "Title\n" + "Lima, Peru " * 50 + "\n" + "ab" + "\x01\x1b\x7f\x9f" * 20 + "\n"
    with pytest.raises(DocumentError) as err:
        read_document("dump.txt", text.encode())
    assert (err.value.line, err.value.column) == (3, 3)
    assert "binary data" in str(err.value)


def test_a_few_control_characters_do_not_make_text_binary():
    text = "Title\n" + "\x0c" + "x" * int(1 / MAX_CONTROL_SHARE) + "\n"
    assert read_document("page-break.txt", text.encode()).text == text


def test_truncated_utf8_names_the_byte():
    data = "Perú".encode()[:-1]
    with pytest.raises(DocumentError) as err:
        read_document("t.txt", data)
    assert err.value.offset == 3
    assert str(err.value) == "t.txt: byte 3: truncated: the file ends inside a UTF-8 character"


def test_html_is_refused_with_line_and_column():
    data = b"Saved page\n  <html><body><p>Action</p></body></html>\n"
    with pytest.raises(DocumentError) as err:
        read_document("page.txt", data)
    assert (err.value.line, err.value.column) == (2, 3)
    assert "HTML" in str(err.value)


def test_overlong_line_is_refused_with_its_line_number():
    data = b"Title\n" + b"x" * (MAX_LINE + 5) + b"\nend\n"
    with pytest.raises(DocumentError) as err:
        read_document("long.txt", data)
    assert err.value.line == 2
    assert "line of 100,005 characters" in str(err.value)
