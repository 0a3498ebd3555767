"""`procradar eval`: the scoring itself, the command, and the regression gate on the test split.

The gate works like trafilatura's: eval/baseline.json pins the headline figures of the test
split; a change that scores lower fails here. After a deliberate change (or when the
evaluation set grows), re-pin with `procradar eval --split test --pin` and commit the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from procradar.cli import main
from procradar.core.models import Amount, Article, Event, Organization
from procradar.stages import evaluation


def _doc(**labels: object) -> dict[str, object]:
    base: dict[str, object] = {
        "language": "sv",
        "kind": "news",
        "topics": [],
        "organizations": [],
        "places": [],
        "amounts": [],
        "event_dates": [],
        "foreign_passages": [],
    }
    base.update(labels)
    return {"id": "sv-900", "split": "test", "text": "Text.", "labels": base}


def test_counts_give_precision_recall_f1() -> None:
    counts = evaluation.Counts()
    counts.add({"a", "b", "c"}, {"a", "b", "d"})
    assert counts.figures() == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "support": 3}


def test_score_compares_every_field() -> None:
    result = evaluation.Evaluation(split="test")
    doc = _doc(
        topics=["legal", "sme"],
        organizations=["Stockholms stad"],
        amounts=[{"value": 850000, "currency": "SEK", "text": "850 000 kronor"}],
        event_dates=["2026-03-24"],
    )
    article = Article(
        url="u",
        language="nb",
        kind="news",
        topics=["legal"],
        text="Text.",
        # The gazetteer's canonical name for the label "Stockholms stad".
        organizations=[Organization(name="Stockholms kommun", type="municipality", country="SE")],
        amounts=[Amount(value=850000.0, currency="SEK", text="850 000 kr")],
        events=[Event(date="2026-03-25")],
    )
    result.score(doc, article)
    report = result.report()
    assert report["fields"]["language"]["accuracy"] == 0.0
    assert report["language_confusions"] == [
        {"gold": "sv", "predicted": "nb", "count": 1, "ids": ["sv-900"]}
    ]
    assert report["fields"]["topics"]["recall"] == 0.5
    assert report["fields"]["topics"]["precision"] == 1.0
    assert report["fields"]["organizations"]["f1"] == 1.0
    assert report["fields"]["amounts"]["f1"] == 1.0
    assert report["fields"]["event_dates"]["f1"] == 0.0
    assert report["fields"]["topics"]["per_label"]["sme"]["recall"] == 0.0


def test_unknown_split_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(evaluation.EvalError, match="unknown split"):
        evaluation.load_documents("train")
    with pytest.raises(evaluation.EvalError, match="no evaluation files"):
        evaluation.load_documents("test", directory=tmp_path)
    (tmp_path / "bad.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(evaluation.EvalError, match="bad.jsonl:1"):
        evaluation.load_documents("test", directory=tmp_path)


def test_eval_command_prints_fields_and_confusions() -> None:
    result = CliRunner().invoke(main, ["eval", "--split", "dev", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["split"] == "dev" and report["documents"] > 0
    assert set(evaluation.HEADLINE) <= set(report["fields"])
    assert "language_confusions" in report


def test_eval_scores_one_file_alone(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    doc = _doc(language="sv")
    doc["split"] = "dev"
    batch.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--split", "dev", "--file", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["documents"] == 1
    refused = CliRunner().invoke(main, ["eval", "--file", str(batch), "--pin"])
    assert refused.exit_code == 2 and "drop --file" in refused.output
    missing = CliRunner().invoke(main, ["eval", "--file", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 1 and "no such evaluation file" in missing.output


def test_test_split_does_not_regress_below_baseline() -> None:
    report = evaluation.evaluate(evaluation.load_documents("test"), "test").report()
    failed = evaluation.regressions(report, evaluation.load_baseline())
    assert not failed, "re-pin with `procradar eval --split test --pin` if intended: " + "; ".join(
        failed
    )


def test_roles_suppliers_and_relevance_are_scored() -> None:
    from procradar.core.models import Article, Organization
    from procradar.stages.evaluation import Evaluation

    doc = {
        "id": "sv-999",
        "labels": {
            "language": "sv",
            "kind": "news",
            "organizations": ["Nobina Sverige AB", "Skara"],
            "organization_roles": {"Nobina Sverige AB": "supplier", "Skara": "buyer"},
            "relevant": False,
        },
        "text": "",
    }
    article = Article(
        url="https://x.example/a",
        language="sv",
        organizations=[
            Organization("Nobina Sverige AB", "company", "SE", role="supplier"),
            Organization("Skara kommun", "municipality", "SE", role="authority"),
        ],
        relevant=True,
    )
    result = Evaluation(split="dev")
    result.score(doc, article)
    headline = result.report()["headline"]
    # The bare municipality name is the municipality; its role is wrong, the supplier right.
    assert headline["organizations"] == 1.0
    assert headline["suppliers"] == 1.0
    assert headline["organization_roles"] == 0.5
    assert headline["relevance_precision"] == 0.0
