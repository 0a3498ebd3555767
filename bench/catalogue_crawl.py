"""Crawl at catalogue scale: 1,000 generated municipal sites on their own loopback hosts
(rigs/sitefarm.py), crawled in successive runs with a run budget, oldest-first rotation and
backoff of failing sites (procradar.core.crawlplan), as `procradar crawl` does.

    .venv/bin/python bench/catalogue_crawl.py [--sites 1000] [--budget 500] [--runs 3]

Prints per run: sources chosen, backing off, left for later, wall time, requests and bytes
per source, and the shortest gap between two requests to one host (politeness).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawlers.run import crawl  # noqa: E402
from procradar.core.crawlplan import HISTORY, plan  # noqa: E402
from procradar.core.settings import Settings  # noqa: E402
from procradar.core.store import Store  # noqa: E402
from rigs.sitefarm import site_farm  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=5, help="articles per site")
    parser.add_argument("--budget", type=int, default=500, help="crawl.max_sources_per_run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delay", type=float, default=0.25, help="crawl.download_delay")
    parser.add_argument("--concurrent-sources", type=int, default=48)
    parser.add_argument("--failing", type=int, default=20, help="sites answering 500")
    parser.add_argument(
        "--farm-nice",
        type=int,
        default=-10,
        help="priority of the site farm's thread (below 0 needs root): its clock must read "
        "arrivals when they happen, not when a busy machine gets round to it",
    )
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="procradar-bench-"))
    settings = Settings(
        {
            "data_dir": str(data),
            "crawl.download_delay": args.delay,
            "crawl.concurrent_sources": args.concurrent_sources,
            "crawl.max_sources_per_run": args.budget,
            "crawl.catalogue_max_pages": 20,
            "crawl.retry_times": 0,
            "crawl.download_timeout": 10,
            "crawl.progress_interval": 60,
        },
        environ={},
    )
    store = Store.open(settings)
    failing = set(range(0, args.sites, max(1, args.sites // max(1, args.failing))))
    failing = set(sorted(failing)[: args.failing])
    print(f"{args.sites} sites, {args.pages} articles each, {len(failing)} failing; data {data}")
    with site_farm(args.sites, pages=args.pages, failing=failing, nice=args.farm_nice) as farm:
        sources = [dict(s, enabled=True) for s in farm.sources()]
        ids = {s["id"] for s in sources}
        for run in range(1, args.runs + 1):
            farm.log.clear()
            chosen = plan(
                sources, lambda sid: store.runs(sid, limit=HISTORY), settings, catalogue_ids=ids
            )
            started = time.perf_counter()
            stats = crawl(settings, chosen.chosen)
            took = time.perf_counter() - started
            sent = list(farm.bytes_by_host().values())
            requests = [len(h) for h in farm.hits_by_host().values()]
            gaps = farm.min_gap_by_host()
            all_gaps = sorted(
                b - a
                for hits in farm.hits_by_host().values()
                for a, b in zip(*(lambda t: (t, t[1:]))(sorted(h.at for h in hits)), strict=False)
            )
            p01 = all_gaps[len(all_gaps) // 100] if all_gaps else 0.0
            pages = sum(s.get("pages", 0) for s in stats.values())
            print(
                f"run {run}: {len(chosen.chosen)} crawled, {len(chosen.backing_off)} backing off, "
                f"{len(chosen.over_budget)} left for later; {took:.1f} s "
                f"({took / max(1, len(chosen.chosen)):.3f} s/source); {pages} pages; "
                f"requests/source median {statistics.median(requests):.0f} max {max(requests)}; "
                f"bytes/source median {statistics.median(sent):.0f} max {max(sent)} "
                f"total {sum(sent) / 1e6:.2f} MB; "
                f"gap between two requests to one host: shortest {min(gaps.values()):.3f} s, "
                f"1st percentile {p01:.3f} s, median {statistics.median(all_gaps):.3f} s "
                f"(delay {args.delay} s, randomised to >= {0.5 * args.delay:.3f} s); "
                f"{sum(g < 0.5 * args.delay for g in all_gaps)} of {len(all_gaps)} gaps shorter"
            )
    store.close()


if __name__ == "__main__":
    main()
