"""Crawling at catalogue scale: the run/page budget, oldest-first rotation and backoff of
failing sources (procradar.core.crawlplan), and politeness per host on a real crawl of 30
loopback sites (rigs/sitefarm.py) checked from the server's request log; the time budget
(crawl.max_run_seconds, crawl.max_source_seconds) on a farm of slow sites."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crawlers.run import crawl
from procradar.cli.crawl import budget_summary
from procradar.core.crawlplan import health, plan, run_failed
from procradar.core.settings import Settings
from procradar.core.store import Store
from rigs.sitefarm import site_farm

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
DELAY = 0.4
FAILING = {3, 17, 25}
PAGES = 40  # articles per slow site


def _settings(tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        {
            "data_dir": str(tmp_path),
            "crawl.download_delay": DELAY,
            "crawl.concurrent_requests_per_domain": 2,
            "crawl.concurrent_sources": 10,
            "crawl.retry_times": 0,
            "crawl.download_timeout": 5,
            "crawl.progress_interval": 5,
            **extra,
        },
        environ={},
    )


def _run(hours_ago: float, pages: int = 3, errors: int = 0) -> dict[str, Any]:
    return {
        "finished_at": NOW - timedelta(hours=hours_ago),
        "pages": pages,
        "not_modified": 0,
        "errors": [{"url": "u", "error": "e"}] * errors,
    }


def test_plan_rotates_oldest_first_within_the_budget(tmp_path: Path) -> None:
    settings = _settings(tmp_path, **{"crawl.max_sources_per_run": 3})
    history = {"a": [_run(1)], "b": [_run(30)], "c": [], "d": [_run(5)], "e": [_run(2)]}
    sources = [{"id": i, "url": f"https://{i}.se/", "enabled": True} for i in history]
    sources.append({"id": "off", "url": "https://off.se/", "enabled": False})
    chosen = plan(sources, history.__getitem__, settings, now=NOW, catalogue_ids={"b", "c"})
    assert [s["id"] for s in chosen.chosen] == ["c", "b", "d"]  # never, then oldest
    assert chosen.over_budget == ["e", "a"]
    assert [s.get("max_pages") for s in chosen.chosen] == [50, 50, None]  # catalogue budget


def test_failing_sources_back_off_doubling_up_to_the_cap(tmp_path: Path) -> None:
    assert run_failed(_run(1, pages=0, errors=2)) and not run_failed(_run(1, pages=1, errors=2))
    one = health([_run(1, 0, 1), _run(9)], base_hours=6, max_hours=168)
    assert one.failures == 1 and one.backoff_until == NOW + timedelta(hours=5)
    three = health([_run(1, 0, 1)] * 3, base_hours=6, max_hours=168)
    assert three.backoff_until == NOW + timedelta(hours=23)  # 6 * 2**2 after the last run
    many = health([_run(1, 0, 1)] * 8, base_hours=6, max_hours=168)
    assert many.backoff_until == NOW + timedelta(hours=167)
    settings = _settings(tmp_path)
    history = {"ok": [_run(10)], "bad": [_run(1, 0, 1)], "was-bad": [_run(7, 0, 1)]}
    sources = [{"id": i, "url": f"https://{i}.se/", "enabled": True} for i in history]
    chosen = plan(sources, history.__getitem__, settings, now=NOW)
    assert [s["id"] for s in chosen.chosen] == ["ok", "was-bad"]  # was-bad: its 6 h are over
    assert [sid for sid, _ in chosen.backing_off] == ["bad"]


def test_thirty_sites_crawled_politely_and_failures_backed_off(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = Store.open(settings)
    with site_farm(30, pages=3, failing=FAILING) as farm:
        sources = [dict(s, enabled=True) for s in farm.sources()]
        stats = crawl(settings, sources)
        gaps = farm.min_gap_by_host()
        hosts = farm.hits_by_host()
    assert len(stats) == 30 and len(hosts) == 30
    for i in set(range(30)) - FAILING:
        assert stats[f"site-{i:04d}"]["pages"] >= 4  # homepage and the three articles
    # The next request to a host leaves at least 0.5 x the delay (Scrapy's randomisation)
    # after the previous answer arrived (crawlers.politeness), so after the server logged the
    # previous request, however busy the machine. Without it, sends were spaced, arrivals not.
    assert min(gaps.values()) >= 0.5 * DELAY, sorted(gaps.items(), key=lambda x: x[1])[:3]
    for host, hits in hosts.items():
        times = sorted(h.at for h in hits)
        if len(times) > 2:
            mean_gap = (times[-1] - times[0]) / (len(times) - 1)
            assert mean_gap >= 0.5 * DELAY, (host, mean_gap)
    chosen = plan(sources, lambda sid: store.runs(sid, limit=8), settings)
    backing_off = {sid for sid, _ in chosen.backing_off}
    assert backing_off == {f"site-{i:04d}" for i in FAILING}
    assert len(chosen.chosen) == 27
    store.close()


def test_time_budget_stops_slow_sources_and_leaves_the_rest_for_the_next_run(
    tmp_path: Path,
) -> None:
    # Eight sites of 40 articles answer one request per second: none can be crawled whole
    # within its 3 s. Two run at a time, so once the run's 4 s are spent the later ones
    # never start.
    settings = _settings(
        tmp_path,
        **{
            "crawl.download_delay": 0,
            "crawl.concurrent_sources": 2,
            "crawl.max_run_seconds": 4,
            "crawl.max_source_seconds": 3,
        },
    )
    store = Store.open(settings)
    with site_farm(8, pages=PAGES, slow=set(range(8)), slow_seconds=1.0) as farm:
        sources = [dict(s, enabled=True) for s in farm.sources()]
        stats = crawl(settings, sources)
        hosts = farm.hits_by_host()
    assert set(stats) == {s["id"] for s in sources}
    stopped = {sid for sid, s in stats.items() if s["stopped"] in ("source_budget", "run_budget")}
    waiting = {sid for sid, s in stats.items() if s["stopped"] == "not_started"}
    assert stopped | waiting == set(stats) and len(stopped) >= 2 and waiting
    for sid in stopped:  # asked to finish: the rest of the site was never asked for
        assert len(hosts.get(farm.host(int(sid.split("-")[1])), [])) < PAGES
    fetched = {sid for sid in stopped if stats[sid]["pages"]}
    assert fetched  # what was fetched before the stop is kept and the run recorded
    assert {r["source"] for r in store.runs()} == fetched
    for sid in waiting:  # never contacted, no run recorded: first in line next run
        assert farm.host(int(sid.split("-")[1])) not in hosts
        assert store.runs(sid) == []
    summary = budget_summary(stats, settings)
    assert summary is not None and f"{len(waiting)} not started" in summary
    nxt = plan(sources, lambda sid: store.runs(sid, limit=8), settings)
    first = {s["id"] for s in nxt.chosen[: len(set(stats) - fetched)]}
    assert first == set(stats) - fetched  # those that got no page come first next run
    store.close()
