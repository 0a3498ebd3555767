"""Commands that run the whole thing: serve, demo and run."""

from __future__ import annotations

import sys
from typing import Any

import click

from procradar.cli.base import Context, main, pass_context
from procradar.cli.crawl import budget_summary, stage_logging
from procradar.cli.workers import serve_workers, settle_gc
from procradar.core.settings import Settings

HOST_HELP = "Address to listen on [default: setting web.host, 127.0.0.1]."
PORT_HELP = "Port to listen on [default: setting web.port, 8642]."


def _say(message: str) -> None:
    click.echo(message, err=True)


def waitress_options(settings: Settings) -> dict[str, Any]:
    """waitress's limits from the settings. Its defaults (100 connections, 120 s before an
    idle one is dropped) let ~100 silent or half-sent connections lock out every user;
    poll() instead of select() because select() cannot watch descriptors past 1023."""
    timeout = int(settings["web.channel_timeout"])
    return {
        "threads": int(settings["web.threads"]),
        "connection_limit": int(settings["web.connection_limit"]),
        "channel_timeout": timeout,
        "cleanup_interval": max(1, timeout // 4),
        "asyncore_use_poll": True,
        "_quiet": True,
    }


def make_app(settings: Settings) -> Any:
    from digests import web as digests_web
    from search_app import create_app

    app = create_app(settings=settings)
    digests_web.init_app(app)  # the follow pages (subscribe, manage, feeds) on the same app
    return app


def serve_app(ctx: Context, host: str | None, port: int | None, workers: int | None = None) -> None:
    """Serve the web UI with waitress until interrupted; with several workers, one waitress
    process each (procradar.cli.workers)."""
    from waitress import serve as waitress_serve

    host = host or ctx.settings["web.host"]
    port = port or int(ctx.settings["web.port"])
    workers = workers or int(ctx.settings["web.workers"])
    if workers > 1:
        serve_workers(ctx.settings, host, port, workers, make_app, waitress_options(ctx.settings))
        return
    app = make_app(ctx.settings)
    settle_gc()
    click.echo(f"procradar is serving on http://{host}:{port}/  (Ctrl-C to stop)")
    sys.stdout.flush()
    try:
        waitress_serve(app, host=host, port=port, **waitress_options(ctx.settings))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


@main.command()
@click.option("--host", help=HOST_HELP)
@click.option("--port", type=click.IntRange(1, 65535), help=PORT_HELP)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Server processes, one per core is right [default: setting web.workers, 1].",
)
@pass_context
def serve(ctx: Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the search site and JSON API over what the store and index hold."""
    serve_app(ctx, host, port, workers)


def crawl_and_index(ctx: Context, sources: list[dict] | None) -> dict[str, dict]:
    """Crawl, enrich and index at once (procradar.stages.crawlrun). Without `sources`, the
    sources this run's plan takes, as `procradar crawl` does: curated and switched-on
    catalogue sources, within the run budget, oldest first, failing ones backed off."""
    from crawlers.run import CrawlError
    from procradar.core.sources import SourcesError
    from procradar.stages.catalogue_crawl import planned_sources
    from procradar.stages.crawlrun import crawl_enrich_index

    stage_logging()
    try:
        with ctx.writing("crawl"):  # one writer at a time, as for `procradar crawl`
            if sources is None:
                sources = planned_sources(ctx.settings, ctx.store, (), _say)
            result = crawl_enrich_index(ctx.settings, ctx.store, ctx.index, sources, progress=_say)
    except (CrawlError, SourcesError) as exc:
        raise click.ClickException(str(exc)) from exc
    stats = result.crawl
    total_new = sum(s.get("new_articles", 0) for s in stats.values())
    _say(
        f"crawl done: {len(stats)} sources, {total_new} new articles, "
        f"{result.enrich.done} pages enriched, {result.indexed} (re)indexed"
    )
    budget = budget_summary(stats, ctx.settings)
    if budget:
        _say(budget)
    return stats


@main.command()
@click.option("--no-serve", is_flag=True, help="Crawl and index, then exit (for scripts/tests).")
@click.option("--host", help=HOST_HELP)
@click.option("--port", type=click.IntRange(1, 65535), help=PORT_HELP)
@click.option(
    "--sites-port",
    type=click.IntRange(0, 65535),
    help="First port of the sample sites (one per site; 0 = any free port) "
    "[default: setting demo.ports_start].",
)
@pass_context
def demo(
    ctx: Context, no_serve: bool, host: str | None, port: int | None, sites_port: int | None
) -> None:
    """Offline demo: serve the bundled sample sites on 127.0.0.1, crawl them with the real
    spiders, enrich, index, and serve the web UI."""
    from procradar.stages.samplesites import SampleSites, load_sites

    first = ctx.settings["demo.ports_start"] if sites_port is None else sites_port
    ids = [s.id for s in load_sites()]
    ports = {site_id: (first + i if first else 0) for i, site_id in enumerate(ids)}
    try:
        sites = SampleSites(ports=ports).start()
    except OSError as exc:
        raise click.ClickException(
            f"cannot serve the sample sites from port {first}: {exc.strerror} "
            "(choose others with --sites-port)"
        ) from exc
    try:
        _say(f"serving {len(ids)} sample sites: " + ", ".join(sites.base_url(i) for i in ids))
        crawl_and_index(ctx, sites.sources())
        click.echo(f"{ctx.store.article_count()} articles stored, {ctx.index.count()} indexed")
        if not no_serve:
            serve_app(ctx, host, port)
    finally:
        sites.stop()


@main.command()
@click.option("--no-serve", is_flag=True, help="Crawl and index, then exit (for cron).")
@click.option("--host", help=HOST_HELP)
@click.option("--port", type=click.IntRange(1, 65535), help=PORT_HELP)
@pass_context
def run(ctx: Context, no_serve: bool, host: str | None, port: int | None) -> None:
    """The main job: crawl this run's sources as `procradar crawl` does (curated and
    switched-on catalogue sources, within the run and time budgets, oldest first, failing
    ones backed off), enrich, index, then serve.

    Unreachable sources are reported one line each; the UI still serves what the store holds.
    """
    crawl_and_index(ctx, None)
    if not no_serve:
        serve_app(ctx, host, port)
