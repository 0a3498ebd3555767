"""The index interface every backend implements, and the request/result shapes it speaks.

The index is derived data: `procradar reindex` rebuilds it from the store at any time.
Both backends pass one contract test suite (tests/test_index_contract.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from procradar.core.models import Article

#: Facet fields in the order a UI shows them; the keys of `SearchResult.facets`.
FACET_FIELDS: tuple[str, ...] = (
    "topic",
    "language",
    "kind",
    "country",
    "region",
    "source",
    "org",
)
#: How many values of a facet are returned at most (the most frequent first).
FACET_SIZE = 20
SORTS: tuple[str, ...] = ("relevance", "date", "date_asc")
INTERVALS: tuple[str, ...] = ("year", "month", "week", "day")
MAX_LIMIT = 1000
PROGRESS_EVERY = 1000
Progress = Callable[[int], None]  # called with the number of articles done so far


class IndexBackendError(RuntimeError):
    """The index backend failed (unreachable cluster, corrupt file); the message says how."""


class IndexCorruptError(IndexBackendError):
    """The index file is damaged; `procradar reindex` removes it and rebuilds from the store."""


@dataclass
class SearchRequest:
    """A search: the query text (see procradar/query.py for its language) plus UI filters.

    Values of one filter field are alternatives (topic A or B); different fields must all
    hold. Filters written in the query text (`topic:legal`) are added to these lists.
    `after` is inclusive and `before` exclusive; both take YYYY, YYYY-MM or YYYY-MM-DD.
    `expand` turns cross-lingual expansion on for this request (None: the setting decides).
    `indexed_since` keeps only articles written into the index at or after that instant
    (timezone-aware); the digests match saved searches with it on either backend.
    """

    query: str = ""
    topics: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    #: county or region (Skåne, Vestland, Hovedstaden) of the buyers named or the source
    regions: list[str] = field(default_factory=list)
    after: str | None = None
    before: str | None = None
    limit: int = 20
    offset: int = 0
    sort: str = "relevance"  # relevance | date (newest first) | date_asc
    expand: bool | None = True
    facets: bool = True
    indexed_since: datetime | None = None
    #: only articles with an event dated on or after this day (YYYY-MM-DD): the upcoming
    #: events, however long ago the article announcing them was published
    event_after: str | None = None
    #: False: hits come without snippets (the digests list summaries; snippets cost most)
    snippets: bool = True
    # Only articles the relevance gate kept (Article.relevant); articles indexed before the
    # gate existed count as relevant. The UI decides its own default.
    relevant_only: bool = False
    #: no article has every word: fall back to the best subset of them (procradar.core.index.relax)
    relax: bool = False


@dataclass
class Hit:
    """One result: the stored article as a dict (Article.to_dict()), its score and a snippet.

    `snippet` is HTML: the text is escaped and matched words are wrapped in <mark>…</mark>.
    """

    article: dict[str, Any]
    score: float
    snippet: str = ""

    @property
    def url(self) -> str:
        return str(self.article["url"])

    def to_dict(self) -> dict[str, Any]:
        return {**self.article, "score": round(self.score, 6), "snippet": self.snippet}


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: query word -> the equivalents it was expanded to (empty when expansion was off)
    expansions: dict[str, list[str]] = field(default_factory=dict)
    #: query words left out because no article has them all (only when the request relaxed)
    dropped: list[str] = field(default_factory=list)
    #: query word -> the spelling searched instead, because the word as typed matches nothing
    respelled: dict[str, str] = field(default_factory=dict)
    #: hits at the end that lack one of the query's words: a long query that only one or
    #: two articles match in full goes on with those that have all but one of them
    partial: int = 0

    def to_dict(self, query: str) -> dict[str, Any]:
        return {
            "query": query,
            "total": self.total,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {k: [list(pair) for pair in v] for k, v in self.facets.items()},
            "expansions": self.expansions,
            "dropped": self.dropped,
            "respelled": self.respelled,
            "partial": self.partial,
        }


class Index(Protocol):
    """What the CLI, the web app and the digests use; implemented by every backend."""

    def index(self, articles: Iterable[Article]) -> int:
        """Insert or replace articles by URL; returns how many were written."""
        ...

    def rebuild(self, articles: Iterable[Article], progress: Progress | None = None) -> int:
        """Replace the whole index with `articles` without a moment of empty results."""
        ...

    def delete(self, urls: Iterable[str]) -> int:
        """Remove articles by URL; returns how many were there."""
        ...

    def clear(self) -> None: ...

    def count(self) -> int: ...

    def search(self, q: SearchRequest) -> SearchResult:
        """Raises procradar.core.query.QueryError for malformed query text or filters."""
        ...

    def histogram(self, q: SearchRequest, interval: str = "month") -> list[tuple[str, int]]:
        """Matching articles per period (`2026`, `2026-03`, `2026-W11`, `2026-03-14`), oldest
        first; periods without articles in between are included with 0."""
        ...

    def histograms(
        self, q: SearchRequest, attr: str, values: list[str], interval: str = "month"
    ) -> dict[str, list[tuple[str, int]]]:
        """For each value, `histogram` of `q` with the value added to the list filter `attr`
        (`topics`, `countries`, `orgs` ...): a trend line per topic in one call."""
        ...

    def more_like_this(self, url: str, limit: int = 5) -> list[Hit]: ...

    def generation(self) -> int | str:
        """Changes whenever a write may have changed answers (equal: same answers)."""
        ...

    def close(self) -> None: ...
