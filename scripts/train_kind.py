"""Fit the article-kind model (enrichment/kind.py) on the eval dev split and write
procradar/config/enrichment/kind_model.yaml.

    .venv/bin/python scripts/train_kind.py [--check]

Only dev documents are read: the test split stays sealed. The model is a multinomial
logistic regression over kind.feature_names() (phrase families of config/enrichment/kind.yaml
and the text's structure), fitted on standardised features by full-batch gradient descent
(deterministic: the same data gives the same file) and written with the standardisation
folded into the weights. The L2 strength is chosen by 5-fold cross-validation on dev
(folds stratified by kind); the out-of-fold accuracy is written beside the weights as the
honest dev figure, with a second one whose folds keep each source's documents together
(a new publisher is what the model meets in use). --check exits 1 when the shipped file
differs from what the current data and code give. --samples scores the shipped model (and
the topic tagger) on the offline sample sites' pages against their truth.json: pages the
model is never fitted on, written for the crawler, so a second held-out figure.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from enrichment import kind, language, nlp  # noqa: E402
from enrichment.amounts import find_amounts  # noqa: E402
from enrichment.dates import parse_iso  # noqa: E402
from enrichment.entities import find_entities  # noqa: E402
from enrichment.events import find_events  # noqa: E402
from enrichment.pipeline import iso_date  # noqa: E402
from procradar.core.resources import CONFIG_DIR, SAMPLE_SITES_DIR  # noqa: E402
from procradar.stages.evaluation import load_documents  # noqa: E402

OUT = CONFIG_DIR / kind.MODEL_FILE
L2 = (1.0, 3.0, 10.0, 30.0)
FOLDS = 5
STEPS = 3000
RATE = 0.5


def inputs(doc: dict) -> list[float]:
    """The features of one document, from the same stages the pipeline runs before kind
    (enrichment/pipeline.py annotate): event dates and amounts."""
    text, title = doc["text"], doc.get("title") or ""
    published = iso_date(doc.get("published"))
    day = parse_iso(published)
    lang = language.detect(text, doc.get("source_language"), title).language
    parsed = nlp.process(text, lang, day)
    in_title = find_entities(title, lang)
    places, seen_places = [], set()
    for place in [*in_title.places, *parsed._.places]:  # each once, as the pipeline keeps them
        if str(place) not in seen_places:
            seen_places.add(str(place))
            places.append(place)
    names = [o.name for o in [*in_title.organizations, *parsed._.organizations]]
    mentions = [span._.date_mention for span in parsed.spans["dates"]]
    events = find_events(text, day, places, names[0] if names else None, mentions, title)
    future = sum(1 for e in events if published and e.date >= published)
    amounts = [span._.amount for span in parsed.spans["amounts"]]
    seen = {(a.value, a.currency) for a in amounts}
    amounts += [a for a in find_amounts(title, lang) if (a.value, a.currency) not in seen]
    return kind.features(text, title, future, len(events) - future, len(amounts))


def dataset() -> tuple[np.ndarray, np.ndarray, list[str]]:
    docs = load_documents("dev")
    x = np.array([inputs(d) for d in docs])
    y = np.array([kind.KINDS.index(d["labels"]["kind"]) for d in docs])
    sources = [urlparse(d.get("url") or "").netloc.removeprefix("www.") for d in docs]
    return x, y, sources


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features x kinds) and biases on the raw features."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    target = np.eye(len(kind.KINDS))[y]
    w = np.zeros((z.shape[1], len(kind.KINDS)))
    for _ in range(STEPS):
        s = z @ w
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        gradient = z.T @ (p - target) / len(y)
        gradient[1:] += l2 * w[1:] / len(y)
        w -= RATE * gradient
    weights = w[1:] / scale[:, None]
    bias = w[0] - mean @ weights
    return weights, bias


def predict(model: tuple[np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    weights, bias = model
    return np.asarray((x @ weights + bias).argmax(axis=1))


def stratified_folds(y: np.ndarray) -> list[int]:
    by_kind: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(y):
        by_kind[int(label)].append(i)
    fold = [0] * len(y)
    rng, n = random.Random(0), 0
    for label in sorted(by_kind):
        members = by_kind[label]
        rng.shuffle(members)
        for i in members:
            fold[i] = n % FOLDS
            n += 1
    return fold


def source_folds(sources: list[str]) -> list[int]:
    """Each source's documents in one fold, folds of about equal size."""
    size: dict[str, int] = defaultdict(int)
    for source in sources:
        size[source] += 1
    load = [0] * FOLDS
    fold_of: dict[str, int] = {}
    for source in sorted(size, key=lambda s: (-size[s], s)):
        fold_of[source] = load.index(min(load))
        load[fold_of[source]] += size[source]
    return [fold_of[s] for s in sources]


