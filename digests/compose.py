"""Mails as MIME messages: the digest (HTML + plain text, grouped by topic) and the
confirmation. Every header value that carries user text is stripped of line breaks first,
so no input can add a header."""

from __future__ import annotations

import hashlib
import re
import textwrap
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from digests.i18n import label, text, translator
from digests.links import Site
from procradar.core.taxonomy import TOPICS

SNIPPET_CHARS = 280
_BREAKS = re.compile(r"[\r\n\x00-\x1f\x7f]+")


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("digests", "templates/mail"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def header_safe(value: str, limit: int = 200) -> str:
    """One line: control characters (CR/LF above all) become spaces."""
    clean = _BREAKS.sub(" ", value).strip()
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def mail_domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "procradar.invalid"


def digest_message_id(subscription_id: int, urls: list[str], domain: str) -> str:
    """The same subscription and articles always give the same id: a resend after a crash
    carries the id of the first attempt, so mail systems can drop the copy."""
    digest = hashlib.sha256("\n".join(sorted(urls)).encode("utf-8")).hexdigest()[:32]
    return f"<digest.{subscription_id}.{digest}@{domain}>"


@dataclass
class Item:
    link: str
    title: str
    source: str
    published: str
    topics: list[str]
    event: str
    snippet: str


@dataclass
class Group:
    label: str
    articles: list[Item] = field(default_factory=list)


@lru_cache(maxsize=20_000)
def wrapped(snippet: str) -> str:
    """The snippet wrapped for the text part (the same article recurs in many digests)."""
    return "\n  ".join(textwrap.wrap(snippet, 74))


def _snippet(article: dict[str, Any]) -> str:
    body = " ".join(str(article.get("summary") or article.get("text") or "").split())
    if len(body) <= SNIPPET_CHARS:
        return body
    cut = body[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def _event(article: dict[str, Any]) -> str:
    events = [e for e in article.get("events") or [] if e.get("date")]
    if not events:
        return ""
    first = sorted(events, key=lambda e: str(e["date"]))[0]
    place = first.get("place")
    return f"{first['date']}, {place}" if place else str(first["date"])


def group_by_topic(articles: list[dict[str, Any]], site: Site, lang: str) -> list[Group]:
    """Each article once, under its first topic; groups in taxonomy order, 'other' last."""
    groups: dict[str, Group] = {}
    for article in articles:
        topics = [t for t in article.get("topics") or [] if t in TOPICS]
        key = topics[0] if topics else ""
        if key not in groups:
            name = label("topic", key, lang) if key else text("other_topics", lang)
            groups[key] = Group(name)
        groups[key].articles.append(
            Item(
                link=site.article(str(article["url"])),
                title=str(article.get("title") or article["url"]),
                source=str(article.get("source") or ""),
                published=str(article.get("published") or "")[:10],
                topics=[label("topic", t, lang) for t in topics],
                event=_event(article),
                snippet=_snippet(article),
            )
        )
    order = {t: i for i, t in enumerate(TOPICS)}
    return [groups[k] for k in sorted(groups, key=lambda k: order.get(k, len(order)))]


@dataclass
class DigestMail:
    subscription_id: int
    recipient: str
    lang: str
    search_text: str
    frequency: str
    articles: list[dict[str, Any]]
    total: int
    see_all: str
    manage: str
    unsubscribe: str


def render_digest(mail: DigestMail, site: Site) -> tuple[str, str, str]:
    """(subject, plain text, HTML)."""
    lang = mail.lang
    n = len(mail.articles)
    search = header_safe(mail.search_text, 120)
    subject = (
        text("digest_subject_one", lang, search=search)
        if mail.total == 1
        else text("digest_subject", lang, n=mail.total, search=search)
    )
    context = {
        **translator(lang),
        "subject": subject,
        "search_text": mail.search_text,
        "groups": group_by_topic(mail.articles, site, lang),
        "total": mail.total,
        "shown": n,
        "see_all": mail.see_all,
        "manage": mail.manage,
        "unsubscribe": mail.unsubscribe,
        "frequency": text(mail.frequency, lang),
        "wrapped": wrapped,
    }
    plain = _env().get_template("digest.txt").render(context)
    html = _env().get_template("digest.html").render(context)
    return header_safe(subject), plain, html


def digest_message(mail: DigestMail, site: Site, sender: str, message_id: str) -> EmailMessage:
    subject, plain, html = render_digest(mail, site)
    msg = _base(sender, mail.recipient, subject, message_id, mail.lang)
    # RFC 8058: a POST to this URL unsubscribes, no page to click through.
    msg["List-Unsubscribe"] = f"<{mail.unsubscribe}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["List-Id"] = f"procradar digest <digest.{mail.subscription_id}.{mail_domain(sender)}>"
    msg["Precedence"] = "bulk"
    # base64 (C speed) rather than letting the email package weigh quoted-printable for
    # every part: a run renders thousands of these.
    msg.set_content(plain, cte="base64")
    msg.add_alternative(html, subtype="html", cte="base64")
    return msg


def confirmation_message(
    recipient: str, lang: str, search_text: str, confirm_url: str, sender: str, message_id: str
) -> EmailMessage:
    context = {**translator(lang), "search_text": search_text, "confirm": confirm_url}
    msg = _base(sender, recipient, text("confirm_subject", lang), message_id, lang)
    msg.set_content(_env().get_template("confirm.txt").render(context))
    msg.add_alternative(_env().get_template("confirm.html").render(context), subtype="html")
    return msg


def to_bytes(msg: EmailMessage) -> bytes:
    """The wire form: CRLF line ends, as SMTP needs them (smtplib leaves bytes alone)."""
    return msg.as_bytes(policy=policy.SMTP)


def _base(sender: str, recipient: str, subject: str, message_id: str, lang: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = header_safe(sender)
    msg["To"] = header_safe(recipient)
    msg["Subject"] = header_safe(subject)
    msg["Message-ID"] = header_safe(message_id)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Content-Language"] = lang
    msg["Auto-Submitted"] = "auto-generated"
    return msg
