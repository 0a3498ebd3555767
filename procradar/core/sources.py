"""The source registry (config/sources.yaml): load, validate, normalise.

A source needs only `id` and `url` (its homepage); everything else is optional or discovered.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from procradar.core import taxonomy

ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
COUNTRIES = frozenset(taxonomy.COUNTRIES)
LANGUAGES = frozenset(taxonomy.LANGUAGES)
CATEGORIES = {
    "agency",
    "association",
    "trade_press",
    "region",
    "municipality",
    "programme",
    "cpb",
    "conference",
}
URL_LISTS = ("feeds", "sitemaps", "listings")
MAX_PAGES = 1_000_000
MAX_DELAY = 300.0
# The relevance gate's prior (enrichment/relevance.py): curated procurement sources are
# trusted more than a municipality's or region's general news; `relevance_prior` overrides.
RELEVANCE_PRIORS = ("trusted", "general")
GENERAL_CATEGORIES = frozenset({"municipality", "region"})
KNOWN_KEYS = {
    "relevance_prior",
    "id",
    "url",
    "name",
    "country",
    "language",
    "languages",
    "category",
    "organization",
    "allow_private_network",
    "max_pages",
    "download_delay",
    "override",
    "enabled",
    "notes",
    *URL_LISTS,
}


class SourcesError(ValueError):
    """sources.yaml is wrong; the message names the file, the source and the field."""


def load_sources(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourcesError(f"sources file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path} is not valid YAML: {' '.join(str(exc).split())}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourcesError(f"{path} must hold a list under `sources:`")
    return validate_all(data["sources"], origin=str(path))


def validate_all(entries: list[Any], origin: str = "sources") -> list[dict[str, Any]]:
    out = [validate(entry, f"{origin}, entry {n}") for n, entry in enumerate(entries, 1)]
    seen: set[str] = set()
    for source in out:
        if source["id"] in seen:
            raise SourcesError(f"{origin}: duplicate source id {source['id']!r}")
        seen.add(source["id"])
    return out


def validate(entry: Any, where: str = "source") -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: a source must be a mapping with at least id and url")
    source = dict(entry)
    sid = source.get("id")
    if not isinstance(sid, str) or not ID.match(sid):
        raise SourcesError(f"{where}: `id` is required (lowercase letters, digits, - or _)")
    where = f"{where} ({sid})"
    source["url"] = _url(source.get("url"), where, "url")
    unknown = sorted(set(source) - KNOWN_KEYS)
    if unknown:
        raise SourcesError(f"{where}: unknown field(s) {', '.join(unknown)}")
    for key in URL_LISTS:
        values = _strings(source, key, where)
        source[key] = [_url(v, where, key, relative_ok=True) for v in values]
    _choice(source, "country", COUNTRIES, where)
    _choice(source, "category", CATEGORIES, where)
    _choice(source, "relevance_prior", RELEVANCE_PRIORS, where)
    for key in ("name", "organization", "notes", "override", "language"):
        if source.get(key) is not None and not isinstance(source[key], str):
            raise SourcesError(f"{where}: `{key}` must be text, not {_show(source[key])}")
    for key in ("enabled", "allow_private_network"):
        if source.get(key) is not None and not isinstance(source[key], bool):
            raise SourcesError(f"{where}: `{key}` must be true or false, not {_show(source[key])}")
    _number(source, "max_pages", where, int, 1, MAX_PAGES)
    _number(source, "download_delay", where, float, 0, MAX_DELAY)
    languages = _strings(source, "languages", where) or (
        [source["language"]] if source.get("language") else []
    )
    for lang in languages:
        if lang not in LANGUAGES:
            raise SourcesError(f"{where}: language {lang!r} is not one of {sorted(LANGUAGES)}")
    source["languages"] = list(languages)
    source["language"] = source.get("language") or (languages[0] if languages else None)
    source.setdefault("name", sid)
    source["enabled"] = bool(source.get("enabled", True))
    source["allow_private_network"] = bool(source.get("allow_private_network", False))
    return source


def _url(value: Any, where: str, key: str, relative_ok: bool = False) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SourcesError(f"{where}: `{key}` is required and must be a URL")
    value = value.strip()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise SourcesError(f"{where}: `{key}` is not a valid URL ({exc}): {_show(value)}") from exc
    if relative_ok and not parts.scheme and value.startswith("/"):
        return value
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourcesError(f"{where}: `{key}` must be an http(s) URL, got {_show(value)}")
    return value if parts.path else value + "/"


def _show(value: Any) -> str:
    """A bad value for a one-line message, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _strings(source: dict[str, Any], key: str, where: str) -> list[str]:
    """A key that takes one text or a list of them, as a list."""
    values = source.get(key) or []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SourcesError(
            f"{where}: `{key}` must be a text or a list of texts, not {_show(values)}"
        )
    return values


def _number(
    source: dict[str, Any], key: str, where: str, kind: type, low: float, high: float
) -> None:
    value = source.get(key)
    if value is None:
        return
    whole = kind is int
    ok_type = isinstance(value, int) if whole else isinstance(value, int | float)
    if isinstance(value, bool) or not ok_type or not low <= value <= high:
        what = "a whole number" if whole else "a number of seconds"
        raise SourcesError(
            f"{where}: `{key}` must be {what} from {low:g} to {high:g}, not {_show(value)}"
        )
    source[key] = kind(value)


def _choice(source: dict[str, Any], key: str, allowed: Collection[str], where: str) -> None:
    value = source.get(key)
    if value is not None and value not in allowed:
        raise SourcesError(f"{where}: {key} {value!r} is not one of {sorted(allowed)}")


def relevance_prior(source: dict[str, Any]) -> str:
    """The source's prior for the relevance gate: its own `relevance_prior`, else by category
    (municipalities and regions publish mostly general news: general; the rest: trusted)."""
    if source.get("relevance_prior"):
        return str(source["relevance_prior"])
    return "general" if source.get("category") in GENERAL_CATEGORIES else "trusted"
