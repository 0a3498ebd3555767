"""The article kind (news, event_report, event_announcement, procurement_plan, guidance).

A multinomial logistic model over what a text does and how it is built: phrase families
(config/enrichment/kind.yaml: registration, invitation, reporting in the past tense, plan
and guidance markers, awards, decisions ...) and structure (event dates after and before the
publication date, lists, amounts, questions, speaking to the reader). Hand-weighted cue
rules fitted the texts they were written beside and did not hold on new sources; the
weights here are fitted on the eval dev split by scripts/train_kind.py, which measures them
by cross-validation, and are read from config/enrichment/kind_model.yaml.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from enrichment.resources import ResourceError, load_yaml

KINDS = ("news", "event_report", "event_announcement", "procurement_plan", "guidance")
PHRASE_FILE = "enrichment/kind.yaml"
MODEL_FILE = "enrichment/kind_model.yaml"
TITLE_WEIGHT = 2  # a family found in the title counts as this many matches
# The text features are read from the title and the lead: what a text does shows there, the
# labelled texts the model learns from are that long (at most ~1,300 characters), and a long
# page neither costs more nor gets counts beyond what the model has seen.
LEAD_CHARS = 2000

_BULLET = re.compile(r"^\s*(?:[-–•*]|\d{1,2}[.)])\s", re.MULTILINE)
_STEP = re.compile(
    r"^\s*(?:\d{1,2}[.)]|(?:steg|trinn|trin|step|punkt) \d{1,2}[:.]?)\s",
    re.MULTILINE | re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
# Not Swedish "ni": in Danish and Norwegian it is the number nine.
_SECOND_PERSON = re.compile(r"(?<!\w)(?:du|dig|dere|dykk|you|your)(?!\w)", re.IGNORECASE)

STRUCTURE = (
    "future_events",  # event dates on or after publication
    "past_events",
    "only_future",
    "only_past",
    "amounts",
    "bullets",
    "steps",  # numbered steps: how a guide is written
    "list_with_amounts",  # a list of projects with values: how a plan is written
    "questions",
    "question_share",  # questions among the sentences: a FAQ asks and answers in turn
    "second_person",  # "you" per 100 words: guides speak to the reader
    "log_words",
)


@cache
def families() -> dict[str, re.Pattern[str]]:
    data = load_yaml(PHRASE_FILE) or {}
    try:
        entries = data["families"]
        return {
            name: re.compile(r"(?<!\w)(?:" + "|".join(patterns) + ")")
            for name, patterns in entries.items()
        }
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise ResourceError(f"{PHRASE_FILE}: malformed phrase families ({exc})") from exc


def feature_names() -> tuple[str, ...]:
    return tuple(f"phrase:{name}" for name in families()) + STRUCTURE


def features(
    text: str, title: str = "", future_events: int = 0, past_events: int = 0, amounts: int = 0
) -> list[float]:
    """The model's inputs, in feature_names() order."""
    text = lead(text)
    body, head = text.lower(), title.lower()
    values = [
        math.log1p(len(p.findall(body)) + TITLE_WEIGHT * len(p.findall(head)))
        for p in families().values()
    ]
    words = max(1, len(body.split()))
    bullets = len(_BULLET.findall(text))
    values += [
        math.log1p(future_events),
        math.log1p(past_events),
        float(future_events > 0 and past_events == 0),
        float(past_events > 0 and future_events == 0),
        math.log1p(amounts),
        math.log1p(bullets),
        math.log1p(len(_STEP.findall(text))),
        float(bullets >= 3 and amounts >= 2),
        math.log1p(body.count("?") + TITLE_WEIGHT * head.count("?")),
        body.count("?") / max(1, len(_SENTENCE_END.findall(body))),
        100.0 * len(_SECOND_PERSON.findall(text)) / words,
        math.log(words),
    ]
    return values


def lead(text: str) -> str:
    """The first LEAD_CHARS characters, cut at a space."""
    if len(text) <= LEAD_CHARS:
        return text
    cut = text.rfind(" ", 0, LEAD_CHARS)
    return text[: cut if cut > 0 else LEAD_CHARS]


@dataclass(frozen=True)
class Model:
    bias: dict[str, float]
    weights: dict[str, tuple[float, ...]]  # per kind, in feature_names() order

    def probabilities(self, values: list[float]) -> dict[str, float]:
        scores = {
            kind: self.bias[kind]
            + sum(w * v for w, v in zip(self.weights[kind], values, strict=True))
            for kind in KINDS
        }
        top = max(scores.values())
        exp = {kind: math.exp(score - top) for kind, score in scores.items()}
        total = sum(exp.values())
        return {kind: value / total for kind, value in exp.items()}


@cache
def model() -> Model:
    data = load_yaml(MODEL_FILE) or {}
    names = feature_names()
    try:
        kinds = data["kinds"]
        if tuple(data["features"]) != names or set(kinds) != set(KINDS):
            raise KeyError("features")
        return Model(
            bias={kind: float(kinds[kind]["bias"]) for kind in KINDS},
            weights={
                kind: tuple(float(kinds[kind]["weights"][name]) for name in names) for kind in KINDS
            },
        )
    except (KeyError, TypeError) as exc:
        raise ResourceError(
            f"{MODEL_FILE} does not match the features this code computes; "
            "run scripts/train_kind.py"
        ) from exc


def classify(
    text: str, title: str = "", future_events: int = 0, past_events: int = 0, amounts: int = 0
) -> tuple[str, dict[str, float]]:
    """The kind and every kind's probability. `future_events`/`past_events` count event
    dates on/after and before publication; `amounts` the money amounts found."""
    values = features(text, title, future_events, past_events, amounts)
    probabilities = model().probabilities(values)
    best = max(KINDS, key=lambda kind: probabilities[kind])
    return best, probabilities
