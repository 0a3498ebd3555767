"""Request arguments -> validated search parameters, and back to links (never the raw
request arguments: only known names with checked values reach a URL)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote_plus, urlencode

from flask import g, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from procradar.core.index.base import SearchRequest
from procradar.core.query import COUNTRIES, MAX_QUERY_CHARS
from procradar.core.taxonomy import KINDS, LANGUAGES, TOPICS
from search_app.security import clip

# URL parameter -> (SearchRequest field, allowed values or None for free text)
FILTERS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "topic": ("topics", TOPICS),
    "kind": ("kinds", KINDS),
    "language": ("languages", LANGUAGES),
    "country": ("countries", COUNTRIES),
    "region": ("regions", None),
    "source": ("sources", None),
    "org": ("orgs", None),
}
ALL = "all"  # URL parameter of the switch "include general news"
SORTS = {"relevance": "relevance", "newest": "date", "event": "date"}
DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
PAGE = re.compile(r"[0-9]{1,4}")
MAX_PAGE = 500
MAX_VALUES = 20
MAX_FREE = 200


class BadRequestError(ValueError):
    """Input the user can fix; the message is shown to them (already localised)."""


@dataclass(frozen=True)
class Params:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    after: str = ""
    before: str = ""
    sort: str = "relevance"
    page: int = 1
    #: all=1: general news too, not only what the procurement-relevance gate kept
    everything: bool = False

    # -- links -------------------------------------------------------------------------

    def pairs(self, page: bool = True) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for name in FILTERS:
            out += [(name, v) for v in self.filters.get(name, ())]
        out += [(n, v) for n, v in (("after", self.after), ("before", self.before)) if v]
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        if self.everything:
            out.append((ALL, "1"))
        if page and self.page > 1:
            out.append(("page", str(self.page)))
        return out

    def link(self, endpoint: str = "search.search", **values: Any) -> str:
        query = urlencode(self.pairs())
        path = url_for(endpoint, **values) if values else endpoint_path(endpoint)
        return path + ("?" + query if query else "")

    def adding(self, name: str, value: str) -> Params:
        values = self.filters.get(name, ())
        if value in values:
            return replace(self, page=1)
        return replace(self, filters={**self.filters, name: (*values, value)}, page=1)

    def adding_links(self, name: str, endpoint: str = "search.search") -> Callable[[str], str]:
        """`value -> self.adding(name, value).link(endpoint)`, with everything but the value
        encoded once (a results page has a hundred facet links; encoding every pair again
        for each was most of the cost of drawing the facets)."""
        pairs = replace(self, page=1).pairs()
        names = list(FILTERS)
        before = {"q", *names[: names.index(name) + 1]}
        cut = next((i for i, (n, _v) in enumerate(pairs) if n not in before), len(pairs))
        head, tail = urlencode(pairs[:cut]), urlencode(pairs[cut:])
        prefix = (
            endpoint_path(endpoint) + "?" + (head + "&" if head else "") + quote_plus(name) + "="
        )
        suffix = "&" + tail if tail else ""
        chosen = self.filters.get(name, ())

        def link(value: str) -> str:
            if value in chosen:
                return self.adding(name, value).link(endpoint)
            return prefix + quote_plus(value) + suffix

        return link

    def removing(self, name: str, value: str | None = None) -> Params:
        if name == "q":
            return replace(self, q="", page=1)
        if name == "after":
            return replace(self, after="", page=1)
        if name == "before":
            return replace(self, before="", page=1)
        kept = tuple(v for v in self.filters.get(name, ()) if value is not None and v != value)
        return replace(self, filters={**self.filters, name: kept}, page=1)

    def with_page(self, page: int) -> Params:
        return replace(self, page=page)

    def with_sort(self, sort: str) -> Params:
        return replace(self, sort=sort, page=1)

    def cleared(self) -> Params:
        """The words (and the general-news switch) without any filter."""
        return Params(q=self.q, everything=self.everything)

    def with_everything(self, everything: bool) -> Params:
        return replace(self, everything=everything, page=1)

    def with_years(self, year: str) -> Params:
        return replace(self, after=year, before=str(int(year) + 1), page=1)

    # -- the index request -------------------------------------------------------------

    def request(self, limit: int, offset: int | None = None, **extra: Any) -> SearchRequest:
        kwargs: dict[str, Any] = {
            attr: list(self.filters.get(name, ())) for name, (attr, _x) in FILTERS.items()
        }
        kwargs.update(
            query=self.q,
            after=self.after or None,
            before=self.before or None,
            limit=limit,
            offset=(self.page - 1) * limit if offset is None else offset,
            sort=SORTS[self.sort],
            relevant_only=not self.everything,
        )
        return SearchRequest(**{**kwargs, **extra})

    @property
    def active(self) -> list[tuple[str, str]]:
        """Every active filter as (name, value), for the chips."""
        out = [(name, v) for name in FILTERS for v in self.filters.get(name, ())]
        return out + [(n, v) for n, v in (("after", self.after), ("before", self.before)) if v]

    @property
    def is_empty(self) -> bool:
        return not self.q and not self.active


def endpoint_path(endpoint: str) -> str:
    """url_for(endpoint) once per request: a results page links a hundred facet values."""
    paths: dict[str, str] = g.setdefault("endpoint_paths", {})
    if endpoint not in paths:
        paths[endpoint] = url_for(endpoint)
    return paths[endpoint]


def parse(args: MultiDict[str, str], sorts: tuple[str, ...] = tuple(SORTS)) -> Params:
    q = args.get("q", "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise BadRequestError(
            _("The query is too long (at most %(n)d characters).", n=MAX_QUERY_CHARS)
        )
    filters = {name: _values(args, name, allowed) for name, (_a, allowed) in FILTERS.items()}
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in sorts:
        raise BadRequestError(_("Unknown sort order: %(v)s", v=clip(sort, 40)))
    return Params(
        q=q,
        filters={k: v for k, v in filters.items() if v},
        after=_date(args, "after"),
        before=_date(args, "before"),
        sort=sort,
        page=_page(args),
        everything=_flag(args, ALL),
    )


def _values(
    args: MultiDict[str, str], name: str, allowed: tuple[str, ...] | None
) -> tuple[str, ...]:
    values = list(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
    if len(values) > MAX_VALUES or any(len(v) > MAX_FREE for v in values):
        raise BadRequestError(_("Too many or too long values for %(name)s.", name=name))
    if allowed is not None:
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise BadRequestError(
                _("Unknown %(name)s: %(value)s", name=name, value=clip(wrong[0], 40))
            )
    return tuple(values)


def _flag(args: MultiDict[str, str], name: str) -> bool:
    value = args.get(name, "").strip()
    if value not in ("", "0", "1"):
        raise BadRequestError(_("%(name)s must be 0 or 1.", name=name))
    return value == "1"


def _date(args: MultiDict[str, str], name: str) -> str:
    value = args.get(name, "").strip()
    if value and not DATE.fullmatch(value):
        raise BadRequestError(_("%(name)s must be a date like 2026-03-01.", name=name))
    return value


def _page(args: MultiDict[str, str]) -> int:
    raw = args.get("page", "1").strip() or "1"
    if not PAGE.fullmatch(raw) or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequestError(_("page must be a number from 1 to %(n)d.", n=MAX_PAGE))
    return int(raw)


def int_arg(args: MultiDict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not PAGE.fullmatch(raw) or not low <= int(raw) <= high:
        raise BadRequestError(
            _("%(name)s must be a number from %(low)d to %(high)d.", name=name, low=low, high=high)
        )
    return int(raw)


# -- article ids: the URL itself, base64url-encoded (stable across reindexing, any backend)


def article_id(url: str) -> str:
    return base64.urlsafe_b64encode(url.encode("utf-8")).decode("ascii").rstrip("=")


def article_url(article_key: str) -> str | None:
    if len(article_key) > 6000 or not re.fullmatch(r"[A-Za-z0-9_-]+", article_key):
        return None
    try:
        padded = article_key + "=" * (-len(article_key) % 4)
        return base64.urlsafe_b64decode(padded).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
