"""The web app's response cache over a real store and SQLite index: repeated answers come
from the cache, an index write invalidates them, per-user pages are never kept, ETags."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask

from procradar.core.index import open_index
from procradar.core.models import Article
from procradar.core.settings import Settings
from procradar.core.store import Store
from search_app import create_app
from search_app.params import article_id
from search_app.response_cache import CACHEABLE, stats
from tests.web_corpus import AWARD_URL, build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("webcache") / "data").data_dir


def _app(data_dir: Path, **web: object) -> Flask:
    settings = Settings({"data_dir": str(data_dir), "web": {"response_cache": web}})
    return create_app({"TESTING": True}, settings=settings)


@pytest.fixture
def data_dir(built: Path, tmp_path: Path) -> Path:
    """A copy per test: some tests write to the store and the index."""
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(built, copy)
    return copy


def test_second_request_is_served_from_the_cache(data_dir: Path) -> None:
    app = _app(data_dir)
    client = app.test_client()
    for path in ("/?q=upphandling", "/api/v1/search?q=upphandling", "/trends", "/events"):
        first = client.get(path)
        second = client.get(path)
        assert first.status_code == second.status_code == 200
        assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
        assert first.data == second.data
        assert first.headers["ETag"] == second.headers["ETag"]
        assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert stats(app)["hits"] == 4 and stats(app)["entries"] == 4


def test_an_index_write_changes_the_answer(data_dir: Path) -> None:
    app = _app(data_dir)
    client = app.test_client()
    page = f"/a/{article_id(AWARD_URL)}"
    before = client.get(page).get_data(as_text=True)
    store = Store.open(Settings({"data_dir": str(data_dir)}))
    try:
        old = store.get_article(AWARD_URL)
        assert old is not None
        renamed = replace(old, title="Snöröjningsavtalet tilldelat Kvarnbolaget")
        store.upsert_article(renamed)  # the store alone: no index write, no new generation
        cached = client.get(page)
        assert cached.headers["X-Cache"] == "hit"
        assert "Kvarnbolaget" not in cached.get_data(as_text=True)
        searched = client.get("/search.json?q=kvarnbolaget").get_json()
        assert searched["total"] == 0
        index = open_index(Settings({"data_dir": str(data_dir)}))
        try:  # as `ingest` in another process would: a write through its own index object
            index.index([renamed])
        finally:
            index.close()
    finally:
        store.close()
    fresh = client.get(page)
    assert fresh.headers["X-Cache"] == "miss"
    assert "Kvarnbolaget" in fresh.get_data(as_text=True) and fresh.data != before.encode()
    assert client.get("/search.json?q=kvarnbolaget").get_json()["total"] == 1


def test_pages_with_a_csrf_form_are_never_kept(data_dir: Path) -> None:
    from digests.web import init_app as follow_pages

    # Even with the subscription pages' blueprint allowed, a page that rendered a CSRF
    # token (and set the session cookie) is not kept: each visitor gets their own token.
    settings = Settings({"data_dir": str(data_dir)})
    app = create_app(
        {"TESTING": True, "RESPONSE_CACHE_BLUEPRINTS": CACHEABLE | {"digests"}},
        settings=settings,
    )
    follow_pages(app)
    tokens = []
    for _ in range(2):
        answer = app.test_client().get("/follow?q=upphandling")  # a new visitor each time
        assert answer.status_code == 200
        assert answer.headers["X-Cache"] == "miss"
        found = re.search(r'name="csrf_token" value="([^"]+)"', answer.get_data(as_text=True))
        assert found
        tokens.append(found.group(1))
    assert tokens[0] != tokens[1]
    assert stats(app)["entries"] == 0


def test_etag_answers_304(data_dir: Path) -> None:
    client = _app(data_dir).test_client()
    first = client.get("/api/v1/facets")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/facets", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/api/v1/facets", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data


def test_language_cookie_and_other_cookies(data_dir: Path) -> None:
    app = _app(data_dir)
    client = app.test_client()
    swedish = client.get("/trends")
    client.set_cookie("ui_lang", "en")
    english = client.get("/trends")
    assert english.headers["X-Cache"] == "miss" and english.data != swedish.data
    assert client.get("/trends").headers["X-Cache"] == "hit"
    client.set_cookie("session", "someone")  # a session: maybe per-user content
    assert "X-Cache" not in client.get("/trends").headers
    switched = app.test_client().get("/trends?lang=nb")  # sets the language cookie
    assert "Set-Cookie" in switched.headers
    assert app.test_client().get("/trends?lang=nb").headers["X-Cache"] == "miss"


def test_bounded_and_can_be_turned_off(data_dir: Path) -> None:
    small = _app(data_dir, entries=2, shared=False).test_client()
    for q in ("a", "b", "c"):
        small.get(f"/api/v1/search?q={q}")
    assert small.get("/api/v1/search?q=a").headers["X-Cache"] == "miss"  # dropped first
    assert small.get("/api/v1/search?q=c").headers["X-Cache"] == "hit"
    off = _app(data_dir, entries=0).test_client()
    assert "X-Cache" not in off.get("/api/v1/search?q=a").headers
    assert "X-Cache" not in off.get("/api/v1/search?q=a").headers


def test_new_article_appears_after_ingest_like_write(data_dir: Path) -> None:
    client = _app(data_dir).test_client()
    assert client.get("/search.json?q=isbrytare").get_json()["total"] == 0
    assert client.get("/search.json?q=isbrytare").headers["X-Cache"] == "hit"
    article = Article(
        url="https://gen.test/sv/isbrytare",
        title="Ny upphandling av isbrytare",
        published="2026-11-30",
        language="sv",
        kind="news",
        summary="Sjöfartsverket upphandlar en isbrytare.",
        text="Sjöfartsverket upphandlar en ny isbrytare för Bottenviken.",
    )
    index = open_index(Settings({"data_dir": str(data_dir)}))
    try:
        index.index([article])
    finally:
        index.close()
    assert client.get("/search.json?q=isbrytare").get_json()["total"] == 1


def test_workers_of_one_data_dir_share_their_answers(data_dir: Path) -> None:
    # Two apps stand for two server processes: what one computed, the other answers.
    first, second = _app(data_dir).test_client(), _app(data_dir).test_client()
    assert first.get("/api/v1/search?q=upphandling").headers["X-Cache"] == "miss"
    again = second.get("/api/v1/search?q=upphandling")
    assert again.headers["X-Cache"] == "hit"
    assert again.get_json() == first.get("/api/v1/search?q=upphandling").get_json()
    # Its own copy now: answered even with the file gone.
    (data_dir / "response-cache.sqlite").unlink()
    assert second.get("/api/v1/search?q=upphandling").headers["X-Cache"] == "hit"
    alone = _app(data_dir, shared=False).test_client()
    assert alone.get("/api/v1/search?q=dialog").headers["X-Cache"] == "miss"
    assert (
        _app(data_dir, shared=False).test_client().get("/api/v1/search?q=dialog").headers["X-Cache"]
        == "miss"
    )


def test_shared_file_keeps_to_its_bounds(tmp_path: Path) -> None:
    import time

    from search_app.response_cache import Entry
    from search_app.shared_cache import SharedCache

    cache = SharedCache(tmp_path / "c.sqlite", entries=5, max_bytes=10_000, seconds=60)
    for i in range(12):
        cache.put(("u", str(i)), Entry(200, [("A", "b")], b"x" * 100, "e", time.time()))
    cache.put(("old",), Entry(200, [], b"y", "e", time.time() - 120))
    assert cache.get(("old",)) is None  # expired
    cache.trim()
    kept = [i for i in range(12) if cache.get(("u", str(i))) is not None]
    assert kept == list(range(7, 12))  # the newest five
    got = cache.get(("u", "11"))
    assert got is not None and got.headers == [("A", "b")] and got.body == b"x" * 100
    cache.close()


def test_unwritable_shared_file_leaves_each_process_its_own(data_dir: Path) -> None:
    (data_dir / "response-cache.sqlite").mkdir()  # not a database: the file cannot be used
    client = _app(data_dir).test_client()
    assert client.get("/api/v1/search?q=upphandling").headers["X-Cache"] == "miss"
    assert client.get("/api/v1/search?q=upphandling").headers["X-Cache"] == "hit"
