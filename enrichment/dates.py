"""Calendar dates in Nordic and English text, resolved against the publication date.

"den 31 januari", "1. november", "tysdag 14. april", "27 februari, 2019", "12.03.2026",
"d. 4. juni kl. 9.00", "18–19 november 2026", "14 October 2025", "2026-04-14". A date without
a year takes the year that puts it nearest the publication date, looking forward rather than
back (an invitation published in November for "21. januar" means next January; a report
published on 5 March about "tirsdag 3. mars" means two days earlier).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from enrichment.text import lower_same_length

MONTHS = {
    "januari": 1, "januar": 1, "january": 1, "jan": 1,
    "februari": 2, "februar": 2, "february": 2, "feb": 2,
    "mars": 3, "marts": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "maj": 5, "mai": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augusti": 8, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "desember": 12, "dec": 12, "des": 12,
}  # fmt: skip
PAST_PENALTY = 2.5  # a past reading must be this many times nearer to win over a future one

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_DASH = r"\s?[-–—]\s?"
_TEXT_DATE = re.compile(
    rf"""(?<![\w.])
    (?P<day>{_DAY})\.?(?:{_DASH}(?P<day2>{_DAY})\.?)?\s(?:of\s)?(?P<month>{_MONTH})\.?(?![\w])
    (?:,?\s(?P<year>(?:19|20)\d\d)(?!\d))?""",
    re.VERBOSE,
)
_EN_DATE = re.compile(
    rf"(?<![\w])(?P<month>{_MONTH})\.?\s(?P<day>{_DAY})(?:st|nd|rd|th)?"
    rf"(?:,?\s(?P<year>(?:19|20)\d\d))?(?![\w])",
)
_NUMERIC = re.compile(
    rf"(?<![\w.])(?P<day>{_DAY})\.(?P<month>0?[1-9]|1[0-2])\.(?P<year>(?:20)?\d\d)(?![\w.]\d)"
)
_WEEKDAY = (
    r"(?:mån|tis|ons|tors|fre|lör|sön|man|tirs|tys|ons|tor|fre|lør|laur|søn|sun)\w*dag(?:en)?"
)
# "tisdag 12/5 kl. 9", "den 4/6": day/month only where a weekday, "den" or a time vouches
# for it ("24/7" and "1/2" are not dates).
_SLASHED = re.compile(
    rf"(?P<lead>(?<!\w)(?:{_WEEKDAY}|den|d\.)\s)?(?<![\w/])(?P<day>{_DAY})/"
    r"(?P<month>0?[1-9]|1[0-2])(?:/(?P<year>(?:20)?\d\d))?(?![\w/])(?P<time>,?\s(?:kl|klo))?",
)
_ISO = re.compile(r"(?<![\w-])(?P<year>20\d\d)-(?P<month>0[1-9]|1[0-2])-(?P<day>[0-3]\d)(?![\w])")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    dates: tuple[date, ...]  # one, or each day of a range "18–19 november"
    explicit_year: bool


def find_dates(text: str, published: date | None, language: str | None = None) -> list[DateMention]:
    """Dates in text; "April 14" order is only looked for in English (or unknown) text."""
    mentions: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    scan = lower_same_length(text)  # the patterns are lower-case
    patterns = [_ISO, _NUMERIC, _TEXT_DATE]
    if "/" in scan:
        patterns.insert(2, _SLASHED)
    if language in (None, "en", "und"):
        patterns.append(_EN_DATE)
    for pattern in patterns:
        for match in pattern.finditer(scan):
            if pattern is _SLASHED and not (match.group("lead") or match.group("time")):
                continue
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            mention = _mention(match, published, text)
            if mention is not None:
                mentions.append(mention)
                taken.append((match.start(), match.end()))
    return sorted(mentions, key=lambda m: m.start)


def _mention(match: re.Match[str], published: date | None, text: str) -> DateMention | None:
    groups = match.groupdict()
    month = _month_number(groups["month"])
    year_text = groups.get("year")
    days = [int(groups["day"])]
    if groups.get("day2"):
        days = (
            list(range(days[0], int(groups["day2"]) + 1)) if int(groups["day2"]) > days[0] else days
        )
    if year_text:
        year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
        dates = [_safe_date(year, month, d) for d in days]
    else:
        dates = [resolve(month, d, published) for d in days]
    if month is None or not dates or any(d is None for d in dates):
        return None
    found = tuple(d for d in dates if d is not None)
    span = text[match.start() : match.end()]
    return DateMention(match.start(), match.end(), span, found, bool(year_text))


def _month_number(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    return MONTHS.get(raw.lower().rstrip("."))


def _safe_date(year: int, month: int | None, day: int) -> date | None:
    if month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve(month: int | None, day: int, published: date | None) -> date | None:
    """The year for a day and month: the nearest to the publication date, future preferred."""
    anchor = published or date.today()
    best: tuple[float, date] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        candidate = _safe_date(year, month, day)
        if candidate is None:
            continue
        delta = (candidate - anchor).days
        cost = delta if delta >= 0 else -delta * PAST_PENALTY
        if best is None or cost < best[0]:
            best = (cost, candidate)
    return best[1] if best else None


def parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
