"""`procradar reindex` re-enriches stored pages whose enrichment version is outdated."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import update

from enrichment import ENRICHMENT_VERSION
from procradar.core.schema import articles
from procradar.core.store import Store
from tests.conftest import CliRun

DOC = {
    "url": "https://example.no/marked",
    "html": "<html><body><article><h1>Markedsdialog om ferger</h1><p>Vestland "
    "fylkeskommune inviterer leverandører til markedsdialog om utslippsfrie ferger og "
    "klimakrav i neste anbudskonkurranse.</p></article></body></html>",
}


def test_reindex_reenriches_outdated_articles(cli: CliRun, tmp_path: Path) -> None:
    cli("ingest", "-", stdin=json.dumps(DOC))
    store = Store(f"sqlite:///{tmp_path / 'data' / 'procradar.db'}")
    with store.engine.begin() as conn:
        conn.execute(
            update(articles).values(
                enrichment_version="0.0.1",
                language="xx",
                data=json.dumps(
                    {"url": DOC["url"], "title": "old", "language": "xx", "topics": []}
                ),
            )
        )
    proc = cli("reindex")
    assert "re-enriched 1 articles" in proc.stderr
    article = store.get_article(DOC["url"])
    assert article is not None
    assert article.enrichment_version == ENRICHMENT_VERSION
    assert article.language == "nb" and "climate_environment" in article.topics
    hits = json.loads(cli("search", "markedsdialog", "--lang", "nb", "--json").stdout)
    assert [h["url"] for h in hits["hits"]] == [DOC["url"]]
    again = cli("reindex")
    assert "re-enriched" not in again.stderr
