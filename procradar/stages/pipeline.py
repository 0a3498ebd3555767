"""Glue between stages that several commands share: ingesting documents and syncing the index."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procradar.core.store import Page, Store

if TYPE_CHECKING:
    from procradar.core.index.base import Index

Progress = Callable[[str], None]
BATCH = 500


class IngestError(ValueError):
    """A line of an ingest file cannot be used; the message names the line."""


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def sync_index(store: Store, index: Index, progress: Progress | None = None) -> int:
    """Index every article changed since it was last indexed; returns how many."""
    done = 0
    for batch in _batches(store.iter_articles(unindexed_only=True), BATCH):
        index.index(batch)
        store.mark_indexed(a.url for a in batch)
        done += len(batch)
        if progress:
            progress(f"indexed {done} articles")
    return done


def reenrich_outdated(store: Store, progress: Progress | None = None) -> int:
    """Enrich stored pages again where the article came from an older enrichment version.

    Works from the stored raw pages (no re-crawl). The earlier title, date and language serve
    as the hints the crawler gave the first time; the story link (fingerprint) is kept.
    """
    from enrichment import ENRICHMENT_VERSION, enrich

    stale = store.outdated_urls(ENRICHMENT_VERSION)
    done = 0
    for page in store.iter_pages():
        old = store.get_article(page.url) if page.url in stale else None
        if old is None:
            continue
        article = enrich(
            page.html,
            url=page.url,
            published=old.published,
            source_language=old.language,
            title=old.title or None,
        )
        article.source, article.fingerprint = old.source, old.fingerprint
        article.published = article.published or old.published
        store.upsert_article(article, page.content_hash)
        done += 1
        if progress and done % 100 == 0:
            progress(f"re-enriched {done}/{len(stale)} articles")
    return done


def parse_ingest_line(line: str, lineno: int) -> dict[str, Any]:
    try:
        doc = json.loads(line)
    except json.JSONDecodeError as exc:
        raise IngestError(f"line {lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(doc, dict):
        raise IngestError(f"line {lineno}: expected a JSON object")
    if not isinstance(doc.get("url"), str) or not doc["url"].strip():
        raise IngestError(f"line {lineno}: missing 'url'")
    body = doc.get("html") or doc.get("text")
    if not isinstance(body, str) or not body.strip():
        raise IngestError(f"line {lineno}: needs 'html' or 'text'")
    for key in ("title", "published", "source", "language"):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise IngestError(f"line {lineno}: '{key}' must be a string")
    return doc


def ingest(store: Store, lines: Iterable[str], progress: Progress | None = None) -> IngestReport:
    """Enrich and store documents given as JSON lines; bad lines are reported, not fatal."""
    from enrichment import enrich

    report = IngestReport()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            doc = parse_ingest_line(line, lineno)
        except IngestError as exc:
            report.errors.append(str(exc))
            continue
        body = doc.get("html") or doc["text"]
        source = doc.get("source") or "ingest"
        article = enrich(
            body,
            url=doc["url"],
            published=doc.get("published"),
            title=doc.get("title"),
            source_language=doc.get("language"),
        )
        article.source = source
        raw = body.encode("utf-8")
        digest = hashlib.sha256(raw).hexdigest()
        store.save_page(
            Page(
                url=article.url,
                source=source,
                body=raw,
                is_article=True,
                content_hash=digest,
                content_type="text/html" if doc.get("html") else "text/plain",
            )
        )
        outcome = store.upsert_article(article, digest)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if progress and lineno % 100 == 0:
            progress(f"{lineno} lines read")
    return report


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
