"""Money amounts: formats, scale words, currencies by language, exact source text."""

from __future__ import annotations

import pytest

from enrichment.amounts import find_amounts


@pytest.mark.parametrize(
    ("language", "text", "value", "currency", "span"),
    [
        ("sv", "Avtalet är värt 7 miljarder kronor.", 7e9, "SEK", "7 miljarder kronor"),
        ("nb", "Rammen er ti milliarder kroner.", 1e10, "NOK", "ti milliarder kroner"),
        ("nb", "Avtalen har en ramme på 20 mrd. NOK over 15 år.", 2e10, "NOK", "20 mrd. NOK"),
        ("sv", "Värdet uppskattas till 1,5 MSEK.", 1.5e6, "SEK", "1,5 MSEK"),
        ("nb", "Kostnaden er kr 300 000 i året.", 3e5, "NOK", "kr 300 000"),
        ("da", "Prisen er 250.000 kr. om året.", 2.5e5, "DKK", "250.000 kr."),
        ("da", "Rammen er 1,1 mia. kroner.", 1.1e9, "DKK", "1,1 mia. kroner"),
        ("sv", "Budgeten är 45 mnkr.", 4.5e7, "SEK", "45 mnkr"),
        ("sv", "Det kostar 1 200 Mkr totalt.", 1.2e9, "SEK", "1 200 Mkr"),
        ("nb", "Kontrakten er på MNOK 120.", 1.2e8, "NOK", "MNOK 120"),
        (
            "sv",
            "Norge satsar 35 miljoner norska kronor.",
            3.5e7,
            "NOK",
            "35 miljoner norska kronor",
        ),
        ("en", "The budget is NOK 4.2bn this year.", 4.2e9, "NOK", "NOK 4.2bn"),
        ("en", "Contracts below SEK 700,000 may be awarded directly.", 7e5, "SEK", "SEK 700,000"),
        ("da", "Kontrakten er på 5.538.000 euro.", 5538000, "EUR", "5.538.000 euro"),
        ("sv", "Ny skola, cirka 260 miljoner, totalentreprenad.", 2.6e8, "SEK", "260 miljoner"),
        ("nn", "Ramma er 900 millionar kroner.", 9e8, "NOK", "900 millionar kroner"),
    ],
)
def test_amount_formats(language: str, text: str, value: float, currency: str, span: str) -> None:
    amounts = find_amounts(text, language)
    assert [(a.value, a.currency, a.text) for a in amounts] == [(value, currency, span)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nb", "Kommunen har 3 millioner innbyggere i regionen."),
        ("sv", "Under 2026 annonseras 12 upphandlingar och 40 procent av dem är små."),
        ("da", "Mødet er den 12.03.2026 kl. 9.00."),
    ],
)
def test_numbers_that_are_not_money(language: str, text: str) -> None:
    assert find_amounts(text, language) == []
