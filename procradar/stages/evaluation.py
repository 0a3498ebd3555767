"""Scoring enrichment against the labelled evaluation set (eval/*.jsonl).

Each document is enriched from its text (as the crawler would, with url, published date,
title and the source's declared language) and compared field by field with its labels:
accuracy for single-label fields (language, kind), micro precision/recall/F1 and per-label
figures for set-valued fields (topics, organizations, places, amounts, event dates), and the
list of language confusions. Organisation roles are scored as (name, role) pairs on the
documents that label them (`organization_roles`), per role, so suppliers have their own F1;
the relevance gate as precision/recall of `relevant` (a document without the label is
procurement news: relevant).
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procradar.core.models import Article

EVAL_DIR = Path(__file__).resolve().parents[2] / "eval"  # in a checkout only
BASELINE_FILE = EVAL_DIR / "baseline.json"
SPLITS = ("dev", "test", "all")
ROLE_FIELD = "organization_roles"
# The headline figure of each field: what the gates in docs/benchmarks.md refer to.
HEADLINE = {
    "language": "accuracy",
    "kind": "accuracy",
    "topics": "f1",
    "organizations": "f1",
    "places": "f1",
    "amounts": "f1",
    "event_dates": "f1",
    "foreign_passages": "f1",
    "organization_roles": "f1",
    "relevance": "f1",
}
# Figures beyond one per field: (field, per-label key or None for micro, figure).
EXTRA_HEADLINE = {
    "suppliers": (ROLE_FIELD, "supplier", "f1"),
    "relevance_precision": ("relevance", None, "precision"),
    "relevance_recall": ("relevance", None, "recall"),
}

Doc = dict[str, Any]


class EvalError(ValueError):
    """The evaluation set is missing or a line of it is malformed."""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[Any], predicted: set[Any]) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def figures(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": self.tp + self.fn,
        }


@dataclass
class FieldScore:
    """One field: micro counts, per-label counts and whole-document exact matches."""

    micro: Counts = field(default_factory=Counts)
    labels: dict[str, Counts] = field(default_factory=dict)
    exact: int = 0
    documents: int = 0

    def add(self, gold: set[Any], predicted: set[Any], label: Callable[[Any], str]) -> None:
        self.micro.add(gold, predicted)
        self.documents += 1
        self.exact += gold == predicted
        for item in gold | predicted:
            key = label(item)
            self.labels.setdefault(key, Counts()).add(gold & {item}, predicted & {item})

    def report(self, single_label: bool) -> dict[str, Any]:
        result: dict[str, Any] = dict(self.micro.figures())
        result["exact_match"] = round(self.exact / self.documents, 4) if self.documents else 1.0
        if single_label:
            result["accuracy"] = result["exact_match"]
        result["per_label"] = {k: c.figures() for k, c in sorted(self.labels.items())}
        return result


def load_documents(
    split: str = "test", directory: Path = EVAL_DIR, files: Iterable[Path] = ()
) -> list[Doc]:
    """The documents of one split from every *.jsonl in directory, or from `files` only."""
    if split not in SPLITS:
        raise EvalError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    files = sorted(files) or sorted(directory.glob("*.jsonl"))
    if not files:
        raise EvalError(f"no evaluation files (*.jsonl) in {directory}")
    for path in files:
        if not path.is_file():
            raise EvalError(f"no such evaluation file: {path}")
    docs = [doc for path in files for doc in _read_jsonl(path)]
    return [d for d in docs if split == "all" or d.get("split") == split]


def _read_jsonl(path: Path) -> Iterator[Doc]:
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"{path.name}:{lineno}: not valid JSON ({exc.msg})") from exc
        if not isinstance(doc, dict) or "text" not in doc or "labels" not in doc:
            raise EvalError(f"{path.name}:{lineno}: needs 'text' and 'labels'")
        yield doc


def enrich_document(doc: Doc) -> Article:
    from enrichment import enrich

    return enrich(
        doc["text"],
        url=doc.get("url", ""),
        published=doc.get("published"),
        source_language=doc.get("source_language"),
        title=doc.get("title"),
    )


def name_key(name: str) -> str:
    """Names compare case- and space-insensitively (labels and gazetteer may differ in case)."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def org_key(name: str) -> str:
    """Organisations compare by gazetteer entry when both sides resolve to one, so a label
    "Stockholms stad" and the gazetteer's canonical "Stockholms kommun" are the same body."""
    from enrichment.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    entry = gazetteer.lookup(name)
    if entry is None:  # a bare municipality name ("Hareid") used as the body's name
        municipalities = [e for e in gazetteer.place_entries(name) if e.type == "municipality"]
        entry = municipalities[0] if len(municipalities) == 1 else None
    return entry.name if entry is not None else name_key(name)


def place_key(name: str) -> str:
    """Places compare by the gazetteer's place name when it knows one (Köpenhamn = København)."""
    from enrichment.gazetteer import load_gazetteer

    entries = load_gazetteer().place_entries(name)
    return name_key(entries[0].place or name) if entries else name_key(name)


def _amount_key(item: Any) -> tuple[float, str]:
    value = item["value"] if isinstance(item, dict) else item.value
    currency = item["currency"] if isinstance(item, dict) else item.currency
    return (round(float(value), 2), str(currency).upper())


