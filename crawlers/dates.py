"""Publication dates shown as text ("Publicerad 27 maj 2025", "Publisert 12.03.2026"),
in Swedish, Norwegian, Danish and English formats."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1, "januari": 1, "januar": 1, "january": 1,
    "feb": 2, "februari": 2, "februar": 2, "february": 2,
    "mar": 3, "mars": 3, "marts": 3, "march": 3,
    "apr": 4, "april": 4,
    "maj": 5, "mai": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "aug": 8, "augusti": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "des": 12, "december": 12, "desember": 12,
}  # fmt: skip
_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE = re.compile(
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<d1>\d{{1,2}})\.(?P<m1>\d{{1,2}})\.(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\.?\s+(?P<m2>{_NAMES})\.?\s+(?P<y2>\d{{4}})",
    re.I,
)
LABEL = re.compile(
    r"(publicerad|publicerat|publisert|publisera|publiceret|published|posted|udgivet|"
    r"dato|datum)\s*:?\s*(den\s+)?$",
    re.I,
)


def parse(match: re.Match[str]) -> str | None:
    try:
        if match.group("iso"):
            return date.fromisoformat(match.group("iso")).isoformat()
        if match.group("d1"):
            parts = (match.group("y1"), match.group("m1"), match.group("d1"))
            return date(*map(int, parts)).isoformat()
        month = MONTHS[match.group("m2").lower()]
        return date(int(match.group("y2")), month, int(match.group("d2"))).isoformat()
    except ValueError:
        return None


def labelled_date(text: str) -> str | None:
    """The first date that a "published"-type label introduces."""
    for match in DATE.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if LABEL.search(before):
            return parse(match)
    return None


def first_date(text: str) -> str | None:
    for match in DATE.finditer(text):
        found = parse(match)
        if found:
            return found
    return None
