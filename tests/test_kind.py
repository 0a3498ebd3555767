"""Kind: phrase families and structure (event dates before and after publication, lists
with amounts, steps, questions), weighed by the model fitted on the dev split."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from enrichment import enrich
from enrichment.kind import KINDS, classify, feature_names, features


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


def test_a_date_ahead_alone_is_not_an_invitation() -> None:
    text = (
        "Fra mandag 14. september stenger Storgata for biltrafikk mellom klokka 22 og 05 mens "
        "vegdekket fornyes. Arbeidet varer i om lag tre uker. Bussene kjører omkjøring."
    )
    assert classify(text, "Storgata stenger om natta", future_events=1)[0] == "news"
    # The same date with a registration is an event.
    invitation = text + " Naboene inviteres til informasjonsmøte. Påmelding på nettsidene."
    assert classify(invitation, future_events=1)[0] == "event_announcement"


def test_numbered_steps_and_questions_and_answers_make_a_guide() -> None:
    prose = (
        "Kontrakten er signert, men arbeidet fortsetter. Lag en plan for oppfølgingen, avtal "
        "faste møter med leverandøren, kontroller at kravene blir oppfylt og dokumenter avvik."
    )
    steps = (
        "Kontrakten er signert, men arbeidet fortsetter.\n\n"
        "1. Lag en plan for oppfølgingen.\n\n2. Avtal faste møter med leverandøren.\n\n"
        "3. Kontroller at kravene blir oppfylt.\n\n4. Dokumenter avvik."
    )
    # The same advice as numbered steps reads more like a guide than as a sentence.
    assert (
        classify(steps, "Etter signeringen")[1]["guidance"]
        > (classify(prose, "Etter signeringen")[1]["guidance"])
    )
    faq = (
        "Hvem kan bruke avtalen? Alle kommunene i fylket. Må vi konkurranseutsette på nytt? "
        "Det avhenger av avtalen."
    )
    assert classify(faq, "Spørsmål og svar om rammeavtalen")[0] == "guidance"


def test_danish_nine_is_not_speaking_to_the_reader() -> None:
    text = (
        "Den nye rammeaftale om rengøring er på plads. 14 leverandører er tildelt aftalen, heraf "
        "ni små virksomheder. Aftalen gælder fra 1. marts."
    )
    assert classify(text, "Ny rammeaftale om rengøring")[0] == "news"


def test_a_plan_that_invites_to_an_information_meeting_stays_a_plan() -> None:
    text = (
        "Kommunen planerar att upphandla byggentreprenader för 900 miljoner kronor under 2027. "
        "Planerade projekt i urval:\n\n- En skola, cirka 300 miljoner kronor.\n"
        "- Två förskolor, cirka 120 miljoner kronor.\n- En sporthall, cirka 90 miljoner kronor.\n\n"
        "Välkomna till ett informationsmöte den 12 mars. Anmälan på webbplatsen."
    )
    title = "Byggprojekt som upphandlas de kommande två åren"
    assert classify(text, title, future_events=1, amounts=4)[0] == "procurement_plan"


def test_probabilities_cover_every_kind_and_features_match_their_names() -> None:
    kind, probabilities = classify("Kommunen har tildelt kontrakten.", "Ny avtale")
    assert set(probabilities) == set(KINDS)
    assert abs(sum(probabilities.values()) - 1.0) < 1e-9
    assert probabilities[kind] == max(probabilities.values())
    assert len(features("Tekst.", "Tittel", 1, 0, 2)) == len(feature_names())


def test_the_shipped_kind_model_is_what_the_dev_split_gives() -> None:
    """Changing the phrase families or the evaluation set without retraining fails here."""
    script = Path(__file__).resolve().parent.parent / "scripts" / "train_kind.py"
    run = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr + run.stdout


def test_a_long_page_is_read_by_its_lead() -> None:
    """Phrase counts beyond what the model learned from (and the cost) stay bounded: what
    comes after the lead does not change the features, the same words early on do."""
    paragraph = "Kommunen har tildelt kontrakten for renhold til en lokal leverandør. " * 10
    long_text = paragraph * 20
    invitation = " Velkommen til informasjonsmøte, påmelding her."
    assert features(long_text + invitation, "Ny avtale") == features(long_text, "Ny avtale")
    assert features(invitation + long_text, "Ny avtale") != features(long_text, "Ny avtale")
