"""Crawl throughput and incrementality on 1,000+ local pages, with the real Scrapy engine.

    .venv/bin/python bench/crawl.py [--articles 1000] [--json]

The fault server (faults off) serves a generated Swedish news site on 127.0.0.1: homepage,
robots.txt, RSS feed, sitemap and one listing page linking every article. The bench crawls
it twice into a fresh store, then a third time revalidating every stored article with a
conditional request (crawl.recheck_articles_after_days = 0). Per crawl it prints requests,
bytes, wall time, pages/s and the share of the wall time spent in page analysis (decoding,
article/listing detection, links), enrichment (trafilatura extraction + NLP) and store
writes; the rest is "download": waiting for responses, Scrapy's own work and starting the
crawl process. Download delay is 0 and AutoThrottle off, as for any loopback test source;
concurrency stays at the default 2 requests per host.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawlers.run import crawl  # noqa: E402
from procradar.core.settings import Settings  # noqa: E402
from rigs.faultserver import Faults, fault_server  # noqa: E402


def measure(settings: Settings, source: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    stats = crawl(settings, sources=[source])[source["id"]]
    wall = time.perf_counter() - started
    own = stats["timings"]
    download = max(0.0, wall - sum(own.values()))
    fetched = stats["pages"] + stats["not_modified"]
    return {
        "requests": stats["requests"],
        "bytes": stats["bytes"],
        "pages": stats["pages"],
        "not_modified": stats["not_modified"],
        "new_articles": stats["new_articles"],
        "seconds": round(wall, 2),
        "pages_per_second": round(fetched / wall, 1),
        "share": {k: round(v / wall, 3) for k, v in {**own, "download": download}.items()},
        "errors": len(stats["errors"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as data,
        fault_server(articles=args.articles, faults=Faults(enabled=False)) as server,
    ):
        settings = Settings(
            {
                "data_dir": data,
                "crawl.download_delay": 0,
                "crawl.autothrottle": False,
                "crawl.max_pages_per_source": args.articles + 50,
            }
        )
        source = server.source()
        first = measure(settings, source)
        second = measure(settings, source)
        # The same, but every stored article is revalidated with a conditional request.
        revalidate = Settings({**settings.values, "crawl.recheck_articles_after_days": 0})
        third = measure(revalidate, source)
    result = {"articles": args.articles, "first": first, "second": second, "revalidate": third}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    runs = (("first crawl", first), ("second crawl", second), ("revalidating all", third))
    for name, run in runs:
        shares = ", ".join(f"{k} {v:.0%}" for k, v in run["share"].items())
        print(
            f"{name}: {run['requests']} requests, {run['bytes'] / 1e6:.2f} MB, "
            f"{run['pages']} pages (+{run['not_modified']} answered 304), "
            f"{run['new_articles']} new articles, {run['seconds']} s, "
            f"{run['pages_per_second']} pages/s; time: {shares}; errors {run['errors']}"
        )
    print(f"second/first time: {second['seconds'] / first['seconds']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
