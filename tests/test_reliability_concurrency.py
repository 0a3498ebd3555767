"""Searches while another writer indexes: every answer is the old or the new state, never a
torn one (issue 13, item 2).

The writer adds articles in batches of BATCH, one transaction each, from its own index
object (as `ingest` does from its own process). Every article matches the query word, so a
consistent answer's total is a whole number of batches and its facet counts add up to it.
Before snapshots, the column arrays were loaded at one state and FTS5 matched another:
`IndexError: index 1111 is out of bounds` or totals between batches.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from procradar.core.index.base import SearchRequest
from procradar.core.index.sqlite_fts import SqliteIndex
from procradar.core.models import Article

BATCH = 7
BATCHES = 60
READERS = 3


def _article(i: int) -> Article:
    return Article(
        url=f"https://torn.test/{i}",
        title=f"Vindkraft i kommun {i}",
        published=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
        language=("sv", "nb", "da")[i % 3],
        kind="news",
        topics=["climate"],
        summary="Kommunen upphandlar vindkraft.",
        text=f"Vindkraft och leverantörer, ärende {i}.",
        source=f"src-{i % 4}",
    )


def _check(result_total: int, facets: dict[str, list[tuple[str, int]]]) -> str | None:
    if result_total % BATCH:
        return f"total {result_total} is not a whole number of batches"
    languages = sum(n for _, n in facets.get("language", []))
    if languages != result_total:
        return f"language facets add up to {languages}, total is {result_total}"
    return None


def _race(path: Path, workers: int, query: str) -> tuple[list[str], int]:
    writer = SqliteIndex(path)
    writer.index(_article(i) for i in range(BATCH))  # a first batch
    done = threading.Event()
    problems: list[str] = []
    answers = [0]

    def write() -> None:
        try:
            for b in range(1, BATCHES):
                writer.index(_article(b * BATCH + i) for i in range(BATCH))
                # Replacing articles moves them to new ids: the case that tore most.
                writer.index(_article(i) for i in range(0, b * BATCH, 11))
        finally:
            done.set()

    def read() -> None:
        reader = SqliteIndex(path, workers=workers)
        try:
            while not done.is_set():
                try:
                    result = reader.search(SearchRequest(query=query, limit=5))
                    histogram = reader.histogram(SearchRequest(query=query), "year")
                except Exception as exc:  # noqa: BLE001 - any error is the finding
                    problems.append(f"{type(exc).__name__}: {exc}")
                    continue
                problem = _check(result.total, result.facets)
                if problem is None and sum(n for _, n in histogram) % BATCH:
                    problem = f"histogram sums to {sum(n for _, n in histogram)}"
                if problem:
                    problems.append(problem)
                answers[0] += 1
        finally:
            reader.close()

    threads = [threading.Thread(target=read) for _ in range(READERS)]
    for t in threads:
        t.start()
    write()
    for t in threads:
        t.join()
    final = writer.search(SearchRequest(query=query, limit=1))
    writer.close()
    assert final.total == BATCH * BATCHES
    return problems, answers[0]


@pytest.fixture
def path(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "index.sqlite"


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("query", ["vindkraft", "vind*", ""])
def test_search_during_writes_sees_whole_batches(path: Path, workers: int, query: str) -> None:
    problems, answers = _race(path, workers, query)
    assert answers > 0
    assert problems[:5] == []


def test_opening_the_index_never_waits_for_a_writer(path: Path) -> None:
    """The web app opens the index lazily, maybe while `ingest` holds a long write
    transaction: opening a ready index only reads."""
    import sqlite3

    SqliteIndex(path).index(_article(i) for i in range(BATCH))
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the write lock, as during a big batch
    writer.execute("DELETE FROM facets")
    try:
        reader = SqliteIndex(path)
        assert reader.search(SearchRequest(query="vindkraft")).total == BATCH
        reader.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
