"""URL hygiene: canonical forms, tracking parameters, same-site tests, private addresses."""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Parameters that only say where a visitor came from; real sites ignore them.
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "hsa_", "_hs")
TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "ref",
    "ref_src",
    "_ga",
    "_gl",
    "cmpid",
    "sc_cid",
}
# Links to these are recorded (title + link) but never downloaded as pages.
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".rtf")
SKIP_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css", ".js", ".zip", ".gz",
    ".mp3", ".mp4", ".mov", ".avi", ".webm", ".ics", ".vcf", ".woff", ".woff2", ".ttf", ".json",
)  # fmt: skip


def is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=65536)
def canonical(url: str) -> str:
    """Strip fragments and tracking parameters, keep the rest as the site wrote it."""
    parts = urlsplit(url.strip())
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)
    ]
    path = parts.path or "/"
    # Stripped again: dropping an empty query or fragment can leave a trailing space
    # ("0 ?#" -> "0 "), and a canonical URL must be its own canonical form.
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query, doseq=True), "")
    ).strip()


def dedup_key(url: str) -> str:
    """A key that treats parameter order and escaping differences as the same URL."""
    return canonicalize_url(canonical(url))


@lru_cache(maxsize=65536)
def absolute(base: str, href: str) -> str:
    """The canonical absolute URL of a link found on page `base`."""
    return canonical(urljoin(base, href.strip()))


def host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # e.g. a malformed IPv6 literal: no host we could reach
        return ""


def scheme(url: str) -> str:
    head, colon, _ = url.partition(":")  # no urlsplit: it rejects malformed hosts
    return head.strip().lower() if colon and head.isascii() and head.isalpha() else ""


def netloc(url: str) -> str:
    """host:port with the scheme's default port spelled out, so both spellings match."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower(), 0)
    except ValueError:
        return ""
    return f"{(parts.hostname or '').lower()}:{port}"


@lru_cache(maxsize=65536)
def site_key(url: str) -> str:
    """host:port without a leading www., so www.x.se and x.se count as one site."""
    parts = urlsplit(url)
    name = (parts.hostname or "").lower().removeprefix("www.")
    return f"{name}:{parts.port}" if parts.port else name


def same_site(url: str, other: str) -> bool:
    return site_key(url) == site_key(other)


def extension_of(url: str) -> str:
    path = urlsplit(url).path.lower()
    dot = path.rfind(".")
    return path[dot:] if dot > path.rfind("/") else ""


def is_document(url: str) -> bool:
    return extension_of(url) in DOCUMENT_EXTENSIONS


def is_skipped(url: str) -> bool:
    return extension_of(url) in SKIP_EXTENSIONS or urlsplit(url).scheme not in ("http", "https")


@lru_cache(maxsize=1024)
def is_private_host(hostname: str) -> bool:
    """True when the host is, or resolves to, a loopback, private or link-local address."""
    if not hostname:
        return True
    if hostname == "localhost" or hostname.endswith(".localhost"):
        return True
    try:
        addresses = [ipaddress.ip_address(hostname.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(hostname, None)
        except (UnicodeError, ValueError):
            return True  # not even a valid name (IDNA): nothing to fetch, refuse it
        except OSError:
            return False  # unresolvable: the download fails on its own and is recorded
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    return any(
        a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or a.is_unspecified
        for a in addresses
    )
