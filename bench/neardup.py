"""Near-duplicate linking cost per new article against 1k, 10k and 100k stored articles.

    .venv/bin/python bench/neardup.py [--sizes 1000,10000,100000] [--probes 200] [--json]

One SQLite store grows to each size with generated articles (80–160 words drawn from a
Zipf-weighted vocabulary, so common phrases recur as in real news), their MinHash band keys
computed by procradar.core.neardup and bulk-inserted. At each size a freshly opened Store
(no cached shingles) upserts `probes` new articles: half are copies of stored articles with
another intro and a press contact (must be linked), half are new texts (must not be). The
bench prints the mean and p95 time of the linking step (candidates through the indexed band
table, confirmation by shingle overlap), of the whole upsert, and the candidates per article.
Sub-linear means these stay flat from 1k to 100k.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from procradar.core import neardup, stories  # noqa: E402
from procradar.core.models import Article  # noqa: E402
from procradar.core.schema import article_bands, articles  # noqa: E402
from procradar.core.store import Store  # noqa: E402

INTRO = "Pressmeddelande återgivet i sin helhet från kommunens presstjänst. "
CONTACT = " Presskontakt: kommunikationsavdelningen, telefon 010-000 00 00."


def vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    letters = "abcdefghijklmnoprstuvåäö"
    return ["".join(rng.choices(letters, k=rng.randint(2, 11))) for _ in range(size)]


def text(rng: random.Random, words: list[str], weights: list[float]) -> str:
    return " ".join(rng.choices(words, weights, k=rng.randint(80, 160))) + "."


def grow(
    store: Store, start: int, end: int, rng: random.Random, words: list[str], w: list[float]
) -> None:
    batch_articles: list[dict[str, Any]] = []
    batch_bands: list[dict[str, Any]] = []
    for i in range(start, end):
        body = text(rng, words, w)
        sketch = neardup.sketch(body)
        url = f"https://stored.se/{i}"
        batch_articles.append(
            {
                "url": url,
                "source": "bench",
                "story_url": url,
                "fingerprint": sketch.fingerprint if sketch else None,
                "data": json.dumps({"url": url, "text": body}),
            }
        )
        if sketch:
            batch_bands += [{"band_key": k, "url": url} for k in set(sketch.bands)]
        if len(batch_articles) >= 2000 or i == end - 1:
            with store.engine.begin() as conn:
                conn.execute(articles.insert(), batch_articles)
                conn.execute(article_bands.insert(), batch_bands)
            batch_articles, batch_bands = [], []


def measure(
    url: str, size: int, probes: int, rng: random.Random, words: list[str], w: list[float]
) -> dict[str, Any]:
    store = Store(url)  # a fresh process's view: nothing cached
    link_ms, upsert_ms, candidates, linked_copies, linked_new = [], [], [], 0, 0
    for n in range(probes):
        copy = n % 2 == 0
        if copy:
            stored = f"https://stored.se/{rng.randrange(size)}"
            original = store.get_article(stored)
            assert original is not None
            body = INTRO + original.text + CONTACT
        else:
            body = text(rng, words, w)
        sketch = neardup.sketch(body)
        with store.engine.connect() as conn:
            started = time.perf_counter()
            story = stories.story_of(conn, f"https://probe.se/{size}/{n}", sketch, store._shingles)
            link_ms.append((time.perf_counter() - started) * 1000)
            found = conn.execute(
                article_bands.select().where(article_bands.c.band_key.in_(set(sketch.bands)))  # type: ignore[union-attr]
            ).all()
            candidates.append(len({row.url for row in found}))
        started = time.perf_counter()
        store.upsert_article(Article(url=f"https://probe.se/{size}/{n}", text=body, source="probe"))
        upsert_ms.append((time.perf_counter() - started) * 1000)
        is_linked = not story.startswith("https://probe.se/")
        linked_copies += copy and is_linked
        linked_new += (not copy) and is_linked
    store.close()
    return {
        "stored": size,
        "link_ms_mean": round(statistics.mean(link_ms), 2),
        "link_ms_p95": round(sorted(link_ms)[int(len(link_ms) * 0.95) - 1], 2),
        "upsert_ms_mean": round(statistics.mean(upsert_ms), 2),
        "candidates_mean": round(statistics.mean(candidates), 2),
        "copies_linked": f"{linked_copies}/{(probes + 1) // 2}",
        "new_texts_linked": f"{linked_new}/{probes // 2}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rng = random.Random(20261201)
    words = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf
    results = []
    with tempfile.TemporaryDirectory() as temp:
        url = f"sqlite:///{temp}/neardup.db"
        store = Store(url)
        have = 0
        for size in sizes:
            started = time.perf_counter()
            grow(store, have, size, rng, words, weights)
            have = size
            loaded = time.perf_counter() - started
            result = measure(url, size, args.probes, rng, words, weights)
            result["load_seconds"] = round(loaded, 1)
            results.append(result)
            if not args.json:
                print(
                    f"{size:>7} stored: link {result['link_ms_mean']} ms mean, "
                    f"{result['link_ms_p95']} ms p95; upsert {result['upsert_ms_mean']} ms; "
                    f"{result['candidates_mean']} band candidates; copies linked "
                    f"{result['copies_linked']}, new texts linked {result['new_texts_linked']}",
                    flush=True,
                )
        store.close()
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
