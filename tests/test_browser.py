"""The site in Debian's Chromium (playwright): search, filters, chips, pager, article,
language, trends and events at desktop and phone widths, with screenshots as artefacts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from waitress.server import create_server

from search_app import create_app
from search_app.params import article_id
from tests.conftest import ROOT
from tests.web_corpus import AWARD_URL, build

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = build(tmp_path_factory.mktemp("browser") / "data")
    app = create_app({"API_RATE_LIMIT": ""}, settings=settings)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium missing: scripts/test-deps.sh installs it"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _check(page: Page, name: str, width: int) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{width}-{name}.png"), full_page=True)
    assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"
    assert page.locator("h1").count() == 1, name


@pytest.mark.parametrize("width", [1280, 390])
def test_walkthrough(browser: Browser, base_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base_url + "/")
    page.fill("#q", "upphandling")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert page.locator("li.hit").count() == 20
    _check(page, "1-search", width)
    if width < 700:  # filters sit behind a toggle on phones, after the search box
        results_y = page.locator("li.hit").first.bounding_box()
        assert results_y and results_y["y"] < 900, "first result is not on the first screen"
        page.click("details.filters > summary")
    page.locator("#facet-topic ~ ul a").first.click()
    page.wait_for_load_state()
    if width < 700:
        page.click("details.filters > summary")
    page.locator("#facet-language ~ ul a").first.click()
    page.wait_for_load_state()
    assert page.locator("ul.chips a.chip:not(.clear)").count() == 2
    _check(page, "2-two-filters", width)
    narrowed = page.locator("h2.total").inner_text()
    page.locator("ul.chips a.chip").first.click()
    page.wait_for_load_state()
    assert page.locator("ul.chips a.chip:not(.clear)").count() == 1
    assert page.locator("h2.total").inner_text() != narrowed
    page.goto(base_url + "/?q=upphandling")
    page.click("nav.pager a[rel=next]")
    page.wait_for_load_state()
    assert "page=2" in page.url
    _check(page, "3-page-2", width)
    page.locator("li.hit h2 a").first.click()
    page.wait_for_load_state()
    assert "/a/" in page.url and page.locator("h2#h-text").count() == 1
    _check(page, "4-article", width)
    page.click("nav.langs a[hreflang=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(base_url + "/trends?cq=innovation&cq=dialog")
    assert page.locator("figure.chart svg").count() >= 3
    assert page.locator("html").get_attribute("lang") == "en"  # remembered
    _check(page, "5-trends", width)
    page.goto(base_url + "/events")
    assert page.locator("li.event-item").count() > 0
    _check(page, "6-events", width)
    page.goto(base_url + "/?q=zzqqxx+upphandling")
    assert "without “zzqqxx”" in page.locator(".note").inner_text()
    assert page.locator("li.hit").count() > 0
    _check(page, "7-relaxed", width)
    page.goto(base_url + "/?q=snöröjning")
    shown = page.locator("li.hit").count()
    page.click("p.switch a.toggle")
    page.wait_for_load_state()
    assert "all=1" in page.url and page.locator("li.hit").count() == shown + 1
    assert page.locator("ul.chips a.chip").count() == 1  # "general news included", removable
    _check(page, "8-general-news", width)
    page.goto(base_url + "/a/" + article_id(AWARD_URL))
    assert "Supplier" in page.locator("#h-orgs ~ ul").inner_text()
    _check(page, "9-article-relevance", width)
    page.goto(base_url + "/events?q=leverantörsträff&lang=sv")
    _check(page, "10-events-search", width)
    page.goto(base_url + "/orgs?role=supplier")
    assert page.locator("ul.columns li").count() == 1
    _check(page, "11-orgs-suppliers", width)
    assert not errors, errors  # no CSP violations or script errors
    context.close()
