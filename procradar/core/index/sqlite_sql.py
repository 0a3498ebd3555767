"""The SQL of the SQLite backend, kept apart from the code that runs it.

Only fixed text and `?` placeholders are built here; values always travel as parameters.
"""

from __future__ import annotations

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
    countries INTEGER NOT NULL,
    indexed_at REAL NOT NULL DEFAULT 0  -- epoch seconds the row was written (digests)
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
CREATE INDEX IF NOT EXISTS facets_id ON facets(id);
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
    "INSERT INTO docs(url, published, language, kind, source, topics, countries, indexed_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
# Index files written before the digests existed lack the column; their rows count as
# indexed at the epoch (never "new").
ADD_INDEXED_AT = "ALTER TABLE docs ADD COLUMN indexed_at REAL NOT NULL DEFAULT 0"
ROW_BY_URL = "SELECT d.id, b.row FROM docs d JOIN bodies b ON b.id = d.id WHERE d.url = ?"
INSERT_BODY = "INSERT INTO bodies(id, data, row) VALUES (?, ?, ?)"
INSERT_FTS = f"INSERT INTO fts(rowid, {FTS_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
DELETE_FTS = (
    f"INSERT INTO fts(fts, rowid, {FTS_COLUMNS}) VALUES ('delete', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_FACET = "INSERT INTO facets(id, field, value, key) VALUES (?, ?, ?, ?)"
# Matches come back as one comma-separated text per column (see sqlite_match).
# Each pass covers one span of rowids: `rowid > ? AND rowid <= ?`.
MATCH_IDS = "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ? AND rowid > ? AND rowid <= ?"
COUNT_UPTO = (
    "SELECT count(*) FROM "
    "(SELECT rowid FROM fts WHERE fts MATCH ? AND rowid > ? AND rowid <= ? LIMIT ?)"
)


def bm25(weights: tuple[float, ...]) -> str:
    return "bm25(fts, " + ", ".join(f"{w:g}" for w in weights) + ")"


def match_scores(weights: tuple[float, ...]) -> str:
    # The subquery's LIMIT also keeps it from being flattened: bm25() may not run inside an
    # aggregate.
    return (
        "SELECT group_concat(id), group_concat(s) FROM "
        f"(SELECT rowid AS id, {bm25(weights)} AS s FROM fts"
        " WHERE fts MATCH ? AND rowid > ? AND rowid <= ? LIMIT ?)"
    )


def mlt(weights: tuple[float, ...]) -> str:
    return (
        "SELECT b.data, m.s FROM (SELECT fts.rowid AS id, "
        f"{bm25(weights)} AS s FROM fts WHERE fts MATCH ? AND fts.rowid != ? ORDER BY s LIMIT ?) m"
        " JOIN bodies b ON b.id = m.id ORDER BY m.s"
    )


# Every write transaction bumps the generation before it commits. A search reads it inside
# its own read transaction: the column arrays are those of that generation, and each
# worker connection checks it sees the same one (see SqliteIndex.search).
GENERATION = "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'generation'"
BUMP_GENERATION = (
    "INSERT INTO settings(key, value) VALUES ('generation', 1)"
    " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
)
VOCAB_RANGE = "SELECT term FROM fts_vocab WHERE term >= ? AND term < ? LIMIT ?"


def vocab_lookup(n: int) -> str:
    return f"SELECT term, doc FROM fts_vocab WHERE term IN ({', '.join('?' * n)})"
