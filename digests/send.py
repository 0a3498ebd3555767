"""`procradar digest send`: match every due subscription against the index, put each digest
in the outbox with its sent-log rows, send it, mark it sent.

Order of a run (see docs/digests.md for what this guarantees and what it cannot):
1. take the `digest-send` lease (one run at a time, also across machines sharing a store);
2. send what an earlier run left in the outbox (an SMTP failure, a crash), same Message-ID;
3. in batches of due subscriptions (digests/matching.py): search the index for articles
   indexed since each one's watermark (minus an overlap), drop those already logged for it
   and those stored before it was confirmed; for each, queue one message (outbox +
   sent-log + new watermark in one transaction) and hand it to the SMTP connections
   (digests/sender.py), which send it and mark it sent while the next ones are composed.
   An SMTP failure stops the run: what was queued and not accepted stays in the outbox
   and is the first thing the next run sends.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from digests.compose import (
    DigestMail,
    Fragments,
    digest_message,
    digest_message_id,
    mail_domain,
    to_bytes,
)
from digests.i18n import lang_or_default
from digests.links import Signer, Site, signer_for, site_for
from digests.mailer import Mailer, SmtpConfig
from digests.matching import Due, Matched, Matching
from digests.searches import SavedSearch, SearchParamsError
from digests.sender import Outgoing, SenderPool
from procradar.core.index.base import Index
from procradar.core.settings import Settings
from procradar.core.subscriptions import (
    FREQUENCIES,
    Subscription,
    Subscriptions,
    now_utc,
)

log = logging.getLogger(__name__)
LEASE = "digest-send"
BATCH = 250  # subscriptions matched together (their sent-log looked up in a few queries)
# A cron job a little early must still find yesterday's digest due.
DUE_AFTER = {
    "immediate": timedelta(0),
    "daily": timedelta(hours=23),
    "weekly": timedelta(days=7) - timedelta(hours=1),
}


@dataclass
class Preview:
    recipient: str
    subject_search: str
    urls: list[str]


@dataclass
class RunReport:
    locked: bool = False  # another run holds the lease: nothing was done
    checked: int = 0  # subscriptions looked at
    nothing_new: int = 0
    queued: int = 0
    sent: int = 0  # messages handed to SMTP, resends from the outbox included
    resent: int = 0  # of which from an earlier run's outbox
    articles: int = 0  # article entries in the messages queued
    error: str | None = None
    previews: list[Preview] = field(default_factory=list)  # --dry-run


def is_due(sub: Subscription, now: datetime) -> bool:
    last = sub.checked_at or sub.confirmed_at
    return last is None or now - last >= DUE_AFTER.get(sub.frequency, timedelta(0))


class DigestRun:
    def __init__(
        self,
        settings: Settings,
        subs: Subscriptions,
        index: Index,
        mailer_factory: Callable[[], Mailer] | None = None,
        clock: Callable[[], datetime] = now_utc,
    ):
        self.settings = settings
        self.subs = subs
        self.index = index
        self.clock = clock
        smtp = SmtpConfig.from_settings(settings)
        self.sender = smtp.sender
        self.mailer_factory = mailer_factory or (lambda: Mailer(smtp))
        self.connections = int(settings.get("digest.smtp.connections") or 1)
        self.site: Site = site_for(settings)
        self.signer: Signer = signer_for(settings)
        self.fragments = Fragments(self.site)
        self.max_articles = int(settings.get("digest.max_articles") or 50)
        self.overlap = timedelta(seconds=float(settings.get("digest.overlap_seconds") or 0))
        self.lease_ttl = timedelta(seconds=float(settings.get("digest.lock_ttl_seconds") or 900))
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._renewed = clock()
        self._started = clock()

    # -- the run -----------------------------------------------------------------------

    def run(self, frequency: str | None = None, dry_run: bool = False) -> RunReport:
        report = RunReport()
        if not self.subs.claim_lease(LEASE, self.holder, self.lease_ttl, self.clock()):
            report.locked = True
            return report
        try:
            self._renewed = self._started = self.clock()
            max_age = timedelta(seconds=self.signer.confirm_max_age)
            self.subs.purge_unconfirmed(self.clock() - max_age)
            frequencies = [frequency] if frequency else list(FREQUENCIES)
            pool = SenderPool(
                self.mailer_factory, self.subs, self.connections, self.clock, self._keep_lease
            )
            try:
                with Matching(self.index, self.subs, self.max_articles, self.overlap) as matching:
                    self._all(pool, matching, frequencies, report, dry_run)
            finally:
                pool.close()
                report.sent, report.resent = pool.sent, pool.resent
                report.error = report.error or pool.error
        finally:
            self.subs.release_lease(LEASE, self.holder)
        return report

    def _all(
        self,
        pool: SenderPool,
        matching: Matching,
        frequencies: list[str],
        report: RunReport,
        dry_run: bool,
    ) -> None:
        if not dry_run:
            for msg in self.subs.pending():  # an earlier run's leftovers go first
                pool.submit(Outgoing(msg.message_id, msg.recipient, msg.message, resend=True))
            pool.drain()
            if pool.failed:
                return
        batches = _batches(self._due(frequencies, report), BATCH)
        for n, batch in enumerate(batches):
            matched = matching.match(batch)
            if n + 1 < len(batches):
                matching.prefetch(batches[n + 1])  # searched while this batch is sent
            idle = [m.sub.id for m in matched if not m.articles]
            report.nothing_new += len(idle)
            if not dry_run:
                self.subs.mark_checked_many(idle, self._started)
            for found in matched:
                self._keep_lease()
                if found.articles and not self._one(found, pool, report, dry_run):
                    return

    def _due(self, frequencies: list[str], report: RunReport) -> list[Due]:
        out = []
        now = self.clock()
        for sub in self.subs.active(frequencies):
            if not is_due(sub, now):
                continue
            report.checked += 1
            try:
                out.append(Due(sub, SavedSearch.from_json(sub.query)))
            except (SearchParamsError, ValueError) as exc:
                log.warning("subscription %s has an unusable search (%s); skipped", sub.id, exc)
        return out

    def _keep_lease(self) -> None:
        now = self.clock()
        if now - self._renewed > self.lease_ttl / 3:
            if not self.subs.renew_lease(LEASE, self.holder, self.lease_ttl, now):
                raise RuntimeError("lost the digest lease (run took longer than its TTL)")
            self._renewed = now

    def _one(self, found: Matched, pool: SenderPool, report: RunReport, dry_run: bool) -> bool:
        """Queue and hand over one digest; False when the run must stop (SMTP failure)."""
        sub, saved, articles = found.sub, found.saved, found.articles
        urls = [str(a["url"]) for a in articles]
        lang = lang_or_default(sub.language)
        if dry_run:
            report.previews.append(Preview(sub.email, saved.describe(lang), urls))
            return True
        if pool.failed:
            return False
        message_id = digest_message_id(sub.id, urls, mail_domain(self.sender))
        raw = to_bytes(
            digest_message(
                self._mail(sub, saved, lang, found),
                self.site,
                self.sender,
                message_id,
                self.fragments,
            )
        )
        # One watermark for the whole run: subscriptions with the same search then share
        # one index query, this run and the next. A digest that lists only some of the new
        # articles covers the rest by its "see all" link: the next run starts at this run
        # (no overlap), so they do not come again.
        started = self._started
        watermark = started + self.overlap if found.total > len(articles) else started
        if not self.subs.queue(sub.id, message_id, sub.email, raw, urls, watermark):
            log.info("subscription %s: articles already queued by another run", sub.id)
            return True
        report.queued += 1
        report.articles += len(urls)
        return pool.submit(Outgoing(message_id, sub.email, raw))

    def _mail(self, sub: Subscription, saved: SavedSearch, lang: str, found: Matched) -> DigestMail:
        return DigestMail(
            subscription_id=sub.id,
            recipient=sub.email,
            lang=lang,
            search_text=saved.describe(lang),
            frequency=sub.frequency,
            articles=found.articles,
            total=found.total,
            see_all=self.site.search(saved.query_string(sort="newest")),
            manage=self.site.manage(
                self.signer.manage_token(sub.subscriber_id, sub.manage_version)
            ),
            unsubscribe=self.site.unsubscribe(self.signer.unsubscribe_token(sub.id)),
        )


def _batches(items: list[Due], size: int) -> list[list[Due]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
