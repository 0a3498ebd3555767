"""Turn request arguments into index requests and results into view data (no SQL here either:
the index owns its queries)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from procradar.core.taxonomy import KINDS, LANGUAGES, TOPICS

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_QUERY = 500
COUNTRIES = ("SE", "NO", "DK", "FI", "EU")
# Facet names as the index reports them -> the URL parameter that filters on them.
FACET_PARAMS = {
    "topic": "topic",
    "language": "lang",
    "kind": "kind",
    "source": "source",
    "country": "country",
    "org": "org",
}


class BadRequestError(ValueError):
    """Input the user can fix; the message is shown to them."""


@dataclass
class Params:
    query: str
    topics: list[str]
    languages: list[str]
    kinds: list[str]
    sources: list[str]
    countries: list[str]
    orgs: list[str]
    after: str | None
    before: str | None
    page: int
    sort: str


def parse_params(args: MultiDict[str, str]) -> Params:
    query = args.get("q", "").strip()
    if len(query) > MAX_QUERY:
        raise BadRequestError(f"The query is too long (at most {MAX_QUERY} characters).")
    params = Params(
        query=query,
        topics=_choices(args, "topic", TOPICS),
        languages=_choices(args, "lang", LANGUAGES),
        kinds=_choices(args, "kind", KINDS),
        sources=_free(args, "source"),
        countries=_choices(args, "country", COUNTRIES),
        orgs=_free(args, "org"),
        after=_date(args, "after"),
        before=_date(args, "before"),
        page=_page(args),
        sort=args.get("sort", "relevance"),
    )
    if params.sort not in ("relevance", "date"):
        raise BadRequestError("sort must be 'relevance' or 'date'.")
    return params


def _choices(args: MultiDict[str, str], name: str, allowed: tuple[str, ...]) -> list[str]:
    values = [v for v in args.getlist(name) if v]
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise BadRequestError(f"Unknown {name}: {', '.join(wrong)}. Known: {', '.join(allowed)}.")
    return values


def _free(args: MultiDict[str, str], name: str) -> list[str]:
    values = [v.strip() for v in args.getlist(name) if v.strip()]
    if len(values) > 20 or any(len(v) > 200 for v in values):
        raise BadRequestError(f"Too many or too long {name} values.")
    return values


def _date(args: MultiDict[str, str], name: str) -> str | None:
    value = args.get(name, "").strip()
    if value and not DATE.match(value):
        raise BadRequestError(f"{name} must be a date like 2026-03-01.")
    return value or None


def _page(args: MultiDict[str, str]) -> int:
    raw = args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise BadRequestError("page must be a number from 1 to 1000.")
    return int(raw)


def highlight(snippet: str) -> Markup:
    """Escape a snippet but keep the index's <mark> highlights."""
    safe = str(escape(snippet))
    return Markup(safe.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))


def request_kwargs(params: Params, page_size: int) -> dict[str, Any]:
    return {
        "query": params.query,
        "topics": params.topics,
        "languages": params.languages,
        "kinds": params.kinds,
        "sources": params.sources,
        "countries": params.countries,
        "orgs": params.orgs,
        "after": params.after,
        "before": params.before,
        "limit": page_size,
        "offset": (params.page - 1) * page_size,
        "sort": params.sort,
    }
