"""What both backends index for an article: its text, stems, compound parts, concepts, facets.

ANALYSIS_VERSION changes whenever this derivation changes, so an index built by older code
is known to need `procradar reindex`.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from procradar.core.catalogue import region_names
from procradar.core.crosslingual import TITLE_PREFIX, equivalences
from procradar.core.index.analysis import analyze, tagged
from procradar.core.index.kinds import kind_token
from procradar.core.index.places import place_districts, place_regions
from procradar.core.models import Article
from procradar.core.query import words
from procradar.core.resources import CONFIG_DIR

#: The derivation's code. The data it reads (concept lists, compound parts, stop words,
#: spelling rules, the catalogue's regions, the gazetteers' places) is hashed into
#: ANALYSIS_VERSION as well: a changed word list changes what an article is indexed under
#: as much as code does.
ANALYSIS_CODE = "10"
ANALYSIS_DATA = ("search", "catalogue", "gazetteers")


def _data_fingerprint() -> str:
    digest = hashlib.sha256()
    for folder in ANALYSIS_DATA:
        for path in sorted(p for p in (CONFIG_DIR / folder).rglob("*") if p.is_file()):
            digest.update(path.relative_to(CONFIG_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


ANALYSIS_VERSION = f"{ANALYSIS_CODE}+{_data_fingerprint()}"
LANGUAGE_COUNTRY = {"sv": "SE", "nb": "NO", "nn": "NO", "da": "DK", "fi": "FI"}
# A concept named in the title says more about the article than one in passing in its text
# (as the title's own words weigh more): its token is written this many times for a mention
# in the title, the summary and the text. Both backends score concepts by term frequency.
CONCEPT_REPEATS = (3, 2, 1)


def title_tokens(tokens: list[str]) -> list[str]:
    """Once each, the title marks of the concepts a title names (`xc...` -> `xt...`)."""
    return [TITLE_PREFIX + t[len("xc") :] for t in dict.fromkeys(tokens) if t.startswith("xc")]


@dataclass
class IndexedDoc:
    url: str
    data: dict[str, Any]  # Article.to_dict()
    published: str | None  # published, or else first_seen: the date results sort by
    language: str
    kind: str
    source: str
    title: str
    summary: str
    text: str
    meta: str  # organisations and places, searchable as written
    stitle: str
    ssummary: str
    stext: str
    parts: str
    concepts: list[str]
    facets: dict[str, list[str]] = field(default_factory=dict)  # multi-valued facet fields
    indexed_at: float = 0.0  # epoch seconds this version was written (SearchRequest.indexed_since)


def countries(article: Article) -> list[str]:
    """Countries of the organisations named; failing that, of the article's language."""
    found = sorted({o.country for o in article.organizations if o.country})
    if not found and article.language in LANGUAGE_COUNTRY:
        found = [LANGUAGE_COUNTRY[article.language]]
    return found


def regions(article: Article) -> list[str]:
    """Counties and regions of the public bodies the article names (as the gazetteer placed
    them) and of the source it came from: where the procurement is, as suppliers look."""
    names = region_names()
    found = {names.by_source.get(article.source or "")}
    for org in article.organizations:
        found.add(names.by_name.get(org.region or ""))
        if org.type in ("region", "county"):  # the regional body itself
            found.add(names.by_name.get(org.name))
    return sorted(r for r in found if r)


def event_days(article: Article) -> list[str]:
    """The valid ISO days of the article's events (filtered on by SearchRequest.event_after)."""
    days = set()
    for event in article.events:
        day = str(event.date or "")[:10]
        try:
            days.add(date.fromisoformat(day).isoformat())
        except ValueError:
            continue
    return sorted(days)


def prepare(article: Article) -> IndexedDoc:
    lang = article.language or "und"
    analysed = [analyze(t, lang) for t in (article.title, article.summary, article.text)]
    concepts: list[str] = []
    named = [equivalences().in_document(stems, parts, lang) for stems, parts in analysed]
    for repeat, tokens in zip(CONCEPT_REPEATS, named, strict=True):
        concepts += tokens * repeat
    titled = list(named[0])
    if lang == "nn":  # words that name a concept only in their bokmål form
        fields = (article.title, article.summary, article.text)
        for repeat, text in zip(CONCEPT_REPEATS, fields, strict=True):
            concepts += equivalences().in_other_written_form(words(text)) * repeat
        titled += equivalences().in_other_written_form(words(article.title))
    concepts += title_tokens(titled)
    concepts += equivalences().annotations(article.topics, countries(article), regions(article))
    concepts += kind_token(article.kind)
    # The regions its places lie in (Bodø: Nordland), once each, unless the facets had them.
    located = set(regions(article))
    concepts += equivalences().annotations(
        (),
        (),
        [r for r in place_regions(article.places) if r not in located],
        place_districts(article.places),
    )
    orgs = [o.name for o in article.organizations]
    # The date field sorts and filters: an undated article counts from the day it was first
    # seen (the hit's own data still says published null and shows "first seen").
    published = (article.published or article.first_seen or "")[:10] or None
    return IndexedDoc(
        url=article.url,
        data=article.to_dict(),
        published=published,
        language=lang,
        kind=article.kind or "news",
        source=article.source or "",
        title=article.title,
        summary=article.summary,
        text=article.text,
        meta=" ".join(orgs + list(article.places)),
        stitle=tagged(analysed[0][0], lang),
        ssummary=tagged(analysed[1][0], lang),
        stext=tagged(analysed[2][0], lang),
        parts=tagged([p for _, parts in analysed for p in parts], lang),
        concepts=concepts,
        facets={
            "topic": list(dict.fromkeys(article.topics)),
            "country": countries(article),
            "region": regions(article),
            "org": list(dict.fromkeys(orgs)),
            "event": event_days(article),
        },
        indexed_at=time.time(),
    )
