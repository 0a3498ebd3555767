"""Matching and bm25 scoring over the FTS5 table of the SQLite backend.

bm25 costs 2–3 µs per matching row, and reading ids one Python tuple at a time four times
what FTS5 spends finding them. So matches come back as comma-separated text, and at most
FULL_RANK articles are scored: a count that stops past FULL_RANK tells whether a query is
narrow (score all its matches) or broad (read its ids unscored, and rank a narrower set of
fields, see `Matcher.broad_scores`).

Id and count passes are put together from bitmaps of the query's phrases, kept across
searches of one index generation (`sqlite_sets`): FTS5 reads a phrase's doclist once.

Every pass is split into rowid ranges run side by side on their own connections: SQLite
lets go of the GIL while it steps, so a broad query uses every core. Each of those
connections must see the state the search started from (its `generation`): a pass that
finds a newer one raises `StaleSnapshotError`, and the search runs again on the one
connection that holds the snapshot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from concurrent.futures import Executor
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from procradar.core.index import sqlite_sets as sets
from procradar.core.index import sqlite_sql as sql
from procradar.core.index.base import IndexBackendError
from procradar.core.index.fts_query import WEIGHTS
from procradar.core.index.sqlite_sets import PhraseSets

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
T = TypeVar("T")
FULL_RANK = 5000
# Narrower and narrower field sets for queries that match more than FULL_RANK articles.
TIERS = ("{title summary meta stitle ssummary}", "{title meta stitle}")
# A query matching at most this many articles seldom has more than FULL_RANK of them in its
# titles and summaries (bench/web.py's 100k corpus: never below 21,000 matches), so that
# tier is scored without counting it first. A larger query counts first: scoring more than
# FULL_RANK rows only to learn they are too many costs ten counts.
SCORE_TIER_FIRST = 4 * FULL_RANK
MAX_COMPLETIONS = 300  # a prefix standing for more words stays an FTS5 prefix query
TITLE_FIRST = -1.0  # score of title matches that were too many to rank: newest first
Span = tuple[int, int]  # rowid > lo AND rowid <= hi


class StaleSnapshotError(Exception):
    """A worker connection saw another generation of the index than the search started on."""


def _ints(text: str | None) -> Ints:
    return np.fromstring(text or "", dtype=np.int64, sep=",")


class Matcher:
    """Runs the passes of one query over `spans` of rowids, one task per span."""

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        pool: Executor | None,
        parts: int,
        max_id: int,
        generation: int | None = None,
        sets: PhraseSets | None = None,
    ):
        """`generation`: the state the search reads (None: whatever each statement sees).
        `sets`: phrase bitmaps kept across searches, for the id and count passes."""
        self.connect = connect
        self.generation = generation
        self.pool = pool
        self.size = max_id
        self.sets = sets if generation is not None else None
        self.spans = _spans(1 if pool is None else max(1, parts), max_id)

    def _each(self, task: Callable[[Span], T]) -> list[T]:
        if self.pool is None or len(self.spans) == 1:
            return [task(span) for span in self.spans]
        return list(self.pool.map(task, self.spans))

    def _run(self, statement: str, *args: object) -> tuple[str | None, ...]:
        return tuple(self._pinned(statement, args)[0])

    def _pinned(self, statement: str, args: tuple[object, ...]) -> list[Any]:
        """The rows of `statement`, read at the search's generation.

        The connection holding the search's snapshot is already inside its read
        transaction; any other one opens its own and checks it sees the same generation.
        """
        db = self.connect()
        try:
            if self.generation is None or db.in_transaction:
                return db.execute(statement, args).fetchall()
            db.execute("BEGIN")
            try:
                if generation_of(db) != self.generation:
                    raise StaleSnapshotError(self.generation)
                return db.execute(statement, args).fetchall()
            finally:
                db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise IndexBackendError(f"search failed: {exc}") from exc

    def completions(self, prefixes: list[str]) -> dict[str, list[str]]:
        """The indexed words each prefix stands for (up to MAX_COMPLETIONS)."""
        out: dict[str, list[str]] = {}
        for prefix in prefixes:
            end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            rows = self._pinned(sql.VOCAB_RANGE, (prefix, end, MAX_COMPLETIONS + 1))
            words = [row[0] for row in rows]
            if 0 < len(words) <= MAX_COMPLETIONS:
                out[prefix] = words
        return out

    def vocabulary(self, tokens: list[str]) -> set[str]:
        """Which of `tokens` some article holds."""
        found: set[str] = set()
        for start in range(0, len(tokens), 500):  # SQLite limits the bound parameters
            chunk = tokens[start : start + 500]
            found.update(row[0] for row in self._pinned(sql.vocab_lookup(len(chunk)), tuple(chunk)))
        return found

    def ids(self, expr: str) -> Ints:
        """Ids (ascending) of the articles matching `expr`."""
        found = self._from_sets(expr, fetch=True)
        return self._sql_ids(expr) if found is None else sets.to_ids(found[0], self.size)

    def _sql_ids(self, expr: str) -> Ints:
        parts = self._each(lambda s: _ints(self._run(sql.MATCH_IDS, expr, *s)[0]))
        return np.concatenate(parts)

    def at_most(self, expr: str, limit: int) -> int:
        """How many articles match, counting no further than `limit` per span. Phrases
        kept as bitmaps answer without a pass: all of them exactly, or those kept alone
        when they already match more than `limit` (a lower bound, if `expr` has no NOT)."""
        found = self._from_sets(expr, fetch=False)
        if found is not None:
            bits, complete = found
            n = sets.count(bits)
            if complete or n > limit:
                return n
        return sum(self._each(lambda s: int(self._run(sql.COUNT_UPTO, expr, *s, limit)[0] or 0)))

    def _from_sets(self, expr: str, fetch: bool) -> tuple[sets.Bits, bool] | None:
        """`expr`'s matches as a bitmap made of its phrases' bitmaps, and whether it is
        complete; None when `expr` is not an expression procradar writes. With `fetch`
        False, phrases not kept count as matching nothing (if `expr` has no NOT)."""
        if self.sets is None or self.generation is None or (node := _parsed(expr)) is None:
            return None
        key, texts = (self.generation, self.size), list(dict.fromkeys(sets.leaves(node)))
        if fetch:
            bits = self.sets.get(key, texts, self._sql_ids)
            return None if bits is None else (sets.evaluate(node, bits), True)
        bits = self.sets.cached(key, texts)
        complete = len(bits) == len(texts)
        if not bits or not (complete or sets.monotone(node)):
            return None
        empty = np.zeros((self.size + 7) // 8, dtype=np.uint8)
        return sets.evaluate(node, {t: bits.get(t, empty) for t in texts}), complete

    def scored(self, expr: str, limit: int) -> tuple[Ints, Floats]:
        """Ids and bm25 scores (lower is better) of at most `limit` matches per span."""

        def task(span: Span) -> tuple[Ints, Floats]:
            found, scores = self._run(sql.match_scores(WEIGHTS), expr, *span, limit)
            return _ints(found), np.fromstring(scores or "", dtype=np.float64, sep=",")

        parts = self._each(task)
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def matches(
        self, expr: str, plain: str | None = None, known: Ints | None = None
    ) -> tuple[Ints, Floats]:
        """All matching ids with their scores (0 for those left unscored). `plain`: the
        same match without redundant column filters, for the passes that score nothing.
        `known`: the matching ids if a pass already found them (no count, no ids pass)."""
        plain = plain or expr
        count = self.at_most(plain, FULL_RANK + 1) if known is None else len(known)
        if count <= FULL_RANK:
            return self.scored(expr, FULL_RANK)
        found = self.ids(plain) if known is None else known
        return found, self.broad_scores(found, expr, plain)

    def broad_scores(self, found: Ints, expr: str, plain: str | None = None) -> Floats:
        """Scores for a query matching more than FULL_RANK articles: bm25 over the narrowest
        field set that has at most FULL_RANK matches; the rest follow unscored, newest
        first. If even the titles match too many, title matches come first, newest first:
        a word that common says little about which of them is best."""
        out = np.zeros(len(found))
        plain = plain or expr
        for fields in TIERS:
            if len(found) <= SCORE_TIER_FIRST:
                # Scored straight away, no count first; past FULL_RANK, the next tier.
                tier = self.scored(f"{fields}: ({expr})", FULL_RANK + 1)
                if len(tier[0]) <= FULL_RANK:
                    _place(out, found, *tier)
                    return out
            elif self.at_most(f"{fields}: ({plain})", FULL_RANK + 1) <= FULL_RANK:
                _place(out, found, *self.scored(f"{fields}: ({expr})", FULL_RANK))
                return out
        title = self.ids(f"{fields}: ({plain})")
        _place(out, found, title, np.full(len(title), TITLE_FIRST))
        return out


def generation_of(db: sqlite3.Connection) -> int:
    """How many write transactions the index has seen, as this connection sees it."""
    row = db.execute(sql.GENERATION).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


@lru_cache(maxsize=4096)
def _parsed(expr: str) -> sets.Node | None:
    return sets.parse(expr)  # a search asks for the same expression several times


@lru_cache(maxsize=64)
def _spans(parts: int, max_id: int) -> list[Span]:
    """`parts` rowid ranges covering the index (the last one open-ended). Shared by the
    searches of a generation: callers never change the list."""
    bounds = np.linspace(0, max_id, parts + 1).astype(int).tolist()
    spans = list(zip(bounds[:-1], bounds[1:], strict=True))
    spans[-1] = (spans[-1][0], 2**62)
    return spans


def _place(out: Floats, found: Ints, where: Ints, values: Floats) -> None:
    at = np.minimum(np.searchsorted(found, where), len(found) - 1)
    hit = found[at] == where
    out[at[hit]] = values[hit]
