"""Writing rows of the SQLite backend: one article's docs, bodies, FTS and facet rows, their
removal, and the write transaction that bumps the generation searches pin."""

from __future__ import annotations

import json
import sqlite3
import zlib
from typing import Any

import orjson

from procradar.core.index import sqlite_sql as sql
from procradar.core.index.document import ANALYSIS_VERSION, IndexedDoc
from procradar.core.query import COUNTRIES
from procradar.core.taxonomy import TOPICS


class Transaction:
    """One write transaction; it bumps the generation that searches pin (see sqlite_fts)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type:
            self.db.execute("ROLLBACK")
            return
        self.db.execute(sql.BUMP_GENERATION)
        self.db.execute("COMMIT")


def insert(db: sqlite3.Connection, doc: IndexedDoc) -> None:
    row = [
        doc.title,
        doc.summary,
        doc.text,
        doc.meta,
        doc.stitle,
        doc.ssummary,
        doc.stext,
        doc.parts,
        " ".join(doc.concepts),
    ]
    topics = mask(doc.facets["topic"], TOPICS)
    countries = mask(doc.facets["country"], COUNTRIES)
    cur = db.execute(
        sql.INSERT_DOC,
        (
            doc.url,
            doc.published,
            doc.language,
            doc.kind,
            doc.source,
            topics,
            countries,
            doc.indexed_at,
        ),
    )
    doc_id = cur.lastrowid
    db.execute(sql.INSERT_BODY, (doc_id, pack(doc.data), pack(row)))
    db.execute(sql.INSERT_FTS, (doc_id, *row))
    # Topics and countries live in the docs row as bit masks; organisations and regions,
    # unbounded in number, get rows of their own.
    facets = [(doc_id, "org", v, v.casefold()) for v in doc.facets["org"]]
    facets += [(doc_id, "region", v, v.casefold()) for v in doc.facets["region"]]
    facets += [(doc_id, "event", d, d) for d in doc.facets["event"]]
    if not doc.data.get("relevant", True):  # rows only for the few the gate turned away
        facets.append((doc_id, "irrelevant", "1", "1"))
    db.executemany(sql.INSERT_FACET, facets)


def remove(db: sqlite3.Connection, urls: list[str]) -> int:
    removed = 0
    for url in urls:
        found = db.execute(sql.ROW_BY_URL, (url,)).fetchone()
        if found is None:
            continue
        doc_id, row = found
        db.execute(sql.DELETE_FTS, (doc_id, *unpack(row)))
        for table in ("facets", "bodies", "docs"):
            db.execute(f"DELETE FROM {table} WHERE id = ?", (doc_id,))
        removed += 1
    return removed


def clear(db: sqlite3.Connection) -> None:
    for table in ("facets", "bodies", "docs"):
        db.execute(f"DELETE FROM {table}")
    db.execute("INSERT INTO fts(fts) VALUES ('delete-all')")
    db.execute(
        "INSERT OR REPLACE INTO settings(key, value) VALUES ('analysis', ?)",
        (ANALYSIS_VERSION,),
    )


def mask(values: list[str], names: tuple[str, ...]) -> int:
    return sum(1 << names.index(v) for v in set(values) if v in names)


def pack(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 6)


def unpack(blob: bytes) -> Any:
    data = zlib.decompress(blob)
    try:  # twice as fast as json on the twenty bodies of every results page
        return orjson.loads(data)
    except orjson.JSONDecodeError:  # what json writes and orjson refuses (NaN, huge ints)
        return json.loads(data)
