"""The SQL of saved searches and email digests: subscribers, subscriptions and the sent-log;
the outbox and named leases (`outbox`) are mixed in. The digests part (digests/) decides
what to do; this module only reads and writes, on the Store's engine (SQLite or
PostgreSQL alike).

Every state change that must be atomic for exactly-once delivery is one transaction here:
`queue` writes a message into the outbox together with its sent-log rows and the
subscription's new watermark; `claim_lease` is a single conditional UPDATE.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from procradar.core.outbox import Leases, Outbox, utc
from procradar.core.outbox import now_utc as now_utc  # where digests/ import it from
from procradar.core.outbox import pending_row as _pending
from procradar.core.schema import (
    articles,
    digest_items,
    digest_outbox,
    subscribers,
    subscriptions,
)

FREQUENCIES = ("immediate", "daily", "weekly")
STATUSES = ("pending", "active", "paused")


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class Subscription:
    id: int
    subscriber_id: int
    email: str
    query: str  # JSON of the search parameters
    frequency: str
    language: str
    status: str
    feed_token: str
    created_at: datetime
    confirmed_at: datetime | None
    checked_at: datetime | None
    manage_version: int


_SUB_COLUMNS = (
    subscriptions.c.id,
    subscriptions.c.subscriber_id,
    subscribers.c.email,
    subscriptions.c.query,
    subscriptions.c.frequency,
    subscriptions.c.language,
    subscriptions.c.status,
    subscriptions.c.feed_token,
    subscriptions.c.created_at,
    subscriptions.c.confirmed_at,
    subscriptions.c.checked_at,
    subscribers.c.manage_version,
)


def _subscription(row: Any) -> Subscription:
    sub = Subscription(*row)
    sub.created_at = utc(sub.created_at) or sub.created_at
    sub.confirmed_at, sub.checked_at = utc(sub.confirmed_at), utc(sub.checked_at)
    return sub


def _joined() -> Any:
    return select(*_SUB_COLUMNS).join_from(
        subscriptions, subscribers, subscriptions.c.subscriber_id == subscribers.c.id
    )


class Subscriptions(Outbox, Leases):
    def __init__(self, engine: Engine):
        self.engine = engine

    # -- subscribing -------------------------------------------------------------------

    def add_pending(
        self, email: str, language: str, query: str, frequency: str, now: datetime
    ) -> tuple[int, int]:
        """A new subscription awaiting confirmation; returns (subscriber id, subscription id).
        The address row is made on first use and reused after (one row per address)."""
        with self.engine.begin() as conn:
            subscriber_id = conn.execute(
                select(subscribers.c.id).where(subscribers.c.email == email)
            ).scalar()
            if subscriber_id is None:
                try:
                    with conn.begin_nested():
                        subscriber_id = conn.execute(
                            insert(subscribers).values(
                                email=email,
                                language=language,
                                manage_version=1,
                                confirm_count=0,
                                created_at=now,
                            )
                        ).inserted_primary_key[0]  # type: ignore[index]
                except IntegrityError:  # the same address subscribed at the same moment
                    subscriber_id = conn.execute(
                        select(subscribers.c.id).where(subscribers.c.email == email)
                    ).scalar_one()
            sub_id = conn.execute(
                insert(subscriptions).values(
                    subscriber_id=subscriber_id,
                    query=query,
                    frequency=frequency,
                    language=language,
                    status="pending",
                    feed_token=new_token(),
                    created_at=now,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        return int(subscriber_id), int(sub_id)

    def claim_confirmation(
        self, subscriber_id: int, now: datetime, interval: timedelta, per_day: int
    ) -> bool:
        """May a confirmation mail go to this address now? At most one per `interval` and
        `per_day` a day; claimed atomically, so parallel requests cannot both send."""
        day_ago = now - timedelta(days=1)
        with self.engine.begin() as conn:
            row = conn.execute(
                select(subscribers.c.confirm_sent_at, subscribers.c.confirm_count).where(
                    subscribers.c.id == subscriber_id
                )
            ).first()
            if row is None:
                return False
            last = utc(row.confirm_sent_at)
            count = row.confirm_count if last and last > day_ago else 0
            if (last and last > now - interval) or count >= per_day:
                return False
            done = conn.execute(
                update(subscribers)
                .where(
                    subscribers.c.id == subscriber_id,
                    subscribers.c.confirm_sent_at.is_(None)
                    if last is None
                    else subscribers.c.confirm_sent_at == row.confirm_sent_at,
                )
                .values(confirm_sent_at=now, confirm_count=count + 1)
            ).rowcount
            return bool(done)

    def confirm(self, subscription_id: int, now: datetime) -> bool:
        """Pending -> active; the watermark starts at the confirmation."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(subscriptions)
                .where(subscriptions.c.id == subscription_id, subscriptions.c.status == "pending")
                .values(status="active", confirmed_at=now, checked_at=now)
            ).rowcount
        return bool(done)

    def purge_unconfirmed(self, older_than: datetime) -> int:
        """Drop pending subscriptions nobody confirmed, and addresses left with none."""
        with self.engine.begin() as conn:
            gone = conn.execute(
                delete(subscriptions).where(
                    subscriptions.c.status == "pending", subscriptions.c.created_at < older_than
                )
            ).rowcount
            self._drop_orphans(conn)
        return int(gone)

    # -- reading -----------------------------------------------------------------------

    def get(self, subscription_id: int) -> Subscription | None:
        with self.engine.connect() as conn:
            row = conn.execute(_joined().where(subscriptions.c.id == subscription_id)).first()
        return _subscription(row) if row else None

    def by_feed_token(self, token: str) -> Subscription | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                _joined().where(
                    subscriptions.c.feed_token == token, subscriptions.c.status != "pending"
                )
            ).first()
        return _subscription(row) if row else None

    def of_subscriber(self, subscriber_id: int) -> list[Subscription]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                _joined()
                .where(subscriptions.c.subscriber_id == subscriber_id)
                .order_by(subscriptions.c.id)
            )
            return [_subscription(r) for r in rows]

    def subscriber(self, subscriber_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(subscribers).where(subscribers.c.id == subscriber_id)).first()
        return dict(row._mapping) if row else None

    def active(self, frequencies: Iterable[str] = FREQUENCIES) -> list[Subscription]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                _joined()
                .where(
                    subscriptions.c.status == "active",
                    subscriptions.c.frequency.in_(list(frequencies)),
                )
                .order_by(subscriptions.c.id)
            )
            return [_subscription(r) for r in rows]

    def count(self, status: str | None = None) -> int:
        query = select(func.count()).select_from(subscriptions)
        if status:
            query = query.where(subscriptions.c.status == status)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    # -- managing ----------------------------------------------------------------------

    def update(self, subscription_id: int, subscriber_id: int, **values: Any) -> bool:
        """Change status/frequency/language of one of the subscriber's subscriptions."""
        allowed = {k: v for k, v in values.items() if k in ("status", "frequency", "language")}
        with self.engine.begin() as conn:
            done = conn.execute(
                update(subscriptions)
                .where(
                    subscriptions.c.id == subscription_id,
                    subscriptions.c.subscriber_id == subscriber_id,
                    subscriptions.c.status != "pending",
                )
                .values(**allowed)
            ).rowcount
        return bool(done)

    def revoke_feed(self, subscription_id: int, subscriber_id: int) -> str | None:
        """A new secret feed address; the old one stops working."""
        token = new_token()
        with self.engine.begin() as conn:
            done = conn.execute(
                update(subscriptions)
                .where(
                    subscriptions.c.id == subscription_id,
                    subscriptions.c.subscriber_id == subscriber_id,
                )
                .values(feed_token=token)
            ).rowcount
        return token if done else None

    def revoke_links(self, subscriber_id: int) -> None:
        """Every manage link sent so far stops working."""
        with self.engine.begin() as conn:
            conn.execute(
                update(subscribers)
                .where(subscribers.c.id == subscriber_id)
                .values(manage_version=subscribers.c.manage_version + 1)
            )

    def delete(self, subscription_id: int) -> bool:
        """Delete one subscription with its log; the address goes when it has none left."""
        with self.engine.begin() as conn:
            done = conn.execute(
                delete(subscriptions).where(subscriptions.c.id == subscription_id)
            ).rowcount
            self._forget(conn, [subscription_id])
            self._drop_orphans(conn)
        return bool(done)

    def delete_subscriber(self, subscriber_id: int) -> None:
        """Unsubscribe from everything: the address and all it subscribed to are deleted."""
        with self.engine.begin() as conn:
            ids = list(
                conn.execute(
                    select(subscriptions.c.id).where(subscriptions.c.subscriber_id == subscriber_id)
                ).scalars()
            )
            conn.execute(delete(subscriptions).where(subscriptions.c.id.in_(ids)))
            self._forget(conn, ids)
            conn.execute(delete(subscribers).where(subscribers.c.id == subscriber_id))

    @staticmethod
    def _forget(conn: Any, ids: list[int]) -> None:
        conn.execute(delete(digest_items).where(digest_items.c.subscription_id.in_(ids)))
        # Unsent mail to an address that left is never sent.
        conn.execute(
            delete(digest_outbox).where(
                digest_outbox.c.subscription_id.in_(ids), digest_outbox.c.status == "pending"
            )
        )

    @staticmethod
    def _drop_orphans(conn: Any) -> None:
        has_any = select(subscriptions.c.id).where(
            subscriptions.c.subscriber_id == subscribers.c.id
        )
        conn.execute(delete(subscribers).where(~has_any.exists()))

    # -- the digest run ----------------------------------------------------------------

    def already_queued(self, subscription_id: int, urls: list[str]) -> set[str]:
        """Which of `urls` went (or are going) to this subscription in an earlier message."""
        if not urls:
            return set()
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(digest_items.c.article_url).where(
                    digest_items.c.subscription_id == subscription_id,
                    digest_items.c.article_url.in_(urls),
                )
            )
            return set(rows.scalars())

    def already_queued_many(self, pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
        """Which (subscription id, article URL) pairs are in the sent-log: the lookup of
        `already_queued` for many subscriptions at once (a few hundred pairs a query)."""
        wanted = list(dict.fromkeys(pairs))
        found: set[tuple[int, str]] = set()
        key = tuple_(digest_items.c.subscription_id, digest_items.c.article_url)
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 400):
                rows = conn.execute(
                    select(digest_items.c.subscription_id, digest_items.c.article_url).where(
                        key.in_(wanted[start : start + 400])
                    )
                )
                found.update((int(i), str(u)) for i, u in rows)
        return found

    def first_stored(self, urls: list[str]) -> dict[str, datetime]:
        """When each article first entered the store (a reindex does not make it new)."""
        out: dict[str, datetime] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(urls), 500):
                rows = conn.execute(
                    select(articles.c.url, articles.c.created_at).where(
                        articles.c.url.in_(urls[start : start + 500])
                    )
                )
                out.update({u: utc(t) for u, t in rows if t is not None})
        return out

    def queue(
        self,
        subscription_id: int,
        message_id: str,
        recipient: str,
        message: bytes,
        urls: list[str],
        checked_at: datetime,
    ) -> bool:
        """Put a digest in the outbox with its sent-log rows and move the watermark, all in
        one transaction. False when an article is already logged (another run got there
        first): nothing is written then."""
        try:
            with self.engine.begin() as conn:
                conn.execute(_pending(message_id, subscription_id, recipient, message, checked_at))
                conn.execute(
                    insert(digest_items),
                    [
                        {
                            "subscription_id": subscription_id,
                            "article_url": u,
                            "message_id": message_id,
                        }
                        for u in urls
                    ],
                )
                conn.execute(
                    update(subscriptions)
                    .where(subscriptions.c.id == subscription_id)
                    .values(checked_at=checked_at)
                )
        except IntegrityError:
            return False
        return True

    def mark_checked(self, subscription_id: int, checked_at: datetime) -> None:
        self.mark_checked_many([subscription_id], checked_at)

    def mark_checked_many(self, subscription_ids: list[int], checked_at: datetime) -> None:
        """`mark_checked` for many subscriptions (those with nothing new) in one transaction."""
        if not subscription_ids:
            return
        with self.engine.begin() as conn:
            for start in range(0, len(subscription_ids), 500):
                conn.execute(
                    update(subscriptions)
                    .where(subscriptions.c.id.in_(subscription_ids[start : start + 500]))
                    .values(checked_at=checked_at)
                )
