"""What runs inside an enrichment worker process: one stored page in, one Article out.

Pure (no store, no SQL): the stage that owns the pool writes the articles back."""

from __future__ import annotations

import logging

from procradar.core.models import Article
from procradar.core.pending import PendingPage  # not the store: workers never load it
from procradar.stages.source_hints import SourceHint

log = logging.getLogger(__name__)

# No date in the markup, dates only in the text: extraction then falls back on dateparser,
# which compiles its patterns once per process.
WARM_UP = (
    "<html><body><article><h1>Klimatkrav i upphandling</h1><p>Region Skåne ställer "
    "klimatkrav när bussar för 1,2 miljarder kronor upphandlas. Målet är att minska "
    "utsläppen med hälften till år 2030. Leverantörerna kan lämna synpunkter fram till den "
    "25 maj; en dialog hålls i Malmö den 12 mars 2026.</p></article></body></html>"
)


def warm() -> None:
    """Load the NLP models and lexicons once (the first document takes seconds), so that
    workers forked afterwards start warm."""
    try:
        enrich_page(PendingPage("https://warm.invalid/", "warm", WARM_UP.encode(), None, {}))
        # Date extraction (htmldate) falls back on dateparser for dates in words; an
        # expression no language knows makes it compile all of its languages' patterns now.
        from enrichment.extract import date_parser

        date_parser().get_date_data("1 qqq 2030")
    except Exception:  # noqa: BLE001 - a failed warm-up only makes the first page slower
        log.exception("warming up the enrichment failed")


def enrichment_version() -> str:
    """Asked of a worker, so the stage's own process never loads the NLP."""
    from enrichment import ENRICHMENT_VERSION

    return ENRICHMENT_VERSION


def enrich_pages(
    jobs: list[tuple[PendingPage, SourceHint | None]],
) -> list[Article | str]:
    """Several pages in one task (fewer round trips to the stage, and a worker has work
    queued while the stage is busy writing): per page its Article, or for a page that
    failed, "ErrorType: message" (one bad page must not lose the others)."""
    out: list[Article | str] = []
    for page, source in jobs:
        try:
            out.append(enrich_page(page, source))
        except Exception as exc:  # noqa: BLE001 - reported by the stage, page by page
            out.append(f"{type(exc).__name__}: {exc}")
    return out


def enrich_page(page: PendingPage, source: SourceHint | None = None) -> Article:
    """`source`: what the stage knows of the page's source (relevance prior, buyer)."""
    from enrichment import enrich

    hints = page.hints
    article = enrich(
        page.body.decode("utf-8", errors="replace"),
        url=page.url,
        published=hints.get("published"),
        source_language=hints.get("language"),
        title=hints.get("title") or None,
        relevance_prior=source.relevance_prior if source else None,
        buyer=source.buyer if source else None,
    )
    article.url, article.source = page.url, page.source
    if hints.get("published") and not article.published:
        article.published = hints["published"]
    return article
