"""Articles carry their buyer and their source's relevance prior: the enrichment stage looks
each source up (procradar.stages.source_hints) and passes plain values to `enrich`; and
`procradar run` takes the same planned sources as `procradar crawl`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from enrichment import enrich
from procradar.core.index import open_index
from procradar.core.models import Article
from procradar.core.settings import Settings
from procradar.core.store import Store
from procradar.stages.crawlrun import crawl_enrich_index
from procradar.stages.source_hints import SourceHint, gazetteer_buyers, source_hints
from rigs.sitefarm import site_farm
from tests.conftest import CliRun

HASSLEHOLM = "se-kommun-1293"  # gazetteer id of Hässleholms kommun
TENDER = (
    "<html><body><article><h1>Upphandling av ramavtal för skolskjuts</h1><p>Kommunen "
    "annonserar en upphandling av skolskjuts. Anbud lämnas elektroniskt senast den 1 mars; "
    "leverantörer kan ställa frågor i upphandlingssystemet.</p></article></body></html>"
)
LIBRARY = (
    "<html><body><article><h1>Biblioteket får längre öppettider</h1><p>Från måndag har "
    "biblioteket öppet till klockan 20 varje vardag, och barnavdelningen har fått fler "
    "sittplatser.</p></article></body></html>"
)


def _named(article: Article, name: str) -> list[Any]:
    return [o for o in article.organizations if o.name == name]


def test_hints_name_each_sources_buyer_and_prior(tmp_path: Path) -> None:
    hints = source_hints(Settings({"data_dir": str(tmp_path)}, environ={}))
    catalogue = hints[HASSLEHOLM]  # a catalogue source: its own gazetteer entry
    assert catalogue.relevance_prior == "general"
    assert catalogue.buyer is not None and catalogue.buyer.name == "Hässleholms kommun"
    assert (catalogue.buyer.role, catalogue.buyer.country) == ("buyer", "SE")
    # A curated source the catalogue hands its buyer to; Oslo is county and municipality
    # at once, and the curated source is the municipality.
    oslo = hints["oslo-kommune"].buyer
    assert oslo is not None and (oslo.name, oslo.type) == ("Oslo kommune", "municipality")
    malmo = hints["malmo-stad"]
    assert malmo.buyer is not None and malmo.buyer.name == "Malmö stad"
    # A procurement authority's news is about other buyers: trusted, no buyer of its own.
    assert hints["upphandlingsmyndigheten"] == SourceHint("trusted", None)
    # Sources the registry does not hold (the demo's sites) are looked up from themselves.
    extra = {"id": "my-site", "url": "https://x.se/", "category": "region"}
    assert source_hints(Settings({"data_dir": str(tmp_path)}, environ={}), [extra])[
        "my-site"
    ] == SourceHint("general", None)


def test_enrich_adds_the_buyer_once_and_as_authority_on_general_news() -> None:
    buyer = gazetteer_buyers()[HASSLEHOLM]
    tender = enrich(TENDER, url="https://h.se/1", relevance_prior="general", buyer=buyer)
    assert tender.relevant and "prior:general" in tender.relevance_evidence
    assert [o.role for o in _named(tender, "Hässleholms kommun")] == ["buyer"]
    # The text names the buyer itself: not a second time.
    named = TENDER.replace("Kommunen annonserar", "Hässleholms kommun annonserar")
    again = enrich(named, url="https://h.se/2", relevance_prior="general", buyer=buyer)
    assert len(_named(again, "Hässleholms kommun")) == 1
    # Naming the buyer adds no evidence: general news stays general news.
    library = enrich(LIBRARY, url="https://h.se/3", relevance_prior="general", buyer=buyer)
    assert not library.relevant
    assert [o.role for o in _named(library, "Hässleholms kommun")] == ["authority"]
    assert _named(enrich(TENDER, url="https://h.se/4"), "Hässleholms kommun") == []


def test_crawled_articles_carry_their_sources_buyer_and_prior(tmp_path: Path) -> None:
    settings = Settings(
        {
            "data_dir": str(tmp_path),
            "crawl.download_delay": 0,
            "crawl.autothrottle": False,
            "crawl.retry_times": 0,
        },
        environ={},
    )
    store, index = Store.open(settings), open_index(settings)
    with site_farm(2, pages=5) as farm:
        municipal, agency = farm.sources()
        municipal["organization"] = HASSLEHOLM
        agency["category"] = "agency"
        crawl_enrich_index(settings, store, index, sources=[municipal, agency], workers=1)
    articles = list(store.iter_articles())
    mine = [a for a in articles if a.source == municipal["id"]]
    theirs = [a for a in articles if a.source == agency["id"]]
    assert len(mine) == 5 and len(theirs) == 5
    for article in mine:
        roles = [o.role for o in _named(article, "Hässleholms kommun")]
        assert roles == ["buyer" if article.relevant else "authority"], article.title
        assert "prior:general" in article.relevance_evidence
    assert {a.relevant for a in mine} == {True, False}  # tenders and library news alike
    for article in theirs:
        assert not _named(article, "Hässleholms kommun")
        assert "prior:trusted" in article.relevance_evidence
    store.close()


def test_run_takes_the_planned_sources_like_crawl(cli: CliRun, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with site_farm(3, pages=1) as farm:
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump({"sources": farm.sources()}), "utf-8")
        config = tmp_path / "config.yaml"
        config.write_text(
            yaml.safe_dump(
                {
                    "sources_file": str(sources),
                    "crawl.max_sources_per_run": 2,
                    "crawl.download_delay": 0,
                    "enrich.workers": 1,
                }
            ),
            "utf-8",
        )
        proc = cli("--config", str(config), "run", "--no-serve")
        hosts = farm.hits_by_host()
    # The run budget, as `procradar crawl` keeps it (the rotation itself: test_catalogue_crawl).
    store = Store.open(Settings({"data_dir": str(data_dir)}, environ={}))
    crawled = {r["source"] for r in store.runs()}
    assert len(crawled) == 2 and len(hosts) == 2, proc.stderr
    assert "1 due source(s) left for a later run" in proc.stderr
    assert store.article_count() == 2  # enriched and stored as in a crawl
    store.close()
