"""The source registry (config/sources.yaml): load, validate, normalise.

A source needs only `id` and `url` (its homepage); everything else is optional or discovered.
"""

from __future__ import annotations

import re
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
KNOWN_KEYS = {
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
        raise SourcesError(f"{path} is not valid YAML: {exc}") from exc
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
        values = source.get(key) or []
        if isinstance(values, str):
            values = [values]
        source[key] = [_url(v, where, key, relative_ok=True) for v in values]
    _choice(source, "country", COUNTRIES, where)
    _choice(source, "category", CATEGORIES, where)
    languages = source.get("languages") or ([source["language"]] if source.get("language") else [])
    if isinstance(languages, str):
        languages = [languages]
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
    parts = urlsplit(value)
    if relative_ok and not parts.scheme and value.startswith("/"):
        return value
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourcesError(f"{where}: `{key}` must be an http(s) URL, got {value!r}")
    return value if parts.path else value + "/"


def _choice(source: dict[str, Any], key: str, allowed: set[str], where: str) -> None:
    value = source.get(key)
    if value is not None and value not in allowed:
        raise SourcesError(f"{where}: {key} {value!r} is not one of {sorted(allowed)}")
