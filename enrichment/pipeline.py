"""The stages in order: extract, language, topics, entities, amounts, events, kind, summary."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from enrichment import kind, language, nlp, org_phrases, relevance, summary, topics
from enrichment.amounts import find_amounts
from enrichment.dates import parse_iso
from enrichment.entities import find_entities, mask
from enrichment.events import find_events
from enrichment.extract import extract
from enrichment.resources import data_fingerprint
from procradar.core.models import Article, Organization

# Bump CODE_VERSION when the code's output for the same input changes; the data files are
# hashed in, so editing a lexicon or the gazetteer changes the version too and
# `procradar reindex` re-enriches the stored pages whose enrichment_version differs.
CODE_VERSION = "0.2.0"
ENRICHMENT_VERSION = f"{CODE_VERSION}+{data_fingerprint()}"

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def valid_unicode(text: str) -> str:
    """`text` with any lone surrogate replaced by U+FFFD."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def enrich(
    html_or_text: str,
    url: str = "",
    published: str | None = None,
    source_language: str | None = None,
    title: str | None = None,
    relevance_prior: str | None = None,
    buyer: Organization | None = None,
) -> Article:
    """Extract the article from HTML (plain text passes through) and annotate it.
    `relevance_prior` is the source's prior for the relevance gate (trusted, general);
    `buyer` the public body whose own site published the page (the enrichment stage looks
    it up in the catalogue): the article names it among its organisations."""
    # Lone surrogates (JSON "\udc80" in an ingest file) break every UTF-8 consumer.
    html_or_text, title = valid_unicode(html_or_text or ""), title and valid_unicode(title)
    extracted = extract(html_or_text, url)
    return annotate(
        extracted.text,
        title=(title or extracted.title or "").strip(),
        url=url,
        published=iso_date(published) or iso_date(extracted.date),
        source_language=source_language,
        relevance_prior=relevance_prior,
        buyer=buyer,
    )


def annotate(
    text: str,
    title: str = "",
    url: str = "",
    published: str | None = None,
    source_language: str | None = None,
    relevance_prior: str | None = None,
    buyer: Organization | None = None,
) -> Article:
    """Annotate an already extracted text (the stages after extraction)."""
    published_iso = iso_date(published)
    published_day = parse_iso(published_iso)
    lang = language.detect(text, source_language, title)
    doc = nlp.process(text, lang.language, published_day)
    in_title = find_entities(title, lang.language)
    in_body = doc._.organizations
    titled = org_phrases.title_repeats(in_title.organizations, in_body)
    organizations = _unique(titled + in_body, lambda o: o.name)
    places = _unique(in_title.places + doc._.places, str)
    units = nlp.units(doc, title, mask(title, in_title.spans))
    sentence_count = sum(1 for number, _text, _words in units if number >= 0)
    tagged = topics.decide(topics.tally(units, lang.language), sentence_count=sentence_count)
    mentions = [span._.date_mention for span in doc.spans["dates"]]
    # A supplier meeting on a municipality's own site is the municipality's meeting.
    organizer = organizations[0].name if organizations else (buyer.name if buyer else None)
    events = find_events(text, published_day, places, organizer, mentions, title)
    future = sum(1 for e in events if published_iso and e.date >= published_iso)
    amounts = [span._.amount for span in doc.spans["amounts"]]
    seen = {(a.value, a.currency) for a in amounts}
    amounts += [a for a in find_amounts(title, lang.language) if (a.value, a.currency) not in seen]
    article_kind, _ = kind.classify(text, title, future, len(events) - future, len(amounts))
    verdict = relevance.assess(
        text, title, article_kind, tagged.topics, organizations, relevance_prior
    )
    # The source's buyer joins after the gate: naming it says nothing about procurement.
    if buyer is not None and not _names(organizations, buyer):
        organizations = [*organizations, buyer]
    if not verdict.relevant:  # a public body is a buyer only in a procurement
        organizations = [relevance.as_authority(o) for o in organizations]
        # Topics describe procurement news; a school closing is not "healthcare" news here.
        tagged = topics.TopicResult(topics=[], scores={})
    return Article(
        url=url,
        title=title,
        published=published_iso,
        language=lang.language,
        kind=article_kind,
        topics=tagged.topics,
        organizations=organizations,
        places=places,
        amounts=amounts,
        events=events,
        summary=summary.summarise(text, title),
        text=text,
        topic_scores=tagged.scores,
        passages=lang.passages,
        enrichment_version=ENRICHMENT_VERSION,
        relevant=verdict.relevant,
        relevance=verdict.score,
        relevance_evidence=verdict.evidence,
    )


T = TypeVar("T")


def _names(organizations: list[Organization], body: Organization) -> bool:
    """Whether the text already names `body` (the gazetteer gives both the same name)."""
    name = body.name.casefold()
    return any(
        o.name.casefold() == name or (body.id is not None and o.id == body.id)
        for o in organizations
    )


def _unique(items: list[T], key: Callable[[T], str]) -> list[T]:
    seen: set[str] = set()
    result: list[T] = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            result.append(item)
    return result


def iso_date(value: str | None) -> str | None:
    """The ISO date (YYYY-MM-DD) at the start of a date or datetime string, else None."""
    if not value:
        return None
    match = _ISO_DATE.match(value.strip())
    return match.group(0) if match else None
