"""Each subscription's secret feeds: Atom (feedgen) of the newest matching articles and an
iCalendar (icalendar) of their events, for people who prefer a reader or a calendar."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

from digests.links import Site
from digests.searches import SavedSearch
from procradar.core.index.base import Index
from procradar.core.subscriptions import Subscription

FEED_SIZE = 50


def latest(index: Index, saved: SavedSearch) -> list[dict[str, Any]]:
    return [h.article for h in index.search(saved.request(FEED_SIZE)).hits]


def _published(article: dict[str, Any]) -> datetime | None:
    try:
        day = date.fromisoformat(str(article.get("published") or "")[:10])
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def atom(
    articles: list[dict[str, Any]], saved: SavedSearch, sub: Subscription, site: Site, self_url: str
) -> bytes:
    fg = FeedGenerator()
    fg.id(f"urn:procradar:subscription:{sub.id}")
    fg.title(f"procradar: {saved.describe(sub.language)}")
    fg.link(href=site.search(saved.query_string(sort="newest")), rel="alternate")
    fg.link(href=self_url, rel="self")
    fg.language(sub.language)
    newest = max((p for a in articles if (p := _published(a))), default=sub.created_at)
    fg.updated(newest)
    for article in reversed(articles):  # feedgen puts the last added first
        entry = fg.add_entry()
        entry.id(site.article(str(article["url"])))
        entry.title(str(article.get("title") or article["url"]))
        entry.link(href=site.article(str(article["url"])))
        entry.updated(_published(article) or newest)
        if article.get("summary"):
            entry.summary(str(article["summary"]))
        for topic in article.get("topics") or []:
            entry.category(term=str(topic))
    return bytes(fg.atom_str(pretty=True))


def ical(
    articles: list[dict[str, Any]], saved: SavedSearch, sub: Subscription, site: Site
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//procradar//digests//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"procradar: {saved.describe(sub.language)}")
    stamp = datetime.now(UTC)
    for article in articles:
        for n, event in enumerate(article.get("events") or []):
            try:
                day = date.fromisoformat(str(event.get("date") or "")[:10])
            except ValueError:
                continue
            item = Event()
            key = hashlib.sha256(str(article["url"]).encode("utf-8")).hexdigest()[:24]
            item.add("uid", f"{key}-{n}@procradar")  # stable: calendars update, not duplicate
            item.add("summary", str(event.get("title") or article.get("title") or ""))
            item.add("dtstart", day)
            item.add("dtstamp", stamp)
            if event.get("place"):
                item.add("location", str(event["place"]))
            item.add("url", site.article(str(article["url"])))
            cal.add_component(item)
    return bytes(cal.to_ical())
