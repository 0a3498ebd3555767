"""Saved searches and digests end to end: a real SMTP server (aiosmtpd) on 127.0.0.1, the
real web forms with their CSRF tokens (Flask test client), real ingest and indexing, on
SQLite and on a real Elasticsearch node."""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from digests import web
from procradar.core.index import open_index
from procradar.core.index.base import Index
from procradar.core.settings import Settings
from procradar.core.store import Store
from procradar.core.subscriptions import Subscriptions
from procradar.stages.pipeline import ingest, sync_index
from search_app import create_app

pytest_plugins = ["tests.es_fixtures", "tests.pg_fixtures"]
SITE = "http://procradar.test"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Inbox:
    """An aiosmtpd handler that keeps every message; `refuse_after` makes it answer 451
    once that many messages have been accepted (a server failing mid-run)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse_after: int | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            if self.refuse_after is not None and len(self.messages) >= self.refuse_after:
                return "451 4.3.0 try again later"
            msg = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(msg, EmailMessage)
            self.messages.append(msg)
        return "250 OK"

    def take(self) -> list[EmailMessage]:
        with self.lock:
            out, self.messages = self.messages, []
        return out


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd's readiness check needs the real port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def make_settings(tmp: Path, port: int, **extra: Any) -> Settings:
    values = {
        "data_dir": str(tmp / "data"),
        "digest.smtp.host": "127.0.0.1",
        "digest.smtp.port": port,
        "digest.site_url": SITE,
        "digest.from_address": "procradar <digest@procradar.test>",
        "digest.subscribe_limit_client": "1000 per hour",
        "digest.subscribe_limit_address": "1000 per hour",
        **extra,
    }
    return Settings(values)


def make_app(settings: Settings) -> Flask:
    app = create_app(test_config={"TESTING": True}, settings=settings)
    web.init_app(app)
    return app


def article_urls(msg: EmailMessage) -> set[str]:
    """The articles a digest links to, from its plain-text part (site /a/<id> links)."""
    body = msg.get_body(("plain",))
    assert body is not None
    ids = re.findall(re.escape(SITE) + r"/a/([A-Za-z0-9_-]+)", body.get_content())
    return {base64.urlsafe_b64decode(i + "=" * (-len(i) % 4)).decode() for i in ids}


def link(msg: EmailMessage, kind: str) -> str:
    body = msg.get_body(("plain",))
    assert body is not None
    found = re.search(re.escape(SITE) + rf"(/follow/{kind}/[A-Za-z0-9_.\-]+)", body.get_content())
    assert found, f"no {kind} link in {body.get_content()}"
    return found.group(1)


def csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, "form without a CSRF token"
    return found.group(1)


def doc(url: str, title: str, text: str) -> str:
    return json.dumps({"url": url, "title": title, "text": text, "source": "testkalla"})


CLIMATE = [
    (
        "Klimatkrav på nya elbussar",
        "Regionen ställer skarpa klimatkrav när busstrafiken upphandlas nästa år. "
        "Elbussar och förnybart bränsle väger tungt i utvärderingen av anbuden.",
    ),
    (
        "Klimatkrav i livsmedelsupphandling",
        "Kommunen inför klimatkrav på livsmedel till skolmåltider och vill minska "
        "utsläppen från maten som serveras.",
    ),
]
OTHER = [
    (
        "Ny vägledning om överprövning",
        "Domstolen har prövat en tilldelning och vägledningen beskriver vad "
        "leverantörer bör tänka på när de begär överprövning av ett beslut.",
    ),
]


def ingest_docs(store: Store, index: Index, docs: list[tuple[str, str]], prefix: str) -> list[str]:
    urls = [f"https://example.se/{prefix}/{i}" for i in range(len(docs))]
    lines = [doc(u, t, x) for u, (t, x) in zip(urls, docs, strict=True)]
    report = ingest(store, lines)
    assert not report.errors
    sync_index(store, index)
    refresh = getattr(index, "es", None)
    if refresh is not None:  # Elasticsearch: make the new documents searchable now
        refresh.indices.refresh(index=index.alias)  # type: ignore[attr-defined]
    return urls


def run_digests(settings: Settings, store: Store, index: Index) -> Any:
    from digests.send import DigestRun

    return DigestRun(settings, Subscriptions(store.engine), index).run()


@pytest.fixture(params=["sqlite", "elasticsearch"])
def env(
    request: pytest.FixtureRequest, tmp_path: Path, smtp: tuple[Inbox, int]
) -> Iterator[tuple[Settings, Store, Index, Inbox]]:
    inbox, port = smtp
    inbox.take()
    inbox.refuse_after = None
    extra: dict[str, Any] = {}
    if request.param == "elasticsearch":
        extra = {
            "search.backend": "elasticsearch",
            "search.elasticsearch.url": request.getfixturevalue("es_url"),
            "search.elasticsearch.index_prefix": f"test-digest-{uuid.uuid4().hex[:8]}",
        }
    settings = make_settings(tmp_path, port, **extra)
    store = Store.open(settings)
    index = open_index(settings)
    yield settings, store, index, inbox
    drop = getattr(index, "drop", None)
    if drop:
        drop()
    index.close()
    store.close()


def subscribe(client: FlaskClient, inbox: Inbox, email: str, query: str = "q=klimatkrav") -> str:
    """Subscribe through the form, follow the confirmation mail; returns the manage path."""
    page = client.get(f"/follow?{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "klimatkrav" in html
    without_token = client.post("/follow", data={"q": "klimatkrav", "email": email})
    assert without_token.status_code == 400  # CSRF refused
    answer = client.post(
        "/follow",
        data={
            "csrf_token": csrf(html),
            "q": "klimatkrav",
            "email": email,
            "frequency": "immediate",
            "mail_language": "sv",
        },
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    mails = inbox.take()
    assert [m["To"] for m in mails] == [email]
    confirm = link(mails[0], "confirm")
    page = client.get(confirm)
    assert page.status_code == 200
    done = client.post(confirm, data={"csrf_token": csrf(page.get_data(as_text=True))})
    assert done.status_code == 303
    manage = urlsplit(done.headers["Location"]).path
    assert "klimatkrav" in client.get(manage).get_data(as_text=True)
    return manage


def test_whole_path(env: tuple[Settings, Store, Index, Inbox]) -> None:
    settings, store, index, inbox = env
    # An article stored before the subscription is never "new" for it.
    ingest_docs(store, index, CLIMATE[:1], "before")
    client = make_app(settings).test_client()
    subscribe(client, inbox, "anna@example.se")
    assert run_digests(settings, store, index).sent == 0
    assert inbox.take() == []

    climate = ingest_docs(store, index, CLIMATE, "new")
    ingest_docs(store, index, OTHER, "other")
    report = run_digests(settings, store, index)
    assert report.sent == 1
    (mail,) = inbox.take()
    assert mail["To"] == "anna@example.se"
    assert article_urls(mail) == set(climate)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.get_body(("html",)) is not None

    assert run_digests(settings, store, index).sent == 0  # nothing new: no mail
    assert inbox.take() == []

    unsubscribe = str(mail["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe.startswith(SITE)
    # RFC 8058: the mail client POSTs this body, with no page, cookie or CSRF token.
    answer = client.post(
        urlsplit(unsubscribe).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    ingest_docs(store, index, CLIMATE, "later")
    assert run_digests(settings, store, index).sent == 0
    assert inbox.take() == []
    # Unsubscribing from the only search deleted the address.
    assert Subscriptions(store.engine).count() == 0


# -- exactly once ------------------------------------------------------------------------


def confirmed(store: Store, emails: list[str], query: str = '{"q": ["klimatkrav"]}') -> None:
    """Subscriptions confirmed directly in the store (the forms are walked above)."""
    from datetime import UTC, datetime

    subs = Subscriptions(store.engine)
    for email in emails:
        _, sub_id = subs.add_pending(email, "en", query, "immediate", datetime.now(UTC))
        assert subs.confirm(sub_id, datetime.now(UTC))


@pytest.fixture
def sqlite_env(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> Iterator[tuple[Settings, Store, Index, Inbox]]:
    inbox, port = smtp
    inbox.take()
    inbox.refuse_after = None
    settings = make_settings(tmp_path, port)
    store, index = Store.open(settings), open_index(settings)
    yield settings, store, index, inbox
    inbox.refuse_after = None
    index.close()
    store.close()


@pytest.mark.parametrize("connections", [1, 4])
def test_smtp_failure_mid_run_loses_nothing(sqlite_env: Any, connections: int) -> None:
    settings, store, index, inbox = sqlite_env
    settings = make_settings(
        Path(settings.data_dir).parent,
        settings["digest.smtp.port"],
        **{"digest.smtp.connections": connections},
    )
    emails = [f"p{i}@example.dk" for i in range(4)]
    confirmed(store, emails)
    climate = set(ingest_docs(store, index, CLIMATE, "fail"))
    inbox.refuse_after = 1  # the server takes one message, then refuses
    first = run_digests(settings, store, index)
    assert first.error and "451" in first.error
    assert first.sent == 1
    delivered = inbox.take()
    assert len(delivered) == 1
    subs = Subscriptions(store.engine)
    # The refused message, and any queued behind it on the connections, wait in the outbox.
    left = {m.message_id for m in subs.pending()}
    assert 1 <= len(left) <= 3
    assert first.queued == 1 + len(left)

    inbox.refuse_after = None
    second = run_digests(settings, store, index)
    assert second.error is None
    delivered += inbox.take()
    assert second.resent == len(left)  # from the outbox, with their Message-IDs
    assert left <= {str(m["Message-ID"]) for m in delivered}
    assert second.sent == 3
    assert sorted(str(m["To"]) for m in delivered) == emails  # each address exactly once
    assert all(article_urls(m) == climate for m in delivered)
    assert len({m["Message-ID"] for m in delivered}) == 4
    assert subs.pending() == []

    assert run_digests(settings, store, index).sent == 0
    assert inbox.take() == []


def test_two_concurrent_runs_send_each_message_once(sqlite_env: Any) -> None:
    import subprocess
    import sys

    settings, store, index, inbox = sqlite_env
    emails = [f"c{i}@example.no" for i in range(25)]
    confirmed(store, emails)
    climate = set(ingest_docs(store, index, CLIMATE, "concurrent"))
    env_vars = {
        "PROCRADAR_DATA_DIR": str(settings.data_dir),
        "PROCRADAR_DIGEST__SMTP__PORT": str(settings["digest.smtp.port"]),
        "PROCRADAR_DIGEST__SITE_URL": SITE,
    }
    import os

    env_all = {**os.environ, **env_vars}
    env_all.pop("PROCRADAR_CONFIG", None)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "procradar", "digest", "send"],
            env=env_all,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = [(p.wait(timeout=300), p.communicate()) for p in runs]
    assert all(code in (0, 75) for code, _ in outcomes), outcomes
    delivered = inbox.take()
    assert sorted(str(m["To"]) for m in delivered) == sorted(emails)
    assert all(article_urls(m) == climate for m in delivered)
    # Whichever ran second (or waited out the lock) found nothing left to send.
    code, _ = (
        subprocess.run(
            [sys.executable, "-m", "procradar", "digest", "send"], env=env_all, capture_output=True
        ).returncode,
        None,
    )
    assert code == 0
    assert inbox.take() == []


def test_lease_is_exclusive_until_it_expires(sqlite_env: Any) -> None:
    from datetime import UTC, datetime, timedelta

    _, store, _, _ = sqlite_env
    subs = Subscriptions(store.engine)
    now = datetime.now(UTC)
    ttl = timedelta(minutes=5)
    assert subs.claim_lease("x", "a", ttl, now)
    assert not subs.claim_lease("x", "b", ttl, now + timedelta(minutes=1))
    assert subs.claim_lease("x", "b", ttl, now + timedelta(minutes=6))  # a crashed: expired
    assert not subs.renew_lease("x", "a", ttl, now)
    subs.release_lease("x", "b")
    assert subs.claim_lease("x", "a", ttl, now + timedelta(minutes=7))


# -- abuse -------------------------------------------------------------------------------


def test_header_injection_and_bad_addresses_refused(sqlite_env: Any) -> None:
    settings, store, index, inbox = sqlite_env
    client = make_app(settings).test_client()
    html = client.get("/follow?q=klimatkrav").get_data(as_text=True)
    for bad in ("anna@example.se\r\nBcc: victim@example.org", "not an address", "a@b"):
        answer = client.post(
            "/follow",
            data={
                "csrf_token": csrf(html),
                "q": "klimatkrav",
                "email": bad,
                "frequency": "daily",
                "mail_language": "en",
            },
        )
        assert answer.status_code == 400
    assert inbox.take() == []
    # A query with line breaks is saved, but never reaches a header as a line break.
    answer = client.post(
        "/follow",
        data={
            "csrf_token": csrf(html),
            "q": "klimatkrav\r\nBcc: victim@example.org",
            "email": "bea@example.se",
            "frequency": "immediate",
            "mail_language": "en",
        },
    )
    assert answer.status_code == 200
    (mail,) = inbox.take()
    assert mail["Bcc"] is None
    confirm = link(mail, "confirm")
    page = client.get(confirm)
    client.post(confirm, data={"csrf_token": csrf(page.get_data(as_text=True))})
    ingest_docs(store, index, CLIMATE, "inject")
    run_digests(settings, store, index)
    digests = inbox.take()
    assert all(m["Bcc"] is None and "\n" not in str(m["Subject"]) for m in digests)


def test_confirmation_mails_and_subscribes_are_throttled(tmp_path: Path, smtp: Any) -> None:
    inbox, port = smtp
    inbox.take()
    settings = make_settings(
        tmp_path,
        port,
        **{"digest.subscribe_limit_address": "3 per hour", "digest.confirm_interval_minutes": 60},
    )
    client = make_app(settings).test_client()
    client.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    html = client.get("/follow?q=upphandling").get_data(as_text=True)
    victim = f"victim-{uuid.uuid4().hex[:6]}@example.org"
    codes = [
        client.post(
            "/follow",
            data={
                "csrf_token": csrf(html),
                "q": "upphandling",
                "email": victim,
                "frequency": "daily",
                "mail_language": "sv",
            },
        ).status_code
        for _ in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    assert len(inbox.take()) == 1  # one confirmation mail per address and hour


def test_lease_and_sent_log_on_both_databases(store_url: str) -> None:
    """The lease is one conditional UPDATE: of threads racing for it, one wins, on SQLite
    and PostgreSQL; the sent-log refuses the same article twice for one subscription."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import UTC, datetime, timedelta

    store = Store(store_url)
    try:
        subs = Subscriptions(store.engine)
        now = datetime.now(UTC)
        for round_ in range(5):
            barrier = threading.Barrier(4)

            def claim(holder: str, name: str = f"race-{round_}", barrier: Any = barrier) -> bool:
                barrier.wait()
                return subs.claim_lease(name, holder, timedelta(minutes=5), now)

            with ThreadPoolExecutor(4) as pool:
                won = list(pool.map(claim, ["a", "b", "c", "d"]))
            assert won.count(True) == 1, won
        _, sub_id = subs.add_pending("x@example.se", "sv", '{"q": ["a"]}', "daily", now)
        assert subs.queue(sub_id, "<m1@t>", "x@example.se", b"one", ["u1", "u2"], now)
        assert not subs.queue(sub_id, "<m2@t>", "x@example.se", b"two", ["u2", "u3"], now)
        assert [m.message_id for m in subs.pending()] == ["<m1@t>"]  # nothing of m2 written
        assert subs.already_queued(sub_id, ["u1", "u2", "u3"]) == {"u1", "u2"}
        assert subs.mark_sent("<m1@t>", now) and not subs.mark_sent("<m1@t>", now)
    finally:
        store.close()


