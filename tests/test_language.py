"""Language identification: Nordic disambiguation, short texts, foreign passages."""

from __future__ import annotations

import pytest

from enrichment.language import detect

CASES = [
    (
        "sv",
        "Kommunen har beslutat att dela upp upphandlingen så att fler små företag kan "
        "lämna anbud. Det är också viktigt att kraven är tydliga.",
    ),
    (
        "nb",
        "Kommunen har bestemt seg for å dele opp anskaffelsen slik at flere små bedrifter "
        "kan gi tilbud. Det er også viktig at kravene er tydelige.",
    ),
    (
        "nn",
        "Kommunen har bestemt seg for å dele opp anskaffinga slik at fleire små verksemder "
        "kan gi tilbod. Det er òg viktig at krava ikkje er uklare.",
    ),
    (
        "da",
        "Kommunen har besluttet at dele udbuddet op, så flere små virksomheder kan byde. "
        "Det er også vigtigt, at kravene er tydelige.",
    ),
    (
        "en",
        "The municipality has decided to split the procurement into lots so that more "
        "small businesses can bid.",
    ),
    (
        "fi",
        "Kunta on päättänyt jakaa hankinnan osiin, jotta useammat pienet yritykset "
        "voivat tehdä tarjouksen.",
    ),
]


@pytest.mark.parametrize(("expected", "text"), CASES)
def test_six_languages(expected: str, text: str) -> None:
    assert detect(text).language == expected


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("nb", "Påmelding innen fredag."),
        ("da", "Tilmelding senest fredag."),
        ("sv", "Anmäl dig senast på fredag."),
        ("nn", "Kva skjer med innkjøpa no?"),
    ],
)
def test_short_texts(expected: str, text: str) -> None:
    assert detect(text).language == expected


def test_declared_language_breaks_ties() -> None:
    # "Innkjøp" alone is Norwegian either way; the source says nynorsk.
    assert detect("Innkjøp", source_language="nn").language in ("nb", "nn")
    assert detect("Hej!", source_language="sv").language == "sv"


def test_norwegian_quote_in_swedish_report_is_marked() -> None:
    text = (
        "Upphandlingsmyndigheten samlade över 200 deltagare på konferensen i Malmö. "
        "Flera talare lyfte fram vikten av tidig dialog med leverantörerna.\n\n"
        "– Vi brukte nesten et år på dialog med leverandørene før vi skrev konkurransegrunnlaget. "
        "Det var den beste investeringen vi gjorde, sa innkjøpssjefen fra Bergen kommune.\n\n"
        "Under eftermiddagen diskuterades också hur kraven kan följas upp under avtalstiden."
    )
    result = detect(text)
    assert result.language == "sv"
    assert len(result.passages) == 1
    passage = result.passages[0]
    assert passage["language"] == "nb"
    assert text[passage["start"] : passage["end"]].startswith("Vi brukte nesten")


def test_no_passages_in_a_plain_text() -> None:
    assert detect(CASES[0][1] + " " + CASES[0][1]).passages == []
