"""Where an article's places lie, which regions a wider place is made of, and which
districts (Sunnmøre, Hardanger: config/search/districts.yaml) an article's places lie in.

An article about a school in Bodø never says Nordland, nor Nord-Norge; a user who searches
"Nord-Norge" or "Vestland" wants it all the same. So an article carries the concept of the
county or region each of its places lies in (the municipalities of the gazetteers:
config/gazetteers/*.yaml), and a query naming a wider place (Nord-Norge, Vestlandet,
Norrland: config/search/regions.yaml) also matches the concepts of its regions. These
tokens count once per article, like the facets' (a place in passing is weak evidence).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import yaml

from procradar.core.catalogue import region_names
from procradar.core.index.analysis import SEARCH_CONFIG
from procradar.core.resources import CONFIG_DIR

GAZETTEERS = ("se", "no", "dk")
REGION_TYPES = ("region", "county")


@cache
def _place_regions() -> dict[str, str]:
    """Lower-cased place name (municipality places and their aliases, region names) ->
    the region facet's name for it."""
    names = region_names()
    facet = set(names.by_source.values()) | set(names.by_name.values())
    out: dict[str, str] = {region.lower(): region for region in facet}
    for country in GAZETTEERS:
        rows = yaml.safe_load((CONFIG_DIR / "gazetteers" / f"{country}.yaml").read_text("utf-8"))
        bodies = {r["name"]: r.get("place") for r in rows if r.get("type") in REGION_TYPES}
        for row in rows:
            if row.get("type") != "municipality" or not row.get("region"):
                continue
            body = row["region"]
            region = names.by_name.get(body) or (body if body in facet else bodies.get(body))
            if region not in facet:
                continue
            for place in [row.get("place"), *(row.get("place_aliases") or [])]:
                if place:
                    out.setdefault(str(place).lower(), str(region))
    return out


def place_regions(places: Iterable[str]) -> list[str]:
    """The regions (facet names) the given places lie in, each once."""
    table = _place_regions()
    return sorted({r for p in places if (r := table.get(p.strip().lower()))})


@cache
def wider_places() -> dict[str, tuple[str, ...]]:
    """Concept id of a wider place -> the regions (facet names) it is made of."""
    data = yaml.safe_load((SEARCH_CONFIG / "regions.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): tuple(v) for k, v in (data.get("contains") or {}).items()}


@cache
def districts() -> dict[str, tuple[str, ...]]:
    """District name -> its names as a query may write them (the name, other spellings)."""
    data = _districts_file()
    return {name: (name, *spec.get("also", ())) for name, spec in data.items()}


@cache
def _district_places() -> dict[str, tuple[str, ...]]:
    """Lower-cased place name -> the districts it lies in (a district's own name too)."""
    out: dict[str, list[str]] = {}
    for name, spec in _districts_file().items():
        for place in [name, *spec.get("places", ())]:
            found = out.setdefault(str(place).lower(), [])
            if name not in found:
                found.append(name)
    return {place: tuple(names) for place, names in out.items()}


def place_districts(places: Iterable[str]) -> list[str]:
    """The districts (names as districts() has them) the given places lie in, each once."""
    table = _district_places()
    return sorted({d for p in places for d in table.get(p.strip().lower(), ())})


@cache
def _districts_file() -> dict[str, dict[str, list[str]]]:
    text = (SEARCH_CONFIG / "districts.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {str(k): v or {} for k, v in (data.get("districts") or {}).items()}
