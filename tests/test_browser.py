"""The web interface in a real browser, offline: Debian's chromium driven by Playwright
runs a canned query in the editor, follows a result to the resource's page, and searches,
while every request to a host other than 127.0.0.1 is aborted and recorded (none may
be needed). Screenshots go to ``$COOPGRAPH_TEST_ARTEFACTS/browser/`` (or the test's
temporary folder).
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

import pytest

from bench.load import Server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"no chromium at {CHROMIUM} (Debian package chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI installs it with tests/system-packages.sh")
        pytest.skip(reason)
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (it is in the [test] extra)"
    )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(demo_store):
    store, _ = demo_store
    with Server(store) as s:
        yield s


@pytest.fixture
def artefacts(tmp_path) -> Path:
    root = os.environ.get("COOPGRAPH_TEST_ARTEFACTS")
    folder = (Path(root) if root else tmp_path) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser, server):
    """A page whose requests outside 127.0.0.1 are aborted; ``page.outside`` lists them
    and ``page.problems`` the script errors and failed responses."""
    context = browser.new_context(viewport={"width": 1300, "height": 950})
    page = context.new_page()
    page.outside, page.problems = [], []

    def route(route):
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    context.on("weberror", lambda error: page.problems.append(f"script: {error.error}"))

    def failed(response):
        if response.status >= 400:
            page.problems.append(f"{response.status} {response.url}")

    context.on("response", failed)
    yield page
    context.close()


def test_editor_runs_a_canned_query_and_links_to_the_entity_page(page, server, artefacts):
    page.goto(server.url + "query")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.select_option("#picker", "actions-by-theme")
    assert "Actions by theme" in page.locator(".tabPanel.active, .tab.active").first.inner_text()
    page.click("#run")
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() >= 3
    assert page.locator(".yasr", has_text="results in").count() == 1
    page.screenshot(path=str(artefacts / "editor.png"), full_page=True)

    page.get_by_label("Ellipse").uncheck()  # its hover pop-up covers the links
    link = page.locator(".yasr a[href*='/id/action/']").first
    with page.context.expect_page() as opened:
        link.click()
    entity = opened.value
    entity.wait_for_load_state()
    assert "/id/action/" in entity.url
    assert entity.locator("h1").inner_text()
    evidence = entity.locator("figure.evidence mark")
    assert evidence.count() >= 3
    entity.screenshot(path=str(artefacts / "entity.png"), full_page=True)

    assert page.outside == [], f"requests outside 127.0.0.1: {page.outside}"
    assert page.problems == []


def test_search_box_and_network_view_work_offline(page, server, artefacts):
    page.goto(server.url)
    page.fill("form.search input", "employment")
    page.press("form.search input", "Enter")
    page.wait_for_url("**/search?q=employment")
    hits = page.locator("ul.hits li a")
    assert hits.count() >= 3
    page.screenshot(path=str(artefacts / "search.png"), full_page=True)
    hits.first.click()
    page.wait_for_selector("h1")
    assert page.locator("table.facts").count() >= 1

    page.goto(server.url + "network")
    drawing = page.frame_locator("iframe.graph").locator("svg circle, svg rect")
    drawing.first.wait_for()
    assert drawing.count() >= 5
    page.screenshot(path=str(artefacts / "network.png"), full_page=True)

    assert page.outside == [], f"requests outside 127.0.0.1: {page.outside}"
    assert page.problems == []
