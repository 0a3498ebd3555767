"""What a results page shows for each hit and facet value, prepared in Python.

A results page has twenty hits and up to a hundred facet values. Written as template
calls (labels, links, names per value) they were six hundred Jinja calls a page, the
largest part of rendering it; here each value costs a few dictionary lookups and the
template only places the strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from search_app import i18n
from search_app.params import FILTERS, Params
from search_app.queries import Result
from search_app.security import safe_url, snippet_html
from search_app.sources import source_name
from search_app.templating import article_href, source_href, value_label

HTML_LANGS = ("sv", "nb", "nn", "da", "fi", "en")  # the lang attribute takes known codes only


@dataclass(slots=True)
class FacetValue:
    label: str
    link: str | None  # None: the value is one of the active filters
    count: int


@dataclass(slots=True)
class Facet:
    name: str
    values: list[FacetValue]
    shown: int  # how many are shown before "more…"


@dataclass(slots=True)
class HitRow:
    href: str
    title: str
    lang: str  # for the lang attribute ('' when unknown)
    date: str  # published, or first seen when undated
    first_seen: bool  # `date` is the first-seen date
    source_href: str
    source_name: str
    language: str  # the language's name
    kind: str  # the kind's name
    general: bool  # general news (the relevance gate left it out by default)
    event_date: str
    event_place: str
    snippet: Markup | str
    copies: list[tuple[str | None, str]] = field(default_factory=list)  # (safe url, label)


def facets(params: Params, found: dict[str, list[tuple[str, int]]], shown: int) -> list[Facet]:
    """The facets of a results page, in filter order, without the empty ones."""
    out = []
    for name in FILTERS:
        chosen = params.filters.get(name, ())
        link = params.adding_links(name)
        values = [
            FacetValue(value_label(name, value), None if value in chosen else link(value), n)
            for value, n in found.get(name, [])
        ]
        if values:
            out.append(Facet(name, values, shown))
    return out


def hits(results: list[Result]) -> list[HitRow]:
    return [_hit_row(r) for r in results]


def _hit_row(result: Result) -> HitRow:
    hit: dict[str, Any] = result.hit
    published = str(hit.get("published") or "")[:10]
    seen = "" if published else str(hit.get("first_seen") or "")[:10]
    source = hit.get("source")
    events = hit.get("events") or []
    event = events[0] if events and isinstance(events[0], dict) else {}
    snippet = hit.get("snippet")
    language = str(hit.get("language") or "")
    return HitRow(
        href=article_href(str(hit["id"])),
        title=str(hit.get("title") or hit.get("url") or ""),
        lang=language if language in HTML_LANGS else "",
        date=published or seen,
        first_seen=bool(seen),
        source_href=source_href(str(source)) if source else "",
        source_name=source_name(source) if source else "",
        language=i18n.label("language", language),
        kind=i18n.label("kind", hit.get("kind")),
        general=hit.get("relevant") is False,
        event_date=str(event.get("date") or ""),
        event_place=str(event.get("place") or ""),
        snippet=snippet_html(snippet) if snippet else str(hit.get("summary") or "")[:300],
        copies=[(safe_url(c["url"]), c["label"]) for c in result.copies],
    )
