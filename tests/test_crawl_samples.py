"""Crawl every sample site twice with the real Scrapy engine and check the store against
the truth files: recall, no boilerplate pages, titles, dates, duplicates, robots.txt, and an
incremental second crawl."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from protego import Protego

from procradar.core.index import open_index
from procradar.core.settings import Settings
from procradar.core.store import Store
from procradar.stages.crawlrun import crawl_enrich_index
from procradar.stages.samplesites import SITES_DIR, SampleSites, serving

FAST = {"crawl.download_delay": 0, "crawl.autothrottle": False, "crawl.progress_interval": 1}


@dataclass
class Crawled:
    sites: SampleSites
    settings: Settings
    store: Store
    first: dict[str, dict[str, Any]]
    second: dict[str, dict[str, Any]]
    seconds: tuple[float, float]
    paths: dict[str, list[str]]  # site -> every path requested in both crawls
    not_modified: dict[str, int]  # site -> 304 answers in the second crawl
    progress: list[str]


def truth() -> list[dict[str, Any]]:
    out = []
    for file in sorted(SITES_DIR.glob("*/truth.json")):
        out += json.loads(file.read_text(encoding="utf-8"))
    return out


def key(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    """Two crawls of the sample sites, each with the enrichment pool (2 workers) and the
    index sync running at the same time."""
    settings = Settings({"data_dir": str(tmp_path_factory.mktemp("samples")), **FAST})
    progress: list[str] = []
    store, index = Store.open(settings), open_index(settings)

    def stages(sites: SampleSites) -> dict[str, dict[str, Any]]:
        result = crawl_enrich_index(
            settings, store, index, sites.sources(), progress=progress.append, workers=2
        )
        assert result.enrich.failed == []
        return result.crawl

    with serving() as sites:
        started = time.perf_counter()
        first = stages(sites)
        middle = time.perf_counter()
        paths = {sid: list(site.stats.paths) for sid, site in sites.sites.items()}
        sites.reset_stats()
        second = stages(sites)
        end = time.perf_counter()
        for sid, site in sites.sites.items():
            paths[sid] += site.stats.paths
        not_modified = {sid: site.stats.not_modified for sid, site in sites.sites.items()}
        yield Crawled(
            sites, settings, store, first, second, (middle - started, end - middle),
            paths, not_modified, progress,
        )  # fmt: skip
        store.close()


def stored(crawled: Crawled) -> dict[tuple[str, str], Any]:
    return {(a.source, key(a.url)): a for a in crawled.store.iter_articles()}


def test_every_truth_article_is_stored_once_with_title_and_date(crawled: Crawled) -> None:
    """Recall 100% with crawl, enrichment pool and index running concurrently."""
    articles = stored(crawled)
    expected = truth()
    missing = [(t["site"], t["path"]) for t in expected if (t["site"], t["path"]) not in articles]
    assert not missing, f"recall {1 - len(missing) / len(expected):.0%}, missing {missing}"
    assert len(articles) == crawled.store.article_count() == len(expected)
    assert open_index(crawled.settings).count() == len(expected)  # indexed as well
    for t in expected:
        article = articles[(t["site"], t["path"])]
        assert article.title == t["title"], t["path"]
        if t["published"]:
            assert article.published == t["published"], t["path"]
    print(f"\nrecall 100% ({len(expected)} truth articles), titles and dates right")


def test_no_listing_tag_or_boilerplate_page_is_an_article(crawled: Crawled) -> None:
    articles = stored(crawled)
    truth_keys = {(t["site"], t["path"]) for t in truth()}
    assert set(articles) <= truth_keys, set(articles) - truth_keys
    for config_file in SITES_DIR.glob("*/site.yaml"):
        config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
        for path in config.get("not_articles") or []:
            assert (config["id"], path) not in articles, path


def test_duplicates_across_sites_become_one_story(crawled: Crawled) -> None:
    duplicates = [t for t in truth() if t.get("duplicate_of")]
    assert duplicates, "the sample sites should hold at least one republished press release"
    for t in duplicates:
        other_site, other_path = t["duplicate_of"].split(":", 1)
        copy = crawled.sites.url(t["site"], t["path"])
        original = crawled.sites.url(other_site, other_path)
        article = crawled.store.get_article(copy)
        assert article is not None and original in article.links
    assert len(crawled.store.duplicate_urls()) == len(duplicates)


def test_robots_disallowed_paths_are_never_requested(crawled: Crawled) -> None:
    for site_id, site in crawled.sites.sites.items():
        robots_file = site.root / "robots.txt"
        if not robots_file.is_file():
            continue
        rules = Protego.parse(robots_file.read_text(encoding="utf-8"))
        agent = crawled.settings["crawl.user_agent"]
        refused = [p for p in crawled.paths[site_id] if not rules.can_fetch(p, agent)]
        assert not refused, f"{site_id}: {refused}"


def test_second_crawl_is_conditional_stores_nothing_and_is_fast(crawled: Crawled) -> None:
    first, second = crawled.first, crawled.second
    assert sum(s["new_articles"] for s in first.values()) == len(truth())
    assert all(s["new_articles"] == s["updated_articles"] == 0 for s in second.values())
    assert all(crawled.not_modified[sid] > 0 for sid in second), crawled.not_modified
    requests = [sum(s["requests"] for s in run.values()) for run in (first, second)]
    sizes = [sum(s["bytes"] for s in run.values()) for run in (first, second)]
    t1, t2 = crawled.seconds
    print(
        f"\nfirst crawl: {requests[0]} requests, {sizes[0] / 1000:.0f} kB, {t1:.1f} s; "
        f"second: {requests[1]} requests ({sum(crawled.not_modified.values())} answered 304), "
        f"{sizes[1] / 1000:.0f} kB, {t2:.1f} s"
    )
    assert sizes[1] < sizes[0] / 10


def test_runs_are_recorded_and_progress_is_logged(crawled: Crawled) -> None:
    for site_id in crawled.sites.sites:
        runs = crawled.store.runs(site_id)
        assert len(runs) == 2 and runs[0]["pages"] + runs[0]["not_modified"] > 0
        assert any(f"[{site_id}] done" in line for line in crawled.progress)
    log = (Path(crawled.settings.data_dir) / "logs" / "crawl.log").read_text(encoding="utf-8")
    assert log.count("] done pages=") == 2 * len(crawled.sites.sites)
    assert all(" [" in line and "=" in line for line in log.splitlines() if "] done" in line)
