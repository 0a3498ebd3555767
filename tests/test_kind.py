"""Kind: cues, event dates before and after publication, lists with amounts."""

from __future__ import annotations

from enrichment import enrich


def test_invitation_is_an_announcement() -> None:
    text = (
        "Göteborgs Stad bjuder in till leverantörsträff om nya ramavtal för städtjänster.\n\n"
        "När: tisdag 17 februari 2026 kl. 8.30–11.30\nPlats: Stadshuset\n\n"
        "Anmäl dig senast den 6 februari via https://goteborg.se/anmalan."
    )
    article = enrich(text, published="2026-01-20", source_language="sv")
    assert article.kind == "event_announcement"
    assert [e.date for e in article.events] == ["2026-02-17"]
    assert article.events[0].registration_url == "https://goteborg.se/anmalan"


def test_report_of_a_past_conference() -> None:
    text = (
        "Over 400 leverandører møtte opp da Sykehusinnkjøp holdt sin årlige "
        "leverandørkonferanse i Oslo tirsdag 3. mars. Deltakerne fikk høre om planene.\n\n"
        "Direktøren presenterte anbudsplanen, og flere fortalte om behovene i sykehusene."
    )
    article = enrich(text, published="2026-03-05", source_language="nb")
    assert article.kind == "event_report"
    assert [e.date for e in article.events] == ["2026-03-03"]


def test_plan_with_projects_and_values() -> None:
    text = (
        "Stavanger kommune planlegger å lyse ut tolv byggeprosjekter de neste to årene.\n\n"
        "– Ny barneskole, kostnadsramme 480 mill. kroner\n"
        "– Nytt sykehjem, estimert til 720 millioner kroner\n"
        "– Ny svømmehall, om lag 390 millioner kroner\n"
    )
    assert enrich(text, source_language="nb").kind == "procurement_plan"


def test_guide_and_plain_news() -> None:
    guide = (
        "Slik gjør du det: Start med behovet. Du bør beskrive hva løsningen skal løse, og "
        "dere må avklare personvern tidlig. Veilederen gir fem råd."
    )
    assert enrich(guide, source_language="nb").kind == "guidance"
    news = "KOFA har behandlet en klage på en anskaffelse av renholdstjenester i Bodø kommune."
    assert enrich(news, source_language="nb").kind == "news"


def test_one_guidance_word_in_news_is_not_a_guide() -> None:
    news = (
        "Anskaffelsesdirektoratet har fordelt tolv millioner kroner til innovative anskaffelser "
        "i kommunene. Pengene går til behovsavklaring, og direktoratet lover en ny veileder "
        "senere i år. Tildelingen skjedde etter en åpen søknadsrunde i februar."
    )
    assert enrich(news, published="2026-03-01", source_language="nb").kind == "news"
    guide = news + " Slik gjør du: Dere bør starte tidlig, og du kan søke igjen neste år."
    assert enrich(guide, published="2026-03-01", source_language="nb").kind == "guidance"
