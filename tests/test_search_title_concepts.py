"""An article whose title names a query's concept in another language (or by a synonym)
ranks above one that has the query's own word only in passing in its text, on both
backends: the literal word is rarer than its concept and scores as written, as a stem and
as a concept, so without the title mark the passing mention led ("kontorrekvisita" put a
Norwegian list of coming tenders above the English office-supplies agreement)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from procradar.core.index.base import Index, SearchRequest
from procradar.core.index.document import prepare
from procradar.core.models import Article

pytest_plugins = ["tests.es_fixtures"]
BASE = "https://titles.example/"

ABOUT = Article(
    url=BASE + "en-about",
    title="Central purchasing body signs office supplies agreement",
    language="en",
    text=(
        "The new framework agreement covers office supplies such as paper, pens and "
        "folders for all government agencies. Orders are placed through the web shop."
    ),
    source="t",
)
PASSING = Article(
    url=BASE + "nb-passing",
    title="Kommende konkurranser i Tromsø kommune",
    language="nb",
    text=(
        "Kommunen lyser ut vintervedlikehold av veier i fire soner i mars. Til høsten kommer "
        "en konkurranse om renhold av skoler og barnehager, og kommunen deltar i en felles "
        "avtale om kontorrekvisita med nabokommunene. Byggingen av ny svømmehall skal ut på "
        "anbud før sommeren, og et nytt fagsystem for hjemmetjenesten kunngjøres i april."
    ),
    source="t",
)
OTHERS = [
    Article(
        url=BASE + f"nb-{n}",
        title=title,
        language="nb",
        text=text,
        source="t",
    )
    for n, (title, text) in enumerate(
        [
            ("Ny skole i Bodø", "Kommunen bygger ny skole og lyser ut totalentreprise."),
            ("Renhold i Oslo", "Oslo kommune inngår ny avtale om renhold av sykehjem."),
            ("Ferjer med batteri", "Fylket vil ha elektriske ferjer fra 2028."),
            ("Skolemat i Bergen", "Bergen prøver ut skolemat på fem ungdomsskoler."),
        ]
    )
]


@pytest.fixture(scope="module")
def index(module_index_factory: Callable[[], Index]) -> Index:
    index = module_index_factory()
    index.index([ABOUT, PASSING, *OTHERS])
    return index


def test_a_title_about_the_concept_ranks_above_a_passing_literal_mention(index: Index) -> None:
    hits = index.search(SearchRequest(query="kontorrekvisita", limit=10)).hits
    assert [h.url.removeprefix(BASE) for h in hits] == ["en-about", "nb-passing"]


def test_only_a_title_concept_is_marked_once() -> None:
    concepts = prepare(ABOUT).concepts
    assert concepts.count("xtofficesupplies") == 1  # the title's mention, once
    assert concepts.count("xcofficesupplies") > 1  # every mention still counts
    marked = [t for t in prepare(PASSING).concepts if t.startswith("xt")]
    assert "xtofficesupplies" not in marked  # named in the text only
