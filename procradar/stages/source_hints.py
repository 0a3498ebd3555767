"""What the enrichment stage tells `enrich` about a page's source, as plain values so that
enrichment stays pure: the relevance gate's prior (procradar.core.sources.relevance_prior)
and the public buyer the source belongs to.

The catalogue links each source to its gazetteer entry (`organization`, a gazetteer id); a
catalogue row that hands its buyer to a curated source (Malmö stad, Region Skåne …) links that
curated source too. Sources whose `organization` is only a name (agencies, trade press) have
no buyer: their articles are about other buyers.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from procradar.core.catalogue import Entry, registry
from procradar.core.models import Organization
from procradar.core.resources import CONFIG_DIR
from procradar.core.settings import Settings
from procradar.core.sources import relevance_prior

GAZETTEER_DIR = CONFIG_DIR / "gazetteers"
# Gazetteer types that buy for themselves or for others (enrichment/org_roles.py
# ROLE_BY_TYPE gives them the buyer role too).
BUYER_TYPES = frozenset({"municipality", "region", "county", "cpb"})
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceHint:
    """Passed with each page to the enrichment worker (picklable)."""

    relevance_prior: str | None = None
    buyer: Organization | None = None


@functools.cache
def gazetteer_buyers() -> dict[str, Organization]:
    """Gazetteer id -> the body as an article organisation with the buyer role. Read from
    the YAML directly: importing enrichment here would load the NLP in the stage's process."""
    buyers: dict[str, Organization] = {}
    for path in sorted(GAZETTEER_DIR.glob("*.yaml")):
        for raw in yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or []:
            if isinstance(raw, dict) and raw.get("type") in BUYER_TYPES:
                buyers[str(raw["id"])] = Organization(
                    name=str(raw["name"]),
                    type=str(raw["type"]),
                    country=str(raw["country"]),
                    id=raw.get("org_number"),
                    region=raw.get("region"),
                    role="buyer",
                )
    return buyers


def source_hints(
    settings: Settings, sources: Iterable[dict[str, Any]] | None = None
) -> dict[str, SourceHint]:
    """Hints by source id for every crawlable source of the registry, and for those of
    `sources` the registry does not hold (the demo's sample sites, a test's sites)."""
    hints = {e.id: _hint(e.source, _entry_buyer(e)) for e in registry(settings) if e.source}
    for source in sources or ():
        if source["id"] not in hints:
            hints[source["id"]] = _hint(source, _buyer(source.get("organization")))
    return hints


def _hint(source: dict[str, Any], buyer: Organization | None) -> SourceHint:
    return SourceHint(relevance_prior(source), buyer)


def _buyer(gazetteer_id: Any) -> Organization | None:
    return gazetteer_buyers().get(gazetteer_id) if isinstance(gazetteer_id, str) else None


def _entry_buyer(entry: Entry) -> Organization | None:
    """The source's own `organization` when it is a gazetteer id, else the linked gazetteer
    entry named like the source (Oslo kommune is linked to the county and the municipality
    of Oslo), else the first one linked."""
    own = _buyer((entry.source or {}).get("organization"))
    if own is not None:
        return own
    linked = [b for b in map(_buyer, entry.organizations) if b is not None]
    names = {_fold(entry.name), _fold((entry.source or {}).get("organization") or "")}
    named = [b for b in linked if _fold(b.name) in names]
    return next(iter(named or linked), None)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())
