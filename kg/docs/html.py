"""What every page shares: pyLODE's layout and stylesheet, escaping, links, and the check
that a page loads nothing from outside its folder."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from kg.docs.errors import DocsError

INDEX = "index.html"
#: Element attributes that load a resource when a page is opened.
LOADING_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "embed": ("src",),
    "object": ("data",),
}
EXTRA_CSS = """
#content > p.nav { margin: 0 0 1em 0; }
table.listing { border-collapse: collapse; margin: 0.5em 0 1.5em 0; }
table.listing th, table.listing td {
    border: 1px solid #ccd; padding: 4px 6px; vertical-align: top; text-align: left;
}
table.listing th { background: #F4FFFF; }
table.listing code, .entity code, pre code { font-size: medium; }
pre { background: #f7f7f7; border: 1px solid #ccd; padding: 8px; overflow-x: auto; }
.severity-Warning { color: #a60; } .severity-Info { color: #06a; }
.violation-query { color: darkred; font-style: italic; }
"""


def load_pylode():
    """Import pyLODE without letting it reconfigure the root logger."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        import pylode
    finally:
        root.setLevel(level)
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
    return pylode


@lru_cache(maxsize=1)
def pylode_css() -> str:
    return (Path(load_pylode().__file__).parent / "pylode.css").read_text(encoding="utf-8")


def esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def nav_link() -> str:
    return f'<p class="nav"><a href="{INDEX}">&larr; coopgraph documentation</a></p>'


def link(iri: str, text: str, links: Mapping[str, str]) -> str:
    href = links.get(iri)
    if href is None:
        return esc(text)
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def page(
    title: str,
    body: Sequence[str],
    toc: Sequence[tuple[str, str, Sequence[tuple[str, str]]]],
    *,
    nav: bool = True,
) -> str:
    """A page in pyLODE's layout and stylesheet: the content, and on the right the table
    of contents ``toc``: (heading, its link, [(link, text), ...]) for each section."""
    entries = "".join(
        f'<li><h4><a href="{esc(href)}">{esc(heading)}</a></h4><ul class="second">'
        + "".join(f'<li><a href="{esc(h)}">{esc(text)}</a></li>' for h, text in items)
        + "</ul></li>"
        for heading, href, items in toc
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>\n{pylode_css().strip()}\n{EXTRA_CSS.strip()}\n</style>\n"
        '</head>\n<body>\n<div id="content">\n'
        + (nav_link() + "\n" if nav else "")
        + "\n".join(body)
        + '\n</div>\n<div id="toc"><h3>Table of Contents</h3><ul class="first">'
        + entries
        + "</ul></div>\n</body>\n</html>\n"
    )


class _Resources(HTMLParser):
    """Collects the URLs a page loads (scripts, stylesheets, images, frames, CSS urls)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in LOADING_ATTRIBUTES.get(tag, ()):
                self.urls += [u.split()[0] for u in value.split(",") if u.strip()]
            if name == "style" and value:
                self.urls += _css_urls(value)
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            self.urls += _css_urls(data)


def _css_urls(css: str) -> list[str]:
    found = re.findall(r"url\(\s*['\"]?([^'\")\s]+)", css)
    return found + re.findall(r"@import\s+['\"]([^'\"]+)", css)


def external_resources(text: str) -> list[str]:
    """The URLs an HTML page would load from outside its folder (``data:`` URLs and
    relative paths inside the folder are fine).

    Examples
    --------
    >>> external_resources('<link rel="stylesheet" href="https://cdn.example/x.css">'
    ...     '<img src="data:image/png;base64,AA"><script src="local.js"></script>')
    ['https://cdn.example/x.css']
    """
    parser = _Resources()
    parser.feed(text)
    parser.close()
    outside = []
    for url in dict.fromkeys(parser.urls):
        parts = urlsplit(url)
        if parts.scheme == "data":
            continue
        if parts.scheme or parts.netloc or url.startswith("/") or ".." in Path(parts.path).parts:
            outside.append(url)
    return outside


def check_offline(text: str, name: str) -> None:
    """Raise :class:`DocsError` when page ``name`` would load anything from elsewhere."""
    found = external_resources(text)
    if found:
        raise DocsError(f"{name} would load {found[0]} (and {len(found) - 1} more) from outside")
