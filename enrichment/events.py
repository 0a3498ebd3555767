"""Events the text announces or reports: date, place, organiser, registration link.

A date is an event date when its sentence (or a "När:/Tid:" line) speaks of a meeting,
conference or seminar and no deadline cue ("senast", "påmeldingsfrist", "register by") or
validity cue ("siden", "träder i kraft") stands just before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from enrichment.dates import DateMention, find_dates
from enrichment.resources import load_yaml
from enrichment.text import Sentence, sentences
from procradar.core.models import Event

DEADLINE_WINDOW = 32  # characters before a date searched for a deadline cue
_URL = re.compile(r"https?://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]")


@dataclass(frozen=True)
class _Cues:
    event: re.Pattern[str]
    deadline: re.Pattern[str]
    registration: re.Pattern[str]


def _alternation(spec: str, word_start: bool = True) -> str:
    parts = [p.strip() for p in spec.replace("\n", "").split("|") if p.strip()]
    return (r"(?<!\w)" if word_start else "") + "(?:" + "|".join(parts) + ")"


@cache
def _cues() -> _Cues:
    data = load_yaml("enrichment/events.yaml")
    event = _alternation(data["event_nouns"], word_start=False) + "|" + _alternation(data["event"])
    return _Cues(
        re.compile(event, re.IGNORECASE),
        re.compile(_alternation(data["deadline"]), re.IGNORECASE),
        re.compile(_alternation(data["registration"]), re.IGNORECASE),
    )


def find_events(
    text: str,
    published: date | None,
    places: list[str],
    organizer: str | None = None,
    mentions: Sequence[DateMention] | None = None,
    title: str | None = None,
) -> list[Event]:
    """Events from the date mentions of text (found here unless the caller has them)."""
    cues = _cues()
    spans = sentences(text)
    registration = registration_url(spans)
    events: list[Event] = []
    seen: set[str] = set()
    if mentions is None:
        mentions = find_dates(text, published)
    for mention in mentions:
        sentence = _sentence_of(spans, mention)
        if not _is_event_date(text, mention, sentence, cues):
            continue
        place = _place_in(sentence.text if sentence else "", places)
        for day in mention.dates:
            iso = day.isoformat()
            if iso not in seen:
                seen.add(iso)
                events.append(
                    Event(
                        date=iso,
                        place=place,
                        title=title or None,
                        organizer=organizer,
                        registration_url=registration,
                    )
                )
    return events


def _sentence_of(spans: Sequence[Sentence], mention: DateMention) -> Sentence | None:
    for sentence in spans:
        if sentence.start <= mention.start < sentence.end:
            return sentence
    return None


def _is_event_date(text: str, mention: DateMention, sentence: Sentence | None, cues: _Cues) -> bool:
    before = text[max(0, mention.start - DEADLINE_WINDOW) : mention.start]
    # Only the clause the date is in: a deadline in the previous clause does not count.
    before = re.split(r"[.;!?]\s|\n", before)[-1]
    if cues.deadline.search(before):
        return False
    context = sentence.text if sentence else text[max(0, mention.start - 80) : mention.end + 40]
    return bool(cues.event.search(context))


def registration_url(spans: Sequence[Sentence]) -> str | None:
    cues = _cues()
    for sentence in spans:
        if cues.registration.search(sentence.text):
            found = _URL.search(sentence.text)
            if found:
                return found.group(0)
    return None


def _place_in(sentence: str, places: list[str]) -> str | None:
    for place in places:
        if place and place in sentence:
            return place
    return None
