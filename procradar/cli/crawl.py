"""`procradar crawl`: the planned sources (procradar.stages.catalogue_crawl) fetched, enriched
and indexed at once. The `sources` commands live in procradar/cli/sources.py."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import click

from procradar.cli.base import Context, main, pass_context
from procradar.core.catalogue import effective_sources
from procradar.core.settings import Settings
from procradar.core.sources import SourcesError


def _say(message: str) -> None:
    click.echo(message, err=True)


def stage_logging() -> None:
    """Progress of the enrichment and index stages (module loggers) on stderr, unless
    logging was set up already."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")


def _sources(ctx: Context) -> list[dict[str, Any]]:
    try:
        return effective_sources(ctx.settings)  # curated + catalogue, as switched on
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from exc


def _unknown_ids(ids: tuple[str, ...], sources: list[dict[str, Any]]) -> None:
    missing = sorted(set(ids) - {s["id"] for s in sources})
    if missing:
        raise click.UsageError(f"unknown source id(s): {', '.join(missing)}")


@main.command("crawl")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only this source.")
@pass_context
def crawl_command(ctx: Context, source_ids: tuple[str, ...]) -> None:
    """Fetch the sources into the store, enrich the new pages and index them, the three at
    once (incremental; progress on stderr and in data_dir/logs/crawl.log)."""
    from crawlers.run import CrawlError
    from procradar.stages.catalogue_crawl import planned_sources
    from procradar.stages.crawlrun import crawl_enrich_index

    _unknown_ids(source_ids, _sources(ctx))
    stage_logging()
    try:
        with ctx.writing("crawl"):  # one writer at a time
            result = crawl_enrich_index(
                ctx.settings,
                ctx.store,
                ctx.index,
                sources=planned_sources(ctx.settings, ctx.store, source_ids, _say),
                source_ids=list(source_ids) or None,
                progress=_say,
            )
    except (CrawlError, SourcesError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(_table(_crawl_rows(result.crawl)))
    budget = budget_summary(result.crawl, ctx.settings)
    if budget:
        click.echo(budget)
    failure = crawl_failure(result.crawl)
    if failure:  # cron and scripts must see a crawl that did nothing
        raise click.ClickException(failure)


def crawl_failure(stats: dict[str, dict[str, Any]]) -> str | None:
    """Why the crawl as a whole failed (a crawler crashed, or no source gave a page)."""
    crashed = sorted(
        sid
        for sid, s in stats.items()
        if any("crawler crashed" in str(e.get("error")) for e in s.get("errors") or [])
    )
    if crashed:
        return f"the crawler crashed for {', '.join(crashed)} (see data_dir/logs/crawl.log)"
    if stats and not any(s.get("pages") or s.get("not_modified") for s in stats.values()):
        return f"no source could be fetched ({len(stats)} tried; see the errors above)"
    return None


def budget_summary(stats: dict[str, dict[str, Any]], settings: Settings) -> str | None:
    """The crawl summary's line on the time budgets: the sources crawl.max_run_seconds and
    crawl.max_source_seconds stopped early or left for the next run (None: no budget hit)."""
    by = Counter(s.get("stopped") for s in stats.values() if s.get("stopped"))
    parts = []
    if by["run_budget"] or by["not_started"]:
        parts.append(
            f"the run's {settings['crawl.max_run_seconds']:g} s (crawl.max_run_seconds) "
            f"were spent: {by['run_budget']} source(s) stopped early, {by['not_started']} "
            "not started (first in line next run)"
        )
    if by["source_budget"]:
        parts.append(
            f"{by['source_budget']} source(s) stopped after their "
            f"{settings['crawl.max_source_seconds']:g} s (crawl.max_source_seconds)"
        )
    return "time budget: " + "; ".join(parts) if parts else None


def _crawl_rows(stats: dict[str, dict[str, Any]]) -> list[list[str]]:
    rows = [["source", "requests", "kB", "pages", "304", "new", "updated", "errors"]]
    for sid, s in sorted(stats.items()):
        if s.get("stopped") == "not_started":
            continue  # counted in the time budget line
        rows.append(
            [
                sid + (" (stopped)" if s.get("stopped") else ""),
                str(s["requests"]),
                str(s["bytes"] // 1000),
                str(s["pages"]),
                str(s["not_modified"]),
                str(s["new_articles"]),
                str(s["updated_articles"]),
                str(len(s["errors"])),
            ]
        )
    return rows


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
