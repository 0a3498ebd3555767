"""Per-source crawl statistics: what `crawl()` returns and `sources check` shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_ERRORS = 50  # a broken site can fail on every page; keep the first ones
STOPPED = {
    "source_budget": "its time budget (crawl.max_source_seconds) was spent",
    "run_budget": "the run's time budget (crawl.max_run_seconds) was spent",
    "not_started": "not started, the run's time budget (crawl.max_run_seconds) was spent",
}


@dataclass
class SourceReport:
    source: str
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    requests: int = 0
    bytes: int = 0
    pages: int = 0
    not_modified: int = 0
    new_articles: int = 0
    updated_articles: int = 0
    unchanged_articles: int = 0
    skipped_known: int = 0
    robots_blocked: int = 0
    retries: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    # Why the crawl of this source ended early: "source_budget" (crawl.max_source_seconds),
    # "run_budget" (crawl.max_run_seconds) or "not_started" (the run's time was spent).
    stopped: str | None = None
    # Seconds spent in our own code, by stage; the rest of the wall time is downloading.
    timings: dict[str, float] = field(
        default_factory=lambda: {"analysis": 0.0, "enrichment": 0.0, "store": 0.0}
    )
    discovery: dict[str, Any] = field(
        default_factory=lambda: {
            "feeds": [],
            "sitemaps": [],
            "listings": [],
            "documents": [],
            "article_links": 0,
            "robots_disallowed": [],
            "notes": [],
        }
    )

    def error(self, url: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"url": url, "error": message})

    def found(self, kind: str, value: Any) -> None:
        items = self.discovery[kind]
        if value not in items and len(items) < 200:
            items.append(value)

    def note(self, message: str) -> None:
        self.found("notes", message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "bytes": self.bytes,
            "pages": self.pages,
            "not_modified": self.not_modified,
            "new_articles": self.new_articles,
            "updated_articles": self.updated_articles,
            "unchanged_articles": self.unchanged_articles,
            "skipped_known": self.skipped_known,
            "robots_blocked": self.robots_blocked,
            "retries": self.retries,
            "errors": self.errors,
            "stopped": self.stopped,
            "discovery": self.discovery,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }

    def progress_line(self, state: str = "") -> str:
        line = (
            f"[{self.source}] {state + ' ' if state else ''}pages={self.pages} "
            f"new={self.new_articles} updated={self.updated_articles} "
            f"304={self.not_modified} requests={self.requests} errors={len(self.errors)}"
        )
        if state == "done" and self.errors and not self.pages and not self.not_modified:
            line += f" FAILED: {self.errors[0]['error']}"
        if state == "done" and self.stopped:
            line += f" STOPPED: {STOPPED[self.stopped]}"
        return line
