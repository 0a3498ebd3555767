"""Mails as MIME messages: the digest (HTML + plain text, grouped by topic) and the
confirmation. Every header value that carries user text is stripped of line breaks first,
so no input can add a header.

A run renders thousands of digests in which the same articles recur, so each article is
rendered once per language (`Fragments`) and the digest template only joins the pieces;
digests are built with the email package's compat32 classes and bodies base64-encoded by
the C codec, which costs a fraction of the header-registry API per message."""

from __future__ import annotations

import base64
import hashlib
import re
import textwrap
from dataclasses import dataclass, field
from email import policy
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, formatdate, parseaddr
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, Template, select_autoescape
from markupsafe import Markup

from digests.i18n import label, text, translator
from digests.links import Site
from procradar.core.taxonomy import TOPICS

SNIPPET_CHARS = 280
_BREAKS = re.compile(r"[\r\n\x00-\x1f\x7f]+")
_PLAIN_HEADER = re.compile(r"[\x20-\x7e]{0,900}")


class _Wire(policy.Compat32):
    """compat32 with CRLF; a header that is short printable ASCII is written as it is
    (compat32 would run it through email.header.Header, most of a digest's encoding
    time). Anything else (an encoded subject, a long value) is folded as compat32 does."""

    def fold_binary(self, name: str, value: str) -> bytes:
        if (
            isinstance(value, str)
            and _PLAIN_HEADER.fullmatch(value)
            and (len(name) + len(value) + 2 <= (self.max_line_length or 998))
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


# The wire form of the digests: compat32 (no header parsing on every assignment), CRLF.
WIRE = _Wire(linesep="\r\n")


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("digests", "templates/mail"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _template(name: str) -> Template:
    """Parsed once per process (Jinja's own cache still hashes the loader on each get)."""
    return _env().get_template(name)


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
    articles: list[str] = field(default_factory=list)  # rendered entries


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


def _item(article: dict[str, Any], site: Site, lang: str, topics: list[str]) -> Item:
    return Item(
        link=site.article(str(article["url"])),
        title=str(article.get("title") or article["url"]),
        source=str(article.get("source") or ""),
        published=str(article.get("published") or "")[:10],
        topics=[label("topic", t, lang) for t in topics],
        event=_event(article),
        snippet=_snippet(article),
    )


@dataclass(frozen=True)
class Fragment:
    """One article rendered for one language: its topic group and both parts."""

    group: str  # first known topic id, "" for none
    text: str
    html: Markup


class Fragments:
    """Articles rendered once per language; keep one for a run (an article's entry is the
    same in every digest that lists it)."""

    def __init__(self, site: Site, limit: int = 50_000):
        self.site = site
        self.limit = limit
        self._done: dict[tuple[str, str], Fragment] = {}

    def get(self, article: dict[str, Any], lang: str) -> Fragment:
        key = (str(article["url"]), lang)
        found = self._done.get(key)
        if found is None:
            if len(self._done) >= self.limit:
                self._done.clear()
            topics = [t for t in article.get("topics") or [] if t in TOPICS]
            context = {**translator(lang), "a": _item(article, self.site, lang, topics)}
            context["wrapped"] = wrapped
            found = Fragment(
                group=topics[0] if topics else "",
                text=_template("_article.txt").render(context),
                html=Markup(_template("_article.html").render(context)),
            )
            self._done[key] = found
        return found


def group_by_topic(
    articles: list[dict[str, Any]], fragments: Fragments, lang: str, html: bool
) -> list[Group]:
    """Each article once, under its first topic; groups in taxonomy order, 'other' last.
    The groups hold the rendered entries (text or HTML)."""
    groups: dict[str, Group] = {}
    for article in articles:
        piece = fragments.get(article, lang)
        key = piece.group
        if key not in groups:
            name = label("topic", key, lang) if key else text("other_topics", lang)
            groups[key] = Group(name)
        groups[key].articles.append(piece.html if html else piece.text)
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


def render_digest(
    mail: DigestMail, site: Site, fragments: Fragments | None = None
) -> tuple[str, str, str]:
    """(subject, plain text, HTML)."""
    lang = mail.lang
    fragments = fragments or Fragments(site)
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
        "total": mail.total,
        "shown": n,
        "see_all": mail.see_all,
        "manage": mail.manage,
        "unsubscribe": mail.unsubscribe,
        "frequency": text(mail.frequency, lang),
    }
    groups = group_by_topic(mail.articles, fragments, lang, html=False)
    plain = _template("digest.txt").render(context, groups=groups)
    groups = group_by_topic(mail.articles, fragments, lang, html=True)
    html = _template("digest.html").render(context, groups=groups)
    return header_safe(subject), plain, html


def digest_message(
    mail: DigestMail,
    site: Site,
    sender: str,
    message_id: str,
    fragments: Fragments | None = None,
) -> Message:
    subject, plain, html = render_digest(mail, site, fragments)
    msg = MIMEMultipart("alternative", policy=WIRE)
    name, address = parseaddr(header_safe(sender))
    msg["From"] = formataddr((name, address), charset="utf-8")
    msg["To"] = header_safe(mail.recipient)
    # compat32 takes a Header (RFC 2047 encoded words); typeshed only knows str.
    msg["Subject"] = Header(header_safe(subject), "utf-8")  # type: ignore[assignment]
    msg["Message-ID"] = header_safe(message_id)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Content-Language"] = mail.lang
    msg["Auto-Submitted"] = "auto-generated"
    # RFC 8058: a POST to this URL unsubscribes, no page to click through.
    msg["List-Unsubscribe"] = f"<{header_safe(mail.unsubscribe, 2000)}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["List-Id"] = f"procradar digest <digest.{mail.subscription_id}.{mail_domain(sender)}>"
    msg["Precedence"] = "bulk"
    msg.attach(_base64_part(plain, "plain"))
    msg.attach(_base64_part(html, "html"))
    return msg


def _base64_part(body: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype, charset="utf-8", policy=WIRE)
    part["Content-Transfer-Encoding"] = "base64"
    part.set_payload(base64.encodebytes(body.encode("utf-8")).decode("ascii"))
    return part


def confirmation_message(
    recipient: str, lang: str, search_text: str, confirm_url: str, sender: str, message_id: str
) -> EmailMessage:
    context = {**translator(lang), "search_text": search_text, "confirm": confirm_url}
    msg = _base(sender, recipient, text("confirm_subject", lang), message_id, lang)
    msg.set_content(_env().get_template("confirm.txt").render(context))
    msg.add_alternative(_env().get_template("confirm.html").render(context), subtype="html")
    return msg


def to_bytes(msg: Message) -> bytes:
    """The wire form: CRLF line ends, as SMTP needs them (smtplib leaves bytes alone)."""
    return msg.as_bytes(policy=policy.SMTP if isinstance(msg, EmailMessage) else WIRE)


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
