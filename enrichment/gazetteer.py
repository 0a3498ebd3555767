"""Gazetteer of Nordic public buyers and places, loaded from ``config/gazetteers/*.yaml``.

``load_gazetteer()`` reads the files once per process. The resulting ``Gazetteer`` resolves a
name to its ``Entry`` (``lookup``), finds every mention of a buyer in a text (``find``) and every
municipality/region place name (``find_places``).

Matching runs over tokens (words, hyphenated words, single punctuation marks) with a trie keyed
by lower-cased tokens, so a 400-word text takes about a millisecond. Case is then checked
per key, because capitalisation is what separates a name from an ordinary word:

* acronyms and short names (``KS``, ``SKI``, ``Difi``) and entries marked ``exact_case`` must be
  written as in the data or wholly in upper case ("ski", "Ski" and "nye veier" do not match);
* other names need their first letter capitalised when the data capitalises it and are
  otherwise case-insensitive: "Statens Vegvesen" and "Sveriges kommuner och regioner" match,
  "en sund kommune" does not match the former Sund kommune. ``lookup`` drops this rule.

The last word of a name may carry a genitive: ``Region Skånes``, ``Oslo kommunes``, ``KLs``,
``SKR:s``, ``KS's``.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from procradar.core.resources import CONFIG_DIR
from procradar.core.taxonomy import COUNTRIES as TAXONOMY_COUNTRIES
from procradar.core.taxonomy import ROLES

GAZETTEER_DIR = CONFIG_DIR / "gazetteers"
TYPES = frozenset(
    {"municipality", "region", "county", "agency", "cpb", "association", "review_body", "company"}
)
COUNTRIES = frozenset(TAXONOMY_COUNTRIES)
PLACE_TYPES = frozenset({"municipality", "region", "county"})


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Place names that are also everyday words or common surnames (sv/no/da/en). They count as
# places only mid-sentence, not after or before another capitalised word (a person's name),
# and not in an all-caps headline. A name here may be a place alias only ("Vasa" is Gustav
# Vasa as often as Vaasa; "Vaasa" itself is safe).
ORDINARY_WORD_PLACES = _word_set(
    """
    Ale Berg Boden Eda Grums Habo Heby Hjo Kil Kinda Klippan Laxå Lund Mark Mora Nora Orsa Sala
    Salem Skara Säter Trosa Vara Åre Alver Aure Bø Flå Fjord Frosta Gol Gran Grane Grue Gulen
    Heim Hol Hole Hvaler Hå Kinn Leka Lier Lom Loppa Lyngen Marker Moss Nes Nome Os Osen Rana
    Råde Røst Sande Sel Siljan Sola Stad Stange Strand Stranda Sula Time Tinn Valle Vang Vega
    Vik Øyer Ål Ås Greve Odder Skive Varde Vejen Hovedstaden Innlandet Viken
    Ii Aura Eura Kemi Simo Soini Tervo Kaarina Ingå Geta Hammarland Finström Vasa Vanda Lovisa
    """
)
# Capitalised only because they open a sentence, so the next word may still be a place.
_SENTENCE_PREPOSITIONS = _word_set(
    "i på från fra frå til till mot med ved vid hos om av af kring omkring utanför utenfor"
)
# "Hole kommune", "Vara kommun": the place is meant even at the start of a sentence.
_MUNICIPALITY_WORDS = _word_set(
    "kommun kommuns kommune kommunes stad fylke fylkeskommune regionskommune"
)
_SENTENCE_MARKS = frozenset('.!?:;«»"“”„–—•*#|')
_TOKEN_RE = re.compile(r"(\w+(?:-\w+)*)((?::s|['’]s)(?!\w))?|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One buyer, region or other body. ``successors`` and ``dissolved`` mark bodies that no
    longer exist (e.g. Viken, dissolved 2024, succeeded by Østfold, Akershus and Buskerud)."""

    id: str
    name: str
    type: str
    country: str
    org_number: str | None = None
    region: str | None = None
    place: str | None = None
    aliases: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    place_aliases: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()
    dissolved: int | None = None
    exact_case: bool = False
    # What the body is to procurement when its type does not say (an agency that mainly
    # buys, like Trafikverket, is a buyer); None: enrichment/org_roles.py ROLE_BY_TYPE.
    role: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.former_names)


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    surface: str
    entry: Entry


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    start: int
    end: int
    surface: str
    place: str
    entries: tuple[Entry, ...]


# --- tokens and trie -------------------------------------------------------------------------


