"""Dates in running text, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from enrichment.dates import find_dates, resolve


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Välkommen den 31 januari kl. 9.", date(2026, 1, 10), ["2026-01-31"]),
        ("Seminaret er 1. november i Oslo.", date(2026, 9, 1), ["2026-11-01"]),
        ("Fagdagen holdes tysdag 14. april.", date(2026, 3, 1), ["2026-04-14"]),
        ("Det hände 27 februari, 2019.", date(2026, 3, 1), ["2019-02-27"]),
        ("Tid: 12.03.2026 kl. 10.00", date(2026, 2, 1), ["2026-03-12"]),
        ("Leverandørdag d. 4. juni kl. 9.00.", date(2026, 5, 5), ["2026-06-04"]),
        (
            "Konferensen hålls den 18–19 november 2026.",
            date(2026, 6, 2),
            ["2026-11-18", "2026-11-19"],
        ),
        ("Met in Bergen on 14 October 2025.", date(2025, 10, 20), ["2025-10-14"]),
        ("Tid: tisdag 12/5 kl. 9–12", date(2026, 4, 10), ["2026-05-12"]),
        # Published in November, "21. januar" means next January ...
        ("Industridagen er 21. januar.", date(2026, 11, 18), ["2027-01-21"]),
        # ... but a report two days after "3. mars" means the past one.
        ("Konferansen var tirsdag 3. mars.", date(2026, 3, 5), ["2026-03-03"]),
    ],
)
def test_dates_resolved(text: str, published: date, expected: list[str]) -> None:
    found = [d.isoformat() for m in find_dates(text, published) for d in m.dates]
    assert found == expected


def test_not_dates() -> None:
    assert find_dates("Öppet 24/7, ca 1/2 av budgeten, 1.200 kr.", date(2026, 1, 1)) == []


def test_resolve_rejects_impossible_days() -> None:
    assert resolve(2, 30, date(2026, 1, 1)) is None
