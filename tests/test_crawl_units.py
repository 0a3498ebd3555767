"""The crawler's parts on their own: charset repair, URL hygiene, page classification against
the sample sites' truth files, dates and discovery parsers (near-duplicates: test_neardup)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from crawlers import dates, urls
from crawlers.discovery import iso_date, parse_feed, parse_sitemap, sniff
from crawlers.encoding import decode_html, relabel_utf8
from crawlers.page import analyse
from crawlers.sites import override_for
from procradar.core.resources import SAMPLE_SITES_DIR

SITES = SAMPLE_SITES_DIR
TITLE = "Cirkulära möbler: så ställde Malmö stad klimatkrav på återbruk"


def sample_pages() -> list[tuple[str, str, dict | None]]:
    """(site, path, truth entry or None) for every truth article and listed non-article."""
    out: list[tuple[str, str, dict | None]] = []
    for truth_file in sorted(SITES.glob("*/truth.json")):
        site = truth_file.parent
        truth = {t["path"]: t for t in json.loads(truth_file.read_text(encoding="utf-8"))}
        config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
        for path in sorted(set(truth) | set(config.get("not_articles") or [])):
            if page_file(site.name, path) is not None:  # not redirects, 404s, .ics files
                out.append((site.name, path, truth.get(path)))
    return out


def page_file(site: str, path: str) -> Path | None:
    base, _, query = path.partition("?")
    file = SITES / site / "public" / base.lstrip("/")
    if file.is_dir():
        file = file / "index.html"
    if query:
        variant = file.with_name(f"{file.stem}@{query}{file.suffix}")
        file = variant if variant.is_file() else file
    return file if file.is_file() and file.suffix == ".html" else None


@pytest.mark.parametrize(("site", "path", "truth"), sample_pages())
def test_sample_pages_are_classified_like_the_truth_file(
    site: str, path: str, truth: dict | None
) -> None:
    file = page_file(site, path)
    assert file is not None
    decoded = decode_html(file.read_bytes())
    listed_only = bool(truth and truth.get("listed_only"))  # only its news listing vouches
    info = analyse(decoded.text, "http://127.0.0.1:8000" + path, from_listing=listed_only)
    assert info is not None
    assert info.is_article == (truth is not None), f"{site}{path}: {info.reason}"
    if listed_only:
        unlisted = analyse(decoded.text, "http://127.0.0.1:8000" + path)
        assert unlisted is not None and not unlisted.is_article, unlisted.reason
    if truth is not None and info.title_from_h1:
        assert info.title == truth["title"]
    if truth is not None and info.published and truth["published"]:
        assert info.published == truth["published"]


def test_windows_1252_labelled_utf8_is_repaired() -> None:
    html = f'<html><head><meta charset="utf-8"></head><body><h1>{TITLE}</h1></body></html>'
    decoded = decode_html(html.encode("cp1252"), "text/html; charset=utf-8")
    assert decoded.mislabelled and decoded.encoding == "cp1252"
    assert TITLE in decoded.text
    assert 'charset="utf-8"' in relabel_utf8(decoded.text)


def test_missing_charset_and_utf8_labelled_latin1() -> None:
    assert TITLE in decode_html(TITLE.encode("cp1252"), "text/html").text
    lying = decode_html(TITLE.encode("utf-8"), "text/html; charset=iso-8859-1")
    assert lying.text == TITLE and lying.mislabelled
    honest = decode_html(TITLE.encode("iso-8859-1"), "text/html; charset=iso-8859-1")
    assert honest.text == TITLE and not honest.mislabelled


def test_canonical_urls_drop_tracking_but_keep_meaningful_parameters() -> None:
    url = "HTTP://Example.se/visa.html?id=12&utm_source=nyhetsbrev&fbclid=abc#kommentarer"
    assert urls.canonical(url) == "http://example.se/visa.html?id=12"
    assert urls.same_site("https://www.kk.dk/a", "https://kk.dk/b")
    assert not urls.same_site("http://127.0.0.1:8001/", "http://127.0.0.1:8002/")
    assert urls.is_document("https://x.se/plan.PDF") and urls.is_skipped("https://x.se/a.jpg")


def test_private_addresses_are_recognised() -> None:
    assert urls.is_private_host("127.0.0.1") and urls.is_private_host("10.1.2.3")
    assert urls.is_private_host("localhost") and urls.is_private_host("::1")
    assert not urls.is_private_host("8.8.8.8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Publicerad 27 maj 2025", "2025-05-27"),
        ("Publisert: 12.03.2026 kl. 10.00", "2026-03-12"),
        ("Publiceret den 3. marts 2026", "2026-03-03"),
        ("Senast uppdaterad 2026-02-02", None),
    ],
)
def test_labelled_publication_dates(text: str, expected: str | None) -> None:
    assert dates.labelled_date(text) == expected


def test_feed_dates_keep_the_publishers_calendar_day() -> None:
    assert iso_date("Tue, 13 Jan 2026 00:30:00 +0100") == "2026-01-13"
    assert iso_date("2026-03-12T23:30:00-05:00") == "2026-03-12"
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>R\xc3\xa5d</title>'
        b"<link>/nyheter/rad/</link><pubDate>Thu, 12 Mar 2026 08:00:00 +0100</pubDate>"
        b"</item></channel></rss>"
    )
    assert sniff(rss) == "feed"
    [entry] = parse_feed(rss, "http://h.se/")
    assert (entry.url, entry.title, entry.published) == (
        "http://h.se/nyheter/rad/",
        "Råd",
        "2026-03-12",
    )


def test_sitemap_index_and_news_sitemap() -> None:
    index = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>http://h.se/s1.xml</loc></sitemap></sitemapindex>"
    )
    children, pages = parse_sitemap(index, 10_000)
    assert [c.url for c in children] == ["http://h.se/s1.xml"] and pages == []
    news = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        b"<loc>http://h.se/a</loc><lastmod>2026-04-01</lastmod><news:news>"
        b"<news:publication_date>2026-03-12T08:00:00+01:00</news:publication_date>"
        b"<news:title>Klimatkrav</news:title></news:news></url></urlset>"
    )
    _, [entry] = parse_sitemap(news, 10_000)
    assert (entry.title, entry.published, entry.lastmod) == (
        "Klimatkrav",
        "2026-03-12",
        "2026-04-01",
    )


def test_site_overrides_are_declarative_and_checked() -> None:
    sitevision = override_for({"id": "x", "override": "sitevision-news"})
    html = "<html><body><main><h1>Om oss</h1>" + "<p>" + "text " * 200 + "</p></main></body></html>"
    news = analyse(html, "https://x.se/nyheter/2026/ny-upphandling")
    about = analyse(html, "https://x.se/om-oss")
    assert news is not None and about is not None
    assert sitevision.is_article(news) and not sitevision.is_article(about)
    assert not sitevision.wants("https://x.se/sok?q=klimat")
    assert override_for({"id": "x"}).wants("https://x.se/sok?q=klimat")
    with pytest.raises(ValueError, match="unknown override 'nope'"):
        override_for({"id": "x", "override": "nope"})
