"""Sending queued digests on a few SMTP connections at once.

Each worker thread holds one connection. A message reaches a worker only after it is in
the outbox with its sent-log rows (the caller's `queue` transaction); it is marked sent
only after the server accepted it. The marking is done by the caller's thread (`settle`,
between two messages it queues, and at the end), a few accepted messages a transaction:
one thread writing to the store keeps SQLite writers from waiting on each other. After an
SMTP failure the pool stops: the failed message and those still waiting for a connection
stay pending in the outbox, and the next run sends them first, with the same Message-IDs.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from digests.mailer import Mailer, MailError
from procradar.core.subscriptions import Subscriptions

log = logging.getLogger(__name__)
WAIT = 1.0  # seconds between the caller's keep-alive calls while it waits for the pool


@dataclass(frozen=True)
class Outgoing:
    message_id: str
    recipient: str
    message: bytes
    resend: bool = False  # from an earlier run's outbox


class SenderPool:
    """`with SenderPool(...) as pool: pool.submit(msg, keep_alive)`; leaving the block waits
    until every submitted message was sent or left pending."""

    def __init__(
        self,
        mailer_factory: Callable[[], Mailer],
        subs: Subscriptions,
        connections: int,
        clock: Callable[[], datetime],
        keep_alive: Callable[[], None] = lambda: None,
    ):
        self.subs = subs
        self.clock = clock
        self.keep_alive = keep_alive
        self.sent = 0
        self.resent = 0
        self.error: str | None = None
        self._crash: BaseException | None = None
        self._accepted: list[Outgoing] = []  # accepted by the server, not yet marked sent
        self._failed = threading.Event()
        self._lock = threading.Lock()
        # A short queue: after a failure, few messages are left waiting (pending) behind it.
        self._queue: queue.Queue[Outgoing | None] = queue.Queue(maxsize=connections)
        self._factory = mailer_factory
        self._threads = [
            threading.Thread(target=self._work, name=f"smtp-{n}", daemon=True)
            for n in range(connections)
        ]
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> SenderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def failed(self) -> bool:
        return self._failed.is_set()

    def settle(self) -> None:
        """Mark sent what the server accepted since the last call."""
        with self._lock:
            done, self._accepted = self._accepted, []
        if not done:
            return
        marked = self.subs.mark_sent_many([m.message_id for m in done], self.clock())
        self.sent += marked
        if marked == len(done):
            self.resent += sum(m.resend for m in done)

    def submit(self, item: Outgoing) -> bool:
        """Hand a queued message to the next free connection; False once the pool stopped
        on a failure (the message then stays pending for the next run)."""
        self.settle()
        while not self._failed.is_set():
            try:
                self._queue.put(item, timeout=WAIT)
                return True
            except queue.Full:
                self.keep_alive()
        return False

    def drain(self) -> None:
        """Wait until every message submitted so far was handled."""
        while self._queue.unfinished_tasks:
            with self._queue.all_tasks_done:
                self._queue.all_tasks_done.wait(WAIT)
            self.keep_alive()
        self.settle()

    def close(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            while thread.is_alive():
                thread.join(WAIT)
                if thread.is_alive():
                    self.keep_alive()
        self.settle()
        if self._crash is not None:
            raise self._crash

    def _stop(self, error: str) -> None:
        with self._lock:
            if self.error is None:
                self.error = error
        self._failed.set()

    def _work(self) -> None:
        with self._factory() as mailer:
            while True:
                item = self._queue.get()
                try:
                    if item is None:
                        return
                    if not self._failed.is_set():  # else: stays pending for the next run
                        self._send(mailer, item)
                except Exception as exc:  # a store error: stop the run, tell the caller
                    log.exception("sending %s failed", item.message_id if item else "")
                    with self._lock:
                        self._crash = self._crash or exc
                    self._stop(str(exc))
                finally:
                    self._queue.task_done()

    def _send(self, mailer: Mailer, item: Outgoing) -> None:
        try:
            mailer.send(item.recipient, item.message)
        except MailError as exc:
            self.subs.mark_failed(item.message_id, str(exc))
            self._stop(str(exc))
            return
        with self._lock:
            self._accepted.append(item)
