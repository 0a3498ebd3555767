"""Choosing the words a "more like this" query of the SQLite backend ORs together.

A mature engine reads document frequencies from its term dictionary; FTS5 counts them by
walking each term's doclist (2 ms for a word in a third of 100k articles, so 40 ms for the
old 16-term query). So only title and summary words are candidates, each frequency is
counted up to a cap (a word in more articles than that is too common to tell articles
apart), and the ranked OR runs over a few words whose matches together stay under a budget.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable

MLT_TERMS = 12
# A word in more than 1/MLT_CAP_SHARE of the articles (at least MLT_MIN_CAP) is too common;
# the chosen words may match at most MLT_BUDGET × that cap rows together.
MLT_CAP_SHARE = 50
MLT_MIN_CAP = 100
MLT_BUDGET = 1
DfLookup = Callable[[list[str], int], dict[str, int]]


def expression(terms: list[str]) -> str:
    return "{stitle ssummary}: (" + " OR ".join(f'"{t}"' for t in terms) + ")"


def distinctive_terms(row: list[str], articles: int, capped_df: DfLookup) -> list[str]:
    """Title and summary stems (FTS row values `row`) with the highest tf·idf (title words
    count double), as many as keep the OR's candidate rows within MLT_BUDGET × the cap."""
    stitle, ssummary = row[4], row[5]
    tf: dict[str, float] = {}
    for weight, field in ((2.0, stitle), (1.0, ssummary)):
        for token in field.split():
            if len(token) > 2 and not token.isdigit() and '"' not in token:
                tf[token] = tf.get(token, 0.0) + weight
    if not tf:
        return []
    n = max(articles, 1)
    cap = max(MLT_MIN_CAP, n // MLT_CAP_SHARE)
    df = capped_df(list(tf), cap)
    scored = {
        t: (1 + math.log(c)) * math.log(1 + n / (1 + df[t]))
        for t, c in tf.items()
        if 1 < df[t] < cap
    }
    chosen: list[str] = []
    rows = 0
    for t in sorted(scored, key=lambda t: (-scored[t], t))[:MLT_TERMS]:
        if chosen and rows + df[t] > MLT_BUDGET * cap:
            break
        chosen.append(t)
        rows += df[t]
    return chosen


def count_df(db: sqlite3.Connection, terms: list[str], cap: int) -> dict[str, int]:
    """Articles holding each term (in any stemmed field), counted up to `cap`."""
    one = "SELECT count(*) FROM (SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?)"
    statement = " UNION ALL ".join([one] * len(terms))
    args: list[object] = []
    for t in terms:
        args += [f'{{stitle ssummary stext}}: "{t}"', cap]
    counts = [int(r[0]) for r in db.execute(statement, args).fetchall()]
    return dict(zip(terms, counts, strict=True))
