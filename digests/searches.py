"""A saved search: the site's search parameters, checked, stored as JSON, run against the
index and turned back into links and a line of text.

The parameter names are the search page's (`q`, `topic`, `kind`, `language`, `country`,
`source`, `org`, `after`, `before`), so `/follow?<search args>` saves exactly what the page
showed. Only known names with checked values are kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from digests.i18n import label, text
from procradar.core.index.base import SearchRequest
from procradar.core.query import COUNTRIES, MAX_QUERY_CHARS
from procradar.core.taxonomy import KINDS, LANGUAGES, TOPICS

# URL parameter -> (SearchRequest field, allowed values or None for free text)
FILTERS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "topic": ("topics", TOPICS),
    "kind": ("kinds", KINDS),
    "language": ("languages", LANGUAGES),
    "country": ("countries", COUNTRIES),
    "source": ("sources", None),
    "org": ("orgs", None),
}
DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
MAX_VALUES = 20
# Words and nothing else (no quotes, operators, prefixes, filters): all are required, in
# any order, so their order does not change what matches.
PLAIN_WORDS = re.compile(r"[^\W_]+(?: [^\W_]+)*")
OPERATORS = frozenset({"OR", "AND", "NOT"})
MAX_FREE = 200


class SearchParamsError(ValueError):
    """The parameters cannot be saved (unknown value, too long); the message says which."""


@dataclass(frozen=True)
class SavedSearch:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    after: str = ""
    before: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, Sequence[str]]) -> SavedSearch:
        """From request arguments given as name -> list of values."""
        q = " ".join((args.get("q") or [""])[:1]).strip()
        if len(q) > MAX_QUERY_CHARS:
            raise SearchParamsError(f"query longer than {MAX_QUERY_CHARS} characters")
        filters: dict[str, tuple[str, ...]] = {}
        for name, (_attr, allowed) in FILTERS.items():
            values = list(dict.fromkeys(v.strip() for v in args.get(name) or [] if v.strip()))
            if len(values) > MAX_VALUES or any(len(v) > MAX_FREE for v in values):
                raise SearchParamsError(f"too many or too long values for {name}")
            if allowed is not None and any(v not in allowed for v in values):
                raise SearchParamsError(f"unknown value for {name}")
            if values:
                filters[name] = tuple(values)
        dates = {}
        for name in ("after", "before"):
            value = " ".join((args.get(name) or [""])[:1]).strip()
            if value and not DATE.fullmatch(value):
                raise SearchParamsError(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD")
            dates[name] = value
        return cls(q=q, filters=filters, **dates)

    @classmethod
    def from_json(cls, data: str) -> SavedSearch:
        raw = json.loads(data)
        return cls.from_args({k: v if isinstance(v, list) else [v] for k, v in raw.items()})

    def to_json(self) -> str:
        return json.dumps(dict(self._lists()), ensure_ascii=False, sort_keys=True)

    def _lists(self) -> list[tuple[str, list[str]]]:
        out: list[tuple[str, list[str]]] = [("q", [self.q])] if self.q else []
        out += [(name, list(self.filters[name])) for name in FILTERS if name in self.filters]
        out += [(n, [v]) for n, v in (("after", self.after), ("before", self.before)) if v]
        return out

    def canonical(self) -> SavedSearch:
        """The same search with plain words in one order, so that «klimatkrav elbussar» and
        «elbussar klimatkrav» share one index query in a digest run."""
        words = self.q.split()
        if not PLAIN_WORDS.fullmatch(" ".join(words)) or OPERATORS & set(words):
            return self
        return replace(self, q=" ".join(sorted(words)))

    def pairs(self) -> list[tuple[str, str]]:
        return [(name, v) for name, values in self._lists() for v in values]

    def query_string(self, **extra: str) -> str:
        return urlencode(self.pairs() + list(extra.items()))

    def request(
        self, limit: int, indexed_since: datetime | None = None, sort: str = "date"
    ) -> SearchRequest:
        kwargs: dict[str, Any] = {
            attr: list(self.filters.get(name, ())) for name, (attr, _a) in FILTERS.items()
        }
        return SearchRequest(
            query=self.q,
            after=self.after or None,
            before=self.before or None,
            limit=limit,
            sort=sort,
            facets=False,
            snippets=False,
            indexed_since=indexed_since,
            **kwargs,
        )

    def describe(self, lang: str) -> str:
        """One line naming the search: «klimatkrav» · Transport · Norway"""
        parts = [f"«{self.q}»"] if self.q else []
        for name, values in self.filters.items():
            table = {"topic": "topic", "kind": "kind", "language": "language"}.get(name)
            if name == "country":
                table = "country"
            parts += [label(table, v, lang) if table else v for v in values]
        if self.after or self.before:
            parts.append(f"{self.after or '…'}–{self.before or '…'}")
        return " · ".join(parts) or text("all_articles", lang)
