"""Per-site overrides, only where generic discovery fails: small declarative classes.

A source picks one with `override: <name>` in sources.yaml. Each class only states facts
about its site (where the news lives, which URLs are articles); the spider does the rest.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from crawlers.page import PageInfo


class SiteOverride:
    name: ClassVar[str] = "generic"
    feeds: ClassVar[list[str]] = []
    sitemaps: ClassVar[list[str]] = []
    listings: ClassVar[list[str]] = []
    article_pattern: ClassVar[str | None] = None  # regex on the URL path: articles match it
    exclude_pattern: ClassVar[str | None] = None  # regex on the URL: never fetched as a page

    def wants(self, url: str) -> bool:
        return not (self.exclude_pattern and re.search(self.exclude_pattern, url))

    def is_article(self, info: PageInfo) -> bool:
        if self.article_pattern is None:
            return True
        return re.search(self.article_pattern, info.canonical) is not None


class SitevisionNews(SiteOverride):
    """Sitevision portals keep news under /nyheter or /aktuellt and put every page of the
    site in the sitemap; only the news paths hold articles."""

    name = "sitevision-news"
    article_pattern = r"/(nyheter|aktuellt|press)[^?]*/[^/?]+"
    exclude_pattern = r"/(sok|search|login|edit)\b"


class WordPressNews(SiteOverride):
    """WordPress: the feed lists only the newest posts; the post sitemap has all of them."""

    name = "wordpress"
    feeds = ["/feed/"]
    exclude_pattern = r"/(wp-admin|wp-login|wp-json|tag|author)/|[?&](replytocom|s)="


OVERRIDES: dict[str, type[SiteOverride]] = {
    cls.name: cls for cls in (SiteOverride, SitevisionNews, WordPressNews)
}


def override_for(source: dict[str, Any]) -> SiteOverride:
    name = source.get("override") or "generic"
    if name not in OVERRIDES:
        raise ValueError(f"source {source.get('id')}: unknown override {name!r}")
    return OVERRIDES[name]()
