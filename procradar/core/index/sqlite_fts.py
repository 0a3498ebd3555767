"""The embedded backend: SQLite FTS5 in `<data_dir>/index.sqlite`, separate from the store.

The FTS5 table is contentless (the text lives once, compressed, in `docs`); each row keeps
the exact column values it was indexed with so it can be deleted again. Facets are counted
in SQL over a temporary table of the matching ids.

Readers and writers may be different processes (the web app searches while `ingest` or
`crawl` writes). Every write transaction bumps a generation number; a search reads inside
one read transaction (a WAL snapshot), takes the column arrays of the generation it sees,
and its worker connections check they see that generation too. So an answer is the index
as it was before a write or after it, never a mix of both.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from procradar.core.index import sqlite_mlt as mlt
from procradar.core.index import sqlite_sql as sql
from procradar.core.index import sqlite_write as write
from procradar.core.index.base import (
    FACET_SIZE,
    PROGRESS_EVERY,
    Hit,
    IndexBackendError,
    Progress,
    SearchRequest,
    SearchResult,
)
from procradar.core.index.columns import Columns, Ints
from procradar.core.index.document import ANALYSIS_VERSION, prepare
from procradar.core.index.fts_query import (
    COLUMNS,
    WEIGHTS,
    excluded_expression,
    indexed_tokens,
    match_expression,
    prefix_words,
)
from procradar.core.index.generation_cache import GenerationCache
from procradar.core.index.histogram import fold
from procradar.core.index.plan import Plan, check_interval, check_list_filter, make_plan
from procradar.core.index.relax import relaxed_search
from procradar.core.index.snippets import snippet
from procradar.core.index.sqlite_files import guarded
from procradar.core.index.sqlite_match import Matcher, StaleSnapshotError, generation_of
from procradar.core.index.sqlite_sets import PhraseSets
from procradar.core.models import Article
from procradar.core.query import Filters, check_filter_value

VOCAB_KEPT = 200_000  # stem tokens known to be held or not (cleared per generation)
MLT_DF_KEPT = 50_000  # document frequencies kept per index object (cleared per generation)
#: Text matches kept per index object (see SqliteIndex._text_match).
RECENT_MATCHES = 16
Floats = npt.NDArray[np.float64]


def _sort(plan: Plan, sort: str) -> str:
    """Without query words there is no relevance: newest first."""
    return "date" if plan.match_all and sort == "relevance" else sort


_load_seen = [0.0, 0.0]  # [when read (monotonic), 1-minute load average]


def load_average() -> float:
    """The 1-minute load average, read at most once a second."""
    now = time.monotonic()
    if now - _load_seen[0] > 1.0:
        _load_seen[:] = [now, os.getloadavg()[0]]
    return _load_seen[1]


def machine_busy() -> bool:
    """As many runnable processes as cores, or more (by the 1-minute load average)."""
    return load_average() >= (os.cpu_count() or 1) - 0.5


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class SqliteIndex:
    @guarded
    def __init__(self, path: Path, expand_default: bool = True, workers: int | None = None):
        """`workers`: threads one search may use (default: the cores, at most 4)."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.expand_default = expand_default
        self.workers = workers or _default_workers()
        self._pool: ThreadPoolExecutor | None = None
        self._reading = 0  # searches of this object in flight (see _matcher)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._columns: Columns | None = None
        self._columns_generation = -1
        self._recent: OrderedDict[tuple[int, str, bool], tuple[Ints, Floats]] = OrderedDict()
        self._df: GenerationCache[int] = GenerationCache(MLT_DF_KEPT)
        self._vocab: GenerationCache[bool] = GenerationCache(VOCAB_KEPT)  # token held?
        self._sets = PhraseSets()  # phrase bitmaps for the id and count passes
        if not self._ready():  # a reader opening a ready index must not wait for a writer
            self._upgrade()
            self.db.executescript(sql.SCHEMA)  # executescript manages its own transaction
            with self._tx() as db:
                db.execute(
                    "INSERT OR IGNORE INTO settings(key, value) VALUES ('analysis', ?)",
                    (ANALYSIS_VERSION,),
                )

    def _ready(self) -> bool:
        """The file holds the current layout (a read only: opening never takes the write
        lock, which `ingest` or `reindex` may hold for a long transaction)."""
        names = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master")}
        if not {"settings", "docs", "bodies", "facets", "fts", "fts_vocab"} <= names:
            return False
        layout = self.db.execute("SELECT sql FROM sqlite_master WHERE name = 'docs'").fetchone()
        analysis = self.db.execute("SELECT 1 FROM settings WHERE key = 'analysis'").fetchone()
        return "topics" in (layout[0] or "") and analysis is not None

    def _upgrade(self) -> None:
        """An index file of an older layout is dropped: the index is derived data, and the
        store rebuilds it (`procradar reindex`)."""
        found = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'docs' AND sql NOT LIKE '%topics%'"
        ).fetchone()
        if found:
            self.db.executescript(sql.DROP_ALL)
            return
        old = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'docs' AND sql NOT LIKE '%indexed_at%'"
        ).fetchone()
        if old:
            self.db.execute(sql.ADD_INDEXED_AT)

    # -- connections -------------------------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                # Not shared between threads, but closed by close() from whichever thread.
                conn = sqlite3.connect(
                    self.path, timeout=30, isolation_level=None, check_same_thread=False
                )
            except sqlite3.Error as exc:
                raise IndexBackendError(f"cannot open index {self.path}: {exc}") from exc
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA temp_store=MEMORY")
                conn.execute("PRAGMA cache_size=-65536")
            except sqlite3.Error:
                conn.close()
                raise
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _tx(self) -> write.Transaction:
        return write.Transaction(self.db)

    def _matcher(self, columns: Columns, generation: int | None = None) -> Matcher:
        """Passes split over the worker threads only while this is the only search in
        flight and the machine has idle cores: otherwise the cores are busy anyway, and
        each extra span costs its own parse and doclist seeks (a fifth more CPU per
        request under load)."""
        with self._lock:
            if self._reading > 1 or self.workers == 1 or machine_busy():
                return Matcher(lambda: self.db, None, 1, columns.size, generation, self._sets)
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="fts")
        return Matcher(
            lambda: self.db, self._pool, self.workers, columns.size, generation, self._sets
        )

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    @property
    def needs_reindex(self) -> bool:
        row = self.db.execute("SELECT value FROM settings WHERE key='analysis'").fetchone()
        return row is None or row[0] != ANALYSIS_VERSION

    # -- writing -----------------------------------------------------------------------

    @guarded
    def index(self, articles: Iterable[Article]) -> int:
        count = 0
        with self._tx() as db:
            for article in articles:
                doc = prepare(article)
                write.remove(db, [doc.url])
                write.insert(db, doc)
                count += 1
        return count

    @guarded
    def delete(self, urls: Iterable[str]) -> int:
        with self._tx() as db:
            return write.remove(db, list(urls))

    @guarded
    def clear(self) -> None:
        with self._tx() as db:
            write.clear(db)

    @guarded
    def rebuild(self, articles: Iterable[Article], progress: Progress | None = None) -> int:
        """Replace the whole index in one transaction: readers see the old index until the
        new one is complete (WAL), so search never goes down."""
        count = 0
        with self._tx() as db:
            write.clear(db)
            for article in articles:
                write.insert(db, prepare(article))
                count += 1
                if progress and count % PROGRESS_EVERY == 0:
                    progress(count)
        self.optimize()
        return count

    def optimize(self) -> None:
        """Merge FTS5 segments (after a bulk load); searches get faster, the file smaller."""
        self.db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @guarded
    def generation(self) -> int:
        """A number every write transaction changes (caches of answers key on it)."""
        return generation_of(self.db)

    @guarded
    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM docs").fetchone()[0])

    # -- searching ---------------------------------------------------------------------

    @guarded
    def search(self, q: SearchRequest) -> SearchResult:
        if q.relax:
            return relaxed_search(self.search, q, self.expand_default)
        plan = make_plan(q, self.expand_default)
        with self._snapshot() as (columns, generation):
            # a count or facets alone (limit 0) need no scores and no order
            ids, scores = self._matches(plan, columns, generation, rank=q.limit > 0)
            total = len(ids)
            if q.limit:
                page = columns.order(ids, scores, _sort(plan, q.sort), q.offset + q.limit)
                page = page[q.offset :]
            else:
                page = ids[:0]
            facets = columns.facets(ids, FACET_SIZE) if q.facets else {}
            bodies = self._bodies([int(i) for i in ids[page]])
        hits = [
            self._hit(bodies[int(i)], -float(s), plan)
            for i, s in zip(ids[page], scores[page], strict=True)
        ]
        return SearchResult(hits=hits, total=total, facets=facets, expansions=plan.expansions)

    def _matches(
        self, plan: Plan, columns: Columns, generation: int, rank: bool = True
    ) -> tuple[Ints, Floats]:
        """Ids and bm25 scores (lower is better) of the articles matching the plan."""
        try:
            return self._match(self._matcher(columns, generation), plan, columns, rank)
        except StaleSnapshotError:
            # A writer committed between our snapshot and a worker's first read: run the
            # passes again, one after another, on the connection that holds the snapshot.
            serial = Matcher(lambda: self.db, None, 1, columns.size, generation, self._sets)
            return self._match(serial, plan, columns, rank)

    def _match(
        self, matcher: Matcher, plan: Plan, columns: Columns, rank: bool
    ) -> tuple[Ints, Floats]:
        completions = matcher.completions(prefix_words(plan))
        present = self._indexed(matcher, indexed_tokens(plan))
        match = match_expression(plan, completions, present=present)
        excluded = excluded_expression(plan, completions, present=present)
        if match is None:
            ids = np.flatnonzero(columns.present)
            if excluded:
                plain_excluded = excluded_expression(plan, completions, True, present)
                ids = np.setdiff1d(ids, matcher.ids(plain_excluded or excluded), True)
            scores = np.zeros(len(ids))
        else:
            expr = f"({match}) NOT ({excluded})" if excluded else match
            plain = match_expression(plan, completions, True, present) or match
            if excluded:
                plain = f"({plain}) NOT ({excluded_expression(plan, completions, True, present)})"
            ids, scores = self._text_match(matcher, expr, rank, plain)
        keep = columns.keep(ids, plan.filters)
        since = plan.request.indexed_since
        if since is not None:
            keep &= columns.indexed_at[ids] >= since.timestamp()
        if plan.request.relevant_only:
            keep &= ~columns.irrelevant[ids]
        if plan.request.event_after is not None:
            keep &= columns.last_event[ids] >= columns.day(plan.request.event_after)
        return ids[keep], scores[keep]

    def _text_match(
        self, matcher: Matcher, expr: str, rank: bool, plain: str | None = None
    ) -> tuple[Ints, Floats]:
        """The articles matching a query's text, before filters. One page asks for the same
        words many times (its hits and year counts, a trend series per topic, country and
        organisation, relaxed subsets): the last few answers of the generation being read
        are kept, so the full-text pass runs once. Callers never write into the arrays."""
        gen = matcher.generation
        known = None  # the ids alone, found by a count (relaxing a query counts first)
        if gen is not None:
            with self._lock:
                for key in ((gen, expr, rank), (gen, expr, True)):
                    if key in self._recent:
                        self._recent.move_to_end(key)
                        return self._recent[key]
                if rank and (gen, expr, False) in self._recent:
                    known = self._recent[(gen, expr, False)][0]
        if rank:
            found = matcher.matches(expr, plain, known)
        else:
            ids = matcher.ids(plain or expr)
            found = (ids, np.zeros(len(ids)))
        if gen is not None:
            with self._lock:
                self._recent[(gen, expr, rank)] = found
                while len(self._recent) > RECENT_MATCHES:
                    self._recent.popitem(last=False)
        return found

    def _indexed(self, matcher: Matcher, tokens: set[str]) -> set[str] | None:
        """Which of `tokens` the index holds, as the search's generation sees it (a word's
        stem tokens are looked up once per generation, not on every search)."""
        if matcher.generation is None or not tokens:
            return None

        def look_up(missing: list[str]) -> dict[str, bool]:
            held = matcher.vocabulary(missing)
            return {t: t in held for t in missing}

        known = self._vocab.get(matcher.generation, tokens, look_up)
        return {t for t, held_by_index in known.items() if held_by_index}

    def _bodies(self, ids: list[int]) -> dict[int, bytes]:
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self.db.execute(f"SELECT id, data FROM bodies WHERE id IN ({marks})", ids)
        return dict(rows.fetchall())

    def _hit(self, data: bytes, score: float, plan: Plan) -> Hit:
        article = write.unpack(data)
        text = snippet(plan, article) if plan.request.snippets else ""
        return Hit(article=article, score=score, snippet=text)

    @guarded
    def histogram(self, q: SearchRequest, interval: str = "month") -> list[tuple[str, int]]:
        check_interval(interval)
        plan = make_plan(q, self.expand_default)
        with self._snapshot() as (columns, generation):
            ids, _ = self._matches(plan, columns, generation, rank=False)
            return fold(columns.per_day(ids, interval), interval)

    @guarded
    def histograms(
        self, q: SearchRequest, attr: str, values: list[str], interval: str = "month"
    ) -> dict[str, list[tuple[str, int]]]:
        """One text match and one pass of the other filters; each value then only tests
        its own filter on those ids (a trends page asked for 15 full histograms)."""
        check_interval(interval)
        check_list_filter(attr)
        if not values:
            return {}
        plan = make_plan(q, self.expand_default)
        chosen = list(getattr(plan.filters, attr))
        rest = replace(plan.filters)
        setattr(rest, attr, [])
        others = replace(plan, filters=rest)
        out: dict[str, list[tuple[str, int]]] = {}
        with self._snapshot() as (columns, generation):
            ids, _ = self._matches(others, columns, generation, rank=False)
            for value in values:
                # the filters a plan of `q` plus this value has (as a set; parsing the
                # query again for each value cost more than counting its months)
                own = Filters()
                setattr(own, attr, list(dict.fromkeys([*chosen, check_filter_value(attr, value)])))
                out[value] = fold(columns.per_day(ids[columns.keep(ids, own)], interval), interval)
        return out

    @guarded
    def columns(self) -> Columns:
        """The facet arrays of the index as it is now."""
        with self._snapshot() as (columns, _):
            return columns

    @contextmanager
    def _snapshot(self) -> Iterator[tuple[Columns, int]]:
        """A read transaction on this thread's connection, with the column arrays and the
        generation of the state it sees (WAL keeps that state until the transaction ends)."""
        db = self.db
        own = not db.in_transaction
        if own:
            db.execute("BEGIN")
        with self._lock:
            self._reading += 1
        try:
            generation = generation_of(db)
            yield self._columns_at(db, generation), generation
        finally:
            with self._lock:
                self._reading -= 1
            if own:
                db.execute("COMMIT")

    def _columns_at(self, db: sqlite3.Connection, generation: int) -> Columns:
        """The arrays of `generation`, read inside the caller's snapshot. Only the newest
        generation seen is cached: a slower reader still on an older one loads its own."""
        with self._lock:
            if self._columns is not None and self._columns_generation == generation:
                return self._columns
            columns = Columns.load(db)
            if generation > self._columns_generation:
                self._columns, self._columns_generation = columns, generation
            return columns

    @guarded
    def more_like_this(self, url: str, limit: int = 5) -> list[Hit]:
        """Articles sharing the rarer words of this one's title and summary (sqlite_mlt)."""
        db = self.db
        found = db.execute(sql.ROW_BY_URL, (url,)).fetchone()
        if found is None:
            return []
        doc_id, row = found
        terms = mlt.distinctive_terms(write.unpack(row), self.count(), self._capped_df)
        if not terms:
            return []
        rows = db.execute(sql.mlt(WEIGHTS), (mlt.expression(terms), doc_id, limit)).fetchall()
        plan = make_plan(SearchRequest())  # no query words: the snippet is the summary
        return [self._hit(data, -score, plan) for data, score in rows]

    def _capped_df(self, terms: list[str], cap: int) -> dict[str, int]:
        """Articles holding each term, counted up to `cap`; kept for the generation read."""
        db = self.db
        counted = lambda missing: mlt.count_df(db, missing, cap)  # noqa: E731
        return self._df.get(generation_of(db), terms, counted)

    def iter_urls(self) -> Iterator[str]:
        for (url,) in self.db.execute("SELECT url FROM docs ORDER BY id"):
            yield url

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))


assert len(COLUMNS) == len(WEIGHTS)
