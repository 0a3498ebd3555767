"""Web benchmark: the site under 20 concurrent clients on a 100k-article data dir.

    .venv/bin/python bench/web.py --size 100000 --clients 20 --seconds 60 --workdir DIR
    .venv/bin/python bench/web.py --backend elasticsearch [--es-url URL] --workdir DIR2

Builds (or reuses, --workdir: built once, ~2-6 min at 100k) a store and an index of
synthetic articles (bench/search.py's generator), runs `procradar serve --workers N` (default
2, one per core, sharing one socket on 127.0.0.1, least-connections first) and drives it with
an asyncio HTTP/1.1 keep-alive client (one process, little CPU) over a mix of search, article,
trends and API requests. Reports p50/p95/p99, errors and requests/s, the CPU each worker
used, then one client alone. The server's output goes to bench-server.log in the workdir.
The API rate limit is off for the run (it would answer 429 to one busy address). Without
--es-url the Elasticsearch variant starts a one-node cluster from es/ (rigs/esnode.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search import corpus, load_seed, percentile  # noqa: E402
from procradar.core.models import Article  # noqa: E402
from procradar.core.settings import Settings  # noqa: E402
from procradar.core.store import Store  # noqa: E402

# The corpus and the query words come from these evaluation files only, so that runs stay
# comparable while the evaluation set grows (these four made every run until 2026-12-02).
SEED_FILES = (
    "docs_no.jsonl",
    "docs_sv_da_en.jsonl",
    "docs_2026_no.jsonl",
    "docs_2026_sv_da_en.jsonl",
)


def search_settings(backend: str, es_url: str | None, sqlite_workers: int = 0) -> dict[str, object]:
    out: dict[str, object] = {"backend": backend}
    if es_url:
        out["elasticsearch.url"] = es_url
    if sqlite_workers:
        out["sqlite.workers"] = sqlite_workers
    return out


def build(workdir: Path, size: int, search: dict[str, object]) -> list[str]:
    """Store and index of `size` articles; returns the URLs (for article requests)."""
    from procradar.core.index import open_index

    settings = Settings({"data_dir": str(workdir), "search": search})
    stored = workdir / f"stored-{size}"
    rng = random.Random(7)
    docs = list(corpus(load_seed(SEED_FILES), size, rng))
    urls = [d.url for d in docs]
    index = open_index(settings)
    # The index is reused only if it holds them all (a node started for this run, without
    # --es-url, begins empty although the store in --workdir is kept) and was written by
    # the analysis of this code (an older SQLite index lacks fields searches now use).
    if index.count() == size and not getattr(index, "needs_reindex", False):
        index.close()
        return urls
    store = Store.open(settings)
    if not stored.exists() and not any(workdir.glob(f"built-{size}-*")):  # older marker
        _store_rows(store, docs)
        stored.touch()
    t0 = time.monotonic()
    index.rebuild(iter(docs))
    print(f"indexed {size} articles in {time.monotonic() - t0:.0f} s", file=sys.stderr)
    index.close()
    store.close()
    return urls


def _store_rows(store: Store, docs: list[Article]) -> None:
    from sqlalchemy import insert

    from procradar.core.schema import articles

    # Bulk rows straight into the articles table: upsert_article one by one (near-duplicate
    # detection per article) would make building the data dir the slow part of the bench.
    with store.engine.begin() as conn:
        for start in range(0, len(docs), 5000):
            rows = [
                {
                    "url": d.url,
                    "source": d.source,
                    "title": d.title,
                    "published": d.published,
                    "language": d.language,
                    "kind": d.kind,
                    "story_url": d.url,
                    "data": json.dumps(d.to_dict(), ensure_ascii=False),
                }
                for d in docs[start : start + 5000]
            ]
            conn.execute(insert(articles), rows)


def requests_mix(urls: list[str], words: list[str], rng: random.Random) -> list[str]:
    from search_app.params import article_id

    def w() -> str:
        return quote(rng.choice(words))

    makers = [
        (0.35, lambda: f"/?q={w()}"),
        (0.10, lambda: f"/?q={w()}+{w()}&topic=innovation"),
        (0.05, lambda: f"/?q={w()}&page=2&sort=newest"),
        (0.20, lambda: "/a/" + article_id(rng.choice(urls))),
        (0.10, lambda: rng.choice(["/trends", "/trends?topic=sme", f"/trends?q={w()}"])),
        (0.15, lambda: f"/api/v1/search?q={w()}&per_page=10"),
        (0.05, lambda: rng.choice(["/api/v1/facets", "/events", "/api/v1/sources"])),
    ]
    weights = [m[0] for m in makers]
    return [rng.choices(makers, weights)[0][1]() for _ in range(20000)]


Result = tuple[float, int, bool]  # seconds, status, answered from the response cache


async def client(port: int, paths: list[str], deadline: float, out: list[Result]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        i += 1
        start = time.monotonic()
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n".encode()
        )
        status = int((await reader.readline()).split()[1])
        length, hit = 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "x-cache":
                hit = value.strip() == "hit"
        await reader.readexactly(length)
        out.append((time.monotonic() - start, status, hit))
    writer.close()


async def load(port: int, paths: list[str], clients: int, seconds: float) -> list[Result]:
    out: list[Result] = []
    deadline = time.monotonic() + seconds
    step = len(paths) // clients
    await asyncio.gather(
        *(
            client(port, paths[i * step :] + paths[: i * step], deadline, out)
            for i in range(clients)
        )
    )
    return out


def process_cpu(pids: list[int]) -> list[float]:
    ticks = os.sysconf("SC_CLK_TCK")
    out = []
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        out.append((int(fields[11]) + int(fields[12])) / ticks)  # utime, stime
    return out


def workers_of(parent: int) -> list[int]:
    """The server's worker processes (children of `procradar serve`), or itself alone."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return sorted(found) or [parent]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, server: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=30).read()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def machine_speed() -> float:
    """CPU seconds of a fixed pure-Python loop. This VM's speed drifts by a fifth between
    minutes (same loop: 2.1-3.0 s), as much as a round of optimisation: printed beside each
    run so runs can be compared."""
    start = time.process_time()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.process_time() - start


