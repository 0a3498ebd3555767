"""Names and homepages of the configured sources (sources.yaml), for labels and pages."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, dict[str, Any]]:
    from procradar.core.sources import SourcesError, load_sources

    try:
        return {str(s["id"]): s for s in load_sources(Path(path))}
    except (SourcesError, OSError) as exc:
        log.warning("sources not readable for labels: %s", exc)
        return {}


def all_sources() -> dict[str, dict[str, Any]]:
    # The path once per app: a results page asks for a source's name forty times.
    path = current_app.config.get("PROCRADAR_SOURCES_FILE")
    if path is None:
        settings = current_app.config["PROCRADAR_SETTINGS"]
        path = current_app.config["PROCRADAR_SOURCES_FILE"] = str(settings.sources_file)
    return _load(path)


def source_name(source_id: object) -> str:
    if not source_id:
        return ""
    found = all_sources().get(str(source_id))
    return str(found.get("name") or source_id) if found else str(source_id)


def source_info(source_id: str) -> dict[str, Any] | None:
    return all_sources().get(source_id)
