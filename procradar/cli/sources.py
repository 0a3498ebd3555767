"""`procradar sources list|enable|disable|check`: the registry (curated sources and the
catalogue of every public buyer) filtered and switched by what users think in - id, country,
region, type, or a name - and checked against the sites themselves."""

from __future__ import annotations

import json
from typing import Any

import click

from procradar.cli.base import Context, main, pass_context
from procradar.cli.crawl import _sources, _unknown_ids
from procradar.core.catalogue import (
    Entry,
    Selector,
    SelectorError,
    add_rule,
    registry,
    state_path,
)
from procradar.core.crawlplan import HISTORY, health
from procradar.core.sources import SourcesError

RUNS_COUNTED = 10_000  # runs summed for "articles found"
MAX_ERROR_LINES = 12
RECENT_RUNS = 5  # a fault met once (e.g. on an article not fetched again) stays visible


@main.group("sources")
def sources_group() -> None:
    """The source registry: curated sources (sources_file, default config/sources.yaml) and
    the catalogue of every public buyer (off until switched on)."""


def _filters(func: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--id", "source_id", metavar="ID", help="A source id (* and ? as wildcards)."
            ),
            click.option("--country", metavar="CC", help="SE, NO or DK."),
            click.option(
                "--region", metavar="NAME", help='Region or county, e.g. "Skåne", "Vestland".'
            ),
            click.option(
                "--type",
                "kind",
                metavar="TYPE",
                help="municipality, region, county_municipality, cpb, agency, trade_press, …",
            ),
            click.option("--query", metavar="TEXT", help="Part of a name, id or gazetteer id."),
        ]
    ):
        func = option(func)
    return func


def _selector(
    source_id: str | None,
    country: str | None,
    region: str | None,
    kind: str | None,
    query: str | None,
) -> Selector | None:
    if not any((source_id, country, region, kind, query)):
        return None
    try:
        return Selector(id=source_id, country=country, region=region, type=kind, query=query)
    except SelectorError as exc:  # pragma: no cover - the dataclass takes any text
        raise click.UsageError(str(exc)) from exc


def _registry(ctx: Context) -> list[Entry]:
    try:
        return registry(ctx.settings)
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from exc


def _state(entry: Entry) -> str:
    if entry.source is None:
        return "no website"
    return "on" if entry.enabled else "off"


@sources_group.command("list")
@_filters
@click.option("--enabled/--disabled", "enabled", default=None, help="Only sources switched on/off.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_context
def sources_list(
    ctx: Context,
    source_id: str | None,
    country: str | None,
    region: str | None,
    kind: str | None,
    query: str | None,
    enabled: bool | None,
    as_json: bool,
) -> None:
    """Sources with their state, country, type, region, last crawl and articles found."""
    selector = _selector(source_id, country, region, kind, query)
    chosen = [
        e
        for e in _registry(ctx)
        if (selector is None or selector.matches(e)) and (enabled is None or e.enabled == enabled)
    ]
    report = [_row(ctx, e) for e in chosen]
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    rows = [["id", "state", "country", "type", "region", "last crawl", "articles", "url"]]
    for r in report:
        rows.append(
            [
                r["id"],
                r["state"] + (" (backing off)" if r["backing_off_until"] else ""),
                r["country"] or "-",
                r["type"],
                r["region"],
                r["last_crawl"] or "never",
                str(r["articles_found"]),
                r["url"] or "-",
            ]
        )
    click.echo(_table(rows))
    on = sum(1 for r in report if r["state"] == "on")
    missing = sum(1 for r in report if r["state"] == "no website")
    click.echo(
        f"{len(report)} source(s): {on} on, {len(report) - on - missing} off, "
        f"{missing} without a website"
    )


def _row(ctx: Context, entry: Entry) -> dict[str, Any]:
    runs = ctx.store.runs(entry.id, limit=RUNS_COUNTED) if entry.source else []
    state = health(
        runs[:HISTORY],
        ctx.settings["crawl.failure_backoff_hours"],
        ctx.settings["crawl.failure_backoff_max_hours"],
    )
    return {
        "id": entry.id,
        "name": entry.name,
        "state": _state(entry),
        "origin": entry.origin,
        "country": entry.country,
        "type": entry.type,
        "region": entry.region,
        "organizations": entry.organizations,
        "url": entry.url,
        "website_source": entry.website_source,
        "missing_reason": entry.missing_reason,
        "last_crawl": _when(runs[0].get("finished_at")) if runs else None,
        "articles_found": sum(int(r.get("new_articles") or 0) for r in runs),
        "failed_runs_in_a_row": state.failures,
        "backing_off_until": state.backoff_until if state.failures else None,
    }


def _switch(action: str) -> Any:
    @_filters
    @click.argument("source_ids", nargs=-1)
    @pass_context
    def command(
        ctx: Context,
        source_ids: tuple[str, ...],
        source_id: str | None,
        country: str | None,
        region: str | None,
        kind: str | None,
        query: str | None,
    ) -> None:
        selectors = [Selector(id=i) for i in source_ids]
        combined = _selector(source_id, country, region, kind, query)
        if combined is not None:
            selectors.append(combined)
        if not selectors:
            raise click.UsageError("name source ids or give --country/--region/--type/--query/--id")
        entries = _registry(ctx)
        for selector in selectors:
            matched = [e for e in entries if selector.matches(e)]
            if not matched:
                raise click.UsageError(f"no source matches {selector.text()!r}")
        for selector in selectors:
            add_rule(state_path(ctx.settings), action, selector)
        after = {e.id: e for e in _registry(ctx)}
        hit = [e for e in entries if any(s.matches(e) for s in selectors)]
        changed = [e for e in hit if after[e.id].enabled != e.enabled]
        blocked = [e for e in hit if e.source is None]
        click.echo(
            f"{action}d {len(hit)} source(s) ({len(changed)} changed) - "
            f"rule saved in {state_path(ctx.settings)}"
        )
        if blocked and action == "enable":
            click.echo(
                f"{len(blocked)} of them have no known website and stay off: "
                + ", ".join(e.id for e in blocked[:10])
                + (" …" if len(blocked) > 10 else "")
            )

    command.__doc__ = (
        f"Switch sources {'on' if action == 'enable' else 'off'} by id(s) and/or a filter "
        "(--country SE --region Skåne --type municipality); the rule is kept in "
        "data_dir/sources-state.yaml and applied after the sources.enable/disable settings."
    )
    return command


sources_group.command("enable")(_switch("enable"))
sources_group.command("disable")(_switch("disable"))


@sources_group.command("check")
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


def _when(value: Any) -> str:
    return str(value or "")[:16].replace("T", " ")


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
