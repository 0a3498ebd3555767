"""The article kind (news, event_report, event_announcement, procurement_plan, guidance).

Weighted cue patterns from config/enrichment/kind.yaml, plus what the other stages found:
a future event date pulls towards an announcement, a past one towards a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from enrichment.resources import load_yaml

KINDS = ("news", "event_report", "event_announcement", "procurement_plan", "guidance")


@dataclass(frozen=True)
class _Rules:
    pattern: re.Pattern[str]  # every cue as a named group c<N>, scanned in one pass
    cues: dict[str, tuple[str, float]]  # group name -> (kind, weight)
    min_score: float
    title_weight: float


@cache
def _rules() -> _Rules:
    data = load_yaml("enrichment/kind.yaml")
    groups: list[str] = []
    cues: dict[str, tuple[str, float]] = {}
    for kind, entries in data["kinds"].items():
        for pattern, weight in entries:
            name = f"c{len(groups)}"
            groups.append(f"(?P<{name}>{pattern})")
            cues[name] = (kind, float(weight))
    # Cues are written in lower case and matched against lower-cased text: IGNORECASE makes
    # this one big alternation three times slower.
    combined = re.compile(r"(?<!\w)(?:" + "|".join(groups) + ")")
    return _Rules(combined, cues, float(data["min_score"]), float(data["title_weight"]))


def cue_scores(text: str, title: str = "") -> dict[str, float]:
    return _cues(text, title)[0]


def _cues(text: str, title: str) -> tuple[dict[str, float], dict[str, int], set[str]]:
    """Each kind's cue score, how many different cues (a title cue counts two) and the kinds
    the title names."""
    rules = _rules()
    counts: dict[str, float] = {}
    in_title: set[str] = set()
    for source, factor in ((text, 1.0), (title, rules.title_weight)):
        for match in rules.pattern.finditer(source.lower()):
            if match.lastgroup:
                counts[match.lastgroup] = counts.get(match.lastgroup, 0.0) + factor
                if source is title:
                    in_title.add(match.lastgroup)
    scores = dict.fromkeys(KINDS, 0.0)
    distinct = dict.fromkeys(KINDS, 0)
    for name, hits in counts.items():
        kind, weight = rules.cues[name]
        # Repeated cues add less than new ones: a long programme repeats "kl. 10.00".
        scores[kind] += weight * min(hits, 3.0)
        distinct[kind] += 2 if name in in_title else 1
    return scores, distinct, {rules.cues[name][0] for name in in_title}


_BULLET = re.compile(r"^\s*(?:[-–•*]|\d{1,2}[.)])\s", re.MULTILINE)
# Not Swedish "ni": in Danish and Norwegian it is the number nine.
_SECOND_PERSON = re.compile(r"(?<!\w)(?:du|dig|dere|dykk|you|your)(?!\w)", re.IGNORECASE)
_STEP = re.compile(
    r"^\s*(?:\d{1,2}[.)]|(?:steg|trinn|trin|step|punkt) \d{1,2}[:.]?)\s",
    re.MULTILINE | re.IGNORECASE,
)


def classify(
    text: str, title: str = "", future_events: int = 0, past_events: int = 0, amounts: int = 0
) -> tuple[str, dict[str, float]]:
    """The kind and every kind's score. `future_events`/`past_events` count event dates after
    and before publication; `amounts` the money amounts found."""
    scores, distinct, _titled = _cues(text, title)
    structure = dict.fromkeys(KINDS, 0.0)
    # A date alone is weak: road works, opening hours and closures have dates too. With a cue
    # of the same kind (registration, "took place") it is what makes an event text.
    for event_kind, count in (("event_announcement", future_events), ("event_report", past_events)):
        if count:
            structure[event_kind] += 3.0 if distinct[event_kind] else 1.0
    # A date ahead with registration and a programme is an invitation, even when its topic is
    # how to write a tender ("slik gir du tilbud").
    if future_events and distinct["event_announcement"] >= 2:
        structure["event_announcement"] += 3.0
    bullets = len(_BULLET.findall(text))
    # Numbered steps ("1. Lag en plan", "2. Utpek ...") are how a guide is written.
    if len(_STEP.findall(text)) >= 3:
        structure["guidance"] += 2.0
    # A list of projects with their values is a plan; a list without money, a how-to.
    if bullets >= 3 and amounts >= 2:
        structure["procurement_plan"] += 2.0
    if bullets >= 3 and amounts < 2 and not future_events:
        structure["guidance"] += 1.0
    # Guides speak to the reader.
    words = max(len(text.split()), 1)
    you = len(_SECOND_PERSON.findall(text))
    if you >= 2:  # one "you" is a news item quoting someone or telling citizens where to look
        structure["guidance"] += min(3.0, 200.0 * you / words)
    for kind in KINDS:
        scores[kind] += structure[kind]
    # On a tie the kind with more different cues (a title cue counting two) wins.
    best = max(KINDS[1:], key=lambda kind: (scores[kind], distinct[kind]))
    if scores[best] < _rules().min_score:
        return "news", scores
    # One word ("guide", "gratis") in the body of a news item does not make a guide or an
    # invitation: the text's structure (dates ahead, lists, speaking to the reader) or a
    # second cue must agree.
    if best in _NEEDS_SUPPORT and distinct[best] < 2 and structure[best] < 1.0:
        return "news", scores
    return best, scores


_NEEDS_SUPPORT = frozenset({"guidance", "event_announcement"})