def cross_validate(x: np.ndarray, y: np.ndarray, fold: list[int], l2: float) -> float:
    predicted = np.zeros(len(y), dtype=int)
    folds = np.array(fold)
    for k in range(FOLDS):
        train, held = folds != k, folds == k
        predicted[held] = predict(fit(x[train], y[train], l2), x[held])
    return float((predicted == y).mean())


def train() -> dict:
    x, y, sources = dataset()
    by_kind = stratified_folds(y)
    scores = {l2: cross_validate(x, y, by_kind, l2) for l2 in L2}
    l2 = max(L2, key=lambda value: (scores[value], value))  # ties: the simpler model
    weights, bias = fit(x, y, l2)
    names = kind.feature_names()
    return {
        "trained_on": f"eval dev split: {len(y)} documents, {len(set(sources))} sources",
        "command": "python scripts/train_kind.py",
        "cross_validated_dev": {
            "accuracy": round(scores[l2], 4),
            "accuracy_sources_held_out": round(cross_validate(x, y, source_folds(sources), l2), 4),
            "in_sample": round(float((predict((weights, bias), x) == y).mean()), 4),
        },
        "l2": l2,
        "features": list(names),
        "kinds": {
            k: {
                "bias": round(float(bias[j]), 6),
                "weights": {n: round(float(weights[i, j]), 6) for i, n in enumerate(names)},
            }
            for j, k in enumerate(kind.KINDS)
        },
    }


def same_model(shipped: dict, fresh: dict) -> bool:
    """Equal up to float noise (the last digits of a sum may differ between CPUs)."""
    if shipped.get("features") != fresh["features"] or shipped.get("l2") != fresh["l2"]:
        return False
    if shipped.get("trained_on") != fresh["trained_on"]:
        return False
    for name, part in fresh["kinds"].items():
        old = (shipped.get("kinds") or {}).get(name) or {}
        if abs(old.get("bias", 1e9) - part["bias"]) > 1e-3:
            return False
        old_weights = old.get("weights") or {}
        if any(abs(old_weights.get(f, 1e9) - w) > 1e-3 for f, w in part["weights"].items()):
            return False
    return True


def page(site: str, path: str) -> str:
    where = Path(str(SAMPLE_SITES_DIR)) / site / "public" / path.strip("/")
    raw = (where / "index.html" if where.is_dir() else where).read_bytes()
    try:  # some sample pages are served in a legacy encoding on purpose
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def score_samples() -> str:
    """Kind accuracy and topics micro-F1 of the shipped enrichment on the sample sites."""
    from enrichment import enrich

    right, total, tp, fp, fn = 0, 0, 0, 0, 0
    for truth_file in sorted(Path(str(SAMPLE_SITES_DIR)).glob("*/truth.json")):
        for truth in yaml.safe_load(truth_file.read_text(encoding="utf-8")):
            url = "https://sample.test" + truth["path"]
            article = enrich(page(truth["site"], truth["path"]), url, truth.get("published"))
            total += 1
            right += article.kind == truth["kind"]
            if truth.get("relevant", True):
                gold, found = set(truth["topics"]), set(article.topics)
                tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return (
        f"sample sites, {total} pages: kind accuracy {right / max(1, total):.3f}; topics "
        f"micro-F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--samples", action="store_true", help="score on the sample sites")
    args = parser.parse_args()
    if args.samples:
        print(score_samples())
        return
    model = train()
    if args.check:
        shipped = yaml.safe_load(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
        if not same_model(shipped or {}, model):
            sys.exit(f"{OUT} is out of date: run scripts/train_kind.py")
        print(f"{OUT} matches the dev data")
        return
    header = "# Written by scripts/train_kind.py from the eval dev split; do not edit.\n"
    body = yaml.safe_dump(
        {"date": date.today().isoformat(), **model}, sort_keys=False, allow_unicode=True
    )
    OUT.write_text(header + body, encoding="utf-8")
    cv = model["cross_validated_dev"]
    print(
        f"wrote {OUT}: 5-fold dev accuracy {cv['accuracy']} (sources held out "
        f"{cv['accuracy_sources_held_out']}, in sample {cv['in_sample']}), l2 {model['l2']}"
    )


if __name__ == "__main__":
    main()
