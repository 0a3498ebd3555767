"""Organisations and places, resolved through the gazetteer (config/gazetteers/)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from enrichment.gazetteer import Entry, load_gazetteer
from enrichment.resources import load_yaml
from procradar.models import Organization

Span = tuple[int, int]


@dataclass
class Entities:
    organizations: list[Organization] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    # Where the names stand, so topic tagging can skip them: "Sykehusbygg" is a buyer's name,
    # not a sign that the article is about construction.
    text_spans: list[Span] = field(default_factory=list)
    title_spans: list[Span] = field(default_factory=list)


def find_entities(text: str, title: str = "") -> Entities:
    gazetteer = load_gazetteer()
    found = Entities()
    organizations: dict[str, Organization] = {}
    places: dict[str, None] = {}
    for source, spans in ((title, found.title_spans), (text, found.text_spans)):
        for match in gazetteer.find(source):
            organizations.setdefault(match.entry.id, _organization(match.entry))
            spans.append((match.start, match.end))
        # "Region Skåne" names a buyer; "in Skåne" names a place.
        for start, end, place in _place_mentions(source):
            if not any(s < end and start < e for s, e in spans):
                places.setdefault(place, None)
    found.organizations = list(organizations.values())
    found.places = list(places)
    return found


def _place_mentions(text: str) -> list[tuple[int, int, str]]:
    found = [(p.start, p.end, p.place) for p in load_gazetteer().find_places(text)]
    for m in _extra_places().finditer(text):
        # "Romsdal" inside "Møre og Romsdal" is the county, already found.
        if not any(s < m.end() and m.start() < e for s, e, _ in found):
            found.append((m.start(), m.end(), m.group(1)))
    return sorted(found)


@cache
def _extra_places() -> re.Pattern[str]:
    """Traditional regions, districts and localities from config/enrichment/places.yaml."""
    data = load_yaml("enrichment/places.yaml") or {}
    names = sorted({n for spec in data.values() for n in str(spec).split()}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")s?(?![\w-])")


def _organization(entry: Entry) -> Organization:
    return Organization(
        name=entry.name,
        type=entry.type,
        country=entry.country,
        id=entry.org_number,
        region=entry.region,
    )


def mask(text: str, spans: list[Span]) -> str:
    """text with the spans blanked out (same length, so offsets stay valid)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
