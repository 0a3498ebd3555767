"""The procurement-relevance gate: verdict, evidence, source prior, and the index filter."""

from __future__ import annotations

from collections.abc import Callable

from enrichment import enrich, relevance
from procradar.core.index.base import Index, SearchRequest
from procradar.core.models import Article

pytest_plugins = ["tests.es_fixtures"]

AWARD = (
    "Region Kronoberg har tilldelat kontraktet för sjukresor till Taxi Växjö AB. Upphandlingen "
    "lockade fem anbud och avtalet gäller i fyra år. Kvalitet vägde tyngre än pris."
)
SNOW = (
    "Brøytinga i sentrum startar klokka fire i natt. Tromsø kommune ber alle som parkerer langs "
    "gatene om å flytte bilen før kvelden. Skolane held ope som vanleg, og biblioteket har "
    "endra opningstider i jula."
)
# One passing mention of a contract: enough for a curated procurement source, not for a
# municipality's general news page.
BORDERLINE = (
    "Kommunen åpner den nye svømmehallen på lørdag. Kontrakten med byggeren ble avsluttet i "
    "vår, og badet har plass til 300 besøkende. Billetter kjøpes i døra."
)


def test_procurement_news_is_relevant_with_its_evidence() -> None:
    article = enrich(AWARD, published="2026-02-01", source_language="sv")
    assert article.relevant
    assert article.relevance is not None and article.relevance > 0.5
    assert "word:upphandlingen" in article.relevance_evidence
    assert any(e.startswith("supplier:Taxi Växjö AB") for e in article.relevance_evidence)
    roles = {o.name: o.role for o in article.organizations}
    assert roles["Region Kronoberg"] == "buyer"


def test_general_municipal_news_is_not_relevant() -> None:
    article = enrich(SNOW, published="2026-12-01", source_language="nn")
    assert not article.relevant
    assert article.relevance == 0.0
    # Outside a procurement the municipality acts as an authority, not as a buyer.
    assert [(o.name, o.role) for o in article.organizations] == [("Tromsø kommune", "authority")]


def test_the_source_prior_moves_the_threshold() -> None:
    trusted = enrich(BORDERLINE, source_language="nb", relevance_prior="trusted")
    general = enrich(BORDERLINE, source_language="nb", relevance_prior="general")
    assert trusted.relevant and not general.relevant
    assert trusted.relevance == general.relevance
    assert "prior:trusted" in trusted.relevance_evidence


def test_relevance_survives_the_json_round_trip() -> None:
    article = enrich(SNOW, source_language="nn")
    again = Article.from_dict(article.to_dict())
    assert (again.relevant, again.relevance, again.relevance_evidence) == (
        article.relevant,
        article.relevance,
        article.relevance_evidence,
    )
    # Stored before the gate existed: counts as relevant.
    assert Article.from_dict({"url": "https://x.example/a"}).relevant


def test_index_filters_relevant_only(index_factory: Callable[[], Index]) -> None:
    index = index_factory()
    base = "https://gate.example/"
    articles = [
        Article(url=base + "award", title="Nytt avtal", text="avtal om skolmat", language="sv"),
        Article(
            url=base + "snow",
            title="Snöröjning",
            text="avtal om snöröjning",
            language="sv",
            relevant=False,
            relevance=0.1,
        ),
        Article(url=base + "old", title="Äldre", text="avtal från förr", language="sv"),
    ]
    index.index(articles)

    def urls(**kwargs: object) -> set[str]:
        request = SearchRequest(query="avtal", limit=10, **kwargs)  # type: ignore[arg-type]
        return {h.url.removeprefix(base) for h in index.search(request).hits}

    assert urls() == {"award", "snow", "old"}
    assert urls(relevant_only=True) == {"award", "old"}
    # Re-indexing an article with a new verdict replaces the old one.
    articles[1].relevant = True
    index.index([articles[1]])
    assert urls(relevant_only=True) == {"award", "snow", "old"}


def test_source_prior_defaults_by_category_and_is_validated() -> None:
    import pytest

    from procradar.core.sources import SourcesError, relevance_prior, validate

    base = {"id": "x", "url": "https://x.example/"}
    assert relevance_prior(validate({**base, "category": "municipality"})) == "general"
    assert relevance_prior(validate({**base, "category": "agency"})) == "trusted"
    own = validate({**base, "category": "region", "relevance_prior": "trusted"})
    assert relevance_prior(own) == "trusted"
    with pytest.raises(SourcesError, match="relevance_prior"):
        validate({**base, "relevance_prior": "sometimes"})


