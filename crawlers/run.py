"""Run a crawl: `crawl()` for callers in any process, `python -m crawlers.run` as its child.

Twisted's reactor cannot be restarted, so every crawl runs Scrapy in a fresh child process;
the child prints one progress line per event and finally a result line, which the parent
relays to its `progress` callback and to data_dir/logs/crawl.log.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from procradar.core.lifetime import die_with_parent
from procradar.core.settings import Settings
from procradar.core.sources import load_sources, validate_all

RESULT = "@@result "
Progress = Callable[[str], None]


class CrawlError(RuntimeError):
    """The crawl process itself failed (not one source: those are recorded per source)."""


def select_sources(
    settings: Settings,
    sources: list[dict[str, Any]] | None = None,
    source_ids: list[str] | None = None,
) -> list[dict[str, Any]]:
    if sources is None:
        sources = [s for s in load_sources(settings.sources_file) if s["enabled"] or source_ids]
    else:
        sources = validate_all(sources)
    if source_ids:
        known = {s["id"] for s in sources}
        missing = [i for i in source_ids if i not in known]
        if missing:
            raise ValueError(f"unknown source id(s): {', '.join(missing)}")
        sources = [s for s in sources if s["id"] in source_ids]
    return sources


def crawl(
    settings: Settings,
    sources: list[dict[str, Any]] | None = None,
    source_ids: list[str] | None = None,
    progress: Progress | None = None,
) -> dict[str, dict[str, Any]]:
    """Crawl the sources into the store; per-source stats (requests, bytes, pages,
    not_modified, new_articles, updated_articles, errors, …) by source id."""
    return _launch("crawl", settings, sources, source_ids, progress)


def probe(
    settings: Settings,
    sources: list[dict[str, Any]] | None = None,
    source_ids: list[str] | None = None,
    progress: Progress | None = None,
) -> dict[str, dict[str, Any]]:
    """Discovery only (robots.txt, homepage, feeds, sitemaps, listings; no article pages,
    no run recorded): what `procradar sources check` shows as reachability."""
    return _launch("probe", settings, sources, source_ids, progress)


def _launch(
    mode: str,
    settings: Settings,
    sources: list[dict[str, Any]] | None,
    source_ids: list[str] | None,
    progress: Progress | None,
) -> dict[str, dict[str, Any]]:
    chosen = select_sources(settings, sources, source_ids)
    if not chosen:
        return {}
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    job = {
        "settings": settings.values,
        "sources": chosen,
        "logs": str(logs.resolve()),
        "mode": mode,
        "parent": os.getpid(),
    }
    with (
        open(logs / "crawl.log", "a", encoding="utf-8") as log,
        open(logs / "crawl-stderr.log", "w+", encoding="utf-8") as errors,
    ):
        result = _run_child(job, log, errors, progress)
        if result is None:
            errors.seek(0)
            tail = errors.read()[-3000:]
            raise CrawlError(f"the crawl process failed:\n{tail}")
    return result


def _run_child(
    job: dict[str, Any], log: Any, errors: Any, progress: Progress | None
) -> dict[str, dict[str, Any]] | None:
    child = subprocess.Popen(
        [sys.executable, "-m", "crawlers.run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        encoding="utf-8",
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(json.dumps(job, default=str))
    child.stdin.close()
    result = None
    for line in child.stdout:
        line = line.rstrip("\n")
        if line.startswith(RESULT):
            result = json.loads(line.removeprefix(RESULT))
            continue
        log.write(line + "\n")
        log.flush()
        if progress is not None:
            progress(line)
    child.wait()
    return result if child.returncode == 0 else None


# -- the child ---------------------------------------------------------------------------


def emit(message: str) -> None:
    stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    print(f"{stamp} {message}", flush=True)


def child_main() -> int:
    from crawlers.process import run_sources

    job = json.load(sys.stdin)
    die_with_parent(job.get("parent"))
    config = Settings(job["settings"])
    started = time.perf_counter()
    emit(f"{job['mode']} started: {len(job['sources'])} source(s)")
    results = run_sources(config, job["sources"], Path(job["logs"]), emit, job["mode"])
    emit(f"{job['mode']} finished in {time.perf_counter() - started:.1f}s")
    print(RESULT + json.dumps(results, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(child_main())