@dataclass(slots=True)
class _Tokens:
    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]  # without a ":s"/"'s" genitive ending
    lowers: list[str]
    genitive: list[bool]

    def after_newline(self, j: int) -> bool:
        return j > 0 and "\n" in self.text[self.ends[j - 1] : self.starts[j]]


def _tokenize(text: str) -> _Tokens:
    found = list(_TOKEN_RE.finditer(text))
    words = [m.group(1) or m.group(0) for m in found]
    return _Tokens(
        text,
        [m.start() for m in found],
        [m.end() for m in found],
        words,
        [w.lower() for w in words],
        [m.lastindex == 2 for m in found],
    )


@dataclass(frozen=True, slots=True)
class _Key:
    words: tuple[str, ...]
    exact: bool
    target: int

    def accepts(self, words: tuple[str, ...], lenient: bool) -> bool:
        if self.exact:
            return words == self.words or words == tuple(w.upper() for w in self.words)
        return lenient or not self.words[0][0].isupper() or words[0][0].isupper()


class _Node:
    __slots__ = ("children", "keys")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.keys: list[_Key] = []


def _is_acronym_like(words: list[str]) -> bool:
    """Short or upper-case single words (KS, SKI, Difi, DiBK) are matched exactly."""
    return len(words) == 1 and (len(words[0]) <= 4 or sum(c.isupper() for c in words[0]) >= 2)


class _Trie:
    def __init__(self) -> None:
        self.root = _Node()

    def add(self, name: str, target: int, exact: bool) -> None:
        words = _tokenize(name).words
        if not words:
            raise ValueError(f"gazetteer name without words: {name!r}")
        node = self.root
        for word in words:
            node = node.children.setdefault(word.lower(), _Node())
        key = _Key(tuple(words), exact or _is_acronym_like(words), target)
        if key not in node.keys:
            node.keys.append(key)

    def ends_at(self, toks: _Tokens, i: int) -> Iterator[tuple[int, bool, list[_Key]]]:
        """(last token, genitive -s stripped, keys) for each key spelled from token i on."""
        node = self.root
        for j in range(i, len(toks.lowers)):
            if j > i and toks.after_newline(j):
                return
            low = toks.lowers[j]
            if not toks.genitive[j] and len(low) > 2 and low[-1] == "s":
                stem = node.children.get(low[:-1])
                if stem is not None and stem.keys:
                    yield j, True, stem.keys
            child = node.children.get(low)
            if child is None:
                return
            if child.keys:
                yield j, False, child.keys
            if toks.genitive[j]:
                return
            node = child

    def acronym(self, word: str, allowed: Collection[int] | None) -> int | None:
        """The entry whose acronym (an exactly matched one-word key) is ``word``, if unique."""
        node = self.root.children.get(word.lower())
        if node is None:
            return None
        targets = {
            k.target
            for k in node.keys
            if k.exact and len(k.words) == 1 and k.accepts((word,), lenient=False)
        }
        if allowed is not None:
            targets = {t for t in targets if t in allowed}
        return next(iter(targets)) if len(targets) == 1 else None

    def longest(
        self, toks: _Tokens, i: int, allowed: Collection[int] | None, lenient: bool = False
    ) -> tuple[int, int] | None:
        """(last token, target) of the longest unambiguous key starting at token i."""
        low, first = toks.lowers[i], self.root.children
        if low not in first and not (low[-1] == "s" and low[:-1] in first):
            return None  # the common case, checked before setting up the generator
        best: tuple[int, int] | None = None
        for j, stripped, keys in self.ends_at(toks, i):
            words = toks.words[i : j + 1]
            if stripped:
                words[-1] = words[-1][:-1]
            surface = tuple(words)
            targets = {k.target for k in keys if k.accepts(surface, lenient)}
            if allowed is not None:
                targets = {t for t in targets if t in allowed}
            if len(targets) == 1:
                best = (j, next(iter(targets)))
        return best


