"""A query word in the other written form of Norwegian (nynorsk <-> bokmål).

Nynorsk and bokmål articles are stemmed alike (one Snowball stemmer knows the endings of
both), but many stems differ in spelling: sjukehus/sykehus, skule/skole, tenester/
tjenester, utslepp/utslipp, offentleg/offentlig. The rules in config/search/nynorsk.yaml
turn one form into the other; the query planner adds the result as an alternative of the
word, so both backends search either form as the word itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import yaml

from procradar.core.index.analysis import SEARCH_CONFIG

RULES_FILE = SEARCH_CONFIG / "nynorsk.yaml"
MAX_VARIANTS = 3  # each variant is one more alternative in every backend query
MIN_LENGTH = 3


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    replacement: str


def _rule(source: str, target: str) -> Rule:
    start, end = source.startswith("^"), source.endswith("$")
    core = source.strip("^$")
    pattern = ("^" if start else "") + re.escape(core) + ("$" if end else "")
    return Rule(re.compile(pattern), target.strip("^$"))


@cache
def rules() -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """(nynorsk -> bokmål rules, bokmål -> nynorsk rules)."""
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")) or {}
    pairs = [(str(nn), str(nb)) for nn, nb in data.get("both") or ()]
    one_way = [(str(nn), str(nb)) for nn, nb in data.get("nn_to_nb") or ()]
    to_nb = tuple(_rule(nn, nb) for nn, nb in pairs + one_way)
    to_nn = tuple(_rule(nb, nn) for nn, nb in pairs)
    return to_nb, to_nn


def variants(word: str) -> list[str]:
    """The word's other Norwegian written forms (at most MAX_VARIANTS), without itself:
    for each direction, all its rules that apply in turn, then each rule alone."""
    return list(_variants(word))


@lru_cache(maxsize=50_000)  # every search word of every query is tried against ~80 rules
def _variants(word: str) -> tuple[str, ...]:
    if len(word) < MIN_LENGTH or not word.isalpha():
        return ()
    found: list[str] = []
    for direction in rules():
        combined, alone = word, []
        for rule in direction:
            if rule.pattern.search(word):
                alone.append(rule.pattern.sub(rule.replacement, word))
            if rule.pattern.search(combined):
                combined = rule.pattern.sub(rule.replacement, combined)
        for variant in [combined, *alone]:
            if variant != word and variant not in found:
                found.append(variant)
    return tuple(found[:MAX_VARIANTS])
