"""Filter and facet values of every indexed article as numpy arrays (SQLite backend).

FTS5 finds the matching ids and their bm25 scores; filtering, counting facets, sorting by
date and histograms then run over these arrays instead of joining thousands of rows per
query. They are loaded once per index generation (every write transaction, from any
process, bumps it) inside the search's read transaction, so they always describe the same
state of the index as the FTS5 matches they filter.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import numpy.typing as npt

from procradar.core.index.base import FACET_FIELDS
from procradar.core.query import COUNTRIES, Filters
from procradar.core.taxonomy import TOPICS

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
EPOCH = date(1970, 1, 1)
JULIAN_EPOCH = 2440587.5  # julianday('1970-01-01')
NO_DATE = -(10**9)


def _day(value: str | None) -> int:
    try:
        return (date.fromisoformat(value[:10]) - EPOCH).days if value else NO_DATE
    except ValueError:
        return NO_DATE


def day_iso(day: int) -> str:
    return (EPOCH + timedelta(days=int(day))).isoformat()


class Codes:
    """Distinct string values of one field and the code of each."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.index: dict[str, int] = {}

    def code(self, value: str) -> int:
        if value not in self.index:
            self.index[value] = len(self.values)
            self.values.append(value)
        return self.index[value]

    def codes(self, values: list[str], skip_empty: bool = False) -> Ints:
        """Codes of many values at once (-1 for empty ones when `skip_empty`)."""
        code = self.code
        return np.array([-1 if skip_empty and not v else code(v) for v in values], dtype=np.int64)


