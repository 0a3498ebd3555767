"""First crawl of a 1,000-page site end to end (fetched, enriched, indexed): the code path
before enrichment became its own stage (commit bce6012) against today's, in one run.

    .venv/bin/python bench/crawl.py [--articles 1000] [--rounds 1] [--workers N] [--json]

The fault server (faults off) serves a generated Swedish news site on 127.0.0.1: homepage,
robots.txt, RSS feed, sitemap and one listing page linking every article. Each path crawls
it into a fresh data dir in its own Python process, with the same venv:

- old: bce6012 checked out with `git worktree` into a temp dir and put first on PYTHONPATH;
  `crawlers.run.crawl` (Scrapy enriches every article inside its reactor thread), then
  `sync_index`.
- new: `procradar.stages.crawlrun.crawl_enrich_index`: the crawl child downloads and stores
  raw pages while a pool of enrichment workers (default: one per core) turns them into
  articles and the index follows.

The clock runs from the call to the crawl until the last article is indexed (model loading
included on both sides). pages/s = pages fetched / that time. Download delay is 0 and
AutoThrottle off, as for any loopback source; 2 requests at a time per host.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OLD_COMMIT = "bce6012"
sys.path.insert(0, str(ROOT))

from rigs.faultserver import Faults, fault_server  # noqa: E402

# CPU seconds of this process and every child it reaped (crawl child, fork server + workers)
CPU = """
import os, resource
def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
def own_cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime
def children_cpu():
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime
def proc_cpu(pid):
    # (own, reaped children) CPU seconds of a live process, from /proc
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick
"""

OLD = (
    CPU
    + """
import json, sys, time
from crawlers.run import crawl
from procradar.core.index import open_index
from procradar.core.settings import Settings
from procradar.core.store import Store
from procradar.stages.pipeline import sync_index
job = json.load(sys.stdin)
settings = Settings(job["settings"])
store, index = Store.open(settings), open_index(settings)
started = time.perf_counter()
stats = crawl(settings, sources=[job["source"]])[job["source"]["id"]]
indexed = sync_index(store, index)
wall = time.perf_counter() - started
parts = {"crawl child (crawl + enrichment)": children_cpu(), "runner (index)": own_cpu()}
print(json.dumps({"seconds": wall, "cpu": cpu(), "stats": stats, "indexed": indexed,
                  "articles": store.article_count(), "code": __import__("crawlers").__file__,
                  "parts": parts}))
"""
)

NEW = (
    CPU
    + """
import json, sys, time
from procradar.core.index import open_index
from procradar.core.settings import Settings
from procradar.core.store import Store
from procradar.stages.crawlrun import crawl_enrich_index
job = json.load(sys.stdin)
settings = Settings(job["settings"])
store, index = Store.open(settings), open_index(settings)
started = time.perf_counter()
result = crawl_enrich_index(settings, store, index, sources=[job["source"]],
                            workers=job["workers"])
wall = time.perf_counter() - started
stats = result.crawl[job["source"]["id"]]
from multiprocessing import forkserver
# The fork server reaped its workers when the pool shut down: its own CPU time is the
# warm-up, its children's the workers'. Reaped itself, all of it counts in cpu() below.
warm, workers = proc_cpu(forkserver._forkserver._forkserver_pid)
parts = {"crawl child": children_cpu(), "fork server (warm-up)": warm, "workers": workers}
forkserver._forkserver._stop()
parts["stage process (writes, index)"] = own_cpu()
print(json.dumps({"seconds": wall, "cpu": cpu(), "stats": stats, "indexed": index.count(),
                  "articles": store.article_count(), "code": __import__("crawlers").__file__,
                  "parts": parts}))
"""
)


def run_path(code: str, tree: Path, job: dict[str, Any]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=tree,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"the run in {tree} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if not out["code"].startswith(str(tree)):
        raise SystemExit(f"ran {out['code']}, not the code in {tree}")
    stats = out["stats"]
    return {
        "seconds": round(out["seconds"], 2),
        "pages": stats["pages"],
        "requests": stats["requests"],
        "new_articles": stats["new_articles"],
        "articles_stored": out["articles"],
        "articles_indexed": out["indexed"],
        "pages_per_second": round(stats["pages"] / out["seconds"], 1),
        "cpu_seconds": round(out["cpu"], 1),
        "errors": len(stats["errors"]),
        "cpu_by_process": {name: round(value, 1) for name, value in out["parts"].items()},
    }


def old_tree(parent: Path) -> Path:
    tree = parent / "old"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), OLD_COMMIT],
        check=True,
    )
    return tree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=1, help="old/new pairs, alternating")
    parser.add_argument("--workers", type=int, default=None, help="enrichment workers")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rounds: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as temp:
        tree = old_tree(Path(temp))
        try:
            with fault_server(articles=args.articles, faults=Faults(enabled=False)) as server:
                for n in range(args.rounds):
                    pair = {}
                    for name, code, where in (("old", OLD, tree), ("new", NEW, ROOT)):
                        job = {
                            "settings": {
                                "data_dir": str(Path(temp) / f"{name}{n}"),
                                "crawl.download_delay": 0,
                                "crawl.autothrottle": False,
                                "crawl.max_pages_per_source": args.articles + 50,
                            },
                            "source": server.source(),
                            "workers": args.workers,
                        }
                        pair[name] = run_path(code, where, job)
                    pair["ratio"] = round(
                        pair["new"]["pages_per_second"] / pair["old"]["pages_per_second"], 2
                    )
                    rounds.append(pair)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
            )
    if args.json:
        print(json.dumps({"articles": args.articles, "rounds": rounds}, indent=2))
        return 0
    for n, pair in enumerate(rounds, 1):
        for name in ("old", "new"):
            r = pair[name]
            print(
                f"round {n} {name}: {r['pages']} pages, {r['new_articles']} new articles, "
                f"{r['articles_indexed']} indexed, {r['seconds']} s, "
                f"{r['pages_per_second']} pages/s, {r['cpu_seconds']} CPU s; "
                f"errors {r['errors']}"
            )
            parts = ", ".join(f"{k} {v}" for k, v in r["cpu_by_process"].items())
            print(f"  CPU s by process: {parts}")
        print(f"round {n} new/old throughput: {pair['ratio']}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
