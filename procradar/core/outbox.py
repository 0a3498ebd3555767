"""The outbox of email messages not yet handed to the SMTP server, and the named leases
that let only one run send at a time: SQL on the Store's engine (SQLite or PostgreSQL
alike), mixed into `subscriptions.Subscriptions`, whose digest `queue` writes outbox rows
in the same transaction as the sent-log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from procradar.core.schema import digest_outbox, leases


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class OutboxMessage:
    message_id: str
    subscription_id: int | None
    recipient: str
    message: bytes
    attempts: int


class Outbox:
    engine: Engine

    def enqueue_plain(self, message_id: str, recipient: str, message: bytes, now: datetime) -> bool:
        """An outbox message outside any digest (a confirmation mail)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(pending_row(message_id, None, recipient, message, now))
        except IntegrityError:
            return False
        return True

    def pending(self, limit: int | None = None) -> list[OutboxMessage]:
        query = (
            select(
                digest_outbox.c.message_id,
                digest_outbox.c.subscription_id,
                digest_outbox.c.recipient,
                digest_outbox.c.message,
                digest_outbox.c.attempts,
            )
            .where(digest_outbox.c.status == "pending")
            .order_by(digest_outbox.c.created_at, digest_outbox.c.message_id)
        )
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [OutboxMessage(*r) for r in conn.execute(query)]

    def mark_sent(self, message_id: str, now: datetime) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(digest_outbox)
                .where(
                    digest_outbox.c.message_id == message_id, digest_outbox.c.status == "pending"
                )
                .values(status="sent", sent_at=now, attempts=digest_outbox.c.attempts + 1)
            ).rowcount
        return bool(done)

    def mark_sent_many(self, message_ids: list[str], now: datetime) -> int:
        """`mark_sent` for messages the SMTP server accepted, in one transaction; returns
        how many were still pending."""
        if not message_ids:
            return 0
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    update(digest_outbox)
                    .where(
                        digest_outbox.c.message_id.in_(message_ids),
                        digest_outbox.c.status == "pending",
                    )
                    .values(status="sent", sent_at=now, attempts=digest_outbox.c.attempts + 1)
                ).rowcount
            )

    def mark_failed(self, message_id: str, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(digest_outbox)
                .where(digest_outbox.c.message_id == message_id)
                .values(attempts=digest_outbox.c.attempts + 1, last_error=error[:500])
            )

    def outbox_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(digest_outbox.c.status, func.count()).group_by(digest_outbox.c.status)
            )
            return {str(s): int(n) for s, n in rows}

    def prune_sent(self, older_than: datetime) -> int:
        """Sent messages' bodies are kept a while (for support), then dropped; the sent-log
        rows stay as long as the subscription does."""
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    delete(digest_outbox).where(
                        digest_outbox.c.status == "sent", digest_outbox.c.sent_at < older_than
                    )
                ).rowcount
            )


class Leases:
    engine: Engine

    def claim_lease(self, name: str, holder: str, ttl: timedelta, now: datetime) -> bool:
        """Take the named lease if it is free or expired: one UPDATE ... WHERE, atomic on
        SQLite and PostgreSQL, so of two runs at once exactly one gets it."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(leases).values(name=name, holder=None, expires_at=None))
        except IntegrityError:
            pass  # the row exists already
        with self.engine.begin() as conn:
            done = conn.execute(
                update(leases)
                .where(
                    leases.c.name == name,
                    or_(
                        leases.c.holder.is_(None),
                        leases.c.expires_at < now,
                        leases.c.holder == holder,
                    ),
                )
                .values(holder=holder, expires_at=now + ttl)
            ).rowcount
        return bool(done)

    def renew_lease(self, name: str, holder: str, ttl: timedelta, now: datetime) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(leases)
                .where(leases.c.name == name, leases.c.holder == holder)
                .values(expires_at=now + ttl)
            ).rowcount
        return bool(done)

    def release_lease(self, name: str, holder: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(leases)
                .where(leases.c.name == name, leases.c.holder == holder)
                .values(holder=None, expires_at=None)
            )

    def lease_holder(self, name: str, now: datetime) -> str | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(leases.c.holder, leases.c.expires_at).where(leases.c.name == name)
            ).first()
        if row is None or row.holder is None or (utc(row.expires_at) or now) < now:
            return None
        return str(row.holder)


def now_utc() -> datetime:
    return datetime.now(UTC)


def pending_row(
    message_id: str,
    subscription_id: int | None,
    recipient: str,
    message: bytes,
    created_at: datetime,
) -> Any:
    """The outbox row of a message not yet handed to the SMTP server."""
    return insert(digest_outbox).values(
        message_id=message_id,
        subscription_id=subscription_id,
        recipient=recipient,
        message=message,
        status="pending",
        attempts=0,
        created_at=created_at,
    )
