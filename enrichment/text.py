"""Sentence and word splitting shared by the stages (fast regexes, offsets kept)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# A sentence ends at . ! ? or a paragraph break, when the next sentence starts with a capital,
# a digit, a dash or a quote; abbreviations such as "bl.a." or "t.ex." are followed by a lower-
# case word and so do not split.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”»']?\s+(?=[\"“«–—-]?\s?[A-ZÅÄÖÆØÉÜ0-9])|\n\s*\n")
# Words that end in a full stop without ending the sentence ("kl. 9.00", "d. 4. juni",
# "ca. 300", "mio. kr."); lower-cased, without the final dot.
ABBREVIATIONS = frozenset(
    [
        "kl",
        "ca",
        "d",
        "bl.a",
        "t.ex",
        "f.eks",
        "m.m",
        "osv",
        "dvs",
        "inkl",
        "ekskl",
        "jf",
        "nr",
        "s",
        "pkt",
        "mnkr",
        "mio",
        "mia",
        "mrd",
        "mill",
        "tkr",
        "mdkr",
        "resp",
        "t.o.m",
        "fr.o.m",
        "o.l",
        "m.fl",
        "bl.a",
        "jfr",
        "evt",
        "etc",
        "ang",
        "vs",
        "st",
        "tlf",
        "tel",
        "mr",
        "dr",
        "prof",
    ]
)
_LAST_WORD = re.compile(r"(\S+)\.[\"”»']?\s*$")
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@lru_cache(maxsize=32)
def sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of text with their offsets; cached, as every stage asks for them."""
    result: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if "\n" not in match.group() and _after_abbreviation(text, start, match.start()):
            continue
        _append(result, text, start, match.start())
        start = match.end()
    _append(result, text, start, len(text))
    return tuple(result)


def _after_abbreviation(text: str, start: int, end: int) -> bool:
    last = _LAST_WORD.search(text, max(start, end - 12), end)
    return last is not None and last.group(1).lower().lstrip("(") in ABBREVIATIONS


def _append(result: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + chunk.index(stripped[0])
        result.append(Sentence(offset, offset + len(stripped), stripped))


def words(text: str) -> list[str]:
    return [m.group().lower() for m in WORD.finditer(text)]


def lower_same_length(text: str) -> str:
    """text.lower() when that keeps every offset (it does for Nordic text), else text:
    regexes written in lower case then run without the slow IGNORECASE flag."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text
