"""Organisations and places, resolved through the gazetteer (config/gazetteers/)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cache

from enrichment import org_phrases, organizations
from enrichment.gazetteer import Entry, PlaceMatch, load_gazetteer
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


def find_entities(text: str, language: str | None = None) -> Entities:
    gazetteer = load_gazetteer()
    found = Entities()
    organizations_: dict[str, Organization] = {}
    places: dict[str, None] = {}
    # (key, surface, from the gazetteer) of every mention, to tell repeats from new bodies
    mentions: list[tuple[str, str, bool]] = []
    names: dict[str, tuple[str, ...]] = {}
    rules = organizations.rules()
    not_branches = rules.function_words | rules.first_names | frozenset(rules.suffixes)

    def add(key: str, org: Organization, span: Span, entry: Entry | None = None) -> None:
        organizations_.setdefault(key, org)
        found.spans.append(span)
        found.ids.append(entry.id if entry else "")
        mentions.append((key, text[span[0] : span[1]], entry is not None))
        if entry is not None:
            names[key] = entry.names

    matches = gazetteer.find(text)
    starts = [m.start for m in matches]
    for match in matches:
        end = org_phrases.branch_end(text, match, not_branches, starts)
        if end is not None:  # "NHO Arktis": a branch, not the national body
            branch = dataclasses.replace(
                _organization(match.entry, text, (match.start, end)), name=text[match.start : end]
            )
            add(branch.name.casefold(), branch, (match.start, end))
            continue
        span = (match.start, match.end)
        add(match.entry.id, _organization(match.entry, text, span), span, match.entry)
    for start, end, entry in org_phrases.english_bodies(text, language):  # "City of Malmö"
        if not any(s < end and start < e for s, e in found.spans):
            add(entry.id, _organization(entry, text, (start, end)), (start, end), entry)
    # "Region Skåne" names a buyer; "in Skåne" names a place.
    for start, end, place in _place_mentions(text):
        if not any(s < end and start < e for s, e in found.spans):
            places.setdefault(place, None)
            found.place_spans.append((start, end))
    # "Götene, Skara och Vara kommuner": bare names in a list of buyers.
    for start, end, entry in _municipality_list(text, found.spans, language):
        add(entry.id, _organization(entry, text, (start, end)), (start, end), entry)
    for agency in org_phrases.suspended_agencies(text, found.spans, language):
        add(agency.organization.name.casefold(), agency.organization, (agency.start, agency.end))
    for english in org_phrases.english_names(text, found.spans, language):
        org = english.organization
        add(org.name.casefold(), org, (english.start, english.end))
    context = organizations.Context(tuple(found.spans), tuple(found.place_spans), language)
    for mention in organizations.find(text, context):
        org = mention.organization
        add(org.name.casefold(), org, (mention.start, mention.end))
    repeats = org_phrases.repeated(mentions, names)
    found.organizations = [org for key, org in organizations_.items() if key not in repeats]
    found.places = list(places)
    return found


_LIST_SEPARATOR = re.compile(r"\s*(?:,|\bog\b|\boch\b|\band\b|\bsamt\b|\bsamt\b)\s*$")
# A list of bare municipality names is a list of buyers when the sentence says so.
# ("i kommunene Namsos, Overhalla og Grong" only says where; "Götene, Skara och Vara
# upphandlar tillsammans" names buyers.)
_MUNICIPALITY_CONTEXT = re.compile(
    r"tillsammans|(?<!til )sammen|(?<!til )saman|samarbe|samverka|gemensam|felles|fælles|"
    r"together|jointly|tecknat|tecknade|signert|signerte|inngått|inngikk|indgået|indgik",
    re.IGNORECASE,
)
_COUNTRY_OF = {"sv": "SE", "nb": "NO", "nn": "NO", "da": "DK"}


def _municipality_list(
    text: str, taken: list[Span], language: str | None
) -> list[tuple[int, int, Entry]]:
    """Municipalities named bare in a list of two or more ("Götene, Skara och Vara") in a
    sentence about municipalities or their cooperation."""
    matches = [
        p
        for p in load_gazetteer().find_places(text)
        if not any(s < p.end and p.start < e for s, e in taken)
        and any(e.type == "municipality" for e in p.entries)
    ]
    groups: list[list[PlaceMatch]] = []
    for place in matches:
        if groups and _LIST_SEPARATOR.fullmatch(" " + text[groups[-1][-1].end : place.start]):
            groups[-1].append(place)
        else:
            groups.append([place])
    found = []
    country = _COUNTRY_OF.get(language or "")
    for group in groups:
        if len(group) < 2:
            continue
        start, end = group[0].start, group[-1].end
        sentence = _sentence_around(text, start, end)
        if not (
            _MUNICIPALITY_CONTEXT.search(sentence)
            or organizations.rules().buyer_context.search(sentence.lower())
        ):
            continue
        for place in group:
            entries = [e for e in place.entries if e.type == "municipality"]
            preferred = [e for e in entries if e.country == country] or entries
            if len(preferred) == 1:
                found.append((place.start, place.end, preferred[0]))
    return found


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n")
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return text[left + 1 : min(rights) if rights else len(text)]


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


def _organization(entry: Entry, text: str, span: Span) -> Organization:
    return Organization(
        name=entry.name,
        type=entry.type,
        country=entry.country,
        id=entry.org_number,
        region=entry.region,
        role=organizations.gazetteer_role(entry.type, entry.role, text, span),
    )


def mask(text: str, spans: list[Span]) -> str:
    """text with the spans blanked out (same length, so offsets stay valid)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
