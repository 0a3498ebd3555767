"""Digest run at scale: N confirmed subscriptions over M newly indexed articles, sent to a
local SMTP server (aiosmtpd in its own process) on 127.0.0.1.

    .venv/bin/python bench/digest.py [--subscriptions 10000] [--articles 5000]

Setup (store, index, subscriptions) is not timed; the `digest send` pass is, end to end:
matching every subscription against the index, rendering, outbox, SMTP, sent-log. Then a
second pass is timed (nothing new: no mail) and the delivered count is checked.
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import random
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digests.send import DigestRun  # noqa: E402
from procradar.core.index import open_index  # noqa: E402
from procradar.core.models import Article, Event  # noqa: E402
from procradar.core.settings import Settings  # noqa: E402
from procradar.core.store import Store  # noqa: E402
from procradar.core.subscriptions import Subscriptions  # noqa: E402
from procradar.core.taxonomy import TOPICS  # noqa: E402

WORDS = [
    "upphandling",
    "klimatkrav",
    "leverantörer",
    "dialog",
    "elbussar",
    "livsmedel",
    "ramavtal",
    "anbud",
    "tilldelning",
    "överprövning",
    "innovation",
    "digitalisering",
    "vård",
    "bygg",
    "transport",
    "kommun",
    "region",
    "marknadsdialog",
    "kompetens",
    "strategi",
    "social",
    "hållbarhet",
    "avtal",
    "utvärdering",
    "krav",
]


def smtp_server(port: int, counter: Any) -> None:
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    while True:
        time.sleep(3600)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


VOCABULARY = WORDS + [f"ord{n}" for n in range(2000)]


def saved_query(i: int, rng: random.Random) -> str:
    """Two or three words (all required): over a day's articles such a search matches a
    handful to a few dozen, as saved searches do; every third also has a topic filter."""
    words = " ".join(rng.sample(WORDS, k=2 + i % 2))
    query = f'{{"q": ["{words}"]'
    if i % 3 == 0:
        query += f', "topic": ["{TOPICS[i % len(TOPICS)]}"]'
    return query + "}"


def article(i: int, rng: random.Random) -> Article:
    words = rng.choices(VOCABULARY, k=120)
    topics = rng.sample(TOPICS, k=rng.randint(0, 2))
    events = [Event(date=f"2027-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", place="Malmö")]
    return Article(
        url=f"https://bench.example/{i}",
        title=" ".join(words[:6]).capitalize(),
        published=f"2026-11-{1 + i % 28:02d}",
        language="sv",
        topics=topics,
        events=events if i % 10 == 0 else [],
        summary=" ".join(words[6:30]),
        text=" ".join(words),
        source="bench",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument(
        "--profile", metavar="FILE", help="cProfile the first pass into FILE (pstats format)"
    )
    args = parser.parse_args()
    rng = random.Random(12)
    port = free_port()
    counter: Any = multiprocessing.Value("i", 0)
    server = multiprocessing.Process(target=smtp_server, args=(port, counter), daemon=True)
    server.start()
    with tempfile.TemporaryDirectory(prefix="procradar-bench-digest-") as tmp:
        settings = Settings(
            {
                "data_dir": tmp,
                "digest.smtp.port": port,
                "digest.site_url": "https://procradar.example",
                "digest.from_address": "procradar <d@procradar.example>",
            }
        )
        store, index = Store.open(settings), open_index(settings)
        subs = Subscriptions(store.engine)
        t0 = time.perf_counter()
        now = datetime.now(UTC)
        for i in range(args.subscriptions):
            query = saved_query(i, rng)
            _, sub_id = subs.add_pending(f"s{i}@bench.example", "sv", query, "immediate", now)
            subs.confirm(sub_id, now)
        made = [article(i, rng) for i in range(args.articles)]
        for a in made:
            store.upsert_article(a)
        index.index(made)
        setup = time.perf_counter() - t0
        print(
            f"setup: {args.subscriptions} subscriptions, {args.articles} articles in {setup:.0f} s"
        )

        profiler = cProfile.Profile() if args.profile else None
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        report = DigestRun(settings, subs, index).run()
        elapsed = time.perf_counter() - start
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        time.sleep(1)
        print(
            f"digest send: {report.checked} subscriptions, {report.sent} mails, "
            f"{report.articles} article entries, {report.nothing_new} with nothing new, "
            f"{elapsed:.1f} s ({report.checked / elapsed:.0f} subscriptions/s); "
            f"SMTP server received {counter.value}; error={report.error}"
        )
        start = time.perf_counter()
        again = DigestRun(settings, subs, index).run()
        print(f"second pass: {again.sent} mails in {time.perf_counter() - start:.1f} s")
        index.close()
        store.close()
    server.terminate()


if __name__ == "__main__":
    main()
