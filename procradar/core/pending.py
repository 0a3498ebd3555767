"""A stored page waiting for enrichment, as the store hands it out: in a module of its own
so that enrichment workers, which receive it pickled, need not import the store (SQLAlchemy
and Alembic, most of a second per process)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class PendingPage:
    """A stored article page whose article is missing, outdated or from older content."""

    url: str
    source: str
    body: bytes
    content_hash: str | None
    hints: dict[str, Any]
