"""Names, homepages and regions of every known source, for labels and pages: the curated
sources (sources.yaml) and the catalogue of public buyers, which users switch on by region
or type; an article from a catalogue source is labelled with its buyer's name, not its id."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from flask import current_app

from procradar.core.settings import Settings

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _load(settings: Settings) -> dict[str, dict[str, Any]]:
    from procradar.core.catalogue import registry
    from procradar.core.sources import SourcesError

    try:
        entries = registry(settings)
    except (SourcesError, OSError, ValueError) as exc:
        log.warning("sources not readable for labels: %s", exc)
        return {}
    return {
        entry.id: {
            **(entry.source or {"id": entry.id, "country": entry.country}),
            "name": entry.name,
            "region": ", ".join(sorted(entry.regions)) or None,
            "enabled": entry.enabled,
        }
        for entry in entries
    }


def all_sources() -> dict[str, dict[str, Any]]:
    # Once per app (settings are fixed for its life): a results page names forty sources.
    return _load(current_app.config["PROCRADAR_SETTINGS"])


def source_name(source_id: object) -> str:
    if not source_id:
        return ""
    found = all_sources().get(str(source_id))
    return str(found.get("name") or source_id) if found else str(source_id)


def source_info(source_id: str) -> dict[str, Any] | None:
    return all_sources().get(source_id)
