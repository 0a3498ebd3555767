"""Upcoming events however old the announcement: the events page, its feeds and the
search page's event-date sort ask the index for articles with an event still ahead, not
for the newest few (a real store and SQLite index)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient

from procradar.core.models import Article, Event
from search_app import create_app
from tests.web_corpus import stored_and_indexed

TODAY = date.today()
EARLY = "https://region.test/nyheter/leverantorsdag-varen"
NEWER = 170  # more recent announcements than the pages used to scan


def _announcement(n: int, published: date, event: date) -> Article:
    return Article(
        url=f"https://kommun{n}.test/nyheter/traff",
        title=f"Leverantörsträff nummer {n} om städtjänster",
        text="Kommunen bjuder in städföretag till en leverantörsträff inför upphandlingen.",
        published=published.isoformat(),
        language="sv",
        kind="event_announcement",
        events=[Event(date=event.isoformat(), place="Kommunhuset")],
        relevant=True,
        source="upphandlingsmyndigheten",
    )


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    # recent articles about meetings that have taken place, and one early announcement
    articles = [
        _announcement(n, TODAY - timedelta(days=n % 20), TODAY - timedelta(1)) for n in range(NEWER)
    ]
    early = _announcement(999, TODAY - timedelta(days=200), TODAY + timedelta(days=40))
    articles.append(
        Article(**{**early.__dict__, "url": EARLY, "title": "Leverantörsdag i vår om färdtjänst"})
    )
    settings = stored_and_indexed(tmp_path_factory.mktemp("web-events"), articles)
    return create_app({"TESTING": True}, settings=settings).test_client()


def test_an_event_announced_long_ago_is_on_the_events_page(client: FlaskClient) -> None:
    items = client.get("/api/v1/events").get_json()["items"]
    assert items and items[0]["article"]["url"] == EARLY
    assert items[0]["date"] == (TODAY + timedelta(days=40)).isoformat()
    assert "Leverantörsdag i vår om färdtjänst" in client.get("/events").get_data(as_text=True)
    assert b"SUMMARY:" in client.get("/events.ics").data


def test_event_sort_puts_it_first_and_pages_on_through_the_rest(client: FlaskClient) -> None:
    first = client.get("/search.json?sort=event").get_json()
    assert first["hits"][0]["url"] == EARLY
    second = client.get("/search.json?sort=event&page=2").get_json()
    urls = [h["url"] for h in first["hits"] + second["hits"]]
    assert len(urls) == len(set(urls)) == 40  # page size 20, nothing twice
    assert first["total"] == NEWER + 1
