from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from procradar.core.models import Amount, Article, Organization
from procradar.core.schema import metadata
from procradar.core.store import Page, Store


def make_store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'store.db'}")


def test_migrations_match_the_schema(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_article_roundtrip_and_idempotent_upsert(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    article = Article(
        url="https://example.se/a",
        title="Klimatkrav",
        published="2026-03-01",
        language="sv",
        topics=["climate_environment"],
        organizations=[Organization("Region Skåne", "region", "SE")],
        amounts=[Amount(1.2e9, "SEK", "1,2 miljarder kronor")],
        source="x",
    )
    assert store.upsert_article(article) == "new"
    assert store.upsert_article(article) == "unchanged"
    article.title = "Nya klimatkrav"
    assert store.upsert_article(article) == "updated"
    assert store.article_count() == 1
    loaded = store.get_article(article.url)
    assert loaded == article


def test_same_fingerprint_links_stories(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.upsert_article(Article(url="https://a.se/1", fingerprint="f", source="a"))
    store.upsert_article(Article(url="https://b.se/1", fingerprint="f", source="b"))
    assert store.duplicate_urls() == ["https://b.se/1"]
    stories = list(store.iter_articles(stories_only=True))
    assert [a.url for a in stories] == ["https://a.se/1"]
    assert stories[0].links == ["https://b.se/1"]


def test_pages_are_compressed_and_survive_reopen(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    body = ("<p>upphandling</p>" * 1000).encode()
    store.save_page(Page(url="https://a.se/1", source="a", body=body, is_article=True, etag='"x"'))
    store.close()
    again = make_store(tmp_path)
    pages = list(again.iter_pages())
    assert pages[0].body == body and again.page_state("https://a.se/1").etag == '"x"'  # type: ignore[union-attr]
    with again.engine.connect() as conn:
        raw = conn.exec_driver_sql("select length(raw) from pages").scalar_one()
    assert raw < len(body) / 10
