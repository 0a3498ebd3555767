"""Loading enrichment data from config/ once per process (enrichment does no other I/O)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from procradar.core.resources import CONFIG_DIR


class ResourceError(RuntimeError):
    """A data file under config/ is missing or malformed."""


@cache
def load_yaml(relative: str) -> Any:
    path = CONFIG_DIR / relative
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise ResourceError(f"enrichment data file missing: {path}") from exc
    except yaml.YAMLError as exc:
        raise ResourceError(f"enrichment data file {path} is not valid YAML: {exc}") from exc


# The data enrichment reads; a change to any of them changes ENRICHMENT_VERSION.
DATA_FOLDERS = ("topics", "enrichment", "gazetteers")


CODE_DIR = Path(__file__).resolve().parent


def data_fingerprint() -> str:
    """A short hash of every data file enrichment reads (config/topics, enrichment,
    gazetteers) and of enrichment's own code, so any change to either changes the version."""
    digest = hashlib.sha256()
    paths = [p for folder in DATA_FOLDERS for p in sorted((CONFIG_DIR / folder).glob("*.yaml"))]
    for path in [*paths, *sorted(CODE_DIR.glob("*.py"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]
