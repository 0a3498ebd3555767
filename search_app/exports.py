"""Lists as CSV and JSON, searches as Atom, events as iCalendar."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import UTC, date, datetime
from typing import Any

from flask import Response, jsonify, request, url_for

from search_app.queries import Page
from search_app.security import csv_cell, safe_url

ARTICLE_COLUMNS = ("id", "url", "title", "published", "language", "kind", "source", "topics")
LIST_FIELDS = (
    "url",
    "title",
    "published",
    "first_seen",
    "language",
    "kind",
    "source",
    "topics",
    "organizations",
    "places",
    "amounts",
    "events",
    "summary",
    "relevant",
)


def article_json(article: dict[str, Any], full: bool = False) -> dict[str, Any]:
    """The contract fields; lists carry the summary instead of the full text."""
    from search_app.params import article_id

    full_fields = ("text", "links", "topic_scores", "relevance", "relevance_evidence")
    fields = (*LIST_FIELDS, *full_fields) if full else LIST_FIELDS
    out = {k: article.get(k) for k in fields}
    key = article_id(str(article["url"]))
    out["id"] = key
    out["page"] = url_for("articles.article", article_key=key, _external=True)
    out["api"] = url_for("api.article", article_key=key, _external=True)
    return out


def article_row(article: dict[str, Any]) -> list[Any]:
    from search_app.params import article_id

    values = {**article, "id": article_id(str(article["url"]))}
    return [
        " ".join(values[c]) if isinstance(values.get(c), list) else values.get(c)
        for c in ARTICLE_COLUMNS
    ]


def page_json(page: Page) -> dict[str, Any]:
    return {
        "query": page.params.q,
        "total": page.total,
        "page": page.params.page,
        "page_size": page.page_size,
        "hits": [
            {**article_json(r.hit), "snippet": r.hit.get("snippet", ""), "copies": r.copies}
            for r in page.results
        ],
        "facets": {k: [list(p) for p in v] for k, v in page.facets.items()},
        "years": [list(p) for p in page.years],
        "expansions": page.expansions,
        # The search relaxed: words left out, and words searched in another spelling.
        "dropped": page.dropped,
        "respelled": page.respelled,
        "partial": page.partial,
        "general_news_included": page.params.everything,
    }


def csv_response(
    columns: tuple[str, ...] | list[str], rows: list[list[Any]], name: str
) -> Response:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    response = Response(buf.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def json_list(items: list[Any], **extra: Any) -> Response:
    return jsonify({**extra, "items": items})


# -- Atom -------------------------------------------------------------------------------


def _when(value: object) -> datetime:
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        day = date(1970, 1, 1)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# Characters XML 1.0 cannot carry at all (lxml refuses them): C0 controls but tab, LF, CR;
# surrogates; U+FFFE/U+FFFF. A query or a crawled title may hold any of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def atom(page: Page, title: str) -> Response:
    from feedgen.feed import FeedGenerator

    from search_app.params import article_id

    feed = FeedGenerator()
    feed.id(xml_text(request.url))
    feed.title(xml_text(title))
    feed.link(href=page.params.link(_external=True), rel="alternate")
    feed.link(href=xml_text(request.url), rel="self")
    feed.language("sv")
    newest = _when("1970-01-01")
    for result in reversed(page.results):
        hit = result.hit
        key = article_id(str(hit["url"]))
        entry = feed.add_entry()
        page_url = url_for("articles.article", article_key=key, _external=True)
        entry.id(page_url)
        entry.title(xml_text(hit.get("title") or hit["url"]))
        entry.link(href=page_url, rel="alternate")
        when = _when(hit.get("published"))
        newest = max(newest, when)
        entry.updated(when)
        entry.published(when)
        entry.summary(xml_text(hit.get("summary") or ""))
    feed.updated(newest)
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


# -- iCalendar ---------------------------------------------------------------------------


def ical(events: list[dict[str, Any]], name: str) -> Response:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//procradar//events//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in events:
        try:
            day = date.fromisoformat(str(item["date"])[:10])
        except ValueError:
            continue
        event = Event()
        uid = hashlib.sha256(f"{item['article']['url']}|{item['date']}".encode()).hexdigest()
        event.add("uid", f"{uid[:32]}@procradar")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("summary", str(item.get("title") or item["article"].get("title") or ""))
        if item.get("place"):
            event.add("location", str(item["place"]))
        page = url_for("articles.article", article_key=item["article_id"], _external=True)
        event.add("url", page)
        register = safe_url(item.get("registration_url"))
        description = str(item["article"].get("title") or "")
        if register:
            description += f"\n{register}"
        event.add("description", description)
        cal.add_component(event)
    return Response(cal.to_ical(), mimetype="text/calendar")


def jsonify_data(data: Any) -> Response:
    return jsonify(data)
