"""The query language parser: structure, filters and clear errors."""

from __future__ import annotations

import pytest

from procradar.core.query import QueryError, Term, parse, words


def test_words_phrases_exclusion_or_prefix() -> None:
    q = parse('klimatkrav "tidig dialog" -skola ferje OR färja innovation*')
    assert q.groups == [
        [Term(("klimatkrav",))],
        [Term(("tidig", "dialog"), quoted=True)],
        [Term(("ferje",)), Term(("färja",))],
        [Term(("innovation",), prefix=True)],
    ]
    assert q.excluded == [Term(("skola",))]


def test_filters() -> None:
    q = parse(
        'topic:Legal kind:news lang:sv country:no source:dfo org:"Region Skåne" '
        "after:2026-03 before:2027"
    )
    f = q.filters
    assert (f.topics, f.kinds, f.languages, f.countries) == (["legal"], ["news"], ["sv"], ["NO"])
    assert (f.sources, f.orgs) == (["dfo"], ["Region Skåne"])
    assert (f.after, f.before) == ("2026-03-01", "2027-01-01")
    assert q.is_match_all()


def test_hyphen_and_colon_words_become_phrases() -> None:
    q = parse("e-handel LOU:s")
    assert [t.tokens for g in q.groups for t in g] == [("e", "handel"), ("lou", "s")]


def test_case_and_nfc_normalisation() -> None:
    decomposed = "Fo\u0308rvaltning"  # ö as base letter + combining mark
    assert words(decomposed) == ["förvaltning"]
    assert words("UPPHANDLING_2026") == ["upphandling", "2026"]


def test_stop_words_are_flagged_not_dropped() -> None:
    q = parse("klimatkrav i upphandling", frozenset({"i"}))
    assert [t.stop for g in q.groups for t in g] == [False, True, False]
    assert not parse('"i"', frozenset({"i"})).groups[0][0].stop


def test_lowercase_or_is_a_word() -> None:
    assert len(parse("ferje or färja").groups) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"tidig dialog', "not closed"),
        ("OR ferje", "OR must stand between"),
        ("ferje OR", "OR must stand between"),
        ("ferje OR OR färja", "OR must stand between"),
        ("ferje OR -färja", "excluded"),
        ("topic:weather", "unknown topic 'weather'"),
        ("kind:", "needs a value"),
        ("after:2026-02-30", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("before:soon", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("-topic:legal", "cannot be excluded"),
        ("-skola", "only exclude"),
        ("a*", "at least 2 letters"),
        ("inno*vation", "can only end a word"),
        ("x" * 501, "too long"),
        (" ".join(f"w{i}" for i in range(40)), "too many"),
    ],
)
def test_errors_are_clear(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse(text)


def test_punctuation_only_is_ignored() -> None:
    assert parse("– … ( )").is_match_all()