# Short items (two or three sentences): one sentence naming a contract with its supplier, a
# bid or a requirement, or a tender being announced, is what they are made of.
SHORT_REQUIREMENTS = (
    "Bergen says the new school buildings will be heated without oil. The city now requires "
    "heat pumps in every construction contract it signs."
)
SHORT_BIDS = (
    "Fylket har delt opp reinhaldsavtalen i fire delar, slik at mindre firma i kvar region kan "
    "gje tilbod. Den nye ordninga gjeld frå hausten."
)
SHORT_TENDER_CALL = (
    "Innlandet fylkeskommune vil ha elektriske båtar på innsjøane. Før konkurransen blir lyst "
    "ut, inviterer fylket verft og reiarlag til eit dialogmøte i mai."
)
# General news with the same words used otherwise: a service offered, an appointment booked,
# a wage agreement, a drawing contest, a contractor at work, a city name holding "inköp".
GENERAL_SHORT = [
    "Kommunen vil gi tilbud om influensavaksine til alle over 65 år. Ring legekontoret for å "
    "avtale tid.",
    "Det nya kollektivavtalet kräver längre raster för personalen. Avtalet gäller från maj.",
    "Konkurransen om årets julekort lyses ut i dag. Alle skoleelever kan være med.",
    "The contractor starts resurfacing Mill Road on Monday. Expect delays until Friday.",
    "Linköpings bibliotek har nya öppettider i sommar. Läsecirkeln träffas som vanligt.",
    "Skolverket har fått i uppdrag av regeringen att se över kursplanen. Arbetet ska vara klart "
    "i december.",
]
# An agreement's term makes a contract sentence, but alone it is not enough.
CLUB_AGREEMENT = "Avtalet med fotbollsklubben gäller i tre år. Klubben sköter planen och kiosken."
# Short award notices, plan items and supplier meetings, each in another language.
SHORT_ITEMS = [
    (
        "Fjordbygg AS har fått kontrakten på ny brannstasjon i Florø. Arbeidet startar i mars.",
        "news",
    ),
    ("Kantinefirmaet Smag ApS har vundet opgaven med kantinedrift på rådhuset.", "news"),
    ("Kommunen ska köpa in nya skolbussar under 2027.", "procurement_plan"),
    ("Kommunen skal kjøpe inn 30 elbiler til hjemmetjenesten neste år.", "procurement_plan"),
    (
        "Glesbygdens Taxi AB kör färdtjänsten från juni. Avtalet gäller i tre år med option på ett "
        "år till.",
        "news",
    ),
    ("The county invites local firms to a meet the buyer morning on 4 March.", "news"),
]


def test_short_procurement_items_are_relevant() -> None:
    for text in (SHORT_REQUIREMENTS, SHORT_BIDS):
        verdict = relevance.assess(text, prior="general")
        assert verdict.relevant, (text, verdict)
        assert any(e.startswith("sentence:") for e in verdict.evidence), verdict
    article = enrich(SHORT_TENDER_CALL, source_language="nn")
    assert article.relevant, article.relevance_evidence
    assert "word:konkurransen blir lyst ut" in article.relevance_evidence


def test_short_award_plan_and_meeting_items_pass_a_municipal_threshold() -> None:
    for text, kind in SHORT_ITEMS:
        article = enrich(text, relevance_prior="general")
        verdict = relevance.assess(
            text, kind=kind, organizations=article.organizations, prior="general"
        )
        assert verdict.relevant, (text, verdict)


def test_general_short_news_with_procurement_like_words_stays_out() -> None:
    for text in GENERAL_SHORT:
        verdict = relevance.assess(text)  # default threshold, lower than a municipality's
        assert not verdict.relevant, (text, verdict)
        assert not any(e.startswith("sentence:") for e in verdict.evidence), verdict
    club = relevance.assess(CLUB_AGREEMENT)
    assert not club.relevant and "sentence:avtal+gäller i tre år" in club.evidence


def test_a_short_purchase_item_is_relevant_without_tender_words() -> None:
    """Brief news of a purchase often name no tender: a signed agreement, a number of things
    bought, an operation put out to tender or a supplier chosen is the evidence."""
    for text, language in (
        ("Region Västerbotten har skrivit avtal om tolv nya ambulanser till våren.", "sv"),
        ("Køge Kommune har købt 60 elcykler til medarbejderne i hjemmeplejen.", "da"),
        ("Fylkeskommunen har lyst ut ferjedrifta på to samband på Sunnmøre.", "nn"),
        ("Kommunen har valt ein ny leverandør av middag til sjukeheimane.", "nn"),
        # A wholesaler or an operator is the other party of a contract as a supplier is.
        ("Köken handlar in mer lokalt. Regionen har ändrat avtalet med grossisten.", "sv"),
    ):
        assert enrich(text, source_language=language).relevant, text
    assert not enrich(SNOW, source_language="nn").relevant
