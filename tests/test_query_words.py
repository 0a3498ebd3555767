"""How typed words become query terms: an English possessive is the word itself; a word
that matches nothing is tried in the spellings it was likely meant as."""

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


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("upphandlng", "upphandling"),
        ("procuremnt", "procurement"),
        ("sustainabilty", "sustainability"),
        ("anskaffels", "anskaffelse"),
        ("leverantr", "leverantör"),
    ],
)
def test_a_left_out_vowel_is_among_the_spellings_tried(typed: str, meant: str) -> None:
    from procradar.core.index.spelling import MAX_VARIANTS, variant_groups

    groups = variant_groups(typed)
    assert any(meant in group for group in groups)
    assert all(len(group) <= MAX_VARIANTS for group in groups)


def test_an_acronym_in_capitals_is_no_stop_word() -> None:
    from procradar.core.index.analysis import stopwords

    stop = stopwords()
    assert [t.stop for t in parse("IT konsulter", stop).terms] == [False, False]
    assert [t.stop for t in parse("it konsulter", stop).terms] == [True, False]
    assert [t.stop for t in parse("I", stop).terms] == [True]