@dataclass
class Columns:
    size: int  # max id + 1
    present: Bools
    published: Ints
    language: Ints
    kind: Ints
    source: Ints
    topics: Ints
    countries: Ints
    org_doc: Ints  # one entry per (article, organisation)
    org_code: Ints
    org_key: Ints
    region_doc: Ints  # one entry per (article, region)
    region_code: Ints
    last_event: Ints  # day of each article's latest event (NO_DATE: none)
    codes: dict[str, Codes]
    indexed_at: npt.NDArray[np.float64]  # epoch seconds each row was written
    irrelevant: Bools  # turned away by the relevance gate (SearchRequest.relevant_only)

    @classmethod
    def load(cls, db: sqlite3.Connection) -> Columns:
        """One pass over the compact docs rows: a million articles load in about 2 s."""
        day = f"coalesce(CAST(julianday(published) - {JULIAN_EPOCH} AS INTEGER), {NO_DATE})"
        rows = db.execute(
            f"SELECT id, {day}, topics, countries, language, kind, source, indexed_at"
            " FROM docs ORDER BY id"
        ).fetchall()
        ids_, days, topics, countries, languages, kinds, sources, written = (
            zip(*rows, strict=True) if rows else ((),) * 8
        )
        ids = np.array(ids_, dtype=np.int64)
        size = int(ids[-1]) + 1 if len(ids) else 1
        present = np.zeros(size, dtype=np.bool_)
        present[ids] = True
        names = ("language", "kind", "source", "org", "org_key", "region")
        codes = {name: Codes() for name in names}
        cols: dict[str, Ints] = {}
        for name, values, fill in (
            ("published", days, NO_DATE),
            ("topics", topics, 0),
            ("countries", countries, 0),
        ):
            cols[name] = np.full(size, fill, dtype=np.int64)
            cols[name][ids] = np.array(values, dtype=np.int64)
        for name, strings in (("language", languages), ("kind", kinds), ("source", sources)):
            cols[name] = np.full(size, -1, dtype=np.int64)
            cols[name][ids] = codes[name].codes(list(strings), skip_empty=name == "source")
        indexed_at = np.zeros(size, dtype=np.float64)
        indexed_at[ids] = np.array(written, dtype=np.float64)
        # in article order: a results page gathers the mentions of its articles by range
        orgs = db.execute(
            "SELECT id, value, key FROM facets WHERE field = 'org' ORDER BY id"
        ).fetchall()
        org_doc = np.array([r[0] for r in orgs], dtype=np.int64)
        org_code = codes["org"].codes([r[1] for r in orgs])
        org_key = codes["org_key"].codes([r[2] for r in orgs])
        regions = db.execute(
            "SELECT id, value FROM facets WHERE field = 'region' ORDER BY id"
        ).fetchall()
        region_doc = np.array([r[0] for r in regions], dtype=np.int64)
        region_code = codes["region"].codes([r[1] for r in regions])
        last_event = np.full(size, NO_DATE, dtype=np.int64)
        for doc_id, day in db.execute(
            "SELECT id, max(value) FROM facets WHERE field = 'event' GROUP BY id"
        ):
            last_event[doc_id] = _day(day)
        irrelevant = np.zeros(size, dtype=np.bool_)
        gated = db.execute("SELECT id FROM facets WHERE field = 'irrelevant'").fetchall()
        irrelevant[np.array([r[0] for r in gated], dtype=np.int64)] = True
        return cls(
            size,
            present,
            org_doc=org_doc,
            org_code=org_code,
            org_key=org_key,
            region_doc=region_doc,
            region_code=region_code,
            last_event=last_event,
            codes=codes,
            indexed_at=indexed_at,
            irrelevant=irrelevant,
            **cols,
        )

    @cached_property
    def _org_runs(self) -> Ints:
        return _runs(self.org_doc, self.size)

    @cached_property
    def _region_runs(self) -> Ints:
        return _runs(self.region_doc, self.size)

    # -- filtering ---------------------------------------------------------------------

    def keep(self, ids: Ints, filters: Filters) -> Bools:
        """Which of `ids` pass the filters."""
        keep = np.ones(len(ids), dtype=np.bool_)
        for attr, column in (("languages", "language"), ("kinds", "kind"), ("sources", "source")):
            values = getattr(filters, attr)
            if values:
                wanted = [
                    self.codes[column].index[v] for v in values if v in self.codes[column].index
                ]
                keep &= np.isin(getattr(self, column)[ids], wanted)
        for attr, column, names in (
            ("topics", "topics", TOPICS),
            ("countries", "countries", COUNTRIES),
        ):
            values = getattr(filters, attr)
            if values:
                mask = sum(1 << names.index(v) for v in set(values))  # a value given twice
                keep &= (getattr(self, column)[ids] & mask) != 0
        if filters.orgs:
            keys = [
                self.codes["org_key"].index[k.casefold()]
                for k in filters.orgs
                if k.casefold() in self.codes["org_key"].index
            ]
            with_org = np.zeros(self.size, dtype=np.bool_)
            with_org[self.org_doc[np.isin(self.org_key, keys)]] = True
            keep &= with_org[ids]
        if filters.regions:
            index = self.codes["region"].index
            wanted = [index[r] for r in filters.regions if r in index]
            in_region = np.zeros(self.size, dtype=np.bool_)
            in_region[self.region_doc[np.isin(self.region_code, wanted)]] = True
            keep &= in_region[ids]
        if filters.after:
            keep &= self.published[ids] >= _day(filters.after)
        if filters.before:
            keep &= (self.published[ids] < _day(filters.before)) & (self.published[ids] != NO_DATE)
        return keep

    @staticmethod
    def day(iso: str) -> int:
        return _day(iso)

    # -- counting ----------------------------------------------------------------------

    def facets(self, ids: Ints, size: int) -> dict[str, list[tuple[str, int]]]:
        out = {
            "topic": self._bits(self.topics[ids], TOPICS, size),
            "language": self._counts(self.language[ids], "language", size),
            "kind": self._counts(self.kind[ids], "kind", size),
            "country": self._bits(self.countries[ids], COUNTRIES, size),
            "source": self._counts(self.source[ids], "source", size),
        }
        org = self.org_code[_mentions(self._org_runs, ids)]
        out["org"] = self._counts(org, "org", size)
        region = self.region_code[_mentions(self._region_runs, ids)]
        out["region"] = self._counts(region, "region", size)
        return {name: out[name] for name in FACET_FIELDS}

    def _counts(self, codes: Ints, field: str, size: int) -> list[tuple[str, int]]:
        codes = codes[codes >= 0]
        counts = np.bincount(codes, minlength=len(self.codes[field].values))
        names = self.codes[field].values
        used = np.flatnonzero(counts)
        if len(used) > size > 0:  # only values that can make the top `size` (ties kept)
            cut = np.partition(counts[used], len(used) - size)[len(used) - size]
            used = used[counts[used] >= cut]
        pairs = [(names[i], int(counts[i])) for i in used.tolist()]
        return sorted(pairs, key=lambda p: (-p[1], p[0]))[:size]

    @staticmethod
    def _bits(masks: Ints, names: tuple[str, ...], size: int) -> list[tuple[str, int]]:
        # Few distinct masks (combinations of 1-3 topics): count masks once, then their bits.
        per_mask = np.bincount(masks, minlength=1)
        used = np.flatnonzero(per_mask)
        pairs = [
            (name, int(per_mask[used[(used >> i) & 1 == 1]].sum())) for i, name in enumerate(names)
        ]
        return sorted([p for p in pairs if p[1]], key=lambda p: (-p[1], p[0]))[:size]

    def per_day(self, ids: Ints, interval: str = "day") -> list[tuple[str, int]]:
        """Matches per day; for "year" and "month" per first day of the period (what
        histogram.fold makes of them is the same, and it parses a hundred dates, not
        thousands)."""
        days, counts = _count_days(self.published[ids])
        unit = {"year": "Y", "month": "M"}.get(interval)
        if unit and len(days):
            starts = days.astype("datetime64[D]").astype(f"datetime64[{unit}]")
            starts = starts.astype("datetime64[D]").astype(np.int64)
            days, where = np.unique(starts, return_inverse=True)
            counts = np.bincount(where, weights=counts).astype(np.int64)
        # numpy turns days since 1970 into ISO dates at once (day_iso, vectorised)
        isos = days.astype("datetime64[D]").astype(str).tolist()
        return list(zip(isos, counts.tolist(), strict=True))

    # -- ordering ----------------------------------------------------------------------

    def order(self, ids: Ints, scores: npt.NDArray[np.float64], sort: str, top: int) -> Ints:
        """Positions of the first `top` hits in the requested order."""
        if sort == "relevance":  # bm25: lower is better; equal scores newest first
            keys: tuple[npt.NDArray[np.generic], ...] = (ids, -self.published[ids], scores)
        else:
            days = self.published[ids]
            undated = days == NO_DATE
            by_day = days if sort == "date_asc" else -days
            keys = (ids, scores, by_day, undated)
            if 0 < top < len(ids) // 4:
                # Only the days that can reach the page are sorted (ties on the last kept).
                day_key = np.where(undated, np.iinfo(np.int64).max, by_day)
                cutoff = np.partition(day_key, top - 1)[top - 1]
                near = np.flatnonzero(day_key <= cutoff)
                return near[np.lexsort(tuple(k[near] for k in keys))][:top]
        if 0 < top < len(ids) // 4 and sort == "relevance":
            # Only what can reach the page is sorted: scores up to the top-th best, ties kept.
            cutoff = np.partition(scores, top - 1)[top - 1]
            better, tied = np.flatnonzero(scores < cutoff), np.flatnonzero(scores == cutoff)
            need = top - len(better)
            if len(tied) > need:  # e.g. many unscored hits: only the newest can still make it
                newest = -self.published[ids[tied]]
                tied = tied[newest <= np.partition(newest, need - 1)[need - 1]]
            candidates = np.concatenate([better, tied])
            c_ids = ids[candidates]
            ranked = candidates[np.lexsort((c_ids, -self.published[c_ids], scores[candidates]))]
            return ranked[:top]
        return np.lexsort(keys)[:top]


