"""Relevance of an index on the judged queries: nDCG@10 over the evaluation documents.

    python -m rigs.relevance [--split dev|test] [--backend sqlite|elasticsearch] [--es-url URL]
    python -m rigs.relevance --queries eval/queries/judged_dev_8.yaml [--verbose]

`--queries FILE` scores one judged file alone over its own documents (a fresh set's "before"
figure, or a holdout's, without printing every other file's per-query scores).

Documents come from eval/*.jsonl with their gold labels (so ranking is measured apart from
enrichment quality). Queries and graded judgments: the dev split is
eval/queries/judged.yaml (the equivalence lists were tuned on it) and judged_dev_*.yaml
(more dev queries over the dev documents, written as users type them); the sealed test split is
eval/queries/judged_test_*.yaml, written as users type them before any tuning and never
tuned on. Searches run as users' searches do: relaxed when no article has every word, and
procurement news only (the relevance gate's default; here from the gold `relevant` label,
so ranking is measured apart from enrichment quality).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from procradar.core.index.base import Index, IndexBackendError, SearchRequest
from procradar.core.models import Amount, Article, Organization

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "eval"
JUDGED = EVAL_DIR / "queries" / "judged.yaml"
SPLITS = ("dev", "test")
K = 10
LANGUAGE_COUNTRY = {"sv": "SE", "nb": "NO", "nn": "NO", "da": "DK", "fi": "FI", "en": "EU"}


@dataclass
class JudgedQuery:
    id: str
    lang: str
    query: str
    judgments: dict[str, int]
    cross: bool = False


@dataclass
class JudgedSet:
    """Queries judged over the documents of some eval files (of one split, or all)."""

    files: tuple[str, ...]
    document_split: str | None
    queries: list[JudgedQuery]
    name: str = ""  # the judged file's stem, for per-file figures


def eval_documents(
    eval_dir: Path = EVAL_DIR, files: tuple[str, ...] = (), split: str | None = None
) -> Iterator[tuple[str, Article]]:
    """(document id, article built from the document and its gold labels)."""
    for path in sorted(eval_dir.glob("*.jsonl")):
        if files and path.name not in files:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                if split is None or doc.get("split") == split:
                    yield doc["id"], _article(doc)


def _article(doc: dict[str, Any]) -> Article:
    labels = doc.get("labels") or {}
    lang = labels.get("language") or doc.get("source_language") or "und"
    country = LANGUAGE_COUNTRY.get(lang, "EU")
    return Article(
        url=doc["url"],
        title=doc.get("title") or "",
        published=doc.get("published"),
        language=lang,
        kind=labels.get("kind") or "news",
        topics=list(labels.get("topics") or []),
        organizations=[Organization(n, "other", country) for n in labels.get("organizations", [])],
        places=list(labels.get("places") or []),
        amounts=[
            Amount(a["value"], a["currency"], a.get("text", ""))
            for a in labels.get("amounts") or []
            if isinstance(a, dict) and "value" in a
        ],
        text=doc.get("text") or "",
        source="eval",
        relevant=bool(labels.get("relevant", True)),
    )


def judged_sets(split: str = "dev") -> list[JudgedSet]:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {SPLITS}")
    if split == "dev":
        paths = [JUDGED, *sorted(JUDGED.parent.glob("judged_dev_*.yaml"))]
    else:
        paths = sorted(JUDGED.parent.glob("judged_test_*.yaml"))
    return [load_judged(path) for path in paths]


def load_judged(path: Path) -> JudgedSet:
    """One judged file: its queries and the eval files (and split) they were judged over."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = [JudgedQuery(**q) for q in data["queries"]]
    return JudgedSet(tuple(data["documents"]), data.get("document_split"), queries, path.stem)


def judged_queries(split: str = "dev") -> list[JudgedQuery]:
    return [q for judged in judged_sets(split) for q in judged.queries]


def ndcg(ranked: list[str], judgments: dict[str, int], k: int = K) -> float:
    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(judgments.values(), reverse=True))
    return dcg([judgments.get(doc, 0) for doc in ranked]) / ideal if ideal else 0.0