def _non_overlapping(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, target) character spans: longest first, then by position, keeping those
    that overlap nothing kept; returned in text order."""
    kept: list[tuple[int, int, int]] = []
    for start, end, target in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= k_start or k_end <= start for k_start, k_end, _ in kept):
            kept.append((start, end, target))
    return sorted(kept)


# --- the gazetteer ---------------------------------------------------------------------------


class Gazetteer:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.by_id: dict[str, Entry] = {e.id: e for e in entries}
        self._names = _Trie()
        for index, entry in enumerate(self.entries):
            for name in entry.names:
                self._names.add(name, index, entry.exact_case)
        by_place: dict[str, list[Entry]] = {}
        place_names: dict[str, str] = {}
        for entry in self.entries:
            if entry.type in PLACE_TYPES and entry.place:
                by_place.setdefault(entry.place, []).append(entry)
                for name in (entry.place, *entry.place_aliases):
                    place_names[name] = entry.place
        self.places: dict[str, tuple[Entry, ...]] = {p: tuple(es) for p, es in by_place.items()}
        self._place_list = list(self.places)
        self._places = _Trie()
        for name, place in place_names.items():
            self._places.add(name, self._place_list.index(place), exact=False)
        self._by_country: dict[str, frozenset[int]] = {
            c: frozenset(i for i, e in enumerate(self.entries) if e.country == c) for c in COUNTRIES
        }

    # names and mentions

    def find(self, text: str, countries: Collection[str] | None = None) -> list[Match]:
        """Every mention of an entry in text, longest first, non-overlapping, in text order.
        ``countries`` limits matches to entries of those countries (e.g. {"SE", "EU"})."""
        toks = _tokenize(text)
        allowed = self._allowed(countries)
        spans = []
        for i, word in enumerate(toks.words):
            hit = self._names.longest(toks, i, allowed)
            if hit is not None:
                spans.append((toks.starts[i], toks.ends[hit[0]], hit[1]))
            elif "-" in word:  # "KOFA-praksis", "SKI-aftale": the acronym is meant
                head = word.split("-", 1)[0]
                target = self._names.acronym(head, allowed)
                if target is not None:
                    spans.append((toks.starts[i], toks.starts[i] + len(head), target))
        return [
            Match(start, end, text[start:end], self.entries[t])
            for start, end, t in _non_overlapping(spans)
        ]

    def lookup(self, name: str) -> Entry | None:
        """The entry whose name, alias or former name (possibly in the genitive) is ``name``;
        None if there is none or several share it (e.g. the two "Herøy kommune"). Unlike
        ``find``, any capitalisation of a multi-letter name is accepted ("region skåne"), but
        acronyms and ``exact_case`` names must still be spelt right ("ks" is not KS)."""
        toks = _tokenize(" ".join(name.split()))
        hit = self._names.longest(toks, 0, None, lenient=True) if toks.words else None
        if hit is None or hit[0] != len(toks.words) - 1:
            return self.english_body(name)
        return self.entries[hit[1]]

    def english_body(self, name: str, country: str | None = None) -> Entry | None:
        """The municipality or county an English form names ("City of Copenhagen", "Norrtälje
        Municipality", "Vestland County Council"), if its place is one body's (of ``country``
        when several)."""
        match = _ENGLISH_BODY.fullmatch(" ".join(name.split()))
        if match is None:
            return None
        kind = match.group("kind") or match.group("kind2")
        wanted = ("county", "region") if "county" in kind.lower() else ("municipality",)
        entries = [
            e
            for e in self.place_entries(match.group("p1") or match.group("p2"))
            if e.type in wanted
        ]
        preferred = [e for e in entries if e.country == country] or entries
        return preferred[0] if len(preferred) == 1 else None

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def successors(self, entry: Entry) -> tuple[Entry, ...]:
        return tuple(self.by_id[s] for s in entry.successors)

    def region_of(self, entry: Entry) -> Entry | None:
        """The region/county entry a municipality belongs to."""
        if not entry.region:
            return None
        found = self.lookup(entry.region)
        if found is not None and found.type in ("region", "county"):
            return found
        for candidate in self.places.get(entry.region, ()):
            if candidate.type in ("region", "county") and candidate.country == entry.country:
                return candidate
        return None

    # places

    def find_places(self, text: str, countries: Collection[str] | None = None) -> list[PlaceMatch]:
        """Mentions of municipality, region and county place names ("Hässleholm", "Tromsø",
        "Aarhus"). Names that are ordinary words (Mark, Vik, Nes, Lund ...) count only where
        their capital letter means a name: not at the start of a sentence or next to another
        capitalised word."""
        toks = _tokenize(text)
        spans = []
        for i in range(len(toks.lowers)):
            hit = self._places.longest(toks, i, None)
            if hit is None:
                continue
            place = self._place_list[hit[1]]
            ordinary = place in ORDINARY_WORD_PLACES or toks.words[i] in ORDINARY_WORD_PLACES
            if ordinary and _looks_like_ordinary_word(toks, i, hit[0]):
                continue
            spans.append((i, hit[0], hit[1]))
        found = []
        for i, j, t in _non_overlapping(spans):
            place = self._place_list[t]
            entries = tuple(
                e for e in self.places[place] if not countries or e.country in countries
            )
            if entries:
                start, end = toks.starts[i], toks.ends[j]
                found.append(PlaceMatch(start, end, text[start:end], place, entries))
        return found

    def place_entries(self, name: str) -> tuple[Entry, ...]:
        """Municipalities/regions/counties whose place name (or Sami/older alias) is ``name``."""
        toks = _tokenize(name)
        hit = self._places.longest(toks, 0, None) if toks.words else None
        if hit is None or hit[0] != len(toks.words) - 1:
            return ()
        return self.places[self._place_list[hit[1]]]

    def _allowed(self, countries: Collection[str] | None) -> frozenset[int] | None:
        if countries is None:
            return None
        return frozenset().union(*(self._by_country.get(c, frozenset()) for c in countries))


def _looks_like_ordinary_word(toks: _Tokens, i: int, j: int) -> bool:
    word = toks.words[i]
    if len(word) > 1 and word.isupper():
        return True
    after = j + 1
    if after < len(toks.lowers) and toks.lowers[after] in _MUNICIPALITY_WORDS:
        return False
    if i == 0 or toks.after_newline(i) or toks.words[i - 1] in _SENTENCE_MARKS:
        return True
    prev = toks.words[i - 1]
    if prev[0].isupper() and prev.lower() not in _SENTENCE_PREPOSITIONS:
        return True  # "Anna Lund", "Financial Times"
    return (
        after < len(toks.words) and toks.words[after][0].isupper() and not toks.after_newline(after)
    )


# English forms of a municipality's or county's name.
_ENGLISH_BODY = re.compile(
    r"(?:the )?(?:(?P<kind>City|Municipality|Town|County) of (?P<p1>[^,]+?)"
    r"|(?P<p2>[^,]+?)(?:['’]s)? (?P<kind2>Municipality|City Council|Municipal Council"
    r"|County Council|County Municipality))",
    re.IGNORECASE,
)

# --- loading ---------------------------------------------------------------------------------

_FIELDS = {f.name for f in fields(Entry)}
_TUPLE_FIELDS = {"aliases", "former_names", "place_aliases", "successors"}


def _entry(raw: Any, source: str) -> Entry:
    if not isinstance(raw, dict):
        raise ValueError(f"{source}: each entry must be a mapping, got {raw!r}")
    where = f"{source}: entry {raw.get('id', '?')}"
    unknown = set(raw) - _FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
    for required in ("id", "name", "type", "country"):
        if not isinstance(raw.get(required), str) or not raw[required]:
            hint = ' (quote "NO": bare NO is false in YAML)' if required == "country" else ""
            raise ValueError(f"{where}: {required} must be a non-empty string{hint}")
    if raw["type"] not in TYPES:
        raise ValueError(f"{where}: type {raw['type']!r} is not one of {sorted(TYPES)}")
    if raw.get("role") is not None and raw["role"] not in ROLES:
        raise ValueError(f"{where}: role {raw['role']!r} is not one of {list(ROLES)}")
    if raw["country"] not in COUNTRIES:
        raise ValueError(f"{where}: country {raw['country']!r} is not one of {sorted(COUNTRIES)}")
    values = dict(raw)
    for name in _TUPLE_FIELDS & set(values):
        items = values[name] or []
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise ValueError(f"{where}: {name} must be a list of strings")
        values[name] = tuple(items)
    return Entry(**values)


def load_entries(directory: Path) -> list[Entry]:
    entries: list[Entry] = []
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise FileNotFoundError(f"no gazetteer files in {directory}")
    for path in paths:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or []
        if not isinstance(data, list):
            raise ValueError(f"{path.name}: expected a list of entries")
        entries.extend(_entry(raw, path.name) for raw in data)
    counts = Counter(e.id for e in entries)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        raise ValueError(f"duplicate gazetteer ids: {duplicates}")
    known = set(counts)
    for e in entries:
        missing = [s for s in e.successors if s not in known]
        if missing:
            raise ValueError(f"{e.id}: unknown successors {missing}")
    return entries


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def load_gazetteer(directory: str | None = None) -> Gazetteer:
    """The gazetteer from ``directory`` (default ``config/gazetteers``), built once per process."""
    return Gazetteer(load_entries(Path(directory) if directory else GAZETTEER_DIR))
