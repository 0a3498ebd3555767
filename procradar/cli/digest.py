"""`procradar digest send` and `procradar schedule`: the digests part wired to the store,
the index and (for the schedule) the crawl and index stages."""

from __future__ import annotations

import os
import socket
import time
import uuid
from datetime import timedelta

import click

from procradar.cli.base import Context, main, pass_context
from procradar.core.subscriptions import FREQUENCIES, Subscriptions, now_utc

SCHEDULE_LEASE = "schedule"


def _say(message: str) -> None:
    click.echo(message, err=True)


@main.group()
def digest() -> None:
    """Saved searches by email: send the digests that are due."""


def send_digests(ctx: Context, frequency: str | None, dry_run: bool) -> int:
    """Run one digest pass; returns the exit status (0 fine, 1 SMTP failure, 75 locked)."""
    from digests.mailer import MailError
    from digests.send import DigestRun

    subs = Subscriptions(ctx.store.engine)
    try:
        report = DigestRun(ctx.settings, subs, ctx.index).run(frequency, dry_run)
    except MailError as exc:  # bad SMTP settings
        raise click.ClickException(str(exc)) from exc
    if report.locked:
        _say("another `digest send` holds the lock; nothing done")
        return 75  # EX_TEMPFAIL: cron may try again later
    for preview in report.previews:
        click.echo(
            f"would send {len(preview.urls)} articles to {preview.recipient}: "
            f"{preview.subject_search}"
        )
        for url in preview.urls:
            click.echo(f"  {url}")
    click.echo(
        f"digests: {report.checked} subscriptions checked, {report.queued} queued, "
        f"{report.sent} sent ({report.resent} from an earlier run), "
        f"{report.nothing_new} with nothing new, {report.articles} article entries"
    )
    if report.error:
        _say(f"stopped on an SMTP error, unsent mail stays queued for the next run: {report.error}")
        return 1
    return 0


@digest.command("send")
@click.option(
    "--frequency",
    type=click.Choice(FREQUENCIES),
    help="Only subscriptions of this frequency [default: all that are due].",
)
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send and record nothing.")
@pass_context
def send(ctx: Context, frequency: str | None, dry_run: bool) -> None:
    """Email each due subscription the articles indexed since its last digest (exactly once:
    see docs/digests.md). Exits 1 when SMTP failed (what was not sent is sent next time) and
    75 when another run holds the lock."""
    status = send_digests(ctx, frequency, dry_run)
    if status:
        raise SystemExit(status)


@digest.command("stats")
@pass_context
def stats(ctx: Context) -> None:
    """Subscriptions by status and the outbox."""
    subs = Subscriptions(ctx.store.engine)
    for status in ("pending", "active", "paused"):
        click.echo(f"{status:<8} {subs.count(status)}")
    for status, n in sorted(subs.outbox_counts().items()):
        click.echo(f"outbox {status:<8} {n}")


def scheduled_pass(ctx: Context, crawl: bool) -> int:
    """crawl → enrich → index → digests, under the `schedule` lease (never two at once)."""
    from procradar.stages.pipeline import sync_index

    subs = Subscriptions(ctx.store.engine)
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    ttl = timedelta(hours=6)  # a crawl can be long; a crashed pass frees it after this
    if not subs.claim_lease(SCHEDULE_LEASE, holder, ttl, now_utc()):
        _say("another scheduled pass is still running; skipped")
        return 75
    try:
        if crawl:
            from procradar.cli.serve import crawl_and_index

            crawl_and_index(ctx, None)
        else:
            indexed = sync_index(ctx.store, ctx.index)
            _say(f"{indexed} articles (re)indexed")
        return send_digests(ctx, None, dry_run=False)
    finally:
        subs.release_lease(SCHEDULE_LEASE, holder)


@main.command()
@click.option("--once", is_flag=True, help="One pass, then exit (for cron or a systemd timer).")
@click.option(
    "--no-crawl", is_flag=True, help="Skip the crawl: index what is stored, send digests."
)
@click.option(
    "--interval",
    type=click.IntRange(1, 7 * 24 * 60),
    help="Minutes between passes [default: setting schedule.interval_minutes].",
)
@pass_context
def schedule(ctx: Context, once: bool, no_crawl: bool, interval: int | None) -> None:
    """Run crawl → enrich → index → digests on a timetable, one pass at a time (a lease in
    the store keeps passes from overlapping, also across processes)."""
    minutes = interval or int(ctx.settings.get("schedule.interval_minutes") or 60)
    while True:
        started = time.monotonic()
        status = scheduled_pass(ctx, crawl=not no_crawl)
        if once:
            if status:
                raise SystemExit(status)
            return
        pause = max(0.0, minutes * 60 - (time.monotonic() - started))
        _say(f"next pass in {pause / 60:.0f} min")
        time.sleep(pause)
