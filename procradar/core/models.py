"""The Article model: the one shape every stage hands to the next.

Field names are a public contract (shared/DESIGN.md): the CLI's ``--json``, the
JSON API, the store and the index all use them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

# The fields every JSON document about an article carries (shared/DESIGN.md).
CONTRACT_FIELDS: tuple[str, ...] = (
    "url",
    "title",
    "published",
    "language",
    "kind",
    "topics",
    "organizations",
    "places",
    "amounts",
    "events",
    "summary",
    "text",
)


@dataclass
class Organization:
    name: str
    type: str  # municipality | region | agency | association | company | cpb | other
    country: str  # SE | NO | DK | FI | EU
    id: str | None = None  # organisation number where known
    region: str | None = None  # county/region of a municipality
    # What the organisation is to procurement: buyer | supplier | association | authority |
    # court | other (procradar.core.taxonomy.ROLES).
    role: str = "other"


@dataclass
class Amount:
    value: float
    currency: str  # SEK | NOK | DKK | EUR
    text: str


@dataclass
class Event:
    date: str  # ISO date
    place: str | None = None
    title: str | None = None
    organizer: str | None = None
    registration_url: str | None = None


@dataclass
class Article:
    url: str
    title: str = ""
    published: str | None = None  # ISO date
    language: str = "und"
    kind: str = "news"
    topics: list[str] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    summary: str = ""
    text: str = ""
    # Beyond the contract: provenance and explanations.
    # The day the store first held the article (ISO date), set when `published` is null:
    # an undated page is sorted, filtered and put in digests by it, shown as "first seen".
    first_seen: str | None = None
    source: str | None = None
    links: list[str] = field(default_factory=list)  # other URLs of the same story
    topic_scores: dict[str, JSON] = field(default_factory=dict)  # id -> {score, evidence}
    passages: list[JSON] = field(default_factory=list)  # [{start, end, language}]
    fingerprint: str | None = None
    enrichment_version: str | None = None
    # The procurement-relevance gate (enrichment/relevance.py): is this procurement news at
    # all? Articles that never met the gate count as relevant, so nothing is hidden by default.
    relevant: bool = True
    relevance: float | None = None  # 0..1
    relevance_evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> JSON:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: JSON) -> Article:
        known = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["organizations"] = [
            o if isinstance(o, Organization) else Organization(**o)
            for o in kwargs.get("organizations") or []
        ]
        kwargs["amounts"] = [
            a if isinstance(a, Amount) else Amount(**a) for a in kwargs.get("amounts") or []
        ]
        kwargs["events"] = [
            e if isinstance(e, Event) else Event(**e) for e in kwargs.get("events") or []
        ]
        return cls(**kwargs)
