"""Search benchmark: synthetic Nordic corpora, indexing speed, query latency, index size.

    .venv/bin/python bench/search.py --sizes 100000 1000000 --backends sqlite elasticsearch

Articles are assembled from the sentences of the evaluation documents (eval/*.jsonl, our own
texts in sv/nb/nn/da/en) with random titles, dates, topics, kinds and organisations, so the
vocabulary, word lengths and compounds are those of real procurement news. The workload
mixes single words, AND pairs, phrases, prefixes, filters and filter-only browsing; every
query asks for 20 hits with snippets and all facet counts.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from procradar.core.index.analysis import stopwords  # noqa: E402
from procradar.core.index.base import Index, SearchRequest  # noqa: E402
from procradar.core.models import Article, Organization  # noqa: E402
from procradar.core.taxonomy import KINDS, TOPICS  # noqa: E402
from rigs.relevance import eval_documents  # noqa: E402

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W\d_]{5,}")
_WORD_ANY = re.compile(r"[^\W\d_]+")
STOP = stopwords()
COUNTRY = {"sv": "SE", "nb": "NO", "nn": "NO", "da": "DK", "en": "EU", "fi": "FI"}


@dataclass
class Seed:
    sentences: dict[str, list[str]]
    titles: dict[str, list[str]]
    orgs: dict[str, list[str]]
    words: list[str]


def load_seed(files: tuple[str, ...] = ()) -> Seed:
    """Sentences, titles, organisations and query words of the evaluation documents (of
    `files` only, when given: a benchmark's corpus must not change when the set grows)."""
    seed = Seed({}, {}, {}, [])
    counts: dict[str, int] = {}
    for _, article in eval_documents(files=files):
        lang = article.language
        parts = [s.strip() for s in _SENTENCE.split(article.text) if len(s.split()) > 3]
        seed.sentences.setdefault(lang, []).extend(parts)
        seed.titles.setdefault(lang, []).append(article.title)
        seed.orgs.setdefault(lang, []).extend(o.name for o in article.organizations)
        for word in _WORD.findall(article.text.lower()):
            counts[word] = counts.get(word, 0) + 1
    # Query words: frequent enough to hit, rare enough to be meant (mid-frequency band).
    seed.words = sorted(w for w, n in counts.items() if 2 <= n <= 40)
    return seed


def corpus(seed: Seed, size: int, rng: random.Random) -> Iterator[Article]:
    languages = [lang for lang in ("sv", "nb", "da", "nn", "en") if lang in seed.sentences]
    weights = [0.35, 0.3, 0.2, 0.1, 0.05][: len(languages)]
    start = date(2019, 1, 1)
    for i in range(size):
        lang = rng.choices(languages, weights)[0]
        sentences = rng.sample(
            seed.sentences[lang], k=min(rng.randint(4, 9), len(seed.sentences[lang]))
        )
        title_words = rng.choice(seed.titles[lang]).split()
        rng.shuffle(title_words)
        orgs = rng.sample(seed.orgs[lang], k=min(rng.randint(0, 3), len(seed.orgs[lang])))
        yield Article(
            url=f"https://bench.example/{lang}/{i}",
            title=" ".join(title_words[: rng.randint(5, 10)]),
            published=(start + timedelta(days=rng.randint(0, 2900))).isoformat(),
            language=lang,
            kind=rng.choice(KINDS),
            topics=rng.sample(TOPICS, k=rng.randint(1, 3)),
            organizations=[Organization(o, "other", COUNTRY[lang]) for o in orgs],
            summary=sentences[0],
            text=" ".join(sentences),
            source=f"source-{rng.randint(1, 60)}",
        )


def workload(seed: Seed, n: int, rng: random.Random) -> list[SearchRequest]:
    def word() -> str:
        return rng.choice(seed.words)

    def phrase() -> str:
        """Two adjacent words of one sentence, not both stop words (as people quote)."""
        while True:
            words = _WORD_ANY.findall(rng.choice(seed.sentences[rng.choice(["sv", "nb", "da"])]))
            at = rng.randrange(max(len(words) - 1, 1))
            pair = words[at : at + 2]
            if len(pair) == 2 and not all(w.lower() in STOP for w in pair):
                return f'"{pair[0]} {pair[1]}"'

    makers = [
        (0.35, lambda: SearchRequest(query=word())),
        (0.20, lambda: SearchRequest(query=f"{word()} {word()}")),
        (0.10, lambda: SearchRequest(query=phrase())),
        (0.10, lambda: SearchRequest(query=f"{word()[:5]}*")),
        (0.15, lambda: SearchRequest(query=f"{word()} topic:{rng.choice(TOPICS)} after:2023")),
        (0.10, lambda: SearchRequest(query=f"topic:{rng.choice(TOPICS)}", sort="date")),
    ]
    weights = [w for w, _ in makers]
    return [rng.choices(makers, weights)[0][1]() for _ in range(n)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def open_backend(name: str, workdir: Path, es_url: str | None) -> tuple[Index, object]:
    if name == "sqlite":
        from procradar.core.index.sqlite_fts import SqliteIndex

        return SqliteIndex(workdir / "index.sqlite"), None
    from procradar.core.index.elastic import ElasticIndex
    from rigs.esnode import EsCluster

    cluster = None
    if es_url is None:
        base = Path(tempfile.mkdtemp(prefix="procradar-es-bench-"))
        base.chmod(0o755)
        cluster = EsCluster(base, 1).start()
        es_url = cluster.url
    return ElasticIndex(es_url, prefix="bench", timeout=120), cluster


def index_size(index: Index, name: str) -> int:
    if name == "sqlite":
        return int(index.size_bytes())  # type: ignore[attr-defined]
    stats = index.es.indices.stats(index="bench", metric="store")  # type: ignore[attr-defined]
    return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])


