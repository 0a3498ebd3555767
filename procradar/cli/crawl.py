"""`procradar crawl` and `procradar sources list|check`."""

from __future__ import annotations

import json
import logging
from typing import Any

import click

from procradar.cli.base import Context, main, pass_context
from procradar.core.catalogue import effective_sources
from procradar.core.sources import SourcesError

MAX_ERROR_LINES = 12
RECENT_RUNS = 5  # a fault met once (e.g. on an article not fetched again) stays visible


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


def _crawl_rows(stats: dict[str, dict[str, Any]]) -> list[list[str]]:
    rows = [["source", "requests", "kB", "pages", "304", "new", "updated", "errors"]]
    for sid, s in sorted(stats.items()):
        rows.append(
            [
                sid,
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


@main.group()
def sources() -> None:
    """The source registry (sources_file, default config/sources.yaml)."""


@sources.command("list")
@pass_context
def sources_list(ctx: Context) -> None:
    """Every source with its country, languages, category and last crawl."""
    rows = [["id", "country", "lang", "category", "last crawl", "new", "errors", "url"]]
    for source in _sources(ctx):
        last = _last_run(ctx, source["id"])
        rows.append(
            [
                source["id"] + ("" if source["enabled"] else " (off)"),
                source.get("country") or "-",
                ",".join(source["languages"]) or "-",
                source.get("category") or "-",
                _when(last.get("finished_at")) if last else "never",
                str(last.get("new_articles", "")) if last else "",
                str(len(last.get("errors") or [])) if last else "",
                source["url"],
            ]
        )
    click.echo(_table(rows))


@sources.command("check")
@click.argument("source_ids", nargs=-1)
@click.option("--no-probe", is_flag=True, help="Do not contact the sites; show stored runs only.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_context
def sources_check(ctx: Context, source_ids: tuple[str, ...], no_probe: bool, as_json: bool) -> None:
    """Reachability, discovered feeds/sitemaps, article links, last success and last errors.

    Without --no-probe each source is contacted now (robots.txt, homepage, feeds, sitemaps
    and listings; no article pages)."""
    from crawlers.run import CrawlError, probe

    every = _sources(ctx)
    _unknown_ids(source_ids, every)
    # Without ids only the switched-on sources: the catalogue is ~800 mostly-off sources.
    chosen = [s for s in every if s["id"] in source_ids or (not source_ids and s["enabled"])]
    probed: dict[str, dict[str, Any]] = {}
    if not no_probe:
        try:
            probed = probe(ctx.settings, sources=chosen, progress=None)
        except CrawlError as exc:
            raise click.ClickException(str(exc)) from exc
    report = [_check(ctx, source, probed.get(source["id"])) for source in chosen]
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(_table(_check_rows(report)))
    for entry in report:
        for line in entry["problems"][:MAX_ERROR_LINES]:
            click.echo(f"  {entry['id']}: {line}")


def _check(ctx: Context, source: dict[str, Any], probed: dict[str, Any] | None) -> dict[str, Any]:
    runs = ctx.store.runs(source["id"], limit=20)
    last = runs[0] if runs else None
    success = next((r for r in runs if r.get("pages") or r.get("not_modified")), None)
    seen = probed or last or {}
    discovery = seen.get("discovery") or {}
    problems = [f"now: {e['url']}: {e['error']}" for e in (probed or {}).get("errors", [])]
    seen_errors: set[tuple[str, str]] = set()
    for run in runs[:RECENT_RUNS]:
        for e in run.get("errors") or []:
            if (e["url"], e["error"]) not in seen_errors:
                seen_errors.add((e["url"], e["error"]))
                problems.append(f"crawl {_when(run.get('finished_at'))}: {e['url']}: {e['error']}")
    return {
        "id": source["id"],
        "url": source["url"],
        "reachable": _reachable(probed),
        "feeds": discovery.get("feeds", []),
        "sitemaps": discovery.get("sitemaps", []),
        "article_links": discovery.get("article_links", 0),
        "robots_disallowed": len(discovery.get("robots_disallowed", [])),
        "last_success": success.get("finished_at") if success else None,
        "last_errors": len(last.get("errors") or []) if last else 0,
        "problems": problems,
    }


def _reachable(probed: dict[str, Any] | None) -> str:
    if probed is None:
        return "-"
    if probed.get("pages") or probed.get("not_modified"):
        return "yes"
    return "NO"


def _check_rows(report: list[dict[str, Any]]) -> list[list[str]]:
    rows = [["source", "reachable", "feeds", "sitemaps", "links", "last success", "errors"]]
    for e in report:
        rows.append(
            [
                e["id"],
                e["reachable"],
                str(len(e["feeds"])),
                str(len(e["sitemaps"])),
                str(e["article_links"]),
                _when(e["last_success"]) if e["last_success"] else "never",
                str(e["last_errors"]),
            ]
        )
    return rows


def _last_run(ctx: Context, source_id: str) -> dict[str, Any] | None:
    runs = ctx.store.runs(source_id, limit=1)
    return runs[0] if runs else None


def _when(value: Any) -> str:
    text = str(value or "")
    return text[:16].replace("T", " ")


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
