"""Organisations and places, resolved through the gazetteer (config/gazetteers/)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cache

from enrichment import org_phrases, org_roles, organizations
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
    # "Götene, Skara och Vara kommuner": bare names in a list of buyers.
    for start, end, entry in _municipality_list(text, found.spans, language):
        add(entry.id, _organization(entry, text, (start, end)), (start, end), entry)
    # "Region Skåne" names a buyer; "in Skåne" names a place.
    for start, end, place in _place_mentions(text):
        if not any(s < end and start < e for s, e in found.spans):
            places.setdefault(place, None)
            found.place_spans.append((start, end))
    for agency in org_phrases.suspended_agencies(text, found.spans, language):
        add(agency.organization.name.casefold(), agency.organization, (agency.start, agency.end))
    for institution in org_phrases.institutions(text, found.spans, language):
        org = institution.organization
        add(org.name.casefold(), org, (institution.start, institution.end))
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
    r"together|jointly|tecknat|tecknade|signert|signerte|inngått|inngikk|indgået|indgik|"
    # members of an agreement or a joint purchase: "Luster og Årdal er med i avtalen"
    r"med i (?:avtal|aftal|kontrakt|ramavtal|rammeavtal|rammeaftal|upphandling|anskaffels|"
    r"anbodskonkurranse|konkurranse|udbud)|"
    r"(?:ingår|deltar|deltek|deltager) i (?:avtal|aftal|upphandling|anskaff|udbud|innkjøp|indkøb)|"
    r"avropa|avropar|avrope|avroper|join|are buying|will buy",
    re.IGNORECASE,
)
# "kommunerna Umeå, Vännäs och Bjurholm": the list names what the noun before it says.
_MUNICIPALITIES_BEFORE = re.compile(
    r"(?i:kommunerna|kommunene|kommunane|kommunerne|städerna|byene|byane|byerne|"
    r"the municipalities|the cities|the towns)\s+(?:of\s+)?"
    r"(?:[A-ZÅÄÖÆØ][\w-]*(?:,\s*|\s+(?:och|og|and)\s+))*$"
)
_PLACE_BEFORE = re.compile(r"(?<!\w)(?:i|in|på|fra|från|til|till|from|to|at|ved|vid)\s+$")
# A bare name listed beside a municipality named in full ("Bærum kommune, Oslobygg KF og
# Asker") is one too.
_MUNICIPALITY_WORD = re.compile(
    r"(?:kommun|kommune|kommunes|kommuns|stad|municipality|city council)$", re.IGNORECASE
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
        start, end = group[0].start, group[-1].end
        named = _MUNICIPALITIES_BEFORE.search(text, max(0, start - 60), start) is not None
        beside = _beside_municipality(text, start, end, taken)
        if not named and _PLACE_BEFORE.search(text, max(0, start - 8), start):
            continue  # "dialogmøter i Bergen og Stavanger": where, not who
        if len(group) < 2 and not named and not beside:
            continue
        sentence = org_roles.sentence_around(text, start, end)
        if not (
            named
            or beside
            or _MUNICIPALITY_CONTEXT.search(sentence)
            or organizations.rules().buyer_context.search(sentence.lower())
        ):
            continue
        for place in group:
            entries = [e for e in place.entries if e.type == "municipality"]
            preferred = [e for e in entries if e.country == country] or entries
            if len(preferred) == 1:
                found.append((place.start, place.end, preferred[0]))
    return found


def _beside_municipality(text: str, start: int, end: int, taken: list[Span]) -> bool:
    """Whether a municipality named in full stands next to start..end in the same list."""
    for s, e in taken:
        between = text[e:start] if e <= start else text[end:s] if s >= end else None
        if (
            between is not None
            and len(between) < 40
            and _SEPARATORS.fullmatch(_skip_names(between))
            and _MUNICIPALITY_WORD.search(text[s:e])
        ):
            return True
    return False


_SEPARATORS = re.compile(r"(?:\s*(?:,|\bog\b|\boch\b|\band\b|\bsamt\b|&)\s*)+")


def _skip_names(between: str) -> str:
    """What separates two list items once the names between them are left out."""
    return re.sub(r"[A-ZÅÄÖÆØ][\w-]*(?:\s+[A-ZÅÄÖÆØ][\w-]*)*", "", between)


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
        role=org_roles.gazetteer_role(entry.type, entry.role, text, span),
    )


def mask(text: str, spans: list[Span]) -> str:
    """text with the spans blanked out (same length, so offsets stay valid)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
