"""The SQL of the SQLite backend, kept apart from the code that runs it.

Only fixed text and `?` placeholders are built here; values always travel as parameters.
"""

from __future__ import annotations

from procradar.query import Filters

FTS_COLUMNS = "title, summary, text, meta, stitle, ssummary, stext, parts, xl"
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT);
-- Compact rows, so joining thousands of hits for facets stays cheap; the big values live
-- in `bodies`. topics/countries are bit masks (bit i = TOPICS[i] / COUNTRIES[i]).
CREATE TABLE IF NOT EXISTS docs(
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    published TEXT,
    language TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    topics INTEGER NOT NULL,
    countries INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_published ON docs(published);
CREATE TABLE IF NOT EXISTS bodies(
    id INTEGER PRIMARY KEY,
    data BLOB NOT NULL,  -- zlib(JSON of the article)
    row BLOB NOT NULL    -- zlib(JSON of the FTS column values), to delete the FTS row again
);
CREATE TABLE IF NOT EXISTS facets(
    id INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facets_key ON facets(field, key, id);
CREATE INDEX IF NOT EXISTS facets_id ON facets(id, field, value);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    {FTS_COLUMNS}, content='', tokenize='unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_vocab USING fts5vocab(fts, 'row');
"""
DROP_ALL = """
DROP TABLE IF EXISTS fts_vocab; DROP TABLE IF EXISTS fts; DROP TABLE IF EXISTS facets;
DROP TABLE IF EXISTS bodies; DROP TABLE IF EXISTS docs; DROP TABLE IF EXISTS settings;
"""
INSERT_DOC = (
    "INSERT INTO docs(url, published, language, kind, source, topics, countries)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
ROW_BY_URL = "SELECT d.id, b.row FROM docs d JOIN bodies b ON b.id = d.id WHERE d.url = ?"
INSERT_BODY = "INSERT INTO bodies(id, data, row) VALUES (?, ?, ?)"
INSERT_FTS = f"INSERT INTO fts(rowid, {FTS_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
DELETE_FTS = (
    f"INSERT INTO fts(fts, rowid, {FTS_COLUMNS}) VALUES ('delete', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_FACET = "INSERT INTO facets(id, field, value, key) VALUES (?, ?, ?, ?)"
CREATE_HITS = "CREATE TEMP TABLE hits(id INTEGER PRIMARY KEY, score REAL NOT NULL)"
ORDER = {
    "relevance": "h.score, d.id",
    "date": "d.published IS NULL, d.published DESC, h.score, d.id",
    "date_asc": "d.published IS NULL, d.published, h.score, d.id",
}
PAGE = (
    "SELECT b.data, p.score FROM (SELECT h.id, h.score FROM temp.hits h"
    " JOIN docs d ON d.id = h.id ORDER BY {order} LIMIT ? OFFSET ?) p"
    " JOIN bodies b ON b.id = p.id"
)
FACET_ORDER = ("topic", "language", "kind", "country", "source", "org")
GROUP_COUNTS = """
SELECT field, value, n FROM (
    SELECT field, value, n,
           row_number() OVER (PARTITION BY field ORDER BY n DESC, value) AS r
    FROM (
        SELECT 'language' AS field, d.language AS value, count(*) AS n
            FROM temp.hits h JOIN docs d ON d.id = h.id GROUP BY d.language
        UNION ALL
        SELECT 'kind', d.kind, count(*)
            FROM temp.hits h JOIN docs d ON d.id = h.id GROUP BY d.kind
        UNION ALL
        SELECT 'source', d.source, count(*)
            FROM temp.hits h JOIN docs d ON d.id = h.id WHERE d.source != '' GROUP BY d.source
        UNION ALL
        SELECT 'org', f.value, count(*)
            FROM temp.hits h JOIN facets f ON f.id = h.id AND f.field = 'org' GROUP BY f.value
    )
) WHERE r <= ? ORDER BY field, r
"""


def mask_counts(column: str, bits: int) -> str:
    """One pass over the hits summing every bit of a mask column."""
    sums = ", ".join(f"sum(({column} >> {i}) & 1)" for i in range(bits))
    return f"SELECT {sums} FROM temp.hits h JOIN docs d ON d.id = h.id"


PER_DAY = (
    "SELECT d.published, count(*) FROM temp.hits h JOIN docs d ON d.id = h.id"
    " WHERE d.published IS NOT NULL GROUP BY d.published ORDER BY d.published"
)
_DOC_COLUMNS = {"languages": "language", "kinds": "kind", "sources": "source"}
_FACET_FIELDS = {"topics": "topic", "countries": "country", "orgs": "org"}


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def filter_clause(filters: Filters) -> tuple[str, list[str]]:
    """A WHERE fragment over `docs d` (or "1") and its parameters."""
    parts: list[str] = []
    params: list[str] = []
    for attr, column in _DOC_COLUMNS.items():
        values = getattr(filters, attr)
        if values:
            parts.append(f"d.{column} IN ({_marks(len(values))})")
            params += values
    for attr, field in _FACET_FIELDS.items():
        values = getattr(filters, attr)
        if values:
            marks = _marks(len(values))
            parts.append(f"d.id IN (SELECT id FROM facets WHERE field = ? AND key IN ({marks}))")
            params += [field, *(v.casefold() for v in values)]
    if filters.after:
        parts.append("d.published >= ?")
        params.append(filters.after)
    if filters.before:
        parts.append("d.published < ?")
        params.append(filters.before)
    return (" AND ".join(parts) or "1"), params


def bm25(weights: tuple[float, ...]) -> str:
    return "bm25(fts, " + ", ".join(f"{w:g}" for w in weights) + ")"


def select_matches(
    match: str | None, excluded: str | None, where: str, weights: tuple[float, ...]
) -> tuple[str, list[str]]:
    """The INSERT filling temp.hits, and its leading parameters (the filters' follow)."""
    if match is not None:
        expr = f"({match}) NOT ({excluded})" if excluded else match
        statement = (
            f"INSERT INTO temp.hits(id, score) SELECT fts.rowid, {bm25(weights)}"
            " FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ? AND " + where
        )
        return statement, [expr]
    if excluded:
        statement = (
            "INSERT INTO temp.hits(id, score) SELECT d.id, 0 FROM docs d"
            " WHERE d.id NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?) AND " + where
        )
        return statement, [excluded]
    return "INSERT INTO temp.hits(id, score) SELECT d.id, 0 FROM docs d WHERE " + where, []


def mlt(weights: tuple[float, ...]) -> str:
    return (
        "SELECT b.data, m.s FROM (SELECT fts.rowid AS id, "
        f"{bm25(weights)} AS s FROM fts WHERE fts MATCH ? AND fts.rowid != ? ORDER BY s LIMIT ?) m"
        " JOIN bodies b ON b.id = m.id ORDER BY m.s"
    )


def vocab_lookup(n: int) -> str:
    return f"SELECT term, doc FROM fts_vocab WHERE term IN ({_marks(n)})"