def _passage_keys(doc: Doc, article: Article) -> tuple[set[str], set[str]]:
    """Foreign passages match when a predicted passage overlaps a gold quote by half or more."""
    text = article.text
    gold: set[str] = set()
    spans: list[tuple[int, int, str]] = []
    for passage in doc["labels"].get("foreign_passages") or []:
        start = text.find(passage["quote"])
        if start >= 0:
            spans.append((start, start + len(passage["quote"]), passage["language"]))
            gold.add(f"{passage['language']}@{start}")
    predicted: set[str] = set()
    for passage in article.passages:
        p_start, p_end, p_lang = int(passage["start"]), int(passage["end"]), passage["language"]
        key = f"{p_lang}@{p_start}"
        for start, end, lang in spans:
            overlap = min(end, p_end) - max(start, p_start)
            if lang == p_lang and overlap >= 0.5 * max(end - start, p_end - p_start):
                key = f"{lang}@{start}"
        predicted.add(key)
    return gold, predicted


@dataclass
class Evaluation:
    split: str
    documents: int = 0
    fields: dict[str, FieldScore] = field(default_factory=dict)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    confused_ids: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    errors: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def score(self, doc: Doc, article: Article) -> None:
        self.documents += 1
        labels = doc["labels"]
        gold_lang, lang = labels["language"], article.language
        if gold_lang != lang:
            self.confusions[(gold_lang, lang)] += 1
            self.confused_ids.setdefault((gold_lang, lang), []).append(doc.get("id", "?"))
        passages = _passage_keys(doc, article)
        pairs: dict[str, tuple[set[Any], set[Any], Callable[[Any], str]]] = {
            "language": ({gold_lang}, {lang}, str),
            "kind": ({labels["kind"]}, {article.kind}, str),
            "topics": (set(labels.get("topics") or []), set(article.topics), str),
            "organizations": (
                {org_key(n) for n in labels.get("organizations") or []},
                {org_key(o.name) for o in article.organizations},
                str,
            ),
            "places": (
                {place_key(p) for p in labels.get("places") or []},
                {place_key(p) for p in article.places},
                str,
            ),
            "amounts": (
                {_amount_key(a) for a in labels.get("amounts") or []},
                {_amount_key(a) for a in article.amounts},
                lambda key: key[1],
            ),
            "event_dates": (
                set(labels.get("event_dates") or []),
                {e.date for e in article.events},
                lambda _date: "date",
            ),
            "foreign_passages": (*passages, lambda key: key.split("@")[0]),
            "relevance": (
                {"relevant"} if labels.get("relevant", True) else set(),
                {"relevant"} if article.relevant else set(),
                str,
            ),
        }
        roles = labels.get(ROLE_FIELD)
        if isinstance(roles, dict):
            pairs[ROLE_FIELD] = (
                {(org_key(n), r) for n, r in roles.items()},
                {(org_key(o.name), o.role) for o in article.organizations},
                lambda pair: pair[1],
            )
        for name, (gold, predicted, label) in pairs.items():
            self.fields.setdefault(name, FieldScore()).add(gold, predicted, label)
            if gold != predicted:
                self.errors.setdefault(name, []).append(
                    {
                        "id": doc.get("id"),
                        "missed": sorted(map(str, gold - predicted)),
                        "extra": sorted(map(str, predicted - gold)),
                    }
                )

    def report(self) -> dict[str, Any]:
        fields = {
            name: score.report(single_label=name in ("language", "kind"))
            for name, score in self.fields.items()
        }
        headline = {name: fields[name][HEADLINE[name]] for name in fields}
        for name, (field_name, label, figure) in EXTRA_HEADLINE.items():
            source = fields.get(field_name)
            if source is not None and label is not None:
                source = source["per_label"].get(label)
            if source is not None:
                headline[name] = source[figure]
        return {
            "split": self.split,
            "documents": self.documents,
            "headline": headline,
            "fields": fields,
            "language_confusions": [
                {"gold": g, "predicted": p, "count": n, "ids": self.confused_ids[(g, p)]}
                for (g, p), n in self.confusions.most_common()
            ],
        }


def evaluate(docs: Iterable[Doc], split: str = "test") -> Evaluation:
    result = Evaluation(split=split)
    for doc in docs:
        result.score(doc, enrich_document(doc))
    return result


def load_baseline(path: Path = BASELINE_FILE) -> dict[str, float]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: float(v) for k, v in data["headline"].items()}


def regressions(report: dict[str, Any], baseline: dict[str, float]) -> list[str]:
    """Fields whose headline figure fell below the pinned baseline."""
    found = []
    for name, pinned in baseline.items():
        current = report["headline"].get(name)
        if current is None or current + 1e-9 < pinned:
            found.append(f"{name}: {current} < baseline {pinned}")
    return found


def format_report(report: dict[str, Any]) -> str:
    lines = [f"split {report['split']}: {report['documents']} documents", ""]
    lines.append(f"{'field':<18}{'acc/EM':>8}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}")
    for name, fig in report["fields"].items():
        acc = fig.get("accuracy", fig["exact_match"])
        lines.append(
            f"{name:<18}{acc:>8.3f}{fig['precision']:>8.3f}{fig['recall']:>8.3f}"
            f"{fig['f1']:>8.3f}{fig['support']:>9}"
        )
    lines += ["", "headline: " + ", ".join(f"{k} {v}" for k, v in report["headline"].items())]
    for name in ("language", "kind", "topics", "amounts", ROLE_FIELD):
        if name not in report["fields"]:
            continue
        lines += ["", f"{name} per label:"]
        for label, fig in report["fields"][name]["per_label"].items():
            lines.append(
                f"  {label:<22}{fig['precision']:>8.3f}{fig['recall']:>8.3f}"
                f"{fig['f1']:>8.3f}{fig['support']:>6}"
            )
    lines += ["", "language confusions (gold -> predicted):"]
    if not report["language_confusions"]:
        lines.append("  none")
    for item in report["language_confusions"]:
        ids = ", ".join(item["ids"])
        lines.append(f"  {item['gold']} -> {item['predicted']}: {item['count']} ({ids})")
    return "\n".join(lines)
