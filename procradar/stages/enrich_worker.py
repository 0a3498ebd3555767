"""What runs inside an enrichment worker process: one stored page in, one Article out.

Pure (no store, no SQL): the stage that owns the pool writes the articles back."""

from __future__ import annotations

import logging

from procradar.core.models import Article
from procradar.core.store import PendingPage

log = logging.getLogger(__name__)

WARM_UP = (
    "<html><body><article><h1>Klimatkrav i upphandling</h1><p>Region Skåne ställer "
    "klimatkrav när bussar för 1,2 miljarder kronor upphandlas; en dialog hålls i Malmö "
    "den 12 mars 2026.</p></article></body></html>"
)


def warm() -> None:
    """Load the NLP models and lexicons once (the first document takes seconds), so that
    workers forked afterwards start warm."""
    try:
        enrich_page(PendingPage("https://warm.invalid/", "warm", WARM_UP.encode(), None, {}))
    except Exception:  # noqa: BLE001 - a failed warm-up only makes the first page slower
        log.exception("warming up the enrichment failed")


def enrich_page(page: PendingPage) -> Article:
    from enrichment import enrich

    hints = page.hints
    article = enrich(
        page.body.decode("utf-8", errors="replace"),
        url=page.url,
        published=hints.get("published"),
        source_language=hints.get("language"),
        title=hints.get("title") or None,
    )
    article.url, article.source = page.url, page.source
    if hints.get("published") and not article.published:
        article.published = hints["published"]
    return article
