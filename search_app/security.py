"""What keeps hostile data inert: link schemes, headers, CSV cells, snippet markup."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from flask import Flask, Response, request
from markupsafe import Markup, escape

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_MARK = re.compile(r"(</?mark>)")
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_URL = 4096


def safe_url(value: object) -> str | None:
    """The URL if it is an absolute http(s) link we may render as <a href>, else None."""
    if not isinstance(value, str) or len(value) > MAX_URL:
        return None
    text = value.strip()
    if any(ord(c) < 0x20 or c in "<>\"'` \\" for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return text


def snippet_html(snippet: str) -> Markup:
    """The index's snippet (escaped text with <mark>) made safe and escaped exactly once:
    every piece between the marks is unescaped and escaped again, so a snippet escaped by
    the index shows `&` as `&`, and anything else stays text."""
    out: list[str] = []
    for part in _MARK.split(snippet or ""):
        if part in ("<mark>", "</mark>"):
            out.append(part)
        else:
            out.append(str(escape(html.unescape(part))))
    text = "".join(out)
    if text.count("<mark>") != text.count("</mark>"):  # unbalanced: show no highlights
        text = text.replace("<mark>", "").replace("</mark>", "")
    return Markup(text)


def csv_cell(value: object) -> str:
    """OWASP CSV injection rule: a cell a spreadsheet would run as a formula gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_CSV_TRIGGERS) else text


def clip(text: str, limit: int = 200) -> str:
    """User input echoed in messages is bounded."""
    return text if len(text) <= limit else text[:limit] + "…"


def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=86400")
        elif request.method == "GET" and response.status_code == 200:
            # Results change when the crawler runs; a minute of caching is harmless.
            scope = "private" if "Set-Cookie" in response.headers else "public"
            response.headers.setdefault("Cache-Control", f"{scope}, max-age=60")
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response
