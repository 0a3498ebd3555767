"""Sentence and word splitting shared by the stages (fast regexes, offsets kept)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? or a paragraph break, when the next sentence starts with a capital,
# a digit, a dash or a quote; abbreviations such as "bl.a." or "t.ex." are followed by a lower-
# case word and so do not split.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”»']?\s+(?=[\"“«–—-]?\s?[A-ZÅÄÖÆØÉÜ0-9])|\n\s*\n")
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    result: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        _append(result, text, start, match.start())
        start = match.end()
    _append(result, text, start, len(text))
    return result


def _append(result: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + chunk.index(stripped[0])
        result.append(Sentence(offset, offset + len(stripped), stripped))


def words(text: str) -> list[str]:
    return [m.group().lower() for m in WORD.finditer(text)]
