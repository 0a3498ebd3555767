"""Topic tagging: compounds, evidence, masking of organisation names, decision rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from enrichment import enrich
from enrichment.text import words
from enrichment.topic_decision import FEATURES, closing_remark, features, model
from enrichment.topics import _Tally, tag, tally, title_unit


def test_compounds_carry_their_topic() -> None:
    sv = tag(
        "Regionen satsar på innovationsupphandlingen av värmepumpar. "
        "Innovationsupphandling ger leverantörerna frihet att föreslå lösningar.",
        "sv",
    )
    assert "innovation" in sv.topics
    nb = tag(
        "Klimakravene skjerpes i år. Kommunen følger opp klimakravene i alle kontrakter.", "nb"
    )
    assert nb.topics == ["climate_environment"]
    dialogue = tag("Leverantörsfrukosten var välbesökt. Nästa leverantörsfrukost blir i maj.", "sv")
    assert "dialogue" in dialogue.topics


def test_every_topic_has_score_and_evidence() -> None:
    result = tag(
        "Kommunen stiller klimakrav i alle byggekontrakter. Klimakravene gjelder også transport.",
        "nb",
        title="Nye klimakrav",
    )
    info = result.scores["climate_environment"]
    assert info["score"] >= 3
    assert {"term", "sentence"} <= set(info["evidence"][0])
    assert any(e["sentence"] == "Nye klimakrav" for e in info["evidence"])


def test_a_passing_mention_is_not_a_topic() -> None:
    text = (
        "Kommunen har vedtatt en ny innkjøpsstrategi med vekt på kompetanse og ledelse. "
        "Strategien skal gjøre innkjøperne bedre rustet. Kompetanseplanen følges opp årlig. "
        "Én av mange kontrakter gjelder et sykehus."
    )
    result = tag(text, "nb")
    assert "strategy_competence" in result.topics
    assert "healthcare" not in result.topics


def test_organisation_names_are_not_topic_evidence() -> None:
    text = (
        "Sykehusbygg inviterer til leverandørdag om utstyr til nye sykehus. "
        "Sykehusbygg ønsker dialog med markedet før konkurransen."
    )
    article = enrich(text, title="Leverandørdag om sykehusutstyr", source_language="nb")
    evidence = [
        e["term"] for e in article.topic_scores.get("construction", {"evidence": []})["evidence"]
    ]
    assert "construction" not in article.topics, evidence
    assert "dialogue" in article.topics


def test_one_early_sentence_is_enough_for_an_aspect_not_for_a_sector() -> None:
    text = (
        "Kommunen har tildelt kontrakten for skoleskyss til et lokalt busselskap. "
        "Kontrakten har krav om fossilfritt drivstoff fra første dag. "
        "Avtalen gjelder i fem år. Elevene merker ingen endring i rutene."
    )
    result = tag(text, "nb", title="Ny avtale om skoleskyss")
    assert "climate_environment" in result.topics
    assert result.scores["climate_environment"]["evidence"][0]["term"] == "fossilfri"
    # A sector word in one sentence of the body is not enough.
    assert "healthcare" not in tag(text + " Ett av stoppene er ved sykehjemmet.", "nb").topics


def test_an_aspect_mentioned_only_in_closing_boilerplate_is_not_a_topic() -> None:
    body = " ".join(f"Avsnitt {n} handler om leveransene av skolemøbler." for n in range(8))
    text = body + " Se også veilederen om terskelverdier."
    assert "legal" not in tag(text, "nb").topics
    assert "legal" in tag("Se også veilederen om terskelverdier. " + body, "nb").topics


def test_the_last_item_of_a_list_is_not_a_closing_remark() -> None:
    last = _Tally(score=2.0, sentences={7}, in_label=True, terms={"arkivsystem"})
    assert not closing_remark(last, 8)
    assert closing_remark(_Tally(score=2.0, sentences={7}, terms={"arkivsystem"}), 8)


def test_general_news_carries_no_topics() -> None:
    text = (
        "Svømmehallen på Furuset åpner igjen mandag etter ett års oppgradering. Bassenget har "
        "fått nye fliser, og garderobene er bygget om. Sykehjemmet ved siden av får også nye "
        "parkeringsplasser. Åpningstidene er som før."
    )
    article = enrich(text, title="Svømmehallen åpner igjen", source_language="nb")
    assert not article.relevant
    assert article.topics == []
    assert article.topic_scores == {}


def test_the_decision_model_weighs_evidence_the_way_a_reader_would() -> None:
    decide = model()
    assert len(decide.weights) == len(FEATURES)

    def probability(topic_count: int = 1, **kw: object) -> float:
        tally = _Tally(**kw)  # type: ignore[arg-type]
        return decide.probability(features("construction", tally, tally.score, 12, topic_count))

    passing = probability(score=1.0, sentences={9}, terms={"bygg"}, max_weight=1.0)
    argued = probability(
        score=6.0, sentences={0, 2, 5}, terms={"bygg", "entreprenør", "anlegg"}, max_weight=2.0
    )
    headline = probability(
        score=6.0,
        sentences={-1, 0, 2, 5},
        in_title=True,
        terms={"bygg", "entreprenør", "anlegg"},
        max_weight=2.0,
    )
    assert passing < decide.threshold <= argued < headline
    # The same evidence in a text that touches six topics is more likely one of its asides.
    crowded = probability(
        topic_count=6,
        score=6.0,
        sentences={0, 2, 5},
        terms={"bygg", "entreprenør", "anlegg"},
        max_weight=2.0,
    )
    assert crowded < argued


def test_the_shipped_decision_model_is_what_the_dev_split_gives() -> None:
    """Changing a lexicon or the evaluation set without retraining fails here."""
    script = Path(__file__).resolve().parent.parent / "scripts" / "train_topic_decision.py"
    run = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr + run.stdout


def test_general_aspect_vocabulary_in_each_language() -> None:
    """Climate, award-criteria and SME texts in words the evaluation texts do not use."""
    climate = tag(
        "The council will cut its carbon footprint through green public procurement. "
        "Suppliers must report the climate impact of their products.",
        "en",
        title="Net zero by 2030",
    )
    assert "climate_environment" in climate.topics
    award = tag(
        "Kontrakten tildeles det økonomisk mest fordelagtige tilbud. Kvalitet vægter 60 procent, "
        "og underkriterierne offentliggøres i udbudsmaterialet.",
        "da",
        title="Sådan evalueres tilbuddene",
    )
    assert "award_criteria" in award.topics
    sme = tag(
        "Kommunen vil gjøre det enklere for små aktører og lokale entreprenører å levere tilbud. "
        "Mindre entreprenører kan også gå sammen om et felles tilbud.",
        "nb",
        title="Flere kan konkurrere",
    )
    assert "sme" in sme.topics


def test_short_infixes_do_not_fire_inside_unrelated_words() -> None:
    """'mat' is inside Swedish 'klimat', 'havn' inside 'København': no evidence at all."""
    sv = tally([title_unit("Klimatmål och en klimatkalkyl i alla byggupphandlingar")], "sv")
    assert "climate_environment" in sv and "food" not in sv
    da = tally([title_unit("Københavns Kommune køber skoleborde til skoler i København")], "da")
    assert "construction" not in da


def _evidence_terms(text: str, language: str) -> dict[str, set[str]]:
    """Every topic with lexicon evidence in the enriched text's own sentences, and its terms
    (read through the spaCy units, as the pipeline does, before the decision model)."""
    from enrichment import nlp
    from enrichment.dates import parse_iso

    units = nlp.units(nlp.process(text, language, parse_iso("2026-12-02")))
    return {topic: found.terms for topic, found in tally(units, language).items()}


def test_hyphenated_words_match_as_whole_words() -> None:
    # spaCy's English tokenizer splits at hyphens; the lexicons hold "pre-commercial" whole
    found = _evidence_terms("The ports will launch a joint pre-commercial procurement.", "en")
    assert "pre-commercial" in found.get("innovation", set())
    # a hyphen with spaces around it is a dash, not part of a word
    assert "pre-commercial" not in str(_evidence_terms("It is pre - commercial.", "en"))


def test_a_suspended_hyphen_does_not_hide_a_phrase() -> None:
    found = _evidence_terms("Kommunen krever lønns- og arbeidsvilkår på nivå med tariff.", "nb")
    assert "*lønns- og arbeidsvilkår" in found.get("social_ethical", set())


def test_a_gap_in_a_phrase_takes_a_few_words_but_not_a_clause() -> None:
    near = _evidence_terms("Kommunen vill att små och nya företag ska kunna lämna anbud.", "sv")
    assert "små ~ företag" in near.get("sme", set())
    far = _evidence_terms("Små ändringar i avtalet, som gällde tre stora företag, gjordes.", "sv")
    assert "små ~ företag" not in far.get("sme", set())


def _terms(text: str, language: str) -> dict[str, set[str]]:
    """The lexicon terms found for each topic, before any decision."""
    units = [(n, s, [(w,) for w in words(s)]) for n, s in enumerate(text.split(". "))]
    return {topic: found.terms for topic, found in tally(units, language).items()}


def test_a_compound_head_carries_its_topic_in_any_inflection() -> None:
    for text, language in (
        ("Kommunen leasar 150 personbilar", "sv"),
        ("Helse Nord får nye ambulansebilene", "nb"),
        ("Kommunen køber renovationsbilerne", "da"),
    ):
        assert "-bil" in _terms(text, language).get("transport", set()), text
    # "mobil": too few letters before the head for a compound; "stabil": excluded by the
    # lexicon (an adjective, not a car).
    for text in ("Appen fungerar i mobilen", "Priserna är stabila"):
        assert "transport" not in _terms(text, "sv"), text


def test_price_and_quality_in_one_sentence_is_award_criteria_evidence() -> None:
    nb = _terms("Pris teller 40 prosent, og kvalitet 60 prosent", "nb")
    assert "pris & kvalitet" in nb["award_criteria"]
    da = _terms("Regionen lægger mere vægt på responstider end på prisen", "da")
    assert "pris & vægt" in da["award_criteria"]
    # In different sentences they are not weighed against each other.
    apart = _terms("Prisen er ny. Kvaliteten på veiene er dårlig", "nb")
    assert "pris & kvalitet" not in apart.get("award_criteria", set())


def test_an_el_noun_is_found_in_its_shortened_inflected_forms() -> None:
    assert "healthcare" in _terms("Regionen upphandlar läkemedlen på nytt", "sv")
    assert "transport" in _terms("Ambulancekørslen skal i udbud", "da")
    # Only before an ending: "handl" (e-handel) is no part of "handling" or "behandler".
    assert "digitalisation" not in _terms("Saken behandles i en egen handling", "nb")
