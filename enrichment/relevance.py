"""The procurement-relevance gate: is an article procurement news at all?

Municipalities and regions publish mostly general news (schools, roads, opening hours);
only some of it is about buying. The gate adds up evidence (config/enrichment/relevance.yaml):
procurement vocabulary in sv/nb/nn/da/en (title counting more), a supplier or court named,
the kind (a procurement plan), topics only procurement texts carry, and sentences that name a
contract together with a supplier, a bid or a requirement (a short news item has few words,
but one such sentence is what a brief award or contract-terms notice is made of). The
source's prior sets the threshold: a curated procurement source is trusted more than a
municipality's news page.
Every piece of evidence is returned, so a user can see why an article was kept or hidden.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from functools import cache

from enrichment.resources import load_yaml
from procradar.core.models import Organization

PRIORS = ("trusted", "general")


@dataclass(frozen=True)
class Verdict:
    relevant: bool
    score: float  # 0..1
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Rules:
    pattern: re.Pattern[str]
    weights: dict[str, float]  # group name -> weight
    title_weight: float
    thresholds: dict[str, float]
    scale: float
    supplier: float
    court: float
    kinds: dict[str, float]
    topics: dict[str, float]
    excluded: tuple[str, ...]  # words never evidence (place names holding a stem)
    contract: re.Pattern[str]
    party: re.Pattern[str]
    not_contract: re.Pattern[str]
    sentence: float


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@cache
def _rules() -> _Rules:
    data = load_yaml("enrichment/relevance.yaml")
    groups, weights = [], {}
    for number, (pattern, weight) in enumerate(data["terms"]):
        groups.append(f"(?P<t{number}>{pattern})")
        weights[f"t{number}"] = float(weight)
    evidence = data["evidence"]
    return _Rules(
        pattern=re.compile(r"(?<!\w)(?:" + "|".join(groups) + ")"),
        weights=weights,
        title_weight=float(data["title_weight"]),
        thresholds={k: float(v) for k, v in data["thresholds"].items()},
        scale=float(data["scale"]),
        supplier=float(evidence["supplier"]),
        court=float(evidence["court"]),
        kinds={k: float(v) for k, v in evidence["kinds"].items()},
        topics={k: float(v) for k, v in evidence["topics"].items()},
        excluded=tuple(w.lower() for w in data.get("excluded") or ()),
        contract=re.compile(data["sentences"]["contract"]),
        party=re.compile(data["sentences"]["party"]),
        not_contract=re.compile(data["sentences"]["not_contract"]),
        sentence=float(data["sentences"]["weight"]),
    )


def _vocabulary(text: str, title: str) -> tuple[float, list[str]]:
    """Score of the procurement words: each distinct word its weight, repeats half as much
    (at most two), words in the title `title_weight` times."""
    rules = _rules()
    hits: dict[str, tuple[float, float]] = {}  # word -> (weight, count weighted by place)
    for source, factor in ((text, 1.0), (title, rules.title_weight)):
        for match in rules.pattern.finditer(source.lower()):
            if not match.lastgroup:
                continue
            # The whole word as evidence ("upphandlingen"), counted under its term's start.
            end = match.end()
            while end < len(source) and source[end].isalnum():
                end += 1
            word = source[match.start() : end].lower()
            if word.startswith(rules.excluded):
                continue
            weight, count = hits.get(word, (rules.weights[match.lastgroup], 0.0))
            hits[word] = (weight, count + factor)
    score = 0.0
    for weight, count in hits.values():
        score += weight * (min(count, 1.0) + 0.5 * min(max(count - 1.0, 0.0), 2.0))
    strongest = sorted(hits.items(), key=lambda item: (-item[1][0] * item[1][1], item[0]))
    return score, [f"word:{word}" for word, _ in strongest[:8]]


def _word_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _contract_sentences(text: str, title: str) -> tuple[float, list[str]]:
    """Score of the sentences (the title one of them) naming a contract with its other party,
    a bid or a requirement: `sentence` for the first, half that for a second, no more."""
    rules = _rules()
    found: list[str] = []
    for sentence in [title, *_SENTENCE_END.split(text)]:
        lowered = rules.not_contract.sub(" ", sentence.lower())
        for contract in rules.contract.finditer(lowered):
            # The other party in another word: "contractor" alone is not a contract with one.
            start, end = _word_span(lowered, contract.start(), contract.end())
            party = rules.party.search(lowered[:start] + " " + lowered[end:])
            if party:
                found.append(f"sentence:{contract.group(0)}+{party.group(0)}")
                break
    score = rules.sentence * (min(len(found), 1) + 0.5 * min(max(len(found) - 1, 0), 1))
    return score, found[:2]


def assess(
    text: str,
    title: str = "",
    kind: str = "news",
    topics: list[str] | None = None,
    organizations: list[Organization] | None = None,
    prior: str | None = None,
) -> Verdict:
    """The gate's verdict on one article; `prior` is the source's (trusted, general, None)."""
    rules = _rules()
    score, evidence = _vocabulary(text, title)
    in_sentences, sentences = _contract_sentences(text, title)
    score += in_sentences
    evidence += sentences
    roles = {o.role for o in organizations or []}
    if "supplier" in roles:
        score += rules.supplier
        names = [o.name for o in organizations or [] if o.role == "supplier"]
        evidence.append("supplier:" + ", ".join(names[:3]))
    if "court" in roles:
        score += rules.court
        evidence.append("court")
    if kind in rules.kinds:
        score += rules.kinds[kind]
        evidence.append(f"kind:{kind}")
    for topic in topics or []:
        if topic in rules.topics:
            score += rules.topics[topic]
            evidence.append(f"topic:{topic}")
    threshold = rules.thresholds.get(prior or "default", rules.thresholds["default"])
    if prior:
        evidence.append(f"prior:{prior}")
    relevance = 1.0 - math.exp(-score / rules.scale)
    return Verdict(score >= threshold, round(relevance, 3), evidence)


def as_authority(organization: Organization) -> Organization:
    """Outside procurement news a municipality or agency acts as a public authority (snow
    clearing, water, schools), not as a buyer."""
    if organization.role == "buyer" and organization.type != "other":
        return dataclasses.replace(organization, role="authority")
    return organization
