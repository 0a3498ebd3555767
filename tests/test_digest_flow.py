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
        "utsläppen från transporterna av maten.",
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