def _count_days(days: Ints) -> tuple[Ints, Ints]:
    """The distinct days (undated left out) and how many of each, ascending. Counting into
    a table of the days' range instead of sorting: a broad word's 30,000 matches span a few
    thousand days."""
    days = days[days != NO_DATE]
    if not len(days):
        return days, days
    low = int(days.min())
    if int(days.max()) - low > 1_000_000:  # dates centuries apart: sort instead
        found, counts = np.unique(days, return_counts=True)
        return found, counts.astype(np.int64)
    table = np.bincount(days - low)
    found = np.flatnonzero(table)
    return found + low, table[found].astype(np.int64)


def _runs(doc: Ints, size: int) -> Ints:
    """Where each article's run of mentions starts in `doc` (article ids, ascending, one
    per mention); entry `size` is the end of the last run."""
    return np.searchsorted(doc, np.arange(size + 1, dtype=np.int64), side="left")


def _mentions(runs: Ints, ids: Ints) -> Ints:
    """Positions of the mentions of the articles `ids`: their runs (see `_runs`) one after
    another, so a narrow query reads its own mentions, not every mention in the index."""
    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    starts = runs[ids]
    lengths = runs[ids + 1] - starts
    total = int(lengths.sum())
    # position k of run j is starts[j] + k: repeat each run's start, add a running count
    firsts = np.cumsum(lengths) - lengths
    return np.repeat(starts - firsts, lengths) + np.arange(total, dtype=np.int64)
