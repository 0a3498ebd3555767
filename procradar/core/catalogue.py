"""The source registry as users see it: the curated sources (config/sources.yaml or the user's
sources_file) plus the generated catalogue of every public buyer (config/catalogue/*.yaml),
each row linked to its gazetteer entries, with switches by id, country, region, type or name.

Which sources are on is decided in three layers, later wins:
1. the default: curated sources on (unless they say `enabled: false`), catalogue sources off;
2. the settings `sources.enable` then `sources.disable` (for repeatable deployments);
3. the rules `procradar sources enable|disable` wrote to data_dir/sources-state.yaml, in order.

A selector is `key=value` pairs joined by commas (`country=SE,region=Skåne,type=municipality`),
or a bare source id; several selectors in one setting are separated by `;`.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from procradar.core.resources import CONFIG_DIR
from procradar.core.settings import Settings
from procradar.core.sources import SourcesError, load_sources, validate

CATALOGUE_DIR = CONFIG_DIR / "catalogue"
CATALOGUE_FILES = ("se.yaml", "no.yaml", "dk.yaml")
STATE_FILE = "sources-state.yaml"
SELECTOR_KEYS = ("id", "country", "region", "type", "query")
ACTIONS = ("enable", "disable")
# The crawler's source categories for catalogue types (core.sources.CATEGORIES).
CATEGORY = {"county_municipality": "region"}
_REGION_AFFIXES = ("region ", " län", " lan", " fylkeskommune", " fylke", "regionen")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: ~800 rows, 10x faster


class SelectorError(ValueError):
    """A selector is malformed; the message quotes it."""


@dataclass
class Entry:
    """One row of the registry. `source` is the crawlable source (None when no website is
    known); `types`, `regions` and `organizations` gather every gazetteer entry it stands for."""

    id: str
    name: str
    origin: str  # "curated" or "catalogue"
    country: str | None
    source: dict[str, Any] | None
    types: set[str] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)
    organizations: list[str] = field(default_factory=list)
    website_source: str | None = None
    missing_reason: str | None = None
    default_enabled: bool = False
    enabled: bool = False

    @property
    def url(self) -> str | None:
        return self.source["url"] if self.source else None

    @property
    def type(self) -> str:
        return ",".join(sorted(self.types)) or "-"

    @property
    def region(self) -> str:
        return ", ".join(sorted(self.regions)) or "-"


@dataclass(frozen=True)
class Selector:
    id: str | None = None
    country: str | None = None
    region: str | None = None
    type: str | None = None
    query: str | None = None

    @classmethod
    def parse(cls, text: str) -> Selector:
        text = text.strip()
        if not text:
            raise SelectorError("empty source selector")
        if "=" not in text:
            return cls(id=text)
        values: dict[str, str] = {}
        for part in text.split(","):
            key, sep, value = part.partition("=")
            key, value = key.strip().lower(), value.strip()
            if not sep or key not in SELECTOR_KEYS or not value:
                raise SelectorError(
                    f"source selector {text!r}: use key=value pairs joined by commas, "
                    f"keys {', '.join(SELECTOR_KEYS)}"
                )
            values[key] = value
        return cls(**values)

    def text(self) -> str:
        pairs = [(k, getattr(self, k)) for k in SELECTOR_KEYS if getattr(self, k)]
        if len(pairs) == 1 and pairs[0][0] == "id":
            return str(pairs[0][1])
        return ",".join(f"{k}={v}" for k, v in pairs)

    def matches(self, entry: Entry) -> bool:
        if self.id and not fnmatch.fnmatchcase(entry.id, self.id):
            return False
        if self.country and (entry.country or "").upper() != self.country.upper():
            return False
        if self.type and self.type.lower() not in entry.types:
            return False
        if self.region and _region_key(self.region) not in {_region_key(r) for r in entry.regions}:
            return False
        return not self.query or _fold(self.query) in _haystack(entry)


def parse_selectors(text: str | None) -> list[Selector]:
    """`sources.enable`-style text: selectors separated by ';'."""
    return [Selector.parse(part) for part in (text or "").split(";") if part.strip()]


def _region_key(name: str) -> str:
    key = name.casefold().strip()
    for affix in _REGION_AFFIXES:
        key = key.removeprefix(affix) if affix.endswith(" ") else key.removesuffix(affix)
    return key.strip()


def _fold(text: str) -> str:
    """Case and Nordic letters folded, so "hassleholm" finds Hässleholm and "baerum" Bærum."""
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _haystack(entry: Entry) -> str:
    return _fold(" ".join([entry.id, entry.name, entry.url or "", *entry.organizations]))


# -- loading -------------------------------------------------------------------------------


def load_catalogue(directory: Path = CATALOGUE_DIR) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in CATALOGUE_FILES:
        path = directory / name
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        rows.extend(data.get("catalogue") or [])
    return rows


@dataclass(frozen=True)
class RegionNames:
    """Counties and regions by the place name users think in (Skåne, Stockholms län,
    Vestland, Hovedstaden): of each catalogue source (and the curated source a catalogue
    buyer is handed to), and of each region as a municipality names it ("Region Skåne")
    or as the regional body is called ("Vestland fylkeskommune")."""

    by_source: dict[str, str]
    by_name: dict[str, str]


@cache
def region_names() -> RegionNames:
    by_source: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for row in load_catalogue():
        place = row.get("region_place") or row.get("region")
        if not place:
            continue
        by_source[row["id"]] = place
        if row.get("curated"):
            by_source.setdefault(row["curated"], place)
        by_name.setdefault(row["region"], place)
        if row.get("type") in ("region", "county_municipality"):
            by_name.setdefault(row["name"], place)
    return RegionNames(by_source, by_name)


def build_registry(curated: list[dict[str, Any]], catalogue: list[dict[str, Any]]) -> list[Entry]:
    """Curated sources first (in file order), then catalogue sources; a catalogue row that
    hands its buyer to a curated source adds its buyer, type and region to that source."""
    entries = [_curated_entry(s) for s in curated]
    by_id = {e.id: e for e in entries}
    for row in catalogue:
        target = by_id.get(row.get("curated") or "")
        if target is not None:
            target.types.add(row["type"])
            target.regions.update(r for r in (row.get("region"), row.get("region_place")) if r)
            new = [o for o in row["organizations"] if o not in target.organizations]
            target.organizations.extend(new)
            target.website_source = target.website_source or "curated (config/sources.yaml)"
            continue
        if row["id"] in by_id:
            raise SourcesError(f"catalogue id {row['id']} is also a curated source id")
        entry = _catalogue_entry(row)
        entries.append(entry)
        by_id[entry.id] = entry
    return entries


def _curated_entry(source: dict[str, Any]) -> Entry:
    category = source.get("category")
    return Entry(
        id=source["id"],
        name=source.get("name") or source["id"],
        origin="curated",
        country=source.get("country"),
        source=source,
        types={category} if category else set(),
        organizations=[source["organization"]] if source.get("organization") else [],
        default_enabled=bool(source["enabled"]),
    )


def _catalogue_entry(row: dict[str, Any]) -> Entry:
    source = None
    if row.get("url"):
        source = validate(
            {
                "id": row["id"],
                "url": row["url"],
                "name": row["name"],
                "country": row["country"],
                "languages": row["languages"],
                "category": CATEGORY.get(row["type"], row["type"]),
                "organization": row["organization"],
                "enabled": False,
            },
            f"catalogue ({row['id']})",
        )
    return Entry(
        id=row["id"],
        name=row["name"],
        origin="catalogue",
        country=row["country"],
        source=source,
        types={row["type"]},
        regions={r for r in (row.get("region"), row.get("region_place")) if r},
        organizations=list(row["organizations"]),
        website_source=row.get("website_source"),
        missing_reason=row.get("missing_reason"),
    )


# -- switching -----------------------------------------------------------------------------


def state_path(settings: Settings) -> Path:
    return settings.data_dir / STATE_FILE


def read_rules(path: Path) -> list[tuple[str, Selector]]:
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        rules = [(r["action"], Selector.parse(r["selector"])) for r in data.get("rules") or []]
    except (yaml.YAMLError, KeyError, TypeError, AttributeError, SelectorError) as exc:
        raise SourcesError(f"{path} is not a valid sources state file: {exc}") from exc
    bad = [a for a, _ in rules if a not in ACTIONS]
    if bad:
        raise SourcesError(f"{path}: unknown action(s) {', '.join(bad)}")
    return rules


def add_rule(path: Path, action: str, selector: Selector) -> None:
    """Append a rule; an older rule with the same selector is dropped (the new one wins)."""
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {ACTIONS}")
    rules = [(a, s) for a, s in read_rules(path) if s.text() != selector.text()]
    rules.append((action, selector))
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(
        {"rules": [{"action": a, "selector": s.text()} for a, s in rules]},
        allow_unicode=True,
        sort_keys=False,
    )
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        "# Written by `procradar sources enable|disable`; later rules win.\n" + text,
        encoding="utf-8",
    )
    tmp.replace(path)


def apply_rules(entries: Iterable[Entry], rules: list[tuple[str, Selector]]) -> None:
    for entry in entries:
        enabled = entry.default_enabled
        for action, selector in rules:
            if selector.matches(entry):
                enabled = action == "enable"
        # A buyer without a known website cannot be crawled, whatever the rules say.
        entry.enabled = enabled and entry.source is not None


def settings_rules(settings: Settings) -> list[tuple[str, Selector]]:
    try:
        enable = parse_selectors(settings.get("sources.enable"))
        disable = parse_selectors(settings.get("sources.disable"))
    except SelectorError as exc:
        raise SourcesError(f"setting sources.enable/sources.disable: {exc}") from exc
    return [("enable", s) for s in enable] + [("disable", s) for s in disable]


def registry(settings: Settings) -> list[Entry]:
    """Every source with its effective on/off state."""
    curated = load_sources(settings.sources_file)
    catalogue = load_catalogue() if settings.get("sources.catalogue", True) else []
    entries = build_registry(curated, catalogue)
    apply_rules(entries, settings_rules(settings) + read_rules(state_path(settings)))
    return entries


def effective_sources(settings: Settings) -> list[dict[str, Any]]:
    """Crawlable source dicts (core.sources form) with `enabled` as the rules decide."""
    out = []
    for entry in registry(settings):
        if entry.source is not None:
            out.append(dict(entry.source, enabled=entry.enabled))
    return out
