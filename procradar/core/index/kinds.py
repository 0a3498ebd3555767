"""Kinds of article as concepts: an article carries its kind's token, and a query word of a
concept that names a kind (guidance, a procurement plan, a conference: config/search/
kinds.yaml) also matches the articles of that kind, ranked with the concepts."""

from __future__ import annotations

from functools import cache

import yaml

from procradar.core.crosslingual import Concept
from procradar.core.index.analysis import SEARCH_CONFIG
from procradar.core.taxonomy import KINDS

PREFIX = "kind_"


@cache
def kind_concept(kind: str) -> Concept | None:
    return Concept(PREFIX + kind, None, {}) if kind in KINDS else None


@cache
def _lifts() -> dict[str, tuple[Concept, ...]]:
    data = yaml.safe_load((SEARCH_CONFIG / "kinds.yaml").read_text(encoding="utf-8")) or {}
    out: dict[str, tuple[Concept, ...]] = {}
    for concept_id, kinds in (data.get("lifts") or {}).items():
        found = [kind_concept(str(k)) for k in kinds]
        out[str(concept_id)] = tuple(c for c in found if c is not None)
    return out


def kinds_named(concept_id: str) -> tuple[Concept, ...]:
    """The kind concepts a concept names (guidance -> the guidance kind)."""
    return _lifts().get(concept_id, ())


def kind_token(kind: str) -> list[str]:
    concept = kind_concept(kind)
    return [concept.token] if concept is not None else []


def facet_label(concept: Concept) -> str:
    """How an expansion by a concept of no words of its own is shown (topic:x, kind:y)."""
    if concept.id.startswith(PREFIX):
        return "kind:" + concept.id.removeprefix(PREFIX)
    return f"topic:{concept.topic}"