def summary(results: list[Result], seconds: float) -> dict[str, float]:
    times = [t * 1000 for t, _, _ in results]
    return {
        "requests": len(results),
        "errors": sum(1 for _, s, _ in results if s >= 500 or s == 429),
        "non_200": sum(1 for _, s, _ in results if s != 200),
        "hit_ratio": sum(1 for *_, hit in results if hit) / max(len(results), 1),
        "rps": len(results) / seconds,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
    }


def run(args: argparse.Namespace, workdir: Path) -> None:
    search = search_settings(args.backend, args.es_url, args.sqlite_workers)
    urls = build(workdir, args.size, search)
    seed = load_seed(SEED_FILES)
    rng = random.Random(11)
    paths = requests_mix(urls, seed.words, rng)
    # Warm-up requests of their own (another draw of the same mix): warming the workers
    # must not fill the response cache with the very requests that are then measured.
    warm = requests_mix(urls, seed.words, random.Random(12))[:400]
    config = workdir / "bench-settings.yaml"
    # The API rate limit is off for the run: it would answer 429 to one busy address.
    settings = {
        "search": search,
        "web": {
            "api_rate_limit": "",
            "threads": args.threads,
            "response_cache": {"entries": args.cache_entries},
        },
    }
    config.write_text(json.dumps(settings))  # JSON is YAML
    # Answers another run left in the workers' shared cache file would count as hits here.
    for leftover in workdir.glob("response-cache.sqlite*"):
        leftover.unlink()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PROCRADAR_CONFIG": str(config)}
    log = (workdir / "bench-server.log").open("w")  # read it: a full pipe would stall waitress
    server = subprocess.Popen(
        [sys.executable, "-m", "procradar", "--data-dir", str(workdir), "serve"]
        + ["--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # The socket accepts before the apps are up: wait for answers, then warm every worker
        # (columns, caches, pools) with more clients than workers.
        wait_for(f"http://127.0.0.1:{port}/api/v1/sources", server)
        asyncio.run(load(port, warm, 2 * args.workers, 10))
        servers = workers_of(server.pid)
        speed = machine_speed()
        each = process_cpu(servers)
        mine = time.process_time()
        results = asyncio.run(load(port, paths, args.clients, args.seconds))
        mine = time.process_time() - mine
        each = [after - before for after, before in zip(process_cpu(servers), each, strict=True)]
        cpu = sum(each)
        many = summary(results, args.seconds)
        one = summary(
            asyncio.run(load(port, paths[::-1], 1, args.single_seconds)), args.single_seconds
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    print(
        f"backend={args.backend} articles={args.size} clients={args.clients} "
        f"seconds={args.seconds} workers={args.workers} threads={args.threads} "
        f"response_cache_entries={args.cache_entries} "
        f"sqlite_workers={args.sqlite_workers or 'default'}"
    )
    print(
        f"  {args.clients} clients: {many['requests']} requests, {many['rps']:.1f} req/s, "
        f"p50 {many['p50']:.0f} ms, p95 {many['p95']:.0f} ms, p99 {many['p99']:.0f} ms, "
        f"errors {many['errors']}, non-200 {many['non_200']}, "
        f"cache hits {100 * many['hit_ratio']:.1f} %"
    )
    print(
        f"  server CPU: {1000 * cpu / max(many['requests'], 1):.1f} ms per request "
        f"({cpu:.0f} s in {args.seconds:.0f} s; load average {os.getloadavg()[0]:.1f}); "
        f"per process: {', '.join(f'{c:.0f} s' for c in each)}; "
        f"load generator: {mine:.1f} s; machine speed check {speed:.2f} s (lower is faster)"
    )
    print(
        f"  1 client: p50 {one['p50']:.0f} ms, p95 {one['p95']:.0f} ms, {one['rps']:.1f} req/s, "
        f"cache hits {100 * one['hit_ratio']:.1f} %"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--single-seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=8, help="threads per worker")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "elasticsearch"])
    parser.add_argument(
        "--sqlite-workers",
        type=int,
        default=0,
        help="search.sqlite.workers of the servers (threads one search uses; default: the setting)",
    )
    parser.add_argument(
        "--cache-entries",
        type=int,
        default=2000,
        help="web.response_cache.entries of each server process (0: the cache off)",
    )
    parser.add_argument("--workdir", type=Path, help="keep and reuse the data dir here")
    parser.add_argument(
        "--es-url", help="an Elasticsearch node; without it one is started (rigs/esnode.py)"
    )
    args = parser.parse_args()
    if args.backend == "elasticsearch" and not args.es_url:
        with es_node() as url:
            args.es_url = url
            _run(args)
    else:
        _run(args)


@contextlib.contextmanager
def es_node() -> Iterator[str]:
    """A one-node cluster from es/ (as tests/es_fixtures.py starts it), stopped afterwards."""
    from rigs.esnode import EsCluster

    base = Path(tempfile.mkdtemp(prefix="procradar-es-bench-"))
    base.chmod(0o755)
    cluster = EsCluster(base, 1)
    try:
        cluster.start()
        yield cluster.url
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


def _run(args: argparse.Namespace) -> None:
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(args, args.workdir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(args, Path(tmp))


if __name__ == "__main__":
    main()
