"""The real crawler against the fault-injecting server: every fault is survived, recorded per
source and shown by `procradar sources check`."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawlers.run import crawl
from procradar.core.settings import Settings
from procradar.core.store import Store
from procradar.stages.enrich import enrich_pending
from rigs.faultserver import FAULT_PATHS, Faults, FaultServer, fault_server
from tests.conftest import run_cli

CRAWL = {
    "crawl.download_delay": 0,
    "crawl.autothrottle": False,
    "crawl.download_timeout": 1.5,
    "crawl.retry_times": 1,
    "crawl.retry_backoff": 0.2,
    "crawl.max_body_bytes": 1_000_000,
    "crawl.progress_interval": 1,
}


@dataclass
class FaultCrawl:
    server: FaultServer
    settings: Settings
    config_file: Path
    first: dict[str, Any]
    second: dict[str, Any]
    first_hits: list[Any]
    second_hits: list[Any]


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultCrawl]:
    root = tmp_path_factory.mktemp("faults")
    with fault_server(articles=10, faults=Faults(slow_seconds=3, retry_after=1)) as server:
        sources_file = root / "sources.yaml"
        sources_file.write_text(yaml.safe_dump({"sources": [server.source()]}), "utf-8")
        config_file = root / "procradar.yaml"
        config_file.write_text(yaml.safe_dump({**CRAWL, "sources_file": str(sources_file)}))
        settings = Settings({"data_dir": str(root / "data")}, config_file=config_file)
        first = crawl(settings)["faultsite"]
        first_hits = list(server.log)
        server.reset_log()
        second = crawl(settings)["faultsite"]
        yield FaultCrawl(server, settings, config_file, first, second, first_hits, list(server.log))


def errors(stats: dict[str, Any]) -> str:
    return "\n".join(f"{e['url']} {e['error']}" for e in stats["errors"])


def test_articles_survive_retries_and_mislabelled_charsets(faulty: FaultCrawl) -> None:
    store = Store.open(faulty.settings)
    enrich_pending(store, workers=1)  # the crawl stores pages; the enrichment stage makes articles
    stored = {a.url.removeprefix(faulty.server.base_url): a for a in store.iter_articles()}
    expected = {d.path: d for d in faulty.server.docs}
    for name in ("flaky", "throttled", "latin1", "cp1252"):
        doc = next(d for d in faulty.server.fault_docs() if d.path == FAULT_PATHS[name])
        expected[doc.path] = doc
    assert set(stored) == set(expected)
    for path, doc in expected.items():
        assert stored[path].title == doc.title, path  # å, ä, ö intact in every charset
        assert stored[path].published == doc.published.isoformat()
    assert faulty.first["new_articles"] == len(expected)


def test_500_then_200_and_429_retry_after_are_retried_politely(faulty: FaultCrawl) -> None:
    flaky = [h for h in faulty.first_hits if h.path == FAULT_PATHS["flaky"]]
    throttled = [h for h in faulty.first_hits if h.path == FAULT_PATHS["throttled"]]
    assert len(flaky) == 2 and len(throttled) == 2
    assert throttled[1].at - throttled[0].at >= faulty.server.faults.retry_after - 0.05
    notes = "\n".join(faulty.first["discovery"]["notes"])
    assert "HTTP 500, retry" in notes and "HTTP 429, retry in 1.0s" in notes


def test_faults_are_recorded_per_source(faulty: FaultCrawl) -> None:
    text = errors(faulty.first)
    assert f"{FAULT_PATHS['slow']} DownloadTimeoutError" in text
    assert "larger than download max size" in text  # the huge body, cut off
    assert "redirect loop" in text
    assert f"{FAULT_PATHS['missing']} HTTP 404" in text
    assert f"{FAULT_PATHS['latin1']} charset mislabelled: declared utf-8" in text
    documents = {
        d["url"].removeprefix(faulty.server.base_url)
        for d in faulty.first["discovery"]["documents"]
    }  # noqa: E501
    assert {FAULT_PATHS["pdf"], FAULT_PATHS["pdf_no_ext"]} <= documents


def test_robots_disallowed_path_is_never_requested(faulty: FaultCrawl) -> None:
    paths = {h.path for h in faulty.first_hits + faulty.second_hits}
    assert FAULT_PATHS["disallowed"] not in paths
    assert faulty.first["discovery"]["robots_disallowed"] == [
        faulty.server.base_url + FAULT_PATHS["disallowed"]
    ]
    assert FAULT_PATHS["pdf"] not in paths  # recorded from the link, never downloaded


def test_second_crawl_sends_conditional_requests_and_stores_nothing(faulty: FaultCrawl) -> None:
    assert faulty.second["new_articles"] == faulty.second["updated_articles"] == 0
    conditional = [h for h in faulty.second_hits if "If-None-Match" in h.headers]
    assert {"/", "/feed.xml", "/sitemap.xml", "/nyheter/"} <= {h.path for h in conditional}
    assert faulty.second["not_modified"] >= 4
    assert faulty.second["bytes"] < faulty.first["bytes"] / 10
    known = {d.path for d in faulty.server.docs}
    assert not known & {h.path for h in faulty.second_hits}  # stored articles not refetched


def test_sources_check_shows_the_faults(faulty: FaultCrawl) -> None:
    data_dir = Path(faulty.settings.data_dir)
    stored = run_cli("--config", str(faulty.config_file), "sources", "check", "--no-probe",
                     data_dir=data_dir)  # fmt: skip
    out = stored.stdout
    assert "faultsite" in out and "redirect loop" in out and "DownloadTimeoutError" in out
    assert "charset mislabelled" in out
    probed = run_cli("--config", str(faulty.config_file), "sources", "check", "faultsite",
                     data_dir=data_dir)  # fmt: skip
    row = next(line for line in probed.stdout.splitlines() if line.startswith("faultsite"))
    assert row.split()[1:4] == ["yes", "1", "1"]  # reachable, one feed, one sitemap
    listed = run_cli("--config", str(faulty.config_file), "sources", "list", data_dir=data_dir)
    row = next(line for line in listed.stdout.splitlines() if line.startswith("faultsite"))
    assert "never" not in row  # (the catalogue's switched-off sources are listed too)
    crawled = run_cli("--config", str(faulty.config_file), "crawl", "--source", "faultsite",
                      data_dir=data_dir)  # fmt: skip
    row = next(line for line in crawled.stdout.splitlines() if line.startswith("faultsite"))
    assert row.split()[5] == "0"  # no new articles on a third crawl
    assert "[faultsite] done pages=" in crawled.stderr


def test_private_addresses_are_refused_unless_allowed(tmp_path: Path) -> None:
    settings = Settings({"data_dir": str(tmp_path), **CRAWL})
    with fault_server(articles=2, faults=Faults(enabled=False)) as server:
        stats = crawl(settings, sources=[server.source(allow_private_network=False)])
        assert server.log == []
    assert "private or loopback address" in errors(stats["faultsite"])
    assert stats["faultsite"]["pages"] == 0


def test_page_cap_per_source(tmp_path: Path) -> None:
    settings = Settings({"data_dir": str(tmp_path), **CRAWL, "crawl.max_pages_per_source": 6})
    with fault_server(articles=20, faults=Faults(enabled=False)) as server:
        stats = crawl(settings, sources=[server.source()])["faultsite"]
        page_hits = [h for h in server.log if h.path != "/robots.txt"]
    assert len(page_hits) == 6
    assert "page cap of 6 reached" in stats["discovery"]["notes"]


def test_one_broken_source_never_stops_the_others(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on: connection refused
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    settings = Settings({"data_dir": str(tmp_path), **CRAWL})
    progress: list[str] = []
    with fault_server(articles=3, faults=Faults(enabled=False)) as server:
        stats = crawl(
            settings,
            sources=[
                {
                    "id": "dead",
                    "url": f"http://127.0.0.1:{dead_port}/",
                    "allow_private_network": True,
                },  # noqa: E501
                {
                    "id": "misconfigured",
                    "url": server.base_url,
                    "override": "no-such-class",
                    "allow_private_network": True,
                },  # fmt: skip
                server.source(),
            ],
            progress=progress.append,
        )
    assert stats["faultsite"]["new_articles"] == 3 and stats["faultsite"]["errors"] == []
    assert "robots.txt unreachable" in errors(stats["dead"])
    assert "unknown override 'no-such-class'" in errors(stats["misconfigured"])
    assert any(line.endswith("FAILED: " + stats["dead"]["errors"][0]["error"])
               for line in progress)  # fmt: skip


def test_robots_crawl_delay_is_honoured(tmp_path: Path) -> None:
    settings = Settings({"data_dir": str(tmp_path), **CRAWL})
    with fault_server(articles=3, faults=Faults(enabled=False, crawl_delay=1)) as server:
        stats = crawl(settings, sources=[server.source()])["faultsite"]
        times = sorted(h.at for h in server.log if h.path != "/robots.txt")
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) >= 6 and min(gaps) >= 0.9, gaps
    assert "robots.txt Crawl-delay 1.0s honoured as 1.0s" in stats["discovery"]["notes"]
