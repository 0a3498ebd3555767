"""The web app over a real store and SQLite index: pages, filters, errors, headers, formats,
languages and hostile data (built once per module)."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import feedparser
import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from openapi_spec_validator import validate

from procradar.core.settings import Settings
from search_app import create_app
from search_app.params import article_id
from tests.web_corpus import AWARD_URL, COPY_A, COPY_B, GENERAL_URL, HOSTILE_URL, build

PAGES = [
    "/",
    "/?q=upphandling&topic=innovation",
    "/?q=innovation",
    "/?sort=event",
    "/events",
    "/trends?q=innovation&cq=upphandling",
    "/orgs",
    "/sources",
    "/source/evil",
]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build(tmp_path_factory.mktemp("web") / "data")


@pytest.fixture(scope="module")
def app(settings: Settings) -> Flask:
    return create_app({"TESTING": True}, settings=settings)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_search_combines_filters_and_chips_remove_one(client: FlaskClient) -> None:
    both = client.get("/?q=upphandling&topic=innovation&language=sv")
    assert both.status_code == 200
    html = both.get_data(as_text=True)
    assert 'class="chips"' in html
    # each chip removes its own filter and keeps the other
    assert 'href="/search?q=upphandling&amp;language=sv"' in html
    assert 'href="/search?q=upphandling&amp;topic=innovation"' in html
    data = client.get("/search.json?q=upphandling&topic=innovation&language=sv").get_json()
    assert data["total"] > 0
    assert all("innovation" in h["topics"] and h["language"] == "sv" for h in data["hits"])
    wider = client.get("/search.json?q=upphandling&language=sv").get_json()
    assert wider["total"] > data["total"]


def test_facet_links_add_to_current_filters(client: FlaskClient) -> None:
    html = client.get("/?q=upphandling&language=sv").get_data(as_text=True)
    assert "/search?q=upphandling&amp;topic=" in html and "&amp;language=sv" in html
    assert "Umeå kommun" in html or "Region Nordmark" in html  # organisation facet by name


def test_pager_and_past_the_end(client: FlaskClient) -> None:
    first = client.get("/search.json").get_json()
    second = client.get("/search.json?page=2").get_json()
    assert first["total"] > 20 and second["hits"]
    assert {h["url"] for h in first["hits"]}.isdisjoint({h["url"] for h in second["hits"]})
    past = client.get("/?page=40").get_data(as_text=True)
    assert "past the last page" in client.get("/?page=40&lang=en").get_data(as_text=True)
    assert "Inga artiklar" not in past  # no "no hits" next to a total


@pytest.mark.parametrize(
    "query",
    [
        "page=%C2%B2",
        "endpoint=x",
        "_method=x",
        "page=0",
        "page=-1",
        "sort=nonsense",
        "topic=nonsense",
        "after=2026-13",
        "org=" + "x" * 300,
        "q=%22unclosed",
        "q=NOT",
        "q=a+OR",
    ],
)
def test_bad_parameters_are_clear_errors(client: FlaskClient, query: str) -> None:
    for path in ("/", "/search.json", "/events", "/trends", "/feed.atom", "/api/v1/search"):
        resp = client.get(f"{path}?{query}")
        assert resp.status_code in (200, 400), (path, query, resp.status_code)
        assert b"Traceback" not in resp.data


def test_long_query_is_not_echoed(client: FlaskClient) -> None:
    resp = client.get("/?q=" + "a" * 250_000)
    assert resp.status_code == 400
    assert len(resp.data) < 20_000
    api = client.get("/api/v1/search?q=" + "b" * 250_000)
    assert api.status_code == 400 and len(api.data) < 2_000


def test_not_and_or_typed_as_words(client: FlaskClient) -> None:
    plain = client.get("/search.json?q=upphandling").get_json()["total"]
    minus = client.get("/search.json?q=upphandling+-tjänster").get_json()["total"]
    word = client.get("/search.json?q=upphandling+NOT+tjänster").get_json()["total"]
    anded = client.get("/search.json?q=upphandling+AND+tjänster").get_json()["total"]
    assert word == minus < plain and anded > 0


def test_errors_are_localised(app: Flask, client: FlaskClient) -> None:
    assert "Sidan finns inte" in client.get("/nope?lang=sv").get_data(as_text=True)
    assert "Page not found" in client.get("/nope?lang=en").get_data(as_text=True)
    assert "Siden findes ikke" in app.test_client().get(
        "/nope", headers={"Accept-Language": "da-DK,da;q=0.9"}
    ).get_data(as_text=True)
    api = client.get("/api/v1/nope")
    assert api.status_code == 404 and api.get_json()["status"] == 404


def test_language_switch_is_remembered(app: Flask) -> None:
    client = app.test_client()
    first = client.get("/?lang=nb")
    assert '<html lang="nb">' in first.get_data(as_text=True)
    cookie = first.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    again = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="nb">' in again.get_data(as_text=True)
    assert "Søk" in again.get_data(as_text=True)


def test_security_headers(client: FlaskClient) -> None:
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]
    assert "<script>" not in resp.get_data(as_text=True).replace(
        '<script src="/static/app.js" defer></script>', ""
    )


def test_article_page_shows_everything(client: FlaskClient) -> None:
    html = client.get("/a/" + article_id("https://gen.test/sv/artikel-0")).get_data(as_text=True)
    for part in ("Upphandling av tjänster nummer 0", "Region Nordmark", "SEK", "Sammanfattning"):
        assert part in html
    assert 'href="https://gen.test/sv/artikel-0"' in html
    assert "leverantörer" in html  # topic evidence
    assert html.count("<h1") == 1
    copy = client.get("/a/" + article_id(COPY_A)).get_data(as_text=True)
    assert article_id(COPY_B) in copy  # the copy from the other source
    assert client.get("/a/bm90LWEtc3RvcmVkLXVybA").status_code == 404
    assert client.get("/a/!!").status_code == 404


def test_copies_grouped_in_results(client: FlaskClient) -> None:
    html = client.get("/?q=sjukhuset+testar").get_data(as_text=True)
    shown = [u for u in (COPY_A, COPY_B) if f'href="/a/{article_id(u)}"' in html]
    assert len(shown) == 1 and html.count(f'href="/a/{article_id(shown[0])}"') == 1
    other = COPY_B if shown == [COPY_A] else COPY_A
    assert f'href="{other}"' in html  # "also published by" the other source


def test_snippets_escaped_exactly_once(client: FlaskClient) -> None:
    html = client.get("/?q=clarion").get_data(as_text=True)
    assert "Clarion</mark> Hotel &amp; Congress" in html or "Clarion Hotel &amp; Congress" in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html
    assert "&lt;script&gt;alert(4)" in client.get("/?q=farlig").get_data(as_text=True)


def _hostile_everywhere(client: FlaskClient) -> dict[str, str]:
    key = article_id(HOSTILE_URL)
    paths = [
        "/?q=farlig",
        "/?q=innovation&sort=event",
        f"/a/{key}",
        "/events",
        "/org/%3Cb%3EOnd%3C%2Fb%3E%20%26%20Co",
        "/source/evil",
        "/feed.atom?q=farlig",
        "/search.json?q=farlig",
        f"/api/v1/articles/{key}",
        "/api/v1/search?q=farlig",
        "/api/v1/events?when=all",
        "/events.ics",
        "/search.csv?q=farlig",
        "/events.csv",
    ]
    out = {}
    for path in paths:
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        if resp.mimetype in ("text/csv", "text/calendar"):
            continue  # plain data, never rendered as HTML (checked by the CSV test)
        out[path] = resp.get_data(as_text=True)
    assert len(out) == len(paths) - 3
    return out


def test_hostile_article_is_inert_everywhere(client: FlaskClient) -> None:
    for path, body in _hostile_everywhere(client).items():
        assert "<script>alert" not in body, path
        assert "<img src=x" not in body, path
        assert 'href="javascript:' not in body.lower(), path
        assert "<b>Ond</b>" not in body, path
    html = client.get("/a/" + article_id(HOSTILE_URL)).get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in html  # shown, as text
    assert 'class="original unsafe"' in html  # a URL with markup characters: text only
    assert "javascript:alert(document.domain)" in html  # shown as text, never as a link


def test_csv_cells_neutralised(client: FlaskClient) -> None:
    rows = list(csv.reader(io.StringIO(client.get("/search.csv?q=farlig").get_data(as_text=True))))
    titles = [r[2] for r in rows[1:]]
    assert any(t.startswith("'<script>") or t.startswith("<script>") for t in titles)
    for row in rows[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row)


def test_atom_with_control_characters_in_the_query_is_well_formed(client: FlaskClient) -> None:
    # Found by bench/reliability.py: lxml refused the title "procradar: \x00…" (HTTP 500).
    for q in ("upphandling%00", "upphandling%1B%5B31m", "%EF%BF%BF"):
        answer = client.get(f"/feed.atom?q={q}")
        assert answer.status_code in (200, 400), q
        if answer.status_code == 200:
            assert not feedparser.parse(answer.data).bozo, q


def test_atom_ical_openapi_parse(client: FlaskClient) -> None:
    feed = feedparser.parse(client.get("/feed.atom?q=upphandling").data)
    assert not feed.bozo and len(feed.entries) > 0
    assert all(e.link.startswith("http://localhost/a/") for e in feed.entries)
    cal = Calendar.from_ical(client.get("/events.ics").data)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert events and all(str(e["URL"]).startswith("http://localhost/a/") for e in events)
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    assert {"/search", "/articles/{id}", "/facets", "/trends", "/events"} <= set(doc["paths"])


def test_api_pages_with_links_and_summaries(client: FlaskClient) -> None:
    body = client.get("/api/v1/search?per_page=5&page=2").get_json()
    assert len(body["hits"]) == 5 and "text" not in body["hits"][0]
    assert body["links"]["next"].endswith("page=3&per_page=5")
    assert body["links"]["prev"].endswith("page=1&per_page=5")
    full = client.get(body["hits"][0]["api"].replace("http://localhost", "")).get_json()
    assert "text" in full


def test_events_future_first_with_registration(client: FlaskClient) -> None:
    items = client.get("/api/v1/events").get_json()["items"]
    dates = [e["date"] for e in items]
    assert dates == sorted(dates) and items
    html = client.get("/events").get_data(as_text=True)
    assert 'href="https://anmalan.test/event"' in html


def test_trends_normalised_and_csv(client: FlaskClient) -> None:
    data = client.get("/api/v1/trends?cq=innovation&cq=dialog").get_json()
    assert data["periods"] and set(data["compare"]) == {"innovation", "dialog"}
    for values in data["topic_share"].values():
        assert all(0 <= v <= 100 for v in values)
    html = client.get("/trends?cq=innovation").get_data(as_text=True)
    assert "<svg" in html and "<table>" in html
    text = client.get("/trends.csv?chart=total").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "period" and len(rows) == len(data["periods"]) + 1


def test_fresh_install_explains_how_to_crawl(tmp_path: Path) -> None:
    app = create_app({"TESTING": True}, settings=Settings({"data_dir": str(tmp_path / "d")}))
    html = app.test_client().get("/?lang=en").get_data(as_text=True)
    assert "procradar demo" in html and "procradar crawl" in html


def test_zero_hits_suggests_what_to_drop(client: FlaskClient) -> None:
    html = client.get("/?q=farlig&language=da&lang=en").get_data(as_text=True)
    assert "No articles found" in html and "without Language “" in html
    general = client.get("/?q=tio+centimeter&lang=en").get_data(as_text=True)
    assert "No articles found" in general
    assert 'href="/search?q=tio+centimeter&amp;all=1">including general news</a>' in general


def test_nonsense_word_relaxes_with_a_note(client: FlaskClient) -> None:
    exact = client.get("/search.json?q=upphandling").get_json()
    data = client.get("/search.json?q=upphandling+zzqqxx").get_json()
    assert data["total"] == exact["total"] > 0 and data["hits"]
    assert data["dropped"] == ["zzqqxx"] and data["respelled"] == {}
    sv = client.get("/?q=upphandling+zzqqxx&lang=sv").get_data(as_text=True)
    assert "Inga artiklar har alla orden; visar artiklar med “upphandling” (utan “zzqqxx”)" in sv
    en = client.get("/?q=upphandling+zzqqxx&lang=en").get_data(as_text=True)
    assert "showing articles with “upphandling” (without “zzqqxx”)" in en
    api = client.get("/api/v1/search?q=upphandling+zzqqxx").get_json()
    assert api["dropped"] == ["zzqqxx"] and api["hits"]
    feed = feedparser.parse(client.get("/feed.atom?q=upphandling+zzqqxx").data)
    assert not feed.bozo and feed.entries
    plain = client.get("/?q=upphandling&lang=en").get_data(as_text=True)
    assert "No article has all the words" not in plain


def test_misspelled_word_is_respelled(client: FlaskClient) -> None:
    data = client.get("/search.json?q=upphandling+plogbolgaet").get_json()
    assert data["respelled"] == {"plogbolgaet": "plogbolaget"} and data["dropped"] == []
    assert [h["url"] for h in data["hits"]] == [AWARD_URL]
    html = client.get("/?q=plogbolgaet&lang=en").get_data(as_text=True)
    assert "Showing results for “plogbolaget” – no article has “plogbolgaet”." in html


def test_topic_expansion_shown_as_tag(client: FlaskClient) -> None:
    data = client.get("/search.json?q=klimatkrav").get_json()
    assert any(w.startswith("topic:") for ws in data["expansions"].values() for w in ws)
    html = client.get("/?q=klimatkrav&lang=en").get_data(as_text=True)
    assert "Also articles tagged" in html and "topic:climate" not in html
    assert "/search?q=klimatkrav&amp;topic=climate_environment" in html


def test_general_news_hidden_by_default_and_shown_with_the_switch(client: FlaskClient) -> None:
    gated = client.get("/search.json?q=snöröjning").get_json()
    assert GENERAL_URL not in {h["url"] for h in gated["hits"]}
    assert AWARD_URL in {h["url"] for h in gated["hits"]}
    everything = client.get("/search.json?q=snöröjning&all=1").get_json()
    assert GENERAL_URL in {h["url"] for h in everything["hits"]}
    assert everything["total"] == gated["total"] + 1
    html = client.get("/?q=snöröjning&lang=sv").get_data(as_text=True)
    assert 'href="/search?q=sn%C3%B6r%C3%B6jning&amp;all=1"' in html
    assert "Visa även allmänna nyheter" in html
    on = client.get("/?q=snöröjning&all=1&topic=construction&lang=en").get_data(as_text=True)
    assert "General news included" in on and "Show procurement news only" in on
    assert on.count('class="badge general"') == 1  # the general-news hit is marked
    # the switch is carried by the chips, the facets and the form
    assert 'href="/search?q=sn%C3%B6r%C3%B6jning&amp;all=1"' in on  # chip removing the topic
    assert '<input type="hidden" name="all" value="1">' in on
    # trends, events and feeds are gated the same way
    for path in ("/api/v1/trends?q=snöröjning", "/trends.json?q=snöröjning"):
        assert sum(client.get(path).get_json()["total"]) == gated["total"]
        assert sum(client.get(path + "&all=1").get_json()["total"]) == gated["total"] + 1
    feed = feedparser.parse(client.get("/feed.atom?q=snöröjning").data)
    assert GENERAL_URL not in {e.link for e in feed.entries}
    assert client.get("/?all=2").status_code == 400


def test_article_page_shows_relevance_and_roles(client: FlaskClient) -> None:
    html = client.get("/a/" + article_id(AWARD_URL) + "?lang=en").get_data(as_text=True)
    assert "Procurement news" in html and "“tilldelat”" in html and "score 0.91" in html
    assert "Supplier" in html and "Buyer" in html
    general = client.get("/a/" + article_id(GENERAL_URL) + "?lang=sv").get_data(as_text=True)
    assert "Nej – allmän nyhet" in general
    full = client.get("/api/v1/articles/" + article_id(AWARD_URL)).get_json()
    assert full["relevant"] is True and full["relevance_evidence"][0] == "upphandlingen"


def test_elasticsearch_down_is_503(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = Settings(
        {
            "data_dir": str(tmp_path / "d"),
            "search": {"backend": "elasticsearch", "elasticsearch.url": f"http://127.0.0.1:{port}"},
        }
    )
    client = create_app({"TESTING": True}, settings=settings).test_client()
    page = client.get("/?q=x&lang=en")
    assert page.status_code == 503 and "temporarily unavailable" in page.get_data(as_text=True)
    api = client.get("/api/v1/search?q=x")
    assert api.status_code == 503 and json.loads(api.data)["status"] == 503


def test_api_rate_limited(settings: Settings) -> None:
    app = create_app({"TESTING": True, "API_RATE_LIMIT": "3 per minute"}, settings=settings)
    client = app.test_client()
    codes = [client.get("/api/v1/sources").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429


def test_follow_link_only_when_enabled(settings: Settings, client: FlaskClient) -> None:
    assert "/follow?" not in client.get("/?q=upphandling").get_data(as_text=True)
    app = create_app({"TESTING": True, "FOLLOW_ENABLED": True}, settings=settings)
    html = app.test_client().get("/?q=upphandling&topic=legal").get_data(as_text=True)
    assert 'href="/follow?q=upphandling&amp;topic=legal"' in html
    events = app.test_client().get("/events?q=upphandling&all=1").get_data(as_text=True)
    assert 'href="/follow?q=upphandling&amp;all=1"' in events


def test_organisations_filtered_by_role(client: FlaskClient) -> None:
    rows = client.get("/orgs.json").get_json()["items"]
    assert {"Plogbolaget AB", "Ekbacka kommun"} <= {r["name"] for r in rows}
    suppliers = client.get("/api/v1/organisations?role=supplier").get_json()["items"]
    assert [r["name"] for r in suppliers] == ["Plogbolaget AB"]
    html = client.get("/orgs?role=buyer&lang=en").get_data(as_text=True)
    assert "Ekbacka kommun" in html and "Plogbolaget AB" not in html
    assert 'aria-current="true">Buyer<' in html
    assert client.get("/orgs?role=king").status_code == 400


def test_an_undated_article_shows_when_it_was_first_seen(client: FlaskClient) -> None:
    page = client.get("/?q=städtjänster+Kvarnby&lang=en").get_data(as_text=True)
    assert "First seen" in page
    hit = next(
        h
        for h in client.get("/search.json?q=städtjänster+Kvarnby").get_json()["hits"]
        if h["url"].endswith("/leverantorstraff-utan-datum/")
    )
    assert hit["published"] is None and hit["first_seen"]
    from search_app.params import article_id

    article = client.get(f"/a/{article_id(hit['url'])}?lang=sv").get_data(as_text=True)
    assert "Först sedd" in article


def test_each_request_gets_its_own_languages_strings(app: Flask) -> None:
    # The catalogue is looked up once per request: consecutive requests in other
    # languages must not see the previous one's.
    client = app.test_client()
    for lang, word in [("en", "Search tips"), ("sv", "Söktips"), ("en", "Search tips")]:
        html = app.test_client().get(f"/?lang={lang}").get_data(as_text=True)
        assert word in html, lang
    assert "Search tips" not in client.get("/", headers={"Accept-Language": "da"}).get_data(
        as_text=True
    )


def test_few_full_matches_then_all_but_one_word_get_a_note(tmp_path: Path) -> None:
    from procradar.core.models import Article
    from tests.web_corpus import stored_and_indexed

    texts = {"e1": "plimf grunk vosk", "e2": "plimf grunk", "e3": "grunk vosk", "e4": "plimf"}
    settings = stored_and_indexed(
        tmp_path / "data",
        (
            Article(url=f"https://few.test/{k}", title=f"Nyhet {k}", language="sv", text=t)
            for k, t in texts.items()
        ),
    )
    client = create_app({"API_RATE_LIMIT": ""}, settings=settings).test_client()
    html = client.get("/?q=plimf+grunk+vosk&lang=en&all=1").get_data(as_text=True)
    assert "Only 1 article has all the words; the ones after it lack one of them." in html
    sv = client.get("/?q=plimf+grunk+vosk&lang=sv&all=1").get_data(as_text=True)
    assert "Bara 1 artikel har alla orden" in sv
    data = client.get("/search.json?q=plimf+grunk+vosk&all=1").get_json()
    assert data["partial"] == 2 and data["total"] == 3
    # One word that three articles have: nothing follows, no note.
    plain = client.get("/?q=grunk&lang=en&all=1").get_data(as_text=True)
    assert "have all the words" not in plain and "has all the words" not in plain
