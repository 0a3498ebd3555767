"""The enrichment entry point and the `procradar enrich` command, end to end."""

from __future__ import annotations

import json

from click.testing import CliRunner

from enrichment import ENRICHMENT_VERSION, enrich
from procradar.cli import main
from procradar.core.models import CONTRACT_FIELDS

HTML = """<html><head><title>Nyheter</title><meta name="date" content="2026-02-03"></head>
<body><nav>Meny Hjem Om oss</nav><article><h1>Kommunen vil stille klimakrav i anskaffelser</h1>
<p>Oslo kommune skal stille strengere klimakrav i anskaffelsene sine. Det sier innkjøpssjefen
etter at bystyret vedtok en ny strategi for innkjøp. Kommunen kjøper inn for mange milliarder
kroner hvert år, og leverandørene må nå dokumentere utslipp fra transport.</p>
<p>Leverandørene blir invitert til markedsdialog før konkurransen blir kunngjort.</p>
</article></body></html>"""


def test_enrich_html_extracts_and_annotates() -> None:
    article = enrich(HTML, url="https://example.no/a")
    assert article.title == "Kommunen vil stille klimakrav i anskaffelser"
    assert article.published == "2026-02-03"
    assert article.language == "nb"
    assert "climate_environment" in article.topics
    assert article.topic_scores["climate_environment"]["evidence"]
    assert "Meny" not in article.text
    assert article.summary.startswith("Oslo kommune skal")
    assert article.enrichment_version == ENRICHMENT_VERSION


def test_plain_text_passes_through_and_published_wins() -> None:
    text = "Upphandlingsmyndigheten bjuder in till leverantörsfrukost om innovation."
    article = enrich(text, url="u", published="2026-01-05T10:00:00", title="Frukost")
    assert article.text == text
    assert article.published == "2026-01-05"
    assert article.language == "sv"
    assert article.title == "Frukost"


def test_a_name_the_title_shortens_is_the_texts_company() -> None:
    text = "Transbuss Sverige AB har vunnit upphandlingen av stadstrafiken i Uppsala."
    article = enrich(text, url="u", title="Transbuss vinner stadstrafiken")
    assert [o.name for o in article.organizations if o.role == "supplier"] == [
        "Transbuss Sverige AB"
    ]


def test_cli_json_has_contract_fields(tmp_path) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    result = CliRunner().invoke(main, ["enrich", str(page), "--url", "https://x.no/a", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert set(doc) >= set(CONTRACT_FIELDS)
    assert doc["url"] == "https://x.no/a"


def test_cli_reports_unreadable_files(tmp_path) -> None:
    result = CliRunner().invoke(main, ["enrich", str(tmp_path / "missing.html")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = CliRunner().invoke(main, ["enrich", str(empty)])
    assert result.exit_code == 2
    assert "empty" in result.output


def test_pipelines_are_built_once_and_annotate_the_doc() -> None:
    from enrichment import nlp

    assert nlp.pipeline("sv") is nlp.pipeline("sv")
    assert nlp.pipeline("nn").pipe_names == nlp.pipeline("nb").pipe_names
    doc = nlp.process(
        "Region Skånes upphandlingarna kostar 1,5 MSEK. Mötet hålls den 4 maj kl. 9.00 i Lund.",
        "sv",
    )
    assert [s.text[:6] for s in doc.sents] == ["Region", "Mötet "]
    assert [t.lemma_ for t in doc if t.text == "upphandlingarna"] == ["upphandling"]
    assert [(e.text, e.label_) for e in doc.ents if e.label_ == "ORG"] == [("Region Skånes", "ORG")]
    assert [s._.amount.value for s in doc.spans["amounts"]] == [1500000.0]
    assert [s.text for s in doc.spans["dates"]] == ["4 maj"]


def test_norwegian_lemmas_are_snowball_stems() -> None:
    from enrichment import nlp

    doc = nlp.process("Anskaffelsene til kommunene", "nb")
    assert [t.lemma_ for t in doc] == ["anskaff", "til", "kommun"]


def test_version_changes_with_the_data() -> None:
    from enrichment.resources import data_fingerprint

    assert ENRICHMENT_VERSION.endswith("+" + data_fingerprint())
