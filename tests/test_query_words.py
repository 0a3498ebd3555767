"""How typed words become query terms: an English possessive is the word itself."""

from __future__ import annotations

import pytest

from procradar.core.query import parse


def _groups(query: str) -> list[list[str]]:
    return [[str(t) for t in group] for group in parse(query).groups]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Norway's ferries", [["norway"], ["ferries"]]),
        ("Sweden’s rules", [["sweden"], ["rules"]]),
        ("suppliers' day", [["suppliers"], ["day"]]),
        ("LOU:s regler", [['"lou s"'], ["regler"]]),  # a Swedish genitive stays as written
        ("rock'n'roll", [['"rock n roll"']]),
        ('"Norway\'s"', [['"norway s"']]),  # quoted: exactly as written
    ],
)
def test_possessive(query: str, expected: list[list[str]]) -> None:
    assert _groups(query) == expected
