"""The one content hash: every path that stores a page (crawl, ingest) hashes its bytes here,
so the same bytes get the same hash whichever way they came in."""

from __future__ import annotations

import hashlib


def content_hash(body: bytes) -> str:
    """SHA-256 of the stored bytes, hex."""
    return hashlib.sha256(body).hexdigest()
