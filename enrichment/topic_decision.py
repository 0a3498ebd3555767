"""Whether a topic's evidence makes an article about that topic: a logistic model over a few
properties of the evidence, learned on the dev split of the evaluation set.

Lexicon hits say a topic is mentioned; whether the article is *about* it depends on how
much is said, how early, how specifically and how it compares with the other topics. Hand
rules for that (a threshold here, an exception for aspect words there) had stopped
improving; a small model weighs the same properties from labelled examples instead.
`scripts/train_topic_decision.py` fits it on eval dev documents only (the test split stays
sealed) and writes config/topics/decision.yaml, which this module reads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from enrichment.resources import ResourceError, load_yaml

TOPICS = (
    "award_criteria",
    "climate_environment",
    "construction",
    "dialogue",
    "digitalisation",
    "food",
    "healthcare",
    "innovation",
    "legal",
    "sme",
    "social_ethical",
    "strategy_competence",
    "transport",
)

# Aspects of how a purchase is made, as opposed to the sector bought from. Their vocabulary is
# technical ("klimakrav", "terskelverdi", "tildelingskriterier") and rarely appears outside a
# text that deals with the aspect; sector words ("sykehus", "bygg", "buss") turn up in passing.
ASPECTS = frozenset({"climate_environment", "social_ethical", "sme", "legal", "award_criteria"})

FEATURES = (
    "bias",
    "log_score",  # summed term weights, repeats decaying
    "share_of_top",  # against the article's strongest topic
    "sentence_share",  # sentences with evidence / sentences in the text
    "log_sentences",
    "in_title",
    "in_label",  # named in a sentence's opening label ("Skolskjuts: ..."): an item of a list
    "log_first_sentence",  # how late the first evidence comes
    "first_position",  # ... as a share of the text: a closing remark is boilerplate
    "aspect",
    "log_distinct_terms",
    "max_term_weight",  # the most specific term found (lexicon weight)
    "log_text_sentences",
    # Topics with any evidence in the text. Most articles deal with one or two topics while
    # touching others in passing, so the more topics a text touches the less each is likely
    # to be its subject. Counted from two: nearly every relevant dev article carries a topic,
    # so a topic alone in its text is almost always gold there, but that is how the set was
    # written, and a lone passing word in an article about nothing in the taxonomy is not.
    "log_topics_touched",
    *(f"topic:{t}" for t in TOPICS),
)


class Evidence(Protocol):
    """What the tagger gathered for one topic in one article."""

    score: float
    sentences: set[int]
    in_title: bool
    in_label: bool
    terms: set[str]
    max_weight: float


def features(
    topic: str, evidence: Evidence, top_score: float, sentence_count: int, topic_count: int
) -> list[float]:
    count = max(1, sentence_count)
    sentences = evidence.sentences or {0}
    first = max(0, min(sentences))
    values = [
        1.0,
        math.log1p(evidence.score),
        evidence.score / top_score if top_score > 0 else 0.0,
        len(sentences) / count,
        math.log1p(len(sentences)),
        1.0 if evidence.in_title else 0.0,
        1.0 if evidence.in_label else 0.0,
        math.log1p(first),
        first / count,
        1.0 if topic in ASPECTS else 0.0,
        math.log1p(len(evidence.terms)),
        evidence.max_weight,
        math.log(count),
        math.log(max(2, topic_count)),
    ]
    return values + [1.0 if topic == t else 0.0 for t in TOPICS]


CLOSING_SHARE = 0.75
# In a text of four sentences the last one is a quarter of what it says, not a closing
# remark (short news items name their point last as often as first).
CLOSING_MIN_SENTENCES = 5


def closing_remark(evidence: Evidence, sentence_count: int) -> bool:
    """All evidence in one sentence near the end of a longer text ("see also the guide on
    thresholds", "the decision can be appealed"): agency boilerplate, not what the article
    is about. Few such closings are in the labelled set, so this is a rule, not learned.
    An item named in a list's opening label ("Arkivsystem: ...") is not a closing remark,
    however late in the list it comes."""
    sentences = evidence.sentences
    return (
        not evidence.in_label
        and len(sentences) == 1
        and sentence_count >= CLOSING_MIN_SENTENCES
        and min(sentences) >= CLOSING_SHARE * sentence_count
    )


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    threshold: float

    def probability(self, values: Sequence[float]) -> float:
        z = sum(w * v for w, v in zip(self.weights, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def accepts(
        self,
        topic: str,
        evidence: Evidence,
        top_score: float,
        sentence_count: int,
        topic_count: int,
    ) -> bool:
        if closing_remark(evidence, sentence_count):
            return False
        values = features(topic, evidence, top_score, sentence_count, topic_count)
        return self.probability(values) >= self.threshold


MODEL_FILE = "topics/decision.yaml"


@cache
def model() -> Model:
    data = load_yaml(MODEL_FILE) or {}
    weights = data.get("weights") or {}
    if set(weights) != set(FEATURES):
        raise ResourceError(
            f"{MODEL_FILE} does not match the features this code computes; "
            "run scripts/train_topic_decision.py"
        )
    return Model(tuple(float(weights[name]) for name in FEATURES), float(data["threshold"]))
