"""The SQLite backend's paths for broad queries, on a real index with a small FULL_RANK.

A query matching more than FULL_RANK articles is read unscored and ranked on narrower
fields; passes run over rowid spans on several threads; prefixes are spelled out from the
FTS5 vocabulary. Each must give the same hits as the plain path, and rank sensibly.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from procradar.core.index import sqlite_match
from procradar.core.index.base import SearchRequest
from procradar.core.index.sqlite_fts import SqliteIndex
from procradar.core.models import Article

N = 240
FULL_RANK = 20


def _article(i: int) -> Article:
    """Every text mentions leverantörer and leveranser; every 8th title has `ramavtal`;
    every 3rd summary a leverantörsdag, 20 others leveranser."""
    title = f"Region {i} tecknar ramavtal för skolmat" if i % 8 == 0 else f"Kommun {i} bygger"
    summary = "Kort om upphandlingen."
    if i % 3 == 0:
        summary = "Inbjudan till leverantörsdag i maj."
    elif i % 12 == 1:
        summary = "Nya leveranser från juni."
    return Article(
        url=f"https://broad.test/{i}",
        title=title,
        published=(date(2024, 1, 1) + timedelta(days=i)).isoformat(),
        language="sv",
        kind="news",
        topics=["dialogue"] if i % 2 else ["sme"],
        summary=summary,
        text=f"Leverantörer bjuds in att lämna anbud. Ärende {i} gäller leveranser av mat.",
        source=f"src-{i % 5}",
    )


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("broad") / "index.sqlite"
    index = SqliteIndex(path)
    index.rebuild(_article(i) for i in range(N))
    index.close()
    yield path


@pytest.fixture(params=[1, 2, 3], ids=lambda w: f"workers{w}")
def index(
    request: pytest.FixtureRequest, index_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SqliteIndex]:
    monkeypatch.setattr(sqlite_match, "FULL_RANK", FULL_RANK)
    # `ramavtal` (30 matches) scores its tiers without counting; the 240-match words count
    monkeypatch.setattr(sqlite_match, "SCORE_TIER_FIRST", 4 * FULL_RANK)
    opened = SqliteIndex(index_path, workers=request.param)
    yield opened
    opened.close()


def urls(index: SqliteIndex, query: str, limit: int = 50, **kwargs: object) -> list[str]:
    request = SearchRequest(query=query, limit=limit, **kwargs)  # type: ignore[arg-type]
    return [hit.article["url"] for hit in index.search(request).hits]


def test_broad_total_and_facets_are_exact(index: SqliteIndex) -> None:
    result = index.search(SearchRequest(query="leverantörer", limit=5))
    assert result.total == N
    assert dict(result.facets["topic"]) == {"dialogue": N // 2, "sme": N // 2}
    assert sum(n for _, n in result.facets["source"]) == N


def test_broad_query_ranks_title_matches_first(index: SqliteIndex) -> None:
    # `ramavtal` is in 30 titles (> FULL_RANK) and in no text: title matches, newest first.
    hits = index.search(SearchRequest(query="ramavtal", limit=30)).hits
    expected = [f"https://broad.test/{i}" for i in range(N - 8, -1, -8)][:30]
    assert [h.article["url"] for h in hits] == expected
    assert {h.score for h in hits} == {-sqlite_match.TITLE_FIRST}  # not bm25-ranked


def test_broad_query_scores_the_narrower_tier(index: SqliteIndex) -> None:
    # `leveranser` is in all 240 texts but in only 20 summaries (<= FULL_RANK): those 20
    # are ranked by bm25 and come first, the rest follow unscored.
    result = index.search(SearchRequest(query="leveranser", limit=21))
    assert result.total == N
    top = {h.article["url"] for h in result.hits[:20]}
    assert top == {f"https://broad.test/{i}" for i in range(1, N, 12)}
    assert all(h.score > 0 for h in result.hits[:20]) and result.hits[20].score == 0


def test_filters_after_broad_matching(index: SqliteIndex) -> None:
    result = index.search(SearchRequest(query="leverantörer topic:sme source:src-0", limit=100))
    assert result.total == len([i for i in range(N) if i % 2 == 0 and i % 5 == 0])


def test_spelled_out_prefix_matches_like_fts5_prefix(
    index: SqliteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    spelled = index.search(SearchRequest(query="leverant*", limit=0)).total
    assert index._matcher(index.columns()).completions(["leverant"])["leverant"] == [
        "leverantörer",
        "leverantörsdag",
    ]
    monkeypatch.setattr(sqlite_match, "MAX_COMPLETIONS", 0)  # FTS5's own prefix query
    assert index.search(SearchRequest(query="leverant*", limit=0)).total == spelled == N
    assert urls(index, "-leverant* ramavtal") == []


def test_narrow_query_is_ranked_by_bm25(index: SqliteIndex) -> None:
    hits = index.search(SearchRequest(query="ärende 17", limit=5)).hits
    assert [h.article["url"] for h in hits] == ["https://broad.test/17"]
    assert hits[0].score > 0


def test_workers_setting(tmp_path: Path) -> None:
    from procradar.core.index import open_index
    from procradar.core.settings import Settings, SettingsError

    index = open_index(Settings({"data_dir": str(tmp_path), "search.sqlite.workers": 3}))
    assert isinstance(index, SqliteIndex) and index.workers == 3
    index.close()
    with pytest.raises(SettingsError, match="search.sqlite.workers"):
        open_index(Settings({"data_dir": str(tmp_path), "search.sqlite.workers": "many"}))


def test_spans_run_in_parallel_only_while_no_other_search_is_in_flight(
    index_path: Path,
) -> None:
    import threading

    from procradar.core.index import sqlite_fts

    index = SqliteIndex(index_path, workers=2)
    try:
        sqlite_fts._load_seen[:] = [time.monotonic() + 3600, 0.0]  # an idle machine
        alone = index._matcher(index.columns())
        assert alone.pool is not None and len(alone.spans) == 2
        held, release = threading.Event(), threading.Event()

        def other_search() -> None:
            with index._snapshot():
                held.set()
                release.wait(10)

        other = threading.Thread(target=other_search)
        other.start()
        assert held.wait(10)
        with index._snapshot() as (columns, generation):
            busy = index._matcher(columns, generation)
            assert busy.pool is None and len(busy.spans) == 1
            # Same answers either way.
            assert index.search(SearchRequest(query="ramavtal", limit=0)).total == N // 8
        release.set()
        other.join()
        assert index._reading == 0
        # A busy machine (load average at the core count): no split even when alone.
        sqlite_fts._load_seen[:] = [time.monotonic() + 3600, float(os.cpu_count() or 1)]
        assert index._matcher(index.columns()).pool is None
    finally:
        sqlite_fts._load_seen[:] = [0.0, 0.0]
        index.close()


@pytest.mark.parametrize(
    "query",
    [
        "leverantörer",
        "leverans",
        "skolmat",
        "mat -leverantörsdag",
        '"lämna anbud"',
        "leverant* ramavtal",
        "upphandling OR ramavtal",
        '"ramavtal"',
        "food",  # an English word: its cross-lingual concept
    ],
)
def test_plain_expression_matches_the_same_rows(index_path: Path, query: str) -> None:
    # The id and count passes run on the expression without redundant column filters;
    # it must find exactly the rows the filtered one does.
    from procradar.core.index.fts_query import match_expression
    from procradar.core.index.plan import make_plan

    index = SqliteIndex(index_path, workers=1)
    try:
        plan = make_plan(SearchRequest(query=query))
        filtered, plain = match_expression(plan), match_expression(plan, plain=True)
        assert filtered and plain and (plain != filtered or query.startswith('"lämna'))
        rows = "SELECT rowid FROM fts WHERE fts MATCH ?"
        found = {r[0] for r in index.db.execute(rows, (filtered,))}
        assert found == {r[0] for r in index.db.execute(rows, (plain,))}
        assert found or query == "food"
    finally:
        index.close()


SET_QUERIES = [
    "leverantörer",
    "skolmat leverantörsdag",
    "mat -leverantörsdag",
    '"lämna anbud" -ramavtal',
    "leverant* ramavtal",
    "upphandling OR ramavtal",
    "klimatkrav NOT transport",
    "food",
    "region skolmat juni",
]


@pytest.mark.parametrize("query", SET_QUERIES)
def test_phrase_bitmaps_find_what_fts5_finds(index_path: Path, query: str) -> None:
    """Ids and counts put together from kept phrase bitmaps equal FTS5's own, cold and
    warm, for the expressions a search writes (filtered, plain and per field tier)."""
    from procradar.core.index.fts_query import match_expression
    from procradar.core.index.plan import make_plan
    from procradar.core.index.sqlite_match import Matcher

    index = SqliteIndex(index_path, workers=1)
    try:
        plan = make_plan(SearchRequest(query=query))
        plain = match_expression(plan, plain=True)
        assert plain is not None
        exprs = [plain, match_expression(plan) or plain]
        exprs += [f"{tier}: ({plain})" for tier in sqlite_match.TIERS]
        with index._snapshot() as (columns, generation):
            fts5 = Matcher(lambda: index.db, None, 1, columns.size, generation)
            kept = index._matcher(columns, generation)
            assert kept.sets is not None
            for expr in exprs:
                assert sqlite_match.sets.parse(expr) is not None, expr
                expected = fts5.ids(expr)
                for _ in range(2):  # the first reads the phrases, the second the bitmaps
                    assert kept.ids(expr).tolist() == expected.tolist(), expr
                    for most in (0, 5, len(expected) - 1, len(expected), 10_000):
                        # as callers ask: more than `most`? (counting to most + 1)
                        over = kept.at_most(expr, most + 1) > most
                        assert (
                            over == (len(expected) > most) == (fts5.at_most(expr, most + 1) > most)
                        )
                assert kept.at_most(expr, 10_000) == len(expected)
    finally:
        index.close()


def test_phrase_expressions_outside_the_written_forms_are_left_to_fts5() -> None:
    parse = sqlite_match.sets.parse
    assert parse('"a" OR "b" AND "c"') is None  # precedence: FTS5's business
    assert parse("bare OR words") is None
    assert parse('("a" OR "b"') is None
    node = parse('{title summary}: ("a" OR {text}: "b c") NOT "d"*')
    assert node is not None and node.op == "NOT"
    assert sqlite_match.sets.leaves(node) == [
        '{title summary}: ("a")',
        '{title summary}: ({text}: ("b c"))',
        '"d"*',
    ]


def test_phrase_bitmaps_stay_within_their_budget_and_generation() -> None:
    import numpy as np

    from procradar.core.index.sqlite_sets import PhraseSets

    kept = PhraseSets(kept_bytes=3 * 125)  # three phrases over 1,000 articles
    fetched: list[str] = []

    def fetch(text: str) -> np.ndarray:
        fetched.append(text)
        return np.arange(0, 1000, len(text), dtype=np.int64)

    for text in ["a", "bb", "ccc", "dddd"]:
        kept.get((1, 1000), [text], fetch)
    assert list(kept.cached((1, 1000), ["a", "bb", "ccc", "dddd"])) == ["bb", "ccc", "dddd"]
    assert kept.cached((2, 1000), ["bb"]) == {}  # a write: nothing kept is trusted
    assert kept.get((2, 1000), ["x"], lambda _: np.array([1000])) is None  # past the size
