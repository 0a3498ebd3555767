"""The stages in order: extract, language, topics, entities, amounts, events, kind, summary."""

from __future__ import annotations

import hashlib
import re

from enrichment import kind, language, summary, topics
from enrichment.amounts import find_amounts
from enrichment.dates import parse_iso
from enrichment.entities import find_entities, mask
from enrichment.events import find_events
from enrichment.extract import extract
from procradar.models import Article

# Bump when the output for the same input changes: `procradar reindex` re-enriches stored
# pages whose enrichment_version differs.
ENRICHMENT_VERSION = "0.1.0"

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def enrich(
    html_or_text: str,
    url: str = "",
    published: str | None = None,
    source_language: str | None = None,
    title: str | None = None,
) -> Article:
    """Extract the article from HTML (plain text passes through) and annotate it."""
    extracted = extract(html_or_text or "", url)
    title = (title or extracted.title or "").strip()
    text = extracted.text
    published_iso = iso_date(published) or iso_date(extracted.date)
    lang = language.detect(text, source_language, title)
    entities = find_entities(text, title)
    tagged = topics.tag(
        text,
        lang.language,
        title,
        masked_text=mask(text, entities.text_spans),
        masked_title=mask(title, entities.title_spans),
    )
    published_day = parse_iso(published_iso)
    organizer = entities.organizations[0].name if entities.organizations else None
    events = find_events(text, published_day, entities.places, organizer)
    future = sum(1 for e in events if published_iso and e.date >= published_iso)
    amounts = find_amounts(text, lang.language)
    article_kind, _ = kind.classify(text, title, future, len(events) - future, len(amounts))
    return Article(
        url=url,
        title=title,
        published=published_iso,
        language=lang.language,
        kind=article_kind,
        topics=tagged.topics,
        organizations=entities.organizations,
        places=entities.places,
        amounts=amounts,
        events=events if article_kind.startswith("event") or events else [],
        summary=summary.summarise(text, title),
        text=text,
        topic_scores=tagged.scores,
        passages=lang.passages,
        fingerprint=fingerprint(text),
        enrichment_version=ENRICHMENT_VERSION,
    )


def iso_date(value: str | None) -> str | None:
    """The ISO date (YYYY-MM-DD) at the start of a date or datetime string, else None."""
    if not value:
        return None
    match = _ISO_DATE.match(value.strip())
    return match.group(0) if match else None


def fingerprint(text: str) -> str:
    """A hash of the normalised words: the same story re-published with new markup matches."""
    normalised = " ".join(re.findall(r"\w+", text.lower()))
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]
