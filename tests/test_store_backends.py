"""The store under concurrent writers, on SQLite and on a real PostgreSQL server.

A crawl-like writer (pages, then their articles) and an ingest-like writer (page and article
per document) run as two processes at once against one store. Some URLs reach the store by
both paths, and some texts are near-duplicates of each other across the two writers, so the
writers contend for the same rows and the same stories. Nothing may be lost or doubled.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from procradar.core.models import Article
from procradar.core.schema import article_bands, articles, pages
from procradar.core.store import Page, Store
from rigs.pgserver import PgServer, PgServerError, find_bindir

pytest_plugins = ["tests.pg_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
UNIQUE = 80  # articles only one writer stores, per writer
SHARED = 30  # URLs both writers store with the same article
PAIRS = 20  # near-duplicate texts, one copy from each writer
NON_ARTICLES = 30  # listing pages the crawl writer stores as well


def _words(seed: int, count: int = 40) -> str:
    """A text no other seed shares shingles with (random words from a large vocabulary)."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "ya", "zo", "bå", "dø", "fä"]
    return " ".join("".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(count))


def plan(role: str) -> list[tuple[str, str, str]]:
    """(url, source, text) in the order the writer stores them, contested items interleaved."""
    base = 0 if role == "crawl" else 10**6
    items = []
    for i in range(max(UNIQUE, SHARED, PAIRS)):
        if i < UNIQUE:
            items.append((f"https://{role}.example/u{i}", role, _words(base + i)))
        if i < SHARED:
            items.append((f"https://shared.example/s{i}", "shared", _words(10**9 + i)))
        if i < PAIRS:
            text = _words(2 * 10**9 + i) + (" tt" if role == "ingest" else "")
            items.append((f"https://{role}.example/d{i}", role, text))
    return items


def run_writer(role: str, url: str, go_file: str) -> None:
    """One writer process: say ready, wait for the start signal, write, report outcomes."""
    store = Store(url)
    todo = plan(role)
    print("ready", flush=True)
    while not Path(go_file).exists():
        time.sleep(0.005)
    outcomes = {"new": 0, "updated": 0, "unchanged": 0, "pages": 0}
    for n, (page_url, source, text) in enumerate(todo):
        body = f"<article><p>{text}</p></article>".encode()
        store.save_page(Page(url=page_url, source=source, body=body, is_article=True))
        outcomes["pages"] += 1
        if role == "crawl" and n < NON_ARTICLES:
            store.save_page(
                Page(url=f"https://crawl.example/list{n}", source="crawl", body=b"<ul>")
            )
            outcomes["pages"] += 1
        article = Article(url=page_url, title=text[:30], text=text, source=source)
        outcomes[store.upsert_article(article)] += 1
    store.close()
    print(json.dumps(outcomes), flush=True)


def run_opener(url: str, go_file: str) -> None:
    """Open (and so migrate) a store at the start signal."""
    print("ready", flush=True)
    while not Path(go_file).exists():
        time.sleep(0.005)
    store = Store(url)
    print(store.article_count(), flush=True)
    store.close()


def _start(role: str, url: str, go_file: Path) -> subprocess.Popen[str]:
    func = "run_opener" if role == "opener" else "run_writer"
    args = [url, str(go_file)] if role == "opener" else [role, url, str(go_file)]
    code = f"import sys; from tests.test_store_backends import {func}; {func}(*sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_crawl_and_an_ingest_at_once_lose_and_double_nothing(
    store_url: str, tmp_path: Path
) -> None:
    Store(store_url).close()  # migrated once, as `procradar` does before starting stages
    go = tmp_path / "go"
    writers = {role: _start(role, store_url, go) for role in ("crawl", "ingest")}
    for proc in writers.values():
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    outcomes = {}
    for role, proc in writers.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{role} writer failed:\n{err}"
        outcomes[role] = json.loads(out.strip().splitlines()[-1])

    store = Store(store_url)
    expected_articles = 2 * UNIQUE + SHARED + 2 * PAIRS
    new = sum(o["new"] for o in outcomes.values())
    unchanged = sum(o["unchanged"] for o in outcomes.values())
    print(f"\n{store.engine.dialect.name}: {outcomes}")
    # every URL stored once, whichever writer got there first; the other saw it unchanged
    assert store.article_count() == expected_articles == new
    assert unchanged == SHARED and sum(o["updated"] for o in outcomes.values()) == 0
    assert store.page_count() == expected_articles + NON_ARTICLES
    assert sum(o["pages"] for o in outcomes.values()) == store.page_count() + SHARED
    # every article reads back with the text its writer gave it
    for role in ("crawl", "ingest"):
        for url, _source, text in plan(role):
            stored = store.get_article(url)
            assert stored is not None and stored.text == text, url
    # each near-duplicate pair became one story, whichever copy came first
    duplicates = set(store.duplicate_urls())
    assert len(duplicates) == PAIRS
    for i in range(PAIRS):
        pair = {f"https://crawl.example/d{i}", f"https://ingest.example/d{i}"}
        assert len(pair & duplicates) == 1, pair
        (copy,) = pair & duplicates
        assert store.get_article(copy).links == sorted(pair - {copy})  # type: ignore[union-attr]
    with store.engine.connect() as conn:
        banded = conn.execute(select(func.count(func.distinct(article_bands.c.url)))).scalar()
        orphans = conn.execute(
            select(func.count())
            .select_from(article_bands.outerjoin(articles, articles.c.url == article_bands.c.url))
            .where(articles.c.url.is_(None))
        ).scalar()
        hashes = conn.execute(
            select(func.count()).select_from(pages).where(pages.c.content_hash.is_(None))
        ).scalar()
    assert banded == expected_articles and orphans == 0 and hashes == 0
    store.close()


def test_processes_opening_a_fresh_store_at_once_all_migrate_it(
    store_url: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    openers = [_start("opener", store_url, go) for _ in range(4)]
    for proc in openers:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    for proc in openers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.strip() == "0", err
    store = Store(store_url)
    with store.engine.connect() as conn:
        versions = conn.exec_driver_sql("select version_num from alembic_version").all()
    assert len(versions) == 1
    store.close()


def test_the_server_rig_listens_on_loopback_and_cleans_up(pg_server: PgServer) -> None:
    server = PgServer().start()  # a second one next to the session's: ports do not clash
    base = server.base
    assert base is not None and server.port != pg_server.port
    with psycopg.connect(server.url(driver="postgresql")) as conn:
        listen = conn.execute("show listen_addresses").fetchone()
        sockets = conn.execute("show unix_socket_directories").fetchone()
    assert listen == ("127.0.0.1",) and sockets == (str(base / "sock"),)
    url = server.create_database("scratch")
    Store(url).close()
    server.drop_database("scratch")
    server.stop()
    assert not base.exists() and server.proc is None


def test_missing_postgresql_is_an_error_that_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCRADAR_PG_BINDIR", str(tmp_path))
    with pytest.raises(PgServerError, match=r"scripts/test-deps\.sh.*postgresql"):
        find_bindir()


def test_a_bare_postgresql_url_uses_psycopg_3(pg_url: str) -> None:
    bare = pg_url.replace("postgresql+psycopg://", "postgresql://")
    assert bare != pg_url
    store = Store(bare)
    assert store.engine.dialect.driver == "psycopg"
    store.upsert_article(Article(url="https://a.se/1", title="Upphandling"))
    assert store.get_article("https://a.se/1").title == "Upphandling"  # type: ignore[union-attr]
    store.close()
