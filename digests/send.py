"""`procradar digest send`: match every due subscription against the index, put each digest
in the outbox with its sent-log rows, send it, mark it sent.

Order of a run (see docs/digests.md for what this guarantees and what it cannot):
1. take the `digest-send` lease (one run at a time, also across machines sharing a store);
2. send what an earlier run left in the outbox (an SMTP failure, a crash), same Message-ID;
3. for each due subscription: search the index for articles indexed since its watermark
   (minus an overlap), drop those already logged for it and those stored before it was
   confirmed; queue one message (outbox + sent-log + new watermark in one transaction),
   send it, mark it sent. An SMTP failure stops the run: the message stays in the outbox
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
from typing import Any

from digests.compose import DigestMail, digest_message, digest_message_id, mail_domain, to_bytes
from digests.i18n import lang_or_default
from digests.links import Signer, Site, signer_for, site_for
from digests.mailer import Mailer, MailError, SmtpConfig
from digests.searches import SavedSearch, SearchParamsError
from procradar.core.index.base import MAX_LIMIT, Index
from procradar.core.settings import Settings
from procradar.core.subscriptions import (
    FREQUENCIES,
    Subscription,
    Subscriptions,
    now_utc,
)

log = logging.getLogger(__name__)
LEASE = "digest-send"
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
        self.site: Site = site_for(settings)
        self.signer: Signer = signer_for(settings)
        self.max_articles = int(settings.get("digest.max_articles") or 50)
        self.overlap = timedelta(seconds=float(settings.get("digest.overlap_seconds") or 0))
        self.lease_ttl = timedelta(seconds=float(settings.get("digest.lock_ttl_seconds") or 900))
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._renewed = clock()
        self._first_stored: dict[str, datetime] = {}
        self._searches: dict[tuple[str, datetime, int], tuple[list[dict[str, Any]], int]] = {}
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
            with self.mailer_factory() as mailer:
                if not dry_run and not self._flush(mailer, report):
                    return report
                frequencies = [frequency] if frequency else list(FREQUENCIES)
                for sub in self.subs.active(frequencies):
                    self._keep_lease()
                    if not self._one(sub, mailer, report, dry_run):
                        break
        finally:
            self.subs.release_lease(LEASE, self.holder)
        return report

    def _keep_lease(self) -> None:
        now = self.clock()
        if now - self._renewed > self.lease_ttl / 3:
            if not self.subs.renew_lease(LEASE, self.holder, self.lease_ttl, now):
                raise RuntimeError("lost the digest lease (run took longer than its TTL)")
            self._renewed = now

    def _flush(self, mailer: Mailer, report: RunReport) -> bool:
        """Send what earlier runs queued but did not get out; False on an SMTP failure."""
        for msg in self.subs.pending():
            self._keep_lease()
            try:
                mailer.send(msg.recipient, msg.message)
            except MailError as exc:
                self.subs.mark_failed(msg.message_id, str(exc))
                report.error = str(exc)
                return False
            if self.subs.mark_sent(msg.message_id, self.clock()):
                report.sent += 1
                report.resent += 1
        return True

    def _one(self, sub: Subscription, mailer: Mailer, report: RunReport, dry_run: bool) -> bool:
        """Handle one subscription; False when the run must stop (SMTP failure)."""
        # One watermark for the whole run: subscriptions with the same search then share
        # one index query (see match), this run and the next.
        started = self._started
        if not is_due(sub, self.clock()):
            return True
        report.checked += 1
        try:
            saved = SavedSearch.from_json(sub.query)
        except (SearchParamsError, ValueError) as exc:
            log.warning("subscription %s has an unusable search (%s); skipped", sub.id, exc)
            return True
        articles, total = self.match(sub, saved)
        if not articles:
            report.nothing_new += 1
            if not dry_run:
                self.subs.mark_checked(sub.id, started)
            return True
        urls = [str(a["url"]) for a in articles]
        lang = lang_or_default(sub.language)
        if dry_run:
            report.previews.append(Preview(sub.email, saved.describe(lang), urls))
            return True
        message_id = digest_message_id(sub.id, urls, mail_domain(self.sender))
        mail = DigestMail(
            subscription_id=sub.id,
            recipient=sub.email,
            lang=lang,
            search_text=saved.describe(lang),
            frequency=sub.frequency,
            articles=articles,
            total=total,
            see_all=self.site.search(saved.query_string(sort="newest")),
            manage=self.site.manage(
                self.signer.manage_token(sub.subscriber_id, sub.manage_version)
            ),
            unsubscribe=self.site.unsubscribe(self.signer.unsubscribe_token(sub.id)),
        )
        raw = to_bytes(digest_message(mail, self.site, self.sender, message_id))
        # A digest that lists only some of the new articles covers the rest by its "see
        # all" link: the next run starts at this run (no overlap), so they do not come again.
        watermark = started + self.overlap if total > len(articles) else started
        if not self.subs.queue(sub.id, message_id, sub.email, raw, urls, watermark):
            log.info("subscription %s: articles already queued by another run", sub.id)
            return True
        report.queued += 1
        report.articles += len(urls)
        try:
            mailer.send(sub.email, raw)
        except MailError as exc:
            self.subs.mark_failed(message_id, str(exc))
            report.error = str(exc)
            return False
        if self.subs.mark_sent(message_id, self.clock()):
            report.sent += 1
        return True

    # -- matching ----------------------------------------------------------------------

    def match(self, sub: Subscription, saved: SavedSearch) -> tuple[list[dict[str, Any]], int]:
        """The new articles for `sub` (newest first, at most max_articles) and how many new
        ones there are in all."""
        confirmed = sub.confirmed_at or sub.created_at
        since = max((sub.checked_at or confirmed) - self.overlap, confirmed)
        page = min(MAX_LIMIT, self.max_articles * 2)
        found: list[dict[str, Any]] = []
        offset, skipped, total = 0, 0, 0
        while len(found) < self.max_articles and offset < MAX_LIMIT:
            hits, total = self._search(saved, since, page, offset)
            fresh = self._fresh(sub, hits, confirmed)
            skipped += len(hits) - len(fresh)
            found += fresh
            offset += page
            if offset >= total:
                break
        return found[: self.max_articles], max(total - skipped, len(found[: self.max_articles]))

    def _search(
        self, saved: SavedSearch, since: datetime, page: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        key = (saved.to_json(), since, offset)
        if key not in self._searches:
            if len(self._searches) > 2000:
                self._searches.clear()
            request = saved.request(page, indexed_since=since)
            request.offset = offset
            result = self.index.search(request)
            self._searches[key] = ([h.article for h in result.hits], result.total)
        return self._searches[key]

    def _fresh(
        self, sub: Subscription, hits: list[dict[str, Any]], confirmed: datetime
    ) -> list[dict[str, Any]]:
        """Hits not logged for this subscription and first stored after it was confirmed
        (a reindex rewrites every index timestamp; it must not make old articles new)."""
        urls = [str(h["url"]) for h in hits]
        logged = self.subs.already_queued(sub.id, urls)
        unknown = [u for u in urls if u not in self._first_stored]
        if unknown:
            self._first_stored.update(self.subs.first_stored(unknown))
        return [
            h
            for h in hits
            if str(h["url"]) not in logged
            and str(h["url"]) in self._first_stored
            and self._first_stored[str(h["url"])] >= confirmed
        ]
