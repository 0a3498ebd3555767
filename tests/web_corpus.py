"""A web-test data dir: the contract corpus plus generated articles (dates, events, copies
and a hostile one), written to a real store and a real SQLite index."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from procradar.core.index import open_index
from procradar.core.models import Amount, Article, Event, Organization
from procradar.core.settings import Settings
from procradar.core.store import Store
from procradar.core.taxonomy import TOPICS
from tests.index_corpus import corpus

HOSTILE_URL = 'https://evil.test/<script>alert(1)</script>?a=1&b="2"'
HOSTILE_TITLE = '<script>alert("t")</script><img src=x onerror=alert(2)> =HYPERLINK("x")'
JS_LINK = "javascript:alert(document.domain)"
COPY_A = "https://first.test/news/sjukhus-innovation"
COPY_B = "https://second.test/nyheter/sjukhus-innovation"
GENERAL_URL = "https://gen.test/sv/snorojning-ekbacka"  # general news: the gate said no
AWARD_URL = "https://gen.test/sv/plogbolaget-vann"
ORGS = [("Region Nordmark", "SE"), ("Fjordvik kommune", "NO"), ("Vestby Kommune", "DK")]
PLACES = ["Umeå", "Bergen", "Odense", "Clarion Hotel & Congress"]
LANGS = ["sv", "nb", "da"]
KINDS = ["news", "event_announcement", "guidance", "procurement_plan"]


def generated(today: date) -> list[Article]:
    out = []
    for i in range(48):
        lang = LANGS[i % 3]
        org, country = ORGS[i % 3]
        kind = KINDS[i % 4]
        published = (date(2025, 1, 15) + timedelta(days=14 * i)).isoformat()
        events = []
        if kind == "event_announcement":
            when = today + timedelta(days=5 + i) if i % 8 else today - timedelta(days=20)
            events = [
                Event(
                    date=when.isoformat(),
                    place=PLACES[i % 4],
                    title=f"Leverantörsträff nummer {i}",
                    organizer=org,
                    registration_url="https://anmalan.test/event" if i % 3 else JS_LINK,
                )
            ]
        out.append(
            Article(
                url=f"https://gen.test/{lang}/artikel-{i}",
                title=f"Upphandling av tjänster nummer {i} i {PLACES[i % 4]}",
                published=published,
                language=lang,
                kind=kind,
                topics=[TOPICS[i % len(TOPICS)], TOPICS[(i * 5 + 1) % len(TOPICS)]],
                organizations=[Organization(name=org, type="municipality", country=country)],
                places=[PLACES[i % 4]],
                amounts=[Amount(value=1000000 + i, currency="SEK", text=f"{i} miljoner kronor")],
                events=events,
                summary=f"Sammanfattning om upphandling nummer {i} och leverantörer.",
                text=f"Upphandling nummer {i}. Leverantörer bjuds in till dialog.\nAndra stycket.",
                source=["upphandlingsmyndigheten", "gen-news", "fjordvik"][i % 3],
                topic_scores={
                    TOPICS[i % len(TOPICS)]: {"score": 2.0, "evidence": ["leverantörer"]}
                },
            )
        )
    return out


def specials() -> list[Article]:
    hostile = Article(
        url=HOSTILE_URL,
        title=HOSTILE_TITLE,
        published="2026-06-01",
        language="sv",
        kind="event_announcement",
        topics=["innovation"],
        organizations=[Organization(name="<b>Ond</b> & Co", type="company", country="SE")],
        places=["<i>Plats</i>"],
        events=[Event(date="2099-01-01", place="<script>p</script>", registration_url=JS_LINK)],
        summary="=cmd|' /C calc'!A0 <script>alert(3)</script>",
        text='Farlig text <script>alert(4)</script> <a href="javascript:alert(5)">klick</a> '
        "om innovation och Clarion Hotel & Congress.",
        source="evil",
    )
    copy_a = Article(
        url=COPY_A,
        title="Sjukhuset testar ny innovation i upphandlingen",
        published="2026-05-02",
        language="sv",
        kind="news",
        topics=["innovation", "healthcare"],
        summary="Samma nyhet i två källor.",
        text=(
            "Sjukhuset testar en ny modell för innovation i upphandling av medicinsk utrustning. "
            "Leverantörerna får först visa sina lösningar i en öppen dialog, och sedan väljer "
            "sjukhuset tre av dem som får pröva utrustningen på två avdelningar under ett halvår. "
            "Personalen betygsätter varje lösning efter hur lätt den är att använda och hur "
            "mycket tid den sparar. Först därefter skrivs ett längre avtal med den som fått "
            "bäst omdöme. Modellen ska utvärderas av regionen nästa år."
        ),
        source="first",
        fingerprint="same-story",
    )
    copy_b = Article(**{**copy_a.__dict__, "url": COPY_B, "source": "second"})
    general = Article(
        url=GENERAL_URL,
        title="Snöröjningen i Ekbacka börjar när snön når tio centimeter",
        published="2026-01-12",
        language="sv",
        kind="news",
        topics=["construction"],
        organizations=[
            Organization(name="Ekbacka kommun", type="municipality", country="SE", role="buyer"),
            Organization(name="Plogbolaget AB", type="company", country="SE", role="supplier"),
        ],
        summary="Kommunen plogar gator och cykelvägar efter snöfall.",
        text="Snöröjningen i Ekbacka börjar när snön når tio centimeter. Plogbolaget AB kör "
        "först huvudgator och cykelvägar, sedan bostadsgator.",
        source="gen-news",
        relevant=False,
        relevance=0.08,
        relevance_evidence=[],
    )
    award = Article(
        url=AWARD_URL,
        title="Plogbolaget AB vann upphandlingen av vinterväghållning",
        published="2026-02-03",
        language="sv",
        kind="news",
        topics=["construction"],
        organizations=[
            Organization(name="Ekbacka kommun", type="municipality", country="SE", role="buyer"),
            Organization(name="Plogbolaget AB", type="company", country="SE", role="supplier"),
        ],
        summary="Avtalet om snöröjning gäller i fyra år.",
        text="Ekbacka kommun har tilldelat Plogbolaget AB avtalet om vinterväghållning efter "
        "en öppen upphandling med fem anbud.",
        source="gen-news",
        relevant=True,
        relevance=0.91,
        relevance_evidence=["upphandlingen", "tilldelat", "anbud"],
    )
    undated = Article(
        url="https://www.kvarnby.kommun.example/nyheter/leverantorstraff-utan-datum/",
        title="Leverantörsträff om städtjänster i Kvarnby",
        published=None,
        language="sv",
        kind="news",
        topics=["dialogue"],
        organizations=[Organization(name="Kvarnby kommun", type="municipality", country="SE")],
        summary="Kommunen bjuder in städföretag till ett samtal om kommande avtal.",
        text="Kvarnby kommun bjuder in städföretag till en leverantörsträff om städtjänster. "
        "Sidan visar inget publiceringsdatum.",
        source="kvarnby",
    )
    return [hostile, copy_a, copy_b, general, award, undated]


def stored_and_indexed(data_dir: Path, articles: Iterable[Article]) -> Settings:
    """A data dir whose store holds `articles` and whose SQLite index was built from it."""
    settings = Settings({"data_dir": str(data_dir)})
    store = Store.open(settings)
    for art in articles:
        store.upsert_article(art)
    index = open_index(settings)
    index.rebuild(store.iter_articles(stories_only=True))
    index.close()
    store.close()
    return settings


def build(data_dir: Path, today: date | None = None) -> Settings:
    articles = list(corpus().values()) + generated(today or date.today()) + specials()
    settings = stored_and_indexed(data_dir, articles)
    store = Store.open(settings)
    store.record_run(
        "upphandlingsmyndigheten",
        {
            "pages": 12,
            "requests": 15,
            "new_articles": 4,
            "errors": [{"url": "https://x.test/a", "error": "timeout"}],
        },
    )
    store.close()
    return settings
