"""Check every labelled evaluation file (eval/*.jsonl) and print its label counts.

Usage: python eval/validate.py [FILE.jsonl ...]   (default: every eval/*.jsonl)
Exits 1 when any document breaks the format in eval_spec (ids, splits, taxonomy ids,
quotes and amount texts that are not exact substrings, malformed dates, odd lengths).
Standard library only, so it runs before the project's dependencies are installed.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

EVAL_DIR = Path(__file__).resolve().parent
REPO_ROOT = EVAL_DIR.parent

REQUIRED_KEYS = ("id", "split", "url", "published", "source_language", "title", "text", "labels")
REQUIRED_LABELS = (
    "language",
    "foreign_passages",
    "kind",
    "topics",
    "organizations",
    "places",
    "amounts",
    "event_dates",
)
SPLITS = ("dev", "test")
# Optional labels (documents written since the quality issue carry them all):
#   organization_roles: {name: role} for every name in organizations
#   relevant: true when the text is procurement news, false for general news (schools,
#             roads, opening hours ...) that the relevance gate must keep out
#   source_kind (top level): which kind of real source the text is modelled on
CURRENCIES = ("SEK", "NOK", "DKK", "EUR")
ID_PATTERN = re.compile(r"^[a-z]{2}-\d{3}$")
# A text is either short (where language identification is hard) or a normal article.
SHORT_MAX_WORDS = 59
NORMAL_WORDS = (80, 350)


def load_taxonomy() -> ModuleType:
    """Load procradar/core/taxonomy.py by path: it is the one copy of the contract's ids."""
    path = REPO_ROOT / "procradar" / "core" / "taxonomy.py"
    spec = importlib.util.spec_from_file_location("procradar_taxonomy", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load taxonomy ids from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TAXONOMY = load_taxonomy()
LANGUAGES: tuple[str, ...] = TAXONOMY.LANGUAGES
KINDS: tuple[str, ...] = TAXONOMY.KINDS
TOPICS: tuple[str, ...] = TAXONOMY.TOPICS
ROLES: tuple[str, ...] = TAXONOMY.ROLES


def read_documents(path: Path, errors: list[str]) -> Iterator[dict[str, Any]]:
    """Yield each JSON object of a JSONL file; malformed lines become errors."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{path.name}:{number}: invalid JSON ({exc})")
                continue
            if not isinstance(doc, dict):
                errors.append(f"{path.name}:{number}: not a JSON object")
                continue
            yield doc


def is_iso_date(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def word_count(text: str) -> int:
    return len(text.split())


def check_document(doc: dict[str, Any]) -> list[str]:
    """Return the problems of one document (empty when it is valid)."""
    missing = [key for key in REQUIRED_KEYS if key not in doc]
    if missing:
        return [f"missing keys {missing}"]
    labels = doc["labels"]
    if not isinstance(labels, dict):
        return ["labels is not an object"]
    missing = [key for key in REQUIRED_LABELS if key not in labels]
    if missing:
        return [f"missing labels {missing}"]
    if not all(isinstance(doc[key], str) for key in ("title", "text")):
        return ["title and text must be strings"]
    full_text = f"{doc['title']}\n{doc['text']}"
    return [
        *check_fields(doc),
        *check_taxonomy(labels),
        *check_foreign_passages(labels, full_text),
        *check_amounts(labels["amounts"], full_text),
        *check_name_lists(labels),
        *check_event_dates(labels["event_dates"]),
        *check_optional(doc, labels),
    ]


def check_optional(doc: dict[str, Any], labels: dict[str, Any]) -> list[str]:
    problems = []
    roles = labels.get("organization_roles")
    if roles is not None:
        if not isinstance(roles, dict):
            return ["organization_roles is not an object"]
        names = set(labels["organizations"]) if isinstance(labels["organizations"], list) else set()
        if set(roles) != names:
            problems.append("organization_roles must name exactly the organizations")
        problems += [f"role {r!r} not in {ROLES}" for r in roles.values() if r not in ROLES]
    if "relevant" in labels and not isinstance(labels["relevant"], bool):
        problems.append("relevant must be true or false")
    if "source_kind" in doc and not (isinstance(doc["source_kind"], str) and doc["source_kind"]):
        problems.append("source_kind must be a non-empty string")
    return problems


def check_fields(doc: dict[str, Any]) -> list[str]:
    problems = []
    if not ID_PATTERN.match(str(doc["id"])):
        problems.append(f"id {doc['id']!r} is not <lang>-NNN")
    if doc["split"] not in SPLITS:
        problems.append(f"split {doc['split']!r} not in {SPLITS}")
    if not str(doc["url"]).startswith(("https://", "http://")):
        problems.append(f"url {doc['url']!r} is not http(s)")
    if not is_iso_date(doc["published"]):
        problems.append(f"published {doc['published']!r} is not an ISO date")
    if doc["source_language"] not in LANGUAGES:
        problems.append(f"source_language {doc['source_language']!r} unknown")
    words = word_count(doc["text"])
    low, high = NORMAL_WORDS
    if not (words <= SHORT_MAX_WORDS or low <= words <= high):
        problems.append(f"text has {words} words (short < 60 or {low}-{high})")
    return problems


def check_taxonomy(labels: dict[str, Any]) -> list[str]:
    problems = []
    if labels["language"] not in LANGUAGES:
        problems.append(f"language {labels['language']!r} unknown")
    if labels["kind"] not in KINDS:
        problems.append(f"kind {labels['kind']!r} unknown")
    topics = labels["topics"]
    if not isinstance(topics, list):
        return [*problems, "topics is not a list"]
    problems += [f"topic {topic!r} unknown" for topic in topics if topic not in TOPICS]
    if len(set(map(str, topics))) != len(topics):
        problems.append("duplicate topics")
    return problems


def check_foreign_passages(labels: dict[str, Any], full_text: str) -> list[str]:
    passages = labels["foreign_passages"]
    if not isinstance(passages, list):
        return ["foreign_passages is not a list"]
    problems = []
    for passage in passages:
        if not isinstance(passage, dict) or not isinstance(passage.get("quote"), str):
            problems.append(f"foreign passage {passage!r} lacks a quote")
            continue
        language = passage.get("language")
        if language not in LANGUAGES or language == labels["language"]:
            problems.append(f"foreign passage language {language!r} invalid")
        if passage["quote"] not in full_text:
            problems.append(f"quote not in title+text: {passage['quote'][:60]!r}")
    return problems


def check_amounts(amounts: object, full_text: str) -> list[str]:
    if not isinstance(amounts, list):
        return ["amounts is not a list"]
    problems = []
    for amount in amounts:
        if not isinstance(amount, dict) or not isinstance(amount.get("text"), str):
            problems.append(f"amount {amount!r} lacks a text")
            continue
        value = amount.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            problems.append(f"amount value {value!r} is not a positive number")
        if amount.get("currency") not in CURRENCIES:
            problems.append(f"amount currency {amount.get('currency')!r} not in {CURRENCIES}")
        if amount["text"] not in full_text:
            problems.append(f"amount text not in title+text: {amount['text']!r}")
    return problems


def check_name_lists(labels: dict[str, Any]) -> list[str]:
    problems = []
    for key in ("organizations", "places"):
        names = labels[key]
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            problems.append(f"{key} must be a list of non-empty strings")
        elif len(set(names)) != len(names):
            problems.append(f"duplicate {key}")
    return problems


def check_event_dates(event_dates: object) -> list[str]:
    if not isinstance(event_dates, list):
        return ["event_dates is not a list"]
    return [f"event date {day!r} is not an ISO date" for day in event_dates if not is_iso_date(day)]


def validate(paths: Iterable[Path]) -> tuple[list[dict[str, Any]], list[str]]:
    """Check all files together (ids must be unique across them)."""
    docs: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    urls: dict[str, str] = {}
    for path in paths:
        for doc in read_documents(path, errors):
            doc_id = str(doc.get("id", "?"))
            errors += [f"{path.name} {doc_id}: {problem}" for problem in check_document(doc)]
            if doc_id in seen:
                errors.append(f"{path.name} {doc_id}: duplicate id (also in {seen[doc_id]})")
            seen[doc_id] = path.name
            url = str(doc.get("url"))
            if url in urls:
                errors.append(f"{path.name} {doc_id}: duplicate url (also {urls[url]})")
            urls[url] = doc_id
            doc["_file"] = path.name
            docs.append(doc)
    return docs, errors


def label(doc: dict[str, Any], key: str) -> Any:
    labels = doc.get("labels")
    return labels.get(key) if isinstance(labels, dict) else None


def print_counts(title: str, counts: Counter[str], order: Iterable[str] = ()) -> None:
    keys = [*order, *sorted(k for k in counts if k not in set(order))]
    cells = "  ".join(f"{key}={counts[key]}" for key in keys)
    print(f"{title:<16}{cells}")


def report(docs: list[dict[str, Any]]) -> None:
    print(f"documents       {len(docs)}")
    print_counts("files", Counter(doc["_file"] for doc in docs))
    print_counts("split", Counter(str(doc.get("split")) for doc in docs), SPLITS)
    print_counts("language", Counter(str(label(doc, "language")) for doc in docs), LANGUAGES)
    print_counts("kind", Counter(str(label(doc, "kind")) for doc in docs), KINDS)
    topics = Counter(str(t) for doc in docs for t in label(doc, "topics") or [])
    print_counts("topic", topics, TOPICS)
    pairs = Counter(f"{label(doc, 'language')}/{doc.get('split')}" for doc in docs)
    print_counts("language/split", pairs)
    short = sum(word_count(str(doc.get("text", ""))) <= SHORT_MAX_WORDS for doc in docs)
    foreign = sum(bool(label(doc, "foreign_passages")) for doc in docs)
    amounts = sum(len(label(doc, "amounts") or []) for doc in docs)
    dates = sum(len(label(doc, "event_dates") or []) for doc in docs)
    print(f"short (<60 w)   {short}")
    print(f"with foreign    {foreign}")
    print(f"amounts         {amounts}")
    print(f"event dates     {dates}")
    relevant = Counter(str(label(doc, "relevant")) for doc in docs)
    print_counts("relevant", relevant)
    roles = Counter(r for doc in docs for r in (label(doc, "organization_roles") or {}).values())
    print_counts("org roles", roles, ROLES)
    print_counts("source kinds", Counter(str(doc.get("source_kind")) for doc in docs))


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or sorted(EVAL_DIR.glob("*.jsonl"))
    if not paths:
        print("no eval/*.jsonl files found", file=sys.stderr)
        return 1
    docs, errors = validate(paths)
    report(docs)
    for error in errors:
        print(f"ERROR {error}", file=sys.stderr)
    print(f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
