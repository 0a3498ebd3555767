"""Glue between stages that several commands share: ingesting documents and syncing the index."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from procradar.core.store import Page, Store

if TYPE_CHECKING:
    from procradar.core.index.base import Index
    from procradar.stages.source_hints import SourceHint

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


def reenrich_outdated(
    store: Store,
    progress: Progress | None = None,
    workers: int | None = None,
    sources: Mapping[str, SourceHint] | None = None,
) -> int:
    """Enrich stored pages again where the article is missing, from an older enrichment
    version or from older content (no re-crawl); the enrichment stage's pool does it, told
    about each source by `sources` (procradar.stages.source_hints) as in a crawl.
    Returns how many pages were enriched."""
    from procradar.stages.enrich import enrich_pending

    report = enrich_pending(store, workers=workers, sources=sources)
    if progress and report.failed:
        progress(f"{len(report.failed)} pages could not be enriched: {report.failed[0]}")
    return report.done


def _http_url(url: str) -> bool:
    """Only http(s) addresses with a host are articles: a javascript:, data: or file: URL
    would reach every page, feed and export that shows the article (stored XSS)."""
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed [IPv6 bracket
        return False


def parse_ingest_line(line: str, lineno: int) -> dict[str, Any]:
    try:
        doc = json.loads(line)
    except json.JSONDecodeError as exc:
        raise IngestError(f"line {lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(doc, dict):
        raise IngestError(f"line {lineno}: expected a JSON object")
    if not isinstance(doc.get("url"), str) or not doc["url"].strip():
        raise IngestError(f"line {lineno}: missing 'url'")
    if not _http_url(doc["url"]):
        raise IngestError(f"line {lineno}: 'url' must be an absolute http(s) address")
    body = doc.get("html") or doc.get("text")
    if not isinstance(body, str) or not body.strip():
        raise IngestError(f"line {lineno}: needs 'html' or 'text'")
    for key in ("title", "published", "source", "language"):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise IngestError(f"line {lineno}: '{key}' must be a string")
    return doc


def ingest(store: Store, lines: Iterable[str], progress: Progress | None = None) -> IngestReport:
    """Enrich and store documents given as JSON lines; bad lines are reported, not fatal.

    Synchronous, but the same path as a crawl into the store: the page is saved (the store
    hashes it), then its article upserted (the store fingerprints and links it)."""
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
        hints = {k: doc[k] for k in ("title", "published", "language") if doc.get(k)}
        page = Page(
            url=article.url,
            source=source,
            body=body.encode("utf-8"),
            is_article=True,
            content_type="text/html" if doc.get("html") else "text/plain",
            hints=hints or None,
        )
        store.save_page(page)
        outcome = store.upsert_article(article, page.content_hash)
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