@dataclass
class Report:
    per_query: dict[str, float]
    queries: list[JudgedQuery]
    empty: list[str]  # ids of queries that returned no article at all

    @property
    def mean(self) -> float:
        return sum(self.per_query.values()) / len(self.per_query)

    def mean_of(self, keep: Any) -> float:
        scores = [self.per_query[q.id] for q in self.queries if keep(q)]
        return sum(scores) / len(scores) if scores else float("nan")

    def summary(self) -> str:
        parts = [f"nDCG@{K} {self.mean:.3f} over {len(self.queries)} queries"]
        for lang in ("sv", "nb", "nn", "da", "en"):
            parts.append(f"{lang} {self.mean_of(lambda q, lang=lang: q.lang == lang):.3f}")
        parts.append(f"cross-lingual {self.mean_of(lambda q: q.cross):.3f}")
        parts.append(f"queries with no hits {len(self.empty)}")
        return "; ".join(parts)


def evaluate(index: Index, queries: list[JudgedQuery], url_to_id: dict[str, str]) -> Report:
    scores: dict[str, float] = {}
    empty: list[str] = []
    for q in queries:
        request = SearchRequest(
            query=q.query, limit=K, facets=False, relax=True, relevant_only=True
        )
        result = index.search(request)
        ranked = [url_to_id.get(h.url, "") for h in result.hits]
        scores[q.id] = ndcg(ranked, q.judgments)
        if not result.hits:
            empty.append(q.id)
    return Report(scores, queries, empty)


def load_index(index: Index, judged: JudgedSet | None = None) -> dict[str, str]:
    """Index the evaluation documents judged for a set of queries (all when None);
    returns url -> document id."""
    files, split = (judged.files, judged.document_split) if judged else ((), None)
    docs = list(eval_documents(files=files, split=split))
    index.rebuild([a for _, a in docs])
    return {a.url: doc_id for doc_id, a in docs}


def evaluate_split(
    make_index: Callable[[], Index], split: str, sets: list[JudgedSet] | None = None
) -> Report:
    """Every judged set of the split (or the given sets) against its own documents, in one
    report."""
    scores: dict[str, float] = {}
    queries: list[JudgedQuery] = []
    empty: list[str] = []
    for judged in judged_sets(split) if sets is None else sets:
        index = make_index()
        part = evaluate(index, judged.queries, load_index(index, judged))
        scores.update(part.per_query)
        queries += part.queries
        empty += part.empty
    return Report(scores, queries, empty)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="nDCG@10 of the judged queries")
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--backend", choices=["sqlite", "elasticsearch"], default="sqlite")
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    parser.add_argument("--verbose", action="store_true", help="Print every query's score.")
    parser.add_argument(
        "--queries",
        type=Path,
        help="Score this judged file alone (a dev file; the sealed test files are refused).",
    )
    args = parser.parse_args(argv)
    sets: list[JudgedSet] | None = None
    if args.queries is not None:
        judged = load_judged(args.queries)
        # the sealed files are scored only through --split test, never one by one
        if judged.document_split == "test" or args.queries.name.startswith("judged_test_"):
            print(f"error: {args.queries} is not a dev query file", file=sys.stderr)
            return 2
        sets = [judged]
    made: list[Index] = []

    def make_index() -> Index:
        index: Index
        if args.backend == "sqlite":
            from procradar.core.index.sqlite_fts import SqliteIndex

            index = SqliteIndex(Path(tempfile.mkdtemp()) / "index.sqlite")
        else:
            from procradar.core.index.elastic import ElasticIndex

            prefix = f"procradar-relevance-{len(made)}"
            index = ElasticIndex(args.es_url, prefix=prefix, refresh=True)
        made.append(index)
        return index

    try:
        report = evaluate_split(make_index, args.split, sets)
    except IndexBackendError as exc:
        hint = " (start a node with scripts/es-node.sh)" if args.backend == "elasticsearch" else ""
        print(f"error: {exc}{hint}", file=sys.stderr)
        return 2
    if args.verbose:
        for q in report.queries:
            print(f"{report.per_query[q.id]:.3f}  {q.id:7} {q.query}")
        # each judged file alone: the newest file is the holdout for the latest tuning
        for judged in judged_sets(args.split) if sets is None else sets:
            ids = {q.id for q in judged.queries}
            print(f"{judged.name}: {report.mean_of(lambda q, ids=ids: q.id in ids):.3f}")
    scope = args.queries.stem if args.queries is not None else args.split
    print(f"{args.backend} {scope}: {report.summary()}")
    for index in made:
        index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
