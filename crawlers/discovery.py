"""Find article URLs: feeds, sitemaps (plain, index, news) and robots.txt, parsed from bytes.

trafilatura's own feed/sitemap helpers refuse loopback hosts, and the crawler fetches with
Scrapy anyway, so everything here works on downloaded bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import feedparser
from lxml import etree
from protego import Protego
from scrapy.utils.gz import gunzip

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
FEED_HINT = re.compile(r"(^|[/._-])(rss|atom|feed)([/._?-]|$)", re.I)
XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class Entry:
    """A URL some discovery source vouches for, with what it says about it."""

    url: str
    title: str | None = None
    published: str | None = None  # ISO date, only from feeds and news sitemaps
    lastmod: str | None = None  # ISO date from a sitemap; says when it changed, not published
    via: str = ""  # feed | sitemap | news_sitemap | listing


def iso_date(value: str | None) -> str | None:
    """The calendar date a feed or sitemap gives, as the publisher wrote it (no UTC shift)."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    return None


def sniff(body: bytes) -> str | None:
    """'feed', 'sitemap' or None, from the first bytes of an XML document."""
    head = body[:2048].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    return None


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    parsed = feedparser.parse(body)
    out = []
    for item in parsed.entries:
        link = item.get("link") or next(
            (lk.get("href") for lk in item.get("links", []) if lk.get("href")), None
        )
        if not link:
            continue
        raw_date = item.get("published") or item.get("updated") or item.get("dc_date")
        title = (item.get("title") or "").strip() or None
        out.append(
            Entry(urljoin(base_url, link), title=title, published=iso_date(raw_date), via="feed")
        )
    return out


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, max_bytes: int) -> tuple[list[Entry], list[Entry]]:
    """(child sitemaps, page entries) of a sitemap, sitemap index or news sitemap."""
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, max_size=max_bytes)
    root = etree.fromstring(body, XML_PARSER)
    if root is None:
        return [], []
    children: list[Entry] = []
    pages: list[Entry] = []
    is_index = _local(root.tag) == "sitemapindex"
    for node in root:
        fields = {_local(el.tag): (el.text or "").strip() for el in node.iter() if el is not node}
        loc = fields.get("loc")
        if not loc:
            continue
        if is_index:
            children.append(Entry(loc, lastmod=iso_date(fields.get("lastmod")), via="sitemap"))
            continue
        news_date = iso_date(fields.get("publication_date"))
        pages.append(
            Entry(
                loc,
                title=fields.get("title") or None,
                published=news_date,
                lastmod=iso_date(fields.get("lastmod")),
                via="news_sitemap" if news_date else "sitemap",
            )
        )
    return children, pages


def parse_robots(text: str) -> Protego:
    return Protego.parse(text)


def feeds_announced(tree: etree._Element, base_url: str) -> list[str]:
    """Feeds a page announces with <link rel=alternate> or plain RSS links."""
    found = []
    for link in tree.iterfind(".//link[@href]"):
        rel = (link.get("rel") or "").lower()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind.startswith(FEED_TYPES):
            found.append(urljoin(base_url, link.get("href", "")))
    for anchor in tree.iterfind(".//a[@href]"):
        href = anchor.get("href", "")
        label = (anchor.text_content() or "").strip().lower()
        if FEED_HINT.search(href.split("?")[0]) and (label in ("rss", "atom") or "rss" in href):
            found.append(urljoin(base_url, href))
    return list(dict.fromkeys(found))
