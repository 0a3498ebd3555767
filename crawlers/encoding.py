"""Decode HTML whose declared charset may be wrong or missing.

Nordic sites still serve windows-1252 or iso-8859-1 pages labelled as utf-8 (or not labelled
at all). A strict decode with the declared charset tells us when the label lies; then utf-8
and windows-1252 (a superset of iso-8859-1 for text) are tried in that order.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)


@dataclass
class Decoded:
    text: str
    encoding: str  # what the bytes really were
    declared: str | None  # what the header or meta tag said
    mislabelled: bool  # the declared charset could not decode the bytes


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str | None) -> str | None:
    if content_type:
        header = HEADER_CHARSET.search(content_type)
        if header and _codec(header.group(1)):
            return _codec(header.group(1))
    meta = META_CHARSET.search(body[:4096])
    if meta:
        return _codec(meta.group(1).decode("ascii", "ignore"))
    return None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    if body.startswith(codecs.BOM_UTF8):
        return Decoded(body[3:].decode("utf-8", "replace"), "utf-8", "utf-8", False)
    declared = declared_charset(body, content_type)
    # Valid utf-8 with non-ascii bytes is almost never a single-byte charset by accident,
    # so it wins even over a label that says otherwise.
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        lied = declared not in (None, "utf-8", "ascii") and not body.isascii()
        return Decoded(text, "utf-8", declared, lied)
    if declared and declared != "utf-8":
        try:
            return Decoded(body.decode(declared), declared, declared, False)
        except UnicodeDecodeError:
            pass
    return Decoded(body.decode("cp1252", "replace"), "cp1252", declared, declared is not None)


META_DECLARATION = re.compile(r"""(<meta[^>]+charset\s*=\s*["']?\s*)([A-Za-z0-9_\-:.]+)""", re.I)


def relabel_utf8(html: str) -> str:
    """The page is kept as utf-8 from here on, so its own charset declaration must say so
    (parsers further down trust a <meta charset> over the str they are handed)."""
    return META_DECLARATION.sub(lambda m: m.group(1) + "utf-8", html[:4096], count=2) + html[4096:]
