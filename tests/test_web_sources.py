"""Sources in the web app: catalogue buyers are named, placed in their region and listed
once they have articles or are switched on (a real store and SQLite index)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from procradar.core.models import Article
from procradar.core.settings import Settings
from search_app import create_app
from tests.web_corpus import stored_and_indexed

CATALOGUE = "se-kommun-0114"  # Upplands Väsby kommun, off unless switched on


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    article = Article(
        url="https://www.upplandsvasby.se/nyheter/leverantorstraff",
        title="Leverantörsträff om skolskjutsar",
        text="Kommunen bjuder in taxibolag till en leverantörsträff om nästa upphandling.",
        source=CATALOGUE,
        language="sv",
        relevant=True,
    )
    settings = stored_and_indexed(tmp_path_factory.mktemp("web-sources"), [article])
    return create_app({"TESTING": True}, settings=settings).test_client()


def test_a_catalogue_source_is_named_and_placed(client: FlaskClient) -> None:
    results = client.get("/?q=leverantörsträff&all=1").get_data(as_text=True)
    assert "Upplands Väsby kommun" in results and f">{CATALOGUE}<" not in results
    page = client.get(f"/source/{CATALOGUE}?lang=en").get_data(as_text=True)
    assert "<h1>Upplands Väsby kommun</h1>" in page and "Region Stockholm" in page


def test_the_sources_list_holds_sources_in_use_not_the_whole_catalogue(
    client: FlaskClient,
) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/sources.csv").get_data(as_text=True))))
    by_id = {r["id"]: r for r in rows}
    assert by_id[CATALOGUE]["name"] == "Upplands Väsby kommun"
    assert "Stockholms län" in by_id[CATALOGUE]["region"]  # as `procradar sources list` says
    assert by_id[CATALOGUE]["articles"] == "1"
    assert "se-kommun-0115" not in by_id  # Vallentuna: off and without articles
    assert "upphandlingsmyndigheten" in by_id  # curated, on by default
    html = client.get("/sources").get_data(as_text=True)
    assert "Upplands Väsby kommun" in html and "Vallentuna" not in html


def test_source_labels_survive_a_broken_sources_file(tmp_path: Path) -> None:
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources: [", encoding="utf-8")
    settings = Settings({"data_dir": str(tmp_path / "d"), "sources_file": str(bad)})
    client = create_app({"TESTING": True}, settings=settings).test_client()
    assert client.get("/sources").status_code == 200


def test_region_facet_narrows_and_its_chip_removes_it(client: FlaskClient) -> None:
    html = client.get("/?all=1&lang=en").get_data(as_text=True)
    assert 'id="facet-region"' in html and "Stockholms län" in html
    assert "/search?region=Stockholms+l%C3%A4n&amp;all=1" in html
    narrowed = client.get("/search.json?all=1&region=Stockholms+län").get_json()
    assert [h["source"] for h in narrowed["hits"]] == [CATALOGUE]
    elsewhere = client.get("/search.json?all=1&region=Vestland").get_json()
    assert elsewhere["total"] == 0
    chip = client.get("/?all=1&region=Stockholms+län&lang=en").get_data(as_text=True)
    assert "Region: Stockholms län" in chip
    api = client.get("/api/v1/search?all=1&region=Stockholms+län").get_json()
    assert api["total"] == 1
