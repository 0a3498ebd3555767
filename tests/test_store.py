"""The store's behaviour, each test on SQLite and on a real PostgreSQL server (pg_fixtures)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from procradar.core.models import Amount, Article, Event, Organization
from procradar.core.schema import metadata
from procradar.core.store import MIGRATIONS, Page, Store

pytest_plugins = ["tests.pg_fixtures"]


def test_migrations_create_every_table_and_match_the_schema(store_url: str) -> None:
    store = Store(store_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        version = conn.exec_driver_sql("select version_num from alembic_version").scalars().all()
        tables = set(inspect(conn).get_table_names())
    store.close()
    assert diff == []
    assert set(metadata.tables) <= tables
    assert len(version) == 1


def _alembic(store_url: str, action: str, revision: str) -> None:
    engine = create_engine(store_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, revision)
    engine.dispose()


def test_migrations_step_by_step_keep_data_and_go_back_down(store_url: str) -> None:
    _alembic(store_url, "upgrade", "0001")  # a store made by the first release
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(
            text("insert into pages (url, source, is_article, etag) values (:u, 'a', :t, 'e1')"),
            {"u": "https://a.se/gammal", "t": True},
        )
    engine.dispose()
    store = Store(store_url)  # opening upgrades it to the newest revision in place
    state = store.page_state("https://a.se/gammal")
    assert state is not None and state.etag == "e1" and state.is_article is True
    store.save_page(Page(url="https://a.se/ny", source="a", body=b"<p>ny</p>"))
    assert store.page_count() == 2
    store.close()
    _alembic(store_url, "downgrade", "base")
    engine = create_engine(store_url)
    with engine.connect() as conn:
        left = set(inspect(conn).get_table_names()) & set(metadata.tables)
    engine.dispose()
    assert left == set()


def test_migrate_again_is_a_no_op(store_url: str) -> None:
    Store(store_url).close()
    store = Store(store_url)  # an up-to-date store opens without touching the schema
    store.migrate()
    assert store.article_count() == 0 and store.page_count() == 0
    store.close()


def test_article_roundtrip_and_idempotent_upsert(store_url: str) -> None:
    store = Store(store_url)
    article = Article(
        url="https://example.se/a",
        title="Klimatkrav",
        published="2026-03-01",
        language="sv",
        topics=["climate_environment"],
        organizations=[Organization("Region Skåne", "region", "SE")],
        amounts=[Amount(1.2e9, "SEK", "1,2 miljarder kronor")],
        events=[Event("2026-04-02", place="Malmö", title="Leverantörsdag")],
        summary="Regionen skärper kraven — «ÆØÅ» och emoji 🚲 överlever.",
        source="x",
        enrichment_version="v1",
    )
    assert store.upsert_article(article, content_hash="h1") == "new"
    assert store.upsert_article(article, content_hash="h1") == "unchanged"
    article.title = "Nya klimatkrav"
    assert store.upsert_article(article, content_hash="h2") == "updated"
    assert store.article_count() == 1
    assert store.get_article(article.url) == article
    assert store.get_article("https://example.se/missing") is None
    store.close()


PRESS_RELEASE = (
    "Region Skåne ställer nya klimatkrav i upphandlingen av kollektivtrafik från 2027. "
    "Leverantörerna ska redovisa utsläpp per fordonskilometer och byta till fossilfria "
    "bränslen inom tre år, annars dras ersättningen ned enligt avtalet."
)


def test_near_duplicate_texts_link_stories(store_url: str) -> None:
    store = Store(store_url)
    store.upsert_article(Article(url="https://a.se/1", text=PRESS_RELEASE, source="a"))
    store.upsert_article(
        Article(url="https://b.se/1", text=PRESS_RELEASE + " Källa: TT.", source="b")
    )
    other = "Oslo kommune kjøper inn elektriske ferjer for hundre millioner kroner i år og neste."
    store.upsert_article(Article(url="https://c.no/1", text=other * 2, source="c"))
    assert store.duplicate_urls() == ["https://b.se/1"]
    stories = list(store.iter_articles(stories_only=True))
    assert sorted(a.url for a in stories) == ["https://a.se/1", "https://c.no/1"]
    first = next(a for a in stories if a.url == "https://a.se/1")
    assert first.links == ["https://b.se/1"]
    assert store.get_article("https://b.se/1").links == ["https://a.se/1"]  # type: ignore[union-attr]
    # an update keeps the story it joined, even when its text moves on
    store.upsert_article(Article(url="https://b.se/1", text=other, source="b", title="x"))
    assert store.duplicate_urls() == ["https://b.se/1"]
    store.close()


def test_a_batch_of_articles_is_written_as_one_call_per_article_would(store_url: str) -> None:
    store = Store(store_url)
    other = "Oslo kommune kjøper inn elektriske ferjer for hundre millioner kroner i år og neste."
    outcomes = store.upsert_articles(
        [
            (Article(url="https://a.se/1", text=PRESS_RELEASE, source="a"), "h1"),
            # a copy of the first, in the same batch: linked to it
            (Article(url="https://b.se/1", text=PRESS_RELEASE + " Källa: TT.", source="b"), "h2"),
            (Article(url="https://c.no/1", text=other * 2, source="c"), "h3"),
            # the same URL again later in the batch: sees the row written before it
            (Article(url="https://c.no/1", text=other * 2, source="c"), "h4"),
            (Article(url="https://c.no/1", text=other * 3, source="c"), "h5"),
        ]
    )
    assert outcomes == ["new", "new", "new", "unchanged", "updated"]
    assert store.duplicate_urls() == ["https://b.se/1"]
    assert store.get_article("https://a.se/1").links == ["https://b.se/1"]  # type: ignore[union-attr]
    assert store.upsert_articles([]) == []
    assert store.pages_to_enrich("v1", 10) == []  # no pages, only articles
    store.close()


def test_stored_json_is_the_articles_dict(store_url: str) -> None:
    article = Article(
        url="https://a.se/2",
        title="Ny upphandling",
        text=PRESS_RELEASE,
        organizations=[Organization("Region Skåne", "region", "SE", role="buyer")],
        amounts=[Amount(value=1.2e9, currency="SEK", text="1,2 miljarder kronor")],
        events=[Event(date="2026-03-12", place="Malmö", title="Leverantörsdialog")],
        topic_scores={"climate": {"score": 0.8, "evidence": ["klimatkrav"]}},
        passages=[{"start": 0, "end": 10, "language": "sv"}],
    )
    store = Store(store_url)
    store.upsert_article(article)
    with store.engine.connect() as conn:
        data = conn.execute(text("select data from articles")).scalar_one()
    store.close()
    assert data == json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True)


def test_iter_articles_orders_and_filters(store_url: str) -> None:
    store = Store(store_url)
    for url, published in [("https://a.se/old", "2025-01-01"), ("https://a.se/new", "2026-06-01")]:
        store.upsert_article(Article(url=url, published=published, source="a"))
    assert [a.url for a in store.iter_articles()] == ["https://a.se/new", "https://a.se/old"]
    assert len(list(store.iter_articles(unindexed_only=True))) == 2
    store.mark_indexed(["https://a.se/old"])
    assert [a.url for a in store.iter_articles(unindexed_only=True)] == ["https://a.se/new"]
    store.mark_indexed([])
    # a changed article must be indexed again
    store.upsert_article(Article(url="https://a.se/old", published="2025-01-01", title="t"))
    assert len(list(store.iter_articles(unindexed_only=True))) == 2
    store.close()


def test_outdated_urls_by_enrichment_version(store_url: str) -> None:
    store = Store(store_url)
    store.upsert_article(Article(url="https://a.se/1", enrichment_version="v1"))
    store.upsert_article(Article(url="https://a.se/2", enrichment_version="v2"))
    store.upsert_article(Article(url="https://a.se/3"))
    assert store.outdated_urls("v2") == {"https://a.se/1", "https://a.se/3"}
    assert store.outdated_urls("v1") == {"https://a.se/2", "https://a.se/3"}
    store.close()


def test_mark_indexed_in_batches(store_url: str) -> None:
    store = Store(store_url)
    urls = [f"https://a.se/{i}" for i in range(503)]  # more than one batch of 500
    for url in urls:
        store.upsert_article(Article(url=url))
    store.mark_indexed(urls[:501])
    assert [a.url for a in store.iter_articles(unindexed_only=True)] == sorted(urls[501:])
    store.close()


def test_pages_are_compressed_and_survive_reopen(store_url: str) -> None:
    store = Store(store_url)
    body = ("<p>upphandling</p>" * 1000).encode()
    store.save_page(Page(url="https://a.se/1", source="a", body=body, is_article=True, etag='"x"'))
    store.close()
    again = Store(store_url)
    pages = list(again.iter_pages())
    assert pages[0].body == body and again.page_state("https://a.se/1").etag == '"x"'  # type: ignore[union-attr]
    with again.engine.connect() as conn:
        raw = conn.exec_driver_sql("select length(raw) from pages").scalar_one()
    assert raw < len(body) / 10
    again.close()


def test_page_roundtrip_upsert_and_state(store_url: str) -> None:
    store = Store(store_url)
    fetched = datetime(2026, 11, 30, 8, 15, 0, tzinfo=UTC)
    page = Page(
        url="https://a.se/nyhet",
        source="a",
        body="<h1>Ny upphandling i Tromsø</h1>".encode(),
        final_url="https://a.se/nyhet?x=1",
        status=200,
        content_type="text/html; charset=utf-8",
        etag='W/"1"',
        last_modified="Mon, 30 Nov 2026 08:00:00 GMT",
        content_hash="c1",
        is_article=True,
        fetched_at=fetched,
    )
    store.save_page(page)
    store.save_page(Page(url="https://a.se/", source="a", body=b"<a href=nyhet>", status=200))
    store.save_page(Page(url="https://b.se/", source="b", body=b"", status=404))
    assert store.page_count() == 3
    (loaded,) = store.iter_pages()
    assert loaded.fetched_at is not None and loaded.fetched_at.utcoffset() in (None, timedelta(0))
    assert _as_utc(loaded.fetched_at) == fetched
    loaded.fetched_at = fetched
    assert loaded == page and loaded.html.startswith("<h1>Ny upphandling i Tromsø")
    assert sorted(p.url for p in store.iter_pages(articles_only=False)) == [
        "https://a.se/",
        "https://a.se/nyhet",
        "https://b.se/",
    ]
    states = store.page_states("a")
    assert set(states) == {"https://a.se/", "https://a.se/nyhet"}
    assert states["https://a.se/nyhet"].is_article is True
    assert states["https://a.se/"].is_article is False
    assert store.page_state("https://nowhere.se/") is None
    # saving again replaces the row: a page that stopped being an article says so
    store.save_page(Page(url="https://a.se/nyhet", source="a", body=b"<p>borta</p>", etag='W/"2"'))
    state = store.page_state("https://a.se/nyhet")
    assert state is not None and state.etag == 'W/"2"' and state.is_article is False
    assert store.page_count() == 3 and list(store.iter_pages()) == []
    store.close()


def test_touch_page_moves_checked_at_only(store_url: str) -> None:
    store = Store(store_url)
    store.save_page(Page(url="https://a.se/1", source="a", body=b"x", etag='"e"'))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("update pages set checked_at = fetched_at")
    store.touch_page("https://a.se/1")
    with store.engine.connect() as conn:
        fetched, checked = conn.exec_driver_sql("select fetched_at, checked_at from pages").one()
    assert checked > fetched
    assert store.page_state("https://a.se/1").etag == '"e"'  # type: ignore[union-attr]
    store.close()


def test_crawl_runs_roundtrip_newest_first(store_url: str) -> None:
    store = Store(store_url)
    start = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    for n in range(3):
        store.record_run(
            "a",
            {
                "started_at": start + timedelta(hours=n),
                "finished_at": start + timedelta(hours=n, minutes=5),
                "requests": 10 + n,
                "bytes": 123_456_789,
                "pages": n,
                "not_modified": 1,
                "new_articles": n,
                "updated_articles": 0,
                "errors": [{"url": f"https://a.se/{n}", "error": "HTTP 500 — försök igen"}],
                "discovery": {"feeds": ["https://a.se/rss"]},
                "not_a_column": "ignored",
            },
        )
    store.record_run("b", {"requests": 1, "errors": "[]"})
    runs = store.runs("a")
    assert [r["requests"] for r in runs] == [12, 11, 10]
    assert runs[0]["errors"] == [{"url": "https://a.se/2", "error": "HTTP 500 — försök igen"}]
    assert runs[0]["discovery"] == {"feeds": ["https://a.se/rss"]}
    assert runs[0]["bytes"] == 123_456_789
    assert _as_utc(runs[0]["finished_at"]) == start + timedelta(hours=2, minutes=5)
    # in UTC whatever the database server's time zone (the test server runs on Stockholm time)
    assert runs[0]["finished_at"].utcoffset() in (None, timedelta(0))
    assert len(store.runs()) == 4 and len(store.runs(limit=2)) == 2
    assert store.runs("b")[0]["discovery"] == [] and store.runs("nobody") == []
    store.close()


def _as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC, PostgreSQL an aware time: compare instants."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
