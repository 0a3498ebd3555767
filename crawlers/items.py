"""What the spider hands to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PageItem:
    source: str
    url: str  # canonical URL: the store's key
    final_url: str
    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    body: bytes  # html re-encoded as utf-8 (the charset was fixed on the way in)
    is_article: bool = False
    html: str = ""
    title: str | None = None
    published: str | None = None  # from the feed, news sitemap or page metadata
    language: str | None = None  # the source's declared language
    not_modified: bool = False  # a 304: only the check time changes
