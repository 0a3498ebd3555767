"""Reliability benchmark (issue 13): hostile inputs per route, SIGKILL runs, searches under
concurrent ingest.

    .venv/bin/python bench/reliability.py          # short: a few of each, ~5 minutes
    .venv/bin/python bench/reliability.py --long   # the figures in docs/benchmarks.md

1. Every GET route of the web app (discovered from app.url_map) gets the hostile corpus of
   tests/test_fuzz_routes.py (long: every value in every parameter); counts server errors.
2. SIGKILL of `ingest`, `reindex` and `crawl` (which enriches and indexes as it goes) at
   random moments, each followed by a rerun; counts articles lost and duplicated.
3. `procradar serve` answers CLIENTS concurrent clients for at least DURATION seconds while
   `ingest` writes DOCS documents into the same data dir; counts requests and 5xx.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import run_cli  # noqa: E402
from tests.test_fuzz_routes import build_app, run_corpus  # noqa: E402
from tests.test_reliability_kill import KillRun, kill_and_rerun, write_docs  # noqa: E402

QUERIES = ["vindkraft", "klimatkrav", "kommun", "upphandlar -vindkraft", "vind*", '"kommun 1"',
           "topic:climate", "", "klimat OR vind", "lang:sv kommun"]  # fmt: skip


def corpus(work: Path, full: bool) -> dict[str, Any]:
    outcome = run_corpus(build_app(work / "routes"), full=full)
    return {"routes": len(outcome.per_route), "requests": outcome.requests,
            "per_route_min": min(outcome.per_route.values()),
            "per_route_max": max(outcome.per_route.values()),
            "server_errors": len(outcome.errors), "examples": outcome.errors[:5],
            "errors_by_route": Counter(_route(e) for e in outcome.errors)}  # fmt: skip


def _route(error: str) -> str:
    return error.split("GET ")[1].split("?")[0]


def kills(work: Path, runs: int, seed: int) -> list[KillRun]:
    from rigs.faultserver import Faults, fault_server

    rng = random.Random(seed)
    docs = work / "kill-docs.jsonl"
    expected = write_docs(docs, 300)
    out: list[KillRun] = []
    with fault_server(articles=20, faults=Faults(enabled=False)) as server:
        sources = work / "sources.yaml"
        sources.write_text(yaml.safe_dump({"sources": [server.source()]}), "utf-8")
        config = work / "procradar.yaml"
        config.write_text(yaml.safe_dump({"sources_file": str(sources),
                                          "crawl.download_delay": 0}), "utf-8")  # fmt: skip
        for n in range(runs):
            kind = ("ingest", "reindex", "crawl")[n % 3]
            data = work / f"kill-{n}"
            # Moments spread over each command's run (start-up included).
            after = rng.uniform(1.0, {"ingest": 14.0, "reindex": 6.0, "crawl": 10.0}[kind])
            if kind == "ingest":
                run = kill_and_rerun(["ingest", str(docs)], data, expected, after)
            elif kind == "reindex":
                run_cli("ingest", str(docs), data_dir=data)
                run = kill_and_rerun(["reindex"], data, expected, after)
            else:
                run = kill_and_rerun(["--config", str(config), "crawl"], data, 20, after)
                run.command = "crawl"
            print(f"  kill {n + 1}/{runs}: {kind} at {after:.1f}s killed={run.killed} "
                  f"stored={run.stored} indexed={run.indexed} lost={run.lost} "
                  f"duplicated={run.duplicated}", flush=True)  # fmt: skip
            out.append(run)
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load(work: Path, clients: int, duration: float, docs: int) -> dict[str, Any]:
    data = work / "load"
    seed_docs = work / "seed.jsonl"
    write_docs(seed_docs, 50, seed=3)
    run_cli("ingest", str(seed_docs), data_dir=data)
    big = work / "big.jsonl"
    write_docs(big, docs, seed=4)
    port = _free_port()
    env = {**os.environ, "PROCRADAR_DATA_DIR": str(data)}
    # The server's log goes to a file: a pipe nobody reads fills up under load (waitress
    # warns about its task queue), and the server's write to it then blocks its main loop,
    # which is what stalled every client of earlier runs from one moment on.
    server_log = (work / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "procradar", "serve", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=server_log, text=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop = threading.Event()
    failures: list[str] = []
    started = time.monotonic()

    def client(n: int) -> None:
        rng = random.Random(n)
        while not stop.is_set():
            q = quote(rng.choice(QUERIES))
            path = rng.choice([f"/api/v1/search?q={q}", f"/?q={q}", f"/api/v1/facets?q={q}"])
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                status = 0
                with lock:
                    failures.append(f"{time.monotonic() - started:.1f}s {path}: {exc}")
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    ingest = subprocess.run([sys.executable, "-m", "procradar", "ingest", str(big)], cwd=ROOT,
                            env=env, capture_output=True, text=True)  # fmt: skip
    ingest_seconds = time.monotonic() - started
    while time.monotonic() - started < duration:
        time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    server.terminate()
    server.wait(timeout=30)
    server_log.close()
    return {"clients": clients, "seconds": round(elapsed, 1), "docs": docs,
            "ingest_seconds": round(ingest_seconds, 1), "ingest_ok": ingest.returncode == 0,
            "requests": sum(statuses.values()), "statuses": dict(sorted(statuses.items())),
            "server_errors": sum(n for s, n in statuses.items() if s >= 500 and s != 503),
            "unavailable_503": statuses.get(503, 0), "rate_limited_429": statuses.get(429, 0),
            "no_answer": statuses.get(0, 0), "no_answer_examples": failures[:3]}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--long", action="store_true", help="full corpus, 24 kills, 10k docs")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--only", choices=["corpus", "kills", "load"], action="append")
    args = parser.parse_args()
    parts = args.only or ["corpus", "kills", "load"]
    with tempfile.TemporaryDirectory(prefix="procradar-rel-") as tmp:
        work = Path(tmp)
        if "corpus" in parts:
            result = corpus(work, full=args.long)
            print(f"hostile inputs: {result['requests']} requests over {result['routes']} "
                  f"routes ({result['per_route_min']}-{result['per_route_max']} per route), "
                  f"server errors: {result['server_errors']} {dict(result['errors_by_route'])} "
                  f"{result['examples']}",
                  flush=True)  # fmt: skip
        if "kills" in parts:
            runs = kills(work, 24 if args.long else 3, args.seed)
            killed = sum(r.killed for r in runs)
            print(f"kill runs: {len(runs)} ({killed} killed mid-run, "
                  f"{Counter(r.command for r in runs)}), lost: {sum(r.lost for r in runs)}, "
                  f"duplicated: {sum(r.duplicated for r in runs)}", flush=True)  # fmt: skip
        if "load" in parts:
            result = load(work, 20, 60 if args.long else 15, 10_000 if args.long else 500)
            print(f"load: {result}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
