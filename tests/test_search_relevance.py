"""Relevance gate: nDCG@10 of the judged queries on each backend — the dev split
(eval/queries/judged.yaml, which the equivalence lists were tuned on, and judged_dev_*.yaml,
more dev queries written as users type them) must stay at the gate;
the sealed test split (eval/queries/judged_test_*.yaml, never tuned on) must not fall below
its pinned baseline and must never answer a query with nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from procradar.core.index.base import Index
from rigs.relevance import K, evaluate_split, judged_queries, main, ndcg

pytest_plugins = ["tests.es_fixtures"]
# The dev gate: 0.85 held for the 170-document set; since 2026-12-01 the set has 430
# documents (130 of them general news) and the dev pools were widened to all of them, which
# measured 0.843 (cross-lingual 0.830), 0.861 / 0.847 on 2026-12-02. The gate is that less
# slack; raise it as ranking improves. Since 2026-12-02 the dev split also has the 51
# queries of judged_dev_2.yaml (short, long, misspelled, mixed-language, naming places;
# judged over the dev documents) and the 21 of judged_dev_3.yaml: the 120 dev queries
# measured 0.778 / 0.779 (SQLite / Elasticsearch) on the code before, 0.862 / 0.862
# (cross-lingual 0.849 / 0.851) after (docs/benchmarks.md). Then the 26 queries of
# judged_dev_4.yaml, written as a fresh holdout (0.603 / 0.621 before that round's tuning,
# 0.685 / 0.705 after), took the 146 dev queries to 0.833 / 0.832 (cross-lingual 0.825 /
# 0.821) while the 120 before them stayed at 0.865 / 0.860: the gates are those less slack,
# for the harder set, not for weaker ranking. The 35 queries of judged_dev_5.yaml (nn and en,
# a fresh holdout: 0.691 before that round's work, 0.810 after) took the 181 dev queries from
# 0.805 / 0.795 cross-lingual on the old code to 0.854 / 0.846 (SQLite; Elasticsearch 0.854 /
# 0.844); the gates stayed. The 37 queries of judged_dev_6.yaml (a fresh holdout: 0.686 / 0.691
# before that round's work) and the 21 of judged_dev_7.yaml (0.665 / 0.658, which that work
# did not move) took the 239 dev queries to 0.812 / 0.812 on the old code, 0.843 / 0.839
# after (0.840 / 0.837 once 3b27bca was reverted); the gates stayed. The 30 queries of
# judged_dev_8.yaml (a fresh set: 0.734 on the code before that round's dictionary work,
# 0.817 after; judged_dev_7 0.711 both) took the 269 dev queries to 0.828 / 0.838 (SQLite).
GATE = 0.82
GATE_CROSS = 0.81
# Measured on the sealed test split (docs/benchmarks.md): 0.720 / 0.721 on 2026-12-01,
# 0.777 / 0.779 on 2026-12-02, 0.843 / 0.841 at the end of that day's third round, 0.8497 /
# 0.8534 after its fourth, 0.856 / 0.857 after its fifth, 0.856 / 0.858 after its sixth's
# enrichment work and 0.861 / 0.860 after its title concepts (0f194da); the baseline is that
# less 0.01 of slack for floating-point ties.
# Raise it when ranking improves, never lower it to pass.
TEST_BASELINE = {"sqlite": 0.851, "elasticsearch": 0.85}


def test_ndcg_formula() -> None:
    judged = {"a": 3, "b": 1}
    assert ndcg(["a", "b"], judged) == pytest.approx(1.0)
    assert ndcg(["b", "a"], judged) < 1.0
    assert ndcg(["x", "y"], judged) == 0.0


def test_judged_set_covers_languages_and_cross_lingual() -> None:
    queries = judged_queries()
    assert len(queries) >= 90
    assert {"sv", "nb", "da", "en"} <= {q.lang for q in queries}
    assert sum(q.cross for q in queries) >= 10


def test_ndcg_gate(module_index_factory: Callable[[], Index], backend: str) -> None:
    report = evaluate_split(module_index_factory, "dev")
    print(f"{backend} dev: {report.summary()}")
    assert report.mean >= GATE, report.summary()
    assert report.mean_of(lambda q: q.cross) >= GATE_CROSS, report.summary()
    assert K == 10


def test_sealed_test_split_holds_its_baseline(
    module_index_factory: Callable[[], Index], backend: str
) -> None:
    queries = judged_queries("test")
    assert len(queries) >= 40
    report = evaluate_split(module_index_factory, "test")
    print(f"{backend} test: {report.summary()}")
    assert report.mean >= TEST_BASELINE[backend], report.summary()
    assert report.empty == [], f"queries with no hits: {report.empty}"


def test_one_query_file_scores_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    judged = tmp_path / "judged_dev_one.yaml"
    judged.write_text(
        "documents: [docs_2026h.jsonl]\ndocument_split: dev\nqueries:\n"
        "- {id: sv-x01, lang: sv, query: avrop av försäkringar, judgments: {sv-445: 3}}\n",
        encoding="utf-8",
    )
    assert main(["--queries", str(judged), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "sv-x01" in out
    assert "sqlite judged_dev_one: nDCG@10 1.000 over 1 queries" in out


def test_one_query_file_refuses_the_sealed_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    judged = tmp_path / "judged_other.yaml"
    judged.write_text(
        "documents: [docs_2026h.jsonl]\ndocument_split: test\nqueries: []\n", encoding="utf-8"
    )
    assert main(["--queries", str(judged)]) == 2
    assert "not a dev query file" in capsys.readouterr().err
