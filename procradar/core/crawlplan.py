"""Which sources one crawl run takes, so that a catalogue of ~1,000 sources stays bounded:

* budget per run: at most `crawl.max_sources_per_run` sources (0: all that are due);
* budget per source: catalogue sources get `crawl.catalogue_max_pages` pages at most (curated
  sources keep `crawl.max_pages_per_source` or their own `max_pages`);
* rotation: never-crawled sources first, then the ones crawled longest ago, so that over
  successive runs every enabled source gets its turn;
* backoff: a source whose last runs failed (no page, no 304, errors) waits
  `crawl.failure_backoff_hours`, doubled for each further failure in a row, at most
  `crawl.failure_backoff_max_hours`; it is reported, not dropped.

Pure: the caller passes the run history (Store.runs, newest first) and the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

HISTORY = 8  # runs looked at per source: enough to count a failure streak that matters
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Health:
    """What the run history says about one source."""

    last_run: datetime | None
    failures: int  # failed runs in a row, newest first
    backoff_until: datetime | None

    def backing_off(self, now: datetime) -> bool:
        return self.backoff_until is not None and self.backoff_until > now


@dataclass
class Plan:
    chosen: list[dict[str, Any]] = field(default_factory=list)
    backing_off: list[tuple[str, Health]] = field(default_factory=list)
    over_budget: list[str] = field(default_factory=list)  # due, but left for a later run


def run_failed(run: dict[str, Any]) -> bool:
    return not run.get("pages") and not run.get("not_modified") and bool(run.get("errors"))


def health(runs: list[dict[str, Any]], base_hours: float, max_hours: float) -> Health:
    """`runs` newest first, as Store.runs returns them."""
    if not runs:
        return Health(None, 0, None)
    last = _when(runs[0])
    failures = 0
    for run in runs:
        if not run_failed(run):
            break
        failures += 1
    until = None
    if failures and base_hours > 0 and last is not None:
        hours = min(base_hours * 2 ** (failures - 1), max_hours)
        until = last + timedelta(hours=hours)
    return Health(last, failures, until)


def plan(
    sources: Iterable[dict[str, Any]],
    history: Callable[[str], list[dict[str, Any]]],
    settings: Any,
    now: datetime | None = None,
    catalogue_ids: set[str] | frozenset[str] = frozenset(),
) -> Plan:
    """Choose this run's sources among the enabled ones, oldest-first within the budget."""
    now = now or datetime.now(UTC)
    base = float(settings["crawl.failure_backoff_hours"])
    cap = float(settings["crawl.failure_backoff_max_hours"])
    budget = int(settings["crawl.max_sources_per_run"])
    pages = int(settings["crawl.catalogue_max_pages"])
    result = Plan()
    due: list[tuple[datetime, int, dict[str, Any]]] = []
    for n, source in enumerate(s for s in sources if s.get("enabled")):
        state = health(history(source["id"]), base, cap)
        if state.backing_off(now):
            result.backing_off.append((source["id"], state))
            continue
        due.append((state.last_run or EPOCH, n, source))
    due.sort(key=lambda item: (item[0], item[1]))  # stable: file order breaks ties
    for i, (_, _, source) in enumerate(due):
        if budget and i >= budget:
            result.over_budget.append(source["id"])
            continue
        if source["id"] in catalogue_ids and not source.get("max_pages"):
            source = dict(source, max_pages=pages)
        result.chosen.append(source)
    return result


def _when(run: dict[str, Any]) -> datetime | None:
    value = run.get("finished_at") or run.get("started_at")
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value if isinstance(value, datetime) else None
