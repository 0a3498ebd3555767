"""Matching and bm25 scoring over the FTS5 table of the SQLite backend.

bm25 costs 2–3 µs per matching row, and reading ids one Python tuple at a time four times
what FTS5 spends finding them. So matches come back as comma-separated text, and at most
FULL_RANK articles are scored: a count that stops past FULL_RANK tells whether a query is
narrow (score all its matches) or broad (read its ids unscored, and rank a narrower set of
fields, see `broad_scores`).
"""

from __future__ import annotations

import sqlite3

import numpy as np
import numpy.typing as npt

from procradar.index import sqlite_sql as sql
from procradar.index.base import IndexBackendError
from procradar.index.fts_query import WEIGHTS

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
FULL_RANK = 5000
# Narrower and narrower field sets for queries that match more than FULL_RANK articles.
TIERS = ("{title summary meta stitle ssummary}", "{title meta stitle}")
TITLE_FIRST = -1.0  # score of title matches that were too many to rank: newest first


def _run(db: sqlite3.Connection, statement: str, *args: object) -> tuple[str | None, ...]:
    try:
        return tuple(db.execute(statement, args).fetchone())
    except sqlite3.OperationalError as exc:
        raise IndexBackendError(f"search failed: {exc}") from exc


def _ints(text: str | None) -> Ints:
    return np.fromstring(text or "", dtype=np.int64, sep=",")


def ids(db: sqlite3.Connection, expr: str, after: int = -1) -> Ints:
    """Ids (ascending) of the articles matching `expr`, those above `after` only."""
    return _ints(_run(db, sql.MATCH_IDS, expr, after)[0])


def scored(db: sqlite3.Connection, expr: str, limit: int) -> tuple[Ints, Floats]:
    """Ids and bm25 scores of the first `limit` matches (ids ascending; lower is better)."""
    found, scores = _run(db, sql.match_scores(WEIGHTS), expr, limit)
    return _ints(found), np.fromstring(scores or "", dtype=np.float64, sep=",")


def at_most(db: sqlite3.Connection, expr: str, limit: int) -> int:
    """How many articles match, counting no further than `limit`."""
    return int(_run(db, sql.COUNT_UPTO, expr, limit)[0] or 0)


def matches(db: sqlite3.Connection, expr: str) -> tuple[Ints, Floats]:
    """All matching ids with their scores (0 for those left unscored)."""
    if at_most(db, expr, FULL_RANK + 1) <= FULL_RANK:
        return scored(db, expr, FULL_RANK)
    found = ids(db, expr)
    return found, broad_scores(db, found, expr)


def broad_scores(db: sqlite3.Connection, found: Ints, expr: str) -> Floats:
    """Scores for a query matching more than FULL_RANK articles: bm25 over the narrowest
    field set that has at most FULL_RANK matches; the rest follow unscored, newest first.
    If even the titles match too many, title matches come first, newest first: a word that
    common says little about which of them is best."""
    out = np.zeros(len(found))
    for fields in TIERS:
        tier = f"{fields}: ({expr})"
        if at_most(db, tier, FULL_RANK + 1) <= FULL_RANK:
            _place(out, found, *scored(db, tier, FULL_RANK))
            return out
    title = ids(db, tier)
    _place(out, found, title, np.full(len(title), TITLE_FIRST))
    return out


def _place(out: Floats, found: Ints, where: Ints, values: Floats) -> None:
    at = np.minimum(np.searchsorted(found, where), len(found) - 1)
    hit = found[at] == where
    out[at[hit]] = values[hit]