def run(
    name: str, size: int, queries: int, es_url: str | None, keep: Path | None = None
) -> dict[str, float]:
    rng = random.Random(size)
    seed = load_seed()
    workdir = keep / f"{name}-{size}" if keep else Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    workdir.mkdir(parents=True, exist_ok=True)
    index, cluster = open_backend(name, workdir, es_url)
    try:
        started = time.perf_counter()
        if keep and name == "sqlite" and index.count() == size:
            count, index_secs = size, float("nan")  # reused: indexing speed not measured
        else:
            count = index.rebuild(corpus(seed, size, rng), lambda n: print(f"  {n}", end="\r"))
            index_secs = time.perf_counter() - started
        rng = random.Random(size + 1)  # the same workload whether the corpus was rebuilt or not
        requests = workload(seed, queries, rng)
        for request in requests[:20]:  # warm caches as a running server would have them
            index.search(request)
        latencies, hits = [], 0
        for request in requests:
            t = time.perf_counter()
            result = index.search(request)
            latencies.append((time.perf_counter() - t) * 1000)
            hits += result.total
        return {
            "docs": count,
            "docs_per_s": count / index_secs,
            "index_s": index_secs,
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99),
            "mean_hits": hits / len(requests),
            "size_mb": index_size(index, name) / 1e6,
        }
    finally:
        if name == "elasticsearch":
            index.drop()  # type: ignore[attr-defined]
        index.close()
        if cluster is not None:
            cluster.stop()  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "elasticsearch"])
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--es-url", help="Use this cluster instead of starting a local node.")
    parser.add_argument(
        "--keep",
        type=Path,
        help="Keep SQLite indexes in this folder and reuse one of the right size next time "
        "(for tuning queries; indexing speed is then not measured).",
    )
    args = parser.parse_args(argv)
    print(
        "| backend | articles | indexing docs/s | p50 ms | p95 ms | p99 ms | mean hits | size MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        for name in args.backends:
            r = run(name, size, args.queries, args.es_url, args.keep)
            print(
                f"| {name} | {r['docs']:,.0f} | {r['docs_per_s']:,.0f} | {r['p50']:.1f} | "
                f"{r['p95']:.1f} | {r['p99']:.1f} | {r['mean_hits']:,.0f} | {r['size_mb']:,.0f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
