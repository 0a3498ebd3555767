"""The sources one crawl run takes: the registry's enabled sources (curated + catalogue, as
switched on), cut to the run's budget, oldest-first, failing sources backed off
(procradar.core.crawlplan)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from procradar.core.catalogue import registry
from procradar.core.crawlplan import HISTORY, plan
from procradar.core.settings import Settings
from procradar.core.store import Store

log = logging.getLogger(__name__)


def planned_sources(
    settings: Settings,
    store: Store,
    source_ids: Sequence[str] = (),
    say: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """Source dicts for crawlers.run.crawl. With explicit ids every known source is handed
    over (the crawler picks those ids, even switched-off ones); otherwise the plan's choice."""
    entries = registry(settings)
    sources = [dict(e.source, enabled=e.enabled) for e in entries if e.source is not None]
    if source_ids:
        return sources
    catalogue_ids = {e.id for e in entries if e.origin == "catalogue"}
    chosen = plan(
        sources,
        lambda sid: store.runs(sid, limit=HISTORY),
        settings,
        catalogue_ids=catalogue_ids,
    )
    report = say or log.info
    for sid, health in chosen.backing_off:
        until = health.backoff_until.strftime("%Y-%m-%d %H:%M") if health.backoff_until else "?"
        report(f"{sid}: backing off after {health.failures} failed run(s), next try after {until}")
    if chosen.over_budget:
        report(
            f"{len(chosen.over_budget)} due source(s) left for a later run "
            f"(crawl.max_sources_per_run={settings['crawl.max_sources_per_run']})"
        )
    return chosen.chosen
