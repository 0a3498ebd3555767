"""Organisations and places, resolved through the gazetteer (config/gazetteers/)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from enrichment.gazetteer import Entry, load_gazetteer
from enrichment.resources import load_yaml
from procradar.core.models import Organization

Span = tuple[int, int]


@dataclass
class Entities:
    organizations: list[Organization] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    # Where the names stand, so topic tagging can skip them: "Sykehusbygg" is a buyer's name,
    # not a sign that the article is about construction.
    spans: list[Span] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # gazetteer id of each span's organisation
    place_spans: list[Span] = field(default_factory=list)


def find_entities(text: str) -> Entities:
    gazetteer = load_gazetteer()
    found = Entities()
    organizations: dict[str, Organization] = {}
    places: dict[str, None] = {}
    for match in gazetteer.find(text):
        organizations.setdefault(match.entry.id, _organization(match.entry))
        found.spans.append((match.start, match.end))
        found.ids.append(match.entry.id)
    # "Region Skåne" names a buyer; "in Skåne" names a place.
    for start, end, place in _place_mentions(text):
        if not any(s < end and start < e for s, e in found.spans):
            places.setdefault(place, None)
            found.place_spans.append((start, end))
    found.organizations = list(organizations.values())
    found.places = list(places)
    return found


def _place_mentions(text: str) -> list[tuple[int, int, str]]:
    found = [(p.start, p.end, p.place) for p in load_gazetteer().find_places(text)]
    extra = _extra_places()
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        name = word if word in extra else word[:-1] if word.endswith("s") else ""
        # "Romsdal" inside "Møre og Romsdal" is the county, already found.
        if name in extra and not any(s < m.end() and m.start() < e for s, e, _ in found):
            found.append((m.start(), m.end(), name))
    return sorted(found)


# Capitalised words, hyphenated ones whole (Nord-Norge); a set lookup each is cheaper than one
# regex alternation of every name.
_CAPITALISED = re.compile(r"(?<![\w-])[A-ZÅÄÖÆØÉÜ][\w]*(?:-[\w]+)*")


@cache
def _extra_places() -> frozenset[str]:
    """Traditional regions, districts and localities from config/enrichment/places.yaml."""
    data = load_yaml("enrichment/places.yaml") or {}
    return frozenset(n for spec in data.values() for n in str(spec).split())


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
