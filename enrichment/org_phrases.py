"""Organisation names that are not one run of capitalised words, and mentions that only
repeat an organisation the text has already named.

* English names with small words inside ("Nordic Council of Ministers", "Swedish Association
  of Local Authorities and Regions", "Administrative Court in Stockholm"): their head noun
  (Court, Agency, Association, Forum ...) says what the body is
  (config/enrichment/organizations.yaml, english_heads);
* a municipality or county written the English way ("City of Copenhagen", "Municipality of
  Bergen", "Norrtälje Municipality", "Vestland County Council"): the gazetteer's body;
* a name that opens with a suspended compound ("Vann- og avløpsetaten") and ends like an
  agency's name is one body;
* a branch named after its national body ("NHO Arktis", "KS Vestland", "NHO Service og
  Handel") is an organisation of its own, not the national one;
* back-references: "Klagenævnet" after "Klagenævnet for Udbud", "Veidekke" after "Veidekke
  Entreprenør AS", "the Authority" after "the Swedish Competition Authority" name the same
  body again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from enrichment.gazetteer import Entry, Match, load_gazetteer
from enrichment.org_rules import rules
from enrichment.resources import load_yaml
from procradar.core.models import Organization

Span = tuple[int, int]
_CAP = r"[A-ZÅÄÖÆØÉÜ][\w'’-]*"
_CONNECTOR = r"(?:of the|for the|of|for|and|on|in|&)"
_PHRASE = re.compile(rf"(?<![\w-]){_CAP}(?:[ ]{_CAP})*(?:[ ]{_CONNECTOR}[ ]{_CAP}(?:[ ]{_CAP})*)*")
_LEADING = frozenset({"The", "A", "An", "In", "On", "At", "For", "From", "By", "With", "And"})
# Adjectives of nationality say which country an English name belongs to.
_NATIONALITY = {
    "Swedish": "SE",
    "Sweden": "SE",
    "Norwegian": "NO",
    "Norway": "NO",
    "Danish": "DK",
    "Denmark": "DK",
    "Finnish": "FI",
    "Finland": "FI",
    "European": "EU",
}
_LANGUAGE_COUNTRY = {"sv": "SE", "nb": "NO", "nn": "NO", "da": "DK", "fi": "FI"}
_TYPE_OF_ROLE = {
    "court": "review_body",
    "authority": "agency",
    "association": "association",
    "buyer": "other",
    "other": "other",
}
# "Complaints Board" is a review body; a city's or county's council is the buyer itself.
_ROLE_AFTER = {("Complaints", "Board"): "court", ("Appeals", "Board"): "court"}
_BUYER_COUNCILS = frozenset({"City", "County", "Municipal", "Regional", "Town"})


@cache
def _english_heads() -> dict[str, str]:
    data = load_yaml("enrichment/organizations.yaml")["english_heads"]
    return {head: role for role, heads in data.items() for head in str(heads).split()}


@cache
def _head_nouns() -> frozenset[str]:
    """The English head nouns, case-folded, as back-references use them ("the Authority")."""
    return frozenset(h.casefold() for h in _english_heads())


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    organization: Organization


def english_names(text: str, taken: list[Span], language: str | None) -> list[Found]:
    """English organisation names built around a head noun, beyond the spans taken."""
    heads = _english_heads()
    found: list[Found] = []
    for match in _PHRASE.finditer(text):
        tokens = [
            (m.start() + match.start(), m.end() + match.start(), m.group())
            for m in re.finditer(r"\S+", match.group())
        ]
        for start, end, words in _names_in(tokens, heads, taken):
            role = _role(words, heads)
            country = next((_NATIONALITY[w] for w in words if w in _NATIONALITY), None)
            org = Organization(
                name=text[start:end],
                type=_TYPE_OF_ROLE[role],
                country=country or _LANGUAGE_COUNTRY.get(language or "", "SE"),
                role=role,
            )
            found.append(Found(start, end, org))
    return found


def _names_in(
    tokens: list[tuple[int, int, str]], heads: dict[str, str], taken: list[Span]
) -> list[tuple[int, int, list[str]]]:
    """The names in one phrase: cut where a taken span starts and at an "and" that joins two
    names each with its own head ("Dansk Byggeri and the Danish Energy Agency")."""
    parts: list[list[tuple[int, int, str]]] = [[]]
    for token in tokens:
        if any(s < token[1] and token[0] < e for s, e in taken):
            parts.append([])
            continue
        parts[-1].append(token)
    names = []
    for part in parts:
        for piece in _split_at_and(part, heads):
            while piece and (piece[0][2] in _LEADING or piece[0][2].islower()):
                piece = piece[1:]
            while piece and piece[-1][2].islower():  # a connector left at the end
                piece = piece[:-1]
            words = [w for _, _, w in piece]
            if len(words) >= 2 and any(w in heads for w in words):
                names.append((piece[0][0], piece[-1][1], words))
    return names


def _split_at_and(
    part: list[tuple[int, int, str]], heads: dict[str, str]
) -> list[list[tuple[int, int, str]]]:
    for i, (_, _, word) in enumerate(part):
        if word in ("and", "&"):
            left, right = part[:i], part[i + 1 :]
            if any(w in heads for _, _, w in left) and any(w in heads for _, _, w in right):
                return [left, *_split_at_and(right, heads)]
    return [part]


def _role(words: list[str], heads: dict[str, str]) -> str:
    for i, word in enumerate(words):
        if word not in heads:
            continue
        previous = words[i - 1] if i else ""
        if (previous, word) in _ROLE_AFTER:
            return _ROLE_AFTER[(previous, word)]
        if word == "Council" and previous in _BUYER_COUNCILS:
            return "buyer"
        return heads[word]
    return "other"


# "Vann- og avløpsetaten", "Utviklings- og kompetanseetaten": a name that opens with a
# suspended compound is one body when its last word ends like an authority's name.
_SUSPENDED = re.compile(
    r"(?<![\w-])[A-ZÅÄÖÆØ]\w*-(?:,[ ][a-zåäöæø]\w*-)*[ ](?:og|och)[ ]([a-zåäöæø]\w+)(?![\w-])"
)


def suspended_agencies(text: str, taken: list[Span], language: str | None) -> list[Found]:
    endings = rules().authority_endings
    country = _LANGUAGE_COUNTRY.get(language or "", "SE")
    found = []
    for m in _SUSPENDED.finditer(text):
        last = m.group(1)
        if any(s < m.end() and m.start() < e for s, e in taken) or not last.endswith(endings):
            continue
        if last in rules().generic_nouns:  # "Lov- og regelverket"
            continue
        org = Organization(name=m.group(), type="agency", country=country, role="authority")
        found.append(Found(m.start(), m.end(), org))
    return found


# --- universities and colleges --------------------------------------------------------------

_PLACE_WORD = r"[A-ZÅÄÖÆØ][\w-]+"
# "Universitetet i Stavanger", "Högskolan i Borås", "Høgskulen på Vestlandet", "Linköpings
# universitet", "Aarhus Universitet", "University of Bergen", "Copenhagen Business School".
_INSTITUTION = re.compile(
    rf"(?<![\w-])(?:(?:Universitetet|Högskolan|Høgskolen|Høgskulen)[ ](?:i|på)[ ]{_PLACE_WORD}"
    rf"|{_PLACE_WORD}[ ](?:[Uu]niversitet|[Tt]ekniska[ ]högskola|Business[ ]School)"
    rf"|University[ ]of[ ]{_PLACE_WORD}|(?!The[ ]){_PLACE_WORD}[ ]University(?![ ]Hospital)"
    r")(?![\w-])"
)


def institutions(text: str, taken: list[Span], language: str | None) -> list[Found]:
    """Universities and colleges: named in passing (a study, a partner) unless the text says
    they buy."""
    found = []
    for m in _INSTITUTION.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        country = _place_country(m.group()) or _LANGUAGE_COUNTRY.get(language or "", "SE")
        buys = rules().buyer_after.match(text[m.end() : m.end() + 60].lower()) is not None
        role = "buyer" if buys else "other"
        org = Organization(name=m.group(), type="other", country=country, role=role)
        found.append(Found(m.start(), m.end(), org))
    return found


def _place_country(name: str) -> str | None:
    """The country of the town a name holds ("University of Bergen": NO), if known."""
    for word in re.findall(r"[A-ZÅÄÖÆØ][\w-]+", name):
        countries = {e.country for e in load_gazetteer().place_entries(word.removesuffix("s"))}
        countries |= {e.country for e in load_gazetteer().place_entries(word)}
        if len(countries) == 1:
            return countries.pop()
    return None


# --- municipalities and counties named the English way ----------------------------------------

_BEFORE_PLACE = re.compile(r"(?:City|Municipality|Town|County) of $")
_AFTER_PLACE = re.compile(
    r"^(?:'s)?[ ](?:Municipality|municipality|City Council|Municipal Council|County Council"
    r"|County Municipality|county council|county municipality)(?![\w-])"
)
_COUNTY_WORDS = ("County", "county")


def english_bodies(text: str, language: str | None) -> list[tuple[int, int, Entry]]:
    """(start, end, entry) of "City of X", "X Municipality", "X County Council" ..."""
    country = _LANGUAGE_COUNTRY.get(language or "")
    found = []
    for place in load_gazetteer().find_places(text):
        before = _BEFORE_PLACE.search(text, max(0, place.start - 20), place.start)
        after = _AFTER_PLACE.match(text[place.end : place.end + 30])
        if before is None and after is None:
            continue
        phrase = (before.group() if before else "") + (after.group() if after else "")
        county = any(w in phrase for w in _COUNTY_WORDS)
        wanted = ("county", "region") if county else ("municipality",)
        entries = [e for e in place.entries if e.type in wanted]
        preferred = [e for e in entries if e.country == country] or entries
        if len(preferred) == 1:
            start = before.start() if before else place.start
            end = place.end + (after.end() if after else 0)
            found.append((start, end, preferred[0]))
    return found


# --- branches of a national body --------------------------------------------------------------

# "KS Innkjøpskonferanse", "NHO Årskonferansen": the body's event, not a branch of it.
_EVENT = re.compile(
    r"(?:konferanse|konferens|konference|conference|seminar|dag|dagen|day|møte|möte|møde"
    r"|pris|prisen|priset|award|rapport|report|undersøkelse|undersøkelsen|webinar)\w{0,3}\b",
    re.IGNORECASE,
)
_BRANCH = re.compile(r"[ ]([A-ZÅÄÖÆØ][\w-]+(?:[ ](?:og|och|and|&)(?:[ ][A-ZÆØÅÄÖ][\w-]+|$))*)")


def branch_end(text: str, match: Match, skip: frozenset[str], others: list[int]) -> int | None:
    """End of "NHO Arktis", "KS Vestland", "NHO Service og Handel", "Företagarna Uppsala" when
    the acronym or one-word name of a national association is followed by a capitalised name
    on the same line (up to where another known body starts: "NHO Arktis og KS")."""
    surface = match.surface
    # an acronym ("NHO Arktis") or a one-word name ("Företagarna Uppsala", "Almega
    # Tjänsteföretagen"); a longer name is complete as it stands
    if match.entry.type != "association" or " " in surface:
        return None
    stop = min((s for s in others if s > match.end), default=len(text))
    branch = _BRANCH.match(text, match.end, stop)
    if branch is None or branch.group(1).split()[0] in skip or _EVENT.search(branch.group(1)):
        return None
    if not surface.isupper():  # "Almega Tjänsteföretagen och Kommunal": two bodies
        return match.end + 1 + len(branch.group(1).split()[0])
    return match.end + len(re.sub(r"[ ](?:og|och|and|&)$", "", branch.group()))


# --- back-references --------------------------------------------------------------------------


def _words(name: str) -> list[str]:
    words = [w.casefold() for w in re.findall(r"\w+(?:[-/&]\w+)*", name)]
    return words[1:] if words[:1] == ["the"] else words


def short_form(short: str, full: str, head_nouns: frozenset[str]) -> bool:
    """``short`` repeats ``full``: its first or last words ("Klagenævnet" of "Klagenævnet for
    Udbud", "Public Roads Administration"), or its head noun alone ("the Authority")."""
    s, f = _words(short), _words(full)
    if not s or len(s) >= len(f):
        return False
    variants = [s]
    if s[-1].endswith("s") and len(s[-1]) > 3:  # a genitive: "Falcks", "Veidekkes"
        variants.append([*s[:-1], s[-1][:-1]])
    for v in variants:
        if f[: len(v)] == v or f[-len(v) :] == v:
            return True
    return len(s) == 1 and s[0] in head_nouns and s[0] in f


def repeated(
    mentions: list[tuple[str, str, bool]], other_names: dict[str, tuple[str, ...]]
) -> set[str]:
    """Keys of organisations found from the text alone whose every mention repeats another
    organisation of the text. ``mentions``: (key, surface, from gazetteer); ``other_names``:
    key -> further names of that organisation (a gazetteer entry's aliases)."""
    head_nouns = _head_nouns()
    names: dict[str, set[str]] = {}
    for key, surface, _ in mentions:
        names.setdefault(key, set()).add(surface)
    for key, extra in other_names.items():
        names.setdefault(key, set()).update(extra)
    found_alone = {key for key, _, gazetteer in mentions if not gazetteer}
    found_alone -= {key for key, _, gazetteer in mentions if gazetteer}
    dropped = set()
    for key in found_alone:
        others = [n for k, ns in names.items() if k != key and k not in dropped for n in ns]
        if all(any(short_form(s, full, head_nouns) for full in others) for s in names[key]):
            dropped.add(key)
    return dropped


def title_repeats(title: list[Organization], body: list[Organization]) -> list[Organization]:
    """The title's organisations without those the body names in full ("Transdev" in the
    title, "Transdev Sverige AB" in the text): the title shortens names to fit."""
    head_nouns = _head_nouns()
    return [
        org
        for org in title
        if not any(short_form(org.name, other.name, head_nouns) for other in body)
    ]