def test_schedule_pass_indexes_sends_and_never_overlaps(sqlite_env: Any) -> None:
    import os
    import subprocess
    import sys
    from datetime import UTC, datetime, timedelta

    settings, store, index, inbox = sqlite_env
    confirmed(store, ["sched@example.se"])
    lines = [doc(f"https://example.se/sched/{i}", t, x) for i, (t, x) in enumerate(CLIMATE)]
    assert not ingest(store, lines).errors  # stored, not yet indexed: the pass indexes them
    env_all = {
        **os.environ,
        "PROCRADAR_DATA_DIR": str(settings.data_dir),
        "PROCRADAR_DIGEST__SMTP__PORT": str(settings["digest.smtp.port"]),
        "PROCRADAR_DIGEST__SITE_URL": SITE,
    }
    env_all.pop("PROCRADAR_CONFIG", None)
    command = [sys.executable, "-m", "procradar", "schedule", "--once", "--no-crawl"]
    subs = Subscriptions(store.engine)
    # A pass still running elsewhere: this one skips (exit 75) and sends nothing.
    assert subs.claim_lease("schedule", "other-host", timedelta(hours=1), datetime.now(UTC))
    skipped = subprocess.run(command, env=env_all, capture_output=True, text=True)
    assert skipped.returncode == 75, skipped.stderr
    assert inbox.take() == []
    subs.release_lease("schedule", "other-host")
    done = subprocess.run(command, env=env_all, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (mail,) = inbox.take()
    assert article_urls(mail) == {f"https://example.se/sched/{i}" for i in range(len(CLIMATE))}


# -- matching in batches -----------------------------------------------------------------


def test_first_page_already_sent_reads_further(sqlite_env: Any) -> None:
    """A digest run looks back `overlap_seconds`; when the newest hits of a search went in
    an earlier digest, the run reads past them and sends only the new ones, once."""
    settings, store, index, inbox = sqlite_env
    settings = make_settings(
        Path(settings.data_dir).parent,
        settings["digest.smtp.port"],
        **{"digest.max_articles": 2, "digest.overlap_seconds": 3600},
    )
    confirmed(store, ["page@example.se"])

    def ingest_dated(prefix: str, published: str) -> set[str]:
        urls = [f"https://example.se/{prefix}/{i}" for i in range(2)]
        lines = [
            json.dumps({"url": u, "title": t, "text": x, "published": published, "source": "k"})
            for u, (t, x) in zip(urls, CLIMATE, strict=True)
        ]
        assert not ingest(store, lines).errors
        sync_index(store, index)
        return set(urls)

    newest = ingest_dated("newest", "2026-11-30")
    assert run_digests(settings, store, index).sent == 1
    (mail,) = inbox.take()
    assert article_urls(mail) == newest
    older = ingest_dated("older", "2026-10-01")  # indexed later, published earlier
    report = run_digests(settings, store, index)
    assert report.sent == 1
    (mail,) = inbox.take()
    assert article_urls(mail) == older  # the first page (newest) was sent before
    assert run_digests(settings, store, index).sent == 0
    assert inbox.take() == []


def test_same_words_in_any_order_share_a_search(sqlite_env: Any) -> None:
    from digests.searches import SavedSearch

    plain = SavedSearch.from_args({"q": ["klimatkrav  Elbussar"], "topic": ["transport"]})
    assert (
        plain.canonical()
        == SavedSearch.from_args({"q": ["Elbussar klimatkrav"], "topic": ["transport"]}).canonical()
    )
    for query in ('"elbussar klimatkrav"', "elbussar OR klimatkrav", "el* krav", "-el krav"):
        saved = SavedSearch.from_args({"q": [query]})
        assert saved.canonical() == saved  # phrases, operators, prefixes: left alone

    settings, store, index, inbox = sqlite_env
    confirmed(store, ["order1@example.se"], '{"q": ["klimatkrav elbussar"]}')
    confirmed(store, ["order2@example.se"], '{"q": ["elbussar klimatkrav"]}')
    urls = ingest_docs(store, index, CLIMATE, "order")
    assert run_digests(settings, store, index).sent == 2
    mails = inbox.take()
    assert sorted(str(m["To"]) for m in mails) == ["order1@example.se", "order2@example.se"]
    assert all(article_urls(m) == {urls[0]} for m in mails)  # only the first has both words
    # Each mail's see-all link keeps the words as the subscriber saved them.
    texts = {str(m["To"]): m.get_body(("plain",)).get_content() for m in mails}  # type: ignore[union-attr]
    assert "q=klimatkrav+elbussar" in texts["order1@example.se"]
    assert "q=elbussar+klimatkrav" in texts["order2@example.se"]
