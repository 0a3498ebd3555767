"""Organisations and places, resolved through the gazetteer (config/gazetteers/)."""

from __future__ import annotations

from dataclasses import dataclass, field

from enrichment.gazetteer import Entry, load_gazetteer
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
        for place in gazetteer.find_places(source):
            places.setdefault(place.place, None)
    found.organizations = list(organizations.values())
    found.places = list(places)
    return found


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
